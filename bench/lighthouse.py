"""Lighthouse (desktop preset, performance only) on every page of the dashboard and on the one-chart reference, in one
run against both real servers: `python -m bench.lighthouse [--runs N]`, or as section 5 of `python -m bench.run`.

Lighthouse comes from the npm registry into the git-ignored .cache/npm (`npm install --prefix .cache/npm
lighthouse@13.5.0`) and drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium, `--headless=new --no-sandbox`).
Every page is opened by its URL (the overview at /, a page of pages/ at /<its name>), the reference at the root of
its own `streamlit run bench/reference_pages/one_chart.py`; pages and reference in rotation, N runs each, medians.
Targets (issue 14): every page's performance score ≥ 2× the reference's, and its cumulative layout shift ≤ 0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import browser as browser_bench
from bench.serverside import MAIN_SCRIPT, REFERENCES, page_files

ROOT = Path(__file__).resolve().parent.parent
VERSION = "13.5.0"
LIGHTHOUSE = ROOT / ".cache" / "npm" / "node_modules" / ".bin" / "lighthouse"
INSTALL = f"npm install --prefix .cache/npm lighthouse@{VERSION}"
CHROME_FLAGS = "--headless=new --no-sandbox"
RUN_TIMEOUT_S = 240
SCORE_RATIO_TARGET = 2.0
CLS_TARGET = 0.1
# the metrics of Lighthouse's performance score and their weights in its desktop preset (Lighthouse 10 and later)
WEIGHTS = {"first-contentful-paint": 10, "speed-index": 10, "largest-contentful-paint": 25,
           "total-blocking-time": 30, "cumulative-layout-shift": 25}
SHORT = {"first-contentful-paint": "FCP", "speed-index": "SI", "largest-contentful-paint": "LCP",
         "total-blocking-time": "TBT", "cumulative-layout-shift": "CLS"}


@dataclass
class Run:
    """What one Lighthouse run reports of one page."""

    score: float  # 0-100
    cls: float
    lcp_ms: float
    tbt_ms: float
    fcp_ms: float
    si_ms: float
    bytes: float  # total-byte-weight: bytes transferred (compressed where the server compressed)
    metric_scores: dict[str, float]  # each metric's own score, 0-1
    shifted: list[str]  # the elements of the largest layout shifts (Lighthouse's layout-shifts audit)


@dataclass
class Result:
    """Every run of one page (or the reference)."""

    name: str
    url: str
    runs: list[Run] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def median(self, attr: str) -> float:
        values = [getattr(r, attr) for r in self.runs]
        return statistics.median(values) if values else float("nan")

    def metric_score(self, metric: str) -> float:
        values = [r.metric_scores.get(metric, float("nan")) for r in self.runs]
        return statistics.median(values) if values else float("nan")

    def shifted(self) -> list[str]:
        """The shifted elements of the run with the median layout shift."""
        if not self.runs:
            return []
        ordered = sorted(self.runs, key=lambda r: r.cls)
        return ordered[len(ordered) // 2].shifted


def version() -> str:
    """Lighthouse's version, or a sentence saying how to install it."""
    if not LIGHTHOUSE.exists():
        return f"not installed ({INSTALL})"
    done = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False, timeout=60)
    return done.stdout.strip() or f"unknown ({done.stderr.strip()[:200]})"


def parse(report: dict[str, Any]) -> Run:
    """The figures of one Lighthouse JSON report."""
    audits = report["audits"]

    def value(audit: str) -> float:
        found = audits.get(audit, {}).get("numericValue")
        return float(found) if found is not None else float("nan")

    shifted = []
    for item in (audits.get("layout-shifts", {}).get("details") or {}).get("items", [])[:4]:
        node = item.get("node") or {}
        label = " ".join(str(node.get("nodeLabel", "")).split())[:50]
        shifted.append(f"{item.get('score', 0):.3f} `{node.get('selector', '?')}` ({label})")
    score = report["categories"]["performance"]["score"]
    return Run(score=float("nan") if score is None else float(score) * 100, cls=value("cumulative-layout-shift"),
               lcp_ms=value("largest-contentful-paint"), tbt_ms=value("total-blocking-time"),
               fcp_ms=value("first-contentful-paint"), si_ms=value("speed-index"), bytes=value("total-byte-weight"),
               metric_scores={m: float(audits.get(m, {}).get("score") or 0.0) for m in WEIGHTS}, shifted=shifted)


def run_once(url: str, out: Path) -> Run:
    """One Lighthouse run of url (desktop preset, performance only), its JSON report written to out."""
    cmd = [str(LIGHTHOUSE), url, "--preset=desktop", "--only-categories=performance", "--output=json",
           f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}", "--quiet"]
    env = {**os.environ, "CHROME_PATH": browser_bench.CHROMIUM}
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=RUN_TIMEOUT_S)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse exited {done.returncode}: {(done.stderr or done.stdout)[-600:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {report['runtimeError']}")
    return parse(report)


def measure(targets: list[tuple[str, str]], runs: int, workdir: Path, log: Any = None) -> list[Result]:
    """Every (name, url) `runs` times, in rotation (the order shifts by one each round)."""
    results = {name: Result(name, url) for name, url in targets}
    number = {name: i for i, (name, _) in enumerate(targets)}
    for rep in range(runs):
        shift = rep % len(targets)
        for name, url in targets[shift:] + targets[:shift]:
            out = workdir / f"lighthouse-{number[name]}-{rep}.json"
            try:
                results[name].runs.append(run_once(url, out))
                if log:
                    last = results[name].runs[-1]
                    log(f"lighthouse {rep + 1}/{runs} {name}: score {last.score:.0f}, CLS {last.cls:.3f}")
            except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError) as exc:
                results[name].errors.append(f"{type(exc).__name__}: {exc}"[:400])
    return list(results.values())


def warm_up(urls: list[str]) -> None:
    """Open every URL once in Chromium (the servers' first script runs: imports, cold caches)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=browser_bench.CHROMIUM, args=browser_bench.CHROMIUM_ARGS)
        try:
            for url in urls:
                page = chromium.new_page(viewport=browser_bench.VIEWPORT)
                page.goto(url)
                page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000)
                page.close()
        finally:
            chromium.close()


def encoding_of(base: str) -> str:
    """How the server sends its largest JavaScript to a browser that accepts gzip: 'gzip' or 'uncompressed'."""
    with urllib.request.urlopen(base + "/", timeout=30) as resp:
        html = resp.read().decode("utf-8", "replace")
    start = html.find("/static/js/")
    if start < 0:
        return "unknown (no script in the page HTML)"
    path = html[start:html.find('"', start)]
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        return resp.headers.get("Content-Encoding") or "uncompressed"


# --- report --------------------------------------------------------------------------------------------------------
def _num(value: float, digits: int = 0) -> str:
    return "n/a" if value != value else f"{value:,.{digits}f}"


def table(results: list[Result], reference: str = "one_chart") -> tuple[list[str], list[tuple[str, bool, str]]]:
    """Markdown rows (pages against the reference) and the verdicts: (target, met, detail)."""
    by_name = {r.name: r for r in results}
    ref = by_name[reference]
    ref_score = ref.median("score")
    lines = [f"| page | performance score | × reference | CLS | LCP ms | TBT ms | transferred KB | "
             f"score ≥ {SCORE_RATIO_TARGET:g}× reference | CLS ≤ {CLS_TARGET} |",
             "|---|---:|---:|---:|---:|---:|---:|---|---|",
             f"| {reference} (reference, plain Streamlit) | {_num(ref_score)} | 1.00x | {_num(ref.median('cls'), 3)} | "
             f"{_num(ref.median('lcp_ms'))} | {_num(ref.median('tbt_ms'))} | {_num(ref.median('bytes') / 1024)} | | |"]
    verdicts: list[tuple[str, bool, str]] = []
    for res in results:
        if res.name == reference:
            continue
        score, cls = res.median("score"), res.median("cls")
        times = score / ref_score if ref_score else float("nan")
        score_ok = times >= SCORE_RATIO_TARGET and not res.errors
        cls_ok = cls <= CLS_TARGET and not res.errors
        verdicts += [(f"{res.name} score", score_ok, f"{times:.2f}x"), (f"{res.name} CLS", cls_ok, f"{cls:.3f}")]
        flag = " (errors)" if res.errors else ""
        lines.append(f"| {res.name} | {_num(score)} | {_num(times, 2)}x | {_num(cls, 3)} | {_num(res.median('lcp_ms'))} | "
                     f"{_num(res.median('tbt_ms'))} | {_num(res.median('bytes') / 1024)} | "
                     f"{'MET' if score_ok else 'MISSED'}{flag} | {'MET' if cls_ok else 'MISSED'}{flag} |")
    return lines, verdicts


def breakdown(results: list[Result]) -> list[str]:
    """Each metric's own score (median) and the points it costs the performance score (weight × (1 − score))."""
    head = " | ".join(f"{SHORT[m]} ({w})" for m, w in WEIGHTS.items())
    lines = [f"| page | {head} | points lost, largest first |", "|---|" + "---:|" * len(WEIGHTS) + "---|"]
    for res in results:
        scores = {m: res.metric_score(m) for m in WEIGHTS}
        lost = sorted(((WEIGHTS[m] * (1 - s), SHORT[m]) for m, s in scores.items() if s == s), reverse=True)
        lines.append(f"| {res.name} | " + " | ".join(_num(scores[m], 2) for m in WEIGHTS) + " | "
                     + ", ".join(f"{name} {points:.0f}" for points, name in lost if points >= 0.5) + " |")
    return lines


def section(results: list[Result], runs: int, served: dict[str, str], lighthouse: str) -> tuple[list[str], list[tuple[str, bool, str]]]:
    """Section 5 of bench/RESULTS.md."""
    lines, verdicts = table(results)
    doc = [f"## 5. Lighthouse {lighthouse} (desktop preset, performance), N = {runs} per page, in rotation", "",
           "Every page by its URL on `streamlit run dashboard.py` and the reference on its own "
           "`streamlit run bench/reference_pages/one_chart.py`, both through bench.serve (which is `streamlit run`). "
           "How each server sends its JavaScript to a browser that accepts gzip: "
           + "; ".join(f"{name}: **{how}**" for name, how in served.items())
           + " (the dashboard's gzip is ydp_data/serving.py's middleware, which `streamlit run dashboard.py` picks up "
           "from the `app = st.App(...)` in dashboard.py; the reference is plain Streamlit, as it is meant to be).", "",
           *lines, "",
           "What the score is made of (each metric's own score, 0–1, median; the weight in brackets; points lost = "
           "weight × (1 − score)):", "", *breakdown(results), ""]
    shifted = [(r.name, r.shifted()) for r in results if r.shifted() and r.median("cls") > 0.01]
    if shifted:
        doc += ["Largest layout shifts (Lighthouse's layout-shifts audit, the run with the median CLS):", ""]
        doc += [f"- {name}: " + "; ".join(items) for name, items in shifted]
        doc.append("")
    errors = [f"- {r.name}: {e}" for r in results for e in r.errors]
    if errors:
        doc += ["Lighthouse errors:", "", *errors, ""]
    return doc, verdicts


def targets_for(app: str, ref: str, pages: list[str]) -> list[tuple[str, str]]:
    """The reference and every page, by URL."""
    return [("one_chart", ref + "/")] + [(page, browser_bench.page_url(app, page)) for page in pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (default 3)")
    parser.add_argument("--pages", nargs="*", default=None, help="scripts relative to the project; default: all")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"no Lighthouse at {LIGHTHOUSE}: {INSTALL}")
    pages = args.pages or page_files()
    with tempfile.TemporaryDirectory(prefix="ydp-lighthouse-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k.startswith("YDP_")}
        with browser_bench.streamlit_server(MAIN_SCRIPT, env, work / "app.log", work / "exec-app.jsonl") as app, \
                browser_bench.streamlit_server(REFERENCES["one_chart"], {}, work / "ref.log", work / "exec-ref.jsonl") as ref:
            served = {"dashboard": encoding_of(app), "one_chart": encoding_of(ref)}
            warm_up([url for _, url in targets_for(app, ref, pages)])
            started = time.monotonic()
            results = measure(targets_for(app, ref, pages), args.runs, work,
                              log=lambda m: print(m, file=sys.stderr, flush=True))
    doc, _ = section(results, args.runs, served, version())
    print("\n".join(doc))
    print(f"({(time.monotonic() - started) / 60:.1f} min)", file=sys.stderr)


if __name__ == "__main__":
    main()
