"""Lead with the answer, in a real browser: on a 1920×1080 meeting-room screen the overview's status strip and the
execution chart's title (which states the finding) are on the first screen, without scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.test_browser import PAGES, RUN_TIMEOUT_MS, wait_for_app
from tests.test_answer_first import programmes, signed

pytestmark = pytest.mark.e2e

SCREEN = {"width": 1920, "height": 1080}


def on_first_screen(element: Locator) -> dict[str, float]:
    """The element's box, asserted to lie wholly inside the window as it opens (nothing scrolled)."""
    box = element.bounding_box()
    assert box is not None, "not drawn"
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= SCREEN["width"] and box["y"] + box["height"] <= SCREEN["height"], box
    return box


def test_overview_answer_is_on_the_first_screen(page: Page, server_url: str) -> None:
    page.set_viewport_size(SCREEN)
    page.goto(server_url + "/")
    wait_for_app(page, True, PAGES[0].title)
    assert page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop") == 0

    strip = page.locator(".st-key-status_strip")
    expect(strip).to_be_visible(timeout=RUN_TIMEOUT_MS)
    on_first_screen(strip)
    text = strip.inner_text()
    found = programmes()
    for program, p in found.items():
        if p["pace"] == "behind":  # every lagging programme with its gap, as the director reads it
            assert f"{program} {p['title']} 집행률 {p['rate']:.1f}% — 경과율보다 {signed(p['gap'])}" in text, text

    title = page.locator(".st-key-chart_program_execution .gtitle")
    behind = sum(1 for p in found.values() if p["pace"] == "behind")
    words = f"{behind}개 사업이 연중 경과율보다 뒤처짐".replace(" ", "")  # the title may wrap (charts.fit_margins) at any space
    expect(title).to_have_text(re.compile(r"\s*".join(re.escape(c) for c in words)), timeout=RUN_TIMEOUT_MS)
    title_box = on_first_screen(title)
    assert on_first_screen(strip)["y"] < title_box["y"], "the strip comes before the chart"
    assert page.console_errors == []  # type: ignore[attr-defined]
