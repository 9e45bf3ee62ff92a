"""Exact reconciliation checks of ydp_data.checks (mutation testing, issue 16) on the real datasets: what the report
states against what its parts add up to, with the rounding rules written out by hand (73,039 ÷ 207,151 = 35.2588%)."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from ydp_data import paths
from ydp_data.checks import RATE_TOLERANCE, Check, rate, run_checks
from ydp_data.importer import import_report
from ydp_data.load import load_datasets

REPORT = "ydp-jobs-2023-05"


@pytest.fixture()
def checks() -> dict[str, Check]:
    """Run for each test (not once per module): mutmut maps a mutated function to the tests that call it, and a
    module-scoped fixture would be counted for the first test only."""
    found = run_checks(load_datasets(Path(paths.ROOT) / "datasets"))
    return {c.check_id: c for c in found if c.report_id == REPORT}


def test_rate() -> None:
    assert rate(73_039, 207_151) == Decimal("35.2588")
    assert rate(1, 3) == Decimal("33.3333")
    assert rate(2, 3) == Decimal("66.6667")
    assert rate(5, 0) == Decimal(0)
    # an exact half at the fifth decimal rounds up: 1 × 100 ÷ 2,000,000 = 0.00005 → 0.0001 (half-even would give 0.0000)
    assert rate(1, 2_000_000) == Decimal("0.0001")
    assert rate(3, 2_000_000) == Decimal("0.0002")  # 0.00015 → 0.0002 either way
    assert RATE_TOLERANCE == Decimal("0.05")


def test_check_rows_and_relations() -> None:
    equal = Check("r", "c", "cat", "d", Decimal(10), Decimal("10.05"), Decimal("0.05"), "%", "s")
    assert equal.difference == Decimal("0.05") and equal.passed
    assert equal.row() == {"report_id": "r", "check_id": "c", "category": "cat", "description": "d",
                           "expected": Decimal(10), "computed": Decimal("10.05"), "tolerance": Decimal("0.05"),
                           "unit": "%", "source": "s", "note": "", "relation": "=", "difference": Decimal("0.05"),
                           "status": "pass"}
    assert not Check("r", "c", "cat", "d", Decimal(10), Decimal("9.94"), Decimal("0.05"), "%", "s").passed
    at_most = Check("r", "c", "cat", "d", Decimal(10), Decimal(3), Decimal(0), "천원", "s", relation="≤")
    assert at_most.passed and at_most.row()["status"] == "pass"
    assert not Check("r", "c", "cat", "d", Decimal(10), Decimal(11), Decimal(0), "천원", "s", relation="≤").passed
    assert Check("r", "c", "cat", "d", Decimal(10), Decimal(11), Decimal(1), "천원", "s", relation="≤").passed
    assert Check("r", "c", "cat", "d", Decimal(10), Decimal(11), Decimal(0), "천원", "s").row()["status"] == "fail"


def test_program_rate_of_the_report_slip(checks: dict[str, Check]) -> None:
    c = checks["program.Ⅱ-1.rate"]
    assert (c.category, c.description, c.expected, c.computed, c.tolerance, c.unit, c.source, c.note, c.relation) == (
        "주요사업 예산", "Ⅱ-1 집행률 = 집행액 ÷ 예산액", Decimal("35.2"), Decimal("35.2588"), Decimal("0.05"), "%",
        "Ⅱ-1, p.4", "", "=")
    assert not c.passed


# One row per kind of check the checker writes. The figures are the report's: 7,113,947 / 2,677,482 (Ⅰ-4 p.2,
# 2,677,482 ÷ 7,113,947 = 37.6371%), 정원 17 / 현원 16 (Ⅰ-2), 427.63㎡ and 684㎡ (Ⅰ-3), 선발 221 + 하반기 225 against
# 448 (Ⅱ-2 p.5), 세부사업 예산 2,698 + 203 + 694 백만원 against 3,301,630천원, 구매 26억원 ÷ 목표 45억원 = 57.7778%,
# 취업자 420 ÷ 구직자 952 = 44.1176%, 교육인원 181 in 4 fields (Ⅲ-1 p.10).
ROWS = [
    ('budget.total.budget', '예산현황', '단위사업 예산액의 합 = 계 예산액', '7113947', '7113947', '0', '천원', 'Ⅰ-4, p.2', '', '=', 'pass'),
    ('budget.total.executed', '예산현황', '단위사업 집행액의 합 = 계 집행액', '2677482', '2677482', '0', '천원', 'Ⅰ-4, p.2', '', '=', 'pass'),
    ('budget.total.rate', '예산현황', '계 집행률 = 집행액 ÷ 예산액', '37.6', '37.6371', '0.05', '%', 'Ⅰ-4, p.2', '', '=', 'pass'),
    ('budget.unit.인력운영비.rate', '예산현황', '인력운영비 집행률 = 집행액 ÷ 예산액', '52.3', '52.2739', '0.05', '%', 'Ⅰ-4, p.2', '', '=', 'pass'),
    ('staffing.total.authorized', '인력', '직급별 정원의 합 = 계 정원', '17', '17', '0', '명', 'Ⅰ-2, p.1', '', '=', 'pass'),
    ('staffing.total.current', '인력', '직급별 현원의 합 = 계 현원', '16', '16', '0', '명', 'Ⅰ-2, p.1', '', '=', 'pass'),
    ('staffing.total.difference', '인력', '직급별 과부족의 합 = 계 과부족', '-1', '-1', '0', '명', 'Ⅰ-2, p.1', '', '=', 'pass'),
    ('staffing.일반직.7급.difference', '인력', '일반직 7급 과부족 = 현원 − 정원', '-3', '-3', '0', '명', 'Ⅰ-2, p.1', '', '=', 'pass'),
    ('teams.count', '조직', '팀 수 = 팀 목록의 수', '3', '3', '0', '개팀', 'Ⅰ-1, p.1', '', '=', 'pass'),
    ('facility.workers.area', '주요시설', '노동자종합지원센터 층별 면적의 합 = 사용면적', '427.63', '427.63', '0', '㎡', 'Ⅰ-3, p.2', '', '=', 'pass'),
    ('facility.socialeco.area', '주요시설', '사회적경제지원센터 층별 면적의 합 = 연면적', '684', '684', '0', '㎡', 'Ⅰ-3, p.2', '', '=', 'pass'),
    ('program.Ⅱ-2.budget', '주요사업 예산', 'Ⅱ-2 공공분야 일자리 창출을 통한 고용안정 지원: 재원별 예산액의 합 = 예산액', '3301630', '3301630', '0', '천원', 'Ⅱ-2, p.5', '', '=', 'pass'),
    ('program.Ⅱ-2.executed', '주요사업 예산', 'Ⅱ-2 공공분야 일자리 창출을 통한 고용안정 지원: 재원별 집행액의 합 = 집행액', '1015987', '1015987', '0', '천원', 'Ⅱ-2, p.5', '', '=', 'pass'),
    ('program.Ⅲ-1.rate', '주요사업 예산', 'Ⅲ-1 집행률 = 집행액 ÷ 예산액', '55.0', '54.9560', '0.05', '%', 'Ⅲ-1, p.10', '', '=', 'pass'),
    ('budget.unit.희망이 되는 안정적인 일자리지원.programs', '주요사업 예산', '희망이 되는 안정적인 일자리지원: 주요사업(Ⅱ-1, Ⅲ-1) 예산 합계 ≤ 단위사업 예산', '357151', '357151', '0', '천원', 'Ⅰ-4, p.2', '주요사업이 단위사업 예산의 전액을 차지 (사업-단위사업 대응은 금액으로 추정)', '≤', 'pass'),
    ('budget.unit.지역일자리사업 지원.programs', '주요사업 예산', '지역일자리사업 지원: 주요사업(Ⅱ-2) 예산 합계 ≤ 단위사업 예산', '3694810', '3301630', '0', '천원', 'Ⅰ-4, p.2', '주요사업이 단위사업 예산의 89.4%를 차지 (사업-단위사업 대응은 금액으로 추정)', '≤', 'pass'),
    ('publicwork.selected.total', '공공분야 일자리', '세부사업별 상반기 선발인원의 합 = 총 선발인원', '221', '221', '0', '명', 'Ⅱ-2, p.5', '', '=', 'pass'),
    ('publicwork.target.annual', '공공분야 일자리', '연간 목표인원 = 상반기 선발인원 + 하반기 목표인원', '448', '446', '0', '명', 'Ⅱ-2, p.5', '상반기 선발 221명 + 하반기 목표 225명 (보고서 p.5의 두 표)', '=', 'fail'),
    ('publicwork.community.budget.sources', '공공분야 일자리', '지역공동체일자리 예산: 재원별 금액의 합 = 예산', '203', '203', '0', '백만원', 'Ⅱ-2, p.5', '', '=', 'pass'),
    ('publicwork.community.ratio.시비', '공공분야 일자리', '지역공동체일자리 재원비율 시비 = 시비 예산 ÷ 예산', '75', '74.8768', '0.5', '%', 'Ⅱ-2, p.5', '재원비율은 정수(%)로 적혀 있어 ±0.5%p까지 같은 값으로 봄', '=', 'pass'),
    ('publicwork.budget.program', '공공분야 일자리', '세부사업 예산(백만원)의 합 = Ⅱ-2 예산액', '3301630', '3595000', '1500', '천원', 'Ⅱ-2, p.5', '세부사업 예산은 백만원 단위로 반올림되어 세부사업당 ±500천원을 허용', '=', 'fail'),
    ('publicwork.budget.program.구비', '공공분야 일자리', '세부사업 구비 예산(백만원)의 합 = Ⅱ-2 구비 예산액', '1261217', '1555000', '1500', '천원', 'Ⅱ-2, p.5', '백만원 반올림으로 항목당 ±500천원 허용', '=', 'fail'),
    ('publicwork.budget.program.시비', '공공분야 일자리', '세부사업 시비 예산(백만원)의 합 = Ⅱ-2 시비 예산액', '2040413', '2040000', '1000', '천원', 'Ⅱ-2, p.5', '백만원 반올림으로 항목당 ±500천원 허용', '=', 'pass'),
    ('grants.specialists.amount.sources', '상생기업 재정지원', '전문인력 지원사업 지원액: 재원별 금액의 합 = 지원액', '90', '90', '0', '백만원', 'Ⅱ-3, p.6', '', '=', 'pass'),
    ('procurement.rate', '상생기업 재정지원', '공공구매 달성률 = 구매 실적 ÷ 목표액', '57', '57.7778', '0.5', '%', 'Ⅱ-3, p.6', '26억원 ÷ 45억원. 실적이 억원 단위로 반올림되어 있어 차이가 날 수 있음', '=', 'fail'),
    ('jobplus.rate', '일자리플러스센터', '취업률 = 취업자 ÷ 구직자', '44.1', '44.1176', '0.05', '%', 'Ⅱ-1, p.4', '', '=', 'pass'),
    ('orang.programs.sessions', '사업 실적', '오랑 프로그램 유형별 횟수의 합 = 프로그램 운영 횟수', '21', '21', '0', '회', 'Ⅱ-4, p.8', '', '=', 'pass'),
    ('building.regular.sessions', '사업 실적', '청년건축학교 과정별 횟수의 합 = 정규교육 횟수', '4', '4', '0', '회', 'Ⅱ-4, p.8', '', '=', 'pass'),
    ('building.regular.participants', '사업 실적', '청년건축학교 과정별 인원의 합 = 정규교육 인원', '40', '40', '0', '명', 'Ⅱ-4, p.8', '', '=', 'pass'),
    ('training.participants', '사업 실적', '분야별 교육인원의 합 = 교육인원', '181', '181', '0', '명', 'Ⅲ-1, p.10', '', '=', 'pass'),
    ('training.fields', '사업 실적', '분야별 실적의 수 = 분야 수', '4', '4', '0', '개 분야', 'Ⅲ-1, p.10', '', '=', 'pass'),
]


# ASCII ids (the check id with other characters as "_", numbered): mutmut 3.8.1 could not find the tests by their
# Korean ids when it collected their statistics ("Failed to run pytest with args", pytest exit code 4)
@pytest.mark.parametrize("row", ROWS, ids=[f"{n:02d}-{re.sub(r'[^!-~]+', '_', r[0])}" for n, r in enumerate(ROWS)])
def test_check_row(checks: dict[str, Check], row: tuple[str, ...]) -> None:
    c = checks[row[0]]
    assert (c.check_id, c.category, c.description, str(c.expected), str(c.computed), str(c.tolerance), c.unit,
            c.source, c.note, c.relation, c.row()["status"]) == row


def test_every_check_of_the_report(checks: dict[str, Check]) -> None:
    assert len(checks) == 66
    prefixes = sorted({c.check_id.split(".")[0] for c in checks.values()})
    assert prefixes == ["budget", "building", "facility", "grants", "jobplus", "orang", "procurement", "program",
                        "publicwork", "staffing", "teams", "training"]
    assert sum(1 for c in checks.values() if c.check_id.startswith("budget.unit.") and c.check_id.endswith(".rate")) == 6
    assert sum(1 for c in checks.values() if c.check_id.endswith(".programs")) == 4
    assert sum(1 for c in checks.values() if ".ratio." in c.check_id) == 5
    assert sum(1 for c in checks.values() if c.check_id.startswith("grants.")) == 4
    assert sorted(c.check_id for c in checks.values() if not c.passed) == sorted([
        "program.Ⅱ-1.rate", "publicwork.target.annual", "publicwork.budget.program", "publicwork.budget.program.구비",
        "procurement.rate"])


def checks_without(tmp_path: Path, filename: str, pattern: str, rows: int) -> dict[str, Check]:
    """The real report's checks by id, run on a copy of datasets/ whose file lost its `rows` lines matching pattern."""
    target = tmp_path / "datasets"
    shutil.copytree(Path(paths.ROOT) / "datasets", target)
    lines = (target / filename).read_text(encoding="utf-8-sig").splitlines()
    kept = [line for line in lines if not re.search(pattern, line)]
    assert len(lines) - len(kept) == rows
    (target / filename).write_text("\n".join(kept) + "\n", encoding="utf-8")
    return {c.check_id: c for c in run_checks(load_datasets(target)) if c.report_id == REPORT}


def public_work_facts(suffix: str) -> str:
    """The three publicwork.*<suffix> fact rows of the p.5 table: 동행일자리, 지역공동체, 꿈나래 (Ⅱ-2)."""
    return rf"^[^,]*,publicwork\.[^,]*{re.escape(suffix)},"


def test_no_selected_facts_no_sum_of_them(tmp_path: Path) -> None:
    """Without the three 상반기 선발인원 facts there is nothing to add up: no 총 선발인원 check and no annual target
    check (not a sum of 0명 against the stated 221명 and 448명)."""
    found = checks_without(tmp_path, "facts.csv", public_work_facts(".selected"), 3)
    assert "publicwork.selected.total" not in found and "publicwork.target.annual" not in found
    assert len(found) == 64


def test_no_second_half_targets_no_annual_target_check(tmp_path: Path) -> None:
    """Without the three 하반기 목표인원 facts the annual target (448명) is not checked against 221명 + 0명."""
    found = checks_without(tmp_path, "facts.csv", public_work_facts(".target_h2"), 3)
    assert "publicwork.target.annual" not in found
    assert found["publicwork.selected.total"].computed == Decimal(221)
    assert len(found) == 65


def checks_of_units(tmp_path: Path, lines: list[str]) -> dict[str, Check]:
    target = tmp_path / "datasets"
    shutil.copytree(Path(paths.ROOT) / "datasets", target)
    (target / "budget_units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {c.check_id: c for c in run_checks(load_datasets(target)) if c.report_id == REPORT}


def test_a_unit_rate_check_cites_its_own_unit(tmp_path: Path) -> None:
    """Each unit programme's rate check cites that unit's page (here a second unit moved to p.3), not the first's."""
    lines = (Path(paths.ROOT) / "datasets" / "budget_units.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[2] == 'ydp-jobs-2023-05,지역일자리사업 지원,2,3694810,1226574,33.2,"Ⅰ-4, p.2"'
    lines[2] = lines[2].replace('"Ⅰ-4, p.2"', '"Ⅰ-4, p.3"')
    found = checks_of_units(tmp_path, lines)
    assert found["budget.unit.지역일자리사업 지원.rate"].source == "Ⅰ-4, p.3"
    assert found["budget.unit.희망이 되는 안정적인 일자리지원.rate"].source == "Ⅰ-4, p.2"



def test_units_without_programmes_are_skipped_wherever_they_stand(tmp_path: Path) -> None:
    """인력운영비 (no 주요사업) moved to the top of budget_units.csv: the four units with programmes are still checked."""
    lines = (Path(paths.ROOT) / "datasets" / "budget_units.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[5].startswith("ydp-jobs-2023-05,인력운영비,")
    found = checks_of_units(tmp_path, [lines[0], lines[5], *lines[1:5], lines[6]])
    assert sorted(c for c in found if c.endswith(".programs")) == [
        "budget.unit.사회적경제 활성화.programs", "budget.unit.지역일자리사업 지원.programs",
        "budget.unit.청년의 행복한 사회진입 환경조성.programs", "budget.unit.희망이 되는 안정적인 일자리지원.programs"]


def test_a_programme_rate_cites_its_budget_rows(tmp_path: Path) -> None:
    """A programme's rate check cites the page of its budget rows (moved to p.3 here), not the programme's own."""
    target = tmp_path / "datasets"
    shutil.copytree(Path(paths.ROOT) / "datasets", target)
    text = (target / "program_budget.csv").read_text(encoding="utf-8-sig")
    assert text.count('"Ⅱ-1, p.4"') == 2
    (target / "program_budget.csv").write_text(text.replace('"Ⅱ-1, p.4"', '"Ⅱ-1, p.3"'), encoding="utf-8")
    found = {c.check_id: c for c in run_checks(load_datasets(target)) if c.report_id == REPORT}
    assert found["program.Ⅱ-1.rate"].source == "Ⅱ-1, p.3"


def test_a_programme_without_budget_rows_cites_itself(tmp_path: Path) -> None:
    """Ⅱ-4 without its budget rows: its rate check still runs (stated 48.5%, computed 0 of 0 = 0, so it fails) and
    cites the programme's own page, p.8."""
    found = checks_without(tmp_path, "program_budget.csv", ",Ⅱ-4,", 2)
    c = found["program.Ⅱ-4.rate"]
    assert (str(c.expected), str(c.computed), c.source, c.passed) == ("48.5", "0", "Ⅱ-4, p.8", False)


def test_without_the_stated_programme_budget_the_public_work_budget_is_not_checked(tmp_path: Path) -> None:
    """Without the stated Ⅱ-2 예산액 (3,301,630천원) there is nothing to hold the 세부사업 budgets against: the
    programme's own budget check and the three public-work budget checks (total, 시비, 구비) go; 66 - 4 = 62 remain."""
    found = checks_without(tmp_path, "stated_totals.csv", r",program\.Ⅱ-2\.budget,", 1)
    gone = {"program.Ⅱ-2.budget", "publicwork.budget.program", "publicwork.budget.program.시비",
            "publicwork.budget.program.구비"}
    assert not gone & set(found) and len(found) == 62


def test_every_report_is_checked(tmp_path: Path) -> None:
    """With the test-only December report imported beside the May one, both reports' checks are kept (66 for May)."""
    target = tmp_path / "datasets"
    shutil.copytree(Path(paths.ROOT) / "datasets", target)
    import_report(Path(paths.ROOT) / "tests" / "fixtures" / "report_2023_12_test", target)
    found = run_checks(load_datasets(target))
    assert sorted({c.report_id for c in found}) == ["test-ydp-jobs-2023-12", REPORT]
    assert sum(1 for c in found if c.report_id == REPORT) == 66
