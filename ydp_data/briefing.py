"""The meeting briefing: one slide per business line, built from the database for the chosen filters and money unit.

Pure functions (no streamlit), so the page, the HTML file and the PDF show the same slides: `build_slides` and
`build_meta` read the database, `briefing_html` writes one self-contained file (plotly.js inlined once, no
network needed) and `briefing_pdf` prints that file with Debian's Chromium, one A4 landscape page per slide.
Text is Korean, or English with the report's names kept in Korean beside (lang, as ydp_data.findings does).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jinja2
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from ydp_data import briefing_findings as bf
from ydp_data import charts, findings, queries, status
from ydp_data.cards import CardView
from ydp_data.db import Database
from ydp_data.filters import Filters
from ydp_data.formatting import KIND_LABELS, MONEY_DECIMALS, MONEY_FACTORS, money, money_in_unit, pct
from ydp_data.i18n import ENGLISH, UNITS, localise_figure, translate
from ydp_data.safe_text import script_json
from ydp_data.theme import FONT

CHROMIUM = "/usr/bin/chromium"
PDF_TIMEOUT_S = 60.0
GROUP_EXIT_WAIT_S = 5.0  # the longest a finished run's killed processes are waited for before the slot is freed
PDF_SLOTS = 2  # Chromium runs at once per server process: six at once once started 61 processes on two cores
PDF_WAIT_S = 20.0  # how long a request waits for a slot (about two PDFs) before it is asked to press again
SLIDE_PARAM = "slide"
SOURCE_ORDER = ["국비", "시비", "구비"]
KOREAN = bf.KOREAN
HANGUL = re.compile(r"[가-힣]")
LINES: tuple[tuple[str, tuple[str, ...]], ...] = (  # business-line slides and their programs, in report order
    ("jobs", ("Ⅱ-1", "Ⅲ-1")), ("public_jobs", ("Ⅱ-2",)), ("social_economy", ("Ⅱ-3",)), ("youth", ("Ⅱ-4", "Ⅲ-2")),
)

TITLES: dict[str, str] = {
    "overview": "일자리정책과 한눈에 보기", "jobs": "일자리: 고용기회와 맞춤형 교육", "public_jobs": "공공분야 일자리",
    "social_economy": "상생기업: 사회적경제 지원", "youth": "청년: 커뮤니티와 취업 지원", "organisation": "일반현황: 조직·인력·시설",
    "plans": "향후계획",
}


def tr(text: str, lang: str = KOREAN, **values: object) -> str:
    """The briefing's own words in the chosen language, with {placeholders} filled from values."""
    text = translate(text, lang)
    return text.format(**values) if values else text


# --- the slides ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Headline:
    """One large figure on a slide: what it is and its formatted value.

    A money unit is kept apart (unit) so a narrow card shows the whole number: the page puts it beside the label,
    as ui.card does, and the files set it small after the value. Other units are part of value ('420명').
    """

    label: str
    value: str
    help: str = ""
    unit: str = ""

    @property
    def text(self) -> str:
        """The figure with its unit, e.g. '7,113,947천원' or '7,113.9 KRW 1M'."""
        if not self.unit or self.value == "-":
            return self.value
        return f"{self.value}{'' if HANGUL.search(self.unit) else ' '}{self.unit}"

    @property
    def card_label(self) -> str:
        """The label with the money unit beside it, e.g. '예산액 (과 전체) · 천원'."""
        return f"{self.label} · {self.unit}" if self.unit else self.label


@dataclass
class Slide:
    """One business line as a slide: title, 2-4 headline figures, findings, one chart and the report's sources.

    chart is None only when the filters leave the chart without rows; chart_data holds the rows behind the chart
    as the database gives them (money in 천원), for the CSV download next to it.
    """

    key: str
    title: str
    subtitle: str
    headlines: list[Headline]
    findings: list[str]
    chart: go.Figure | None
    chart_name: str
    chart_data: pd.DataFrame
    chart_columns: list[str]
    chart_sources: list[str]
    sources: list[str]
    notes: list[str] = field(default_factory=list)
    chart_filters: tuple[bool, bool] = (True, True)  # whether the team and the source filter reach the chart's rows

    @property
    def source_text(self) -> str:
        """Every page reference behind the slide, e.g. 'Ⅱ-2, p.5 · Ⅲ-1, p.10'."""
        return " · ".join(self.sources)

    @property
    def chart_source_text(self) -> str:
        """The page references behind the chart alone."""
        return " · ".join(self.chart_sources)


@dataclass(frozen=True)
class Meta:
    """What every printed page repeats: the report, the as-of date and the filters the slides were built with."""

    district: str
    division: str
    report_title: str
    as_of: str
    elapsed_pct: float
    unit: str
    teams: tuple[str, ...]  # empty: every team
    sources: tuple[str, ...]  # empty: every source
    lang: str = KOREAN

    @property
    def title(self) -> str:
        """The document title, e.g. '영등포구 일자리정책과 회의 브리핑'."""
        return tr("{district} {division} 회의 브리핑", self.lang, district=self.district, division=self.division)

    @property
    def filters_text(self) -> str:
        """The filters in words, e.g. '팀: 청년지원팀 · 재원: 국비 · 금액 단위: 천원'."""
        every = tr("전체", self.lang)
        sep = ", " if self.lang == ENGLISH else "·"
        return tr("팀: {teams} · 재원: {sources} · 금액 단위: {unit}", self.lang,
                  teams=sep.join(bf.short_name(t, self.lang) for t in self.teams) or every,
                  sources=sep.join(bf.short_name(s, self.lang) for s in self.sources) or every,
                  unit=UNITS[self.unit] if self.lang == ENGLISH else self.unit)

    @property
    def as_of_text(self) -> str:
        """The as-of date as every page shows it, e.g. '2023-05-31 기준'."""
        return tr("{as_of} 기준", self.lang, as_of=self.as_of)


def build_meta(db: Database, f: Filters, unit: str, lang: str = KOREAN) -> Meta:
    """The report, as-of date and filters that frame every slide."""
    info = queries.report(db, f)
    return Meta(
        district=str(info["district"]), division=str(info["division"]), report_title=str(info["title"]),
        as_of=pd.Timestamp(info["as_of"]).strftime("%Y-%m-%d"), elapsed_pct=float(info["elapsed_pct"]), unit=unit,
        teams=f.teams if f.teams_filtered else (), sources=f.sources if f.sources_filtered else (), lang=lang,
    )


@dataclass(frozen=True)
class _Ctx:
    """What every slide builder reads: the database, the filters, the unit, the language and the report."""

    db: Database
    f: Filters
    unit: str
    lang: str
    meta: Meta
    checks: pd.DataFrame
    chosen: frozenset[str]  # the programs of the chosen teams

    def t(self, text: str, **values: object) -> str:
        """The briefing's own words in this briefing's language."""
        return tr(text, self.lang, **values)

    def money(self, value: float | None) -> str:
        """An amount in 천원 in the chosen unit, e.g. '357,151천원' or '357,151 KRW 1,000'."""
        if value is None or pd.isna(value):
            return "-"
        if self.lang == ENGLISH:
            return f"{money(value, self.unit, with_unit=False)} {UNITS[self.unit]}"
        return money(value, self.unit)

    def figure(self, label: str, value: float | None, help: str = "") -> Headline:
        """A money headline in the chosen unit, the unit kept apart from the number."""
        unit = UNITS[self.unit] if self.lang == ENGLISH else self.unit
        shown = "-" if value is None or pd.isna(value) else money(value, self.unit, with_unit=False)
        return Headline(label, shown, help, unit)

    def count(self, value: float | None, unit: str) -> str:
        """A count with its unit in this language ('420명', '420 persons'); '-' when missing."""
        return "-" if value is None or pd.isna(value) else bf.amount(float(value), unit, self.lang)


def slide_keys(db: Database, f: Filters) -> list[str]:
    """The slides of the briefing for these filters, in the report's order: the overview, each business line with
    a program in the chosen teams (a line outside them is left out), the organisation and the plans."""
    return _keys(_chosen_programs(db, f))


def slide_title(key: str, lang: str = KOREAN) -> str:
    """A slide's title, known without building the slide (the page lists every title, draws one slide)."""
    return tr(TITLES[key], lang)


def build_slide(db: Database, f: Filters, unit: str, key: str, lang: str = KOREAN) -> Slide:
    """One slide of `slide_keys`: what the page shows, built alone so a filter change rebuilds only that one."""
    return _build(_context(db, f, unit, lang), [key])[0]


def chart_at(slide: Slide, height: int) -> go.Figure:
    """A copy of the slide's chart at this height (the screen's, not the printed page's); the slide itself is shared
    between sessions (ui.query) and stays as built."""
    if slide.chart is None:
        raise ValueError(f"slide {slide.key} has no chart for these filters")
    return go.Figure(slide.chart).update_layout(height=height)


def build_slides(db: Database, f: Filters, unit: str, lang: str = KOREAN) -> list[Slide]:
    """Every slide of `slide_keys`, as the HTML file and the PDF show them."""
    c = _context(db, f, unit, lang)
    return _build(c, _keys(c.chosen))


def _chosen_programs(db: Database, f: Filters) -> frozenset[str]:
    return frozenset(queries.programs(db, f)["program_id"])


def _keys(chosen: frozenset[str]) -> list[str]:
    return ["overview", *(key for key, programs in LINES if chosen & set(programs)), "organisation", "plans"]


def _context(db: Database, f: Filters, unit: str, lang: str) -> _Ctx:
    """What every slide reads: the frame of the report, its reconciliation checks and the programs of the chosen
    teams under these filters."""
    return _Ctx(db, f, unit, lang, build_meta(db, f, unit, lang), queries.checks(db, f), _chosen_programs(db, f))


def _build(c: _Ctx, keys: Sequence[str]) -> list[Slide]:
    """The slides of these keys, in that order, their charts finished for the language."""
    lines = {"jobs": _jobs, "public_jobs": _public_jobs, "social_economy": _social_economy, "youth": _youth}
    frame = {"overview": _overview, "organisation": _organisation, "plans": _plans}
    # the business lines share one query of every program's budget
    budgets = queries.budget_by_program(c.db, c.f) if any(key in lines for key in keys) else pd.DataFrame()
    programs = dict(LINES)
    slides = [lines[key](c, _Line(tuple(p for p in programs[key] if p in c.chosen), budgets, c)) if key in lines
              else frame[key](c) for key in keys]
    for slide in slides:
        if slide.chart is not None:
            _finish(slide.chart, c.lang)
    return slides


# --- shared pieces -------------------------------------------------------------------------------
def rate(executed: float, budget: float) -> float | None:
    """Execution rate in % to one decimal, rounded half up as the database's ROUND does; None without a budget."""
    if not budget:
        return None
    exact = Decimal(int(executed)) * 100 / Decimal(int(budget))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _page_order(source: str) -> tuple[int, str]:
    """Sort key of a page reference: by its page number (p.N), references without one last."""
    found = re.search(r"p\.(\d+)", source)
    return (int(found[1]) if found else 10**6, source)


def _sources(values: Iterable[object]) -> list[str]:
    """The report's page references, once each, in page order."""
    unique = dict.fromkeys(str(v) for v in values if v is not None and not pd.isna(v) and str(v))
    return sorted(unique, key=_page_order)


def _fact(frame: pd.DataFrame, measure: str) -> pd.Series | None:
    """The first fact row of a measure, or None when the filters leave it out."""
    rows = frame[frame["measure"] == measure]
    return rows.iloc[0] if len(rows) else None


def _money_fact(row: pd.Series | None) -> float | None:
    """A money fact (written in 백만원 or 억원) in 천원, to be formatted in the chosen unit."""
    return None if row is None else float(row["value"]) * MONEY_FACTORS[str(row["unit"])]


def _failed(c: _Ctx, ids: Sequence[str]) -> list[str]:
    """The report's own discrepancies among these checks, one finding each; a printed rate that is only rounded
    differently (under 0.1%p, e.g. Ⅱ-1 35.2% for 35.26%) is no finding."""
    rows = c.checks[c.checks["check_id"].isin(ids) & (c.checks["status"] == "fail")]
    rows = rows[[not findings.rounding_only(str(u), float(g)) for u, g in zip(rows["unit"], rows["gap"], strict=True)]]
    return [bf.report_discrepancy(str(r["description"]), float(r["expected"]), float(r["computed"]), str(r["unit"]),
                                  str(r["source"]), decimals=1 if r["unit"] == "%" else 0, lang=c.lang)
            for _, r in rows.iterrows()]


def _chart(frame: pd.DataFrame, build: Callable[[], go.Figure]) -> go.Figure | None:
    """The chart, or None when the filters leave it no rows (the page and the file then say so)."""
    return None if frame.empty else build()


def _finish(fig: go.Figure, lang: str) -> None:
    """In English the chart's words translated as on the pages, with report names alone (no Korean beside):
    a slide's chart has little room for its labels."""
    localise_figure(fig, lang, names=bf.short_name)
    if lang != ENGLISH:
        return
    for note in fig.layout.annotations or ():  # localise_figure already gave the month ticks their English names
        note.text = tr(note.text, lang)


class _Line:
    """Budget, spending and rate of a business line's programs within the chosen teams and sources."""

    def __init__(self, programs: tuple[str, ...], budgets: pd.DataFrame, c: _Ctx) -> None:
        """Sum the rows of budget_by_program that belong to these programs."""
        self.programs, self.c = programs, c
        rows = budgets[budgets["program_id"].isin(programs)]
        self.rows = rows  # one per program: a line of several names each one against the year's pace
        self.budget, self.executed = int(rows["budget"].sum()), int(rows["executed"].sum())
        self.rate = rate(self.executed, self.budget)
        self.sources = _sources(rows["source"])

    @property
    def scope(self) -> str:
        """The programs, and the chosen sources when they are filtered, e.g. 'Ⅱ-4·Ⅲ-2, 국비'."""
        f, lang = self.c.f, self.c.lang
        picked = ("·" if lang != ENGLISH else ", ").join(bf.short_name(s, lang) for s in f.sources)
        return "·".join(self.programs) + (f", {picked}" if f.sources_filtered else "")

    def headlines(self) -> list[Headline]:
        """Budget and execution rate of the line, or '-' with the reason when the sources pay nothing."""
        c = self.c
        if not self.budget:
            none = bf.no_budget(c.f.sources, c.lang)
            return [Headline(c.t("예산액 ({scope})", scope=self.scope), "-", none),
                    Headline(c.t("집행률 ({scope})", scope=self.scope), "-", none)]
        return [c.figure(c.t("예산액 ({scope})", scope=self.scope), self.budget),
                Headline(c.t("집행률 ({scope})", scope=self.scope), pct(self.rate),
                         c.t("집행액 {executed} ÷ 예산액 {budget}", executed=c.money(self.executed),
                             budget=c.money(self.budget)))]

    def findings(self) -> list[str]:
        """Execution against the year elapsed, each program's against it when the line has several (the combined
        rate must not hide a program behind), and the report's own rate discrepancies for the line."""
        c = self.c
        if not self.budget:
            return [bf.no_budget(c.f.sources, c.lang)]
        found = [findings.execution_against_year(float(self.rate or 0), c.meta.elapsed_pct, c.lang)]
        if len(self.rows) > 1:
            found.append(status.breakdown(self.rows, c.meta.elapsed_pct, c.lang))
        if not c.f.sources_filtered:  # the report states each program's rate for all sources together
            found += _failed(c, [f"program.{p}.rate" for p in self.programs])
        return found

    def notes(self) -> list[str]:
        """Why a source filter does not reach the results on the slide."""
        c = self.c
        return [bf.filter_not_applied(["재원"], c.t("실적 수치"), c.lang)] if c.f.sources_filtered else []


# --- one builder per slide -------------------------------------------------------------------------
def _overview(c: _Ctx) -> Slide:
    """The division: its whole budget (no team or source split) beside the main programs within the filters."""
    f, meta = c.f, c.meta
    total = queries.division_budget(c.db, f).iloc[0]
    chosen = queries.programs_budget_total(c.db, f).iloc[0]
    execution = status.execution_pace(queries.program_execution(c.db, f), meta.elapsed_pct)  # most behind first
    units = queries.budget_by_unit_program(c.db, f)
    filtered = f.teams_filtered or f.sources_filtered
    sep = ", " if c.lang == ENGLISH else "·"
    parts = [sep.join(bf.short_name(t, c.lang) for t in f.teams) if f.teams_filtered else "",
             sep.join(bf.short_name(s, c.lang) for s in f.sources) if f.sources_filtered else ""]
    scope = " · ".join(p for p in parts if p) or c.t("전체")
    chosen_rate = None if pd.isna(chosen["rate"]) else float(chosen["rate"])
    total_rate = findings.known(total["rate"])  # None: no budget_units rows for this report (the note says so)
    lagging = status.breakdown(execution, meta.elapsed_pct, c.lang, only_behind=True)  # the answer first, by name
    found = ([lagging] if lagging else []) + ([] if total_rate is None else [
        c.t("과 전체 ") + findings.execution_against_year(total_rate, meta.elapsed_pct, c.lang)])
    if filtered:
        found.append(c.t("주요사업({scope}) ", scope=scope)
                     + findings.execution_against_year(chosen_rate, meta.elapsed_pct, c.lang)
                     if chosen_rate is not None else c.t("주요사업({scope})의 예산이 없습니다.", scope=scope))
    found.append(findings.report_discrepancies(c.checks, c.lang))
    stated = queries.stated_rates(c.db, f)  # the report's printed rate, where it differs from the computed one
    return Slide(
        key="overview", title=c.t(TITLES["overview"]),
        subtitle=c.t("{report} · 연중 경과율 {elapsed}% (기준일까지 지난 날 ÷ 그해의 날 수)",
                     report=meta.report_title, elapsed=f"{meta.elapsed_pct:.1f}"),
        headlines=[
            c.figure(c.t("예산액 (과 전체)"), total["budget"], c.t("집행액 {executed}", executed=c.money(total["executed"]))),
            Headline(c.t("집행률 (과 전체)"), pct(total["rate"])),
            c.figure(c.t("예산액 (주요사업)"), chosen["budget"] or None,
                     c.t("{scope} · 집행액 {executed}", scope=scope, executed=c.money(chosen["executed"]))
                     if chosen["budget"] else c.t("주요사업({scope})의 예산이 없습니다.", scope=scope)),
            Headline(c.t("집행률 (주요사업)"), pct(chosen_rate), scope),
        ],
        findings=found,
        chart=_chart(execution, lambda: charts.mark_stated(charts.pace_status_bars(
            execution, "title", "rate", "gap_pp", "pace", meta.elapsed_pct,
            title=findings.pace_headline(status.behind_count(execution), len(execution), c.lang),
            description=c.t("주요사업별 집행률, 가장 뒤처진 사업부터 · 회색 띠: 연중 경과율 ±{tolerance}%p",
                            tolerance=f"{findings.PACE_TOLERANCE_PP:g}"),
            mark_label=c.t("연중 경과율"), status_labels=status.labels(c.lang), tolerance=findings.PACE_TOLERANCE_PP),
            stated, "title", "stated_rate_pct", name=c.t("보고서 표기 집행률"))),
        chart_name="briefing_overview", chart_data=execution,
        chart_columns=["program_id", "title", "team", "rate", "elapsed_pct", "gap_pp", "source"],
        chart_sources=_sources(execution["source"]), sources=_sources([*units["source"], *execution["source"]]),
        notes=([bf.filter_not_applied(["팀", "재원"], c.t("과 전체 예산"), c.lang)] if filtered else [])
        + ([findings.no_rows("budget_units", c.lang)] if findings.known(total["budget"]) is None else []),
    )


def _jobs(c: _Ctx, line: _Line) -> Slide:
    """일자리 (Ⅱ-1, Ⅲ-1): Job Plus Center placements and customised training."""
    center = queries.facts(c.db, c.f, program_id="Ⅱ-1", categories=["일자리플러스센터"])
    courses = queries.facts(c.db, c.f, program_id="Ⅲ-1", measures=["교육인원"])
    placed = queries.part_of_whole(c.db, c.f, "jobplus.employed", "jobplus.seekers", "jobplus.rate")
    seekers, employed = _fact(center, "구직자"), _fact(center, "취업자")
    found = line.findings()
    if seekers is not None and employed is not None:
        found.append(bf.share_of(float(employed["value"]), float(seekers["value"]), "구직자", "취업자", "명",
                                  "일자리플러스센터", c.lang))
    if not courses.empty:
        found.append(bf.results(c.t("맞춤형 취·창업 교육"), [(str(r["category"]), float(r["value"]), str(r["unit"]))
                                                       for _, r in courses.iterrows()], c.lang))
    return Slide(
        key="jobs", title=c.t(TITLES["jobs"]), subtitle=_subtitle(c, line.programs),
        headlines=[*line.headlines(),
                   Headline(c.t("취업자 (일자리플러스센터)"), c.count(None if employed is None else employed["value"], "명")),
                   Headline(c.t("교육인원 (맞춤형 취·창업 교육)"),
                            c.count(courses["value"].sum() if not courses.empty else None, "명"))],
        findings=found,
        chart=_chart(placed, lambda: charts.progress(
            placed, "category", title=c.t("일자리플러스센터: 구직자 중 취업자"), unit="명", value_name="취업자",
            whole_name="구직자", stated_name=c.t("보고서 표기 취업률"))),
        chart_name="briefing_jobs", chart_data=placed,
        chart_columns=["category", "part_measure", "value", "whole_measure", "whole", "unit", "rate_pct", "stated_rate_pct",
                       "period", "source"],
        chart_sources=_sources(placed["source"]),
        sources=_sources([*line.sources, *center["source"], *courses["source"]]), notes=line.notes(),
        chart_filters=(True, False),
    )


def _public_jobs(c: _Ctx, line: _Line) -> Slide:
    """공공일자리 (Ⅱ-2): first-half selections against the targets, with the report's own 448 ≠ 446."""
    people = queries.public_work_people(c.db, c.f)
    annual = queries.facts(c.db, c.f, program_id="Ⅱ-2", measures=["목표인원"], kind="target")
    target = float(annual[annual["period"].str.len() == 4]["value"].sum())
    selected = float(people["selected_h1"].sum()) if not people.empty else 0.0
    attained = queries.part_of_whole(c.db, c.f, "publicwork.%.selected", "publicwork.target")
    gap = _failed(c, ["publicwork.target.annual"])  # the report's own 448 ≠ 446, also under the chart
    found = [*line.findings(),
             findings.progress_against_target(selected, target, c.t("상반기 선발인원 (연간 목표 대비)"), "명", c.lang), *gap]
    return Slide(
        key="public_jobs", title=c.t(TITLES["public_jobs"]), subtitle=_subtitle(c, line.programs),
        headlines=[*line.headlines(), Headline(c.t("상반기 선발인원"), c.count(selected, "명")),
                   Headline(c.t("연간 목표인원 (보고서)"), c.count(target, "명"))],
        findings=found,
        chart=_chart(attained, lambda: charts.progress(
            attained, "category", title=c.t("연간 목표 대비 상반기 선발인원"), unit="명",
            value_name=c.t("상반기 선발인원 (실적)"), whole_name=c.t("연간 목표인원 (목표)"), note=" ".join(gap) or None)),
        chart_name="briefing_public_jobs", chart_data=attained,
        chart_columns=["category", "part_measure", "period", "value", "whole_measure", "whole_period", "whole", "unit",
                       "rate_pct", "source"],
        chart_sources=_sources(attained["source"]),
        sources=_sources([*line.sources, *people["source"], *annual["source"]]), notes=line.notes(),
        chart_filters=(True, False),
    )


def _social_economy(c: _Ctx, line: _Line) -> Slide:
    """상생기업 (Ⅱ-3): grants by funding source, firms supported and public procurement against its target."""
    grants = queries.split_by_source(c.db, c.f, program_id="Ⅱ-3", measure="지원액")
    firms = queries.facts(c.db, c.f, program_id="Ⅱ-3", measures=["지원기업"])
    buying = queries.facts(c.db, c.f, program_id="Ⅱ-3", categories=["공공구매 활성화"])
    actual, goal = _money_fact(_fact(buying, "구매 실적")), _money_fact(_fact(buying, "목표액"))
    found = line.findings()
    if not firms.empty:  # each scheme counted on its own; their sum is the grants headline
        found.append(bf.results(c.t("재정지원 사업별 지원기업 (사업마다 따로 센 수)"),
                                [(str(r["category"]), float(r["value"]), str(r["unit"])) for _, r in firms.iterrows()],
                                c.lang))
    if actual is not None and goal is not None:
        factor = MONEY_FACTORS[c.unit]
        found.append(findings.progress_against_target(actual / factor, goal / factor, c.t("공공구매 실적"), c.unit,
                                                      c.lang))
        found += _failed(c, ["procurement.rate"])
    shown = money_in_unit(grants, c.unit)
    return Slide(
        key="social_economy", title=c.t(TITLES["social_economy"]), subtitle=_subtitle(c, line.programs),
        headlines=[*line.headlines(),
                   Headline(c.t("재정지원 건수 ({n}개 사업의 지원기업 수 합)", n=len(firms)),
                            c.count(firms["value"].sum() if not firms.empty else None, "건"),
                            c.t("보고서에 없는 합계: 한 기업이 여러 사업에서 지원받을 수 있어 기업 수가 아니라 지원 건수입니다.")),
                   c.figure(c.t("공공구매 실적"), actual, c.t("목표액 {goal}", goal=c.money(goal)) if goal is not None else "")],
        findings=found,
        chart=_chart(grants, lambda: charts.stacked_bars(
            shown, "category", "funding_source", "value", title="재정지원 사업별 지원액의 재원 구성", unit=c.unit,
            decimals=MONEY_DECIMALS[c.unit], order=SOURCE_ORDER)),
        chart_name="briefing_social_economy", chart_data=grants,
        chart_columns=["category", "funding_source", "value", "unit", "category_total", "share_pct", "source"],
        chart_sources=_sources(grants["source"]),
        sources=_sources([*line.sources, *grants["source"], *firms["source"], *buying["source"]]),
        notes=[bf.filter_not_applied(["재원"], c.t("지원기업 수와 공공구매 실적"), c.lang)] if c.f.sources_filtered else [],
    )


def _youth(c: _Ctx, line: _Line) -> Slide:
    """청년 (Ⅱ-4, Ⅲ-2): the youth centre 오랑 and the 4th-industry programmes, done and planned."""
    orang = queries.facts(c.db, c.f, program_id="Ⅱ-4", categories=["서울청년센터 영등포 오랑"])
    youth4 = queries.facts(c.db, c.f, program_id="Ⅲ-2", measures=["참여인원"])
    done = float(youth4.loc[youth4["kind"] == "actual", "value"].sum())
    found = line.findings()
    if not orang.empty:
        found.append(bf.results("서울청년센터 영등포 오랑", [(str(r["measure"]), float(r["value"]), str(r["unit"]))
                                                     for _, r in orang.iterrows()], c.lang))
    done_rows = youth4[youth4["kind"] == "actual"]  # each programme on its own: a talk's attendees are no trainees
    if not done_rows.empty:  # (the planned cohorts are in the chart, as 계획)
        found.append(bf.results(c.t("4차산업 분야 청년 프로그램 참여인원 (실적)"),
                                [(str(r["category"]), float(r["value"]), str(r["unit"])) for _, r in done_rows.iterrows()],
                                c.lang))
    labelled = youth4.assign(kind=youth4["kind"].map(lambda k: KIND_LABELS.get(k, k)))  # 실적/계획 take their colours
    visitors = _fact(orang, "이용인원")
    return Slide(
        key="youth", title=c.t(TITLES["youth"]), subtitle=_subtitle(c, line.programs),
        headlines=[*line.headlines(), Headline(c.t("오랑 이용인원"), c.count(None if visitors is None else visitors["value"], "명")),
                   Headline(c.t("4차산업 프로그램 참여 (실적, 보고서에 없는 합계)"),
                            c.count(done if not youth4.empty else None, "명"),
                            c.t("서로 다른 {n}개 프로그램의 참여인원을 더한 값입니다.", n=len(done_rows)))],
        findings=found,
        chart=_chart(youth4, lambda: charts.value_bars(
            labelled, "category", "value", title="4차산업 분야 청년 프로그램 참여인원 (실적·계획)", unit="명",
            color_by="kind")),
        chart_name="briefing_youth", chart_data=youth4,
        chart_columns=["category", "kind", "period", "value", "unit", "note", "source"],
        chart_sources=_sources(youth4["source"]),
        sources=_sources([*line.sources, *orang["source"], *youth4["source"]]), notes=line.notes(),
        chart_filters=(True, False),
    )


def _organisation(c: _Ctx) -> Slide:
    """조직: posts against staff by grade (no team split) and the chosen teams' facilities."""
    f = c.f
    staff = queries.staffing(c.db, f)
    places = queries.facilities(c.db, f)
    authorized, current = int(staff["authorized"].sum()), int(staff["current"].sum())
    diff = current - authorized
    found = [bf.staffing_gap(authorized, current, [(str(r["grade"]), int(r["difference"])) for _, r in staff.iterrows()],
                             c.lang)]
    if not places.empty:
        counts = places.groupby("team", sort=False).size()
        found.append(bf.results("주요시설" if c.lang != ENGLISH else c.t("주요시설"),
                                [(str(t), float(n), "개소") for t, n in counts.items()], c.lang))
    missing = [w for w, on in (("팀", f.teams_filtered), ("재원", f.sources_filtered)) if on]
    sep = ", " if c.lang == ENGLISH else "·"
    facilities = (c.t("주요시설 ({teams})", teams=sep.join(bf.short_name(t, c.lang) for t in f.teams))
                  if f.teams_filtered else c.t("주요시설"))
    return Slide(
        key="organisation", title=c.t(TITLES["organisation"]), subtitle=c.t("직급별 정원·현원과 팀별 주요시설"),
        headlines=[Headline(c.t("정원"), c.count(authorized, "명")), Headline(c.t("현원"), c.count(current, "명")),
                   Headline(c.t("과부족 (현원 − 정원)"), ("△" if diff < 0 else "") + c.count(abs(diff), "명")),
                   Headline(facilities, c.count(len(places), "개소"))],
        findings=found,
        chart=_chart(staff, lambda: charts.footnote(charts.paired_bars(
            staff, "grade", [("authorized", "정원"), ("current", "현원")], title="직급별 정원과 현원 (일반직, 직급 배정은 추정)",
            unit="명"), c.t("직급은 추정입니다: 보고서 표의 열 구분이 사라져, 다섯 개 값을 일반직 5~9급에 놓았습니다 "
                            "(과부족이 현원 − 정원일 때만 모든 열이 맞음, datasets/README.md)."))),
        chart_name="briefing_organisation", chart_data=staff,
        chart_columns=["job_series", "grade", "authorized", "current", "difference", "source"],
        chart_sources=_sources(staff["source"]), sources=_sources([*staff["source"], *places["source"]]),
        notes=[bf.filter_not_applied(missing, c.t("정원·현원"), c.lang)] if missing else [],
        chart_filters=(False, False),
    )


def _plans(c: _Ctx) -> Slide:
    """향후계획: the chosen teams' planned activities by month, one row per task."""
    meta = c.meta
    plans = queries.plans(c.db, c.f)
    month = int(meta.as_of[5:7])
    dated = plans.dropna(subset=["start_month", "end_month"])
    starts = {int(m): int(n) for m, n in dated["start_month"].value_counts().items()}
    following = month % 12 + 1
    found = [bf.plans_outlook(len(plans), starts, len(plans) - len(dated), c.lang)]
    if not plans.empty:
        by_team = plans.groupby("team", sort=False).size()
        found.append(bf.results(c.t("팀별 향후계획"), [(str(t), float(n), "건") for t, n in by_team.items()], c.lang))
    return Slide(
        key="plans", title=c.t(TITLES["plans"]), subtitle=c.t("{as_of} 이후 각 사업의 추진 일정 (색은 팀)", as_of=meta.as_of),
        headlines=[Headline(c.t("향후계획"), c.count(len(plans), "건")),
                   Headline(c.t("{month} 시작", month=bf.month_name(following, c.lang)), c.count(starts.get(following, 0), "건")),
                   Headline(c.t("시기 미기재"), c.count(len(plans) - len(dated), "건"))],
        findings=found,
        chart=_chart(dated, lambda: charts.month_timeline(  # one row per task (과제): a slide has no room for 30 rows
            plans, "plan_group", "start_month", "end_month", "team", title=c.t("향후계획 일정 ({year}년)", year=meta.as_of[:4]),
            as_of_month=month)),
        chart_name="briefing_plans", chart_data=plans,
        chart_columns=["program_id", "team", "plan_group", "activity", "schedule", "start_month", "end_month", "source"],
        chart_sources=_sources(plans["source"]), sources=_sources(plans["source"]),
        notes=[bf.filter_not_applied(["재원"], c.t("이 수치"), c.lang)] if c.f.sources_filtered else [],
        chart_filters=(True, False),
    )


def _subtitle(c: _Ctx, programs: Sequence[str]) -> str:
    """The programs of a slide with their titles and team, e.g. 'Ⅱ-2 공공분야 일자리 … · 일자리사업팀'."""
    rows = queries.programs(c.db, c.f)
    rows = rows[rows["program_id"].isin(programs)]
    teams = list(dict.fromkeys(bf.short_name(str(t), c.lang) for t in rows["team"]))
    titles = [f"{r['program_id']} {bf.short_name(str(r['title']), c.lang)}" for _, r in rows.iterrows()]
    return " / ".join(titles) + " · " + ", ".join(teams)


# --- the self-contained HTML -------------------------------------------------------------------------
PLOT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"scale": 2}}

CSS = f"""
@page {{ size: A4 landscape; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "Noto Sans CJK KR", {FONT}; color: #222; background: #e9e9e9;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
  word-break: keep-all; overflow-wrap: break-word; }}  /* Korean breaks between words, never in one ('높습니/다') */
.slide {{ width: 297mm; height: 209.5mm; margin: 8mm auto; padding: 10mm 13mm 7mm; background: #fff;
  display: flex; flex-direction: column; overflow: hidden; box-shadow: 0 1px 6px rgba(0,0,0,.25);
  break-after: page; page-break-after: always; }}
.slide:last-of-type {{ break-after: auto; page-break-after: auto; }}
.top {{ display: flex; justify-content: space-between; font-size: 11pt; color: #555; }}
h1 {{ font-size: 28pt; margin: 2mm 0 0; line-height: 1.2; }}
.subtitle {{ font-size: 12pt; color: #555; margin: 1mm 0 4mm; }}
.cards {{ display: flex; gap: 4mm; margin-bottom: 4mm; }}
.card {{ flex: 1; border: 1px solid #ccc; border-radius: 2mm; padding: 2.5mm 4mm; }}
.card .label {{ font-size: 11pt; color: #555; }}
.card .value {{ font-size: 24pt; font-weight: 700; line-height: 1.25; color: #0b3d6b; white-space: nowrap; }}
.card .value small {{ font-size: 13pt; font-weight: 600; margin-left: 1mm; }}
.card .help {{ font-size: 9.5pt; color: #666; }}  /* #777 on white is 4.48:1, under WCAG AA's 4.5:1 */
.body {{ flex: 1; min-height: 0; display: flex; gap: 6mm; }}
.text {{ width: 33%; font-size: 14pt; line-height: 1.45; }}
.text ul {{ margin: 0; padding-left: 5mm; }}
.text li {{ margin-bottom: 2.5mm; }}
.note {{ font-size: 10.5pt; color: #666; }}
.chart {{ flex: 1; min-width: 0; height: 100%; }}
.nodata {{ flex: 1; display: flex; align-items: center; justify-content: center; font-size: 14pt; color: #666;
  border: 1px dashed #bbb; }}
footer {{ display: flex; gap: 8mm; justify-content: space-between; border-top: 1px solid #ccc; margin-top: 3mm;
  padding-top: 2mm; font-size: 9.5pt; color: #555; }}
footer .asof {{ white-space: nowrap; }}
footer .sources {{ text-align: right; }}
@media print {{ body {{ background: #fff; }} .slide {{ margin: 0; box-shadow: none; }}
  .modebar-container {{ display: none !important; }} }}
"""


# Presenter mode, on screen only: one slide at a time, scaled to fit the window above the navigation bar (the script
# sets --slide-scale/-x/-y); the others stay laid out but hidden, so their charts keep their size. Printed, every
# slide is a page as CSS lays it out above. Without the script the first slide shows.
PRESENT_CSS = """
@media screen {
  html, body { height: 100%; overflow: hidden; }
  body { background: #1f1f1f; }
  .slide { position: absolute; left: var(--slide-x, 0px); top: var(--slide-y, 0px); margin: 0; visibility: hidden;
    transform: scale(var(--slide-scale, 1)); transform-origin: 0 0; }
  html:not(.deck) .slide:first-of-type, .slide.current { visibility: visible; }
  .deck-nav { position: fixed; left: 0; right: 0; bottom: 0; height: 48px; display: flex; align-items: center;
    justify-content: center; gap: 18px; background: #111; color: #fff; font-size: 15px; }
  .deck-nav button { font: inherit; min-width: 110px; padding: 6px 14px; border: 1px solid #bbb; border-radius: 4px;
    background: #2b2b2b; color: #fff; cursor: pointer; }
  .deck-nav button:disabled { opacity: .5; cursor: default; }
  .deck-nav button:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
  .deck-nav .counter { min-width: 64px; text-align: center; font-weight: 700; }
  .deck-nav .hint { color: #ccc; font-size: 13px; }
}
@media print { .deck-nav { display: none !important; } }
"""
NAV_BAR_PX = 48

# Draws every chart at its box's size, then steps through the slides: ← → PageUp PageDown Home End or the buttons;
# a slide shown again is relaid out if its box changed size (Plotly.relayout). Only those keys are taken, never Tab
# nor a key with a modifier, nor one typed into a field; #slide-N in the address opens slide N.
DECK_JS = """
;(function () {
  var figures = %(figures)s, config = %(config)s, bar = %(bar)d;
  var root = document.documentElement, slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var counter = document.getElementById("deck-counter"), prev = document.getElementById("deck-prev"),
      next = document.getElementById("deck-next"), current = 1;
  function draw(box) {
    var fig = figures[box.id], width = box.clientWidth, height = box.clientHeight;
    if (!fig || !width || !height) return;
    if (!box.classList.contains("js-plotly-plot")) {
      fig.layout.width = width;
      fig.layout.height = height;
      Plotly.newPlot(box, fig.data, fig.layout, config);
    } else if (box._fullLayout && (box._fullLayout.width !== width || box._fullLayout.height !== height)) {
      Plotly.relayout(box, {width: width, height: height});
    }
  }
  function fit() {
    var slide = slides[current - 1];
    if (!slide) return;
    var w = slide.offsetWidth, h = slide.offsetHeight, room = window.innerHeight - bar;
    var scale = Math.max(0.1, Math.min((window.innerWidth - 16) / w, (room - 16) / h));
    root.style.setProperty("--slide-scale", String(scale));
    root.style.setProperty("--slide-x", Math.max(0, (window.innerWidth - w * scale) / 2) + "px");
    root.style.setProperty("--slide-y", Math.max(0, (room - h * scale) / 2) + "px");
  }
  function show(n) {
    if (!slides.length) return;
    current = Math.min(Math.max(1, n), slides.length);
    slides.forEach(function (slide, i) { slide.classList.toggle("current", i === current - 1); });
    counter.textContent = current + " / " + slides.length;
    prev.disabled = current === 1;
    next.disabled = current === slides.length;
    layout();
    if (location.hash !== "#slide-" + current) history.replaceState(null, "", "#slide-" + current);
  }
  function layout() {
    if (!slides.length) return;
    fit();
    Array.prototype.forEach.call(slides[current - 1].querySelectorAll(".chart"), draw);
  }
  function fromHash() {
    var found = /^#slide-(\\d+)$/.exec(location.hash);
    return found ? Number(found[1]) : 1;
  }
  root.classList.add("deck");
  Array.prototype.forEach.call(document.querySelectorAll(".chart"), draw);
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) return;
    var steps = {ArrowRight: current + 1, PageDown: current + 1, ArrowLeft: current - 1, PageUp: current - 1,
                 Home: 1, End: slides.length};
    if (!Object.prototype.hasOwnProperty.call(steps, e.key)) return;
    e.preventDefault();
    show(steps[e.key]);
  });
  window.addEventListener("hashchange", function () { if (fromHash() !== current) show(fromHash()); });
  window.addEventListener("resize", layout);  // never show(): it would write the address over a pending #slide-N
  show(fromHash());
})();
"""


_NUMBER = re.compile(r"^([△+-]?[\d,.]+%?)\s*(\S.*)?$")


def value_parts(h: Headline) -> tuple[str, str]:
    """A headline's value and the unit set smaller after it, so '7,113.9 KRW 1M' stays on one line ('5,496명':
    ('5,496', '명'))."""
    if h.unit and h.value != "-":
        return h.value, h.unit
    found = _NUMBER.match(h.value)
    return (h.value, "") if not found or not found[2] else (found[1], found[2])


def card_of(h: Headline, lang: str) -> CardView:
    """A headline as the Briefing page's card: the money unit beside the label; in English another unit too ('5,496
    persons' ran past a card)."""
    label, value = h.card_label, h.value
    number, unit = value_parts(h)
    if lang == ENGLISH and unit and not h.unit:
        label, value = f"{label} ({unit})", number
    return CardView(label, value, help=h.help or None)


def _print_figure(fig: go.Figure) -> dict[str, object]:
    """The figure as plotly JSON, to be sized by its box on the page (the builders' heights are for the dashboard)."""
    spec = json.loads(pio.to_json(fig, validate=False))
    layout = spec.setdefault("layout", {})
    layout.pop("height", None)
    layout.pop("width", None)
    ticks = layout.get("xaxis", {}).get("ticktext")
    if ticks and all(re.fullmatch(r"\d{1,2}월", str(t)) for t in ticks):  # '6' under an axis titled (월): no tilt
        layout["xaxis"]["ticktext"] = [str(t)[:-1] for t in ticks]
    # a slide's chart is one page high: a timeline's months go back under it (charts.fit_margins put them on top of
    # a tall one, and lifted the marks' labels over them), the labels right above the plot
    if layout.get("xaxis", {}).pop("side", None) is not None:
        for mark in layout.get("annotations", []):
            if mark.get("y") == 1 and mark.get("yanchor") == "bottom":
                mark.pop("yshift", None)
    legend = sum(1 for t in spec.get("data", []) if t.get("showlegend", True) and t.get("name")) > 1
    # room for a value written past the longest bar; a legend goes to the foot of the figure, where it cannot run
    # into a marked line's label at the top (연중 경과율, 기준일) nor into the axis title
    layout["margin"] = {"l": 10, "r": 45, "t": 70, "b": 90 if legend else 40}
    meta = layout.get("meta")
    if isinstance(meta, dict) and meta.get("footnote_lines"):  # room for charts.footnote under the plot
        layout["margin"]["b"] += int(meta["footnote_lines"]) * charts.FOOTNOTE_LINE_PX + 40
    for axis in ("xaxis", "yaxis"):  # a printed page is drawn once: plotly may size its margins to the labels
        layout.setdefault(axis, {})["automargin"] = True
    if legend:
        layout["legend"] = {**layout.get("legend", {}), "orientation": "h", "x": 0, "xanchor": "left",
                            "yref": "container", "y": 0.005, "yanchor": "bottom"}
    return spec


# Every value is escaped by the template (autoescape); only the page's own CSS, plotly.js and the figures' JSON
# (made safe for a <script> by safe_text.script_json) are marked `safe` and go in as they are.
HTML_TEMPLATE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ meta.title }} ({{ meta.as_of_text }})</title>
<style>{{ css | safe }}{{ present_css | safe }}</style>
</head>
<body>
{% for page in pages %}{% set slide = page.slide %}<section class="slide" id="slide-{{ page.n }}" data-key="{{ slide.key }}">
<div class="top"><span>{{ meta.district }} {{ meta.division }} · {{ meta.report_title }}</span>
<span>{{ page.n }} / {{ pages | length }}</span></div>
<h1>{{ slide.title }}</h1>
<p class="subtitle">{{ slide.subtitle }}</p>
<div class="cards">{% for h, value, unit in page.cards %}<div class="card"><div class="label">{{ h.label }}</div>\
<div class="value">{{ value }}{% if unit %}<small>{{ unit }}</small>{% endif %}</div>\
{% if h.help %}<div class="help">{{ h.help }}</div>{% endif %}</div>{% endfor %}</div>
<div class="body"><div class="text"><ul>{% for text in slide.findings %}<li>{{ text }}</li>{% endfor %}</ul>\
{% for text in slide.notes %}<p class="note">※ {{ text }}</p>{% endfor %}</div>\
{% if slide.chart is none %}<div class="nodata">{{ no_data }}</div>\
{% else %}<div class="chart" id="chart-{{ page.n }}" data-chart="{{ slide.chart_name }}"></div>{% endif %}</div>
<footer><span class="asof"><b>{{ meta.as_of_text }}</b></span><span class="filters">{{ meta.filters_text }}</span>
<span class="sources">{{ page.sources }}</span></footer>
</section>
{% endfor %}<nav class="deck-nav" aria-label="{{ nav.label }}">\
<button type="button" id="deck-prev" aria-keyshortcuts="ArrowLeft PageUp">← {{ nav.prev }}</button>\
<span class="counter" id="deck-counter" aria-live="polite">1 / {{ pages | length }}</span>\
<button type="button" id="deck-next" aria-keyshortcuts="ArrowRight PageDown">{{ nav.next }} →</button>\
<span class="hint">{{ nav.hint }}</span></nav>
<script>
{{ plotly_js | safe }}
{{ deck_js | safe }}
</script>
</body>
</html>
""")


def briefing_html(slides: Sequence[Slide], meta: Meta) -> str:
    """One self-contained HTML file: a slide per A4 landscape page, plotly.js inlined once, charts interactive; on
    screen a slideshow (one slide filling the window; ← → PageUp PageDown Home End or the buttons), printed every page.

    Every page repeats the as-of date, the filters and its sources, so a printed page stands on its own. Text from
    the data is escaped by the template, and the charts' JSON cannot end the script that draws them.
    """
    lang = meta.lang
    figures = {f"chart-{n}": _print_figure(s.chart) for n, s in enumerate(slides, start=1) if s.chart is not None}
    pages = [{"n": n, "slide": s, "cards": [(h, *value_parts(h)) for h in s.headlines],
              "sources": tr("출처: 보고서 {sources}", lang, sources=s.source_text)} for n, s in enumerate(slides, start=1)]
    return HTML_TEMPLATE.render(
        lang="en" if lang == ENGLISH else "ko", meta=meta, pages=pages, css=CSS, present_css=PRESENT_CSS,
        plotly_js=get_plotlyjs(), no_data=tr("선택한 필터에 해당하는 자료가 없습니다.", lang),
        deck_js=DECK_JS % {"figures": script_json(figures), "config": script_json(PLOT_CONFIG), "bar": NAV_BAR_PX},
        nav={"label": tr("슬라이드 넘기기", lang), "prev": tr("이전", lang), "next": tr("다음", lang),
             "hint": tr("← → 키로 넘깁니다", lang)},
    )


def html_file_name(as_of: str) -> str:
    """The HTML download's name, e.g. ydp_briefing_2023-05-31.html."""
    return f"ydp_briefing_{as_of[:10]}.html"


def pdf_file_name(as_of: str) -> str:
    """The PDF download's name, e.g. ydp_briefing_2023-05-31.pdf."""
    return f"ydp_briefing_{as_of[:10]}.pdf"


# --- the PDF -------------------------------------------------------------------------------------
class PdfError(RuntimeError):
    """The PDF could not be made (Chromium missing, failing or too slow); the message says which."""


def chromium_available(chromium: str | None = None) -> bool:
    """Whether Debian's Chromium is installed where briefing_pdf looks for it (CHROMIUM, read at each call)."""
    chromium = chromium or CHROMIUM
    return os.path.isfile(chromium) and os.access(chromium, os.X_OK)


class PdfBusy(PdfError):
    """Every PDF slot of this server process stayed taken for the whole wait: the visitor is asked to retry."""


_PDF_SLOTS = threading.BoundedSemaphore(PDF_SLOTS)


def briefing_pdf(html_text: str, chromium: str | None = None, timeout: float = PDF_TIMEOUT_S,
                 wait: float | None = None) -> bytes:
    """The briefing HTML printed to PDF by headless Chromium (one run, in a temporary folder, with a timeout).

    At most PDF_SLOTS Chromium runs at once per server process (each is about ten processes); a request waits up to
    `wait` seconds (PDF_WAIT_S when None) for a slot and then raises PdfBusy, so a crowd pressing the button cannot swamp the machine.
    """
    chromium = chromium or CHROMIUM  # read at each call, so that the one setting moves both checks
    if not chromium_available(chromium):
        raise PdfError(f"PDF를 만들 Chromium이 없습니다 ({chromium}). Debian에서는 'apt-get install chromium "
                       "fonts-noto-cjk'로 설치합니다. (Chromium is not installed, so no PDF can be printed.)")
    if not _PDF_SLOTS.acquire(timeout=max(0.0, PDF_WAIT_S if wait is None else wait)):
        raise PdfBusy("다른 PDF를 만드는 중입니다. 잠시 뒤 다시 누르세요. "
                      "(Other PDFs are being made right now; press again in a moment.)")
    try:
        return _print_pdf(html_text, chromium, timeout)
    finally:
        _PDF_SLOTS.release()


def _print_pdf(html_text: str, chromium: str, timeout: float) -> bytes:
    """One Chromium run in its own process group; the group is gone, stragglers and all, when this returns."""
    with tempfile.TemporaryDirectory(prefix="ydp-briefing-") as tmp:
        source, out = Path(tmp) / "briefing.html", Path(tmp) / "briefing.pdf"
        source.write_text(html_text, encoding="utf-8")
        command = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000", "--no-pdf-header-footer",
                   f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}", source.as_uri()]
        log = Path(tmp) / "chromium.log"
        # its own process group, so that the launcher script and every Chromium process it started stop together;
        # output to a file, not a pipe: a straggler holding a pipe open would keep us waiting past the run
        with log.open("wb") as output:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                                       start_new_session=True)
        try:
            finished = _exited(process.pid, timeout)
        finally:
            # before the launcher is reaped its pid, the group's id, cannot be reused: stop whatever is left of the
            # group (all of it on a timeout, stragglers after a normal exit), then reap
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            # a killed process lives on until the kernel has torn it down: wait for that, so that a released slot
            # means the run's processes are gone, not dying
            _group_gone(process.pid, GROUP_EXIT_WAIT_S)
            process.wait()
        if not finished:
            raise PdfError(f"Chromium이 {timeout:.0f}초 안에 PDF를 만들지 못했습니다. (Chromium timed out.)")
        pdf = out.read_bytes() if out.exists() else b""
        if not pdf.startswith(b"%PDF"):
            tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
            raise PdfError(f"Chromium이 PDF를 만들지 못했습니다 (종료 코드 {process.returncode}): " + " / ".join(tail))
        return pdf


def _group_gone(pgid: int, timeout: float) -> bool:
    """Whether no process of group pgid is left but zombies within timeout seconds (read from /proc)."""
    deadline = time.monotonic() + timeout
    while _group_alive(pgid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def _group_alive(pgid: int) -> bool:
    """Whether a process of group pgid is in /proc and not a zombie (without /proc: no way to tell, so no)."""
    if not Path("/proc").is_dir():
        return False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, ...
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X", "x"):
            return True
    return False


def _exited(pid: int, timeout: float) -> bool:
    """Whether the child exited within timeout seconds, left unreaped (a zombie) so that its pid stays taken."""
    deadline = time.monotonic() + timeout
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True
