"""Publishing from the browser with a real OpenID Connect sign-in (st.login against oidc-provider-mock).

A real provider (the `oidc-provider-mock` package) runs on 127.0.0.1; a Streamlit server is started with a temporary
secrets file naming it (`--secrets.files`, so nothing is written into the repo) and on a copy of datasets/. In
Chromium: a visitor sees no Publish link and no upload control; an editor signs in through the provider's form,
uploads a zip of the test report's CSV files, sees the preview, publishes, finds the new period on the overview,
undoes it and finds it gone; a signed-in non-editor gets no upload control. The preview's screenshot goes to
artifacts/screenshots/publish-preview.png (docs/publish-preview.png is a copy of it).
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.e2e.conftest import VIEWPORT, free_port, stop, streamlit_server
from tests.e2e.test_browser import PAGES, RUN_TIMEOUT_MS, wait_for_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "report_2023_12_test"
NEW_ID = "test-ydp-jobs-2023-12"
EDITOR = "editor@example.com"
VISITOR = "visitor@example.com"
PUBLISH_PATH = "/자료올리기_Publish"
SCREENSHOT = ROOT / "artifacts" / "screenshots" / "publish-preview.png"
PROVIDER_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Served:
    url: str
    provider: str
    datasets: Path


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(json.loads(response.read()).get("issuer"))
    except (urllib.error.URLError, OSError, ValueError):
        return False


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """oidc-provider-mock on a free port of 127.0.0.1 (any client id and secret; any subject typed in its form)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                                   env={**os.environ, "NO_COLOR": "1"})
    try:
        deadline = time.monotonic() + PROVIDER_TIMEOUT_S
        while not _answers(f"{url}/.well-known/openid-configuration"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"oidc-provider-mock did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def served(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The dashboard with sign-in configured against the provider, on a copy of datasets/ and its own database."""
    work = tmp_path_factory.mktemp("publish")
    datasets = work / "datasets"
    shutil.copytree(ROOT / "datasets", datasets)
    secrets_file = work / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'  # Streamlit fills in its port
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "ydp-dashboard"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "\n[ydp]\n"
        f'editors = ["{EDITOR}"]\n', encoding="utf-8")
    env = {"YDP_DATASETS": str(datasets), "YDP_DB": str(work / "data" / "ydp.duckdb")}
    with streamlit_server(env, work / "server.log", ["--secrets.files", str(secrets_file)]) as url:
        yield Served(url, provider, datasets)


def _context(browser: Browser, served: Served) -> BrowserContext:
    """A fresh browser (no cookies) that reaches only 127.0.0.1 (the provider's form links a stylesheet elsewhere)."""
    context = browser.new_context(viewport=VIEWPORT, locale="ko-KR")

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", None):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", local_only)
    return context


def nav_paths(page: Page) -> list[str]:
    links = page.locator('[data-testid="stPageLink-NavLink"]')
    expect(links.first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    return [unquote(h) for h in links.evaluate_all("links => links.map(a => a.pathname)")]


def open_overview(page: Page, served: Served) -> None:
    page.goto(served.url + "/")
    wait_for_app(page, None, PAGES[0].title)


def open_publish(page: Page, served: Served) -> None:
    page.goto(served.url + PUBLISH_PATH)
    wait_for_app(page, None, "자료 올리기")


def sign_in(page: Page, served: Served, email: str) -> None:
    """Through the provider's own form: type the subject (its e-mail claim is the same) and authorize."""
    open_publish(page, served)
    page.get_by_role("button", name="로그인 Sign in").click()
    page.wait_for_url(re.compile(re.escape(served.provider) + r"/oauth2/authorize"), timeout=RUN_TIMEOUT_MS)
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(served.url) + r"/(\?.*)?$"), timeout=RUN_TIMEOUT_MS)  # back home
    wait_for_app(page, None, PAGES[0].title)


def zip_of(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.glob("*.csv")):
            z.write(path, path.name)
    return buffer.getvalue()


def report_selector(page: Page) -> object:
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="보고 시점 Report")


def test_visitor_sees_no_publish_link_and_no_upload_control(browser: Browser, served: Served) -> None:
    context = _context(browser, served)
    try:
        page = context.new_page()
        open_overview(page, served)
        paths = nav_paths(page)
        assert "/데이터_Data" in paths and PUBLISH_PATH not in paths, paths
        open_publish(page, served)
        expect(page.get_by_text("편집자만 쓰는 페이지입니다")).to_be_visible()
        expect(page.get_by_role("button", name="로그인 Sign in")).to_be_visible()
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
    finally:
        context.close()


def test_a_signed_in_non_editor_gets_no_upload_control(browser: Browser, served: Served) -> None:
    context = _context(browser, served)
    try:
        page = context.new_page()
        sign_in(page, served, VISITOR)
        assert PUBLISH_PATH not in nav_paths(page)
        open_publish(page, served)
        expect(page.get_by_text("편집자 목록에 없어")).to_be_visible()
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
        assert page.get_by_role("button", name="게시 Publish").count() == 0
    finally:
        context.close()


def test_an_editor_signs_in_publishes_and_undoes(browser: Browser, served: Served) -> None:
    before = {p.name: p.read_bytes() for p in served.datasets.iterdir()}
    context = _context(browser, served)
    try:
        page = context.new_page()
        sign_in(page, served, EDITOR)
        assert report_selector(page).count() == 0  # one report period so far
        paths = nav_paths(page)
        assert PUBLISH_PATH in paths, paths
        page.locator('[data-testid="stPageLink-NavLink"]').nth(paths.index(PUBLISH_PATH)).click()
        wait_for_app(page, None, "자료 올리기")
        expect(page.get_by_text("(으)로 로그인했습니다")).to_contain_text("editor@")  # safe_text.md breaks autolinks

        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            files=[{"name": "report-2023-12.zip", "mimeType": "application/zip", "buffer": zip_of(FIXTURE)}])
        expect(page.get_by_role("heading", name="미리 보기 Preview")).to_be_visible(timeout=RUN_TIMEOUT_MS)
        wait_for_app(page, False, "자료 올리기")  # the preview's tables are drawn
        expect(page.get_by_text(f"새 보고 시점 {NEW_ID}")).to_be_visible()
        expect(page.get_by_text("정합성 검사 Checks")).to_be_visible()
        assert {p.name: p.read_bytes() for p in served.datasets.iterdir()} == before  # nothing changed yet
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.get_by_role("heading", name="미리 보기 Preview").evaluate("h => h.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(SCREENSHOT))

        page.get_by_role("button", name="게시 Publish").click()
        expect(page.get_by_text("게시했습니다 (published)")).to_be_visible(timeout=RUN_TIMEOUT_MS)
        assert NEW_ID in (served.datasets / "reports.csv").read_text(encoding="utf-8")

        open_overview(page, served)
        expect(report_selector(page)).to_have_count(1, timeout=RUN_TIMEOUT_MS)
        expect(page.get_by_role("combobox", name="보고 시점 Report")).to_have_value(NEW_ID)
        expect(page.get_by_text("2023-12-31 기준").first).to_be_visible()

        open_publish(page, served)
        page.get_by_role("button", name="되돌리기 Undo").click()
        expect(page.get_by_text("되돌렸습니다 (undone)")).to_be_visible(timeout=RUN_TIMEOUT_MS)
        assert {p.name: p.read_bytes() for p in served.datasets.iterdir()} == before

        open_overview(page, served)
        expect(page.get_by_text("2023-05-31 기준").first).to_be_visible(timeout=RUN_TIMEOUT_MS)
        assert report_selector(page).count() == 0
        log = [json.loads(line) for line in (served.datasets.parent / "publish-log.jsonl").read_text().splitlines()]
        assert [(e["action"], e["who"]) for e in log] == [("publish", EDITOR), ("undo", EDITOR)]
    finally:
        context.close()
