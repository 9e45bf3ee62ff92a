"""Charts legible in the room, measured in headless Chromium on every page (every section open, every slide of the
Briefing page): every text plotly draws at least 14 px and the titles larger, bar values level (never turned) and
never on a hatched fill, and on a 390x844 phone a plotting area of most of the chart's width with labels that neither
run into each other nor leave the chart (the same at 1920x1080). The organisation slide's axis title and footnote
apart, in the app and in the briefing HTML.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.test_browser import PAGES, AppPage, open_section, wait_for_app
from tests.e2e.test_presenter_and_phone import next_slide
from ydp_data import briefing
from ydp_data.db import Database
from ydp_data.filters import Filters

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}
LEAST_PX = 14

# Per chart: every drawn text with its computed font size, its box and what it is; the plotting areas; the chart's box.
CHART_TEXTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot => {
    const svg = plot.querySelector('.main-svg'); const chart = svg.getBoundingClientRect();
    const kind = t => t.classList.contains('gtitle-subtitle') ? 'subtitle' : t.closest('.gtitle') ? 'title' : t.closest('.g-gtitle') ? 'title'
        : t.closest('.xtick, .ytick, .x2tick, .y2tick') || t.closest('[class*="tick"]') && t.closest('.xaxislayer-above, .yaxislayer-above') ? 'tick'
        : t.closest('.annotation') ? 'annotation' : t.closest('.legendtext, .legend') ? 'legend'
        : t.closest('.bartext, .trace.bars') ? 'bar' : t.closest('.textpoint') ? 'point' : 'other';
    const texts = Array.from(plot.querySelectorAll('svg text')).filter(t => t.textContent.trim()).map(t => {
        const r = t.getBoundingClientRect(); const style = getComputedStyle(t);
        const tick = t.closest('.xtick, .ytick, .x2tick, .y2tick, .x3tick, .y3tick');
        return {text: t.textContent.trim(), kind: kind(t), size: parseFloat(style.fontSize), fill: style.fill,
                axis: tick ? tick.getAttribute('class')[0] : '',
                cls: t.getAttribute('class') || '', transform: t.getAttribute('transform') || '',
                parent: t.parentElement?.getAttribute('transform') || '', shown: style.display !== 'none'
                && style.visibility !== 'hidden' && r.width > 0 && r.height > 0,
                left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height};
    });
    const areas = Array.from(plot.querySelectorAll('.cartesianlayer .subplot .bg, .nsewdrag')).map(e => {
        const r = e.getBoundingClientRect(); return {width: r.width, height: r.height}; });
    const patterns = (plot.data || []).filter(t => t.type === 'bar' && (t.text || t.texttemplate)
        && t.marker && t.marker.pattern && t.marker.pattern.shape).map(t => t.name);
    return {title: plot.layout?.title?.text ?? '', left: chart.left, right: chart.right, top: chart.top,
            bottom: chart.bottom, width: chart.width, texts: texts, areas: areas, patterns: patterns};
})"""


@pytest.fixture()
def tab(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page at the viewport the test is parametrized with (a phone is a touch screen)."""
    size = request.param
    context = browser.new_context(viewport=size, is_mobile=size == PHONE, has_touch=size == PHONE, locale="ko-KR")
    try:
        yield context.new_page()
    finally:
        context.close()


def every_chart(page: Page, server_url: str, app: AppPage) -> list[dict[str, Any]]:
    """The charts of a page with every section open; on the Briefing page those of every slide."""
    page.goto(server_url + app.path)
    wait_for_app(page, app.charts, app.title)
    for key in app.sections:
        if page.locator(f".st-key-section_{key}").count():
            open_section(page, key)
    page.wait_for_timeout(300)  # plotly's own relayout once the box has its width
    charts: list[dict[str, Any]] = page.evaluate(CHART_TEXTS)
    while app.name.endswith("Briefing") and next_slide(page):
        page.wait_for_timeout(300)
        charts += page.evaluate(CHART_TEXTS)
    return charts


def overlaps(a: dict[str, Any], b: dict[str, Any], slack: float = 1.0) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack)


def legibility_faults(chart: dict[str, Any]) -> list[str]:
    """What on one chart is too small, too light, turned or on a pattern."""
    faults = [f"patterned bars with numbers: {chart['patterns']}"] if chart["patterns"] else []
    texts = [t for t in chart["texts"] if t["shown"]]
    titles = [t for t in texts if t["kind"] == "title"]
    rest = [t for t in texts if t["kind"] != "title"]
    faults += [f"{t['kind']} {t['text'][:30]!r} at {t['size']} px" for t in texts if t["size"] < LEAST_PX]
    # plotly shrinks a value that does not fit its bar with a scale() transform: the drawn glyphs must keep the size
    faults += [f"{t['kind']} {t['text'][:30]!r} drawn {t['height']:.1f} px high" for t in texts
               if t["height"] < LEAST_PX * 0.95]
    if titles and rest and min(t["size"] for t in titles) <= max(t["size"] for t in rest):
        faults.append(f"titles {min(t['size'] for t in titles)} px not above the rest {max(t['size'] for t in rest)} px")
    faults += [f"turned {t['kind']} {t['text'][:30]!r}: {t['transform']} {t['parent']}" for t in texts
               if t["kind"] in ("bar", "point", "tick", "annotation") and "rotate" in t["transform"] + t["parent"]
               and "rotate(0" not in t["transform"] + t["parent"]]
    faults += [f"light text {t['text'][:30]!r}: {t['fill']}" for t in texts
               if t["kind"] != "bar" and t["fill"].startswith("rgb(") and min(
                   int(v) for v in t["fill"][4:-1].split(",")) > 150]
    return faults


def fit_faults(chart: dict[str, Any]) -> list[str]:
    """Labels of one chart that leave it or run into one another."""
    texts = [t for t in chart["texts"] if t["shown"]]
    faults = [f"{t['kind']} {t['text'][:30]!r} leaves the chart ({t['left']:.0f}..{t['right']:.0f} of "
              f"{chart['left']:.0f}..{chart['right']:.0f})" for t in texts
              if t["left"] < chart["left"] - 1 or t["right"] > chart["right"] + 1]
    # above or under it too: a title of two lines had its first line half cut off at the chart's top edge
    faults += [f"{t['kind']} {t['text'][:30]!r} leaves the chart ({t['top']:.0f}..{t['bottom']:.0f} of "
               f"{chart['top']:.0f}..{chart['bottom']:.0f})" for t in texts
               if t["top"] < chart["top"] - 1 or t["bottom"] > chart["bottom"] + 1]
    labels = [t for t in texts if t["kind"] in ("tick", "annotation", "bar", "point")]
    faults += [f"{a['kind']} {a['text'][:20]!r} runs into {b['kind']} {b['text'][:20]!r}"
               for n, a in enumerate(labels) for b in labels[n + 1:] if overlaps(a, b)]
    return faults


@pytest.mark.parametrize("tab", [PROJECTOR], indirect=True, ids=["1920x1080"])
@pytest.mark.parametrize("app", [p for p in PAGES if p.charts], ids=[p.name for p in PAGES if p.charts])
def test_chart_text_is_legible_on_a_projector(tab: Page, server_url: str, app: AppPage) -> None:
    """At 1920x1080 every text in every chart is at least 14 px (drawn so, not shrunk), titles larger, dark, bar
    values level and on solid fills; every text fully inside its chart (a title's first line too), no label running
    into another."""
    charts = every_chart(tab, server_url, app)
    assert charts
    faults = {c["title"]: legibility_faults(c) + fit_faults(c) for c in charts}
    assert {t: f for t, f in faults.items() if f} == {}


@pytest.mark.parametrize("tab", [PHONE], indirect=True, ids=["390x844"])
@pytest.mark.parametrize("app", [p for p in PAGES if p.charts], ids=[p.name for p in PAGES if p.charts])
def test_charts_keep_their_width_on_a_phone(tab: Page, server_url: str, app: AppPage) -> None:
    """At 390x844 every chart's plotting area takes at least 60% of the chart's width and 200 px (category labels
    above the bars, not in a left margin), and no label leaves the chart or runs into another."""
    charts = every_chart(tab, server_url, app)
    assert charts
    narrow = {c["title"]: max(a["width"] for a in c["areas"]) for c in charts
              if not c["areas"] or max(a["width"] for a in c["areas"]) < max(200.0, 0.6 * c["width"])}
    assert narrow == {}
    faults = {c["title"]: legibility_faults(c) + fit_faults(c) for c in charts}
    assert {t: f for t, f in faults.items() if f} == {}


# --- the organisation slide: its axis title and its footnote apart ----------------------------------------------
NOTE_AND_AXIS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).filter(p =>
        getComputedStyle(p).visibility !== 'hidden' && p.offsetParent !== null && p.querySelector('.xtitle')).map(p => {
    const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,
                                                                   bottom: r.bottom}; };
    return {axis: Array.from(p.querySelectorAll('.xtitle, .xtick text')).map(box),
            notes: Array.from(p.querySelectorAll('.annotation')).filter(a => a.getBoundingClientRect().top
                > p.querySelector('.nsewdrag').getBoundingClientRect().bottom).map(box),
            legend: Array.from(p.querySelectorAll('.legend .traces')).map(box)};
})"""


@pytest.mark.parametrize("tab", [{"width": 1366, "height": 768}], indirect=True, ids=["1366x768"])
def test_organisation_slide_keeps_axis_title_and_footnote_apart(tab: Page, server_url: str, db_path: Path,
                                                                tmp_path: Path) -> None:
    """The organisation slide's chart (정원·현원, with a footnote on the estimated grades): the axis title '(명)' and
    the ticks clear of the footnote and the legend, on the Briefing page and in the briefing HTML file."""
    app = next(p for p in PAGES if p.name.endswith("Briefing"))
    tab.goto(server_url + app.path)
    wait_for_app(tab, app.charts, app.title)
    while "조직" not in tab.locator('[data-testid="stMain"] h2').first.inner_text():
        assert next_slide(tab), "no organisation slide"
    tab.wait_for_timeout(300)
    seen = tab.evaluate(NOTE_AND_AXIS)
    db, f = Database(db_path), Filters("ydp-jobs-2023-05")
    slides = briefing.build_slides(db, f, "천원")
    path = tmp_path / "briefing.html"
    path.write_text(briefing.briefing_html(slides, briefing.build_meta(db, f, "천원")), encoding="utf-8")
    tab.goto(path.as_uri() + f"#slide-{[s.key for s in slides].index('organisation') + 1}")
    tab.wait_for_function("() => document.querySelector('#deck-counter')?.textContent.includes('/')")
    tab.wait_for_timeout(500)
    seen += tab.evaluate(NOTE_AND_AXIS)
    assert len(seen) == 2 and all(c["notes"] for c in seen), seen
    clashes = [(a, b) for c in seen for a in c["axis"] for b in [*c["notes"], *c["legend"]] if overlaps(a, b, 0.0)]
    assert clashes == []


@pytest.mark.parametrize("tab", [PROJECTOR, PHONE], indirect=True, ids=["1920x1080", "390x844"])
def test_plans_timeline_shows_its_months_on_the_first_screen(tab: Page, server_url: str) -> None:
    """The plans timeline is taller than any screen: its months are on the first screen, above the bars, so that a
    room reads the schedule without scrolling to the chart's end."""
    plans = next(p for p in PAGES if p.name.endswith("Plans"))
    tab.goto(server_url + plans.path)
    wait_for_app(tab, plans.charts, plans.title)
    tab.wait_for_timeout(300)  # plotly's own relayout once the box has its width
    chart = tab.evaluate(CHART_TEXTS)[0]
    screen = tab.viewport_size["height"]
    assert chart["bottom"] > screen  # the timeline runs past the first screen (else this test shows nothing)
    months = [t for t in chart["texts"] if t["shown"] and t["kind"] == "tick" and t["text"].endswith("월")]
    assert len(months) >= 4
    assert max(t["bottom"] for t in months) < screen, [(t["text"], t["bottom"]) for t in months]
    rows = [t for t in chart["texts"] if t["kind"] == "tick" and t["axis"] == "y"]  # the activities' names
    assert len(rows) >= 29, [t["text"] for t in rows]  # every activity of the report, a line or two each
    assert max(t["bottom"] for t in months) <= min(t["top"] for t in rows)  # above the first activity
