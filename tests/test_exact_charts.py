"""Exact figures of ydp_data.charts and ydp_data.theme (mutation testing, issue 16): small frames in, the figure's
traces, texts, hovers, units and layout numbers checked against values worked out by hand.

Widths by hand: at the theme's 14 px a Hangul glyph is 14 px and any other character 0.62 x 14 = 8.68 px; at 50 px,
50 and 31 px (exact in binary floating point, so boundaries can be tested with <=)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from tests.figure_labels import category_labels
from ydp_data import charts, theme
from ydp_data.charts import (
    axis_units,
    contrast,
    description_of,
    footnote,
    label_width,
    labels_of,
    mark_stated,
    rewrap,
    room_for,
    shown_texts,
    shown_width,
    text_on,
    wrap_label,
)

A = 0.62 * 14  # one ASCII character at 14 px


def near(value: float) -> object:
    return pytest.approx(value, abs=1e-6)


# --- theme -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "colour"), [
    ("일자리사업팀", "#0072B2"), ("상생기업팀", "#E69F00"), ("청년지원팀", "#009E73"),
    ("국비", "#CC79A7"), ("시비", "#56B4E9"), ("구비", "#D55E00"),
    ("예산액", "#BBBBBB"), ("집행액", "#0072B2"), ("직전 보고", "#DDDDDD"), ("계획", "#999999"),
    ("actual", "#0072B2"), ("target", "#BBBBBB"), ("plan", "#999999"),
    ("기타", "#555555"), ("", "#555555"),
], ids=["team1", "team2", "team3", "src1", "src2", "src3", "budget", "executed", "prev", "plan_ko", "actual",
        "target", "plan", "other", "empty"])
def test_color_of(name: str, colour: str) -> None:
    assert theme.color_of(name) == colour


# --- widths and wrapping -----------------------------------------------------------------------------------------


def test_label_width() -> None:
    assert label_width("가나") == 28.0
    assert label_width("ab") == near(2 * 8.68)
    assert label_width("a") == near(8.68)
    assert label_width("가a", 50) == 81.0
    assert label_width("ＡＢ") == 28.0  # full-width Latin letters are wide
    assert label_width("") == 0


def test_shown_width_counts_an_escape_as_one_character() -> None:
    assert shown_width("&lt;b&gt;") == near(3 * 8.68)
    assert shown_width("가&amp;", 50) == 81.0
    assert shown_width("가") == 14.0


def test_labels_of_escapes_every_value() -> None:
    assert labels_of(pd.Series(["<b>x</b>", 3, "a&b"])) == ["&lt;b&gt;x&lt;/b&gt;", "3", "a&amp;b"]


def test_wrap_label_at_the_limit() -> None:
    # at 50 px: '가 나' is 50 + 31 + 50 = 131 px
    assert wrap_label("가 나 다", 131, 50) == "가 나<br>다"
    assert wrap_label("가 나 다", 130, 50) == "가<br>나<br>다"
    assert wrap_label("가 나 다", 212, 50) == "가 나 다"
    assert wrap_label("가 나 다", 211, 50) == "가 나<br>다"
    assert wrap_label("가", 1, 50) == "가"
    assert wrap_label("", 10, 50) == ""


def test_wrap_label_defaults_are_300_px_at_14_px() -> None:
    word = "가" * 10
    assert wrap_label(f"{word} {word}") == f"{word} {word}"  # 140 + 8.68 + 140 = 288.68
    assert wrap_label(f"{word} {word}가") == f"{word}<br>{word}가"  # 302.68
    # 19 Hangul + ' aaa' = 266 + 4 x 8.68 = 300.72 px: broken at 300 px (kept at 301)
    assert wrap_label(f"{'가' * 19} aaa") == f"{'가' * 19}<br>aaa"
    assert wrap_label(f"{'가' * 19} aaa", 301) == f"{'가' * 19} aaa"
    # at 15 px the same 19 Hangul + ' a' = 285 + 2 x 9.3 = 303.6 px: broken; at 14 px, 266 + 17.36: kept
    assert wrap_label(f"{'가' * 19} a", size=15) == f"{'가' * 19}<br>a"
    assert wrap_label(f"{'가' * 19} a") == f"{'가' * 19} a"


def test_wrap_label_uses_the_escaped_width() -> None:
    # '&lt;' is one character: 'a &lt;' is 3 x 31 = 93 px at 50 px
    assert wrap_label("a &lt;", 93, 50) == "a &lt;"
    assert wrap_label("a &lt;", 92, 50) == "a<br>&lt;"


def test_rewrap_breaks_every_line() -> None:
    assert rewrap("가 나<br>다 라 마", 131, 50) == "가 나<br>다 라<br>마"
    assert rewrap("가 나", 130, 50) == "가<br>나"
    # default: 320 px at 14 px: 21 Hangul + ' 가' = 294 + 8.68 + 14 = 316.68 (kept); + ' aa' = 320.04 (broken)
    assert rewrap(f"{'가' * 21} 가") == f"{'가' * 21} 가"
    assert rewrap(f"{'가' * 21} aa") == f"{'가' * 21}<br>aa"
    assert rewrap(f"{'가' * 21} aa", 321) == f"{'가' * 21} aa"
    # at 15 px: 21 x 15 + 15 + 9.3 = 339.3 > 320
    assert rewrap(f"{'가' * 21} 가", size=15) == f"{'가' * 21}<br>가"


def test_horizontal() -> None:
    assert charts._horizontal(go.Funnel())
    assert charts._horizontal(go.Bar(orientation="h"))
    assert not charts._horizontal(go.Bar(orientation="v"))
    assert not charts._horizontal(go.Bar())
    assert not charts._horizontal(go.Scatter())
    assert not charts._horizontal(object())


# --- shown_texts -------------------------------------------------------------------------------------------------


def test_shown_texts_fills_the_texttemplate() -> None:
    trace = go.Bar(x=[1.25, 2.0], customdata=[["a", "b&amp;"], ["c", "d"]], name="n&lt;",
                   texttemplate="%{x:.1f}% %{customdata[1]} %{name} %{x}")
    assert shown_texts(trace) == ["1.2% b& n< 1.25", "2.0% d n< 2.0"]
    short = go.Bar(x=[1, 2, 3], customdata=["a", "b"], texttemplate="%{x:.0f}%{customdata}")
    assert shown_texts(short) == ["1a", "2b", "3"]


def test_shown_texts_leaves_text_and_nan_unformatted() -> None:
    trace = go.Bar(x=["가", float("nan")], y=[1000, 2], texttemplate="%{x:.1f}|%{y:,.0f}|%{hovertext}|%{y}")
    assert shown_texts(trace) == ["가|1,000||1000", "nan|2||2"]
    assert shown_texts(go.Bar(x=[1, 2], texttemplate="%{meta}", meta="m")) == ["m", "m"]


def test_shown_texts_without_a_template() -> None:
    assert shown_texts(go.Bar(x=[1, 2])) == ["", ""]
    assert shown_texts(go.Bar(x=[1, 2], text="a&amp;b")) == ["a&b", "a&b"]
    assert shown_texts(go.Bar(x=[1, 2, 3], text=["x&lt;", None, 5])) == ["x<", "", "5"]
    assert shown_texts(go.Bar(y=[1, 2], text="t")) == []
    assert shown_texts(go.Bar(x=[1], text=["t"], texttemplate="")) == ["t"]


# --- small helpers -----------------------------------------------------------------------------------------------


def test_categories_in_drawing_order() -> None:
    fig = go.Figure([go.Bar(y=["b", "c"], x=[1, 2]), go.Bar(y=["c", "d"], x=[1, 2]),
                     go.Bar(y=["z"], x=[1], yaxis="y2")], layout={"yaxis2": {}})
    fig.update_layout(yaxis={"categoryorder": "array", "categoryarray": ["a", "b"]})
    assert charts._categories(fig, "y") == ["a", "b", "c", "d"]
    assert charts._categories(fig, "y2") == ["z"]
    fig.update_layout(yaxis={"categoryorder": "trace"})
    assert charts._categories(fig, "y") == ["b", "c", "d"]


def test_legend_px() -> None:
    one = go.Figure([go.Bar(name="a")])
    assert charts._legend_px(one) == 0  # one entry: no legend unless asked for
    one.update_layout(showlegend=True)
    assert charts._legend_px(one) == 32  # one row: 24 + 8
    two = go.Figure([go.Bar(name="a"), go.Bar(name="b"), go.Bar(name="c", showlegend=False), go.Bar()])
    assert charts._legend_px(two) == 32
    two.update_layout(showlegend=False)
    assert charts._legend_px(two) == 0
    assert charts._legend_px(go.Figure()) == 0
    hidden = go.Figure([go.Bar(name="a", showlegend=False), go.Bar(name="b", showlegend=False)])
    hidden.update_layout(showlegend=True)
    assert charts._legend_px(hidden) == 0
    same = go.Figure([go.Bar(name="가" * 20), go.Bar(name="가" * 20)])
    same.update_layout(showlegend=True)
    assert charts._legend_px(same) == 32  # one entry per name


def test_legend_px_rows() -> None:
    # an entry takes its text + 44 px; a row holds 320 + 16 = 336 px
    # 8 Hangul: 112 + 44 = 156; 9 Hangul: 126 + 44 = 170. 156 + 170 = 326 <= 336: one row; 170 + 170 = 340: two
    assert charts._legend_px(go.Figure([go.Bar(name="가" * 8), go.Bar(name="나" * 9)])) == 32
    assert charts._legend_px(go.Figure([go.Bar(name="가" * 9), go.Bar(name="나" * 9)])) == 56
    # three entries: 156, 156 + 156 = 312, 312 + 156 = 468 > 336: two rows; a fourth 156 + 156 = 312: still two
    four = go.Figure([go.Bar(name=n * 8) for n in "가나다라"])
    assert charts._legend_px(four) == 56
    five = go.Figure([go.Bar(name=n * 8) for n in "가나다라마"])
    assert charts._legend_px(five) == 80  # rows of 2, 2, 1
    # a name wider than a row starts its own row, even the first: 23 Hangul = 322 + 44 = 366
    wide = go.Figure([go.Bar(name="가" * 23), go.Bar(name="나")])
    assert charts._legend_px(wide) == 56


def test_room_for() -> None:
    # text 'aa' (17.36 px) + 12 = 29.36 px of 290: share 0.10124; end / (1 - share)
    assert room_for(100, "aa") == near(100 / (1 - 29.36 / 290))
    # the widest line counts, escaped text measured as shown
    assert room_for(100, "a<br>가가") == near(100 / (1 - 40 / 290))
    # the text comes unescaped (shown_texts) and is measured as written: '&lt;' is four characters
    assert room_for(100, "&lt;") == near(100 / (1 - (4 * 8.68 + 12) / 290))
    assert room_for(100, "<b>") == near(100 / (1 - (3 * 8.68 + 12) / 290))
    # at most 65 % of the plot for the text
    assert room_for(35, "가" * 30) == near(100)


def test_headroom() -> None:
    assert charts._headroom(100) == near(122)
    assert charts._headroom(0) == near(1.22)
    assert charts._headroom(float("nan")) == near(1.22)


def test_hover() -> None:
    assert charts._hover("명") == "%{y}<br>%{fullData.name}: %{x:,.0f}명<extra></extra>"
    assert charts._hover("%", 1, "%{x}") == "%{x}<br>%{fullData.name}: %{x:,.1f}%<extra></extra>"


def test_figure_title_and_height() -> None:
    fig = charts._figure("제목", 300)
    assert fig.layout.title.text == "제목" and fig.layout.height == 300
    assert fig.layout.template.layout.font.size == 14
    assert charts._figure("t").layout.height is None
    assert charts._figure("t", 0).layout.height is None


def test_meta_units_and_description() -> None:
    fig = charts._figure("t")
    assert axis_units(fig) == {} and description_of(fig) == ""
    charts._meta(fig, description="설명")
    charts._units(fig, x=["명", "<b>", "명"], x2=["회"])
    assert axis_units(fig) == {"x": ["명", "&lt;b&gt;"], "x2": ["회"]}
    assert description_of(fig) == "설명"
    charts._meta(fig, description="")
    assert description_of(fig) == "" and axis_units(fig)["x2"] == ["회"]
    fig.update_layout(meta=["not", "a", "dict"])
    assert axis_units(fig) == {} and description_of(fig) == ""
    charts._meta(fig, units={"y": [1]})
    assert axis_units(fig) == {"y": ["1"]}


def test_units_makes_bar_text_level() -> None:
    fig = go.Figure([go.Bar(x=[1]), go.Scatter(x=[1])])
    charts._units(fig, x=["명"])
    assert fig.data[0].textangle == 0 and fig.data[0].constraintext == "none"
    assert fig.data[1].to_plotly_json().get("textangle") is None


# --- colours -----------------------------------------------------------------------------------------------------


def test_contrast() -> None:
    assert contrast("#FFFFFF", "#000000") == near(21.0)  # (1 + 0.05) / (0 + 0.05)
    assert contrast("#000000", "#FFFFFF") == near(21.0)
    assert contrast("#777777", "#777777") == near(1.0)
    # #808080: 128/255 = 0.50196, ((0.50196 + 0.055) / 1.055) ** 2.4 = 0.21586; (1.05) / (0.26586) = 3.9494
    assert contrast("#FFFFFF", "#808080") == pytest.approx(3.9494, abs=1e-4)
    # #0A0A0A: 10/255 = 0.039216 <= 0.03928, the linear part: 0.039216 / 12.92 = 0.0030353
    assert contrast("#0A0A0A", "#000000") == pytest.approx(0.0530353 / 0.05, abs=1e-5)
    # red only: 0.2126; green only: 0.7152; blue only: 0.0722
    assert contrast("#FF0000", "#000000") == near(0.2626 / 0.05)
    assert contrast("#00FF00", "#000000") == near(0.7652 / 0.05)
    assert contrast("#0000FF", "#000000") == near(0.1222 / 0.05)


def test_text_on() -> None:
    assert text_on("#FFFFFF") == "#222222"  # 15.9:1
    assert text_on("#E69F00") == "#222222"
    assert text_on("#56B4E9") == "#222222"
    # on #777777: #222222 3.55, black 4.69: black
    assert text_on("#777777") == "#000000"
    # on Okabe-Ito blue: #222222 3.07, black 4.05, white 5.19: white
    assert text_on("#0072B2") == "#FFFFFF"
    # on #737373: black 4.43, white 4.74
    assert text_on("#737373") == "#FFFFFF"
    assert text_on("#000000") == "#FFFFFF"


# --- builders ----------------------------------------------------------------------------------------------------


def test_paired_bars() -> None:
    frame = pd.DataFrame({"team": ["청년지원팀", "<b>팀"], "budget": [100.0, 50.0], "executed": [40.0, 60.0]})
    fig = charts.paired_bars(frame, "team", [("budget", "예산액"), ("executed", "집행액")], title="예산", unit="천원",
                             decimals=1)
    assert [t.name for t in fig.data] == ["예산액", "집행액"]
    assert [t.marker.color for t in fig.data] == ["#BBBBBB", "#0072B2"]
    assert list(fig.data[0].y) == ["청년지원팀", "&lt;b&gt;팀"] and list(fig.data[1].x) == [40.0, 60.0]
    bar = fig.data[0]
    assert bar.orientation == "h" and bar.textposition == "outside" and bar.cliponaxis is False
    assert bar.texttemplate == "%{x:,.1f}"
    assert bar.hovertemplate == "%{y}<br>%{fullData.name}: %{x:,.1f}천원<extra></extra>"
    assert bar.textangle == 0 and bar.constraintext == "none"
    assert fig.layout.barmode == "group" and fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.yaxis.tickformat == "" and fig.layout.xaxis.tickformat == ","
    assert fig.layout.xaxis.title.text == "(천원)"
    assert fig.layout.xaxis.range == near_list([0, 122.0])  # the largest value, 100, x 1.22
    # height: 2 rows x 34 x (2 // 2 + 1 = 2) + 90 = 226 -> at least 260
    assert fig.layout.height == 260
    assert fig.layout.title.text == "예산"
    assert axis_units(fig) == {"x": ["천원"]}


def near_list(values: list[float]) -> object:
    return pytest.approx(values, abs=1e-6)


def test_paired_bars_with_the_previous_report() -> None:
    frame = pd.DataFrame({"team": list("abcd"), "budget": [1.0, 2, 3, 4], "executed": [1.0, 1, 1, 1],
                          "executed_prev": [0.5, 0.5, 0.5, 9.0]})
    fig = charts.paired_bars(frame, "team", [("budget", "예산액"), ("executed", "집행액")], title="t", unit="원",
                             axis_title="금액")
    assert [t.name for t in fig.data] == ["예산액", "집행액", "직전 집행액"]
    assert fig.data[2].marker.color == "#9ECAE1" and list(fig.data[2].x) == [0.5, 0.5, 0.5, 9.0]
    assert fig.data[0].texttemplate == "%{x:,.0f}"
    assert fig.layout.xaxis.title.text == "금액"
    assert fig.layout.xaxis.range == near_list([0, 9 * 1.22])
    assert fig.layout.height == 90 + 34 * 4 * 2  # 3 series: 3 // 2 + 1 = 2
    many = pd.DataFrame({"team": list("abcdef"), "budget": [1.0] * 6, "executed": [1.0] * 6})
    assert charts.paired_bars(many, "team", [("budget", "예산액"), ("executed", "집행액")], title="t",
                              unit="원").layout.height == 90 + 34 * 6 * 2


def test_rate_against_mark() -> None:
    frame = pd.DataFrame({"name": ["가", "나"], "rate": [35.25, 120.0], "team": ["청년지원팀", "상생기업팀"]})
    fig = charts.rate_against_mark(frame, "name", "rate", 41.4, title="집행률", mark_label="연중 <경과>율")
    bar = fig.data[0]
    assert bar.name == "집행률" and bar.marker.color == "#0072B2" and bar.showlegend is False
    assert bar.orientation == "h" and bar.textposition == "outside" and bar.cliponaxis is False
    assert bar.texttemplate == "%{x:.1f}%" and bar.hovertemplate == "%{y}<br>집행률: %{x:.1f}%<extra></extra>"
    assert list(bar.x) == [35.25, 120.0]
    line = fig.layout.shapes[0]
    assert line.x0 == 41.4 and line.x1 == 41.4 and line.line.dash == "dash" and line.line.color == "#D55E00"
    assert fig.layout.annotations[0].text == "연중 &lt;경과&gt;율 41.4%"
    assert fig.layout.xaxis.range == near_list([0, 130.0])  # 120 + 10
    assert fig.layout.xaxis.title.text == "(%)" and fig.layout.xaxis.tickformat == ",.0f"
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.yaxis.tickformat == ""
    assert fig.layout.height == 260  # 110 + 80 = 190
    assert axis_units(fig) == {"x": ["%"]}
    coloured = charts.rate_against_mark(frame, "name", "rate", 41.4, title="t", mark_label="m", color_by="team")
    assert list(coloured.data[0].marker.color) == ["#009E73", "#E69F00"]
    low = pd.DataFrame({"name": list("abcdefg"), "rate": [10.0] * 7})
    fig = charts.rate_against_mark(low, "name", "rate", 41.4, title="t", mark_label="m")
    assert fig.layout.xaxis.range == near_list([0, 100.0]) and fig.layout.height == 110 + 280
    assert fig.layout.shapes[0].y0 == 0 and fig.layout.shapes[0].y1 == 1


def test_value_bars_one_unit() -> None:
    frame = pd.DataFrame({"name": ["가", "나"], "count": [1234.0, 10.0], "team": ["청년지원팀", "국비"]})
    fig = charts.value_bars(frame, "name", "count", title="인원", unit="명")
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert bar.name == "이번 보고" and bar.showlegend is False and bar.marker.color == "#0072B2"
    assert list(bar.customdata) == ["명", "명"]
    assert bar.texttemplate == "%{x:,.0f}%{customdata}" and bar.textposition == "outside" and bar.cliponaxis is False
    assert bar.hovertemplate == "%{y}: %{x:,.0f}%{customdata}<extra></extra>"
    assert shown_texts(bar) == ["1,234명", "10명"]
    assert fig.layout.xaxis.title.text == "(명)"
    assert fig.layout.xaxis.range == near_list([0, 1234 * 1.22])
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.yaxis.tickformat == ""
    assert fig.layout.height == 240 and fig.layout.barmode is None
    assert axis_units(fig) == {"x": ["명"]}
    coloured = charts.value_bars(frame, "name", "count", title="t", unit="명", color_by="team", decimals=1)
    assert list(coloured.data[0].marker.color) == ["#009E73", "#CC79A7"]
    assert coloured.data[0].texttemplate == "%{x:,.1f}%{customdata}"
    assert coloured.data[0].hovertemplate == "%{y}: %{x:,.1f}%{customdata}<extra></extra>"


def test_value_bars_with_the_previous_report() -> None:
    frame = pd.DataFrame({"name": list("abc"), "count": [1.0, 2, 3], "count_prev": [4.0, 5, 6],
                          "unit": ["명", "명", "명"]})
    fig = charts.value_bars(frame, "name", "count", title="t", unit_column="unit", decimals=1)
    prev, now = fig.data
    assert prev.name == "직전 보고" and prev.marker.color == "#DDDDDD" and list(prev.x) == [4.0, 5, 6]
    assert list(prev.customdata) == ["명"] * 3
    assert prev.hovertemplate == "%{y}: %{x:,.1f}%{customdata}<extra>직전 보고</extra>"
    assert now.showlegend is True and now.name == "이번 보고"
    assert fig.layout.barmode == "group"
    assert fig.layout.height == 100 + 38 * 3 * 2
    assert fig.layout.xaxis.title.text == "(명)"
    assert axis_units(fig) == {"x": ["명"]}
    no_unit = charts.value_bars(frame.drop(columns="count_prev"), "name", "count", title="t")
    assert no_unit.layout.xaxis.title.text == "()" and axis_units(no_unit) == {"x": [""]}
    assert list(no_unit.data[0].customdata) == ["", "", ""]
    assert no_unit.layout.height == 240


def test_value_bars_in_two_units_are_panels() -> None:
    frame = pd.DataFrame({"name": ["가", "나", "다"], "count": [88.0, 4.0, 10.0], "unit": ["명", "회", "명"],
                          "team": ["청년지원팀", "상생기업팀", "국비"]})
    fig = charts.value_bars(frame, "name", "count", title="실적", unit_column="unit", decimals=1, color_by="team")
    assert axis_units(fig) == {"x": ["명"], "x2": ["회"]}
    assert [t.xaxis for t in fig.data] == ["x", "x2"]
    assert list(fig.data[0].y) == ["가", "다"] and list(fig.data[1].y) == ["나"]
    assert list(fig.data[0].marker.color) == ["#009E73", "#CC79A7"]
    assert fig.data[0].texttemplate == "%{x:,.1f}%{customdata}" and fig.data[0].name == "이번 보고"
    assert fig.layout.title.text == "실적"


def test_panels() -> None:
    frame = pd.DataFrame({"name": ["가", "나", "다"], "n": [88.0, 4.0, 10.0], "n_prev": [90.0, 2.0, 1.0],
                          "unit": ["명", "회", "명"], "team": ["청년지원팀", "상생기업팀", "국비"]})
    fig = charts.panels(frame, "name", [("n", "이번 보고")], "unit", title="p", unit_of=lambda u: f"<{u}>",
                        color_by="team")
    assert [(t.name, t.xaxis, t.yaxis) for t in fig.data] == [
        ("이번 보고", "x", "y"), ("직전 보고", "x", "y"), ("이번 보고", "x2", "y2"), ("직전 보고", "x2", "y2")]
    assert list(fig.data[0].marker.color) == ["#009E73", "#CC79A7"]
    assert fig.data[1].marker.color == "#DDDDDD"  # the previous report in grey, not by team
    assert [t.showlegend for t in fig.data] == [True, True, False, False]
    assert [t.legendgroup for t in fig.data] == ["이번 보고", "직전 보고", "이번 보고", "직전 보고"]
    assert list(fig.data[0].customdata) == ["&lt;명&gt;", "&lt;명&gt;"]
    assert fig.data[0].texttemplate == "%{x:,.0f}%{customdata}" and fig.data[0].textposition == "outside"
    assert fig.data[0].hovertemplate == "%{y}: %{x:,.0f}%{customdata}<extra>%{fullData.name}</extra>"
    assert fig.data[0].cliponaxis is False and fig.data[0].orientation == "h"
    # band 30 x 2 + 8 = 68 px a category; 3 categories + one gap of 64: 268 px; height 268 + 170 = 438
    assert fig.layout.height == 438
    assert fig.layout.yaxis.domain == near_list([1 - 136 / 268, 1.0])
    assert fig.layout.yaxis2.domain == near_list([0.0, 1 - 136 / 268 - 64 / 268])
    assert fig.layout.yaxis.anchor == "x" and fig.layout.xaxis.anchor == "y" and fig.layout.xaxis2.anchor == "y2"
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.yaxis2.tickformat == ""
    assert fig.layout.xaxis.title.text == "(&lt;명&gt;)" and fig.layout.xaxis.title.standoff == 4
    assert fig.layout.xaxis2.title.text == "(&lt;회&gt;)" and fig.layout.xaxis.tickformat == ","
    assert fig.layout.xaxis.range == near_list([0, 90 * 1.22 * 1.2])
    assert fig.layout.xaxis2.range == near_list([0, 4 * 1.22 * 1.2])
    assert fig.layout.barmode == "group"
    assert axis_units(fig) == {"x": ["&lt;명&gt;"], "x2": ["&lt;회&gt;"]}


def test_panels_default_unit_and_one_series() -> None:
    frame = pd.DataFrame({"name": ["가"], "n": [5.0], "unit": ["명"]})
    fig = charts.panels(frame, "name", [("n", "실적")], "unit", title="p", decimals=2)
    assert len(fig.data) == 1 and fig.data[0].showlegend is False and fig.data[0].marker.color == "#0072B2"
    assert fig.data[0].texttemplate == "%{x:,.2f}%{customdata}"
    assert fig.layout.xaxis.title.text == "(명)" and fig.layout.yaxis.domain == near_list([0.0, 1.0])
    assert fig.layout.height == 260  # 38 + 170
    two = charts.panels(pd.DataFrame({"name": ["a", "b"], "n": [1.0, 2.0], "m": [3.0, 4.0], "unit": ["명", "명"]}),
                        "name", [("n", "목표"), ("m", "실적")], "unit", title="p")
    assert [t.showlegend for t in two.data] == [True, True]
    assert [t.marker.color for t in two.data] == ["#BBBBBB", "#0072B2"]
    assert two.layout.xaxis.range == near_list([0, 4 * 1.22 * 1.2])


def test_stacked_bars() -> None:
    frame = pd.DataFrame({"name": ["가", "가", "나", "나"], "src": ["국비", "구비", "국비", "구비"],
                          "amount": [900.0, 100.0, 40.0, 20.0]})
    fig = charts.stacked_bars(frame, "name", "src", "amount", title="재원", unit="백만원")
    gook, gu, total = fig.data
    assert gook.name == "국비" and gook.marker.color == "#CC79A7" and gu.marker.color == "#D55E00"
    assert list(gook.y) == ["가", "나"] and list(gook.x) == [900.0, 40.0] and list(gu.x) == [100.0, 20.0]
    assert gook.textposition == "inside" and gook.insidetextanchor == "middle"
    assert gook.insidetextfont.color == "#222222" and gu.insidetextfont.color == "#000000"
    assert gook.hovertemplate == "%{y}<br>%{fullData.name}: %{x:,.0f}백만원<extra></extra>"
    # totals 1,000 and 60; the axis end leaves room for '1,000' beside the longest bar:
    # (5 x 8.68 + 12) / 290 = 0.19103; 1000 / (1 - 0.19103) = 1236.15
    end = 1000 / (1 - (5 * 8.68 + 12) / 290)
    assert fig.layout.xaxis.range == near_list([0, end])
    # a part's value is written only where it fits: 900 / end x 290 = 211 px >= '900' 26 + 8; 100 -> 23.5 px < 34
    assert list(gook.text) == ["900", ""] and list(gu.text) == ["", ""]
    assert total.type == "scatter" and total.mode == "text" and list(total.x) == [1000.0, 60.0]
    assert list(total.text) == ["1,000", "60"] and total.textposition == "middle right"
    assert total.showlegend is False and total.name == "합계" and total.cliponaxis is False
    assert total.hovertemplate == "%{y}<br>합계: %{x:,.0f}백만원<extra></extra>"
    assert total.textfont.color == "#222222"
    assert fig.layout.barmode == "stack" and fig.layout.legend.traceorder == "normal"
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.yaxis.tickformat == ""
    assert fig.layout.xaxis.title.text == "(백만원)" and fig.layout.height == 240
    assert axis_units(fig) == {"x": ["백만원"]}


def test_stacked_bars_order_gaps_and_decimals() -> None:
    frame = pd.DataFrame({"name": ["가", "나", "다", "라", "마", "바", "사"], "src": ["시비"] * 6 + ["국비"],
                          "amount": [50.0, 2.0, 0.0, 34.0, 33.9, 1.0, 10.0]})
    fig = charts.stacked_bars(frame, "name", "src", "amount", title="t", unit="원", decimals=1,
                              order=["국비", "없음", "시비"])
    assert [t.name for t in fig.data] == ["국비", "시비", "합계"]  # a member without rows draws nothing
    gook, si, total = fig.data
    assert list(gook.x) == [None] * 6 + [10.0]
    assert list(total.x) == [50.0, 2.0, 0.0, 34.0, 33.9, 1.0, 10.0]
    assert list(total.text) == ["50.0", "2.0", "0.0", "34.0", "33.9", "1.0", "10.0"]
    assert total.hovertemplate == "%{y}<br>합계: %{x:,.1f}원<extra></extra>"
    assert fig.layout.height == 110 + 7 * 40
    # end: '50.0' is 4 x 8.68 = 34.72 + 12 = 46.72 px: 50 / (1 - 46.72 / 290) = 59.60
    end = 50 / (1 - 46.72 / 290)
    assert fig.layout.xaxis.range == near_list([0, end])
    # written inside where v / end x 290 >= its width + 8 ('34.0': 34.72 + 8 = 42.72 px; 34 / end x 290 = 165)
    # '2.0': 2 / 59.60 x 290 = 9.7 px < 34.72 + 8; a zero part writes nothing
    assert list(si.text) == ["50.0", "", "", "34.0", "33.9", "", ""]
    empty = charts.stacked_bars(frame.iloc[:0], "name", "src", "amount", title="t", unit="원")
    assert empty.layout.xaxis.range == near_list([0, 1.0])


def test_stacked_bars_text_fits_at_the_boundary() -> None:
    # one part 'aa...' : values 8 and 92 in one bar (total 100): end = 100 / (1 - (3 x 8.68 + 12) / 290)
    frame = pd.DataFrame({"name": ["가", "가"], "src": ["국비", "시비"], "amount": [8.0, 92.0]})
    fig = charts.stacked_bars(frame, "name", "src", "amount", title="t", unit="원")
    end = 100 / (1 - (3 * 8.68 + 12) / 290)
    assert fig.layout.xaxis.range == near_list([0, end])
    # end = 100 / (1 - 38.04 / 290) = 115.098; '7': 7 / 115.098 x 290 = 17.64 px >= 8.68 + 8 = 16.68: written
    assert list(fig.data[0].text) == ["8"] and list(fig.data[1].text) == ["92"]
    frame = pd.DataFrame({"name": ["가", "가"], "src": ["국비", "시비"], "amount": [7.0, 93.0]})
    fig = charts.stacked_bars(frame, "name", "src", "amount", title="t", unit="원")
    assert list(fig.data[0].text) == ["7"]
    frame = pd.DataFrame({"name": ["가", "가"], "src": ["국비", "시비"], "amount": [6.0, 94.0]})
    fig = charts.stacked_bars(frame, "name", "src", "amount", title="t", unit="원")
    assert list(fig.data[0].text) == [""]  # 6 / 115.098 x 290 = 15.12 px < 16.68


def test_pace_status_bars() -> None:
    frame = pd.DataFrame({"name": ["가", "나", "다"], "rate": [30.8, 41.0, 150.0], "gap": [-10.6, -0.4, 108.6],
                          "status": ["behind", "on_pace", "ahead"]})
    labels = {"behind": "뒤처짐", "on_pace": "<비슷>", "ahead": "앞섬", "none": "없음"}
    fig = charts.pace_status_bars(frame, "name", "rate", "gap", "status", 41.4, title="진도", description="설명 <b>",
                                  mark_label="연중 경과율", status_labels=labels, tolerance=5)
    assert [t.name for t in fig.data] == ["뒤처짐", "&lt;비슷&gt;", "앞섬"]
    assert [t.marker.color for t in fig.data] == ["#D55E00", "#56B4E9", "#0072B2"]
    assert [list(t.customdata) for t in fig.data] == [["△10.6%p"], ["△0.4%p"], ["+108.6%p"]]
    bar = fig.data[0]
    assert bar.texttemplate == "%{x:.1f}% · %{customdata}" and bar.textposition == "outside"
    assert bar.hovertemplate == "%{y}<br>%{x:.1f}% (%{customdata})<extra>%{fullData.name}</extra>"
    assert bar.showlegend is True and bar.cliponaxis is False and bar.orientation == "h"
    assert shown_texts(bar) == ["30.8% · △10.6%p"]
    band, line = fig.layout.shapes
    assert (band.x0, band.x1) == near_list([36.4, 46.4]) and band.fillcolor == "#999999"
    assert band.opacity == 0.15 and band.line.width == 0 and band.layer == "below"
    assert line.x0 == 41.4 and line.line.dash == "dash" and line.line.color == "#222222"
    assert fig.layout.annotations[0].text == "연중 경과율 41.4%"
    assert description_of(fig) == "설명 &lt;b&gt;"
    assert fig.layout.xaxis.range == near_list([0, 195.0])  # 150 x 1.3
    assert fig.layout.xaxis.title.text == "(%)" and fig.layout.xaxis.tickformat == ",.0f"
    assert fig.layout.barmode == "overlay" and fig.layout.showlegend is True
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.yaxis.tickformat == ""
    assert fig.layout.height == 300  # 130 + 120 = 250
    assert axis_units(fig) == {"x": ["%"]}
    big = pd.DataFrame({"name": list("abcdef"), "rate": [50.0] * 6, "gap": [0.0] * 6, "status": ["on_pace"] * 6})
    fig = charts.pace_status_bars(big, "name", "rate", "gap", "status", 50, title="t", description="d",
                                  mark_label="m", status_labels=labels, tolerance=5)
    assert fig.layout.height == 130 + 240 and fig.layout.xaxis.range == near_list([0, 100.0])
    assert list(fig.data[0].customdata) == ["0.0%p"] * 6
    empty = charts.pace_status_bars(big.iloc[:0], "name", "rate", "gap", "status", 50, title="t", description="d",
                                    mark_label="m", status_labels=labels, tolerance=5)
    assert len(empty.data) == 0 and empty.layout.xaxis.range == near_list([0, 100.0])


def test_progress() -> None:
    frame = pd.DataFrame({"name": ["가", "나"], "value": [578.0, 30.0], "whole": [1000.0, 40.0],
                          "rate_pct": [57.8, 75.0], "stated_rate_pct": [57.0, 75.04]})
    fig = charts.progress(frame, "name", title="선발", unit="<명>", value_name="선발", whole_name="목표")
    whole, part, stated = fig.data
    assert whole.name == "목표" and whole.width == 0.6 and whole.marker.color == "#BBBBBB"
    assert whole.marker.line.color == "#555555" and whole.marker.line.width == 1
    assert list(whole.text) == ["578 / 1,000&lt;명&gt;<br>(57.8%)", "30 / 40&lt;명&gt;<br>(75.0%)"]
    assert whole.textposition == "outside" and whole.cliponaxis is False and list(whole.x) == [1000.0, 40.0]
    assert whole.hovertemplate == "%{y}<br>%{fullData.name}: %{x:,.0f}&lt;명&gt;<extra></extra>"
    assert part.name == "선발" and part.width == 0.3 and part.marker.color == "#0072B2" and list(part.x) == [578, 30]
    assert part.hovertemplate == whole.hovertemplate
    # only the first row's stated share differs after rounding to one decimal (75.04 -> 75.0)
    assert stated.name == "보고서 표기" and list(stated.y) == ["가"] and list(stated.x) == near_list([570.0])
    assert list(stated.text) == ["57.0%"] and stated.mode == "markers+text" and stated.textposition == "top center"
    assert stated.marker.symbol == "line-ns-open" and stated.marker.size == 30
    assert stated.marker.line.width == 3 and stated.marker.line.color == "#D55E00"
    assert stated.hovertemplate == "%{y}<br>보고서 표기: %{text}<extra></extra>"
    assert fig.layout.barmode == "overlay" and fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.yaxis.tickformat == "" and fig.layout.xaxis.tickformat == ","
    assert fig.layout.xaxis.title.text == "(&lt;명&gt;)"
    assert fig.layout.xaxis.range == near_list([0, 1000 * 1.22 * 1.3])
    assert fig.layout.height == 298  # 170 + 128
    assert axis_units(fig) == {"x": ["&lt;명&gt;"]}
    assert not fig.layout.annotations


def test_progress_without_marks_with_a_note() -> None:
    frame = pd.DataFrame({"name": ["가"], "value": [1.5], "whole": [2.0], "rate_pct": [75.0],
                          "stated_rate_pct": [float("nan")]})
    fig = charts.progress(frame, "name", title="t", unit="억원", value_name="v", whole_name="w", decimals=1,
                          stated_name="표기", note="주석")
    assert len(fig.data) == 2
    assert list(fig.data[0].text) == ["1.5 / 2.0억원<br>(75.0%)"]
    assert fig.data[0].hovertemplate == "%{y}<br>%{fullData.name}: %{x:,.1f}억원<extra></extra>"
    assert [a.text for a in fig.layout.annotations] == ["주석"]
    assert fig.layout.height == 234 + 20 + 20  # max(230, 170 + 64) + one footnote line (20) + 20
    named = charts.progress(frame.assign(stated_rate_pct=[70.0]), "name", title="t", unit="억원", value_name="v",
                            whole_name="w", stated_name="표<기>")
    assert named.data[2].name == "표&lt;기&gt;"
    assert named.data[2].hovertemplate == "%{y}<br>표&lt;기&gt;: %{text}<extra></extra>"


def test_mark_stated() -> None:
    frame = pd.DataFrame({"name": ["가", "나"], "stated": [35.2, float("nan")]})
    fig = mark_stated(go.Figure(), frame, "name", "stated")
    tick = fig.data[0]
    assert tick.name == "보고서 표기" and list(tick.y) == ["가"] and list(tick.x) == [35.2] and tick.mode == "markers"
    assert tick.marker.symbol == "line-ns-open" and tick.marker.size == 24
    assert tick.marker.line.width == 3 and tick.marker.line.color == "#222222"
    assert tick.hovertemplate == "%{y}<br>보고서 표기: %{x:.1f}%<extra></extra>"
    named = mark_stated(go.Figure(), frame, "name", "stated", name="<표기>")
    assert named.data[0].name == "&lt;표기&gt;"
    assert named.data[0].hovertemplate == "%{y}<br>&lt;표기&gt;: %{x:.1f}%<extra></extra>"
    assert len(mark_stated(go.Figure(), frame.iloc[1:], "name", "stated").data) == 0


def test_trend_lines() -> None:
    frame = pd.DataFrame({"period": pd.to_datetime(["2023-12-31", "2023-05-31", "2023-12-31", "2023-05-31"]),
                          "rate": [90.0, 40.0, float("nan"), 20.0], "name": ["가", "가", "<나>", "<나>"],
                          "pace": [100.0, 41.4, 100.0, 41.4]})
    fig = charts.trend_lines(frame, "period", "rate", "name", title="추이", value_title="달성률",
                             mark="pace", mark_label="연중 경과율")
    a, b, pace = fig.data
    assert (a.name, b.name, pace.name) == ("가", "&lt;나&gt;", "연중 경과율")
    assert list(a.x) == ["2023-05-31", "2023-12-31"] and list(a.y) == [40.0, 90.0]
    assert list(a.text) == ["40.0%", "90.0%"] and list(b.text) == ["20.0%", ""]
    assert a.mode == "lines+markers+text" and a.textposition == "top center"
    assert a.marker.symbol == "circle" and b.marker.symbol == "square" and a.marker.size == 10 and a.line.width == 2
    assert a.hovertemplate == "%{x}<br>%{fullData.name}: %{y:.1f}%<extra></extra>"
    assert list(pace.x) == ["2023-05-31", "2023-12-31"] and list(pace.y) == [41.4, 100.0]
    assert pace.mode == "lines+markers" and pace.line.dash == "dash" and pace.line.color == "#D55E00"
    assert pace.marker.color == "#D55E00" and pace.marker.symbol == "line-ew-open"
    assert pace.hovertemplate == a.hovertemplate
    assert list(fig.layout.xaxis.categoryarray) == ["2023-05-31", "2023-12-31"]
    assert fig.layout.xaxis.type == "category" and fig.layout.xaxis.title.text == "기준일"
    assert fig.layout.yaxis.title.text == "달성률" and fig.layout.yaxis.ticksuffix == "%"
    assert fig.layout.yaxis.range == near_list([0, 105.0])  # 90 + 15
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y == -0.25
    assert fig.layout.height == 380 and fig.layout.title.text == "추이"
    assert not fig.layout.shapes
    assert axis_units(fig) == {"y": ["%"]}


def test_trend_lines_level_and_symbols() -> None:
    names = [f"s{n}" for n in range(9)]
    frame = pd.DataFrame({"period": ["2023-05-31"] * 9, "rate": [10.0] * 9, "name": names})
    fig = charts.trend_lines(frame, "period", "rate", "name", title="t", value_title="v", mark_label="목표 <",
                             mark_value=100.0)
    assert [t.marker.symbol for t in fig.data] == [
        "circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon", "circle"]
    assert fig.layout.yaxis.range == near_list([0, 100.0])
    line = fig.layout.shapes[0]
    assert line.y0 == 100.0 and line.line.dash == "dash" and line.line.color == "#D55E00"
    assert fig.layout.annotations[0].text == "목표 &lt; 100%"
    assert fig.layout.annotations[0].xanchor == "left"



def test_month_timeline() -> None:
    frame = pd.DataFrame({"name": ["가", "나", "다", "라"], "start": [3.0, 5.0, None, 2.0], "end": [4.0, 12.0, 5.0, 2.0],
                          "team": ["청년지원팀", "상생기업팀", "청년지원팀", "청년지원팀"]})
    fig = charts.month_timeline(frame, "name", "start", "end", "team", title="일정", as_of_month=5,
                                as_of_label="기준 <일>", past_label="지난 <달>")
    young, firms = fig.data
    assert young.name == "청년지원팀" and young.marker.color == "#009E73" and firms.marker.color == "#E69F00"
    assert list(young.y) == ["가", "라"] and list(young.base) == [2.5, 1.5] and list(young.x) == [2.0, 1.0]
    assert list(firms.base) == [4.5] and list(firms.x) == [8.0]
    assert [list(c) for c in young.customdata] == [[3, 4], [2, 2]]
    assert young.hovertemplate == "%{y}<br>%{customdata[0]}월 ~ %{customdata[1]}월<extra>%{fullData.name}</extra>"
    assert young.orientation == "h"
    shade, line = fig.layout.shapes
    # the axis starts at the earliest start (2), the past shaded from 1.5 to 5.5
    assert (shade.x0, shade.x1) == (1.5, 5.5) and shade.fillcolor == "#9E9E9E" and shade.opacity == 0.18
    assert shade.line.width == 0 and shade.layer == "below"
    assert line.x0 == 5.5 and line.line.dash == "dash" and line.line.color == "#D55E00"
    texts = {a.text: a for a in fig.layout.annotations}
    assert set(texts) == {"지난 &lt;달&gt;", "기준 &lt;일&gt;"}
    assert texts["지난 &lt;달&gt;"].font.color == "#555555" and texts["기준 &lt;일&gt;"].font.color is None
    # above the plot on the as-of line, the past to its left: (x, xanchor, xshift, y, yref, yanchor)
    assert [(a.x, a.xanchor, a.xshift, a.y, a.yref, a.yanchor, a.showarrow) for a in fig.layout.annotations] == [
        (5.5, "right", -3, 1, "y domain", "bottom", False), (5.5, "left", 3, 1, "y domain", "bottom", False)]
    assert [a.text for a in fig.layout.annotations] == ["지난 &lt;달&gt;", "기준 &lt;일&gt;"]
    assert fig.layout.xaxis.range == near_list([1.5, 12.5])
    # months 2..12 are 11 ticks, more than 8: every other one
    assert list(fig.layout.xaxis.tickvals) == [2, 4, 6, 8, 10, 12]
    assert list(fig.layout.xaxis.ticktext) == ["2월", "4월", "6월", "8월", "10월", "12월"]
    assert fig.layout.xaxis.tickmode == "array" and fig.layout.xaxis.title.text == "(월)"
    assert fig.layout.barmode == "overlay" and fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.yaxis.categoryorder == "array" and list(fig.layout.yaxis.categoryarray) == ["가", "나", "라"]
    assert fig.layout.yaxis.tickformat == ""
    assert fig.layout.height == 300  # 110 + 3 x 26 = 188
    assert axis_units(fig) == {"x": ["월"]}


def test_month_timeline_without_as_of() -> None:
    frame = pd.DataFrame({"name": list("abcdefgh"), "start": [7.0] * 8, "end": [9.0] * 8, "team": ["국비"] * 8})
    fig = charts.month_timeline(frame, "name", "start", "end", "team", title="t")
    assert not fig.layout.shapes and not fig.layout.annotations
    assert fig.layout.xaxis.range == near_list([0.5, 12.5])
    assert list(fig.layout.xaxis.tickvals) == [1, 3, 5, 7, 9, 11]
    assert fig.layout.height == 110 + 8 * 26
    late = charts.month_timeline(frame, "name", "start", "end", "team", title="t", as_of_month=8)
    # as of August, every activity starting in July: the axis starts at 7; 7..12 are 6 ticks, all shown
    assert late.layout.xaxis.range == near_list([6.5, 12.5])
    assert list(late.layout.xaxis.tickvals) == [7, 8, 9, 10, 11, 12]
    assert late.layout.shapes[0].x0 == 6.5 and late.layout.shapes[0].x1 == 8.5
    assert {a.text for a in late.layout.annotations} == {"지난 달", "기준일"}
    five = charts.month_timeline(frame, "name", "start", "end", "team", title="t", as_of_month=4)
    # months 4..12: 9 ticks, more than 8
    assert list(five.layout.xaxis.tickvals) == [4, 6, 8, 10, 12]
    five = charts.month_timeline(frame, "name", "start", "end", "team", title="t", as_of_month=5)
    assert list(five.layout.xaxis.tickvals) == [5, 6, 7, 8, 9, 10, 11, 12]  # 8 ticks: all


def test_footnote() -> None:
    fig = charts._figure("t", 300)
    assert footnote(fig, "") is fig and not fig.layout.annotations and fig.layout.height == 300
    footnote(fig, "주 <1>")
    note = fig.layout.annotations[0]
    assert note.name == "footnote" and note.text == "주 &lt;1&gt;"
    assert note.xref == "paper" and note.yref == "paper" and note.x == 0 and note.y == 0
    assert note.xanchor == "left" and note.yanchor == "top" and note.yshift == -70 and note.showarrow is False
    assert note.align == "left" and note.font.size == 14 and note.font.color == "#555555"
    assert fig.layout.height == 300 + 20 + 20
    assert fig.layout.meta["footnote_lines"] == 1
    # 520 px a line: 38 Hangul words of one glyph each take 38 x 14 + 37 x 8.68 = 853 px: two lines
    footnote(fig, " ".join(["가"] * 38))
    assert fig.layout.annotations[1].text.count("<br>") == 1
    assert fig.layout.meta["footnote_lines"] == 3
    assert fig.layout.height == 340 + 2 * 20 + 20
    # 23 one-glyph words: 23 x 14 + 22 x 8.68 = 513 px <= 520: one line; 24: 535.6 px: two
    assert footnote(charts._figure("t"), " ".join(["가"] * 23)).layout.annotations[0].text.count("<br>") == 0
    assert footnote(charts._figure("t"), " ".join(["가"] * 24)).layout.annotations[0].text.count("<br>") == 1
    assert footnote(charts._figure("t"), "a").layout.height == 450 + 40
    fig = charts._figure("t")
    fig.update_layout(meta=["x"])
    assert footnote(fig, "a").layout.meta == {"footnote_lines": 1}


# --- fit_margins: the layout worked out by hand (charts.py's constants: TEXT_PX 320, SCREEN_PLOT_PX 290, LINE_PX 20,
# TITLE_LINE_PX 28, BAR_PX 22, SIDE_PX 16) ------------------------------------------------------------------------


def assert_labels(fig: go.Figure, expected: list[tuple[str, str, float]]) -> None:
    """The figure's category labels are these texts on these axes, each centred on this tick value (a label of k lines
    is k x 20 + 2 px high: its tick lies (k x 20 + 2) / 2 px under its band's top, in the band's units)."""
    got = category_labels(fig)
    assert [(t, a) for t, a, _ in got] == [(t, a) for t, a, _ in expected]
    assert [y for _, _, y in got] == near_list([y for _, _, y in expected])


def test_a_title_of_several_lines_is_padded_down_half_a_line_per_line() -> None:
    """plotly centres a title of several lines on its first line's place: its first line went half a line above the
    chart (cut off in the browser); the pad brings it back, 14 px for each line after the first."""
    frame = pd.DataFrame({"name": ["가"], "count": [1.0]})
    for title, lines in (("짧은 제목", 1), ("가나다라 " * 4, 2), ("가나다라 " * 7, 3)):
        fig = charts.fit_margins(charts.value_bars(frame, "name", "count", title=title.strip(), unit="명"))
        assert fig.layout.title.text.count("<br>") + 1 == lines
        assert fig.layout.title.pad.t == 10 + 14 * (lines - 1)


def test_fit_margins_one_bar_with_a_source() -> None:
    frame = pd.DataFrame({"name": ["가"], "count": [100.0]})
    fig = charts.fit_margins(charts.value_bars(frame, "name", "count", title="t", unit="가나다라"), "출처")
    assert fig.layout.title.text == "t" and fig.layout.title.subtitle.text == "출처"
    assert fig.layout.title.x == 0 and fig.layout.title.xref == "paper" and fig.layout.title.yref == "container"
    assert fig.layout.title.y == 1 and fig.layout.title.yanchor == "top" and fig.layout.title.pad.t == 10
    # top: 10 + one title line 28 + one subtitle line 20 + 8 + 8 = 74; bottom: ticks 34 + axis title 26 + 6 = 66
    # the value '100가나다라' (26.04 + 56 = 82.04 px) beside a bar of 100: axis to 100 / (1 - 94.04 / 290) = 147.99
    assert fig.layout.xaxis.range == near_list([0, 100 / (1 - 94.04 / 290)])
    # the label's room 20 + 4 = 24 px + 8, one bar of 22 px: 54 px of plot, less than 240 - 74 - 66 = 100
    assert fig.layout.height == 240 and fig.layout.bargap == near(0.48)  # 2 x 24 / 100
    assert_labels(fig, [("가", "y", -0.5 + 11 / 100)])  # band 100 px, the label's middle 11 px under its top
    y = fig.layout.yaxis
    assert y.range == (0.5, -0.5) and y.showticklabels is True and y.ticks == "" and y.autorange is False
    assert y.ticklabelposition == "inside" and y.ticklabeloverflow == "allow" and y.tickmode == "array"
    assert y.tickfont.size == 14 and y.tickfont.color == "#222222" and y.tickfont.shadow == charts.LABEL_HALO
    assert not fig.layout.annotations
    # the bar right under its label: band 100 px, label 24 / 100, room min(100 - 24 - 6, 22 x 1.6) / 100 = 0.352
    bar = fig.data[0]
    assert bar.width == near(0.352) and bar.offset == near(-0.5 + 0.24)
    # the last tick '148' (26.04 px): 290 // 54.04 = 5 ticks; right margin 13 + 6 = 19
    x = fig.layout.xaxis
    assert x.nticks == 5 and x.tickangle == 0 and x.title.standoff == 6
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (16, 19, 74, 66)


def test_fit_margins_grouped_bars_legend_and_footnote() -> None:
    frame = pd.DataFrame({"team": ["가나", "다"], "budget": [100.0, 50.0], "executed": [40.0, 60.0]})
    fig = charts.paired_bars(frame, "team", [("budget", "예산액"), ("executed", "집행액")], title="t", unit="원")
    footnote(fig, "주")
    assert fig.layout.height == 300
    charts.fit_margins(fig)
    assert fig.layout.title.subtitle.text is None
    note = next(a for a in fig.layout.annotations if a.name == "footnote")
    assert note.text == "주" and note.yshift == -64  # under the ticks and the axis title: -(60 + 4)
    legend = fig.layout.legend
    assert (legend.orientation, legend.x, legend.xanchor, legend.yref, legend.y, legend.yanchor) == (
        "h", 0, "left", "container", 0, "bottom")
    assert legend.font.size == 14
    # top 10 + 28 + 8 = 46; bottom 60 + footnote 28 + legend 32 + 6 = 126
    # two bars a category: 2 x (32 + 2 x 22) = 152 px of plot; 46 + 126 + 152 = 324 > 300
    assert fig.layout.height == 324 and fig.layout.bargap == near(96 / 152)
    assert_labels(fig, [("가나", "y", -0.5 + 11 / 76), ("다", "y", 0.5 + 11 / 76)])  # band 76 px
    assert fig.layout.yaxis.range == (1.5, -0.5)
    # band 76 px: label 24 / 76; room min(76 - 30, 70.4) / 76 = 46 / 76, halved for the two bars
    budget, executed = fig.data
    assert budget.width == near(23 / 76) and executed.width == near(23 / 76)
    assert budget.offset == near(-0.5 + 24 / 76) and executed.offset == near(-0.5 + 24 / 76 + 23 / 76)
    assert fig.layout.xaxis.range == near_list([0, 122.0])  # '100' fits in 122: 100 / (1 - 38.04 / 290) = 115.1
    assert fig.layout.xaxis.nticks == 5
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (16, 19, 46, 126)


def test_fit_margins_bullet_chart_with_marks() -> None:
    frame = pd.DataFrame({"name": ["가", "나"], "value": [578.0, 30.0], "whole": [1000.0, 40.0],
                          "rate_pct": [57.8, 75.0], "stated_rate_pct": [57.0, float("nan")]})
    fig = charts.fit_margins(charts.progress(frame, "name", title="t", unit="명", value_name="선발",
                                             whole_name="목표"))
    # the value '578 / 1,000명' (11 x 8.68 + 14 = 109.48 px) beside 1,000: 1000 / (1 - 121.48 / 290) = 1720.86
    assert fig.layout.xaxis.range == near_list([0, 1000 / (1 - 121.48 / 290)])
    # legend: 목표 72 + 선발 72 + 보고서 표기 122.68 = 266.68 px: one row, 32; bottom 60 + 32 + 6 = 98; top 46
    # bars with marks: a label's room above and below (2 x 24), two bars' thickness for the two-line value (44):
    # 2 x (48 + 44) = 184 px; 46 + 98 + 184 = 328 > 298
    assert fig.layout.height == 328 and fig.layout.bargap == near(96 / 184)
    whole, part, stated = fig.data
    assert whole.width == near(0.6 * (1 - 96 / 184)) and part.width == near(0.3 * (1 - 96 / 184))
    assert whole.offset is None
    assert stated.textposition == "bottom center" and stated.marker.size == 30
    # the last tick '1,721' (43.4 px): 290 // 71.4 = 4 ticks; right 22 + 6 = 28
    assert fig.layout.xaxis.nticks == 4
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (16, 28, 46, 98)


def test_fit_margins_vertical_lines() -> None:
    frame = pd.DataFrame({"period": ["2023-05-31", "2023-12-31", "2023-05-31", "2023-12-31"],
                          "rate": [40.0, 90.0, 20.0, 30.0], "name": ["가", "가", "나", "나"]})
    fig = charts.fit_margins(charts.trend_lines(frame, "period", "rate", "name", title="추이", value_title="달성률"),
                             "출처")
    # top 10 + 28 + 28 + 8 = 74; bottom 60 + legend 32 + 6 = 98; left: '105%' 34.72 px -> 35 + 40 for the title
    # the x ticks are dates (86.8 px): 290 // 114.8 = 2; right 43 + 6 = 49
    assert fig.layout.xaxis.nticks == 2 and fig.layout.xaxis.title.standoff == 6
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (75, 49, 74, 98)
    assert fig.layout.height == 380 and not fig.layout.annotations


def test_fit_margins_pace_bars_with_a_description_and_a_mark() -> None:
    frame = pd.DataFrame({"name": ["가", "나", "다"], "rate": [30.8, 41.0, 150.0], "gap": [-10.6, -0.4, 108.6],
                          "status": ["behind", "on_pace", "ahead"]})
    labels = {"behind": "뒤처짐", "on_pace": "비슷", "ahead": "앞섬"}
    fig = charts.fit_margins(charts.pace_status_bars(
        frame, "name", "rate", "gap", "status", 41.4, title="진도", description="설명", mark_label="연중 경과율",
        status_labels=labels, tolerance=5), "출처: 보고서")
    assert fig.layout.title.subtitle.text == "설명<br>출처: 보고서"
    # '150.0% · +108.6%p': 17 characters of 8.68 px (· counts as narrow) = 147.56 px:
    # 150 / (1 - 159.56 / 290) = 333.49
    assert fig.layout.xaxis.range == near_list([0, 150 / (1 - 159.56 / 290)])
    # top 10 + 28 + two subtitle lines 48 + 26 for the pace line's label = 112; bottom 60 + 32 + 6 = 98
    # 3 x (32 + 22) = 162 px of plot: height 112 + 98 + 162 = 372; gap 144 / 162 = 0.89, at most 0.8
    assert fig.layout.height == 372 and fig.layout.bargap == near(0.8)
    assert [t.width for t in fig.data] == near_list([24 / 54] * 3)  # band 54: room min(54 - 30, 35.2) / 54
    assert [t.offset for t in fig.data] == near_list([-0.5 + 24 / 54] * 3)
    assert_labels(fig, [(c, "y", n - 0.5 + 11 / 54) for n, c in enumerate("가나다")])  # band 54 px
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (16, 19, 112, 98)


def test_fit_margins_panels() -> None:
    frame = pd.DataFrame({"name": ["가", "나", "다"], "n": [88.0, 4.0, 10.0], "unit": ["명", "회", "명"]})
    fig = charts.panels(frame, "name", [("n", "실적")], "unit", title="p")
    assert fig.layout.height == 348  # 38 x 3 + 64 = 178 + 170
    charts.fit_margins(fig)
    # each panel needs 54 px a category over its share of the plot (76 / 178 and 38 / 178): 252.95 px;
    # 46 + 66 + 252.95 = 364.95 -> 365; the gap 96 / (76 / 178 x 253) = 0.889, at most 0.8
    assert fig.layout.height == 365 and fig.layout.bargap == near(0.8)
    band = 76 / 178 * 253 / 2
    band2 = 38 / 178 * 253
    assert_labels(fig, [("가", "y", -0.5 + 11 / band), ("다", "y", 0.5 + 11 / band), ("나", "y2", -0.5 + 11 / band2)])
    assert fig.layout.yaxis2.range == (0.5, -0.5)
    assert fig.data[0].width == near((band - 30) / band) and fig.data[0].offset == near(-0.5 + 24 / band)
    assert fig.data[1].width == near((band2 - 30) / band2)
    # ticks: '129' on x (5 ticks), '6' on x2 (290 // 36.68 = 7); the axis titles keep their standoff 4
    assert fig.layout.xaxis.nticks == 5 and fig.layout.xaxis2.nticks == 7
    assert fig.layout.xaxis.title.standoff == 4 and fig.layout.xaxis2.tickangle == 0
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (16, 19, 46, 66)


def test_fit_margins_bullet_chart_without_marks_places_each_bar_under_its_label() -> None:
    frame = pd.DataFrame({"name": ["가"], "value": [30.0], "whole": [40.0], "rate_pct": [75.0],
                          "stated_rate_pct": [float("nan")]})
    fig = charts.fit_margins(charts.progress(frame, "name", title="t", unit="명", value_name="선발",
                                             whole_name="목표"))
    # a two-line value beside the bar needs two bars' thickness: 32 + 44 = 76 px; the height stays 234
    # (46 + 98 + 76 = 220), plot 234 - 144 = 90 px, gap 48 / 90
    assert fig.layout.height == 234 and fig.layout.bargap == near(48 / 90)
    whole, part = fig.data
    # band 90: label 24 / 90, room min(90 - 30, 70.4) / 90 = 60 / 90; the whole bar takes it all, the part (0.3 of
    # the whole's 0.6) half of it, centred
    assert whole.width == near(60 / 90) and whole.offset == near(-0.5 + 24 / 90)
    assert part.width == near(30 / 90) and part.offset == near(-0.5 + 24 / 90 + 15 / 90)
    assert fig.layout.xaxis.range == near_list([0, 40 * 1.22 * 1.3])  # '30 / 40명' fits: 57.1 < 63.4
    # the last tick '63' (17.36 px): 290 // 45.36 = 6; right max(16, 9 + 6)
    assert fig.layout.xaxis.nticks == 6
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (16, 16, 46, 98)


def test_fit_margins_plain_figure_bottom_up() -> None:
    fig = go.Figure([go.Bar(y=["a", "b"], x=[1, 2], orientation="h")])
    charts.fit_margins(fig)
    assert fig.layout.title.text == "" and fig.layout.title.subtitle.text is None
    # top 10 + 8 = 18; bottom 34 + 6 = 40; 450 - 58 = 392 px of plot, gap 96 / 392
    assert fig.layout.height == 450 and fig.layout.bargap == near(96 / 392)
    assert fig.layout.yaxis.range == (-0.5, 1.5)
    assert_labels(fig, [("a", "y", 0.5 - 11 / 196), ("b", "y", 1.5 - 11 / 196)])  # not reversed: down from +0.5
    # band 196 px: room 35.2 / 196, the bar's top right under the label: offset 0.5 - 24 / 196 - 35.2 / 196
    assert fig.data[0].width == near(35.2 / 196) and fig.data[0].offset == near(0.5 - 24 / 196 - 35.2 / 196)
    assert fig.layout.xaxis.title.standoff is None and fig.layout.xaxis.nticks == 5  # '100' without a range
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (16, 19, 18, 40)


def test_fit_margins_title_lines_and_wrapped_footnotes() -> None:
    fig = charts._figure("가<br>나")
    fig.add_trace(go.Scatter(x=[1], y=[1]))
    footnote(fig, " ".join(["가"] * 30))  # 23 words a line at 520 px: two lines
    assert fig.layout.annotations[0].text.count("<br>") == 1
    charts.fit_margins(fig)
    # at 320 px: 14 words (196 + 13 x 8.68 = 308.84 px) a line: 14, 14, 2
    note = fig.layout.annotations[0]
    assert [line.count("가") for line in note.text.split("<br>")] == [14, 14, 2]
    assert note.yshift == -38  # no axis title: -(34 + 4)
    # top 10 + 2 x 28 + 8 = 74; bottom 34 + 3 x 20 + 8 + 6 = 108; left: '100' (26.04) -> 26 + 12, no axis title
    assert (fig.layout.margin.l, fig.layout.margin.t, fig.layout.margin.b) == (38, 74, 108)
    assert fig.layout.title.text == "가<br>나"


def test_fit_margins_vertical_axis_with_a_range_and_suffix() -> None:
    fig = go.Figure([go.Bar(x=["a"], y=[1])], layout={"yaxis": {"range": [0, 1234.4], "ticksuffix": "%"}})
    charts.fit_margins(fig)
    assert fig.layout.margin.l == 64  # '1,234%' 6 x 8.68 = 52.08 -> 52 + 12
    fig = go.Figure([go.Bar(x=["a"], y=[1])], layout={"yaxis": {"range": [0, 5.0], "title": {"text": "명"}}})
    assert charts.fit_margins(fig).layout.margin.l == 49  # '5' 8.68 -> 9 + 40


def test_fit_margins_month_ticks_stay_as_given() -> None:
    frame = pd.DataFrame({"name": ["가"], "start": [2.0], "end": [11.0], "team": ["국비"]})
    fig = charts.fit_margins(charts.month_timeline(frame, "name", "start", "end", "team", title="t"))
    assert fig.layout.xaxis.nticks is None and fig.layout.xaxis.tickangle == 0
    # the widest tick '11월' is 2 x 8.68 + 14 = 31.36 px: right 16 + 6 = 22
    assert fig.layout.margin.r == 22
    cat = go.Figure([go.Bar(y=["a"], x=[1], orientation="h")], layout={"xaxis": {"type": "category"}})
    charts.fit_margins(cat)
    # a category axis without its categories listed: a date's width '0000-00-00' (86.8 px) is assumed
    assert cat.layout.xaxis.nticks == 2 and cat.layout.margin.r == 49
    cat = go.Figure([go.Bar(y=["a"], x=[1], orientation="h")],
                    layout={"xaxis": {"type": "category", "categoryarray": ["aa", "a"]}})
    charts.fit_margins(cat)
    assert cat.layout.xaxis.nticks == 290 // (17.36 + 28) and cat.layout.margin.r == 16


def test_fit_margins_marks_shrink_to_their_band() -> None:
    frame = pd.DataFrame({"name": list("abcdefghij"), "rate": [10.0] * 10, "stated": [9.0] * 10})
    fig = mark_stated(charts.rate_against_mark(frame, "name", "rate", 41.4, title="t", mark_label="m"), frame,
                      "name", "stated")
    charts.fit_margins(fig)
    # top 10 + 28 + 26 (the mark's label) = 64; bottom 60 + 6 (one legend entry: no legend) = 66
    # 10 x (48 + 22) = 700 px of plot: height 830, gap 480 / 700; a mark at most (1 - gap) x 700 / 10 = 22 px
    assert fig.layout.height == 830 and fig.layout.bargap == near(480 / 700)
    assert fig.data[1].marker.size == near(22.0)
    assert fig.data[0].width is None and fig.data[0].offset is None
    assert fig.layout.margin.t == 64 and fig.layout.margin.b == 66


def test_fit_margins_stacked_totals() -> None:
    frame = pd.DataFrame({"name": ["가", "가"], "src": ["국비", "구비"], "amount": [900.0, 100.0]})
    fig = charts.fit_margins(charts.stacked_bars(frame, "name", "src", "amount", title="t", unit="원"))
    assert fig.layout.xaxis.range == near_list([0, 1000 / (1 - 55.4 / 290)])  # '1,000' 43.4 + 12 px
    # the totals' text is a scatter: the labels' room above and below, 48 + 22 = 70 px; plot 240 - 144 = 96
    assert fig.layout.height == 240 and fig.layout.bargap == near(0.5)
    assert fig.data[2].textposition == "middle right"
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t, fig.layout.margin.b) == (16, 28, 46, 98)


def test_value_headroom() -> None:
    fig = go.Figure([go.Bar(x=[10, float("nan"), 5, None], y=list("abcd"), orientation="h", base=2,
                            text=["aa", "bb", "", "cc"], textposition="outside"),
                     go.Scatter(x=[20], y=["c"], mode="text", text=["aa"], textposition="middle right", xaxis="x2"),
                     go.Scatter(x=[1000], y=["c"], mode="markers", text=["aa"], textposition="middle right"),
                     go.Scatter(x=[1000], y=["c"], mode="text", text=["aa"], textposition="top center"),
                     go.Bar(x=[1000], y=["c"], text=["aa"], textposition="outside"),
                     go.Bar(x=[1000], y=["c"], orientation="h", text=["aa"], textposition="inside"),
                     go.Bar(y=["c"], orientation="h", text=["aa"], textposition="outside")],
                    layout={"xaxis2": {"range": [-5, 100]}})
    charts._value_headroom(fig)
    assert fig.layout.xaxis.range == near_list([0, 12 / (1 - 29.36 / 290)])  # the base counts: 10 + 2
    assert fig.layout.xaxis2.range == near_list([-5, 100])
    fig = go.Figure([go.Bar(x=[1, 1], y=["a", "b"], orientation="h", base=[100, None], text="aa",
                            textposition="outside"),
                     go.Scatter(x=[40], y=["c"], mode="markers+text", text=["aa"], textposition="middle right")])
    charts._value_headroom(fig)
    assert fig.layout.xaxis.range == near_list([0, 101 / (1 - 29.36 / 290)])
    fig = go.Figure([go.Scatter(x=[90], y=["c"], mode="text", text=["aa"], textposition="middle right")],
                    layout={"xaxis": {"range": [0, 1]}})
    charts._value_headroom(fig)
    assert fig.layout.xaxis.range == near_list([0, 90 / (1 - 29.36 / 290)])


# --- written for run 1's survivors ---------------------------------------------------------------------------------


def test_paired_bars_previous_of_the_last_of_three_series() -> None:
    frame = pd.DataFrame({"team": ["a"], "p": [1.0], "q": [2.0], "r": [3.0], "r_prev": [4.0], "q_prev": [5.0]})
    fig = charts.paired_bars(frame, "team", [("p", "계획"), ("q", "목표"), ("r", "실적")], title="t", unit="명")
    assert [t.name for t in fig.data] == ["계획", "목표", "실적", "직전 실적"]
    assert list(fig.data[3].x) == [4.0]
    one = pd.DataFrame({"team": list("abcdef"), "p": [1.0] * 6})
    # one series: 6 rows x 34 x (1 // 2 + 1 = 1) + 90 = 294
    assert charts.paired_bars(one, "team", [("p", "실적")], title="t", unit="명").layout.height == 294


def test_value_bars_previous_bars_are_horizontal_per_category() -> None:
    frame = pd.DataFrame({"name": ["가", "<나>"], "count": [1.0, 2.0], "count_prev": [3.0, 4.0]})
    prev = charts.value_bars(frame, "name", "count", title="t", unit="명").data[0]
    assert list(prev.y) == ["가", "&lt;나&gt;"] and prev.orientation == "h"
    empty = charts.value_bars(frame.iloc[:0], "name", "count", title="t", unit="명")
    assert empty.layout.xaxis.title.text == "(명)"


def test_progress_of_no_rows() -> None:
    frame = pd.DataFrame({"name": [], "value": [], "whole": [], "rate_pct": [], "stated_rate_pct": []})
    fig = charts.progress(frame, "name", title="t", unit="명", value_name="v", whole_name="w")
    assert fig.layout.height == 230 and fig.layout.xaxis.range == near_list([0, 1.22 * 1.3])


def test_mark_stated_keeps_rows_with_other_gaps() -> None:
    frame = pd.DataFrame({"name": ["가", "나"], "stated": [35.2, 40.0], "other": [float("nan"), 1.0]})
    assert list(mark_stated(go.Figure(), frame, "name", "stated").data[0].y) == ["가", "나"]


def test_trend_lines_level_without_a_label() -> None:
    frame = pd.DataFrame({"period": ["2023-05-31"], "rate": [10.0], "name": ["a"]})
    fig = charts.trend_lines(frame, "period", "rate", "name", title="t", value_title="v", mark_value=100.0)
    assert fig.layout.annotations[0].text == " 100%"


def test_marks_are_labelled_above_the_plot() -> None:
    frame = pd.DataFrame({"name": ["가", "나"], "start": [3.0, 4.0], "end": [4.0, 5.0], "team": ["국비", "국비"],
                          "note": [None, "x"]})
    fig = charts.month_timeline(frame, "name", "start", "end", "team", title="일정", as_of_month=5)
    assert fig.layout.title.text == "일정" and list(fig.data[0].y) == ["가", "나"]  # a gap elsewhere keeps the row
    now = next(a for a in fig.layout.annotations if a.text == "기준일")
    assert (now.x, now.xanchor, now.y, now.yanchor) == (5.5, "left", 1, "bottom")
    past = next(a for a in fig.layout.annotations if a.text == "지난 달")  # beside it, off the last activity's name
    assert (past.x, past.xanchor, past.y, past.yanchor) == (5.5, "right", 1, "bottom")
    rate = charts.rate_against_mark(pd.DataFrame({"n": ["a"], "r": [1.0]}), "n", "r", 4, title="t", mark_label="m")
    assert [(a.x, a.xanchor, a.y, a.yanchor) for a in rate.layout.annotations] == [(4, "center", 1, "bottom")]
    pace = charts.pace_status_bars(pd.DataFrame({"n": ["a"], "r": [1.0], "g": [0.0], "s": ["ahead"]}), "n", "r", "g",
                                   "s", 4, title="t", description="d", mark_label="m",
                                   status_labels={"ahead": "a"}, tolerance=1)
    assert [(a.x, a.xanchor, a.y, a.yanchor) for a in pace.layout.annotations] == [(4, "center", 1, "bottom")]


def test_progress_bars_per_row_and_rounding_of_the_mark() -> None:
    frame = pd.DataFrame({"name": ["가", "나"], "value": [1.5, 2.0], "whole": [2.0, 4.0], "rate_pct": [57.83, 50.0],
                          "stated_rate_pct": [57.8, 49.96]})
    fig = charts.progress(frame, "name", title="t", unit="명", value_name="v", whole_name="w", decimals=1)
    assert len(fig.data) == 2  # 57.8 against 57.83 and 50.0 against 49.96: the same at one decimal, no mark
    assert list(fig.data[0].y) == ["가", "나"] and list(fig.data[1].y) == ["가", "나"]
    assert fig.data[1].hovertemplate == "%{y}<br>%{fullData.name}: %{x:,.1f}명<extra></extra>"


def test_footnote_after_a_description() -> None:
    fig = charts._meta(charts._figure("t"), description="d")
    assert footnote(fig, "a").layout.meta == {"description": "d", "footnote_lines": 1}


def test_category_labels_count_a_two_line_text_of_a_mark() -> None:
    # six categories; one text written on two lines (a scatter): every bar gets two bars' thickness (ceil(40 / 22))
    fig = go.Figure([go.Bar(y=list("abcdef"), x=[1] * 6, orientation="h"),
                     go.Scatter(y=["a"], x=[1], mode="text", text=["x<br>y"])])
    charts.fit_margins(fig)
    # with a mark the labels' room is 2 x 24 a category: 6 x (48 + 44) = 552 px; top 18 + bottom 40
    assert fig.layout.height == 610 and fig.layout.bargap == near(288 / 552)


def test_category_labels_per_axis() -> None:
    fig = go.Figure([go.Bar(y=list("abcdef"), x=[1] * 6, orientation="h"),
                     go.Bar(y=["g"], x=[1], orientation="h", yaxis="y2", text=["x<br>y"])],
                    layout={"yaxis": {"domain": [0.5, 1], "autorange": "reversed"}, "yaxis2": {"domain": [0, 0.5]}})
    charts.fit_margins(fig)
    # y: 6 x (32 + 22) over half the plot = 648 px; y2: its two-line text, (32 + 44) / 0.5 = 152 px
    assert fig.layout.height == 18 + 40 + 648 and fig.layout.bargap == near(0.8)
    assert_labels(fig, [(c, "y", n - 0.5 + 11 / 54) for n, c in enumerate("abcdef")] + [("g", "y2", 0.5 - 11 / 324)])
    assert fig.layout.yaxis.range == (5.5, -0.5) and fig.layout.yaxis2.range == (-0.5, 0.5)
    # y (reversed): band 54 px, room 24 / 54, from the label down; y2: band 324 px, room 70.4 / 324, its top under
    # the label (not reversed: offsets count down from the band's top at +0.5)
    assert fig.data[0].width == near(24 / 54) and fig.data[0].offset == near(-0.5 + 24 / 54)
    assert fig.data[1].width == near(70.4 / 324) and fig.data[1].offset == near(0.5 - 24 / 324 - 70.4 / 324)


def test_grouped_bars_on_an_axis_read_top_down() -> None:
    fig = go.Figure([go.Bar(y=["a"], x=[1], orientation="h"), go.Bar(y=["a"], x=[2], orientation="h")],
                    layout={"barmode": "group"})
    charts.fit_margins(fig)
    assert fig.layout.height == 450 and fig.layout.bargap == near(48 / 392)
    # band 392 px: two bars share min(392 - 30, 2 x 22 x 1.6) = 70.4 px, the first right under the label
    assert [t.width for t in fig.data] == near_list([35.2 / 392] * 2)
    assert [t.offset for t in fig.data] == near_list([0.5 - 59.2 / 392, 0.5 - 94.4 / 392])


def test_category_labels_of_an_empty_bar() -> None:
    fig = go.Figure([go.Bar(orientation="h")])
    charts.fit_margins(fig)
    # no category: one line's label room (24 px) and one bar are still planned for
    assert fig.layout.height == 450 and fig.layout.bargap == 0
    assert fig.layout.yaxis.range == (-0.5, -0.5) and not fig.layout.annotations
    assert fig.data[0].width == near(35.2 / 392) and fig.data[0].offset == near(0.5 - 59.2 / 392)


def test_category_labels_replace_the_ticks() -> None:
    name = "가" * 19 + " aaa"  # 300.72 px: one line at 320 px
    fig = go.Figure([go.Bar(y=[name], x=[1], orientation="h")],
                    layout={"yaxis": {"tickvals": [name], "ticktext": ["A"]}})
    charts.fit_margins(fig)
    assert fig.layout.yaxis.ticktext == (name,) and fig.layout.yaxis.tickvals == near_list([0.5 - 11 / 392])
    assert_labels(fig, [(name, "y", 0.5 - 11 / 392)])


def test_value_headroom_reads_every_trace_and_point() -> None:
    fig = go.Figure([go.Bar(x=[1000], y=["c"], orientation="h", text=["aa"], textposition="inside"),
                     go.Bar(x=[float("nan"), 10, 50], y=list("abc"), orientation="h", text=["aa", "aa", ""],
                            textposition="outside")])
    charts._value_headroom(fig)
    # the NaN is skipped, not the end; the bar of 50 writes nothing: 10 with 'aa' sets the end
    assert fig.layout.xaxis.range == near_list([0, 10 / (1 - 29.36 / 290)])
    small = go.Figure([go.Bar(x=[0.5], y=["a"], orientation="h", text=["aa"], textposition="outside")])
    charts._value_headroom(small)
    assert small.layout.xaxis.range == near_list([0, 0.5 / (1 - 29.36 / 290)])  # below 1: no range was set


def test_ticks_fit_at_a_boundary() -> None:
    # the last tick '100가나다' is 26.04 + 42 = 68.04 px: 290 // 96.04 = 3 ticks (2 at 97.04)
    fig = go.Figure([go.Bar(y=["a"], x=[1], orientation="h")],
                    layout={"xaxis": {"range": [0, 100], "ticksuffix": "가나다"}})
    assert charts._ticks_fit(fig) == 40 and fig.layout.xaxis.nticks == 3  # 34 + 6


def test_fit_margins_wraps_the_title_at_its_size() -> None:
    fig = charts.fit_margins(charts._figure("가가가 나나나 다다다"))
    assert fig.layout.title.text == "가가가 나나나 다다다"  # 60 + 12.4 + 60 + 12.4 + 60 = 204.8 px at 20 px
    fig = charts.fit_margins(charts._figure("가나다라마바사아 가나다라마바사아"))
    assert fig.layout.title.text == "가나다라마바사아<br>가나다라마바사아"  # 332.4 px at 20 px, 232.68 at 14
    assert fig.layout.margin.t == 74  # room for the two lines as drawn: 10 + 2 × 28 + 8 (one line: 46)
    assert charts.fit_margins(charts._figure("가가가 나나나 다다다")).layout.margin.t == 46  # 10 + 28 + 8


def test_fit_margins_a_level_label_is_not_a_mark_above_the_plot() -> None:
    frame = pd.DataFrame({"period": ["2023-05-31"], "rate": [10.0], "name": ["a"]})
    fig = charts.trend_lines(frame, "period", "rate", "name", title="t", value_title="v", mark_label="목표",
                             mark_value=100.0)
    assert fig.layout.annotations[0].yanchor == "bottom" and fig.layout.annotations[0].y == 100
    assert charts.fit_margins(fig).layout.margin.t == 46  # 10 + 28 + 8


def test_legend_px_entry_width_and_new_rows() -> None:
    # 12 Hangul (168 + 44 = 212) and 9 ASCII (78.12 + 44 = 122.12): 334.12 <= 336, one row
    assert charts._legend_px(go.Figure([go.Bar(name="가" * 12), go.Bar(name="a" * 9)])) == 32
    # a second row starts empty: 20 Hangul (324) alone, then 9 Hangul (170) + 14 ASCII (165.52) = 335.52 <= 336
    fig = go.Figure([go.Bar(name="나" * 20), go.Bar(name="가" * 9), go.Bar(name="a" * 14)])
    assert charts._legend_px(fig) == 56


def test_fit_margins_every_footnote_takes_room() -> None:
    fig = go.Figure([go.Scatter(x=[1], y=[1])])
    footnote(fig, "가")
    footnote(fig, "나")
    charts.fit_margins(fig)
    assert fig.layout.margin.b == 34 + 2 * 28 + 6
    assert [a.yshift for a in fig.layout.annotations] == [-38, -38]


def test_stacked_bars_hover_and_totals_per_category() -> None:
    frame = pd.DataFrame({"name": ["가", "<나>"], "src": ["국비", "국비"], "amount": [1.0, 2.0]})
    fig = charts.stacked_bars(frame, "name", "src", "amount", title="t", unit="원", decimals=2)
    assert fig.data[0].hovertemplate == "%{y}<br>%{fullData.name}: %{x:,.2f}원<extra></extra>"
    assert list(fig.data[1].y) == ["가", "&lt;나&gt;"] and list(fig.data[0].y) == ["가", "&lt;나&gt;"]


def test_shown_texts_of_fields_and_traces_without_a_template() -> None:
    assert shown_texts(go.Bar(x=[1], texttemplate="%{percent}|%{x}")) == ["|1"]  # not a trace property: empty
    assert shown_texts(go.Candlestick(x=[1, 2], text="a&lt;")) == ["a<", "a<"]  # no texttemplate property at all


def test_wrap_label_splits_at_single_spaces_only() -> None:
    assert wrap_label("a  b") == "a  b"
    assert wrap_label("a\nb") == "a\nb"


def test_panels_draw_each_panels_values() -> None:
    frame = pd.DataFrame({"name": ["가", "나"], "n": [88.0, 4.0], "unit": ["명", "회"]})
    fig = charts.panels(frame, "name", [("n", "실적")], "unit", title="p")
    assert [list(t.x) for t in fig.data] == [[88.0], [4.0]]


def test_a_trace_without_axes_is_passed_over() -> None:
    # a pie has no x or y axis (no yaxis, no y property): the category helpers skip it
    fig = go.Figure([go.Bar(y=["a"], x=[1], orientation="h"), go.Pie(values=[1], labels=["p"])])
    assert charts._categories(fig, "y") == ["a"]
    charts.fit_margins(fig)
    assert_labels(fig, [("a", "y", 0.5 - 11 / 392)])
    assert fig.layout.bargap == near(48 / 392)  # 2 x 24 x 1 / 392


def test_stacked_bars_a_missing_part_adds_nothing_to_the_total() -> None:
    """A NaN part (a source with no amount for a programme) is left out of the bar's total: 300 + nothing = '300'."""
    frame = pd.DataFrame({"c": ["A", "A", "B"], "s": ["국비", "시비", "국비"], "v": [300.0, float("nan"), 50.0]})
    fig = charts.stacked_bars(frame, "c", "s", "v", title="t", unit="천원", order=["국비", "시비"])
    total = fig.data[-1]
    assert list(total.x) == [300.0, 50.0] and list(total.text) == ["300", "50"]
    assert fig.layout.xaxis.range[1] == fig.layout.xaxis.range[1]  # a number, not NaN


def test_timeline_has_its_months_on_top() -> None:
    """A timeline is taller than a screen: its months and the as-of label are above the plot, where it is first seen,
    under the heading; its legend stays under the plot, as every chart's does, and nothing else is kept there."""
    frame = pd.DataFrame({"name": ["가", "나"], "start": [6.0, 7.0], "end": [8.0, 9.0], "team": ["청년지원팀", "상생기업팀"]})
    fig = charts.month_timeline(frame, "name", "start", "end", "team", title="일정", as_of_month=5)
    assert fig.layout.xaxis.side == "top"
    charts.fit_margins(fig, "출처")
    heading = 10 + 28 + 20 + 8  # pad, one title line, one subtitle line and its gap
    axis = 34 + 26  # the ticks and the axis title '(월)'
    legend = 24 + 8  # two teams in one row
    assert fig.layout.margin.t == heading + axis + 26  # 26: the as-of label above the axis
    assert fig.layout.margin.b == legend + 6
    marks = {a.text: a for a in fig.layout.annotations}
    assert {t: (a.yshift, a.y, a.yanchor) for t, a in marks.items()} == {"기준일": (axis, 1, "bottom"),
                                                                        "지난 달": (axis, 1, "bottom")}
    assert (fig.layout.legend.yref, fig.layout.legend.y, fig.layout.legend.yanchor) == ("container", 0, "bottom")
    footnote(fig, "주")
    charts.fit_margins(fig)
    note = next(a for a in fig.layout.annotations if a.name == "footnote")
    assert note.yshift == -4  # right under the plot: no axis there
    assert fig.layout.margin.b == 20 + 8 + legend + 6


def test_a_chart_with_its_axis_below_keeps_marks_and_legend_below() -> None:
    """The other charts keep the axis, the legend and the footnotes under the plot and their marks' labels on it."""
    frame = pd.DataFrame({"n": ["a", "b"], "r": [1.0, 2.0], "g": [0.0, 1.0], "s": ["ahead", "behind"]})
    pace = charts.pace_status_bars(frame, "n", "r", "g", "s", 4, title="t", description="d", mark_label="m",
                                   status_labels={"behind": "뒤처짐", "ahead": "앞섬"}, tolerance=1)
    charts.fit_margins(pace)
    assert pace.layout.xaxis.side is None and pace.layout.annotations[0].yshift is None
    assert (pace.layout.legend.y, pace.layout.legend.yanchor) == (0, "bottom")
    assert pace.layout.margin.t == 10 + 28 + 20 + 8 + 26
    assert pace.layout.margin.b == 34 + 26 + 24 + 8 + 6
