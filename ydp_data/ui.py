"""Shared Streamlit pieces: the page frame, the filter sidebar, cached queries, chart and table blocks with downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ydp_data import findings, i18n, paths, queries
from ydp_data.charts import fit_margins
from ydp_data.compare import with_previous
from ydp_data.datasets import SPECS
from ydp_data.db import Database, ensure_database
from ydp_data.export import csv_bytes, file_name
from ydp_data.filters import ALL_SOURCES, ALL_TEAMS, MONEY_UNITS, Filters, parse_query
from ydp_data.formatting import COLUMNS, MONEY_DECIMALS, display_frame, header, money, money_in_unit, number, pct
from ydp_data.i18n import ENGLISH, LANGS, UNITS, name, translate, unit_text
from ydp_data.memo import LruCache

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


def database() -> tuple[Database, str | None]:
    """The database, opened once per server process and file (built from datasets/ on first run if missing)."""
    def open_it() -> tuple[Database, str | None]:
        with st.spinner("데이터베이스를 준비하는 중…"):
            built, notice = ensure_database(paths.database_path(), paths.datasets_dir())
        return Database(built), notice

    return DATABASES.get_or_make(paths.settings(), open_it)


# Results are shared by all sessions (cache_resource: no pickling on a hit) and keyed by everything they
# depend on, the database build included; callers never change a result in place (pandas copy-on-write).


def _frozen(kwargs: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))


def query(fn: Callable[..., Any], filters: Filters, **kwargs: Any) -> Any:
    """Run a function of ydp_data.queries, cached per filters and per build of the database file."""
    db = database()[0]
    key = (fn.__name__, filters, db.path, db.stamp(), _frozen(kwargs))
    return QUERIES.get_or_make(key, lambda: fn(db, filters, **kwargs))


def _view(ctx: Context, *extra: Any) -> tuple[Any, ...]:
    """Everything a page's chart, table or download depends on: filters, comparison, unit, language, build."""
    db = database()[0]
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
        st.warning("URL의 알 수 없는 값은 무시했습니다 (ignored URL values): " + ", ".join(parsed.ignored[:10]))
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
        if kept in state:
            # assigned on every run, as Streamlit advises for widgets shared by pages: on a newly opened
            # page the widget takes its value from the assignment, not from the previous page's widget
            state[key] = state[kept]
        elif key not in state and FILTER_DEFAULTS.get(key) is not None:
            state[key] = FILTER_DEFAULTS[key]


def _remember(key: str) -> None:
    """Keep what the user chose in a widget, so a page switch cannot lose it (runs before the rerun)."""
    st.session_state[f"_kept_{key}"] = st.session_state[key]


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
        label = page_file.stem.split("_", 1)[-1].replace("_", " ")
        st.page_link(f"pages/{page_file.name}", label=label, icon=PAGE_ICONS.get(page_file.stem[:1], None))


PAGE_FILES = sorted((paths.ROOT / "pages").glob("*.py"))
PAGE_ICONS = {"1": ":material/work:", "2": ":material/groups:", "3": ":material/handshake:",
              "4": ":material/diversity_3:", "5": ":material/account_tree:", "6": ":material/calendar_month:",
              "7": ":material/database:", "8": ":material/slideshow:"}


def page(title: str, sentence: str, icon: str = "📊") -> Context:
    """Draw the frame of a page (config, sidebar, title, one sentence, as-of date) and return its context."""
    st.set_page_config(page_title=f"{title} · 영등포구 일자리정책과", page_icon=icon, layout="wide")
    db, notice = database()
    if notice:
        st.warning(notice)
    filters, unit = _sidebar()
    title, sentence = T(title), T(sentence)  # after the sidebar: the language widget reads the URL
    info = query(queries.report, filters)
    as_of = pd.Timestamp(info["as_of"]).strftime("%Y-%m-%d")
    previous, previous_as_of = None, None
    before = query(queries.previous_report, filters)
    if not before.empty and st.session_state.get("compare", True):
        previous = Filters(str(before.iloc[0]["report_id"]), filters.teams, filters.sources)
        previous_as_of = pd.Timestamp(before.iloc[0]["as_of"]).strftime("%Y-%m-%d")
    st.title(title)
    st.markdown(sentence)
    st.caption(T("{district} {division} · {title} · **{as_of} 기준** · 금액 단위 {unit}", district=info["district"],
                 division=info["division"], title=info["title"], as_of=as_of, unit=unit_text(unit, lang())))
    if previous_as_of:
        st.caption(T("직전 보고({as_of} 기준)와 비교한 변화를 함께 보여 줍니다.", as_of=previous_as_of))
    return Context(filters, unit, as_of, float(info["elapsed_pct"]), previous, previous_as_of, lang())


@contextmanager
def section(title: str, key: str, *, first: bool = False) -> Iterator[bool]:
    """A titled part of a page that draws its charts only when opened (the first one opens by itself).

    Drawing every plotly chart of a page at once is what made the browser slow (bench/RESULTS.md); a closed
    section costs one line. Yields whether it is open: the block under it draws only then.
    """
    box = st.expander(f"**{T(title)}**", expanded=first, key=f"section_{key}", on_change="rerun")
    with box:
        yield bool(box.open)


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


def card(where: Any, label: str, value: float | None, ctx: Context, *, kind: str = "count", unit: str = "",
         previous: float | None = None, finding: str | None = None, help: str | None = None) -> None:
    """A headline figure (kind money, pct or count) with its change since the previous report and a finding."""
    if ctx.lang == ENGLISH:
        unit = f" {UNITS.get(unit, unit)}" if unit else ""
        english = translate(label, ctx.lang)
        label = name(label, ctx.lang) if english == label else english
    if kind == "money":
        head, _, rest = label.partition(" ")
        if ctx.lang == ENGLISH:
            label = f"{label} ({UNITS[ctx.unit]})"
        else:
            label = f"{head}({ctx.unit}) {rest}".strip()
        shown = money(value, ctx.unit, with_unit=False)
    elif kind == "pct":
        shown = pct(value)
    else:
        shown = "-" if value is None or pd.isna(value) else f"{number(value, 1 if float(value) % 1 else 0)}{unit}"
    delta, arrow, color = None, "auto", "normal"
    if previous is not None and value is not None and not pd.isna(previous):
        change = float(value) - float(previous)
        if kind == "money":
            text = money(abs(change), ctx.unit, with_unit=False)
        elif kind == "pct":
            text = f"{abs(change):.1f}%p"
        else:
            text = f"{number(abs(change), 1 if change % 1 else 0)}{unit}"
        delta = f"△{text}" if change < 0 else text
        arrow, color = ("down", "red") if change < 0 else ("up", "green") if change > 0 else ("off", "gray")
    where.metric(label, shown, delta=delta, delta_arrow=arrow, delta_color=color, border=True,
                 help=T(help) if help else None,
                 delta_description=T("{as_of} 대비", as_of=ctx.previous_as_of) if delta else None)
    if finding:
        where.caption(finding)


def applies(ctx: Context, team: bool, source: bool) -> None:
    """Say when a chosen filter does not apply to the data below (it has no team or no funding source)."""
    missing = []
    if ctx.filters.teams_filtered and not team:
        missing.append(T("팀"))
    if ctx.filters.sources_filtered and not source:
        missing.append(T("재원"))
    if missing:
        st.caption(":material/info: " + T("이 자료에는 {what} 구분이 없어 해당 필터가 적용되지 않습니다.", what="·".join(missing)))


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
    data = memo("csv", name, ctx, lambda: csv_bytes(localised(display_frame(frame, ctx.unit, columns), ctx)),
                tuple(columns or ()))
    # a plain label, no icon, no tooltip: those took a button from 6.5 to 10 ms in the browser (bench/ELEMENTS.md)
    st.download_button(T("CSV 받기 (필터된 행)"), data, file_name=file_name(name, ctx.as_of), mime="text/csv",
                       key=f"dl_{name}", on_click="ignore")


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
    line = T("출처: 보고서 {source} · {as_of} 기준", source=source, as_of=ctx.as_of)
    make: Callable[[], go.Figure] = fig if callable(fig) else (lambda: fig)  # type: ignore[assignment,return-value]
    shown = memo("chart", name, ctx, lambda: fit_margins(localise_figure(make(), ctx), line))
    st.plotly_chart(shown, key=f"chart_{name}", config=PLOT_CONFIG, alt=shown.layout.title.text or name)
    download(frame, name, ctx, columns)


def table(frame: pd.DataFrame, name: str, source: str, ctx: Context, columns: list[str] | None = None) -> None:
    """A table with Korean headers and units, its source, and a download of the same rows."""
    shown, config = memo("table", name, ctx, lambda: _table_view(frame, ctx, columns), tuple(columns or ()))
    st.dataframe(shown, hide_index=True, column_config=config, key=f"table_{name}")
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(T("출처: 보고서 {source} · {as_of} 기준", source=source, as_of=ctx.as_of))
    with right:
        download(frame, name, ctx, columns)


def _table_view(frame: pd.DataFrame, ctx: Context, columns: list[str] | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The table as shown (headers, units, △) and its column formats."""
    shown = localised(display_frame(frame, ctx.unit, columns), ctx)
    config: dict[str, Any] = {}
    for col in columns or list(frame.columns):
        kind, label = COLUMNS.get(col, ("", "text"))[1], unit_text(header(col, ctx.unit), ctx.lang)
        if kind == "money":
            config[label] = st.column_config.NumberColumn(format="localized" if ctx.unit == "천원" else f"%,.{ctx.decimals}f")
        elif kind in ("count", "number"):
            config[label] = st.column_config.NumberColumn(format="localized")
        elif kind == "pct":
            config[label] = st.column_config.NumberColumn(format="%.1f")
        elif kind == "signed":
            shown[label] = shown[label].map(number)  # △ for negatives on screen; the CSV keeps numbers
    return shown, config


@dataclass(frozen=True)
class _Header:
    """What a program's header shows, worked out once per view (program_header draws it)."""

    title: str
    caption: str
    purpose: str
    cards: tuple[dict[str, Any], ...]  # card() keyword arguments; empty when the chosen sources fund nothing


def _program_view(ctx: Context, program_id: str) -> _Header | None:
    info = query(queries.programs, ctx.filters, program_id=program_id)
    if info.empty:
        return None
    row = info.iloc[0]
    title = f"{row['program_id']} {name(row['title'], ctx.lang)}"
    caption = translate("{team} · 기간 {period} · 대상 {target} · 출처 {source}", ctx.lang).format(
        team=name(row["team"], ctx.lang), period=row["period"], target=row["target_group"], source=row["source"])
    budget = query(queries.budget_by_program, ctx.filters, program_id=program_id)
    if budget.empty:
        return _Header(title, caption, str(row["purpose"]), ())
    b = compared(queries.budget_by_program, ctx, ["program_id"], program_id=program_id).iloc[0]
    scope = "" if not ctx.filters.sources_filtered else f" {'·'.join(ctx.filters.sources)}"
    division = query(queries.division_budget, ctx.filters).iloc[0]
    stated = None if ctx.filters.sources_filtered else float(b["stated_rate_pct"])
    differs = stated is not None and round(float(b["rate"]), 1) != stated
    note = " " + translate("(보고서 표기 집행률 {rate}%)", ctx.lang).format(rate=f"{stated:.1f}") if differs else ""
    cards = (
        {"label": f"예산액{scope}", "value": b["budget"], "kind": "money", "previous": b.get("budget_prev"),
         "finding": findings.share_of_division(float(b["budget"]), float(division["budget"]), ctx.lang)},
        {"label": f"집행액{scope}", "value": b["executed"], "kind": "money", "previous": b.get("executed_prev"),
         "finding": findings.remaining(float(b["budget"]) - float(b["executed"]), ctx.unit, ctx.lang)},
        {"label": f"집행률{scope}", "value": b["rate"], "kind": "pct", "previous": b.get("rate_prev"),
         "finding": findings.execution_against_year(float(b["rate"]), ctx.elapsed_pct, ctx.lang) + note},
    )
    return _Header(title, caption, str(row["purpose"]), cards)


def program_header(ctx: Context, program_id: str) -> bool:
    """A program's title, team, purpose and budget cards (within the chosen sources); False when filtered out."""
    head: _Header | None = memo("program_header", program_id, ctx, lambda: _program_view(ctx, program_id))
    if head is None:
        st.info(T("{program} 사업은 선택한 팀에 속하지 않습니다.", program=program_id) + " " + T(NO_DATA))
        return False
    st.header(head.title)
    st.caption(head.caption)
    st.markdown(head.purpose)
    cards = st.columns(3)
    if not head.cards:
        cards[0].metric(T("예산액"), "-", border=True, help=T("선택한 재원의 예산이 이 사업에는 없습니다"))
        return True
    for where, shown in zip(cards, head.cards, strict=True):
        card(where, ctx=ctx, **shown)
    return True
