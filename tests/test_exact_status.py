"""Exact statuses and strips of ydp_data.status (mutation testing, issue 16): gaps worked out by hand against 41.4%
of the year elapsed (2023-05-31), the texts written out in full."""

from __future__ import annotations

import pandas as pd

from ydp_data import status
from ydp_data.status import AHEAD, BEHIND, ON_PACE, Strip

EN = "English"
SCALE = "연중 경과율 41.4% 대비, ±5%p 안은 경과율 수준으로 봅니다."


def test_gap_of() -> None:
    assert status.gap_of(37.6, 41.4) == -3.8
    assert status.gap_of(55, 41.4) == 13.6
    assert status.gap_of("41.4", "41.4") == 0.0


def test_status_of_includes_the_tolerance() -> None:
    assert status.status_of(-5.0) == ON_PACE
    assert status.status_of(-5.1) == BEHIND
    assert status.status_of(5.0) == ON_PACE
    assert status.status_of(5.1) == AHEAD
    assert status.status_of(0.0) == ON_PACE
    assert (BEHIND, ON_PACE, AHEAD) == ("behind", "on_pace", "ahead") == status.STATUSES


def test_labels() -> None:
    assert status.label_of(BEHIND, "한국어") == "뒤처짐"
    assert status.label_of(ON_PACE, EN) == "On pace"
    assert list(status.labels("한국어").items()) == [("behind", "뒤처짐"), ("on_pace", "경과율 수준"), ("ahead", "앞섬")]
    assert list(status.labels(EN).items()) == [("behind", "Behind"), ("on_pace", "On pace"), ("ahead", "Ahead")]


def execution() -> pd.DataFrame:
    return pd.DataFrame({"program_id": ["Ⅱ-1", "Ⅱ-2", "Ⅲ-1", "Ⅱ-4", "Ⅲ-2"], "title": ["가", "나", "다", "라", "마"],
                         "rate": [35.3, 30.8, 60.0, 41.4, None]})


def attainment() -> pd.DataFrame:
    return pd.DataFrame({"program_id": ["Ⅱ-3", "Ⅱ-1"], "category": ["공공구매", "센터"], "actual_measure": ["구매 실적", "취업자"],
                         "actual": [26.0, 1.0], "target": [45.0, 2.0], "unit": ["억원", "명"],
                         "attainment_pct": [57.8, None]})


def test_execution_pace_sorts_most_behind_first_and_keeps_report_order_among_equals() -> None:
    frame = pd.DataFrame({"program_id": list("ABCDE"), "rate": [50.0, 30.8, None, 30.8, 41.4]})
    paced = status.execution_pace(frame, 41.4)
    assert paced["program_id"].tolist() == ["B", "D", "E", "A"]
    assert paced["gap_pp"].tolist() == [-10.6, -10.6, 0.0, 8.6]
    assert paced["pace"].tolist() == [BEHIND, BEHIND, ON_PACE, AHEAD]
    assert paced.index.tolist() == [0, 1, 2, 3]
    assert status.behind_count(paced) == 2


def test_attainment_pace_reads_the_attainment() -> None:
    paced = status.attainment_pace(attainment(), 41.4)
    assert paced["program_id"].tolist() == ["Ⅱ-3"]
    assert paced["gap_pp"].tolist() == [16.4]
    assert paced["pace"].tolist() == [AHEAD]
    assert status.behind_count(paced) == 0


def test_strip() -> None:
    s = status.strip(execution(), attainment(), 41.4, "한국어")
    assert s == Strip((
        (BEHIND, ("Ⅱ-2 나 집행률 30.8% — 경과율보다 △10.6%p", "Ⅱ-1 가 집행률 35.3% — 경과율보다 △6.1%p")),
        (ON_PACE, ("Ⅱ-4 라 집행률 41.4% — 경과율보다 0.0%p",)),
        (AHEAD, ("Ⅱ-3 공공구매 구매 실적 26억원 / 목표 45억원 (57.8%) — 경과율보다 +16.4%p",
                 "Ⅲ-1 다 집행률 60.0% — 경과율보다 +18.6%p")),
    ), SCALE)
    assert s.items(ON_PACE) == ("Ⅱ-4 라 집행률 41.4% — 경과율보다 0.0%p",)
    assert s.items("unknown") == ()


def test_strip_of_some_programmes_with_their_trend() -> None:
    changes = pd.DataFrame({"program_id": ["Ⅱ-2", "Ⅲ-1"], "direction": ["closing", "widening"],
                            "previous_gap": [-11.6, 10.0], "gap": [-10.6, 18.6]})
    s = status.strip(execution(), None, 41.4, EN, programs=("Ⅱ-2", "Ⅲ-1"), changes=changes)
    assert s == Strip((
        (BEHIND, ("Ⅱ-2 나: executed 30.8% — △10.6%p against the year's pace · since the report before △11.6%p → "
                  "△10.6%p, closing",)),
        (AHEAD, ("Ⅲ-1 다: executed 60.0% — +18.6%p against the year's pace",)),
    ), "Against 41.4% of the year elapsed; within ±5 points counts as on pace.")


def test_strip_keeps_behind_first_even_when_empty() -> None:
    s = status.strip(execution(), None, 41.4, "한국어", programs=("Ⅱ-4",))
    assert s == Strip(((BEHIND, ()), (ON_PACE, ("Ⅱ-4 라 집행률 41.4% — 경과율보다 0.0%p",))), SCALE)
    assert s.items(BEHIND) == ()


def test_strip_without_rows() -> None:
    assert status.strip(execution().iloc[0:0], None, 41.4, "한국어") == Strip((), SCALE)
    assert status.strip(execution(), attainment(), 41.4, "한국어", programs=("Ⅹ-9",)).groups[1:] == (
        (AHEAD, ("Ⅱ-3 공공구매 구매 실적 26억원 / 목표 45억원 (57.8%) — 경과율보다 +16.4%p",)),)


def test_breakdown() -> None:
    assert status.breakdown(execution(), 41.4, "한국어") == (
        "뒤처짐: Ⅱ-2 나 집행률 30.8% — 경과율보다 △10.6%p · Ⅱ-1 가 집행률 35.3% — 경과율보다 △6.1%p; "
        "경과율 수준: Ⅱ-4 라 집행률 41.4% — 경과율보다 0.0%p; 앞섬: Ⅲ-1 다 집행률 60.0% — 경과율보다 +18.6%p.")
    assert status.breakdown(execution(), 41.4, EN, only_behind=True) == (
        "2 programmes behind the year's pace: Ⅱ-2 나: executed 30.8% — △10.6%p against the year's pace · "
        "Ⅱ-1 가: executed 35.3% — △6.1%p against the year's pace.")
    assert status.breakdown(execution().iloc[2:4], 41.4, "한국어", only_behind=True) == "연중 경과율보다 뒤처진 사업이 없습니다."
    assert status.breakdown(execution().iloc[2:4], 41.4, EN) == (
        "On pace: Ⅱ-4 라: executed 41.4% — 0.0%p against the year's pace; "
        "Ahead: Ⅲ-1 다: executed 60.0% — +18.6%p against the year's pace.")
    assert status.breakdown(execution().iloc[4:], 41.4, "한국어") == ""


def test_many_equal_gaps_keep_report_order_and_no_index_column() -> None:
    ids = [f"P{i:02d}" for i in range(40)]
    rates = [30.0 if i % 2 else 50.0 for i in range(40)]  # twenty behind (-11.4), twenty ahead (8.6), interleaved
    paced = status.execution_pace(pd.DataFrame({"program_id": ids, "rate": rates}), 41.4)
    assert paced["program_id"].tolist() == ids[1::2] + ids[0::2]
    assert list(paced.columns) == ["program_id", "rate", "gap_pp", "pace"]
    assert paced.index.tolist() == list(range(40))


def test_strip_in_english_with_targets_and_equal_gaps() -> None:
    att = pd.DataFrame({"program_id": ["Ⅲ-2", "Ⅱ-3"], "category": ["나중", "공공구매"], "actual_measure": ["a", "구매 실적"],
                        "actual": [1.0, 26.0], "target": [2.0, 45.0], "unit": ["명", "억원"], "attainment_pct": [57.8, 57.8]})
    s = status.strip(execution().iloc[0:0], att, 41.4, EN)
    assert s.groups == ((BEHIND, ()), (AHEAD, (
        "Ⅲ-2 나중: a 1 persons of a 2 persons target (57.8%) — +16.4%p against the year's pace",
        "Ⅱ-3 공공구매: Purchases (구매 실적) 26 KRW 100M of a 45 KRW 100M target (57.8%) — +16.4%p against the year's pace")))
    assert status.strip(execution().iloc[0:0], None, 41.4, EN) == Strip(
        (), "Against 41.4% of the year elapsed; within ±5 points counts as on pace.")
    assert status.breakdown(execution().iloc[2:4], 41.4, EN, only_behind=True) == "Nothing is behind the year's pace."
