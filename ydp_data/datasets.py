"""The dataset files: which model each CSV holds, its key, and what its columns refer to."""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ydp_data import models


@dataclass(frozen=True)
class DatasetSpec:
    """One CSV file of datasets/: its table name, record model, key and references."""

    table: str
    model: type[BaseModel]
    key: tuple[str, ...]
    title: str
    # column(s) -> (table, column(s)) that must hold the same value in the same report
    refs: dict[tuple[str, ...], tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"{self.table}.csv"

    @property
    def columns(self) -> list[str]:
        return list(self.model.model_fields)

    @property
    def numeric_columns(self) -> set[str]:
        """Columns that hold numbers: these cells accept '1,234' and '△1'."""
        return {c for c, t in sql_columns(self.model).items() if t.startswith(("BIGINT", "DECIMAL"))}

    @property
    def integer_columns(self) -> set[str]:
        """Columns of whole numbers (money in 천원, counts): a dot there is refused, never read as a decimal."""
        return {c for c, t in sql_columns(self.model).items() if t == "BIGINT"}


def sql_type(annotation: Any) -> str:
    """DuckDB column type of a pydantic field annotation."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return sql_type(inner[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return sql_type(typing.get_args(annotation)[0])
    if isinstance(annotation, type):
        if issubclass(annotation, Enum) or issubclass(annotation, str):
            return "VARCHAR"
        if issubclass(annotation, bool):
            return "BOOLEAN"
        if issubclass(annotation, int):
            return "BIGINT"
        if issubclass(annotation, Decimal):
            return "DECIMAL(18,3)"
        if issubclass(annotation, dt.date):
            return "DATE"
    raise TypeError(f"no DuckDB type for {annotation!r}")


def sql_columns(model: type[BaseModel]) -> dict[str, str]:
    """DuckDB column types of a record model, in field order."""
    return {name: sql_type(f.annotation) for name, f in model.model_fields.items()}


R = ("report_id",)
SPECS: tuple[DatasetSpec, ...] = (
    DatasetSpec("reports", models.Report, R, "보고서"),
    DatasetSpec("teams", models.TeamRecord, ("report_id", "team"), "팀", {R: ("reports", R)}),
    DatasetSpec("team_duties", models.TeamDuty, ("report_id", "team", "seq"), "팀별 업무",
                {("report_id", "team"): ("teams", ("report_id", "team"))}),
    DatasetSpec("staffing", models.Staffing, ("report_id", "job_series", "grade"), "인력(직급별 정원·현원)",
                {R: ("reports", R)}),
    DatasetSpec("facilities", models.Facility, ("report_id", "facility_id"), "주요시설",
                {("report_id", "team"): ("teams", ("report_id", "team"))}),
    DatasetSpec("facility_parts", models.FacilityPart, ("report_id", "facility_id", "part"), "시설 세부 공간",
                {("report_id", "facility_id"): ("facilities", ("report_id", "facility_id"))}),
    DatasetSpec("equipment", models.Equipment, ("report_id", "equipment_id"), "장비",
                {("report_id", "team"): ("teams", ("report_id", "team"))}),
    DatasetSpec("budget_units", models.BudgetUnit, ("report_id", "unit_program"), "단위사업별 예산현황",
                {R: ("reports", R)}),
    DatasetSpec("programs", models.Program, ("report_id", "program_id"), "주요사업",
                {("report_id", "team"): ("teams", ("report_id", "team")),
                 ("report_id", "unit_program"): ("budget_units", ("report_id", "unit_program"))}),
    DatasetSpec("program_budget", models.ProgramBudget, ("report_id", "program_id", "funding_source"),
                "주요사업 재원별 예산·집행", {("report_id", "program_id"): ("programs", ("report_id", "program_id"))}),
    DatasetSpec("stated_totals", models.StatedTotal, ("report_id", "total_id"), "보고서에 적힌 합계",
                {R: ("reports", R)}),
    DatasetSpec("subprograms", models.Subprogram, ("report_id", "program_id", "subprogram"), "세부사업",
                {("report_id", "program_id"): ("programs", ("report_id", "program_id"))}),
    DatasetSpec("facts", models.Fact, ("report_id", "fact_id"), "사업 실적·목표",
                {("report_id", "program_id"): ("programs", ("report_id", "program_id"))}),
    DatasetSpec("plans", models.Plan, ("report_id", "plan_id"), "향후계획",
                {("report_id", "program_id"): ("programs", ("report_id", "program_id"))}),
)
SPEC_BY_TABLE: dict[str, DatasetSpec] = {s.table: s for s in SPECS}
