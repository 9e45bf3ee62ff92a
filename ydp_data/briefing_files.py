"""The briefing's HTML and PDF as the Briefing page offers them, made once per view and database build.

Kept by st.cache_data a few at a time (the HTML inlines plotly.js, about 5 MB), here rather than in the page so that
the decorators run once per server process, not on every rerun of the page.
"""

from __future__ import annotations

import streamlit as st

from ydp_data import briefing, ui
from ydp_data.filters import Filters


@st.cache_data(max_entries=16, show_spinner=False)
def html_file(filters: Filters, unit: str, lang: str, stamp: tuple[int, int]) -> str:
    """The self-contained HTML of the whole briefing (plotly.js inlined); stamp is the database build it shows."""
    db = ui.database()
    return briefing.briefing_html(briefing.build_slides(db, filters, unit, lang),
                                  briefing.build_meta(db, filters, unit, lang))


@st.cache_data(max_entries=16, show_spinner=False)
def pdf_file(filters: Filters, unit: str, lang: str, stamp: tuple[int, int]) -> bytes:
    """The briefing printed to PDF by Chromium; made only when asked for, then kept per view."""
    return briefing.briefing_pdf(html_file(filters, unit, lang, stamp))
