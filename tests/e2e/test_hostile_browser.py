"""In headless Chromium, a server on a hostile report opened through a crafted link: every page (every section open,
every briefing slide) shows the report's Markdown, HTML and links as text. No link or image to another host, no
heading made by the data, no request to another host.

The server is always started here (YDP_E2E_URL is not used: it serves the real report), on 127.0.0.1 and a free
port, with YDP_DATASETS and YDP_DB pointing to a hostile copy of datasets/ (tests/test_hostile_data.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import VIEWPORT, streamlit_server
from tests.e2e.test_browser import PAGES, AppPage, open_page, open_section, wait_for_app
from tests.test_hostile_data import write_hostile_datasets
from ydp_data.build import build
from ydp_data.safe_text import WORD_JOINER

pytestmark = pytest.mark.e2e

CRAFTED = "[세션 만료](https://evil.example)"
LINKS = """() => Array.from(document.querySelectorAll('a, img, image, iframe, source')).map(e =>
    e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '')"""
HEADINGS = "() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map(h => h.textContent.trim())"
MAIN_TEXT = "() => document.querySelector('[data-testid=\"stMain\"]').innerText"
CHART_TEXT = "() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => p.textContent).join(' ')"


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard server of its own on a database built from the hostile copy of datasets/."""
    base = tmp_path_factory.mktemp("hostile_server")
    datasets = write_hostile_datasets(base / "datasets")
    database = base / "ydp.duckdb"
    build(datasets, database)
    with streamlit_server({"YDP_DB": str(database), "YDP_DATASETS": str(datasets)}, base / "server.log") as url:
        yield url


def outside(url: str, home: str) -> bool:
    """Whether a link, source or request goes to another host than the app's (data: and blob: are the page's own)."""
    where = urlsplit(url.strip())
    return bool(where.netloc) and where.hostname != urlsplit(home).hostname


def visible(text: str) -> str:
    """Text as a reader sees it: the word joiners safe_text.md puts into links and codes are invisible."""
    return text.replace(WORD_JOINER, "")


def check(page: Page, home: str, where: str) -> None:
    """What the page shows now: the hostile text as text, no link or image out, no heading made by the data."""
    links = [u for u in page.evaluate(LINKS) if outside(u, home)]
    assert links == [], (where, links)
    headings = [h for h in page.evaluate(HEADINGS) if h == "제목" or h.startswith("제목")]
    assert headings == [], (where, headings)
    text = visible(page.evaluate(MAIN_TEXT))
    assert "[로그인](https://evil.example/x)" in text and "<b>굵게</b>" in text and ":red[빨강]" in text, where
    assert ":material/home:" in text and "$$x$$" in text, where
    coloured = page.locator('[data-testid="stMain"] span[style*="color"]', has_text="빨강").count()
    assert coloured == 0, where
    assert page.locator('[data-testid="stMain"] .katex').count() == 0, where


@pytest.mark.parametrize("app_page", PAGES, ids=[p.name for p in PAGES])
def test_hostile_report_and_crafted_link_stay_text(browser: Browser, hostile_url: str, app_page: AppPage) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="ko-KR")
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        open_page(page, f"{hostile_url}{app_page.path}?{urlencode({CRAFTED: '1'}, quote_via=quote)}", app_page.charts,
                  app_page.title)
        warning = visible(page.locator('[data-testid="stAlert"]', has_text="무시했습니다").first.inner_text())
        assert CRAFTED in warning, warning
        for key in app_page.sections:
            open_section(page, key)
        check(page, hostile_url, app_page.name)
        if app_page.charts:
            assert "<b>굵게</b>" in page.evaluate(CHART_TEXT), "a chart label from the data is drawn as text"
        if app_page.name.endswith("Briefing"):
            nxt = page.locator(".st-key-slide_next button")
            while nxt.is_enabled():
                before = page.locator('[data-testid="stMain"] h2').first.inner_text()
                nxt.click()
                page.wait_for_function("(before) => document.querySelector('[data-testid=\"stMain\"] h2')"
                                       "?.innerText !== before", arg=before)
                wait_for_app(page, charts=True)
                check(page, hostile_url, f"{app_page.name} {page.locator('[data-testid=stMain] h2').first.inner_text()}")
        assert [u for u in requests if outside(u, hostile_url)] == []
        assert errors == []
    finally:
        context.close()

