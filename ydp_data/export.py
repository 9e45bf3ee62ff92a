"""CSV downloads: UTF-8 with BOM for Excel, spreadsheet formulas neutralised, numbers untouched."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SAFE_NAME = re.compile(r"[^a-z0-9_]+")
_UNSAFE_PART = re.compile(r"[^\w]+|_+")  # \w: letters and digits of any script, and _


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with ' (OWASP); other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with BOM, so Excel opens Korean text; header cells neutralised too."""
    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def file_name(what: str, as_of: dt.date | str, filters: Sequence[str] = ()) -> str:
    """A download name that says what, for which filters and when, e.g. ydp_budget_by_team_상생기업팀_국비_2023-05-31.csv."""
    day = as_of.strftime("%Y-%m-%d") if isinstance(as_of, dt.date) else str(as_of)[:10]
    chosen = [part for part in (_filter_part(f) for f in filters) if part]
    return "_".join(["ydp", _SAFE_NAME.sub("_", what.lower()).strip("_"), *chosen, day]) + ".csv"


def _filter_part(value: str) -> str:
    """A filter value as a piece of a file name: letters (Hangul too) and digits kept, anything else (separators,
    dots, control and reserved characters) made '_', at most 40 characters."""
    text = _UNSAFE_PART.sub("_", unicodedata.normalize("NFC", str(value))).strip("_")
    return text[:40].strip("_")
