"""Formats, CSV export, URL filters, findings, and the database's repair on start."""

from __future__ import annotations

import ast
import io
import os
from pathlib import Path

import pandas as pd
import pytest

from tests.figure_labels import category_labels
from ydp_data import findings, queries
from ydp_data.build import SCHEMA_VERSION, build
from ydp_data.db import Database, ensure_database
from ydp_data.export import csv_bytes, file_name, neutralise
from ydp_data.filters import ALL_TEAMS, Filters, parse_query
from ydp_data.formatting import display_frame, fact_money_to, header, money, number, pct

ROOT = Path(__file__).resolve().parent.parent
REPORT = "ydp-jobs-2023-05"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(7113947, "천원", "7,113,947천원"), (7113947, "백만원", "7,113.9백만원"), (7113947, "억원", "71.14억원"),
     (0, "천원", "0천원"), (-1500, "천원", "△1,500천원")],
)
def test_money_formats_in_each_unit(value: int, unit: str, expected: str) -> None:
    assert money(value, unit) == expected


def test_negative_numbers_use_the_triangle_and_zero_does_not() -> None:
    assert number(-3) == "△3"
    assert number(2) == "2"
    assert number(-0.01, 1) == "0.0"
    assert pct(37.64) == "37.6%"


def test_headers_carry_units() -> None:
    assert header("budget", "천원") == "예산액(천원)"
    assert header("executed", "억원") == "집행액(억원)"
    assert header("rate", "억원") == "집행률(%)"


def test_display_frame_scales_money_and_keeps_numbers() -> None:
    frame = pd.DataFrame({"team": ["청년지원팀"], "budget": [881580], "rate": [61.1]})
    shown = display_frame(frame, "백만원")
    assert list(shown.columns) == ["팀", "예산액(백만원)", "집행률(%)"]
    assert shown.iloc[0]["예산액(백만원)"] == pytest.approx(881.58)


def test_money_facts_follow_the_switch() -> None:
    facts = pd.DataFrame({"value": [2698.0, 181.0], "unit": ["백만원", "명"]})
    out = fact_money_to(facts, "천원")
    assert out["value"].tolist() == [2698000.0, 181.0]
    assert out["unit"].tolist() == ["천원", "명"]


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_csv_has_bom_and_numbers_untouched() -> None:
    frame = pd.DataFrame({"명칭": ["=HYPERLINK(\"x\")", "정상"], "값": [-3, 5]})
    raw = csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert back["명칭"].tolist() == ["'=HYPERLINK(\"x\")", "정상"]
    assert back["값"].tolist() == [-3, 5]


def test_file_name_says_what_and_when() -> None:
    assert file_name("budget_by_source", "2023-05-31") == "ydp_budget_by_source_2023-05-31.csv"
    assert file_name("../../etc/passwd", "2023-05-31") == "ydp_etc_passwd_2023-05-31.csv"


def test_url_values_are_checked_against_allowed_ones() -> None:
    parsed = parse_query({"team": ["청년지원팀", "기획팀"], "source": ["국비", "'; DROP TABLE facts; --"],
                          "unit": ["억원"], "x" * 500: ["1"]}, [REPORT])
    assert parsed.values == {"team": ["청년지원팀"], "source": ["국비"], "unit": ["억원"]}
    assert "team=기획팀" in parsed.ignored
    assert parse_query({"team": ["청년지원팀,상생기업팀"]}, [REPORT]).ignored == ["team=청년지원팀,상생기업팀"]
    assert any(item.startswith("source='; DROP") for item in parsed.ignored)
    assert all(len(item) < 60 for item in parsed.ignored)


def test_findings_are_written_from_numbers() -> None:
    assert findings.execution_against_year(37.6, 41.4) == "집행률 37.6%는 연중 경과율 41.4%보다 3.8%p 낮습니다."
    assert findings.execution_against_year(55.0, 41.4).endswith("13.6%p 높습니다.")
    assert findings.progress_against_target(221, 448, "선발", "명") == "선발: 목표 448명 중 221명(49.3%)."
    assert "5건" in findings.discrepancies(5)


def test_hostile_filter_values_reach_sql_only_as_parameters(db: Database) -> None:
    hostile = Filters(REPORT, teams=("'; DROP TABLE facts; --",), sources=("국비' OR '1'='1",))
    assert queries.budget_by_team(db, hostile).empty
    assert queries.facts(db, hostile).empty
    assert len(queries.table(db, Filters(REPORT), "facts")) > 100
    with pytest.raises(ValueError):
        queries.table(db, Filters(REPORT), "facts; DROP TABLE facts")


def test_sums_of_money_stay_exact_integers(db: Database, all_filters: Filters) -> None:
    total = queries.division_budget(db, all_filters)
    assert str(total["budget"].dtype) == "int64"
    assert int(total.iloc[0]["budget"]) == 7_113_947
    by_source = queries.budget_by_source(db, all_filters)
    assert by_source["budget"].dtype.kind == "i"
    assert int(by_source["budget"].sum()) == 6_073_047  # the six programs of Ⅱ and Ⅲ
    assert queries.budget_by_team(db, Filters(REPORT, teams=ALL_TEAMS[2:])).iloc[0]["budget"] == 881_580


def test_missing_database_is_built_on_start(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "ydp.duckdb"
    path, notice = ensure_database(target, ROOT / "datasets")
    assert path.exists() and notice is None
    assert len(queries.reports(Database(path))) == 1


@pytest.mark.parametrize("damage", [b"not a database at all", b""])
def test_corrupt_database_is_set_aside_and_rebuilt(tmp_path: Path, damage: bytes) -> None:
    target = tmp_path / "ydp.duckdb"
    build(ROOT / "datasets", target)
    good = target.read_bytes()
    target.write_bytes(damage or good[: len(good) // 3])
    path, notice = ensure_database(target, ROOT / "datasets")
    assert notice and "다시 만들었습니다" in notice
    kept = [p for p in tmp_path.iterdir() if ".bad-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == (damage or good[: len(good) // 3])
    assert len(queries.reports(Database(path))) == 1


def test_open_database_follows_a_rebuild(tmp_path: Path) -> None:
    target = tmp_path / "ydp.duckdb"
    build(ROOT / "datasets", target)
    db = Database(target)
    before = db.query("SELECT built_at FROM build_info").iloc[0, 0]
    os.utime(target, ns=(1, 1))  # make sure the stamp differs even on coarse clocks
    build(ROOT / "datasets", target)
    after = db.query("SELECT built_at FROM build_info").iloc[0, 0]
    assert after >= before
    assert db.query("SELECT COUNT(*) AS n FROM facts").iloc[0, 0] > 100


def test_findings_for_program_cards() -> None:
    assert findings.share_of_division(207_151, 7_113_947) == "과 전체 예산의 2.9%입니다."
    assert findings.remaining(207_151 - 73_039, "천원") == "남은 예산 134,112천원."
    assert findings.remaining(-1_500, "천원") == "남은 예산 △1,500천원."
    assert findings.remaining(134_112, "백만원", "English") == "134.1 KRW 1M left to spend."


def test_cost_per_result_is_the_reports_budget_over_its_results(db: Database, all_filters: Filters) -> None:
    cost = queries.cost_per_result(db, all_filters).set_index("program_id")
    # report literals: Ⅱ-1 budget 207,151 / executed 73,039 천원 over 420 people employed (Ⅱ-1, p.4)
    assert cost.loc["Ⅱ-1", "results"] == 420
    assert cost.loc["Ⅱ-1", "budget_per_result"] == round(207_151 / 420, 1) == 493.2
    assert cost.loc["Ⅱ-1", "executed_per_result"] == round(73_039 / 420, 1)
    # Ⅱ-2: 221 selected in the first half; Ⅱ-3: 15+13+17+7 = 52 firm supports; Ⅱ-4: 5,496 visitors;
    # Ⅲ-1: 181 trainees; Ⅲ-2: 30 + 10 + 16 = 56 participants
    assert cost["results"].to_dict() == {"Ⅱ-1": 420, "Ⅱ-2": 221, "Ⅱ-3": 52, "Ⅱ-4": 5496, "Ⅲ-1": 181, "Ⅲ-2": 56}
    assert cost.loc["Ⅲ-1", "budget_per_result"] == round(150_000 / 181, 1)
    assert cost.loc["Ⅲ-2", "executed_per_result"] == round(311_100 / 56, 1)
    only_national = queries.cost_per_result(db, Filters(REPORT, sources=("국비",))).set_index("program_id")
    assert only_national.loc["Ⅲ-2", "budget"] == 200_500 and list(only_national.index) == ["Ⅱ-3", "Ⅲ-2"]


def test_team_and_source_colours_stay_apart_in_colour_and_in_greyscale() -> None:
    """No chart draws a fill pattern: the members of a group differ in greyscale lightness by at least 0.08."""
    from itertools import combinations

    from ydp_data.theme import SOURCE_COLORS, TEAM_COLORS, color_of

    for group in (TEAM_COLORS, SOURCE_COLORS):
        assert len(set(group.values())) == len(group)
        for a, b in combinations(group, 2):
            assert abs(_luminance(color_of(a)) - _luminance(color_of(b))) >= 0.08, (a, b)


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def string_constants(tree: ast.Module) -> set[str]:
    """The names a module assigns a string literal to at its top level."""
    return {t.id for node in tree.body if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str) for t in node.targets if isinstance(t, ast.Name)}


# builders of HTML with values from the data in it, every value through safe_text.html_text:
# tests/test_exact_cards.py::test_a_card_shows_any_text_as_text
HTML_BUILDERS = {"row_html"}


def test_no_data_is_rendered_as_raw_html() -> None:
    """Only our own constant HTML reaches st.html: a string literal or a module's string constant (page_frame.FRAME_SCRIPT
    takes json.dumps of "en" or "ko"), or what a builder makes that escapes every value in it (HTML_BUILDERS, each
    tested with hostile text); no unsafe_allow_html, no components.v1."""
    for path in [*ROOT.glob("pages/*.py"), ROOT / "dashboard.py", *ROOT.glob("ydp_data/*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text and "components.v1" not in text, path.name
        tree = ast.parse(text)
        constants = string_constants(tree)
        for node in tree.body:  # a string constant of another module of ours, imported by name
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ydp_data."):
                source = ROOT / (node.module or "").replace(".", "/")
                constants |= {a.name for a in node.names} & string_constants(ast.parse(
                    source.with_suffix(".py").read_text(encoding="utf-8")))
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "html"):
                continue
            body = call.args[0]
            if isinstance(body, ast.Call) and ast.unparse(body.func) in HTML_BUILDERS:
                continue
            if isinstance(body, ast.BinOp) and isinstance(body.op, ast.Mod):  # CONSTANT % json.dumps(a or b)
                fill = body.right
                assert (isinstance(fill, ast.Call) and ast.unparse(fill.func) == "json.dumps"
                        and isinstance(fill.args[0], ast.IfExp)
                        and all(isinstance(v, ast.Constant) for v in (fill.args[0].body, fill.args[0].orelse))), \
                    f"{path.name}: {ast.unparse(call)}"
                body = body.left
            assert (isinstance(body, ast.Constant) and isinstance(body.value, str)) or \
                (isinstance(body, ast.Name) and body.id in constants), f"{path.name}: {ast.unparse(call)}"


def test_database_of_another_version_is_set_aside(tmp_path: Path) -> None:
    import duckdb

    target = tmp_path / "ydp.duckdb"
    build(ROOT / "datasets", target)
    con = duckdb.connect(str(target))
    con.execute("UPDATE build_info SET schema_version = 999")
    con.close()
    path, notice = ensure_database(target, ROOT / "datasets")
    assert notice and any(".bad-" in p.name for p in tmp_path.iterdir())
    assert Database(path).query("SELECT schema_version FROM build_info").iloc[0, 0] == SCHEMA_VERSION


# --- chart margins -------------------------------------------------------------------------------
def test_wrap_label_breaks_long_labels_at_spaces_only() -> None:
    from ydp_data.charts import LABEL_MAX_PX, label_width, wrap_label

    assert wrap_label("청년지원팀") == "청년지원팀"
    long = "Sustainable jobs through more employment opportunities (고용기회 확대로 지속가능한 일자리 지원)"
    wrapped = wrap_label(long)
    assert wrapped.replace("<br>", " ") == long
    lines = wrapped.split("<br>")
    assert len(lines) > 1 and all(label_width(line) <= LABEL_MAX_PX for line in lines)
    word = "가" * 40  # one word wider than the limit keeps its line
    assert wrap_label(word) == word and label_width(word) > LABEL_MAX_PX


def test_fit_margins_sizes_the_chart_from_its_labels_without_automargin() -> None:
    from ydp_data import charts
    from ydp_data.theme import TEMPLATE

    assert not TEMPLATE.layout.xaxis.automargin and not TEMPLATE.layout.yaxis.automargin
    short = pd.DataFrame({"team": ["청년지원팀"], "budget": [1.0], "executed": [0.5]})
    fig = charts.fit_margins(charts.paired_bars(short, "team", [("budget", "예산액"), ("executed", "집행액")],
                                                title="t", unit="천원"), "출처: 보고서 Ⅱ-4, p.8")
    assert fig.layout.margin.l == charts.SIDE_PX  # the category labels stand above the bars, not in a left margin
    assert fig.layout.title.subtitle.text == "출처: 보고서 Ⅱ-4, p.8"
    assert [text for text, _, _ in category_labels(fig)] == ["청년지원팀"]
    assert fig.layout.yaxis.ticklabelposition == "inside"  # drawn inside the plotting area, above the bar
    names = ["Sustainable jobs through more employment opportunities (고용기회 확대로 지속가능한 일자리 지원)"] * 1 + [
        f"Programme {i} with a long English name and its Korean (주요사업 {i})" for i in range(7)]
    frame = pd.DataFrame({"title": names, "rate": [10.0 * i for i in range(8)]})
    fig = charts.fit_margins(charts.rate_against_mark(frame, "title", "rate", 41.4, title="t", mark_label="m"))
    assert list(fig.data[0].y) == names  # the data keep the full names; only the labels wrap
    labels = [text for text, _, _ in category_labels(fig)]
    assert all(t.replace("<br>", " ") == n for t, n in zip(labels, names, strict=True))
    assert fig.layout.margin.l == charts.SIDE_PX
    lines = max(t.count("<br>") + 1 for t in labels)
    assert lines > 1 and all(charts.shown_width(line) <= charts.TEXT_PX for t in labels for line in t.split("<br>"))
    assert fig.layout.height >= fig.layout.margin.t + fig.layout.margin.b + len(names) * lines * charts.LINE_PX
