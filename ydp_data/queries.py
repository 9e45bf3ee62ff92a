"""Query functions of the dashboard: parameterised SQL only, one function per question, exact integer money.

Every function takes the Database and the Filters and returns a DataFrame whose money columns are
천원 as BIGINT (DuckDB's SUM gives a 128-bit integer that pandas would turn into a float: cast back).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ydp_data.datasets import SPEC_BY_TABLE
from ydp_data.db import Database
from ydp_data.filters import Filters

_RATE = "ROUND(CAST({e} AS DOUBLE) * 100 / NULLIF({b}, 0), 1)"  # % to one decimal; NULL without a budget
# the execution rate, written once per grain: the main programmes' budget rows (alias b), the division's budget
# units summed, and one unit programme's row
PROGRAM_RATE = _RATE.format(e="SUM(b.executed)", b="SUM(b.budget)")
DIVISION_RATE = _RATE.format(e="SUM(executed)", b="SUM(budget)")
UNIT_RATE = _RATE.format(e="executed", b="budget")
_TEAM_OF_PROGRAM = "list_contains($teams, p.team)"


def reports(db: Database, f: Filters | None = None) -> pd.DataFrame:
    """Every report period, newest first (the filters do not apply)."""
    return db.query("SELECT report_id, title, district, division, as_of, source FROM reports ORDER BY as_of DESC")


def report(db: Database, f: Filters) -> dict[str, Any]:
    """The chosen report's title, division and as-of date, with the share of its year elapsed."""
    df = db.query(
        """SELECT report_id, title, district, division, as_of,
                  ROUND(dayofyear(as_of) * 100.0 / dayofyear(make_date(year(as_of), 12, 31)), 1) AS elapsed_pct
           FROM reports WHERE report_id = $report""", {"report": f.report_id})
    return df.iloc[0].to_dict() if len(df) else {}


def previous_report(db: Database, f: Filters) -> pd.DataFrame:
    """The report just before the chosen one (by as-of date), or no row when it is the first."""
    return db.query(
        """SELECT report_id, as_of FROM reports
           WHERE as_of < (SELECT as_of FROM reports WHERE report_id = $report)
           ORDER BY as_of DESC LIMIT 1""", {"report": f.report_id})


def division_budget(db: Database, f: Filters) -> pd.DataFrame:
    """The division's whole budget and spending (예산현황 계), from the unit programs; no team or source split."""
    return db.query(
        f"""SELECT CAST(SUM(budget) AS BIGINT) AS budget, CAST(SUM(executed) AS BIGINT) AS executed,
                   {DIVISION_RATE} AS rate
            FROM budget_units WHERE report_id = $report""", {"report": f.report_id})


def budget_by_unit_program(db: Database, f: Filters) -> pd.DataFrame:
    """Budget and spending per unit program (단위사업), with the rate computed and the rate the report states."""
    return db.query(
        f"""SELECT unit_program, budget, executed, {UNIT_RATE} AS rate,
                   stated_rate_pct, source
            FROM budget_units WHERE report_id = $report ORDER BY sort_order""", {"report": f.report_id})


def _program_budget_select(columns: str, order: str) -> str:
    """Budget, spending and rate of the main programs grouped by columns, within the chosen teams and sources."""
    return f"""SELECT {columns}, CAST(SUM(b.budget) AS BIGINT) AS budget, CAST(SUM(b.executed) AS BIGINT) AS executed,
                      {PROGRAM_RATE} AS rate
               FROM program_budget b JOIN programs p USING (report_id, program_id)
               JOIN teams t ON t.report_id = p.report_id AND t.team = p.team
               WHERE b.report_id = $report AND {_TEAM_OF_PROGRAM} AND list_contains($sources, b.funding_source)
               GROUP BY {columns}, {order} ORDER BY {order}"""


def programs_budget_total(db: Database, f: Filters) -> pd.DataFrame:
    """Budget and spending of the six main programs (Ⅱ, Ⅲ) within the chosen teams and sources."""
    return db.query(
        f"""SELECT CAST(COALESCE(SUM(b.budget), 0) AS BIGINT) AS budget,
                   CAST(COALESCE(SUM(b.executed), 0) AS BIGINT) AS executed,
                   {PROGRAM_RATE} AS rate, COUNT(DISTINCT b.program_id) AS programs
            FROM program_budget b JOIN programs p USING (report_id, program_id)
            WHERE b.report_id = $report AND {_TEAM_OF_PROGRAM} AND list_contains($sources, b.funding_source)""",
        f.params())


def budget_by_program(db: Database, f: Filters, program_id: str | None = None) -> pd.DataFrame:
    """Budget, spending and execution rate per main program (or of one), for the chosen teams and sources."""
    sql = _program_budget_select("b.program_id, p.title, p.team, p.stated_rate_pct, b.source", "p.section, p.number")
    sql = sql.replace("GROUP BY", "AND ($program IS NULL OR b.program_id = $program) GROUP BY")
    return db.query(sql, {**f.params(), "program": program_id})


def budget_by_team(db: Database, f: Filters) -> pd.DataFrame:
    """Budget and spending per team, from its main programs."""
    return db.query(_program_budget_select("p.team", "t.sort_order"), f.params())


def budget_by_source(db: Database, f: Filters) -> pd.DataFrame:
    """Budget and spending per funding source (국비, 시비, 구비), from the main programs."""
    return db.query(_program_budget_select(
        "b.funding_source", "list_position(['국비', '시비', '구비'], b.funding_source)"), f.params())


def budget_by_program_source(db: Database, f: Filters) -> pd.DataFrame:
    """Budget and spending per main program and funding source, one row each."""
    return db.query(
        """SELECT b.program_id, p.title, p.team, b.funding_source, b.budget, b.executed, b.source
           FROM program_budget b JOIN programs p USING (report_id, program_id)
           WHERE b.report_id = $report AND list_contains($teams, p.team) AND list_contains($sources, b.funding_source)
           ORDER BY b.program_id, list_position(['국비', '시비', '구비'], b.funding_source)""", f.params())


def programs(db: Database, f: Filters, program_id: str | None = None) -> pd.DataFrame:
    """The main programs with team, purpose, period and target group."""
    return db.query(
        """SELECT program_id, title, team, unit_program, purpose, period, target_group, overview, source
           FROM programs p WHERE report_id = $report AND list_contains($teams, team)
             AND ($program IS NULL OR program_id = $program) ORDER BY section, number""",
        {**f.params(), "program": program_id})


def facts(db: Database, f: Filters, *, program_id: str | None = None, categories: list[str] | None = None,
          measures: list[str] | None = None, kind: str | None = None, units: list[str] | None = None,
          by_source: bool = False) -> pd.DataFrame:
    """Results and targets of the programs, in the tidy form of facts.csv.

    by_source=False gives the figures without a funding-source split (totals, counts, rates);
    by_source=True gives only the parts split by source, within the chosen sources.
    """
    return db.query(
        """SELECT x.fact_id, x.program_id, p.team, x.category, x.measure, x.funding_source, x.kind, x.period,
                  x.value, x.unit, x.note, x.source
           FROM facts x JOIN programs p USING (report_id, program_id)
           WHERE x.report_id = $report AND list_contains($teams, p.team)
             AND ($program IS NULL OR x.program_id = $program)
             AND ($categories IS NULL OR list_contains($categories, x.category))
             AND ($measures IS NULL OR list_contains($measures, x.measure))
             AND ($kind IS NULL OR x.kind = $kind)
             AND ($units IS NULL OR list_contains($units, x.unit))
             AND (CASE WHEN $by_source THEN x.funding_source IS NOT NULL AND list_contains($sources, x.funding_source)
                       ELSE x.funding_source IS NULL END)
           ORDER BY x.program_id, x.rowid""",
        {**f.params(), "program": program_id, "categories": categories, "measures": measures, "kind": kind,
         "units": units, "by_source": by_source})


def program_execution(db: Database, f: Filters) -> pd.DataFrame:
    """Each main program's execution rate (with the budget and spending it is made of) beside the share of the
    year elapsed at the as-of date."""
    return db.query(
        f"""SELECT b.program_id, p.title, p.team, CAST(SUM(b.budget) AS BIGINT) AS budget,
                   CAST(SUM(b.executed) AS BIGINT) AS executed,
                   {PROGRAM_RATE} AS rate,
                   ROUND(dayofyear(r.as_of) * 100.0 / dayofyear(make_date(year(r.as_of), 12, 31)), 1) AS elapsed_pct,
                   p.source
            FROM program_budget b JOIN programs p USING (report_id, program_id) JOIN reports r USING (report_id)
            WHERE b.report_id = $report AND list_contains($teams, p.team) AND list_contains($sources, b.funding_source)
            GROUP BY ALL ORDER BY b.program_id""", f.params())


# What each program's spending is set against: (program, fact_id pattern, what one unit of result is)
COST_BASES: tuple[tuple[str, str, str], ...] = (
    ("Ⅱ-1", "jobplus.employed", "일자리플러스센터 취업자 1명"),
    ("Ⅱ-2", "publicwork.%.selected", "상반기 선발인원 1명"),
    ("Ⅱ-3", "grants.%.firms", "재정지원 1건(4개 사업의 지원기업 수 합: 한 기업이 여러 번 셀 수 있음)"),
    ("Ⅱ-4", "orang.visitors", "오랑 이용 1명"),
    ("Ⅲ-1", "training.%", "맞춤형 교육생 1명"),
    ("Ⅲ-2", "youth4.%.participants", "4차산업 프로그램 참여 1명(취업특강 참석과 교육과정 참여의 합)"),
)


def cost_per_result(db: Database, f: Filters) -> pd.DataFrame:
    """Each program's budget and spending over the results it reports (실적 누계), in 천원 per result.

    This is the report's budget over its reported results, nothing more: results are counted to the
    as-of date, the budget is for the year.
    """
    return db.query(
        """WITH bases AS (SELECT unnest($programs) AS program_id, unnest($patterns) AS pattern,
                                  unnest($labels) AS per),
                 money AS (SELECT b.program_id, SUM(b.budget) AS budget, SUM(b.executed) AS executed
                           FROM program_budget b WHERE b.report_id = $report
                             AND list_contains($sources, b.funding_source) GROUP BY b.program_id),
                 results AS (SELECT s.program_id, s.per, SUM(x.value) AS results, ANY_VALUE(x.unit) AS result_unit
                             FROM bases s JOIN facts x ON x.report_id = $report AND x.program_id = s.program_id
                                  AND x.fact_id LIKE s.pattern AND x.kind = 'actual' AND x.funding_source IS NULL
                             GROUP BY s.program_id, s.per)
            SELECT p.program_id, p.title, p.team, r.per, CAST(r.results AS BIGINT) AS results, r.result_unit,
                   CAST(m.budget AS BIGINT) AS budget, CAST(m.executed AS BIGINT) AS executed,
                   ROUND(m.budget / NULLIF(r.results, 0), 1) AS budget_per_result,
                   ROUND(m.executed / NULLIF(r.results, 0), 1) AS executed_per_result, p.source
            FROM programs p JOIN results r USING (program_id) JOIN money m USING (program_id)
            WHERE p.report_id = $report AND list_contains($teams, p.team)
            ORDER BY p.section, p.number""",
        {**f.params(), "programs": [b[0] for b in COST_BASES], "patterns": [b[1] for b in COST_BASES],
         "labels": [b[2] for b in COST_BASES]})


def annual_attainment(db: Database, f: Filters, programs: list[str] | None = None) -> pd.DataFrame:
    """Each annual target (kind target, period a year, no source split) beside what was achieved towards it: the
    actuals of the same program, category and unit, or, when there are none, the actuals of the program's
    sub-programmes in that unit (e.g. 목표인원 448명 against the sub-programmes' 선발인원); targets without actuals are
    left out. Within the chosen teams (facts have no funding-source split here)."""
    return db.query(
        """WITH targets AS (
                SELECT x.rowid AS pos, x.program_id, x.category, x.measure, x.value, x.unit, x.source
                FROM facts x JOIN programs p USING (report_id, program_id)
                WHERE x.report_id = $report AND list_contains($teams, p.team)
                  AND ($programs IS NULL OR list_contains($programs, x.program_id))
                  AND x.kind = 'target' AND x.funding_source IS NULL AND regexp_full_match(x.period, '[0-9]{4}')),
            actuals AS (
                SELECT program_id, category, measure, value, unit FROM facts
                WHERE report_id = $report AND kind = 'actual' AND funding_source IS NULL),
            same AS (
                SELECT t.pos, SUM(a.value) AS actual, list_sort(list(DISTINCT a.measure)) AS measures
                FROM targets t JOIN actuals a ON a.program_id = t.program_id AND a.category = t.category
                     AND a.unit = t.unit
                GROUP BY t.pos),
            parts AS (
                SELECT t.pos, SUM(a.value) AS actual, list_sort(list(DISTINCT a.measure)) AS measures
                FROM targets t JOIN subprograms s ON s.report_id = $report AND s.program_id = t.program_id
                JOIN actuals a ON a.program_id = t.program_id AND a.category = s.subprogram AND a.unit = t.unit
                WHERE t.pos NOT IN (SELECT pos FROM same)
                GROUP BY t.pos)
           SELECT t.program_id, p.title, p.team, t.category, t.measure AS target_measure, t.value AS target,
                  m.actual, array_to_string(m.measures, '·') AS actual_measure, t.unit,
                  ROUND(m.actual * 100.0 / NULLIF(t.value, 0), 1) AS attainment_pct, t.source
           FROM targets t JOIN (SELECT * FROM same UNION ALL SELECT * FROM parts) m USING (pos)
           JOIN programs p ON p.report_id = $report AND p.program_id = t.program_id
           ORDER BY p.section, p.number, t.pos""",
        {**f.params(), "programs": programs})


def public_work_people(db: Database, f: Filters) -> pd.DataFrame:
    """Public-work jobs per sub-program: first-half selections against second-half targets."""
    return db.query(
        """SELECT x.category AS subprogram,
                  CAST(SUM(x.value) FILTER (WHERE x.measure = '선발인원' AND x.period LIKE '%-H1') AS BIGINT) AS selected_h1,
                  CAST(SUM(x.value) FILTER (WHERE x.measure = '목표인원' AND x.period LIKE '%-H2') AS BIGINT) AS target_h2,
                  ANY_VALUE(x.source) AS source
           FROM facts x JOIN programs p USING (report_id, program_id)
           JOIN subprograms s ON s.report_id = x.report_id AND s.program_id = x.program_id AND s.subprogram = x.category
           WHERE x.report_id = $report AND x.program_id = 'Ⅱ-2' AND list_contains($teams, p.team)
           GROUP BY x.category, s.rowid ORDER BY s.rowid""", f.params())


def split_by_source(db: Database, f: Filters, program_id: str, measure: str) -> pd.DataFrame:
    """A measure split by funding source per category (e.g. 예산 per public-work sub-program), with its total and ratio."""
    return db.query(
        """SELECT x.category, x.funding_source, x.value, x.unit,
                  t.value AS category_total,
                  ROUND(x.value * 100.0 / NULLIF(t.value, 0), 1) AS share_pct,
                  r.value AS stated_ratio_pct, x.source
           FROM facts x JOIN programs p USING (report_id, program_id)
           LEFT JOIN facts t ON t.report_id = x.report_id AND t.program_id = x.program_id
                AND t.category = x.category AND t.measure = x.measure AND t.funding_source IS NULL
           LEFT JOIN facts r ON r.report_id = x.report_id AND r.program_id = x.program_id
                AND r.category = x.category AND r.measure = '재원비율' AND r.funding_source = x.funding_source
           WHERE x.report_id = $report AND x.program_id = $program AND x.measure = $measure
             AND x.funding_source IS NOT NULL AND list_contains($teams, p.team)
             AND list_contains($sources, x.funding_source)
           ORDER BY x.rowid""", {**f.params(), "program": program_id, "measure": measure})


def subprograms(db: Database, f: Filters, program_id: str) -> pd.DataFrame:
    """The sub-programs of a program (public-work types, grant schemes) with content and period."""
    return db.query(
        """SELECT s.subprogram, s.description, s.target_group, s.period, s.start_month, s.end_month, s.source
           FROM subprograms s JOIN programs p USING (report_id, program_id)
           WHERE s.report_id = $report AND s.program_id = $program AND list_contains($teams, p.team)
           ORDER BY s.rowid""", {**f.params(), "program": program_id})


def staffing(db: Database, f: Filters) -> pd.DataFrame:
    """Staff by grade: 정원, 현원 and the shortfall 현원 − 정원, beside the difference the report states."""
    return db.query(
        """SELECT job_series, grade, authorized, current, current - authorized AS difference, stated_difference, source
           FROM staffing WHERE report_id = $report ORDER BY job_series, grade""", {"report": f.report_id})


def staffing_total(db: Database, f: Filters) -> pd.DataFrame:
    """정원, 현원 and 과부족 of the whole division (the table's 계 row, recomputed from the grades)."""
    return db.query(
        """SELECT CAST(SUM(authorized) AS BIGINT) AS authorized, CAST(SUM(current) AS BIGINT) AS current,
                  CAST(SUM(current) - SUM(authorized) AS BIGINT) AS difference
           FROM staffing WHERE report_id = $report""", {"report": f.report_id})


def team_duties(db: Database, f: Filters) -> pd.DataFrame:
    """Each team's duties as the report lists them."""
    return db.query(
        """SELECT d.team, t.team_en, d.seq, d.duty, d.source
           FROM team_duties d JOIN teams t USING (report_id, team)
           WHERE d.report_id = $report AND list_contains($teams, d.team) ORDER BY t.sort_order, d.seq""", f.params())


def facilities(db: Database, f: Filters) -> pd.DataFrame:
    """The division's facilities with team, address, floor area and use."""
    return db.query(
        """SELECT facility_id, name, team, address, floor_area_m2, used_area_m2, use, note, source
           FROM facilities WHERE report_id = $report AND list_contains($teams, team) ORDER BY rowid""", f.params())


def facility_parts(db: Database, f: Filters) -> pd.DataFrame:
    """Floors, rooms and counts inside the facilities."""
    return db.query(
        """SELECT fa.name, p.part, p.area_m2, p.quantity, p.quantity_unit, p.use, p.source
           FROM facility_parts p JOIN facilities fa USING (report_id, facility_id)
           WHERE p.report_id = $report AND list_contains($teams, fa.team) ORDER BY fa.rowid, p.rowid""", f.params())


def equipment(db: Database, f: Filters) -> pd.DataFrame:
    """Equipment (vehicles) by team."""
    return db.query(
        """SELECT category, name, vehicle_type, model_year, quantity, team, source
           FROM equipment WHERE report_id = $report AND list_contains($teams, team) ORDER BY rowid""", f.params())


def plans(db: Database, f: Filters) -> pd.DataFrame:
    """Planned activities (향후계획) with their months and team, in report order."""
    return db.query(
        """SELECT l.plan_id, l.program_id, p.title AS program_title, p.team, l.plan_group, l.activity, l.detail,
                  l.schedule, l.start_month, l.end_month, l.source
           FROM plans l JOIN programs p USING (report_id, program_id)
           WHERE l.report_id = $report AND list_contains($teams, p.team) ORDER BY l.rowid""", f.params())


def checks(db: Database, f: Filters, check_id: str | None = None) -> pd.DataFrame:
    """The reconciliation checks of the report (or one of them), failures (the report's own discrepancies) first."""
    return db.query(
        """SELECT status, category, description, expected, computed, difference AS gap, tolerance, unit, source, note,
                  check_id
           FROM checks WHERE report_id = $report AND ($check IS NULL OR check_id = $check)
           ORDER BY status = 'pass', rowid""", {"report": f.report_id, "check": check_id})


TABLES: tuple[str, ...] = tuple(SPEC_BY_TABLE)


def table(db: Database, f: Filters, name: str) -> pd.DataFrame:
    """Every row of one dataset table for the report; name must be one of TABLES (never put into SQL otherwise)."""
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}")
    return db.query(f'SELECT * FROM "{name}" WHERE report_id = $report ORDER BY rowid', {"report": f.report_id})


# --- a figure against its whole, the two halves of the year, and the budget the programme charts leave out --------
HALF_STAGES: tuple[str, str] = ("상반기 선발 (실적)", "하반기 목표 (목표)")


def part_of_whole(db: Database, f: Filters, part: str, whole: str, stated: str | None = None) -> pd.DataFrame:
    """One figure against the whole it comes from or aims at, in the same unit: the employed of the job seekers, the
    first half's selections of the annual target, purchases of the target amount. part is a fact_id pattern (LIKE;
    the facts are summed), whole and stated fact_ids (stated: the share the report prints). No row when the chosen
    teams leave the facts out or the part's units differ from the whole's."""
    return db.query(
        """WITH chosen AS (SELECT x.fact_id, x.category, x.measure, x.kind, x.period, x.value, x.unit, x.source
                            FROM facts x JOIN programs p USING (report_id, program_id)
                            WHERE x.report_id = $report AND list_contains($teams, p.team) AND x.funding_source IS NULL),
                part AS (SELECT SUM(value) AS value, COUNT(DISTINCT unit) AS units, ANY_VALUE(unit) AS unit,
                                array_to_string(list_sort(list(DISTINCT measure)), '·') AS measure,
                                array_to_string(list_sort(list(DISTINCT kind)), '·') AS kind,
                                array_to_string(list_sort(list(DISTINCT period)), '·') AS period
                         FROM chosen WHERE fact_id LIKE $part)
           SELECT w.category, part.measure AS part_measure, part.kind AS part_kind, part.period,
                  w.measure AS whole_measure, w.kind AS whole_kind, w.period AS whole_period,
                  CAST(part.value AS DOUBLE) AS value, CAST(w.value AS DOUBLE) AS whole, w.unit,
                  ROUND(CAST(part.value AS DOUBLE) * 100 / NULLIF(CAST(w.value AS DOUBLE), 0), 1) AS rate_pct,
                  CAST(s.value AS DOUBLE) AS stated_rate_pct, w.source
           FROM chosen w CROSS JOIN part LEFT JOIN chosen s ON s.fact_id = $stated
           WHERE w.fact_id = $whole AND part.units = 1 AND part.unit = w.unit""",
        {**f.params(), "part": part, "whole": whole, "stated": stated})


def public_work_halves(db: Database, f: Filters) -> pd.DataFrame:
    """Public-work jobs per sub-program in the year's two halves, each named for what it is: first-half selections
    (실적) and second-half targets (목표), one row each."""
    return db.query(
        """SELECT x.category AS subprogram, CASE WHEN x.kind = 'actual' THEN $h1 ELSE $h2 END AS stage, x.measure, x.kind,
                  x.period, x.value, x.unit, x.source
           FROM facts x JOIN programs p USING (report_id, program_id)
           JOIN subprograms s ON s.report_id = x.report_id AND s.program_id = x.program_id AND s.subprogram = x.category
           WHERE x.report_id = $report AND x.program_id = 'Ⅱ-2' AND list_contains($teams, p.team)
             AND x.funding_source IS NULL
             AND ((x.measure = '선발인원' AND x.kind = 'actual' AND x.period LIKE '%-H1')
                  OR (x.measure = '목표인원' AND x.kind = 'target' AND x.period LIKE '%-H2'))
           ORDER BY s.rowid, x.period""", {**f.params(), "h1": HALF_STAGES[0], "h2": HALF_STAGES[1]})


def budget_outside_programs(db: Database, f: Filters) -> pd.DataFrame:
    """The division's budget that the six main programmes do not cover, per unit program (단위사업): a unit program
    with no main programme whole, one with some the rest beyond them (the programme-unit match is inferred from
    the amounts, see datasets/README.md); no team or funding-source split exists for it."""
    return db.query(
        """SELECT u.unit_program, CAST(u.budget - COALESCE(SUM(b.budget), 0) AS BIGINT) AS budget,
                  CAST(u.executed - COALESCE(SUM(b.executed), 0) AS BIGINT) AS executed,
                  COALESCE(string_agg(DISTINCT p.program_id, '·' ORDER BY p.program_id), '') AS programs, u.source
           FROM budget_units u
           LEFT JOIN programs p ON p.report_id = u.report_id AND p.unit_program = u.unit_program
           LEFT JOIN program_budget b ON b.report_id = p.report_id AND b.program_id = p.program_id
           WHERE u.report_id = $report
           GROUP BY u.unit_program, u.budget, u.executed, u.sort_order, u.source
           HAVING u.budget - COALESCE(SUM(b.budget), 0) > 0
           ORDER BY u.sort_order""", {"report": f.report_id})


def stated_rates(db: Database, f: Filters) -> pd.DataFrame:
    """The main programmes whose execution rate, computed over all their funding sources, differs at one decimal from
    the rate the report prints (e.g. Ⅱ-1 35.3% against 35.2%); none when sources are filtered, for the report's rate
    is the whole programme's."""
    return db.query(
        f"""SELECT b.program_id, p.title, {PROGRAM_RATE} AS rate,
                   CAST(p.stated_rate_pct AS DOUBLE) AS stated_rate_pct, p.source
            FROM program_budget b JOIN programs p USING (report_id, program_id)
            WHERE b.report_id = $report AND list_contains($teams, p.team) AND NOT $sources_filtered
            GROUP BY b.program_id, p.title, p.stated_rate_pct, p.source
            HAVING p.stated_rate_pct IS NOT NULL
               AND {PROGRAM_RATE} <> CAST(p.stated_rate_pct AS DOUBLE)
            ORDER BY b.program_id""", {**f.params(), "sources_filtered": f.sources_filtered})


def periods(db: Database, f: Filters) -> pd.DataFrame:
    """The report periods of the chosen report's year up to it, oldest first: what a trend is drawn over."""
    return db.query(
        """SELECT r.report_id, r.as_of,
                  ROUND(dayofyear(r.as_of) * 100.0 / dayofyear(make_date(year(r.as_of), 12, 31)), 1) AS elapsed_pct
           FROM reports r, (SELECT as_of FROM reports WHERE report_id = $report) c
           WHERE year(r.as_of) = year(c.as_of) AND r.as_of <= c.as_of ORDER BY r.as_of""", f.params())


def execution_trend(db: Database, f: Filters, programs: list[str] | None = None) -> pd.DataFrame:
    """Each main programme's execution rate at every report period of the year up to the chosen one, beside the
    share of the year elapsed then and the gap between them (programmes matched by program_id across reports)."""
    return db.query(
        f"""WITH chosen AS (SELECT as_of FROM reports WHERE report_id = $report),
                 rows AS (
                    SELECT r.report_id, r.as_of, b.program_id, p.title, b.program_id || ' ' || p.title AS series, p.team,
                           CAST(SUM(b.budget) AS BIGINT) AS budget, CAST(SUM(b.executed) AS BIGINT) AS executed,
                           {PROGRAM_RATE} AS rate,
                           ROUND(dayofyear(r.as_of) * 100.0 / dayofyear(make_date(year(r.as_of), 12, 31)), 1)
                               AS elapsed_pct
                    FROM program_budget b JOIN programs p USING (report_id, program_id) JOIN reports r USING (report_id),
                         chosen c
                    WHERE year(r.as_of) = year(c.as_of) AND r.as_of <= c.as_of
                      AND list_contains($teams, p.team) AND list_contains($sources, b.funding_source)
                      AND ($programs IS NULL OR list_contains($programs, b.program_id))
                    GROUP BY ALL)
            SELECT *, ROUND(rate - elapsed_pct, 1) AS gap FROM rows ORDER BY program_id, as_of""",
        {**f.params(), "programs": programs})


def attainment_trend(db: Database, f: Filters, programs: list[str] | None = None) -> pd.DataFrame:
    """Each annual target against what was achieved towards it, at every report period of the year up to the chosen
    one (annual_attainment per period, with its as-of date)."""
    frames = []
    for period in periods(db, f).itertuples():
        rows = annual_attainment(db, Filters(str(period.report_id), f.teams, f.sources), programs)
        series = rows["program_id"] + " " + rows["target_measure"] + " (" + rows["unit"] + ")"
        frames.append(rows.assign(report_id=period.report_id, as_of=period.as_of, series=series))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
