"""Public-sector jobs (Ⅱ-2): selections against targets, budget by funding source, wages and conditions."""

import streamlit as st

from ydp_data import charts, findings, queries, ui
from ydp_data.safe_text import md

PROGRAMS = ("Ⅱ-2",)  # the programmes this page reports

ctx = ui.page("공공분야 일자리", "동행일자리·지역공동체일자리·청년드림나래의 상반기 선발인원과 하반기 목표, "
              "세부사업별 재원 구성과 임금 기준입니다.", "👥", answer=PROGRAMS)

if ui.program_header(ctx, "Ⅱ-2"):
    with ui.section("선발인원과 목표인원", "people", first=True) as shown:
        if shown:
            ui.applies(ctx, team=True, source=False)
            people = ui.query(queries.public_work_people, ctx.filters)
            annual = ui.query(queries.facts, ctx.filters, program_id="Ⅱ-2", measures=["목표인원"], kind="target")
            if not ui.empty(people):
                target = float(annual[annual["period"].str.len() == 4]["value"].sum())
                st.markdown(findings.progress_against_target(float(people["selected_h1"].sum()), target,
                                                             "상반기 선발인원 (연간 목표 대비)", "명", ctx.lang))
                gap = ui.query(queries.checks, ctx.filters, check_id="publicwork.target.annual")
                note = None  # the report's own 448 ≠ 446, also under the chart so that it travels with it
                if not gap.empty and gap.iloc[0]["status"] == "fail":
                    g = gap.iloc[0]
                    st.warning(ui.T("보고서 불일치: {description} — 보고서 {expected}명, 상반기 선발 + 하반기 목표 {computed}명 ({source})",
                                    description=md(g["description"]), expected=f"{g['expected']:,.0f}",
                                    computed=f"{g['computed']:,.0f}", source=md(g["source"])), icon=":material/report:")
                    note = ui.T("보고서 불일치: 연간 목표 {expected}명 ≠ 상반기 선발 + 하반기 목표 {computed}명 ({source})",
                                expected=f"{g['expected']:,.0f}", computed=f"{g['computed']:,.0f}", source=g["source"])
                # attainment on one basis: the first half's selections against the annual target
                attained = ui.query(queries.part_of_whole, ctx.filters, part="publicwork.%.selected", whole="publicwork.target")
                if not attained.empty:
                    ui.chart(lambda: charts.progress(attained, "category", title="연간 목표 대비 상반기 선발인원", unit="명",
                                                     value_name="상반기 선발인원 (실적)", whole_name="연간 목표인원 (목표)",
                                                     note=note),
                             attained, "public_work_attainment", "Ⅱ-2, p.5", ctx,
                             ["category", "part_measure", "period", "value", "whole_measure", "whole_period", "whole",
                              "unit", "rate_pct", "source"])

    with ui.section("세부사업별 상반기 선발과 하반기 목표", "halves") as shown:
        if shown:
            ui.applies(ctx, team=True, source=False)
            # each sub-programme's two halves, each named for what it is, stacked: never a half-year target set
            # beside the other half's selections as if one were attained against the other
            halves = ui.query(queries.public_work_halves, ctx.filters)
            if not ui.empty(halves):
                gap = ui.query(queries.checks, ctx.filters, check_id="publicwork.target.annual")
                sums = "" if gap.empty or gap.iloc[0]["status"] == "pass" else ui.T(
                    "두 반기의 합 {computed}명은 보고서의 연간 목표 {expected}명과 다릅니다 ({source}).",
                    computed=f"{gap.iloc[0]['computed']:,.0f}", expected=f"{gap.iloc[0]['expected']:,.0f}",
                    source=gap.iloc[0]["source"])
                ui.chart(lambda: charts.footnote(charts.stacked_bars(
                    halves, "subprogram", "stage", "value", title="세부사업별 상반기 선발(실적)과 하반기 목표(목표)", unit="명",
                    order=list(queries.HALF_STAGES)), sums),
                         halves, "public_work_halves", "Ⅱ-2, p.5", ctx,
                         ["subprogram", "stage", "measure", "kind", "period", "value", "unit", "source"])
                people = ui.query(queries.public_work_people, ctx.filters)
                ui.table(people, "public_work_people", "Ⅱ-2, p.5", ctx, ["subprogram", "selected_h1", "target_h2", "source"])

    with ui.section("세부사업별 예산과 재원비율", "budget_by_source") as shown:
        if shown:
            budget = ui.query(queries.split_by_source, ctx.filters, program_id="Ⅱ-2", measure="예산")
            if not ui.empty(budget):
                ui.chart(lambda: charts.stacked_bars(ui.in_unit(budget, ctx), "category", "funding_source", "value",
                                                     title="세부사업별 예산의 재원 구성 (보고서 백만원 단위)", unit=ctx.unit,
                                                     decimals=ctx.decimals, order=["국비", "시비", "구비"]),
                         budget, "public_work_budget_by_source", "Ⅱ-2, p.5", ctx,
                         ["category", "funding_source", "value", "unit", "category_total", "share_pct", "stated_ratio_pct",
                          "source"])
                sums = ui.query(queries.checks, ctx.filters, check_id="publicwork.budget.program")
                if not sums.empty and sums.iloc[0]["status"] == "fail":
                    s = sums.iloc[0]
                    st.warning(ui.T("보고서 불일치: 세부사업 예산의 합 {computed}천원이 Ⅱ-2 예산액 {expected}천원과 다릅니다 ({source}).",
                                    computed=f"{s['computed']:,.0f}", expected=f"{s['expected']:,.0f}", source=md(s["source"])),
                               icon=":material/report:")

    with ui.section("임금 기준과 참여 조건", "wages") as shown:
        if shown:
            wages = ui.query(queries.facts, ctx.filters, program_id="Ⅱ-2", measures=["시급"])
            if not ui.empty(wages):
                ui.chart(lambda: charts.value_bars(wages, "category", "value", title="시급 기준 (2023년)", unit="원"),
                         wages, "public_work_wages", "Ⅱ-2, p.5", ctx,
                         ["category", "measure", "value", "unit", "note", "source"])
            rules = ui.query(queries.facts, ctx.filters, program_id="Ⅱ-2", categories=["선발대상", "선발요건", "근로시간"])
            ui.table(rules, "public_work_conditions", "Ⅱ-2, p.5", ctx,
                     ["category", "measure", "value", "unit", "note", "source"])

    with ui.section("세부사업", "subprograms") as shown:
        if shown:
            subs = ui.query(queries.subprograms, ctx.filters, program_id="Ⅱ-2")
            ui.table(subs, "public_work_subprograms", "Ⅱ-2, p.5", ctx, ["subprogram", "description", "period", "source"])

if ui.execution_trend(ctx, PROGRAMS) is not None:  # three or more report periods of the year
    with ui.section("보고 시점별 추이", "trend") as shown:
        if shown:
            ui.trend_charts(ctx, PROGRAMS, "public_jobs")
