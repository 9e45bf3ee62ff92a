"""Opening a dashboard page in AppTest the way a shared link opens it, with its sections open or as they come.

Pages draw each section's charts only when it is open (ydp_data.ui.section); a test that checks every figure
opens every section first, as a director clicking through them would.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
import streamlit.deprecation_util as deprecation_util
from streamlit.runtime.memory_media_file_storage import MemoryFile, MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
ENTRY = "dashboard.py"
PAGES: list[str] = [ENTRY, *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))]  # in menu order
Query = Mapping[str, str | list[str]]
WARNING_CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)
SECTION_CALL = re.compile(r'ui\.section\(\s*"[^"]*",\s*"(\w+)"')


# sections a page draws only when the data has them: the trend needs three or more report periods of a year
# (tests/test_trend.py opens it on a database that has them)
CONDITIONAL_SECTIONS = ("trend",)


def section_keys(page: str) -> list[str]:
    """The keys of the sections a page script draws on the real datasets, in page order (read from its source)."""
    return [k for k in SECTION_CALL.findall((ROOT / page).read_text(encoding="utf-8")) if k not in CONDITIONAL_SECTIONS]


def open_page(page: str, query: Mapping[str, str | list[str]] | None = None, *, all_sections: bool = True,
              run: bool = True) -> AppTest:
    """A page opened from a link: URL query first, then the page; every section open unless all_sections=False."""
    at = AppTest.from_file(str(ROOT / ENTRY), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if all_sections:
        for key in section_keys(page):
            at.session_state[f"section_{key}"] = True
    if page != ENTRY:
        at.switch_page(page)
    return at.run() if run else at


# --- the headline cards, drawn as HTML of ours (ydp_data.cards.row_html) -------------------------------------------
OUR_TAGS = {"div", "p", "span", "ul", "li", "strong"}
OUR_ATTRIBUTES = {"class", "aria-hidden"}


@dataclass
class Card:
    """A headline card as a reader sees it: its texts unescaped, the arrow beside the change, what the figure is
    (help, under the value) and the colour class of the change."""

    label: str = ""
    value: str = ""
    delta: str = ""
    since: str = ""
    note: str = ""
    help: str = ""
    arrow: str = ""
    color: str = ""


class OurHtml(HTMLParser):
    """Reads a card row back: its cards and every tag with its attributes (a hostile value must add none)."""

    FIELDS = ("label", "value", "help", "delta", "since", "note")

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: list[Card] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._open: list[tuple[str, str | None]] = []  # (tag, the card field it opens)
        self.feed(body)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        classes = (attributes.get("class") or "").split()
        part = None
        if "ydp-card" in classes:
            self.cards.append(Card())
        elif attributes.get("aria-hidden") == "true":
            part = "arrow"
        elif any(c.startswith("ydp-card-") for c in classes):
            part = classes[0].removeprefix("ydp-card-")
            if part == "delta":
                self.cards[-1].color = classes[1].removeprefix("ydp-card-")
        self._open.append((tag, part))

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        part = next((p for _, p in reversed(self._open) if p), None)
        if part in (*self.FIELDS, "arrow") and self.cards:  # a field's text as read, without the spaces around it
            card = self.cards[-1]
            setattr(card, part, (getattr(card, part) + data).strip())


def our_html(at: AppTest) -> list[OurHtml]:
    """Every card row on the page, parsed, in page order."""
    return [OurHtml(e.proto.body) for e in at.get("html") if 'class="ydp-' in e.proto.body[:40]]


def html_texts(at: AppTest) -> list[str]:
    """Every text of the card rows, as read (unescaped): the cards' labels, values, changes, dates, notes and help."""
    return [t for row in our_html(at) for card in row.cards
            for t in (card.label, card.value, card.delta, card.since, card.note, card.help) if t]


def cards_of(at: AppTest) -> list[Card]:
    """The headline cards on the page, in page order."""
    return [card for row in our_html(at) for card in row.cards]


# --- running pages and keeping what they left (tests/conftest.py's `pages` fixture) ----------------------
class KeptStorage(MemoryMediaFileStorage):
    """AppTest's own in-memory media storage, unchanged, only kept reachable after the run.

    AppTest builds a fresh MemoryMediaFileStorage for every run and drops its runtime afterwards, so the
    download bytes would be unreachable; this subclass only remembers the latest instance.
    """

    latest: ClassVar[MemoryMediaFileStorage | None] = None

    def __init__(self, media_endpoint: str) -> None:
        super().__init__(media_endpoint)
        KeptStorage.latest = self


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Run:
    """One rendered page with what it left behind: its elements, its media files and any deprecations."""

    page: str
    query: dict[str, str | list[str]]
    at: AppTest
    media: MemoryMediaFileStorage
    deprecations: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def keyed(self, node_type: str, prefix: str) -> list[str]:
        return [str(e.key)[len(prefix):] for e in self.at.get(node_type) if str(e.key or "").startswith(prefix)]

    def tables(self) -> dict[str, Any]:
        """The on-screen tables by their download name.

        st.dataframe keeps no key in AppTest (it is not a widget without selections), so tables are paired
        with the downloads that are not a chart's, in page order; test_page_renders checks the counts agree.
        """
        charts = set(self.keyed("plotly_chart", "chart_"))
        names = [n for n in self.keyed("download_button", "dl_") if n not in charts]
        return {n: d.value for n, d in zip(names, self.at.dataframe, strict=False)}

    def figure(self, name: str) -> dict[str, Any]:
        """The plotly figure (data and layout) behind st.plotly_chart(key='chart_<name>')."""
        return json.loads(self.at.get_by_key(f"chart_{name}").proto.spec)

    def traces(self, name: str) -> dict[str, dict[str, Any]]:
        return {str(t.get("name")): t for t in self.figure(name)["data"]}

    def download(self, name: str) -> MemoryFile:
        """The file st.download_button(key='dl_<name>') serves, read from AppTest's media storage."""
        url = self.at.get_by_key(f"dl_{name}").proto.url
        assert url, f"dl_{name} has no media URL"
        return self.media.get_file(url.rsplit("/", 1)[-1])

    def metric(self, label: str) -> str:
        values = [m.value for m in cards_of(self.at) if m.label == label]
        assert len(values) == 1, f"{len(values)} metrics labelled {label!r} on {self.page}: {self.metrics()}"
        return str(values[0])

    def amount(self, measure: str, scope: str) -> str:
        """A money card as read, value and unit together, whether the unit is in the value or the label.

        Accepts '예산액 (과 전체)' = '7,113,947천원', '예산액(천원) 과 전체' = '7,113,947' and
        '예산액 (과 전체, 천원)' = '7,113,947'.
        """
        found = [(m.label, m.value) for m in cards_of(self.at) if m.label.startswith(measure) and scope in m.label]
        assert len(found) == 1, f"{len(found)} {measure} cards for {scope!r} on {self.page}: {self.metrics()}"
        label, value = found[0]
        unit = re.search(r"[(,] ?(천원|백만원|억원)\)", label)
        if unit and not value.endswith(unit.group(1)):
            value += unit.group(1)
        return value

    def metrics(self) -> list[tuple[str, str]]:
        return [(m.label, m.value) for m in cards_of(self.at)]

    def texts(self, kind: str) -> list[str]:
        return [str(e.value) for e in getattr(self.at, kind)]


class Pages:
    """Opens pages like a shared link does and remembers each rendered view."""

    def __init__(self) -> None:
        self._runs: dict[tuple[str, str], Run] = {}

    def open(self, page: str, query: Query | None = None, *, cache: bool = True, all_sections: bool = True) -> Run:
        """The page with every section open (all its charts and tables), or as a first visit shows it."""
        query = dict(query or {})
        token = (page, json.dumps(query, ensure_ascii=False, sort_keys=True), all_sections)
        if cache and token in self._runs:
            return self._runs[token]
        at = open_page(page, query, all_sections=all_sections, run=False)
        run = self._run(page, query, at)
        if cache:
            self._runs[token] = run
        return run

    @staticmethod
    def _run(page: str, query: dict[str, str | list[str]], at: AppTest) -> Run:
        handler = _Records()
        logger = logging.getLogger("streamlit.deprecation_util")
        logger.addHandler(handler)
        deprecation_util._shown_warnings.clear()  # show_once warnings are reported by every run
        KeptStorage.latest = None
        started = time.perf_counter()
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                at.run()
        finally:
            logger.removeHandler(handler)
        media = KeptStorage.latest
        assert media is not None, "AppTest did not create its media storage"
        found = [f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught
                 if issubclass(w.category, WARNING_CATEGORIES)]
        return Run(page, query, at, media, handler.messages + found, time.perf_counter() - started)


@contextmanager
def app_with_report(work: Path, report: Path) -> Iterator[Path]:
    """datasets/ copied into work, the report folder imported beside the real report, a database built from it; the
    app's pages read that database and datasets folder (YDP_DB, YDP_DATASETS) until the block ends. Yields the db."""
    from ydp_data.build import build
    from ydp_data.importer import import_report

    shutil.copytree(ROOT / "datasets", work / "datasets")
    import_report(report, work / "datasets")
    db = work / "ydp.duckdb"
    build(work / "datasets", db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YDP_DB", str(db))
        mp.setenv("YDP_DATASETS", str(work / "datasets"))
        yield db
