"""Room-ready tables, cards and plans through AppTest on the real database.

Every table on every page (every section open, both languages, every table of the Data page, details on and off):
no 'None', 'nan' or '<NA>' as text and no missing cell that Streamlit would draw as 'None'; every negative number
written with △ (the CSV keeps the number); the Data page's tables without internal ids and file paths unless
'자세히' (details) is on; a long table in a box that shows its rows. English count cards keep the unit in the
label. The Plans timeline starts at the as-of month and marks the months before the as-of date as past.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from tests.apptest_pages import PAGES, cards_of, open_page
from ydp_data import briefing, charts, ui
from ydp_data.db import Database
from ydp_data.export import csv_bytes
from ydp_data.filters import Filters
from ydp_data.formatting import INTERNAL_COLUMNS, display_frame, header
from ydp_data.i18n import ENGLISH

DATA_PAGE = "pages/7_데이터_Data.py"
PLANS_PAGE = "pages/6_향후계획_Plans.py"
REPORT_ID = "ydp-jobs-2023-05"
AS_OF_MONTH = 5
NOT_TEXT = {"none", "nan", "<na>", "nat", "null"}  # what a missing value looks like once turned into text
BLANKS = ("", "-", "–")  # what a missing cell may show
MINUS = re.compile(r"^\s*[-−]\s*\d")


# --- running pages, with every st.dataframe call recorded --------------------------------------------
@dataclass
class Run:
    """A page after one run: the AppTest and the st.dataframe calls it made (rows and height asked for)."""

    at: AppTest
    calls: list[tuple[int, Any]] = field(default_factory=list)


@pytest.fixture(scope="module")
def recorder() -> Iterator[list[tuple[int, Any]]]:
    """st.dataframe, unchanged, also noting how many rows each table has and the height it is given."""
    calls: list[tuple[int, Any]] = []
    original = streamlit.dataframe

    def dataframe(data: Any = None, *args: Any, **kwargs: Any) -> Any:
        calls.append((len(data) if data is not None else 0, kwargs.get("height", args[1] if len(args) > 1 else "auto")))
        return original(data, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(streamlit, "dataframe", dataframe)
        yield calls


def run_page(page: str, calls: list[tuple[int, Any]], query: dict[str, str] | None = None) -> Run:
    """The page opened from a link with every section open; the dataframe calls of this run."""
    del calls[:]
    at = open_page(page, query)
    assert not at.exception, [e.value for e in at.exception]
    return Run(at, list(calls))


def shown_problems(frame: pd.DataFrame, placeholder: str | None) -> list[str]:
    """What a reader would see wrong in a table: a missing value drawn as 'None' (no placeholder), one turned into
    text ('nan', 'None', '<NA>'), and a negative number without △ (a number below zero, or text starting with '-')."""
    found = []
    for column in frame.columns:
        values = frame[column]
        if values.isna().any() and placeholder not in BLANKS:
            found.append(f"{column}: a missing value shown as {placeholder or 'None'!r}")
        for value in values.dropna():
            if isinstance(value, str) and value.strip().lower() in NOT_TEXT:
                found.append(f"{column}: {value!r}")
            elif isinstance(value, str) and MINUS.match(value):
                found.append(f"{column}: {value!r} without △")
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) and (values < 0).any():
            found.append(f"{column}: negative numbers drawn by the grid with '-' ({values[values < 0].tolist()[:3]})")
    return found


def table_problems(at: AppTest) -> list[str]:
    """shown_problems of every table on the page."""
    return [f"table {n}: {p}" for n, d in enumerate(at.dataframe)
            for p in shown_problems(d.value, d.proto.placeholder if d.proto.HasField("placeholder") else None)]


def height_problems(calls: list[tuple[int, Any]]) -> list[str]:
    """Tables of more than ten rows in a box that shows fewer than min(rows, ui.TABLE_ROWS) rows (Streamlit's
    default box shows ten)."""
    wanted = lambda rows: (min(rows, ui.TABLE_ROWS) + 1) * ui.ROW_PX  # noqa: E731 - the header is a row too
    return [f"{rows} rows in height {height!r}" for rows, height in calls
            if rows > 10 and not (isinstance(height, int) and height >= wanted(rows))]


# --- 1. every table on every page ---------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["한국어", ENGLISH])
@pytest.mark.parametrize("page", PAGES)
def test_tables_show_no_none_and_every_negative_with_a_triangle(db_path: Path, recorder: list[tuple[int, Any]],
                                                                 page: str, lang: str) -> None:
    """No 'None'/'nan'/'<NA>' in any cell, missing values blank, negatives with △, long tables in a tall box."""
    run = run_page(page, recorder, {"lang": lang} if lang == ENGLISH else None)
    assert table_problems(run.at) == []
    assert height_problems(run.calls) == []


def data_page_tables(recorder: list[tuple[int, Any]], details: bool) -> Iterator[tuple[str, AppTest, list[tuple[int, Any]]]]:
    """The Data page with each table of the report chosen in turn, '자세히' (details) on or off."""
    at = open_page(DATA_PAGE)
    at.toggle(key="data_details").set_value(details).run()
    for option in at.selectbox(key="data_table").options:
        name = option.split(" — ")[0]
        del recorder[:]
        at.selectbox(key="data_table").set_value(name).run()
        assert not at.exception, (name, [e.value for e in at.exception])
        yield name, at, list(recorder)


def keyed_tables(at: AppTest) -> dict[str, pd.DataFrame]:
    """The tables on the page by their download's name (ui.table draws a table, then its download)."""
    names = [str(d.key)[len("dl_"):] for d in at.get("download_button") if str(d.key or "").startswith("dl_")]
    assert len(names) == len(at.dataframe), names
    return {n: d.value for n, d in zip(names, at.dataframe, strict=True)}


HIDDEN = {header(c, "천원") for c in INTERNAL_COLUMNS}


def test_every_data_table_is_clean_and_keeps_ids_for_details(db_path: Path, recorder: list[tuple[int, Any]]) -> None:
    """Every table of the Data page: nothing shown as 'None', negatives with △, and no internal id or file path among
    its columns; with '자세히' (details) on, the same rows with those columns too."""
    plain = {name: (table_problems(at), height_problems(calls), keyed_tables(at)[f"table_{name}"])
             for name, at, calls in data_page_tables(recorder, details=False)}
    full = {name: (table_problems(at), height_problems(calls), keyed_tables(at)[f"table_{name}"])
            for name, at, calls in data_page_tables(recorder, details=True)}
    assert len(plain) == len(full) >= 10
    assert {n: p[:2] for n, p in (plain | {f"{n} (details)": f for n, f in full.items()}).items() if p[:2] != ([], [])} == {}
    assert {n: sorted(HIDDEN & set(t.columns)) for n, (_, _, t) in plain.items() if HIDDEN & set(t.columns)} == {}
    for name, (_, _, table) in plain.items():
        shown = full[name][2]
        assert set(table.columns) <= set(shown.columns) and len(table) == len(shown), name
    assert sum(bool(HIDDEN & set(f[2].columns)) for f in full.values()) >= 10  # most tables have an id to hide


def test_checks_table_keeps_its_ids_for_details(db_path: Path) -> None:
    """The checks at the top of the Data page: no check id, unless '자세히' (details) is on."""
    at = open_page(DATA_PAGE)
    assert "검사 ID" not in keyed_tables(at)["checks"].columns
    at.toggle(key="data_details").set_value(True).run()
    assert "검사 ID" in keyed_tables(at)["checks"].columns


def test_a_negative_difference_shows_a_triangle_on_the_data_page(db_path: Path, recorder: list[tuple[int, Any]]) -> None:
    """The staffing table's 보고서 과부족 (signed) and the stated totals' 과부족 (a plain value) read △ on screen, as
    the report writes them; the CSV keeps the numbers."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        differences = [r[0] for r in con.execute("SELECT stated_difference FROM staffing WHERE report_id = ? "
                                                 "ORDER BY rowid", [REPORT_ID]).fetchall()]
        total = con.execute("SELECT value FROM stated_totals WHERE report_id = ? AND total_id = "
                            "'staffing.total.difference'", [REPORT_ID]).fetchone()[0]
    finally:
        con.close()
    assert min(differences) < 0 and total < 0
    at = open_page(DATA_PAGE)
    at.selectbox(key="data_table").set_value("staffing").run()
    shown = keyed_tables(at)["table_staffing"]["보고서 과부족(명)"].tolist()
    assert shown == [("△" if d < 0 else "") + f"{abs(d):,}" for d in differences]
    at.selectbox(key="data_table").set_value("stated_totals").run()
    totals = keyed_tables(at)["table_stated_totals"]
    assert f"△{abs(float(total)):g}" in totals["값"].tolist()


def test_the_csv_keeps_negative_numbers() -> None:
    """The download of a table with △ on screen holds plain signed numbers (a spreadsheet can add them up)."""
    frame = pd.DataFrame({"grade": ["7급", "6급"], "stated_difference": [-3, 2]})
    text = csv_bytes(display_frame(frame, "천원")).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1:] == [["7급", "-3"], ["6급", "2"]]


def test_the_checker_sees_what_it_looks_for() -> None:
    """shown_problems finds 'None' text, a NaN without a blank placeholder, a '-3' cell and a negative number."""
    frame = pd.DataFrame({"a": ["x", "None"], "b": [1.0, float("nan")], "c": ["-3", "△3"], "d": [-1, 2]})
    found = shown_problems(frame, None)
    assert any("'None'" in f for f in found) and any(f.startswith("b: a missing") for f in found)
    assert any("'-3' without △" in f for f in found) and any(f.startswith("d: negative") for f in found)
    assert shown_problems(frame[["b"]], "") == []
    assert height_problems([(40, "auto"), (40, ui.table_height(40)), (5, "auto")]) == ["40 rows in height 'auto'"]


# --- 2. English cards ---------------------------------------------------------------------------------
def test_english_count_cards_put_their_unit_in_the_label(db_path: Path, recorder: list[tuple[int, Any]]) -> None:
    """'5,496 persons' did not fit a card: in English a count card reads 'Visitors (persons)' = '5,496'."""
    metrics = [(m.label, m.value) for m in cards_of(run_page("pages/4_청년_Youth.py", recorder, {"lang": ENGLISH}).at)]
    counts = [(label, value) for label, value in metrics if "(persons)" in label]
    assert counts, metrics
    assert [(label, value) for label, value in counts if not re.fullmatch(r"[\d,.]+|-", value)] == []


# --- 3. the plans timeline ------------------------------------------------------------------------------
def plans_figure(recorder: list[tuple[int, Any]], lang: str = "한국어") -> dict[str, Any]:
    """The Plans page's timeline as the browser gets it (plotly JSON)."""
    at = run_page(PLANS_PAGE, recorder, {"lang": lang} if lang == ENGLISH else None).at
    return dict(json.loads(at.get_by_key("chart_plans_timeline").proto.spec))


def past_band(layout: dict[str, Any]) -> tuple[float, float] | None:
    """The x extent of the shaded rectangle that marks the past months, if any."""
    rects = [s for s in layout.get("shapes", []) if s.get("type") == "rect" and s.get("xref") == "x"]
    return (float(rects[0]["x0"]), float(rects[0]["x1"])) if rects else None


@pytest.mark.parametrize(("lang", "past", "as_of"), [("한국어", "지난 달", "기준일"), (ENGLISH, "past", "As of")])
def test_plans_timeline_starts_at_the_as_of_month_and_marks_the_past(db_path: Path, recorder: list[tuple[int, Any]],
                                                                      lang: str, past: str, as_of: str) -> None:
    """The axis starts at the as-of month (May; every plan starts later), not in January; May, over by the as-of
    date, is shaded and labelled past, the as-of line at its end; every bar lies inside the axis."""
    fig = plans_figure(recorder, lang)
    layout = fig["layout"]
    start = AS_OF_MONTH - 0.5
    assert layout["xaxis"]["range"] == [start, 12.5]
    assert layout["xaxis"]["tickvals"][0] == AS_OF_MONTH
    assert past_band(layout) == (start, AS_OF_MONTH + 0.5)
    texts = {a["text"] for a in layout.get("annotations", [])}
    assert {past, as_of} <= texts, texts
    bases = [b for t in fig["data"] for b in t["base"]]
    assert bases and min(bases) >= start


def test_timeline_reaches_back_to_an_earlier_start() -> None:
    """An activity that started before the as-of month keeps its whole bar: the axis starts at its month and the
    band of past months runs from there to the as-of line; without an as-of month the axis is the whole year."""
    frame = pd.DataFrame({"name": ["a", "b"], "start": [3, 7], "end": [8, 9], "team": ["청년지원팀", "상생기업팀"]})
    fig = charts.month_timeline(frame, "name", "start", "end", "team", title="t", as_of_month=5)
    layout = fig.to_plotly_json()["layout"]
    assert list(layout["xaxis"]["range"]) == [2.5, 12.5] and past_band(layout) == (2.5, 5.5)
    assert [a["text"] for a in layout["annotations"]] == ["지난 달", "기준일"]
    whole = charts.month_timeline(frame, "name", "start", "end", "team", title="t").to_plotly_json()["layout"]
    assert list(whole["xaxis"]["range"]) == [0.5, 12.5] and past_band(whole) is None


def test_briefing_plans_slide_marks_the_past_in_english(db: Database) -> None:
    """The briefing's plans slide uses the same timeline; in English its band reads 'past'."""
    slides = briefing.build_slides(db, Filters(REPORT_ID), "천원", ENGLISH)
    plans = next(s for s in slides if s.key == "plans")
    assert plans.chart is not None
    assert {"past", "As of"} <= {a.text for a in plans.chart.layout.annotations}
