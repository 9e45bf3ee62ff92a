"""Opening a dashboard page in AppTest the way a shared link opens it, with its sections open or as they come.

Pages draw each section's charts only when it is open (ydp_data.ui.section); a test that checks every figure
opens every section first, as a director clicking through them would.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
ENTRY = "dashboard.py"
SECTION_CALL = re.compile(r'ui\.section\(\s*"[^"]*",\s*"(\w+)"')


# sections a page draws only when the data has them: the trend needs three or more report periods of a year
# (tests/test_trend.py opens it on a database that has them)
CONDITIONAL_SECTIONS = ("trend",)


def section_keys(page: str) -> list[str]:
    """The keys of the sections a page script draws on the real datasets, in page order (read from its source)."""
    return [k for k in SECTION_CALL.findall((ROOT / page).read_text(encoding="utf-8")) if k not in CONDITIONAL_SECTIONS]


def open_page(page: str, query: Mapping[str, str | list[str]] | None = None, *, all_sections: bool = True,
              run: bool = True) -> AppTest:
    """A page opened from a link: URL query first, then the page; every section open unless all_sections=False."""
    at = AppTest.from_file(str(ROOT / ENTRY), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if all_sections:
        for key in section_keys(page):
            at.session_state[f"section_{key}"] = True
    if page != ENTRY:
        at.switch_page(page)
    return at.run() if run else at
