"""One-line findings in plain Korean (or English), written from the data (never typed in).

Findings are plain text, not Markdown: they may name the report's programmes and measures, so a page shows them
through safe_text.md.
"""

from __future__ import annotations

import pandas as pd

from ydp_data.datasets import SPEC_BY_TABLE
from ydp_data.formatting import money, number
from ydp_data.i18n import ENGLISH, UNITS, name


def known(value: object) -> float | None:
    """A figure from a query as a float, or None when it is missing (NULL, NA, NaN): a report without rows in a
    table gives NULL sums, and float(NA) would stop the page."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def no_rows(table: str, lang: str = "한국어") -> str:
    """The notice shown instead of figures when the chosen report has no rows in a dataset table."""
    title = SPEC_BY_TABLE[table].title
    if lang == ENGLISH:
        return f"This report has no rows in {table}.csv ({title}), so the figures drawn from it are not shown."
    return f"이 보고 시점에는 {title}({table}.csv) 자료가 없어 그 수치를 보여 줄 수 없습니다."


def subject_particle(word: str) -> str:
    """이 after a final consonant, 가 after a vowel (Korean subject particle)."""
    last = word.rstrip()[-1:] or "가"
    if "가" <= last <= "힣":
        return "이" if (ord(last) - ord("가")) % 28 else "가"
    return "이"


def execution_against_year(rate: float | None, elapsed: float, lang: str = "한국어") -> str:
    """The execution rate against the share of the year elapsed at the as-of date ('' when there is no rate)."""
    if rate is None or pd.isna(rate):
        return ""
    gap = round(rate - elapsed, 1)
    if lang == ENGLISH:
        if abs(gap) < 0.05:
            return f"Execution {rate:.1f}% equals the {elapsed:.1f}% of the year elapsed."
        side = "ahead of" if gap > 0 else "behind"
        return f"Execution {rate:.1f}% is {abs(gap):.1f} points {side} the {elapsed:.1f}% of the year elapsed."
    if abs(gap) < 0.05:
        return f"집행률 {rate:.1f}%는 연중 경과율 {elapsed:.1f}%와 같습니다."
    side = "높습니다" if gap > 0 else "낮습니다"
    return f"집행률 {rate:.1f}%는 연중 경과율 {elapsed:.1f}%보다 {abs(gap):.1f}%p {side}."


def progress_against_target(done: float, target: float, what: str, unit: str, lang: str = "한국어") -> str:
    """An achieved count against its target, e.g. first-half selections against the annual target."""
    if lang == ENGLISH:
        u = f" {UNITS.get(unit, unit)}"
        if not target:
            return f"{name(what, lang)}: the report gives no target."
        return f"{name(what, lang)}: {number(done)}{u} of a {number(target)}{u} target ({done * 100 / target:.1f}%)."
    if not target:
        return f"{what} 목표가 보고서에 없습니다."
    share = done * 100 / target
    return f"{what}: 목표 {number(target)}{unit} 중 {number(done)}{unit}({share:.1f}%)."


def discrepancies(failed: int, lang: str = "한국어") -> str:
    """How many of the report's own figures do not add up."""
    if lang == ENGLISH:
        if failed == 0:
            return "Every total and rate in the report matches its parts."
        figures = "figure in the report does" if failed == 1 else "figures in the report do"
        return f"{failed} {figures} not add up; see the checks on the Data page."
    if failed == 0:
        return "보고서의 합계·비율이 모두 세부 항목과 일치합니다."
    return f"보고서 안에서 서로 맞지 않는 수치가 {failed}건 있습니다. 데이터 페이지의 정합성 검사에서 확인하세요."


def share_of_total(part: float | None, whole: float | None, what: str, lang: str = "한국어") -> str:
    """How much of a whole a part is, e.g. the main programs' share of the division budget ('' when either is missing)."""
    if part is None or whole is None or pd.isna(part) or pd.isna(whole) or not whole:
        return ""
    if lang == ENGLISH:
        return f"The main programmes hold {part * 100 / whole:.1f}% of it."
    return f"{what}{subject_particle(what)} {part * 100 / whole:.1f}%를 차지합니다."


def spent_since(change: float | None, unit: str, since: str | None, lang: str = "한국어") -> str | None:
    """Money executed since the previous report, when there is one."""
    if since is None or change is None or pd.isna(change):
        return None
    if lang == ENGLISH:
        return f"{money(change, unit, with_unit=False)} {UNITS.get(unit, unit)} spent since {since}."
    return f"{since} 이후 {money(change, unit)} 집행."


def share_of_division(part: float | None, division: float | None, lang: str = "한국어") -> str:
    """A program's budget as a share of the division's whole budget ('' when either is missing)."""
    if part is None or division is None or pd.isna(part) or pd.isna(division) or not division:
        return ""
    if lang == ENGLISH:
        return f"{part * 100 / division:.1f}% of the division's budget."
    return f"과 전체 예산의 {part * 100 / division:.1f}%입니다."


def remaining(amount: float, unit: str, lang: str = "한국어") -> str:
    """What is left to spend of a budget (negative when more was spent than budgeted)."""
    if lang == ENGLISH:
        return f"{money(amount, unit, with_unit=False)} {UNITS.get(unit, unit)} left to spend."
    return f"남은 예산 {money(amount, unit)}."


# --- pace: a rate against the share of the year elapsed (ydp_data.status sorts programmes by it) ---------------
# A rate within this many percentage points of the year elapsed at the as-of date counts as on pace (경과율 수준);
# further below is behind (뒤처짐), further above is ahead (앞섬). Every status strip, the execution chart and the
# briefing use this one tolerance: an execution rate 41.4% ± 5%p at 41.4% of the year is on pace.
PACE_TOLERANCE_PP = 5.0


def signed_points(gap: float) -> str:
    """A gap in percentage points with its sign, as the report writes one: '△10.6%p', '+7.1%p' or '0.0%p'."""
    text = number(gap, 1)
    return f"{text}%p" if text.startswith("△") or text == "0.0" else f"+{text}%p"


def pace_headline(behind: int, total: int, lang: str = "한국어") -> str:
    """A chart title that states the finding: how many programmes are behind the year's pace ('' for none shown)."""
    if total == 0:
        return ""
    if lang == ENGLISH:
        if behind == 0:
            return "No programme behind the year's pace"
        return f"{behind} programme{'' if behind == 1 else 's'} behind the year's pace"
    return f"{behind}개 사업이 연중 경과율보다 뒤처짐" if behind else "연중 경과율보다 뒤처진 사업 없음"


def pace_scale(elapsed: float, lang: str = "한국어") -> str:
    """What the statuses are measured against: the year elapsed and the tolerance of 'on pace'."""
    tolerance = f"{PACE_TOLERANCE_PP:g}"
    if lang == ENGLISH:
        return f"Against {elapsed:.1f}% of the year elapsed; within ±{tolerance} points counts as on pace."
    return f"연중 경과율 {elapsed:.1f}% 대비, ±{tolerance}%p 안은 경과율 수준으로 봅니다."


def pace_item(program_id: str, title: str, rate: float, gap: float, lang: str = "한국어") -> str:
    """One programme's execution rate and its gap to the year's pace, e.g. 'Ⅱ-2 … 집행률 30.8% — 경과율보다 △10.6%p'."""
    if lang == ENGLISH:
        return f"{program_id} {name(title, lang)}: executed {rate:.1f}% — {signed_points(gap)} against the year's pace"
    return f"{program_id} {title} 집행률 {rate:.1f}% — 경과율보다 {signed_points(gap)}"


def attainment_item(program_id: str, category: str, actual_measure: str, actual: float, target: float, unit: str,
                    share: float, gap: float, lang: str = "한국어") -> str:
    """An annual target's attainment and its gap to the year's pace, e.g. 'Ⅱ-3 공공구매 활성화 구매 실적 26억원 /
    목표 45억원 (57.8%) — 경과율보다 +16.4%p'."""
    decimals = 0 if float(actual).is_integer() and float(target).is_integer() else 1
    if lang == ENGLISH:
        u = f" {UNITS.get(unit, unit)}"
        return (f"{program_id} {name(category, lang)}: {name(actual_measure, lang)} {number(actual, decimals)}{u} of a "
                f"{number(target, decimals)}{u} target ({share:.1f}%) — {signed_points(gap)} against the year's pace")
    return (f"{program_id} {category} {actual_measure} {number(actual, decimals)}{unit} / 목표 "
            f"{number(target, decimals)}{unit} ({share:.1f}%) — 경과율보다 {signed_points(gap)}")


def pace_breakdown(groups: list[tuple[str, list[str]]], lang: str = "한국어") -> str:
    """Programmes by status in one sentence, e.g. '뒤처짐: Ⅱ-1 … △6.1%p; 앞섬: Ⅲ-1 … +13.6%p.' (labels translated
    by the caller)."""
    parts = [f"{label}: {' · '.join(items)}" for label, items in groups if items]
    if not parts:
        return ""
    return "; ".join(parts) + "."


def none_behind(lang: str = "한국어") -> str:
    """What a status strip says when nothing is behind the year's pace."""
    if lang == ENGLISH:
        return "Nothing is behind the year's pace."
    return "연중 경과율보다 뒤처진 사업이 없습니다."


# --- what a figure is and what it leaves out: rounding, targets without actuals, the budget outside the programmes --
ROUNDING_PP = 0.1  # a printed rate closer than this to the computed one is the report's rounding (or truncation)


def rounding_only(unit: str, gap: float) -> bool:
    """Whether a printed rate differs from the computed one only by rounding (under 0.1%p): that is no finding."""
    return unit == "%" and abs(float(gap)) < ROUNDING_PP


def report_discrepancies(checks: pd.DataFrame, lang: str = "한국어") -> str:
    """How many of the report's own figures do not add up (queries.checks rows), not counting a printed rate that is
    only rounded differently (Ⅱ-1 35.2% for 35.26%), which the sentence names apart."""
    failed = checks[checks["status"] == "fail"]
    rounded = int(sum(rounding_only(str(u), float(g)) for u, g in zip(failed["unit"], failed["gap"], strict=True)))
    text = discrepancies(len(failed) - rounded, lang)
    if not rounded:
        return text
    if lang == ENGLISH:
        rates = "rates differ" if rounded > 1 else "rate differs"
        counted = "are" if rounded > 1 else "is"
        return text + f" {rounded} printed {rates} by less than 0.1 points (rounding) and {counted} not counted."
    return text + f" 인쇄된 비율이 계산 값과 0.1%p 미만 다른 {rounded}건(끝수 처리)은 불일치로 세지 않습니다."


def target_without_actual(lang: str = "한국어") -> str:
    """Under a target card: the report states the target only, no result towards it yet."""
    if lang == ENGLISH:
        return "A target: the report gives no actual for it yet."
    return "목표입니다: 보고서에는 아직 이 목표의 실적이 없습니다."


def outside_programs(rows: pd.DataFrame, division: float | None, unit: str, lang: str = "한국어") -> str:
    """What the team and funding-source charts leave out: the division's budget beyond the six main programmes, per
    unit program with its amount (queries.budget_outside_programs rows); '' when nothing is left out."""
    if division is None or pd.isna(division) or rows.empty:
        return ""
    left = float(rows["budget"].sum())
    main = division - left
    if lang == ENGLISH:
        parts = [f"{name(str(r['unit_program']), lang)}" + (f" beyond {r['programs']}" if r["programs"] else "")
                 + f" {money(r['budget'], unit, with_unit=False)} {UNITS.get(unit, unit)}" for _, r in rows.iterrows()]
        return (f"Of the division's {money(division, unit, with_unit=False)} {UNITS.get(unit, unit)}, only the main "
                f"programmes' {money(main, unit, with_unit=False)} have a team and funding source. Left out "
                f"({money(left, unit, with_unit=False)}): {', '.join(parts)} (programmes matched to unit programmes by "
                "their amounts).")
    parts = [f"{r['unit_program']}" + (f" 중 {r['programs']} 밖" if r["programs"] else "") + f" {money(r['budget'], unit)}"
             for _, r in rows.iterrows()]
    return (f"과 전체 예산 {money(division, unit)} 중 팀·재원 구분이 있는 것은 주요사업 {money(main, unit)}입니다. "
            f"빠진 {money(left, unit)}: {', '.join(parts)} (주요사업과 단위사업의 대응은 금액으로 추정).")


def gap_trend(direction: str, previous_gap: float, gap: float, lang: str = "한국어") -> str:
    """Whether a programme's gap to the year's pace is closing since the report before, e.g. '직전 보고 △11.6%p →
    △7.1%p, 좁혀지는 중' (direction from ydp_data.trend: closing, widening or steady)."""
    words = {"closing": ("좁혀지는 중", "closing"), "widening": ("벌어지는 중", "widening"),
             "steady": ("비슷함", "holding steady")}[direction]
    if lang == ENGLISH:
        return f"since the report before {signed_points(previous_gap)} → {signed_points(gap)}, {words[1]}"
    return f"직전 보고 {signed_points(previous_gap)} → {signed_points(gap)}, {words[0]}"
