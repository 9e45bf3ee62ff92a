"""Never a stale or mixed figure: the database knows what it was built from, one writer at a time, and ordinary
mishaps (an import killed half-way, a build beside an import, header-only files, misnamed or decomposed text, a
damaged file, a full disk) end in a whole, current database or a plain message."""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ydp_data import build as build_module
from ydp_data import importer
from ydp_data.build import BuildError, build, prune_leftovers
from ydp_data.cli import main
from ydp_data.datasets import SPECS
from ydp_data.db import Database, ensure_database, is_usable
from ydp_data.errors import DatasetError
from ydp_data.fingerprint import fingerprint
from ydp_data.load import load_datasets

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
FIXTURE = ROOT / "tests" / "fixtures" / "report_2023_12_test"
NEW_ID = "test-ydp-jobs-2023-12"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


# --- helpers -----------------------------------------------------------------------------------------------------
def read_table(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_table(path: Path, table: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Put value into one cell (row 0 = first data row)."""
    table = read_table(path)
    table[row + 1][table[0].index(column)] = value
    write_table(path, table)


def built_from(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return str(con.execute("SELECT datasets_fingerprint FROM build_info").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def scalar(db: Path, sql: str) -> object:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]  # type: ignore[index]
    finally:
        con.close()


def cli(*args: str, datasets: Path, db: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ydp_data", "--datasets", str(datasets), "--db", str(db), *args],
                          capture_output=True, text=True, timeout=timeout, check=False, env=ENV)


@pytest.fixture()
def datasets(tmp_path: Path) -> Path:
    target = tmp_path / "datasets"
    shutil.copytree(DATASETS, target)
    return target


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "ydp.duckdb"


BUDGET_ROW = 0  # first row of budget_units.csv (인력운영비)


def bump_budget(datasets: Path, by: int = 1) -> int:
    """Change the first unit programme's budget in datasets/ by `by`; the new value."""
    path = datasets / "budget_units.csv"
    value = int(read_table(path)[BUDGET_ROW + 1][read_table(path)[0].index("budget")]) + by
    set_cell(path, BUDGET_ROW, "budget", str(value))
    return value


def first_budget(db: Path) -> int:
    return int(scalar(db, "SELECT budget FROM budget_units ORDER BY sort_order LIMIT 1"))  # type: ignore[arg-type]


# --- the database records what it was built from ---------------------------------------------------------------
def test_build_records_the_datasets_fingerprint(datasets: Path, db: Path) -> None:
    build(datasets, db)
    assert built_from(db) == fingerprint(datasets)
    bump_budget(datasets)
    assert fingerprint(datasets) != built_from(db)  # any byte of any dataset file changes it


@pytest.mark.parametrize("entry", ["check", "build", "import-again", "start"])
def test_every_entry_point_rebuilds_a_database_behind_its_datasets(datasets: Path, db: Path, entry: str) -> None:
    """An import killed between its swap and its rebuild: datasets/ is new, the database old. Each entry point
    notices the fingerprint and rebuilds (the dashboard's start: ensure_database, what ui.ready_database runs)."""
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(FIXTURE)]) == 0
    stale = db.with_name("stale.duckdb")
    old = datasets.parent / "old"
    shutil.copytree(datasets, old)
    importer_rows = read_table(old / "reports.csv")
    write_table(old / "reports.csv", [r for r in importer_rows if NEW_ID not in r])
    for spec in SPECS:  # the datasets as they were before the import
        table = read_table(old / spec.filename)
        write_table(old / spec.filename, [table[0]] + [r for r in table[1:] if NEW_ID not in r])
    build(old, stale)
    os.replace(stale, db)
    assert scalar(db, "SELECT count(*) FROM reports") == 1
    if entry == "check":
        assert cli("check", datasets=datasets, db=db).returncode == 0
    elif entry == "build":
        assert cli("build", datasets=datasets, db=db).returncode == 0
    elif entry == "import-again":
        proc = cli("import", str(FIXTURE), datasets=datasets, db=db)
        assert proc.returncode == 0 and "already imported" in proc.stdout, proc.stderr
    else:
        ensure_database(db, datasets)
    assert scalar(db, "SELECT count(*) FROM reports") == 2
    assert built_from(db) == fingerprint(datasets)


def test_an_open_database_rebuilds_on_its_next_use_after_datasets_changed(datasets: Path, db: Path) -> None:
    build(datasets, db)
    live = Database(db, datasets)
    live.refresh()
    before = first_budget(db)
    assert int(live.query("SELECT budget FROM budget_units ORDER BY sort_order LIMIT 1").iloc[0, 0]) == before
    after = bump_budget(datasets, 7)
    live.refresh()  # what every rerun of a page does first
    assert int(live.query("SELECT budget FROM budget_units ORDER BY sort_order LIMIT 1").iloc[0, 0]) == after == before + 7


def test_invalid_datasets_keep_the_last_good_database_and_say_so_once(datasets: Path, db: Path) -> None:
    build(datasets, db)
    live = Database(db, datasets)
    live.refresh()
    good = db.read_bytes()
    set_cell(datasets / "budget_units.csv", 0, "budget", "abc")
    live.refresh()
    live.refresh()
    notices = live.notices_after(0)
    assert len(notices) == 1 and notices[0].level == "error" and "budget_units.csv" in notices[0].text
    assert db.read_bytes() == good


# --- one writer at a time --------------------------------------------------------------------------------------
def test_a_build_never_reads_files_that_change_under_it(datasets: Path, db: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    build(datasets, db)
    good = db.read_bytes()
    real = build_module.load_datasets

    def edited_meanwhile(folder: Path):  # type: ignore[no-untyped-def]
        records = real(folder)
        bump_budget(folder)  # a hand edit (no lock) while the build read the files
        return records

    monkeypatch.setattr(build_module, "load_datasets", edited_meanwhile)
    with pytest.raises(BuildError, match="changed while"):
        build(datasets, db)
    assert db.read_bytes() == good


def test_visitors_arriving_together_get_one_build(datasets: Path, db: Path) -> None:
    """Six sessions of one server open the dashboard with no database at all: one build, all get the data."""
    errors: list[BaseException] = []
    counts: list[int] = []
    builds: list[int] = []
    real = build_module._build

    def counted(*args):  # type: ignore[no-untyped-def]
        builds.append(1)
        return real(*args)

    build_module._build = counted  # type: ignore[assignment]
    try:
        def visitor() -> None:
            try:
                live = Database(db, datasets)
                live.refresh()
                counts.append(int(live.query("SELECT count(*) FROM reports").iloc[0, 0]))
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=visitor) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        build_module._build = real  # type: ignore[assignment]
    assert errors == [] and counts == [1] * 6
    assert len(builds) == 1
    assert list(db.parent.glob("*.tmp*")) == []


RACE_BUILD = """
import sys
from pathlib import Path
from ydp_data.build import build, BuildError
for _ in range(int(sys.argv[3])):
    try:
        build(Path(sys.argv[1]), Path(sys.argv[2]))
    except BuildError as exc:
        print("busy", exc, flush=True)
"""


def test_builds_racing_an_import_leave_a_database_of_one_version(datasets: Path, db: Path) -> None:
    """A scheduled build running alongside an import: the lock serialises them; the database in the end is the
    imported version, whole (every table of the new report there, its fingerprint that of datasets/)."""
    build(datasets, db)
    builder = subprocess.Popen([sys.executable, "-c", RACE_BUILD, str(datasets), str(db), "12"], env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        imported = cli("import", str(FIXTURE), datasets=datasets, db=db)
    finally:
        out, err = builder.communicate(timeout=180)
    assert imported.returncode == 0, imported.stderr
    assert builder.returncode == 0, err
    assert built_from(db) == fingerprint(datasets)
    for spec in SPECS:
        rows = scalar(db, f"SELECT count(*) FROM \"{spec.table}\" WHERE report_id = '{NEW_ID}'")
        fixture_rows = len(read_table(FIXTURE / spec.filename)) - 1
        assert rows == fixture_rows, spec.table


KILLABLE_IMPORT = [sys.executable, "-m", "ydp_data"]


def test_an_import_killed_at_random_moments_leaves_one_whole_version(tmp_path: Path, datasets: Path, db: Path) -> None:
    """SIGKILL an import at random moments: datasets/ is always the old or the new version, whole, and the next
    command (check) or start brings the database to match it."""
    build(datasets, db)
    old_print = fingerprint(datasets)
    done = tmp_path / "done"
    shutil.copytree(datasets, done)
    assert main(["--datasets", str(done), "--db", str(tmp_path / "done.duckdb"), "import", str(FIXTURE)]) == 0
    new_print = fingerprint(done)
    rng = random.Random(12)
    seen: set[str] = set()
    for attempt in range(10):
        if fingerprint(datasets) == new_print:  # start again from the old version
            shutil.rmtree(datasets)
            shutil.copytree(DATASETS, datasets)
        proc = subprocess.Popen([*KILLABLE_IMPORT, "--datasets", str(datasets), "--db", str(db), "import", str(FIXTURE)],
                                env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        now = fingerprint(datasets)
        assert now in (old_print, new_print), f"attempt {attempt}: datasets/ is neither version"
        seen.add("new" if now == new_print else "old")
        if attempt % 2:
            assert cli("check", datasets=datasets, db=db).returncode == 0
        else:
            ensure_database(db, datasets)  # the dashboard's start
        assert is_usable(db) and built_from(db) == now, f"attempt {attempt}"
    assert load_datasets(datasets)
    assert seen  # both outcomes are fine; neither is half


# --- replace, backups, silently skipped files -------------------------------------------------------------------
def test_a_replace_that_would_empty_a_table_is_refused_unless_named(tmp_path: Path, datasets: Path, db: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(FIXTURE)]) == 0
    incoming = tmp_path / "incoming"
    shutil.copytree(FIXTURE, incoming)
    for name in ("facts.csv", "plans.csv"):  # left header-only, as the template writes them
        write_table(incoming / name, read_table(incoming / name)[:1])
    before = {p.name: p.read_bytes() for p in datasets.iterdir()}
    capsys.readouterr()
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(incoming), "--replace"]) == 1
    err = capsys.readouterr().err
    assert "facts.csv" in err and "plans.csv" in err and "--allow-empty facts" in err
    assert {p.name: p.read_bytes() for p in datasets.iterdir()} == before
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(incoming), "--replace",
                 "--allow-empty", "facts"]) == 1  # plans still not named
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(incoming), "--replace",
                 "--allow-empty", "facts", "--allow-empty", "plans"]) == 0
    out = capsys.readouterr().out
    assert scalar(db, f"SELECT count(*) FROM facts WHERE report_id = '{NEW_ID}'") == 0
    backups = sorted((tmp_path / "datasets-backups").iterdir())
    assert len(backups) == 2 and str(backups[-1]) in out
    assert {p.name: p.read_bytes() for p in backups[-1].iterdir()} == before  # the folder as it was


def test_backups_keep_the_last_few(tmp_path: Path, datasets: Path, db: Path) -> None:
    folder = tmp_path / "datasets-backups"
    folder.mkdir()
    for i in range(7):
        (folder / f"20200101-00000{i}-1").mkdir()
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(FIXTURE)]) == 0
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == importer.KEEP_BACKUPS and kept[-1] > "2020" and "20200101-000000-1" not in kept


@pytest.mark.parametrize("wrong", ["facts.CSV", "Facts.csv", "facts (2).csv", "facts(1).csv", "facts - 복사본.csv",
                                   "facts - Copy.csv", "facts copy 2.csv"])
def test_a_dataset_file_under_another_name_is_refused_by_name(tmp_path: Path, datasets: Path, db: Path,
                                                              wrong: str, capsys: pytest.CaptureFixture[str]) -> None:
    incoming = tmp_path / "incoming"
    shutil.copytree(FIXTURE, incoming)
    (incoming / "facts.csv").rename(incoming / wrong)
    write_table(incoming / "facts.csv", read_table(incoming / wrong)[:1])  # what Excel left: the header only
    before = {p.name: p.read_bytes() for p in datasets.iterdir()}
    capsys.readouterr()
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(incoming)]) == 1
    err = capsys.readouterr().err
    assert wrong in err and "facts.csv" in err
    assert {p.name: p.read_bytes() for p in datasets.iterdir()} == before
    (datasets / wrong).write_bytes((datasets / "facts.csv").read_bytes())  # the build refuses it as well
    with pytest.raises(DatasetError, match="facts.csv"):
        build(datasets, db)


@pytest.mark.parametrize("table", ["programs", "budget_units", "program_budget"])
def test_a_new_report_without_its_core_rows_is_refused(tmp_path: Path, datasets: Path, db: Path, table: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    incoming = tmp_path / "incoming"
    shutil.copytree(FIXTURE, incoming)
    dependants = {"programs": ["program_budget", "subprograms", "facts", "plans"], "budget_units": [],
                  "program_budget": []}
    for name in [table, *dependants[table]]:
        write_table(incoming / f"{name}.csv", read_table(incoming / f"{name}.csv")[:1])
    if table == "budget_units":  # programmes name their unit programme: drop them too
        for name in ("programs", "program_budget", "subprograms", "facts", "plans"):
            write_table(incoming / f"{name}.csv", read_table(incoming / f"{name}.csv")[:1])
    capsys.readouterr()
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(incoming)]) == 1
    err = capsys.readouterr().err
    assert f"{table}.csv" in err and NEW_ID in err


# --- text that looks right -------------------------------------------------------------------------------------
def test_decomposed_hangul_is_stored_composed(datasets: Path, db: Path) -> None:
    path = datasets / "programs.csv"
    table = read_table(path)
    team_col, title_col = table[0].index("team"), table[0].index("title")
    for row in table[1:]:
        row[team_col] = unicodedata.normalize("NFD", row[team_col])
        row[title_col] = unicodedata.normalize("NFD", row[title_col])
    write_table(path, table)
    assert unicodedata.normalize("NFD", "일자리사업팀") in path.read_text(encoding="utf-8")
    build(datasets, db)
    titles = scalar(db, "SELECT string_agg(title, '|') FROM programs")
    assert titles == unicodedata.normalize("NFC", str(titles))
    assert scalar(db, "SELECT count(*) FROM programs WHERE team = '일자리사업팀'") == 3


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u200f", "\u061c"])
def test_bidirectional_controls_are_refused(datasets: Path, db: Path, control: str) -> None:
    set_cell(datasets / "programs.csv", 0, "title", f"공공{control}일자리")
    with pytest.raises(DatasetError) as caught:
        build(datasets, db)
    (problem,) = caught.value.problems
    assert problem.file.endswith("programs.csv") and problem.line == 2 and problem.field == "title"
    assert f"U+{ord(control):04X}" in problem.message and not db.exists()


@pytest.mark.parametrize("value", ["357.000", "1.234.567", "82368.0"])
def test_a_dotted_number_in_a_money_column_is_refused(datasets: Path, db: Path, value: str) -> None:
    set_cell(datasets / "budget_units.csv", 0, "budget", value)
    with pytest.raises(DatasetError) as caught:
        build(datasets, db)
    (problem,) = caught.value.problems
    assert problem.field == "budget" and problem.line == 2 and value in problem.message


def test_a_value_that_differs_invisibly_shows_the_difference(datasets: Path, db: Path) -> None:
    set_cell(datasets / "programs.csv", 0, "team", "일자리사업팀\u200b")
    with pytest.raises(DatasetError) as caught:
        build(datasets, db)
    (problem,) = caught.value.problems
    assert problem.field == "team" and "U+200B" in problem.message and "'일자리사업팀'" in problem.message


def test_a_long_value_is_cut_in_the_message(datasets: Path, db: Path) -> None:
    set_cell(datasets / "budget_units.csv", 0, "budget", "x" * 400)
    with pytest.raises(DatasetError) as caught:
        build(datasets, db)
    message = caught.value.problems[0].message
    assert "x" * 50 in message and "x" * 100 not in message and "…" in message


# --- the machine fails -----------------------------------------------------------------------------------------
@pytest.fixture()
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 300 KB tmpfs: too small for a database (CI runs as root, which can mount one)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root; there, YDP_CI=1 makes this skip a failure)")
    mount = tmp_path / "tiny"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_during_build_is_reported_as_disk_full(tiny_disk: Path, datasets: Path) -> None:
    proc = cli("build", datasets=datasets, db=tiny_disk / "ydp.duckdb")
    assert proc.returncode == 1
    assert "disk full" in proc.stderr and "Traceback" not in proc.stderr and "validation" not in proc.stderr
    assert list(tiny_disk.iterdir()) == []


def test_disk_full_during_import_is_reported_as_disk_full(tiny_disk: Path) -> None:
    small = tiny_disk / "datasets"
    shutil.copytree(DATASETS, small)  # ~40 KB: fits; the staging copy and its test build do not
    before = fingerprint(small)
    proc = subprocess.run([sys.executable, "-m", "ydp_data", "--datasets", str(small), "--db", str(tiny_disk / "x.duckdb"),
                           "import", str(FIXTURE)], capture_output=True, text=True, env=ENV, timeout=120, check=False)
    assert proc.returncode == 1 and "disk full" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert fingerprint(small) == before


def test_an_unwritable_database_folder_is_a_clear_message(tmp_path: Path, datasets: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    proc = cli("build", datasets=datasets, db=a_file / "ydp.duckdb")
    assert proc.returncode == 1 and "cannot write the database folder" in proc.stderr and "Traceback" not in proc.stderr


def test_leftovers_are_pruned_keeping_the_last_few(tmp_path: Path, datasets: Path) -> None:
    db = tmp_path / "ydp.duckdb"
    for i in range(6):
        (tmp_path / f"ydp.duckdb.bad-2020010{i}-000000").write_bytes(b"x")
    (tmp_path / ".ydp.duckdb.123-4-abcd.tmp").write_bytes(b"half")
    (tmp_path / ".ydp.duckdb.123-4-abcd.tmp.wal").write_bytes(b"half")
    build(datasets, db)
    names = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("ydp", ".ydp")))
    assert names == ["ydp.duckdb", *[f"ydp.duckdb.bad-2020010{i}-000000" for i in (3, 4, 5)]]
    prune_leftovers(db, keep=1)
    assert sorted(p.name for p in tmp_path.glob("ydp.duckdb.bad-*")) == ["ydp.duckdb.bad-20200105-000000"]


# --- damaged while serving -------------------------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage"])
def test_a_database_damaged_while_serving_is_rebuilt_on_the_next_query(datasets: Path, db: Path, damage: str) -> None:
    build(datasets, db)
    live = Database(db, datasets)
    live.refresh()
    assert int(live.query("SELECT count(*) FROM reports").iloc[0, 0]) == 1
    good = db.read_bytes()
    if damage == "delete":
        db.unlink()
    elif damage == "truncate":
        db.write_bytes(good[: len(good) // 3])
    else:
        db.write_bytes(b"\0garbage" * 1000)
    assert int(live.query("SELECT count(*) FROM reports").iloc[0, 0]) == 1
    (notice,) = live.notices_after(0)
    assert "다시 만들었습니다" in notice.text
    assert live.notices_after(notice.seq) == []
    assert is_usable(db) and built_from(db) == fingerprint(datasets)
    aside = list(db.parent.glob("ydp.duckdb.bad-*"))
    assert len(aside) == (0 if damage == "delete" else 1)


# --- random mishaps (hypothesis) --------------------------------------------------------------------------------
BIDI_CHARS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
              "\u200f", "\u061c"]
COPY_NAMES = ["{stem}.CSV", "{Stem}.csv", "{stem} (2).csv", "{stem}(1).csv", "{stem} - 복사본.csv", "{stem} - Copy.csv",
              "{stem} copy.csv", "{STEM}.Csv"]


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "ydp.duckdb"
    build(DATASETS, path)
    return path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=st.sampled_from(list(SPECS)), row=st.integers(min_value=0, max_value=200), data=st.data())
def test_random_mishaps_build_composed_or_are_refused_by_name(tmp_path_factory: pytest.TempPathFactory, good_db: Path,
                                                              spec, row: int, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    """A decomposed cell builds to the composed text; a bidi control or a dataset file under a copy or upper-case
    name is refused, naming the file; the last good database is never touched by a refusal."""
    work = tmp_path_factory.mktemp("mishap")
    datasets = work / "datasets"
    shutil.copytree(DATASETS, datasets)
    path = datasets / spec.filename
    table = read_table(path)
    index = row % (len(table) - 1)
    column = data.draw(st.sampled_from(spec.columns))
    mishap = data.draw(st.sampled_from(["nfd", "bidi", "rename", "copy"]))
    target = work / "ydp.duckdb"
    shutil.copy(good_db, target)
    before = target.read_bytes()
    original = table[index + 1][table[0].index(column)]
    if mishap == "nfd":
        set_cell(path, index, column, unicodedata.normalize("NFD", original))
    elif mishap == "bidi":
        at = data.draw(st.integers(min_value=0, max_value=len(original)))
        set_cell(path, index, column, original[:at] + data.draw(st.sampled_from(BIDI_CHARS)) + original[at:])
    else:
        name = data.draw(st.sampled_from(COPY_NAMES)).format(stem=spec.table, Stem=spec.table.capitalize(),
                                                             STEM=spec.table.upper())
        if mishap == "rename":
            path.rename(datasets / name)
        else:
            shutil.copy(path, datasets / name)
    try:
        result = build(datasets, target)
    except DatasetError as exc:
        assert mishap != "nfd" or not original.strip(), exc.render()
        assert target.read_bytes() == before
        assert exc.problems and all(p.file and p.message for p in exc.problems)
        if mishap == "bidi":
            assert any(p.file.endswith(spec.filename) and p.line == index + 2 and p.field == column
                       for p in exc.problems), exc.render()
        if mishap in ("rename", "copy"):
            assert any(name in p.file for p in exc.problems), exc.render()
    else:
        assert mishap == "nfd", mishap
        assert result.rows[spec.table] == len(table) - 1
        assert built_from(target) == fingerprint(datasets)
