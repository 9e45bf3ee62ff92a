"""English: no Hangul in a chart's title, legend or axis titles, nor in a CSV header, outside the kept report names.

The product keeps the report's Korean in two ways (ydp_data/i18n.py): a report name known to i18n.NAMES is written
'English (한국어)' (i18n.name), and a few programme names stay as the report writes them inside an English text
('Studio 영원', 'JOB 포유', '오랑': the Hangul words in i18n's own English forms). Anything else in Hangul on a chart's
words or a download's header is a label left untranslated. Pages are opened in English with every section open
(tests/apptest_pages.py) against the real database; charts are read from the plotly JSON, CSVs from AppTest's media.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tests.apptest_pages import PAGES, Pages
from tests.test_pages import read_csv
from ydp_data import i18n

HANGUL = re.compile(r"[가-힣]+")
ENGLISH = {"lang": "English"}
VIEWS: dict[str, dict[str, str]] = {"english": ENGLISH, "english_eok": {**ENGLISH, "unit": "억원"},
                                    "english_filtered": {**ENGLISH, "team": "상생기업팀", "source": "국비"}}
SCREEN_PAGES = [p for p in PAGES if "Publish" not in p]  # the editors' page draws nothing without a sign-in
# the Hangul words the product itself keeps inside its English forms ('Studio 영원'): the report's own names
KEPT_WORDS = sorted({w for text in (*i18n.UI.values(), *i18n.NAMES.values()) for w in HANGUL.findall(text)},
                    key=len, reverse=True)




def untranslated(text: Any) -> list[str]:
    """The Hangul left in a label once the kept report names are taken out: ' (일자리사업팀)' after an English name
    (a key of i18n.NAMES, in brackets, as i18n.name writes it) and the kept programme names ('영원')."""
    rest = html.unescape(str(text or "")).replace("<br>", " ")
    for korean in sorted(i18n.NAMES, key=len, reverse=True):
        rest = rest.replace(f"({korean})", "")
    for word in KEPT_WORDS:
        rest = rest.replace(word, "")
    return HANGUL.findall(rest)


def chart_words(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, text) for a figure's title, axis titles, legend title and the legend entries (trace names)."""
    layout = spec.get("layout", {})
    found = [("title", (layout.get("title") or {}).get("text")),
             ("legend title", ((layout.get("legend") or {}).get("title") or {}).get("text"))]
    for key, axis in layout.items():
        if re.fullmatch(r"[xy]axis\d*", key) and isinstance(axis, dict):
            found.append((key, (axis.get("title") or {}).get("text")))
    for trace in spec.get("data", []):
        if trace.get("showlegend") is not False:
            found.append(("legend", trace.get("name")))
    return [(where, str(text)) for where, text in found if text]


def test_kept_words_are_few_and_are_report_names() -> None:
    """The exception list stays small: only programme names the report writes in Korean inside English forms."""
    assert set(KEPT_WORDS) <= {"영원", "포유", "오랑"}, KEPT_WORDS
    assert untranslated("Budget (예산액)") == [] and untranslated("집행액") == ["집행액"]
    assert untranslated("Studio 영원 and the centre") == [] and untranslated("(천원/명)") == ["천원", "명"]


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("page", SCREEN_PAGES)
def test_chart_words_are_english(pages: Pages, page: str, view: str) -> None:
    run = pages.open(page, VIEWS[view])
    assert not run.at.exception, [e.value for e in run.at.exception]
    bad = [(chart, where, text) for chart in run.keyed("plotly_chart", "chart_")
           for where, text in chart_words(run.figure(chart)) if untranslated(text)]
    assert not bad, bad


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("page", SCREEN_PAGES)
def test_csv_headers_are_english(pages: Pages, page: str, view: str) -> None:
    run = pages.open(page, VIEWS[view])
    bad = []
    for name in run.keyed("download_button", "dl_"):
        header, _ = read_csv(run.download(name))
        bad += [(name, h) for h in header if untranslated(h)]
    assert not bad, bad


def test_the_english_check_sees_every_chart_and_download(pages: Pages) -> None:
    """The English views draw the same charts and downloads as the Korean ones (nothing escapes the check)."""
    for page in SCREEN_PAGES:
        korean, english = pages.open(page), pages.open(page, ENGLISH)
        assert english.keyed("plotly_chart", "chart_") == korean.keyed("plotly_chart", "chart_"), page
        assert english.keyed("download_button", "dl_") == korean.keyed("download_button", "dl_"), page
