"""The meeting briefing: one slide per business line, built from the database for the chosen filters and money unit.

Pure functions (no streamlit), so the page, the HTML file and the PDF show the same slides: `build_slides` and
`build_meta` read the database, `briefing_html` writes one self-contained file (plotly.js inlined once, no
network needed) and `briefing_pdf` prints that file with Debian's Chromium, one A4 landscape page per slide.
Text is Korean, or English with the report's names kept in Korean beside (lang, as ydp_data.findings does).
"""

from __future__ import annotations

import calendar
import html
import json
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from ydp_data import briefing_findings as bf
from ydp_data import charts, findings, queries
from ydp_data.db import Database
from ydp_data.filters import Filters
from ydp_data.formatting import KIND_LABELS, MONEY_DECIMALS, MONEY_FACTORS, money, money_in_unit, pct
from ydp_data.i18n import ENGLISH, UNITS, localise_figure, translate
from ydp_data.theme import FONT

CHROMIUM = "/usr/bin/chromium"
PDF_TIMEOUT_S = 60.0
SLIDE_PARAM = "slide"
SOURCE_ORDER = ["국비", "시비", "구비"]
KOREAN = bf.KOREAN
HANGUL = re.compile(r"[가-힣]")
LINES: tuple[tuple[str, tuple[str, ...]], ...] = (  # business-line slides and their programs, in report order
    ("jobs", ("Ⅱ-1", "Ⅲ-1")), ("public_jobs", ("Ⅱ-2",)), ("social_economy", ("Ⅱ-3",)), ("youth", ("Ⅱ-4", "Ⅲ-2")),
)

TITLES: dict[str, str] = {
    "overview": "일자리정책과 한눈에 보기", "jobs": "일자리: 고용기회와 맞춤형 교육", "public_jobs": "공공분야 일자리",
    "social_economy": "상생기업: 사회적경제 지원", "youth": "청년: 커뮤니티와 취업 지원", "organisation": "조직과 인력",
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


def build_slides(db: Database, f: Filters, unit: str, lang: str = KOREAN) -> list[Slide]:
    """The briefing for these filters: the overview, each business line with a program in the chosen teams,
    the organisation and the plans, in the report's order (a line outside the chosen teams is left out)."""
    c = _Ctx(db, f, unit, lang, build_meta(db, f, unit, lang), queries.checks(db, f))
    chosen = set(queries.programs(db, f)["program_id"])
    budgets = queries.budget_by_program(db, f)
    builders = {"jobs": _jobs, "public_jobs": _public_jobs, "social_economy": _social_economy, "youth": _youth}
    slides = [_overview(c)]
    for key, programs in LINES:
        if chosen & set(programs):
            slides.append(builders[key](c, _Line(tuple(p for p in programs if p in chosen), budgets, c)))
    slides += [_organisation(c), _plans(c)]
    for slide in slides:
        if slide.chart is not None:
            _finish(slide.chart, lang)
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
    """The report's own discrepancies among these checks, one finding each."""
    rows = c.checks[c.checks["check_id"].isin(ids) & (c.checks["status"] == "fail")]
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
    for note in fig.layout.annotations or ():
        note.text = tr(note.text, lang)
    months = fig.layout.xaxis.ticktext
    if months and all(re.fullmatch(r"\d{1,2}월", str(m)) for m in months):
        fig.layout.xaxis.ticktext = [calendar.month_abbr[int(str(m)[:-1])] for m in months]


class _Line:
    """Budget, spending and rate of a business line's programs within the chosen teams and sources."""

    def __init__(self, programs: tuple[str, ...], budgets: pd.DataFrame, c: _Ctx) -> None:
        """Sum the rows of budget_by_program that belong to these programs."""
        self.programs, self.c = programs, c
        rows = budgets[budgets["program_id"].isin(programs)]
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
        """Execution against the year elapsed, and the report's own rate discrepancies for the line."""
        c = self.c
        if not self.budget:
            return [bf.no_budget(c.f.sources, c.lang)]
        found = [findings.execution_against_year(float(self.rate or 0), c.meta.elapsed_pct, c.lang)]
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
    execution = queries.program_execution(c.db, f)
    units = queries.budget_by_unit_program(c.db, f)
    filtered = f.teams_filtered or f.sources_filtered
    sep = ", " if c.lang == ENGLISH else "·"
    parts = [sep.join(bf.short_name(t, c.lang) for t in f.teams) if f.teams_filtered else "",
             sep.join(bf.short_name(s, c.lang) for s in f.sources) if f.sources_filtered else ""]
    scope = " · ".join(p for p in parts if p) or c.t("전체")
    chosen_rate = None if pd.isna(chosen["rate"]) else float(chosen["rate"])
    found = [c.t("과 전체 ") + findings.execution_against_year(float(total["rate"]), meta.elapsed_pct, c.lang)]
    if filtered:
        found.append(c.t("주요사업({scope}) ", scope=scope)
                     + findings.execution_against_year(chosen_rate, meta.elapsed_pct, c.lang)
                     if chosen_rate is not None else c.t("주요사업({scope})의 예산이 없습니다.", scope=scope))
    found.append(findings.discrepancies(int((c.checks["status"] == "fail").sum()), c.lang))
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
        chart=_chart(execution, lambda: charts.rate_against_mark(
            execution, "title", "rate", meta.elapsed_pct, title="주요사업별 집행률과 연중 경과율",
            mark_label=c.t("연중 경과율"), color_by="team")),
        chart_name="briefing_overview", chart_data=execution,
        chart_columns=["program_id", "title", "team", "rate", "elapsed_pct", "source"],
        chart_sources=_sources(execution["source"]), sources=_sources([*units["source"], *execution["source"]]),
        notes=[bf.filter_not_applied(["팀", "재원"], c.t("과 전체 예산"), c.lang)] if filtered else [],
    )


def _jobs(c: _Ctx, line: _Line) -> Slide:
    """일자리 (Ⅱ-1, Ⅲ-1): Job Plus Center placements and customised training."""
    center = queries.facts(c.db, c.f, program_id="Ⅱ-1", categories=["일자리플러스센터"])
    courses = queries.facts(c.db, c.f, program_id="Ⅲ-1", measures=["교육인원"])
    stages = center[center["unit"] != "%"]
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
        chart=_chart(stages, lambda: charts.funnel(stages, "measure", "value", "unit",
                                                   title=c.t("일자리플러스센터: 구인에서 취업까지"))),
        chart_name="briefing_jobs", chart_data=stages, chart_columns=["measure", "value", "unit", "period", "source"],
        chart_sources=_sources(stages["source"]),
        sources=_sources([*line.sources, *center["source"], *courses["source"]]), notes=line.notes(),
    )


def _public_jobs(c: _Ctx, line: _Line) -> Slide:
    """공공일자리 (Ⅱ-2): first-half selections against the targets, with the report's own 448 ≠ 446."""
    people = queries.public_work_people(c.db, c.f)
    annual = queries.facts(c.db, c.f, program_id="Ⅱ-2", measures=["목표인원"], kind="target")
    target = float(annual[annual["period"].str.len() == 4]["value"].sum())
    selected = float(people["selected_h1"].sum()) if not people.empty else 0.0
    found = [*line.findings(),
             findings.progress_against_target(selected, target, c.t("상반기 선발인원 (연간 목표 대비)"), "명", c.lang),
             *_failed(c, ["publicwork.target.annual"])]
    return Slide(
        key="public_jobs", title=c.t(TITLES["public_jobs"]), subtitle=_subtitle(c, line.programs),
        headlines=[*line.headlines(), Headline(c.t("상반기 선발인원"), c.count(selected, "명")),
                   Headline(c.t("연간 목표인원 (보고서)"), c.count(target, "명"))],
        findings=found,
        chart=_chart(people, lambda: charts.paired_bars(
            people, "subprogram", [("selected_h1", "실적"), ("target_h2", "목표")],
            title="세부사업별 상반기 선발인원(실적)과 하반기 목표인원", unit="명")),
        chart_name="briefing_public_jobs", chart_data=people,
        chart_columns=["subprogram", "selected_h1", "target_h2", "source"], chart_sources=_sources(people["source"]),
        sources=_sources([*line.sources, *people["source"], *annual["source"]]), notes=line.notes(),
    )


def _social_economy(c: _Ctx, line: _Line) -> Slide:
    """상생기업 (Ⅱ-3): grants by funding source, firms supported and public procurement against its target."""
    grants = queries.split_by_source(c.db, c.f, program_id="Ⅱ-3", measure="지원액")
    firms = queries.facts(c.db, c.f, program_id="Ⅱ-3", measures=["지원기업"])
    buying = queries.facts(c.db, c.f, program_id="Ⅱ-3", categories=["공공구매 활성화"])
    actual, goal = _money_fact(_fact(buying, "구매 실적")), _money_fact(_fact(buying, "목표액"))
    found = line.findings()
    if actual is not None and goal is not None:
        factor = MONEY_FACTORS[c.unit]
        found.append(findings.progress_against_target(actual / factor, goal / factor, c.t("공공구매 실적"), c.unit,
                                                      c.lang))
        found += _failed(c, ["procurement.rate"])
    shown = money_in_unit(grants, c.unit)
    return Slide(
        key="social_economy", title=c.t(TITLES["social_economy"]), subtitle=_subtitle(c, line.programs),
        headlines=[*line.headlines(),
                   Headline(c.t("재정지원 기업"), c.count(firms["value"].sum() if not firms.empty else None, "개소")),
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
    planned = float(youth4.loc[youth4["kind"] == "plan", "value"].sum())
    found = line.findings()
    if not orang.empty:
        found.append(bf.results("서울청년센터 영등포 오랑", [(str(r["measure"]), float(r["value"]), str(r["unit"]))
                                                     for _, r in orang.iterrows()], c.lang))
    if not youth4.empty:
        found.append(bf.actual_and_plan(done, planned, c.t("4차산업 분야 청년 프로그램 참여인원"), "명", c.lang))
    labelled = youth4.assign(kind=youth4["kind"].map(lambda k: KIND_LABELS.get(k, k)))  # 실적/계획 take their colours
    visitors = _fact(orang, "이용인원")
    return Slide(
        key="youth", title=c.t(TITLES["youth"]), subtitle=_subtitle(c, line.programs),
        headlines=[*line.headlines(), Headline(c.t("오랑 이용인원"), c.count(None if visitors is None else visitors["value"], "명")),
                   Headline(c.t("4차산업 프로그램 참여 (실적)"), c.count(done if not youth4.empty else None, "명"))],
        findings=found,
        chart=_chart(youth4, lambda: charts.value_bars(
            labelled, "category", "value", title="4차산업 분야 청년 프로그램 참여인원 (실적·하반기 계획)", unit="명",
            color_by="kind")),
        chart_name="briefing_youth", chart_data=youth4,
        chart_columns=["category", "kind", "period", "value", "unit", "source"], chart_sources=_sources(youth4["source"]),
        sources=_sources([*line.sources, *orang["source"], *youth4["source"]]), notes=line.notes(),
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
        chart=_chart(staff, lambda: charts.paired_bars(
            staff, "grade", [("authorized", "정원"), ("current", "현원")], title="직급별 정원과 현원 (일반직)", unit="명")),
        chart_name="briefing_organisation", chart_data=staff,
        chart_columns=["job_series", "grade", "authorized", "current", "difference", "source"],
        chart_sources=_sources(staff["source"]), sources=_sources([*staff["source"], *places["source"]]),
        notes=[bf.filter_not_applied(missing, c.t("정원·현원"), c.lang)] if missing else [],
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
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
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
.card .help {{ font-size: 9.5pt; color: #777; }}
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


def _e(text: object) -> str:
    """Text escaped for HTML (quotes too, as it also goes into attributes)."""
    return html.escape(str(text), quote=True)


_NUMBER = re.compile(r"^([△+-]?[\d,.]+%?)\s*(\S.*)?$")


def _value(text: str) -> str:
    """A headline value with its unit set smaller, so '7,113.9 KRW 1M' stays on one line."""
    found = _NUMBER.match(text)
    if not found or not found[2]:
        return _e(text)
    return f"{_e(found[1])}<small>{_e(found[2])}</small>"


def _print_figure(fig: go.Figure) -> dict[str, object]:
    """The figure as plotly JSON, to be sized by its box on the page (the builders' heights are for the dashboard)."""
    spec = json.loads(pio.to_json(fig, validate=False))
    layout = spec.setdefault("layout", {})
    layout.pop("height", None)
    layout.pop("width", None)
    ticks = layout.get("xaxis", {}).get("ticktext")
    if ticks and all(re.fullmatch(r"\d{1,2}월", str(t)) for t in ticks):  # '6' under an axis titled (월): no tilt
        layout["xaxis"]["ticktext"] = [str(t)[:-1] for t in ticks]
    legend = sum(1 for t in spec.get("data", []) if t.get("showlegend", True) and t.get("name")) > 1
    # room for a value written past the longest bar; a legend goes to the foot of the figure, where it cannot run
    # into a marked line's label at the top (연중 경과율, 기준일) nor into the axis title
    layout["margin"] = {"l": 10, "r": 45, "t": 70, "b": 90 if legend else 40}
    for axis in ("xaxis", "yaxis"):  # a printed page is drawn once: plotly may size its margins to the labels
        layout.setdefault(axis, {})["automargin"] = True
    if legend:
        layout["legend"] = {**layout.get("legend", {}), "orientation": "h", "x": 0, "xanchor": "left",
                            "yref": "container", "y": 0.005, "yanchor": "bottom"}
    return spec


def briefing_html(slides: Sequence[Slide], meta: Meta) -> str:
    """One self-contained HTML file: a slide per A4 landscape page, plotly.js inlined once, charts interactive.

    Every page repeats the as-of date, the filters and its sources, so a printed page stands on its own.
    """
    lang = meta.lang
    sections, figures = [], {}
    for n, slide in enumerate(slides, start=1):
        cards = "".join(
            f'<div class="card"><div class="label">{_e(h.label)}</div><div class="value">{_e(h.value) + f"<small>{_e(h.unit)}</small>" if h.unit and h.value != "-" else _value(h.value)}</div>'
            + (f'<div class="help">{_e(h.help)}</div>' if h.help else "") + "</div>" for h in slide.headlines)
        items = "".join(f"<li>{_e(t)}</li>" for t in slide.findings)
        notes = "".join(f'<p class="note">※ {_e(t)}</p>' for t in slide.notes)
        if slide.chart is None:
            chart = f'<div class="nodata">{_e(tr("선택한 필터에 해당하는 자료가 없습니다.", lang))}</div>'
        else:
            figures[f"chart-{n}"] = _print_figure(slide.chart)
            chart = f'<div class="chart" id="chart-{n}" data-chart="{_e(slide.chart_name)}"></div>'
        sections.append(f"""<section class="slide" id="slide-{n}" data-key="{_e(slide.key)}">
<div class="top"><span>{_e(meta.district)} {_e(meta.division)} · {_e(meta.report_title)}</span>
<span>{n} / {len(slides)}</span></div>
<h1>{_e(slide.title)}</h1>
<p class="subtitle">{_e(slide.subtitle)}</p>
<div class="cards">{cards}</div>
<div class="body"><div class="text"><ul>{items}</ul>{notes}</div>{chart}</div>
<footer><span class="asof"><b>{_e(meta.as_of_text)}</b></span><span class="filters">{_e(meta.filters_text)}</span>
<span class="sources">{_e(tr("출처: 보고서 {sources}", lang, sources=slide.source_text))}</span></footer>
</section>""")
    data = json.dumps(figures, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="{'en' if lang == ENGLISH else 'ko'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(meta.title)} ({_e(meta.as_of_text)})</title>
<style>{CSS}</style>
</head>
<body>
{chr(10).join(sections)}
<script>
{get_plotlyjs()}
;(function () {{
  var figures = {data};
  var config = {json.dumps(PLOT_CONFIG)};
  Object.keys(figures).forEach(function (id) {{
    var box = document.getElementById(id), fig = figures[id];
    fig.layout.width = box.clientWidth;
    fig.layout.height = box.clientHeight;
    Plotly.newPlot(box, fig.data, fig.layout, config);
  }});
}})();
</script>
</body>
</html>
"""


_MARKDOWN = re.compile(r"([\\`*_~$\[\]<>#|])")


def markdown_text(text: str) -> str:
    """Plain text made safe for st.markdown: '2~3기' is not struck through, '$' starts no formula."""
    return _MARKDOWN.sub(r"\\\1", text)


def html_file_name(as_of: str) -> str:
    """The HTML download's name, e.g. ydp_briefing_2023-05-31.html."""
    return f"ydp_briefing_{as_of[:10]}.html"


def pdf_file_name(as_of: str) -> str:
    """The PDF download's name, e.g. ydp_briefing_2023-05-31.pdf."""
    return f"ydp_briefing_{as_of[:10]}.pdf"


# --- the PDF -------------------------------------------------------------------------------------
class PdfError(RuntimeError):
    """The PDF could not be made (Chromium missing, failing or too slow); the message says which."""


def chromium_available(chromium: str = CHROMIUM) -> bool:
    """Whether Debian's Chromium is installed where briefing_pdf looks for it."""
    return os.path.isfile(chromium) and os.access(chromium, os.X_OK)


def briefing_pdf(html_text: str, chromium: str = CHROMIUM, timeout: float = PDF_TIMEOUT_S) -> bytes:
    """The briefing HTML printed to PDF by headless Chromium (one run, in a temporary folder, with a timeout)."""
    if not chromium_available(chromium):
        raise PdfError(f"PDF를 만들 Chromium이 없습니다 ({chromium}). Debian에서는 'apt-get install chromium "
                       "fonts-noto-cjk'로 설치합니다. (Chromium is not installed, so no PDF can be printed.)")
    with tempfile.TemporaryDirectory(prefix="ydp-briefing-") as tmp:
        source, out = Path(tmp) / "briefing.html", Path(tmp) / "briefing.pdf"
        source.write_text(html_text, encoding="utf-8")
        command = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--run-all-compositor-stages-before-draw", "--virtual-time-budget=10000", "--no-pdf-header-footer",
                   f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={out}", source.as_uri()]
        # its own process group, so a timeout stops the launcher script and every Chromium process it started
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfError(f"Chromium이 {timeout:.0f}초 안에 PDF를 만들지 못했습니다. (Chromium timed out.)") from exc
        pdf = out.read_bytes() if out.exists() else b""
        if not pdf.startswith(b"%PDF"):
            tail = err.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PdfError(f"Chromium이 PDF를 만들지 못했습니다 (종료 코드 {process.returncode}): " + " / ".join(tail))
        return pdf
