"""Charts that cannot mislead, as a reader sees them in Chromium: public works against the annual 448 with the
report's 448 ≠ 446 beside it, target cards that say 목표, no funnel of unlike units, and no figure collapsing to
0.00 at 억원 on any page. (AppTest checks the same figures in tests/test_truthful_charts.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.e2e.test_browser import PAGES, open_page, open_section, plot_data

pytestmark = pytest.mark.e2e

PUBLIC = next(p for p in PAGES if "Public" in p.path)
JOBS = next(p for p in PAGES if "Jobs" in p.path)


def chart_texts(page: Page) -> str:
    """Every text plotly drew in the page's charts (bar labels, ticks, annotations)."""
    return str(page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot text')).map(t => t.textContent).join(' ')"))


def test_public_works_attainment_is_against_the_annual_target(page: Page, server_url: str) -> None:
    open_page(page, server_url + PUBLIC.path, PUBLIC.charts, PUBLIC.title)
    for key in PUBLIC.sections:
        open_section(page, key)
    body = page.locator('[data-testid="stMain"]').inner_text()
    texts = chart_texts(page)
    assert "49.3%" in texts + body, "221 of the annual 448 (49.3%) is not shown"
    assert "446" in texts + body and "불일치" in body, "the report's own 448 ≠ 446 is not shown"
    assert "98" not in re.findall(r"\b(\d+)(?:\.\d)?%", texts), "181 against 185 read as a rate"


def test_job_targets_say_target_and_nothing_is_a_funnel(page: Page, server_url: str) -> None:
    open_page(page, server_url + JOBS.path, JOBS.charts, JOBS.title)
    for key in JOBS.sections:
        open_section(page, key)
    labels = page.locator('.ydp-card-label').all_inner_texts()
    for measure in ("고용률", "취업자수", "일자리"):
        matching = [label for label in labels if label.startswith(measure) and "목표" in label]
        assert matching, f"no card for the {measure} target labelled 목표: {labels}"
    assert page.locator(".funnellayer .trace").count() == 0, "a funnel of unlike units is drawn"
    traces = plot_data(page, "취업")
    assert traces, "the seekers → employed chart is missing"


@pytest.mark.parametrize("app_page", PAGES, ids=[p.name for p in PAGES])
def test_no_figure_collapses_to_zero_in_eok(page: Page, server_url: str, app_page) -> None:  # type: ignore[no-untyped-def]
    open_page(page, server_url + app_page.path + "?unit=억원", app_page.charts, app_page.title)
    for key in app_page.sections:
        open_section(page, key)
    shown = page.locator('[data-testid="stMain"]').inner_text() + " " + chart_texts(page)
    assert not re.search(r"(?<![\d.])0\.00(?!\d)", shown), f"{app_page.name}: a figure reads 0.00 at 억원"
