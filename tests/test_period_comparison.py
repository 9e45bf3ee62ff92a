"""Period comparison (ydp_data/compare.py and the pages that show it) against numbers stated, not recomputed.

Two periods: the real 2023-05-31 report and the test-only 2023-12-31 fixture (tests/fixtures/report_2023_12_test,
whose README states its year-end figures), imported into a copy of datasets/. In the copy of the fixture two rows
are changed so that the comparison has every case: the SNS channel 블로그 is replaced by a new channel 유튜브
(150명; a row new in the current report and one gone from it), and 오랑's 이용인원 falls to 5,000명 (5,496 in May).
Every expected value is typed from the report, the fixture's README or this docstring; none is computed with the
product's subtraction.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_pages import Card, app_with_report, cards_of, open_page
from ydp_data.compare import with_previous

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "report_2023_12_test"
MAY, DEC = "ydp-jobs-2023-05", "test-ydp-jobs-2023-12"
RED, GREEN, GRAY = "red", "green", "gray"  # the change's colour (ydp_data.cards)
DOWN, UP, NONE = "▼", "▲", ""  # the arrow beside it
# the fixture's rows changed for this module (facts.csv): (old text, new text)
EDITS = [
    ("orang.sns.blog,Ⅱ-4,SNS 채널 구독자,블로그,,actual,2023-YTD,88,",
     "orang.sns.youtube,Ⅱ-4,SNS 채널 구독자,유튜브,,actual,2023-YTD,150,"),
    ("orang.visitors,Ⅱ-4,이용인원,서울청년센터 영등포 오랑,,actual,2023-YTD,14382,",
     "orang.visitors,Ⅱ-4,이용인원,서울청년센터 영등포 오랑,,actual,2023-YTD,5000,"),
]


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """datasets/ copied, the edited fixture imported beside the real report, a database built; env points at it."""
    work = tmp_path_factory.mktemp("period_comparison")
    shutil.copytree(FIXTURE, work / "december")
    facts = work / "december" / "facts.csv"
    text = facts.read_bytes().decode("utf-8-sig")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    facts.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    with app_with_report(work, work / "december") as db:
        yield db


@pytest.fixture(scope="module")
def overview(two_periods: Path) -> AppTest:
    at = open_page("dashboard.py")
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def youth(two_periods: Path) -> AppTest:
    at = open_page("pages/4_청년_Youth.py")
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> Card:
    found = [m for m in cards_of(at) if m.label == label]
    assert found, (label, [m.label for m in cards_of(at)])
    return found[0]


def delta(at: AppTest, label: str) -> tuple[str, str, int, int]:
    """A card as (value, delta text, arrow, colour)."""
    m = metric(at, label)
    return m.value, m.delta, m.arrow, m.color


def traces(at: AppTest, key: str) -> dict[str, dict[str, Any]]:
    (chart,) = [c for c in at.get("plotly_chart") if c.key == f"chart_{key}"]
    return {str(t["name"]): t for t in json.loads(chart.proto.spec)["data"]}


# --- compare.with_previous on frames typed here --------------------------------------------------------------------
def test_with_previous_pairs_rows_and_keeps_rows_new_in_the_current_report() -> None:
    current = pd.DataFrame({"category": ["인스타그램", "유튜브", "카카오플러스"], "value": [612.0, 150.0, 2705.0]})
    previous = pd.DataFrame({"category": ["인스타그램", "블로그", "카카오플러스"], "value": [449.0, 63.0, 2342.0]})
    both = with_previous(current, previous, ["category"])
    assert both["category"].tolist() == ["인스타그램", "유튜브", "카카오플러스"]  # the current report's rows, in its order
    assert both["value"].tolist() == [612.0, 150.0, 2705.0]
    prev, change = both["value_prev"].tolist(), both["value_change"].tolist()
    assert (prev[0], prev[2], change[0], change[2]) == (449.0, 2342.0, 163.0, 363.0)
    assert math.isnan(prev[1]) and math.isnan(change[1]), "a row new in the current report has no previous value"
    assert "블로그" not in both["category"].tolist(), "a row gone from the current report is not shown as current"


def test_with_previous_of_one_row_totals_and_a_fall() -> None:
    both = with_previous(pd.DataFrame({"executed": [5000]}), pd.DataFrame({"executed": [5496]}), [])
    assert both.to_dict("records") == [{"executed": 5000, "executed_prev": 5496, "executed_change": -496}]


# --- cards: the change since the previous report, its sign, arrow and colour ----------------------------------------
def test_overview_execution_rises_green(overview: AppTest) -> None:
    """Executed 2,677,482 → 6,731,152 천원 and 37.6 % → 94.6 % (the fixture's README): up, green."""
    assert overview.selectbox(key="report").value == DEC
    assert delta(overview, "집행액 (과 전체, 천원)") == ("6,731,152", "4,053,670", UP, GREEN)
    assert delta(overview, "집행률 (과 전체)") == ("94.6%", "57.0%p", UP, GREEN)
    assert delta(overview, "예산액 (과 전체, 천원)") == ("7,113,947", "0", NONE, GRAY)  # budgets unchanged
    assert all(m.since == "2023-05-31 대비" for m in cards_of(overview) if m.delta)


def test_overview_team_chart_beside_the_previous_report(overview: AppTest) -> None:
    """The previous executed amounts per team are May's: 73,039 + 1,015,987 + 82,434; 505,020; 227,955 + 311,100."""
    team = traces(overview, "budget_by_team")
    assert list(team) == ["예산액", "집행액", "직전 집행액"]
    assert team["직전 집행액"]["y"] == ["일자리사업팀", "상생기업팀", "청년지원팀"]
    assert [float(v) for v in team["직전 집행액"]["x"]] == [1_171_460, 505_020, 539_055]


def test_youth_fall_is_red_and_down_rise_is_green(youth: AppTest) -> None:
    """오랑 이용인원 5,496 → 5,000 (△496명: down, red); 시설대관 162 → 398회 (236회: up, green)."""
    assert delta(youth, "이용인원") == ("5,000명", "△496명", DOWN, RED)
    assert delta(youth, "시설대관 횟수") == ("398회", "236회", UP, GREEN)
    assert delta(youth, "시설대관 인원") == ("2,187명", "1,296명", UP, GREEN)  # 891 → 2,187


def test_youth_execution_rise_is_green(youth: AppTest) -> None:
    """Ⅱ-4's executed amount 227,955 (May) rose: the change reads up and green, never red."""
    executed = [m for m in cards_of(youth) if m.label == "집행액 (천원)"][0]
    assert executed.arrow == UP and executed.color == GREEN
    assert not executed.delta.startswith(("△", "-"))


def test_new_row_shown_without_a_previous_value_and_gone_row_not_drawn(youth: AppTest) -> None:
    """SNS: 인스타그램 449 → 612, 카카오플러스 2,342 → 2,705, 유튜브 new with 150 (no previous bar, not a bar of 0);
    블로그 (63 in May) is gone from the current report and is not drawn as a current value."""
    sns = traces(youth, "orang_social_media")
    assert list(sns) == ["직전 보고", "이번 보고"]
    assert sns["이번 보고"]["y"] == sns["직전 보고"]["y"] == ["인스타그램", "유튜브", "카카오플러스"]
    assert [float(v) for v in sns["이번 보고"]["x"]] == [612, 150, 2705]
    assert sns["직전 보고"]["x"] == [449, None, 2342]


def test_first_report_shows_no_change(two_periods: Path) -> None:
    at = open_page("pages/4_청년_Youth.py", {"report": MAY})
    assert not at.exception
    assert all(not m.delta for m in cards_of(at))
    assert list(traces(at, "orang_social_media")) == ["이번 보고"]


def test_jobs_employed_rise_is_green(two_periods: Path) -> None:
    """일자리플러스센터 취업자 420 → 1,046명 (the fixture's README): 626명 more, up and green."""
    at = open_page("pages/1_일자리_Jobs.py")
    assert not at.exception
    assert delta(at, "취업자") == ("1,046명", "626명", UP, GREEN)
