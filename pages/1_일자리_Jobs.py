"""Jobs (일자리사업팀): Job Plus Center, the 2023 job targets, JOB 포유 and customised training courses."""

import streamlit as st

from ydp_data import charts, queries, ui

ctx = ui.page("일자리: 고용기회와 맞춤형 교육", "일자리사업팀의 일자리플러스센터 구인·구직 연계, 2023년 일자리 목표, "
              "구인·구직 만남의 날과 맞춤형 취·창업 교육의 실적입니다.",
              "💼")
ui.applies(ctx, team=True, source=False)

if ui.program_header(ctx, "Ⅱ-1"):
    with ui.section("일자리플러스센터 운영 실적", "jobplus_center", first=True) as shown:
        if shown:
            center = ui.compared(queries.facts, ctx, ["fact_id"], categories=["일자리플러스센터"])
            if not ui.empty(center):
                cards = st.columns(3)
                for where, fact in zip(cards, ui.rows_of(center, ["jobplus.seekers", "jobplus.employed", "jobplus.rate"]),
                                       strict=True):
                    ui.card(where, fact["measure"], fact["value"], ctx, kind="pct" if fact["unit"] == "%" else "count",
                            unit=fact["unit"], previous=fact.get("value_prev"))
                steps = ui.query(queries.facts, ctx.filters, categories=["일자리플러스센터"], units=["개소", "명", "건"])
                ui.chart(lambda: charts.funnel(steps, "measure", "value", "unit", title="구인에서 취업까지 (누계)"),
                         center, "jobplus_center", "Ⅱ-1, p.4", ctx, ["measure", "value", "unit", "period", "source"])

    with ui.section("2023년 영등포 일자리 목표", "job_targets") as shown:
        if shown:
            targets = ui.query(queries.facts, ctx.filters, categories=["2023년 영등포 일자리 목표관리제"])
            cols = st.columns(3)
            for where, fact in zip(cols, ui.rows_of(targets, kind="target"), strict=False):
                ui.card(where, fact["measure"], fact["value"], ctx, kind="pct" if fact["unit"] == "%" else "count",
                        unit=fact["unit"])
            ui.table(targets, "job_targets_2023", "Ⅱ-1, p.4", ctx,
                     ["measure", "kind", "value", "unit", "period", "source"])

    with ui.section("구인·구직 만남의 날 JOB 포유", "job_for_you") as shown:
        if shown:
            fair = ui.compared(queries.facts, ctx, ["fact_id"], categories=["구인·구직 만남의 날 JOB 포유"])
            if not ui.empty(fair):
                ui.chart(lambda: charts.value_bars(fair, "measure", "value", title="JOB 포유 개최·등록·채용",
                                                   unit_column="unit"),
                         fair, "job_for_you", "Ⅱ-1, p.4", ctx, ["measure", "value", "unit", "period", "source"])

if ui.program_header(ctx, "Ⅲ-1"):
    with ui.section("분야별 교육인원", "training_by_field") as shown:
        if shown:
            courses = ui.compared(queries.facts, ctx, ["fact_id"], program_id="Ⅲ-1", measures=["교육인원"])
            if not ui.empty(courses):
                ui.chart(lambda: charts.value_bars(courses, "category", "value", title="맞춤형 취·창업 교육 분야별 교육인원",
                                                   unit="명"),
                         courses, "training_by_field", "Ⅲ-1, p.10", ctx, ["category", "value", "unit", "note", "source"])
