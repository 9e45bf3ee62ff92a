"""Jobs (일자리사업팀): Job Plus Center, the 2023 job targets, JOB 포유 and customised training courses."""

from ydp_data import charts, findings, queries, ui

PROGRAMS = ("Ⅱ-1", "Ⅲ-1")  # the programmes this page reports

ctx = ui.page("일자리: 고용기회와 맞춤형 교육", "일자리사업팀의 일자리플러스센터 구인·구직 연계, 2023년 일자리 목표, "
              "구인·구직 만남의 날과 맞춤형 취·창업 교육의 실적입니다.",
              "💼", answer=PROGRAMS)
ui.applies(ctx, team=True, source=False)

if ui.program_header(ctx, "Ⅱ-1"):
    with ui.section("일자리플러스센터 운영 실적", "jobplus_center", first=True) as shown:
        if shown:
            center = ui.compared(queries.facts, ctx, ["fact_id"], categories=["일자리플러스센터"])
            if not ui.empty(center):
                ui.fact_cards(ctx, ui.rows_of(center, ["jobplus.seekers", "jobplus.employed", "jobplus.rate"]))
                # employers (개소), openings (명) and referrals (건) count other things than people looking for work:
                # each stands on its own card; only the employed come from the job seekers
                ui.fact_cards(ctx, ui.rows_of(center, ["jobplus.employers", "jobplus.openings", "jobplus.referrals"]))
                placed = ui.query(queries.part_of_whole, ctx.filters, part="jobplus.employed", whole="jobplus.seekers",
                                  stated="jobplus.rate")
                if not ui.empty(placed):
                    ui.chart(lambda: charts.progress(placed, "category", title="구직자 중 취업자 (누계)", unit="명",
                                                     value_name="취업자", whole_name="구직자",
                                                     stated_name=ui.T("보고서 표기 취업률")),
                             placed, "jobplus_center", "Ⅱ-1, p.4", ctx,
                             ["category", "part_measure", "value", "whole_measure", "whole", "unit", "rate_pct",
                              "stated_rate_pct", "period", "source"])

    with ui.section("2023년 영등포 일자리 목표", "job_targets") as shown:
        if shown:
            targets = ui.query(queries.facts, ctx.filters, categories=["2023년 영등포 일자리 목표관리제"])
            ui.fact_cards(ctx, ui.rows_of(targets, kind="target"), target=True,
                          finding=findings.target_without_actual(ctx.lang))
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

if ui.execution_trend(ctx, PROGRAMS) is not None:  # three or more report periods of the year
    with ui.section("보고 시점별 추이", "trend") as shown:
        if shown:
            ui.trend_charts(ctx, PROGRAMS, "jobs")
