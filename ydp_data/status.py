"""Where each programme stands against the year's pace: behind, on pace or ahead of the share of the year elapsed.

One rule for the overview, the business-line pages and the briefing. The gap is a rate (a programme's execution
rate, or an annual target's attainment) less the year elapsed at the as-of date, in %p to one decimal; within
findings.PACE_TOLERANCE_PP of it is on pace (경과율 수준). Pure functions on query results: no streamlit, no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ydp_data import findings
from ydp_data.i18n import translate

BEHIND, ON_PACE, AHEAD = "behind", "on_pace", "ahead"
STATUSES: tuple[str, ...] = (BEHIND, ON_PACE, AHEAD)  # the order of the strip, the legend and the sorted bars
LABELS: dict[str, str] = {BEHIND: "뒤처짐", ON_PACE: "경과율 수준", AHEAD: "앞섬"}  # English in i18n.UI


def gap_of(rate: float, elapsed: float) -> float:
    """The rate less the year elapsed, in percentage points to one decimal (both are given to one decimal)."""
    return round(float(rate) - float(elapsed), 1)


def status_of(gap: float) -> str:
    """behind, on_pace or ahead: a gap within ±PACE_TOLERANCE_PP (inclusive) is on pace."""
    if gap < -findings.PACE_TOLERANCE_PP:
        return BEHIND
    return AHEAD if gap > findings.PACE_TOLERANCE_PP else ON_PACE


def label_of(status: str, lang: str) -> str:
    """A status in words ('뒤처짐', 'Behind')."""
    return translate(LABELS[status], lang)


def _paced(frame: pd.DataFrame, rate: str, elapsed: float) -> pd.DataFrame:
    """The rows that have a rate, with gap_pp and pace (the status), most behind first (report order among equal gaps)."""
    rows = frame[frame[rate].notna()]
    gaps = [gap_of(r, elapsed) for r in rows[rate]]
    paced = rows.assign(gap_pp=gaps, pace=[status_of(g) for g in gaps])
    return paced.sort_values("gap_pp", kind="stable").reset_index(drop=True)


def execution_pace(frame: pd.DataFrame, elapsed: float) -> pd.DataFrame:
    """queries.program_execution rows with their gap to the year elapsed and status, most behind first."""
    return _paced(frame, "rate", elapsed)


def attainment_pace(frame: pd.DataFrame, elapsed: float) -> pd.DataFrame:
    """queries.annual_attainment rows with their gap to the year elapsed and status, most behind first."""
    return _paced(frame, "attainment_pct", elapsed)


@dataclass(frozen=True)
class Strip:
    """A page's answer as plain text (escape it to show): the items of each status in STATUSES order, behind always
    first (empty when nothing is behind), the others only when they have items; and the scale they are read on."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]  # (status, items), each most behind first
    scale: str

    def items(self, status: str) -> tuple[str, ...]:
        """The items of one status (none when it has none)."""
        return next((items for key, items in self.groups if key == status), ())


def strip(execution: pd.DataFrame, attainment: pd.DataFrame | None, elapsed: float, lang: str,
          programs: tuple[str, ...] = (), changes: pd.DataFrame | None = None) -> Strip:
    """The status strip of a page: the execution rate of every programme (or of these programs) against the year's
    pace and, when given, every annual target's attainment, grouped behind / on pace / ahead (no groups at all when
    the filters leave nothing to show). With changes (trend.gap_changes, three or more periods), a programme behind
    also says whether it is closing its gap."""
    closing = {} if changes is None else {str(r.program_id): r for r in changes.itertuples(index=False)}
    if programs:
        execution = execution[execution["program_id"].isin(programs)]
    items: dict[str, list[tuple[float, str]]] = {s: [] for s in STATUSES}
    for row in execution_pace(execution, elapsed).itertuples(index=False):
        text = findings.pace_item(str(row.program_id), str(row.title), float(row.rate), float(row.gap_pp), lang)
        change = closing.get(str(row.program_id))
        if change is not None and row.pace == BEHIND:
            text += " · " + findings.gap_trend(str(change.direction), float(change.previous_gap), float(change.gap), lang)
        items[str(row.pace)].append((float(row.gap_pp), text))
    if attainment is not None:
        for row in attainment_pace(attainment, elapsed).itertuples(index=False):
            items[str(row.pace)].append((float(row.gap_pp), findings.attainment_item(
                str(row.program_id), str(row.category), str(row.actual_measure), float(row.actual),
                float(row.target), str(row.unit), float(row.attainment_pct), float(row.gap_pp), lang)))
    if not any(items.values()):
        return Strip((), findings.pace_scale(elapsed, lang))
    groups = tuple((s, tuple(text for _, text in sorted(items[s], key=lambda i: i[0])))
                   for s in STATUSES if s == BEHIND or items[s])
    return Strip(groups, findings.pace_scale(elapsed, lang))


def breakdown(frame: pd.DataFrame, elapsed: float, lang: str, *, only_behind: bool = False) -> str:
    """One sentence naming each programme of frame (program_id, title, rate) by status with its rate and gap, or
    only those behind (a briefing finding: a combined rate must not hide a programme behind); '' without rows."""
    paced = execution_pace(frame, elapsed)
    if paced.empty:
        return ""

    def items(pace: str) -> list[str]:
        return [findings.pace_item(str(r.program_id), str(r.title), float(r.rate), float(r.gap_pp), lang)
                for r in paced.itertuples(index=False) if r.pace == pace]

    if only_behind:
        behind = items(BEHIND)
        if not behind:
            return findings.none_behind(lang)
        return findings.pace_breakdown([(findings.pace_headline(len(behind), len(paced), lang), behind)], lang)
    return findings.pace_breakdown([(label_of(s, lang), items(s)) for s in STATUSES], lang)


def behind_count(paced: pd.DataFrame) -> int:
    """How many rows of execution_pace or attainment_pace are behind the year's pace."""
    return int((paced["pace"] == BEHIND).sum())


def labels(lang: str) -> dict[str, str]:
    """Every status in words, in STATUSES order (a chart's legend)."""
    return {s: label_of(s, lang) for s in STATUSES}
