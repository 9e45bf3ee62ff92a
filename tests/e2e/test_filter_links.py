"""No filter is lost on the sidebar's page links: filters chosen with the widgets follow the director through every
page link, in a real browser (Debian's Chromium) against the Streamlit server of tests/e2e/conftest.py.

The links themselves carry no query by design (ydp_data.ui._navigation: redrawing nine links on every filter change
cost the browser more than the rest of the rerun; README): the filters follow in the session and each page writes
them into its own URL. So the test chooses the filters with the sidebar widgets, then clicks every page link in
turn, and on each page checks the URL and that the widgets show the filters selected.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import PAGES, RUN_TIMEOUT_MS, AppPage, open_page, wait_for_app

pytestmark = pytest.mark.e2e

CHOSEN = {"team": ["상생기업팀"], "source": ["국비", "구비"], "unit": ["백만원"]}
EXPECTED = {k: sorted(v) for k, v in CHOSEN.items()}


def query_of(url: str) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in parse_qs(urlsplit(url).query).items()}


def shown_filters(page: Page) -> dict[str, list[str]]:
    """The filters as the sidebar widgets show them selected (team tags, pressed source pills, the unit chosen)."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    teams = [t.get_attribute("aria-label") or "" for t in sidebar.locator(".st-key-team [data-tag]").all()]
    sources = [b.inner_text().strip() for b in sidebar.locator(".st-key-source button[aria-pressed]").all()
               if b.get_attribute("aria-pressed") == "true"]
    units = [b.inner_text().strip() for b in sidebar.locator('.st-key-unit button[aria-checked="true"]').all()]
    return {"team": sorted(teams), "source": sorted(sources), "unit": units}


def choose_filters(page: Page) -> None:
    """Pick the filters with the widgets, as a director does: a team from the list, two source pills, the unit."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="팀 Team").click()
    page.get_by_role("option", name=CHOSEN["team"][0], exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => new URLSearchParams(location.search).get('team') !== null", timeout=RUN_TIMEOUT_MS)
    wait_for_app(page, charts=None)
    for source in CHOSEN["source"]:
        sidebar.locator(".st-key-source").get_by_role("button", name=source, exact=True).click()
        page.wait_for_function("(s) => new URLSearchParams(location.search).getAll('source').includes(s)", arg=source,
                               timeout=RUN_TIMEOUT_MS)
        wait_for_app(page, charts=None)
    sidebar.locator(".st-key-unit button", has_text=CHOSEN["unit"][0]).click()
    page.wait_for_function("(u) => new URLSearchParams(location.search).get('unit') === u", arg=CHOSEN["unit"][0],
                           timeout=RUN_TIMEOUT_MS)
    wait_for_app(page, charts=None)


def follow_link(page: Page, server_url: str, target: AppPage) -> None:
    links = page.locator('[data-testid="stPageLink-NavLink"]')
    expect(links).to_have_count(len(PAGES), timeout=RUN_TIMEOUT_MS)
    paths = [unquote(h) for h in links.evaluate_all("links => links.map(a => a.pathname)")]
    assert target is PAGES[0] or unquote(target.path) in paths, (target.path, paths)
    # the overview's link comes first; its href is "" (the current address, whichever page that is)
    links.nth(0 if target is PAGES[0] else paths.index(unquote(target.path))).click()
    page.wait_for_url(re.compile(re.escape(server_url + target.path) + r"/?(\?.*)?$"), timeout=RUN_TIMEOUT_MS)
    wait_for_app(page, charts=None, title=target.title)


def test_filters_follow_every_sidebar_link(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/", charts=None, title=PAGES[0].title)
    choose_filters(page)
    assert query_of(page.url) == EXPECTED
    assert shown_filters(page) == EXPECTED
    # the links carry no query (by design: the session carries the filters); every one of them keeps them
    hrefs = page.locator('[data-testid="stPageLink-NavLink"]').evaluate_all("links => links.map(a => a.getAttribute('href') ?? '')")
    assert len(hrefs) == len(PAGES) and all("?" not in h for h in hrefs), hrefs
    for target in [*PAGES[1:], PAGES[0]]:  # every page in sidebar order, then back to the overview
        follow_link(page, server_url, target)
        assert query_of(page.url) == EXPECTED, f"{target.name}: URL {page.url}"
        assert shown_filters(page) == EXPECTED, f"{target.name}: sidebar shows {shown_filters(page)}"
    assert page.console_errors == []  # type: ignore[attr-defined]
