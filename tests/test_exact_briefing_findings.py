"""Exact sentences of ydp_data.briefing_findings (mutation testing, issue 16), Korean and English, written out by
hand (221 / 448 = 49.33%; the staffing figures are made up to reach every branch)."""

from __future__ import annotations

from ydp_data import briefing_findings as bf

EN = "English"


def test_amount() -> None:
    assert bf.amount(420, "명") == "420명"
    assert bf.amount(70.5, "명") == "70.5명"
    assert bf.amount(420, "명", EN) == "420 persons"
    assert bf.amount(1234, "회", EN) == "1,234 times"
    assert bf.amount(3, "새단위", EN) == "3 새단위"


def test_month_and_names() -> None:
    assert bf.month_name(6) == "6월"
    assert bf.month_name(6, EN) == "June"
    assert bf.short_name("국비", EN) == "National"
    assert bf.short_name("국비") == "국비"
    assert bf.short_name("모름", EN) == "모름"


def test_share_of() -> None:
    assert bf.share_of(221, 448, "구직자", "취업자", "명", "일자리플러스센터") == (
        "일자리플러스센터: 구직자 448명 중 취업자 221명(49.3%).")
    assert bf.share_of(221, 448, "구직자", "취업자", "명") == "구직자 448명 중 취업자 221명(49.3%)."
    assert bf.share_of(221, 0, "구직자", "취업자", "명", "일자리플러스센터") == "일자리플러스센터: 구직자 수치가 보고서에 없습니다."
    assert bf.share_of(221, 0, "구직자", "취업자", "명") == "구직자 수치가 보고서에 없습니다."
    assert bf.share_of(221, 448, "구직자", "취업자", "명", "일자리플러스센터", EN) == (
        "Job Plus Center (일자리플러스센터): Employed (취업자) 221 persons of 448 persons Job seekers (구직자) (49.3%).")
    assert bf.share_of(221, 448, "구직자", "취업자", "명", lang=EN) == (
        "Employed (취업자) 221 persons of 448 persons Job seekers (구직자) (49.3%).")
    assert bf.share_of(221, 0, "구직자", "취업자", "명", "일자리플러스센터", EN) == (
        "Job Plus Center (일자리플러스센터): the report gives no figure for Job seekers (구직자).")


def test_report_discrepancy() -> None:
    assert bf.report_discrepancy("Ⅱ-1 집행률", 35.2, 35.26, "%", "Ⅱ-1, p.4", 1) == (
        "보고서 불일치: Ⅱ-1 집행률 — 보고서 35.2%, 계산 35.3% (Ⅱ-1, p.4).")
    assert bf.report_discrepancy("Ⅱ-1 집행률", 35.2, 35.26, "%", "Ⅱ-1, p.4", 1, EN) == (
        "Discrepancy in the report: Ⅱ-1 집행률 — report 35.2%, computed 35.3% (Ⅱ-1, p.4).")
    assert bf.report_discrepancy("합계", 12, 13.4, "명", "p.5", lang=EN) == (
        "Discrepancy in the report: 합계 — report 12 persons, computed 13 persons (p.5).")
    assert bf.report_discrepancy("합계", 12, 13.4, "명", "p.5") == "보고서 불일치: 합계 — 보고서 12명, 계산 13명 (p.5)."
    assert bf.report_discrepancy("합계", 12, 13, "새단위", "p.5", lang=EN) == (
        "Discrepancy in the report: 합계 — report 12 새단위, computed 13 새단위 (p.5).")


def test_no_budget() -> None:
    assert bf.no_budget(["국비", "시비"]) == "선택한 재원(국비·시비)의 예산이 이 사업에는 없습니다."
    assert bf.no_budget(["국비", "시비"], EN) == "The chosen funding sources (National, Seoul City) pay nothing here."


def test_filter_not_applied() -> None:
    assert bf.filter_not_applied(["팀", "재원"]) == "이 수치에는 팀·재원 구분이 없어 해당 필터가 적용되지 않습니다."
    assert bf.filter_not_applied(["팀"], "정원·현원") == "정원·현원에는 팀 구분이 없어 해당 필터가 적용되지 않습니다."
    assert bf.filter_not_applied(["팀", "재원"], "Posts and staff", EN) == (
        "Posts and staff: no team or funding source split, so that filter does not apply.")
    assert bf.filter_not_applied(["기타"], "X", EN) == "X: no 기타 split, so that filter does not apply."


def test_results() -> None:
    assert bf.results("오랑", [("이용인원", 5496, "명"), ("시설대관 횟수", 162, "회")]) == "오랑: 이용인원 5,496명, 시설대관 횟수 162회."
    assert bf.results("오랑", []) == "오랑: 선택한 필터에 해당하는 실적이 없습니다."
    assert bf.results("일자리플러스센터", [("이용인원", 5496, "명"), ("취업자", 162, "명")], EN) == (
        "Job Plus Center (일자리플러스센터): Visitors (이용인원) 5,496 persons, Employed (취업자) 162 persons.")
    assert bf.results("일자리플러스센터", [], EN) == "Job Plus Center (일자리플러스센터): no results for the chosen filters."


def test_staffing_gap() -> None:
    grades = [("6급", -2), ("7급", 1), ("8급", 0), ("9급", -1)]
    assert bf.staffing_gap(26, 24, grades) == "현원 24명은 정원 26명보다 2명 적습니다 (부족 6급 △2명, 9급 △1명; 초과 7급 +1명)."
    assert bf.staffing_gap(26, 26, []) == "현원 26명이 정원 26명과 같습니다."
    assert bf.staffing_gap(26, 27, [("7급", 1)]) == "현원 27명은 정원 26명보다 1명 많습니다 (초과 7급 +1명)."
    assert bf.staffing_gap(26, 25, [("6급", -1)]) == "현원 25명은 정원 26명보다 1명 적습니다 (부족 6급 △1명)."
    assert bf.staffing_gap(26, 24, grades, EN) == (
        "24 staff in post, 2 fewer than the 26 posts (short: grade 6 △2, grade 9 △1; over: grade 7 +1).")
    assert bf.staffing_gap(26, 26, [], EN) == "26 staff in post for 26 authorised posts."
    assert bf.staffing_gap(26, 27, [("7급", 1)], EN) == "27 staff in post, 1 more than the 26 posts (over: grade 7 +1)."
    two_over = [("6급", 1), ("7급", 2)]
    assert bf.staffing_gap(26, 29, two_over) == "현원 29명은 정원 26명보다 3명 많습니다 (초과 6급 +1명, 7급 +2명)."
    assert bf.staffing_gap(26, 29, two_over, EN) == "29 staff in post, 3 more than the 26 posts (over: grade 6 +1, grade 7 +2)."
    assert bf.staffing_gap(26, 25, [("6급", -1)], EN) == "25 staff in post, 1 fewer than the 26 posts (short: grade 6 △1)."


def test_plans_outlook() -> None:
    assert bf.plans_outlook(0, {}, 0) == "선택한 팀의 향후계획이 없습니다."
    assert bf.plans_outlook(0, {}, 0, EN) == "The chosen teams have no planned activities."
    assert bf.plans_outlook(5, {}, 5) == "향후계획 5건은 모두 시기가 적혀 있지 않습니다."
    assert bf.plans_outlook(5, {}, 5, EN) == "None of the 5 planned activities has a date."
    starts = {6: 3, 3: 3, 9: 1}  # a tie: the earlier month wins
    assert bf.plans_outlook(10, starts, 2) == (
        "향후계획 10건 중 3월에 시작하는 계획이 3건으로 가장 많습니다. 시기가 적히지 않은 계획이 2건 있습니다.")
    assert bf.plans_outlook(10, starts, 0) == "향후계획 10건 중 3월에 시작하는 계획이 3건으로 가장 많습니다."
    assert bf.plans_outlook(10, {9: 1, 6: 4}, 2, EN) == "Of 10 planned activities, most start in June (4). 2 have no date."
    assert bf.plans_outlook(10, {9: 1, 6: 4}, 0, EN) == "Of 10 planned activities, most start in June (4)."
