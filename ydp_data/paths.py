"""Where the datasets and the built database live (overridable by YDP_DATASETS and YDP_DB)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def datasets_dir() -> Path:
    """The folder of CSV files that are the source of truth."""
    return Path(os.environ.get("YDP_DATASETS", ROOT / "datasets"))


def database_path() -> Path:
    """The DuckDB file built from the datasets; never committed."""
    return Path(os.environ.get("YDP_DB", ROOT / "data" / "ydp.duckdb"))


def settings() -> tuple[str | None, str | None]:
    """The environment the two paths come from (YDP_DB, YDP_DATASETS): a cheap key for what was opened."""
    return os.environ.get("YDP_DB"), os.environ.get("YDP_DATASETS")
