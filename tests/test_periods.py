"""Two report periods: the test-only 2023-12 report imported beside the real one, compared on the pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_pages import app_with_report, cards_of, open_page
from ydp_data import queries
from ydp_data.compare import with_previous
from ydp_data.db import Database
from ydp_data.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "report_2023_12_test"
OLD, NEW = "ydp-jobs-2023-05", "test-ydp-jobs-2023-12"


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """datasets/ copied, the test-only report imported into the copy, a database built from it; env points at it."""
    with app_with_report(tmp_path_factory.mktemp("periods"), FIXTURE) as db:
        yield db


def _sql(db: Path, sql: str, params: list[object]) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _open(page: str, params: dict[str, str] | None = None) -> AppTest:
    return open_page(page, params)


def test_the_real_datasets_hold_no_test_report() -> None:
    assert "test-" not in (ROOT / "datasets" / "reports.csv").read_text(encoding="utf-8")


def test_previous_report_is_found(two_periods: Path) -> None:
    db = Database(two_periods)
    assert queries.previous_report(db, Filters(NEW)).iloc[0]["report_id"] == OLD
    assert queries.previous_report(db, Filters(OLD)).empty


def test_compared_rows_carry_previous_and_change(two_periods: Path) -> None:
    db = Database(two_periods)
    now, before = queries.budget_by_team(db, Filters(NEW)), queries.budget_by_team(db, Filters(OLD))
    both = with_previous(now, before, ["team"])
    expected = dict(_sql(two_periods, """SELECT p.team, SUM(b.executed) FROM program_budget b JOIN programs p
                                         USING (report_id, program_id) WHERE b.report_id = ? GROUP BY 1""", [OLD]))
    for _, row in both.iterrows():
        assert row["executed_prev"] == expected[row["team"]]
        assert row["executed_change"] == row["executed"] - row["executed_prev"]


def test_overview_cards_show_change_since_previous_report(two_periods: Path) -> None:
    at = _open("dashboard.py")
    assert not at.exception
    assert at.selectbox(key="report").value == NEW  # the period filter appears once a second report exists
    (new_exec,), (old_exec,) = (_sql(two_periods, "SELECT SUM(executed) FROM budget_units WHERE report_id = ?", [r])[0]
                                for r in (NEW, OLD))
    executed = next(m for m in cards_of(at) if m.label.startswith("집행액"))
    assert executed.value == f"{int(new_exec):,}"
    change = int(new_exec) - int(old_exec)
    assert executed.delta == (f"{change:,}" if change >= 0 else f"△{-change:,}")
    assert any("2023-05-31" in c.value for c in at.caption)
    import json
    team_chart = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert [t["name"] for t in team_chart["data"]] == ["예산액", "집행액", "직전 집행액"]


def test_jobs_page_shows_people_employed_since(two_periods: Path) -> None:
    at = _open("pages/1_일자리_Jobs.py")
    assert not at.exception
    (new,), (old,) = (_sql(two_periods, "SELECT value FROM facts WHERE report_id = ? AND fact_id = 'jobplus.employed'",
                           [r])[0] for r in (NEW, OLD))
    employed = next(m for m in cards_of(at) if m.label == "취업자")
    assert employed.value == f"{int(new):,}명"
    assert employed.delta == f"{int(new - old):,}명"


def test_first_report_has_nothing_to_compare(two_periods: Path) -> None:
    at = _open("dashboard.py", {"report": OLD})
    assert not at.exception
    assert all(not m.delta for m in cards_of(at))
    assert next(m for m in cards_of(at) if m.label.startswith("예산액")).value == "7,113,947"


def test_comparison_can_be_switched_off(two_periods: Path) -> None:
    at = _open("dashboard.py", {"compare": "false"})
    assert not at.exception
    assert all(not m.delta for m in cards_of(at))
