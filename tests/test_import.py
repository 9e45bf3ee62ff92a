"""Report import: the template, an all-or-nothing import into a copy of datasets/, and the CLI's exit codes.

Every test copies datasets/ into tmp_path and points --datasets/--db there; the real datasets/ and data/ are
only ever read. The fixture tests/fixtures/report_2023_12_test is a complete test-only report period.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.dbfiles import query
from ydp_data import importer
from ydp_data.checks import run_checks
from ydp_data.cli import main
from ydp_data.datasets import SPECS
from ydp_data.errors import DatasetError
from ydp_data.load import load_datasets
from ydp_data.models import FundingSource, Kind, Team

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
FIXTURE = ROOT / "tests" / "fixtures" / "report_2023_12_test"
OLD_ID = "ydp-jobs-2023-05"
NEW_ID = "test-ydp-jobs-2023-12"
BOM = b"\xef\xbb\xbf"


# --- helpers ------------------------------------------------------------------------------------
def hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file in a folder, by name."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}




def leftovers(parent: Path) -> list[str]:
    """Staging and old folders an import may leave beside datasets/ (there must be none)."""
    return sorted(p.name for p in parent.iterdir() if ".import-" in p.name or ".old-" in p.name)


def read_table(path: Path) -> list[list[str]]:
    """Every record of a CSV file (UTF-8 with or without BOM)."""
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_table(path: Path, table: list[list[str]], encoding: str = "utf-8-sig") -> None:
    """Write records as Excel's 'CSV UTF-8' does (BOM, CRLF), or in another encoding."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    path.write_bytes(buffer.getvalue().encode(encoding))


def change_cell(folder: Path, table: str, match: dict[str, str], column: str, value: str) -> int:
    """Set column of the one row matching every match cell; the 1-based line of that row (header = 1)."""
    path = folder / f"{table}.csv"
    rows = read_table(path)
    header = rows[0]
    found = [i for i, row in enumerate(rows) if i and all(row[header.index(k)] == v for k, v in match.items())]
    assert len(found) == 1, (table, match, found)
    rows[found[0]][header.index(column)] = value
    write_table(path, rows)
    return found[0] + 1


def set_report_id(folder: Path, report_id: str) -> None:
    """Give every row of a report folder another report_id."""
    for spec in SPECS:
        rows = read_table(folder / spec.filename)
        col = rows[0].index("report_id")
        write_table(folder / spec.filename, [rows[0]] + [[*r[:col], report_id, *r[col + 1:]] for r in rows[1:]])


@pytest.fixture()
def datasets(tmp_path: Path) -> Path:
    """A copy of the real datasets/ in tmp_path/'datasets'."""
    target = tmp_path / "datasets"
    shutil.copytree(DATASETS, target)
    return target


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """Where the tests build the database: never data/."""
    return tmp_path / "data" / "ydp.duckdb"


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    """An editable copy of the test-only fixture report."""
    target = tmp_path / "incoming" / "report"
    shutil.copytree(FIXTURE, target)
    return target


def run_import(datasets: Path, db: Path, source: Path, *extra: str) -> int:
    """The CLI's import, pointed at the temporary datasets and database."""
    return main(["--datasets", str(datasets), "--db", str(db), "import", str(source), *extra])


# --- template -----------------------------------------------------------------------------------
def test_template_writes_every_file_with_its_header_and_a_readme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "new-report"
    assert main(["template", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted([s.filename for s in SPECS] + ["README.md"])
    for spec in SPECS:
        raw = (folder / spec.filename).read_bytes()
        assert raw.startswith(BOM), spec.filename  # Excel opens UTF-8 with BOM as Korean text
        assert read_table(folder / spec.filename) == [spec.columns], spec.filename
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for spec in SPECS:
        assert f"### {spec.filename}" in readme
        section = readme.split(f"### {spec.filename}")[1].split("\n### ")[0]
        for column in spec.columns:
            assert f"| `{column}` |" in section, (spec.filename, column)
    for enum in (Team, FundingSource, Kind):
        for member in enum:
            assert f"`{member.value}`" in readme
    for text in ("python -m ydp_data import", "--replace", "천원", "CSV UTF-8", "필수 (required)", "선택, 빈 칸 가능"):
        assert text in readme
    assert "wrote 15 files" in capsys.readouterr().out
    load_datasets(folder)  # an empty template is a valid (empty) set of files


def test_every_column_is_documented_in_korean() -> None:
    missing = [(s.table, c) for s in SPECS for c in s.columns if not importer.column_doc(s.table, c)]
    assert missing == []


def test_template_refuses_a_folder_that_holds_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "filled"
    folder.mkdir()
    (folder / "facts.csv").write_text("my work", encoding="utf-8")
    assert main(["template", str(folder)]) == 1
    assert "이미 파일이 있습니다" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["facts.csv"]
    assert (folder / "facts.csv").read_text(encoding="utf-8") == "my work"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["template", str(empty)]) == 0
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    assert main(["template", str(a_file)]) == 1


def test_an_empty_template_is_refused_by_import(tmp_path: Path, datasets: Path, db: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "blank"
    importer.write_template(folder)
    before = hashes(datasets)
    assert run_import(datasets, db, folder) == 1
    assert "보고서 행이 없습니다" in capsys.readouterr().err
    assert hashes(datasets) == before and not db.exists()


# --- the fixture --------------------------------------------------------------------------------
def test_fixture_is_a_complete_valid_test_only_report() -> None:
    records = load_datasets(FIXTURE)
    (rep,) = records["reports"]
    assert rep.report_id == NEW_ID and rep.title.startswith("[테스트 전용]")  # type: ignore[attr-defined]
    assert str(rep.as_of) == "2023-12-31"  # type: ignore[attr-defined]
    real = load_datasets(DATASETS)
    for spec in SPECS:
        assert records[spec.table], f"{spec.filename} has no rows"
        key = [c for c in spec.key if c != "report_id"]
        old = [r for r in real[spec.table] if r.report_id == OLD_ID]  # type: ignore[attr-defined]
        assert _ids(records[spec.table], key) == _ids(old, key), f"{spec.filename}: not the same ids as {OLD_ID}"
    checks = run_checks(records)
    assert checks and all(c.passed for c in checks), [c.check_id for c in checks if not c.passed]
    old_facts = {f.fact_id: f.value for f in real["facts"] if f.report_id == OLD_ID}  # type: ignore[attr-defined]
    new_facts = {f.fact_id: f.value for f in records["facts"]}  # type: ignore[attr-defined]
    for grown in ("jobplus.employed", "orang.visitors", "procurement.actual", "training.facility"):
        assert new_facts[grown] > old_facts[grown], grown
    old_exec = sum(u.executed for u in real["budget_units"] if u.report_id == OLD_ID)  # type: ignore[attr-defined]
    assert sum(u.executed for u in records["budget_units"]) > old_exec  # type: ignore[attr-defined]


def _ids(records: list[Any], key: list[str]) -> list[tuple[str, ...]]:
    """The key values of records, in order."""
    return [tuple(str(getattr(r, c)) for c in key) for r in records]


def test_the_real_datasets_hold_no_test_report() -> None:
    ids = [r.report_id for r in load_datasets(DATASETS)["reports"]]  # type: ignore[attr-defined]
    assert not [i for i in ids if i.startswith("test-")], "a test-only report was copied into datasets/"


# --- import -------------------------------------------------------------------------------------
def test_import_adds_a_period_and_keeps_old_rows_byte_for_byte(datasets: Path, db: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    old = {spec.filename: (datasets / spec.filename).read_bytes() for spec in SPECS}
    assert run_import(datasets, db, FIXTURE) == 0
    out = capsys.readouterr().out
    assert f"imported {NEW_ID}" in out and "facts.csv" in out and "built " in out
    incoming = load_datasets(FIXTURE)
    for spec in SPECS:
        raw = (datasets / spec.filename).read_bytes()
        assert raw.startswith(old[spec.filename]), f"{spec.filename}: old rows changed"
        assert not raw.startswith(BOM) and b"\r" not in raw and raw.endswith(b"\n")
        added = read_table(datasets / spec.filename)[len(read_table(DATASETS / spec.filename)):]
        assert len(added) == len(incoming[spec.table]), spec.filename
        assert {row[0] for row in added} <= {NEW_ID}
        assert raw[len(old[spec.filename]):] == _rewritten(FIXTURE / spec.filename), spec.filename
    assert query(db, "SELECT report_id FROM reports ORDER BY as_of") == [(OLD_ID,), (NEW_ID,)]
    merged = load_datasets(datasets)
    for spec in SPECS:
        assert [r for r in merged[spec.table] if r.report_id == NEW_ID] == incoming[spec.table]  # type: ignore[attr-defined]
        (count,) = query(db, f'SELECT count(*) FROM "{spec.table}" WHERE report_id = \'{NEW_ID}\'')[0]
        assert count == len(incoming[spec.table])
    assert (datasets / "README.md").read_bytes() == (DATASETS / "README.md").read_bytes()
    assert leftovers(tmp_path) == []


def _rewritten(path: Path) -> bytes:
    """What the import appends for a fixture file: its rows as the csv module writes them, UTF-8, '\\n'."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(read_table(path)[1:])
    return buffer.getvalue().encode("utf-8")


def test_importing_the_same_report_again_says_so_and_changes_nothing(
        datasets: Path, db: Path, report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_import(datasets, db, FIXTURE) == 0
    before, db_before = hashes(datasets), db.read_bytes()
    capsys.readouterr()
    assert run_import(datasets, db, FIXTURE) == 0  # identical rows: nothing to do
    out = capsys.readouterr().out
    assert NEW_ID in out and "already imported" in out
    assert hashes(datasets) == before and db.read_bytes() == db_before
    first = read_table(report / "facts.csv")[1]
    change_cell(report, "facts", {"fact_id": first[read_table(report / "facts.csv")[0].index("fact_id")]}, "value", "999")
    assert run_import(datasets, db, report) == 1
    err = capsys.readouterr().err
    assert NEW_ID in err and "--replace" in err
    assert hashes(datasets) == before and db.read_bytes() == db_before


def test_replace_swaps_that_reports_rows_and_leaves_other_reports_alone(
        datasets: Path, db: Path, report: Path, tmp_path: Path) -> None:
    original = {spec.filename: (datasets / spec.filename).read_bytes() for spec in SPECS}
    assert run_import(datasets, db, FIXTURE) == 0
    other = tmp_path / "incoming" / "other"
    shutil.copytree(FIXTURE, other)
    set_report_id(other, "test-ydp-jobs-2024-06")
    assert run_import(datasets, db, other) == 0
    other_rows = {spec.filename: [r for r in read_table(datasets / spec.filename) if r[0] == "test-ydp-jobs-2024-06"]
                  for spec in SPECS}
    change_cell(report, "facts", {"fact_id": "orang.visitors"}, "value", "15,001")
    rows = read_table(report / "plans.csv")
    write_table(report / "plans.csv", rows[:-1])  # one plan fewer in the corrected report
    assert run_import(datasets, db, report, "--replace") == 0
    for spec in SPECS:
        table = read_table(datasets / spec.filename)
        assert (datasets / spec.filename).read_bytes().startswith(original[spec.filename]), spec.filename
        assert [r for r in table if r[0] == "test-ydp-jobs-2024-06"] == other_rows[spec.filename]
        expected = len(read_table(report / spec.filename)) - 1
        assert sum(r[0] == NEW_ID for r in table) == expected, f"{spec.filename}: rows duplicated or lost"
    assert query(db, f"SELECT value FROM facts WHERE report_id = '{NEW_ID}' AND fact_id = 'orang.visitors'") == [(15001,)]
    assert query(db, "SELECT count(*) FROM reports") == [(3,)]
    assert query(db, f"SELECT count(*) FROM plans WHERE report_id = '{NEW_ID}'") == [(len(rows) - 2,)]
    assert "15001" in (datasets / "facts.csv").read_text(encoding="utf-8")  # stored as a plain number


def _bad_number(report: Path) -> tuple[str, int, str]:
    line = change_cell(report, "facts", {"fact_id": "orang.visitors"}, "value", "많음")
    return "facts.csv", line, "value"


def _unknown_team(report: Path) -> tuple[str, int, str]:
    line = change_cell(report, "programs", {"program_id": "Ⅱ-3"}, "team", "홍보팀")
    return "programs.csv", line, "team"


def _team_not_listed_for_the_new_report(report: Path) -> tuple[str, int, str]:
    rows = read_table(report / "teams.csv")
    write_table(report / "teams.csv", [r for r in rows if r[1] != "청년지원팀"])
    facilities = read_table(report / "facilities.csv")
    line = next(i for i, r in enumerate(facilities) if r[3] == "청년지원팀") + 1
    return "facilities.csv", line, "team"


def _unknown_program(report: Path) -> tuple[str, int, str]:
    line = change_cell(report, "facts", {"fact_id": "jobplus.employed"}, "program_id", "Ⅱ-9")
    return "facts.csv", line, "program_id"


@pytest.mark.parametrize("spoil", [_bad_number, _unknown_team, _team_not_listed_for_the_new_report, _unknown_program])
def test_a_bad_file_is_refused_with_file_line_and_field(
        spoil: Callable[[Path], tuple[str, int, str]], datasets: Path, db: Path, report: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    filename, line, column = spoil(report)
    before = hashes(datasets)
    assert run_import(datasets, db, report) == 1
    err = capsys.readouterr().err
    assert f"{report / filename}, {line}행, 열 '{column}'" in err, err
    assert "datasets/는 바뀌지 않았습니다" in err
    assert hashes(datasets) == before and not db.exists() and leftovers(tmp_path) == []
    with pytest.raises(DatasetError) as caught:
        load_datasets(report)  # the same problem the build would report
    assert any(p.line == line and p.field == column for p in caught.value.problems)


def test_a_failure_right_before_the_swap_leaves_datasets_untouched(
        datasets: Path, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    before = hashes(datasets)

    def broken_swap(staging: Path, target: Path, old: Path) -> Path:
        assert load_datasets(staging)  # the merged set was complete when the swap was due
        raise OSError("disk full (injected)")

    monkeypatch.setattr(importer, "_swap", broken_swap)
    assert run_import(datasets, db, FIXTURE) == 1
    assert "disk full (injected)" in capsys.readouterr().err
    assert hashes(datasets) == before and not db.exists()
    assert leftovers(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == [".datasets.lock", "datasets"]


def test_a_failing_test_build_leaves_datasets_untouched(datasets: Path, db: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    before = hashes(datasets)

    def broken_build(source: Path, target: Path) -> None:
        raise DatasetError([importer.Problem("datasets/", None, None, "injected")])

    monkeypatch.setattr(importer, "build", broken_build)
    assert run_import(datasets, db, FIXTURE) == 1
    assert hashes(datasets) == before and leftovers(tmp_path) == []


def test_the_two_rename_swap_works_and_rolls_back(datasets: Path, db: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the atomic exchange is missing: datasets → old, staging → datasets; a failed second rename is undone."""
    monkeypatch.setattr(importer, "_exchange", lambda a, b: False)
    before = hashes(datasets)
    calls: list[tuple[Path, Path]] = []

    def second_fails(src: Path, dst: Path) -> None:
        calls.append((src, dst))
        if len(calls) == 2:
            raise OSError("rename failed (injected)")
        os.rename(src, dst)

    monkeypatch.setattr(importer, "_rename", second_fails)
    assert run_import(datasets, db, FIXTURE) == 1
    assert len(calls) == 3 and calls[2] == (calls[0][1], datasets)  # the rollback
    assert hashes(datasets) == before and leftovers(tmp_path) == []
    monkeypatch.setattr(importer, "_rename", os.rename)
    assert run_import(datasets, db, FIXTURE) == 0
    assert leftovers(tmp_path) == []
    assert query(db, "SELECT count(*) FROM reports") == [(2,)]


def test_cp949_files_are_imported_as_utf8(datasets: Path, db: Path, report: Path) -> None:
    for spec in SPECS:
        path = report / spec.filename
        path.write_bytes(path.read_bytes().decode("utf-8-sig").encode("cp949"))  # the fixture is CP949-safe
    assert run_import(datasets, db, report) == 0
    text = (datasets / "reports.csv").read_bytes().decode("utf-8")  # UTF-8 throughout
    assert "[테스트 전용]" in text
    assert query(db, "SELECT count(*) FROM facts") == [(len(load_datasets(DATASETS)["facts"]) * 2,)]
    assert load_datasets(datasets) == load_datasets(_imported(datasets.parent / "utf8", FIXTURE))


def _imported(datasets: Path, source: Path) -> Path:
    """A fresh copy of datasets/ with source imported into it."""
    shutil.copytree(DATASETS, datasets)
    importer.import_report(source, datasets)
    return datasets


def test_excel_style_cells_are_stored_cleaned(datasets: Path, db: Path, report: Path) -> None:
    """'1,234', '△1', ' text ' and '2023-12-31 00:00' are valid input; datasets/ stores 1234, -1, text, 2023-12-31."""
    change_cell(report, "facts", {"fact_id": "orang.visitors"}, "value", "14,382")
    change_cell(report, "staffing", {"grade": "7급"}, "stated_difference", "△1")
    change_cell(report, "staffing", {"grade": "7급"}, "current", "6")
    change_cell(report, "reports", {"report_id": NEW_ID}, "as_of", "2023-12-31 00:00")
    change_cell(report, "teams", {"team": "청년지원팀"}, "team_en", "  Youth Support Team  ")
    assert run_import(datasets, db, report) == 0
    tables = {s.table: [r for r in read_table(datasets / s.filename) if r[0] == NEW_ID] for s in SPECS}
    assert ["14382"] == [r[8] for r in tables["facts"] if r[1] == "orang.visitors"]
    assert ["-1"] == [r[5] for r in tables["staffing"] if r[2] == "7급"]
    assert tables["reports"][0][4] == "2023-12-31"
    assert "Youth Support Team" in [r[2] for r in tables["teams"]]


def test_other_files_in_datasets_are_kept(datasets: Path, db: Path) -> None:
    (datasets / "notes.txt").write_text("메모", encoding="utf-8")
    assert run_import(datasets, db, FIXTURE) == 0
    assert (datasets / "notes.txt").read_text(encoding="utf-8") == "메모"
    assert (datasets / "README.md").exists()


def test_refusals(datasets: Path, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = hashes(datasets)
    assert run_import(datasets, db, tmp_path / "missing") == 1
    assert "가져올 폴더가 없습니다" in capsys.readouterr().err
    assert run_import(datasets, db, datasets, "--replace") == 1  # datasets/ into itself
    assert run_import(tmp_path / "no-datasets", db, FIXTURE) == 1
    with (datasets / "teams.csv").open("a", encoding="utf-8", newline="") as f:
        f.write('ydp-jobs-2023-05,홍보팀,PR Team,4,"Ⅰ-1, p.1"\n')
    broken = hashes(datasets)
    capsys.readouterr()
    assert run_import(datasets, db, FIXTURE) == 1  # the current datasets/ must be valid first
    assert "지금의 datasets/에 문제가 있어" in capsys.readouterr().err
    assert hashes(datasets) == broken != before and not db.exists()


HOLD_LOCK = """
import sys, time
from pathlib import Path
from ydp_data.lock import writer_lock
with writer_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.readline()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="advisory locks are POSIX only")
def test_an_import_waits_for_another_writer_and_gives_up_with_a_message(datasets: Path, db: Path) -> None:
    """Another process (an import, a build, a server's repair) holds the writer lock: the import waits, then says so."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(datasets)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = hashes(datasets)
        with pytest.raises(importer.ImportRefused, match="다른 작업"):
            importer.import_report(FIXTURE, datasets, wait=0.5)
        assert hashes(datasets) == before
    finally:
        holder.communicate("\n", timeout=30)
    assert importer.import_report(FIXTURE, datasets, wait=5).report_ids == [NEW_ID]  # released: it goes through


def test_cli_exit_codes(datasets: Path, db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "YDP_DATASETS": str(datasets), "YDP_DB": str(db)}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ydp_data", *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120, check=False, env=env)

    assert cli("template", str(tmp_path / "t")).returncode == 0
    assert cli("template", str(tmp_path / "t")).returncode == 1
    assert cli("import").returncode == 2  # usage error: DIR missing
    first = cli("import", str(FIXTURE))
    assert first.returncode == 0, first.stderr
    assert NEW_ID in first.stdout and "plans.csv" in first.stdout
    again = cli("import", str(FIXTURE))  # the same rows again: nothing to change, says so, exit 0
    assert again.returncode == 0 and NEW_ID in again.stdout and "already imported" in again.stdout
    assert cli("import", str(FIXTURE), "--replace").returncode == 0
    assert query(db, "SELECT count(*) FROM reports") == [(2,)]
    assert cli("build").returncode == 0 and cli("check").returncode == 0


def test_folders_left_by_an_interrupted_import_are_pointed_out(datasets: Path, db: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "datasets.old-20230101-000000-1").mkdir()
    assert run_import(datasets, db, FIXTURE) == 0
    assert "datasets.old-20230101-000000-1: 중단된 가져오기" in capsys.readouterr().err
    shutil.rmtree(datasets)
    assert run_import(datasets, db, FIXTURE) == 1
    assert "datasets.old-20230101-000000-1의 이름을 datasets(으)로 되돌리세요" in capsys.readouterr().err
