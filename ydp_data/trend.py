"""How the year unfolds across report periods: whether each programme is closing its gap to the year's pace.

Works on the frames of queries.execution_trend (one row per programme and period); a trend is shown only from
MIN_PERIODS periods on, since two periods are a comparison (ydp_data.compare), not a trend.
"""

from __future__ import annotations

import pandas as pd

MIN_PERIODS = 3
STEADY_PP = 1.0  # a gap that moved less than this (percentage points) between two periods is holding steady

CLOSING, WIDENING, STEADY = "closing", "widening", "steady"


def has_trend(frame: pd.DataFrame) -> bool:
    """Whether a trend frame spans enough report periods to be drawn as a trend."""
    return not frame.empty and frame["as_of"].nunique() >= MIN_PERIODS


def direction(previous_gap: float, gap: float) -> str:
    """Closing when the rate gained on the pace by STEADY_PP or more since the period before (a lagging programme
    catching up), widening when it lost as much, else steady. Gaps are rate − pace, in percentage points."""
    change = gap - previous_gap
    if change >= STEADY_PP:
        return CLOSING
    if change <= -STEADY_PP:
        return WIDENING
    return STEADY


def gap_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """Per programme: its gap at the latest period and at the one before, and whether it is closing or widening.

    Programmes with no row in the period before the latest (new in the latest report) are left out.
    """
    columns = ["program_id", "title", "team", "previous_gap", "gap", "change", "direction"]
    if frame.empty or frame["as_of"].nunique() < 2:
        return pd.DataFrame(columns=columns)
    latest, before = sorted(frame["as_of"].unique())[-1], sorted(frame["as_of"].unique())[-2]
    now = frame[frame["as_of"] == latest].set_index("program_id")
    then = frame[frame["as_of"] == before].set_index("program_id")
    rows = []
    for program_id in now.index.intersection(then.index):
        gap, previous_gap = float(now.at[program_id, "gap"]), float(then.at[program_id, "gap"])
        rows.append({"program_id": program_id, "title": now.at[program_id, "title"], "team": now.at[program_id, "team"],
                     "previous_gap": previous_gap, "gap": gap, "change": round(gap - previous_gap, 1),
                     "direction": direction(previous_gap, gap)})
    return pd.DataFrame(rows, columns=columns)
