"""Shared fixtures: one real database built from datasets/ for the whole test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from playwright.sync_api import Browser, sync_playwright

from tests.apptest_pages import KeptStorage, Pages
from ydp_data import paths
from ydp_data.build import build
from ydp_data.db import Database
from ydp_data.filters import Filters

ROOT = paths.ROOT
REPORT_ID = "ydp-jobs-2023-05"


# --- in CI (YDP_CI=1, exported by .ci/run) nothing skips silently --------------------------------------------------
# Every skip becomes a failure there, unless the test is marked @pytest.mark.ci_may_skip(reason="why this skip is
# legitimate in CI"). No test carries that mark today: CI installs Chromium and poppler-utils and runs as root.
CI_MAY_SKIP = "ci_may_skip"


def in_ci() -> bool:
    return os.environ.get("YDP_CI", "") not in ("", "0")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{CI_MAY_SKIP}(reason): this test may skip in CI (YDP_CI=1); say why")


def skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def fail_skip_in_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Turn a skip into a failure whose message names the skip's reason."""
    report.outcome = "failed"
    report.longrepr = f"skipped in CI (YDP_CI=1), which must not skip: {skip_reason(report)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (report.skipped and in_ci()) or hasattr(report, "wasxfail"):
        return
    mark = item.get_closest_marker(CI_MAY_SKIP)
    if mark is not None and (mark.kwargs.get("reason") or mark.args):
        return
    fail_skip_in_ci(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    outcome = yield
    report: pytest.CollectReport = outcome.get_result()
    if report.skipped and in_ci():  # a whole module skipped (pytest.skip(allow_module_level=True), importorskip)
        fail_skip_in_ci(report)


@pytest.fixture(scope="session")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database built from the real datasets/ into a temporary folder; YDP_DB points the app at it."""
    path = tmp_path_factory.mktemp("db") / "ydp.duckdb"
    build(ROOT / "datasets", path)
    old = os.environ.get("YDP_DB")
    os.environ["YDP_DB"] = str(path)
    yield path
    if old is None:
        os.environ.pop("YDP_DB", None)
    else:
        os.environ["YDP_DB"] = old


@pytest.fixture(scope="module")
def pages(db_path: Path) -> Iterator[Pages]:
    """The AppTest page runner of a test module (tests/apptest_pages.py): each view rendered once per module, its
    downloads readable (AppTest's media storage class swapped for the keeping subclass meanwhile)."""
    assert db_path.exists()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(app_test_module, "MemoryMediaFileStorage", KeptStorage)
        yield Pages()


@pytest.fixture(scope="session")
def db(db_path: Path) -> Database:
    """The real database, opened read-only as the app opens it."""
    return Database(db_path)


@pytest.fixture()
def all_filters() -> Filters:
    """The default filters: the report, every team and every funding source."""
    return Filters(REPORT_ID)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, one per test session and shared by every test that drives a browser: Playwright's
    sync API runs one event loop, so a second sync_playwright() beside this one would fail."""
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
