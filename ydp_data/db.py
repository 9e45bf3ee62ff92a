"""The app's read-only access to the built DuckDB file, kept whole and current.

One connection, a cursor per query. The database repairs itself: a file that is missing, damaged or from another
version is set aside and rebuilt, and a database that lags behind datasets/ (its recorded fingerprint differs) is
rebuilt, each under the one writer lock, with a notice for the people looking at it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import re
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ydp_data import paths
from ydp_data.build import SCHEMA_VERSION, BuildError, build, machine_error
from ydp_data.datasets import SPEC_BY_TABLE
from ydp_data.errors import DatasetError
from ydp_data.fingerprint import Stamp, fingerprint, stamp
from ydp_data.lock import LockBusy, writer_lock

Params = Sequence[Any] | Mapping[str, Any]
_NAMED = re.compile(r"\$([A-Za-z_]\w*)")
LOG = logging.getLogger("ydp_data")
REPAIR_WAIT_S = 120.0  # a visitor waits this long for another writer before the page says it could not
NOTICE_FOR_NEWCOMERS_S = 600.0  # a session that arrives later than this after a repair is not told of it
_SEQ = itertools.count(1)


@dataclass(frozen=True)
class Notice:
    """Something the dashboard did to its database that the people looking at it should know, once."""

    seq: int
    at: float
    text: str
    level: str = "warning"  # warning | info | error


class DatabaseUnavailable(Exception):
    """No usable database could be had (datasets invalid and no good file, disk full, lock busy): say why."""


class Database:
    """A read-only DuckDB file; reopened when a rebuild has replaced it.

    Given the datasets folder it came from, it also keeps itself whole and current: a missing or damaged file is
    set aside and rebuilt on the next query, and `refresh()` rebuilds it when datasets/ has changed.
    """

    def __init__(self, path: Path, datasets: Path | None = None) -> None:
        self.path = path
        self.datasets = datasets
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._fresh_for: Stamp | None = None  # datasets stamp last found to match the database
        self._failed: str | None = None  # fingerprint of datasets that failed to build (told once)
        self._notices: list[Notice] = []

    # --- notices -------------------------------------------------------------------------------------------------
    def notify(self, text: str, level: str = "warning") -> None:
        """Record a notice for the sessions (each shows it once) and the server log."""
        LOG.warning("%s: %s", self.path, text)
        with self._lock:
            self._notices.append(Notice(next(_SEQ), time.time(), text, level))
            del self._notices[:-20]

    def notices_after(self, seq: int | None) -> list[Notice]:
        """Notices a session has not seen: newer than seq, or (a new session) from the last few minutes."""
        with self._lock:
            if seq is None:
                since = time.time() - NOTICE_FOR_NEWCOMERS_S
                return [n for n in self._notices if n.at >= since]
            return [n for n in self._notices if n.seq > seq]

    def last_notice(self) -> int:
        """The number of the newest notice (0 when none): a session has seen everything up to it."""
        with self._lock:
            return self._notices[-1].seq if self._notices else 0

    # --- the file ------------------------------------------------------------------------------------------------
    def stamp(self) -> tuple[int, int, int]:
        """Identity of the file now on disk: (inode, modification time in ns, size); a missing file is rebuilt."""
        try:
            st = os.stat(self.path)
        except OSError:
            if self.datasets is None:
                raise
            self.repair("missing")
            st = os.stat(self.path)
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _connection(self) -> duckdb.DuckDBPyConnection:
        stamp = self.stamp()
        con = self._con
        if con is not None and stamp == self._stamp:
            return con
        if self.datasets is not None and not is_usable(self.path):
            self.repair("damaged")
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
        """Run one parameterised query on its own cursor and return its rows (a damaged file is rebuilt, once)."""
        if isinstance(params, Mapping):
            used = set(_NAMED.findall(sql))
            params = {k: v for k, v in params.items() if k in used}
        try:
            return self._run(sql, params)
        except (duckdb.Error, OSError):
            if self.datasets is None or is_usable(self.path):
                raise  # the query itself is wrong, not the file
            self.repair("damaged")
            return self._run(sql, params)

    def _run(self, sql: str, params: Params | None) -> pd.DataFrame:
        cursor = self._connection().cursor()
        try:
            cursor.execute("USE ydp")
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    def repair(self, why: str) -> None:
        """Set a missing or damaged file aside and rebuild it from datasets/ (under the writer lock)."""
        if self.datasets is None:
            raise DatabaseUnavailable(f"database {self.path} is {why}")
        try:
            with writer_lock(self.datasets, wait=REPAIR_WAIT_S):
                if self.path.exists() and is_usable(self.path):
                    return  # another writer repaired it while this one waited
                aside = set_aside(self.path)
                build(self.datasets, self.path)
        except (DatasetError, BuildError, LockBusy, OSError) as exc:
            raise DatabaseUnavailable(_unavailable(exc)) from exc
        if aside:
            self.notify(f"데이터베이스 파일을 읽을 수 없어 {aside.name}(으)로 옮겨 두고 datasets/에서 다시 만들었습니다 "
                        "(the database file was damaged; it was set aside and rebuilt).")
        elif self._stamp is not None:  # it was there a moment ago; a first start builds without a word
            self.notify("데이터베이스 파일이 사라져 datasets/에서 다시 만들었습니다 (the database file was deleted and was rebuilt).")
        else:
            LOG.warning("%s built from %s (first start)", self.path, self.datasets)

    # --- what it was built from ----------------------------------------------------------------------------------
    def built_from(self) -> str | None:
        """The fingerprint of the datasets this file was built from."""
        rows = self.query("SELECT datasets_fingerprint FROM build_info")
        return None if rows.empty else str(rows.iloc[0, 0])

    def refresh(self) -> None:
        """Rebuild when datasets/ no longer matches what the database was built from (cheap when nothing changed).

        A rebuild that fails keeps the last good database and says why, once; a busy lock is tried again next time.
        """
        if self.datasets is None:
            return
        now = stamp(self.datasets)
        if now == self._fresh_for:
            self._connection()  # still notices a missing or damaged file
            return
        current = fingerprint(self.datasets)
        if current in (self.built_from(), self._failed):
            self._fresh_for = now
            return
        try:
            with writer_lock(self.datasets, wait=REPAIR_WAIT_S):
                current = fingerprint(self.datasets)
                if current != self.built_from():
                    build(self.datasets, self.path)
                    LOG.warning("%s rebuilt: datasets/ had changed", self.path)
        except DatasetError as exc:
            self._failed, self._fresh_for = current, now
            self.notify("datasets/가 바뀌었지만 검증을 통과하지 못해 이전 데이터베이스를 그대로 보여 줍니다 "
                        "(datasets/ changed but does not validate; the last good database is shown): "
                        + "; ".join(str(p) for p in exc.problems[:3]), "error")
            return
        except (BuildError, LockBusy, OSError) as exc:
            self.notify("datasets/가 바뀌었지만 데이터베이스를 다시 만들지 못했습니다 (datasets/ changed but the database "
                        f"could not be rebuilt): {_unavailable(exc)}", "error")
            return
        self._failed, self._fresh_for = None, now


def _unavailable(exc: BaseException) -> str:
    if isinstance(exc, DatasetError):
        return "datasets/에 문제가 있습니다 (datasets/ does not validate): " + "; ".join(str(p) for p in exc.problems[:3])
    if isinstance(exc, OSError):
        return str(machine_error(exc, paths.database_path()))
    return str(exc)


def set_aside(path: Path) -> Path | None:
    """Move an unreadable database out of the way as <name>.bad-<time> (kept for a look; old ones are pruned)."""
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.bad-{dt.datetime.now().strftime('%Y%m%d-%H%M%S-%f')}")
    os.replace(path, aside)
    return aside


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
    """The database file, whole and current: built if missing, set aside and rebuilt if damaged or foreign,
    rebuilt if datasets/ changed since it was built. Returns the path and what had to be repaired, if anything.

    Raises DatabaseUnavailable when no usable database can be had.
    """
    path = path or paths.database_path()
    datasets = datasets or paths.datasets_dir()
    db = Database(path, datasets)
    db.refresh()
    texts = [n.text for n in db.notices_after(0)]
    if any(n.level == "error" for n in db.notices_after(0)) and not is_usable(path):
        raise DatabaseUnavailable(" ".join(texts))
    return path, " ".join(texts) or None
