"""Load test of the dashboard over Streamlit's own websocket protocol: N concurrent sessions, no browsers.

``python -m bench.load [--sessions 20] [--seconds 60] [--url URL] [--deploy]``

Each virtual user loops until the time is up:

* **open** — a new link, as a new browser tab opens it: GET the page (``/일자리_Jobs?team=…&source=…&unit=…``,
  which also sets nginx's sticky-backend cookie), GET ``/_stcore/health`` (sets ``_streamlit_xsrf``), connect
  ``ws://HOST/_stcore/stream`` with the subprotocols the frontend sends (``streamlit``, then the XSRF token or
  ``PLACEHOLDER_AUTH_TOKEN``), and send a ``BackMsg.rerun_script`` with the query string and ``page_name`` (the
  URL path); random valid filters. Only a session's first run takes the URL's filters as they are (inside a
  session a new query string is not a filter change; see deploy/README.md), so a link is a new session.
* then 2-4 steps on that session, at random:
  **filter** — a widget change as the frontend sends it: ``rerun_script`` with ``widget_states`` for the sidebar
  widgets (team multiselect, source pills, unit segmented control; ``string_array_value``) and the new query
  string; **navigate** — a page link: ``rerun_script`` with the other page's ``page_script_hash`` and the query
  string of the page's own ``st.page_link`` to it (or, without such links, the current one), no widget states
  (the README says filters carry over; when the server shows others, that is counted apart, see
  ``StreamlitSession.navigate``); **select** — on the Data page, another
  table in its selectbox (``string_value``).

A request ends at ``ForwardMsg.script_finished``; anything but ``FINISHED_SUCCESSFULLY`` is an error, and so is
every ``Delta.new_element.exception``, an "ignored URL values" warning, ``page_not_found`` and a
``ref_hash`` message. Every ``rerun_script`` carries an empty ``cached_message_hashes`` (the frontend lists
the hashes it holds there): the server replaces only messages the client says it has with ``ref_hash``
references, so this client always gets full messages, and a reference would be a server bug.

After each finished page every ``st.download_button`` url (``/media/….csv``) is fetched over HTTP and checked:
UTF-8 BOM; the ``팀`` column only holds the chosen teams and ``재원`` only the chosen sources (except the Data
page's full tables ``table_*``, which the page says are unfiltered); money headers ``…(천원|백만원|억원)`` and the
money units of a ``값``/``단위`` table are the chosen unit. Behind nginx, every response names its backend
(``X-Upstream``), and a session whose page, health check and downloads did not all come from one backend is an
error (sticky sessions).

Latency is send → script_finished per request (an open also counts its two GETs and the websocket handshake).
The server processes' RSS (psutil when installed, else /proc/<pid>/status VmRSS) and CPU time are sampled every
second. Loopback only; the run is bounded in time (no request starts after ``--seconds``; a request still open
``--drain`` seconds later is cancelled and counted as an error) and in count (``--max-requests``), and
everything it started is stopped in ``finally`` (process groups).

Without ``--url`` it starts ``streamlit run dashboard.py`` on a free port on a freshly built database; with
``--deploy`` it starts ``deploy/run.sh`` (nginx in front) with 1, then 2 Streamlit processes and compares them.
Results go between ``<!-- load:start -->`` and ``<!-- load:end -->`` in bench/RESULTS.md (``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import datetime as dt
import io
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, unquote_plus, urlencode, urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from ydp_data.filters import ALL_SOURCES, ALL_TEAMS, MONEY_UNITS

T = TypeVar("T")

try:  # optional: RSS and CPU from /proc otherwise
    import psutil  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - depends on the environment
    psutil = None

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
MARK_START, MARK_END = "<!-- load:start -->", "<!-- load:end -->"
BLOCK_SINGLE, BLOCK_DEPLOY = "<!-- load:single -->", "<!-- load:deploy -->"
BOM = b"\xef\xbb\xbf"
FINISHED_OK = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
STATUS_NAMES = {v.number: v.name for v in ForwardMsg.ScriptFinishedStatus.DESCRIPTOR.values}
IGNORED_URL_NOTICE = "ignored URL values"
MONEY_HEADER = re.compile(r"\((천원|백만원|억원)\)$")
KINDS = ("open", "filter", "navigate", "select")
HEALTH_TIMEOUT_S = 90.0
MAX_ERROR_TEXTS = 200


# ---------------------------------------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """The sidebar's choice: teams and sources (empty = all) and the money unit."""

    teams: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    unit: str = "천원"

    @property
    def team_set(self) -> set[str]:
        return set(self.teams or ALL_TEAMS)

    @property
    def source_set(self) -> set[str]:
        return set(self.sources or ALL_SOURCES)

    def query_string(self) -> str:
        """The URL query as the bound widgets write it: repeated keys, the default unit left out."""
        pairs = [("team", t) for t in self.teams] + [("source", s) for s in self.sources]
        if self.unit != "천원":
            pairs.append(("unit", self.unit))
        return urlencode(pairs)

    def __str__(self) -> str:
        return unquote_plus(self.query_string()) or "(no filters)"

    @staticmethod
    def from_query(query: str) -> Filters:
        values = parse_qs(query, keep_blank_values=True)
        return Filters(tuple(values.get("team", [])), tuple(values.get("source", [])), (values.get("unit") or ["천원"])[0])

    def same_effect(self, other: Filters) -> bool:
        return self.team_set == other.team_set and self.source_set == other.source_set and self.unit == other.unit

    @staticmethod
    def random(rng: random.Random) -> Filters:
        def subset(options: tuple[str, ...]) -> tuple[str, ...]:
            chosen = set(rng.sample(options, rng.choice([0, 1, 1, 2, len(options)])))
            return tuple(o for o in options if o in chosen)  # the widgets keep option order
        return Filters(subset(ALL_TEAMS), subset(ALL_SOURCES), rng.choice(MONEY_UNITS))


def page_paths(root: Path = ROOT) -> list[str]:
    """URL paths of the app's pages by Streamlit's pages/ convention: '' for dashboard.py, '일자리_Jobs' for 1_일자리_Jobs.py."""
    return [""] + [re.sub(r"^\d+_", "", p.stem) for p in sorted((root / "pages").glob("*.py"))]


# ------------------------------------------------------------------------------------------------------ tiny HTTP


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


async def http_get(base: str, target: str, cookies: dict[str, str], timeout: float,
                   extra: dict[str, str] | None = None) -> HttpResponse:
    """GET one URL on base (http://127.0.0.1:port) over a fresh connection; Set-Cookie lands in cookies."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close", "User-Agent: ydp-bench-load"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]

    async def exchange() -> HttpResponse:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            await writer.drain()
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split()[1])
            headers: dict[str, list[str]] = {}
            for line in head[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers.setdefault(k.strip().lower(), []).append(v.strip())
            if "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
                chunks = []
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    if size == 0:
                        break
                    chunks.append(await reader.readexactly(size))
                    await reader.readexactly(2)
                body = b"".join(chunks)
            elif "content-length" in headers:
                body = await reader.readexactly(int(headers["content-length"][0]))
            else:
                body = await reader.read()
            return HttpResponse(status, headers, body)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    response = await asyncio.wait_for(exchange(), timeout)
    for raw in response.headers.get("set-cookie", []):
        name, _, rest = raw.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0].strip()
    return response


# --------------------------------------------------------------------------------------------------------- report


@dataclass
class Request:
    kind: str
    page: str
    seconds: float
    ok: bool


@dataclass
class Report:
    """Everything one run measured; numbers only, rendering is separate."""

    url: str
    sessions: int
    seconds: float
    requests: list[Request] = field(default_factory=list)
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    exceptions: int = 0
    downloads: int = 0
    download_failures: int = 0
    rows_checked: Counter[str] = field(default_factory=Counter)
    sessions_opened: int = 0
    cancelled: int = 0
    upstream_retries: int = 0  # responses nginx got only on a second try (X-Upstream lists two addresses)
    filters_lost: int = 0  # navigations after which the server showed other filters than before (README: kept)
    filters_lost_examples: list[str] = field(default_factory=list)
    backends: Counter[str] = field(default_factory=Counter)
    wall_seconds: float = 0.0
    load_seconds: float = 0.0
    rss: list[tuple[float, dict[int, int]]] = field(default_factory=list)  # (t, {pid: RSS bytes})
    rss_idle: dict[int, int] = field(default_factory=dict)
    idle_seconds: float = 0.0
    server_cpu_seconds: float | None = None
    client_cpu_seconds: float = 0.0

    def error(self, text: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERROR_TEXTS:
            self.errors.append(text)

    def latencies(self, kind: str | None = None) -> list[float]:
        return [r.seconds for r in self.requests if r.ok and (kind is None or r.kind == kind)]

    @property
    def finished(self) -> int:
        return sum(r.ok for r in self.requests)

    def totals(self) -> list[int]:
        return [sum(sample.values()) for _, sample in self.rss]

    def rss_series(self, step: float) -> list[float]:
        """Summed RSS in MB at 0, step, 2*step, … seconds (the first sample at or after each mark)."""
        out, mark = [], 0.0
        for (t, _), total in zip(self.rss, self.totals(), strict=True):
            if t >= mark:
                out.append(mb(total))
                mark += step
        return out

    def summary(self) -> dict[str, Any]:
        totals = self.totals()
        half = [v for (t, _), v in zip(self.rss, totals, strict=True) if t >= self.load_seconds / 2]
        return {
            "url": self.url, "sessions": self.sessions, "seconds": self.seconds,
            "requests": len(self.requests), "finished": self.finished, "errors": self.error_count,
            "exceptions": self.exceptions, "downloads": self.downloads, "download_failures": self.download_failures,
            "rows_checked": dict(self.rows_checked), "sessions_opened": self.sessions_opened,
            "cancelled": self.cancelled, "backends": dict(self.backends), "upstream_retries": self.upstream_retries,
            "navigations": len(self.latencies("navigate")), "filters_lost_on_navigation": self.filters_lost,
            "filters_lost_examples": self.filters_lost_examples,
            "pages_per_s": round(self.finished / self.load_seconds, 2) if self.load_seconds else 0.0,
            "latency_s": {k or "all": quantiles(self.latencies(k)) for k in (None, *KINDS)},
            "rss_mb": {
                "processes": len(self.rss[0][1]) if self.rss else 0,
                "start": mb(totals[0]) if totals else None, "peak": mb(max(totals)) if totals else None,
                "end": mb(totals[-1]) if totals else None,
                "idle": mb(sum(self.rss_idle.values())) if self.rss_idle else None, "idle_after_s": self.idle_seconds,
                "second_half_min": mb(min(half)) if half else None, "second_half_max": mb(max(half)) if half else None,
                "peak_per_process": [mb(max(s.get(p, 0) for _, s in self.rss)) for p in self.rss[0][1]] if self.rss else [],
                "every_10s": self.rss_series(10.0),
            },
            "server_cpu_pct": round(100 * self.server_cpu_seconds / self.load_seconds, 1)
            if self.server_cpu_seconds is not None and self.load_seconds else None,
            "client_cpu_pct": round(100 * self.client_cpu_seconds / self.load_seconds, 1) if self.load_seconds else None,
            "wall_seconds": round(self.wall_seconds, 1), "first_errors": self.errors[:10],
        }


def quantiles(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "max": None}
    ordered = sorted(values)
    p95 = statistics.quantiles(ordered, n=20, method="inclusive")[18] if len(ordered) > 1 else ordered[0]
    return {"n": len(ordered), "p50": round(statistics.median(ordered), 3), "p95": round(p95, 3),
            "max": round(ordered[-1], 3)}


def mb(value: int) -> float:
    return round(value / 2**20, 1)


# ------------------------------------------------------------------------------------------------ the load client


@dataclass
class PageRun:
    """What one rerun produced."""

    status: int | None = None
    widgets: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)  # key -> (id, element type, values)
    downloads: dict[str, str] = field(default_factory=dict)  # key (dl_…) -> /media/… url
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page_script_hash
    query_string: str | None = None  # page_info_changed: the URL the server asks the browser to show
    links: dict[str, str] = field(default_factory=dict)  # st.page_link on the page: page_script_hash -> query string
    problems: list[str] = field(default_factory=list)


class StreamlitSession:
    """One browser tab's worth of protocol: a websocket session on a Streamlit server and its HTTP requests."""

    def __init__(self, base: str, report: Report, timeout: float) -> None:
        self.base = base.rstrip("/")
        self.path = urlsplit(self.base).path
        self.report = report
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.ws: ClientConnection | None = None
        self.backends: set[str] = set()
        self.pages: dict[str, str] = {}
        self.page = ""
        self.filters = Filters()
        self.widgets: dict[str, tuple[str, str, list[str]]] = {}
        self.links: dict[str, str] = {}

    async def get(self, target: str, extra: dict[str, str] | None = None) -> HttpResponse:
        response = await http_get(self.base, target, self.cookies, self.timeout, extra)
        upstream = response.header("x-upstream")  # nginx's $upstream_addr: "a" or, after a retry, "a, b"
        if upstream:
            tried = [a.strip() for a in re.split(r", | : ", upstream) if a.strip()]
            self.backends.add(tried[-1])  # the one that answered
            if len(tried) > 1:
                self.report.upstream_retries += 1
        return response

    async def open(self, page: str, filters: Filters) -> PageRun:
        """A new tab on page with filters in its URL: GET the page and the health check, connect, run."""
        query = filters.query_string()
        target = f"{self.path}/{quote(page)}" + (f"?{query}" if query else "")
        html = await self.get(target, {"Accept": "text/html"})
        if html.status != 200:
            raise RuntimeError(f"GET {target} -> {html.status}")
        health = await self.get(f"{self.path}/_stcore/health")
        if health.status != 200 or health.body.strip() != b"ok":
            raise RuntimeError(f"health -> {health.status} {health.body[:80]!r}")
        parts = urlsplit(self.base)
        token = self.cookies.get("_streamlit_xsrf") or "PLACEHOLDER_AUTH_TOKEN"
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        self.ws = await connect(
            f"ws://{parts.netloc}{self.path}/_stcore/stream", origin=Origin(f"http://{parts.netloc}"),
            subprotocols=[Subprotocol("streamlit"), Subprotocol(token)], additional_headers=headers,
            max_size=None, proxy=None, open_timeout=self.timeout, ping_interval=None, user_agent_header="ydp-bench-load",
        )
        self.page, self.filters = page, filters
        return await self.rerun(query, page_name=page)

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
            self.ws = None

    async def rerun(self, query: str, page_hash: str = "", page_name: str = "",
                    states: list[tuple[str, str, list[str] | str]] | None = None) -> PageRun:
        """Send one rerun_script and read ForwardMsgs until script_finished."""
        assert self.ws is not None
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = query
        rerun.page_script_hash = page_hash
        rerun.page_name = page_name
        rerun.widget_states.SetInParent()
        for wid, kind, value in states or []:
            state = rerun.widget_states.widgets.add()
            state.id = wid
            if kind == "string_value":
                state.string_value = str(value)
            else:
                state.string_array_value.SetInParent()
                state.string_array_value.data.extend(list(value))
        # cached_message_hashes stays empty: this client holds no cached messages, so the server sends them whole.
        rerun.context_info.timezone = "Asia/Seoul"
        rerun.context_info.locale = "ko-KR"
        rerun.context_info.url = f"{self.base}/{quote(self.page)}" + (f"?{query}" if query else "")
        await self.ws.send(msg.SerializeToString())
        run = PageRun()
        deadline = time.monotonic() + self.timeout
        while run.status is None:
            raw = await asyncio.wait_for(self.ws.recv(), max(0.01, deadline - time.monotonic()))
            if isinstance(raw, str):
                run.problems.append("text frame from server")
                continue
            self._read(raw, run)
        if run.pages:
            self.pages = run.pages
        self.widgets = run.widgets or self.widgets
        self.links = run.links
        return run

    def _read(self, raw: bytes, run: PageRun) -> None:
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            etype = element.WhichOneof("type")
            if etype == "download_button":
                key = element.download_button.id.rsplit("-", 1)[-1]
                run.downloads[key] = element.download_button.url
            elif etype in ("multiselect", "button_group"):
                # keyed widgets have ids like "$$ID-<hash>-team": the user key is the last part (bound to the URL
                # or not); values are what the server set (raw_values with set_value), else unknown ([])
                w = getattr(element, etype)
                key = w.query_param_key or w.id.rsplit("-", 1)[-1]
                run.widgets[key] = (w.id, etype, list(w.raw_values) if w.set_value else [])
            elif etype == "selectbox":
                w = element.selectbox
                run.widgets[w.id.rsplit("-", 1)[-1]] = (w.id, etype, list(w.options))
            elif etype == "page_link" and element.page_link.page_script_hash:
                run.links[element.page_link.page_script_hash] = element.page_link.query_string
            elif etype == "exception":
                e = element.exception
                self.report.exceptions += 1
                what = "warning" if e.is_warning else "exception"
                run.problems.append(f"{what} {e.type}: {e.message[:200]} | {' / '.join(e.stack_trace[-2:])[:300]}")
            elif etype == "alert" and IGNORED_URL_NOTICE in element.alert.body:
                run.problems.append(f"alert: {element.alert.body[:200]}")
        elif kind == "navigation":
            run.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
        elif kind == "page_info_changed":
            run.query_string = fwd.page_info_changed.query_string
        elif kind == "script_finished":
            run.status = fwd.script_finished
            if run.status != FINISHED_OK:
                run.problems.append(f"script_finished {STATUS_NAMES.get(run.status, run.status)}")
        elif kind == "ref_hash":
            run.problems.append(f"ref_hash {fwd.ref_hash}: a cached-message reference although the client has no cache")
        elif kind == "page_not_found":
            run.problems.append(f"page_not_found {fwd.page_not_found.page_name!r}")
        elif kind == "session_event" and fwd.session_event.HasField("script_compilation_exception"):
            self.report.exceptions += 1
            run.problems.append(f"compile error: {fwd.session_event.script_compilation_exception.message[:200]}")

    # ------------------------------------------------------------------------------------------------ user actions

    def filter_states(self, filters: Filters) -> list[tuple[str, str, list[str] | str]]:
        """Widget states for the sidebar as the frontend sends them after a change (every widget, current values)."""
        states: list[tuple[str, str, list[str] | str]] = []
        for key, values in (("team", list(filters.teams)), ("source", list(filters.sources)), ("unit", [filters.unit])):
            if key in self.widgets:
                states.append((self.widgets[key][0], "string_array_value", values))
        return states

    async def change_filters(self, filters: Filters) -> PageRun:
        states = self.filter_states(filters)
        if len(states) != 3:
            raise RuntimeError(f"sidebar widgets not found on page {self.page!r}: {sorted(self.widgets)}")
        self.filters = filters
        return await self.rerun(filters.query_string(), page_hash=self.pages.get(self.page, ""), states=states)

    async def navigate(self, page: str, strict: bool) -> PageRun:
        """A click on a page link, as the frontend sends it: the page's hash and a query string, no widget states.

        When the page draws its own links (st.page_link, which carry a query string) the client follows one
        with that link's query string; otherwise it uses Streamlit's navigation with the current URL query.
        The README promises that filters are kept across pages. When a link's query string or the filters the
        server then shows (page_info_changed) differ from the ones before, that is counted in
        report.filters_lost (an error only when strict) and the client goes on with the filters the server
        shows, so that the downloads are checked against what is on screen.
        """
        if page not in self.pages:
            raise RuntimeError(f"page {page!r} not in the app's navigation {sorted(self.pages)}")
        before, page_hash = self.filters, self.pages[page]
        query = self.links.get(page_hash, before.query_string()) if self.links else before.query_string()
        self.page = page
        run = await self.rerun(query, page_hash=page_hash)
        shown = Filters.from_query(run.query_string if run.query_string is not None else query)
        if not shown.same_effect(before):
            self.report.filters_lost += 1
            via = "link" if self.links else "navigation"
            note = f"filters not kept on the way to /{page} ({via}): had {before}, the server shows {shown}"
            if strict:
                run.problems.append(note)
            elif len(self.report.filters_lost_examples) < 3:
                self.report.filters_lost_examples.append(note)
            self.filters = shown
        return run

    async def select_table(self, rng: random.Random) -> PageRun:
        """On the Data page: pick another table in the selectbox (a string_value widget state)."""
        box = self.widgets.get("data_table")
        if box is None or not box[2]:
            raise RuntimeError(f"no table selectbox on page {self.page!r}")
        states = [*self.filter_states(self.filters), (box[0], "string_value", rng.choice(box[2]))]
        return await self.rerun(self.filters.query_string(), page_hash=self.pages.get(self.page, ""), states=states)

    # -------------------------------------------------------------------------------------------------- checking

    async def check(self, run: PageRun, what: str) -> list[str]:
        """Problems of a finished run: its own, the URL the server restored, and every download's bytes."""
        problems = [f"{what}: {p}" for p in run.problems]
        if run.query_string is not None and not Filters.from_query(run.query_string).same_effect(self.filters):
            problems.append(f"{what}: the server set the URL to ?{unquote_plus(run.query_string)}, the filters are {self.filters}")
        for key, url in sorted(run.downloads.items()):
            self.report.downloads += 1
            if not url:  # a deferred download (data made on click, BackendOperationRequest): not fetched
                self.report.rows_checked["deferred"] += 1
                continue
            try:
                response = await self.get(url if url.startswith("/") and not self.path else f"{self.path}{url}")
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                problems.append(f"{what}: GET {key} {url}: {exc!r}")
                self.report.download_failures += 1
                continue
            is_csv = url.endswith(".csv") or (response.header("content-type") or "").startswith("text/csv")
            counts = self.report.rows_checked
            bad = check_csv(key, response, self.filters, counts) if is_csv else check_other(url, response, counts)
            if bad:
                self.report.download_failures += 1
                problems += [f"{what}: {key}: {b}" for b in bad]
        return problems


def check_other(url: str, response: HttpResponse, counts: Counter[str]) -> list[str]:
    """A download that is not a CSV (the briefing's HTML): served, not empty, of the type its name says."""
    counts["other_files"] += 1
    if response.status != 200:
        return [f"HTTP {response.status}"]
    if not response.body:
        return ["empty file"]
    types = {".html": "text/html", ".pdf": "application/pdf"}
    want = next((t for ext, t in types.items() if url.endswith(ext)), None)
    got = response.header("content-type") or ""
    if want and not got.startswith(want):
        return [f"content-type {got!r}, expected {want}"]
    return []


def check_csv(key: str, response: HttpResponse, filters: Filters, counts: Counter[str]) -> list[str]:
    """Problems of one CSV download against the filters it was made under (empty list when right)."""
    if response.status != 200:
        return [f"HTTP {response.status}"]
    if not response.body.startswith(BOM):
        return [f"no UTF-8 BOM, starts {response.body[:12]!r}"]
    try:
        rows = list(csv.reader(io.StringIO(response.body[len(BOM):].decode("utf-8"), newline="")))
    except (UnicodeDecodeError, csv.Error) as exc:
        return [f"not UTF-8 CSV: {exc}"]
    if not rows:
        return ["empty file (no header)"]
    header, body = rows[0], rows[1:]
    problems: list[str] = []
    filtered = not key.startswith("dl_table_")  # the Data page's full tables are unfiltered by design (the page says so)
    for name, allowed, label in (("팀", filters.team_set, "team"), ("재원", filters.source_set, "source")):
        if name in header and filtered:
            col = header.index(name)
            wrong = sorted({r[col] for r in body if len(r) > col and r[col] not in allowed})
            counts[label] += len(body)
            if wrong:
                problems.append(f"{name} column has {wrong} outside the chosen {sorted(allowed)}")
    for h in header:
        m = MONEY_HEADER.search(h)
        if m:
            counts["unit_header"] += 1
            if m.group(1) != filters.unit:
                problems.append(f"header {h!r} but the chosen unit is {filters.unit}")
    if "값" in header and "단위" in header:
        col = header.index("단위")
        money_units = {r[col] for r in body if len(r) > col and r[col] in MONEY_UNITS}
        counts["unit_rows"] += sum(1 for r in body if len(r) > col and r[col] in MONEY_UNITS)
        if money_units - {filters.unit}:
            problems.append(f"단위 column has money units {sorted(money_units)}, chosen {filters.unit}")
    if any(len(r) != len(header) for r in body):
        problems.append("ragged rows")
    counts["files"] += 1
    return problems


@dataclass
class LoadConfig:
    url: str
    sessions: int = 20
    seconds: float = 60.0
    request_timeout: float = 60.0
    drain: float = 20.0
    think: float = 0.0
    seed: int | None = None
    max_requests: int = 100_000
    idle_after: float = 0.0
    server_pids: Callable[[], list[int]] | None = None
    strict_navigation: bool = False  # filters dropped by a page link are errors (else counted in filters_lost)


async def _user(index: int, cfg: LoadConfig, report: Report, stop_at: float, rng: random.Random,
                pages: list[str]) -> None:
    """One virtual user: new sessions (open + 2-4 steps) until the time is up."""
    while time.monotonic() < stop_at and len(report.requests) < cfg.max_requests:
        session = StreamlitSession(cfg.url, report, cfg.request_timeout)
        page, filters = rng.choice(pages), Filters.random(rng)
        kind, what = "open", f"user {index} open /{page} {filters}"
        report.sessions_opened += 1
        start = time.monotonic()
        try:
            run = await session.open(page, filters)
            await _record(report, kind, page, time.monotonic() - start, run, session, what, seeded(run, filters))
            for _ in range(rng.randint(2, 4)):
                if time.monotonic() >= stop_at or len(report.requests) >= cfg.max_requests:
                    break
                if cfg.think:
                    await asyncio.sleep(rng.uniform(0, 2 * cfg.think))
                on_data = session.page == "데이터_Data" and "data_table" in session.widgets
                kind = rng.choices(("filter", "navigate", "select"), (5, 3, 2 if on_data else 0))[0]
                start = time.monotonic()
                if kind == "filter":
                    new = Filters.random(rng)
                    what = f"user {index} filter /{session.page} -> {new}"
                    run = await session.change_filters(new)
                elif kind == "navigate":
                    target = rng.choice([p for p in session.pages if p != session.page] or [session.page])
                    what = f"user {index} navigate /{session.page} -> /{target} {session.filters}"
                    run = await session.navigate(target, cfg.strict_navigation)
                else:
                    what = f"user {index} select a table on /{session.page}"
                    run = await session.select_table(rng)
                await _record(report, kind, session.page, time.monotonic() - start, run, session, what)
        except asyncio.CancelledError:
            report.cancelled += 1
            report.requests.append(Request(kind, session.page, time.monotonic() - start, False))
            report.error(f"{what}: cancelled {cfg.drain:.0f} s after the end (request still open)")
            raise
        except Exception as exc:  # every failure is counted; the user goes on with a new session
            report.requests.append(Request(kind, session.page, time.monotonic() - start, False))
            report.error(f"{what}: {type(exc).__name__}: {exc}"[:400])
            await asyncio.sleep(0.5)  # no hot loop against a failing server
        finally:
            await session.close()
            if len(session.backends) > 1:  # behind nginx (X-Upstream): sticky sessions
                report.error(f"user {index}: one session served by several backends {sorted(session.backends)}")
            report.backends.update(session.backends)


def seeded(run: PageRun, filters: Filters) -> list[str]:
    """On a new link the sidebar widgets must show the URL's filters, where the server says what they show
    (raw_values sent with set_value); the downloads check the effect in any case."""
    problems = []
    for key, want in (("team", list(filters.teams)), ("source", list(filters.sources)),
                      ("unit", [filters.unit] if filters.unit != "천원" else [])):
        if key not in run.widgets:
            problems.append(f"no {key} widget on the page")
        elif want and run.widgets[key][2] and run.widgets[key][2] != want:
            problems.append(f"{key} widget shows {run.widgets[key][2]}, the URL asked for {want}")
    return problems


async def _record(report: Report, kind: str, page: str, seconds: float, run: PageRun, session: StreamlitSession,
                  what: str, more: list[str] | None = None) -> list[str]:
    ok = run.status == FINISHED_OK
    report.requests.append(Request(kind, page, seconds, ok))
    problems = [f"{what}: {m}" for m in more or []] + await session.check(run, what)
    for p in problems:
        report.error(p[:400])
    return problems


def _proc_stat(pid: int) -> tuple[int, float]:
    """(RSS bytes, CPU seconds) of a process; (0, 0.0) when it is gone."""
    try:
        if psutil is not None:
            p = psutil.Process(pid)
            t = p.cpu_times()
            return int(p.memory_info().rss), float(t.user + t.system)
        rss = 0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return rss, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0, 0.0
    except Exception:  # psutil.NoSuchProcess and friends
        return 0, 0.0


async def _sample(cfg: LoadConfig, report: Report, t0: float) -> None:
    assert cfg.server_pids is not None
    while True:
        report.rss.append((time.monotonic() - t0, {pid: _proc_stat(pid)[0] for pid in cfg.server_pids()}))
        await asyncio.sleep(1.0)


async def run_load(cfg: LoadConfig) -> Report:
    """Run cfg.sessions virtual users against cfg.url for cfg.seconds; never longer than seconds + drain (+ idle)."""
    report = Report(cfg.url, cfg.sessions, cfg.seconds)
    seed = cfg.seed if cfg.seed is not None else random.randrange(2**32)
    pages = page_paths()
    wall0, cpu0 = time.monotonic(), time.process_time()
    pids = cfg.server_pids() if cfg.server_pids else []
    server_cpu0 = sum(_proc_stat(p)[1] for p in pids)
    sampler = asyncio.create_task(_sample(cfg, report, wall0)) if cfg.server_pids else None
    stop_at = wall0 + cfg.seconds
    users = [asyncio.create_task(_user(i, cfg, report, stop_at, random.Random(seed + i), pages))
             for i in range(cfg.sessions)]
    try:
        _, pending = await asyncio.wait(users, timeout=cfg.seconds + cfg.drain)
        for task in pending:
            task.cancel()
        await asyncio.gather(*users, return_exceptions=True)
        report.load_seconds = time.monotonic() - wall0
        report.client_cpu_seconds = time.process_time() - cpu0
        if cfg.server_pids:
            report.server_cpu_seconds = sum(_proc_stat(p)[1] for p in pids) - server_cpu0
    finally:
        if sampler is not None:
            sampler.cancel()
            await asyncio.gather(sampler, return_exceptions=True)
    if cfg.server_pids and cfg.idle_after > 0:
        await asyncio.sleep(cfg.idle_after)
        report.rss_idle = {pid: _proc_stat(pid)[0] for pid in cfg.server_pids()}
        report.idle_seconds = cfg.idle_after
    report.wall_seconds = time.monotonic() - wall0
    return report


def run_async(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine on its own thread and event loop, so a caller that already runs a loop on its thread
    (pytest with Playwright's sync API, a notebook) can call it too."""
    result: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(asyncio.run(make()))
        except BaseException as exc:  # re-raised on the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=work, name="ydp-load")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return result[0]


def run(cfg: LoadConfig) -> Report:
    return run_async(lambda: run_load(cfg))


# ---------------------------------------------------------------------------------------------- servers it starts


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_free(port: int) -> bool:
    """Nothing listens on the loopback port (a socket in TIME_WAIT does not count, as for nginx and uvicorn)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def healthy(url: str) -> bool:
    try:
        response = run_async(lambda: http_get(url, urlsplit(url).path + "/_stcore/health", {}, 2.0))
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
        return False
    return response.status == 200 and response.body.strip() == b"ok"


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = HEALTH_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not healthy(url):
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"server not healthy after {timeout:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.25)


def stop_group(process: subprocess.Popen[bytes], grace: float = 20.0) -> None:
    """SIGTERM the process (run.sh stops its children itself), then SIGKILL its whole process group if needed."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # anything left in the group (start_new_session: pgid == pid)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def build_database(folder: Path) -> Path:
    from ydp_data.build import build

    path = folder / "ydp.duckdb"
    build(ROOT / "datasets", path)
    return path


@contextlib.contextmanager
def streamlit_server(db: Path, folder: Path) -> Iterator[tuple[str, int]]:
    """`streamlit run dashboard.py` on a free loopback port, reading db; yields (url, pid); always stopped.

    Started with ``--server.fileWatcherType none`` as deploy/run.sh does: with the watcher on, an edit to
    ydp_data/ while sessions run makes Streamlit reload modules under them (seen: KeyError 'ydp_data.queries').
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "streamlit.log"
    env = {**os.environ, "YDP_DB": str(db), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
             # as deployed: no file watcher (a source edit during a run would reload modules under live sessions)
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_healthy(url, process, log)
        yield url, process.pid
    finally:
        stop_group(process)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int, word: str) -> list[int]:
    """Descendant processes of pid whose command line contains word."""
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            todo.append(child)
            with contextlib.suppress(OSError):
                if word in (Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")):
                    found.append(child)
    return sorted(found)


@contextlib.contextmanager
def deployment(processes: int, db: Path, folder: Path) -> Iterator[tuple[str, Callable[[], list[int]]]]:
    """deploy/run.sh with N processes on free ports; yields (nginx url, function giving the Streamlit pids)."""
    listen = 8080 if port_free(8080) else free_port()
    base = next((b for b in range(8601, 8700) if all(port_free(b + i) for i in range(processes))), None)
    if base is None:
        raise RuntimeError("no free ports in 8601-8700")
    url = f"http://127.0.0.1:{listen}"
    log = folder / f"deploy-{processes}.log"
    env = {**os.environ, "YDP_DB": str(db), "YDP_LISTEN": f"127.0.0.1:{listen}", "YDP_BASE_PORT": str(base),
           "PYTHON": sys.executable, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(["bash", str(ROOT / "deploy" / "run.sh"), str(processes)], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    pids: list[int] = []
    try:
        wait_healthy(url, process, log, timeout=HEALTH_TIMEOUT_S * max(1, processes))
        pids = descendants(process.pid, "streamlit")
        if len(pids) != processes:
            raise RuntimeError(f"expected {processes} streamlit processes under run.sh, found {pids}")
        yield url, lambda: pids
    finally:
        stop_group(process)
        leftover = [p for p in pids if Path(f"/proc/{p}").exists()]
        if leftover:
            print(f"warning: run.sh left processes behind: {leftover}", file=sys.stderr)


async def static_check(url: str) -> dict[str, Any]:
    """Static JavaScript through the proxy with gzip asked for, twice (nginx cache MISS then HIT): the entry script
    and the largest lazy chunk (Plotly); encoding, bytes on the wire, and bytes uncompressed."""
    cookies: dict[str, str] = {}
    html = await http_get(url, "/", cookies, 10)
    entry = re.search(rb'src="\.?/?(static/js/[^"]+\.js)"', html.body)
    if entry is None:
        return {"error": "no script in index.html"}
    targets = ["/" + entry.group(1).decode()]
    plain = await http_get(url, targets[0], cookies, 30)
    chunk = re.search(rb"PlotlyChart\.[A-Za-z0-9_-]+\.js", plain.body)
    if chunk:
        targets.append("/static/js/" + chunk.group(0).decode())
    out: dict[str, Any] = {}
    for target in targets:
        row: dict[str, Any] = {"identity_bytes": len((await http_get(url, target, cookies, 30)).body)}
        for attempt in ("first", "second"):
            gz = await http_get(url, target, cookies, 30, {"Accept-Encoding": "gzip"})
            row[attempt] = {"status": gz.status, "encoding": gz.header("content-encoding"), "bytes": len(gz.body),
                            "cache": gz.header("x-cache-status")}
        out[target] = row
    return out


def _fmt(v: float | None, unit: str = "") -> str:
    return "–" if v is None else f"{v:g}{unit}"


def _downloads(s: dict[str, Any]) -> str:
    c = s["rows_checked"]
    return (f"{s['downloads']} downloads ({c.get('files', 0)} CSV, {c.get('other_files', 0)} other, "
            f"{c.get('deferred', 0)} deferred and not fetched; {s['download_failures']} bad; CSV rows checked: "
            f"{c.get('team', 0)} 팀, {c.get('source', 0)} 재원, {c.get('unit_rows', 0)} 단위, "
            f"{c.get('unit_header', 0)} money headers)")


def _backends(counts: dict[str, int]) -> str:
    return ", ".join(f"port {k.rsplit(':', 1)[-1]}: {v}" for k, v in sorted(counts.items())) or "–"


def _latency_rows(s: dict[str, Any]) -> list[str]:
    rows = []
    for kind in ("all", *KINDS):
        q = s["latency_s"][kind]
        if q["n"]:
            rows.append(f"| {kind} | {q['n']} | {q['p50']:.3f} | {q['p95']:.3f} | {q['max']:.3f} |")
    return rows


def _rss_line(s: dict[str, Any]) -> str:
    r = s["rss_mb"]
    if r["start"] is None:
        return "RSS: not sampled (no server pid)."
    idle = f", {r['idle']} MB after {r['idle_after_s']:.0f} s idle" if r["idle"] is not None else ""
    return (f"Server RSS ({r['processes']} process{'es' if r['processes'] > 1 else ''}, summed): start {r['start']} MB, "
            f"peak {r['peak']} MB, end {r['end']} MB{idle}; second half of the run between "
            f"{r['second_half_min']} and {r['second_half_max']} MB (per-process peaks {r['peak_per_process']} MB); "
            f"every 10 s: {', '.join(str(v) for v in r['every_10s'])} MB.")


def _lost_line(s: dict[str, Any]) -> str:
    if not s["filters_lost_on_navigation"]:
        return f"Filters were kept on all {s['navigations']} page links."
    example = s["filters_lost_examples"][0] if s["filters_lost_examples"] else ""
    return (f"Known defect, not counted as an error: {s['filters_lost_on_navigation']} of {s['navigations']} page links "
            f"showed other filters than before (e.g. {example}); downloads were checked against the filters shown.")


def render_single(s: dict[str, Any], command: str) -> str:
    lines = [
        BLOCK_SINGLE,
        "### One Streamlit process, direct",
        "",
        f"`{command}` — {s['when']}, {s['sessions']} sessions for {s['seconds']:g} s, closed loop (no think time), "
        f"Streamlit {s['streamlit']}, {os.cpu_count()} cores shared with the load client.",
        "",
        f"{s['requests']} requests, {s['finished']} finished pages ({s['pages_per_s']} pages/s), "
        f"**{s['errors']} errors**, {s['exceptions']} exception elements, {_downloads(s)}, "
        f"{s['sessions_opened']} sessions opened.",
        "",
        "| request | n | p50 s | p95 s | max s |", "|---|---|---|---|---|", *_latency_rows(s), "",
        _rss_line(s),
        f"Server CPU {_fmt(s['server_cpu_pct'], '%')} of one core, load client CPU {_fmt(s['client_cpu_pct'], '%')}; "
        f"machine load average {s['loadavg_1min_at_end']} at the end (other work runs here too).",
        "",
        _lost_line(s),
    ]
    if s["first_errors"]:
        lines += ["", "First errors:", *[f"- `{e}`" for e in s["first_errors"]]]
    return "\n".join(lines) + "\n"


def render_deploy(results: list[dict[str, Any]], static: dict[str, Any], command: str) -> str:
    first = results[0]
    lines = [
        BLOCK_DEPLOY,
        "### 1 vs 2 Streamlit processes behind nginx (deploy/run.sh)",
        "",
        f"`{command}` — {first['when']}, {first['sessions']} sessions for {first['seconds']:g} s each, closed loop, "
        f"through nginx (sticky cookie hash), {os.cpu_count()} cores shared by nginx, the servers and the load client.",
        "",
        "| processes | pages | pages/s | p50 s | p95 s | open p95 s | filter p95 s | errors | peak RSS MB (sum) "
        "| RSS start → end MB | server CPU | client CPU | sessions per backend |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in results:
        q, r = s["latency_s"], s["rss_mb"]
        lines.append(
            f"| {s['processes']} | {s['finished']} | {s['pages_per_s']} | {_fmt(q['all']['p50'])} | {_fmt(q['all']['p95'])} "
            f"| {_fmt(q['open']['p95'])} | {_fmt(q['filter']['p95'])} | {s['errors']} | {r['peak']} "
            f"| {r['start']} → {r['end']} | {_fmt(s['server_cpu_pct'], '%')} | {_fmt(s['client_cpu_pct'], '%')} "
            f"| {_backends(s['backends'])} |")
    lines.append("")
    for s in results:
        lines += [f"{s['processes']} process(es): {s['requests']} requests, {_downloads(s)}; "
                  f"{s['upstream_retries']} responses that nginx had to retry upstream.", ""]
        lines += [f"{s['processes']} process(es): " + _rss_line(s) + f" Load average at the end {s['loadavg_1min_at_end']}.",
                  "", _lost_line(s), ""]
        if s["first_errors"]:
            lines += ["First errors:", *[f"- `{e}`" for e in s["first_errors"]]]
    for target, row in static.items():
        if isinstance(row, dict):
            lines.append(f"Static `{target}` through nginx: {row['identity_bytes']:,} bytes, gzip "
                         f"{row['second']['bytes']:,} bytes ({row['first']['encoding']}; cache {row['first']['cache']} "
                         f"then {row['second']['cache']}).  ")
    return "\n".join(lines) + "\n"


def write_results(block: str, marker: str, path: Path = RESULTS) -> None:
    """Replace this run's block inside <!-- load:start --> … <!-- load:end -->; nothing outside changes."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if MARK_START not in text or MARK_END not in text:
        text = text + ("\n" if text and not text.endswith("\n") else "") + f"\n{MARK_START}\n{MARK_END}\n"
    head, rest = text.split(MARK_START, 1)
    inside, tail = rest.split(MARK_END, 1)
    blocks = {BLOCK_SINGLE: "", BLOCK_DEPLOY: ""}
    for m in blocks:
        if m in inside:
            after = inside.split(m, 1)[1]
            other = [o for o in blocks if o != m and o in after]
            blocks[m] = m + (after.split(other[0], 1)[0] if other else after)
    blocks[marker] = block
    body = ("\n## Load test (`bench/load.py`)\n\nStreamlit's websocket protocol from asyncio clients "
            "(see the docstring of bench/load.py and deploy/README.md).\n\n"
            + "\n".join(b.strip() + "\n" for b in blocks.values() if b.strip()))
    path.write_text(head + MARK_START + body + MARK_END + tail, encoding="utf-8")


# ----------------------------------------------------------------------------------------------------------- CLI


def _print(s: dict[str, Any], label: str) -> None:
    print(f"== {label}")
    print(json.dumps({k: v for k, v in s.items() if k != "first_errors"}, ensure_ascii=False))
    for e in s["first_errors"]:
        print("  error:", e)


def _summary(report: Report, **extra: Any) -> dict[str, Any]:
    import streamlit

    s = report.summary()
    s.update(when=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), streamlit=streamlit.__version__,
             python=platform.python_version(), loadavg_1min_at_end=round(os.getloadavg()[0], 2), **extra)
    return s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent virtual users (default 20)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long new requests start (default 60)")
    parser.add_argument("--url", help="an already running server (loopback only); default: start one")
    parser.add_argument("--pid", type=int, action="append", help="with --url: server pid(s) to sample RSS of")
    parser.add_argument("--deploy", action="store_true", help="deploy/run.sh with 1, then 2 processes behind nginx")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between a user's steps, s (default 0)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per request, s (default 60)")
    parser.add_argument("--drain", type=float, default=20.0, help="grace for open requests after --seconds (default 20)")
    parser.add_argument("--idle", type=float, default=10.0, help="RSS sampled again after this idle time (default 10)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--max-requests", type=int, default=100_000, help="stop after this many requests in all")
    parser.add_argument("--strict-navigation", action="store_true",
                        help="count filters dropped by a page link as errors (default: counted separately)")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/RESULTS.md")
    args = parser.parse_args(argv)
    if args.url and urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be a loopback address (127.0.0.1, localhost)")
    if not (1 <= args.sessions <= 200) or not (0 < args.seconds <= 3600):
        parser.error("--sessions 1..200 and --seconds up to 3600")
    command = "python -m bench.load" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()

    def config(url: str, pids: Callable[[], list[int]] | None) -> LoadConfig:
        return LoadConfig(url, args.sessions, args.seconds, args.timeout, args.drain, args.think, args.seed,
                          max_requests=args.max_requests, idle_after=args.idle if pids else 0.0, server_pids=pids,
                          strict_navigation=args.strict_navigation)

    failed = False
    with tempfile.TemporaryDirectory(prefix="ydp-load-") as tmp:
        folder = Path(tmp)
        if args.deploy:
            db = build_database(folder)
            results, static = [], {}
            for n in (1, 2):
                with deployment(n, db, folder) as (url, pids):
                    if n == 2:
                        static = run_async(lambda: static_check(url))
                    s = _summary(run(config(url, pids)), processes=n)
                _print(s, f"deploy, {n} process(es)")
                results.append(s)
                failed |= s["errors"] > 0
            print("static:", json.dumps(static, ensure_ascii=False))
            if not args.no_write:
                write_results(render_deploy(results, static, command), BLOCK_DEPLOY)
        else:
            if args.url:
                pids = list(args.pid or [])
                s = _summary(run(config(args.url.rstrip("/"), (lambda: pids) if pids else None)))
            else:
                with streamlit_server(build_database(folder), folder) as (url, pid):
                    s = _summary(run(config(url, lambda: [pid])))
            _print(s, "single")
            failed = s["errors"] > 0
            if not args.no_write:
                write_results(render_single(s, command), BLOCK_SINGLE)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
