"""Exact sentences of ydp_data.findings (mutation testing, issue 16), in Korean and English: each expected text is
written out by hand (percentages worked out by hand: 221 / 448 = 49.33%, 3 / 8 = 37.5%), never built by the
product's own code."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ydp_data import findings

EN = "English"


def test_known() -> None:
    assert findings.known(None) is None
    assert findings.known(pd.NA) is None
    assert findings.known(math.nan) is None
    value = findings.known(3)
    assert value == 3.0 and isinstance(value, float)


def test_no_rows() -> None:
    assert findings.no_rows("facts") == "이 보고 시점에는 사업 실적·목표(facts.csv) 자료가 없어 그 수치를 보여 줄 수 없습니다."
    assert findings.no_rows("facts", EN) == (
        "This report has no rows in facts.csv (사업 실적·목표), so the figures drawn from it are not shown.")


@pytest.mark.parametrize(("word", "particle"), [("예산", "이"), ("주요사업", "이"), ("센터", "가"), ("", "가"), ("ABC", "이"),
                                                ("사업 ", "이"), ("힣", "이"), ("가", "가"), ("나라", "가")])
def test_subject_particle(word: str, particle: str) -> None:
    assert findings.subject_particle(word) == particle


@pytest.mark.parametrize(
    ("rate", "elapsed", "lang", "expected"),
    [(None, 41.4, "한국어", ""), (math.nan, 41.4, EN, ""),
     (41.42, 41.4, "한국어", "집행률 41.4%는 연중 경과율 41.4%와 같습니다."),
     (41.42, 41.4, EN, "Execution 41.4% equals the 41.4% of the year elapsed."),
     (37.6, 41.4, "한국어", "집행률 37.6%는 연중 경과율 41.4%보다 3.8%p 낮습니다."),
     (37.6, 41.4, EN, "Execution 37.6% is 3.8 points behind the 41.4% of the year elapsed."),
     (55.0, 41.4, "한국어", "집행률 55.0%는 연중 경과율 41.4%보다 13.6%p 높습니다."),
     (55.0, 41.4, EN, "Execution 55.0% is 13.6 points ahead of the 41.4% of the year elapsed."),
     (41.5, 41.4, "한국어", "집행률 41.5%는 연중 경과율 41.4%보다 0.1%p 높습니다."),
     (41.3, 41.4, EN, "Execution 41.3% is 0.1 points behind the 41.4% of the year elapsed.")],
)
def test_execution_against_year(rate: float | None, elapsed: float, lang: str, expected: str) -> None:
    assert findings.execution_against_year(rate, elapsed, lang) == expected


def test_execution_against_year_is_korean_by_default() -> None:
    assert findings.execution_against_year(37.6, 41.4) == "집행률 37.6%는 연중 경과율 41.4%보다 3.8%p 낮습니다."


def test_progress_against_target() -> None:
    assert findings.progress_against_target(221, 448, "선발", "명") == "선발: 목표 448명 중 221명(49.3%)."
    assert findings.progress_against_target(221, 0, "선발", "명") == "선발 목표가 보고서에 없습니다."
    assert findings.progress_against_target(221, 448, "선발인원", "명", EN) == (
        "Persons selected (선발인원): 221 persons of a 448 persons target (49.3%).")
    assert findings.progress_against_target(221, 0, "선발인원", "명", EN) == (
        "Persons selected (선발인원): the report gives no target.")
    assert findings.progress_against_target(3, 4, "x", "단위", EN) == "x: 3 단위 of a 4 단위 target (75.0%)."


def test_discrepancies() -> None:
    assert findings.discrepancies(0) == "보고서의 합계·비율이 모두 세부 항목과 일치합니다."
    assert findings.discrepancies(5) == "보고서 안에서 서로 맞지 않는 수치가 5건 있습니다. 데이터 페이지의 정합성 검사에서 확인하세요."
    assert findings.discrepancies(0, EN) == "Every total and rate in the report matches its parts."
    assert findings.discrepancies(5, EN) == "5 figures in the report do not add up; see the checks on the Data page."


def test_share_of_total() -> None:
    assert findings.share_of_total(3, 8, "주요사업") == "주요사업이 37.5%를 차지합니다."
    assert findings.share_of_total(3, 8, "센터") == "센터가 37.5%를 차지합니다."
    assert findings.share_of_total(3, 8, "주요사업", EN) == "The main programmes hold 37.5% of it."
    for part, whole in ((None, 8), (3, None), (math.nan, 8), (3, math.nan), (3, 0)):
        assert findings.share_of_total(part, whole, "주요사업") == ""


def test_spent_since() -> None:
    assert findings.spent_since(1500, "백만원", "2023-04-30") == "2023-04-30 이후 1.5백만원 집행."
    assert findings.spent_since(1500, "백만원", "2023-04-30", EN) == "1.5 KRW 1M spent since 2023-04-30."
    assert findings.spent_since(1500, "천원", None) is None
    assert findings.spent_since(None, "천원", "2023-04-30") is None
    assert findings.spent_since(math.nan, "천원", "2023-04-30") is None


def test_share_of_division() -> None:
    assert findings.share_of_division(207_151, 7_113_947) == "과 전체 예산의 2.9%입니다."
    assert findings.share_of_division(207_151, 7_113_947, EN) == "2.9% of the division's budget."
    for part, whole in ((None, 8), (3, None), (math.nan, 8), (3, math.nan), (3, 0)):
        assert findings.share_of_division(part, whole) == ""


def test_remaining() -> None:
    assert findings.remaining(134_112, "천원") == "남은 예산 134,112천원."
    assert findings.remaining(134_112, "백만원", EN) == "134.1 KRW 1M left to spend."


@pytest.mark.parametrize(("gap", "text"), [(-10.6, "△10.6%p"), (7.1, "+7.1%p"), (0, "0.0%p"), (-0.04, "0.0%p"),
                                          (0.04, "0.0%p"), (0.05, "+0.1%p")])
def test_signed_points(gap: float, text: str) -> None:
    assert findings.signed_points(gap) == text


def test_pace_headline() -> None:
    assert findings.pace_headline(0, 0) == ""
    assert findings.pace_headline(0, 0, EN) == ""
    assert findings.pace_headline(2, 6) == "2개 사업이 연중 경과율보다 뒤처짐"
    assert findings.pace_headline(0, 6) == "연중 경과율보다 뒤처진 사업 없음"
    assert findings.pace_headline(0, 6, EN) == "No programme behind the year's pace"
    assert findings.pace_headline(1, 6, EN) == "1 programme behind the year's pace"
    assert findings.pace_headline(2, 6, EN) == "2 programmes behind the year's pace"


def test_pace_scale() -> None:
    assert findings.PACE_TOLERANCE_PP == 5.0
    assert findings.pace_scale(41.4) == "연중 경과율 41.4% 대비, ±5%p 안은 경과율 수준으로 봅니다."
    assert findings.pace_scale(41.44, EN) == "Against 41.4% of the year elapsed; within ±5 points counts as on pace."


def test_pace_item() -> None:
    assert findings.pace_item("Ⅱ-2", "공공일자리", 30.8, -10.6) == "Ⅱ-2 공공일자리 집행률 30.8% — 경과율보다 △10.6%p"
    assert findings.pace_item("Ⅱ-3", "사회적경제 활성화", 57.8, 16.4, EN) == (
        "Ⅱ-3 Social economy (사회적경제 활성화): executed 57.8% — +16.4%p against the year's pace")


def test_attainment_item() -> None:
    assert findings.attainment_item("Ⅱ-3", "공공구매 활성화", "구매 실적", 26, 45, "억원", 57.8, 16.4) == (
        "Ⅱ-3 공공구매 활성화 구매 실적 26억원 / 목표 45억원 (57.8%) — 경과율보다 +16.4%p")
    assert findings.attainment_item("Ⅲ-2", "교육", "참여", 70.5, 100, "명", 70.5, 29.1) == (
        "Ⅲ-2 교육 참여 70.5명 / 목표 100.0명 (70.5%) — 경과율보다 +29.1%p")
    assert findings.attainment_item("Ⅲ-2", "교육", "참여", 70, 100.5, "명", 69.7, -0.5) == (
        "Ⅲ-2 교육 참여 70.0명 / 목표 100.5명 (69.7%) — 경과율보다 △0.5%p")
    assert findings.attainment_item("Ⅱ-1", "일자리플러스센터", "취업자", 221, 448, "명", 49.3, 7.9, EN) == (
        "Ⅱ-1 Job Plus Center (일자리플러스센터): Employed (취업자) 221 persons of a 448 persons target (49.3%) — "
        "+7.9%p against the year's pace")


def test_pace_breakdown() -> None:
    groups = [("뒤처짐", ["a", "b"]), ("앞섬", []), ("경과율 수준", ["c"])]
    assert findings.pace_breakdown(groups) == "뒤처짐: a · b; 경과율 수준: c."
    assert findings.pace_breakdown([("뒤처짐", [])]) == ""
    assert findings.pace_breakdown([]) == ""


def test_none_behind() -> None:
    assert findings.none_behind() == "연중 경과율보다 뒤처진 사업이 없습니다."
    assert findings.none_behind(EN) == "Nothing is behind the year's pace."


@pytest.mark.parametrize(("unit", "gap", "only_rounding"), [("%", 0.06, True), ("%", 0.1, False), ("%", -0.09, True),
                                                            ("천원", 0.0, False), ("%", -0.1, False), ("%", 0, True)])
def test_rounding_only(unit: str, gap: float, only_rounding: bool) -> None:
    assert findings.ROUNDING_PP == 0.1
    assert findings.rounding_only(unit, gap) is only_rounding


def checks_frame(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["status", "unit", "gap"])


def test_report_discrepancies() -> None:
    one = checks_frame([("fail", "%", 0.06), ("fail", "천원", 100.0), ("fail", "명", 2.0), ("pass", "%", 0.01)])
    assert findings.report_discrepancies(one) == (
        "보고서 안에서 서로 맞지 않는 수치가 2건 있습니다. 데이터 페이지의 정합성 검사에서 확인하세요."
        " 인쇄된 비율이 계산 값과 0.1%p 미만 다른 1건(끝수 처리)은 불일치로 세지 않습니다.")
    assert findings.report_discrepancies(one, EN) == (
        "2 figures in the report do not add up; see the checks on the Data page. 1 printed rate differs by less than "
        "0.1 points (rounding) and is not counted.")
    two = checks_frame([("fail", "%", 0.06), ("fail", "%", -0.04), ("fail", "명", 2.0)])
    assert findings.report_discrepancies(two, EN) == (
        "1 figure in the report does not add up; see the checks on the Data page. 2 printed rates differ by less than "
        "0.1 points (rounding) and are not counted.")
    none = checks_frame([("fail", "명", 2.0), ("pass", "%", 0.0)])
    assert findings.report_discrepancies(none) == (
        "보고서 안에서 서로 맞지 않는 수치가 1건 있습니다. 데이터 페이지의 정합성 검사에서 확인하세요.")
    assert findings.report_discrepancies(none, EN) == (
        "1 figure in the report does not add up; see the checks on the Data page.")


def test_target_without_actual() -> None:
    assert findings.target_without_actual() == "목표입니다: 보고서에는 아직 이 목표의 실적이 없습니다."
    assert findings.target_without_actual(EN) == "A target: the report gives no actual for it yet."


def outside_rows() -> pd.DataFrame:
    return pd.DataFrame({"unit_program": ["인력운영비", "희망이 되는 안정적인 일자리지원"], "budget": [500_000, 100_000],
                         "programs": ["", "Ⅱ-1"]})


def test_outside_programs() -> None:
    assert findings.outside_programs(outside_rows(), 7_113_947, "천원") == (
        "과 전체 예산 7,113,947천원 중 팀·재원 구분이 있는 것은 주요사업 6,513,947천원입니다. 빠진 600,000천원: "
        "인력운영비 500,000천원, 희망이 되는 안정적인 일자리지원 중 Ⅱ-1 밖 100,000천원 (주요사업과 단위사업의 대응은 금액으로 추정).")
    assert findings.outside_programs(outside_rows(), 7_113_947, "백만원", EN) == (
        "Of the division's 7,113.9 KRW 1M, only the main programmes' 6,513.9 have a team and funding source. "
        "Left out (600.0): Staff costs (인력운영비) 500.0 KRW 1M, Stable jobs that give hope (희망이 되는 안정적인 일자리지원) "
        "beyond Ⅱ-1 100.0 KRW 1M (programmes matched to unit programmes by their amounts).")
    assert findings.outside_programs(outside_rows(), None, "천원") == ""
    assert findings.outside_programs(outside_rows(), math.nan, "천원") == ""
    assert findings.outside_programs(outside_rows().iloc[0:0], 7_113_947, "천원") == ""


def test_gap_trend() -> None:
    assert findings.gap_trend("closing", -11.6, -7.1) == "직전 보고 △11.6%p → △7.1%p, 좁혀지는 중"
    assert findings.gap_trend("widening", -7.1, -11.6) == "직전 보고 △7.1%p → △11.6%p, 벌어지는 중"
    assert findings.gap_trend("steady", 2.0, 2.1) == "직전 보고 +2.0%p → +2.1%p, 비슷함"
    assert findings.gap_trend("closing", -11.6, -7.1, EN) == "since the report before △11.6%p → △7.1%p, closing"
    assert findings.gap_trend("widening", -7.1, -11.6, EN) == "since the report before △7.1%p → △11.6%p, widening"
    assert findings.gap_trend("steady", 0, 0, EN) == "since the report before 0.0%p → 0.0%p, holding steady"


def test_small_gaps_and_shares_to_one_decimal() -> None:
    assert findings.execution_against_year(42.0, 41.4, EN) == (
        "Execution 42.0% is 0.6 points ahead of the 41.4% of the year elapsed.")
    assert findings.share_of_division(50, 100) == "과 전체 예산의 50.0%입니다."
    assert findings.share_of_division(50, 100, EN) == "50.0% of the division's budget."
    assert findings.share_of_total(50, 100, "센터", EN) == "The main programmes hold 50.0% of it."
    assert findings.subject_particle("센터 ") == "가"


def test_attainment_item_in_english_keeps_decimals() -> None:
    assert findings.attainment_item("Ⅲ-2", "교육", "참여", 70.5, 100, "명", 70.5, 29.1, EN) == (
        "Ⅲ-2 교육: 참여 70.5 persons of a 100.0 persons target (70.5%) — +29.1%p against the year's pace")


def test_a_latin_final_letter_takes_i_whatever_its_code_point() -> None:
    # 'd' is U+0064: (0x64 - 0xAC00) % 28 == 0, the remainder of a Hangul syllable without a final consonant; outside
    # 가..힣 the rule is 이 all the same (a lower bound other than '가' would give 가 here)
    assert findings.subject_particle("Board") == "이"
    assert findings.subject_particle("ID") == "이"


def test_a_rate_printed_equal_to_the_year_elapsed_is_called_equal() -> None:
    # 41.449 - 41.4 = 0.049: rounded to one decimal 0.0 (equal); rounded to two it would be 0.05, "0.1 points ahead"
    # of a rate printed as the same 41.4%
    assert findings.execution_against_year(41.449, 41.4) == "집행률 41.4%는 연중 경과율 41.4%와 같습니다."
    assert findings.execution_against_year(41.449, 41.4, EN) == "Execution 41.4% equals the 41.4% of the year elapsed."
    assert findings.execution_against_year(41.351, 41.4, EN) == "Execution 41.4% equals the 41.4% of the year elapsed."


def test_an_attainment_in_a_unit_without_an_english_name_keeps_the_unit() -> None:
    assert findings.attainment_item("Ⅱ-1", "일자리플러스센터", "취업자", 3, 4, "단위", 75.0, 1.2, EN) == (
        "Ⅱ-1 Job Plus Center (일자리플러스센터): Employed (취업자) 3 단위 of a 4 단위 target (75.0%) — "
        "+1.2%p against the year's pace")
