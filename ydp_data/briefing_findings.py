"""One-line findings for the meeting briefing, in plain Korean (or English), written from the data (never typed in).

They sit beside ydp_data.findings (which the pages share) so the briefing can say more without changing it.
Report names (measures, teams, programs) go through i18n.name, so in English they keep their Korean beside.
Findings are plain text, not Markdown: the page shows them through safe_text.md, the HTML file escapes them.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence

from ydp_data.formatting import number
from ydp_data.i18n import ENGLISH, NAMES, UNITS, name

KOREAN = "한국어"


def amount(value: float, unit: str, lang: str = KOREAN) -> str:
    """A count with its unit as the report writes it ('420명', '70.5명'), or in English ('420 persons')."""
    text = number(value, 0 if float(value).is_integer() else 1)
    return f"{text} {UNITS.get(unit, unit)}" if lang == ENGLISH else f"{text}{unit}"


def month_name(month: int, lang: str = KOREAN) -> str:
    """A month as '6월' or 'June'."""
    return calendar.month_name[month] if lang == ENGLISH else f"{month}월"


def short_name(text: str, lang: str = KOREAN) -> str:
    """A report name alone, without the Korean beside it in English (for labels that are already long)."""
    return NAMES.get(text, text) if lang == ENGLISH else text


def share_of(part: float, whole: float, whole_label: str, part_label: str, unit: str, what: str = "",
             lang: str = KOREAN) -> str:
    """A part against the whole it comes from, e.g. the employed among the job seekers of a centre (what)."""
    if lang == ENGLISH:
        head = f"{name(what, lang)}: " if what else ""
        if not whole:
            return f"{head}the report gives no figure for {name(whole_label, lang)}."
        return (f"{head}{name(part_label, lang)} {amount(part, unit, lang)} of {amount(whole, unit, lang)} "
                f"{name(whole_label, lang)} ({part * 100 / whole:.1f}%).")
    head = f"{what}: " if what else ""
    if not whole:
        return f"{head}{whole_label} 수치가 보고서에 없습니다."
    return f"{head}{whole_label} {amount(whole, unit)} 중 {part_label} {amount(part, unit)}({part * 100 / whole:.1f}%)."


def report_discrepancy(description: str, stated: float, computed: float, unit: str, source: str,
                       decimals: int = 0, lang: str = KOREAN) -> str:
    """A figure of the report that does not match its parts, said plainly and left as the report has it."""
    if lang == ENGLISH:
        u = UNITS.get(unit, unit)
        sep = "" if u == "%" else " "
        return (f"Discrepancy in the report: {description} — report {number(stated, decimals)}{sep}{u}, "
                f"computed {number(computed, decimals)}{sep}{u} ({source}).")
    return (f"보고서 불일치: {description} — 보고서 {number(stated, decimals)}{unit}, "
            f"계산 {number(computed, decimals)}{unit} ({source}).")


def no_budget(sources: Sequence[str], lang: str = KOREAN) -> str:
    """The chosen funding sources pay nothing towards this business line."""
    if lang == ENGLISH:
        return f"The chosen funding sources ({', '.join(short_name(s, lang) for s in sources)}) pay nothing here."
    return f"선택한 재원({'·'.join(sources)})의 예산이 이 사업에는 없습니다."


def filter_not_applied(missing: Sequence[str], subject: str = "이 수치", lang: str = KOREAN) -> str:
    """The chosen team or source filter does not reach these figures (they have no such split).

    missing holds '팀' and/or '재원'; subject says which figures, e.g. '정원·현원' (English: 'Posts and staff').
    """
    if lang == ENGLISH:
        words = {"팀": "team", "재원": "funding source"}
        what = " or ".join(words.get(m, m) for m in missing)
        return f"{subject}: no {what} split, so that filter does not apply."
    return f"{subject}에는 {'·'.join(missing)} 구분이 없어 해당 필터가 적용되지 않습니다."


def results(what: str, items: Sequence[tuple[str, float, str]], lang: str = KOREAN) -> str:
    """Several results of one activity in one line, e.g. '오랑: 이용인원 5,496명, 시설대관 횟수 162회.'"""
    if lang == ENGLISH:
        if not items:
            return f"{name(what, lang)}: no results for the chosen filters."
        parts = [f"{name(label, lang)} {amount(value, unit, lang)}" for label, value, unit in items]
        return f"{name(what, lang)}: {', '.join(parts)}."
    if not items:
        return f"{what}: 선택한 필터에 해당하는 실적이 없습니다."
    return f"{what}: {', '.join(f'{label} {amount(value, unit)}' for label, value, unit in items)}."


def staffing_gap(authorized: int, current: int, by_grade: Sequence[tuple[str, int]], lang: str = KOREAN) -> str:
    """Staff in post against the establishment, with the grades short of and over it (△ for a shortfall)."""
    gap = current - authorized
    if lang == ENGLISH:
        grade = {g: f"grade {g.rstrip('급')}" for g, _ in by_grade}
        if gap == 0:
            head = f"{current} staff in post for {authorized} authorised posts"
        else:
            head = f"{current} staff in post, {abs(gap)} {'more' if gap > 0 else 'fewer'} than the {authorized} posts"
        short = [f"{grade[g]} △{-d}" for g, d in by_grade if d < 0]
        over = [f"{grade[g]} +{d}" for g, d in by_grade if d > 0]
        parts = ([f"short: {', '.join(short)}"] if short else []) + ([f"over: {', '.join(over)}"] if over else [])
        return head + (f" ({'; '.join(parts)})." if parts else ".")
    if gap == 0:
        head = f"현원 {current}명이 정원 {authorized}명과 같습니다"
    else:
        head = f"현원 {current}명은 정원 {authorized}명보다 {abs(gap)}명 {'많습니다' if gap > 0 else '적습니다'}"
    short = [f"{g} △{-d}명" for g, d in by_grade if d < 0]
    over = [f"{g} +{d}명" for g, d in by_grade if d > 0]
    parts = ([f"부족 {', '.join(short)}"] if short else []) + ([f"초과 {', '.join(over)}"] if over else [])
    return head + (f" ({'; '.join(parts)})." if parts else ".")


def plans_outlook(total: int, starts: Mapping[int, int], undated: int, lang: str = KOREAN) -> str:
    """How many planned activities there are, the month most of them start in and how many have no date."""
    english = lang == ENGLISH
    if total == 0:
        return "The chosen teams have no planned activities." if english else "선택한 팀의 향후계획이 없습니다."
    if not starts:
        return (f"None of the {total} planned activities has a date." if english
                else f"향후계획 {total}건은 모두 시기가 적혀 있지 않습니다.")
    month = max(sorted(starts), key=lambda m: starts[m])  # the earliest of the busiest months
    if english:
        text = f"Of {total} planned activities, most start in {month_name(month, lang)} ({starts[month]})."
        return text + (f" {undated} have no date." if undated else "")
    text = f"향후계획 {total}건 중 {month}월에 시작하는 계획이 {starts[month]}건으로 가장 많습니다."
    return text + (f" 시기가 적히지 않은 계획이 {undated}건 있습니다." if undated else "")
