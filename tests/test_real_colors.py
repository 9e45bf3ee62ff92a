"""Team and funding-source colours on the real figures: every trace (or bar) that stands for a team or a funding
source carries theme.TEAM_COLORS / theme.SOURCE_COLORS on every page, in both languages and under filters, never
plotly's default colour cycle.

The pages are opened with every section open (tests/apptest_pages.py) against the real database; the colours are
read from the plotly figure JSON that Streamlit sends to the browser.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tests.apptest_pages import PAGES, Pages
from tests.test_pages import read_csv
from ydp_data.theme import SOURCE_COLORS, TEAM_COLORS

# the colours the dashboard promises (README: Okabe-Ito, the same on every page), typed here
TEAMS = {"일자리사업팀": "#0072B2", "상생기업팀": "#E69F00", "청년지원팀": "#009E73"}
SOURCES = {"국비": "#CC79A7", "시비": "#56B4E9", "구비": "#D55E00"}
PLOTLY_DEFAULTS = {"#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880", "#ff97ff",
                   "#fecb52", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"}
VIEWS: dict[str, dict[str, str]] = {
    "default": {}, "english": {"lang": "English"}, "social_national": {"team": "상생기업팀", "source": "국비"},
    "city": {"source": "시비"}, "youth": {"team": "청년지원팀"},
}
# the charts whose traces are teams or sources under the default view: (page, chart) -> the names drawn
NAMED_TRACES: dict[tuple[str, str], list[str]] = {
    ("dashboard.py", "budget_by_program_source"): ["국비", "시비", "구비"],
    ("pages/2_공공일자리_Public_jobs.py", "public_work_budget_by_source"): ["시비", "구비"],
    ("pages/3_상생기업_Social_economy.py", "grants_by_source"): ["국비", "시비", "구비"],
    ("pages/6_향후계획_Plans.py", "plans_timeline"): ["일자리사업팀", "상생기업팀", "청년지원팀"],
}
KOREAN_IN_BRACKETS = re.compile(r"\(([^()]*)\)\s*$")




def korean(label: Any) -> str:
    """The report's Korean name behind a legend or category label: 'National (국비)' → '국비', '국비' → '국비'."""
    text = html.unescape(str(label or "")).strip()
    found = KOREAN_IN_BRACKETS.search(text)
    return found.group(1) if found else text


def expected(name: str) -> str | None:
    return TEAMS.get(name) or SOURCES.get(name)


def colour(trace: dict[str, Any]) -> Any:
    return (trace.get("marker") or {}).get("color")


def test_theme_holds_the_promised_colours() -> None:
    assert TEAM_COLORS == TEAMS and SOURCE_COLORS == SOURCES
    assert not {c.lower() for c in (*TEAMS.values(), *SOURCES.values())} & PLOTLY_DEFAULTS


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("page", PAGES)
def test_team_and_source_traces_carry_their_colours(pages: Pages, page: str, view: str) -> None:
    run = pages.open(page, VIEWS[view])
    assert not run.at.exception, [e.value for e in run.at.exception]
    seen: dict[str, list[str]] = {}
    for chart in run.keyed("plotly_chart", "chart_"):
        for trace in run.figure(chart)["data"]:
            name = korean(trace.get("name"))
            if expected(name) is None:
                continue
            seen.setdefault(chart, []).append(name)
            assert colour(trace) == expected(name), f"{page} {chart}: trace {trace.get('name')!r} is {colour(trace)}"
            if trace.get("legendgroup"):
                assert korean(trace["legendgroup"]) in (name, trace["legendgroup"])
    for (where, chart), names in NAMED_TRACES.items():
        if where != page or view not in ("default", "english"):
            continue
        assert seen.get(chart) == names, f"{page} {chart}: team/source traces {seen.get(chart)} against {names}"


@pytest.mark.parametrize("view", ["default", "english", "youth"])
def test_facility_bars_are_coloured_by_their_team(pages: Pages, view: str) -> None:
    """The facilities chart colours each bar by the team that runs the facility (the facilities download says which)."""
    run = pages.open("pages/5_조직_Organisation.py", VIEWS[view])
    header, body = read_csv(run.download("facilities"))
    name_col, team_col = header.index("명칭" if view != "english" else header[0]), 1
    team_of = {korean(r[name_col]): korean(r[team_col]) for r in body}
    assert set(team_of.values()) <= set(TEAMS), team_of
    (trace,) = [t for t in run.figure("facilities")["data"] if t.get("type") == "bar"]
    colours = colour(trace)
    assert isinstance(colours, list) and len(colours) == len(trace["y"]) == len(body)
    for facility, drawn in zip(trace["y"], colours, strict=True):
        assert drawn == TEAMS[team_of[korean(facility)]], (facility, drawn)
    if view == "default":
        assert {TEAMS[t] for t in team_of.values()} == set(TEAMS.values())  # all three teams' colours are drawn
