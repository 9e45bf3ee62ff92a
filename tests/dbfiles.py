"""Helpers of the tests that look inside built database files: dumps, digests, one-off queries."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import duckdb

from ydp_data.datasets import SPECS

Dump = dict[str, list[tuple[Any, ...]]]


def query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of one query on a built database, opened read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def dump(db: Path) -> Dump:
    """Every row of every data table and of checks, in a stable order (build_info is left out)."""
    return {t: query(db, f'SELECT * FROM "{t}" ORDER BY ALL') for t in [s.table for s in SPECS] + ["checks"]}


def sha256(path: Path) -> str:
    """The file's sha256, to show a file is byte-identical after a refused build or import."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
