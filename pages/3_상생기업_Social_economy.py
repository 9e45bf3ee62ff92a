"""Social economy (상생기업팀): grants per scheme by funding source, public procurement, Studio 영원 and the centre."""

import streamlit as st

from ydp_data import charts, queries, ui
from ydp_data.safe_text import md

PROGRAMS = ("Ⅱ-3",)  # the programmes this page reports

ctx = ui.page("상생기업: 사회적경제 지원", "상생기업 재정지원(사업별 지원기업·재원별 지원액), 공공구매 실적, "
              "스튜디오 영원과 사회적경제지원센터 운영 실적입니다.", "🤝", answer=PROGRAMS)

if ui.program_header(ctx, "Ⅱ-3"):
    with ui.section("상생기업 재정지원", "grants", first=True) as shown:
        if shown:
            grants = ui.query(queries.split_by_source, ctx.filters, program_id="Ⅱ-3", measure="지원액")
            if not ui.empty(grants):
                ui.chart(lambda: charts.stacked_bars(ui.in_unit(grants, ctx), "category", "funding_source", "value",
                                                     title="사업별 지원액의 재원 구성 (보고서 백만원 단위)", unit=ctx.unit,
                                                     decimals=ctx.decimals, order=["국비", "시비", "구비"]),
                         grants, "grants_by_source", "Ⅱ-3, p.6", ctx,
                         ["category", "funding_source", "value", "unit", "category_total", "share_pct", "source"])

    with ui.section("사업별 지원기업", "grants_firms") as shown:
        if shown:
            firms = ui.compared(queries.facts, ctx, ["fact_id"], program_id="Ⅱ-3", measures=["지원기업"])
            if not ui.empty(firms):
                ui.applies(ctx, team=True, source=False)
                ui.chart(lambda: charts.value_bars(firms, "category", "value", title="사업별 지원기업 수", unit="개소"),
                         firms, "grants_firms", "Ⅱ-3, p.6", ctx, ["category", "value", "unit", "source"])
                st.caption(":material/info: " + ui.T("사업마다 따로 센 수입니다. 한 기업이 여러 사업에서 지원받을 수 있어, "
                                                     "사업별 지원기업 수를 더한 값은 기업 수가 아니라 지원 건수입니다."))
            schemes = ui.query(queries.subprograms, ctx.filters, program_id="Ⅱ-3")
            ui.table(schemes, "grant_schemes", "Ⅱ-3, p.6", ctx, ["subprogram", "target_group", "description", "source"])

    with ui.section("공공구매 활성화와 특화사업", "procurement") as shown:
        if shown:
            attained = ui.query(queries.part_of_whole, ctx.filters, part="procurement.actual", whole="procurement.target",
                                stated="procurement.rate")
            ui.applies(ctx, team=True, source=False)
            if not ui.empty(attained):
                ui.chart(lambda: charts.progress(ui.in_unit(attained, ctx), "category", title="공공구매 목표 대비 실적",
                                                 unit=ctx.unit, value_name="구매 실적", whole_name="목표액 (목표)",
                                                 decimals=ctx.decimals, stated_name=ui.T("보고서 표기 달성률")),
                         attained, "procurement", "Ⅱ-3, p.6", ctx,
                         ["category", "part_measure", "value", "whole_measure", "whole", "unit", "rate_pct",
                          "stated_rate_pct", "source"])
                check = ui.query(queries.checks, ctx.filters, check_id="procurement.rate")
                if not check.empty:
                    c = check.iloc[0]
                    st.markdown(ui.T("보고서 달성률 {stated}%, 실적 ÷ 목표로 계산하면 {computed}%.",
                                     stated=f"{c['expected']:.0f}", computed=f"{c['computed']:.1f}")
                                + ("" if c["status"] == "pass" else f" ※ {md(c['note'])}"))
            special = ui.query(queries.facts, ctx.filters, program_id="Ⅱ-3", categories=["지역특화사업"])
            ui.cards(ctx, [{"label": "보조금 (지역특화사업 국·시비)", "value": fact["value"], "kind": "money",
                            "unit": fact["unit"]} for fact in ui.rows_of(special)])

    with ui.section("스튜디오 영원 · 사회적경제지원센터", "studio_and_centre") as shown:
        if shown:
            places = ui.compared(queries.facts, ctx, ["fact_id"], program_id="Ⅱ-3",
                                 categories=["스튜디오 영원", "사회적경제지원센터"])
            ui.applies(ctx, team=True, source=False)
            if not ui.empty(places):  # 건, 명, 회 and 개소: one panel per unit
                ui.chart(lambda: charts.value_bars(places, "measure", "value", title="스튜디오 영원과 사회적경제지원센터 실적",
                                                   unit_column="unit"),
                         places, "studio_and_centre", "Ⅱ-3, p.7", ctx,
                         ["category", "measure", "value", "unit", "note", "source"])

if ui.execution_trend(ctx, PROGRAMS) is not None:  # three or more report periods of the year
    with ui.section("보고 시점별 추이", "trend") as shown:
        if shown:
            ui.trend_charts(ctx, PROGRAMS, "social_economy")
