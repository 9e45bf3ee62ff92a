"""Server-side rerun time of every page through streamlit.testing.v1.AppTest, and the part spent in ydp_data.

Runs in its own process (bench.run starts it with YDP_DB pointing at the database to measure), so that
Streamlit's process-wide caches never mix two databases. Prints nothing but writes one JSON file.

Timing: one AppTest per page, created as the app is used (AppTest.from_file("dashboard.py"), run, switch_page,
run); those first runs are discarded, then the same object's .run() is timed repeatedly, pages in rotation so
that drift on a shared machine spreads over all of them.

ydp_data time: timing wrappers on both sides (class Attribution): every ydp_data function the pages reach, and
every Streamlit API call; a ydp_data call's time less the Streamlit calls made inside it. Share = ydp_data
time / AppTest.run() wall time, per rerun, median over the reruns. See bench/README.md.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import json
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MAIN_SCRIPT = "dashboard.py"
REFERENCES = {"empty": "bench/reference_pages/empty.py", "one_chart": "bench/reference_pages/one_chart.py"}
TIMEOUT_S = 300.0
PROFILE_INTERVAL_S = 0.001


def page_files() -> list[str]:
    """The app's pages as the dashboard has them: the main script, then pages/*.py in Streamlit's order."""
    from streamlit.source_util import page_sort_key

    pages = sorted((ROOT / "pages").glob("*.py"), key=page_sort_key)
    return [MAIN_SCRIPT] + [str(p.relative_to(ROOT)) for p in pages]


# --- attribution: timing wrappers ----------------------------------------------------------------------
SKIP_MODULES = {"__main__", "cli"}  # command-line entry points, never reached from a page


def ydp_modules() -> list[str]:
    """Every module of the ydp_data package (found at run time, so a new module is wrapped too)."""
    import pkgutil

    import ydp_data

    return sorted(m.name for m in pkgutil.iter_modules(ydp_data.__path__) if m.name not in SKIP_MODULES)


ST_DECORATORS = {"cache_data", "cache_resource", "fragment", "dialog", "connection", "navigation", "Page", "App"}


class Attribution:
    """Times every call into ydp_data, less the Streamlit calls made inside it, with wrappers on both sides.

    Every function of the ydp_data modules is wrapped: the outermost ydp_data call's wall time
    counts, nested ydp_data calls do not count again. Every Streamlit API call (the st.* functions and the
    public methods of DeltaGenerator: st.plotly_chart, st.dataframe, columns' .caption, ...) is wrapped too,
    and the time of one made inside a ydp_data call is taken off that call. pandas, DuckDB and plotly work
    done by ydp_data code counts for ydp_data (queries, shaping, chart building, CSV bytes for downloads);
    what Streamlit does with the result (serialising the figure, the table) counts for Streamlit. Streamlit's
    cache (st.cache_data behind ydp_data.ui.query) is not an st.* call at run time, so a cache hit counts for
    ydp_data: it is how ydp_data gets its data.
    """

    def __init__(self) -> None:
        self.ydp_stack: list[list[float]] = []  # per open ydp_data call: [start, Streamlit time inside]
        self.st_depth = 0
        self.reset()

    def reset(self) -> None:
        self.ydp_s = 0.0
        self.st_s = 0.0
        self.calls = 0
        self.entries: dict[str, float] = defaultdict(float)  # outermost ydp_data calls, net seconds
        self.functions: dict[str, float] = defaultdict(float)  # every ydp_data function, net seconds, nested too

    def _ydp(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            frame = [time.perf_counter(), 0.0]
            self.ydp_stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                self.ydp_stack.pop()
                net = time.perf_counter() - frame[0] - frame[1]
                self.functions[name] += net
                if not self.ydp_stack:
                    self.ydp_s += net
                    self.entries[name] += net

        wrapper._bench_wrapper = True  # type: ignore[attr-defined]
        return wrapper

    def _st(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self.st_depth:
                return fn(*args, **kwargs)
            self.calls += 1
            self.st_depth += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.st_depth -= 1
                elapsed = time.perf_counter() - start
                self.st_s += elapsed
                for frame in self.ydp_stack:
                    frame[1] += elapsed

        return wrapper

    def install(self) -> None:
        import importlib

        import streamlit as st
        from streamlit.delta_generator import DeltaGenerator

        wrapped: dict[int, Callable[..., Any]] = {}
        # import every module before wrapping any: a module imported later would bind a wrapper by name
        modules = [importlib.import_module(f"ydp_data.{name}") for name in ydp_modules()]
        for module in modules:
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                home = fn.__module__ or ""
                if getattr(fn, "_bench_wrapper", False):
                    continue
                if home.startswith("ydp_data."):  # its own functions and those it imported by name
                    if id(fn) not in wrapped:
                        wrapped[id(fn)] = self._ydp(f"{home.removeprefix('ydp_data.')}.{fn.__name__}", fn)
                    setattr(module, name, wrapped[id(fn)])
        for name, member in inspect.getmembers(DeltaGenerator, inspect.isfunction):
            if not name.startswith("_"):
                setattr(DeltaGenerator, name, self._st(member))
        for name in dir(st):
            obj = getattr(st, name)
            if name.startswith("_") or name in ST_DECORATORS or inspect.isclass(obj):
                continue
            if inspect.ismethod(obj) or inspect.isfunction(obj):
                setattr(st, name, self._st(obj))


ATTRIBUTION = Attribution()


# --- hook into the script thread -------------------------------------------------------------------------
class _Hook:
    """Wraps Streamlit's exec of the page script: times it and, when asked, profiles it with pyinstrument."""

    def __init__(self) -> None:
        self.profile = False
        self.exec_s = 0.0
        self.sessions: list[Any] = []
        self._lock = threading.Lock()

    def reset(self, profile: bool) -> None:
        with self._lock:
            self.profile, self.exec_s, self.sessions = profile, 0.0, []

    def install(self) -> None:
        from streamlit.runtime.scriptrunner import script_runner

        original: Callable[..., Any] = script_runner.exec_func_with_error_handling

        def timed(func: Callable[[], Any], ctx: Any) -> Any:
            profiler = None
            if self.profile:
                from pyinstrument import Profiler

                profiler = Profiler(interval=PROFILE_INTERVAL_S, async_mode="disabled")
                profiler.start()
            start = time.perf_counter()
            try:
                return original(func, ctx)
            finally:
                elapsed = time.perf_counter() - start
                session = profiler.stop() if profiler is not None else None
                with self._lock:
                    self.exec_s += elapsed
                    if session is not None:
                        self.sessions.append(session)

        script_runner.exec_func_with_error_handling = timed  # type: ignore[assignment]


HOOK = _Hook()


# --- measurement -----------------------------------------------------------------------------------------
@dataclass
class PageResult:
    """What was measured for one page or reference; lists hold one value per timed warm rerun."""

    name: str
    script: str
    first_ms: float = 0.0
    runs_ms: list[float] = field(default_factory=list)  # AppTest.run() wall time
    exec_ms: list[float] = field(default_factory=list)  # the script's exec in the script thread
    ydp_ms: list[float] = field(default_factory=list)  # ydp_data calls less the Streamlit calls inside them
    st_ms: list[float] = field(default_factory=list)  # Streamlit API calls, from the page or from ydp_data
    calls: int = 0  # wrapped calls per rerun (each costs about a microsecond)
    entries_ms: dict[str, float] = field(default_factory=dict)  # mean per rerun, outermost ydp_data calls
    functions_ms: dict[str, float] = field(default_factory=dict)  # mean per rerun, every ydp_data function
    charts: int = 0
    filter_team: str | None = None
    filter_charts: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.runs_ms) if self.runs_ms else float("nan")

    @property
    def share(self) -> float:
        """Median over reruns of ydp_data time / rerun time."""
        shares = [y / r for y, r in zip(self.ydp_ms, self.runs_ms, strict=True) if r]
        return statistics.median(shares) if shares else float("nan")


def _open(script: str) -> tuple[Any, float]:
    """An AppTest on the page as a user reaches it; returns it with the time of the page's first (cold) run."""
    from streamlit.testing.v1 import AppTest

    if script in REFERENCES.values() or script == MAIN_SCRIPT:
        at = AppTest.from_file(str(ROOT / script), default_timeout=TIMEOUT_S)
        start = time.perf_counter()
        at.run()
        return at, (time.perf_counter() - start) * 1000
    at = AppTest.from_file(str(ROOT / MAIN_SCRIPT), default_timeout=TIMEOUT_S)
    at.run()
    at.switch_page(script)
    start = time.perf_counter()
    at.run()
    return at, (time.perf_counter() - start) * 1000


def _errors(at: Any) -> list[str]:
    return [str(e.value)[:300] for e in at.exception]


def _chart_count(at: Any) -> int:
    return len(at.get("plotly_chart"))


def measure(scripts: dict[str, str], repeats: int, probe_teams: bool) -> list[PageResult]:
    """Warm rerun times and ydp_data time of the named scripts (name -> path relative to the project)."""
    HOOK.install()
    ATTRIBUTION.install()
    results = {name: PageResult(name, script) for name, script in scripts.items()}
    apps: dict[str, Any] = {}
    for name, script in scripts.items():
        apps[name], results[name].first_ms = _open(script)
        results[name].errors += _errors(apps[name])
        results[name].charts = _chart_count(apps[name])
    names = list(scripts)
    entries: dict[str, dict[str, float]] = {name: defaultdict(float) for name in names}
    functions: dict[str, dict[str, float]] = {name: defaultdict(float) for name in names}
    for rep in range(repeats):
        for name in names[rep % len(names):] + names[:rep % len(names)]:
            res = results[name]
            HOOK.reset(profile=False)
            ATTRIBUTION.reset()
            start = time.perf_counter()
            apps[name].run()
            res.runs_ms.append((time.perf_counter() - start) * 1000)
            res.exec_ms.append(HOOK.exec_s * 1000)
            res.ydp_ms.append(ATTRIBUTION.ydp_s * 1000)
            res.st_ms.append(ATTRIBUTION.st_s * 1000)
            res.calls = ATTRIBUTION.calls
            for key, seconds in ATTRIBUTION.entries.items():
                entries[name][key] += seconds * 1000 / repeats
            for key, seconds in ATTRIBUTION.functions.items():
                functions[name][key] += seconds * 1000 / repeats
    for name, at in apps.items():
        res = results[name]
        res.entries_ms, res.functions_ms = dict(entries[name]), dict(functions[name])
        res.errors += [e for e in _errors(at) if e not in res.errors]
        if probe_teams and name != "empty":
            _probe_teams(at, res)
    return list(results.values())


def _probe_teams(at: Any, result: PageResult) -> None:
    """The team whose choice in the sidebar keeps the most charts on the page (for the browser's filter change)."""
    from ydp_data.filters import ALL_TEAMS

    best: tuple[int, str] | None = None
    for team in ALL_TEAMS:
        at.multiselect(key="team").set_value([team]).run()
        count = _chart_count(at)
        if best is None or count > best[0]:
            best = (count, team)
    at.multiselect(key="team").set_value([]).run()
    if best is not None:
        result.filter_charts, result.filter_team = best


def profile_text(script: str, repeats: int) -> str:
    """pyinstrument's text profile of warm reruns of one page (for a page that misses a target)."""
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session

    HOOK.install()
    at, _ = _open(script)
    at.run()
    HOOK.reset(profile=True)
    for _ in range(repeats):
        at.run()
    sessions = HOOK.sessions
    HOOK.reset(profile=False)
    for session in sessions:  # one root for every rerun's script thread, so that the reruns add up
        session.frame_records = [(["warm reruns\x00<thread>\x000", *stack[1:]], seconds)
                                 for stack, seconds in session.frame_records]
    combined = sessions[0]
    for session in sessions[1:]:
        combined = Session.combine(combined, session)
    renderer = ConsoleRenderer(unicode=True, color=False, show_all=False, short_mode=False, time="seconds")
    return renderer.render(combined)


def main() -> None:
    parser = argparse.ArgumentParser(description="AppTest measurement worker of bench.run (one database).")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--pages", nargs="*", default=None, help="scripts relative to the project; default: all")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--profile-repeats", type=int, default=5, help="reruns profiled by --profile-page")
    parser.add_argument("--probe-teams", action="store_true")
    parser.add_argument("--profile-page", default=None, help="only write pyinstrument's text profile of this page")
    args = parser.parse_args()
    if args.profile_page:
        args.out.write_text(profile_text(args.profile_page, args.profile_repeats), encoding="utf-8")
        return
    scripts = {name: path for name, path in REFERENCES.items()}
    scripts.update({page: page for page in (args.pages or page_files())})
    results = measure(scripts, args.repeats, args.probe_teams)
    args.out.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
