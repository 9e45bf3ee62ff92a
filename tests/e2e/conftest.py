"""Browser fixtures: a Streamlit server on the test database (or the one CI started), headless Chromium, pages.

The server is started only when YDP_E2E_URL is unset; it reads the database that the session fixture
`db_path` (tests/conftest.py) builds from datasets/, and is always stopped, process group and all.
Chromium is Debian's /usr/bin/chromium: no browser is ever downloaded.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("YDP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HEALTH_TIMEOUT_S = 60.0
VIEWPORT = {"width": 1400, "height": 1000}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: end-to-end tests in a real browser against a running Streamlit server")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    """True when Streamlit's health endpoint answers 'ok'."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.read().decode().strip() == "ok")
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server's whole process group, then kill it if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def streamlit_server(env: dict[str, str], log: Path, args: Sequence[str] = ()) -> Iterator[str]:
    """`streamlit run dashboard.py` on a free port of 127.0.0.1 with env added (and more command-line options in
    args), until healthy; its URL. Always stopped, process group and all; its output goes to log (shown when it fails
    to start)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false", *args],
            cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1", **env}, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while not healthy(url):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {HEALTH_TIMEOUT_S:.0f} s:\n{log.read_text(errors='replace')}")
            time.sleep(0.25)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="session")
def server_url(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard's base URL: YDP_E2E_URL when set (CI), else a server started here on the test database."""
    given = os.environ.get("YDP_E2E_URL")
    if given:
        yield given.rstrip("/")
        return
    with streamlit_server({"YDP_DB": str(db_path)}, tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture()
def page(browser: Browser, server_url: str) -> Iterator[Page]:
    """A page in a fresh context (1400x1000, Korean locale, downloads allowed).

    Console errors and uncaught exceptions go to page.console_errors, and every request to another host than
    the app's to page.external_requests: the dashboard must work on an offline network (the page icons are
    emoji for that: a ':material/...' page icon makes Streamlit load the favicon from fonts.gstatic.com).
    """
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="ko-KR")
    tab = context.new_page()
    errors: list[str] = []
    external: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{message.text} ({message.location.get('url', '')}:{message.location.get('lineNumber', '')})")

    def outside(request: Request) -> None:
        where = urlsplit(request.url)  # data: and blob: URLs are the page's own
        if where.scheme in ("http", "https", "ws", "wss") and where.hostname != urlsplit(server_url).hostname:
            external.append(request.url)

    tab.on("console", record)
    tab.on("request", outside)
    tab.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    tab.console_errors = errors  # type: ignore[attr-defined]
    tab.external_requests = external  # type: ignore[attr-defined]
    try:
        yield tab
    finally:
        context.close()
