"""Exact rows of ydp_data.compare.with_previous (mutation testing, issue 16), differences worked out by hand."""

from __future__ import annotations

import math

import pandas as pd

from ydp_data.compare import with_previous


def test_rows_beside_the_previous_report() -> None:
    current = pd.DataFrame({"program_id": ["Ⅱ-1", "Ⅱ-2", "Ⅲ-9"], "title": ["가", "나", "새"],
                            "budget": [207151, 1000, 50], "rate": [35.3, 30.8, 10.0]})
    previous = pd.DataFrame({"program_id": ["Ⅱ-2", "Ⅱ-1", "Ⅹ-1"], "title": ["나", "가", "옛"],
                             "budget": [900, 200000, 7], "rate": [20.0, 30.1, 1.0]})
    out = with_previous(current, previous, ["program_id"])
    assert out.columns.tolist() == ["program_id", "title", "budget", "rate", "budget_prev", "rate_prev", "budget_change",
                                    "rate_change"]
    assert out["program_id"].tolist() == ["Ⅱ-1", "Ⅱ-2", "Ⅲ-9"]
    assert out["title"].tolist() == ["가", "나", "새"]
    assert out["budget_prev"].tolist()[:2] == [200000, 900]
    assert out["budget_change"].tolist()[:2] == [7151, 100]
    assert out["rate_change"].round(1).tolist()[:2] == [5.2, 10.8]
    assert math.isnan(out["budget_prev"].iloc[2]) and math.isnan(out["budget_change"].iloc[2])
    assert math.isnan(out["rate_change"].iloc[2])


def test_a_column_the_previous_report_lacks_has_no_change() -> None:
    current = pd.DataFrame({"team": ["청년지원팀"], "budget": [10], "executed": [4]})
    previous = pd.DataFrame({"team": ["청년지원팀"], "budget": [8]})
    out = with_previous(current, previous, ["team"])
    assert out.to_dict("records") == [{"team": "청년지원팀", "budget": 10, "executed": 4, "budget_prev": 8,
                                       "budget_change": 2}]


def test_one_row_totals_without_keys() -> None:
    current = pd.DataFrame({"budget": [7113947], "executed": [2945000], "label": ["계"]})
    previous = pd.DataFrame({"budget": [7000000], "executed": [2000000], "label": ["계"]})
    out = with_previous(current, previous, [])
    assert out.to_dict("records") == [{"budget": 7113947, "executed": 2945000, "label": "계", "budget_prev": 7000000,
                                       "executed_prev": 2000000, "budget_change": 113947, "executed_change": 945000}]
