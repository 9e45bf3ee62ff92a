"""Publishing from the browser: the preview of a real change, publish and undo byte for byte, the log, who may.

Every test works on a copy of datasets/ and its own database in tmp_path; the real datasets/ is only read. The
page itself is driven with AppTest, which seeds st.user and st.secrets (a real sign-in through an OpenID Connect
provider is tests/e2e/test_publish_oidc.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.dbfiles import query
from ydp_data import importer, publish
from ydp_data.build import build
from ydp_data.checks import run_checks
from ydp_data.datasets import SPECS
from ydp_data.errors import DatasetError
from ydp_data.fingerprint import fingerprint
from ydp_data.load import load_datasets

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
FIXTURE = ROOT / "tests" / "fixtures" / "report_2023_12_test"
PAGE = "pages/9_자료올리기_Publish.py"
OLD_ID = "ydp-jobs-2023-05"
NEW_ID = "test-ydp-jobs-2023-12"
EDITOR_EMAIL = "editor@example.com"
SETTINGS: dict[str, Any] = {
    "auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "ydp",
             "client_secret": "secret", "server_metadata_url": "http://127.0.0.1:9400/.well-known/openid-configuration"},
    "ydp": {"editors": ["Editor@Example.com", "other-editor@example.com"]},
}
EDITOR = {"is_logged_in": True, "email": "editor@EXAMPLE.com", "name": "Editor"}
NOT_EDITOR = {"is_logged_in": True, "email": "visitor@example.com"}
REPORT_DISCREPANCIES = 5  # the report's own figures that do not add up (README: shown as FAIL, never fixed)


# --- helpers --------------------------------------------------------------------------------------------------------
def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def read_table(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def write_table(path: Path, table: list[list[str]]) -> None:
    """Write records as Excel's 'CSV UTF-8' does: BOM and CRLF."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(table)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def zip_of(folder: Path) -> bytes:
    """A zip of the CSV files in folder, as an editor would make one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.glob("*.csv")):
            z.write(path, path.name)
    return buffer.getvalue()


def exported(datasets: Path, target: Path) -> Path:
    """The current report's rows as an editor gets them to correct: the dataset files of its one report."""
    target.mkdir(parents=True)
    for spec in SPECS:
        shutil.copyfile(datasets / spec.filename, target / spec.filename)
    return target


def edit_one_of_each(folder: Path) -> None:
    """One figure changed (Excel-style '1,170'), one plan added, one plan removed."""
    facts = read_table(folder / "facts.csv")
    head = facts[0]
    (row,) = [r for r in facts[1:] if r[head.index("fact_id")] == "jobplus.employers"]
    assert row[head.index("value")] == "1167"
    row[head.index("value")] = "1,170"
    write_table(folder / "facts.csv", facts)
    plans = read_table(folder / "plans.csv")
    head = plans[0]
    first = next(r for r in plans[1:] if r[head.index("plan_id")] == "Ⅱ-1.01")
    added = list(first)
    added[head.index("plan_id")] = "Ⅱ-1.99"
    added[head.index("activity")] = "시험용 새 활동"
    kept = [r for r in plans if r[head.index("plan_id")] != "Ⅱ-1.02"]
    assert len(kept) == len(plans) - 1
    write_table(folder / "plans.csv", [*kept, added])


@pytest.fixture()
def datasets(tmp_path: Path) -> Path:
    target = tmp_path / "datasets"
    shutil.copytree(DATASETS, target)
    return target


@pytest.fixture()
def db(tmp_path: Path, datasets: Path) -> Path:
    target = tmp_path / "data" / "ydp.duckdb"
    build(datasets, target)
    return target


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".import-" in p.name or ".old-" in p.name)


def log_lines(datasets: Path) -> list[dict[str, Any]]:
    path = publish.log_path(datasets)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# --- who may --------------------------------------------------------------------------------------------------------
def test_publishing_exists_only_with_sign_in_and_editors_configured() -> None:
    assert publish.configured(SETTINGS)
    assert publish.editors(SETTINGS) == {"editor@example.com", "other-editor@example.com"}
    assert not publish.configured({})
    assert not publish.configured({"auth": SETTINGS["auth"]})  # nobody could publish: no page
    assert not publish.configured({**SETTINGS, "ydp": {"editors": []}})
    for key in publish.AUTH_KEYS:
        assert not publish.configured({**SETTINGS, "auth": {k: v for k, v in SETTINGS["auth"].items() if k != key}}), key
    assert publish.settings_of(object()) == {}  # not a secrets object at all: not configured


def test_only_a_signed_in_listed_verified_editor_is_an_editor() -> None:
    assert publish.editor(EDITOR, SETTINGS) == EDITOR_EMAIL
    assert publish.editor({**EDITOR, "email_verified": True}, SETTINGS) == EDITOR_EMAIL
    assert publish.editor({**EDITOR, "email_verified": False}, SETTINGS) is None
    assert publish.editor({**EDITOR, "is_logged_in": False}, SETTINGS) is None
    assert publish.editor({"email": EDITOR_EMAIL}, SETTINGS) is None  # AppTest's default user: never signed in
    assert publish.editor(NOT_EDITOR, SETTINGS) is None
    assert publish.editor({"is_logged_in": True}, SETTINGS) is None
    assert publish.editor(EDITOR, {"auth": SETTINGS["auth"]}) is None


def test_a_non_editor_is_refused_by_the_functions_themselves(datasets: Path, db: Path) -> None:
    before, db_before = tree(datasets), db.read_bytes()
    data = zip_of(FIXTURE)
    for user, settings in [({}, SETTINGS), (NOT_EDITOR, SETTINGS), ({**EDITOR, "is_logged_in": False}, SETTINGS),
                           ({**EDITOR, "email_verified": False}, SETTINGS), (EDITOR, {})]:
        with pytest.raises(publish.NotAnEditor):
            publish.preview_upload(data, "report.zip", datasets, user=user, settings=settings)
        with pytest.raises(publish.NotAnEditor):
            publish.publish_upload(data, "report.zip", datasets, db, user=user, settings=settings)
        with pytest.raises(publish.NotAnEditor):
            publish.undo_last(datasets, db, user=user, settings=settings)
    assert tree(datasets) == before and db.read_bytes() == db_before
    assert not publish.log_path(datasets).exists()


# --- the preview ----------------------------------------------------------------------------------------------------
def test_preview_of_a_real_change_names_each_value_and_row(datasets: Path, tmp_path: Path) -> None:
    folder = exported(datasets, tmp_path / "upload")
    edit_one_of_each(folder)
    before = tree(datasets)
    preview = publish.preview_folder(folder, datasets)
    assert tree(datasets) == before and leftovers(tmp_path) == []  # a preview changes nothing
    assert preview.report_ids == [OLD_ID] and preview.replaced == [OLD_ID] and not preview.unchanged
    assert [(c.table, c.key, c.column, c.old, c.new) for t in preview.tables for c in t.changed] == [
        ("facts", f"{OLD_ID} · jobplus.employers", "value", "1167", "1170")]
    by_table = {t.table: t for t in preview.tables if t.any}
    assert sorted(by_table) == ["facts", "plans"]
    assert [r["plan_id"] for r in by_table["plans"].added] == ["Ⅱ-1.99"]
    assert by_table["plans"].added[0]["activity"] == "시험용 새 활동"
    assert by_table["plans"].added[0]["start_month"] == "6" and by_table["plans"].added[0]["report_id"] == OLD_ID
    (removed,) = by_table["plans"].removed
    assert (removed["plan_id"], removed["schedule"], removed["start_month"], removed["end_month"]) == (
        "Ⅱ-1.02", "6월~7월", "6", "7")
    assert not by_table["facts"].added and not by_table["facts"].removed
    summary = publish.summary_frame(preview)
    assert summary.values.tolist() == [["facts", 1, 0, 0], ["plans", 0, 1, 1]]
    changes = publish.changes_frame(preview)
    assert changes.values.tolist() == [["facts", f"{OLD_ID} · jobplus.employers", "value", "1167", "1170"]]
    # the checks of the report as it would be published: the report's own discrepancies stay
    current = run_checks(load_datasets(DATASETS))
    assert [c.check_id for c in preview.checks] == [c.check_id for c in current]
    assert sum(not c.passed for c in preview.checks) == REPORT_DISCREPANCIES
    shown = publish.checks_frame(preview.checks)
    assert len(shown) == len(current) and (shown["결과 result"] == "FAIL").sum() == REPORT_DISCREPANCIES


def test_an_exported_workbook_with_one_cell_edited_previews_exactly_that(datasets: Path) -> None:
    """The editor's own way: download the published report as a workbook, change one figure in Excel, upload."""
    from openpyxl import load_workbook

    exported_book = publish.export_bytes(datasets, OLD_ID)
    untouched = publish.preview_upload(exported_book, "export.xlsx", datasets, user=EDITOR, settings=SETTINGS)
    assert untouched.unchanged  # the export reads back as exactly what is published
    book = load_workbook(io.BytesIO(exported_book))
    sheet = book["facts"]
    header = [c.value for c in sheet[1]]
    (row,) = [r for r in sheet.iter_rows(min_row=2) if r[header.index("fact_id")].value == "jobplus.employers"]
    assert row[header.index("value")].value == 1167
    row[header.index("value")].value = 1170
    edited = io.BytesIO()
    book.save(edited)
    preview = publish.preview_upload(edited.getvalue(), "export.xlsx", datasets, user=EDITOR, settings=SETTINGS)
    assert [(c.table, c.key, c.column, c.old, c.new) for t in preview.tables for c in t.changed] == [
        ("facts", f"{OLD_ID} · jobplus.employers", "value", "1167", "1170")]
    assert not any(t.added or t.removed for t in preview.tables)


def test_preview_of_a_new_period_adds_every_row_and_runs_its_checks(datasets: Path) -> None:
    preview = publish.preview_folder(FIXTURE, datasets)
    incoming = load_datasets(FIXTURE)
    assert preview.report_ids == [NEW_ID] and preview.replaced == []
    assert all(not t.changed and not t.removed for t in preview.tables)
    assert {t.table: len(t.added) for t in preview.tables} == {s.table: len(incoming[s.table]) for s in SPECS}
    assert {c.report_id for c in preview.checks} == {NEW_ID}
    assert [c.check_id for c in preview.checks] == [c.check_id for c in run_checks(incoming)]


def test_preview_of_what_is_already_published_says_so(datasets: Path) -> None:
    preview = publish.preview_folder(exported(datasets, datasets.parent / "same"), datasets)
    assert preview.unchanged and preview.tables == [] and preview.report_ids == [OLD_ID]


# --- publish and undo -----------------------------------------------------------------------------------------------
def test_publish_then_undo_restores_datasets_byte_for_byte_and_the_database(datasets: Path, db: Path,
                                                                            tmp_path: Path) -> None:
    original = tree(datasets)
    data = zip_of(FIXTURE)
    preview = publish.preview_upload(data, "report-2023-12.zip", datasets, user=EDITOR, settings=SETTINGS)
    done = publish.publish_upload(data, "report-2023-12.zip", datasets, db, user=EDITOR, settings=SETTINGS,
                                  expect_fingerprint=preview.fingerprint)
    assert done.imported.report_ids == [NEW_ID] and done.built is not None
    assert query(db, "SELECT report_id FROM reports ORDER BY as_of") == [(OLD_ID,), (NEW_ID,)]
    published = tree(datasets)
    assert published != original
    assert done.imported.backup is not None and tree(done.imported.backup) == original

    restored = publish.undo_last(datasets, db, user=EDITOR, settings=SETTINGS)
    assert tree(datasets) == original  # every file, byte for byte
    assert restored.report_ids == [NEW_ID] and restored.restored.name == done.imported.backup.name
    assert query(db, "SELECT report_id FROM reports") == [(OLD_ID,)]
    assert query(db, "SELECT datasets_fingerprint FROM build_info") == [(fingerprint(datasets),)]
    fresh = tmp_path / "fresh.duckdb"
    build(datasets, fresh)
    for spec in SPECS:
        sql = f'SELECT * FROM "{spec.table}" ORDER BY ALL'
        assert query(db, sql) == query(fresh, sql), spec.table
    assert restored.kept is not None and tree(restored.kept) == published  # the undone version is kept

    again = publish.undo_last(datasets, db, user=EDITOR, settings=SETTINGS)  # undo is itself undoable
    assert tree(datasets) == published and again.report_ids == [NEW_ID]
    assert query(db, "SELECT report_id FROM reports ORDER BY as_of") == [(OLD_ID,), (NEW_ID,)]
    assert leftovers(tmp_path) == []

    lines = log_lines(datasets)
    assert [e["action"] for e in lines] == ["publish", "undo", "undo"]
    digest = hashlib.sha256(data).hexdigest()
    assert all(e["who"] == EDITOR_EMAIL and e["outcome"] == "ok" and e["report_ids"] == [NEW_ID] for e in lines)
    assert lines[0]["sha256"] == digest and lines[0]["file"] == "report-2023-12.zip"
    assert lines[0]["backup"] == done.imported.backup.name
    assert lines[1]["restored"] == done.imported.backup.name and lines[1]["backup"] == restored.kept.name
    assert lines[1]["sha256"] == digest  # the undo names the upload it took back
    assert all(e["at"].endswith("+00:00") for e in lines)
    frame = publish.log_frame(datasets)
    assert frame["작업 action"].tolist() == ["undo", "undo", "publish"]  # newest first


def test_publishing_what_is_already_there_changes_and_logs_nothing(datasets: Path, db: Path) -> None:
    before, db_before = tree(datasets), db.read_bytes()
    data = zip_of(exported(datasets, datasets.parent / "same"))
    done = publish.publish_upload(data, "same.zip", datasets, db, user=EDITOR, settings=SETTINGS)
    assert done.imported.unchanged and done.built is None
    assert tree(datasets) == before and db.read_bytes() == db_before and log_lines(datasets) == []


def test_a_publish_after_someone_else_changed_the_data_is_refused(datasets: Path, db: Path, tmp_path: Path) -> None:
    data = zip_of(FIXTURE)
    preview = publish.preview_upload(data, "report.zip", datasets, user=EDITOR, settings=SETTINGS)
    other = exported(datasets, tmp_path / "other")
    edit_one_of_each(other)
    importer.publish(other, datasets, db, replace=True)  # another editor, or the CLI, meanwhile
    before = tree(datasets)
    with pytest.raises(importer.ImportRefused, match="미리 보기"):
        publish.publish_upload(data, "report.zip", datasets, db, user=EDITOR, settings=SETTINGS,
                               expect_fingerprint=preview.fingerprint)
    assert tree(datasets) == before and log_lines(datasets) == []


def test_an_invalid_upload_is_refused_with_sheet_row_and_column(datasets: Path, db: Path, tmp_path: Path) -> None:
    folder = exported(datasets, tmp_path / "bad")
    facts = read_table(folder / "facts.csv")
    facts[3][facts[0].index("value")] = "많음"
    write_table(folder / "facts.csv", facts)
    before = tree(datasets)
    with pytest.raises(DatasetError) as caught:
        publish.publish_upload(zip_of(folder), "bad.zip", datasets, db, user=EDITOR, settings=SETTINGS)
    frame = publish.problems_frame(caught.value)
    assert any(row[1] == "4" and row[2] == "value" and "facts" in row[0] for row in frame.values.tolist()), frame
    assert tree(datasets) == before and log_lines(datasets) == []


def test_undo_without_a_backup_is_refused(datasets: Path, db: Path) -> None:
    with pytest.raises(importer.ImportRefused, match="no backup"):
        publish.undo_last(datasets, db, user=EDITOR, settings=SETTINGS)
    assert log_lines(datasets) == []


def test_the_cli_import_uses_the_same_publish(datasets: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ydp_data.cli import main

    calls: list[Path] = []
    real = importer.publish

    def counted(source: Path, *args: Any, **kwargs: Any) -> importer.Published:
        calls.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr("ydp_data.cli.publish", counted)
    assert main(["--datasets", str(datasets), "--db", str(db), "import", str(FIXTURE)]) == 0
    assert calls == [FIXTURE]
    assert query(db, "SELECT count(*) FROM reports") == [(2,)]


# --- the log --------------------------------------------------------------------------------------------------------
def test_the_log_only_grows_and_a_torn_line_is_skipped(tmp_path: Path) -> None:
    datasets = tmp_path / "datasets"
    datasets.mkdir()
    publish.append_log(datasets, {"action": "publish", "who": "a@x", "n": 1})
    first = publish.log_path(datasets).read_bytes()
    with publish.log_path(datasets).open("ab") as f:
        f.write(b'{"action": "pub')  # a line cut short by a crash
    publish.append_log(datasets, {"action": "undo", "who": "b@x", "n": 2})
    raw = publish.log_path(datasets).read_bytes()
    assert raw.startswith(first) and raw.count(b"\n") == 2
    assert [e["n"] for e in publish.read_log(datasets)] == [1]  # the torn line swallowed the second one's start
    publish.append_log(datasets, {"action": "undo", "who": "c@x", "n": 3})
    assert [e["n"] for e in publish.read_log(datasets)] == [3, 1]
    assert publish.log_path(datasets) == tmp_path / "publish-log.jsonl"


# --- the page, with st.user and st.secrets seeded -------------------------------------------------------------------
def open_publish(datasets: Path, db: Path, user: dict[str, Any] | None, secrets: dict[str, Any] | None,
                 monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("YDP_DATASETS", str(datasets))
    monkeypatch.setenv("YDP_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if secrets:
        for key, value in secrets.items():
            at.secrets[key] = value
    if user is not None:
        at.user = user
    at.switch_page(PAGE)
    return at.run()


def nav(at: AppTest) -> list[str]:
    return [link.proto.page for link in at.get("page_link")]


def frame_with(at: AppTest, column: str) -> Any:
    """The one table on the page with this column (AppTest keeps no key for st.dataframe)."""
    (found,) = [e.value for e in at.dataframe if column in e.value.columns]
    return found


def test_the_page_without_sign_in_configured_does_not_exist(datasets: Path, db: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_publish(datasets, db, None, None, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("file_uploader") and not at.button
    (info,) = [i.value for i in at.info]
    assert "이 서버에는 이 페이지가 없습니다" in info and "python -m ydp_data import" in info
    assert "자료올리기_Publish" not in nav(at) and "데이터_Data" in nav(at)


@pytest.mark.parametrize("who", ["signed_out", "not_an_editor"])
def test_a_visitor_or_a_non_editor_gets_no_upload_control(datasets: Path, db: Path, who: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    user = {"is_logged_in": False} if who == "signed_out" else NOT_EDITOR
    at = open_publish(datasets, db, user, SETTINGS, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("file_uploader")
    assert "자료올리기_Publish" not in nav(at)
    labels = [b.label for b in at.button]
    if who == "signed_out":
        assert labels == ["로그인 Sign in"]
    else:
        assert labels == ["로그아웃 Sign out"]
        assert any("visitor" in w.value and "편집자 목록에 없어" in w.value for w in at.warning)


def test_an_editor_previews_publishes_and_undoes_on_the_page(datasets: Path, db: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    original = tree(datasets)
    at = open_publish(datasets, db, EDITOR, SETTINGS, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert "자료올리기_Publish" in nav(at)
    (uploader,) = at.get("file_uploader")
    folder = exported(datasets, tmp_path / "upload")
    edit_one_of_each(folder)
    data = zip_of(folder)
    uploader.set_value(("corrected.zip", data, "application/zip"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert tree(datasets) == original  # nothing changes until the editor publishes
    assert frame_with(at, "새 값 new").values.tolist() == [["facts", f"{OLD_ID} · jobplus.employers", "value", "1167",
                                                         "1170"]]
    assert frame_with(at, "뺀 행 removed").values.tolist() == [["facts", 1, 0, 0], ["plans", 0, 1, 1]]
    assert (frame_with(at, "결과 result")["결과 result"] == "FAIL").sum() == REPORT_DISCREPANCIES
    assert any(OLD_ID in w.value for w in at.warning)  # it replaces a published report, and says so
    at.button(key="publish_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success][0].startswith("게시했습니다")
    assert query(db, f"SELECT value FROM facts WHERE report_id = '{OLD_ID}' AND fact_id = 'jobplus.employers'") == [
        (1170,)]
    assert not at.get("file_uploader")[0].value  # an empty uploader for the next file
    assert [e["action"] for e in log_lines(datasets)] == ["publish"]
    assert log_lines(datasets)[0]["sha256"] == hashlib.sha256(data).hexdigest()
    at.button(key="undo_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success][0].startswith("되돌렸습니다")
    assert tree(datasets) == original
    assert query(db, f"SELECT value FROM facts WHERE report_id = '{OLD_ID}' AND fact_id = 'jobplus.employers'") == [
        (1167,)]
    assert [e["action"] for e in log_lines(datasets)] == ["publish", "undo"]


def test_an_action_is_refused_when_the_editor_is_no_longer_one(datasets: Path, db: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The publish button's callback checks again: signed out between drawing and clicking, nothing changes."""
    at = open_publish(datasets, db, EDITOR, SETTINGS, monkeypatch)
    at.get("file_uploader")[0].set_value(("report.zip", zip_of(FIXTURE), "application/zip"))
    at.run()
    before = tree(datasets)
    at.user = NOT_EDITOR
    at.button(key="publish_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert tree(datasets) == before and log_lines(datasets) == []
    assert not at.get("file_uploader")


def test_the_data_page_lists_the_log_newest_first_as_text(datasets: Path, db: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    publish.append_log(datasets, {"at": "2024-01-01T00:00:00+00:00", "action": "publish", "who": "a@x",
                                  "report_ids": ["r-1"], "file": "**bold** [link](http://x)", "sha256": "ab" * 32})
    publish.append_log(datasets, {"at": "2024-01-02T00:00:00+00:00", "action": "undo", "who": "b@x",
                                  "report_ids": ["r-1"], "restored": "20240101-000000-000000-1"})
    monkeypatch.setenv("YDP_DATASETS", str(datasets))
    monkeypatch.setenv("YDP_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.switch_page("pages/7_데이터_Data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    log = frame_with(at, "작업 action")
    assert log["작업 action"].tolist() == ["undo", "publish"]
    assert log["파일 file"].tolist() == ["", "**bold** [link](http://x)"]  # a table cell: text, never Markdown
    assert at.get_by_key("dl_publish_log") is not None
