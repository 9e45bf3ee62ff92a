"""A bounded load test: 6 concurrent sessions for 15 s over Streamlit's own websocket protocol (bench/load.py).

Runs against YDP_E2E_URL when it is set with its server's pid YDP_E2E_PID (CI starts a server and exports both; it
must be a loopback address), else against a server started here on the test database (the session fixture `db_path`), stopped with its process group.
Asserts what must hold under concurrency: every page finished without an exception element, every CSV download
starts with the UTF-8 BOM and holds only rows of the chosen filters, no errors at all, and the run stopped on
time. No latency asserts: speed is measured by `python -m bench.load` (bench/RESULTS.md).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.load import KINDS, LoadConfig, Report, run, streamlit_server

SESSIONS = 6
SECONDS = 15.0
DRAIN = 20.0  # requests still open this long after SECONDS are cancelled (and counted as errors)
SEED = 20230531


@pytest.fixture(scope="module")
def target(db_path: Path) -> Iterator[tuple[str, list[int]]]:
    """(base URL, server pids to sample): YDP_E2E_URL with its server's pid YDP_E2E_PID (both exported by .ci/run),
    else a server of our own on the test database, so the server's memory is always sampled."""
    given = os.environ.get("YDP_E2E_URL")
    pid = os.environ.get("YDP_E2E_PID", "")
    if given and pid.isdigit() and Path(f"/proc/{pid}").is_dir():
        assert urlsplit(given).hostname in ("127.0.0.1", "localhost", "::1"), f"YDP_E2E_URL {given} is not loopback"
        yield given.rstrip("/"), [int(pid)]
        return
    with tempfile.TemporaryDirectory(prefix="ydp-load-test-") as tmp, streamlit_server(db_path, Path(tmp)) as (url, pid):
        yield url, [pid]


@pytest.fixture(scope="module")
def report(target: tuple[str, list[int]]) -> Report:
    url, pids = target
    cfg = LoadConfig(url, sessions=SESSIONS, seconds=SECONDS, request_timeout=30.0, drain=DRAIN, seed=SEED,
                     server_pids=(lambda: pids) if pids else None)
    started = time.monotonic()
    result = run(cfg)
    result.wall_seconds = time.monotonic() - started  # measured outside the runner too
    print(result.summary())
    return result


def test_no_errors(report: Report) -> None:
    assert report.error_count == 0, report.errors[:10]
    assert report.cancelled == 0


def test_every_page_finished_without_exception(report: Report) -> None:
    assert len(report.requests) >= SESSIONS  # each user opened at least one page
    assert [r for r in report.requests if not r.ok] == []
    assert report.exceptions == 0
    done = {r.kind for r in report.requests}
    assert {"open", "filter"} <= done <= set(KINDS)  # new links and widget changes both happened


def test_every_download_held_the_filtered_rows(report: Report) -> None:
    assert report.downloads > 0
    assert report.download_failures == 0
    counts = report.rows_checked
    assert counts["files"] + counts["other_files"] + counts["deferred"] == report.downloads  # every one looked at
    assert counts["files"] > 0  # CSVs among them
    # the checks really looked at rows: team and source columns, and money units in headers and 단위 columns
    assert report.rows_checked["team"] > 0
    assert report.rows_checked["source"] > 0
    assert report.rows_checked["unit_header"] > 0


def test_run_stopped_on_time(report: Report) -> None:
    assert report.wall_seconds <= SECONDS + DRAIN + 5.0
    assert report.load_seconds >= SECONDS * 0.9  # and it did run for its time, not stop early on a failure


def test_server_memory_was_sampled(report: Report, target: tuple[str, list[int]]) -> None:
    assert target[1], "no server pid to sample"  # never skipped: CI exports YDP_E2E_PID, else our own server
    assert report.rss and all(sum(sample.values()) > 0 for _, sample in report.rss)
