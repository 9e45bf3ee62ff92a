"""The category labels of a horizontal-bar chart as charts.fit_margins writes them: its y axes' own tick labels,
drawn inside the plotting area above the bars."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go


def category_labels(fig: go.Figure | dict[str, Any]) -> list[tuple[str, str, float]]:
    """(text, axis 'y'/'y2'…, tick value) of every category label, axis by axis in the layout's order."""
    layout = fig["layout"] if isinstance(fig, dict) else fig.to_dict()["layout"]
    found: list[tuple[str, str, float]] = []
    for key, axis in layout.items():
        if key.startswith("yaxis") and axis.get("showticklabels") and axis.get("ticklabelposition") == "inside":
            found += [(str(text), "y" + key[5:], float(value))
                      for text, value in zip(axis.get("ticktext") or (), axis.get("tickvals") or (), strict=True)]
    return found
