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
