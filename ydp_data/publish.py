"""Publishing a report from the browser: who may, what it would change, and the log of every publish and undo.

No Streamlit here: the page passes in `st.secrets` and `st.user`, and every action checks the editor again, so a
signed-out visitor or a signed-in non-editor is refused by the function itself, not only by the page. Publishing
is importer.publish (the CLI's `import`: one writer lock, atomic swap, rebuild); undo is importer.undo. Each one is
appended as a JSON line to publish-log.jsonl beside datasets/.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from ydp_data import importer
from ydp_data.checks import Check, run_checks
from ydp_data.datasets import SPECS, DatasetSpec
from ydp_data.errors import DatasetError, Problem
from ydp_data.fingerprint import fingerprint
from ydp_data.load import Records, load_datasets
from ydp_data.lock import writer_lock

PAGE_FILE = "9_자료올리기_Publish.py"  # pages/: linked in the sidebar only for a signed-in editor
LOG_NAME = "publish-log.jsonl"
SHOWN_LOG_LINES = 200  # the Data page lists the newest this many
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
KEY_JOIN = " · "


class NotAnEditor(Exception):
    """The person asking is not signed in, or signed in with an e-mail that is not on the editors list."""


# --- who may publish ------------------------------------------------------------------------------------------------
def settings_of(secrets: Any) -> dict[str, Any]:
    """The app's secrets (pass st.secrets) as a plain dict; {} when there is no secrets file or it cannot be read."""
    try:
        return dict(secrets.to_dict()) if secrets.load_if_toml_exists() else {}
    except Exception:  # a broken secrets file means: not configured (Streamlit logs the parse error itself)
        return {}


def editors(settings: Mapping[str, Any]) -> frozenset[str]:
    """The editors' e-mail addresses, lower case, from `[ydp] editors = [...]`."""
    section = settings.get("ydp")
    listed = section.get("editors") if isinstance(section, Mapping) else None
    if not isinstance(listed, list | tuple):
        return frozenset()
    return frozenset(e.strip().lower() for e in listed if isinstance(e, str) and "@" in e)


def configured(settings: Mapping[str, Any]) -> bool:
    """Whether publishing exists here: st.login's `[auth]` section complete (one default provider) and editors listed."""
    auth = settings.get("auth")
    if not isinstance(auth, Mapping) or not all(isinstance(auth.get(k), str) and auth.get(k) for k in AUTH_KEYS):
        return False
    return bool(editors(settings))


def editor(user: Mapping[str, Any], settings: Mapping[str, Any]) -> str | None:
    """The signed-in editor's e-mail (pass st.user), or None: signed out, e-mail unverified or not on the list."""
    if not configured(settings) or user.get("is_logged_in") is not True:
        return None
    email = user.get("email")
    if not isinstance(email, str) or user.get("email_verified") is False:
        return None
    email = email.strip().lower()
    return email if email in editors(settings) else None


def require_editor(user: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    """The editor's e-mail; NotAnEditor for anyone else."""
    email = editor(user, settings)
    if email is None:
        raise NotAnEditor("편집자만 자료를 올리고 되돌릴 수 있습니다 (only a signed-in editor may publish or undo).")
    return email


def sha256(data: bytes) -> str:
    """The SHA-256 of an uploaded file, as the log records it."""
    return hashlib.sha256(data).hexdigest()


# --- the upload -----------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def unpacked(data: bytes, name: str) -> Iterator[Path]:
    """The upload (a workbook or a zip of the CSV files) as a folder of valid dataset files, removed afterwards;
    raises workbook.read_upload's WorkbookRefused (an ImportRefused) or DatasetError (sheet, row and column)."""
    from ydp_data import workbook  # imported here: the dashboard's other pages never need openpyxl

    with tempfile.TemporaryDirectory(prefix="ydp-upload-") as tmp:
        yield workbook.read_upload(data, name, Path(tmp))


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_bytes(datasets: Path) -> bytes:
    """The empty template workbook (.xlsx) to fill in, its unit lists including those datasets/ uses."""
    from ydp_data import workbook

    try:
        records: Records | None = load_datasets(datasets)
    except (DatasetError, OSError):
        records = None
    return workbook.workbook_bytes(workbook.template_workbook(records))


def export_bytes(datasets: Path, report_id: str) -> bytes:
    """One published report as the template's workbook (.xlsx): the next report starts from it."""
    from ydp_data import workbook

    return workbook.workbook_bytes(workbook.export_workbook(load_datasets(datasets), report_id))


def problems_frame(exc: DatasetError) -> pd.DataFrame:
    """Every problem of a refused upload: sheet or file, row, column and message (shown as text)."""
    return pd.DataFrame([_problem_row(p) for p in exc.problems], columns=["시트·파일 sheet", "행 row", "열 column",
                                                                        "문제 problem"])


def _problem_row(p: Problem) -> dict[str, str]:
    return {"시트·파일 sheet": p.file, "행 row": "" if p.line is None else str(p.line), "열 column": p.field or "",
            "문제 problem": p.message}


# --- the preview ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One value that a publish changes: which row (its key), which column, the value now and the new one."""

    table: str
    key: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class TableDiff:
    """What a publish does to one table: values changed in kept rows, rows added, rows removed."""

    table: str
    changed: list[Change]
    added: list[dict[str, str]]
    removed: list[dict[str, str]]

    @property
    def any(self) -> bool:
        return bool(self.changed or self.added or self.removed)


@dataclass(frozen=True)
class Preview:
    """Everything the editor sees before publishing; nothing in datasets/ has changed."""

    report_ids: list[str]
    replaced: list[str]  # report ids already published whose rows the upload replaces
    tables: list[TableDiff]
    checks: list[Check]  # the reconciliation checks of the uploaded report(s), on the merged data
    warnings: list[str]
    fingerprint: str  # of datasets/ when the preview was made: publishing insists nothing changed since
    unchanged: bool  # already published with exactly these rows


def text(value: Any) -> str:
    """A value as the preview shows it: dates as YYYY-MM-DD, enums by their value, blanks empty."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _key(spec: DatasetSpec, record: BaseModel) -> tuple[Any, ...]:
    return tuple(getattr(record, c) for c in spec.key)


def _row(spec: DatasetSpec, record: BaseModel) -> dict[str, str]:
    return {c: text(getattr(record, c)) for c in spec.columns}


def diff(before: Records, after: Records) -> list[TableDiff]:
    """Table by table, what after changes against before: rows matched by the table's key."""
    out = []
    for spec in SPECS:
        old = {_key(spec, r): r for r in before.get(spec.table, [])}
        new = {_key(spec, r): r for r in after.get(spec.table, [])}
        changed = [Change(spec.table, KEY_JOIN.join(text(v) for v in key), column, text(getattr(old[key], column)),
                          text(getattr(record, column)))
                   for key, record in new.items() if key in old
                   for column in spec.columns if getattr(old[key], column) != getattr(record, column)]
        out.append(TableDiff(spec.table, changed, [_row(spec, r) for k, r in new.items() if k not in old],
                             [_row(spec, r) for k, r in old.items() if k not in new]))
    return out


def preview_folder(folder: Path, datasets: Path) -> Preview:
    """What publishing folder would change in datasets/ (the import's own dry run) and the new report's checks."""
    staged = importer.stage_report(folder, datasets, replace=True)
    checks = [c for c in run_checks(staged.merged) if c.report_id in staged.report_ids]
    tables = [] if staged.unchanged else diff(staged.before, staged.merged)
    return Preview(staged.report_ids, staged.replaced, tables, checks, staged.warnings, staged.fingerprint,
                   staged.unchanged)


def preview_upload(data: bytes, name: str, datasets: Path, *, user: Mapping[str, Any],
                   settings: Mapping[str, Any]) -> Preview:
    """The preview of an uploaded file, for an editor only (NotAnEditor otherwise); nothing changes."""
    require_editor(user, settings)
    with unpacked(data, name) as folder:
        return preview_folder(folder, datasets)


def summary_frame(preview: Preview) -> pd.DataFrame:
    """Per table with any change: values changed, rows added, rows removed."""
    return pd.DataFrame([{"표 table": t.table, "바뀐 값 changed": len(t.changed), "더한 행 added": len(t.added),
                          "뺀 행 removed": len(t.removed)} for t in preview.tables if t.any],
                        columns=["표 table", "바뀐 값 changed", "더한 행 added", "뺀 행 removed"])


def changes_frame(preview: Preview) -> pd.DataFrame:
    """Every changed value, old and new side by side."""
    return pd.DataFrame([{"표 table": c.table, "행 row (key)": c.key, "열 column": c.column, "지금 old": c.old,
                          "새 값 new": c.new} for t in preview.tables for c in t.changed],
                        columns=["표 table", "행 row (key)", "열 column", "지금 old", "새 값 new"])


def rows_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    """Rows added or removed in one table, as text."""
    return pd.DataFrame(rows)


def checks_frame(checks: list[Check]) -> pd.DataFrame:
    """The reconciliation checks of the uploaded report: pass or fail, what the report states and what adds up."""
    return pd.DataFrame([{"결과 result": "PASS" if c.passed else "FAIL", "보고서 report": c.report_id,
                          "검사 check": c.check_id, "설명 description": c.description,
                          "보고서 값 stated": text(c.expected), "계산 값 computed": text(c.computed), "단위 unit": c.unit,
                          "출처 source": c.source, "비고 note": c.note} for c in checks],
                        columns=["결과 result", "보고서 report", "검사 check", "설명 description", "보고서 값 stated",
                                 "계산 값 computed", "단위 unit", "출처 source", "비고 note"])


# --- publish and undo -----------------------------------------------------------------------------------------------
def publish_upload(data: bytes, name: str, datasets: Path, db: Path, *, user: Mapping[str, Any],
                   settings: Mapping[str, Any], expect_fingerprint: str | None = None,
                   wait: float | None = None) -> importer.Published:
    """Publish an uploaded file as the CLI imports a folder (replacing a report of the same id) and log it; NotAnEditor
    for anyone else, ImportRefused when datasets/ changed since the preview (expect_fingerprint)."""
    who = require_editor(user, settings)
    digest = sha256(data)
    with unpacked(data, name) as folder, writer_lock(datasets, **({} if wait is None else {"wait": wait})):
        if expect_fingerprint is not None and fingerprint(datasets) != expect_fingerprint:
            raise importer.ImportRefused("미리 보기 뒤에 다른 사람이 자료를 바꿨습니다. 미리 보기를 다시 확인하세요 "
                                         "(the data changed since this preview; look at the new preview first).")
        try:
            done = importer.publish(folder, datasets, db, replace=True)
        except importer.RebuildFailed as exc:
            if exc.imported is not None:
                _log_publish(datasets, who, name, digest, exc.imported, f"rebuild failed: {exc.reason[:300]}")
            raise
        if not done.imported.unchanged:
            _log_publish(datasets, who, name, digest, done.imported, "ok")
        return done


def undo_last(datasets: Path, db: Path, *, user: Mapping[str, Any], settings: Mapping[str, Any],
              wait: float | None = None) -> importer.Restored:
    """Put the newest backup back (importer.undo) for an editor, and log it; NotAnEditor for anyone else."""
    who = require_editor(user, settings)
    with writer_lock(datasets, **({} if wait is None else {"wait": wait})):
        try:
            restored = importer.undo(datasets, db)
        except importer.RebuildFailed as exc:
            if exc.restored is not None:
                _log_undo(datasets, who, exc.restored, f"rebuild failed: {exc.reason[:300]}")
            raise
        _log_undo(datasets, who, restored, "ok")
        return restored


def undo_target(datasets: Path) -> dict[str, Any] | None:
    """What an undo would put back: the newest backup's name and the logged publish that made it, if any."""
    backup = importer.latest_backup(datasets)
    if backup is None:
        return None
    made_by = next((e for e in read_log(datasets) if e.get("backup") == backup.name), None)
    return {"backup": backup.name, "entry": made_by}


# --- the log --------------------------------------------------------------------------------------------------------
def log_path(datasets: Path) -> Path:
    """The append-only log beside datasets/."""
    return datasets.absolute().parent / LOG_NAME


def append_log(datasets: Path, entry: Mapping[str, Any]) -> None:
    """Append one JSON line (O_APPEND: never overwrites) and flush it to disk."""
    line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    fd = os.open(log_path(datasets), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def read_log(datasets: Path, limit: int = SHOWN_LOG_LINES) -> list[dict[str, Any]]:
    """The newest `limit` entries of the log, newest first (a line that is not a JSON object is skipped)."""
    try:
        lines = log_path(datasets).read_bytes().decode("utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    out: list[dict[str, Any]] = []
    for line in reversed(lines):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            out.append(entry)
        if len(out) >= limit:
            break
    return out


LOG_COLUMNS = {"at": "시각 (UTC)", "action": "작업 action", "who": "편집자 editor", "report_ids": "보고서 report",
               "file": "파일 file", "sha256": "파일 SHA-256", "backup": "백업 backup", "restored": "되돌린 판 restored",
               "outcome": "결과 outcome"}


def log_frame(datasets: Path) -> pd.DataFrame:
    """The log as a table, newest first, every cell as text."""
    rows = [{label: _log_cell(entry.get(key)) for key, label in LOG_COLUMNS.items()} for entry in read_log(datasets)]
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS.values()))


def _log_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _log_publish(datasets: Path, who: str, name: str, digest: str, imported: importer.ImportResult,
                 outcome: str) -> None:
    append_log(datasets, {"at": _now(), "action": "publish", "who": who, "report_ids": imported.report_ids,
                          "file": name, "sha256": digest, "backup": imported.backup.name if imported.backup else None,
                          "restored": None, "outcome": outcome})


def _log_undo(datasets: Path, who: str, restored: importer.Restored, outcome: str) -> None:
    undone = next((e for e in read_log(datasets) if e.get("backup") == restored.restored.name), {})
    append_log(datasets, {"at": _now(), "action": "undo", "who": who, "report_ids": restored.report_ids,
                          "file": undone.get("file"), "sha256": undone.get("sha256"),
                          "backup": restored.kept.name if restored.kept else None,
                          "restored": restored.restored.name, "outcome": outcome})
