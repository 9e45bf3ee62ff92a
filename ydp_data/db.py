"""The app's read-only access to the built DuckDB file: one connection, a cursor per query."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ydp_data import paths
from ydp_data.build import SCHEMA_VERSION, build
from ydp_data.datasets import SPEC_BY_TABLE

Params = Sequence[Any] | Mapping[str, Any]
_NAMED = re.compile(r"\$([A-Za-z_]\w*)")


class Database:
    """A read-only DuckDB file; reopened when a rebuild has replaced the file (new inode)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, int] | None = None

    def stamp(self) -> tuple[int, int]:
        """Identity of the file now on disk: (inode, modification time in ns)."""
        st = os.stat(self.path)
        return st.st_ino, st.st_mtime_ns

    def _connection(self) -> duckdb.DuckDBPyConnection:
        stamp = self.stamp()
        with self._lock:
            if self._con is None or stamp != self._stamp:
                # A fresh in-memory instance that ATTACHes the file: duckdb.connect(path) would hand back the
                # process's cached instance, which keeps showing the replaced file while any connection lives.
                # The old connection is left to the garbage collector: other threads may still read from it.
                con = duckdb.connect(":memory:")
                quoted = str(self.path).replace("'", "''")
                con.execute(f"ATTACH '{quoted}' AS ydp (READ_ONLY)")
                self._con, self._stamp = con, stamp
            return self._con

    def query(self, sql: str, params: Params | None = None) -> pd.DataFrame:
        """Run one parameterised query on its own cursor and return its rows."""
        if isinstance(params, Mapping):
            used = set(_NAMED.findall(sql))
            params = {k: v for k, v in params.items() if k in used}
        cursor = self._connection().cursor()
        try:
            cursor.execute("USE ydp")
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()


def is_usable(path: Path) -> bool:
    """Whether path is a database this version can read and that holds a finished build."""
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            row = con.execute("SELECT schema_version FROM build_info").fetchone()
            for table in (*SPEC_BY_TABLE, "checks"):  # reading every block finds a truncated file
                con.execute(f'SELECT * FROM "{table}"').fetchall()
        finally:
            con.close()
    except (duckdb.Error, OSError):
        return False
    return row is not None and row[0] == SCHEMA_VERSION


def ensure_database(path: Path | None = None, datasets: Path | None = None) -> tuple[Path, str | None]:
    """The database file, built from datasets if missing; a corrupt or foreign one is set aside and rebuilt.

    Returns the path and a notice for the user when something had to be repaired.
    """
    path = path or paths.database_path()
    datasets = datasets or paths.datasets_dir()
    if path.exists() and is_usable(path):
        return path, None
    notice = None
    if path.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.bad-{stamp}")
        os.replace(path, aside)
        notice = f"데이터베이스 파일을 읽을 수 없어 {aside.name}(으)로 옮겨 두고 datasets/에서 다시 만들었습니다."
    build(datasets, path)
    return path, notice
