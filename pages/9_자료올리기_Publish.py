"""자료 올리기 (Publish): editors sign in (st.login, OpenID Connect), upload a workbook or a zip of the CSV files,
see what it would change and the new report's checks, publish it, or undo the last publish.

Where .streamlit/secrets.toml has no `[auth]` section and `[ydp] editors` list, this page does not exist (the sidebar
has no link to it) and says that `python -m ydp_data import` is the way. Nobody but a signed-in editor is shown an
upload control, and every action (also in a button's callback) checks the editor again, as do the functions in
ydp_data.publish themselves. Everything from the uploaded file is shown as text (tables, or safe_text.md).
"""

import streamlit as st

from ydp_data import paths, publish, queries, ui
from ydp_data.build import BuildError
from ydp_data.errors import DatasetError
from ydp_data.filters import Filters
from ydp_data.fingerprint import fingerprint
from ydp_data.importer import ImportRefused, RebuildFailed
from ydp_data.lock import LockBusy
from ydp_data.safe_text import md

UPLOAD = "publish_upload"  # + a counter: a new, empty uploader after each publish
PREVIEW = "_publish_preview"  # (sha256, datasets fingerprint, preview or problems) of the file in the uploader
DONE = "_publish_done"  # what the last action said: [(level, text)], and problems of a refused publish
WAIT_S = 15.0  # how long a publish or undo waits for another writer before saying so
NOT_EDITOR = "편집자만 자료를 올리고 되돌릴 수 있습니다. 아무것도 바꾸지 않았습니다 (only a signed-in editor may publish or undo; nothing changed)."


def _settings() -> dict:
    return publish.settings_of(st.secrets)


def _say(*messages: tuple[str, str], problems: DatasetError | None = None) -> None:
    st.session_state[DONE] = (list(messages), problems)


def _failed(exc: Exception) -> None:
    """What a refused or failed publish or undo says (never a traceback)."""
    if isinstance(exc, DatasetError):
        _say(("error", f"파일에 문제가 {len(exc.problems)}건 있어 게시하지 않았습니다. 아무것도 바꾸지 않았습니다 "
                       "(the file has problems; nothing was published)."), problems=exc)
    elif isinstance(exc, RebuildFailed):
        _say(("warning", "자료는 바뀌었지만 데이터베이스를 다시 만들지 못했습니다. 대시보드가 다시 시도합니다 (the data "
                         "changed but the database could not be rebuilt; the dashboard tries again): " + md(exc.reason[:300])))
    elif isinstance(exc, BuildError | LockBusy | ImportRefused | publish.NotAnEditor):
        _say(("error", md(str(exc)[:1_000])))
    else:  # OSError: the disk or a folder
        _say(("error", "파일을 쓰거나 옮기지 못했습니다. 아무것도 바꾸지 않았습니다 (a file could not be written; nothing "
                       "changed). 담당자에게 알려 주세요: " + md(str(exc)[:300])))


def _publish(counter: int) -> None:
    """게시: a callback, so it runs before the page's next run (which then shows the new data); checks the editor."""
    settings = _settings()
    if publish.editor(st.user, settings) is None:
        _say(("error", NOT_EDITOR))
        return
    upload, shown = st.session_state.get(f"{UPLOAD}_{counter}"), st.session_state.get(PREVIEW)
    if upload is None or shown is None or not isinstance(shown[2], publish.Preview):
        _say(("warning", "먼저 파일을 올려 미리 보기를 확인하세요 (upload a file and look at its preview first)."))
        return
    data = upload.getvalue()
    if publish.sha256(data) != shown[0]:
        _say(("warning", "미리 본 파일과 다른 파일입니다. 미리 보기를 다시 확인하세요 (not the file previewed)."))
        return
    try:
        done = publish.publish_upload(data, upload.name, paths.datasets_dir(), paths.database_path(), user=st.user,
                                      settings=settings, expect_fingerprint=shown[2].fingerprint, wait=WAIT_S)
    except (DatasetError, RebuildFailed, BuildError, LockBusy, ImportRefused, publish.NotAnEditor, OSError) as exc:
        _failed(exc)
        return
    result = done.imported
    if result.unchanged:
        _say(("info", "이미 같은 내용으로 게시되어 있습니다. 바꾼 것이 없습니다 (already published; nothing changed)."))
        return
    rows = sum(result.added.values())
    _say(("success", f"게시했습니다 (published): {md(', '.join(result.report_ids))} · 행 {rows:,}개 · 이전 자료는 백업 "
                     f"{md(result.backup.name if result.backup else '-')}에 보관 (the previous data is kept for undo)."))
    st.session_state[PREVIEW] = None
    st.session_state["_publish_counter"] = counter + 1  # an empty uploader for the next file


def _undo() -> None:
    """되돌리기: puts the newest backup back and rebuilds (a callback; checks the editor)."""
    settings = _settings()
    if publish.editor(st.user, settings) is None:
        _say(("error", NOT_EDITOR))
        return
    try:
        restored = publish.undo_last(paths.datasets_dir(), paths.database_path(), user=st.user, settings=settings,
                                     wait=WAIT_S)
    except (DatasetError, RebuildFailed, BuildError, LockBusy, ImportRefused, publish.NotAnEditor, OSError) as exc:
        _failed(exc)
        return
    st.session_state[PREVIEW] = None
    _say(("success", f"되돌렸습니다 (undone): 백업 {md(restored.restored.name)}의 자료로 돌아갔습니다. 바뀐 보고서 "
                     f"{md(', '.join(restored.report_ids) or '-')}. 방금의 자료도 백업으로 남아, 되돌리기를 한 번 더 "
                     "누르면 다시 돌아옵니다 (the replaced data is kept too: undo again to go back)."))


def _show_done() -> None:
    said = st.session_state.pop(DONE, None)
    if not said:
        return
    messages, problems = said
    for level, message in messages:
        {"success": st.success, "info": st.info, "warning": st.warning}.get(level, st.error)(message)
    if problems is not None:
        st.dataframe(publish.problems_frame(problems), hide_index=True)


def _preview_of(data: bytes, name: str, settings: dict) -> tuple[str, str, object]:
    """The preview of the file in the uploader, made once per file and per state of datasets/ (kept in the session)."""
    datasets = paths.datasets_dir()
    key = (publish.sha256(data), fingerprint(datasets))
    kept = st.session_state.get(PREVIEW)
    if kept and kept[:2] == key:
        return kept
    try:
        with st.spinner("파일을 읽고 지금의 자료와 비교하는 중… (reading the file)"):
            made: object = publish.preview_upload(data, name, datasets, user=st.user, settings=settings)
    except DatasetError as exc:
        made = exc
    except (ImportRefused, LockBusy, publish.NotAnEditor, OSError) as exc:
        made = str(exc)
    st.session_state[PREVIEW] = (*key, made)
    return st.session_state[PREVIEW]


def _show_preview(preview: publish.Preview, counter: int) -> None:
    st.header("미리 보기 Preview")
    ids = md(", ".join(preview.report_ids))
    if preview.unchanged:
        st.info(f"보고서 {ids}은(는) 이미 같은 내용으로 게시되어 있습니다. 게시할 것이 없습니다 (already published with "
                "exactly these rows; nothing to publish).")
        return
    if preview.replaced:
        st.warning(f"이미 게시된 보고서 {md(', '.join(preview.replaced))}의 행을 이 파일의 행으로 바꿉니다 (replaces the "
                   "rows of a report already published). 아래에서 바뀌는 값을 확인하세요.")
    else:
        st.markdown(f"새 보고 시점 **{ids}**을(를) 더합니다 (adds a new report period). 다른 보고서의 행은 그대로입니다.")
    for warning in preview.warnings:
        st.warning(md(warning))
    st.caption("아직 아무것도 바뀌지 않았습니다. 아래 게시 단추를 눌러야 대시보드에 나타납니다 (nothing has changed yet).")
    st.subheader("표마다 바뀌는 것 Changes per table")
    st.dataframe(publish.summary_frame(preview), hide_index=True, height="content", key="preview_summary")
    changes = publish.changes_frame(preview)
    if not changes.empty:
        st.subheader(f"바뀌는 값 {len(changes):,}개 Changed figures")
        st.dataframe(changes, hide_index=True, key="preview_changes")
    for table in preview.tables:
        for rows, what in ((table.added, "더하는 행 rows added"), (table.removed, "빼는 행 rows removed")):
            if rows:
                with st.expander(f"{table.table}.csv — {what}: {len(rows):,}"):
                    st.dataframe(publish.rows_frame(rows), hide_index=True)
    failed = sum(not c.passed for c in preview.checks)
    st.subheader("정합성 검사 Checks")
    st.caption(f"새 보고서의 검사 {len(preview.checks)}건: 통과 {len(preview.checks) - failed}, 불일치 {failed}. 보고서 "
               "자체의 불일치는 대시보드가 고치지 않고 그대로 보여 주므로 FAIL이 있어도 게시할 수 있습니다 (the report's own "
               "discrepancies are expected and shown as they are).")
    st.dataframe(publish.checks_frame(preview.checks), hide_index=True, key="preview_checks")
    st.header("게시 Publish")
    st.button("게시 Publish", type="primary", key="publish_button", on_click=_publish, args=(counter,))


def _show_undo() -> None:
    st.header("되돌리기 Undo")
    target = publish.undo_target(paths.datasets_dir())
    if target is None:
        st.caption("되돌릴 이전 판이 없습니다 (no earlier version kept to go back to).")
        return
    entry = target["entry"] or {}
    what = "되돌리기" if entry.get("action") == "undo" else f"{md(entry.get('file', ''))} 게시"
    made = (f" 이 백업은 {md(entry.get('at', ''))}에 {md(entry.get('who', ''))}이(가) 한 {what} 전의 자료입니다."
            if entry else "")
    st.caption(f"가장 최근 백업 {md(target['backup'])}의 자료로 되돌리고 데이터베이스를 다시 만듭니다.{made} 지금의 자료는 "
               "백업으로 남습니다 (puts the newest backup back; the current data is kept as a backup).")
    st.button("되돌리기 Undo", key="undo_button", on_click=_undo)


ui.page("자료 올리기", "편집자가 새 보고서(엑셀 통합문서나 CSV 파일 묶음)를 올려, 무엇이 바뀌는지 본 뒤 게시하고, 마지막 "
        "게시를 되돌립니다.", "📤")
settings = _settings()
if not publish.configured(settings):
    st.info("이 서버에는 이 페이지가 없습니다: 로그인(`.streamlit/secrets.toml`의 `[auth]`)과 편집자 목록(`[ydp] editors`)이 "
            "설정되지 않았습니다. 새 보고서는 명령줄로 올립니다: `python -m ydp_data import 폴더` (README의 '새 보고 시점 "
            "더하기'). (This page does not exist on this server: sign-in and editors are not configured. Use the command "
            "line: python -m ydp_data import DIR.)")
    st.stop()

if not st.user.get("is_logged_in"):
    st.info("편집자만 쓰는 페이지입니다. 편집자는 로그인하세요 (for editors only; please sign in).")
    if st.button("로그인 Sign in", key="login_button"):
        st.login()
    st.stop()

who = publish.editor(st.user, settings)
if who is None:
    email = st.user.get("email")
    st.warning(f"{md(email) if isinstance(email, str) else '이 계정'}은(는) 편집자 목록에 없어 자료를 올릴 수 없습니다. "
               "편집자 목록은 서버 담당자가 관리합니다 (this account is not an editor).")
    if st.button("로그아웃 Sign out", key="logout_button"):
        st.logout()
    st.stop()

signed, out = st.columns([5, 1], vertical_alignment="center")
signed.caption(f"편집자 {md(who)}(으)로 로그인했습니다 (signed in as an editor).")
if out.button("로그아웃 Sign out", key="logout_button"):
    st.logout()
_show_done()

counter = int(st.session_state.get("_publish_counter", 0))
st.header("파일 올리기 Upload")
st.caption("양식을 채운 엑셀 통합문서(.xlsx) 또는 CSV 파일 14개를 담은 zip. 새 보고 시점은 게시된 보고서를 내려받아 "
           "report_id와 바뀐 값을 고치는 것이 가장 쉽습니다. 파일의 문제는 시트·행·열로 알려 주며, 게시하기 전에는 아무것도 "
           "바뀌지 않습니다 (nothing changes until you publish).")
newest = str(ui.query(queries.reports, Filters(""))["report_id"].iloc[0])
blank, current = st.columns(2)
blank.download_button("빈 양식 받기 Empty template (.xlsx)", lambda: publish.template_bytes(paths.datasets_dir()),
                      file_name="ydp-report-template.xlsx", mime=publish.XLSX_MIME, key="publish_template",
                      on_click="ignore")
current.download_button(f"게시된 보고서 받기 Published report {md(newest)} (.xlsx)",
                        lambda: publish.export_bytes(paths.datasets_dir(), newest), file_name=f"{newest}.xlsx",
                        mime=publish.XLSX_MIME, key="publish_export", on_click="ignore")
upload = st.file_uploader("보고서 파일 Report file (.xlsx, .zip)", type=["xlsx", "zip"], key=f"{UPLOAD}_{counter}")
if upload is not None:
    _, _, made = _preview_of(upload.getvalue(), upload.name, settings)
    if isinstance(made, publish.Preview):
        _show_preview(made, counter)
    elif isinstance(made, DatasetError):
        st.error(f"파일에 문제가 {len(made.problems)}건 있습니다. 고친 뒤 다시 올리세요. 아무것도 바꾸지 않았습니다 (the file "
                 "has problems, listed by sheet, row and column; nothing changed).")
        st.dataframe(publish.problems_frame(made), hide_index=True, key="upload_problems")
    else:
        st.error(md(str(made)[:1_000]))
_show_undo()
