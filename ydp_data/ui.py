"""Shared Streamlit pieces: the page frame, the filter sidebar, cached queries, chart and table blocks with downloads."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ydp_data import charts, findings, formatting, i18n, paths, publish, queries, status, trend
from ydp_data.cards import CardView, card_view, row_html, row_kind
from ydp_data.charts import fit_margins
from ydp_data.compare import with_previous
from ydp_data.datasets import SPECS
from ydp_data.db import LOG, Database, DatabaseUnavailable
from ydp_data.export import csv_bytes, file_name
from ydp_data.filters import ALL_SOURCES, ALL_TEAMS, MONEY_UNITS, Filters, parse_query
from ydp_data.formatting import COLUMNS, MONEY_DECIMALS, display_frame, header, money_in_unit
from ydp_data.i18n import ENGLISH, LANGS, name, translate, unit_text
from ydp_data.memo import LruCache
from ydp_data.page_frame import FRAME_SCRIPT, PAGE_CSS
from ydp_data.safe_text import md, plot, shorten

TABLE_TITLES: dict[str, str] = {s.table: s.title for s in SPECS}
NO_DATA = "선택한 필터에 해당하는 자료가 없습니다. 사이드바에서 팀이나 재원 선택을 넓혀 보세요."
NAME_COLUMNS = ("team", "funding_source", "measure", "category", "title", "program_title", "unit_program",
                "subprogram", "name", "per")
PLOT_CONFIG = {"displaylogo": False, "locale": "ko", "toImageButtonOptions": {"scale": 2}}


@dataclass(frozen=True)
class Context:
    """What every page knows after the frame is drawn: filters, money unit and the report."""

    filters: Filters
    unit: str
    as_of: str
    elapsed_pct: float
    previous: Filters | None = None  # the same filters on the report before, when comparing
    previous_as_of: str | None = None
    lang: str = LANGS[0]

    @property
    def decimals(self) -> int:
        return MONEY_DECIMALS[self.unit]


DATABASES = LruCache(8)
QUERIES = LruCache(2048)
VIEWS = LruCache(2048)


def database() -> Database:
    """The database, opened once per server process and file; made whole and current by `ready_database`."""
    return DATABASES.get_or_make(paths.settings(), lambda: Database(paths.database_path(), paths.datasets_dir()))


def ready_database() -> Database:
    """The database made whole and current for this rerun (built, repaired or rebuilt after datasets/ changed,
    one writer at a time), its notices shown once per session; a plain message, and the page stops, when there is
    none to show."""
    db = database()
    try:
        with st.spinner("데이터베이스를 준비하는 중…"):
            db.refresh()
    except DatabaseUnavailable as exc:
        LOG.error("no usable database: %s", exc)
        st.error("대시보드의 데이터베이스를 준비하지 못했습니다 (the dashboard's database is not available). "
                 "담당자에게 알려 주세요: 서버 기록에 까닭이 남아 있습니다.")
        st.stop()
    state = st.session_state
    for notice in db.notices_after(state.get("_notice_seen")):
        show = st.error if notice.level == "error" else st.info if notice.level == "info" else st.warning
        show(md(notice.text))
    state["_notice_seen"] = db.last_notice()
    return db


# Results are shared by all sessions (cache_resource: no pickling on a hit) and keyed by everything they
# depend on, the database build included; callers never change a result in place (pandas copy-on-write).


def _frozen(kwargs: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))


def query(fn: Callable[..., Any], filters: Filters, **kwargs: Any) -> Any:
    """Run a function of ydp_data.queries, cached per filters and per build of the database file."""
    db = database()
    key = (fn.__name__, filters, db.path, db.stamp(), _frozen(kwargs))
    return QUERIES.get_or_make(key, lambda: fn(db, filters, **kwargs))


def _view(ctx: Context, *extra: Any) -> tuple[Any, ...]:
    """Everything a page's chart, table or download depends on: filters, comparison, unit, language, build."""
    db = database()
    return (ctx.filters, ctx.previous, ctx.unit, ctx.lang, db.path, db.stamp(), *extra)


def _page() -> str:
    run = get_script_run_ctx()
    return run.page_script_hash if run else ""


def memo(kind: str, name: str, ctx: Context, make: Callable[[], Any], *extra: Any) -> Any:
    """What make() returns, built once per page, name and view (filters, unit, language, database build):
    charts, tables and CSV bytes are the same for every rerun and every session with the same view."""
    return VIEWS.get_or_make((kind, _page(), name, _view(ctx, *extra)), make)


def lang() -> str:
    """The language chosen in the sidebar: 한국어 unless English is chosen."""
    chosen = st.session_state.get("lang")
    return chosen if chosen in LANGS else LANGS[0]


def T(text: str, **values: Any) -> str:
    """A label, title or caption in the chosen language, with {placeholders} filled from values."""
    return translate(text, lang()).format(**values) if values else translate(text, lang())


def N(text: str) -> str:
    """A name from the report (team, programme, measure) in the chosen language, Korean kept beside English."""
    return name(text, lang())


def _sidebar() -> tuple[Filters, str]:
    """The shared filters, kept in the session and written into the URL, so a copied link opens the same
    view and the choice follows the director from page to page; unknown URL values are noticed and ignored."""
    reports = query(queries.reports, Filters(""))["report_id"].tolist()
    raw = {k: st.query_params.get_all(k) for k in st.query_params}
    parsed = parse_query(raw, reports)
    if parsed.ignored:
        shown = ", ".join(md(shorten(value)) for value in parsed.ignored[:10])  # what a link carries, as text
        st.warning("URL의 알 수 없는 값은 무시했습니다 (ignored URL values): " + shown)
    _read_url(parsed.values)
    with st.sidebar:
        _navigation()
        st.header("필터 Filters")
        report_id = reports[0]
        if len(reports) > 1:
            report_id = st.selectbox("보고 시점 Report", reports, key="report", on_change=_remember, args=("report",))
        teams = st.multiselect("팀 Team", ALL_TEAMS, key="team", placeholder="전체 팀 (all)", on_change=_remember,
                               args=("team",), help=FILTER_HELP)
        sources = st.pills("재원 Funding source", ALL_SOURCES, selection_mode="multi", key="source",
                           on_change=_remember, args=("source",))  # FILTER_HELP says what empty means
        unit = st.segmented_control("금액 단위 Money unit", MONEY_UNITS, required=True, key="unit",
                                    on_change=_remember, args=("unit",))
        st.segmented_control("언어 Language", LANGS, required=True, key="lang", on_change=_remember, args=("lang",))
        if len(reports) > 1 and report_id != reports[-1]:
            st.toggle("직전 보고 대비 Compare with the previous report", key="compare", on_change=_remember,
                      args=("compare",))
    _write_url(_filter_params(reports), raw)
    filters = Filters(report_id, tuple(teams) or ALL_TEAMS, tuple(sources or ()) or ALL_SOURCES)
    return filters, str(unit or "천원")


FILTER_HELP = "팀·재원을 비워 두면 전체입니다. 필터는 페이지를 옮겨도 유지되며 주소(URL)에 담겨 공유할 수 있습니다."
FILTER_DEFAULTS: dict[str, Any] = {"team": [], "source": [], "unit": MONEY_UNITS[0], "lang": LANGS[0], "compare": True}
FILTER_KEYS = ("report", "team", "source", "unit", "lang", "compare")


def _read_url(values: dict[str, list[str]]) -> None:
    """Put the filters a URL names into the session once, when the session starts (a link was opened), and
    keep the filters alive across pages (Streamlit forgets a widget's value on a page it has not drawn yet)."""
    state = st.session_state
    if not state.get("_url_read"):
        state["_url_read"] = True
        for key, chosen in values.items():
            if key in ("team", "source"):
                state[f"_kept_{key}"] = chosen
            elif key == "compare":
                state["_kept_compare"] = chosen[0] == "true"
            elif key in FILTER_KEYS:
                state[f"_kept_{key}"] = chosen[0]
    for key in FILTER_KEYS:
        kept = f"_kept_{key}"
        # assigned on every run, as Streamlit advises for widgets shared by pages: a widget on a newly opened page
        # is another widget (its id holds the page), which takes its value from this assignment. The defaults too:
        # left to the old page's widget, the new one came up with nothing selected on every second page change
        if kept in state:
            state[key] = state[kept]
        elif FILTER_DEFAULTS.get(key) is not None:
            state[key] = FILTER_DEFAULTS[key]


def _remember(key: str) -> None:
    """Keep what the user chose in a widget, so a page switch cannot lose it (runs before the rerun); a new language
    keeps the page's sections as they were (a section's title is part of its identity, see `section`)."""
    state = st.session_state
    state[f"_kept_{key}"] = state[key]
    if key == "lang":
        for section in [k for k in state if str(k).startswith("section_")]:
            state[section] = bool(state[section])  # given before the retitled section is drawn: it takes this


def _write_url(params: dict[str, str | list[str]], current: dict[str, list[str]]) -> None:
    """Write the chosen filters into the URL, and nothing else (unknown keys were noticed and are dropped)."""
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if current != wanted:
        st.query_params.from_dict(wanted)


def _filter_params(reports: list[str]) -> dict[str, str | list[str]]:
    """The chosen filters as URL parameters (defaults left out), for links that keep them."""
    state = st.session_state
    params: dict[str, str | list[str]] = {}
    if state.get("team"):
        params["team"] = list(state["team"])
    if state.get("source"):
        params["source"] = list(state["source"])
    if state.get("unit") not in (None, MONEY_UNITS[0]):
        params["unit"] = str(state["unit"])
    if state.get("lang") not in (None, LANGS[0]):
        params["lang"] = str(state["lang"])
    if reports and state.get("report") not in (None, reports[0]):
        params["report"] = str(state["report"])
    if state.get("compare") is False:
        params["compare"] = "false"
    return params


def _navigation() -> None:
    """Links to every page, labelled in the chosen language. They carry no query: the filters follow the director
    in the session and the next page writes them into its URL. (Links that carried the filters changed on every
    filter change, and redrawing them cost the browser more than the rest of the rerun: bench/RESULTS.md.)"""
    st.page_link("dashboard.py", label=T("일자리정책과 한눈에 보기"), icon=":material/home:")
    for page_file in PAGE_FILES:
        if page_file.name == publish.PAGE_FILE and publish.editor(st.user, publish.settings_of(st.secrets)) is None:
            continue  # 자료 올리기: linked only for a signed-in editor, and only where sign-in is configured
        label = page_file.stem.split("_", 1)[-1].replace("_", " ")
        st.page_link(f"pages/{page_file.name}", label=label, icon=PAGE_ICONS.get(page_file.stem[:1], None))


PAGE_FILES = sorted((paths.ROOT / "pages").glob("*.py"))
PAGE_ICONS = {"1": ":material/work:", "2": ":material/groups:", "3": ":material/handshake:",
              "4": ":material/diversity_3:", "5": ":material/account_tree:", "6": ":material/calendar_month:",
              "7": ":material/database:", "8": ":material/slideshow:", "9": ":material/upload:"}

# Our own constant CSS and script, drawn by `page` on every run (never with text from the data or a URL in them)
def _frame_style(lang: str) -> None:
    """Our CSS (Korean line breaks, print) and script: the page's language on <html> (the server sends "ko"), and
    charts that fit the paper when printed."""
    with st.container(key="page_frame"):  # hidden by PAGE_CSS, which the server also puts in the page's <head>
        st.html(PAGE_CSS)  # (a placeholder while Streamlit loads its html element: it would push the page down)
        st.html(FRAME_SCRIPT % json.dumps("en" if lang == ENGLISH else "ko"), unsafe_allow_javascript=True)


def page(title: str, sentence: str, icon: str = "📊", *, answer: tuple[str, ...] = ()) -> Context:
    """Draw the frame of a page (config, sidebar, title, one sentence, as-of date) and return its context; a
    business-line page names its programmes in answer, and opens with their status strip right after the title."""
    st.set_page_config(page_title=f"{title} · 영등포구 일자리정책과", page_icon=icon, layout="wide")
    ready_database()
    filters, unit = _sidebar()
    _frame_style(lang())
    title, sentence = T(title), T(sentence)  # after the sidebar: the language widget reads the URL
    info = query(queries.report, filters)
    as_of = pd.Timestamp(info["as_of"]).strftime("%Y-%m-%d")
    previous, previous_as_of = None, None
    before = query(queries.previous_report, filters)
    if not before.empty and st.session_state.get("compare", True):
        previous = Filters(str(before.iloc[0]["report_id"]), filters.teams, filters.sources)
        previous_as_of = pd.Timestamp(before.iloc[0]["as_of"]).strftime("%Y-%m-%d")
    ctx = Context(filters, unit, as_of, float(info["elapsed_pct"]), previous, previous_as_of, lang())
    _APPLIED.set((True, True))  # a rerun starts with every chosen filter reaching the data (see applies)
    _ROWS.set(itertools.count())  # the card rows' keys, numbered from 0 on every run
    st.title(title)
    if answer:
        status_strip(ctx, answer)
    st.markdown(sentence)
    st.caption(T("{district} {division} · {title} · **{as_of} 기준** · 금액 단위 {unit}", district=md(info["district"]),
                 division=md(info["division"]), title=md(info["title"]), as_of=as_of, unit=unit_text(unit, lang())))
    if previous_as_of:
        st.caption(T("직전 보고({as_of} 기준)와 비교한 변화를 함께 보여 줍니다.", as_of=previous_as_of))
    return ctx


def status_strip(ctx: Context, programs: tuple[str, ...] = ()) -> None:
    """The answer a page leads with (ydp_data.status): what is behind the year's pace, on pace and ahead, each with
    its rate and gap; for a business line's programmes (programs) also their annual targets' attainment."""
    shown: status.Strip = memo("status_strip", ",".join(programs), ctx, lambda: status.strip(
        query(queries.program_execution, ctx.filters),
        query(queries.annual_attainment, ctx.filters, programs=list(programs)) if programs else None,
        ctx.elapsed_pct, ctx.lang, programs, gap_changes(ctx)))
    with st.container(border=True, key="status_strip"):
        if not shown.groups:
            st.markdown(T(NO_DATA))
            return
        for where, (key, items) in zip(st.columns(len(shown.groups)), shown.groups, strict=True):
            lines = [f"- {md(item)}" for item in items] or [md(findings.none_behind(ctx.lang))]
            where.markdown(f"**{status.label_of(key, ctx.lang)} ({len(items)})**\n\n" + "\n".join(lines))
        scope = T(" 집행률은 선택한 재원({sources})의 예산·집행액으로 셉니다.", sources="·".join(N(s) for s in ctx.filters.sources))
        st.caption(md(shown.scale) + (scope if ctx.filters.sources_filtered else ""))


def execution_trend(ctx: Context, programs: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """The programmes' execution against the pace at every report period of the year up to the chosen one, or None
    when there are fewer than trend.MIN_PERIODS periods (two are a comparison, not a trend)."""
    frame = query(queries.execution_trend, ctx.filters, programs=list(programs) or None)
    return frame if trend.has_trend(frame) else None


def gap_changes(ctx: Context) -> pd.DataFrame | None:
    """Whether each programme's gap to the pace is closing since the report before (a trend of three or more)."""
    frame = execution_trend(ctx)
    return None if frame is None else trend.gap_changes(frame)


def trend_charts(ctx: Context, programs: tuple[str, ...], name: str) -> None:
    """A business line's trend, period by period: execution rate against the year's pace, and the results against
    each annual target (100% = the target), for the programmes of the page."""
    execution = execution_trend(ctx, programs)
    if execution is None:
        return
    chart(lambda: charts.trend_lines(execution, "as_of", "rate", "series", title=T("보고 시점별 집행률과 연중 경과율"),
                                     value_title=T("집행률 (%)"), mark="elapsed_pct", mark_label=T("연중 경과율")),
          execution, f"trend_execution_{name}", T("보고 시점별 각 사업 예산현황"), ctx,
          ["as_of", "program_id", "title", "budget", "executed", "rate", "elapsed_pct", "gap"])
    attainment = query(queries.attainment_trend, ctx.filters, programs=list(programs))
    if not attainment.empty and attainment["as_of"].nunique() >= trend.MIN_PERIODS:
        chart(lambda: charts.trend_lines(attainment, "as_of", "attainment_pct", "series",
                                         title=T("보고 시점별 연간 목표 대비 실적"), value_title=T("목표 대비 (%)"),
                                         mark_label=T("연간 목표"), mark_value=100.0),
              attainment, f"trend_attainment_{name}", T("보고 시점별 추진실적"), ctx,
              ["as_of", "program_id", "category", "target_measure", "target", "actual", "unit", "attainment_pct"])


@contextmanager
def section(title: str, key: str, *, first: bool = False) -> Iterator[bool]:
    """A titled part of a page that draws its charts only when opened (the first one opens by itself).

    Drawing every plotly chart of a page at once is what made the browser slow (bench/RESULTS.md); a closed
    section costs one line. Yields whether it is open: the block under it draws only then.
    """
    box = st.expander(f"**{T(title)}**", expanded=first, key=f"section_{key}", on_change="rerun")
    outer = _APPLIED.get()
    try:
        with box:
            yield bool(box.open)
    finally:
        _APPLIED.set(outer)  # what `applies` said inside a section holds for that section only


def compared(fn: Callable[..., Any], ctx: Context, keys: list[str], **kwargs: Any) -> pd.DataFrame:
    """A query's rows with the previous report's values and the change beside them, when comparing."""
    current = query(fn, ctx.filters, **kwargs)
    if ctx.previous is None:
        return current
    return memo("compared", fn.__name__, ctx,
                lambda: with_previous(current, query(fn, ctx.previous, **kwargs), keys), tuple(keys), _frozen(kwargs))


def rows_of(frame: pd.DataFrame, ids: list[str] | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    """Rows of a facts frame as records for cards (id, kind, measure, value, unit, previous value): the named
    fact_ids in that order, or those of one kind."""
    columns = [c for c in ("fact_id", "kind", "measure", "value", "unit", "value_prev") if c in frame.columns]
    records = [dict(zip(columns, values, strict=True)) for values in zip(*(frame[c].tolist() for c in columns), strict=True)]
    if ids is not None:
        by_id = {r["fact_id"]: r for r in records}
        return [by_id[i] for i in ids if i in by_id]
    return [r for r in records if kind is None or r["kind"] == kind]


def cards(ctx: Context, specs: Sequence[dict[str, Any]]) -> None:
    """A row of headline figures, one card per spec (a kind of money, pct or count, its unit, the previous report's
    value, a finding, what the figure is (help), and target=True for a target, which says so in its label)."""
    card_row([_card(ctx, **spec) for spec in specs])


def fact_cards(ctx: Context, facts: Sequence[dict[str, Any]], *, target: bool = False,
               finding: str | None = None) -> None:
    """A row of cards for facts (rows_of): each its measure, value and unit (a fact in % is a rate), and the change
    since the previous report."""
    cards(ctx, [{"label": f["measure"], "value": f["value"], "kind": "pct" if f["unit"] == "%" else "count",
                 "unit": f["unit"], "previous": f.get("value_prev"), "target": target, "finding": finding}
                for f in facts])


def _card(ctx: Context, label: str, value: float | None, *, kind: str = "count", unit: str = "",
          previous: float | None = None, finding: str | None = None, help: str | None = None,
          target: bool = False) -> CardView:
    view = card_view(label, value, lang=ctx.lang, money_unit=ctx.unit, kind=kind, unit=unit, previous=previous,
                     target=target)
    return replace(view, since=T("{as_of} 대비", as_of=ctx.previous_as_of) if view.delta else None,
                   note=finding or None, help=T(help) if help else None)


def _row_number() -> int:
    rows = _ROWS.get()
    if rows is None:
        rows = itertools.count()
        _ROWS.set(rows)
    return next(rows)


def card_row(views: Sequence[CardView]) -> None:
    """Cards side by side, drawn as one element (cards.row_html); nothing for no cards. Its box keeps the row's least
    height until the element is drawn (page_frame.PAGE_CSS), so that what follows does not move down then."""
    if views:
        with st.container(key=f"card_row_{row_kind(views)}_{_row_number()}"):
            st.html(row_html(views))


def applies(ctx: Context, team: bool, source: bool, *, say: bool = True) -> None:
    """Say when a chosen filter does not apply to the data below (it has no team or no funding source); until the
    end of the section (or page) the charts and downloads below name only the filters that apply (say=False: only
    that, when the page says it in its own words)."""
    _APPLIED.set((team, source))
    if not say:
        return
    missing = []
    if ctx.filters.teams_filtered and not team:
        missing.append(T("팀"))
    if ctx.filters.sources_filtered and not source:
        missing.append(T("재원"))
    if missing:
        st.caption(":material/info: " + T("이 자료에는 {what} 구분이 없어 해당 필터가 적용되지 않습니다.", what="·".join(missing)))


# --- which filters reach what is drawn: named in chart subtitles and download names ------------------------------
# `applies` narrows this until the end of its section (or, called outside one, of the page); every rerun starts
# with both. A ContextVar, so that sessions running at once (each in its own script thread) never share it.
_APPLIED: ContextVar[tuple[bool, bool]] = ContextVar("ydp_applied_filters", default=(True, True))
_ROWS: ContextVar[Iterator[int] | None] = ContextVar("ydp_card_rows", default=None)  # set by `page` on every run


def applied_filters(ctx: Context) -> list[str]:
    """The chosen teams and funding sources that reach the data drawn here, e.g. ['상생기업팀', '국비'] (none chosen:
    [])."""
    team, source = _APPLIED.get()
    f = ctx.filters
    return [*(f.teams if team and f.teams_filtered else ()), *(f.sources if source and f.sources_filtered else ())]


def filter_note(ctx: Context) -> str:
    """The filters for a chart's subtitle, escaped for plotly: ' · 필터: 상생기업팀 · 국비', and the chosen filters the
    data has no split for ('' when nothing is filtered)."""
    f = ctx.filters
    team, source = _APPLIED.get()
    chosen = applied_filters(ctx)
    ignored = [T(w) for w, on, reaches in (("팀", f.teams_filtered, team), ("재원", f.sources_filtered, source))
               if on and not reaches]
    text = ""
    if chosen:
        text += " · " + T("필터: {chosen}", chosen=" · ".join(plot(name(c, ctx.lang)) for c in chosen))
    if ignored:
        text += " · " + T("{what} 필터 미적용 (구분 없는 자료)", what="·".join(ignored))
    return text


def scoped_headers(ctx: Context, headers: list[str]) -> dict[str, str]:
    """Header renames for a table (its Korean headers) that shows a rate of the chosen funding sources beside the
    report's rate for the whole programme: each says which it is (nothing to rename otherwise)."""
    rate, stated = header("rate", ctx.unit), header("stated_rate_pct", ctx.unit)
    if not (_APPLIED.get()[1] and ctx.filters.sources_filtered and rate in headers and stated in headers):
        return {}
    picked = "·".join(ctx.filters.sources)
    if ctx.lang == ENGLISH:
        picked = ", ".join(i18n.NAMES.get(s, s) for s in ctx.filters.sources)
    return {rate: T("집행률({sources}만)(%)", sources=picked), stated: T("보고서 집행률(사업 전체, 모든 재원)(%)")}


def in_unit(frame: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Money columns and money facts restated in the chosen unit, for a chart."""
    return money_in_unit(frame, ctx.unit)


def empty(frame: pd.DataFrame) -> bool:
    """True, with a plain message on the page, when the filters leave no rows."""
    if frame.empty:
        st.info(T(NO_DATA) + ("" if lang() == ENGLISH else " (No data for this filter.)"))
        return True
    return False


def download(frame: pd.DataFrame, name: str, ctx: Context, columns: list[str] | None = None) -> None:
    """A download of exactly these rows as CSV (UTF-8 with BOM, Korean headers with units)."""
    renamed = scoped_headers(ctx, [header(c, ctx.unit) for c in columns or frame.columns])
    data = memo("csv", name, ctx, lambda: csv_bytes(localised(display_frame(frame, ctx.unit, columns).rename(
        columns=renamed), ctx)), tuple(columns or ()), tuple(renamed.items()))
    # a plain label, no icon, no tooltip: those took a button from 6.5 to 10 ms in the browser (bench/ELEMENTS.md)
    st.download_button(T("CSV 받기 (필터된 행)"), data, file_name=file_name(name, ctx.as_of, applied_filters(ctx)),
                       mime="text/csv", key=f"dl_{name}", on_click="ignore")


def localised(shown: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """A display frame in the chosen language: headers translated, report names with English beside."""
    if ctx.lang != ENGLISH:
        return shown
    out = shown.copy()
    for col in NAME_COLUMNS:
        label = header(col, ctx.unit)
        if label in out:
            out[label] = out[label].map(lambda v: name(v, ctx.lang) if isinstance(v, str) else v)
    return out.rename(columns={c: unit_text(c, ctx.lang) for c in out.columns})


def localise_figure(fig: go.Figure, ctx: Context) -> go.Figure:
    """A chart's words in the chosen language (see i18n.localise_figure)."""
    return i18n.localise_figure(fig, ctx.lang)


def chart(fig: go.Figure | Callable[[], go.Figure], frame: pd.DataFrame, name: str, source: str, ctx: Context,
          columns: list[str] | None = None) -> None:
    """A chart with its source and as-of date under its title (kept in a saved image) and a download of its rows.

    A chart is made once per page, name and view (filters, unit, language, database build) and reused; fig may
    be a function that builds the figure, so that it is not even built again.
    """
    line = T("출처: 보고서 {source} · {as_of} 기준", source=plot(source), as_of=ctx.as_of)  # source may come from data
    line += filter_note(ctx)
    make: Callable[[], go.Figure] = fig if callable(fig) else (lambda: fig)  # type: ignore[assignment,return-value]
    shown = memo("chart", name, ctx, lambda: fit_margins(localise_figure(make(), ctx), line))
    # theme=None: the chart keeps theme.TEMPLATE's sizes (Streamlit's own theme writes bar values and ticks at 12 px)
    st.plotly_chart(shown, key=f"chart_{name}", config=PLOT_CONFIG, theme=None,
                    alt=(shown.layout.title.text or name).replace("<br>", " "))
    download(frame, name, ctx, columns)


def table(frame: pd.DataFrame, name: str, source: str, ctx: Context, columns: list[str] | None = None) -> None:
    """A table with Korean headers and units, its source, and a download of the same rows."""
    shown, config = memo("table", name, ctx, lambda: _table_view(frame, ctx, columns), tuple(columns or ()))
    # a missing value is a blank cell (Streamlit writes 'None'), and the box shows up to TABLE_ROWS rows without a
    # scroll bar of its own (Streamlit's default box holds ten)
    st.dataframe(shown, hide_index=True, column_config=config, key=f"table_{name}", placeholder="",
                 height=table_height(len(shown)))
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(T("출처: 보고서 {source} · {as_of} 기준", source=source, as_of=ctx.as_of))
    with right:
        download(frame, name, ctx, columns)


TABLE_ROWS = 20  # a longer table scrolls inside a box of this many rows
ROW_PX = 35  # Streamlit's row (and header) height in a dataframe


def table_height(rows: int) -> int:
    """The height in pixels of a table box that shows its header and up to TABLE_ROWS rows whole."""
    return (min(max(rows, 1), TABLE_ROWS) + 1) * ROW_PX + 3


def _cell_decimals(kind: str, unit: str) -> int | None:
    """Decimals of a numeric column written as text: the column's format, or None (the value's own) for plain numbers."""
    return {"money": MONEY_DECIMALS[unit], "per_result": formatting.PER_RESULT_DECIMALS[formatting.PER_RESULT_UNITS[unit]],
            "pct": 1, "count": 0}.get(kind)


def _table_view(frame: pd.DataFrame, ctx: Context, columns: list[str] | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The table as shown (headers, units, △ for every negative number, blank for a missing one) and its formats."""
    renamed = scoped_headers(ctx, [header(c, ctx.unit) for c in columns or frame.columns])
    shown = localised(display_frame(frame, ctx.unit, columns).rename(columns=renamed), ctx)
    config: dict[str, Any] = {}
    for col in columns or list(frame.columns):
        kind = COLUMNS.get(col.removesuffix("_prev").removesuffix("_change"), ("", "text"))[1]
        label = unit_text(renamed.get(header(col, ctx.unit), header(col, ctx.unit)), ctx.lang)
        values = shown[label]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if kind == "signed" or (numeric and bool((values < 0).any())):  # △ on screen; the CSV keeps numbers
            decimals = _cell_decimals(kind, ctx.unit)
            shown[label] = values.map(lambda v, d=decimals: formatting.cell(v, d)).astype(object)
            config[label] = st.column_config.TextColumn(alignment="right")
        elif kind == "money":
            config[label] = st.column_config.NumberColumn(format="localized" if ctx.unit == "천원" else f"%,.{ctx.decimals}f")
        elif kind == "per_result":
            config[label] = st.column_config.NumberColumn(format=f"%,.{formatting.PER_RESULT_DECIMALS[formatting.PER_RESULT_UNITS[ctx.unit]]}f")
        elif kind in ("count", "number"):
            config[label] = st.column_config.NumberColumn(format="localized")
        elif kind == "pct":
            config[label] = st.column_config.NumberColumn(format="%.1f")
    return shown, config


@dataclass(frozen=True)
class _Header:
    """What a program's header shows, worked out once per view (program_header draws it); title, caption and
    purpose are Markdown with the report's text escaped (safe_text.md)."""

    title: str
    caption: str
    purpose: str
    cards: tuple[dict[str, Any], ...]  # card() keyword arguments; empty when the chosen sources fund nothing


def _program_view(ctx: Context, program_id: str) -> _Header | None:
    info = query(queries.programs, ctx.filters, program_id=program_id)
    if info.empty:
        return None
    row = info.iloc[0]
    title = md(f"{row['program_id']} {name(row['title'], ctx.lang)}")
    caption = translate("{team} · 기간 {period} · 대상 {target} · 출처 {source}", ctx.lang).format(
        team=md(name(row["team"], ctx.lang)), period=md(row["period"]), target=md(row["target_group"]),
        source=md(row["source"]))
    budget = query(queries.budget_by_program, ctx.filters, program_id=program_id)
    if budget.empty:
        return _Header(title, caption, md(row["purpose"]), ())
    b = compared(queries.budget_by_program, ctx, ["program_id"], program_id=program_id).iloc[0]
    scope = "" if not ctx.filters.sources_filtered else f" {'·'.join(ctx.filters.sources)}"
    division = query(queries.division_budget, ctx.filters).iloc[0]
    stated = None if ctx.filters.sources_filtered else findings.known(b["stated_rate_pct"])
    rate = findings.known(b["rate"])  # a division without budget_units rows, or a budget of 0: no rate, no crash
    differs = stated is not None and rate is not None and round(rate, 1) != stated
    note = " " + translate("(보고서 표기 집행률 {rate}%)", ctx.lang).format(rate=f"{stated:.1f}") if differs else ""
    cards = (
        {"label": f"예산액{scope}", "value": b["budget"], "kind": "money", "previous": b.get("budget_prev"),
         "finding": findings.share_of_division(findings.known(b["budget"]), findings.known(division["budget"]), ctx.lang)},
        {"label": f"집행액{scope}", "value": b["executed"], "kind": "money", "previous": b.get("executed_prev"),
         "finding": findings.remaining(float(b["budget"]) - float(b["executed"]), ctx.unit, ctx.lang)},
        {"label": f"집행률{scope}", "value": b["rate"], "kind": "pct", "previous": b.get("rate_prev"),
         "finding": findings.execution_against_year(rate, ctx.elapsed_pct, ctx.lang) + note},
    )
    return _Header(title, caption, md(row["purpose"]), cards)


def program_header(ctx: Context, program_id: str) -> bool:
    """A program's title, team, purpose and budget cards (within the chosen sources); False when filtered out."""
    head: _Header | None = memo("program_header", program_id, ctx, lambda: _program_view(ctx, program_id))
    if head is None:
        st.info(T("{program} 사업은 선택한 팀에 속하지 않습니다.", program=program_id) + " " + T(NO_DATA))
        return False
    st.header(head.title)
    st.caption(head.caption)
    st.markdown(head.purpose)
    if not head.cards:
        card_row([CardView(T("예산액"), "-", help=T("선택한 재원의 예산이 이 사업에는 없습니다"))])
        return True
    cards(ctx, head.cards)
    return True
