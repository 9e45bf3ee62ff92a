"""Chart builders: a DataFrame in, a plotly Figure out; one builder per kind of chart.

Builders use plotly.graph_objects only (plotly.express was measured at 13-21 ms a figure against about
1 ms here). Values arrive already in the display unit; `unit` is only written into titles and hovers.
Every label taken from the data (categories, legend names, units) goes in through safe_text.plot, so plotly shows
it as text and never reads it as its HTML subset; the DataFrames themselves are left as they are.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from ydp_data import theme
from ydp_data.findings import signed_points
from ydp_data.formatting import number
from ydp_data.safe_text import plot
from ydp_data.theme import FONT_SIZE, MARK_COLOR, PACE_LINE_COLOR, STATUS_COLORS, STATUS_PATTERNS, TEMPLATE, color_of, pattern_of

MONTHS = list(range(1, 13))


def label_width(text: str, size: int = FONT_SIZE) -> float:
    """About how many pixels a label takes: a Hangul (wide) glyph one em, any other character 0.62 em."""
    return sum(size * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62) for c in text)


LABEL_MAX_PX = 300  # a longer category label is wrapped onto more lines, so the bars keep most of the width
LINE_PX = 20  # height of one line of a category label


def shown_width(label: str) -> float:
    """About how many pixels a label already escaped for plotly takes on screen ('&lt;' is one character)."""
    return label_width(html.unescape(label))


def labels_of(values: pd.Series) -> list[str]:
    """Category values from the data as plotly labels: escaped (safe_text.plot), the same value the same label in
    every trace of a figure."""
    return [plot(v) for v in values.astype(str)]


def wrap_label(text: str, limit: float = LABEL_MAX_PX) -> str:
    """A label (escaped for plotly) broken at spaces into lines of at most `limit` pixels with plotly's own <br>
    (a single longer word keeps its line)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and shown_width(f"{lines[-1]} {word}") <= limit:
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
    left = max((shown_width(line) for v in wrapped for line in v.split("<br>")), default=0.0)
    described = description_of(fig)  # a builder's neutral description goes on its own line above the source
    if source or described:
        fig.update_layout(title_subtitle_text="<br>".join(t for t in (described, source) if t))
    top = (104 if source or described else 70) + (18 if source and described else 0)
    bottom = (64 if fig.layout.xaxis.title.text else 40) + _footnote_px(fig)
    fig.update_layout(margin={"l": round(left) + 16, "r": 16, "t": top, "b": bottom})
    lines = max((v.count("<br>") + 1 for v in wrapped), default=1)
    needed = top + bottom + len(labels) * lines * LINE_PX  # every category's band holds its label's lines
    if lines > 1 and needed > (fig.layout.height or 450):
        fig.update_layout(height=needed)
    return fig


def description_of(fig: go.Figure) -> str:
    """The neutral description a builder gave its figure (under layout.meta), shown in the subtitle ('' for none)."""
    meta = fig.layout.meta
    return str(meta.get("description") or "") if isinstance(meta, dict) else ""


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
    labels = labels_of(frame[category])
    for column, label in series:
        fig.add_trace(go.Bar(
            y=labels, x=frame[column].tolist(), name=label, orientation="h", marker_color=color_of(label),
            hovertemplate=_hover(unit, decimals), texttemplate=f"%{{x:,.{decimals}f}}", textposition="outside",
            cliponaxis=False,
        ))
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": axis_title or f"({unit})"}, "tickformat": ",",
                             "range": [0, _headroom(frame[[c for c, _ in series]].max().max())]})
    return _units(fig, x=[unit])


def stacked_bars(frame: pd.DataFrame, category: str, stack: str, value: str, *, title: str, unit: str,
                 decimals: int = 0, order: Sequence[str] | None = None) -> go.Figure:
    """Horizontal bars per category stacked by a dimension (funding source, team), one colour per member."""
    fig = _figure(title, height=max(240, 110 + 40 * frame[category].nunique()))
    categories = list(dict.fromkeys(frame[category].astype(str)))
    labels = [plot(c) for c in categories]
    members = list(order) if order else list(dict.fromkeys(frame[stack].astype(str)))
    for member in members:
        part = frame[frame[stack].astype(str) == member]
        if part.empty:
            continue
        by_cat = dict(zip(part[category].astype(str), part[value], strict=False))
        fig.add_trace(go.Bar(
            y=labels, x=[by_cat.get(c) for c in categories], name=plot(member), orientation="h",
            marker={"color": color_of(member), "pattern": {"shape": pattern_of(member), "fgcolor": "#222222",
                                                           "fgopacity": 0.35,
                                                           "fillmode": "overlay"}},
            hovertemplate=_hover(unit, decimals),
            texttemplate=f"%{{x:,.{decimals}f}}", textposition="inside", insidetextanchor="middle",
        ))
    fig.update_layout(barmode="stack", yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": f"({unit})"}}, legend={"traceorder": "normal"})
    return _units(fig, x=[unit])


def rate_against_mark(frame: pd.DataFrame, category: str, rate: str, mark: float, *, title: str,
                      mark_label: str, color_by: str | None = None) -> go.Figure:
    """Per-category rates (%) as bars with one reference line, e.g. execution rate against the year elapsed."""
    fig = _figure(title, height=max(260, 110 + 40 * len(frame)))
    labels = labels_of(frame[category])
    colors = [color_of(str(v)) for v in frame[color_by]] if color_by else color_of("집행액")
    fig.add_trace(go.Bar(
        y=labels, x=frame[rate].tolist(), orientation="h", name="집행률", marker_color=colors,
        hovertemplate="%{y}<br>집행률: %{x:.1f}%<extra></extra>", texttemplate="%{x:.1f}%",
        textposition="outside", cliponaxis=False, showlegend=False,
    ))
    fig.add_vline(x=mark, line_dash="dash", line_color=MARK_COLOR,
                  annotation_text=f"{plot(mark_label)} {mark:.1f}%", annotation_position="top")
    fig.update_layout(yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": "(%)"}, "range": [0, max(100.0, float(frame[rate].max() or 0) + 10)],
                             "tickformat": ",.0f"})
    return _units(fig, x=["%"])


def value_bars(frame: pd.DataFrame, category: str, value: str, *, title: str, unit_column: str | None = None,
               unit: str = "", color_by: str | None = None, decimals: int = 0) -> go.Figure:
    """One bar per category for counts and amounts (people, sessions, followers), units shown on hover.

    When the frame carries the previous report's values (`<value>_prev`), they are drawn beside, in grey. Rows in
    more than one unit are drawn as panels, one per unit (never two units on one axis).
    """
    if unit_column and frame[unit_column].astype(str).nunique() > 1:
        return panels(frame, category, [(value, "이번 보고")], unit_column, title=title, decimals=decimals,
                      color_by=color_by)
    fig = _figure(title, height=max(240, 100 + 38 * len(frame) * (2 if f"{value}_prev" in frame else 1)))
    labels = labels_of(frame[category])
    units = labels_of(frame[unit_column]) if unit_column else [plot(unit)] * len(frame)
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
    axis = f"({plot(unit)})" if unit else ("(" + "/".join(dict.fromkeys(units)) + ")")
    fig.update_layout(yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": axis}, "range": [0, _headroom(frame[value].max())]})
    return _units(fig, x=[unit] if unit else frame[unit_column].astype(str).tolist() if unit_column else [""])


PAST_SHADE = "#9E9E9E"


def month_timeline(frame: pd.DataFrame, label: str, start: str, end: str, color_by: str, *, title: str,
                   as_of_month: int | None = None, as_of_label: str = "기준일", past_label: str = "지난 달") -> go.Figure:
    """Activities drawn as bars by month, coloured by team (a Gantt chart by month).

    With an as-of month the axis starts at that month (or at an earlier start of an activity) and the months up to
    the as-of date are shaded and labelled as past (past_label), so the remaining months take the width."""
    rows = frame.dropna(subset=[start, end])
    fig = _figure(title, height=max(300, 110 + 26 * len(rows)))
    for member in dict.fromkeys(rows[color_by].astype(str)):
        part = rows[rows[color_by].astype(str) == member]
        fig.add_trace(go.Bar(
            y=labels_of(part[label]), base=(part[start] - 0.5).tolist(),
            x=(part[end] - part[start] + 1).tolist(), orientation="h", name=plot(member),
            marker={"color": color_of(member), "pattern": {"shape": pattern_of(member), "fgcolor": "#222222",
                                                           "fgopacity": 0.35,
                                                           "fillmode": "overlay"}},
            customdata=list(zip(part[start].astype(int), part[end].astype(int), strict=True)),
            hovertemplate="%{y}<br>%{customdata[0]}월 ~ %{customdata[1]}월<extra>%{fullData.name}</extra>",
        ))
    first = 1
    if as_of_month:
        first = min([int(as_of_month), *(int(m) for m in rows[start])])
        fig.add_vrect(x0=first - 0.5, x1=as_of_month + 0.5, fillcolor=PAST_SHADE, opacity=0.18, line_width=0,
                      layer="below", annotation_text=plot(past_label), annotation_position="top left",
                      annotation_font_color="#555555")
        fig.add_vline(x=as_of_month + 0.5, line_dash="dash", line_color=MARK_COLOR,
                      annotation_text=plot(as_of_label), annotation_position="top")
    months = [m for m in MONTHS if m >= first]
    fig.update_layout(barmode="overlay",
                      yaxis={"autorange": "reversed", "tickformat": "", "categoryorder": "array",
                             "categoryarray": labels_of(rows[label])},
                      xaxis={"title": {"text": "(월)"}, "range": [first - 0.5, 12.5], "tickmode": "array",
                             "tickvals": months, "ticktext": [f"{m}월" for m in months]})
    return _units(fig, x=["월"])


def pace_status_bars(frame: pd.DataFrame, category: str, rate: str, gap: str, status: str, mark: float, *, title: str,
                     description: str, mark_label: str, status_labels: dict[str, str], tolerance: float) -> go.Figure:
    """Rates (%) against a pace line, most behind first: one trace per status (its colour, fill pattern and legend
    entry, in status_labels order), each bar labelled with its rate and signed gap ('30.8% · △10.6%p'), the pace line
    labelled and the band of ±tolerance around it shaded. The frame comes sorted by gap (ydp_data.status)."""
    fig = _figure(title, height=max(300, 130 + 40 * len(frame)))
    _meta(fig, description=plot(description))
    for key, label in status_labels.items():  # statuses in order of their gaps: bars stay sorted across traces
        part = frame[frame[status] == key]
        if part.empty:
            continue
        gaps = [signed_points(float(g)) for g in part[gap]]
        fig.add_trace(go.Bar(
            y=labels_of(part[category]), x=part[rate].tolist(), orientation="h", name=plot(label), showlegend=True,
            marker={"color": STATUS_COLORS[key], "pattern": {"shape": STATUS_PATTERNS[key], "fgcolor": "#FFFFFF",
                                                             "fgopacity": 0.5, "fillmode": "overlay"}},
            customdata=gaps, texttemplate="%{x:.1f}% · %{customdata}", textposition="outside", cliponaxis=False,
            hovertemplate="%{y}<br>%{x:.1f}% (%{customdata})<extra>%{fullData.name}</extra>",
        ))
    fig.add_vrect(x0=mark - tolerance, x1=mark + tolerance, fillcolor="#999999", opacity=0.15, line_width=0,
                  layer="below")
    fig.add_vline(x=mark, line_dash="dash", line_color=PACE_LINE_COLOR, annotation_text=f"{plot(mark_label)} {mark:.1f}%",
                  annotation_position="top")
    top = float(frame[rate].max()) if len(frame) else 0.0
    fig.update_layout(barmode="overlay", showlegend=True, legend={"x": 1, "xanchor": "right"},
                      yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": "(%)"}, "range": [0, max(100.0, top * 1.3)], "tickformat": ",.0f"})
    return _units(fig, x=["%"])


# --- honest charts: one unit per value axis, a part drawn against its whole, the report's own figures marked -------
# Every builder records the unit of the values on each of its value axes in layout.meta["units"] ({'x': ['명']}):
# one unit per axis, so a chart cut out of its page still says what its bars count.
FOOTNOTE_LINE_PX = 18
FOOTNOTE_WIDTH_PX = 520
PANEL_GAP_PX = 64  # between two panels: the upper panel's ticks and axis title


def axis_units(fig: go.Figure) -> dict[str, list[str]]:
    """The units of the values plotted on each value axis, as the builder recorded them, e.g. {'x': ['명'], 'x2': ['회']}."""
    meta = fig.layout.meta
    units = meta.get("units") if isinstance(meta, dict) else None
    return {str(axis): [str(u) for u in values] for axis, values in (units or {}).items()}


def _meta(fig: go.Figure, **entries: object) -> go.Figure:
    """Entries added to the figure's layout.meta, the others kept (a builder's description, its units, footnotes)."""
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    fig.update_layout(meta={**meta, **entries})
    return fig


def _units(fig: go.Figure, **axes: Sequence[str]) -> go.Figure:
    """Record the units of the values on each value axis (x, x2, …) of a figure (escaped like every label)."""
    return _meta(fig, units={axis: list(dict.fromkeys(plot(str(u)) for u in units)) for axis, units in axes.items()})


def _footnote_px(fig: go.Figure) -> int:
    """The room under the plot that the figure's footnotes take."""
    meta = fig.layout.meta
    lines = int(meta.get("footnote_lines", 0)) if isinstance(meta, dict) else 0
    return lines * FOOTNOTE_LINE_PX + 20 if lines else 0


def footnote(fig: go.Figure, text: str) -> go.Figure:
    """A note under the plot, wrapped to lines (what the chart leaves out, the report's own discrepancy), so that it
    stays with the chart saved as an image; fit_margins makes room for it. text is plain, escaped here ('': none)."""
    if not text:
        return fig
    wrapped = wrap_label(plot(text), FOOTNOTE_WIDTH_PX)
    lines = wrapped.count("<br>") + 1
    fig.add_annotation(text=wrapped, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-64,
                       showarrow=False, align="left", font={"size": 12, "color": theme.NEUTRAL})
    meta = fig.layout.meta
    before = int(meta.get("footnote_lines", 0)) if isinstance(meta, dict) else 0
    _meta(fig, footnote_lines=before + lines)
    return fig.update_layout(height=(fig.layout.height or 450) + lines * FOOTNOTE_LINE_PX + 20)


def panels(frame: pd.DataFrame, category: str, series: Sequence[tuple[str, str]], panel: str, *, title: str,
           unit_of: Callable[[str], str] | None = None, decimals: int = 0, color_by: str | None = None) -> go.Figure:
    """Small horizontal bar charts one above the other, one per value of `panel` (a unit), each on its own value axis
    titled with its unit: figures in different units never share an axis (4회 beside 88명 is no ranking).

    series: (column, legend label) pairs drawn side by side in every panel; unit_of(panel value) is the unit its axis
    shows (the value itself by default). The previous report's values of the last series (`<column>_prev`) are drawn
    beside, in grey.
    """
    unit_of = unit_of or (lambda value: value)
    if f"{series[-1][0]}_prev" in frame:
        series = [*series, (f"{series[-1][0]}_prev", "직전 보고")]
    groups = list(dict.fromkeys(frame[panel].astype(str)))
    parts = [frame[frame[panel].astype(str) == g] for g in groups]
    band = 30 * len(series) + 8  # pixels per category
    plot_px = sum(band * len(p) for p in parts) + PANEL_GAP_PX * (len(parts) - 1)
    fig = _figure(title, height=max(260, plot_px + 170))
    top, units, layout = 1.0, {}, {}
    for n, (group, part) in enumerate(zip(groups, parts, strict=True), start=1):
        x, y, suffix = ("x", "y", "") if n == 1 else (f"x{n}", f"y{n}", str(n))
        unit = unit_of(group)
        labels = labels_of(part[category])
        for column, label in series:
            colors = ([color_of(str(v)) for v in part[color_by]] if color_by and not column.endswith("_prev")
                      else color_of(label))
            fig.add_trace(go.Bar(
                y=labels, x=part[column].tolist(), orientation="h", name=plot(label), xaxis=x, yaxis=y,
                marker_color=colors, legendgroup=label, showlegend=n == 1 and len(series) > 1,
                customdata=[plot(unit)] * len(part), texttemplate=f"%{{x:,.{decimals}f}}%{{customdata}}",
                textposition="outside", cliponaxis=False,
                hovertemplate=f"%{{y}}: %{{x:,.{decimals}f}}%{{customdata}}<extra>%{{fullData.name}}</extra>",
            ))
        height = band * len(part) / plot_px
        highest = pd.to_numeric(part[[c for c, _ in series]].stack(), errors="coerce").max()
        layout[f"yaxis{suffix}"] = {"domain": [max(0.0, top - height), top], "anchor": x, "autorange": "reversed",
                                    "tickformat": ""}
        layout[f"xaxis{suffix}"] = {"anchor": y, "title": {"text": f"({plot(unit)})", "standoff": 4}, "tickformat": ",",
                                    "range": [0, _headroom(highest) * 1.2]}  # room for the value and its unit
        units[x] = [unit]
        top -= height + PANEL_GAP_PX / plot_px
    fig.update_layout(barmode="group", **layout)
    return _units(fig, **units)


def progress(frame: pd.DataFrame, label: str, *, title: str, unit: str, value_name: str, whole_name: str,
             decimals: int = 0, stated_name: str = "보고서 표기", note: str | None = None) -> go.Figure:
    """A part against its whole, one bar per row (a bullet chart): the whole (a target, or the people a result
    comes from) as a long light bar, the part inside it, 'part / whole (share)' beside it; where the report prints
    another share (stated_rate_pct), a tick marks it. The frame is queries.part_of_whole's (value, whole, rate_pct,
    stated_rate_pct), money already in the display unit; note goes under the plot."""
    fig = _figure(title, height=max(230, 170 + 64 * len(frame)))
    labels = labels_of(frame[label])
    shares = [f"{number(v, decimals)} / {number(w, decimals)}{plot(unit)} ({number(r, 1)}%)"
              for v, w, r in zip(frame["value"], frame["whole"], frame["rate_pct"], strict=True)]
    fig.add_trace(go.Bar(
        y=labels, x=frame["whole"].tolist(), orientation="h", name=plot(whole_name), width=0.6,
        marker={"color": color_of("목표"), "line": {"color": theme.NEUTRAL, "width": 1}}, text=shares,
        textposition="outside", cliponaxis=False, hovertemplate=_hover(plot(unit), decimals),
    ))
    fig.add_trace(go.Bar(
        y=labels, x=frame["value"].tolist(), orientation="h", name=plot(value_name), width=0.3,
        marker_color=color_of("실적"), hovertemplate=_hover(plot(unit), decimals),
    ))
    marked = frame[frame["stated_rate_pct"].notna() & (frame["stated_rate_pct"].round(1) != frame["rate_pct"].round(1))]
    if not marked.empty:  # the report's own share, where it differs from the computed one (e.g. 57% for 57.8%)
        fig.add_trace(go.Scatter(
            y=labels_of(marked[label]), x=(marked["whole"] * marked["stated_rate_pct"] / 100).tolist(),
            mode="markers+text", name=plot(stated_name), text=[f"{number(s, 1)}%" for s in marked["stated_rate_pct"]],
            textposition="top center", marker={"symbol": "line-ns-open", "size": 30, "line": {"width": 3, "color": MARK_COLOR}},
            hovertemplate="%{y}<br>" + plot(stated_name) + ": %{text}<extra></extra>",
        ))
    fig.update_layout(barmode="overlay", yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": f"({plot(unit)})"}, "tickformat": ",",
                             "range": [0, _headroom(frame["whole"].max()) * 1.3]})
    if note:
        footnote(fig, note)
    return _units(fig, x=[unit])


def mark_stated(fig: go.Figure, frame: pd.DataFrame, category: str, stated: str, *, name: str = "보고서 표기") -> go.Figure:
    """The report's printed rate as a tick on a chart of computed rates (%), for the rows given: the bar keeps the
    computed rate (Ⅱ-1 35.3%), the tick the report's figure (35.2%)."""
    rows = frame.dropna(subset=[stated])
    if rows.empty:
        return fig
    fig.add_trace(go.Scatter(
        y=labels_of(rows[category]), x=rows[stated].tolist(), mode="markers", name=plot(name),
        marker={"symbol": "line-ns-open", "size": 24, "line": {"width": 3, "color": "#222222"}},
        hovertemplate="%{y}<br>" + plot(name) + ": %{x:.1f}%<extra></extra>",
    ))
    return fig


TREND_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")


def trend_lines(frame: pd.DataFrame, period: str, value: str, series: str, *, title: str, value_title: str,
                mark: str | None = None, mark_label: str = "", mark_value: float | None = None) -> go.Figure:
    """A value (%) per report period, one line per series with its own marker, against a reference that is itself a
    line (the year's pace at each period) or a level (100% of the annual target); the reference labelled."""
    fig = _figure(title, height=380)
    periods = [str(p)[:10] for p in sorted(frame[period].unique())]
    for n, (name, part) in enumerate(frame.groupby(series, sort=False)):
        part = part.sort_values(period)
        fig.add_trace(go.Scatter(
            x=[str(p)[:10] for p in part[period]], y=part[value].tolist(), name=plot(name), mode="lines+markers+text",
            marker={"symbol": TREND_SYMBOLS[n % len(TREND_SYMBOLS)], "size": 10}, line={"width": 2},
            text=[f"{v:.1f}%" if v == v else "" for v in part[value]], textposition="top center",
            hovertemplate="%{x}<br>%{fullData.name}: %{y:.1f}%<extra></extra>",
        ))
    if mark is not None:
        pace = frame.drop_duplicates(period).sort_values(period)
        fig.add_trace(go.Scatter(
            x=[str(p)[:10] for p in pace[period]], y=pace[mark].tolist(), name=plot(mark_label), mode="lines+markers",
            line={"dash": "dash", "color": MARK_COLOR}, marker={"color": MARK_COLOR, "symbol": "line-ew-open"},
            hovertemplate="%{x}<br>%{fullData.name}: %{y:.1f}%<extra></extra>",
        ))
    if mark_value is not None:
        fig.add_hline(y=mark_value, line_dash="dash", line_color=MARK_COLOR,
                      annotation_text=f"{plot(mark_label)} {mark_value:.0f}%", annotation_position="top left")
    top = max(100.0, float(pd.to_numeric(frame[value], errors="coerce").max() or 0) + 15)
    fig.update_layout(xaxis={"type": "category", "categoryarray": periods, "title": {"text": "기준일"}},
                      yaxis={"title": {"text": value_title}, "range": [0, top], "ticksuffix": "%"},
                      legend={"orientation": "h", "y": -0.25})
    return _units(fig, y=["%"])
