"""Chart builders: a DataFrame in, a plotly Figure out; one builder per kind of chart.

Builders use plotly.graph_objects only (plotly.express was measured at 13-21 ms a figure against about
1 ms here). Values arrive already in the display unit; `unit` is only written into titles and hovers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from ydp_data.theme import FONT_SIZE, MARK_COLOR, TEMPLATE, color_of, pattern_of

MONTHS = list(range(1, 13))


def label_width(text: str, size: int = FONT_SIZE) -> float:
    """About how many pixels a label takes: a Hangul (wide) glyph one em, any other character 0.62 em."""
    return sum(size * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62) for c in text)


LABEL_MAX_PX = 300  # a longer category label is wrapped onto more lines, so the bars keep most of the width
LINE_PX = 20  # height of one line of a category label


def wrap_label(text: str, limit: float = LABEL_MAX_PX) -> str:
    """A label broken at spaces into lines of at most `limit` pixels (a single longer word keeps its line)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and label_width(f"{lines[-1]} {word}") <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def fit_margins(fig: go.Figure, source: str | None = None) -> go.Figure:
    """Fixed margins that make room for the category labels (long ones wrapped), the axis title and a source
    line under the title (in place). Plotly's automargin measures the drawn labels and then draws the chart
    again, which on a page of charts doubled the browser's work (bench/RESULTS.md)."""
    labels = list(dict.fromkeys(str(v) for t in fig.data if t.type == "funnel" or getattr(t, "orientation", None) == "h"
                                for v in (t.y if t.y is not None else ())))
    wrapped = [wrap_label(v) for v in labels]
    if wrapped != labels:
        fig.update_yaxes(tickmode="array", tickvals=labels, ticktext=wrapped)
    left = max((label_width(line) for v in wrapped for line in v.split("<br>")), default=0.0)
    if source:
        fig.update_layout(title_subtitle_text=source)
    top, bottom = 104 if source else 70, 64 if fig.layout.xaxis.title.text else 40
    fig.update_layout(margin={"l": round(left) + 16, "r": 16, "t": top, "b": bottom})
    lines = max((v.count("<br>") + 1 for v in wrapped), default=1)
    needed = top + bottom + len(labels) * lines * LINE_PX  # every category's band holds its label's lines
    if lines > 1 and needed > (fig.layout.height or 450):
        fig.update_layout(height=needed)
    return fig


def _figure(title: str, height: int | None = None) -> go.Figure:
    fig = go.Figure(layout={"template": TEMPLATE, "title": {"text": title}})
    if height:
        fig.update_layout(height=height)
    return fig


def _headroom(top: float) -> float:
    """An axis end that leaves room for the value written outside the longest bar."""
    top = float(top) if top == top and top else 1.0
    return top * 1.22


def _hover(unit: str, decimals: int = 0, label: str = "%{y}") -> str:
    fmt = f",.{decimals}f"
    return f"{label}<br>%{{fullData.name}}: %{{x:{fmt}}}{unit}<extra></extra>"


def paired_bars(frame: pd.DataFrame, category: str, series: Sequence[tuple[str, str]], *, title: str,
                unit: str, decimals: int = 0, axis_title: str | None = None) -> go.Figure:
    """Horizontal bars of two or more measures side by side per category (예산액 against 집행액, 목표 against 실적).

    series: (column, legend label) pairs, drawn in that order. When the frame carries the previous report's
    value of the last series (`<column>_prev`, see compare.with_previous), it is drawn too, as '직전 <label>'.
    """
    last, label = series[-1]
    if f"{last}_prev" in frame:
        series = [*series, (f"{last}_prev", f"직전 {label}")]
    fig = _figure(title, height=max(260, 90 + 34 * len(frame) * max(1, len(series) // 2 + 1)))
    labels = frame[category].astype(str).tolist()
    for column, label in series:
        fig.add_trace(go.Bar(
            y=labels, x=frame[column].tolist(), name=label, orientation="h", marker_color=color_of(label),
            hovertemplate=_hover(unit, decimals), texttemplate=f"%{{x:,.{decimals}f}}", textposition="outside",
            cliponaxis=False,
        ))
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": axis_title or f"({unit})"}, "tickformat": ",",
                             "range": [0, _headroom(frame[[c for c, _ in series]].max().max())]})
    return fig


def stacked_bars(frame: pd.DataFrame, category: str, stack: str, value: str, *, title: str, unit: str,
                 decimals: int = 0, order: Sequence[str] | None = None) -> go.Figure:
    """Horizontal bars per category stacked by a dimension (funding source, team), one colour per member."""
    fig = _figure(title, height=max(240, 110 + 40 * frame[category].nunique()))
    categories = list(dict.fromkeys(frame[category].astype(str)))
    members = list(order) if order else list(dict.fromkeys(frame[stack].astype(str)))
    for member in members:
        part = frame[frame[stack].astype(str) == member]
        if part.empty:
            continue
        by_cat = dict(zip(part[category].astype(str), part[value], strict=False))
        fig.add_trace(go.Bar(
            y=categories, x=[by_cat.get(c, 0) for c in categories], name=member, orientation="h",
            marker={"color": color_of(member), "pattern": {"shape": pattern_of(member), "fgcolor": "#222222",
                                                           "fgopacity": 0.35,
                                                           "fillmode": "overlay"}},
            hovertemplate=_hover(unit, decimals),
            texttemplate=f"%{{x:,.{decimals}f}}", textposition="inside", insidetextanchor="middle",
        ))
    fig.update_layout(barmode="stack", yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": f"({unit})"}}, legend={"traceorder": "normal"})
    return fig


def rate_against_mark(frame: pd.DataFrame, category: str, rate: str, mark: float, *, title: str,
                      mark_label: str, color_by: str | None = None) -> go.Figure:
    """Per-category rates (%) as bars with one reference line, e.g. execution rate against the year elapsed."""
    fig = _figure(title, height=max(260, 110 + 40 * len(frame)))
    labels = frame[category].astype(str).tolist()
    colors = [color_of(str(v)) for v in frame[color_by]] if color_by else color_of("집행액")
    fig.add_trace(go.Bar(
        y=labels, x=frame[rate].tolist(), orientation="h", name="집행률", marker_color=colors,
        hovertemplate="%{y}<br>집행률: %{x:.1f}%<extra></extra>", texttemplate="%{x:.1f}%",
        textposition="outside", cliponaxis=False, showlegend=False,
    ))
    fig.add_vline(x=mark, line_dash="dash", line_color=MARK_COLOR,
                  annotation_text=f"{mark_label} {mark:.1f}%", annotation_position="top")
    fig.update_layout(yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": "(%)"}, "range": [0, max(100.0, float(frame[rate].max() or 0) + 10)],
                             "tickformat": ",.0f"})
    return fig


def value_bars(frame: pd.DataFrame, category: str, value: str, *, title: str, unit_column: str | None = None,
               unit: str = "", color_by: str | None = None, decimals: int = 0) -> go.Figure:
    """One bar per category for counts and amounts (people, sessions, followers), units shown on hover.

    When the frame carries the previous report's values (`<value>_prev`), they are drawn beside, in grey.
    """
    fig = _figure(title, height=max(240, 100 + 38 * len(frame) * (2 if f"{value}_prev" in frame else 1)))
    labels = frame[category].astype(str).tolist()
    units = frame[unit_column].astype(str).tolist() if unit_column else [unit] * len(frame)
    colors = [color_of(str(v)) for v in frame[color_by]] if color_by else color_of("실적")
    if f"{value}_prev" in frame:
        fig.add_trace(go.Bar(
            y=labels, x=frame[f"{value}_prev"].tolist(), orientation="h", customdata=units, name="직전 보고",
            marker_color=color_of("직전 보고"), hovertemplate="%{y}: %{x:,." + str(decimals) + "f}%{customdata}<extra>직전 보고</extra>",
        ))
        fig.update_layout(barmode="group")
    fig.add_trace(go.Bar(
        y=labels, x=frame[value].tolist(), orientation="h", customdata=units, marker_color=colors,
        hovertemplate=f"%{{y}}: %{{x:,.{decimals}f}}%{{customdata}}<extra></extra>",
        texttemplate=f"%{{x:,.{decimals}f}}%{{customdata}}", textposition="outside", cliponaxis=False,
        showlegend=f"{value}_prev" in frame, name="이번 보고",
    ))
    axis = f"({unit})" if unit else ("(" + "/".join(dict.fromkeys(units)) + ")")
    fig.update_layout(yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": axis}, "range": [0, _headroom(frame[value].max())]})
    return fig


def funnel(frame: pd.DataFrame, stage: str, value: str, unit_column: str, *, title: str) -> go.Figure:
    """A funnel of successive stages (employers → openings → seekers → referrals → employed)."""
    fig = _figure(title, height=max(280, 80 + 56 * len(frame)))
    fig.add_trace(go.Funnel(
        y=frame[stage].astype(str).tolist(), x=frame[value].tolist(), customdata=frame[unit_column].tolist(),
        texttemplate="%{x:,.0f}%{customdata}", hovertemplate="%{y}: %{x:,.0f}%{customdata}<extra></extra>",
        marker={"color": color_of("실적")}, connector={"line": {"color": "#BBBBBB"}},
    ))
    return fig


def month_timeline(frame: pd.DataFrame, label: str, start: str, end: str, color_by: str, *, title: str,
                   as_of_month: int | None = None) -> go.Figure:
    """Activities drawn as bars across the months 1-12, coloured by team (a Gantt chart by month)."""
    rows = frame.dropna(subset=[start, end])
    fig = _figure(title, height=max(300, 110 + 26 * len(rows)))
    for member in dict.fromkeys(rows[color_by].astype(str)):
        part = rows[rows[color_by].astype(str) == member]
        fig.add_trace(go.Bar(
            y=part[label].astype(str).tolist(), base=(part[start] - 0.5).tolist(),
            x=(part[end] - part[start] + 1).tolist(), orientation="h", name=member,
            marker={"color": color_of(member), "pattern": {"shape": pattern_of(member), "fgcolor": "#222222",
                                                           "fgopacity": 0.35,
                                                           "fillmode": "overlay"}},
            customdata=list(zip(part[start].astype(int), part[end].astype(int), strict=True)),
            hovertemplate="%{y}<br>%{customdata[0]}월 ~ %{customdata[1]}월<extra>" + member + "</extra>",
        ))
    if as_of_month:
        fig.add_vline(x=as_of_month + 0.5, line_dash="dash", line_color=MARK_COLOR,
                      annotation_text="기준일", annotation_position="top")
    fig.update_layout(barmode="overlay",
                      yaxis={"autorange": "reversed", "tickformat": "", "categoryorder": "array",
                             "categoryarray": rows[label].astype(str).tolist()},
                      xaxis={"title": {"text": "(월)"}, "range": [0.5, 12.5], "tickmode": "array",
                             "tickvals": MONTHS, "ticktext": [f"{m}월" for m in MONTHS]})
    return fig
