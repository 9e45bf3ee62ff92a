"""Room-ready in headless Chromium: the briefing HTML as a slideshow (keys, buttons, counter, charts drawn at their
size, offline, one printed page per slide), the Briefing page on a projector (1366x768, sidebar collapsed), English
cards that fit at 1366x768 on every page, and every page on a phone (390x844).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import PAGES, RUN_TIMEOUT_MS, AppPage, open_section, wait_for_app
from ydp_data import briefing
from ydp_data.db import Database
from ydp_data.filters import Filters
from ydp_data.i18n import ENGLISH, translate

pytestmark = pytest.mark.e2e

REPORT_ID = "ydp-jobs-2023-05"
PROJECTOR = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


# --- 1. the briefing HTML as a slideshow -----------------------------------------------------------------
@pytest.fixture(scope="module")
def deck(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[briefing.Slide]]:
    """The default briefing's HTML file, as the Briefing page hands it out, and its slides."""
    db, f = Database(db_path), Filters(REPORT_ID)
    slides = briefing.build_slides(db, f, "천원")
    path = tmp_path_factory.mktemp("deck") / "briefing.html"
    path.write_text(briefing.briefing_html(slides, briefing.build_meta(db, f, "천원")), encoding="utf-8")
    return path, slides


@pytest.fixture()
def show(browser: Browser, deck: tuple[Path, list[briefing.Slide]]) -> Iterator[Page]:
    """The briefing file opened in a 1366x768 window; every request it makes is in page.requests."""
    context = browser.new_context(viewport=PROJECTOR, locale="ko-KR")
    tab = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.requests = requests  # type: ignore[attr-defined]
    tab.errors = errors  # type: ignore[attr-defined]
    tab.goto(deck[0].as_uri())
    tab.wait_for_function("() => document.querySelector('#deck-counter')?.textContent.includes('/')")
    try:
        yield tab
    finally:
        context.close()


SHOWN = """() => Array.from(document.querySelectorAll('section.slide')).map((s, i) => {
    const r = s.getBoundingClientRect();
    return {n: i + 1, visible: getComputedStyle(s).visibility === 'visible' && r.width > 0,
            box: [r.left, r.top, r.right, r.bottom]};
}).filter(s => s.visible)"""

CHARTS = """() => Array.from(document.querySelectorAll('section.slide.current .chart')).map(c => {
    const box = c.getBoundingClientRect(), svg = c.querySelector('.main-svg');
    const drawn = svg ? svg.getBoundingClientRect() : null;
    return {id: c.id, box: [box.width, box.height], drawn: drawn ? [drawn.width, drawn.height] : null,
            traces: (c.data || []).length};
})"""


def on_screen(page: Page) -> list[int]:
    """The numbers of the slides that can be seen."""
    return [s["n"] for s in page.evaluate(SHOWN)]


def counter(page: Page) -> str:
    return page.locator("#deck-counter").inner_text()


def test_keys_step_through_the_slides(show: Page, deck: tuple[Path, list[briefing.Slide]]) -> None:
    """One slide at a time: → and PageDown forward, ← and PageUp back, Home and End to the first and last; the counter
    and the address (#slide-N) follow; a key with a modifier is left to the browser."""
    total = len(deck[1])
    assert total >= 5
    assert (on_screen(show), counter(show)) == ([1], f"1 / {total}")
    steps = [("ArrowRight", 2), ("ArrowRight", 3), ("ArrowLeft", 2), ("End", total), ("ArrowRight", total),
             ("Home", 1), ("ArrowLeft", 1), ("PageDown", 2), ("PageDown", 3), ("PageUp", 2), ("Alt+ArrowRight", 2)]
    seen = []
    for key, _ in steps:
        show.keyboard.press(key)
        seen.append((key, on_screen(show), counter(show)))
    assert seen == [(key, [n], f"{n} / {total}") for key, n in steps]
    assert show.evaluate("() => location.hash") == "#slide-2"
    title = show.locator("section.slide.current h1").inner_text()
    assert title == deck[1][1].title


def test_the_slide_fills_the_window(show: Page) -> None:
    """The slide shown is scaled to the window above the navigation bar: whole, centred, and as large as fits."""
    for size in (PROJECTOR, {"width": 1920, "height": 1080}, {"width": 1024, "height": 900}):
        show.set_viewport_size(size)
        show.keyboard.press("ArrowRight")
        show.keyboard.press("ArrowLeft")
        (slide,) = show.evaluate(SHOWN)
        left, top, right, bottom = slide["box"]
        bar = show.locator(".deck-nav").bounding_box()
        assert bar is not None
        room = bar["y"]
        assert left >= 0 and top >= 0 and right <= size["width"] + 0.5 and bottom <= room + 0.5, (size, slide)
        fills = max((right - left) / size["width"], (bottom - top) / room)
        assert fills > 0.95, (size, slide)


def test_buttons_step_and_focus_moves_on(show: Page, deck: tuple[Path, list[briefing.Slide]]) -> None:
    """Previous/next buttons for a mouse; the keys still work with a button focused, and Tab moves focus on (the
    slideshow takes only its own keys)."""
    total = len(deck[1])
    prev, nxt = show.locator("#deck-prev"), show.locator("#deck-next")
    expect(prev).to_be_disabled()
    nxt.click()
    nxt.click()
    assert (on_screen(show), counter(show)) == ([3], f"3 / {total}")
    prev.click()
    assert counter(show) == f"2 / {total}"
    show.keyboard.press("ArrowRight")  # focus is on 'previous': the arrow still steps, the focus stays
    assert counter(show) == f"3 / {total}"
    focused = [show.evaluate("() => document.activeElement.id")]
    for _ in range(3):
        show.keyboard.press("Tab")
        focused.append(show.evaluate("() => document.activeElement.id || document.activeElement.tagName"))
    assert focused[:2] == ["deck-prev", "deck-next"] and len(set(focused)) > 2, focused
    show.keyboard.press("End")
    expect(nxt).to_be_disabled()


def test_every_chart_is_drawn_at_its_size_when_its_slide_shows(show: Page, deck: tuple[Path, list[briefing.Slide]]) -> None:
    """Each slide's chart, once its slide is shown, is drawn (its traces and an SVG) and fills its box, also after
    the window changed size while the slide was hidden."""
    slides = deck[1]
    found = []
    for n, slide in enumerate(slides, start=1):
        if n == 4:
            show.set_viewport_size({"width": 1600, "height": 900})
        show.evaluate(f"() => {{ location.hash = '#slide-{n}'; }}")
        expect(show.locator("#deck-counter")).to_have_text(f"{n} / {len(slides)}")
        charts = show.evaluate(CHARTS)
        assert len(charts) == (slide.chart is not None), (n, charts)
        for chart in charts:
            (width, height), drawn = chart["box"], chart["drawn"]
            assert chart["traces"] > 0 and drawn is not None, (n, chart)
            assert width > 200 and height > 150, (n, chart)
            assert abs(drawn[0] - width) < 2 and abs(drawn[1] - height) < 2, (n, chart)
            found.append(chart["id"])
    assert len(found) == sum(s.chart is not None for s in slides) >= 5


def test_the_file_works_offline(show: Page) -> None:
    """Every request the file makes is to itself or a data: URL (no script, font or style from the network), and
    nothing fails."""
    show.keyboard.press("End")
    show.keyboard.press("Home")
    assert show.requests and [u for u in show.requests if not u.startswith(("file:", "data:"))] == []  # type: ignore[attr-defined]
    assert show.errors == []  # type: ignore[attr-defined]


@pytest.mark.skipif(not shutil.which("pdfinfo"), reason="pdfinfo (poppler-utils) is not installed")
def test_printed_it_is_one_a4_landscape_page_per_slide(show: Page, deck: tuple[Path, list[briefing.Slide]],
                                                       tmp_path: Path) -> None:
    """Printed from the slideshow (on slide 3), the file is one A4 landscape page per slide, each with its title."""
    show.keyboard.press("ArrowRight")
    show.keyboard.press("ArrowRight")
    path = tmp_path / "deck.pdf"
    show.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) == len(deck[1])  # type: ignore[index]
    assert re.search(r"Page size:\s+841\.\d+ x 59[45]\.\d+ pts", info), info
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")
    squeezed = [re.sub(r"\s+", "", t) for t in text if t.strip()]
    assert [re.sub(r"\s+", "", s.title) in t for s, t in zip(deck[1], squeezed, strict=True)] == [True] * len(deck[1])


# --- 2. the Briefing page on a projector ------------------------------------------------------------------
def app_page(ending: str) -> AppPage:
    return next(p for p in PAGES if p.name.endswith(ending))


TRUNCATED = """() => Array.from(document.querySelectorAll(
        '.ydp-card-value, .ydp-card-value *, .ydp-card-label, '
        + '.ydp-card-label *, .ydp-card-delta, .ydp-card-delta *'))
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth)
    .map(e => (e.getAttribute('data-testid') || e.tagName) + ': ' + e.textContent.trim().slice(0, 60))"""

SLIDE_BOXES = """() => {
    const box = s => Array.from(document.querySelectorAll(s)).map(e => {
        const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; });
    return {header: document.querySelector('[data-testid="stHeader"]').getBoundingClientRect().bottom,
            main: box('[data-testid="stMainBlockContainer"]')[0], title: box('[data-testid="stMain"] h2'),
            cards: box('[data-testid=stMain] .ydp-card'),
            charts: box('[data-testid="stPlotlyChart"] .main-svg:first-of-type'), height: innerHeight};
}"""


def collapse_sidebar(page: Page) -> None:
    """Close the sidebar with its own button (shown when the pointer is over the sidebar)."""
    page.locator('[data-testid="stSidebar"]').hover()
    page.locator('[data-testid="stSidebarCollapseButton"] button').click()
    expect(page.locator('[data-testid="stExpandSidebarButton"]')).to_be_visible()
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]').getBoundingClientRect().right <= 0")
    settle(page, '[data-testid="stMainBlockContainer"]')


def settle(page: Page, selector: str, timeout_s: float = 10.0) -> None:
    """Wait until an element has stopped moving (the main block slides over as the sidebar's transition ends):
    its box the same in two looks 150 ms apart."""
    look = f"() => {{ const r = document.querySelector('{selector}').getBoundingClientRect(); return [r.left, r.width]; }}"
    before = page.evaluate(look)
    for _ in range(int(timeout_s / 0.15)):
        page.wait_for_timeout(150)
        now = page.evaluate(look)
        if now == before:
            return
        before = now


def next_slide(page: Page) -> bool:
    """Press the page's 다음 (next) button and wait for the new slide; False on the last slide."""
    button = page.locator(".st-key-slide_next button")
    if not button.is_enabled():
        return False
    before = page.locator('[data-testid="stMain"] h2').first.inner_text()
    button.click()
    page.wait_for_function("(before) => document.querySelector('[data-testid=\"stMain\"] h2')?.innerText !== before",
                           arg=before, timeout=RUN_TIMEOUT_MS)
    wait_for_app(page, None)
    return True


@pytest.mark.parametrize("lang", ["한국어", ENGLISH])
def test_briefing_page_fits_a_projector(page: Page, server_url: str, lang: str) -> None:
    """At 1366x768 with the sidebar collapsed, scrolled to the slide's buttons, every slide shows its title, its cards
    and the top of its chart (all of a chart that fits under the cards) without anything cut off: no card label or
    value ends in '…' and the chart stays inside the page's width."""
    page.set_viewport_size(PROJECTOR)
    target = app_page("Briefing")
    page.goto(f"{server_url}{target.path}?lang={lang}")
    wait_for_app(page, True, translate(target.title or "", lang))
    collapse_sidebar(page)
    seen = 0
    while True:
        page.wait_for_function("() => document.querySelector('[data-testid=stMain] .ydp-card')")
        wait_for_app(page, None)
        page.evaluate("""() => { const nav = document.querySelector('.st-key-slide_prev');
            const top = document.querySelector('[data-testid="stHeader"]').getBoundingClientRect().bottom;
            document.querySelector('[data-testid="stMain"]').scrollBy(0, nav.getBoundingClientRect().top - top - 8); }""")
        b = page.evaluate(SLIDE_BOXES)
        name = page.locator('[data-testid="stMain"] h2').first.inner_text()
        assert len(b["title"]) == 1 and b["title"][0]["top"] >= b["header"] and b["title"][0]["bottom"] < b["height"], name
        assert b["cards"] and all(c["top"] >= b["header"] and c["bottom"] <= b["height"] for c in b["cards"]), (name, b)
        assert b["cards"][0]["left"] < 120, "the sidebar is collapsed: the slide takes the screen's width"
        assert all(c["left"] >= b["main"]["left"] - 1 and c["right"] <= b["main"]["right"] + 1 for c in b["cards"]), name
        if b["charts"]:
            (chart,) = b["charts"]
            room = b["height"] - max(c["bottom"] for c in b["cards"]) - 20  # under the cards, less the gap
            assert chart["top"] < b["height"] - min(200, chart["bottom"] - chart["top"]), (name, b)
            assert chart["bottom"] - chart["top"] > room or chart["bottom"] <= b["height"], (name, b)
            assert chart["left"] >= b["main"]["left"] - 1 and chart["right"] <= b["main"]["right"] + 1, (name, b)
        assert page.evaluate(TRUNCATED) == [], name
        seen += 1
        if not next_slide(page):
            break
    assert seen == 7
    assert page.console_errors == [] and page.external_requests == []  # type: ignore[attr-defined]


# --- 3. English cards fit at 1366x768 ------------------------------------------------------------------
@pytest.mark.parametrize("app", PAGES, ids=[p.name for p in PAGES])
def test_english_cards_are_never_cut_off(page: Page, server_url: str, app: AppPage) -> None:
    """In English at 1366x768 (sidebar open), with every section open, no card's label, value or change is wider
    than its box (Streamlit cuts it off with '…'); on the Briefing page on every slide."""
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{server_url}{app.path}?lang={ENGLISH}")
    wait_for_app(page, app.charts, translate(app.title or "", ENGLISH))
    for key in app.sections:
        if page.locator(f".st-key-section_{key}").count():
            open_section(page, key)
    found = page.evaluate(TRUNCATED)
    while app.name.endswith("Briefing") and next_slide(page):
        found += page.evaluate(TRUNCATED)
    assert found == []


# --- a figure on a card is never broken across lines, however narrow the card -------------------------------------
VALUE_LINES = """() => Array.from(document.querySelectorAll('.ydp-card-value')).map(e => {
    const range = document.createRange(); range.selectNodeContents(e);
    const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
    return {text: e.textContent, lines: tops.size, cut: e.scrollWidth > e.clientWidth};
})"""


@pytest.mark.parametrize("lang", ["한국어", ENGLISH])
@pytest.mark.parametrize("app", [p for p in PAGES if p.path == "/" or p.name.endswith("Jobs")],
                         ids=lambda p: p.name)
def test_card_figures_stay_on_one_line_on_a_narrow_laptop(page: Page, server_url: str, app: AppPage,
                                                         lang: str) -> None:
    """At 1024x768 with the sidebar open four cards share 560 px: '7,113,947' (천원) is on one line and whole in its
    card, never '7,113,94' over '7' (the value's font follows the card's width)."""
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{server_url}{app.path}?lang={lang}")
    wait_for_app(page, app.charts, translate(app.title or "", lang))
    values = page.evaluate(VALUE_LINES)
    assert any(v["text"] == "7,113,947" for v in values) or app.path != "/", values
    assert [v for v in values if v["lines"] != 1 or v["cut"]] == []


# --- 4. a phone ------------------------------------------------------------------------------------------
PLOTS = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).map(p => {
    const svg = p.querySelector('.main-svg'); const r = (svg || p).getBoundingClientRect();
    return {title: p.querySelector('.gtitle')?.textContent ?? '', drawn: !!svg,
            left: r.left, right: r.right, width: r.width, height: r.height};
})"""


@pytest.fixture()
def phone(browser: Browser) -> Iterator[Page]:
    """A 390x844 touch screen; requests to another host than the app's are collected in page.outside."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ko-KR")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.errors = errors  # type: ignore[attr-defined]
    try:
        yield tab
    finally:
        context.close()


@pytest.mark.parametrize("app", PAGES, ids=[p.name for p in PAGES])
def test_every_page_works_on_a_phone(phone: Page, server_url: str, app: AppPage) -> None:
    """On a 390x844 phone, every section open: each chart is drawn at least 300x200 and inside the screen's width,
    and the sidebar's button opens the filters."""
    phone.goto(server_url + app.path)
    wait_for_app(phone, app.charts, app.title)
    for key in app.sections:
        if phone.locator(f".st-key-section_{key}").count():
            open_section(phone, key)
    plots: list[dict[str, Any]] = phone.evaluate(PLOTS)
    assert bool(plots) == app.charts
    width = PHONE["width"]
    small = [p for p in plots if not (p["drawn"] and p["width"] >= 300 and p["height"] >= 200)]
    outside = [p for p in plots if p["left"] < 0 or p["right"] > width]
    assert (small, outside) == ([], [])
    toggle = phone.locator('[data-testid="stExpandSidebarButton"]')
    expect(toggle).to_be_visible()
    toggle.click()
    expect(phone.locator('[data-testid="stSidebar"] .st-key-team')).to_be_in_viewport()
    assert phone.errors == []  # type: ignore[attr-defined]
