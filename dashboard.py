"""Overview: the division's budget, what was spent, and where, at the report's as-of date."""

import streamlit as st

from ydp_data import charts, findings, queries, ui
from ydp_data.formatting import money, pct

ctx = ui.page("일자리정책과 한눈에 보기", "영등포구 일자리정책과의 예산과 집행, 팀·재원·사업별 집행률을 "
              "보고서 기준일의 연중 경과율과 함께 봅니다. *Overview of the Jobs Policy Division.*", ":material/home:")

total = ui.query(queries.division_budget, ctx.filters).iloc[0]
cards = st.columns(4)
cards[0].metric(f"예산액({ctx.unit}) 과 전체", money(total["budget"], ctx.unit, with_unit=False), border=True)
cards[1].metric(f"집행액({ctx.unit}) 과 전체", money(total["executed"], ctx.unit, with_unit=False), border=True)
cards[2].metric("집행률", pct(total["rate"]), border=True)
cards[3].metric("연중 경과율", pct(ctx.elapsed_pct), border=True, help="기준일까지 지난 날 ÷ 365일")
st.markdown(findings.execution_against_year(float(total["rate"]), ctx.elapsed_pct))
checks = ui.query(queries.checks, ctx.filters)
st.caption(findings.discrepancies(int((checks["status"] == "fail").sum())))

if ctx.filters.teams_filtered or ctx.filters.sources_filtered:
    chosen = ui.query(queries.programs_budget_total, ctx.filters).iloc[0]
    st.subheader("선택한 팀·재원의 주요사업")
    picked = st.columns(3)
    picked[0].metric(f"예산액({ctx.unit}) 주요사업", money(chosen["budget"], ctx.unit, with_unit=False), border=True)
    picked[1].metric(f"집행액({ctx.unit}) 주요사업", money(chosen["executed"], ctx.unit, with_unit=False), border=True)
    picked[2].metric("집행률 (주요사업)", pct(chosen["rate"]), border=True)

st.header("단위사업별 예산 집행")
units = ui.query(queries.budget_by_unit_program, ctx.filters)
ui.applies(ctx, team=False, source=False)
ui.chart(charts.paired_bars(ui.in_unit(units, ctx), "unit_program", [("budget", "예산액"), ("executed", "집행액")],
                            title="단위사업별 예산액·집행액", unit=ctx.unit, decimals=ctx.decimals),
         units, "budget_by_unit_program", "Ⅰ-4, p.2", ctx,
         ["unit_program", "budget", "executed", "rate", "stated_rate_pct", "source"])

st.header("팀별·재원별 주요사업 예산")
st.markdown("Ⅱ·Ⅲ장의 여섯 개 주요사업 예산을 팀과 재원(국비·시비·구비)으로 나눠 봅니다. "
            "과 전체 예산 중 인력운영비·기본경비 등 주요사업 밖의 예산은 팀·재원 구분이 없어 빠집니다.")
left, right = st.columns(2)
with left:
    teams = ui.query(queries.budget_by_team, ctx.filters)
    if not ui.empty(teams):
        ui.chart(charts.paired_bars(ui.in_unit(teams, ctx), "team", [("budget", "예산액"), ("executed", "집행액")],
                                    title="팀별 예산액·집행액", unit=ctx.unit, decimals=ctx.decimals),
                 teams, "budget_by_team", "Ⅱ·Ⅲ 각 사업 예산현황", ctx)
with right:
    sources = ui.query(queries.budget_by_source, ctx.filters)
    if not ui.empty(sources):
        ui.chart(charts.paired_bars(ui.in_unit(sources, ctx), "funding_source",
                                    [("budget", "예산액"), ("executed", "집행액")],
                                    title="재원별 예산액·집행액", unit=ctx.unit, decimals=ctx.decimals),
                 sources, "budget_by_source", "Ⅱ·Ⅲ 각 사업 예산현황", ctx)

by_source = ui.query(queries.budget_by_program_source, ctx.filters)
if not ui.empty(by_source):
    ui.chart(charts.stacked_bars(ui.in_unit(by_source, ctx), "title", "funding_source", "budget",
                                 title="주요사업별 예산액의 재원 구성", unit=ctx.unit, decimals=ctx.decimals,
                                 order=["국비", "시비", "구비"]),
             by_source, "budget_by_program_source", "Ⅱ·Ⅲ 각 사업 예산현황", ctx)

st.header("사업별 집행률과 연중 경과율")
execution = ui.query(queries.program_execution, ctx.filters)
if not ui.empty(execution):
    ui.chart(charts.rate_against_mark(execution, "title", "rate", ctx.elapsed_pct, title="주요사업별 집행률",
                                      mark_label="연중 경과율", color_by="team"),
             execution, "program_execution", "Ⅱ·Ⅲ 각 사업 예산현황", ctx)
    programs = ui.query(queries.budget_by_program, ctx.filters)
    ui.table(programs, "budget_by_program", "Ⅱ·Ⅲ 각 사업 예산현황", ctx,
             ["program_id", "title", "team", "budget", "executed", "rate", "stated_rate_pct", "source"])
