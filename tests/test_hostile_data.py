"""Every field of every dataset file, broken on purpose, and random edits (hypothesis): a clear refusal or a good build."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.testing.v1 import AppTest

from tests.apptest_pages import OUR_ATTRIBUTES, OUR_TAGS, PAGES, cards_of, html_texts, open_page, our_html
from tests.conftest import REPORT_ID
from ydp_data import briefing
from ydp_data.build import build
from ydp_data.datasets import SPECS, DatasetSpec, sql_columns
from ydp_data.db import Database, is_usable
from ydp_data.errors import DatasetError
from ydp_data.filters import Filters
from ydp_data.lock import lock_path  # the writer lock's file stays beside datasets/
from ydp_data.safe_text import md

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
TOO_BIG = "99999999999999999999"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Put value into one cell (row 0 = first data row) of a CSV file."""
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[row + 1][table[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    path.write_text(out.getvalue(), encoding="utf-8")


def _cases() -> list[tuple[str, str, str, str]]:
    """(file, column, bad value, what is wrong) for every field: wrong type, empty required, out of range."""
    cases = []
    for spec in SPECS:
        types = sql_columns(spec.model)
        for column, field in spec.model.model_fields.items():
            kind = types[column]
            if field.is_required():
                cases.append((spec.table, column, "", "empty"))
            if kind.startswith(("BIGINT", "DECIMAL", "DATE")):
                cases.append((spec.table, column, "abc", "type"))
                cases.append((spec.table, column, TOO_BIG, "range"))
            elif column in ("team", "funding_source", "kind"):
                cases.append((spec.table, column, "없는값", "enum"))
    return cases


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "ydp.duckdb"
    build(DATASETS, path)
    return path


@pytest.mark.parametrize(("table", "column", "value", "what"), _cases(),
                         ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "big")
def test_every_field_is_validated(tmp_path: Path, good_db: Path, table: str, column: str, value: str,
                                  what: str) -> None:
    datasets = tmp_path / "datasets"
    shutil.copytree(DATASETS, datasets)
    _set_cell(datasets / f"{table}.csv", 0, column, value)
    target = tmp_path / "ydp.duckdb"
    shutil.copy(good_db, target)
    before = _digest(target)
    with pytest.raises(DatasetError) as caught:
        build(datasets, target)
    where = [(p.file, p.line, p.field) for p in caught.value.problems]
    assert (f"datasets/{table}.csv", 2, column) in where, (what, where)
    text = caught.value.render()
    assert f"datasets/{table}.csv, 2행, 열 '{column}'" in text
    assert "datasets/README.md" in text  # where to read what the column must hold
    assert _digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["datasets", "ydp.duckdb", lock_path(datasets).name])


SPEC_LIST: list[DatasetSpec] = list(SPECS)
CELL_VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-10**15, max_value=10**15).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(["", "-", "△3", "1,234", "=cmd|' /C calc'!A0", "일자리사업팀", "국비", "2023-H1", "Ⅱ-9, p.99",
                     "ydp-jobs-2023-05", "Ⅱ-2", "12", "0", "\x00", "\"", "\n"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=st.sampled_from(SPEC_LIST), row=st.integers(min_value=0, max_value=200), data=st.data())
def test_random_edits_build_or_are_refused_cleanly(tmp_path_factory: pytest.TempPathFactory, good_db: Path,
                                                   spec: DatasetSpec, row: int, data: st.DataObject) -> None:
    work = tmp_path_factory.mktemp("edit")
    datasets = work / "datasets"
    shutil.copytree(DATASETS, datasets)
    path = datasets / spec.filename
    rows = path.read_text(encoding="utf-8").count("\n") - 1
    column = data.draw(st.sampled_from(spec.columns))
    value = data.draw(CELL_VALUES)
    _set_cell(path, row % rows, column, value)
    target = work / "ydp.duckdb"
    shutil.copy(good_db, target)
    before = _digest(target)
    try:
        result = build(datasets, target)
    except DatasetError as exc:
        assert exc.problems and all(p.file and p.message for p in exc.problems)
        assert _digest(target) == before
    else:
        assert is_usable(result.path)
        assert result.rows[spec.table] == rows
    assert sorted(p.name for p in work.iterdir()) == sorted(["datasets", "ydp.duckdb", lock_path(datasets).name])


# --- text in the data that Markdown, plotly or HTML would read as markup -------------------------------------------
# The same report with Markdown, plotly's HTML and script endings written into its names, titles, notes and sources
# (each still a valid record): every page shows them as text, no chart reads them as HTML, the briefing file draws
# every chart.
HOSTILE_PARTS = ("[로그인](https://evil.example/x)", "![x](http://other-host.example/i.png)", ":red[빨강]", "$$x$$",
                 "<b>굵게</b>", '<a href="https://evil.example">x</a>', "<!--<script>", "</script>", ":material/home:",
                 ":material_home:", "**굵게**", "www.evil.example", "-- ->")
HOSTILE_LINE = "악성 " + " ".join(HOSTILE_PARTS)
HOSTILE = HOSTILE_LINE + "\n# 제목"  # a new line would start a heading
BRIEFING = "pages/8_브리핑_Briefing.py"
CHARTED = {p for p in PAGES if "ui.chart(" in (ROOT / p).read_text(encoding="utf-8")}  # pages that draw charts


def _appended(row: dict[str, str], column: str) -> str:
    return f"{row[column]} {HOSTILE}"


def _source(row: dict[str, str], column: str) -> str:
    """A page reference with the hostile text inside, still matching the Source pattern ('Ⅱ-1 …, p.4')."""
    head, _, page = row[column].partition(", ")
    return f"{head} {HOSTILE_LINE}, {page}"


ALL_ROWS = None
# (file, column, rows to change: None for all or {column: values}, how); a renamed category or measure is renamed in
# every row that names it, so the joins and checks between files still hold
HOSTILE_EDITS = [
    ("reports", "title", ALL_ROWS, _appended), ("reports", "district", ALL_ROWS, _appended),
    ("reports", "division", ALL_ROWS, _appended), ("reports", "source", ALL_ROWS, _appended),
    ("programs", "title", ALL_ROWS, _appended), ("programs", "purpose", ALL_ROWS, _appended),
    ("programs", "period", ALL_ROWS, _appended), ("programs", "target_group", ALL_ROWS, _appended),
    ("programs", "source", {"program_id": {"Ⅱ-4"}}, _source),
    ("subprograms", "subprogram", {"subprogram": {"청년드림나래"}}, _appended),
    ("subprograms", "description", ALL_ROWS, _appended),
    ("facts", "category", {"category": {"청년드림나래", "시설관리 분야", "원데이 인기강좌", "일자리창출사업(일반인력)"}},
     _appended),
    ("facts", "measure", {"measure": {"일 평균 이용인원", "구인업체", "채용"}}, _appended),
    ("facts", "unit", {"fact_id": {"jobforyou.hired"}}, lambda row, column: "<b>명</b>"),
    ("facts", "note", {"category": {"영등포청년네트워크"}}, _appended),
    ("facts", "source", {"category": {"일자리플러스센터"}}, _source),
    ("plans", "plan_group", {"plan_group": {"구인구직 연계"}}, _appended),
    ("plans", "activity", {"program_id": {"Ⅱ-1", "Ⅱ-4"}}, _appended), ("plans", "detail", ALL_ROWS, _appended),
    ("team_duties", "duty", {"seq": {"1"}}, _appended),
    ("facilities", "name", ALL_ROWS, _appended), ("facilities", "note", ALL_ROWS, _appended),
    ("budget_units", "unit_program", {"unit_program": {"기본경비"}}, _appended),
    ("equipment", "name", ALL_ROWS, _appended),
]


def write_hostile_datasets(target: Path) -> Path:
    """A copy of datasets/ in target with the hostile text written into it (HOSTILE_EDITS)."""
    shutil.copytree(DATASETS, target)
    for table, column, where, how in HOSTILE_EDITS:
        path = target / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows and column in rows[0], (table, column)
        changed = 0
        for row in rows:
            if where is None or all(row[k] in values for k, values in where.items()):
                row[column] = how(row, column)
                changed += 1
        assert changed, (table, column, where)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A database built from the hostile copy of datasets/; the app reads it (YDP_DB, YDP_DATASETS) meanwhile."""
    base = tmp_path_factory.mktemp("hostile")
    datasets = write_hostile_datasets(base / "datasets")
    path = base / "ydp.duckdb"
    build(datasets, path)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("YDP_DB", str(path))
        env.setenv("YDP_DATASETS", str(datasets))
        yield path


MARKUP = {  # what Streamlit's Markdown would draw from the hostile text, found in a raw Markdown body
    "a link": re.compile(r"(?<!\\)\]\("), "an image": re.compile(r"(?<!\\)!\["),
    "a colour": re.compile(r"(?<!\\):[a-z]+\["), "a formula": re.compile(r"(?<!\\)\$\$"),
    "an HTML tag": re.compile(r"(?<!\\)<[A-Za-z!/]"), "a heading": re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+제목"),
    "bold": re.compile(r"(?<!\\)\*\*굵게"), "an icon": re.compile(r":material[/_]home:"),
    "a bare link": re.compile(r"https?:/|www\.|\w@\w"), "an arrow": re.compile(r"(^|\s)(--|->)(\s|$)"),
}


def markup_in(text: str) -> list[str]:
    """The kinds of markup a Markdown body would draw from the hostile text (none when it is shown as text)."""
    return [kind for kind, pattern in MARKUP.items() if pattern.search(text)]


def page_texts(at: AppTest) -> list[tuple[str, str]]:
    """Every Markdown body on the page, with the kind of element that renders it."""
    found = [(kind, str(e.value)) for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info",
                                                "error", "success") for e in getattr(at, kind)]
    return found + [("expander", e.label) for e in at.expander]


def html_markup(at: AppTest) -> list[tuple[str, dict[str, str | None]]]:
    """The tags in the page's card rows and status strip (HTML of ours) that are not ours: a tag or an attribute
    from the hostile text, or a class not of ours."""
    return [(tag, attrs) for row in our_html(at) for tag, attrs in row.tags
            if tag not in OUR_TAGS or set(attrs) - OUR_ATTRIBUTES
            or any(not c.startswith("ydp-") for c in (attrs.get("class") or "").split())]


PLOTLY_OWN_TAGS = re.compile(r"<br>|</?extra>")  # the builders' own line breaks and hover boxes


def chart_markup(at: AppTest) -> tuple[list[str], list[str]]:
    """(strings in the page's plotly figures that plotly would read as HTML, strings that hold the hostile text
    escaped)."""
    raw, escaped = [], []
    for element in at.get("plotly_chart"):
        for text in _strings(json.loads(element.proto.spec)):
            if "<" in PLOTLY_OWN_TAGS.sub("", text):
                raw.append(text)
            if "&lt;b&gt;굵게&lt;/b&gt;" in text:
                escaped.append(text)
    return raw, escaped


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _views(page: str, query: dict[str, str]) -> Iterator[tuple[int, AppTest]]:
    """The page with every section open, and on the briefing every slide in turn (numbered from 1)."""
    at = open_page(page, query)
    yield 1, at
    if page == BRIEFING:
        for n in range(2, len(at.get_by_key("slide").options) + 1):
            at.get_by_key("slide").set_value(n).run()
            yield n, at


@pytest.mark.parametrize("lang", ["한국어", "English"])
@pytest.mark.parametrize("page", PAGES)
def test_hostile_text_is_shown_as_text(hostile_db: Path, page: str, lang: str) -> None:
    query = {} if lang == "한국어" else {"lang": lang}
    for slide, at in _views(page, query):
        assert not at.exception, [e.value for e in at.exception]
        texts = page_texts(at)
        found = [(kind, text[:80], markup_in(text)) for kind, text in texts if markup_in(text)]
        assert found == [], found
        assert html_markup(at) == []  # the cards and the strip: only our own tags, whatever the data says
        captions = " ".join(text for kind, text in texts if kind == "caption")
        assert md(f"영등포구 {HOSTILE}") in captions, "the report's district is on the page, escaped"
        raw, escaped = chart_markup(at)
        assert raw == [], raw[:3]
        if page in CHARTED and slide == 1:  # later slides chart grades and plans of the report's own words
            assert escaped, "a chart label from the hostile data, escaped"


def test_report_text_reaches_the_page_escaped(hostile_db: Path) -> None:
    """A program's header, purpose and a card label carry the report's text whole, escaped (safe_text.md; a card's
    label safe_text.html_text): a reader sees it as it is written."""
    with (DATASETS / "programs.csv").open(encoding="utf-8", newline="") as f:
        program = next(r for r in csv.DictReader(f) if r["program_id"] == "Ⅱ-4")
    at = open_page("pages/4_청년_Youth.py")
    assert not at.exception, [e.value for e in at.exception]
    assert md(f"Ⅱ-4 {program['title']} {HOSTILE}") in [h.value for h in at.header]
    assert md(f"{program['purpose']} {HOSTILE}") in [m.value for m in at.markdown]
    assert f"일 평균 이용인원 {HOSTILE_LINE} # 제목" in [m.label for m in cards_of(at)]
    assert html_markup(at) == [] and any("<b>굵게</b>" in text for text in html_texts(at))


CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.chart'))
    .filter(box => box.querySelector('.js-plotly-plot .main-svg')).length"""
LINKS = """() => Array.from(document.querySelectorAll('a, img')).map(e =>
    e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '')"""


@pytest.mark.skipif(not briefing.chromium_available(), reason="Debian's Chromium (/usr/bin/chromium) is not installed")
def test_briefing_file_draws_every_chart_of_hostile_data(hostile_db: Path, tmp_path: Path, browser: Browser) -> None:
    """The briefing HTML of the hostile report in Chromium: every chart drawn (a '<!--<script>' or '</script>' in a
    label or title cannot end or change the script that draws them), the text shown as text, no link or request out."""
    db, filters = Database(hostile_db), Filters(REPORT_ID)
    slides = briefing.build_slides(db, filters, "천원")
    charted = [s for s in slides if s.chart is not None]
    assert len(charted) == 7
    charted[0].chart.update_layout(title_text="</script><!--<script> 제목")  # a title the builders do not escape
    page_file = tmp_path / "briefing.html"
    page_file.write_text(briefing.briefing_html(slides, briefing.build_meta(db, filters, "천원")), encoding="utf-8")
    page = browser.new_page()
    try:
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        try:
            page.wait_for_function(f"() => ({CHARTS_DRAWN})() >= {len(charted)}", timeout=30_000)
        except PlaywrightTimeoutError:
            pass  # the count below says how many were drawn
        assert page.evaluate(CHARTS_DRAWN) == len(charted)
        outside = [u for u in page.evaluate(LINKS) if re.match(r"(?i)\s*(https?:)?//", u)]
        assert outside == []
        assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
        text = page.evaluate("() => document.body.innerText")
        assert "<b>굵게</b>" in text and "[로그인](https://evil.example/x)" in text
        assert page.evaluate("() => Array.from(document.querySelectorAll('b, h1')).filter(e =>"
                             " e.textContent.includes('굵게') && !e.textContent.includes('<b>')).length") == 0
        labels = page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => p.textContent)")
        assert any("<b>굵게</b>" in t for t in labels), "a chart label shows the text, not bold"
    finally:
        page.close()
