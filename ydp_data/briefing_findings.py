"""One-line findings for the meeting briefing, in plain Korean, written from the data (never typed in).

They sit beside ydp_data.findings (which the pages share) so the briefing can say more without changing it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ydp_data.formatting import number


def share_of(part: float, whole: float, whole_label: str, part_label: str, unit: str) -> str:
    """A part against the whole it comes from, e.g. employed people among the job seekers of a centre."""
    if not whole:
        return f"{whole_label} 수치가 보고서에 없습니다."
    share = part * 100 / whole
    return f"{whole_label} {number(whole)}{unit} 중 {part_label} {number(part)}{unit}({share:.1f}%)."


def actual_and_plan(actual: float, planned: float, what: str, unit: str) -> str:
    """What was done so far beside what is planned for the rest of the year."""
    if not planned:
        return f"{what}: 실적 {number(actual)}{unit}, 하반기 계획은 보고서에 없습니다."
    return f"{what}: 상반기 실적 {number(actual)}{unit}, 하반기 계획 {number(planned)}{unit}."


def report_discrepancy(description: str, stated: float, computed: float, unit: str, source: str,
                       decimals: int = 0) -> str:
    """A figure of the report that does not match its parts, said plainly and left as the report has it."""
    return (f"보고서 불일치: {description} — 보고서 {number(stated, decimals)}{unit}, "
            f"계산 {number(computed, decimals)}{unit} ({source}).")


def no_budget(sources: Sequence[str]) -> str:
    """The chosen funding sources pay nothing towards this business line."""
    return f"선택한 재원({'·'.join(sources)})의 예산이 이 사업에는 없습니다."


def filter_not_applied(missing: Sequence[str], subject: str = "이 수치") -> str:
    """The chosen team or source filter does not reach these figures (they have no such split)."""
    return f"{subject}에는 {'·'.join(missing)} 구분이 없어 해당 필터가 적용되지 않습니다."


def results(what: str, items: Sequence[tuple[str, float, str]]) -> str:
    """Several results of one activity in a line, e.g. '오랑: 이용인원 5,496명, 시설대관 횟수 162회.'"""
    if not items:
        return f"{what}: 선택한 필터에 해당하는 실적이 없습니다."
    parts = [f"{label} {number(value, 0 if float(value).is_integer() else 1)}{unit}" for label, value, unit in items]
    return f"{what}: {', '.join(parts)}."


def staffing_gap(authorized: int, current: int, by_grade: Sequence[tuple[str, int]]) -> str:
    """Staff in post against the establishment, with the grades short of and over it (△ for a shortfall)."""
    gap = current - authorized
    if gap == 0:
        head = f"현원 {current}명이 정원 {authorized}명과 같습니다"
    else:
        head = f"현원 {current}명은 정원 {authorized}명보다 {abs(gap)}명 {'많습니다' if gap > 0 else '적습니다'}"
    short = [f"{g} △{-d}명" for g, d in by_grade if d < 0]
    over = [f"{g} +{d}명" for g, d in by_grade if d > 0]
    parts = ([f"부족 {', '.join(short)}"] if short else []) + ([f"초과 {', '.join(over)}"] if over else [])
    return head + (f" ({'; '.join(parts)})." if parts else ".")


def plans_outlook(total: int, starts: Mapping[int, int], undated: int) -> str:
    """How many planned activities there are, the month most of them start and how many have no date."""
    if total == 0:
        return "선택한 팀의 향후계획이 없습니다."
    text = f"향후계획 {total}건"
    if starts:
        month = max(sorted(starts), key=lambda m: starts[m])
        text += f" 중 {month}월에 시작하는 계획이 {starts[month]}건으로 가장 많습니다."
    else:
        text += "은 모두 시기가 적혀 있지 않습니다."
        return text
    if undated:
        text += f" 시기가 적히지 않은 계획이 {undated}건 있습니다."
    return text
