"""The year unfolding over three report periods (the real May report, a synthetic August one and the test-only
December one, tests/synthetic_periods.py): execution against the pace and attainment against annual targets, period
by period, and whether each lagging programme is closing its gap. Expected values are worked out by hand below."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.apptest_pages import open_page
from tests.synthetic_periods import AUG, DEC, MAY, three_periods
from ydp_data import queries, trend
from ydp_data.build import build
from ydp_data.db import Database
from ydp_data.filters import Filters

# Ⅱ-1 budget 207,151천원 (4,000 시비 + 203,151 구비). Executed: May 73,039 (report, Ⅱ-1 p.4), August 114,000
# (synthetic), December 192,420 (fixture). Pace: day 151, 243 and 365 of 365.
II_1 = [("2023-05-31", 35.3, 41.4, -6.1), ("2023-08-31", 55.0, 66.6, -11.6), ("2023-12-31", 92.9, 100.0, -7.1)]
# Ⅱ-2 budget 3,301,630천원: May 1,015,987 (report), August 1,900,000, December 3,158,586.
II_2 = [("2023-05-31", 30.8, 41.4, -10.6), ("2023-08-31", 57.5, 66.6, -9.1), ("2023-12-31", 95.7, 100.0, -4.3)]


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    work = tmp_path_factory.mktemp("three")
    datasets = three_periods(work)
    build(datasets, work / "ydp.duckdb")
    yield Database(work / "ydp.duckdb")


def with_trend_open(page: str):  # type: ignore[no-untyped-def]
    """A page opened with every section open, the trend section (drawn only with three periods) included."""
    at = open_page(page, run=False)
    at.session_state["section_trend"] = True
    return at.run()


def rows(frame, program: str) -> list[tuple[str, float, float, float]]:  # type: ignore[no-untyped-def]
    part = frame[frame["program_id"] == program]
    return [(str(r.as_of)[:10], float(r.rate), float(r.elapsed_pct), float(r.gap)) for r in part.itertuples()]


def test_execution_trend_period_by_period(three: Database) -> None:
    frame = queries.execution_trend(three, Filters(DEC))
    assert rows(frame, "Ⅱ-1") == II_1
    assert rows(frame, "Ⅱ-2") == II_2
    assert sorted(frame["program_id"].unique()) == ["Ⅱ-1", "Ⅱ-2", "Ⅱ-3", "Ⅱ-4", "Ⅲ-1", "Ⅲ-2"]
    assert trend.has_trend(frame)


def test_a_trend_stops_at_the_chosen_report(three: Database) -> None:
    august = queries.execution_trend(three, Filters(AUG))
    assert rows(august, "Ⅱ-1") == II_1[:2] and not trend.has_trend(august)
    assert list(queries.periods(three, Filters(MAY))["report_id"]) == [MAY]


def test_filters_apply_to_the_trend(three: Database) -> None:
    national = queries.execution_trend(three, Filters(DEC, sources=("시비",)))
    # Ⅱ-1's city money: 4,000 of 4,000 in every period
    assert rows(national, "Ⅱ-1") == [("2023-05-31", 100.0, 41.4, 58.6), ("2023-08-31", 100.0, 66.6, 33.4),
                                     ("2023-12-31", 100.0, 100.0, 0.0)]
    youth = queries.execution_trend(three, Filters(DEC, teams=("청년지원팀",)))
    assert sorted(youth["program_id"].unique()) == ["Ⅱ-4", "Ⅲ-2"]


def test_lagging_programmes_closing_or_widening(three: Database) -> None:
    december = trend.gap_changes(queries.execution_trend(three, Filters(DEC))).set_index("program_id")
    assert december.loc["Ⅱ-1", ["previous_gap", "gap", "change", "direction"]].tolist() == [-11.6, -7.1, 4.5, "closing"]
    assert december.loc["Ⅱ-2", ["previous_gap", "gap", "change", "direction"]].tolist() == [-9.1, -4.3, 4.8, "closing"]
    august = trend.gap_changes(queries.execution_trend(three, Filters(AUG))).set_index("program_id")
    assert august.loc["Ⅱ-1", ["previous_gap", "gap", "change", "direction"]].tolist() == [-6.1, -11.6, -5.5, "widening"]
    assert august.loc["Ⅱ-2", "direction"] == "closing"  # -10.6 → -9.1


@pytest.mark.parametrize(("before", "after", "expected"), [
    (-10.0, -9.0, "closing"), (-10.0, -9.1, "steady"), (-10.0, -11.0, "widening"), (5.0, -5.0, "widening"),
    (-5.0, 3.0, "closing"), (2.0, 2.5, "steady"),
])
def test_direction_thresholds(before: float, after: float, expected: str) -> None:
    assert trend.direction(before, after) == expected


def test_a_programme_new_in_the_latest_report_has_no_change() -> None:
    import pandas as pd

    frame = pd.DataFrame({"program_id": ["A", "A", "B"], "title": ["a", "a", "b"], "team": ["t", "t", "t"],
                          "as_of": ["2023-05-31", "2023-08-31", "2023-08-31"], "gap": [-3.0, -1.0, -9.0]})
    changes = trend.gap_changes(frame)
    assert changes["program_id"].tolist() == ["A"] and changes["direction"].tolist() == ["closing"]


def test_attainment_against_annual_targets_period_by_period(three: Database) -> None:
    frame = queries.attainment_trend(three, Filters(DEC))
    procurement = frame[(frame["program_id"] == "Ⅱ-3")]
    # 공공구매 목표 45억원: May 26억원 (report, Ⅱ-3 p.7) = 57.8%; August and December 47억원 (fixture) = 104.4%
    assert [(str(r.as_of)[:10], float(r.actual), float(r.attainment_pct)) for r in procurement.itertuples()] == [
        ("2023-05-31", 26.0, 57.8), ("2023-08-31", 47.0, 104.4), ("2023-12-31", 47.0, 104.4)]


# --- on the pages --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Three periods on disk, the app pointed at them (YDP_DB, YDP_DATASETS)."""
    work = tmp_path_factory.mktemp("served")
    datasets = three_periods(work)
    db = work / "ydp.duckdb"
    build(datasets, db)
    old = {k: os.environ.get(k) for k in ("YDP_DB", "YDP_DATASETS")}
    os.environ["YDP_DB"], os.environ["YDP_DATASETS"] = str(db), str(datasets)
    yield db
    for key, value in old.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.mark.parametrize(("page", "name", "programs"), [
    ("pages/1_일자리_Jobs.py", "jobs", {"Ⅱ-1": II_1, "Ⅲ-1": None}),
    ("pages/2_공공일자리_Public_jobs.py", "public_jobs", {"Ⅱ-2": II_2}),
])
def test_each_business_line_shows_its_trend(served: Path, page: str, name: str,
                                            programs: dict[str, list[tuple[str, float, float, float]] | None]) -> None:
    at = with_trend_open(page)
    assert not at.exception, [e.value for e in at.exception]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    trend_specs = [s for s in specs if "보고 시점별 집행률" in json.dumps(s.get("layout", {}).get("title", {}),
                                                                      ensure_ascii=False)]
    assert len(trend_specs) == 1, [s.get("layout", {}).get("title") for s in specs]
    traces = {t["name"]: t for t in trend_specs[0]["data"]}
    assert "연중 경과율" in traces and traces["연중 경과율"]["y"] == [41.4, 66.6, 100.0]
    for program, expected in programs.items():
        (trace,) = [t for n, t in traces.items() if n.startswith(program + " ")]
        assert trace["x"] == ["2023-05-31", "2023-08-31", "2023-12-31"]
        if expected:
            assert trace["y"] == [rate for _, rate, _, _ in expected]


def test_social_economy_trend_of_attainment_against_the_annual_target(served: Path) -> None:
    at = with_trend_open("pages/3_상생기업_Social_economy.py")
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    (spec,) = [s for s in specs  # a long title wraps (<br>) to a phone's width
               if "연간 목표 대비 실적" in json.dumps(s["layout"]["title"], ensure_ascii=False).replace("<br>", " ")]
    (trace,) = [t for t in spec["data"] if "Ⅱ-3" in t["name"]]
    assert trace["y"] == [57.8, 104.4, 104.4]  # 26, 47, 47억원 of 45억원


def test_the_overview_strip_says_whether_lagging_programmes_close_their_gap(served: Path) -> None:
    at = open_page("dashboard.py", all_sections=False)
    assert not at.exception
    strip = " ".join(str(m.value) for m in at.markdown).replace("\\", "").replace("\u2060", "")
    assert "Ⅱ-1" in strip and "직전 보고 △11.6%p → △7.1%p, 좁혀지는 중" in strip
    assert "직전 보고 +28.2%p → △5.2%p, 벌어지는 중" in strip  # Ⅱ-3 fell behind since August


def test_no_trend_with_fewer_than_three_periods(served: Path) -> None:
    at = open_page("pages/1_일자리_Jobs.py", {"report": AUG})  # May and August only
    assert not at.exception
    assert not [e for e in at.expander if "보고 시점별 추이" in str(e.label)]
    text = " ".join(str(m.value) for m in at.markdown)
    assert "좁혀지는 중" not in text and "벌어지는 중" not in text
