"""Builds the DuckDB file from datasets/: validate, load, reconcile, then replace the file atomically."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import duckdb

from ydp_data.checks import Check, run_checks
from ydp_data.datasets import SPECS, DatasetSpec, sql_columns
from ydp_data.errors import DatasetError, Problem
from ydp_data.load import Records, load_datasets

SCHEMA_VERSION = 1
CHECK_COLUMNS = {
    "report_id": "VARCHAR", "check_id": "VARCHAR", "category": "VARCHAR", "description": "VARCHAR",
    "expected": "DECIMAL(38,4)", "computed": "DECIMAL(38,4)", "difference": "DECIMAL(38,4)",
    "tolerance": "DECIMAL(38,4)", "relation": "VARCHAR", "unit": "VARCHAR", "status": "VARCHAR",
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


def _create(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str], key: tuple[str, ...]) -> None:
    cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
    con.execute(f'CREATE TABLE "{table}" ({cols}, PRIMARY KEY ({", ".join(key)}))')


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    # one statement per table: executemany costs a round trip per row
    for start in range(0, len(rows), 500):
        chunk = rows[start:start + 500]
        marks = ", ".join(["(" + ", ".join("?" for _ in columns) + ")"] * len(chunk))
        con.execute(f'INSERT INTO "{table}" VALUES {marks}', [v for row in chunk for v in row])


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def write_database(records: Records, checks: list[Check], target: Path) -> dict[str, int]:
    """Write every table and the checks into a new DuckDB file at target."""
    con = duckdb.connect(str(target))
    try:
        counts: dict[str, int] = {}
        spec: DatasetSpec
        for spec in SPECS:
            columns = sql_columns(spec.model)
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
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):  # a killed build with the same pid
            leftover.unlink(missing_ok=True)
        try:
            counts = write_database(records, checks, tmp)
        except duckdb.Error as exc:
            raise DatasetError([Problem("datasets/", None, None, f"데이터베이스에 쓸 수 없는 값이 있습니다: {exc}")]) from None
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return BuildResult(target, counts, checks)
