"""Reconciliation checks: the report's stated totals and rates against the sums of their parts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ydp_data import models
from ydp_data.load import Records

ZERO = Decimal(0)
RATE_TOLERANCE = Decimal("0.05")  # a rate stated to 0.1 % matches when the computed one rounds to it


@dataclass(frozen=True)
class Check:
    """One reconciliation: what the report states, what its parts add up to, and whether they agree."""

    report_id: str
    check_id: str
    category: str
    description: str
    expected: Decimal
    computed: Decimal
    tolerance: Decimal
    unit: str
    source: str
    note: str = ""
    relation: str = "="  # "=": agree within tolerance; "≤": computed may fall short of expected

    @property
    def difference(self) -> Decimal:
        return self.computed - self.expected

    @property
    def passed(self) -> bool:
        if self.relation == "≤":
            return self.difference <= self.tolerance
        return abs(self.difference) <= self.tolerance

    def row(self) -> dict[str, Any]:
        return {**asdict(self), "difference": self.difference, "status": "pass" if self.passed else "fail"}


def rate(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """part / whole in per cent, to four decimals (0 when whole is 0)."""
    if not whole:
        return ZERO
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


class _Checker:
    """Collects the checks of one report."""

    def __init__(self, report_id: str, records: Records) -> None:
        self.report_id = report_id
        pick = lambda table: [r for r in records.get(table, []) if r.report_id == report_id]  # noqa: E731
        self.units: list[models.BudgetUnit] = pick("budget_units")  # type: ignore[assignment]
        self.programs: list[models.Program] = pick("programs")  # type: ignore[assignment]
        self.program_budget: list[models.ProgramBudget] = pick("program_budget")  # type: ignore[assignment]
        self.staffing: list[models.Staffing] = pick("staffing")  # type: ignore[assignment]
        self.teams: list[models.TeamRecord] = pick("teams")  # type: ignore[assignment]
        self.facilities: list[models.Facility] = pick("facilities")  # type: ignore[assignment]
        self.parts: list[models.FacilityPart] = pick("facility_parts")  # type: ignore[assignment]
        self.stated: dict[str, models.StatedTotal] = {s.total_id: s for s in pick("stated_totals")}  # type: ignore[attr-defined]
        self.facts: dict[str, models.Fact] = {f.fact_id: f for f in pick("facts")}  # type: ignore[attr-defined]
        self.out: list[Check] = []

    def add(self, check_id: str, category: str, description: str, expected: Decimal | int,
            computed: Decimal | int, unit: str, source: str, tolerance: Decimal | int = 0, note: str = "",
            relation: str = "=") -> None:
        self.out.append(Check(self.report_id, check_id, category, description, Decimal(expected),
                              Decimal(computed), Decimal(tolerance), unit, source, note, relation))

    def fact_sum(self, ids: Iterable[str]) -> Decimal | None:
        """Sum of the named facts, or None when any is missing (the check then does not apply)."""
        ids = list(ids)
        values = [self.facts[i].value for i in ids if i in self.facts]
        return sum(values, ZERO) if values and len(values) == len(ids) else None

    def facts_like(self, prefix: str, suffix: str = "") -> list[models.Fact]:
        return [f for fid, f in self.facts.items() if fid.startswith(prefix) and fid.endswith(suffix)]

    # --- Ⅰ. 일반현황 -----------------------------------------------------------------
    def budget_table(self) -> None:
        src = self.units[0].source if self.units else ""
        budget = sum(u.budget for u in self.units)
        executed = sum(u.executed for u in self.units)
        for key, value, label in (("budget", budget, "예산액"), ("executed", executed, "집행액")):
            stated = self.stated.get(f"budget.total.{key}")
            if stated:
                self.add(f"budget.total.{key}", "예산현황", f"단위사업 {label}의 합 = 계 {label}",
                         stated.value, value, "천원", stated.source)
        stated_rate = self.stated.get("budget.total.rate")
        if stated_rate:
            self.add("budget.total.rate", "예산현황", "계 집행률 = 집행액 ÷ 예산액", stated_rate.value,
                     rate(executed, budget), "%", stated_rate.source, RATE_TOLERANCE)
        for u in self.units:
            self.add(f"budget.unit.{u.unit_program}.rate", "예산현황", f"{u.unit_program} 집행률 = 집행액 ÷ 예산액",
                     u.stated_rate_pct, rate(u.executed, u.budget), "%", u.source or src, RATE_TOLERANCE)

    def staffing_table(self) -> None:
        for key, label, value in (("authorized", "정원", sum(s.authorized for s in self.staffing)),
                                  ("current", "현원", sum(s.current for s in self.staffing)),
                                  ("difference", "과부족", sum(s.current - s.authorized for s in self.staffing))):
            stated = self.stated.get(f"staffing.total.{key}")
            if stated:
                self.add(f"staffing.total.{key}", "인력", f"직급별 {label}의 합 = 계 {label}",
                         stated.value, value, "명", stated.source)
        for s in self.staffing:
            self.add(f"staffing.{s.job_series}.{s.grade}.difference", "인력",
                     f"{s.job_series} {s.grade} 과부족 = 현원 − 정원", s.stated_difference,
                     s.current - s.authorized, "명", s.source)
        stated = self.stated.get("teams.count")
        if stated:
            self.add("teams.count", "조직", "팀 수 = 팀 목록의 수", stated.value, len(self.teams), "개팀", stated.source)

    def facility_areas(self) -> None:
        for f in self.facilities:
            parts = [p for p in self.parts if p.facility_id == f.facility_id and p.area_m2 is not None]
            whole = f.used_area_m2 if f.used_area_m2 is not None else f.floor_area_m2
            if parts and whole is not None:
                label = "사용면적" if f.used_area_m2 is not None else "연면적"
                self.add(f"facility.{f.facility_id}.area", "주요시설", f"{f.name} 층별 면적의 합 = {label}",
                         whole, sum((p.area_m2 for p in parts if p.area_m2), ZERO), "㎡", f.source)

    # --- programs --------------------------------------------------------------------------
    def program_budgets(self) -> None:
        for p in self.programs:
            parts = [b for b in self.program_budget if b.program_id == p.program_id]
            budget, executed = sum(b.budget for b in parts), sum(b.executed for b in parts)
            for key, label, value in (("budget", "예산액", budget), ("executed", "집행액", executed)):
                stated = self.stated.get(f"program.{p.program_id}.{key}")
                if stated:
                    self.add(f"program.{p.program_id}.{key}", "주요사업 예산",
                             f"{p.program_id} {p.title}: 재원별 {label}의 합 = {label}",
                             stated.value, value, "천원", stated.source)
            self.add(f"program.{p.program_id}.rate", "주요사업 예산", f"{p.program_id} 집행률 = 집행액 ÷ 예산액",
                     p.stated_rate_pct, rate(executed, budget), "%", parts[0].source if parts else p.source,
                     RATE_TOLERANCE)
        for u in self.units:
            inside = [p.program_id for p in self.programs if p.unit_program == u.unit_program]
            if not inside:
                continue
            total = sum(b.budget for b in self.program_budget if b.program_id in inside)
            covered = "전액" if total == u.budget else f"{rate(total, u.budget):.1f}%"
            self.add(f"budget.unit.{u.unit_program}.programs", "주요사업 예산",
                     f"{u.unit_program}: 주요사업({', '.join(inside)}) 예산 합계 ≤ 단위사업 예산",
                     u.budget, total, "천원", u.source, relation="≤",
                     note=f"주요사업이 단위사업 예산의 {covered}{'을' if covered == '전액' else '를'} 차지 (사업-단위사업 대응은 금액으로 추정)")

    def public_work(self) -> None:
        selected_ids = [f.fact_id for f in self.facts_like("publicwork.", ".selected")]
        stated = self.stated.get("publicwork.selected.total")
        total = self.fact_sum(selected_ids)
        if stated and total is not None:
            self.add("publicwork.selected.total", "공공분야 일자리", "세부사업별 상반기 선발인원의 합 = 총 선발인원",
                     stated.value, total, "명", stated.source)
        target = self.facts.get("publicwork.target")
        h2 = self.fact_sum([f.fact_id for f in self.facts_like("publicwork.", ".target_h2")])
        if target and total is not None and h2 is not None:
            self.add("publicwork.target.annual", "공공분야 일자리",
                     "연간 목표인원 = 상반기 선발인원 + 하반기 목표인원", target.value, total + h2, "명", target.source,
                     note=f"상반기 선발 {total:,}명 + 하반기 목표 {h2:,}명 (보고서 p.5의 두 표)")
        subtotals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for f in self.facts_like("publicwork.", ".budget"):
            key = f.fact_id.removesuffix(".budget")
            parts = [x for x in self.facts_like(key + ".budget.")]
            if parts:
                self.add(f"{key}.budget.sources", "공공분야 일자리", f"{f.category} 예산: 재원별 금액의 합 = 예산",
                         f.value, sum((x.value for x in parts), ZERO), f.unit, f.source)
            for x in parts:
                subtotals[str(x.funding_source)] += x.value
                ratio = self.facts.get(f"{key}.ratio.{x.funding_source}")
                if ratio:
                    self.add(f"{key}.ratio.{x.funding_source}", "공공분야 일자리",
                             f"{f.category} 재원비율 {x.funding_source} = {x.funding_source} 예산 ÷ 예산",
                             ratio.value, rate(x.value, f.value), "%", ratio.source, Decimal("0.5"),
                             note="재원비율은 정수(%)로 적혀 있어 ±0.5%p까지 같은 값으로 봄")
        subs = self.facts_like("publicwork.", ".budget")
        program = self.stated.get("program.Ⅱ-2.budget")
        if subs and program:
            tol = Decimal(500) * len(subs)  # each 백만원 figure is rounded: ±500천원
            self.add("publicwork.budget.program", "공공분야 일자리",
                     "세부사업 예산(백만원)의 합 = Ⅱ-2 예산액", program.value,
                     sum((f.value for f in subs), ZERO) * 1000, "천원", subs[0].source, tol,
                     note="세부사업 예산은 백만원 단위로 반올림되어 세부사업당 ±500천원을 허용")
            for src, value in sorted(subtotals.items()):
                part = next((b for b in self.program_budget if b.program_id == "Ⅱ-2" and b.funding_source == src), None)
                if part:
                    n = len([f for f in self.facts_like("publicwork.", f".budget.{src}")])
                    self.add(f"publicwork.budget.program.{src}", "공공분야 일자리",
                             f"세부사업 {src} 예산(백만원)의 합 = Ⅱ-2 {src} 예산액", part.budget, value * 1000, "천원",
                             part.source, Decimal(500) * n, note="백만원 반올림으로 항목당 ±500천원 허용")

    def social_economy(self) -> None:
        for f in self.facts_like("grants.", ".amount"):
            key = f.fact_id.removesuffix(".amount")
            parts = self.facts_like(key + ".amount.")
            if parts:
                self.add(f"{key}.amount.sources", "상생기업 재정지원", f"{f.category} 지원액: 재원별 금액의 합 = 지원액",
                         f.value, sum((x.value for x in parts), ZERO), f.unit, f.source)
        actual, target, stated = (self.facts.get(f"procurement.{k}") for k in ("actual", "target", "rate"))
        if actual and target and stated:
            self.add("procurement.rate", "상생기업 재정지원", "공공구매 달성률 = 구매 실적 ÷ 목표액",
                     stated.value, rate(actual.value, target.value), "%", stated.source, Decimal("0.5"),
                     note=f"{actual.value}억원 ÷ {target.value}억원. 실적이 억원 단위로 반올림되어 있어 차이가 날 수 있음")

    def results(self) -> None:
        employed, seekers, stated = (self.facts.get(f"jobplus.{k}") for k in ("employed", "seekers", "rate"))
        if employed and seekers and stated:
            self.add("jobplus.rate", "일자리플러스센터", "취업률 = 취업자 ÷ 구직자", stated.value,
                     rate(employed.value, seekers.value), "%", stated.source, RATE_TOLERANCE)
        sums = (
            ("orang.programs.sessions", "orang.programs.", "", "오랑 프로그램 유형별 횟수의 합 = 프로그램 운영 횟수", "회"),
            ("building.regular.sessions", "building.", ".sessions", "청년건축학교 과정별 횟수의 합 = 정규교육 횟수", "회"),
            ("building.regular.participants", "building.", ".participants", "청년건축학교 과정별 인원의 합 = 정규교육 인원", "명"),
            ("training.participants", "training.", "", "분야별 교육인원의 합 = 교육인원", "명"),
        )
        for total_id, prefix, suffix, description, unit in sums:
            stated_total = self.stated.get(total_id)
            parts = self.facts_like(prefix, suffix)
            if stated_total and parts:
                self.add(total_id, "사업 실적", description, stated_total.value,
                         sum((f.value for f in parts), ZERO), unit, stated_total.source)
        fields = self.stated.get("training.fields")
        if fields:
            self.add("training.fields", "사업 실적", "분야별 실적의 수 = 분야 수", fields.value,
                     len(self.facts_like("training.")), "개 분야", fields.source)

    def run(self) -> list[Check]:
        self.budget_table()
        self.staffing_table()
        self.facility_areas()
        self.program_budgets()
        self.public_work()
        self.social_economy()
        self.results()
        return self.out


def run_checks(records: Records) -> list[Check]:
    """Every reconciliation check of every report in the records."""
    out: list[Check] = []
    for report in records.get("reports", []):
        out += _Checker(report.report_id, records).run()  # type: ignore[attr-defined]
    return out
