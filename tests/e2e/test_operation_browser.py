"""A real server in operation, in headless Chromium: visitors arriving together with no database all get the page
(one build), a database damaged while serving is rebuilt with a notice, a changed datasets/ shows on the next load,
and no page ever shows a traceback or a server path."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import VIEWPORT, streamlit_server
from tests.test_integrity import bump_budget

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TITLE = "일자리정책과 한눈에 보기"
TOTAL = 7_113_947
TIMEOUT_MS = 90_000


@pytest.fixture()
def fresh_server(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """A server whose database does not exist yet (first start), on a copy of datasets/."""
    datasets, db = tmp_path / "datasets", tmp_path / "data" / "ydp.duckdb"
    shutil.copytree(ROOT / "datasets", datasets)
    with streamlit_server({"YDP_DB": str(db), "YDP_DATASETS": str(datasets)}, tmp_path / "server.log") as url:
        yield url, datasets, db


def settled(page: Page) -> None:
    """The page has drawn its title and its first card, and no script is running."""
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator('.ydp-card').first).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)


def no_traceback(page: Page) -> None:
    body = page.locator("body").inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0, body[:500]
    assert "Traceback" not in body and "File \"/" not in body and "site-packages" not in body, body[:500]


def total_shown(page: Page) -> str:
    card = page.locator('.ydp-card').filter(has_text="예산액").first
    return card.locator('.ydp-card-value').inner_text()


def test_visitors_arriving_together_with_no_database_all_get_the_page(
        browser: Browser, fresh_server: tuple[str, Path, Path]) -> None:
    url, _, db = fresh_server
    assert not db.exists()
    contexts = [browser.new_context(viewport=VIEWPORT, locale="ko-KR") for _ in range(4)]
    try:
        pages = [c.new_page() for c in contexts]
        for page in pages:  # all four ask before any has its answer
            page.goto(url, wait_until="commit")
        for page in pages:
            settled(page)
            no_traceback(page)
            assert total_shown(page) == f"{TOTAL:,}"
    finally:
        for c in contexts:
            c.close()
    assert db.exists() and list(db.parent.glob("*.tmp*")) == []


def test_damaged_and_changed_while_serving(browser: Browser, fresh_server: tuple[str, Path, Path]) -> None:
    url, datasets, db = fresh_server
    context = browser.new_context(viewport=VIEWPORT, locale="ko-KR")
    try:
        page = context.new_page()
        page.goto(url)
        settled(page)
        db.write_bytes(db.read_bytes()[:4096])  # truncated under the running server
        page.reload()
        settled(page)
        no_traceback(page)
        expect(page.locator('[data-testid="stAlert"]').filter(has_text="다시 만들었습니다")).to_be_visible()
        assert total_shown(page) == f"{TOTAL:,}"
        page.reload()  # told once per session (a reload is a new session: it arrives within minutes, so it is told)
        settled(page)
        bump_budget(datasets, 1000)  # a new figure in datasets/ (an import, a hand edit)
        page.reload()
        settled(page)
        no_traceback(page)
        expect(page.locator('.ydp-card-value').first).to_have_text(f"{TOTAL + 1000:,}", timeout=TIMEOUT_MS)
    finally:
        context.close()
