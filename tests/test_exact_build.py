"""Exact results and messages of ydp_data.build (mutation testing, issue 16), on a small copy of datasets/ (the real
one where the report's figures are checked)."""

from __future__ import annotations

import datetime as dt
import errno
import os
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.test_exact_load import KEEP, copy_of_datasets
from ydp_data import paths
from ydp_data.build import (
    KEEP_SET_ASIDE,
    BuildError,
    _create,
    _disk_full,
    _insert,
    build,
    machine_error,
    prune_leftovers,
    set_aside_files,
    temp_files,
    write_database,
)
from ydp_data.errors import DatasetError
from ydp_data.lock import writer_lock


def test_build_counts_and_failed_checks(tmp_path: Path) -> None:
    result = build(Path(paths.ROOT) / "datasets", tmp_path / "db" / "ydp.duckdb")
    assert result.path == tmp_path / "db" / "ydp.duckdb"
    assert result.rows["budget_units"] == 6
    assert sorted(c.check_id for c in result.failed) == sorted([
        "program.Ⅱ-1.rate", "publicwork.target.annual", "publicwork.budget.program", "publicwork.budget.program.구비",
        "procurement.rate"])


def test_machine_error_messages(tmp_path: Path) -> None:
    target = tmp_path / "ydp.duckdb"
    full = machine_error(OSError(errno.ENOSPC, "No space left on device"), target)
    assert str(full) == (f"디스크가 가득 차 데이터베이스를 쓰지 못했습니다 (disk full): {tmp_path}. "
                         "공간을 비운 뒤 다시 실행하세요. 기존 데이터베이스는 그대로입니다.")
    denied = machine_error(OSError(errno.EACCES, "Permission denied"), target)
    assert str(denied) == (f"데이터베이스 폴더에 쓸 수 없습니다 (cannot write the database folder): {tmp_path} — "
                           "Permission denied. YDP_DB나 --db로 쓸 수 있는 곳을 지정하세요.")


def test_what_counts_as_a_full_disk(tmp_path: Path) -> None:
    target = tmp_path / "ydp.duckdb"
    assert _disk_full(OSError(errno.ENOSPC, "x"))
    assert _disk_full(OSError(errno.EDQUOT, "x"))
    assert _disk_full(RuntimeError("IO Error: No space left on device"))
    assert _disk_full(RuntimeError("Disk quota exceeded"))
    assert not _disk_full(OSError(errno.EACCES, "x"))
    assert not _disk_full(RuntimeError("something else"))
    quota = machine_error(RuntimeError("disk QUOTA exceeded"), target)
    assert str(quota).startswith("디스크가 가득 차 데이터베이스를 쓰지 못했습니다 (disk full): ")


def test_a_machine_error_without_an_os_reason_says_its_first_line(tmp_path: Path) -> None:
    target = tmp_path / "ydp.duckdb"
    said = str(machine_error(RuntimeError("x" * 250 + "\nsecond line"), target))
    assert said == (f"데이터베이스 폴더에 쓸 수 없습니다 (cannot write the database folder): {tmp_path} — {'x' * 200}. "
                    "YDP_DB나 --db로 쓸 수 있는 곳을 지정하세요.")
    no_reason = str(machine_error(OSError("plain"), target))
    assert no_reason == (f"데이터베이스 폴더에 쓸 수 없습니다 (cannot write the database folder): {tmp_path} — plain. "
                         "YDP_DB나 --db로 쓸 수 있는 곳을 지정하세요.")
    assert isinstance(machine_error(OSError("plain"), target), BuildError)


def test_leftovers_are_pruned_to_the_newest_three(tmp_path: Path) -> None:
    target = tmp_path / "ydp.duckdb"
    assert KEEP_SET_ASIDE == 3
    names = ["ydp.duckdb.bad-1", "ydp.duckdb.bad-2", "ydp.duckdb.bad-3", "ydp.duckdb.bad-4", "ydp.duckdb.bad-5",
             ".ydp.duckdb.1-2-ab.tmp", ".ydp.duckdb.1-2-ab.tmp.wal", "other.duckdb.bad-1", ".other.duckdb.1.tmp"]
    for name in names:
        (tmp_path / name).write_text("x")
    assert [p.name for p in temp_files(target)] == [".ydp.duckdb.1-2-ab.tmp", ".ydp.duckdb.1-2-ab.tmp.wal"]
    assert [p.name for p in set_aside_files(target)] == names[:5]
    prune_leftovers(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".other.duckdb.1.tmp", "other.duckdb.bad-1", "ydp.duckdb.bad-3", "ydp.duckdb.bad-4", "ydp.duckdb.bad-5"])
    prune_leftovers(target, keep=1)
    assert [p.name for p in set_aside_files(target)] == ["ydp.duckdb.bad-5"]
    prune_leftovers(target, keep=0)
    assert set_aside_files(target) == []


def test_the_database_holds_every_table_and_what_it_was_built_from(tmp_path: Path) -> None:
    target = tmp_path / "ydp.duckdb"
    result = build(Path(paths.ROOT) / "datasets", target)
    con = duckdb.connect(str(target), read_only=True)
    try:
        for table, count in result.rows.items():
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (count,)
        assert result.rows["checks"] == 66
        assert result.rows["teams"] == 3
        info = con.execute("SELECT schema_version, duckdb_version, length(datasets_fingerprint) FROM build_info").fetchall()
        assert info == [(2, duckdb.__version__, 64)]
        assert con.execute("SELECT count(*) FROM checks WHERE status = 'fail'").fetchone() == (5,)
        row = con.execute("SELECT expected, computed, difference, tolerance, relation, status FROM checks "
                          "WHERE check_id = 'program.Ⅱ-1.rate'").fetchone()
        assert row == (Decimal("35.2"), Decimal("35.2588"), Decimal("0.0588"), Decimal("0.05"), "=", "fail")
        teams = con.execute("SELECT team, sort_order FROM teams ORDER BY sort_order").fetchall()
        assert teams == [("일자리사업팀", 1), ("상생기업팀", 2), ("청년지원팀", 3)]
        keys = con.execute("SELECT constraint_type FROM information_schema.table_constraints "
                           "WHERE table_name = 'checks'").fetchall()
        assert ("PRIMARY KEY",) in keys
    finally:
        con.close()
    assert temp_files(target) == []


def test_many_rows_are_inserted_in_chunks(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    try:
        _create(con, "t", {"a": "INTEGER", "b": "VARCHAR"}, ("a",))
        _insert(con, "t", ["a", "b"], [(i, str(i)) for i in range(1201)])
        assert con.execute("SELECT count(*), sum(a), min(a), max(a) FROM t").fetchone() == (1201, 1201 * 1200 // 2, 0, 1200)
    finally:
        con.close()


def test_a_busy_writer_lock_is_a_build_error(tmp_path: Path) -> None:
    datasets = copy_of_datasets(tmp_path)
    with writer_lock(datasets):
        done: list[BaseException] = []

        def other() -> None:
            try:
                build(datasets, tmp_path / "ydp.duckdb", wait=0.1)
            except BaseException as exc:  # noqa: BLE001
                done.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert len(done) == 1 and isinstance(done[0], BuildError)
    assert str(done[0]) == ("다른 작업(가져오기·빌드)이 데이터를 쓰고 있습니다. 끝난 뒤 다시 실행하세요 "
                            "(another import or build holds .datasets.lock; try again when it is done).")
    assert not (tmp_path / "ydp.duckdb").exists()


def test_missing_folders_are_made_and_a_file_in_the_way_is_a_machine_error(tmp_path: Path) -> None:
    datasets = copy_of_datasets(tmp_path)
    deep = tmp_path / "a" / "b" / "ydp.duckdb"
    assert build(datasets, deep).path == deep and deep.exists()
    (tmp_path / "file.txt").write_text("x")
    blocked = tmp_path / "file.txt" / "ydp.duckdb"
    try:
        build(datasets, blocked)
    except BuildError as exc:
        assert str(exc).startswith(f"데이터베이스 폴더에 쓸 수 없습니다 (cannot write the database folder): {tmp_path / 'file.txt'} — ")
        assert str(exc).endswith(" — File exists. YDP_DB나 --db로 쓸 수 있는 곳을 지정하세요.")  # the OS's reason
    else:
        raise AssertionError("a file where the folder should be must stop the build")


# --- a small copy of datasets/ (tests.test_exact_load.KEEP rows of each file): fast enough to run once per mutant ---
FIXED_UUID = uuid.UUID("abcdef12-3456-4789-8abc-def012345678")  # the temporary file's name ends in -abcdef12.tmp
CHECK_FIELDS = ("report_id", "check_id", "category", "description", "expected", "computed", "difference", "tolerance",
                "relation", "unit", "status", "source", "note")


def test_a_small_database_holds_every_row_and_check_as_built(tmp_path: Path) -> None:
    datasets = copy_of_datasets(tmp_path)
    target = tmp_path / "ydp.duckdb"
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Seoul"  # UTC+9 all year: a build_at in local time would be 9 hours off
    time.tzset()
    try:
        result = build(datasets, target)
        now_utc = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    finally:
        if old_tz is None:
            os.environ.pop("TZ")
        else:
            os.environ["TZ"] = old_tz
        time.tzset()
    assert result.path == target
    assert list(result.rows) == [*KEEP, "checks"]
    assert result.rows == {**KEEP, "checks": len(result.checks)} and len(result.checks) > 0
    con = duckdb.connect(str(target), read_only=True)
    try:
        for table, count in result.rows.items():
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (count,), table
        assert con.execute("SELECT team, team_en, sort_order FROM teams ORDER BY sort_order").fetchall() == [
            ("일자리사업팀", "Jobs Programs Team", 1), ("상생기업팀", "Social Economy Team", 2),
            ("청년지원팀", "Youth Support Team", 3)]
        # the programme Ⅱ-1's two budget rows (시비 4,000/4,000, 구비 203,151/69,039 천원): 73,039 / 207,151 = 35.2588%
        row = con.execute("SELECT expected, computed, difference, tolerance, relation, unit, status, source FROM checks "
                          "WHERE check_id = 'program.Ⅱ-1.rate'").fetchone()
        assert row == (Decimal("35.2"), Decimal("35.2588"), Decimal("0.0588"), Decimal("0.05"), "=", "%", "fail",
                       "Ⅱ-1, p.4")
        stored = {r[1]: r for r in con.execute(f"SELECT {', '.join(CHECK_FIELDS)} FROM checks").fetchall()}
        assert sorted(stored) == sorted(c.check_id for c in result.checks)
        for check in result.checks:  # every field of every check, as the checker made it
            made = check.row()
            assert stored[check.check_id] == tuple(made[k] for k in CHECK_FIELDS), check.check_id
        (version, built_at, duck, print_), = con.execute("SELECT * FROM build_info").fetchall()
        assert (version, duck, len(print_)) == (2, duckdb.__version__, 64)
        assert int(print_, 16) >= 0
        assert abs(built_at - now_utc) < dt.timedelta(hours=1)  # in UTC, whatever the machine's time zone
        keys = con.execute("SELECT constraint_text FROM duckdb_constraints() WHERE table_name = 'checks' "
                           "AND constraint_type = 'PRIMARY KEY'").fetchall()
        assert keys == [("PRIMARY KEY(report_id, check_id)",)]
    finally:
        con.close()
    assert temp_files(target) == []


def test_write_database_writes_every_table_even_without_records(tmp_path: Path) -> None:
    target = tmp_path / "empty.duckdb"
    assert write_database({}, [], target) == {**{table: 0 for table in KEEP}, "checks": 0}
    con = duckdb.connect(str(target), read_only=True)
    try:
        assert con.execute("SELECT schema_version, datasets_fingerprint FROM build_info").fetchall() == [(2, "")]
        assert con.execute("SELECT count(*) FROM plans").fetchone() == (0,)
    finally:
        con.close()


def test_the_temporary_file_is_named_by_process_thread_and_eight_hex_digits(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    datasets = copy_of_datasets(tmp_path)
    target = tmp_path / "ydp.duckdb"
    monkeypatch.setattr(uuid, "uuid4", lambda: FIXED_UUID)
    moved: list[tuple[str, str]] = []
    real_replace = os.replace

    def watched(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        moved.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watched)
    build(datasets, target)
    assert moved == [(str(tmp_path / f".ydp.duckdb.{os.getpid()}-{threading.get_ident()}-abcdef12.tmp"), str(target))]


def test_datasets_changed_while_building_stop_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    datasets = copy_of_datasets(tmp_path)
    target = tmp_path / "ydp.duckdb"

    def edited_meanwhile() -> uuid.UUID:  # drawn after the datasets were read, before the database is written
        with (datasets / "plans.csv").open("a", encoding="utf-8") as f:
            f.write("\n")
        return FIXED_UUID

    monkeypatch.setattr(uuid, "uuid4", edited_meanwhile)
    with pytest.raises(BuildError) as caught:
        build(datasets, target)
    assert str(caught.value) == ("빌드하는 동안 datasets/의 파일이 바뀌었습니다. 다시 실행하세요 "
                                 "(the dataset files changed while they were read; run the build again).")
    assert not target.exists() and temp_files(target) == []


def _folder_said(tmp_path: Path, reason: str) -> str:
    return (f"데이터베이스 폴더에 쓸 수 없습니다 (cannot write the database folder): {tmp_path} — {reason}. "
            "YDP_DB나 --db로 쓸 수 있는 곳을 지정하세요.")


@pytest.mark.parametrize(("error", "kind", "said"), [
    (duckdb.Error("Could not write the file"), BuildError, "folder:Could not write the file"),
    (duckdb.Error("IO Error: No space left on device"), BuildError, "full"),
    (duckdb.IOException("IO Error: Read-only file system"), BuildError, "folder:IO Error: Read-only file system"),
    (duckdb.ConversionException("Conversion Error: bad value"), DatasetError,
     "데이터베이스에 쓸 수 없는 값이 있습니다: Conversion Error: bad value"),
    (OSError(errno.EACCES, "Permission denied"), BuildError, "folder:Permission denied"),
], ids=["could-not", "disk-full", "io-exception", "bad-value", "os-error"])
def test_what_an_error_while_writing_the_database_becomes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          error: Exception, kind: type[Exception], said: str) -> None:
    datasets = copy_of_datasets(tmp_path)
    target = tmp_path / "ydp.duckdb"
    real_connect = duckdb.connect

    def failing(database: str, *args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        if database.endswith(".tmp"):  # the new database file beside the target
            raise error
        return real_connect(database, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(duckdb, "connect", failing)
    with pytest.raises(kind) as caught:
        build(datasets, target)
    if kind is DatasetError:
        assert [(p.file, p.line, p.field, p.message) for p in caught.value.problems] == [  # type: ignore[attr-defined]
            ("datasets/", None, None, said)]
    elif said == "full":
        assert str(caught.value) == (f"디스크가 가득 차 데이터베이스를 쓰지 못했습니다 (disk full): {tmp_path}. "
                                     "공간을 비운 뒤 다시 실행하세요. 기존 데이터베이스는 그대로입니다.")
    else:
        assert str(caught.value) == _folder_said(tmp_path, said.removeprefix("folder:"))
    assert not target.exists() and temp_files(target) == []


def test_a_failed_replace_is_a_machine_error_and_leaves_no_temporary_file(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    datasets = copy_of_datasets(tmp_path)
    target = tmp_path / "ydp.duckdb"
    target.write_bytes(b"the last good database")

    def cross_device(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        Path(f"{src}.wal").write_text("x")  # a write-ahead log beside the new file, as DuckDB can leave one
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "replace", cross_device)
    with pytest.raises(BuildError) as caught:
        build(datasets, target)
    assert str(caught.value) == _folder_said(tmp_path, "Invalid cross-device link")
    assert target.read_bytes() == b"the last good database"
    assert temp_files(target) == []
