"""The meeting briefing: one slide per business line, built from the database for the chosen filters and money unit.

Pure functions (no streamlit), so the page, the HTML file and the PDF show the same slides: `build_slides` and
`build_meta` read the database, `briefing_html` writes one self-contained file (plotly.js inlined once, no
network needed) and `briefing_pdf` prints that file with Debian's Chromium, one A4 landscape page per slide.
"""

from __future__ import annotations

import html
import json
import os
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
from ydp_data.filters import Filters, parse_query
from ydp_data.formatting import COLUMNS, KIND_LABELS, MONEY_DECIMALS, MONEY_FACTORS, fact_money_to, money, number, pct
from ydp_data.theme import FONT

CHROMIUM = "/usr/bin/chromium"
PDF_TIMEOUT_S = 60.0
SLIDE_PARAM = "slide"
SOURCE_ORDER = ["국비", "시비", "구비"]


# --- the slides ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Headline:
    """One large figure on a slide: what it is and its formatted value (unit included)."""

    label: str
    value: str
    help: str = ""


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
    teams: str
    sources: str

    @property
    def title(self) -> str:
        return f"{self.district} {self.division} 회의 브리핑"

    @property
    def filters_text(self) -> str:
        """The filters in words, e.g. '팀: 청년지원팀 · 재원: 국비 · 금액 단위: 천원'."""
        return f"팀: {self.teams} · 재원: {self.sources} · 금액 단위: {self.unit}"


def build_meta(db: Database, f: Filters, unit: str) -> Meta:
    """The report, as-of date and filter wording that frame every slide."""
    info = queries.report(db, f)
    return Meta(
        district=str(info["district"]), division=str(info["division"]), report_title=str(info["title"]),
        as_of=pd.Timestamp(info["as_of"]).strftime("%Y-%m-%d"), elapsed_pct=float(info["elapsed_pct"]), unit=unit,
        teams="·".join(f.teams) if f.teams_filtered else "전체",
        sources="·".join(f.sources) if f.sources_filtered else "전체",
    )


def build_slides(db: Database, f: Filters, unit: str) -> list[Slide]:
    """The briefing for these filters: the overview, each business line with a program in the chosen teams,
    the organisation and the plans, in the report's order."""
    meta = build_meta(db, f, unit)
    checks = queries.checks(db, f)
    chosen = set(queries.programs(db, f)["program_id"])
    budgets = queries.budget_by_program(db, f)
    slides = [_overview(db, f, unit, meta, checks)]
    for build, programs in ((_jobs, ("Ⅱ-1", "Ⅲ-1")), (_public_jobs, ("Ⅱ-2",)), (_social_economy, ("Ⅱ-3",)),
                            (_youth, ("Ⅱ-4", "Ⅲ-2"))):
        if chosen & set(programs):
            line = _Line(tuple(p for p in programs if p in chosen), budgets, f, unit, meta.elapsed_pct, checks)
            slides.append(build(db, f, unit, line))
    slides.append(_organisation(db, f))
    slides.append(_plans(db, f, meta))
    return slides


# --- shared pieces -------------------------------------------------------------------------------
def rate(executed: float, budget: float) -> float | None:
    """Execution rate in % to one decimal, rounded half up as the database's ROUND does; None without a budget."""
    if not budget:
        return None
    exact = Decimal(int(executed)) * 100 / Decimal(int(budget))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def in_unit(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Money columns (천원 in the data) and money facts restated in the chosen unit, for a chart."""
    out = fact_money_to(frame, unit)
    for col in out.columns:
        if COLUMNS.get(col, ("", ""))[1] == "money":
            out[col] = out[col].astype("float64") / MONEY_FACTORS[unit]
    return out


def _unique(values: Iterable[object]) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values if v is not None and str(v) and str(v) != "nan"))


def _fact(frame: pd.DataFrame, measure: str) -> pd.Series | None:
    rows = frame[frame["measure"] == measure]
    return rows.iloc[0] if len(rows) else None


def _count(row: pd.Series | None) -> str:
    """A count fact as written, e.g. '420명' or '70.5명'; '-' when the filters leave it out."""
    if row is None:
        return "-"
    value = float(row["value"])
    return f"{number(value, 0 if value.is_integer() else 1)}{row['unit']}"


def _money_fact(row: pd.Series | None) -> float | None:
    """A money fact (written in 백만원 or 억원) in 천원, to be formatted in the chosen unit."""
    if row is None:
        return None
    return float(row["value"]) * MONEY_FACTORS[str(row["unit"])]


def _failed(checks: pd.DataFrame, ids: Sequence[str], decimals: int = 0) -> list[str]:
    """The report's own discrepancies among these checks, one finding each."""
    rows = checks[checks["check_id"].isin(ids) & (checks["status"] == "fail")]
    return [bf.report_discrepancy(str(r["description"]), float(r["expected"]), float(r["computed"]), str(r["unit"]),
                                  str(r["source"]), decimals=1 if r["unit"] == "%" else decimals)
            for _, r in rows.iterrows()]


def _chart_or_none(frame: pd.DataFrame, build: Callable[[], go.Figure]) -> go.Figure | None:
    """The chart, or None when the filters leave it no rows (the page and the file then say so)."""
    return None if frame.empty else build()


class _Line:
    """Budget, spending and rate of a business line's programs within the chosen teams and sources."""

    def __init__(self, programs: tuple[str, ...], budgets: pd.DataFrame, f: Filters, unit: str, elapsed: float,
                 checks: pd.DataFrame) -> None:
        self.programs, self.f, self.unit, self.elapsed, self.checks = programs, f, unit, elapsed, checks
        rows = budgets[budgets["program_id"].isin(programs)]
        self.budget, self.executed = int(rows["budget"].sum()), int(rows["executed"].sum())
        self.rate = rate(self.executed, self.budget)
        self.sources = _unique(rows["source"])

    @property
    def scope(self) -> str:
        """The programs, and the chosen sources when they are filtered, e.g. 'Ⅱ-4·Ⅲ-2, 국비'."""
        text = "·".join(self.programs)
        return text + (f", {'·'.join(self.f.sources)}" if self.f.sources_filtered else "")

    def headlines(self) -> list[Headline]:
        money_help = "선택한 재원의 예산이 이 사업에는 없습니다" if not self.budget else ""
        return [
            Headline(f"예산액 ({self.scope})", money(self.budget, self.unit) if self.budget else "-", money_help),
            Headline(f"집행률 ({self.scope})", pct(self.rate),
                     f"집행액 {money(self.executed, self.unit)} ÷ 예산액 {money(self.budget, self.unit)}"
                     if self.budget else money_help),
        ]

    def findings(self) -> list[str]:
        if not self.budget:
            return [bf.no_budget(self.f.sources)]
        found = [findings.execution_against_year(float(self.rate or 0), self.elapsed)]
        if not self.f.sources_filtered:  # the report states rates for all sources together
            found += _failed(self.checks, [f"program.{p}.rate" for p in self.programs])
        return found

    def notes(self) -> list[str]:
        return [bf.filter_not_applied(["재원"], "실적 수치")] if self.f.sources_filtered else []


# --- one builder per slide -------------------------------------------------------------------------
def _overview(db: Database, f: Filters, unit: str, meta: Meta, checks: pd.DataFrame) -> Slide:
    total = queries.division_budget(db, f).iloc[0]
    chosen = queries.programs_budget_total(db, f).iloc[0]
    execution = queries.program_execution(db, f)
    units = queries.budget_by_unit_program(db, f)
    filtered = f.teams_filtered or f.sources_filtered
    scope = " · ".join(p for p in (meta.teams if f.teams_filtered else "",
                                   meta.sources if f.sources_filtered else "") if p) or "전체"
    chosen_rate = None if pd.isna(chosen["rate"]) else float(chosen["rate"])
    found = ["과 전체 " + findings.execution_against_year(float(total["rate"]), meta.elapsed_pct)]
    if filtered:
        found.append(f"주요사업({scope}) " + findings.execution_against_year(chosen_rate, meta.elapsed_pct)
                     if chosen_rate is not None else f"주요사업({scope})의 예산이 없습니다.")
    found.append(findings.discrepancies(int((checks["status"] == "fail").sum())))
    return Slide(
        key="overview", title="일자리정책과 한눈에 보기",
        subtitle=f"{meta.report_title} · 연중 경과율 {meta.elapsed_pct:.1f}% (기준일까지 지난 날 ÷ 365일)",
        headlines=[
            Headline("예산액 (과 전체)", money(total["budget"], unit), f"집행액 {money(total['executed'], unit)}"),
            Headline("집행률 (과 전체)", pct(total["rate"])),
            Headline(f"예산액 (주요사업 {scope})", money(chosen["budget"], unit), f"집행액 {money(chosen['executed'], unit)}"),
            Headline(f"집행률 (주요사업 {scope})", pct(chosen_rate)),
        ],
        findings=found,
        chart=_chart_or_none(execution, lambda: charts.rate_against_mark(
            execution, "title", "rate", meta.elapsed_pct, title="주요사업별 집행률과 연중 경과율",
            mark_label="연중 경과율", color_by="team")),
        chart_name="briefing_overview", chart_data=execution,
        chart_columns=["program_id", "title", "team", "rate", "elapsed_pct", "source"],
        chart_sources=_unique(execution["source"]) or ["Ⅱ·Ⅲ 각 사업 예산현황"],
        sources=_unique([*units["source"], *execution["source"]]),
        notes=[bf.filter_not_applied(["팀", "재원"], "과 전체 예산")] if filtered else [],
    )


def _jobs(db: Database, f: Filters, unit: str, line: _Line) -> Slide:
    center = queries.facts(db, f, program_id="Ⅱ-1", categories=["일자리플러스센터"])
    courses = queries.facts(db, f, program_id="Ⅲ-1", measures=["교육인원"])
    stages = center[center["unit"] != "%"]
    seekers, employed = _fact(center, "구직자"), _fact(center, "취업자")
    found = line.findings()
    if seekers is not None and employed is not None:
        found.append("일자리플러스센터: " + bf.share_of(float(employed["value"]), float(seekers["value"]),
                                                   "구직자", "취업자", "명"))
    if not courses.empty:
        found.append(bf.results("맞춤형 취·창업 교육", [(str(r["category"]), float(r["value"]), str(r["unit"]))
                                                for _, r in courses.iterrows()]))
    return Slide(
        key="jobs", title="일자리: 고용기회와 맞춤형 교육", subtitle=_subtitle(db, f, line.programs),
        headlines=[*line.headlines(), Headline("취업자 (일자리플러스센터)", _count(employed)),
                   Headline("교육인원 (맞춤형 취·창업 교육)",
                            f"{number(courses['value'].sum())}명" if not courses.empty else "-")],
        findings=found,
        chart=_chart_or_none(stages, lambda: charts.funnel(stages, "measure", "value", "unit",
                                                           title="일자리플러스센터: 구인에서 취업까지")),
        chart_name="briefing_jobs", chart_data=stages, chart_columns=["measure", "value", "unit", "period", "source"],
        chart_sources=_unique(stages["source"]),
        sources=_unique([*line.sources, *center["source"], *courses["source"]]), notes=line.notes(),
    )


def _public_jobs(db: Database, f: Filters, unit: str, line: _Line) -> Slide:
    people = queries.public_work_people(db, f)
    annual = queries.facts(db, f, program_id="Ⅱ-2", measures=["목표인원"], kind="target")
    target = float(annual[annual["period"].str.len() == 4]["value"].sum())
    selected = float(people["selected_h1"].sum()) if not people.empty else 0.0
    found = [*line.findings(),
             findings.progress_against_target(selected, target, "상반기 선발인원 (연간 목표 대비)", "명"),
             *_failed(line.checks, ["publicwork.target.annual"])]
    return Slide(
        key="public_jobs", title="공공분야 일자리", subtitle=_subtitle(db, f, line.programs),
        headlines=[*line.headlines(), Headline("상반기 선발인원", f"{number(selected)}명"),
                   Headline("연간 목표인원 (보고서)", f"{number(target)}명")],
        findings=found,
        chart=_chart_or_none(people, lambda: charts.paired_bars(
            people, "subprogram", [("selected_h1", "실적"), ("target_h2", "목표")],
            title="세부사업별 상반기 선발인원(실적)과 하반기 목표인원", unit="명")),
        chart_name="briefing_public_jobs", chart_data=people,
        chart_columns=["subprogram", "selected_h1", "target_h2", "source"], chart_sources=_unique(people["source"]),
        sources=_unique([*line.sources, *people["source"], *annual["source"]]), notes=line.notes(),
    )


def _social_economy(db: Database, f: Filters, unit: str, line: _Line) -> Slide:
    grants = queries.split_by_source(db, f, program_id="Ⅱ-3", measure="지원액")
    firms = queries.facts(db, f, program_id="Ⅱ-3", measures=["지원기업"])
    buying = queries.facts(db, f, program_id="Ⅱ-3", categories=["공공구매 활성화"])
    actual, goal = _money_fact(_fact(buying, "구매 실적")), _money_fact(_fact(buying, "목표액"))
    found = line.findings()
    if actual is not None and goal is not None:
        factor = MONEY_FACTORS[unit]
        found.append(findings.progress_against_target(actual / factor, goal / factor, "공공구매 실적", unit))
        found += _failed(line.checks, ["procurement.rate"])
    shown = in_unit(grants, unit)
    decimals = MONEY_DECIMALS[unit]
    return Slide(
        key="social_economy", title="상생기업: 사회적경제 지원", subtitle=_subtitle(db, f, line.programs),
        headlines=[*line.headlines(),
                   Headline("재정지원 기업", f"{number(firms['value'].sum())}개소" if not firms.empty else "-"),
                   Headline("공공구매 실적", money(actual, unit) if actual is not None else "-",
                            f"목표액 {money(goal, unit)}" if goal is not None else "")],
        findings=found,
        chart=_chart_or_none(grants, lambda: charts.stacked_bars(
            shown, "category", "funding_source", "value", title="재정지원 사업별 지원액의 재원 구성", unit=unit,
            decimals=decimals, order=SOURCE_ORDER)),
        chart_name="briefing_social_economy", chart_data=grants,
        chart_columns=["category", "funding_source", "value", "unit", "category_total", "share_pct", "source"],
        chart_sources=_unique(grants["source"]),
        sources=_unique([*line.sources, *grants["source"], *firms["source"], *buying["source"]]),
        notes=[bf.filter_not_applied(["재원"], "지원기업 수와 공공구매 실적")]
        if f.sources_filtered else [],
    )


def _youth(db: Database, f: Filters, unit: str, line: _Line) -> Slide:
    orang = queries.facts(db, f, program_id="Ⅱ-4", categories=["서울청년센터 영등포 오랑"])
    youth4 = queries.facts(db, f, program_id="Ⅲ-2", measures=["참여인원"])
    done = float(youth4.loc[youth4["kind"] == "actual", "value"].sum())
    planned = float(youth4.loc[youth4["kind"] == "plan", "value"].sum())
    found = line.findings()
    if not orang.empty:
        found.append(bf.results("서울청년센터 영등포 오랑", [(str(r["measure"]), float(r["value"]), str(r["unit"]))
                                                     for _, r in orang.iterrows()]))
    if not youth4.empty:
        found.append(bf.actual_and_plan(done, planned, "4차산업 분야 청년 프로그램 참여인원", "명"))
    labelled = youth4.assign(kind=youth4["kind"].map(lambda k: KIND_LABELS.get(k, k)))
    return Slide(
        key="youth", title="청년: 커뮤니티와 취업 지원", subtitle=_subtitle(db, f, line.programs),
        headlines=[*line.headlines(), Headline("오랑 이용인원", _count(_fact(orang, "이용인원"))),
                   Headline("4차산업 프로그램 참여 (실적)", f"{number(done)}명" if not youth4.empty else "-")],
        findings=found,
        chart=_chart_or_none(youth4, lambda: charts.value_bars(
            labelled, "category", "value", title="4차산업 분야 청년 프로그램 참여인원 (실적·하반기 계획)", unit="명",
            color_by="kind")),
        chart_name="briefing_youth", chart_data=youth4,
        chart_columns=["category", "kind", "period", "value", "unit", "source"], chart_sources=_unique(youth4["source"]),
        sources=_unique([*line.sources, *orang["source"], *youth4["source"]]), notes=line.notes(),
    )


def _organisation(db: Database, f: Filters) -> Slide:
    staff = queries.staffing(db, f)
    places = queries.facilities(db, f)
    authorized, current = int(staff["authorized"].sum()), int(staff["current"].sum())
    diff = current - authorized
    found = [bf.staffing_gap(authorized, current, [(str(r["grade"]), int(r["difference"])) for _, r in staff.iterrows()])]
    if not places.empty:
        counts = places.groupby("team", sort=False).size()
        found.append(bf.results("주요시설", [(str(t), float(n), "개소") for t, n in counts.items()]))
    missing = [name for name, on in (("팀", f.teams_filtered), ("재원", f.sources_filtered)) if on]
    return Slide(
        key="organisation", title="조직과 인력", subtitle="직급별 정원·현원과 팀별 주요시설",
        headlines=[Headline("정원", f"{authorized}명"), Headline("현원", f"{current}명"),
                   Headline("과부족 (현원 − 정원)", f"△{-diff}명" if diff < 0 else f"{diff}명"),
                   Headline("주요시설" + (f" ({'·'.join(f.teams)})" if f.teams_filtered else ""), f"{len(places)}개소")],
        findings=found,
        chart=_chart_or_none(staff, lambda: charts.paired_bars(
            staff, "grade", [("authorized", "정원"), ("current", "현원")], title="직급별 정원과 현원 (일반직)", unit="명")),
        chart_name="briefing_organisation", chart_data=staff,
        chart_columns=["job_series", "grade", "authorized", "current", "difference", "source"],
        chart_sources=_unique(staff["source"]), sources=_unique([*staff["source"], *places["source"]]),
        notes=[bf.filter_not_applied(missing, "정원·현원")] if missing else [],
    )


def _plans(db: Database, f: Filters, meta: Meta) -> Slide:
    plans = queries.plans(db, f)
    month = int(meta.as_of[5:7])
    dated = plans.dropna(subset=["start_month", "end_month"])
    starts = {int(m): int(n) for m, n in dated["start_month"].value_counts().items()}
    following = month % 12 + 1
    found = [bf.plans_outlook(len(plans), starts, len(plans) - len(dated))]
    if not plans.empty:
        by_team = plans.groupby("team", sort=False).size()
        found.append(bf.results("팀별 향후계획", [(str(t), float(n), "건") for t, n in by_team.items()]))
    return Slide(
        key="plans", title="향후계획", subtitle=f"{meta.as_of} 이후 각 사업의 추진 일정 (색은 팀)",
        headlines=[Headline("향후계획", f"{len(plans)}건"), Headline(f"{following}월 시작", f"{starts.get(following, 0)}건"),
                   Headline("시기 미기재", f"{len(plans) - len(dated)}건")],
        findings=found,
        chart=_chart_or_none(dated, lambda: charts.month_timeline(
            plans, "activity", "start_month", "end_month", "team", title=f"향후계획 일정 ({meta.as_of[:4]}년)",
            as_of_month=month)),
        chart_name="briefing_plans", chart_data=plans,
        chart_columns=["program_id", "team", "plan_group", "activity", "schedule", "start_month", "end_month", "source"],
        chart_sources=_unique(plans["source"]), sources=_unique(plans["source"]),
        notes=[bf.filter_not_applied(["재원"])] if f.sources_filtered else [],
    )


def _subtitle(db: Database, f: Filters, programs: Sequence[str]) -> str:
    """The programs of a slide with their titles and team, e.g. 'Ⅱ-2 공공분야 일자리 … · 일자리사업팀'."""
    rows = queries.programs(db, f)
    rows = rows[rows["program_id"].isin(programs)]
    teams = _unique(rows["team"])
    return " / ".join(f"{r['program_id']} {r['title']}" for _, r in rows.iterrows()) + " · " + "·".join(teams)


# --- the self-contained HTML -------------------------------------------------------------------------
PLOT_CONFIG = {"displaylogo": False, "responsive": False, "toImageButtonOptions": {"scale": 2}}

CSS = f"""
@page {{ size: A4 landscape; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "Noto Sans CJK KR", {FONT}; color: #222; background: #e9e9e9; }}
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
.card .value {{ font-size: 24pt; font-weight: 700; line-height: 1.25; color: #0b3d6b; }}
.card .help {{ font-size: 9.5pt; color: #777; }}
.body {{ flex: 1; min-height: 0; display: flex; gap: 6mm; }}
.text {{ width: 36%; font-size: 14pt; line-height: 1.45; }}
.text ul {{ margin: 0; padding-left: 5mm; }}
.text li {{ margin-bottom: 2.5mm; }}
.note {{ font-size: 10.5pt; color: #666; }}
.chart {{ flex: 1; min-width: 0; height: 100%; }}
.nodata {{ flex: 1; display: flex; align-items: center; justify-content: center; font-size: 14pt; color: #666;
  border: 1px dashed #bbb; }}
footer {{ display: flex; gap: 8mm; justify-content: space-between; border-top: 1px solid #ccc; margin-top: 3mm;
  padding-top: 2mm; font-size: 9.5pt; color: #555; }}
footer .sources {{ text-align: right; }}
@media print {{ body {{ background: #fff; }} .slide {{ margin: 0; box-shadow: none; }} }}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _print_figure(fig: go.Figure) -> dict[str, object]:
    """The figure as plotly JSON sized by its box on the page (the builders' heights are for the dashboard)."""
    spec = json.loads(pio.to_json(fig, validate=False, engine="json"))
    layout = spec.setdefault("layout", {})
    layout.pop("height", None)
    layout.pop("width", None)
    layout["autosize"] = True
    return spec


def briefing_html(slides: Sequence[Slide], meta: Meta) -> str:
    """One self-contained HTML file: a slide per A4 landscape page, plotly.js inlined once, charts interactive.

    Every page repeats the as-of date, the filters and its sources, so a printed page stands on its own.
    """
    sections, figures = [], {}
    for number_, slide in enumerate(slides, start=1):
        cards = "".join(
            f'<div class="card"><div class="label">{_e(h.label)}</div><div class="value">{_e(h.value)}</div>'
            + (f'<div class="help">{_e(h.help)}</div>' if h.help else "") + "</div>" for h in slide.headlines)
        items = "".join(f"<li>{_e(t)}</li>" for t in slide.findings)
        notes = "".join(f'<p class="note">※ {_e(n)}</p>' for n in slide.notes)
        if slide.chart is None:
            chart = '<div class="nodata">선택한 필터에 해당하는 자료가 없습니다.</div>'
        else:
            chart_id = f"chart-{number_}"
            figures[chart_id] = _print_figure(slide.chart)
            chart = f'<div class="chart" id="{chart_id}" data-chart="{_e(slide.chart_name)}"></div>'
        sections.append(f"""<section class="slide" id="slide-{number_}" data-key="{_e(slide.key)}">
<div class="top"><span>{_e(meta.district)} {_e(meta.division)} · {_e(meta.report_title)}</span>
<span>{number_} / {len(slides)}</span></div>
<h1>{_e(slide.title)}</h1>
<p class="subtitle">{_e(slide.subtitle)}</p>
<div class="cards">{cards}</div>
<div class="body"><div class="text"><ul>{items}</ul>{notes}</div>{chart}</div>
<footer><span class="asof"><b>{_e(meta.as_of)} 기준</b></span><span class="filters">{_e(meta.filters_text)}</span>
<span class="sources">출처: 보고서 {_e(slide.source_text)}</span></footer>
</section>""")
    data = json.dumps(figures, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    config = json.dumps(PLOT_CONFIG)
    title = f"{meta.title} ({meta.as_of} 기준)"
    return f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{CSS}</style>
</head>
<body>
{chr(10).join(sections)}
<script>
{get_plotlyjs()}
;(function () {{
  var figures = {data};
  var config = {config};
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


def html_file_name(as_of: str) -> str:
    """The HTML download's name, e.g. ydp_briefing_2023-05-31.html."""
    return f"ydp_briefing_{as_of[:10]}.html"


def pdf_file_name(as_of: str) -> str:
    """The PDF download's name, e.g. ydp_briefing_2023-05-31.pdf."""
    return f"ydp_briefing_{as_of[:10]}.pdf"


def url_slide_supported() -> bool:
    """Whether the shared URL parser (filters.parse_query) accepts ?slide=N; binding it before that would make
    every page say the URL held an unknown value."""
    return not parse_query({SLIDE_PARAM: ["1"]}, ()).ignored


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
