"""Exact values of ydp_data.formatting (mutation testing, issue 16): every expected text and number is worked out by
hand from the report's figures (7,113,947천원 is the division's budget, Ⅰ-2 p.3), never by the product's formula."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest

from ydp_data.formatting import (
    cell,
    display_frame,
    fact_money_to,
    header,
    money,
    money_in_unit,
    money_value,
    number,
    pct,
)


def test_money_value_is_exact_in_each_unit() -> None:
    assert money_value(7113947, "천원") == Decimal("7113947")
    assert money_value(7113947, "백만원") == Decimal("7113.947")
    assert money_value(7113947, "억원") == Decimal("71.13947")
    assert money_value(0.1, "천원") == Decimal("0.1")  # through str(): no binary fraction


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(None, 0, "-"), (math.nan, 0, "-"), (1234.5, 0, "1,235"), (2.5, 0, "3"), (-2.5, 0, "△3"),
     (1234.5678, 2, "1,234.57"), (0.05, 1, "0.1"), (-0.04, 1, "0.0"), (7113947, 0, "7,113,947"),
     (Decimal("-1500"), 0, "△1,500"), (0, 0, "0"), (12, 1, "12.0")],
)
def test_number(value: float | None, decimals: int, expected: str) -> None:
    assert number(value, decimals) == expected


def test_number_default_is_whole() -> None:
    assert number(41.45) == "41"
    assert number(-0.5) == "△1"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(None, None, ""), (math.nan, None, ""), (0.0588, None, "0.0588"), (-2, None, "△2"), (1234.5, None, "1,234.5"),
     (0.123456, None, "0.1235"), (2.50, None, "2.5"), (100, None, "100"), (3.14159, 2, "3.14"), (7, 1, "7.0"),
     (Decimal("12.3000"), None, "12.3")],
)
def test_cell(value: float | None, decimals: int | None, expected: str) -> None:
    assert cell(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "unit", "with_unit", "expected"),
    [(None, "천원", True, "-"), (math.nan, "억원", True, "-"), (0, "억원", True, "0억원"), (0, "백만원", False, "0"),
     (7113947, "억원", False, "71.14"), (-1500, "백만원", True, "△1.5백만원"), (50, "억원", True, "0.00억원"),
     (881580, "백만원", True, "881.6백만원"), (881580, "천원", True, "881,580천원")],
)
def test_money(value: float | None, unit: str, with_unit: bool, expected: str) -> None:
    assert money(value, unit, with_unit=with_unit) == expected


def test_money_with_the_unit_by_default() -> None:
    assert money(1000, "백만원") == "1.0백만원"


@pytest.mark.parametrize(("value", "expected"), [(None, "-"), (math.nan, "-"), (37.64, "37.6%"), (-1.25, "△1.3%"),
                                                 (100, "100.0%")])
def test_pct(value: float | None, expected: str) -> None:
    assert pct(value) == expected


@pytest.mark.parametrize(
    ("column", "unit", "expected"),
    [("budget", "천원", "예산액(천원)"), ("budget_prev", "천원", "직전 예산액(천원)"), ("rate_change", "억원", "집행률(%) 변화"),
     ("executed_change", "백만원", "집행액(백만원) 변화"), ("budget_per_result", "백만원", "성과 1단위당 예산액(만원)"),
     ("executed_per_result", "천원", "성과 1단위당 집행액(천원)"), ("budget_per_result", "억원", "성과 1단위당 예산액(만원)"),
     ("unknown_col", "천원", "unknown_col"), ("foo_prev", "천원", "foo_prev"), ("team", "억원", "팀"),
     ("gap_pp", "천원", "경과율 대비 차이(%p)"), ("value", "천원", "값"), ("share_pct", "천원", "비중(%)")],
)
def test_header(column: str, unit: str, expected: str) -> None:
    assert header(column, unit) == expected


def facts_frame() -> pd.DataFrame:
    return pd.DataFrame({"value": [1.5, 181.0, 2698.0], "unit": ["백만원", "명", "억원"],
                         "category_total": [3.0, 200.0, 2698.0], "whole": [6, 400, 5396]})


def test_fact_money_to_thousands() -> None:
    frame = facts_frame()
    out = fact_money_to(frame, "천원")
    assert out["value"].tolist() == [1500.0, 181.0, 269_800_000.0]
    assert out["category_total"].tolist() == [3000.0, 200.0, 269_800_000.0]
    assert out["whole"].tolist() == [6000.0, 400.0, 539_600_000.0]
    assert out["unit"].tolist() == ["천원", "명", "천원"]
    assert frame["unit"].tolist() == ["백만원", "명", "억원"]  # the caller's frame is left as it was
    assert frame["value"].tolist() == [1.5, 181.0, 2698.0]


def test_fact_money_to_hundred_millions() -> None:
    out = fact_money_to(facts_frame(), "억원")
    assert out["value"].tolist() == pytest.approx([0.015, 181.0, 2698.0])
    assert out["unit"].tolist() == ["억원", "명", "억원"]


def test_fact_money_to_leaves_other_frames() -> None:
    frame = pd.DataFrame({"value": [1.5]})
    out = fact_money_to(frame, "억원")
    assert out["value"].tolist() == [1.5]
    out.loc[0, "value"] = 9.0
    assert frame["value"].tolist() == [1.5]  # a copy
    only_unit = pd.DataFrame({"unit": ["백만원"]})
    assert fact_money_to(only_unit, "천원")["unit"].tolist() == ["백만원"]


def test_display_frame_in_hundred_millions() -> None:
    frame = pd.DataFrame({
        "as_of": pd.to_datetime(["2023-05-31"]), "title": [None], "team": ["청년지원팀"], "budget": [881580],
        "budget_prev": [800000], "budget_per_result": [1234.5], "kind": ["target"], "status": ["fail"], "rate": [61.1],
    })
    shown = display_frame(frame, "억원")
    assert list(shown.columns) == ["기준일", "사업명", "팀", "예산액(억원)", "직전 예산액(억원)", "성과 1단위당 예산액(만원)",
                                   "구분(목표/실적/계획)", "결과", "집행률(%)"]
    row = shown.iloc[0]
    assert row["기준일"] == "2023-05-31"
    assert row["사업명"] == ""
    assert row["예산액(억원)"] == pytest.approx(8.8158)
    assert row["직전 예산액(억원)"] == pytest.approx(8.0)
    assert row["성과 1단위당 예산액(만원)"] == pytest.approx(123.45)
    assert row["구분(목표/실적/계획)"] == "목표"
    assert row["결과"] == "불일치"
    assert row["집행률(%)"] == 61.1


def test_display_frame_in_thousands_keeps_integers_and_labels() -> None:
    frame = pd.DataFrame({"budget": [881580, 7], "budget_per_result": [1234.5, 1.0], "kind": ["actual", "other"],
                          "status": ["pass", "odd"], "team": ["청년지원팀", "상생기업팀"]})
    shown = display_frame(frame, "천원", ["budget", "budget_per_result", "kind", "status"])
    assert list(shown.columns) == ["예산액(천원)", "성과 1단위당 예산액(천원)", "구분(목표/실적/계획)", "결과"]
    assert shown["예산액(천원)"].tolist() == [881580, 7]
    assert shown["예산액(천원)"].dtype.kind == "i"
    assert shown["성과 1단위당 예산액(천원)"].tolist() == [1234.5, 1.0]
    assert shown["구분(목표/실적/계획)"].tolist() == ["실적", "other"]
    assert shown["결과"].tolist() == ["일치", "odd"]


def test_display_frame_restates_money_facts() -> None:
    frame = pd.DataFrame({"measure": ["예산"], "value": [1.5], "unit": ["백만원"]})
    shown = display_frame(frame, "천원")
    assert shown.to_dict("records") == [{"항목": "예산", "값": 1500.0, "단위": "천원"}]
    plain = pd.DataFrame({"plan_id": ["p1"], "budget": [1000]})
    assert display_frame(plain, "백만원").to_dict("records") == [{"계획번호": "p1", "예산액(백만원)": 1.0}]
    assert plain["budget"].tolist() == [1000]


def test_money_in_unit_for_charts() -> None:
    frame = pd.DataFrame({"budget": [881580], "executed_per_result": [1234.5], "rate": [61.1], "value": [2.0],
                          "unit": ["백만원"]})
    out = money_in_unit(frame, "억원")
    assert out["budget"].tolist() == pytest.approx([8.8158])
    assert out["executed_per_result"].tolist() == pytest.approx([123.45])
    assert out["rate"].tolist() == [61.1]
    assert out["value"].tolist() == pytest.approx([0.02])
    assert out["unit"].tolist() == ["억원"]
    same = money_in_unit(pd.DataFrame({"budget": [881580], "budget_per_result": [12.5]}), "천원")
    assert same["budget"].tolist() == [881580.0]
    assert same["budget_per_result"].tolist() == [12.5]


def test_cell_rounds_half_up_before_counting_decimals() -> None:
    assert cell(0.00005) == "0.0001"
    assert cell(0.00004) == "0"


def test_display_frame_blanks_missing_text_and_scales_changes() -> None:
    frame = pd.DataFrame({"title": pd.Series(["가", None], dtype="str"), "budget_change": [100_000, -50_000],
                          "rate_prev": [30.0, 40.0], "foo": [1, 2]})
    shown = display_frame(frame, "억원")
    assert list(shown.columns) == ["사업명", "예산액(억원) 변화", "직전 집행률(%)", "foo"]
    assert shown["사업명"].tolist() == ["가", ""]
    assert shown["예산액(억원) 변화"].tolist() == [1.0, -0.5]
    assert shown["직전 집행률(%)"].tolist() == [30.0, 40.0]
    assert shown["foo"].tolist() == [1, 2]


def test_money_in_unit_leaves_other_columns() -> None:
    out = money_in_unit(pd.DataFrame({"title": ["가"], "foo": [3], "budget": [100_000]}), "억원")
    assert out.to_dict("records") == [{"title": "가", "foo": 3, "budget": 1.0}]
