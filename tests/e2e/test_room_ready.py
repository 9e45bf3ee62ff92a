"""Room-ready, in headless Chromium against the real server: the sidebar's unit and language controls always show
their choice, the open sections survive a language switch, the page says its language, Korean never breaks inside
a word (app, briefing HTML and PDF), Ctrl+P prints the content alone, a chart offers full screen only where the
window holds it, the JavaScript comes compressed, and axe-core finds no colour-contrast or heading-order problem on
any page.

axe-core comes from the npm registry (`npm install --prefix .cache/npm axe-core`, which .ci/run does); YDP_AXE names
another axe.min.js.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.test_browser import PAGES, RUN_TIMEOUT_MS, TEAM_SECTION, AppPage, open_page, open_section, wait_for_app
from ydp_data import briefing, serving
from ydp_data.db import Database
from ydp_data.filters import Filters
from ydp_data.i18n import ENGLISH, translate

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("YDP_AXE", ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"))
REPORT_ID = "ydp-jobs-2023-05"
WALK = ("Jobs", "Social_economy", "Organisation", "Data", "overview")  # page names end so; the overview last
FIRST_SECTION = "execution"  # the overview's section that opens by itself


def app_page(ending: str) -> AppPage:
    """The discovered page whose name ends so ('overview' for the overview)."""
    return next(p for p in PAGES if p.name.endswith(ending))


def follow_link(page: Page, server_url: str, target: AppPage, lang: str = "한국어") -> None:
    """Click target's link in the sidebar (ui._navigation) and wait until it is drawn, its title in lang."""
    links = page.locator('[data-testid="stPageLink-NavLink"]')
    expect(links).to_have_count(len(PAGES), timeout=RUN_TIMEOUT_MS)
    paths = [unquote(h) for h in links.evaluate_all("links => links.map(a => a.pathname)")]
    # the overview's link comes first; its href is "" (the current address, whichever page that is)
    links.nth(0 if target is PAGES[0] else paths.index(unquote(target.path))).click()
    page.wait_for_url(re.compile(re.escape(server_url + target.path) + r"/?(\?.*)?$"), timeout=RUN_TIMEOUT_MS)
    wait_for_app(page, target.charts, translate(target.title or "", lang) or None)


def chosen(page: Page, key: str) -> Locator:
    """The checked options of the sidebar's segmented control with this key (Streamlit marks them aria-checked)."""
    return page.locator(f'[data-testid="stSidebar"] .st-key-{key} button[aria-checked="true"]')


def choose(page: Page, key: str, option: str) -> None:
    """Click an option of a sidebar segmented control and wait for the rerun it starts."""
    page.locator(f'[data-testid="stSidebar"] .st-key-{key} button', has_text=option).click()
    expect(chosen(page, key)).to_have_text([option], timeout=RUN_TIMEOUT_MS)
    wait_for_app(page, None)


def open_every_section(page: Page, app_page: AppPage) -> None:
    """Open every section the page draws (some are drawn only for some data, e.g. three or more reports)."""
    for key in app_page.sections:
        box = page.locator(f".st-key-section_{key}")
        if not box.count():
            continue
        if not app_page.charts:  # test_browser.open_section waits for charts: a page of tables has none
            content = box.locator('[data-testid="stExpanderDetails"] [data-testid="stElementContainer"]').first
            if not content.is_visible():
                box.locator("summary").first.click()
            content.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
            wait_for_app(page, None)
        else:
            open_section(page, key)
    # an opening expander is clipped to a growing height for a moment: wait until every one is fully open
    page.wait_for_function("() => !document.querySelector('details[style*=\"height\"]')", timeout=RUN_TIMEOUT_MS)


def section_open(page: Page, key: str) -> bool:
    """Whether the section with this key is open (its <details> element)."""
    return bool(page.locator(f".st-key-section_{key} details").first.evaluate("d => d.open"))


def html_lang(page: Page) -> str:
    """The page's language as the browser has it: <html lang>."""
    return str(page.evaluate("() => document.documentElement.lang"))


# --- 1. the sidebar's choices, on every page change ---------------------------------------------
def test_unit_and_language_show_their_choice_after_every_page_change(page: Page, server_url: str) -> None:
    """Walking the sidebar links twice with the default filters, then once more with 억원 and English chosen, both
    controls show exactly their choice on every page (they showed none on every second change)."""
    open_page(page, server_url + "/", None, PAGES[0].title)
    seen: list[tuple[str, list[str], list[str]]] = []
    expected: list[tuple[str, list[str], list[str]]] = []
    for unit, lang, rounds in (("천원", "한국어", 2), ("억원", ENGLISH, 1)):
        if unit != "천원":
            choose(page, "unit", unit)
            choose(page, "lang", lang)
        for ending in WALK * rounds:
            follow_link(page, server_url, app_page(ending), lang)  # the run is over: what they show now stays
            seen.append((ending, chosen(page, "unit").all_inner_texts(), chosen(page, "lang").all_inner_texts()))
            expected.append((ending, [unit], [lang]))
    assert seen == expected
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_switching_language_keeps_the_open_sections_open(page: Page, server_url: str) -> None:
    """A section's title is in the chosen language; switching the language keeps open what was open and closed what
    was closed."""
    open_page(page, server_url + "/", True, PAGES[0].title)
    open_section(page, TEAM_SECTION)
    assert section_open(page, FIRST_SECTION) and section_open(page, TEAM_SECTION)
    choose(page, "lang", ENGLISH)
    wait_for_app(page, True, translate(PAGES[0].title or "", ENGLISH))
    assert (section_open(page, FIRST_SECTION), section_open(page, TEAM_SECTION)) == (True, True)

    page.locator(f".st-key-section_{FIRST_SECTION} summary").first.click()  # closed by the reader
    page.wait_for_function(f"() => !document.querySelector('.st-key-section_{FIRST_SECTION} details').open")
    wait_for_app(page, True)
    choose(page, "lang", "한국어")
    wait_for_app(page, True, PAGES[0].title)
    assert (section_open(page, FIRST_SECTION), section_open(page, TEAM_SECTION)) == (False, True)
    assert page.console_errors == []  # type: ignore[attr-defined]


# --- 3. the page says its language ----------------------------------------------------------------
def test_page_says_its_language(page: Page, server_url: str) -> None:
    """<html lang> is "ko" as served and drawn, "en" once English is chosen (also on the next page and in a link that
    names English), and "ko" again when Korean is chosen back."""
    html = urllib.request.urlopen(server_url + "/", timeout=10).read().decode()
    assert re.search(r"<html[^>]*\blang=\"ko\"", html), "the served page HTML says Korean"
    open_page(page, server_url + "/", None, PAGES[0].title)
    assert html_lang(page) == "ko"
    choose(page, "lang", ENGLISH)
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=RUN_TIMEOUT_MS)
    follow_link(page, server_url, app_page("Jobs"), ENGLISH)
    assert html_lang(page) == "en"
    choose(page, "lang", "한국어")
    page.wait_for_function("() => document.documentElement.lang === 'ko'", timeout=RUN_TIMEOUT_MS)

    open_page(page, server_url + "/?lang=English", None, translate(PAGES[0].title or "", ENGLISH))
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=RUN_TIMEOUT_MS)
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]


def test_what_a_figure_is_shows_on_its_card(page: Page, server_url: str) -> None:
    """A card's help (what its figure is) is on the card, read the same on a projector, a phone or by keyboard: the
    overview's 연중 경과율 says how it is counted under its value (a `title` shows only under a mouse)."""
    open_page(page, server_url + "/", None, PAGES[0].title)
    card = page.locator(".ydp-card").filter(has=page.locator(".ydp-card-label", has_text="연중 경과율"))
    expect(card).to_have_count(1, timeout=RUN_TIMEOUT_MS)
    help_text = card.locator(".ydp-card-help")
    expect(help_text).to_be_visible()
    assert help_text.inner_text() == "기준일까지 지난 날 ÷ 그해의 날 수"
    assert help_text.evaluate("e => getComputedStyle(e).wordBreak") == "keep-all"
    boxes = card.evaluate("""c => ['.ydp-card-value', '.ydp-card-help'].map(s => c.querySelector(s).getBoundingClientRect())
        .map(r => [r.top, r.bottom])""")
    assert boxes[1][0] >= boxes[0][1] - 1, "under the value"
    assert page.locator("[data-testid='stMain'] .ydp-cards [title]").count() == 0
    # its row's box keeps the help's line too until the row is drawn (page_frame.PAGE_CSS): 124 + 21 px
    row = page.locator('[class*="st-key-card_row_noted_helped_"]').first
    assert row.evaluate("e => getComputedStyle(e).minHeight") == "145px"


def full_screen_offered(page: Page, key: str) -> bool:
    """Whether the chart with this key offers full screen once the pointer is on it (its modebar's button shown)."""
    page.mouse.move(0, 0)
    page.locator(f".st-key-{key} .js-plotly-plot").first.hover()
    expect(page.locator(f".st-key-{key} .modebar-btn[data-title='Zoom in']").first).to_be_visible()
    return page.locator(f".st-key-{key} .modebar-btn[data-title='Fullscreen']").first.is_visible()


def test_full_screen_only_for_a_chart_the_window_holds(page: Page, server_url: str) -> None:
    """Full screen draws a chart at the window's height less 58 px: the Plans timeline (2,380 px) squeezed so on a
    1366x768 projector put its activities' names on other rows' bars, so it offers no full screen there; the
    overview's execution chart (698 px) still does, and so does the timeline in a window that holds it."""
    page.set_viewport_size({"width": 1366, "height": 768})
    plans = app_page("Plans")
    open_page(page, server_url + plans.path, plans.charts, plans.title)
    assert page.locator(".st-key-chart_plans_timeline svg.main-svg").first.get_attribute("height") == "2380"
    assert not full_screen_offered(page, "chart_plans_timeline")
    page.set_viewport_size({"width": 1366, "height": 2400})  # 0.95 x 2,380 + 58 = 2,319 px
    assert full_screen_offered(page, "chart_plans_timeline")
    page.set_viewport_size({"width": 1366, "height": 768})
    open_page(page, server_url + "/", PAGES[0].charts, PAGES[0].title)
    assert full_screen_offered(page, "chart_program_execution")
    assert page.console_errors == []  # type: ignore[attr-defined]


# --- 4. Korean never breaks inside a word -------------------------------------------------------------
WORD_BREAK = """(selector) => Array.from(document.querySelectorAll(selector))
    .map(e => [e.getAttribute('data-testid') || e.className || e.tagName, getComputedStyle(e).wordBreak])"""


def test_app_text_breaks_between_words(page: Page, server_url: str) -> None:
    """Captions, Markdown, the cards' labels and notes and the page's title keep Korean words whole (CSS word-break:
    keep-all)."""
    target = app_page("Jobs")
    open_page(page, server_url + target.path, target.charts, target.title)
    found = page.evaluate(WORD_BREAK, '[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"], '
                                      '[data-testid="stMarkdownContainer"] p, [data-testid="stMain"] h1, '
                                      '.ydp-card-label, .ydp-card-note')
    kinds = {kind for kind, _ in found}
    assert {"stCaptionContainer", "stMarkdownContainer", "ydp-card-label", "ydp-card-note"} <= kinds, kinds
    assert [f for f in found if f[1] != "keep-all"] == []


@pytest.fixture(scope="module")
def briefing_html(db_path: Path) -> str:
    """The default briefing's HTML file, as the Briefing page hands it out."""
    db = Database(db_path)
    f = Filters(REPORT_ID)
    return briefing.briefing_html(briefing.build_slides(db, f, "천원"), briefing.build_meta(db, f, "천원"))


def test_briefing_html_breaks_between_words(page: Page, briefing_html: str, tmp_path: Path) -> None:
    """In the briefing file, on screen and as printed, every line of Korean ends between two words."""
    path = tmp_path / "briefing.html"
    path.write_text(briefing_html, encoding="utf-8")
    page.goto(path.as_uri())
    found = page.evaluate(WORD_BREAK, "h1, .subtitle, .card .label, .card .help, .text li, .note, footer span")
    assert found and [f for f in found if f[1] != "keep-all"] == []
    page.emulate_media(media="print")
    broken = page.evaluate(BROKEN_WORDS, ".text li, .note, .subtitle, .card .help")
    assert broken == []
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []  # its colours and headings too


# Where a line of laid-out text ends: the two characters on either side of each line break (Range rects); a line
# that ends inside a word has letters on both sides
BROKEN_WORDS = """(selector) => {
    const broken = [];
    for (const element of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        let previous = null;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                const range = document.createRange();
                range.setStart(node, i); range.setEnd(node, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect) continue;
                const here = {ch: node.data[i], top: rect.top, height: rect.height};
                if (previous && here.top > previous.top + previous.height / 2
                    && /[\\p{L}\\p{N}]/u.test(previous.ch) && /[\\p{L}\\p{N}]/u.test(here.ch)) {
                    broken.push(element.textContent.slice(0, 40) + ': ' + previous.ch + '|' + here.ch);
                }
                if (!/\\s/.test(here.ch)) previous = here;
                else previous = null;
            }
        }
    }
    return broken;
}"""


def pdf_line_breaks_inside_words(text: str, words: set[str]) -> list[str]:
    """Line breaks of pdftotext's text that split one of these words: the end of a line and the start of the next
    together make one of them, and are not both words of their own."""
    lines = [line.split() for line in text.splitlines()]
    found = []
    for before, after in zip(lines, lines[1:], strict=False):
        if before and after:
            end, start = before[-1], after[0]
            if end + start in words and not (end in words and start in words):
                found.append(f"{end}|{start}")
    return found


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_briefing_pdf_breaks_between_words(briefing_html: str, db_path: Path, tmp_path: Path) -> None:
    """The PDF, printed by Chromium from the briefing HTML, never splits a Korean word of the slides across lines
    (it printed '높습니/다')."""
    if not briefing.chromium_available():
        pytest.skip("Chromium is not installed")
    db = Database(db_path)
    slides = briefing.build_slides(db, Filters(REPORT_ID), "천원")
    words = {w for s in slides for text in (*s.findings, *s.notes, s.subtitle) for w in text.split()}
    path = tmp_path / "briefing.pdf"
    path.write_bytes(briefing.briefing_pdf(briefing_html))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "높습니다." in text.split() or "낮습니다." in text.split()  # the test reads the slides' words
    assert pdf_line_breaks_inside_words(text, words) == []


def test_pdf_line_break_finder() -> None:
    """The finder above finds a split word and passes a break between two words."""
    words = {"3.8%p", "높습니다.", "경과율보다", "지원"}
    assert pdf_line_breaks_inside_words("경과율보다 3.8%p 높습니\n다.\nx", words) == ["높습니|다."]
    assert pdf_line_breaks_inside_words("경과율보다\n3.8%p 높습니다.\n지\n원", words) == ["지|원"]
    assert pdf_line_breaks_inside_words("경과율보다\n3.8%p", words) == []


# --- 5. print ----------------------------------------------------------------------------------------
PRINT_BOXES = """() => {
    const box = s => { const e = document.querySelector(s); if (!e) return null;
                       const r = e.getBoundingClientRect(); return {x: r.x, right: r.right, width: r.width}; };
    return {width: document.documentElement.clientWidth, main: box('[data-testid="stMainBlockContainer"]'),
            plots: Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).map(e => {
                const r = e.getBoundingClientRect(), svg = e.querySelector('.main-svg').getBoundingClientRect();
                return {right: r.right, svg: svg.right}; })};
}"""


@pytest.fixture()
def printable(page: Page, server_url: str) -> Iterator[Page]:
    """The overview with every section open."""
    overview = PAGES[0]
    open_page(page, server_url + "/", overview.charts, overview.title)
    open_every_section(page, overview)  # each fully open: printed while opening, a section cuts its charts
    yield page


def test_print_shows_the_content_alone(printable: Page) -> None:
    """Printed (print media), the page has no sidebar, header or download buttons, and the content spans the page."""
    page = printable
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
    page.emulate_media(media="print")
    for hidden in ('[data-testid="stSidebar"]', '[data-testid="stHeader"]', '[data-testid="stDownloadButton"]'):
        expect(page.locator(hidden).first).to_be_hidden()
    boxes = page.evaluate(PRINT_BOXES)
    assert boxes["main"]["x"] <= 0.02 * boxes["width"] and boxes["main"]["width"] >= 0.96 * boxes["width"], boxes
    assert boxes["plots"] and all(p["svg"] <= boxes["main"]["right"] + 1 for p in boxes["plots"]), boxes


CHART_TEXTS = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg'))
    .flatMap(svg => Array.from(svg.querySelectorAll('.xtick text, .ytick text, .legendtext, .gtitle')))
    .filter(t => t.getBoundingClientRect().width > 0)  // shown on screen (plotly keeps some ticks hidden)
    .flatMap(t => { const lines = t.querySelectorAll('tspan.line');  // a label drawn on two lines is two
                    return lines.length ? Array.from(lines, l => l.textContent) : [t.textContent]; })
    .map(t => t.trim()).filter(t => t)"""


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_printed_pdf_holds_every_chart_whole(printable: Page, tmp_path: Path) -> None:
    """Printed onto A4 paper as the screen shows it (Chromium's printing fires beforeprint and lays the page out for
    the paper without running the app again, as Ctrl+P does), the PDF holds every tick label, legend entry and title
    of every chart (a chart cut at the paper's edge lost its right-hand ticks) and not the sidebar."""
    page = printable
    texts = page.evaluate(CHART_TEXTS)
    assert len(texts) > 20
    path = tmp_path / "overview.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    printed = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
    words = set(printed.split())  # word by word: pdftotext may order the words of a chart otherwise than the SVG
    assert [t for t in texts if not set(t.split()) <= words] == []
    assert "필터 Filters" not in printed  # the sidebar's heading


# --- 2. compression ----------------------------------------------------------------------------------
def test_javascript_comes_compressed(page: Page, server_url: str) -> None:
    """`streamlit run dashboard.py` sends its JavaScript gzip-compressed to a browser that accepts it, several times
    smaller, and the websocket still carries the app (the page is drawn)."""
    html = urllib.request.urlopen(server_url + "/", timeout=10).read().decode()
    script = re.search(r'<script type="module"[^>]*src="\./(static/js/[^"]+\.js)"', html)
    assert script, "the page HTML names Streamlit's main script"
    request = urllib.request.Request(f"{server_url}/{script[1]}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        encoding, body = response.headers.get("Content-Encoding"), response.read()
    plain = urllib.request.urlopen(f"{server_url}/{script[1]}", timeout=10).read()
    assert encoding == "gzip"
    assert gzip.decompress(body) == plain
    assert len(body) * 3 < len(plain)

    encodings: dict[str, str | None] = {}
    page.on("response", lambda r: encodings.update({r.url: r.headers.get("content-encoding")})
            if "/static/js/" in r.url else None)
    open_page(page, server_url + "/", True, PAGES[0].title)  # drawn: the websocket works through the middleware
    assert len(encodings) > 10
    plain_small = {url: len(urllib.request.urlopen(url, timeout=10).read()) for url, e in encodings.items() if e != "gzip"}
    assert {url: size for url, size in plain_small.items() if size >= serving.GZIP_MINIMUM_SIZE} == {}
    assert page.console_errors == []  # type: ignore[attr-defined]


# --- 6. contrast and headings -----------------------------------------------------------------------------
AXE_RUN = """async () => {
    const result = await axe.run(document, {runOnly: ['color-contrast', 'heading-order']});
    return result.violations.flatMap(v => v.nodes.map(n => v.id + ' ' + n.target.join(' ') + ': ' + n.html.slice(0, 120)
        + ' — ' + (n.failureSummary || '').split('\\n').slice(-1)[0].slice(0, 160)));
}"""


@pytest.mark.parametrize("app_page", PAGES, ids=[p.name for p in PAGES])
def test_axe_finds_no_contrast_or_heading_problem(page: Page, server_url: str, app_page: AppPage) -> None:
    """axe-core's color-contrast (WCAG AA, 4.5:1) and heading-order rules pass on every page, every section open,
    with the whole page in view (axe only judges the colours of what is on screen)."""
    assert AXE.is_file(), f"no axe-core at {AXE}: npm install --prefix .cache/npm axe-core (see .ci/run)"
    open_page(page, server_url + app_page.path, app_page.charts, app_page.title)
    open_every_section(page, app_page)
    viewport = page.viewport_size
    assert viewport is not None
    height = int(page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"))
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    wait_for_app(page, app_page.charts if app_page.charts else None)
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == []
