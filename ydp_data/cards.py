"""A headline card's words and figures: its label, value and change since the previous report, apart from Streamlit
(ui.cards draws them), so that what a director reads on a card is tested exactly (tests/test_exact_cards.py).

A row of cards is one HTML element (row_html): as st.metric cards in st.columns each card with its note was three
elements and the row one more, and each element on a first screen costs the browser its own rendering
(bench/ELEMENTS.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ydp_data.formatting import MONEY_FACTORS, money, number, pct
from ydp_data.i18n import ENGLISH, UNITS, name, translate
from ydp_data.safe_text import html_text


@dataclass(frozen=True)
class CardView:
    """What a card shows: its label, value, and the change (with △ for a fall), its arrow and colour; the date the
    change is counted from (since), a finding under the figure (note) and what the figure is (help)."""

    label: str
    value: str
    delta: str | None = None
    arrow: str = "auto"
    color: str = "normal"
    since: str | None = None
    note: str | None = None
    help: str | None = None


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


ARROWS = {"up": "▲", "down": "▼"}  # beside the change, hidden from screen readers: the change's sign says it (△)


def row_kind(views: Sequence[CardView]) -> str:
    """What sets a row's least height: plain (label and value), changed (and a change), noted (and a note), full;
    '_helped' after it when a card says what its figure is (one more line)."""
    changed, noted = any(v.delta for v in views), any(v.note for v in views)
    kind = "full" if changed and noted else "noted" if noted else "changed" if changed else "plain"
    return f"{kind}_helped" if any(v.help for v in views) else kind


def row_html(views: Sequence[CardView]) -> str:
    """A row of cards as HTML (styled by ydp_data.page_frame.PAGE_CSS), every text escaped: the label, the value with
    what it is under it (help), the change since the previous report with its date, and the note under it."""
    cards = []
    for view in views:
        parts = [f'<p class="ydp-card-label">{html_text(view.label)}</p>',
                 f'<p class="ydp-card-value">{html_text(view.value)}</p>']
        if view.help:  # on the card, as in the briefing file: a hover is out of reach by keyboard, touch or projector
            parts.append(f'<p class="ydp-card-help">{html_text(view.help)}</p>')
        if view.delta:
            arrow = ARROWS.get(view.arrow, "")
            since = f' <span class="ydp-card-since">{html_text(view.since)}</span>' if view.since else ""
            parts.append(f'<p class="ydp-card-delta ydp-card-{html_text(view.color)}">'
                         + (f'<span aria-hidden="true">{arrow}</span> ' if arrow else "")
                         + f"{html_text(view.delta)}{since}</p>")
        if view.note:
            parts.append(f'<p class="ydp-card-note">{html_text(view.note)}</p>')
        cards.append(f'<div class="ydp-card">{"".join(parts)}</div>')
    return f'<div class="ydp-cards ydp-cards-{len(views)}">{"".join(cards)}</div>'
