"""Number formats and Korean column labels, set once for every table, chart and CSV."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

MONEY_FACTORS: dict[str, int] = {"천원": 1, "백만원": 1_000, "억원": 100_000}  # in 천원
MONEY_DECIMALS: dict[str, int] = {"천원": 0, "백만원": 1, "억원": 2}
# Money per result (per person, per firm) stays in 천원, or in 만원 when millions or 억원 are chosen: a few hundred
# 천원 per person would otherwise read 0.00억원.
PER_RESULT_UNITS: dict[str, str] = {"천원": "천원", "백만원": "만원", "억원": "만원"}
PER_RESULT_FACTORS: dict[str, int] = {"천원": 1, "만원": 10}  # in 천원
PER_RESULT_DECIMALS: dict[str, int] = {"천원": 1, "만원": 1}

# column -> (Korean label, kind); kind "money" is 천원 in the data and follows the money switch
COLUMNS: dict[str, tuple[str, str]] = {
    "budget": ("예산액", "money"),
    "executed": ("집행액", "money"),
    "remaining": ("잔액", "money"),
    "rate": ("집행률", "pct"),
    "stated_rate_pct": ("보고서 집행률", "pct"),
    "elapsed_pct": ("연중 경과율", "pct"),
    "gap_pp": ("경과율 대비 차이(%p)", "signed"),
    "share_pct": ("비중", "pct"),
    "stated_ratio_pct": ("보고서 재원비율", "pct"),
    "unit_program": ("단위사업명", "text"),
    "program_id": ("사업번호", "text"),
    "program_title": ("사업명", "text"),
    "title": ("사업명", "text"),
    "team": ("팀", "text"),
    "team_en": ("Team", "text"),
    "funding_source": ("재원", "text"),
    "category": ("구분", "text"),
    "subprogram": ("세부사업", "text"),
    "measure": ("항목", "text"),
    "kind": ("구분(목표/실적/계획)", "text"),
    "period": ("기간", "text"),
    "value": ("값", "number"),
    "unit": ("단위", "text"),
    "category_total": ("합계", "number"),
    "selected_h1": ("상반기 선발인원(명)", "count"),
    "target_h2": ("하반기 목표인원(명)", "count"),
    "job_series": ("직렬", "text"),
    "grade": ("직급", "text"),
    "authorized": ("정원(명)", "count"),
    "current": ("현원(명)", "count"),
    "difference": ("과부족(명)", "signed"),
    "stated_difference": ("보고서 과부족(명)", "signed"),
    "seq": ("순번", "count"),
    "duty": ("업무", "text"),
    "name": ("명칭", "text"),
    "address": ("주소", "text"),
    "floor_area_m2": ("연면적(㎡)", "number"),
    "used_area_m2": ("사용면적(㎡)", "number"),
    "area_m2": ("면적(㎡)", "number"),
    "use": ("용도", "text"),
    "part": ("공간", "text"),
    "quantity": ("수량", "number"),
    "quantity_unit": ("수량 단위", "text"),
    "vehicle_type": ("차종", "text"),
    "model_year": ("연식", "year"),
    "plan_id": ("계획번호", "text"),
    "plan_group": ("과제", "text"),
    "activity": ("추진내용", "text"),
    "detail": ("세부내용", "text"),
    "schedule": ("추진시기(원문)", "text"),
    "start_month": ("시작월", "count"),
    "end_month": ("종료월", "count"),
    "description": ("내용", "text"),
    "target_group": ("대상", "text"),
    "purpose": ("목적", "text"),
    "status": ("결과", "text"),
    "expected": ("보고서 값", "number"),
    "computed": ("계산 값", "number"),
    "tolerance": ("허용오차", "number"),
    "per": ("성과 단위", "text"),
    "results": ("실적", "number"),
    "result_unit": ("실적 단위", "text"),
    "budget_per_result": ("성과 1단위당 예산액", "per_result"),
    "executed_per_result": ("성과 1단위당 집행액", "per_result"),
    "whole": ("전체(목표·모수)", "number"),
    "rate_pct": ("비율(계산)", "pct"),
    "part_measure": ("실적 항목", "text"),
    "whole_measure": ("목표·모수 항목", "text"),
    "part_kind": ("실적 구분", "text"),
    "whole_kind": ("목표·모수 구분", "text"),
    "whole_period": ("목표·모수 기간", "text"),
    "stage": ("구분(반기)", "text"),
    "programs": ("포함된 주요사업", "text"),
    "gap": ("차이(계산 − 보고서)", "number"),
    "relation": ("비교", "text"),
    "report_id": ("보고서 ID", "text"),
    "district": ("자치구", "text"),
    "division": ("부서", "text"),
    "as_of": ("기준일", "text"),
    "source_file": ("원본 파일", "text"),
    "sort_order": ("순서", "count"),
    "section": ("장", "text"),
    "number": ("번호", "count"),
    "overview": ("사업개요", "text"),
    "total_id": ("합계 ID", "text"),
    "subject": ("대상", "text"),
    "equipment_id": ("장비 ID", "text"),
    "built_at": ("빌드 시각", "text"),
    "note": ("비고", "text"),
    "source": ("출처", "text"),
    "fact_id": ("항목 ID", "text"),
    "check_id": ("검사 ID", "text"),
    "facility_id": ("시설 ID", "text"),
}
# internal ids and file paths: the Data page keeps them out of its main tables (under '자세히', details)
INTERNAL_COLUMNS: tuple[str, ...] = ("report_id", "fact_id", "check_id", "plan_id", "equipment_id", "facility_id",
                                     "total_id", "source_file")
KIND_LABELS = {"target": "목표", "actual": "실적", "plan": "계획"}
STATUS_LABELS = {"pass": "일치", "fail": "불일치"}


def money_value(thousand_won: float | int | Decimal, unit: str) -> Decimal:
    """An amount in 천원 expressed in unit (천원, 백만원 or 억원), exactly."""
    return Decimal(str(thousand_won)) / MONEY_FACTORS[unit]


def number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """A number with thousands separators, rounded half up; negatives written with △ as Korean public finance does."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{abs(exact):,.{decimals}f}"
    return f"△{text}" if exact < 0 else text


def cell(value: float | int | Decimal | None, decimals: int | None = None) -> str:
    """A number for a table cell written as text, e.g. '△2' or '0.0588': △ for negatives, '' when missing, and the
    value's own decimals (up to 4) when decimals is None."""
    if value is None or pd.isna(value):
        return ""
    if decimals is None:
        exact = Decimal(str(value)).quantize(Decimal("0.0001"), ROUND_HALF_UP).normalize()
        decimals = max(0, -int(exact.as_tuple().exponent))
    return number(value, decimals)


def money(thousand_won: float | int | Decimal | None, unit: str, with_unit: bool = True) -> str:
    """An amount in 천원 formatted in the chosen unit, e.g. '7,113,947천원' or '71.14억원'; an exact zero is '0'."""
    if thousand_won is None or (isinstance(thousand_won, float) and pd.isna(thousand_won)):
        return "-"
    value = money_value(thousand_won, unit)
    text = "0" if value == 0 else number(value, MONEY_DECIMALS[unit])
    return f"{text}{unit}" if with_unit else text


def pct(value: float | None) -> str:
    """A percentage to one decimal, e.g. '37.6%'."""
    return "-" if value is None or pd.isna(value) else f"{number(value, 1)}%"


def header(column: str, unit: str) -> str:
    """The Korean header of a column, with its unit, e.g. '예산액(천원)'; '_prev'/'_change' columns of a
    period comparison become '직전 …' and '… 변화'."""
    for suffix, template in (("_prev", "직전 {}"), ("_change", "{} 변화")):
        if column.endswith(suffix) and column.removesuffix(suffix) in COLUMNS:
            return template.format(header(column.removesuffix(suffix), unit))
    label, kind = COLUMNS.get(column, (column, "text"))
    if kind == "money":
        return f"{label}({unit})"
    if kind == "per_result":
        return f"{label}({PER_RESULT_UNITS[unit]})"
    if kind == "pct":
        return f"{label}(%)"
    return label


def fact_money_to(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Facts whose unit is money (백만원, 억원, 천원) restated in the chosen money unit; others unchanged."""
    out = frame.copy()
    if "unit" not in out or "value" not in out:
        return out
    is_money = out["unit"].isin(list(MONEY_FACTORS))
    factors = out.loc[is_money, "unit"].map(MONEY_FACTORS).astype(float)
    for col in ("value", "category_total", "whole"):
        if col in out:
            out[col] = out[col].astype(float)
            out.loc[is_money, col] = out.loc[is_money, col] * factors / MONEY_FACTORS[unit]
    out.loc[is_money, "unit"] = unit
    return out


def display_frame(frame: pd.DataFrame, unit: str, columns: list[str] | None = None) -> pd.DataFrame:
    """The rows as a director reads them: chosen columns, Korean headers with units, money in the chosen unit.

    Values stay numbers (not text), so a CSV of this frame opens in Excel as numbers.
    """
    out = frame[columns] if columns else frame
    out = fact_money_to(out, unit) if "unit" in out and "value" in out else out.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")  # dates are days here (as_of), never times
        elif pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            out[col] = out[col].where(out[col].notna(), "")  # an empty cell, not 'None'
        kind = COLUMNS.get(col.removesuffix("_prev").removesuffix("_change"), (col, "text"))[1]
        if kind == "money":
            out[col] = out[col].astype("float64") / MONEY_FACTORS[unit] if unit != "천원" else out[col]
        elif kind == "per_result":
            out[col] = out[col].astype("float64") / PER_RESULT_FACTORS[PER_RESULT_UNITS[unit]]
        elif col == "kind":
            out[col] = out[col].map(lambda k: KIND_LABELS.get(k, k))
        elif col == "status":
            out[col] = out[col].map(lambda s: STATUS_LABELS.get(s, s))
    return out.rename(columns={c: header(c, unit) for c in out.columns})


def money_in_unit(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Money columns (천원 in the data) and money facts restated in the chosen unit, for a chart."""
    out = fact_money_to(frame, unit)
    for col in out.columns:
        kind = COLUMNS.get(col, ("", ""))[1]
        if kind == "money":
            out[col] = out[col].astype("float64") / MONEY_FACTORS[unit]
        elif kind == "per_result":
            out[col] = out[col].astype("float64") / PER_RESULT_FACTORS[PER_RESULT_UNITS[unit]]
    return out
