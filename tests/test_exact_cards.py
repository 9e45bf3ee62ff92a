"""A card's exact words and figures (ydp_data.cards.card_view): what a director reads on every headline card.

Expected values are typed from the report (Ⅰ-4 p.2: the division's budget 7,113,947천원) or worked out by hand, never
recomputed with the product's formatting. Fast and pure: the mutation tests' selection (setup.cfg) includes this file.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from ydp_data.cards import CardView, card_view, row_html, row_kind
from ydp_data.page_frame import PAGE_CSS

KO, EN = "한국어", "English"


def test_a_money_card_of_the_division_in_every_unit() -> None:
    # Ⅰ-4 p.2: 예산액 7,113,947천원
    assert card_view("예산액 과 전체", 7_113_947, lang=KO, money_unit="천원", kind="money") == CardView(
        "예산액 (과 전체, 천원)", "7,113,947")
    assert card_view("예산액 과 전체", 7_113_947, lang=KO, money_unit="백만원", kind="money") == CardView(
        "예산액 (과 전체, 백만원)", "7,113.9")
    assert card_view("예산액 과 전체", 7_113_947, lang=KO, money_unit="억원", kind="money") == CardView(
        "예산액 (과 전체, 억원)", "71.14")
    assert card_view("예산액", 7_113_947, lang=KO, money_unit="천원", kind="money").label == "예산액 (천원)"
    assert card_view("예산액 과 전체", 7_113_947, lang=EN, money_unit="억원", kind="money") == CardView(
        "Budget, division (KRW 100M)", "71.14")


def test_a_money_fact_written_in_millions_is_restated_in_thousands_first() -> None:
    # a fact of 3.5 백만원 is 3,500천원; of 2 억원, 200,000천원 (and 2,000 백만원)
    assert card_view("지원액", 3.5, lang=KO, money_unit="천원", kind="money", unit="백만원").value == "3,500"
    assert card_view("지원액", 2, lang=KO, money_unit="백만원", kind="money", unit="억원").value == "200.0"
    assert card_view("지원액", 2, lang=KO, money_unit="천원", kind="money", unit="억원",
                     previous=1.5).delta == "50,000"  # (2 - 1.5) 억원 = 50,000천원


def test_a_change_since_the_previous_report() -> None:
    up = card_view("집행액 과 전체", 2_500_000, lang=KO, money_unit="천원", kind="money", previous=2_000_000)
    assert (up.delta, up.arrow, up.color) == ("500,000", "up", "green")
    down = card_view("집행률 (과 전체)", 35.3, lang=KO, money_unit="천원", kind="pct", previous=45.9)
    assert (down.value, down.delta, down.arrow, down.color) == ("35.3%", "△10.6%p", "down", "red")
    same = card_view("오랑 방문자", 5496, lang=KO, money_unit="천원", unit="명", previous=5496)
    assert (same.value, same.delta, same.arrow, same.color) == ("5,496명", "0명", "off", "gray")
    fewer = card_view("오랑 방문자", 5496, lang=KO, money_unit="천원", unit="명", previous=5500.5)
    assert (fewer.delta, fewer.arrow, fewer.color) == ("△4.5명", "down", "red")


def test_no_change_without_both_figures() -> None:
    for value, previous in ((100.0, None), (None, 100.0), (100.0, math.nan), (pd.NA, 100.0), (None, None)):
        got = card_view("예산액", value, lang=KO, money_unit="천원", kind="money", previous=previous)
        assert (got.delta, got.arrow, got.color) == (None, "auto", "normal"), (value, previous)


def test_a_missing_figure_is_a_dash_in_every_kind() -> None:
    for kind in ("money", "pct", "count"):
        for missing in (None, math.nan, pd.NA):
            assert card_view("x", missing, lang=KO, money_unit="천원", kind=kind, unit="명").value == "-"


def test_counts_with_their_unit_and_decimals() -> None:
    assert card_view("오랑 방문자", 5496, lang=KO, money_unit="천원", unit="명").value == "5,496명"
    assert card_view("교육 시간", 2.5, lang=KO, money_unit="천원", unit="시간").value == "2.5시간"
    assert card_view("횟수", 12, lang=KO, money_unit="억원").value == "12"


def test_in_english_a_count_takes_its_unit_into_the_label() -> None:
    got = card_view("오랑 방문자", 5496, lang=EN, money_unit="천원", unit="명", previous=5000)
    assert (got.label, got.value, got.delta) == ("오랑 방문자 (persons)", "5,496", "496")
    assert card_view("청년지원팀", 3, lang=EN, money_unit="천원").label == "Youth Support Team"  # translated
    # a report name without a translation keeps the Korean beside its English name
    assert card_view("1일 근로시간(최소)", 3, lang=EN, money_unit="천원", unit="시간").label == (
        "Daily hours (min) (1일 근로시간(최소)) (hours)")
    assert card_view("예산액", 1, lang=EN, money_unit="천원", kind="pct").label == "Budget"


def test_a_target_says_so() -> None:
    assert card_view("취업자", 420, lang=KO, money_unit="천원", unit="명", target=True).label == "취업자 목표"
    assert card_view("예산액", 420, lang=EN, money_unit="천원", unit="명", target=True).label == "Budget, target (persons)"


@pytest.mark.parametrize(("kind", "shown"), [("pct", "41.4%"), ("count", "41.4"), ("money", "41")], ids=["pct", "count", "money"])
def test_the_kind_decides_the_format(kind: str, shown: str) -> None:
    assert card_view("경과율", 41.4, lang=KO, money_unit="천원", kind=kind).value == shown


def test_small_and_odd_changes() -> None:
    # 41.9% against 41.4%: up by 0.5%p, green (a rise under one point is still a rise)
    assert card_view("집행률", 41.9, lang=KO, money_unit="천원", kind="pct", previous=41.4) == CardView(
        "집행률", "41.9%", "0.5%p", "up", "green")
    # whole odd counts keep no decimal: 181명 (Ⅲ-1, p.10), one more than 180
    got = card_view("교육생", 181, lang=KO, money_unit="천원", unit="명", previous=180)
    assert (got.value, got.delta) == ("181명", "1명")


def test_a_money_label_with_its_scope_in_brackets() -> None:
    assert card_view("예산액 (주요사업)", 1_000, lang=KO, money_unit="백만원", kind="money").label == "예산액 (주요사업, 백만원)"
    assert card_view("예산액 ( )", 1_000, lang=KO, money_unit="천원", kind="money").label == "예산액 (천원)"


def test_in_english_a_unit_without_an_english_name_is_kept() -> None:
    assert card_view("x", 3, lang=EN, money_unit="천원", unit="쪽").label == "x (쪽)"


# --- a row of cards as HTML (ydp_data.cards.row_html): exact, and text from the data never markup ------------------
def test_a_row_of_cards_in_html() -> None:
    """Ⅰ-4 p.2: the division's budget 7,113,947천원 and its rate 37.6%; the elapsed year with what it is (help)."""
    row = row_html([
        CardView("예산액 (과 전체, 천원)", "7,113,947", note="주요사업이 85.4%를 차지합니다."),
        CardView("집행률 (과 전체)", "94.6%", "57.0%p", "up", "green", since="2023-05-31 대비"),
        CardView("이용인원", "5,000명", "△496명", "down", "red", since="2023-05-31 대비"),
        CardView("연중 경과율", "41.4%", "0", "off", "gray", help="기준일까지 지난 날 ÷ 그해의 날 수"),
    ])
    assert row == (
        '<div class="ydp-cards ydp-cards-4">'
        '<div class="ydp-card"><p class="ydp-card-label">예산액 (과 전체, 천원)</p>'
        '<p class="ydp-card-value">7,113,947</p><p class="ydp-card-note">주요사업이 85.4%를 차지합니다.</p></div>'
        '<div class="ydp-card"><p class="ydp-card-label">집행률 (과 전체)</p><p class="ydp-card-value">94.6%</p>'
        '<p class="ydp-card-delta ydp-card-green"><span aria-hidden="true">▲</span> 57.0%p '
        '<span class="ydp-card-since">2023-05-31 대비</span></p></div>'
        '<div class="ydp-card"><p class="ydp-card-label">이용인원</p><p class="ydp-card-value">5,000명</p>'
        '<p class="ydp-card-delta ydp-card-red"><span aria-hidden="true">▼</span> △496명 '
        '<span class="ydp-card-since">2023-05-31 대비</span></p></div>'
        '<div class="ydp-card"><p class="ydp-card-label">연중 경과율</p><p class="ydp-card-value">41.4%</p>'
        '<p class="ydp-card-help">기준일까지 지난 날 ÷ 그해의 날 수</p><p class="ydp-card-delta ydp-card-gray">0</p></div></div>')


def test_a_card_shows_any_text_as_text() -> None:
    """A label, note or help from the data with HTML, quotes or line breaks in it: escaped, on one line."""
    hostile = '<img src=x onerror="alert(1)"> & <b>굵게</b>\n# 제목'
    row = row_html([CardView(hostile, hostile, hostile, "up", "green", since=hostile, note=hostile, help=hostile)])
    escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;굵게&lt;/b&gt; # 제목"
    assert row.count(escaped) == 6 and "<img" not in row and "<b>" not in row and "\n" not in row
    assert f'<p class="ydp-card-help">{escaped}</p>' in row and "title=" not in row


def test_no_cards_is_an_empty_row() -> None:
    assert row_html([]) == '<div class="ydp-cards ydp-cards-0"></div>'


def test_a_rows_kind_says_what_sets_its_least_height() -> None:
    """ui.card_row keys a row's box by its kind; page_frame.PAGE_CSS keeps that kind's least height until st.html has
    drawn the row (tests/e2e/test_layout_shift.py): every kind has its rule."""
    plain, changed = CardView("구직자", "952명"), CardView("취업자", "420명", "7명", "up", "green")
    noted = CardView("예산액 (천원)", "207,151", note="과 전체 예산의 2.9%입니다.")
    helped = CardView("연중 경과율", "41.4%", help="기준일까지 지난 날 ÷ 그해의 날 수")
    assert [row_kind(r) for r in ([plain], [plain, changed], [noted, plain], [noted, changed], [], [plain, helped],
                                  [noted, changed, helped])] == [
        "plain", "changed", "noted", "full", "plain", "plain_helped", "full_helped"]
    heights = re.findall(r'\[class\*="st-key-card_row_(\w+)_"\] \{ --ydp-row-px: (\d+)px; \}', PAGE_CSS)
    assert dict(heights) == {"plain": "95", "changed": "123", "noted": "124", "full": "152"}
    # a helped row's key ('noted_helped_3') matches its kind's rule and adds the help's line
    assert '[class*="st-key-card_row_"][class*="_helped_"] { --ydp-help-px: 21px; }' in PAGE_CSS
    assert ('[class*="st-key-card_row_"] { min-height: calc(var(--ydp-row-px) + var(--ydp-help-px, 0px)); }'
            in PAGE_CSS)
