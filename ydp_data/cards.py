"""A headline card's words and figures: its label, value and change since the previous report, apart from Streamlit
(ui.card draws it), so that what a director reads on a card is tested exactly (tests/test_exact_cards.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ydp_data.formatting import MONEY_FACTORS, money, number, pct
from ydp_data.i18n import ENGLISH, UNITS, name, translate


@dataclass(frozen=True)
class CardView:
    """What a card shows: its label, value, and the change (with △ for a fall), its arrow and colour."""

    label: str
    value: str
    delta: str | None = None
    arrow: str = "auto"
    color: str = "normal"


def card_view(label: str, value: float | None, *, lang: str, money_unit: str, kind: str = "count", unit: str = "",
              previous: float | None = None, target: bool = False) -> CardView:
    """A headline figure of a kind (money in the chosen money_unit, pct, or a count with its unit) in this language;
    a target says so in its label; the change since the previous report is signed with △ and coloured."""
    # NULL sums (a report without rows in a table) come as NA: shown as '-', never passed to float()
    value = None if value is None or pd.isna(value) else value
    previous = None if previous is None or pd.isna(previous) else previous
    if kind == "money" and unit in MONEY_FACTORS:  # a money fact as the report writes it (백만원, 억원): in 천원
        value, previous = (None if v is None else float(v) * MONEY_FACTORS[unit] for v in (value, previous))
    if lang == ENGLISH:
        unit = f" {UNITS.get(unit, unit)}" if unit else ""
        english = translate(label, lang)
        label = name(label, lang) if english == label else english
    if target:  # a target reads as a target, never as a result
        label = f"{label}, target" if lang == ENGLISH else f"{label} 목표"
    if lang == ENGLISH and kind == "count" and unit:  # '5,496 persons' overflowed a card: the unit goes to the label
        label, unit = f"{label} ({unit.strip()})", ""
    if kind == "money":
        head, _, rest = label.partition(" ")
        if lang == ENGLISH:
            label = f"{label} ({UNITS[money_unit]})"
        else:  # '예산액 (과 전체, 억원)', '예산액 (억원)'
            label = f"{head} ({rest.strip('() ')}, {money_unit})" if rest.strip("() ") else f"{head} ({money_unit})"
        shown = money(value, money_unit, with_unit=False)
    elif kind == "pct":
        shown = pct(value)
    else:
        shown = "-" if value is None else f"{number(value, 1 if float(value) % 1 else 0)}{unit}"
    if previous is None or value is None:
        return CardView(label, shown)
    change = float(value) - float(previous)
    if kind == "money":
        text = money(abs(change), money_unit, with_unit=False)
    elif kind == "pct":
        text = f"{abs(change):.1f}%p"
    else:
        text = f"{number(abs(change), 1 if change % 1 else 0)}{unit}"
    arrow, color = ("down", "red") if change < 0 else ("up", "green") if change > 0 else ("off", "gray")
    return CardView(label, shown, f"△{text}" if change < 0 else text, arrow, color)
