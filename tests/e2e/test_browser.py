"""End to end in headless Chromium: every page renders without errors, and the sidebar filters, the
shareable URL and the CSV downloads work as a director would use them.

Pages are discovered from the filesystem (dashboard.py plus pages/*.py), so a new page is covered without
editing this file. Full-page screenshots go to artifacts/screenshots/ for a human look.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.apptest_pages import section_keys
from ydp_data import publish

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
RUN_TIMEOUT_MS = 45_000
MAX_SCREENSHOT_HEIGHT = 16_000
TEAM_CHART_TITLE = "팀별 예산액·집행액"
TEAM_SECTION = "team_source"  # the overview's section that holds it
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class AppPage:
    """One page of the app: screenshot name, URL path (quoted), its title (h1) and whether it draws charts."""

    name: str
    path: str
    title: str | None
    charts: bool
    sections: tuple[str, ...] = ()

    @classmethod
    def of(cls, name: str, path: str, source: Path) -> AppPage:
        text = source.read_text(encoding="utf-8")
        title = re.search(r"ui\.page\(\s*\"([^\"]+)\"", text)
        return cls(name, path, title[1] if title else None, "ui.chart(" in text or "plotly_chart(" in text,
                   tuple(section_keys(source.relative_to(ROOT).as_posix())))


def _page_order(source: Path) -> tuple[int, str]:
    """Streamlit's order: by the leading number of the file name, then by name."""
    number = re.match(r"\d+", source.stem)
    return (int(number[0]) if number else 10**9, source.stem)


def discover_pages() -> list[AppPage]:
    """The overview and every pages/*.py, with the URL Streamlit gives it (leading 'N_' dropped)."""
    found = [AppPage.of("overview", "/", ROOT / "dashboard.py")]
    for source in sorted((ROOT / "pages").glob("*.py"), key=_page_order):
        if source.name == publish.PAGE_FILE:  # only where sign-in is configured: tests/e2e/test_publish_oidc.py
            continue
        name = re.sub(r"^\d+[_ -]*", "", source.stem)
        found.append(AppPage.of(name, "/" + quote(name.replace(" ", "_")), source))
    return found


PAGES = discover_pages()


APP_STATE = """(charts) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const plots = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
    const state = {
        script: app?.getAttribute('data-test-script-state') ?? null,
        connection: app?.getAttribute('data-test-connection-state') ?? null,
        stale: document.querySelectorAll('[data-testid="stElementContainer"][data-stale="true"]').length,
        plots: plots.length,
        drawn: plots.filter(p => p.querySelector('.js-plotly-plot .main-svg')).length,
        dataframes: document.querySelectorAll('[data-testid="stDataFrame"]').length,
        exceptions: document.querySelectorAll('[data-testid="stException"]').length,
    };
    state.done = state.script === 'notRunning' && state.connection === 'CONNECTED' && state.stale === 0
        && (charts === null || state.exceptions > 0
            || (charts ? state.plots > 0 && state.drawn === state.plots : state.dataframes > 0));
    return state;
}"""


def wait_for_app(page: Page, charts: bool | None, title: str | None = None) -> None:
    """Wait until the script run is over and the page is drawn: its title, Streamlit's own run state on stApp
    (data-test-script-state, the attribute Streamlit's e2e tests wait on) 'notRunning', no stale element, and
    every plotly chart drawn (plotly is loaded lazily and draws after the run), or the dataframes for a page
    without charts (charts=None: the run only). Call it once the new run has started (its title or its data
    is on the page)."""
    heading = page.locator('[data-testid="stMain"] h1').first
    if title:
        expect(heading).to_contain_text(title, timeout=RUN_TIMEOUT_MS)
    else:
        heading.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
    try:
        page.wait_for_function(f"(charts) => ({APP_STATE})(charts).done", arg=charts, timeout=RUN_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        pytest.fail(f"{page.url} not drawn after {RUN_TIMEOUT_MS / 1000:.0f} s: {page.evaluate(APP_STATE, charts)}")
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"exception on {page.url}: {exceptions.all_inner_texts()}"


def open_page(page: Page, url: str, charts: bool = True, title: str | None = None) -> None:
    page.goto(url)
    wait_for_app(page, charts, title)


def go_to(page: Page, server_url: str, app_page: AppPage) -> None:
    """Open app_page as a reader does: load the overview, then click the page in the sidebar navigation.

    test_deep_link_to_every_page covers the other way in, a link straight to the page.
    """
    if app_page.path == "/":
        open_page(page, server_url + "/", app_page.charts, app_page.title)
        return
    open_page(page, server_url + "/", None, PAGES[0].title)  # its run over; no need to wait for its charts
    links = page.locator('[data-testid="stPageLink-NavLink"]')
    expect(links).to_have_count(len(PAGES), timeout=RUN_TIMEOUT_MS)  # drawn at the end of the sidebar's run
    paths = [unquote(h) for h in links.evaluate_all("links => links.map(a => a.pathname)")]
    assert unquote(app_page.path) in paths, f"{app_page.name} is not in the sidebar navigation {paths}"
    links.nth(paths.index(unquote(app_page.path))).click()
    page.wait_for_url(re.compile(re.escape(server_url + app_page.path) + r"/?(\?.*)?$"))
    wait_for_app(page, app_page.charts, app_page.title)


def open_section(page: Page, key: str) -> None:
    """Click a section's title, as a reader does, and wait until its content is drawn (a closed section is
    empty: the page draws its charts only once it is open)."""
    box = page.locator(f".st-key-section_{key}")
    content = box.locator('[data-testid="stExpanderDetails"] [data-testid="stElementContainer"]').first
    if not content.is_visible():
        summary = box.locator("summary").first
        summary.click()
        try:
            content.wait_for(state="visible", timeout=RUN_TIMEOUT_MS // 3)
        except PlaywrightTimeoutError:
            # on a loaded machine a click that lands while the page's previous run is being replaced can be lost:
            # the section is still closed (not merely slow to draw), so click again as a reader would
            if box.locator("details").first.get_attribute("open") is None:
                summary.click()
    content.wait_for(state="visible", timeout=RUN_TIMEOUT_MS)
    wait_for_app(page, charts=True)


def plot_data(page: Page, title: str) -> list[dict[str, Any]]:
    """The traces (name, x, y) of the plotly chart with this title, read from the chart's DOM node once it is
    there (plotly draws after the script run; a busy machine can be a moment late)."""
    finder = """(title) => {
            const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
            const i = plots.findIndex(p => (p.layout?.title?.text ?? '').includes(title) && p.data);
            if (i < 0) return null;
            return plots[i].data.map(t => ({name: t.name, x: Array.from(t.x), y: Array.from(t.y)}));
        }"""
    try:
        data = page.wait_for_function(finder, arg=title, timeout=RUN_TIMEOUT_MS).json_value()
    except PlaywrightTimeoutError:
        data = None
    if data is None:
        titles = page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => p.layout?.title?.text)")
        pytest.fail(f"no chart titled {title!r} on {page.url}; charts: {titles}; state: {page.evaluate(APP_STATE, True)}")
    return list(data)


def full_page_screenshot(page: Page, path: Path) -> None:
    """Screenshot the whole app: Streamlit scrolls inside stMain, so the viewport is grown to its height."""
    path.parent.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    assert viewport is not None
    height = int(page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0"))
    page.set_viewport_size({"width": viewport["width"],
                            "height": min(max(height, viewport["height"]), MAX_SCREENSHOT_HEIGHT)})
    page.wait_for_timeout(400)  # let plotly's responsive relayout settle
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


def metric_amount(page: Page, *words: str) -> tuple[str, str]:
    """(number, money unit) shown by the one headline card whose label has all these words; the unit may be
    written after the number ('200,500천원') or in the label ('예산액(천원) 주요사업')."""
    found: list[tuple[str, str]] = []
    for card in page.locator('.ydp-card').all():
        label = card.locator('.ydp-card-label').inner_text().strip()
        if all(w in label for w in words):
            found.append((label, card.locator('.ydp-card-value').inner_text().strip()))
    assert len(found) == 1, f"metrics labelled {words}: {found}"
    label, value = found[0]
    number = re.match(r"[△-]?[\d,]+(\.\d+)?", value)
    assert number, f"no number in metric {label!r}: {value!r}"
    units = [u for u in ("백만원", "천원", "억원") if u in value[number.end():] or re.search(rf"[(,\s]{u}\)", label)]
    assert len(units) == 1, f"no single money unit in metric {label!r}: {value!r}"
    return number[0], units[0]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- every page ---------------------------------------------------------------------------------
def test_pages_discovered() -> None:
    assert len(PAGES) >= 2 and PAGES[0].name == "overview"
    assert any(not p.charts for p in PAGES), "the Data page shows only tables"


@pytest.mark.parametrize("app_page", PAGES, ids=[p.name for p in PAGES])
def test_page_renders(page: Page, server_url: str, app_page: AppPage) -> None:
    try:
        go_to(page, server_url, app_page)
        first = page.locator('[data-testid="stPlotlyChart"]').count()
        for key in app_page.sections:  # every section opened and drawn, so the screenshot shows the whole page
            open_section(page, key)
        assert page.locator('[data-testid="stPlotlyChart"]').count() >= first
    finally:  # also when the page fails, to see what broke
        full_page_screenshot(page, SCREENSHOTS / f"{app_page.name}.png")
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]  # it must work on an offline network
    if app_page.charts:
        charts = page.locator('[data-testid="stPlotlyChart"]').count()
        downloads = page.locator('[data-testid="stDownloadButton"]').count()
        assert downloads >= charts > 0, "every chart has a CSV download under it"
    if app_page.path == "/":  # the sidebar lists exactly the discovered pages, in order
        hrefs = page.locator('[data-testid="stPageLink-NavLink"]').evaluate_all("links => links.map(a => a.pathname)")
        assert [unquote(h) for h in hrefs] == [unquote(p.path) for p in PAGES]


def test_deep_link_to_every_page(page: Page, server_url: str) -> None:
    """A link straight to any page opens that page at once: the page HTML names the server's base address
    (ydp_data.serving), so the frontend never probes <page>/_stcore/* first (two 404s in the console and a
    100 ms wait before it tried the root, streamlit/streamlit#7074)."""
    probes: list[str] = []
    page.on("request", lambda r: probes.append(r.url) if "/_stcore/" in urlsplit(r.url).path
            and not urlsplit(r.url).path.startswith("/_stcore/") else None)
    for target in PAGES[1:]:
        open_page(page, server_url + target.path, target.charts, target.title)
        assert page.locator('[data-testid="stException"]').count() == 0, target.name
    assert probes == []
    assert page.console_errors == []  # type: ignore[attr-defined]
    assert page.external_requests == []  # type: ignore[attr-defined]


def test_unknown_page_address_still_opens_the_dashboard(page: Page, server_url: str) -> None:
    """A mistyped page address is left to Streamlit as before (its probe finds the root, it opens the overview)."""
    open_page(page, server_url + "/" + quote("없는_페이지"), True, PAGES[0].title)
    assert page.locator('[data-testid="stException"]').count() == 0


BASE_URL_CASES = [  # (path, the base address the script names, or None: left to Streamlit's probe)
    ("/" + quote("일자리_Jobs"), "http://h/"),
    ("/" + quote("일자리_Jobs") + "/", "http://h/"),
    ("/ydp/" + quote("조직_Organisation"), "http://h/ydp/"),  # behind a proxy that serves the app under /ydp
    ("/", None),
    ("/ydp/", None),
    ("/" + quote("없는_페이지"), None),
    ("/%E0%A4%A", None),  # not valid percent-encoding
]


@pytest.mark.parametrize(("path", "expected"), BASE_URL_CASES, ids=[c[0] for c in BASE_URL_CASES])
def test_base_url_script(page: Page, server_url: str, path: str, expected: str | None) -> None:
    """The script the server adds to the page HTML, run against a given address (as Chromium runs it)."""
    html = urllib.request.urlopen(server_url + "/" + quote("일자리_Jobs"), timeout=10).read().decode()
    script = re.search(r"<head><script>(.*?)</script>", html, re.S)
    assert script, "the page HTML starts its <head> with the base-address script"
    page.goto(server_url + "/_stcore/health")
    found = page.evaluate("""([body, path]) => { const win = {};
        new Function('location', 'window', body)({pathname: path, origin: 'http://h'}, win);
        return win.__streamlit ? win.__streamlit.BACKEND_BASE_URL : null; }""", [script[1], path])
    assert found == expected


# --- filters ------------------------------------------------------------------------------------
def test_team_filter_changes_chart_and_url(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/")
    open_section(page, TEAM_SECTION)
    before = plot_data(page, TEAM_CHART_TITLE)
    assert [t["y"] for t in before] == [["일자리사업팀", "상생기업팀", "청년지원팀"]] * 2

    page.get_by_role("combobox", name="팀 Team").click()
    page.get_by_role("option", name="청년지원팀", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        """(title) => {
            const p = Array.from(document.querySelectorAll('.js-plotly-plot'))
                .find(p => (p.layout?.title?.text ?? '').includes(title));
            return p && p.data[0].y.length === 1;
        }""", arg=TEAM_CHART_TITLE, timeout=RUN_TIMEOUT_MS)
    wait_for_app(page, charts=True)

    after = plot_data(page, TEAM_CHART_TITLE)
    assert after != before
    assert [(t["name"], t["y"], t["x"]) for t in after] == [("예산액", ["청년지원팀"], [881580]),
                                                           ("집행액", ["청년지원팀"], [539055])]
    assert query_of(page.url).get("team") == ["청년지원팀"]
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_copied_url_restores_filters(page: Page, server_url: str) -> None:
    """A link copied from someone else's browser, opened in a fresh context, shows the same filtered view."""
    open_page(page, f"{server_url}/?team={quote('청년지원팀')}&source={quote('국비')}")

    team = page.locator('[data-testid="stSidebar"] .st-key-team')
    expect(team.locator("[data-tag]")).to_have_count(1)
    expect(team.locator("[data-tag]")).to_have_attribute("aria-label", "청년지원팀")
    pills = page.locator('[data-testid="stSidebar"] .st-key-source button[aria-pressed]')
    pressed = [b.inner_text().strip() for b in pills.all() if b.get_attribute("aria-pressed") == "true"]
    assert pressed == ["국비"]

    assert metric_amount(page, "예산액", "주요사업") == ("200,500", "천원")
    assert metric_amount(page, "예산액", "과 전체") == ("7,113,947", "천원")  # the division's total has no team or source
    open_section(page, TEAM_SECTION)
    assert [(t["name"], t["y"]) for t in plot_data(page, TEAM_CHART_TITLE)] == [("예산액", ["청년지원팀"]),
                                                                              ("집행액", ["청년지원팀"])]
    assert query_of(page.url) == {"team": ["청년지원팀"], "source": ["국비"]}
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_filters_kept_across_pages(page: Page, server_url: str) -> None:
    """Following a sidebar page link keeps the filters (widgets and URL), as the sidebar says."""
    target = next(p for p in PAGES if p.name.endswith("Youth"))
    open_page(page, f"{server_url}/?team={quote('청년지원팀')}&unit={quote('백만원')}")
    links = page.locator('[data-testid="stPageLink-NavLink"]')
    expect(links).to_have_count(len(PAGES), timeout=RUN_TIMEOUT_MS)
    paths = [unquote(h) for h in links.evaluate_all("links => links.map(a => a.pathname)")]
    links.nth(paths.index(unquote(target.path))).click()
    page.wait_for_url(re.compile(re.escape(server_url + target.path)))
    wait_for_app(page, target.charts, target.title)
    assert query_of(page.url) == {"team": ["청년지원팀"], "unit": ["백만원"]}
    expect(page.locator('[data-testid="stSidebar"] .st-key-team [data-tag]')).to_have_attribute("aria-label", "청년지원팀")


# --- downloads ----------------------------------------------------------------------------------
def test_csv_download_matches_filter(page: Page, server_url: str) -> None:
    open_page(page, f"{server_url}/?source={quote('국비')}")
    open_section(page, TEAM_SECTION)
    button = page.locator(".st-key-dl_budget_by_source").get_by_role("button", name=re.compile("CSV"))
    with page.expect_download(timeout=RUN_TIMEOUT_MS) as caught:  # the click reruns the page first (busy CI: > 30 s)
        button.click()
    download = caught.value
    assert download.failure() is None
    assert download.suggested_filename == "ydp_budget_by_source_국비_2023-05-31.csv"  # the filter is in the name
    body = Path(download.path()).read_bytes()
    assert body.startswith(BOM)
    rows = list(csv.reader(io.StringIO(body[len(BOM):].decode("utf-8"), newline="")))
    assert rows == [["재원", "예산액(천원)", "집행액(천원)", "집행률(%)"], ["국비", "1089476", "446992", "41.0"]]
    assert page.console_errors == []  # type: ignore[attr-defined]
