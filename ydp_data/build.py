"""Builds the DuckDB file from datasets/: validate, load, reconcile, then replace the file atomically."""

from __future__ import annotations

import datetime as dt
import os
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import duckdb
from pydantic import BaseModel

from ydp_data.checks import Check, run_checks
from ydp_data.datasets import SPECS, DatasetSpec
from ydp_data.load import Records, load_datasets

SCHEMA_VERSION = 1
CHECK_COLUMNS = {
    "report_id": "VARCHAR", "check_id": "VARCHAR", "category": "VARCHAR", "description": "VARCHAR",
    "expected": "DECIMAL(18,4)", "computed": "DECIMAL(18,4)", "difference": "DECIMAL(18,4)",
    "tolerance": "DECIMAL(18,4)", "relation": "VARCHAR", "unit": "VARCHAR", "status": "VARCHAR",
    "source": "VARCHAR", "note": "VARCHAR",
}


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the file, its row counts and its checks."""

    path: Path
    rows: dict[str, int]
    checks: list[Check]

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]


def _sql_type(annotation: Any) -> str:
    """DuckDB column type of a pydantic field annotation."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _sql_type(inner[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return _sql_type(typing.get_args(annotation)[0])
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


def _columns(model: type[BaseModel]) -> dict[str, str]:
    return {name: _sql_type(f.annotation) for name, f in model.model_fields.items()}


def _create(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str], key: tuple[str, ...]) -> None:
    cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
    con.execute(f'CREATE TABLE "{table}" ({cols}, PRIMARY KEY ({", ".join(key)}))')


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if rows:
        marks = ", ".join("?" for _ in columns)
        con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def write_database(records: Records, checks: list[Check], target: Path) -> dict[str, int]:
    """Write every table and the checks into a new DuckDB file at target."""
    con = duckdb.connect(str(target))
    try:
        counts: dict[str, int] = {}
        spec: DatasetSpec
        for spec in SPECS:
            columns = _columns(spec.model)
            _create(con, spec.table, columns, spec.key)
            rows = [tuple(_plain(getattr(r, c)) for c in columns) for r in records.get(spec.table, [])]
            _insert(con, spec.table, list(columns), rows)
            counts[spec.table] = len(rows)
        _create(con, "checks", CHECK_COLUMNS, ("report_id", "check_id"))
        check_rows = [tuple(c.row()[k] for k in CHECK_COLUMNS) for c in checks]
        _insert(con, "checks", list(CHECK_COLUMNS), check_rows)
        counts["checks"] = len(check_rows)
        con.execute("CREATE TABLE build_info (schema_version INTEGER, built_at TIMESTAMP, duckdb_version VARCHAR)")
        con.execute("INSERT INTO build_info VALUES (?, ?, ?)",
                    [SCHEMA_VERSION, dt.datetime.now(dt.UTC).replace(tzinfo=None), duckdb.__version__])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts


def build(datasets: Path, target: Path) -> BuildResult:
    """Validate datasets and atomically replace target with a new database; raises DatasetError on bad input.

    The new file is written beside the target and renamed over it, so readers and a failed build
    never see a half-written database, and the last good one stays in place.
    """
    records = load_datasets(datasets)
    checks = run_checks(records)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        counts = write_database(records, checks, tmp)
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return BuildResult(target, counts, checks)
