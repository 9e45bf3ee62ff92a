"""The benchmark's reference pages draw what bench/README.md says they draw (a benchmark of a broken page measures
nothing): one chart, and for bench.elements the chart plus N elements of each kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from bench.reference_pages.elements import KINDS

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "bench" / "reference_pages"
# AppTest's name for each kind's element, and how many of them the page draws when asked for N
SHOWN = {"caption": "caption", "markdown": "markdown", "metric": "metric", "metric_help": "metric",
         "download": "download_button", "download_icon_help": "download_button", "page_link": "page_link",
         "expander": "expander", "segmented_control": "button_group", "html_block": "html"}


def run(page: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=60).run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 1
    return at


def test_one_chart_page() -> None:
    at = run("one_chart.py")
    assert [m.label for m in at.multiselect] == ["팀 Team"]


@pytest.mark.parametrize("kind", KINDS)
def test_elements_page_draws_count_elements_of_its_kind(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YDP_BENCH_ELEMENT", kind)
    monkeypatch.setenv("YDP_BENCH_COUNT", "7")
    at = run("one_chart.py")
    expected = 1 if kind == "html_block" else 7
    assert len(at.get(SHOWN[kind])) == expected, kind
    if kind == "html_block":
        assert at.get("html")[0].proto.body.count("<p>") == 7


def test_one_chart_page_draws_nothing_else_without_a_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("YDP_BENCH_ELEMENT", raising=False)
    at = run("one_chart.py")
    assert not at.caption and not at.metric and not at.get("download_button") and not at.expander


def test_unknown_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YDP_BENCH_ELEMENT", "captoin")
    with patch_config_options({"client.showErrorDetails": "full"}):  # the app's config hides details from visitors
        at = AppTest.from_file(str(PAGES / "one_chart.py"), default_timeout=60).run()
    assert at.exception and "captoin" in at.exception[0].message
