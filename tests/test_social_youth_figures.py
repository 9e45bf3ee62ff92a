"""The Social-economy (상생기업) and Youth (청년) pages draw and download the report's own figures.

Every expected number below is typed from the 2023-05-31 report (shared/seeds/000_e22fe2e50a55a497.txt, Ⅱ-3 p.6-7,
Ⅱ-4 p.8, Ⅲ-2 p.11), never read back from datasets/ or recomputed with the product's formulas. The pages are opened
with every section open (tests/apptest_pages.py) against the real database (tests/conftest.py); the charts are read
from the plotly figure JSON, the CSVs from AppTest's media storage (tests/test_pages.py).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.apptest_pages import Pages, Run, cards_of
from tests.test_pages import numbers, read_csv

SOCIAL = "pages/3_상생기업_Social_economy.py"
YOUTH = "pages/4_청년_Youth.py"
SCHEMES = ["일자리창출사업(일반인력)", "전문인력 지원사업", "사회보험료 지원사업", "사업개발비 지원사업"]

# Ⅱ-3 p.6, 상생기업 재정지원: 사업명 -> 지원기업 (개소), 지원액 (백만원) and its (국, 시, 구) split (백만원)
GRANTS: dict[str, tuple[int, int, tuple[int, int, int]]] = {
    "일자리창출사업(일반인력)": (15, 102, (77, 18, 7)),
    "전문인력 지원사업": (13, 90, (68, 16, 6)),
    "사회보험료 지원사업": (17, 40, (30, 7, 3)),
    "사업개발비 지원사업": (7, 82, (57, 17, 8)),
}
# Ⅱ-3 p.7: 스튜디오 영원 and 사회적경제지원센터, measure -> (value, unit) as the report prints them
PLACES: dict[str, tuple[str, float, str]] = {
    "시설 대관 및 미디어 장비 지원 건수": ("스튜디오 영원", 192, "건"),
    "시설 대관 및 미디어 장비 지원 인원": ("스튜디오 영원", 562, "명"),
    "미디어 장비 교육 횟수": ("스튜디오 영원", 32, "회"),
    "미디어 장비 교육 인원": ("스튜디오 영원", 128, "명"),
    "맞춤형 컨설팅": ("사회적경제지원센터", 13, "건"),
    "현장방문": ("사회적경제지원센터", 20, "개소"),
    "간담회 및 워크숍": ("사회적경제지원센터", 16, "회"),
    "중장년 대상 사회적경제 교육": ("사회적경제지원센터", 15, "명"),
    "뉴스레터 발간": ("사회적경제지원센터", 5, "회"),
}
# Ⅱ-4 p.8
ORANG = {"이용인원": (5496, "명"), "일 평균 이용인원": (70.5, "명"), "시설대관 횟수": (162, "회"),
         "시설대관 인원": (891, "명")}
ORANG_SESSIONS = {"취업 역량강화교육": 6, "원데이 인기강좌": 2, "커뮤니티 지원": 6, "기타": 7}  # 21회 in all
SNS = {"인스타그램": 449, "블로그": 63, "카카오플러스": 2342}
NETWORK = {"구성 현원": (20, "명"), "위원장": (1, "명"), "부위원장": (2, "명"), "분과 구성": (3, "개 분과"),
           "분과회의": (2, "회"), "정책아카데미 교육": (2, "회")}
BUILDING_COURSES = {"도배기능사": 20, "타일기능사": 10, "현장실무교육": 10}  # 정규교육 4회/40명
BUILDING_OUTCOMES = {("청년건축학교 사회공헌활동", "취약계층 집수리 지원"): (4, "가구"),
                     ("청년건축학교 성과", "취업"): (4, "명"), ("청년건축학교 성과", "창업"): (1, "명"),
                     ("청년건축학교 성과", "자격증취득"): (2, "명"),
                     ("청년건축학교 주거관리플랫폼", "주거관리플랫폼 시공완료"): (3, "건")}
# Ⅲ-2 p.11: 주요 추진실적 (actuals) and 향후계획 (plans)
FOURTH_INDUSTRY = {"메타버스 플랫폼 내 취업특강": (30, "실적"), "디지털 마케팅 도전 1기": (10, "실적"),
                   "디지털 마케팅 도전+ 1기": (16, "실적"), "디지털 마케팅 도전 2~3기": (20, "계획"),
                   "디지털 마케팅 도전+ 2~3기": (34, "계획")}




def bars(run: Run, chart: str) -> dict[str, dict[str, float]]:
    """A bar chart as {trace name: {category: value}} (horizontal bars: categories on y, values on x)."""
    out: dict[str, dict[str, float]] = {}
    for t in run.figure(chart)["data"]:
        if t.get("type") == "bar":
            out.setdefault(str(t["name"]), {}).update(zip(t["y"], numbers(t["x"]), strict=True))
    return out


def csv_rows(run: Run, name: str) -> list[dict[str, str]]:
    header, body = read_csv(run.download(name))
    return [dict(zip(header, r, strict=True)) for r in body]


def card(run: Run, label: str) -> list[str]:
    return [m.value for m in cards_of(run.at) if m.label == label]


# --- 상생기업 --------------------------------------------------------------------------------------------------
def test_grants_by_source_in_the_reports_million_won(pages: Pages) -> None:
    """In 백만원 the chart's bars are the report's (국 77, 시 18, 구 7) … literally, one trace per source."""
    drawn = bars(pages.open(SOCIAL, {"unit": "백만원"}), "grants_by_source")
    assert list(drawn) == ["국비", "시비", "구비"]
    for i, source in enumerate(("국비", "시비", "구비")):
        assert drawn[source] == {s: float(GRANTS[s][2][i]) for s in SCHEMES}, source
    assert {s: sum(drawn[src][s] for src in drawn) for s in SCHEMES} == {s: GRANTS[s][1] for s in SCHEMES}


def test_grants_by_source_default_unit_and_csv(pages: Pages) -> None:
    run = pages.open(SOCIAL)
    drawn = bars(run, "grants_by_source")
    assert drawn["국비"] == {s: GRANTS[s][2][0] * 1000.0 for s in SCHEMES}  # 천원
    rows = csv_rows(run, "grants_by_source")
    assert [(r["구분"], r["재원"]) for r in rows] == [(s, src) for s in SCHEMES for src in ("국비", "시비", "구비")]
    for r in rows:
        scheme, source = r["구분"], r["재원"]
        assert r["단위"] == "천원"
        assert float(r["값"]) == GRANTS[scheme][2][("국비", "시비", "구비").index(source)] * 1000
        assert float(r["합계"]) == GRANTS[scheme][1] * 1000
        assert r["출처"] == "Ⅱ-3, p.6"
    for scheme in SCHEMES:  # a share is a part of its scheme's total: between 0 and 100, adding up to 100
        shares = [float(r["비중(%)"]) for r in rows if r["구분"] == scheme]
        assert all(0 < s < 100 for s in shares) and sum(shares) == pytest.approx(100, abs=0.2), (scheme, shares)
    assert [float(r["비중(%)"]) for r in rows if r["구분"] == "사회보험료 지원사업"] == [75.0, 17.5, 7.5]  # 30/7/3 of 40


def test_grants_national_only(pages: Pages) -> None:
    run = pages.open(SOCIAL, {"source": "국비", "unit": "백만원"})
    assert bars(run, "grants_by_source") == {"국비": {s: float(GRANTS[s][2][0]) for s in SCHEMES}}
    assert {r["재원"] for r in csv_rows(run, "grants_by_source")} == {"국비"}


def test_grant_firms_chart_and_csv(pages: Pages) -> None:
    run = pages.open(SOCIAL)
    drawn = bars(run, "grants_firms")
    assert len(drawn) == 1
    assert next(iter(drawn.values())) == {s: float(GRANTS[s][0]) for s in SCHEMES}
    assert [(r["구분"], float(r["값"]), r["단위"]) for r in csv_rows(run, "grants_firms")] == [
        (s, GRANTS[s][0], "개소") for s in SCHEMES]
    assert [r["세부사업"] for r in csv_rows(run, "grant_schemes")] == SCHEMES


def test_procurement_against_its_target(pages: Pages) -> None:
    """구매 실적 26억원 against 목표액 45억원; the report prints 57 %."""
    run = pages.open(SOCIAL, {"unit": "억원"})
    drawn = bars(run, "procurement")
    assert drawn == {"목표액 (목표)": {"공공구매 활성화": 45.0}, "구매 실적": {"공공구매 활성화": 26.0}}
    (row,) = csv_rows(run, "procurement")
    assert (row["실적 항목"], float(row["값"]), row["목표·모수 항목"], float(row["전체(목표·모수)"]), row["단위"]) == (
        "구매 실적", 26, "목표액", 45, "억원")
    assert float(row["보고서 집행률(%)"]) == 57  # as printed
    assert float(row["비율(계산)(%)"]) == 57.8  # 26 ÷ 45
    default = pages.open(SOCIAL)
    assert bars(default, "procurement")["구매 실적"] == {"공공구매 활성화": 2_600_000.0}  # 천원


def test_studio_and_centre_chart_and_csv(pages: Pages) -> None:
    run = pages.open(SOCIAL)
    spec = run.figure("studio_and_centre")
    drawn: dict[str, float] = {}
    for t in spec["data"]:
        values = dict(zip(t["y"], numbers(t["x"]), strict=True))
        assert len({PLACES[m][2] for m in values}) == 1, f"one panel mixes units: {values}"
        drawn.update(values)
    assert drawn == {m: float(v) for m, (_, v, _) in PLACES.items()}
    rows = csv_rows(run, "studio_and_centre")
    assert {r["항목"]: (r["구분"], float(r["값"]), r["단위"]) for r in rows} == PLACES
    assert len(rows) == len(PLACES)


def test_social_cards(pages: Pages) -> None:
    run = pages.open(SOCIAL)
    assert card(run, "예산액 (천원)") == ["1,532,686"]
    assert card(run, "집행액 (천원)") == ["505,020"]
    assert card(run, "집행률") == ["32.9%"]
    assert card(run, "보조금 (지역특화사업 국·시비, 천원)") == ["36,000"]  # 36백만원


# --- 청년 ------------------------------------------------------------------------------------------------------
def test_orang_cards_chart_and_csvs(pages: Pages) -> None:
    run = pages.open(YOUTH)
    for measure, (value, unit) in ORANG.items():
        assert card(run, measure) == [f"{value:,}{unit}"], measure
    (drawn,) = bars(run, "orang_programmes").values()
    assert drawn == ORANG_SESSIONS and sum(drawn.values()) == 21
    assert [(r["구분"], float(r["값"]), r["단위"]) for r in csv_rows(run, "orang_programmes")] == [
        (k, v, "회") for k, v in ORANG_SESSIONS.items()]
    assert {r["항목"]: (float(r["값"]), r["단위"]) for r in csv_rows(run, "orang_attendance")} == ORANG
    (sns,) = bars(run, "orang_social_media").values()
    assert sns == SNS
    assert [(r["구분"], float(r["값"]), r["단위"]) for r in csv_rows(run, "orang_social_media")] == [
        (k, v, "명") for k, v in SNS.items()]


def test_youth_network_and_building_school(pages: Pages) -> None:
    run = pages.open(YOUTH)
    assert {r["항목"]: (float(r["값"]), r["단위"]) for r in csv_rows(run, "youth_network")} == NETWORK
    (courses,) = bars(run, "building_school_courses").values()
    assert courses == BUILDING_COURSES and sum(courses.values()) == 40
    assert [(r["구분"], r["항목"], float(r["값"]), r["단위"]) for r in csv_rows(run, "building_school_courses")] == [
        (k, "정규교육 인원", v, "명") for k, v in BUILDING_COURSES.items()]
    assert {(r["구분"], r["항목"]): (float(r["값"]), r["단위"])
            for r in csv_rows(run, "building_school_outcomes")} == BUILDING_OUTCOMES


def test_fourth_industry_actuals_apart_from_plans(pages: Pages) -> None:
    run = pages.open(YOUTH)
    (trace,) = [t for t in run.figure("youth_4th_industry")["data"] if t.get("type") == "bar"]
    assert dict(zip(trace["y"], numbers(trace["x"]), strict=True)) == {k: v for k, (v, _) in FOURTH_INDUSTRY.items()}
    colours: Any = trace["marker"]["color"]
    by_kind = {kind: {c for c, (_, k) in zip(colours, [FOURTH_INDUSTRY[y] for y in trace["y"]], strict=True)
                      if k == kind} for kind in ("실적", "계획")}
    assert len(by_kind["실적"]) == len(by_kind["계획"]) == 1 and by_kind["실적"] != by_kind["계획"], by_kind
    assert [(r["구분"], r["구분(목표/실적/계획)"], float(r["값"])) for r in csv_rows(run, "youth_4th_industry")] == [
        (k, kind, v) for k, (v, kind) in FOURTH_INDUSTRY.items()]


def test_youth_budget_cards(pages: Pages) -> None:
    """Ⅱ-4 469,580 / 227,955 / 48.5 % and Ⅲ-2 412,000 / 311,100 / 75.5 %, in page order."""
    run = pages.open(YOUTH)
    assert card(run, "예산액 (천원)") == ["469,580", "412,000"]
    assert card(run, "집행액 (천원)") == ["227,955", "311,100"]
    assert card(run, "집행률") == ["48.5%", "75.5%"]


def test_youth_team_filter_keeps_the_figures_and_other_teams_empty_it(pages: Pages) -> None:
    kept = pages.open(YOUTH, {"team": "청년지원팀"})
    (sns,) = bars(kept, "orang_social_media").values()
    assert sns == SNS
    other = pages.open(YOUTH, {"team": "상생기업팀"})
    assert not other.keyed("plotly_chart", "chart_") and not cards_of(other.at)
