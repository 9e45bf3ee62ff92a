"""Paths that coverage named as run by no test (issue 16), each tested so that it fails when the path is broken.

The repair notice on a page, the briefing page's PDF error display, a symlinked datasets folder, sub-folders and
unknown CSV files in datasets/, "imported but the rebuild failed", the URL caps, the shared cache's eviction and
the year elapsed on a leap year. Everything runs for real: the DuckDB file, the pages through AppTest, the CLI.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_pages import cards_of, open_page
from tests.dbfiles import query, sha256
from tests.test_integrity import bump_budget, first_budget, set_cell
from ydp_data import briefing, queries, ui
from ydp_data.build import build
from ydp_data.cli import main
from ydp_data.db import Database, ensure_database, is_usable
from ydp_data.filters import ALL_TEAMS, MAX_PARAM_LENGTH, MAX_PARAM_VALUES, Filters, parse_query
from ydp_data.fingerprint import fingerprint
from ydp_data.lock import LockBusy, lock_path, writer_lock
from ydp_data.memo import LruCache

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
FIXTURE = ROOT / "tests" / "fixtures" / "report_2023_12_test"
NEW_ID = "test-ydp-jobs-2023-12"
REPORT_ID = "ydp-jobs-2023-05"
REPORTS = [REPORT_ID]
IGNORED_URL = "URL의 알 수 없는 값은 무시했습니다"


@pytest.fixture()
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A datasets copy and its database, the app pointed at both (a new process cache key per test)."""
    datasets, db = tmp_path / "datasets", tmp_path / "data" / "ydp.duckdb"
    shutil.copytree(DATASETS, datasets)
    build(datasets, db)
    monkeypatch.setenv("YDP_DATASETS", str(datasets))
    monkeypatch.setenv("YDP_DB", str(db))
    yield datasets, db


def texts(at: AppTest, kind: str) -> list[str]:
    """The elements' text as a reader sees it (Markdown escapes and word joiners of safe_text.md taken out)."""
    return [str(e.value).replace("\\", "").replace("\u2060", "") for e in getattr(at, kind)]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in cards_of(at)}


# --- the repair notice on a page ----------------------------------------------------------------------------------
REBUILT = "다시 만들었습니다"
PUBLIC_JOBS = "pages/2_공공일자리_Public_jobs.py"


@pytest.mark.parametrize("damage", ["delete", "garbage"])
def test_a_page_shows_the_repair_notice_once_then_its_figures(served: tuple[Path, Path], damage: str) -> None:
    """On a page other than the front one: the database deleted or overwritten while the page is open."""
    _, db = served
    at = open_page(PUBLIC_JOBS)
    assert not at.exception, [e.value for e in at.exception]
    before = metrics(at)
    assert before and not [w for w in texts(at, "warning") if REBUILT in w]
    if damage == "delete":
        db.unlink()
    else:
        db.write_bytes(b"not a database " * 4096)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notices = [w for w in texts(at, "warning") if REBUILT in w]
    assert len(notices) == 1, texts(at, "warning")
    assert ("사라져" if damage == "delete" else "옮겨 두고") in notices[0]
    assert metrics(at) == before  # the figures, from the rebuilt file
    assert is_usable(db)
    if damage == "garbage":  # the damaged file is kept for a look
        assert [p.read_bytes()[:15] for p in db.parent.glob("ydp.duckdb.bad-*")] == [b"not a database "]
    at.run()  # the same session: told once
    assert not at.exception
    assert not [w for w in texts(at, "warning") if REBUILT in w]
    assert metrics(at) == before


# --- the briefing page's PDF error display --------------------------------------------------------------------------
BRIEFING = "pages/8_브리핑_Briefing.py"


def test_the_briefing_page_shows_a_failed_pdf_as_a_plain_message(served: tuple[Path, Path], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Chromium (briefing.CHROMIUM, the one place the product looks for it) runs but prints no PDF."""
    failing = tmp_path / "chromium"
    failing.write_text("#!/bin/sh\necho 'Fontconfig error: <b>no fonts</b>' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setattr(briefing, "CHROMIUM", str(failing))
    at = open_page(BRIEFING, {"team": "일자리사업팀"})  # a view no other test prints
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="briefing_pdf_build").click().run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    (message,) = texts(at, "error")
    assert "Chromium이 PDF를 만들지 못했습니다 (종료 코드 3)" in message
    assert "Fontconfig error: <b>no fonts</b>" in message  # Chromium's own words, as text
    assert "Traceback" not in message and 'File "' not in message
    assert "briefing_pdf" not in [str(d.key) for d in at.get("download_button")]
    assert "briefing_pdf_retry" not in [str(b.key) for b in at.button]  # "press again" is for a busy server only
    assert at.header[0].value == "1. 일자리정책과 한눈에 보기"  # the slides are still there


def test_the_briefing_page_without_chromium_offers_no_pdf(served: tuple[Path, Path], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(briefing, "CHROMIUM", str(tmp_path / "no-chromium"))
    at = open_page(BRIEFING)
    assert not at.exception, [e.value for e in at.exception]
    assert any("Chromium이 없어 PDF를 만들 수 없습니다" in i for i in texts(at, "info"))
    assert "briefing_pdf_build" not in [str(b.key) for b in at.button]
    with pytest.raises(briefing.PdfError, match="Chromium이 없습니다"):
        briefing.briefing_pdf("<html></html>")  # the default follows the same setting


# --- a symlinked datasets folder ----------------------------------------------------------------------------------
@pytest.fixture()
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """(the link, the real folder): YDP_DATASETS may name a symlink to where the files really are."""
    real = tmp_path / "store" / "datasets-2023"
    shutil.copytree(DATASETS, real)
    link = tmp_path / "datasets"
    link.symlink_to(real, target_is_directory=True)
    return link, real


LOCK_HOLDER = """
import sys, time
from pathlib import Path
from ydp_data.lock import writer_lock
with writer_lock(Path(sys.argv[1]), wait=30):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_symlinked_datasets_folder_builds_locks_and_fingerprints(linked: tuple[Path, Path], tmp_path: Path) -> None:
    link, real = linked
    db = tmp_path / "data" / "ydp.duckdb"
    assert main(["--datasets", str(link), "--db", str(db), "build"]) == 0
    assert fingerprint(link) == fingerprint(real)
    assert query(db, "SELECT datasets_fingerprint FROM build_info") == [(fingerprint(real),)]
    # one lock for both names, beside the real folder (it survives the folder being swapped)
    assert lock_path(link) == lock_path(real) == real.parent / ".datasets-2023.lock"
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(real)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockBusy), writer_lock(link, wait=0):
            pass
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(link, wait=5):  # free again
        pass
    # the dashboard, pointed at the link, follows a change made in the real folder
    live = Database(db, link)
    live.refresh()
    new = bump_budget(real, 1000)
    live.refresh()
    assert first_budget(db) == new and query(db, "SELECT datasets_fingerprint FROM build_info") == [(fingerprint(real),)]


def test_an_import_through_a_symlink_replaces_the_target_not_the_link(linked: tuple[Path, Path], tmp_path: Path) -> None:
    link, real = linked
    db = tmp_path / "data" / "ydp.duckdb"
    build(link, db)
    pointed = os.readlink(link)
    assert main(["--datasets", str(link), "--db", str(db), "import", str(FIXTURE)]) == 0
    assert link.is_symlink() and os.readlink(link) == pointed  # the link is as it was
    assert real.is_dir() and not real.is_symlink()
    assert NEW_ID in (real / "reports.csv").read_text(encoding="utf-8")  # the new version is where the files are
    assert sorted(r for (r,) in query(db, "SELECT report_id FROM reports")) == sorted([REPORT_ID, NEW_ID])
    assert query(db, "SELECT datasets_fingerprint FROM build_info") == [(fingerprint(real),)]
    backups = list((real.parent / "datasets-2023-backups").iterdir())  # the old version, kept beside the target
    assert len(backups) == 1 and NEW_ID not in (backups[0] / "reports.csv").read_text(encoding="utf-8")
    assert not (tmp_path / "datasets-backups").exists()


# --- sub-folders and unknown CSV files in datasets/ -----------------------------------------------------------------
def test_sub_folders_and_unknown_csv_files_in_datasets_are_not_read_and_it_is_said(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    datasets, db = tmp_path / "datasets", tmp_path / "data" / "ydp.duckdb"
    shutil.copytree(DATASETS, datasets)
    clean = tmp_path / "clean.duckdb"
    build(datasets, clean)
    (datasets / "2023-12").mkdir()  # an officer's guess at where a new report goes
    shutil.copy(datasets / "budget_units.csv", datasets / "2023-12" / "budget_units.csv")
    set_cell(datasets / "2023-12" / "budget_units.csv", 0, "budget", "1")
    (datasets / "메모.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["--datasets", str(datasets), "--db", str(db), "build"]) == 0
    err = capsys.readouterr().err
    assert "주의 (warning): 2023-12/: 하위 폴더는 읽지 않습니다" in err, err
    assert "주의 (warning): 메모.csv: 데이터 파일이 아니라 읽지 않습니다" in err, err
    assert "README.md" not in err  # the folder's own notes are not a warning
    assert first_budget(db) == first_budget(clean)  # the sub-folder's file was not read
    assert fingerprint(datasets) == query(clean, "SELECT datasets_fingerprint FROM build_info")[0][0]
    assert main(["--datasets", str(datasets), "--db", str(db), "check"]) == 0
    assert "2023-12/: 하위 폴더는 읽지 않습니다" in capsys.readouterr().err
    # an import keeps them, as they were, in the new version
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(FIXTURE)]) == 0
    assert (datasets / "2023-12" / "budget_units.csv").is_file() and (datasets / "메모.csv").is_file()


def test_an_unknown_csv_file_in_an_import_is_named_and_not_imported(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    datasets, db = tmp_path / "datasets", tmp_path / "data" / "ydp.duckdb"
    shutil.copytree(DATASETS, datasets)
    source = tmp_path / "report"
    shutil.copytree(FIXTURE, source)
    (source / "notes.csv").write_text("memo\n확인 필요\n", encoding="utf-8")
    (source / "extra").mkdir()
    (source / "extra" / "programs.csv").write_text("x\n", encoding="utf-8")
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(source)]) == 0
    err = capsys.readouterr().err
    assert "주의 (warning): notes.csv: 알 수 없는 파일이라 가져오지 않습니다" in err, err
    assert "주의 (warning): extra/: 하위 폴더는 가져오지 않습니다" in err, err
    assert not (datasets / "notes.csv").exists() and not (datasets / "extra").exists()
    assert NEW_ID in (datasets / "reports.csv").read_text(encoding="utf-8")


# --- imported, but the rebuild failed -------------------------------------------------------------------------------
@contextlib.contextmanager
def read_only_after_build(folder: Path, datasets: Path) -> Iterator[Path]:
    """A database built into folder, which then becomes unwritable: a read-only tmpfs as root (root writes through
    a mode of 0555), the mode otherwise."""
    folder.mkdir(parents=True)
    mounted = os.geteuid() == 0
    if mounted:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(folder)], check=True)
    try:
        db = folder / "ydp.duckdb"
        build(datasets, db)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            folder.chmod(0o555)
        yield db
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o755)


def test_imported_but_the_rebuild_failed_says_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    datasets = tmp_path / "datasets"
    shutil.copytree(DATASETS, datasets)
    with read_only_after_build(tmp_path / "data", datasets) as db:
        old = sha256(db)
        code = main(["--datasets", str(datasets), "--db", str(db), "import", str(FIXTURE)])
        out, err = capsys.readouterr()
        assert code == 1, (out, err)
        assert f"imported {NEW_ID}: 새 보고서 (added)" in out  # what was imported
        assert "datasets/에는 가져왔지만 데이터베이스를 다시 만들지 못했습니다" in err, err  # and what was not done
        assert "python -m ydp_data build" in err and "Traceback" not in err
        assert NEW_ID in (datasets / "reports.csv").read_text(encoding="utf-8")  # datasets/ has the new version
        assert sha256(db) == old and is_usable(db)  # the old database stays, whole
        assert query(db, "SELECT report_id FROM reports") == [(REPORT_ID,)]
    ensure_database(db, datasets)  # writable again: the next start catches up
    assert sorted(r for (r,) in query(db, "SELECT report_id FROM reports")) == sorted([REPORT_ID, NEW_ID])


# --- the URL caps -----------------------------------------------------------------------------------------------------
def test_more_than_the_cap_of_values_uses_the_first_twenty_and_says_so() -> None:
    assert MAX_PARAM_VALUES == 20
    team = ALL_TEAMS[1]
    parsed = parse_query({"team": ["없는팀"] * 20 + [team]}, REPORTS)  # the 21st value is past the cap
    assert "team" not in parsed.values
    assert parsed.ignored.count("team=없는팀") == 20
    assert "team: 1개 값 (최대 20개)" in parsed.ignored
    parsed = parse_query({"team": [team] + ["없는팀"] * 20}, REPORTS)
    assert parsed.values == {"team": [team]}
    assert parsed.ignored.count("team=없는팀") == 19 and "team: 1개 값 (최대 20개)" in parsed.ignored
    parsed = parse_query({"team": [team] * 20}, REPORTS)  # exactly the cap: nothing said
    assert parsed.values == {"team": [team]} and parsed.ignored == []


def test_a_value_longer_than_the_cap_is_cut() -> None:
    assert MAX_PARAM_LENGTH == 100
    team = ALL_TEAMS[1]
    padded = team.ljust(MAX_PARAM_LENGTH) + "X"  # 101 characters: what is kept strips to the team
    assert parse_query({"team": [padded]}, REPORTS).values == {"team": [team]}
    longer = team.ljust(MAX_PARAM_LENGTH - 1) + "X"  # 100 characters, all kept: not a team
    parsed = parse_query({"team": [longer]}, REPORTS)
    assert "team" not in parsed.values and len(parsed.ignored) == 1
    assert parsed.ignored[0].startswith(f"team={team}") and parsed.ignored[0].endswith("…")
    assert len(parsed.ignored[0]) == len("team=") + 40 + 1


def test_the_url_caps_on_a_page(db_path: Path) -> None:
    team, past_the_cap = ALL_TEAMS[1], ALL_TEAMS[2]
    at = open_page("pages/1_일자리_Jobs.py", {"team": [team] + ["없는팀"] * 19 + [past_the_cap],
                                            "unit": "억원".ljust(150, " ") + "X"}, all_sections=False)
    assert not at.exception, [e.value for e in at.exception]
    (warning,) = [w for w in texts(at, "warning") if IGNORED_URL in w]
    assert "team: 1개 값 (최대 20개)" in warning
    assert at.multiselect(key="team").value == [team]  # the 21st value is not used
    assert at.get_by_key("unit").value == "억원"  # cut to 100 characters, the rest is blanks
    assert dict(at.query_params) == {"team": team, "unit": "억원"}  # the link is written back without the rest


# --- the shared cache -------------------------------------------------------------------------------------------------
def test_the_shared_cache_drops_the_least_recently_used_when_full() -> None:
    cache = LruCache(3)
    made: list[str] = []

    def get(key: str) -> str:
        return str(cache.get_or_make(key, lambda: made.append(key) or key.upper()))

    assert [get(k) for k in "abc"] == ["A", "B", "C"] and len(cache) == 3
    assert get("a") == "A" and made == ["a", "b", "c"]  # a hit: made once, now the most recently used
    get("d")  # full: the least recently used (b) goes
    assert len(cache) == 3 and made == ["a", "b", "c", "d"]
    get("a"), get("c"), get("d")
    assert made == ["a", "b", "c", "d"]  # still there
    get("b")
    assert made == ["a", "b", "c", "d", "b"]  # b was gone and is made again
    assert len(cache) == 3
    get("a")
    assert made[-1] == "a"  # and a, the oldest use when b came back, went then


def test_a_rebuilt_database_never_serves_results_of_the_old_build(served: tuple[Path, Path]) -> None:
    datasets, db = served
    filters = Filters(REPORT_ID)
    first = ui.query(queries.budget_by_unit_program, filters)
    budget = int(first.iloc[0]["budget"])
    assert ui.query(queries.budget_by_unit_program, filters) is first  # cached: the same object
    new = bump_budget(datasets, 1000)
    build(datasets, db)  # a rebuild of the same path (os.replace: a new file)
    again = ui.query(queries.budget_by_unit_program, filters)
    assert again is not first and int(again.iloc[0]["budget"]) == new == budget + 1000
    # charts, tables and CSV bytes too: a view is made again for the new build
    ctx = ui.Context(filters, "천원", "2023-05-31", 41.4)
    made: list[int] = []

    def make() -> int:
        made.append(first_budget(db))
        return made[-1]

    assert ui.memo("csv", "budget_units", ctx, make) == new
    assert ui.memo("csv", "budget_units", ctx, make) == new and made == [new]  # the same build: made once
    build(datasets, db)
    assert ui.memo("csv", "budget_units", ctx, make) == new and made == [new, new]  # a rebuild: made again


# --- the year elapsed on a leap year ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("as_of", "elapsed"), [
    ("2023-05-31", 41.4),  # day 151 of 365 = 41.37%
    ("2024-05-31", 41.5),  # day 152 of 366 = 41.53% (with 365 days: 41.64%)
    ("2024-12-31", 100.0),  # day 366 of 366
    ("2024-02-29", 16.4),  # day 60 of 366 = 16.39%
])
def test_the_year_elapsed_counts_the_days_of_its_own_year(tmp_path: Path, as_of: str, elapsed: float) -> None:
    datasets, db = tmp_path / "datasets", tmp_path / "ydp.duckdb"
    shutil.copytree(DATASETS, datasets)
    set_cell(datasets / "reports.csv", 0, "as_of", as_of)
    build(datasets, db)
    opened, filters = Database(db), Filters(REPORT_ID)
    assert queries.report(opened, filters)["elapsed_pct"] == elapsed
    assert set(queries.program_execution(opened, filters)["elapsed_pct"]) == {elapsed}
    assert queries.periods(opened, filters)["elapsed_pct"].tolist() == [elapsed]
    assert set(queries.execution_trend(opened, filters)["elapsed_pct"]) == {elapsed}
