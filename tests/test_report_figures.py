"""Every figure the 2023-05-31 report states is reproduced by the built DuckDB file.

The expected numbers below are typed from the report text (shared/seeds/000_e22fe2e50a55a497.txt),
never read back from datasets/. Money is in 천원 unless a literal says 백만원/억원; △ is negative.
The database is built once into a temporary folder and queried with plain SQL, read-only.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ydp_data.build import SCHEMA_VERSION, build
from ydp_data.datasets import SPECS

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
REPORT = "ydp-jobs-2023-05"
SOURCE_STRICT = re.compile(r"^[ⅠⅡⅢⅣⅤ](-\d+)?(\s\S.*)?, p\.\d+(-\d+)?$")
SOURCE_LOOSE = re.compile(r"^\S.*, p\.\d+(-\d+)?$")


# --- fixtures and helpers ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report_figures") / "ydp.duckdb"
    build(DATASETS, target)
    return target


@pytest.fixture(scope="module")
def con(report_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(report_db), read_only=True)
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


def one(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    found = rows(con, sql, params)
    assert len(found) == 1, f"expected exactly one row for {sql!r} {params!r}, got {found!r}"
    return found[0]


def pct1(part: int | Decimal, whole: int | Decimal) -> Decimal:
    """part ÷ whole in per cent, rounded half-up to 0.1 as the report prints rates."""
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def fact(con: duckdb.DuckDBPyConnection, category: str, measure: str, funding_source: str | None = None) -> Decimal:
    """The value of the one fact with this category and measure (and funding source, if given)."""
    if funding_source is None:
        sql = ("SELECT value FROM facts WHERE report_id = ? AND category = ? AND measure = ? "
               "AND funding_source IS NULL")
        return one(con, sql, [REPORT, category, measure])[0]
    sql = "SELECT value FROM facts WHERE report_id = ? AND category = ? AND measure = ? AND funding_source = ?"
    return one(con, sql, [REPORT, category, measure, funding_source])[0]


def stated(con: duckdb.DuckDBPyConnection, total_id: str) -> Decimal:
    return one(con, "SELECT value FROM stated_totals WHERE report_id = ? AND total_id = ?", [REPORT, total_id])[0]


# --- the report itself --------------------------------------------------------------------------
def test_report_row(con: duckdb.DuckDBPyConnection) -> None:
    district, division, as_of = one(con, "SELECT district, division, as_of FROM reports WHERE report_id = ?", [REPORT])
    assert (district, division, as_of) == ("영등포구", "일자리정책과", dt.date(2023, 5, 31))
    assert rows(con, "SELECT count(*) FROM reports") == [(1,)]


def test_build_info(con: duckdb.DuckDBPyConnection) -> None:
    info = rows(con, "SELECT schema_version, built_at, duckdb_version FROM build_info")
    assert len(info) == 1
    assert info[0][0] == SCHEMA_VERSION
    assert isinstance(info[0][1], dt.datetime)
    assert info[0][2] == duckdb.__version__


# --- Ⅰ-1 조직 -----------------------------------------------------------------------------------
def test_three_teams_in_report_order(con: duckdb.DuckDBPyConnection) -> None:
    teams = rows(con, "SELECT team FROM teams WHERE report_id = ? ORDER BY sort_order", [REPORT])
    assert [t for (t,) in teams] == ["일자리사업팀", "상생기업팀", "청년지원팀"]
    assert stated(con, "teams.count") == 3


@pytest.mark.parametrize(("team", "duties", "first", "last"), [
    ("일자리사업팀", 6, "일자리플러스센터 운영, 구인구직 발굴 및 연계", "직업소개소 관리"),
    ("상생기업팀", 6, "상생기업 재정지원", "스튜디오 영원 운영"),
    ("청년지원팀", 8, "청년 네트워크 운영", "4차산업분야 청년교육 지원"),
])
def test_team_duties(con: duckdb.DuckDBPyConnection, team: str, duties: int, first: str, last: str) -> None:
    found = [d for (d,) in rows(con, "SELECT duty FROM team_duties WHERE report_id = ? AND team = ? ORDER BY seq",
                                [REPORT, team])]
    assert len(found) == duties
    assert (found[0], found[-1]) == (first, last)


# --- Ⅰ-2 인력 -----------------------------------------------------------------------------------
# grade: (정원, 현원, 과부족) as printed; 5급's 과부족 is printed as '-'.
STAFFING = {"5급": (1, 1, 0), "6급": (4, 6, 2), "7급": (7, 4, -3), "8급": (3, 4, 1), "9급": (2, 1, -1)}


@pytest.mark.parametrize("grade", sorted(STAFFING))
def test_staffing_by_grade(con: duckdb.DuckDBPyConnection, grade: str) -> None:
    authorized, current, difference = STAFFING[grade]
    got = one(con, "SELECT authorized, current, stated_difference, current - authorized FROM staffing "
                   "WHERE report_id = ? AND job_series = '일반직' AND grade = ?", [REPORT, grade])
    assert got == (authorized, current, difference, difference)


def test_staffing_totals(con: duckdb.DuckDBPyConnection) -> None:
    # 계: 정원 17, 현원 16, 과부족 △1
    assert one(con, "SELECT sum(authorized), sum(current), sum(current - authorized), sum(stated_difference) "
                    "FROM staffing WHERE report_id = ?", [REPORT]) == (17, 16, -1, -1)
    assert (stated(con, "staffing.total.authorized"), stated(con, "staffing.total.current"),
            stated(con, "staffing.total.difference")) == (17, 16, -1)
    assert rows(con, "SELECT DISTINCT grade FROM staffing ORDER BY grade") == [(g,) for g in sorted(STAFFING)]


# --- Ⅰ-3 주요시설 및 장비 -------------------------------------------------------------------------
# name: (team, 연면적, 사용면적)
FACILITIES = {
    "일자리플러스센터": ("일자리사업팀", None, Decimal(49)),
    "중장년 일자리희망플랫폼": ("일자리사업팀", Decimal(182), None),
    "노동자종합지원센터": ("일자리사업팀", Decimal("825.91"), Decimal("427.63")),
    "스튜디오 영원": ("상생기업팀", Decimal(105), None),
    "사회적경제지원센터": ("상생기업팀", Decimal(684), None),
    "서울청년센터 영등포 오랑": ("청년지원팀", Decimal("502.6"), None),
    "청년건축학교": ("청년지원팀", Decimal("189.02"), None),
}


@pytest.mark.parametrize("name", list(FACILITIES))
def test_facility(con: duckdb.DuckDBPyConnection, name: str) -> None:
    got = one(con, "SELECT team, floor_area_m2, used_area_m2 FROM facilities WHERE report_id = ? AND name = ?",
              [REPORT, name])
    assert got == FACILITIES[name]


def test_facility_parts(con: duckdb.DuckDBPyConnection) -> None:
    def part_sum(name: str) -> Decimal:
        return one(con, "SELECT sum(p.area_m2) FROM facility_parts p JOIN facilities f USING (report_id, facility_id) "
                        "WHERE f.name = ?", [name])[0]

    def quantity(name: str, part: str) -> Decimal:
        return one(con, "SELECT p.quantity FROM facility_parts p JOIN facilities f USING (report_id, facility_id) "
                        "WHERE f.name = ? AND p.part = ?", [name, part])[0]

    assert part_sum("노동자종합지원센터") == Decimal("318.35") + Decimal("109.28") == Decimal("427.63")
    assert part_sum("사회적경제지원센터") == Decimal(276) + Decimal(408) == Decimal(684)
    assert quantity("일자리플러스센터", "상담창구") == 5
    assert quantity("사회적경제지원센터", "입주공간(기업)") == 8
    assert quantity("사회적경제지원센터", "입주공간(창업팀)") == 4
    assert quantity("스튜디오 영원", "미디어실") == 2
    assert quantity("노동자종합지원센터", "무상 사용기간") == 10


def test_equipment(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "SELECT category, name, vehicle_type, model_year, quantity, team FROM equipment") == [
        ("행정차량", "소울EV", "승용", 2018, 1, "일자리사업팀")]


# --- Ⅰ-4 예산현황 (천원) -------------------------------------------------------------------------
BUDGET_UNITS = [  # 단위사업명, 예산액, 집행액, 집행률(%)
    ("희망이 되는 안정적인 일자리지원", 357_151, 155_473, "43.5"),
    ("지역일자리사업 지원", 3_694_810, 1_226_574, "33.2"),
    ("사회적경제 활성화", 1_532_686, 505_020, "32.9"),
    ("청년의 행복한 사회진입 환경조성", 1_356_338, 715_397, "52.7"),
    ("인력운영비", 90_594, 47_357, "52.3"),
    ("기본경비", 82_368, 27_661, "33.6"),
]


@pytest.mark.parametrize(("unit", "budget", "executed", "rate"), BUDGET_UNITS, ids=[u[0] for u in BUDGET_UNITS])
def test_budget_unit(con: duckdb.DuckDBPyConnection, unit: str, budget: int, executed: int, rate: str) -> None:
    got = one(con, "SELECT budget, executed, stated_rate_pct, source FROM budget_units "
                   "WHERE report_id = ? AND unit_program = ?", [REPORT, unit])
    assert got[:2] == (budget, executed)
    assert got[2] == Decimal(rate)
    assert pct1(got[1], got[0]) == Decimal(rate)
    assert got[3] == "Ⅰ-4, p.2"


def test_budget_table_total(con: duckdb.DuckDBPyConnection) -> None:
    # 계 7,113,947 / 2,677,482 / 37.6
    budget, executed, n = one(con, "SELECT sum(budget), sum(executed), count(*) FROM budget_units WHERE report_id = ?",
                              [REPORT])
    assert (budget, executed, n) == (7_113_947, 2_677_482, 6)
    assert pct1(executed, budget) == Decimal("37.6")
    assert stated(con, "budget.total.budget") == 7_113_947
    assert stated(con, "budget.total.executed") == 2_677_482
    assert stated(con, "budget.total.rate") == Decimal("37.6")
    order = [u for (u,) in rows(con, "SELECT unit_program FROM budget_units ORDER BY sort_order")]
    assert order == [u[0] for u in BUDGET_UNITS]


def test_money_columns_are_bigint(con: duckdb.DuckDBPyConnection) -> None:
    types = {(t, c): d for t, c, d in rows(
        con, "SELECT table_name, column_name, data_type FROM information_schema.columns")}
    for table in ("budget_units", "program_budget"):
        for column in ("budget", "executed"):
            assert types[(table, column)] == "BIGINT", (table, column)
    # nothing is stored as a binary float: rates, areas and quantities are DECIMAL
    floats = {k: v for k, v in types.items() if v in ("DOUBLE", "FLOAT", "REAL")}
    assert floats == {}
    for table, column in (("budget_units", "stated_rate_pct"), ("programs", "stated_rate_pct"),
                          ("facts", "value"), ("stated_totals", "value"), ("facilities", "floor_area_m2")):
        assert types[(table, column)].startswith("DECIMAL"), (table, column)


def test_money_sums_stay_exact(con: duckdb.DuckDBPyConnection) -> None:
    got = one(con, "SELECT sum(budget), sum(executed), typeof(sum(budget)), sum(budget)::BIGINT, "
                   "sum(executed)::BIGINT, sum(budget::HUGEINT * 1000) FROM budget_units")
    assert got[0] == 7_113_947 and type(got[0]) is int
    assert got[1] == 2_677_482 and type(got[1]) is int
    assert got[2] in ("HUGEINT", "BIGINT", "INT128")
    assert got[3:] == (7_113_947, 2_677_482, 7_113_947_000)
    # the six programs' money, summed over every funding source, in 천원 and back
    total = one(con, "SELECT sum(budget)::BIGINT, sum(executed)::BIGINT FROM program_budget")
    assert total == (207_151 + 3_301_630 + 1_532_686 + 469_580 + 150_000 + 412_000,
                     73_039 + 1_015_987 + 505_020 + 227_955 + 82_434 + 311_100)
    assert all(type(v) is int for v in total)


# --- Ⅱ/Ⅲ 주요사업 예산현황 (천원) ------------------------------------------------------------------
PROGRAMS = {  # program: (title, team, {재원: (예산액, 집행액)}, 예산액, 집행액, 집행률, budget source)
    "Ⅱ-1": ("고용기회 확대로 지속가능한 일자리 지원", "일자리사업팀",
             {"시비": (4_000, 4_000), "구비": (203_151, 69_039)}, 207_151, 73_039, "35.2", "Ⅱ-1, p.4"),
    "Ⅱ-2": ("공공분야 일자리 창출을 통한 고용안정 지원", "일자리사업팀",
             {"시비": (2_040_413, 646_540), "구비": (1_261_217, 369_447)}, 3_301_630, 1_015_987, "30.8", "Ⅱ-2, p.5"),
    "Ⅱ-3": ("상생기업 자립 기반 지원", "상생기업팀",
             {"국비": (888_976, 246_492), "시비": (261_387, 94_956), "구비": (382_323, 163_572)},
             1_532_686, 505_020, "32.9", "Ⅱ-3, p.7"),
    "Ⅱ-4": ("청년 커뮤니티 활성화 지원", "청년지원팀",
             {"시비": (58_800, 23_986), "구비": (410_780, 203_969)}, 469_580, 227_955, "48.5", "Ⅱ-4, p.9"),
    "Ⅲ-1": ("수요자 맞춤형 취·창업 교육 과정 운영", "일자리사업팀",
             {"구비": (150_000, 82_434)}, 150_000, 82_434, "55.0", "Ⅲ-1, p.10"),
    "Ⅲ-2": ("4차산업 분야 등 다양한 청년취업 지원 활성화", "청년지원팀",
             {"국비": (200_500, 200_500), "구비": (211_500, 110_600)}, 412_000, 311_100, "75.5", "Ⅲ-2, p.11"),
}
# The report's own rounding slip: Ⅱ-1 prints 35.2 % but 73,039 ÷ 207,151 = 35.26 % rounds to 35.3 %.
COMPUTED_RATE_DIFFERS = {"Ⅱ-1": "35.3"}


@pytest.mark.parametrize("program_id", list(PROGRAMS))
def test_program_budget_by_funding_source(con: duckdb.DuckDBPyConnection, program_id: str) -> None:
    _, _, by_source, budget, executed, _, source = PROGRAMS[program_id]
    got = {s: (b, e) for s, b, e in rows(con, "SELECT funding_source, budget, executed FROM program_budget "
                                              "WHERE report_id = ? AND program_id = ?", [REPORT, program_id])}
    assert got == by_source
    assert sum(b for b, _ in by_source.values()) == budget
    assert sum(e for _, e in by_source.values()) == executed
    assert one(con, "SELECT sum(budget), sum(executed) FROM program_budget WHERE report_id = ? AND program_id = ?",
               [REPORT, program_id]) == (budget, executed)
    assert stated(con, f"program.{program_id}.budget") == budget
    assert stated(con, f"program.{program_id}.executed") == executed
    assert {s for (s,) in rows(con, "SELECT DISTINCT source FROM program_budget WHERE program_id = ?",
                               [program_id])} == {source}


@pytest.mark.parametrize("program_id", list(PROGRAMS))
def test_program_rate(con: duckdb.DuckDBPyConnection, program_id: str) -> None:
    title, team, _, budget, executed, rate, _ = PROGRAMS[program_id]
    got = one(con, "SELECT title, team, stated_rate_pct FROM programs WHERE report_id = ? AND program_id = ?",
              [REPORT, program_id])
    assert got == (title, team, Decimal(rate))
    b, e = one(con, "SELECT sum(budget), sum(executed) FROM program_budget WHERE program_id = ?", [program_id])
    assert (b, e) == (budget, executed)
    assert pct1(e, b) == Decimal(COMPUTED_RATE_DIFFERS.get(program_id, rate))
    assert (pct1(e, b) == Decimal(rate)) is (program_id not in COMPUTED_RATE_DIFFERS)


def test_programs_within_their_unit_programs(con: duckdb.DuckDBPyConnection) -> None:
    got = {u: (b, e) for u, b, e in rows(
        con, "SELECT p.unit_program, sum(b.budget), sum(b.executed) FROM programs p "
             "JOIN program_budget b USING (report_id, program_id) GROUP BY 1")}
    # Ⅱ-1 + Ⅲ-1 make up the whole unit program (207,151 + 150,000 = 357,151; 73,039 + 82,434 = 155,473),
    # Ⅱ-3 is the whole of 사회적경제 활성화, the others cover part of theirs.
    assert got["희망이 되는 안정적인 일자리지원"] == (357_151, 155_473)
    assert got["사회적경제 활성화"] == (1_532_686, 505_020)
    assert got["지역일자리사업 지원"] == (3_301_630, 1_015_987)
    assert got["청년의 행복한 사회진입 환경조성"] == (469_580 + 412_000, 227_955 + 311_100)
    units = {u: b for u, b in rows(con, "SELECT unit_program, budget FROM budget_units")}
    assert all(total <= units[u] for u, (total, _) in got.items())


# --- Ⅱ-1 고용기회 확대 ---------------------------------------------------------------------------
def test_job_plus_center(con: duckdb.DuckDBPyConnection) -> None:
    # 구인업체 1,167 / 구인인원 1,507 / 구직자 952 / 취업알선 5,564 / 취업자 420 / 취업률 44.1
    c = "일자리플러스센터"
    got = [fact(con, c, m) for m in ("구인업체", "구인인원", "구직자", "취업알선", "취업자", "취업률")]
    assert got == [1167, 1507, 952, 5564, 420, Decimal("44.1")]
    assert pct1(fact(con, c, "취업자"), fact(con, c, "구직자")) == Decimal("44.1")


def test_jobs_target_and_job_for_you(con: duckdb.DuckDBPyConnection) -> None:
    t = "2023년 영등포 일자리 목표관리제"
    assert [fact(con, t, m) for m in ("고용률", "취업자수", "일자리 창출수")] == [Decimal("66.5"), 204_111, 12_016]
    assert fact(con, t, "대표 실천과제 부서 수") == 11
    assert fact(con, t, "대표 실천과제 사업 수") == 41
    j = "구인·구직 만남의 날 JOB 포유"
    assert [fact(con, j, m) for m in ("개최", "등록", "채용")] == [4, 88, 26]


# --- Ⅱ-2 공공분야 일자리 -------------------------------------------------------------------------
PUBLIC_WORK = {  # 세부사업: (상반기 선발, 하반기 목표, 예산 백만원, {재원: 백만원}, {재원: 재원비율 %}, 추진기간 월)
    "동행일자리": (181, 185, 2698, {"시비": 1888, "구비": 810}, {"시비": 70, "구비": 30}, (1, 6)),
    "지역공동체일자리": (20, 20, 203, {"시비": 152, "구비": 51}, {"시비": 75, "구비": 25}, (2, 6)),
    "청년드림나래": (20, 20, 694, {"구비": 694}, {"구비": 100}, (2, 6)),
}


@pytest.mark.parametrize("sub", list(PUBLIC_WORK))
def test_public_work_subprogram(con: duckdb.DuckDBPyConnection, sub: str) -> None:
    selected, target_h2, budget, by_source, ratios, months = PUBLIC_WORK[sub]
    assert fact(con, sub, "선발인원") == selected
    assert fact(con, sub, "목표인원") == target_h2
    assert fact(con, sub, "예산") == budget
    assert {s: fact(con, sub, "예산", s) for s in by_source} == by_source
    assert sum(by_source.values()) == budget
    assert {s: fact(con, sub, "재원비율", s) for s in ratios} == ratios
    for s, share in ratios.items():  # 재원비율 is printed as whole per cent: within ±0.5 %p
        assert abs(Decimal(by_source[s]) * 100 / budget - share) <= Decimal("0.5")
    assert one(con, "SELECT start_month, end_month FROM subprograms WHERE program_id = 'Ⅱ-2' AND subprogram = ?",
               [sub]) == months


def test_public_work_totals(con: duckdb.DuckDBPyConnection) -> None:
    selected = one(con, "SELECT sum(value) FROM facts WHERE program_id = 'Ⅱ-2' AND measure = '선발인원'")[0]
    assert selected == 181 + 20 + 20 == 221
    assert stated(con, "publicwork.selected.total") == 221
    h2 = one(con, "SELECT sum(value) FROM facts WHERE program_id = 'Ⅱ-2' AND measure = '목표인원' "
                  "AND period = '2023-H2'")[0]
    assert h2 == 185 + 20 + 20 == 225
    assert fact(con, "공공분야 일자리(전체)", "목표인원") == 448
    assert selected + h2 == 446  # the report's annual target of 448 does not match its two tables
    subs = one(con, "SELECT sum(value) FROM facts WHERE program_id = 'Ⅱ-2' AND measure = '예산' "
                    "AND funding_source IS NULL AND unit = '백만원'")[0]
    assert subs == 2698 + 203 + 694 == 3595
    assert fact(con, "공공일자리", "시급") == 9_620
    assert fact(con, "청년일자리", "시급") == 11_157
    assert one(con, "SELECT start_month, end_month FROM plans WHERE plan_id = 'Ⅱ-2.02'") == (7, 12)


# --- Ⅱ-3 상생기업 ------------------------------------------------------------------------------
GRANTS = {  # 사업명: (지원기업 개소, 지원액 백만원, 국, 시, 구)
    "일자리창출사업(일반인력)": (15, 102, 77, 18, 7),
    "전문인력 지원사업": (13, 90, 68, 16, 6),
    "사회보험료 지원사업": (17, 40, 30, 7, 3),
    "사업개발비 지원사업": (7, 82, 57, 17, 8),
}


@pytest.mark.parametrize("scheme", list(GRANTS))
def test_social_enterprise_grant(con: duckdb.DuckDBPyConnection, scheme: str) -> None:
    firms, amount, national, city, district = GRANTS[scheme]
    assert fact(con, scheme, "지원기업") == firms
    assert fact(con, scheme, "지원액") == amount
    split = (fact(con, scheme, "지원액", "국비"), fact(con, scheme, "지원액", "시비"), fact(con, scheme, "지원액", "구비"))
    assert split == (national, city, district)
    assert sum(split) == amount
    assert one(con, "SELECT count(*) FROM subprograms WHERE program_id = 'Ⅱ-3' AND subprogram = ?", [scheme]) == (1,)


def test_social_enterprise_totals(con: duckdb.DuckDBPyConnection) -> None:
    assert one(con, "SELECT sum(value) FROM facts WHERE program_id = 'Ⅱ-3' AND measure = '지원기업'")[0] == 52
    assert one(con, "SELECT sum(value) FROM facts WHERE program_id = 'Ⅱ-3' AND measure = '지원액' "
                    "AND funding_source IS NULL")[0] == 102 + 90 + 40 + 82
    assert fact(con, "지역특화사업", "국·시비 보조금 확보") == 36
    p = "공공구매 활성화"
    assert (fact(con, p, "구매 실적"), fact(con, p, "목표액"), fact(con, p, "목표 대비 달성률")) == (26, 45, 57)
    assert pct1(26, 45) == Decimal("57.8")  # the report prints 57 %


def test_studio_and_social_economy_centre(con: duckdb.DuckDBPyConnection) -> None:
    s = "스튜디오 영원"
    assert [fact(con, s, m) for m in ("시설 대관 및 미디어 장비 지원 건수", "시설 대관 및 미디어 장비 지원 인원",
                                      "미디어 장비 교육 횟수", "미디어 장비 교육 인원")] == [192, 562, 32, 128]
    c = "사회적경제지원센터"
    assert [fact(con, c, m) for m in ("맞춤형 컨설팅", "현장방문", "간담회 및 워크숍", "중장년 대상 사회적경제 교육",
                                      "뉴스레터 발간")] == [13, 20, 16, 15, 5]


# --- Ⅱ-4 청년 커뮤니티 --------------------------------------------------------------------------
def test_youth_centre_orang(con: duckdb.DuckDBPyConnection) -> None:
    o = "서울청년센터 영등포 오랑"
    assert [fact(con, o, m) for m in ("이용인원", "일 평균 이용인원", "시설대관 횟수", "시설대관 인원")] == [
        5496, Decimal("70.5"), 162, 891]
    sessions = {c: fact(con, c, "프로그램 운영 횟수") for c in ("취업 역량강화교육", "원데이 인기강좌", "커뮤니티 지원", "기타")}
    assert sessions == {"취업 역량강화교육": 6, "원데이 인기강좌": 2, "커뮤니티 지원": 6, "기타": 7}
    assert sum(sessions.values()) == 21 == stated(con, "orang.programs.sessions")
    assert stated(con, "orang.programs.participants") == 325
    assert {c: fact(con, c, "SNS 채널 구독자") for c in ("인스타그램", "블로그", "카카오플러스")} == {
        "인스타그램": 449, "블로그": 63, "카카오플러스": 2342}


def test_youth_network_and_building_school(con: duckdb.DuckDBPyConnection) -> None:
    n = "영등포청년네트워크"
    assert [fact(con, n, m) for m in ("구성 현원", "위원장", "부위원장", "분과 구성", "분과회의", "정책아카데미 교육")] == [
        20, 1, 2, 3, 2, 2]
    courses = {c: (fact(con, c, "정규교육 횟수"), fact(con, c, "정규교육 인원"))
               for c in ("도배기능사", "타일기능사", "현장실무교육")}
    assert courses == {"도배기능사": (2, 20), "타일기능사": (1, 10), "현장실무교육": (1, 10)}
    assert sum(s for s, _ in courses.values()) == 4 == stated(con, "building.regular.sessions")
    assert sum(p for _, p in courses.values()) == 40 == stated(con, "building.regular.participants")
    assert fact(con, "청년건축학교 사회공헌활동", "취약계층 집수리 지원") == 4
    assert [fact(con, "청년건축학교 성과", m) for m in ("취업", "창업", "자격증취득")] == [4, 1, 2]
    assert fact(con, "청년건축학교 주거관리플랫폼", "주거관리플랫폼 시공완료") == 3


# --- Ⅲ 신규·중점사업 ---------------------------------------------------------------------------
def test_training_courses(con: duckdb.DuckDBPyConnection) -> None:
    fields = {c: fact(con, c, "교육인원") for c in ("시설관리 분야", "자격증 취득 분야", "전문기술 분야", "창업지원 분야")}
    assert fields == {"시설관리 분야": 104, "자격증 취득 분야": 16, "전문기술 분야": 36, "창업지원 분야": 25}
    assert sum(fields.values()) == 181 == stated(con, "training.participants")
    assert stated(con, "training.fields") == 4 == len(fields)
    assert stated(con, "training.courses") == 6


def test_youth_fourth_industry(con: duckdb.DuckDBPyConnection) -> None:
    assert fact(con, "메타버스 플랫폼 내 취업특강", "참여인원") == 30
    assert (fact(con, "디지털 마케팅 도전 1기", "교육 횟수"), fact(con, "디지털 마케팅 도전 1기", "참여인원")) == (10, 10)
    assert (fact(con, "디지털 마케팅 도전+ 1기", "교육 횟수"), fact(con, "디지털 마케팅 도전+ 1기", "참여인원")) == (11, 16)
    assert fact(con, "디지털 마케팅 도전 2~3기", "참여인원") == 20
    assert fact(con, "디지털 마케팅 도전+ 2~3기", "참여인원") == 34


# --- reconciliation checks -----------------------------------------------------------------------
REPORT_DISCREPANCIES = {  # check_id: (what the report states, what its parts give)
    "program.Ⅱ-1.rate": (Decimal("35.2"), (Decimal(73_039) * 100 / Decimal(207_151)).quantize(Decimal("0.0001"))),
    "publicwork.target.annual": (Decimal(448), Decimal(221 + 225)),
    "publicwork.budget.program": (Decimal(3_301_630), Decimal((2698 + 203 + 694) * 1000)),
    "publicwork.budget.program.구비": (Decimal(1_261_217), Decimal((810 + 51 + 694) * 1000)),
    "procurement.rate": (Decimal(57), (Decimal(26) * 100 / Decimal(45)).quantize(Decimal("0.0001"), ROUND_HALF_UP)),
}
MUST_PASS = [
    "budget.total.budget", "budget.total.executed", "budget.total.rate", "staffing.total.authorized",
    "staffing.total.current", "staffing.total.difference", "staffing.일반직.7급.difference", "teams.count",
    "facility.workers.area", "facility.socialeco.area", "program.Ⅱ-3.budget", "program.Ⅱ-3.executed",
    "program.Ⅱ-2.rate", "program.Ⅲ-2.rate", "publicwork.selected.total", "publicwork.budget.program.시비",
    "publicwork.donghaeng.ratio.시비", "grants.job_creation.amount.sources", "grants.business_dev.amount.sources",
    "jobplus.rate", "orang.programs.sessions", "building.regular.participants", "training.participants",
    "training.fields", "budget.unit.사회적경제 활성화.rate", "budget.unit.사회적경제 활성화.programs",
]


def test_checks_fail_exactly_on_report_discrepancies(con: duckdb.DuckDBPyConnection) -> None:
    statuses = dict(rows(con, "SELECT check_id, status FROM checks WHERE report_id = ?", [REPORT]))
    assert set(statuses.values()) == {"pass", "fail"}
    assert {c for c, s in statuses.items() if s == "fail"} == set(REPORT_DISCREPANCIES)
    assert {c for c in MUST_PASS if statuses.get(c) != "pass"} == set()
    assert len(statuses) >= 60
    for program_id in PROGRAMS:
        for key in ("budget", "executed", "rate"):
            assert f"program.{program_id}.{key}" in statuses
    for unit, *_ in BUDGET_UNITS:
        assert statuses[f"budget.unit.{unit}.rate"] == "pass"


@pytest.mark.parametrize("check_id", list(REPORT_DISCREPANCIES))
def test_discrepancy_figures(con: duckdb.DuckDBPyConnection, check_id: str) -> None:
    expected, computed = REPORT_DISCREPANCIES[check_id]
    got = one(con, "SELECT expected, computed, difference, status FROM checks WHERE check_id = ?", [check_id])
    assert got == (expected, computed, computed - expected, "fail")


def test_check_rows_are_consistent(con: duckdb.DuckDBPyConnection) -> None:
    bad = rows(con, "SELECT check_id FROM checks WHERE difference <> computed - expected "
                    "OR status NOT IN ('pass', 'fail') OR tolerance < 0 "
                    "OR (relation = '=' AND (abs(difference) <= tolerance) <> (status = 'pass')) "
                    "OR (relation = '≤' AND (difference <= tolerance) <> (status = 'pass'))")
    assert bad == []


# --- provenance ----------------------------------------------------------------------------------
@pytest.mark.parametrize("table", [s.table for s in SPECS] + ["checks"])
def test_every_row_has_a_source(con: duckdb.DuckDBPyConnection, table: str) -> None:
    sources = [s for (s,) in rows(con, f'SELECT source FROM "{table}"')]
    assert sources, f"{table} is empty"
    pattern = SOURCE_LOOSE if table == "reports" else SOURCE_STRICT
    bad = [s for s in sources if s is None or not s.strip() or not pattern.match(s)]
    assert bad == []


def test_table_row_counts_match_datasets(con: duckdb.DuckDBPyConnection) -> None:
    # every data row of every CSV (non-blank lines after the header) is one row in its table
    for spec in SPECS:
        with (DATASETS / spec.filename).open(encoding="utf-8-sig", newline="") as f:
            body = [r for r in list(csv.reader(f))[1:] if any(c.strip() for c in r)]
        assert rows(con, f'SELECT count(*) FROM "{spec.table}"') == [(len(body),)], spec.table
