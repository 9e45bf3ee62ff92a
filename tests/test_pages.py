"""The dashboard's pages driven with Streamlit's AppTest against the real database.

Every page is opened the way a link opens it (URL query parameters, then the page), and its cards, chart
data (the plotly figure JSON in the element proto) and CSV downloads (the bytes in AppTest's own in-memory
media storage) are compared with SQL run here on the same DuckDB file. Runs are cached per (page, URL) for
the whole module, so each view is rendered once however many tests look at it.
"""

from __future__ import annotations

import ast
import base64
import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryFile
from streamlit.testing.v1 import AppTest

from tests.apptest_pages import ENTRY, PAGES, ROOT, KeptStorage, Pages, open_page, section_keys
from ydp_data.safe_text import md

REPORT_ID = "ydp-jobs-2023-05"
AS_OF = "2023-05-31"
BOM = b"\xef\xbb\xbf"
TEAMS = ("일자리사업팀", "상생기업팀", "청년지원팀")
SOURCES = ("국비", "시비", "구비")
UNIT_FACTOR = {"천원": 1, "백만원": 1_000, "억원": 100_000}
NO_DATA = "선택한 필터에 해당하는 자료가 없습니다"
IGNORED = "URL의 알 수 없는 값은 무시했습니다"
HANGUL = re.compile(r"[\uac00-\ud7a3]")

FILTER_SETS: dict[str, dict[str, str | list[str]]] = {
    "default": {},
    "youth_national": {"team": "청년지원팀", "source": "국비"},
    "jobs_team": {"team": "일자리사업팀"},
    "eok": {"unit": "억원"},
}
# the charts each page must draw, with data, under the default filters (every section open): a chart that turned
# into "no data" (st.info instead of the figure) or into an empty figure fails test_page_renders
EXPECTED_CHARTS: dict[str, tuple[str, ...]] = {
    ENTRY: ("program_execution", "budget_by_unit_program", "budget_by_team", "budget_by_source",
            "budget_by_program_source", "cost_per_result"),
    "pages/1_일자리_Jobs.py": ("jobplus_center", "job_for_you", "training_by_field"),
    "pages/2_공공일자리_Public_jobs.py": ("public_work_attainment", "public_work_halves", "public_work_budget_by_source",
                                      "public_work_wages"),
    "pages/3_상생기업_Social_economy.py": ("grants_by_source", "grants_firms", "procurement", "studio_and_centre"),
    "pages/4_청년_Youth.py": ("orang_programmes", "orang_social_media", "building_school_courses",
                            "youth_4th_industry"),
    "pages/5_조직_Organisation.py": ("staffing", "facilities"),
    "pages/6_향후계획_Plans.py": ("plans_timeline",),
    "pages/7_데이터_Data.py": (),
    "pages/8_브리핑_Briefing.py": ("briefing_overview",),
    "pages/9_자료올리기_Publish.py": (),  # nothing to draw without an editor's sign-in
}
# the tables (by download name) each page must show with rows under the default filters
EXPECTED_TABLES: dict[str, tuple[str, ...]] = {
    ENTRY: ("budget_by_program",),
    "pages/1_일자리_Jobs.py": ("job_targets_2023",),
    "pages/2_공공일자리_Public_jobs.py": ("public_work_people", "public_work_conditions", "public_work_subprograms"),
    "pages/3_상생기업_Social_economy.py": ("grant_schemes",),
    "pages/4_청년_Youth.py": ("orang_attendance", "youth_network", "building_school_outcomes"),
    "pages/5_조직_Organisation.py": ("staffing_table", "team_duties", "facilities_table", "facility_parts", "equipment"),
    "pages/6_향후계획_Plans.py": ("plans",),
    "pages/7_데이터_Data.py": ("checks", "table_reports"),
    "pages/8_브리핑_Briefing.py": (),
    "pages/9_자료올리기_Publish.py": (),
}
# st.warning texts a page may show on its own (the report's discrepancies); anything else is unexpected
EXPECTED_WARNINGS = ("보고서 불일치",)


# --- running pages -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def con(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(db_path), read_only=True)
    yield connection
    connection.close()


# --- helpers -------------------------------------------------------------------------------------
def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


def thousands(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def rate(executed: float, budget: float) -> float:
    return round(float(executed) * 100 / float(budget), 1)


def numbers(values: Any) -> list[float]:
    """Plotly figure arrays as floats: plain JSON lists or plotly's base64 typed arrays."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).astype(float).tolist()
    return [float(v) for v in values]


def drawn_with_data(spec: Mapping[str, Any]) -> bool:
    """A plotly figure (JSON) with at least one trace whose x and y both hold values and whose value axis holds a
    number other than zero (a figure of empty or all-zero traces draws nothing)."""
    for trace in spec.get("data", []):
        x, y = trace.get("x"), trace.get("y")
        if x is None or y is None or not len(x) or not len(y):
            continue
        for values in (x, y):
            try:
                found = numbers(values)
            except (TypeError, ValueError):
                continue
            if any(v == v and v != 0 for v in found):  # v == v: not NaN
                return True
    return False


def read_csv(file: MemoryFile) -> tuple[list[str], list[list[str]]]:
    assert file.content.startswith(BOM), f"{file.filename} does not start with the UTF-8 BOM"
    table = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig"), newline="")))
    assert table, f"{file.filename} is empty"
    return table[0], table[1:]


def program_budget(con: duckdb.DuckDBPyConnection, group: str, teams: Sequence[str] = TEAMS,
                   sources: Sequence[str] = SOURCES) -> list[tuple[Any, ...]]:
    """Main-program budget and spending grouped by p.team or b.funding_source, straight from the tables."""
    order = {"p.team": "MIN(t.sort_order)", "b.funding_source": "list_position(['국비','시비','구비'], b.funding_source)"}
    return rows(con, f"""
        SELECT {group}, SUM(b.budget)::BIGINT, SUM(b.executed)::BIGINT
        FROM program_budget b JOIN programs p USING (report_id, program_id)
        JOIN teams t ON t.report_id = p.report_id AND t.team = p.team
        WHERE b.report_id = ? AND list_contains(?, p.team) AND list_contains(?, b.funding_source)
        GROUP BY {group} ORDER BY {order[group]}""", [REPORT_ID, list(teams), list(sources)])


# --- 1. every page, every filter set ------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_page_source_uses_only_ydp_data(page: str) -> None:
    """No deprecated use_container_width and no data access of its own: queries live in ydp_data."""
    source = (ROOT / page).read_text(encoding="utf-8")
    for banned in ("use_container_width", "duckdb", "SELECT", "read_csv", "import pandas"):
        assert banned not in source, f"{page} contains {banned!r}"
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add((node.module or "").split(".")[0])
    assert modules <= {"streamlit", "ydp_data"}, f"{page} imports {sorted(modules - {'streamlit', 'ydp_data'})}"
    assert "ui.page(" in source, f"{page} does not draw the shared frame (ui.page)"


def test_deprecation_detector_catches_streamlit_deprecations(pages: Pages) -> None:
    """The capture used for the pages does see a Streamlit deprecation (so its silence means something)."""
    at = AppTest.from_string("import streamlit as st\nst.dataframe({'a': [1]}, use_container_width=True)")
    run = Pages._run("inline", {}, at)
    assert any("use_container_width" in m for m in run.deprecations), run.deprecations


@pytest.mark.parametrize("filters", list(FILTER_SETS))
@pytest.mark.parametrize("page", PAGES)
def test_page_renders(pages: Pages, page: str, filters: str) -> None:
    query = FILTER_SETS[filters]
    run = pages.open(page, query)
    at = run.at
    assert not at.exception, [e.value for e in at.exception]
    assert not run.deprecations, run.deprecations
    unexpected = [w for w in run.texts("warning") if not w.startswith(EXPECTED_WARNINGS)]
    assert not unexpected, unexpected
    assert at.title and at.title[0].value, f"{page} has no title"
    unit = str(query.get("unit", "천원"))
    assert any(f"{AS_OF} 기준" in c and f"금액 단위 {unit}" in c for c in run.texts("caption")), run.texts("caption")
    # the URL keeps the filters and the sidebar shows them
    assert dict(at.query_params) == query
    assert at.multiselect(key="team").value == ([query["team"]] if "team" in query else [])
    assert at.get_by_key("source").value == ([query["source"]] if "source" in query else [])
    assert at.get_by_key("unit").value == unit
    # each chart and each table has its download, and no download stands alone
    charts, downloads = run.keyed("plotly_chart", "chart_"), run.keyed("download_button", "dl_")
    assert len(downloads) == len(set(downloads)) == len(charts) + len(at.dataframe), (charts, downloads)
    assert set(charts) <= set(downloads), f"charts without a download: {set(charts) - set(downloads)}"
    assert charts or at.dataframe or run.texts("info"), f"{page} shows neither data nor a no-data message"
    if filters == "default":  # nothing is filtered out: every chart and table of the page is there, with data
        assert set(EXPECTED_CHARTS[page]) <= set(charts), f"{page}: missing charts {set(EXPECTED_CHARTS[page]) - set(charts)}"
        for name in EXPECTED_CHARTS[page]:
            assert drawn_with_data(run.figure(name)), f"{page}: chart {name} has no data drawn"
        tables = run.tables()
        for name in EXPECTED_TABLES[page]:
            assert name in tables and len(tables[name]) > 0, f"{page}: table {name} missing or empty ({sorted(tables)})"
        assert not [i for i in run.texts("info") if NO_DATA in i], f"{page} says no data under the default filters"


@pytest.mark.parametrize("filters", list(FILTER_SETS))
@pytest.mark.parametrize("page", PAGES)
def test_downloads_are_excel_csv(pages: Pages, page: str, filters: str) -> None:
    """Every download: text/csv, UTF-8 BOM, dated name, Korean headers, money in the chosen unit."""
    run = pages.open(page, FILTER_SETS[filters])
    unit = str(FILTER_SETS[filters].get("unit", "천원"))
    tables = run.tables()
    for name in run.keyed("download_button", "dl_"):
        file = run.download(name)
        assert file.mimetype == "text/csv"
        assert file.filename.startswith(f"ydp_{name}_") and file.filename.endswith(f"_{AS_OF}.csv")
        header, body = read_csv(file)
        assert all(len(r) == len(header) for r in body), f"{file.filename}: ragged rows"
        for cell in header:
            if cell.startswith(("예산액", "집행액", "잔액")):
                assert cell.endswith(f"({unit})"), f"{file.filename}: {cell!r} is not in {unit}"
            if cell.startswith(("집행률", "비중", "연중 경과율")):
                assert cell.endswith("(%)"), f"{file.filename}: {cell!r} has no (%)"
        if not name.startswith("table_"):  # the Data page's raw tables keep their technical column names
            english = [c for c in header if not HANGUL.search(c) and c != "Team"]
            assert not english, f"{file.filename}: headers not in Korean {english}"
        if name in tables:  # the download of a table holds the same columns and rows as the table
            assert header == [str(c) for c in tables[name].columns], file.filename
            assert len(body) == len(tables[name]), f"{file.filename}: rows differ from the table"


@pytest.mark.parametrize("page", PAGES)
def test_first_visit_draws_only_the_first_section(pages: Pages, page: str) -> None:
    """A first visit shows every section's title but draws only the first section's charts; opening one
    section draws its charts and nothing is lost: all sections open show every chart and table of the page."""
    keys = section_keys(page)
    first = pages.open(page, all_sections=False)
    assert not first.at.exception, [e.value for e in first.at.exception]
    labels = [e.label for e in first.at.expander]
    assert len(labels) == len(keys), f"{page}: section titles {labels} against keys {keys} in the source"
    every = pages.open(page)
    drawn, all_charts = set(first.keyed("plotly_chart", "chart_")), set(every.keyed("plotly_chart", "chart_"))
    assert drawn <= all_charts
    if not keys:
        assert drawn == all_charts
        return
    assert len(drawn) <= 1, f"{page} draws {sorted(drawn)} on a first visit"
    opened: set[str] = set(drawn)
    for key in keys:
        at = open_page(page, run=False)
        at.session_state[f"section_{key}"] = True
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        opened |= {str(e.key)[len("chart_"):] for e in at.get("plotly_chart") if str(e.key or "").startswith("chart_")}
    assert opened == all_charts, f"{page}: charts reached by opening one section at a time {sorted(opened)}"
    assert len(every.at.dataframe) >= len(first.at.dataframe)


def test_the_pace_csv_carries_each_programmes_budget_and_spending(pages: Pages) -> None:
    """The first screen's CSV (the pace chart's rows) holds what each rate is made of, in the chosen unit: Ⅱ-1's
    207,151 and 73,039천원 (35.3%, p.4), Ⅲ-2's 412,000 and 311,100천원 (75.5%, p.11); in 억원 2.07151 and 0.73039
    (the CSV keeps every digit)."""
    header, body = read_csv(pages.open(ENTRY, all_sections=False).download("program_execution"))
    got = {r[0]: (r[header.index("예산액(천원)")], r[header.index("집행액(천원)")], r[header.index("집행률(%)")]) for r in body}
    assert got["Ⅱ-1"] == ("207151", "73039", "35.3") and got["Ⅲ-2"] == ("412000", "311100", "75.5")
    header, body = read_csv(pages.open(ENTRY, {"unit": "억원"}, all_sections=False).download("program_execution"))
    eok = {r[0]: (r[header.index("예산액(억원)")], r[header.index("집행액(억원)")]) for r in body}
    assert eok["Ⅱ-1"] == ("2.07151", "0.73039")


def test_a_closed_section_costs_no_query_and_no_download(pages: Pages) -> None:
    """On the overview's first visit the closed sections' charts and downloads are not made at all."""
    first = pages.open(ENTRY, all_sections=False)
    assert first.keyed("plotly_chart", "chart_") == ["program_execution"]  # the first section: execution against pace
    assert first.keyed("download_button", "dl_") == ["program_execution"]
    assert len(first.at.dataframe) == 0  # the programmes' table is a section of its own (its grid is costly to draw)


# --- 2. numbers against the database ------------------------------------------------------------
def test_overview_cards(pages: Pages, con: duckdb.DuckDBPyConnection) -> None:
    budget, executed = rows(con, "SELECT SUM(budget), SUM(executed) FROM budget_units WHERE report_id = ?",
                            [REPORT_ID])[0]
    run = pages.open(ENTRY)
    assert run.amount("예산액", "과 전체") == f"{thousands(budget)}천원" == "7,113,947천원"
    assert run.amount("집행액", "과 전체") == f"{thousands(executed)}천원" == "2,677,482천원"
    assert run.metric("집행률 (과 전체)") == f"{rate(executed, budget):.1f}%" == "37.6%"
    day = rows(con, "SELECT dayofyear(as_of) FROM reports WHERE report_id = ?", [REPORT_ID])[0][0]
    assert run.metric("연중 경과율") == f"{round(day * 100 / 365, 1):.1f}%"
    assert not [label for label, _ in run.metrics() if "주요사업" in label], "program cards without a filter"


def test_overview_cards_in_eok(pages: Pages, con: duckdb.DuckDBPyConnection) -> None:
    budget, executed = rows(con, "SELECT SUM(budget), SUM(executed) FROM budget_units WHERE report_id = ?",
                            [REPORT_ID])[0]
    run = pages.open(ENTRY, {"unit": "억원"})
    assert run.amount("예산액", "과 전체") == f"{thousands(budget / 100_000, 2)}억원" == "71.14억원"
    assert run.amount("집행액", "과 전체") == f"{thousands(executed / 100_000, 2)}억원" == "26.77억원"
    assert run.metric("집행률 (과 전체)") == "37.6%"


@pytest.mark.parametrize(("query", "budget_text", "executed_text"), [
    ({"team": "청년지원팀"}, "881,580천원", "539,055천원"),
    ({"team": "청년지원팀", "source": "국비"}, "200,500천원", "200,500천원"),
])
def test_overview_selected_program_cards(pages: Pages, con: duckdb.DuckDBPyConnection, query: dict[str, str],
                                         budget_text: str, executed_text: str) -> None:
    team_programs = {r[0] for r in rows(con, "SELECT program_id FROM programs WHERE report_id = ? AND team = ?",
                                        [REPORT_ID, "청년지원팀"])}
    assert team_programs == {"Ⅱ-4", "Ⅲ-2"}
    sources = [query["source"]] if "source" in query else list(SOURCES)
    budget, executed = rows(con, """SELECT SUM(budget), SUM(executed) FROM program_budget
                                    WHERE report_id = ? AND program_id IN ('Ⅱ-4', 'Ⅲ-2')
                                      AND list_contains(?, funding_source)""", [REPORT_ID, sources])[0]
    run = pages.open(ENTRY, query)
    assert run.amount("예산액", "주요사업") == f"{thousands(budget)}천원" == budget_text
    assert run.amount("집행액", "주요사업") == f"{thousands(executed)}천원" == executed_text
    assert run.metric("집행률 (주요사업)") == f"{rate(executed, budget):.1f}%"
    assert run.amount("예산액", "과 전체") == "7,113,947천원", "the division total must not follow the filters"


@pytest.mark.parametrize("filters", ["default", "jobs_team", "youth_national", "eok"])
def test_overview_team_and_source_charts(pages: Pages, con: duckdb.DuckDBPyConnection, filters: str) -> None:
    query = FILTER_SETS[filters]
    factor = UNIT_FACTOR[str(query.get("unit", "천원"))]
    teams = [query["team"]] if "team" in query else TEAMS
    sources = [query["source"]] if "source" in query else SOURCES
    run = pages.open(ENTRY, query)
    for chart, group in (("budget_by_team", "p.team"), ("budget_by_source", "b.funding_source")):
        expected = program_budget(con, group, teams, sources)
        traces = run.traces(chart)
        assert set(traces) == {"예산액", "집행액"}
        for label, column in (("예산액", 1), ("집행액", 2)):
            assert traces[label]["y"] == [r[0] for r in expected], chart
            assert numbers(traces[label]["x"]) == pytest.approx([r[column] / factor for r in expected]), chart


def test_overview_team_chart_literals_and_filter(pages: Pages) -> None:
    everything = pages.open(ENTRY).traces("budget_by_team")["예산액"]
    assert everything["y"] == list(TEAMS)
    assert numbers(everything["x"]) == [3_658_781, 1_532_686, 881_580]
    jobs = pages.open(ENTRY, {"team": "일자리사업팀"}).traces("budget_by_team")["예산액"]
    assert (jobs["y"], numbers(jobs["x"])) == (["일자리사업팀"], [3_658_781])
    national = pages.open(ENTRY, {"team": "청년지원팀", "source": "국비"}).traces("budget_by_source")["예산액"]
    assert (national["y"], numbers(national["x"])) == (["국비"], [200_500])


@pytest.mark.parametrize("filters", ["default", "eok"])
def test_overview_unit_program_chart(pages: Pages, con: duckdb.DuckDBPyConnection, filters: str) -> None:
    factor = UNIT_FACTOR[str(FILTER_SETS[filters].get("unit", "천원"))]
    expected = rows(con, """SELECT unit_program, budget, executed FROM budget_units WHERE report_id = ?
                            ORDER BY sort_order""", [REPORT_ID])
    traces = pages.open(ENTRY, FILTER_SETS[filters]).traces("budget_by_unit_program")
    assert traces["예산액"]["y"] == [r[0] for r in expected]
    assert numbers(traces["예산액"]["x"]) == pytest.approx([r[1] / factor for r in expected])
    assert numbers(traces["집행액"]["x"]) == pytest.approx([r[2] / factor for r in expected])


def test_overview_program_execution_chart(pages: Pages, con: duckdb.DuckDBPyConnection) -> None:
    expected = rows(con, """SELECT p.title, SUM(b.executed), SUM(b.budget) FROM program_budget b
                            JOIN programs p USING (report_id, program_id) WHERE b.report_id = ?
                            GROUP BY b.program_id, p.title ORDER BY b.program_id""", [REPORT_ID])
    bars = [t for t in pages.open(ENTRY).figure("program_execution")["data"] if t["type"] == "bar"]  # one per status
    shown = sorted(zip((y for t in bars for y in t["y"]), (x for t in bars for x in numbers(t["x"])), strict=True))
    assert shown == sorted((title, rate(e, b)) for title, e, b in expected)


def test_jobs_page_job_plus_center(pages: Pages, con: duckdb.DuckDBPyConnection) -> None:
    facts = rows(con, """SELECT measure, value, unit FROM facts WHERE report_id = ? AND program_id = 'Ⅱ-1'
                         AND category = '일자리플러스센터' AND funding_source IS NULL ORDER BY rowid""", [REPORT_ID])
    stages = [(m, float(v)) for m, v, u in facts if u != "%"]
    (percent,) = [float(v) for _, v, u in facts if u == "%"]
    run = pages.open("pages/1_일자리_Jobs.py")
    assert [(m, v) for m, v in stages] == [("구인업체", 1167), ("구인인원", 1507), ("구직자", 952), ("취업알선", 5564),
                                          ("취업자", 420)]
    whole, part = run.figure("jobplus_center")["data"]
    assert (numbers(whole["x"]), numbers(part["x"])) == ([952], [420])
    assert run.metric("구인업체") == "1,167개소" and run.metric("취업알선") == "5,564건"
    seekers, employed = dict(stages)["구직자"], dict(stages)["취업자"]
    assert run.metric("취업률") == f"{percent:.1f}%" == f"{employed * 100 / seekers:.1f}%" == "44.1%"


def test_organisation_staffing(pages: Pages, con: duckdb.DuckDBPyConnection) -> None:
    staff = rows(con, """SELECT grade, authorized, current FROM staffing WHERE report_id = ?
                         ORDER BY job_series, grade""", [REPORT_ID])
    run = pages.open("pages/5_조직_Organisation.py")
    traces = run.traces("staffing")
    assert traces["정원"]["y"] == [g for g, _, _ in staff]
    assert numbers(traces["정원"]["x"]) == [a for _, a, _ in staff] == [1, 4, 7, 3, 2]
    assert numbers(traces["현원"]["x"]) == [c for _, _, c in staff] == [1, 6, 4, 4, 1]
    authorized, current = sum(a for _, a, _ in staff), sum(c for _, _, c in staff)
    assert run.metric("정원") == f"{authorized}명"
    assert run.metric("현원") == f"{current}명"
    assert run.metric("과부족 (현원 − 정원)") == f"△{authorized - current}명" == "△1명"


def test_public_jobs_selections_targets_and_discrepancy(pages: Pages, con: duckdb.DuckDBPyConnection) -> None:
    people = rows(con, """
        SELECT x.category,
               SUM(x.value) FILTER (WHERE x.measure = '선발인원' AND x.period LIKE '%-H1'),
               SUM(x.value) FILTER (WHERE x.measure = '목표인원' AND x.period LIKE '%-H2')
        FROM facts x JOIN subprograms s ON s.report_id = x.report_id AND s.program_id = x.program_id
             AND s.subprogram = x.category
        WHERE x.report_id = ? AND x.program_id = 'Ⅱ-2' GROUP BY x.category, s.rowid ORDER BY s.rowid""", [REPORT_ID])
    expected, computed = rows(con, "SELECT expected, computed FROM checks WHERE report_id = ? AND check_id = ?",
                              [REPORT_ID, "publicwork.target.annual"])[0]
    run = pages.open("pages/2_공공일자리_Public_jobs.py")
    traces = run.traces("public_work_halves")
    assert traces["상반기 선발 (실적)"]["y"] == [p[0] for p in people]
    assert numbers(traces["상반기 선발 (실적)"]["x"]) == [float(p[1]) for p in people] == [181, 20, 20]
    assert numbers(traces["하반기 목표 (목표)"]["x"]) == [float(p[2]) for p in people] == [185, 20, 20]
    (warning,) = [w for w in run.texts("warning") if "연간 목표인원" in w]
    assert f"보고서 {expected:,.0f}명" in warning and f"{computed:,.0f}명" in warning
    assert "448명" in warning and "446명" in warning


@pytest.mark.parametrize("filters", ["default", "youth_national", "jobs_team"])
def test_plans_timeline_has_one_bar_per_dated_plan(pages: Pages, con: duckdb.DuckDBPyConnection, filters: str) -> None:
    teams = [FILTER_SETS[filters]["team"]] if "team" in FILTER_SETS[filters] else list(TEAMS)
    dated = rows(con, """SELECT p.team, l.activity, l.start_month, l.end_month FROM plans l
                         JOIN programs p USING (report_id, program_id)
                         WHERE l.report_id = ? AND list_contains(?, p.team)
                           AND l.start_month IS NOT NULL AND l.end_month IS NOT NULL ORDER BY l.rowid""",
                 [REPORT_ID, teams])
    assert dated
    bars = [(t["name"], y, b + 0.5, b + w - 0.5)
            for t in pages.open("pages/6_향후계획_Plans.py", FILTER_SETS[filters]).figure("plans_timeline")["data"]
            for y, b, w in zip(t["y"], numbers(t["base"]), numbers(t["x"]), strict=True)]
    assert sorted(bars) == sorted((t, a, float(s), float(e)) for t, a, s, e in dated)


# --- 3. downloads hold exactly the filtered rows --------------------------------------------------
@pytest.mark.parametrize("filters", list(FILTER_SETS))
def test_budget_downloads_equal_db(pages: Pages, con: duckdb.DuckDBPyConnection, filters: str) -> None:
    query = FILTER_SETS[filters]
    unit = str(query.get("unit", "천원"))
    teams = [query["team"]] if "team" in query else TEAMS
    sources = [query["source"]] if "source" in query else SOURCES
    run = pages.open(ENTRY, query)
    for name, group, label in (("budget_by_source", "b.funding_source", "재원"), ("budget_by_team", "p.team", "팀")):
        header, body = read_csv(run.download(name))
        assert header == [label, f"예산액({unit})", f"집행액({unit})", "집행률(%)"]
        expected = program_budget(con, group, teams, sources)
        assert [r[0] for r in body] == [e[0] for e in expected]
        assert [float(c) for r in body for c in r[1:]] == pytest.approx(
            [v for _, b, e in expected for v in (b / UNIT_FACTOR[unit], e / UNIT_FACTOR[unit], rate(e, b))])
        if unit == "천원":  # 천원 amounts are whole numbers in the file
            assert [r[1:3] for r in body] == [[str(b), str(e)] for _, b, e in expected]


def test_budget_by_source_download_national_only(pages: Pages) -> None:
    file = pages.open(ENTRY, {"source": "국비"}).download("budget_by_source")
    assert file.filename == "ydp_budget_by_source_국비_2023-05-31.csv"
    assert file.content.startswith(BOM + "재원,예산액(천원),집행액(천원),집행률(%)\r\n".encode())
    assert read_csv(file)[1] == [["국비", "1089476", "446992", "41.0"]]


def test_public_jobs_and_staffing_downloads_equal_db(pages: Pages, con: duckdb.DuckDBPyConnection) -> None:
    header, body = read_csv(pages.open("pages/2_공공일자리_Public_jobs.py").download("public_work_people"))
    assert header == ["세부사업", "상반기 선발인원(명)", "하반기 목표인원(명)", "출처"]
    assert [r[:3] for r in body] == [["동행일자리", "181", "185"], ["지역공동체일자리", "20", "20"], ["청년드림나래", "20", "20"]]
    header, body = read_csv(pages.open("pages/5_조직_Organisation.py").download("staffing_table"))
    assert header == ["직렬", "직급", "정원(명)", "현원(명)", "과부족(명)", "보고서 과부족(명)", "출처"]
    staff = rows(con, """SELECT job_series, grade, authorized, current, current - authorized, stated_difference, source
                         FROM staffing WHERE report_id = ? ORDER BY job_series, grade""", [REPORT_ID])
    assert body == [[str(c) for c in r] for r in staff]


@pytest.mark.parametrize("filters", ["default", "youth_national"])
def test_plans_download_equals_db(pages: Pages, con: duckdb.DuckDBPyConnection, filters: str) -> None:
    teams = [FILTER_SETS[filters]["team"]] if "team" in FILTER_SETS[filters] else list(TEAMS)
    expected = rows(con, """SELECT l.program_id, p.team, l.activity FROM plans l JOIN programs p
                            USING (report_id, program_id) WHERE l.report_id = ? AND list_contains(?, p.team)
                            ORDER BY l.rowid""", [REPORT_ID, teams])
    header, body = read_csv(pages.open("pages/6_향후계획_Plans.py", FILTER_SETS[filters]).download("plans"))
    columns = [header.index(c) for c in ("사업번호", "팀", "추진내용")]
    assert [tuple(r[i] for i in columns) for r in body] == expected


def test_data_page_every_table_downloads_its_rows(pages: Pages, con: duckdb.DuckDBPyConnection) -> None:
    run = pages.open("pages/7_데이터_Data.py", cache=False)
    tables = list(run.at.selectbox(key="data_table").options)
    assert len(tables) >= 10
    for option in tables:
        name = option.split(" — ")[0]
        run.at.selectbox(key="data_table").set_value(name).run()
        assert not run.at.exception, (name, [e.value for e in run.at.exception])
        media = KeptStorage.latest
        assert media is not None
        url = run.at.get_by_key(f"dl_table_{name}").proto.url
        file = media.get_file(url.rsplit("/", 1)[-1])
        assert file.filename == f"ydp_table_{name}_{AS_OF}.csv"
        (count,) = rows(con, f'SELECT COUNT(*) FROM "{name}" WHERE report_id = ?', [REPORT_ID])[0]
        assert len(read_csv(file)[1]) == count == len(run.at.dataframe[-1].value), name


# --- 4. URL state -------------------------------------------------------------------------------
BAD_QUERY: dict[str, str | list[str]] = {
    "team": ["기획팀", "'; DROP TABLE facts; --"], "source": "도비", "unit": "달러", "foo": "1",
}


@pytest.mark.parametrize("page", PAGES)
def test_unknown_url_values_are_named_and_ignored(pages: Pages, page: str) -> None:
    run = pages.open(page, BAD_QUERY)
    assert not run.at.exception, [e.value for e in run.at.exception]
    (warning,) = [w for w in run.texts("warning") if w.startswith(IGNORED)]
    for part in ("team=기획팀", "team='; DROP TABLE facts; --", "source=도비", "unit=달러", "foo"):
        assert md(part) in warning, (part, warning)
    assert run.at.multiselect(key="team").value == []
    assert run.at.get_by_key("unit").value == "천원"
    assert not {"team", "source", "unit"} & set(run.at.query_params), dict(run.at.query_params)


@pytest.mark.parametrize(("query", "named"), [
    ({"team": "기획팀"}, "team=기획팀"),
    ({"source": "도비"}, "source=도비"),
    ({"unit": "달러"}, "unit=달러"),
    ({"foo": "1"}, "foo"),
    ({"team": "'; DROP TABLE facts; --"}, "team='; DROP TABLE facts; --"),
    ({"'; DROP TABLE facts; --": "1"}, "'; DROP TABLE facts; --"),
])
def test_one_unknown_value_on_the_overview(pages: Pages, con: duckdb.DuckDBPyConnection, query: dict[str, str],
                                           named: str) -> None:
    before = rows(con, "SELECT COUNT(*) FROM facts")[0][0]
    run = pages.open(ENTRY, query)
    assert not run.at.exception, [e.value for e in run.at.exception]
    assert run.texts("warning") == [f"{IGNORED} (ignored URL values): {md(named)}"]
    assert run.amount("예산액", "과 전체") == "7,113,947천원"
    assert not [label for label, _ in run.metrics() if "주요사업" in label], "an unknown value filtered the view"
    assert rows(con, "SELECT COUNT(*) FROM facts")[0][0] == before > 0


def test_known_and_unknown_values_together(pages: Pages) -> None:
    run = pages.open(ENTRY, {"team": ["청년지원팀", "기획팀"]})
    assert run.texts("warning") == [f"{IGNORED} (ignored URL values): team=기획팀"]
    assert run.at.multiselect(key="team").value == ["청년지원팀"]
    assert run.amount("예산액", "주요사업") == "881,580천원"


@pytest.mark.parametrize(("page", "query"), [
    ("pages/2_공공일자리_Public_jobs.py", {"team": "상생기업팀"}),
    ("pages/1_일자리_Jobs.py", {"team": "청년지원팀", "source": "국비"}),
])
def test_filter_leaving_nothing_shows_info(pages: Pages, page: str, query: dict[str, str]) -> None:
    run = pages.open(page, query)
    assert not run.at.exception, [e.value for e in run.at.exception]
    assert run.texts("info") and all(NO_DATA in i for i in run.texts("info")), run.texts("info")
    assert not run.at.get("plotly_chart") and not run.at.get("download_button")


def test_public_jobs_national_budget_section_is_empty(pages: Pages) -> None:
    """Ⅱ-2 has no 국비: its funding chart gives way to the no-data message; the people chart stays."""
    run = pages.open("pages/2_공공일자리_Public_jobs.py", {"source": "국비"})
    assert not run.at.exception
    assert "public_work_budget_by_source" not in run.keyed("plotly_chart", "chart_")
    assert "public_work_attainment" in run.keyed("plotly_chart", "chart_")
    assert any(NO_DATA in i for i in run.texts("info"))


def test_filters_survive_a_page_switch(pages: Pages) -> None:
    at = pages.open(ENTRY, {"team": "청년지원팀"}, cache=False).at
    at.switch_page("pages/4_청년_Youth.py").run()
    assert not at.exception
    assert at.multiselect(key="team").value == ["청년지원팀"]
    assert at.query_params["team"] == "청년지원팀"


def test_comma_list_in_url_is_applied_or_named(pages: Pages) -> None:
    run = pages.open(ENTRY, {"team": "청년지원팀,상생기업팀"})
    applied = run.at.multiselect(key="team").value == ["상생기업팀", "청년지원팀"] or \
        run.at.multiselect(key="team").value == ["청년지원팀", "상생기업팀"]
    named = any("청년지원팀,상생기업팀" in w or "team=" in w for w in run.texts("warning"))
    assert applied or named, (run.at.multiselect(key="team").value, run.texts("warning"))


def test_checks_download_does_not_label_every_difference_in_people(pages: Pages) -> None:
    header, body = read_csv(pages.open("pages/7_데이터_Data.py").download("checks"))
    units = {r[header.index("단위")] for r in body}
    assert units - {"명"}, "all checks are in 명: the label would be right"
    assert "과부족(명)" not in header, header


def test_checks_table_shows_a_failed_difference_as_non_zero(pages: Pages, con: duckdb.DuckDBPyConnection) -> None:
    (difference, description) = rows(con, "SELECT difference, description FROM checks WHERE report_id = ? "
                                     "AND check_id = ?", [REPORT_ID, "program.Ⅱ-1.rate"])[0]
    assert 0 < abs(difference) < 0.5
    table = pages.open("pages/7_데이터_Data.py").tables()["checks"]  # no check ids there: found by its description
    (row,) = [r for _, r in table.iterrows() if r["내용"] == description]
    assert row["결과"] == "불일치"
    shown = str(row[[c for c in table.columns if c.startswith("차이")][0]])
    assert shown not in ("0", "△0"), f"difference {difference} shown as {shown!r}"
