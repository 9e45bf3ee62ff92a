"""Everything a URL can carry reaches the page as data, never as SQL, and the page still renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apptest_pages import PAGES, cards_of, open_page
from tests.test_hostile_data import markup_in
from ydp_data.safe_text import WORD_JOINER, md

ROOT = Path(__file__).resolve().parent.parent
HOSTILE: list[dict[str, str | list[str]]] = [
    {"team": "x" * 20_000},
    {"team": ["청년지원팀"] * 50 + ["' OR 1=1 --"], "source": ["국비", "국비", "시비"]},
    {"source": "국비'); DROP TABLE program_budget; --", "unit": "<script>alert(1)</script>"},
    {"report": "../../etc/passwd", "lang": "Klingon", "compare": "maybe"},
    {"team": "%00\x00", "": "", "unit": ""},
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", HOSTILE, ids=["long", "repeated", "sql-and-html", "paths", "nul"])
def test_hostile_urls_render_and_reach_no_sql(db_path: Path, page: str, params: dict[str, str | list[str]]) -> None:
    at = open_page(page, params)
    assert not at.exception, [e.value for e in at.exception]
    warnings = " ".join(w.value for w in at.warning)
    if any(v for v in params.values() if v and v != ["청년지원팀"] * 50):
        assert "무시했습니다" in warnings
    assert all(len(w.value) < 2_000 for w in at.warning)  # a 20,000-character value is not echoed whole
    assert "<script>" not in "".join(m.value for m in at.markdown)
    # what survived into the URL is only allowed values
    kept = {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}
    assert set(kept.get("team", [])) <= {"일자리사업팀", "상생기업팀", "청년지원팀"}
    assert set(kept.get("source", [])) <= {"국비", "시비", "구비"}
    assert set(kept) <= {"team", "source", "unit", "lang", "report", "compare"}


CRAFTED = "[세션 만료](https://evil.example)"  # a link inside the dashboard's own warning, if it were Markdown


@pytest.mark.parametrize("page", PAGES)
def test_crafted_url_is_named_as_text_and_changes_nothing(db_path: Path, page: str) -> None:
    """/?[세션 만료](https://evil.example)=1: the warning names the parameter as text (cut to a readable length), and
    the page shows the same figures as without it."""
    at, plain = open_page(page, {CRAFTED: "1"}), open_page(page)
    assert not at.exception and not plain.exception, [e.value for e in [*at.exception, *plain.exception]]
    (warning,) = [w.value for w in at.warning if "무시했습니다" in w.value]
    assert warning.endswith(": " + md(CRAFTED)) and markup_in(warning) == [], warning
    assert [w.value for w in plain.warning if "무시했습니다" in w.value] == []
    assert [(m.label, m.value) for m in cards_of(at)] == [(m.label, m.value) for m in cards_of(plain)]
    assert [e.proto.spec for e in at.get("plotly_chart")] == [e.proto.spec for e in plain.get("plotly_chart")]
    assert [d.value.to_csv() for d in at.dataframe] == [d.value.to_csv() for d in plain.dataframe]


def test_a_long_crafted_value_is_cut(db_path: Path) -> None:
    """Each ignored value is shown at most 40 characters long (and '…'), so a link cannot fill the warning."""
    at = open_page("dashboard.py", {"[긴 링크](https://evil.example/" + "x" * 200 + ")": "1"})
    (warning,) = [w.value for w in at.warning if "무시했습니다" in w.value]
    shown = warning.split(": ", 1)[1]
    assert shown.endswith("…") and len(shown.replace("\\", "").replace(WORD_JOINER, "")) <= 41, shown
    assert markup_in(warning) == []
