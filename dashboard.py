"""Overview: the division's budget, what was spent, and where, at the report's as-of date."""

import streamlit as st

from ydp_data import charts, findings, formatting, guard, queries, serving, status, ui
from ydp_data.safe_text import md

# `streamlit run dashboard.py` serves the app through this (ydp_data/serving.py: links straight to a page open
# without Streamlit's 404 probe); the server imports this file only for `app`, Streamlit runs it as the page.
# A page that fails shows a plain message, its traceback goes to the server log only (ydp_data/guard.py).
app = st.App(__file__, middleware=serving.MIDDLEWARE, on_script_error=guard.on_script_error)

if __name__ == "__main__":
    ctx = ui.page("일자리정책과 한눈에 보기", "영등포구 일자리정책과의 예산과 집행, 팀·재원·사업별 집행률을 "
                  "보고서 기준일의 연중 경과율과 함께 봅니다.", "🏠")

    total = ui.compared(queries.division_budget, ctx, []).iloc[0]
    share = ui.query(queries.programs_budget_total, ctx.filters).iloc[0]
    ui.cards(ctx, [
        {"label": "예산액 과 전체", "value": total["budget"], "kind": "money", "previous": total.get("budget_prev"),
         "finding": findings.share_of_total(findings.known(share["budget"]), findings.known(total["budget"]), "주요사업",
                                            ctx.lang)},
        {"label": "집행액 과 전체", "value": total["executed"], "kind": "money", "previous": total.get("executed_prev"),
         "finding": findings.spent_since(total.get("executed_change"), ctx.unit, ctx.previous_as_of, ctx.lang)},
        {"label": "집행률 (과 전체)", "value": total["rate"], "kind": "pct", "previous": total.get("rate_prev"),
         "finding": findings.execution_against_year(findings.known(total["rate"]), ctx.elapsed_pct, ctx.lang)},
        {"label": "연중 경과율", "value": ctx.elapsed_pct, "kind": "pct", "help": "기준일까지 지난 날 ÷ 그해의 날 수",
         "finding": ui.T("{as_of} 기준", as_of=ctx.as_of)},
    ])
    ui.status_strip(ctx)  # the answer first: every programme behind the year's pace, and those ahead
    if findings.known(total["budget"]) is None:
        st.info(findings.no_rows("budget_units", ctx.lang))
    if ctx.filters.teams_filtered or ctx.filters.sources_filtered:
        st.caption(":material/info: " + ui.T("위 카드는 선택한 팀·재원과 관계없이 과 전체 합계입니다 (단위사업 예산에는 팀·재원 "
                                             "구분이 없음). 선택한 팀·재원의 수치는 아래 주요사업 카드에 있습니다."))
    checks = ui.query(queries.checks, ctx.filters)
    st.caption(findings.report_discrepancies(checks, ctx.lang))

    if ctx.filters.teams_filtered or ctx.filters.sources_filtered:
        chosen = ui.compared(queries.programs_budget_total, ctx, []).iloc[0]
        st.subheader(ui.T("선택한 팀·재원의 주요사업"))
        ui.cards(ctx, [
            {"label": "예산액 주요사업", "value": chosen["budget"], "kind": "money", "previous": chosen.get("budget_prev")},
            {"label": "집행액 주요사업", "value": chosen["executed"], "kind": "money", "previous": chosen.get("executed_prev")},
            {"label": "집행률 (주요사업)", "value": chosen["rate"], "kind": "pct", "previous": chosen.get("rate_prev"),
             "finding": findings.execution_against_year(findings.known(chosen["rate"]), ctx.elapsed_pct, ctx.lang)
             if chosen["budget"] else None},
        ])

    with ui.section("사업별 집행률과 연중 경과율", "execution", first=True) as shown:
        if shown:
            paced = status.execution_pace(ui.query(queries.program_execution, ctx.filters), ctx.elapsed_pct)
            if not ui.empty(paced):
                # the title states the finding; the neutral description goes under it, beside the source
                stated = ui.query(queries.stated_rates, ctx.filters)  # the report's own rate where it prints another
                ui.chart(lambda: charts.mark_stated(charts.pace_status_bars(
                             paced, "title", "rate", "gap_pp", "pace", ctx.elapsed_pct,
                             title=findings.pace_headline(status.behind_count(paced), len(paced), ctx.lang),
                             description=ui.T("주요사업별 집행률, 가장 뒤처진 사업부터 · 회색 띠: 연중 경과율 ±{tolerance}%p",
                                              tolerance=f"{findings.PACE_TOLERANCE_PP:g}"),
                             mark_label=ui.T("연중 경과율"), status_labels=status.labels(ctx.lang),
                             tolerance=findings.PACE_TOLERANCE_PP), stated, "title", "stated_rate_pct",
                             name=ui.T("보고서 표기 집행률")),
                         paced, "program_execution", "Ⅱ·Ⅲ 각 사업 예산현황", ctx,
                         ["program_id", "title", "team", "budget", "executed", "rate", "elapsed_pct", "gap_pp",
                          "source"])

    # the programmes' table in a section of its own: on the first screen it cost the browser a third of the page's
    # work (its grid component), for figures the chart above already shows (bench/RESULTS.md)
    with ui.section("주요사업별 예산·집행 표 (보고서 표기 집행률 포함)", "program_table") as shown:
        if shown:
            programs = ui.query(queries.budget_by_program, ctx.filters)
            if not ui.empty(programs):
                ui.table(programs, "budget_by_program", "Ⅱ·Ⅲ 각 사업 예산현황", ctx,
                         ["program_id", "title", "team", "budget", "executed", "rate", "stated_rate_pct", "source"])

    with ui.section("단위사업별 예산 집행", "units") as shown:
        if shown:
            units = ui.compared(queries.budget_by_unit_program, ctx, ["unit_program"])
            ui.applies(ctx, team=False, source=False)
            if units.empty:
                st.info(findings.no_rows("budget_units", ctx.lang))
            else:
                ui.chart(lambda: charts.paired_bars(ui.in_unit(units, ctx), "unit_program",
                                                    [("budget", "예산액"), ("executed", "집행액")],
                                                    title="단위사업별 예산액·집행액", unit=ctx.unit, decimals=ctx.decimals),
                         units, "budget_by_unit_program", "Ⅰ-4, p.2", ctx,
                         ["unit_program", "budget", "executed", "rate", "stated_rate_pct", "source"])

    with ui.section("팀별·재원별 주요사업 예산", "team_source") as shown:
        if shown:
            st.markdown(ui.T("Ⅱ·Ⅲ장의 여섯 개 주요사업 예산을 팀과 재원(국비·시비·구비)으로 나눠 봅니다."))
            outside = findings.outside_programs(ui.query(queries.budget_outside_programs, ctx.filters),
                                                findings.known(total["budget"]), ctx.unit, ctx.lang)
            if outside:
                st.caption(":material/info: " + md(outside))
            left, right = st.columns(2)
            with left:
                teams = ui.compared(queries.budget_by_team, ctx, ["team"])
                if not ui.empty(teams):
                    ui.chart(lambda: charts.footnote(charts.paired_bars(
                        ui.in_unit(teams, ctx), "team", [("budget", "예산액"), ("executed", "집행액")],
                        title="팀별 예산액·집행액 (주요사업)", unit=ctx.unit, decimals=ctx.decimals), outside),
                             teams, "budget_by_team", "Ⅱ·Ⅲ 각 사업 예산현황", ctx)
            with right:
                sources = ui.compared(queries.budget_by_source, ctx, ["funding_source"])
                if not ui.empty(sources):
                    ui.chart(lambda: charts.footnote(charts.paired_bars(
                        ui.in_unit(sources, ctx), "funding_source", [("budget", "예산액"), ("executed", "집행액")],
                        title="재원별 예산액·집행액 (주요사업)", unit=ctx.unit, decimals=ctx.decimals), outside),
                             sources, "budget_by_source", "Ⅱ·Ⅲ 각 사업 예산현황", ctx)

    with ui.section("주요사업별 예산의 재원 구성", "program_source") as shown:
        if shown:
            by_source = ui.query(queries.budget_by_program_source, ctx.filters)
            if not ui.empty(by_source):
                ui.chart(lambda: charts.stacked_bars(ui.in_unit(by_source, ctx), "title", "funding_source", "budget",
                                                     title="주요사업별 예산액의 재원 구성", unit=ctx.unit,
                                                     decimals=ctx.decimals, order=["국비", "시비", "구비"]),
                         by_source, "budget_by_program_source", "Ⅱ·Ⅲ 각 사업 예산현황", ctx)

    with ui.section("사업비와 성과", "cost") as shown:
        if shown:
            st.markdown(ui.T("각 사업의 예산액과 집행액을 보고서가 밝힌 실적(기준일까지 누계)으로 나눈 값입니다. "
                             "보고서의 예산을 보고서의 실적으로 나눈 것일 뿐, 사업의 효율을 평가한 값이 아닙니다. "
                             "실적의 단위(명, 개소)가 다른 사업은 따로 그립니다."))
            cost = ui.query(queries.cost_per_result, ctx.filters)
            if not ui.empty(cost):
                per = formatting.PER_RESULT_UNITS[ctx.unit]  # 천원 or 만원 per result: never 0.00억원 per person
                ui.chart(lambda: charts.panels(ui.in_unit(cost, ctx), "per", [("budget_per_result", "예산액"),
                                                                              ("executed_per_result", "집행액")],
                                               "result_unit", title="성과 1단위당 예산액·집행액 (실적 단위별)",
                                               unit_of=lambda result: f"{per}/{result}", decimals=1),
                         cost, "cost_per_result", "Ⅱ·Ⅲ 각 사업 예산현황과 추진실적", ctx,
                         ["program_id", "title", "per", "results", "result_unit", "budget", "executed", "budget_per_result",
                          "executed_per_result", "source"])
