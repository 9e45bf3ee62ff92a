"""The build writes the DuckDB file atomically, repeatably, and the CLI reports what it did."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import ydp_data.build as build_module
from tests.dbfiles import dump, query, sha256
from ydp_data.build import SCHEMA_VERSION, BuildError, BuildResult, build
from ydp_data.cli import main
from ydp_data.datasets import SPECS
from ydp_data.errors import DatasetError

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
DB_NAME = "ydp.duckdb"
REPORT_DISCREPANCIES = {"program.Ⅱ-1.rate", "publicwork.target.annual", "publicwork.budget.program",
                        "publicwork.budget.program.구비", "procurement.rate"}








def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ydp_data", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def copy_datasets(tmp_path: Path) -> Path:
    datasets = tmp_path / "datasets"
    shutil.copytree(DATASETS, datasets)
    return datasets


def place(built: Path, target: Path) -> Path:
    """A copy of a built database at target, as a previous build would have left it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(built, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path.name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    target = tmp_path_factory.mktemp("reference") / DB_NAME
    return target, build(DATASETS, target)


# --- the build ----------------------------------------------------------------------------------
def test_build_result_matches_the_file(reference: tuple[Path, BuildResult]) -> None:
    target, result = reference
    assert result.path == target
    for table, count in result.rows.items():
        assert query(target, f'SELECT count(*) FROM "{table}"') == [(count,)], table
    assert set(result.rows) == {s.table for s in SPECS} | {"checks"}
    assert all(result.rows[s.table] > 0 for s in SPECS)
    assert {c.check_id for c in result.failed} == REPORT_DISCREPANCIES
    assert query(target, "SELECT count(*) FROM checks") == [(len(result.checks),)]
    assert query(target, "SELECT count(*), min(schema_version) FROM build_info") == [(1, SCHEMA_VERSION)]


def test_build_twice_gives_same_contents_and_no_temp_files(tmp_path: Path,
                                                           reference: tuple[Path, BuildResult]) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "notes.txt").write_text("not ours", encoding="utf-8")
    target = folder / DB_NAME
    build(DATASETS, target)
    first = dump(target)
    assert sorted(os.listdir(folder)) == ["notes.txt", DB_NAME]
    build(DATASETS, target)  # over the existing file
    assert dump(target) == first
    assert dump(reference[0]) == first  # and the same as a build elsewhere
    assert query(target, "SELECT count(*) FROM build_info") == [(1,)]
    assert sorted(os.listdir(folder)) == ["notes.txt", DB_NAME]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "not ours"


def test_build_on_fresh_target_creates_parent_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c" / DB_NAME
    result = build(DATASETS, target)
    assert result.path == target
    assert target.is_file()
    assert sorted(os.listdir(target.parent)) == [DB_NAME]
    assert query(target, "SELECT sum(budget) FROM budget_units") == [(7_113_947,)]


def test_failing_build_leaves_existing_target_byte_identical(tmp_path: Path,
                                                            reference: tuple[Path, BuildResult]) -> None:
    target = place(reference[0], tmp_path / "out" / DB_NAME)
    before = sha256(target)
    datasets = copy_datasets(tmp_path)
    edit(datasets / "program_budget.csv", "Ⅱ-3,국비,888976,", "Ⅱ-3,국비,888976원,")
    with pytest.raises(DatasetError):
        build(datasets, target)
    assert sha256(target) == before
    assert sorted(os.listdir(target.parent)) == [DB_NAME]
    assert query(target, "SELECT sum(budget) FROM program_budget WHERE program_id = 'Ⅱ-3'") == [(1_532_686,)]


def test_failing_build_on_fresh_target_creates_nothing(tmp_path: Path) -> None:
    datasets = copy_datasets(tmp_path)
    (datasets / "teams.csv").write_bytes(b"")
    target = tmp_path / "out" / DB_NAME
    with pytest.raises(DatasetError):
        build(datasets, target)
    assert not target.exists()
    assert not target.parent.exists() or os.listdir(target.parent) == []


def test_crash_while_writing_keeps_target_and_removes_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          reference: tuple[Path, BuildResult]) -> None:
    """A build that dies half-way through writing: the half-written temp file goes, the old file stays."""
    target = place(reference[0], tmp_path / "out" / DB_NAME)
    before = sha256(target)
    real = build_module.write_database

    def dies_half_way(records, checks, tmp, *rest):  # type: ignore[no-untyped-def]
        real(records, checks, tmp, *rest)
        assert tmp.exists()
        raise duckdb.IOException("IO Error: Could not write file: No space left on device")

    monkeypatch.setattr(build_module, "write_database", dies_half_way)
    with pytest.raises(BuildError, match="disk full"):
        build(DATASETS, target)
    assert sha256(target) == before
    assert sorted(os.listdir(target.parent)) == [DB_NAME]


def test_replace_failure_removes_temp(tmp_path: Path) -> None:
    target = tmp_path / "out" / DB_NAME
    target.mkdir(parents=True)  # a folder where the file should go: os.replace must fail
    (target / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(BuildError, match="cannot write"):
        build(DATASETS, target)
    assert sorted(os.listdir(target.parent)) == [DB_NAME]
    assert os.listdir(target) == ["keep.txt"]


def test_reader_keeps_reading_while_rebuild_replaces(tmp_path: Path, reference: tuple[Path, BuildResult]) -> None:
    target = place(reference[0], tmp_path / DB_NAME)
    old = dump(target)
    datasets = copy_datasets(tmp_path)
    edit(datasets / "budget_units.csv", ",82368,27661,", ",82369,27661,")
    edit(datasets / "facts.csv", ",2023-YTD,5496,명,", ",2023-YTD,5497,명,")

    reader = duckdb.connect(str(target), read_only=True)
    try:
        assert reader.execute("SELECT budget FROM budget_units WHERE unit_program = '기본경비'").fetchall() == [
            (82368,)]
        build(datasets, target)  # replaces the file under the open connection
        # the open connection still reads the old file, every table of it, consistently
        for table, rows in old.items():
            assert reader.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall() == rows, table
    finally:
        reader.close()
    new = dump(target)
    assert query(target, "SELECT budget FROM budget_units WHERE unit_program = '기본경비'") == [(82369,)]
    assert query(target, "SELECT value FROM facts WHERE fact_id = 'orang.visitors'") == [(5497,)]
    assert {t for t in old if old[t] != new[t]} == {"budget_units", "facts", "checks"}
    assert sorted(os.listdir(tmp_path)) == [".datasets.lock", "datasets", DB_NAME]


READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
q = "SELECT sum(budget)::BIGINT, count(*) FROM budget_units"
print(con.execute(q).fetchall()[0], flush=True)
sys.stdin.readline()
print(con.execute(q).fetchall()[0], con.execute("SELECT count(*) FROM facts").fetchall()[0][0], flush=True)
con.close()
"""


def test_reader_in_another_process_survives_rebuild(tmp_path: Path, reference: tuple[Path, BuildResult]) -> None:
    target = place(reference[0], tmp_path / DB_NAME)
    datasets = copy_datasets(tmp_path)
    edit(datasets / "budget_units.csv", ",82368,27661,", ",82369,27661,")
    proc = subprocess.Popen([sys.executable, "-c", READER, str(target)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "(7113947, 6)"
        build(datasets, target)  # the other process holds the old file open (and its lock)
        out, err = proc.communicate("go\n", timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    facts = query(target, "SELECT count(*) FROM facts")[0][0]
    assert out.strip() == f"(7113947, 6) {facts}"
    assert query(target, "SELECT sum(budget)::BIGINT FROM budget_units") == [(7_113_948,)]


def test_concurrent_builds_leave_one_good_file(tmp_path: Path, reference: tuple[Path, BuildResult]) -> None:
    target = tmp_path / "out" / DB_NAME
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "ydp_data", "--datasets", str(DATASETS), "--db", str(target), "build"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert sorted(os.listdir(target.parent)) == [DB_NAME]
    assert dump(target) == dump(reference[0])


# --- the command line ---------------------------------------------------------------------------
def test_cli_build_prints_path_and_exits_0(tmp_path: Path, reference: tuple[Path, BuildResult]) -> None:
    target = tmp_path / "fresh" / "nested" / DB_NAME
    proc = run_cli("--datasets", str(DATASETS), "--db", str(target), "build")
    assert proc.returncode == 0, proc.stderr
    assert str(target) in proc.stdout
    assert proc.stdout.startswith("built ")
    assert f"{len(reference[1].checks)} checks" in proc.stdout
    assert f"{len(REPORT_DISCREPANCIES)} report discrepancies" in proc.stdout
    assert dump(target) == dump(reference[0])
    assert sorted(os.listdir(target.parent)) == [DB_NAME]


def test_cli_check_prints_pass_fail_lines_and_exits_0(reference: tuple[Path, BuildResult]) -> None:
    proc = run_cli("--datasets", str(DATASETS), "check")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    *check_lines, summary = lines
    assert all(line.startswith(("PASS  ", "FAIL  ")) for line in check_lines)
    status = {line[6:].split(": ", 1)[0]: line[:4] for line in check_lines}
    assert len(status) == len(check_lines) == len(reference[1].checks)
    assert {c for c, s in status.items() if s == "FAIL"} == REPORT_DISCREPANCIES
    db_status = dict(query(reference[0], "SELECT check_id, upper(status) FROM checks"))
    assert status == db_status
    passed = len(check_lines) - len(REPORT_DISCREPANCIES)
    assert summary.startswith(f"{passed} passed, {len(REPORT_DISCREPANCIES)} failed")


def test_cli_check_on_bad_input_exits_1(tmp_path: Path) -> None:
    datasets = copy_datasets(tmp_path)
    edit(datasets / "staffing.csv", "일반직,6급,4,6,2,", "일반직,6급,4,6,x,")
    proc = run_cli("--datasets", str(datasets), "check")
    assert proc.returncode == 1
    assert "datasets/staffing.csv, 3행, 열 'stated_difference'" in proc.stderr
    assert "PASS" not in proc.stdout


def test_cli_uses_environment_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "env" / DB_NAME
    monkeypatch.setenv("YDP_DATASETS", str(DATASETS))
    monkeypatch.setenv("YDP_DB", str(target))
    assert main(["build"]) == 0
    assert str(target) in capsys.readouterr().out
    assert query(target, "SELECT count(*) FROM staffing") == [(5,)]


def test_cli_build_failure_keeps_target(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       reference: tuple[Path, BuildResult]) -> None:
    target = place(reference[0], tmp_path / DB_NAME)
    before = sha256(target)
    datasets = copy_datasets(tmp_path)
    (datasets / "facts.csv").write_bytes(b"PK\x03\x04rest-of-a-zip")
    capsys.readouterr()
    assert main(["--datasets", str(datasets), "--db", str(target), "build"]) == 1
    captured = capsys.readouterr()
    assert "datasets/facts.csv" in captured.err and "Excel" in captured.err
    assert captured.out == ""
    assert sha256(target) == before


def test_cli_requires_a_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "build" in capsys.readouterr().err


# --- a defect found and fixed: a stale temp file from a killed build ------------------------------
def test_stale_temp_file_does_not_break_build(tmp_path: Path) -> None:
    target = tmp_path / DB_NAME
    target.with_name(f".{target.name}.{os.getpid()}.tmp").write_bytes(b"half-written by a killed build")
    build(DATASETS, target)
    assert sorted(os.listdir(tmp_path)) == [DB_NAME]
