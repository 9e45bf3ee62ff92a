"""Social economy (상생기업팀): grants per scheme by funding source, public procurement, Studio 영원 and the centre."""

import streamlit as st

from ydp_data import charts, queries, ui

ctx = ui.page("상생기업: 사회적경제 지원", "상생기업 재정지원(사업별 지원기업·재원별 지원액), 공공구매 실적, "
              "스튜디오 영원과 사회적경제지원센터 운영 실적입니다.", "🤝")

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
            schemes = ui.query(queries.subprograms, ctx.filters, program_id="Ⅱ-3")
            ui.table(schemes, "grant_schemes", "Ⅱ-3, p.6", ctx, ["subprogram", "target_group", "description", "source"])

    with ui.section("공공구매 활성화와 특화사업", "procurement") as shown:
        if shown:
            buying = ui.query(queries.facts, ctx.filters, program_id="Ⅱ-3", categories=["공공구매 활성화", "지역특화사업"])
            ui.applies(ctx, team=True, source=False)
            if not ui.empty(buying):
                ui.chart(lambda: charts.value_bars(ui.in_unit(buying[buying["unit"] != "%"], ctx), "measure", "value",
                                                   title="공공구매 실적과 목표액, 특화사업 보조금 확보",
                                                   unit_column="unit", decimals=ctx.decimals),
                         buying, "procurement", "Ⅱ-3, p.6", ctx,
                         ["category", "measure", "kind", "value", "unit", "note", "source"])
                check = ui.query(queries.checks, ctx.filters, check_id="procurement.rate")
                if not check.empty:
                    c = check.iloc[0]
                    st.markdown(ui.T("보고서 달성률 {stated}%, 실적 ÷ 목표로 계산하면 {computed}%.",
                                     stated=f"{c['expected']:.0f}", computed=f"{c['computed']:.1f}")
                                + ("" if c["status"] == "pass" else f" ※ {c['note']}"))

    with ui.section("스튜디오 영원 · 사회적경제지원센터", "studio_and_centre") as shown:
        if shown:
            places = ui.compared(queries.facts, ctx, ["fact_id"], program_id="Ⅱ-3",
                                 categories=["스튜디오 영원", "사회적경제지원센터"])
            if not ui.empty(places):
                ui.chart(lambda: charts.value_bars(places, "measure", "value", title="스튜디오 영원과 사회적경제지원센터 실적",
                                                   unit_column="unit"),
                         places, "studio_and_centre", "Ⅱ-3, p.7", ctx,
                         ["category", "measure", "value", "unit", "note", "source"])
