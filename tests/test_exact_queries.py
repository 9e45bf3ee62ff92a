"""Exact rows of ydp_data.queries on the real database (mutation testing, issue 16). Money and rates are the report's
(Ⅰ-4 p.2 예산현황, Ⅱ/Ⅲ 주요사업 예산, 천원): sums over teams and sources are added by hand from those figures
(e.g. 국비 888,976 + 200,500 = 1,089,476), rates are those sums' ratios rounded by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ydp_data import paths, queries
from ydp_data.build import build
from ydp_data.db import Database
from ydp_data.filters import Filters
from ydp_data.importer import import_report

REPORT = "ydp-jobs-2023-05"


def records(frame: object) -> list[dict[str, object]]:
    return frame.to_dict("records")  # type: ignore[attr-defined,no-any-return]


def test_division_budget(db: Database, all_filters: Filters) -> None:
    assert records(queries.division_budget(db, all_filters)) == [
        {"budget": 7_113_947, "executed": 2_677_482, "rate": 37.6}]


def test_budget_by_team(db: Database, all_filters: Filters) -> None:
    got = queries.budget_by_team(db, all_filters)
    assert records(got) == [
        {"team": "일자리사업팀", "budget": 3_658_781, "executed": 1_171_460, "rate": 32.0},
        {"team": "상생기업팀", "budget": 1_532_686, "executed": 505_020, "rate": 32.9},
        {"team": "청년지원팀", "budget": 881_580, "executed": 539_055, "rate": 61.1},
    ]


def test_budget_by_source(db: Database, all_filters: Filters) -> None:
    assert records(queries.budget_by_source(db, all_filters)) == [
        {"funding_source": "국비", "budget": 1_089_476, "executed": 446_992, "rate": 41.0},
        {"funding_source": "시비", "budget": 2_364_600, "executed": 769_482, "rate": 32.5},
        {"funding_source": "구비", "budget": 2_618_971, "executed": 999_061, "rate": 38.1},
    ]


def test_programs_budget_total(db: Database, all_filters: Filters) -> None:
    assert records(queries.programs_budget_total(db, all_filters)) == [
        {"budget": 6_073_047, "executed": 2_215_535, "rate": 36.5, "programs": 6}]
    youth_city = Filters(REPORT, ("청년지원팀",), ("시비",))
    assert records(queries.programs_budget_total(db, youth_city)) == [
        {"budget": 58_800, "executed": 23_986, "rate": 40.8, "programs": 1}]


NO_REPORT = Filters("no-such-report")


def test_report_and_its_year(db: Database, all_filters: Filters) -> None:
    got = queries.report(db, all_filters)
    assert {k: v for k, v in got.items() if k != "as_of"} == {
        "report_id": REPORT, "title": "일자리정책과 주요업무 보고", "district": "영등포구", "division": "일자리정책과",
        "elapsed_pct": 41.4}  # 151 of 365 days
    assert str(got["as_of"])[:10] == "2023-05-31"
    assert queries.report(db, NO_REPORT) == {}
    assert queries.previous_report(db, all_filters).empty
    assert queries.reports(db)["report_id"].tolist() == [REPORT]


def test_budget_by_program(db: Database, all_filters: Filters) -> None:
    got = queries.budget_by_program(db, all_filters)
    assert got[["program_id", "budget", "executed", "rate", "stated_rate_pct"]].values.tolist() == [
        ["Ⅱ-1", 207_151, 73_039, 35.3, 35.2], ["Ⅱ-2", 3_301_630, 1_015_987, 30.8, 30.8],
        ["Ⅱ-3", 1_532_686, 505_020, 32.9, 32.9], ["Ⅱ-4", 469_580, 227_955, 48.5, 48.5],
        ["Ⅲ-1", 150_000, 82_434, 55.0, 55.0], ["Ⅲ-2", 412_000, 311_100, 75.5, 75.5]]
    one = queries.budget_by_program(db, all_filters, "Ⅱ-3")
    assert one[["program_id", "title", "team", "budget"]].values.tolist() == [
        ["Ⅱ-3", "상생기업 자립 기반 지원", "상생기업팀", 1_532_686]]


def test_cost_per_result(db: Database, all_filters: Filters) -> None:
    got = queries.cost_per_result(db, all_filters)
    first = got.iloc[0]
    assert (first["program_id"], first["per"], first["results"], first["result_unit"]) == (
        "Ⅱ-1", "일자리플러스센터 취업자 1명", 420, "명")
    assert (first["budget_per_result"], first["executed_per_result"]) == (493.2, 173.9)  # 207,151 ÷ 420; 73,039 ÷ 420
    assert got["results"].tolist() == [420, 221, 52, 5496, 181, 56]


def test_annual_attainment_and_its_trend(db: Database, all_filters: Filters) -> None:
    got = queries.annual_attainment(db, all_filters)
    assert got[["program_id", "target_measure", "target", "actual", "actual_measure", "unit", "attainment_pct"]
               ].values.tolist() == [["Ⅱ-2", "목표인원", 448.0, 221.0, "선발인원", "명", 49.3],
                                     ["Ⅱ-3", "목표액", 45.0, 26.0, "구매 실적", "억원", 57.8]]
    trend = queries.attainment_trend(db, all_filters)
    assert trend["series"].tolist() == ["Ⅱ-2 목표인원 (명)", "Ⅱ-3 목표액 (억원)"]
    assert trend["report_id"].tolist() == [REPORT, REPORT]
    assert [str(d)[:10] for d in trend["as_of"]] == ["2023-05-31", "2023-05-31"]
    assert queries.attainment_trend(db, all_filters, ["Ⅱ-3"])["series"].tolist() == ["Ⅱ-3 목표액 (억원)"]
    youth = Filters(REPORT, ("청년지원팀",))
    assert queries.attainment_trend(db, youth)["series"].tolist() == []
    assert queries.attainment_trend(db, NO_REPORT).empty


def test_public_work(db: Database, all_filters: Filters) -> None:
    assert queries.public_work_people(db, all_filters)[["subprogram", "selected_h1", "target_h2"]].values.tolist() == [
        ["동행일자리", 181, 185], ["지역공동체일자리", 20, 20], ["청년드림나래", 20, 20]]
    halves = queries.public_work_halves(db, all_filters)
    assert halves[["subprogram", "stage", "value"]].values.tolist()[:2] == [
        ["동행일자리", "상반기 선발 (실적)", 181.0], ["동행일자리", "하반기 목표 (목표)", 185.0]]
    split = queries.split_by_source(db, all_filters, "Ⅱ-2", "예산")
    assert split[["category", "funding_source", "value", "category_total", "share_pct", "stated_ratio_pct"]
                 ].values.tolist()[:2] == [["동행일자리", "시비", 1888.0, 2698.0, 70.0, 70.0],
                                           ["동행일자리", "구비", 810.0, 2698.0, 30.0, 30.0]]


def test_part_of_whole(db: Database, all_filters: Filters) -> None:
    got = queries.part_of_whole(db, all_filters, "jobplus.employed", "jobplus.seekers", "jobplus.rate")
    assert got[["category", "part_measure", "whole_measure", "value", "whole", "unit", "rate_pct", "stated_rate_pct"]
               ].values.tolist() == [["일자리플러스센터", "취업자", "구직자", 420.0, 952.0, "명", 44.1, 44.1]]


def test_budget_outside_programs_and_stated_rates(db: Database, all_filters: Filters) -> None:
    assert queries.budget_outside_programs(db, all_filters)[["unit_program", "budget", "executed", "programs"]
                                                             ].values.tolist() == [
        ["지역일자리사업 지원", 393_180, 210_587, "Ⅱ-2"],  # 3,694,810 − 3,301,630; 1,226,574 − 1,015,987
        ["청년의 행복한 사회진입 환경조성", 474_758, 176_342, "Ⅱ-4·Ⅲ-2"],
        ["인력운영비", 90_594, 47_357, ""], ["기본경비", 82_368, 27_661, ""]]
    assert queries.stated_rates(db, all_filters)[["program_id", "rate", "stated_rate_pct"]].values.tolist() == [
        ["Ⅱ-1", 35.3, 35.2]]
    assert queries.stated_rates(db, Filters(REPORT, sources=("구비",))).empty


def test_staffing_and_tables(db: Database, all_filters: Filters) -> None:
    assert records(queries.staffing_total(db, all_filters)) == [{"authorized": 17, "current": 16, "difference": -1}]
    assert queries.staffing(db, all_filters)["difference"].tolist() == [0, 2, -3, 1, -1]
    assert len(queries.table(db, all_filters, "teams")) == 3
    try:
        queries.table(db, all_filters, "nope")
    except ValueError as exc:
        assert str(exc) == "unknown table 'nope'"
    else:
        raise AssertionError("an unknown table must be refused")


def test_facts_filters(db: Database, all_filters: Filters) -> None:
    got = queries.facts(db, all_filters, program_id="Ⅱ-1", measures=["취업자"])
    assert got[["measure", "value", "unit"]].values.tolist() == [["취업자", 420.0, "명"]]
    by_source = queries.facts(db, Filters(REPORT, sources=("시비",)), program_id="Ⅱ-2", measures=["예산"], by_source=True)
    assert by_source[["category", "funding_source", "value"]].values.tolist() == [
        ["동행일자리", "시비", 1888.0], ["지역공동체일자리", "시비", 152.0]]
    assert queries.programs(db, Filters(REPORT, ("상생기업팀",)))["program_id"].tolist() == ["Ⅱ-3"]
    assert queries.programs(db, all_filters, "Ⅲ-2")["program_id"].tolist() == ["Ⅲ-2"]


YOUTH_NATIONAL = Filters(REPORT, ("청년지원팀",), ("국비",))


def test_budget_by_unit_program(db: Database, all_filters: Filters) -> None:
    got = queries.budget_by_unit_program(db, all_filters)
    assert got[["unit_program", "budget", "executed", "rate", "stated_rate_pct"]].values.tolist() == [
        ["희망이 되는 안정적인 일자리지원", 357_151, 155_473, 43.5, 43.5], ["지역일자리사업 지원", 3_694_810, 1_226_574, 33.2, 33.2],
        ["사회적경제 활성화", 1_532_686, 505_020, 32.9, 32.9], ["청년의 행복한 사회진입 환경조성", 1_356_338, 715_397, 52.7, 52.7],
        ["인력운영비", 90_594, 47_357, 52.3, 52.3], ["기본경비", 82_368, 27_661, 33.6, 33.6]]


def test_one_team_and_one_source(db: Database) -> None:
    # 청년지원팀's only 국비 money is Ⅲ-2's 200,500 (all executed, Ⅲ-2 p.11)
    assert queries.budget_by_program_source(db, YOUTH_NATIONAL)[["program_id", "funding_source", "budget", "executed"]
                                                                 ].values.tolist() == [["Ⅲ-2", "국비", 200_500, 200_500]]
    assert queries.program_execution(db, YOUTH_NATIONAL)[["program_id", "rate", "elapsed_pct"]].values.tolist() == [
        ["Ⅲ-2", 100.0, 41.4]]
    trend = queries.execution_trend(db, YOUTH_NATIONAL)
    assert trend[["program_id", "series", "budget", "executed", "rate", "elapsed_pct", "gap"]].values.tolist() == [
        ["Ⅲ-2", "Ⅲ-2 4차산업 분야 등 다양한 청년취업 지원 활성화", 200_500, 200_500, 100.0, 41.4, 58.6]]
    assert queries.execution_trend(db, Filters(REPORT), ["Ⅱ-2"])[["program_id", "rate", "gap"]].values.tolist() == [
        ["Ⅱ-2", 30.8, -10.6]]


def test_program_execution_of_every_programme(db: Database, all_filters: Filters) -> None:
    got = queries.program_execution(db, all_filters)
    assert got[["program_id", "rate", "elapsed_pct"]].values.tolist() == [
        ["Ⅱ-1", 35.3, 41.4], ["Ⅱ-2", 30.8, 41.4], ["Ⅱ-3", 32.9, 41.4], ["Ⅱ-4", 48.5, 41.4], ["Ⅲ-1", 55.0, 41.4],
        ["Ⅲ-2", 75.5, 41.4]]
    # the budget and spending the rate is made of (Ⅱ·Ⅲ 각 사업 예산현황, p.3-10), whole 천원
    assert got[["program_id", "budget", "executed"]].values.tolist() == [
        ["Ⅱ-1", 207_151, 73_039], ["Ⅱ-2", 3_301_630, 1_015_987], ["Ⅱ-3", 1_532_686, 505_020], ["Ⅱ-4", 469_580, 227_955],
        ["Ⅲ-1", 150_000, 82_434], ["Ⅲ-2", 412_000, 311_100]]
    assert str(got["budget"].dtype) == "int64" and str(got["executed"].dtype) == "int64"
    national = queries.program_execution(db, Filters(REPORT, sources=("국비",)))  # 국비 alone: Ⅱ-3 and Ⅲ-2
    assert national[["program_id", "budget", "executed", "rate"]].values.tolist() == [
        ["Ⅱ-3", 888_976, 246_492, 27.7], ["Ⅲ-2", 200_500, 200_500, 100.0]]


def test_organisation_tables(db: Database, all_filters: Filters) -> None:
    assert queries.subprograms(db, all_filters, "Ⅱ-2")[["subprogram", "start_month", "end_month"]].values.tolist() == [
        ["동행일자리", 1, 6], ["지역공동체일자리", 2, 6], ["청년드림나래", 2, 6]]
    duties = queries.team_duties(db, YOUTH_NATIONAL)
    assert duties["team"].unique().tolist() == ["청년지원팀"] and duties["seq"].tolist() == list(range(1, 9))
    assert duties["duty"].iloc[0] == "청년 네트워크 운영"
    assert queries.team_duties(db, all_filters)["team"].unique().tolist() == ["일자리사업팀", "상생기업팀", "청년지원팀"]
    assert queries.facilities(db, all_filters)["facility_id"].tolist() == [
        "jobplus", "midlife", "workers", "studio", "socialeco", "orang", "building"]
    assert queries.facilities(db, YOUTH_NATIONAL)["facility_id"].tolist() == ["orang", "building"]
    assert queries.facility_parts(db, YOUTH_NATIONAL).empty
    assert set(queries.facility_parts(db, all_filters)["name"]) == {"일자리플러스센터", "노동자종합지원센터", "스튜디오 영원",
                                                                    "사회적경제지원센터"}  # Ⅰ-3 p.2
    assert queries.equipment(db, all_filters)[["name", "model_year", "quantity", "team"]].values.tolist() == [
        ["소울EV", 2018, 1, "일자리사업팀"]]
    assert queries.equipment(db, YOUTH_NATIONAL).empty
    plans = queries.plans(db, YOUTH_NATIONAL)
    assert len(plans) == 20 and plans["plan_id"].iloc[0] == "Ⅱ-4.01" and plans["plan_id"].iloc[-1] == "Ⅲ-2.09"


def test_checks_failures_first(db: Database, all_filters: Filters) -> None:
    got = queries.checks(db, all_filters)
    assert got["check_id"].tolist()[:5] == ["program.Ⅱ-1.rate", "publicwork.target.annual", "publicwork.budget.program",
                                            "publicwork.budget.program.구비", "procurement.rate"]
    assert set(got["status"].iloc[:5]) == {"fail"} and set(got["status"].iloc[5:]) == {"pass"}
    one = queries.checks(db, all_filters, "jobplus.rate")
    assert one[["status", "check_id", "expected", "computed", "gap", "unit"]].values.tolist() == [
        ["pass", "jobplus.rate", 44.1, 44.1176, 0.0176, "%"]]  # 420 ÷ 952 = 44.1176%


# --- two report periods: the real May report and the test-only December fixture (tests/fixtures/report_2023_12_test) --
DECEMBER = "test-ydp-jobs-2023-12"


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory: pytest.TempPathFactory) -> Database:
    work = tmp_path_factory.mktemp("two")
    shutil.copytree(Path(paths.ROOT) / "datasets", work / "datasets")
    import_report(Path(paths.ROOT) / "tests" / "fixtures" / "report_2023_12_test", work / "datasets")
    build(work / "datasets", work / "ydp.duckdb")
    return Database(work / "ydp.duckdb")


def test_attainment_trend_of_two_periods_is_numbered_row_by_row(two_periods: Database) -> None:
    """One row per period and target, numbered 0…3 (not 0, 1, 0, 1: a repeated index makes .loc return two rows).
    Ⅱ-2 목표인원 448명, 선발 221명 in both (May: report p.5; December fixture 181 + 20 + 20) = 49.3%;
    Ⅱ-3 목표액 45억원: May 26억원 = 57.8%, December 47억원 = 104.4%."""
    frame = queries.attainment_trend(two_periods, Filters(DECEMBER))
    assert frame.index.tolist() == [0, 1, 2, 3]
    assert [(r.report_id, r.program_id, float(r.target), float(r.actual), float(r.attainment_pct))
            for r in frame.itertuples()] == [
        (REPORT, "Ⅱ-2", 448.0, 221.0, 49.3), (REPORT, "Ⅱ-3", 45.0, 26.0, 57.8),
        (DECEMBER, "Ⅱ-2", 448.0, 221.0, 49.3), (DECEMBER, "Ⅱ-3", 45.0, 47.0, 104.4)]
    assert frame.loc[3, "actual"] == 47.0
