"""Chart builders: a DataFrame in, a plotly Figure out; one builder per kind of chart.

Builders use plotly.graph_objects only (plotly.express was measured at 13-21 ms a figure against about
1 ms here). Values arrive already in the display unit; `unit` is only written into titles and hovers.
Every label taken from the data (categories, legend names, units) goes in through safe_text.plot, so plotly shows
it as text and never reads it as its HTML subset; the DataFrames themselves are left as they are.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go

from ydp_data import theme
from ydp_data.findings import signed_points
from ydp_data.formatting import number
from ydp_data.safe_text import plot
from ydp_data.theme import FONT_SIZE, MARK_COLOR, PACE_LINE_COLOR, STATUS_COLORS, TEMPLATE, color_of

MONTHS = list(range(1, 13))


def label_width(text: str, size: int = FONT_SIZE) -> float:
    """About how many pixels a label takes: a Hangul (wide) glyph one em, any other character 0.62 em."""
    return sum(size * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62) for c in text)


LABEL_MAX_PX = 300  # wrap_label's default width (footnotes and labels wrapped for a wide page)
LINE_PX = 20  # height of one line of text at FONT_SIZE (a category label, a subtitle, a footnote)
TITLE_LINE_PX = 28  # height of one line of a title at theme.TITLE_SIZE
# The screen layout plans for the narrowest chart it is shown in, a 390 px phone (Streamlit leaves the chart 358 px):
# text wider than TEXT_PX is wrapped, and a value written beside a bar must fit in a plotting area of SCREEN_PLOT_PX.
TEXT_PX = 320
SCREEN_PLOT_PX = 290
BAR_PX = 22  # the least thickness of one bar on screen
# a white outline around each category label's letters: a line drawn across the chart (the as-of date) passes behind
LABEL_HALO = ", ".join(f"{x}px {y}px 1px #fff" for x in (-1, 0, 1) for y in (-1, 0, 1) if x or y)
SIDE_PX = 16  # left and right margin of a horizontal-bar chart: its category labels are inside the plotting area


def shown_width(label: str, size: int = FONT_SIZE) -> float:
    """About how many pixels a label already escaped for plotly takes on screen ('&lt;' is one character)."""
    return label_width(html.unescape(label), size)


def labels_of(values: pd.Series) -> list[str]:
    """Category values from the data as plotly labels: escaped (safe_text.plot), the same value the same label in
    every trace of a figure."""
    return [plot(v) for v in values.astype(str)]


def wrap_label(text: str, limit: float = LABEL_MAX_PX, size: int = FONT_SIZE) -> str:
    """A label (escaped for plotly) broken at spaces into lines of at most `limit` pixels with plotly's own <br>
    (a single longer word keeps its line)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and shown_width(f"{lines[-1]} {word}", size) <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def rewrap(text: str, limit: float = TEXT_PX, size: int = FONT_SIZE) -> str:
    """Text already broken with <br> broken again at `limit` pixels (every line of it)."""
    return "<br>".join(wrap_label(line, limit, size) for line in text.split("<br>"))


def _horizontal(trace: object) -> bool:
    return getattr(trace, "type", None) == "funnel" or (getattr(trace, "type", None) == "bar"
                                                        and getattr(trace, "orientation", None) == "h")


_FIELD = re.compile(r"%\{(\w+)(?:\[(\d+)\])?(?::([^}]*))?\}")


def shown_texts(trace: go.Bar | go.Scatter) -> list[str]:
    """The text plotly writes at each point of a trace (its texttemplate filled in, or its text), unescaped."""
    count = len(trace.x) if trace.x is not None else 0
    template = getattr(trace, "texttemplate", None)
    if isinstance(template, str) and template:

        def fill(i: int) -> str:
            def one(m: re.Match[str]) -> str:
                values = getattr(trace, m[1], None)
                if values is None or isinstance(values, str):
                    return str(values or "")
                value = values[i] if i < len(values) else ""
                if m[2] is not None:
                    value = value[int(m[2])]
                if m[3] and isinstance(value, (int, float)) and value == value:
                    return format(float(value), m[3])
                return str(value)
            return html.unescape(_FIELD.sub(one, template))

        return [fill(i) for i in range(count)]
    text = trace.text
    if text is None:
        return [""] * count
    if isinstance(text, str):
        return [html.unescape(text)] * count
    return [html.unescape(str(t)) if t is not None else "" for t in text]


def _categories(fig: go.Figure, axis: str) -> list[str]:
    """The categories of a y axis in the order plotly draws them (its categoryarray, then as the traces bring them)."""
    layout_axis = fig.layout["yaxis" + axis[1:]]
    order: list[str] = []
    if layout_axis.categoryorder == "array" and layout_axis.categoryarray is not None:
        order = [str(v) for v in layout_axis.categoryarray]
    for trace in fig.data:
        if (getattr(trace, "yaxis", None) or "y") == axis and getattr(trace, "y", None) is not None:
            order += [str(v) for v in trace.y]
    return list(dict.fromkeys(order))


def _legend_px(fig: go.Figure) -> int:
    """The room a legend below the plot takes at the narrowest width (its entries packed into rows), 0 for none."""
    names = [str(t.name) for t in fig.data if t.name and t.showlegend is not False]
    if not names or (len(names) < 2 and fig.layout.showlegend is not True) or fig.layout.showlegend is False:
        return 0
    rows, used = 1, 0.0
    for name in dict.fromkeys(names):
        width = shown_width(name) + 44  # the symbol, the gap and the text
        if used and used + width > TEXT_PX + SIDE_PX:
            rows, used = rows + 1, 0.0
        used += width
    return rows * 24 + 8


def room_for(end: float, text: str) -> float:
    """The axis length at which a text written beside a bar ending at `end` still fits in the narrowest plotting area."""
    share = min(0.65, (max(shown_width(plot(line)) for line in text.split("<br>")) + 12) / SCREEN_PLOT_PX)
    return end / (1 - share)


def _value_headroom(fig: go.Figure) -> None:
    """Every value axis of a horizontal-bar chart long enough that a value written beside the longest bar still fits
    in the narrowest plotting area (SCREEN_PLOT_PX), and ticks that never run into each other there (in place)."""
    ends: dict[str, float] = {}
    for trace in fig.data:
        outside = (_horizontal(trace) and trace.textposition == "outside") or (
            trace.type == "scatter" and "text" in (trace.mode or "") and trace.textposition == "middle right")
        if not outside or trace.x is None:
            continue
        bases = trace.base if getattr(trace, "base", None) is not None and not isinstance(trace.base, (int, float)) \
            else [trace.base or 0] * len(trace.x) if trace.type == "bar" else [0] * len(trace.x)
        for x, base, text in zip(trace.x, bases, shown_texts(trace), strict=False):
            if x is None or x != x or not text:
                continue
            axis = getattr(trace, "xaxis", None) or "x"
            ends[axis] = max(ends.get(axis, 0.0), room_for(float(x) + float(base or 0), text))
    for axis, end in ends.items():
        layout_axis = fig.layout["xaxis" + axis[1:]]
        low, high = layout_axis.range if layout_axis.range is not None else (0, 0)
        layout_axis.range = [low, max(float(high), end)]


def _ticks_fit(fig: go.Figure) -> int:
    """Value-axis ticks level (never turned) and few enough to stand apart at the narrowest width; the right margin
    that the last tick's label needs."""
    right = SIDE_PX
    for axis in fig.select_xaxes():
        axis.tickangle = 0
        if axis.title.text and axis.title.standoff is None:  # the unit right under the ticks, above the footnotes
            axis.title.standoff = 6
        if axis.type == "category" or axis.tickmode == "array":
            labels = [str(t) for t in (axis.ticktext or axis.categoryarray or ())] or ["0000-00-00"]
        else:
            high = float(axis.range[1]) if axis.range is not None else 100.0
            labels = [format(high, ",.0f") + (axis.ticksuffix or "")]
        widest = max(shown_width(t) for t in labels)
        if axis.tickmode != "array":
            axis.nticks = max(2, int(SCREEN_PLOT_PX // (widest + 28)))
        right = max(right, round(widest / 2) + 6)
    return right


def _category_labels(fig: go.Figure, top: int, bottom: int) -> None:
    """Category labels of a horizontal-bar chart written above their bars inside the plotting area, from its left
    edge (the category axis's own tick labels, drawn inside), instead of in a left margin: the bars keep the chart's
    whole width on a phone and on a projector alike. The chart is made tall enough for every label and its bars (in
    place). Tick labels, not annotations: plotly measures every annotation in the page, which made the 29 labels of
    the plans timeline a fifth of its page's load (bench/README.md).

    Without marks on the bars (a scatter trace sits at a category's middle), each category's bars are placed right
    under its label by hand (offset and width); with marks, the bars stay in the band's middle and the bar gap leaves
    the label's room both above and below them."""
    compact = not any(t.type == "scatter" for t in fig.data)
    axes = list(dict.fromkeys(getattr(t, "yaxis", None) or "y" for t in fig.data if _horizontal(t)))
    grouped = fig.layout.barmode == "group"
    needs: dict[str, tuple[list[str], int, float]] = {}
    label_px = 0
    for axis in axes:
        categories = _categories(fig, axis)
        wrapped = [wrap_label(c, TEXT_PX) for c in categories]
        lines = max((w.count("<br>") + 1 for w in wrapped), default=1)
        label_px = max(label_px, lines * LINE_PX + 4)
        bars = sum(1 for t in fig.data if _horizontal(t) and (getattr(t, "yaxis", None) or "y") == axis) if grouped else 1
        lines_beside = max((text.count("<br>") + 1 for t in fig.data if (getattr(t, "yaxis", None) or "y") == axis
                            and t.type in ("bar", "scatter") for text in shown_texts(t)), default=1)
        bars = max(bars, math.ceil(lines_beside * LINE_PX / BAR_PX))  # a value on two lines needs a thicker bar
        layout_axis = fig.layout["yaxis" + axis[1:]]
        domain = layout_axis.domain or (0, 1)
        needs[axis] = (wrapped, bars, float(domain[1]) - float(domain[0]))
    room = label_px + 8 if compact else 2 * label_px  # per category, besides its bars
    plot_px = max(len(w) * (room + bars * BAR_PX) / share for w, bars, share in needs.values())
    height = max(int(fig.layout.height or 450), round(top + bottom + plot_px))
    plot_px = height - top - bottom
    gap = max(2 * label_px * len(w) / (share * plot_px) for w, _, share in needs.values())
    gap = min(0.8, gap)
    fig.update_layout(height=height, bargap=gap)
    for axis, (wrapped, bars, share) in needs.items():
        layout_axis = fig.layout["yaxis" + axis[1:]]
        reversed_axis = layout_axis.autorange == "reversed"
        ends = [len(wrapped) - 0.5, -0.5] if reversed_axis else [-0.5, len(wrapped) - 0.5]  # bands fixed by hand
        band_px = share * plot_px / max(1, len(wrapped))
        # each label centred on a tick placed its half height under its band's top, in the axis's units: in a taller
        # chart (full screen) it moves down with its band's room, never onto the bars
        below = [(2 + LINE_PX * (text.count("<br>") + 1)) / 2 / band_px for text in wrapped]
        layout_axis.update(showticklabels=True, ticks="", tickmode="array", ticktext=wrapped,
                           tickvals=[n - 0.5 + d if reversed_axis else n + 0.5 - d for n, d in enumerate(below)],
                           ticklabelposition="inside", ticklabeloverflow="allow", autorange=False, range=ends,
                           tickfont={"size": FONT_SIZE, "color": theme.TEXT_COLOR, "shadow": LABEL_HALO})
        if compact:
            _under_labels(fig, axis, band_px, label_px, bars, grouped)
    for trace in fig.data:
        if _horizontal(trace) and isinstance(trace.width, (int, float)) and not compact:  # a bullet chart's widths
            trace.width = trace.width * (1 - gap)
        if trace.type == "scatter":  # a mark's text under it, in the room below the bars, not the labels' above them
            if trace.textposition == "top center":
                trace.textposition = "bottom center"
            if trace.marker.size is not None:
                trace.marker.size = min(float(trace.marker.size), (1 - gap) * plot_px / max(len(w) for w, _, _ in
                                                                                           needs.values()))


def _under_labels(fig: go.Figure, axis: str, band_px: float, label_px: int, bars: int, grouped: bool) -> None:
    """The bars of one axis placed right under their category's label (in place): their room is what the band leaves
    under the label, up to 1.6 times the least."""
    ends = fig.layout["yaxis" + axis[1:]].range  # fixed by _category_labels: the first category on top when reversed
    reversed_axis = ends is not None and ends[0] > ends[1]
    label, room = label_px / band_px, min(band_px - label_px - 6, bars * BAR_PX * 1.6) / band_px
    mine = [t for t in fig.data if t.type == "bar" and t.orientation == "h" and (t.yaxis or "y") == axis]
    widest = max((float(t.width) for t in mine if isinstance(t.width, (int, float))), default=1.0)
    for k, trace in enumerate(mine):
        if grouped:
            width, start = room / len(mine), k * room / len(mine)
        else:
            width = room * (float(trace.width) / widest if isinstance(trace.width, (int, float)) else 1.0)
            start = (room - width) / 2
        trace.width = width
        trace.offset = -0.5 + label + start if reversed_axis else 0.5 - label - start - width


def fit_margins(fig: go.Figure, source: str | None = None) -> go.Figure:
    """The chart as the app shows it, one layout for every width from a 390 px phone to a projector (in place):

    - a horizontal-bar chart's category labels above its bars inside the plotting area (_category_labels), so the
      bars take the whole width; values beside the bars and the value ticks fit at the narrowest width;
    - the title, the neutral description and the source line (subtitle) wrapped to that width;
    - the legend below the plot, then the footnotes, the axis title and the ticks above them, each with its room.
    Fixed margins: plotly's automargin measures the drawn labels and then draws the chart again, which on a page of
    charts doubled the browser's work (bench/RESULTS.md)."""
    described = description_of(fig)  # a builder's neutral description goes on its own line above the source
    title = rewrap(fig.layout.title.text or "", TEXT_PX, theme.TITLE_SIZE)  # its lines counted as drawn, below
    # plotly centres a title of several lines on where its one line would be: each line after the first moves the
    # first half a line up, out of the chart, unless the pad brings it back down
    fig.update_layout(title={"text": title, "xref": "paper", "x": 0, "yref": "container", "y": 1, "yanchor": "top",
                             "pad": {"t": 10 + TITLE_LINE_PX // 2 * title.count("<br>")}})
    subtitle = "<br>".join(rewrap(t) for t in (described, source) if t)
    if subtitle:
        fig.update_layout(title_subtitle_text=subtitle)
    marks = [a for a in fig.layout.annotations or () if a.y == 1 and a.yanchor == "bottom"]  # a line's label on top
    heading = (10 + TITLE_LINE_PX * (title.count("<br>") + 1 if title else 0)
               + (LINE_PX * (subtitle.count("<br>") + 1) + 8 if subtitle else 0))
    horizontal = any(_horizontal(t) for t in fig.data)
    axis_px = 34 + (26 if fig.layout.xaxis.title.text else 0)  # the ticks and the axis title beside the plot
    # a tall chart (a timeline) has its x axis on top, on the first screen, and its marks' labels above the axis
    on_top = fig.layout.xaxis.side == "top"
    top = heading + (axis_px if on_top else 0) + (26 if marks else 8)
    for mark in marks:
        mark.yshift = axis_px if on_top else None
    notes_px = 0
    for note in fig.layout.annotations or ():
        if note.name == "footnote":
            note.text = rewrap(note.text.replace("<br>", " "))
            note.yshift = -4 if on_top else -(axis_px + 4)
            notes_px += LINE_PX * (note.text.count("<br>") + 1) + 8
    legend = _legend_px(fig)
    if legend:
        fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "yref": "container", "y": 0,
                                  "yanchor": "bottom", "font": {"size": FONT_SIZE}})
    bottom = (0 if on_top else axis_px) + notes_px + legend + 6
    if horizontal:
        _value_headroom(fig)
        _category_labels(fig, top, bottom)
        left = SIDE_PX
    else:
        ticks = [format(float(fig.layout.yaxis.range[1]), ",.0f") + (fig.layout.yaxis.ticksuffix or "")
                 if fig.layout.yaxis.range is not None else "100"]
        left = round(max(shown_width(t) for t in ticks)) + (40 if fig.layout.yaxis.title.text else 12)
    right = _ticks_fit(fig)
    fig.update_layout(margin={"l": left, "r": right, "t": top, "b": bottom})
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


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two '#RRGGBB' colours."""
    def lum(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: str) -> str:
    """The text colour for a value written on a fill: dark where it reads (WCAG AA, 4.5:1), else black or white."""
    choices = (theme.TEXT_COLOR, "#000000", "#FFFFFF")
    return next((c for c in choices if contrast(c, fill) >= 4.5), max(choices, key=lambda c: contrast(c, fill)))


def stacked_bars(frame: pd.DataFrame, category: str, stack: str, value: str, *, title: str, unit: str,
                 decimals: int = 0, order: Sequence[str] | None = None) -> go.Figure:
    """Horizontal bars per category stacked by a dimension (funding source, team), one solid colour per member.

    A part's value is written inside it only where it fits even on the narrowest screen (SCREEN_PLOT_PX); a narrower
    part's value is in its hover and the chart's rows, never printed on it. Each bar's total is written beside it."""
    fig = _figure(title, height=max(240, 110 + 40 * frame[category].nunique()))
    categories = list(dict.fromkeys(frame[category].astype(str)))
    labels = [plot(c) for c in categories]
    members = list(order) if order else list(dict.fromkeys(frame[stack].astype(str)))
    values = {m: dict(zip(frame[frame[stack].astype(str) == m][category].astype(str),
                          frame[frame[stack].astype(str) == m][value], strict=False)) for m in members}
    totals = [sum(float(v) for m in members if (v := values[m].get(c)) is not None and not pd.isna(v))
              for c in categories]  # a missing part (NaN) adds nothing: never a 'nan' total beside the bar
    fmt = f",.{decimals}f"
    sums = [format(t, fmt) for t in totals]
    end = max([room_for(t, s) for t, s in zip(totals, sums, strict=True)] + [1.0])
    for member in members:
        if not values[member]:
            continue
        texts = []
        for c in categories:
            v = values[member].get(c)
            text = format(float(v), fmt) if v is not None and v == v and v else ""
            texts.append(text if text and float(v) / end * SCREEN_PLOT_PX >= label_width(text) + 8 else "")
        fig.add_trace(go.Bar(
            y=labels, x=[values[member].get(c) for c in categories], name=plot(member), orientation="h",
            marker={"color": color_of(member)}, hovertemplate=_hover(unit, decimals),
            text=texts, textposition="inside", insidetextanchor="middle",
            insidetextfont={"color": text_on(color_of(member))},
        ))
    fig.add_trace(go.Scatter(
        y=labels, x=totals, mode="text", text=sums, textposition="middle right", name="합계", showlegend=False,
        hovertemplate="%{y}<br>합계: %{x:" + fmt + "}" + plot(unit) + "<extra></extra>", cliponaxis=False,
        textfont={"color": theme.TEXT_COLOR},
    ))
    fig.update_layout(barmode="stack", yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": f"({unit})"}, "range": [0, end]}, legend={"traceorder": "normal"})
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
    the as-of date are shaded, so the remaining months take the width; above the plot, the as-of line's label and
    left of it the past months' (past_label). The months are on top (fit_margins), where a tall timeline is first
    seen."""
    rows = frame.dropna(subset=[start, end])
    fig = _figure(title, height=max(300, 110 + 26 * len(rows)))
    for member in dict.fromkeys(rows[color_by].astype(str)):
        part = rows[rows[color_by].astype(str) == member]
        fig.add_trace(go.Bar(
            y=labels_of(part[label]), base=(part[start] - 0.5).tolist(),
            x=(part[end] - part[start] + 1).tolist(), orientation="h", name=plot(member),
            marker={"color": color_of(member)},
            customdata=list(zip(part[start].astype(int), part[end].astype(int), strict=True)),
            hovertemplate="%{y}<br>%{customdata[0]}월 ~ %{customdata[1]}월<extra>%{fullData.name}</extra>",
        ))
    first = 1
    if as_of_month:
        first = min([int(as_of_month), *(int(m) for m in rows[start])])
        fig.add_vrect(x0=first - 0.5, x1=as_of_month + 0.5, fillcolor=PAST_SHADE, opacity=0.18, line_width=0,
                      layer="below")
        fig.add_vline(x=as_of_month + 0.5, line_dash="dash", line_color=MARK_COLOR)
        # both labels above the plot (fit_margins lifts them over a top axis), either side of the as-of line: at the
        # foot of the band the past months' label was off the first screen and read on from the last activity's name
        for text, side, shift, color in ((past_label, "right", -3, "#555555"), (as_of_label, "left", 3, None)):
            fig.add_annotation(x=as_of_month + 0.5, xref="x", y=1, yref="y domain", yanchor="bottom", xanchor=side,
                               xshift=shift, text=plot(text), showarrow=False, font={"color": color})
    months = [m for m in MONTHS if m >= first]
    months = months if len(months) <= 8 else months[::2]  # level ticks that stand apart on a phone
    fig.update_layout(barmode="overlay",
                      yaxis={"autorange": "reversed", "tickformat": "", "categoryorder": "array",
                             "categoryarray": labels_of(rows[label])},
                      xaxis={"title": {"text": "(월)"}, "range": [first - 0.5, 12.5], "tickmode": "array",
                             "tickvals": months, "ticktext": [f"{m}월" for m in months], "side": "top"})
    return _units(fig, x=["월"])


def pace_status_bars(frame: pd.DataFrame, category: str, rate: str, gap: str, status: str, mark: float, *, title: str,
                     description: str, mark_label: str, status_labels: dict[str, str], tolerance: float) -> go.Figure:
    """Rates (%) against a pace line, most behind first: one trace per status (its solid colour and legend
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
            marker={"color": STATUS_COLORS[key]},
            customdata=gaps, texttemplate="%{x:.1f}% · %{customdata}", textposition="outside", cliponaxis=False,
            hovertemplate="%{y}<br>%{x:.1f}% (%{customdata})<extra>%{fullData.name}</extra>",
        ))
    fig.add_vrect(x0=mark - tolerance, x1=mark + tolerance, fillcolor="#999999", opacity=0.15, line_width=0,
                  layer="below")
    fig.add_vline(x=mark, line_dash="dash", line_color=PACE_LINE_COLOR, annotation_text=f"{plot(mark_label)} {mark:.1f}%",
                  annotation_position="top")
    top = float(frame[rate].max()) if len(frame) else 0.0
    fig.update_layout(barmode="overlay", showlegend=True,
                      yaxis={"autorange": "reversed", "tickformat": ""},
                      xaxis={"title": {"text": "(%)"}, "range": [0, max(100.0, top * 1.3)], "tickformat": ",.0f"})
    return _units(fig, x=["%"])


# --- honest charts: one unit per value axis, a part drawn against its whole, the report's own figures marked -------
# Every builder records the unit of the values on each of its value axes in layout.meta["units"] ({'x': ['명']}):
# one unit per axis, so a chart cut out of its page still says what its bars count.
FOOTNOTE_LINE_PX = 20
FOOTNOTE_WIDTH_PX = 520
FOOTNOTE_SHIFT_PX = 70  # from the plot's bottom edge to a footnote's top: room for the ticks and the axis title
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
    """Record the units of the values on each value axis (x, x2, …) of a figure (escaped like every label); every
    bar's text level and at the theme's size (plotly would turn it or shrink it to fit a narrow bar)."""
    fig.update_traces(textangle=0, constraintext="none", selector={"type": "bar"})
    return _meta(fig, units={axis: list(dict.fromkeys(plot(str(u)) for u in units)) for axis, units in axes.items()})


def footnote(fig: go.Figure, text: str) -> go.Figure:
    """A note under the plot, wrapped to lines (what the chart leaves out, the report's own discrepancy), so that it
    stays with the chart saved as an image; fit_margins makes room for it. text is plain, escaped here ('': none)."""
    if not text:
        return fig
    wrapped = wrap_label(plot(text), FOOTNOTE_WIDTH_PX)
    lines = wrapped.count("<br>") + 1
    fig.add_annotation(name="footnote", text=wrapped, xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", yshift=-FOOTNOTE_SHIFT_PX, showarrow=False, align="left",
                       font={"size": FONT_SIZE, "color": theme.NEUTRAL})
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
    shares = [f"{number(v, decimals)} / {number(w, decimals)}{plot(unit)}<br>({number(r, 1)}%)"
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
