"""Text from the data or a URL stays text: ydp_data.safe_text for Streamlit's Markdown, plotly's labels and a
<script>, and every chart builder putting data labels through it."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ydp_data import charts
from ydp_data.i18n import ENGLISH, localise_figure
from ydp_data.safe_text import WORD_JOINER, md, plot, script_json, shorten

HOSTILE = [
    "[로그인](https://evil.example/x)", "![x](http://other-host.example/i.png)", ":red[빨강]", "$$x$$", "a\n# 제목",
    "<b>굵게</b>", '<a href="https://evil.example">x</a>', "<!--<script>", ":material/home:", "**굵게**",
    ":material_home:", ":smile:", ":streamlit:", "www.evil.example", "mail@evil.example", "1. 목록", "- 목록",
    "> 인용", "`코드`", "~~취소~~", "| a | b |", "&lt;", "a -- b -> c <= d", "\\[x\\]",
]
MARKDOWN_CHARACTERS = set("\\`*_~[]!|$<>#:&@{}")


def resolved(markdown: str) -> str:
    """The text of a Markdown text node made of backslash escapes: what Streamlit's own rewrites (links from
    'https://', ':material_x:' icons, ':emoji:', arrows) are run on."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def shown(markdown: str) -> str:
    """What the reader sees: the escapes resolved, the word joiners invisible."""
    return resolved(markdown).replace(WORD_JOINER, "")


def flat(text: str) -> str:
    """The text as md shows it: on one line, without leading blanks."""
    return re.sub(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]", " ", text).lstrip()


def unescaped(markdown: str) -> list[str]:
    """Markdown characters not preceded by a backslash (an escaped backslash counts as text)."""
    found, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown):
            i += 2
            continue
        if markdown[i] in MARKDOWN_CHARACTERS:
            found.append(markdown[i])
        i += 1
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_md_shows_the_text_and_nothing_else(text: str) -> None:
    out = md(text)
    assert shown(out) == flat(text)
    assert unescaped(out) == [], out
    assert "\n" not in out and not out.startswith(("#", ">", "-", "+", "1.", "    "))
    assert "](" not in out.replace("\\](", "") and "![" not in out and ":red[" not in out and "$$" not in out
    assert not re.search(r"(?<!\\)(<[a-z!/]|\*\*)", out), "no HTML tag, comment or bold is left unescaped"
    # Streamlit's rewrites of the text node (after the escapes are resolved): links, icons, emoji and arrows
    rewrites = (r"https?://", r"www\.", r"[-.\w+]+@[-\w]+", r":material[/_]\w+:", r":[\w+-]+:", r"(^|\s)(--|->|<=)(\s|$)")
    assert not [p for p in rewrites if re.search(p, resolved(out))], resolved(out)


def test_md_of_known_strings() -> None:
    assert md("[로그인](https://evil.example/x)") == f"\\[로그인\\](https\\:{WORD_JOINER}//evil.example/x)"
    assert md("a\n# 제목") == "a \\# 제목"
    assert md(":red[빨강]") == f"\\:{WORD_JOINER}red\\[빨강\\]"
    assert md("디지털 2~3기 $5 *a* [x](y) #1 a_b") == r"디지털 2\~3기 \$5 \*a\* \[x\](y) \#1 a\_b"
    assert md("2023. 5. 31. 보고") == "2023\\. 5. 31. 보고"  # no ordered list starting at 2023
    assert md("과부족 (현원 − 정원)") == "과부족 (현원 − 정원)"  # ordinary text unchanged
    assert md(None) == "None" and md(12.5) == "12.5"


@given(st.text(max_size=200))
def test_md_property(text: str) -> None:
    out = md(text)
    assert shown(out) == flat(text)
    assert unescaped(out) == []
    assert not re.search(r"[:@](?!\u2060)", out), "every ':' and '@' is followed by a word joiner"


@pytest.mark.parametrize("text", HOSTILE)
def test_plot_escapes_the_html_plotly_reads(text: str) -> None:
    out = plot(text)
    assert "<" not in out and ">" not in out and html.unescape(out) == text
    assert re.sub(r"&(amp|lt|gt);", "", out).count("&") == 0


@given(st.text(max_size=200))
def test_plot_property(text: str) -> None:
    out = plot(text)
    assert html.unescape(out) == text and not set("<>") & set(out)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)))
def test_script_json_property(value: Any) -> None:
    out = script_json(value)
    assert json.loads(out) == value
    assert not set("<>&\u2028\u2029") & set(out)


def test_script_json_cannot_end_a_script() -> None:
    out = script_json({"a": "</script><!--<script>", "b": "x\u2028y"})
    assert "</script" not in out and "<!--" not in out and json.loads(out)["a"] == "</script><!--<script>"


def test_shorten() -> None:
    assert shorten("x" * 40) == "x" * 40 and shorten("x" * 41) == "x" * 40 + "…" and shorten("ab", 1) == "a…"


# --- the chart builders --------------------------------------------------------------------------------
LABEL = "<b>굵게</b> <a href=\"https://evil.example\">x</a> <!--<script> & " + "긴 이름 " * 20
UNIT = "<i>명</i>"
ALLOWED_TAGS = re.compile(r"<br>|</?extra>")


def strings(value: Any) -> list[str]:
    """Every string in a figure's JSON."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def figures() -> dict[str, Any]:
    """One figure of every builder, each with a label from the data that plotly would read as HTML."""
    frame = pd.DataFrame({"name": [LABEL, "보통"], "budget": [10, 20], "executed": [5, 6], "rate": [50.0, 30.0],
                          "team": ["일자리사업팀", "<b>팀</b>"], "unit": [UNIT, "명"], "start": [1, 2], "end": [3, 4]})
    return {
        "paired_bars": charts.paired_bars(frame, "name", [("budget", "예산액"), ("executed", "집행액")], title="t", unit="명"),
        "stacked_bars": charts.stacked_bars(frame, "name", "team", "budget", title="t", unit="명"),
        "rate_against_mark": charts.rate_against_mark(frame, "name", "rate", 40.0, title="t", mark_label="<b>표시</b>",
                                                      color_by="team"),
        "value_bars": charts.value_bars(frame, "name", "budget", title="t", unit_column="unit"),
        "panels": charts.panels(frame, "name", [("budget", "예산액")], "unit", title="t"),
        "progress": charts.progress(frame.assign(value=[5, 6], whole=[10, 20], rate_pct=[50.0, 30.0],
                                                 stated_rate_pct=[49.0, None]), "name", title="t", unit=UNIT,
                                    value_name="<b>실적</b>", whole_name="목표", note=LABEL),
        "month_timeline": charts.month_timeline(frame, "name", "start", "end", "team", title="t", as_of_month=5),
    }


@pytest.mark.parametrize("lang", ["한국어", ENGLISH])
@pytest.mark.parametrize("kind", list(figures()))
def test_every_builder_escapes_data_labels(kind: str, lang: str) -> None:
    fig = charts.fit_margins(localise_figure(figures()[kind], lang), plot("출처: <b>Ⅱ-1</b>, p.4"))
    texts = strings(json.loads(fig.to_json()))
    raw = [s for s in texts if "<" in ALLOWED_TAGS.sub("", s)]
    assert raw == [], raw
    assert [s for s in texts if "&lt;b&gt;굵게&lt;/b&gt;" in s], "the label from the data is in the figure, escaped"
    assert [s for s in texts if "&lt;b&gt;굵게" in s and "<br>" in s], "a long label is wrapped by plotly's own <br>"


def test_wrapping_measures_what_the_reader_sees() -> None:
    assert charts.shown_width(plot("<<<<")) == charts.label_width("<<<<")
    assert charts.wrap_label(plot("<b>x</b> " * 30)).count("<br>") == charts.wrap_label("[b]x[/b] " * 30).count("<br>")


def test_categories_keep_their_order_and_values_across_traces() -> None:
    frame = pd.DataFrame({"name": ["<b>a</b>", "b & c"], "budget": [1, 2], "executed": [3, 4]})
    fig = charts.paired_bars(frame, "name", [("budget", "예산액"), ("executed", "집행액")], title="t", unit="명")
    assert [list(t.y) for t in fig.data] == [["&lt;b&gt;a&lt;/b&gt;", "b &amp; c"]] * 2
    assert list(frame["name"]) == ["<b>a</b>", "b & c"], "the data itself is left as it is"
