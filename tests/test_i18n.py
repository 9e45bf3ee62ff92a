"""The English/Korean switch: every label the pages write has an English form, report names keep their Korean."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.apptest_pages import PAGES, cards_of, open_page
from ydp_data import findings
from ydp_data.i18n import NAMES, UI, name, translate, unit_text

ROOT = Path(__file__).resolve().parent.parent
HANGUL = re.compile(r"[가-힣]")


def _literals_passed_to(func: str, path: Path) -> list[str]:
    """String literals passed as first argument to calls of `func` (e.g. ui.T) in a source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == func and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append(arg.value)
    return found


@pytest.mark.parametrize("page", PAGES)
def test_every_translated_string_has_an_english_form(page: str) -> None:
    texts = _literals_passed_to("ui.T", ROOT / page) + _literals_passed_to("ui.page", ROOT / page)
    assert texts, "the page writes no translatable text"
    missing = [t for t in texts if HANGUL.search(t) and translate(t, "English") == t]
    assert not missing, missing


def test_chart_titles_of_pages_have_english_forms() -> None:
    missing = []
    for page in PAGES:
        for node in ast.walk(ast.parse((ROOT / page).read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "title" and isinstance(node.value, ast.Constant):
                if translate(node.value.value, "English") == node.value.value:
                    missing.append((page, node.value.value))
    assert not missing, missing


def test_names_keep_korean_beside_english() -> None:
    assert name("청년지원팀", "English") == "Youth Support Team (청년지원팀)"
    assert name("청년지원팀", "한국어") == "청년지원팀"
    assert name("알 수 없는 이름", "English") == "알 수 없는 이름"
    assert unit_text("예산액(천원)", "English") == "Budget(KRW 1,000)"
    assert all(HANGUL.search(k) for k in NAMES) and all(not HANGUL.search(v) for v in UI.values() if "영원" not in v
                                                        and "포유" not in v and "오랑" not in v)


def test_findings_in_english() -> None:
    assert findings.execution_against_year(37.6, 41.4, "English") == (
        "Execution 37.6% is 3.8 points behind the 41.4% of the year elapsed.")
    assert "5 figures" in findings.discrepancies(5, "English")


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_in_english(db_path: Path, page: str) -> None:
    at = open_page(page, {"lang": "English"})
    assert not at.exception
    title = at.title[0].value
    assert not HANGUL.search(title), title
    for card in cards_of(at):
        label = card.label
        # a report name keeps its Korean in brackets; anything else is English
        assert not HANGUL.search(re.sub(r"\([^)]*\)", "", label)), label
    for section in at.expander:
        assert re.search(r"[A-Za-z]", section.label), section.label
    for header in at.header:
        if header.value != "필터 Filters":
            assert re.search(r"[A-Za-z]", header.value), header.value
