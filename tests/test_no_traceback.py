"""A visitor never sees a traceback: a failing page shows a plain message, the traceback goes to the server log.

Three layers: the served config hides Streamlit's error details (client.showErrorDetails = "none"); the guard that
st.App calls for an uncaught exception (ydp_data/guard.py) shows a plain message with a reference and logs the
traceback; and a real server on a deliberately broken database, read in Debian's Chromium, shows neither a traceback
nor a server path, while its log holds the traceback under the reference the page shows.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from google.protobuf import text_format
from playwright.sync_api import Browser
from streamlit import config
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.testing.v1 import AppTest

from bench.load import Filters, PageRun, Report, StreamlitSession, run_async
from ydp_data.build import build

ROOT = Path(__file__).resolve().parent.parent
PLAIN = "이 화면을 그리지 못했습니다. 오류는 서버 기록에 남겼습니다"
LEAKS = ("Traceback", 'File "/', "/work/", str(ROOT), "NaTType", "ValueError", "RuntimeError", "FileNotFoundError",
         "This app has encountered an error")
GUARDED_SCRIPT = """
import streamlit as st
from ydp_data import guard

st.title("쪽")
try:
    open("/srv/ydp/secret-folder/missing.csv", encoding="utf-8")
except OSError as exc:  # as Streamlit calls the handler st.App was given, for an uncaught exception
    guard.on_script_error(exc)
"""


def _shown(at: AppTest) -> list[str]:
    """Every element the run put on the page, as its message (exceptions with their message and stack)."""
    out: list[str] = []
    stack = [at.main, at.sidebar]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        if getattr(node, "proto", None) is not None:
            out.append(text_format.MessageToString(node.proto, as_utf8=True))
    return out


def test_served_config_shows_no_error_details() -> None:
    """.streamlit/config.toml asks Streamlit for no details at all in the browser, with a value it accepts."""
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    value = settings.get("client", {}).get("showErrorDetails")
    assert value == config.ShowErrorDetailsConfigOptions.NONE.value, value


def test_streamlits_own_error_box_holds_no_details() -> None:
    """An exception that still reaches Streamlit's error box (from this repo's folder, so with its config) shows
    Streamlit's generic sentence: no message, type, traceback or path."""
    at = AppTest.from_string('open("/srv/ydp/secret-folder/missing.csv")', default_timeout=30).run()
    assert at.exception
    shown = " ".join(_shown(at))
    assert "secret-folder" not in shown and "FileNotFoundError" not in shown and 'File "' not in shown, shown


def test_guard_shows_a_plain_message_and_logs_the_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """The guard's page: the plain Korean/English message with a reference, nothing of the error; the log has it all."""
    with caplog.at_level(logging.ERROR, logger="ydp_data.guard"):
        at = AppTest.from_string(GUARDED_SCRIPT, default_timeout=30).run()
    assert not at.exception
    assert len(at.error) == 1 and PLAIN in at.error[0].value and "This view could not be drawn" in at.error[0].value
    shown = " ".join(_shown(at))
    assert "secret-folder" not in shown and not any(leak in shown for leak in LEAKS), shown
    ref = re.search(r"기록 번호 (\w+)", at.error[0].value)
    assert ref, at.error[0].value
    logged = [r for r in caplog.records if r.name == "ydp_data.guard" and ref[1] in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None
    assert isinstance(logged[0].exc_info[1], FileNotFoundError) and "secret-folder" in str(logged[0].exc_info[1])


# --- a real server on a broken database, read in a real browser ----------------------------------------------------
@pytest.fixture(scope="module")
def broken_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The dashboard served on a database whose report has lost its as-of date (a NULL no build would write), so
    every page fails while drawing its frame; the server's URL and its log file."""
    from tests.e2e.conftest import streamlit_server

    folder = tmp_path_factory.mktemp("broken")
    db = folder / "ydp.duckdb"
    build(ROOT / "datasets", db)  # records the datasets' fingerprint: the app takes the file as current
    con = duckdb.connect(str(db))
    try:
        con.execute("UPDATE reports SET as_of = NULL")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    log = folder / "server.log"
    with streamlit_server({"YDP_DB": str(db), "YDP_DATASETS": str(ROOT / "datasets")}, log) as url:
        yield url, log


@pytest.mark.parametrize("path", ["/", "/일자리_Jobs"])
def test_a_broken_page_in_the_browser_shows_no_traceback(broken_server: tuple[str, Path], path: str,
                                                         browser: Browser) -> None:
    """The overview and a page opened by link, both failing: the plain message, no traceback, type or path; the
    server log holds the traceback under the reference the page shows."""
    from tests.e2e.conftest import CHROMIUM, VIEWPORT

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM}")
    url, log = broken_server
    page = browser.new_page(viewport=VIEWPORT, locale="ko-KR")
    try:
        page.goto(url + path)
        page.wait_for_function(
            """() => {
                const app = document.querySelector('[data-testid="stApp"]');
                return app?.getAttribute('data-test-script-state') === 'notRunning'
                    && document.querySelectorAll('[data-testid="stAlert"], [data-testid="stException"]').length > 0;
            }""", timeout=60_000)
        text = page.locator("body").inner_text()
    finally:
        page.close()
    assert PLAIN in text, text
    assert not [leak for leak in LEAKS if leak in text], text
    ref = re.search(r"기록 번호 (\w+)", text)
    assert ref, text
    server_log = log.read_text(encoding="utf-8", errors="replace")
    logged = server_log[server_log.index(f"page failed (ref {ref[1]})"):]
    assert "Traceback" in logged and "NaTType" in logged, server_log[-3000:]


class _Reading(StreamlitSession):
    """bench.load's protocol client (a browser's websocket session), keeping the text of every element it is sent."""

    def __init__(self, base: str) -> None:
        super().__init__(base, Report(base, 1, 0.0), timeout=60.0)
        self.elements: list[str] = []

    def _read(self, raw: bytes, run: PageRun) -> None:
        super()._read(raw, run)
        message = ForwardMsg()
        message.ParseFromString(raw)
        if message.WhichOneof("type") == "delta":  # what is drawn (new_session names the script's path, never shown)
            self.elements.append(text_format.MessageToString(message.delta, as_utf8=True))


@pytest.mark.parametrize("page", ["", "일자리_Jobs"])
def test_a_broken_page_sends_the_browser_no_traceback(broken_server: tuple[str, Path], page: str) -> None:
    """Without a browser, over Streamlit's own websocket protocol: no exception element, nothing of the error in any
    element the server sends, and the plain message (the app's error handler is the guard)."""
    url, _ = broken_server

    async def visit() -> tuple[PageRun, str]:
        session = _Reading(url)
        try:
            return await session.open(page, Filters()), "\n".join(session.elements)
        finally:
            await session.close()

    run, sent = run_async(visit)
    assert not [p for p in run.problems if "exception" in p], run.problems
    assert PLAIN in sent, sent[-2000:]
    assert not [leak for leak in LEAKS if leak in sent], sent[-2000:]
