"""`python -m bench.elements [--count N] [--repeats R]`: what one Streamlit element costs the browser.

Serves bench/reference_pages/one_chart.py and, per kind of element the dashboard draws, the same page with N
more of that element (one_chart.py with YDP_BENCH_ELEMENT; bench/reference_pages/elements.py), all at once, and measures them in rotation in
headless Chromium exactly as bench.run does (bench.browser). Prints a table of medians, the ratio to the
one-chart page and the cost of one element, and writes it to bench/ELEMENTS.md. Why: the pages' misses in
bench/RESULTS.md come from the number and kind of elements, not from ydp_data; this says which cost most.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import tempfile
import time
from pathlib import Path

import streamlit

from bench import browser
from bench.reference_pages.elements import KINDS
from bench.run import REFERENCE_TEAM as TEAM

ROOT = Path(__file__).resolve().parent


def run(count: int, repeats: int) -> str:
    """Measure every kind; return the Markdown report."""
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="ydp-elements-") as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        ref = stack.enter_context(browser.streamlit_server("bench/reference_pages/one_chart.py", {},
                                                           work / "ref.log", work / "ref.jsonl"))
        targets = [browser.Target("one_chart", ref + "/", 1, TEAM, 1)]
        for kind in KINDS:
            env = {"YDP_BENCH_ELEMENT": kind, "YDP_BENCH_COUNT": str(count)}
            base = stack.enter_context(browser.streamlit_server("bench/reference_pages/one_chart.py", env,
                                                                work / f"{kind}.log", work / f"{kind}.jsonl"))
            targets.append(browser.Target(kind, base + "/", 1, TEAM, 1))
        results = browser.measure(targets, repeats)
    reference = results[0]
    lines = [
        "# What one element costs the browser",
        "",
        f"Command: `python -m bench.elements --count {count} --repeats {repeats}` · "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))} · {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}, Streamlit {streamlit.__version__} · took {(time.time() - started) / 60:.1f} min.",
        "",
        f"The one-chart reference page, and the same page with {count} more elements of one kind; medians of "
        f"{repeats} loads each after one discarded warm-up, all servers up at once and measured in rotation "
        "(bench.browser's rule for the last chart drawn). ms per element = (page − reference) ÷ count. "
        "`html_block` is one st.html holding the text of the count captions: its figure is per caption replaced.",
        "",
        "| page | warm ms | × ref | ms per element (warm) | filter ms | × ref | ms per element (filter) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for res in results:
        warm, filt = res.median("warm"), res.median("filter")
        per_warm = (warm - reference.median("warm")) / count
        per_filter = (filt - reference.median("filter")) / count
        first = res is reference
        lines.append(f"| {res.name} | {warm:,.0f} | {warm / reference.median('warm'):.2f}x | "
                     f"{'' if first else f'{per_warm:.1f}'} | {filt:,.0f} | {filt / reference.median('filter'):.2f}x | "
                     f"{'' if first else f'{per_filter:.1f}'} | {len(res.errors)} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    report = run(args.count, args.repeats)
    (ROOT / "ELEMENTS.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
