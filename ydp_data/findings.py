"""One-line findings in plain Korean (or English), written from the data (never typed in)."""

from __future__ import annotations

import pandas as pd

from ydp_data.formatting import money, number
from ydp_data.i18n import ENGLISH, UNITS, name


def subject_particle(word: str) -> str:
    """이 after a final consonant, 가 after a vowel (Korean subject particle)."""
    last = word.rstrip()[-1:] or "가"
    if "가" <= last <= "힣":
        return "이" if (ord(last) - ord("가")) % 28 else "가"
    return "이"


def execution_against_year(rate: float, elapsed: float, lang: str = "한국어") -> str:
    """The execution rate against the share of the year elapsed at the as-of date."""
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
        return f"{failed} figures in the report do not add up; see the checks on the Data page."
    if failed == 0:
        return "보고서의 합계·비율이 모두 세부 항목과 일치합니다."
    return f"보고서 안에서 서로 맞지 않는 수치가 {failed}건 있습니다. 데이터 페이지의 정합성 검사에서 확인하세요."


def share_of_total(part: float, whole: float, what: str, lang: str = "한국어") -> str:
    """How much of a whole a part is, e.g. the main programs' share of the division budget."""
    if not whole:
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


def share_of_division(part: float, division: float, lang: str = "한국어") -> str:
    """A program's budget as a share of the division's whole budget."""
    if not division:
        return ""
    if lang == ENGLISH:
        return f"{part * 100 / division:.1f}% of the division's budget."
    return f"과 전체 예산의 {part * 100 / division:.1f}%입니다."


def remaining(amount: float, unit: str, lang: str = "한국어") -> str:
    """What is left to spend of a budget (negative when more was spent than budgeted)."""
    if lang == ENGLISH:
        return f"{money(amount, unit, with_unit=False)} {UNITS.get(unit, unit)} left to spend."
    return f"남은 예산 {money(amount, unit)}."
