"""Pydantic models of every dataset record: one class per CSV file in datasets/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator


class Team(StrEnum):
    """The division's three teams, as the report names them (Ⅰ-1, p.1)."""

    JOBS = "일자리사업팀"
    SOCIAL = "상생기업팀"
    YOUTH = "청년지원팀"


class FundingSource(StrEnum):
    """Funding sources: national, Seoul city and Yeongdeungpo district money."""

    NATIONAL = "국비"
    CITY = "시비"
    DISTRICT = "구비"


class Kind(StrEnum):
    """Whether a figure is a target, an achieved result or a plan (budget, standard, planned count)."""

    TARGET = "target"
    ACTUAL = "actual"
    PLAN = "plan"


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
OptText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
ReportId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]{2,63}$")]
Source = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[ⅠⅡⅢⅣⅤ](-\d+)?(\s\S.*)?, p\.\d+(-\d+)?$")]
Period = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}(-H[12]|-YTD)?$")]
Money = Annotated[int, Field(ge=0, le=10**13)]  # 천원
Count = Annotated[int, Field(ge=0, le=10**9)]
Month = Annotated[int, Field(ge=1, le=12)]
Rate = Annotated[Decimal, Field(ge=0, le=1000, max_digits=6, decimal_places=1)]
Area = Annotated[Decimal, Field(gt=0, le=10**6, max_digits=10, decimal_places=2)]
Quantity = Annotated[Decimal, Field(ge=0, le=10**12, max_digits=16, decimal_places=3)]
Signed = Annotated[Decimal, Field(ge=-(10**12), le=10**12, max_digits=16, decimal_places=3)]


class Record(BaseModel):
    """Common settings: unknown fields are refused, records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class MonthSpan(Record):
    """A record with start_month and end_month: both or neither, and start not after end."""

    @model_validator(mode="after")
    def _months_in_order(self):  # type: ignore[no-untyped-def]
        start, end = self.start_month, self.end_month
        if (start is None) != (end is None):
            raise ValueError("start_month와 end_month는 둘 다 채우거나 둘 다 비워야 합니다")
        if start is not None and end is not None and start > end:
            raise ValueError(f"start_month({start})가 end_month({end})보다 늦습니다")
        return self


class Report(Record):
    report_id: ReportId
    title: Text
    district: Text
    division: Text
    as_of: dt.date
    source_file: Text
    source: Text


class TeamRecord(Record):
    report_id: ReportId
    team: Team
    team_en: Text
    sort_order: Count
    source: Source


class TeamDuty(Record):
    report_id: ReportId
    team: Team
    seq: Count
    duty: Text
    source: Source


class Staffing(Record):
    report_id: ReportId
    job_series: Text
    grade: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[1-9]급$")]
    authorized: Count
    current: Count
    stated_difference: Annotated[int, Field(ge=-1000, le=1000)]
    source: Source


class Facility(Record):
    report_id: ReportId
    facility_id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9_-]{1,40}$")]
    name: Text
    team: Team
    address: Text
    floor_area_m2: Area | None = None
    used_area_m2: Area | None = None
    use: Text
    note: OptText = ""
    source: Source


class FacilityPart(Record):
    report_id: ReportId
    facility_id: Text
    part: Text
    area_m2: Area | None = None
    quantity: Quantity | None = None
    quantity_unit: OptText = ""
    use: Text
    source: Source


class Equipment(Record):
    report_id: ReportId
    equipment_id: Text
    category: Text
    name: Text
    vehicle_type: OptText = ""
    model_year: Annotated[int, Field(ge=1950, le=2100)]
    quantity: Count
    team: Team
    source: Source


class BudgetUnit(Record):
    report_id: ReportId
    unit_program: Text
    sort_order: Count
    budget: Money
    executed: Money
    stated_rate_pct: Rate
    source: Source


class Program(MonthSpan):
    report_id: ReportId
    program_id: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[ⅠⅡⅢⅣⅤ]-\d{1,2}$")]
    section: Annotated[str, StringConstraints(pattern=r"^[ⅠⅡⅢⅣⅤ]$")]
    number: Count
    title: Text
    team: Team
    unit_program: Text
    purpose: Text
    period: Text
    start_month: Month
    end_month: Month
    target_group: Text
    overview: Text
    stated_rate_pct: Rate
    source: Source


class ProgramBudget(Record):
    report_id: ReportId
    program_id: Text
    funding_source: FundingSource
    budget: Money
    executed: Money
    source: Source


class StatedTotal(Record):
    report_id: ReportId
    total_id: Text
    subject: Text
    measure: Text
    value: Signed
    unit: Text
    source: Source


class Subprogram(MonthSpan):
    report_id: ReportId
    program_id: Text
    subprogram: Text
    description: Text
    target_group: OptText = ""
    period: Text
    start_month: Month
    end_month: Month
    source: Source


class Fact(Record):
    report_id: ReportId
    fact_id: Text
    program_id: Text
    measure: Text
    category: Text
    funding_source: FundingSource | None = None
    kind: Kind
    period: Period
    value: Quantity
    unit: Text
    note: OptText = ""
    source: Source


class Plan(MonthSpan):
    report_id: ReportId
    plan_id: Text
    program_id: Text
    plan_group: Text
    activity: Text
    detail: OptText = ""
    schedule: Text
    start_month: Month | None = None
    end_month: Month | None = None
    source: Source
