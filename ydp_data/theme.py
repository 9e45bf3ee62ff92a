"""One look for every chart: fonts, colours per team and per funding source (Okabe-Ito, colour-blind safe)."""

from __future__ import annotations

import plotly.graph_objects as go

FONT_SIZE = 14  # the least size of any chart text (ticks, labels, legends, notes, hovers): legible on a projector
TITLE_SIZE = 20  # a chart's title, larger than the rest
TEXT_COLOR = "#222222"
FONT = "Noto Sans CJK KR, Noto Sans KR, Malgun Gothic, Apple SD Gothic Neo, sans-serif"
TEAM_COLORS: dict[str, str] = {"일자리사업팀": "#0072B2", "상생기업팀": "#E69F00", "청년지원팀": "#009E73"}
SOURCE_COLORS: dict[str, str] = {"국비": "#CC79A7", "시비": "#56B4E9", "구비": "#D55E00"}
SERIES_COLORS: dict[str, str] = {
    "예산액": "#BBBBBB", "집행액": "#0072B2", "목표": "#BBBBBB", "실적": "#0072B2", "계획": "#999999",
    "정원": "#BBBBBB", "현원": "#0072B2", "직전 보고": "#DDDDDD", "직전 집행액": "#9ECAE1", "이번 보고": "#0072B2",
    "상반기 선발 (실적)": "#0072B2", "하반기 목표 (목표)": "#BBBBBB",  # queries.HALF_STAGES
}
# no chart draws a fill pattern (no number on a hatch): members are told apart by their colours' lightness
# (tests/test_units.py), legend names and labels
NEUTRAL = "#555555"
MARK_COLOR = "#D55E00"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": FONT_SIZE, "color": TEXT_COLOR},
        title={"font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left",
               "subtitle": {"font": {"size": FONT_SIZE, "color": "#444444"}}},
        separators=".,",
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT, "size": FONT_SIZE}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": {"text": ""},
                "font": {"size": FONT_SIZE}},
        annotationdefaults={"font": {"size": FONT_SIZE, "color": TEXT_COLOR}},
        margin={"l": 10, "r": 10, "t": 70, "b": 40},
        # no automargin: it measures the drawn labels and draws the chart again; charts.fit_margins sizes them
        xaxis={"gridcolor": "#E5E5E5", "zerolinecolor": "#999999", "tickformat": ","},
        yaxis={"gridcolor": "#E5E5E5", "zerolinecolor": "#999999", "tickformat": ","},
    )
)


KIND_SERIES = {"actual": "실적", "target": "목표", "plan": "계획"}


def color_of(name: str) -> str:
    """The fixed colour of a team, a funding source, a series or a kind of figure, the same on every page."""
    name = KIND_SERIES.get(name, name)
    return TEAM_COLORS.get(name) or SOURCE_COLORS.get(name) or SERIES_COLORS.get(name) or NEUTRAL


# Pace status (ydp_data.status): Okabe-Ito vermillion for behind, sky blue for on pace, blue for ahead, each with its
# legend entry and signed gap in its bar label ('30.8% · △10.6%p'), so the status reads without colour
STATUS_COLORS: dict[str, str] = {"behind": "#D55E00", "on_pace": "#56B4E9", "ahead": "#0072B2"}
PACE_LINE_COLOR = "#222222"
