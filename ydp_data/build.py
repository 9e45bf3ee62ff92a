"""Builds the DuckDB file from datasets/: validate, load, reconcile, then replace the file atomically."""

from __future__ import annotations

import datetime as dt
import errno
import os
import threading
import uuid
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import duckdb

from ydp_data.checks import Check, run_checks
from ydp_data.datasets import SPECS, DatasetSpec, sql_columns
from ydp_data.errors import DatasetError, Problem
from ydp_data.fingerprint import fingerprint
from ydp_data.load import Records, load_datasets
from ydp_data.lock import LockBusy, writer_lock

SCHEMA_VERSION = 2  # 2: build_info records the datasets' fingerprint
KEEP_SET_ASIDE = 3  # set-aside (*.bad-*) database files kept; older ones are pruned
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


class BuildError(Exception):
    """The build could not write the database (disk full, folder not writable, datasets changed, lock busy).

    Not a problem of the data: the message says what happened to the machine, and the last good database stays.
    """


def write_database(records: Records, checks: list[Check], target: Path, datasets_fingerprint: str = "") -> dict[str, int]:
    """Write every table, the checks and what they were built from into a new DuckDB file at target."""
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
        con.execute("CREATE TABLE build_info (schema_version INTEGER, built_at TIMESTAMP, duckdb_version VARCHAR, "
                    "datasets_fingerprint VARCHAR)")
        con.execute("INSERT INTO build_info VALUES (?, ?, ?, ?)",
                    [SCHEMA_VERSION, dt.datetime.now(dt.UTC).replace(tzinfo=None), duckdb.__version__,
                     datasets_fingerprint])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc).lower()
    return "no space left" in text or "disk quota" in text


def machine_error(exc: BaseException, target: Path) -> BuildError:
    """A write failure told as what it is: disk full, or a folder that cannot be written (with the OS's reason)."""
    if _disk_full(exc):
        return BuildError(f"디스크가 가득 차 데이터베이스를 쓰지 못했습니다 (disk full): {target.parent}. "
                          "공간을 비운 뒤 다시 실행하세요. 기존 데이터베이스는 그대로입니다.")
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0][:200]
    return BuildError(f"데이터베이스 폴더에 쓸 수 없습니다 (cannot write the database folder): {target.parent} — {reason}. "
                      "YDP_DB나 --db로 쓸 수 있는 곳을 지정하세요.")


def temp_files(target: Path) -> list[Path]:
    """Temporary files a build writes beside target (left behind only by a build that was killed)."""
    return sorted(target.parent.glob(f".{target.name}.*.tmp*"))


def set_aside_files(target: Path) -> list[Path]:
    """Unreadable databases set aside by a repair (target.bad-<time>), oldest first."""
    return sorted(target.parent.glob(f"{target.name}.bad-*"))


def prune_leftovers(target: Path, keep: int = KEEP_SET_ASIDE) -> None:
    """Remove temporary files of killed builds and all but the newest `keep` set-aside files (call under the lock)."""
    for leftover in temp_files(target):
        leftover.unlink(missing_ok=True)
    for old in set_aside_files(target)[:-keep or None]:
        old.unlink(missing_ok=True)


def build(datasets: Path, target: Path, *, wait: float | None = None) -> BuildResult:
    """Validate datasets and atomically replace target with a new database; DatasetError on bad input, BuildError
    when the machine fails (disk full, folder not writable, datasets changed meanwhile, another writer busy).

    Holds the writer lock (ydp_data.lock), so a build never interleaves with an import or another build. The new
    file is written beside the target and renamed over it, so readers and a failed build never see a half-written
    database, and the last good one stays in place.
    """
    try:
        with writer_lock(datasets, **({} if wait is None else {"wait": wait})):
            return _build(datasets, target)
    except LockBusy as exc:
        raise BuildError(str(exc)) from None


def _build(datasets: Path, target: Path) -> BuildResult:
    before = fingerprint(datasets)
    records = load_datasets(datasets)
    checks = run_checks(records)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise machine_error(exc, target) from None
    # unique per process and thread: builds of one process (visitors arriving together) never share a file
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}-{uuid.uuid4().hex[:8]}.tmp")
    try:
        try:
            counts = write_database(records, checks, tmp, before)
        except duckdb.Error as exc:
            if _disk_full(exc) or "could not" in str(exc).lower() or isinstance(exc, duckdb.IOException):
                raise machine_error(exc, target) from None
            raise DatasetError([Problem("datasets/", None, None, f"데이터베이스에 쓸 수 없는 값이 있습니다: {exc}")]) from None
        except OSError as exc:
            raise machine_error(exc, target) from None
        if fingerprint(datasets) != before:
            raise BuildError("빌드하는 동안 datasets/의 파일이 바뀌었습니다. 다시 실행하세요 "
                             "(the dataset files changed while they were read; run the build again).")
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise machine_error(exc, target) from None
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    prune_leftovers(target)
    return BuildResult(target, counts, checks)
