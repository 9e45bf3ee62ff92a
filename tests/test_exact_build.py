"""Exact results and messages of ydp_data.build (mutation testing, issue 16) on the real datasets."""

from __future__ import annotations

import errno
import threading
from decimal import Decimal
from pathlib import Path

import duckdb

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
)
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
    datasets = Path(paths.ROOT) / "datasets"
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
    assert not (tmp_path / "ydp.duckdb").exists()


def test_missing_folders_are_made_and_a_file_in_the_way_is_a_machine_error(tmp_path: Path) -> None:
    datasets = Path(paths.ROOT) / "datasets"
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
