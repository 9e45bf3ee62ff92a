"""Charts legible in the room, read from the figures every page hands to the browser (AppTest, every section open, in
Korean and in English) and from every briefing slide as the Briefing page shows it: no text under 14 px and the title
larger than the rest, bar values level and never shrunk, no number on a hatched or dotted fill, no value inside a part
narrower than the value even on a phone, values on a fill dark on light (or white on dark) at WCAG AA, category labels
above the bars (not in a left margin), legends below the plot, month ticks in the reader's language.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest

from tests.apptest_pages import PAGES, Pages
from tests.figure_labels import category_labels
from ydp_data import briefing, charts, i18n, theme
from ydp_data.db import Database
from ydp_data.filters import Filters
from ydp_data.i18n import ENGLISH

REPORT_ID = "ydp-jobs-2023-05"
SCREEN_PAGES = [p for p in PAGES if "Publish" not in p]
LANGS = ["한국어", ENGLISH]




def page_figures(pages: Pages, page: str, lang: str) -> dict[str, dict[str, Any]]:
    run = pages.open(page, {"lang": lang})
    assert not run.at.exception, [e.value for e in run.at.exception]
    return {name: run.figure(name) for name in run.keyed("plotly_chart", "chart_")}


def slide_figures(db: Database, lang: str) -> dict[str, dict[str, Any]]:
    """Every briefing slide's chart as the Briefing page draws it (its height, then the app's screen layout)."""
    found = {}
    for slide in briefing.build_slides(db, Filters(REPORT_ID), "천원", lang):
        if slide.chart is not None:
            slide.chart.update_layout(height=380)
            fig = charts.fit_margins(i18n.localise_figure(slide.chart, lang), "출처: 보고서 Ⅱ-1 · 2023-05-31 기준")
            found[slide.key] = fig.to_plotly_json()
    return found


def font_sizes(node: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every font size set anywhere in a figure (template included), with where it is set."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key.endswith("font") and isinstance(value, dict) and isinstance(value.get("size"), (int, float)):
                yield here, float(value["size"])
            yield from font_sizes(value, here)
    elif isinstance(node, (list, tuple)):
        for n, item in enumerate(node):
            yield from font_sizes(item, f"{path}[{n}]")


def axis_of(spec: dict[str, Any], trace: dict[str, Any]) -> dict[str, Any]:
    name = trace.get("xaxis") or "x"
    return dict(spec["layout"].get("xaxis" + name[1:], {}))


def faults(spec: dict[str, Any]) -> list[str]:
    """What in one figure (plotly JSON) breaks the room-ready rules."""
    found: list[str] = []
    layout = spec["layout"]
    sizes = list(font_sizes(spec))
    found += [f"{where} at {size} px" for where, size in sizes if size < theme.FONT_SIZE]
    titles = [s for w, s in sizes if w.endswith(".title.font") and ".layout.title" in w and "axis" not in w]
    others = [s for w, s in sizes if not (w.endswith(".title.font") and ".layout.title" in w and "axis" not in w)]
    if not titles or min(titles) <= max(others, default=0):
        found.append(f"title {titles} not larger than the rest {max(others, default=0)}")
    horizontal = [t for t in spec["data"] if t.get("type") == "bar" and t.get("orientation") == "h"]
    for trace in spec["data"]:
        if trace.get("type") != "bar":
            continue
        name = html.unescape(str(trace.get("name")))
        texts = charts.shown_texts(charts.go.Bar(trace))
        if not any(texts):
            continue
        if (trace.get("marker", {}).get("pattern") or {}).get("shape"):
            found.append(f"{name}: numbers on a patterned fill")
        if trace.get("textangle") != 0 or trace.get("constraintext") != "none":
            found.append(f"{name}: text may be turned or shrunk ({trace.get('textangle')}, {trace.get('constraintext')})")
        if trace.get("textposition") in ("inside", "auto", None):
            end = (axis_of(spec, trace).get("range") or [0, None])[1]
            if not end:
                found.append(f"{name}: text inside bars of an axis without a fixed length")
                continue
            for x, text in zip(trace["x"], texts, strict=True):
                if text and float(x) / float(end) * charts.SCREEN_PLOT_PX < charts.label_width(text):
                    found.append(f"{name}: {text!r} inside a part narrower than it on a phone")
            fill = trace.get("marker", {}).get("color")
            ink = (trace.get("insidetextfont") or {}).get("color")
            if not (isinstance(fill, str) and isinstance(ink, str) and charts.contrast(fill, ink) >= 4.5):
                found.append(f"{name}: value in {ink} on {fill}")
    if horizontal:
        if layout["margin"]["l"] != charts.SIDE_PX:
            found.append(f"left margin {layout['margin']['l']}: category labels in a margin")
        labels = [text for text, _, _ in category_labels(spec)]
        categories = {str(v) for t in horizontal for v in t["y"]}
        if {text.replace("<br>", " ") for text in labels} != categories:
            found.append("a category without its label above the bars")
        if any(charts.shown_width(line) > charts.TEXT_PX for text in labels for line in text.split("<br>")):
            found.append("a category label wider than a phone")
    legend = sum(1 for t in spec["data"] if t.get("name") and t.get("showlegend") is not False) > 1
    if legend and (layout["legend"].get("yref"), layout["legend"].get("y"), layout["legend"].get("orientation")) != (
            "container", 0, "h"):
        found.append(f"legend not below the plot: {layout['legend']}")
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", SCREEN_PAGES)
def test_every_page_chart_is_room_ready(pages: Pages, page: str, lang: str) -> None:
    figures = page_figures(pages, page, lang)
    if "Data" not in page and "Briefing" not in page:
        assert figures, page
    assert {name: f for name, spec in figures.items() if (f := faults(spec))} == {}


@pytest.mark.parametrize("lang", LANGS)
def test_every_briefing_slide_chart_is_room_ready(db: Database, lang: str) -> None:
    figures = slide_figures(db, lang)
    assert len(figures) >= 6
    assert {key: f for key, spec in figures.items() if (f := faults(spec))} == {}


def test_status_bars_read_without_colour(db: Database) -> None:
    """Solid fills: the status of a programme is in its legend entry and in its bar's label ('30.8% · △10.6%p')."""
    slide = next(s for s in briefing.build_slides(db, Filters(REPORT_ID), "천원") if s.key == "overview")
    assert slide.chart is not None
    bars = [t for t in slide.chart.data if t.type == "bar"]
    assert [t.name for t in bars] and all(t.marker.pattern.shape in (None, "") for t in bars)
    assert all("%{customdata}" in str(t.texttemplate) and t.showlegend for t in bars)
    assert all(c.startswith(("△", "+")) and c.endswith("%p") for t in bars for c in t.customdata)


@pytest.mark.parametrize("lang", LANGS)
def test_plans_month_ticks_speak_the_readers_language(pages: Pages, lang: str) -> None:
    figures = page_figures(pages, "pages/6_향후계획_Plans.py", lang)
    (ticks,) = [s["layout"]["xaxis"]["ticktext"] for s in figures.values() if s["layout"]["xaxis"].get("ticktext")]
    assert ticks[0] == ("May" if lang == ENGLISH else "5월") and len(ticks) <= 8
    if lang == ENGLISH:
        assert all(t in i18n.MONTHS for t in ticks)
