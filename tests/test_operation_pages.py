"""The dashboard in operation, through AppTest: an open page follows datasets/ after a change, repairs a database
damaged under it with a notice shown once, and shows a plain message (never a traceback) when it has no data."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest_pages import cards_of, open_page
from tests.test_integrity import bump_budget, set_cell
from ydp_data.build import build

ROOT = Path(__file__).resolve().parent.parent
TOTAL = 7_113_947


@pytest.fixture()
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A datasets copy and its database, the app pointed at both (a fresh process cache key per test)."""
    datasets, db = tmp_path / "datasets", tmp_path / "data" / "ydp.duckdb"
    shutil.copytree(ROOT / "datasets", datasets)
    build(datasets, db)
    monkeypatch.setenv("YDP_DATASETS", str(datasets))
    monkeypatch.setenv("YDP_DB", str(db))
    yield datasets, db


def total_card(at: AppTest) -> str:
    """The division's budget card (예산액, 과 전체), whatever the label's exact wording."""
    (value,) = [m.value for m in cards_of(at) if m.label.startswith("예산액") and "과 전체" in m.label]
    return str(value)


def texts(at: AppTest, kind: str) -> list[str]:
    """The elements' text as a reader sees it (Markdown escapes and word joiners of safe_text.md taken out)."""
    return [str(e.value).replace("\\", "").replace("\u2060", "") for e in getattr(at, kind)]


def test_the_open_page_shows_a_changed_figure_on_its_next_rerun(served: tuple[Path, Path]) -> None:
    datasets, _ = served
    at = open_page("dashboard.py", all_sections=False)
    assert not at.exception and total_card(at) == f"{TOTAL:,}"
    bump_budget(datasets, 1000)  # an officer's import (or a hand edit) while the page is open
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert total_card(at) == f"{TOTAL + 1000:,}"


@pytest.mark.parametrize("damage", ["delete", "truncate"])
def test_a_database_damaged_under_an_open_page_is_repaired_with_a_notice_shown_once(
        served: tuple[Path, Path], damage: str) -> None:
    _, db = served
    at = open_page("dashboard.py", all_sections=False)
    assert not at.exception and not texts(at, "warning")
    if damage == "delete":
        db.unlink()
    else:
        db.write_bytes(db.read_bytes()[:4096])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("다시 만들었습니다" in w for w in texts(at, "warning")), texts(at, "warning")
    assert total_card(at) == f"{TOTAL:,}"
    at.run()  # the same session: told once
    assert not [w for w in texts(at, "warning") if "다시 만들었습니다" in w]
    assert total_card(at) == f"{TOTAL:,}"


def test_invalid_datasets_keep_the_last_good_figures_with_a_notice(served: tuple[Path, Path]) -> None:
    datasets, _ = served
    at = open_page("dashboard.py", all_sections=False)
    set_cell(datasets / "budget_units.csv", 0, "budget", "12.345")
    at.run()
    assert not at.exception
    assert any("budget_units.csv" in e and "이전 데이터베이스" in e for e in texts(at, "error")), texts(at, "error")
    assert total_card(at) == f"{TOTAL:,}"


def test_no_database_to_be_had_is_a_plain_message(served: tuple[Path, Path]) -> None:
    datasets, db = served
    db.unlink()
    set_cell(datasets / "budget_units.csv", 0, "budget", "abc")
    for page in ("dashboard.py", "pages/7_데이터_Data.py"):
        at = open_page(page, all_sections=False)
        assert not at.exception, [e.value for e in at.exception]
        (message,) = texts(at, "error")
        assert "데이터베이스를 준비하지 못했습니다" in message and "Traceback" not in message and "/" not in message
        assert not cards_of(at)
