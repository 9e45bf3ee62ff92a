"""Charts that cannot mislead, and filters and units that stay visible (issue 13, part B).

A chart must be true on its own, cut out of the page: one unit per value axis, targets set against actuals on the
same basis and named as targets, composite figures the report never states carrying their caveat, the active filter
named in the subtitle and in the CSV's file name, and no figure collapsing to 0.00 when 억원 is chosen. Pages are
opened with every section open (tests/apptest_pages.py) against the real database (tests/conftest.py); expected
values are the report's literal figures (shared/seeds, 2023-05-31), not the product's own formulas.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.apptest_pages import ENTRY, PAGES, Pages, Run, cards_of, html_texts
from tests.test_pages import numbers, read_csv
from ydp_data import briefing, charts
from ydp_data.db import Database
from ydp_data.export import file_name
from ydp_data.filters import Filters
from ydp_data.formatting import fact_money_to

REPORT_ID = "ydp-jobs-2023-05"
AS_OF = "2023-05-31"
JOBS = "pages/1_일자리_Jobs.py"
PUBLIC = "pages/2_공공일자리_Public_jobs.py"
SOCIAL = "pages/3_상생기업_Social_economy.py"
ORGANISATION = "pages/5_조직_Organisation.py"
FILTERED = {"team": "상생기업팀", "source": "국비"}
VIEWS: dict[str, dict[str, str]] = {"default": {}, "eok": {"unit": "억원"}, "social_national": FILTERED,
                                    "youth_national": {"team": "청년지원팀", "source": "국비"}}
SCREEN_PAGES = [p for p in PAGES if "Publish" not in p]  # the editors' page draws no chart without a sign-in




@pytest.fixture(scope="module")
def con(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(db_path), read_only=True)
    yield connection
    connection.close()


def chart_names(run: Run) -> list[str]:
    return run.keyed("plotly_chart", "chart_")


def units_of(spec: dict[str, Any]) -> dict[str, list[str]]:
    """The units per value axis a figure (plotly JSON) declares in layout.meta."""
    meta = spec.get("layout", {}).get("meta")
    return dict(meta.get("units", {})) if isinstance(meta, dict) else {}


def subtitle(spec: dict[str, Any]) -> str:
    return html.unescape(str(spec["layout"].get("title", {}).get("subtitle", {}).get("text", "")))


def notes(spec: dict[str, Any]) -> str:
    """The figure's annotations (footnotes, marked lines) as plain text."""
    return " ".join(html.unescape(str(a.get("text", ""))).replace("<br>", " ") for a in spec["layout"].get("annotations", []))


def csv_units(run: Run, name: str) -> set[str] | None:
    """The units of the rows in a chart's download (its 단위 column), or None when the download has none."""
    header, body = read_csv(run.download(name))
    if "단위" not in header:
        return None
    return {row[header.index("단위")] for row in body}


def trace(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found = [t for t in spec["data"] if html.unescape(str(t.get("name"))) == name]
    assert len(found) == 1, (name, [t.get("name") for t in spec["data"]])
    return found[0]


# --- 1. one unit per axis, on every chart of every page and briefing slide ----------------------------------------
@pytest.mark.parametrize("view", ["default", "eok", "social_national"])
@pytest.mark.parametrize("page", SCREEN_PAGES)
def test_no_chart_mixes_units_on_an_axis(pages: Pages, page: str, view: str) -> None:
    """Every chart declares the unit of each value axis, one unit per axis, and the rows it plots (its download)
    are in exactly those units: 개소, 명, 건 and 회 never share an axis or a trace."""
    run = pages.open(page, VIEWS[view])
    assert not run.at.exception, [e.value for e in run.at.exception]
    for name in chart_names(run):
        spec = run.figure(name)
        axes = units_of(spec)
        assert axes, f"{page} {name}: the chart does not say the unit of its axes"
        assert all(len(u) == 1 for u in axes.values()), f"{page} {name}: several units on one axis {axes}"
        for t in spec["data"]:  # every trace sits on a value axis whose unit is declared (x for bars, y for lines)
            on = {t.get("xaxis", "x"), t.get("yaxis", "y")}
            assert on & set(axes), f"{page} {name}: trace {t.get('name')} on {sorted(on)}, units only for {sorted(axes)}"
        rows = csv_units(run, name)
        if rows is not None:
            declared = {u for units in axes.values() for u in units}
            assert rows == declared, f"{page} {name}: rows in {sorted(rows)}, axes in {axes}"
            assert len(rows) == len(axes), f"{page} {name}: {len(rows)} units drawn on {len(axes)} axes"


@pytest.mark.parametrize("filters", [Filters(REPORT_ID), Filters(REPORT_ID, ("청년지원팀",), ("국비",))])
@pytest.mark.parametrize("unit", ["천원", "억원"])
def test_no_briefing_chart_mixes_units(db: Database, filters: Filters, unit: str) -> None:
    for slide in briefing.build_slides(db, filters, unit):
        if slide.chart is None:
            continue
        axes = charts.axis_units(slide.chart)
        assert axes and all(len(u) == 1 for u in axes.values()), (slide.key, axes)
        if "unit" in slide.chart_data:
            rows = set(fact_money_to(slide.chart_data, unit)["unit"])
            assert rows == {u for units in axes.values() for u in units}, (slide.key, rows, axes)


def test_job_plus_center_is_seekers_to_employed_not_a_funnel(pages: Pages, db: Database) -> None:
    """952 job seekers → 420 employed (44.1%) is drawn as what it is; employers (개소), openings (명) and referrals
    (건) are cards of their own (Ⅱ-1, p.4)."""
    run = pages.open(JOBS)
    spec = run.figure("jobplus_center")
    assert all(t["type"] != "funnel" for t in spec["data"])
    assert numbers(trace(spec, "구직자")["x"]) == [952] and numbers(trace(spec, "취업자")["x"]) == [420]
    assert "420 / 952명 (44.1%)" in trace(spec, "구직자")["text"][0].replace("<br>", " ")
    assert units_of(spec) == {"x": ["명"]}
    assert (run.metric("구인업체"), run.metric("구인인원"), run.metric("취업알선")) == ("1,167개소", "1,507명", "5,564건")
    jobs = {s.key: s for s in briefing.build_slides(db, Filters(REPORT_ID), "천원")}["jobs"]
    assert [t.type for t in jobs.chart.data] == ["bar", "bar"] and set(jobs.chart_data["unit"]) == {"명"}


def test_studio_and_job_fair_draw_one_panel_per_unit(pages: Pages) -> None:
    """JOB 포유 4회 · 88명 · 26명 and the studio's 건/명/회/개소: one small panel per unit, each with its own axis."""
    fair = pages.open(JOBS).figure("job_for_you")
    assert units_of(fair) == {"x": ["회"], "x2": ["명"]}
    assert [(t["xaxis"], numbers(t["x"])) for t in fair["data"]] == [("x", [4]), ("x2", [88, 26])]
    studio = pages.open(SOCIAL).figure("studio_and_centre")
    assert sorted(u for units in units_of(studio).values() for u in units) == ["개소", "건", "명", "회"]


# --- 2. targets against actuals on one basis, named as targets -----------------------------------------------------
def test_public_works_attainment_against_the_annual_target(pages: Pages, db: Database) -> None:
    """221 selected in the first half of an annual 448 (49.3%), not 181 against the second half's 185; the report's
    own 448 ≠ 221 + 225 = 446 beside it, on the page and under the chart (Ⅱ-2, p.5)."""
    run = pages.open(PUBLIC)
    spec = run.figure("public_work_attainment")
    assert numbers(trace(spec, "연간 목표인원 (목표)")["x"]) == [448]
    assert numbers(trace(spec, "상반기 선발인원 (실적)")["x"]) == [221]
    assert "221 / 448명 (49.3%)" in trace(spec, "연간 목표인원 (목표)")["text"][0].replace("<br>", " ")
    assert "448명 ≠ 상반기 선발 + 하반기 목표 446명" in notes(spec)
    (warning,) = [w for w in run.texts("warning") if "연간 목표인원" in w]
    assert "448명" in warning and "446명" in warning
    halves = run.figure("public_work_halves")  # the halves stacked, each named: no half-year target beside selections
    assert halves["layout"]["barmode"] == "stack"
    assert numbers(trace(halves, "상반기 선발 (실적)")["x"]) == [181, 20, 20]
    assert numbers(trace(halves, "하반기 목표 (목표)")["x"]) == [185, 20, 20]
    assert "446" in notes(halves) and "448" in notes(halves)
    for name in chart_names(run):  # no chart sets 실적 and 목표 side by side as grouped bars
        names = {html.unescape(str(t.get("name"))) for t in run.figure(name)["data"]}
        assert not {"실적", "목표"} <= names, (name, names)
    slide = {s.key: s for s in briefing.build_slides(db, Filters(REPORT_ID), "천원")}["public_jobs"]
    assert [float(v) for t in slide.chart.data if t.type == "bar" for v in t.x] == [448, 221]


def test_procurement_attainment_is_a_progress_chart(pages: Pages) -> None:
    """공공구매 26억원 of a 45억원 target: the chart shows 57.8% and marks the report's 57% (Ⅱ-3, p.6)."""
    spec = pages.open(SOCIAL, {"unit": "억원"}).figure("procurement")
    assert numbers(trace(spec, "목표액 (목표)")["x"]) == [45] and numbers(trace(spec, "구매 실적")["x"]) == [26]
    assert "(57.8%)" in trace(spec, "목표액 (목표)")["text"][0]
    tick = trace(spec, "보고서 표기 달성률")
    assert numbers(tick["x"]) == pytest.approx([45 * 57 / 100]) and tick["text"] == ["57.0%"]


def test_job_targets_read_as_targets(pages: Pages) -> None:
    """고용률 66.5%, 취업자수 204,111명, 일자리 창출수 12,016명 are 2023 targets without an actual yet (Ⅱ-1, p.4)."""
    run = pages.open(JOBS)
    assert (run.metric("고용률 목표"), run.metric("취업자수 목표"), run.metric("일자리 창출수 목표")) == (
        "66.5%", "204,111명", "12,016명")
    assert not [label for label, _ in run.metrics() if label in ("고용률", "취업자수", "일자리 창출수")]
    assert sum("아직 이 목표의 실적이 없습니다" in c.note for c in cards_of(run.at)) == 3
    english = pages.open(JOBS, {"lang": "English"})
    assert len([label for label, _ in english.metrics() if ", target" in label]) == 3, english.metrics()


# --- 3. composite figures the report does not state ------------------------------------------------------------------
def test_grant_firms_added_up_count_grants_not_firms(db: Database, pages: Pages) -> None:
    """15 + 13 + 17 + 7 = 52 counts grants: one firm may hold several (Ⅱ-3, p.6)."""
    slide = {s.key: s for s in briefing.build_slides(db, Filters(REPORT_ID), "천원")}["social_economy"]
    assert not [h for h in slide.headlines if h.text == "52개소"], "52 grants shown as 52 firms"
    (summed,) = [h for h in slide.headlines if h.text == "52건"]
    assert "지원기업 수 합" in summed.label and "보고서에 없는 합계" in summed.help and "기업 수가 아니라" in summed.help
    assert any("사업마다 따로 센 수" in f and "일자리창출사업(일반인력) 15개소" in f and "사업개발비 지원사업 7개소" in f
               for f in slide.findings)
    assert any("지원 건수입니다" in c for c in pages.open(SOCIAL).texts("caption"))
    cost = pages.open(ENTRY).figure("cost_per_result")
    assert any("한 기업이 여러 번" in html.unescape(y) for t in cost["data"] for y in t["y"])


def test_youth_line_keeps_talks_and_courses_apart(db: Database) -> None:
    """30 talk attendees and 10 + 16 course trainees are not one '상반기 실적 56명', nor the cohorts planned for
    6 ~ 11월 a '하반기 계획 54명' (Ⅲ-2, p.11)."""
    youth = {s.key: s for s in briefing.build_slides(db, Filters(REPORT_ID), "천원")}["youth"]
    text = " ".join(youth.findings)
    assert "56명" not in text and "54명" not in text and "하반기 계획" not in text
    assert "메타버스 플랫폼 내 취업특강 30명, 디지털 마케팅 도전 1기 10명, 디지털 마케팅 도전+ 1기 16명" in text
    (summed,) = [h for h in youth.headlines if h.text == "56명"]
    assert "보고서에 없는 합계" in summed.label and "서로 다른 3개 프로그램" in summed.help


def test_digital_marketing_cohorts_are_not_second_half(con: duckdb.DuckDBPyConnection) -> None:
    """The report plans 도전 2~3기 (20명) and 도전+ 2~3기 (34명) for 6 ~ 11월: starting in June, they are not 2023-H2."""
    rows = con.execute("""SELECT fact_id, kind, period, value, note, source FROM facts WHERE report_id = ?
                          AND fact_id IN ('youth4.challenge23.participants', 'youth4.challengeplus23.participants')
                          ORDER BY fact_id""", [REPORT_ID]).fetchall()
    assert [(r[0], r[1], r[2], float(r[3]), r[5]) for r in rows] == [
        ("youth4.challenge23.participants", "plan", "2023", 20, "Ⅲ-2, p.11"),
        ("youth4.challengeplus23.participants", "plan", "2023", 34, "Ⅲ-2, p.11")]
    assert all("6 ~ 11월" in r[4] for r in rows)
    assert not con.execute("SELECT COUNT(*) FROM facts WHERE report_id = ? AND program_id = 'Ⅲ-2' AND period = '2023-H2'",
                           [REPORT_ID]).fetchone()[0]


def test_team_and_source_charts_say_what_they_leave_out(pages: Pages) -> None:
    """The team and source charts cover the six main programmes, 6,073,047 of 7,113,947천원; the 1,040,900천원 left
    out is listed by unit programme: 3,694,810 − 3,301,630 (Ⅱ-2), 1,356,338 − 469,580 − 412,000 (Ⅱ-4, Ⅲ-2),
    인력운영비 90,594 and 기본경비 82,368 (Ⅰ-4, p.2)."""
    run = pages.open(ENTRY)
    listed = ["6,073,047천원", "빠진 1,040,900천원", "지역일자리사업 지원 중 Ⅱ-2 밖 393,180천원",
              "청년의 행복한 사회진입 환경조성 중 Ⅱ-4·Ⅲ-2 밖 474,758천원", "인력운영비 90,594천원", "기본경비 82,368천원"]
    (caption,) = [c for c in run.texts("caption") if "빠진" in c]
    assert all(part in caption for part in listed), caption
    for name in ("budget_by_team", "budget_by_source"):
        assert all(part in notes(run.figure(name)) for part in listed), notes(run.figure(name))


def test_staffing_grades_are_said_to_be_inferred(pages: Pages, db: Database) -> None:
    run = pages.open(ORGANISATION)
    spec = run.figure("staffing")
    assert "추정" in spec["layout"]["title"]["text"] and "일반직 5~9급" in notes(spec)
    assert any("추정" in c for c in run.texts("caption"))
    slide = {s.key: s for s in briefing.build_slides(db, Filters(REPORT_ID), "천원")}["organisation"]
    assert "추정" in slide.chart.layout.title.text


# --- 4. rates as the report states them ----------------------------------------------------------------------------
def test_truncated_rate_is_marked_not_a_finding(pages: Pages, db: Database) -> None:
    """Ⅱ-1: 73,039 ÷ 207,151 = 35.26%, printed 35.2%: the bar shows 35.3, a tick marks 35.2; no finding calls a
    0.1%p rounding a discrepancy, while 448 ≠ 446 stays one (Ⅱ-1, p.4)."""
    run = pages.open(ENTRY)
    spec = run.figure("program_execution")
    tick = trace(spec, "보고서 표기 집행률")
    assert numbers(tick["x"]) == [35.2] and tick["y"] == ["고용기회 확대로 지속가능한 일자리 지원"]
    bars = {y: x for t in spec["data"] if t["type"] == "bar" for y, x in zip(t["y"], numbers(t["x"]), strict=True)}
    assert bars["고용기회 확대로 지속가능한 일자리 지원"] == 35.3
    assert any("서로 맞지 않는 수치가 4건" in c and "0.1%p 미만 다른 1건" in c for c in run.texts("caption"))
    slides = {s.key: s for s in briefing.build_slides(db, Filters(REPORT_ID), "천원")}
    assert not [f for f in slides["jobs"].findings if "35.2" in f]
    assert any("448명, 계산 446명" in f for f in slides["public_jobs"].findings)


# --- 5. filters and units, visible ---------------------------------------------------------------------------------
def test_csv_file_name_and_chart_subtitle_carry_the_filters(pages: Pages) -> None:
    run = pages.open(ENTRY, FILTERED)
    assert run.download("budget_by_team").filename == "ydp_budget_by_team_상생기업팀_국비_2023-05-31.csv"
    assert "필터: 상생기업팀 · 국비" in subtitle(run.figure("budget_by_team"))
    # the unit programmes have no team or source: the name carries neither, the subtitle says so
    assert run.download("budget_by_unit_program").filename == "ydp_budget_by_unit_program_2023-05-31.csv"
    assert "팀·재원 필터 미적용" in subtitle(run.figure("budget_by_unit_program"))
    social = pages.open(SOCIAL, FILTERED)  # firms per scheme have a team but no funding source
    assert social.download("grants_firms").filename == "ydp_grants_firms_상생기업팀_2023-05-31.csv"
    assert "필터: 상생기업팀" in subtitle(social.figure("grants_firms"))
    assert "재원 필터 미적용" in subtitle(social.figure("grants_firms"))
    assert pages.open(ENTRY).download("budget_by_team").filename == "ydp_budget_by_team_2023-05-31.csv"


def test_file_names_are_safe_for_file_systems() -> None:
    name = file_name("budget_by_team", AS_OF, ["상생기업팀", "../..", "a/b\\c:d*?", "\u202eevil", "국비"])
    assert name == "ydp_budget_by_team_상생기업팀_a_b_c_d_evil_국비_2023-05-31.csv"
    assert not re.search(r"[/\\:*?\"<>|\u202e]|\.\.", name.removesuffix(".csv"))


def test_filtered_rate_beside_the_reports_rate_says_which(pages: Pages) -> None:
    """With 국비 chosen, the programme table's rate is 국비's alone; the report's rate is the whole programme's."""
    run = pages.open(ENTRY, {"source": "국비"})
    header, _ = read_csv(run.download("budget_by_program"))
    assert "집행률(국비만)(%)" in header and "보고서 집행률(사업 전체, 모든 재원)(%)" in header
    assert list(run.tables()["budget_by_program"].columns) == header
    plain, _ = read_csv(pages.open(ENTRY).download("budget_by_program"))
    assert "집행률(%)" in plain and "보고서 집행률(%)" in plain


def test_division_cards_say_they_ignore_the_filters(pages: Pages) -> None:
    run = pages.open(ENTRY, {"team": "상생기업팀", "source": "국비", "unit": "억원"})
    assert run.metric("예산액 (과 전체, 억원)") == "71.14" and run.metric("집행률 (과 전체)") == "37.6%"
    assert any("과 전체 합계입니다" in c for c in run.texts("caption"))
    assert run.metric("예산액 (주요사업, 억원)") == "8.89"  # 상생기업팀 국비: 888,976천원 (Ⅱ-3, p.6)


def test_cost_per_result_is_drawn_per_unit_of_result(pages: Pages) -> None:
    """Budget per person and budget per firm never share an axis; 207,151천원 ÷ 420명 = 493.2천원/명 (Ⅱ-1), and with
    억원 chosen 49.3만원/명, never 0.00억원."""
    spec = pages.open(ENTRY).figure("cost_per_result")
    axes = units_of(spec)
    assert sorted(u for units in axes.values() for u in units) == ["천원/개소", "천원/명"]
    by_axis: dict[str, set[str]] = {}
    for t in spec["data"]:
        by_axis.setdefault(t.get("xaxis", "x"), set()).update(html.unescape(y) for y in t["y"])
    (firms_axis,) = [a for a, u in axes.items() if u == ["천원/개소"]]
    assert len(by_axis[firms_axis]) == 1 and next(iter(by_axis[firms_axis])).startswith("재정지원 1건")
    budget = trace_on(spec, "예산액", "x" if axes["x"] == ["천원/명"] else "x2")
    assert numbers(budget["x"])[0] == 493.2
    eok = pages.open(ENTRY, {"unit": "억원"})
    spec = eok.figure("cost_per_result")
    assert sorted(u for units in units_of(spec).values() for u in units) == ["만원/개소", "만원/명"]
    budget = trace_on(spec, "예산액", "x" if units_of(spec)["x"] == ["만원/명"] else "x2")
    assert numbers(budget["x"])[0] == pytest.approx(49.32)
    header, body = read_csv(eok.download("cost_per_result"))
    assert "성과 1단위당 예산액(만원)" in header
    assert float(body[0][header.index("성과 1단위당 예산액(만원)")]) == pytest.approx(49.32)


def trace_on(spec: dict[str, Any], name: str, axis: str) -> dict[str, Any]:
    (found,) = [t for t in spec["data"] if t.get("name") == name and t.get("xaxis", "x") == axis]
    return found


def drawn(values: Any) -> list[float]:
    """A trace's values as floats, leaving out the gaps (None: a member a category does not have)."""
    if isinstance(values, dict):
        return numbers(values)
    return [float(v) for v in values if v is not None]


ZERO_AT_TWO = re.compile(r"(?<![\d,.])0\.00(?!\d)")


def _decimals(template: str) -> int | None:
    found = re.search(r"%\{x:[^}]*\.(\d)f\}", template or "")
    return int(found[1]) if found else None


@pytest.mark.parametrize("page", SCREEN_PAGES)
def test_no_figure_collapses_to_zero_in_eok(pages: Pages, page: str) -> None:
    """With 억원 chosen no figure shows as 0.00: not in a card, a line of text, a table or a chart's labels."""
    run = pages.open(page, {"unit": "억원"})
    shown = html_texts(run.at) + [text for kind in ("markdown", "caption", "info", "warning")
                                  for text in run.texts(kind)]
    assert not [s for s in shown if ZERO_AT_TWO.search(s)], [s for s in shown if ZERO_AT_TWO.search(s)]
    for frame in run.tables().values():
        for column in [c for c in frame.columns if str(c).endswith(("(억원)", "(만원)", "(백만원)"))]:
            small = [v for v in frame[column] if v == v and v and abs(float(v)) < 0.005]
            assert not small, (column, small)
    for name in chart_names(run):
        for t in run.figure(name)["data"]:
            places = _decimals(str(t.get("texttemplate", "")))
            if places is not None:
                tiny = [v for v in drawn(t["x"]) if v and abs(v) < 0.5 * 10 ** -places]
                assert not tiny, f"{name}: {tiny} written with {places} decimals"
            texts = t.get("text") if isinstance(t.get("text"), list) else [t.get("text") or ""]
            assert not [s for s in texts if ZERO_AT_TWO.search(str(s))], (name, texts)
