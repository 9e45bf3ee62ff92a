"""Period comparison: a query's rows beside the same rows of the previous report, with the change."""

from __future__ import annotations

import pandas as pd


def with_previous(current: pd.DataFrame, previous: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """current with `<col>_prev` and `<col>_change` for every numeric column, matched on keys.

    Rows only in the previous report are left out (the page shows the current report); rows new in the
    current report get an empty previous value, so their change is empty rather than the whole value.
    """
    numeric = [c for c in current.columns if c not in keys and pd.api.types.is_numeric_dtype(current[c])]
    prev = previous[[c for c in keys + numeric if c in previous.columns]]
    if keys:
        merged = current.merge(prev, on=keys, how="left", suffixes=("", "_prev"))
    else:  # one-row totals: the single previous row beside the single current one
        merged = current.merge(prev.add_suffix("_prev"), how="cross")
    for col in numeric:
        if f"{col}_prev" in merged:
            merged[f"{col}_change"] = merged[col] - merged[f"{col}_prev"]
    return merged
