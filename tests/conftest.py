"""Shared fixtures: one real database built from datasets/ for the whole test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from ydp_data import paths
from ydp_data.build import build
from ydp_data.db import Database
from ydp_data.filters import Filters

ROOT = paths.ROOT
REPORT_ID = "ydp-jobs-2023-05"


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
