"""A first load that does not move: the cumulative layout shift of every page stays within 0.1 (issue 14).

Measured in Chromium with a PerformanceObserver on 'layout-shift' (buffered, installed before any page script), in a
fresh browser context (empty cache: Streamlit's elements arrive as placeholders while their code loads), from the
navigation until the page has been drawn and nothing has shifted or changed for a second. Every shift is added up,
which is stricter than Lighthouse's CLS (the worst window of shifts less than a second apart); a shift right after a
click or key press would not count, and none is made here.

What it guards (ydp_data/page_frame.py PAGE_CSS, which ydp_data/serving.py also puts in the page's <head>): Streamlit draws the
sidebar only when its first element arrives, and it pushed the whole main area 300 px aside (0.22 on every page); the
placeholders of the cards and of the sidebar's links and filters were 40 px high and then grew or shrank.
bench/lighthouse.py measures the same with Lighthouse (bench/RESULTS.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.e2e.test_browser import PAGES, RUN_TIMEOUT_MS, AppPage, open_page

pytestmark = pytest.mark.e2e

CLS_LIMIT = 0.1  # Lighthouse's "good" and the target
QUIET_MS = 1000  # no shift and no change in the page for this long: the first load is over

OBSERVER = """(() => {
  const seen = window.__layoutShift = {supported: PerformanceObserver.supportedEntryTypes.includes('layout-shift'),
                                       shifts: [], lastChange: performance.now()};
  const name = (node) => {
    if (!node || !node.getAttribute) return String(node);
    const key = [...node.classList].filter((c) => c.startsWith('st-key-')).join(' ');
    return `${node.getAttribute('data-testid') || node.tagName} ${key} «${(node.textContent || '').slice(0, 40)}»`;
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      seen.shifts.push({value: entry.value, input: entry.hadRecentInput, at: Math.round(entry.startTime),
                        what: (entry.sources || []).map((s) => name(s.node))});
      seen.lastChange = performance.now();
    }
  }).observe({type: 'layout-shift', buffered: true});
  new MutationObserver(() => { seen.lastChange = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();"""
SETTLED = "(quiet) => performance.now() - window.__layoutShift.lastChange >= quiet"


def first_load_shifts(page: Page, url: str, app_page: AppPage) -> list[dict[str, Any]]:
    """The layout shifts of a first load of url, once the page is drawn and has stopped changing."""
    page.context.add_init_script(OBSERVER)
    open_page(page, url, app_page.charts, app_page.title)
    page.wait_for_function(SETTLED, arg=QUIET_MS, timeout=RUN_TIMEOUT_MS)
    seen: dict[str, Any] = page.evaluate("window.__layoutShift")
    assert seen["supported"], "this Chromium does not report layout shifts"
    return [s for s in seen["shifts"] if not s["input"]]


@pytest.mark.parametrize("app_page", PAGES, ids=[p.name for p in PAGES])
def test_first_load_does_not_shift(page: Page, server_url: str, app_page: AppPage) -> None:
    shifts = first_load_shifts(page, server_url + app_page.path, app_page)
    total = sum(s["value"] for s in shifts)
    worst = sorted(shifts, key=lambda s: -s["value"])[:3]
    assert total <= CLS_LIMIT, (
        f"{app_page.name}: layout shift {total:.3f} > {CLS_LIMIT} over the first load; largest: "
        + "; ".join(f"{s['value']:.3f} at {s['at']} ms: {', '.join(s['what'][:3])}" for s in worst))


# --- the card rows keep their height from the first paint ---------------------------------------------------------
# st.html draws its HTML only after its box is on the screen (and after its code has loaded): the box of a card row
# keeps the row's least height till then (page_frame.PAGE_CSS, by the key ui.card_row gives it). Without it each row
# grew from 0 or a 40 px placeholder and moved all under it (Lighthouse's CLS went from 0.000 to 0.077-0.095).
HEIGHTS = """(() => {
  const seen = window.__rowHeights = {};
  const tick = () => {
    for (const box of document.querySelectorAll('[class*="st-key-card_row_"]')) {
      const key = [...box.classList].find((c) => c.startsWith('st-key-'));
      const height = Math.round(box.getBoundingClientRect().height);
      if (height > 0) (seen[key] ||= {first: height}).last = height;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"""
GROWTH_PX = 60  # a note's second and third line; a box that grew from nothing grows by 95-170 px


FIRST_SCREEN_ROWS = [p for p in PAGES if p.path == "/" or p.name.endswith(("Jobs", "Youth", "Briefing"))]


@pytest.mark.parametrize("app_page", FIRST_SCREEN_ROWS, ids=[p.name for p in FIRST_SCREEN_ROWS])
def test_card_rows_keep_their_height_from_the_first_paint(page: Page, server_url: str, app_page: AppPage) -> None:
    """On a first load (empty cache) no card row grows by more than a note's extra lines after it is first painted."""
    page.context.add_init_script(HEIGHTS)
    open_page(page, server_url + app_page.path, app_page.charts, app_page.title)
    page.wait_for_timeout(QUIET_MS)
    seen: dict[str, dict[str, int]] = page.evaluate("window.__rowHeights")
    assert any(k.startswith("st-key-card_row_") for k in seen), seen
    grew = {key: h for key, h in seen.items() if h["last"] - h["first"] > GROWTH_PX}
    assert grew == {}, f"{app_page.name}: boxes that grew after their first paint: {grew}"
