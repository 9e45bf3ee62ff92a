"""Time to the last chart drawn in headless Chromium against real Streamlit servers, and after a filter change.

Rule for "last chart drawn" (bench/README.md): a MutationObserver installed before any page script records,
in the page's own clock (performance.now(), zero at navigation start), the last time the number of
`.js-plotly-plot .main-svg` changed or anything inside a `.js-plotly-plot` changed, and when the app's script
state (stApp's data-test-script-state) changed. A measurement is complete when the script state is
"notRunning" (not "initial": a run has finished), the Streamlit status widget is gone, at least as many
`.js-plotly-plot` are on the page as the page draws charts (known from AppTest, so that a lazily loaded plotly
bundle is waited for), and nothing of the above changed for 300 ms. Its time is the later of the last chart
change and the script state's last change, from navigation start (fresh, warm) or from the pointerdown on the
team option in the sidebar multiselect (filter change), or from the pointerdown on the title of a section that
is closed on arrival to its chart drawn (section open; pages draw a section's charts only once it is open).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
STABLE_MS = 300
POLL_S = 0.05
WAIT_S = 90.0

INIT_SCRIPT = r"""
(() => {
  const B = window.__bench = {plots: 0, lastPlot: 0, state: null, lastState: 0, states: [], status: false,
                              armed: false, t0: null};
  const scan = (mutations) => {
    const now = performance.now();
    const count = document.querySelectorAll('.js-plotly-plot .main-svg').length;
    if (count !== B.plots) { B.plots = count; B.lastPlot = now; }
    let plotted = false;
    for (const m of mutations) {
      // a run that started and ended between two callbacks leaves only records whose old value was 'running'
      if (m.attributeName === 'data-test-script-state' && (m.oldValue === 'running' || m.oldValue === 'rerunRequested')
          && B.state !== 'running') { B.states.push(['running', now]); }
      if (plotted) continue;
      const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (el && el.closest('.js-plotly-plot')) { B.lastPlot = now; plotted = true; }
    }
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app ? app.getAttribute('data-test-script-state') : null;
    if (state !== B.state) { B.state = state; B.lastState = now; B.states.push([state, now]); }
    B.status = !!document.querySelector('[data-testid="stStatusWidget"]');
  };
  new MutationObserver(scan).observe(document, {subtree: true, childList: true, attributes: true,
                                                attributeOldValue: true, characterData: true});
  document.addEventListener('pointerdown', () => {
    if (B.armed) { B.t0 = performance.now(); B.armed = false; }
  }, true);
})();
"""
PROBE = """() => ({...window.__bench, now: performance.now(),
  plotEls: document.querySelectorAll('.js-plotly-plot').length})"""


@dataclass(frozen=True)
class Target:
    """One page to load: where, how many charts it draws, and the team to pick for the filter change."""

    name: str
    url: str
    charts: int
    filter_team: str | None
    filter_charts: int
    exec_log: Path | None = None  # the server's log of script runs (bench.serve)
    section: str | None = None  # key of a section closed on arrival that draws a chart when opened


@dataclass
class Timing:
    """One measurement: total ms and its parts as the browser saw them."""

    total_ms: float
    to_run_ms: float  # until the script state first left notRunning/initial (connection, rerun request)
    script_ms: float  # from there until the script state last became notRunning
    tail_ms: float  # from the end of the script run to the last chart change
    server_ms: float = float("nan")  # the server's own time in the page script (bench.serve's log)


KINDS = ("fresh", "warm", "filter", "section")


@dataclass
class BrowserResult:
    """Every measurement of one page: fresh context, warm (second navigation) and filter change."""

    name: str
    fresh: list[Timing] = field(default_factory=list)
    warm: list[Timing] = field(default_factory=list)
    filter: list[Timing] = field(default_factory=list)
    section: list[Timing] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # "warm/framed_one_chart" -> this page's time over the reference's, one ratio per round (measure_paired)
    ratios: dict[str, list[float]] = field(default_factory=dict)

    def paired(self, kind: str, against: str) -> float:
        """Median over rounds of this page's time over the reference's in the same round (NaN if none)."""
        values = self.ratios.get(f"{kind}/{against}", [])
        return statistics.median(values) if values else float("nan")

    def spread(self, kind: str, against: str) -> str:
        """The least and the greatest of the rounds' ratios, e.g. '0.95–1.31' ('-' if none)."""
        values = self.ratios.get(f"{kind}/{against}", [])
        return f"{min(values):.2f}–{max(values):.2f}" if values else "-"

    def absorb(self, other: BrowserResult) -> None:
        """Add one round's measurements of the same target."""
        for kind in KINDS:
            getattr(self, kind).extend(getattr(other, kind))

    def median(self, kind: str, part: str = "total_ms") -> float:
        values = [getattr(t, part) for t in getattr(self, kind)]
        return statistics.median(values) if values else float("nan")


# --- servers ---------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def streamlit_server(script: str, env: dict[str, str], log: Path, exec_log: Path) -> Iterator[str]:
    """`streamlit run script` (via bench.serve, which logs each script run's time to exec_log) in its own
    process group on a free port; the whole group is killed on exit."""
    port = free_port()
    env = {**env, "BENCH_EXEC_LOG": str(exec_log)}
    cmd = [sys.executable, "-m", "bench.serve", script, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false"]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit server for {script} exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit server for {script} did not answer in 60 s")
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def page_url(base: str, script: str) -> str:
    """The URL of a page of the pages/ folder convention (main script at the root)."""
    from streamlit.source_util import page_icon_and_name

    if not script.startswith("pages/"):
        return base + "/"
    return f"{base}/{quote(page_icon_and_name(Path(script))[1])}"


SECTION_CALL = re.compile(r'ui\.section\(\s*"[^"]*",\s*"(\w+)"(.*?)\)')


def chart_section(script: str) -> str | None:
    """The first section of a page script that is closed on arrival (no first=True) and draws a chart."""
    source = (ROOT / script).read_text(encoding="utf-8")
    calls = list(SECTION_CALL.finditer(source))
    if not calls:
        return None
    for call, following in zip(calls, [*calls[1:], None], strict=True):
        block = source[call.end():following.start() if following else len(source)]
        if "first=True" not in call.group(2) and "ui.chart(" in block:
            return call.group(1)
    return None


# --- one page --------------------------------------------------------------------------------------------
def _wait(page: Any, min_plots: int, start: float, after: float | None = None) -> Timing:
    """Poll the page until the rule in the module docstring holds; times are from `start` (page clock)."""
    deadline = time.monotonic() + WAIT_S
    probe: dict[str, Any] = {}
    while time.monotonic() < deadline:
        probe = page.evaluate(PROBE)
        states = [(s, t) for s, t in probe["states"] if after is None or t >= after]
        # a rerun as quick as the reference page's can flip the state to running and back within one task, so
        # that the observer never sees it: a chart changed after the click also proves the rerun
        ran = (after is None or any(s in ("running", "rerunRequested") for s, _ in states)
               or probe["lastPlot"] >= after)
        last = max(probe["lastPlot"], probe["lastState"])
        if (ran and probe["state"] == "notRunning" and not probe["status"] and probe["plotEls"] >= min_plots
                and probe["now"] - last >= STABLE_MS):
            running = [t for s, t in states if s in ("running", "rerunRequested")]
            done = [t for s, t in states if s == "notRunning"]
            began = running[0] if running else start
            ended = done[-1] if done else last
            return Timing(last - start, began - start, ended - began, max(0.0, last - ended))
        time.sleep(POLL_S)
    raise TimeoutError(f"page not settled in {WAIT_S:.0f} s: {json.dumps(probe)[:500]}")


def _server_ms(log: Path | None, since: float, until: float) -> float:
    """Milliseconds the server spent running the page script between two wall-clock times."""
    if log is None or not log.exists():
        return float("nan")
    runs = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sum(r["ms"] for r in runs if since <= r["t"] <= until)


def _timed(log: Path | None, step: Callable[[], Timing]) -> Timing:
    since = time.time()
    timing = step()
    timing.server_ms = _server_ms(log, since, time.time())
    return timing


def _filter_change(page: Any, team: str, min_plots: int) -> Timing:
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    option = page.get_by_role("option", name=team, exact=True)
    option.wait_for(timeout=10_000)
    page.evaluate("() => { window.__bench.armed = true; window.__bench.t0 = null; }")
    option.click()
    t0 = page.evaluate("() => window.__bench.t0")
    if t0 is None:
        raise RuntimeError("the click on the team option was not seen")
    return _wait(page, min_plots, t0, after=t0)


def _open_section(page: Any, key: str, min_plots: int) -> Timing:
    summary = page.locator(f".st-key-section_{key} summary").first
    summary.wait_for(timeout=10_000)
    page.evaluate("() => { window.__bench.armed = true; window.__bench.t0 = null; }")
    summary.click()
    t0 = page.evaluate("() => window.__bench.t0")
    if t0 is None:
        raise RuntimeError(f"the click on section {key} was not seen")
    return _wait(page, min_plots, t0, after=t0)


def measure_section(browser: Any, target: Target, result: BrowserResult | None) -> None:
    """A fresh context: open the page (not timed), then click a closed section's title (timed to its chart)."""
    if not target.section:
        return
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        page.goto(target.url, wait_until="commit")
        _wait(page, target.charts, 0.0)
        opened = _timed(target.exec_log, lambda: _open_section(page, str(target.section), target.charts + 1))
        if result is not None:
            result.section.append(opened)
    finally:
        context.close()


def measure_once(browser: Any, target: Target, result: BrowserResult | None, fresh_only: bool = False) -> None:
    """Fresh context: navigate (fresh), navigate again (warm), pick a team (filter); record into result."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        def load() -> Timing:
            page.goto(target.url, wait_until="commit")
            return _wait(page, target.charts, 0.0)

        fresh = _timed(target.exec_log, load)
        if fresh_only:
            return
        warm = _timed(target.exec_log, load)
        team = target.filter_team
        chosen = _timed(target.exec_log, lambda: _filter_change(page, team, target.filter_charts)) if team else None
        if result is not None:
            result.fresh.append(fresh)
            result.warm.append(warm)
            if chosen is not None:
                result.filter.append(chosen)
    finally:
        context.close()


def measure(targets: list[Target], repeats: int, warmups: int = 1, light_warmup: bool = False) -> list[BrowserResult]:
    """Every target `warmups` times (discarded) then `repeats` times, in rotation, each in a fresh context.

    A light warm-up only loads each page once (the servers' first script runs: imports, cold caches).
    """
    from playwright.sync_api import sync_playwright

    results = {t.name: BrowserResult(t.name) for t in targets}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for rep in range(warmups + repeats):
                shift = rep % len(targets)
                for target in targets[shift:] + targets[:shift]:
                    res = results[target.name] if rep >= warmups else None
                    try:
                        measure_once(browser, target, res, fresh_only=light_warmup and rep < warmups)
                        if not (light_warmup and rep < warmups):
                            measure_section(browser, target, res)
                    except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                        results[target.name].errors.append(_failure(exc))
        finally:
            browser.close()
    return list(results.values())


# a page's measurement and the reference's it is divided by: a section opened against a filter change (both a click
# that ends in a chart drawn)
PAIRED = (("fresh", "fresh"), ("warm", "warm"), ("filter", "filter"), ("section", "filter"))


def _round_ratios(page: BrowserResult, round_of: dict[str, BrowserResult], references: list[Target]) -> None:
    """The page's time over each reference's, one round's measurements each (PAIRED)."""
    for ref in references:
        theirs = round_of[ref.name]
        for kind, base_kind in PAIRED:
            mine, base = getattr(round_of[page.name], kind), getattr(theirs, base_kind)
            if mine and base and base[0].total_ms > 0:
                page.ratios.setdefault(f"{kind}/{ref.name}", []).append(mine[0].total_ms / base[0].total_ms)


def _failure(exc: Exception) -> str:
    """A failed load as the report lists it."""
    return f"{type(exc).__name__}: {exc}"[:400]


def measure_paired(references: list[Target], pages: list[Target], repeats: int, warmups: int = 1,
                   light_warmup: bool = False) -> list[BrowserResult]:
    """Every target `warmups` times (discarded), then each page in a block of its own: `repeats` rounds of the
    references and the page, in rotation, each in a fresh context.

    Every ratio is taken within one round, seconds apart, and its median over rounds is the page's figure: on a
    shared machine whose speed drifts over minutes, a ratio of medians gathered across the whole run (12 targets a
    round, minutes apart) moved by up to ±0.4 between runs; a round's three loads see the same machine.
    A round in which any load fails is not counted; the failure is recorded against the target that failed.
    """
    from playwright.sync_api import sync_playwright

    results = {t.name: BrowserResult(t.name) for t in [*references, *pages]}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(warmups):
                for target in [*references, *pages]:
                    try:
                        measure_once(browser, target, None, fresh_only=light_warmup)
                    except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                        results[target.name].errors.append(_failure(exc))
            for page in pages:
                trio = [*references, page]
                for rep in range(repeats):
                    shift = rep % len(trio)
                    round_of = {t.name: BrowserResult(t.name) for t in trio}
                    failed = False
                    for target in trio[shift:] + trio[:shift]:
                        try:
                            measure_once(browser, target, round_of[target.name])
                            measure_section(browser, target, round_of[target.name])
                        except Exception as exc:  # noqa: BLE001 - recorded, the round is dropped
                            results[target.name].errors.append(_failure(exc))
                            failed = True
                            break
                    if failed:
                        continue
                    for name, got in round_of.items():
                        results[name].absorb(got)
                    _round_ratios(results[page.name], round_of, references)
        finally:
            browser.close()
    return list(results.values())
