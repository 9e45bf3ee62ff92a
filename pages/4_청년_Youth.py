"""Youth (청년지원팀): youth centre 오랑, the youth network, the building school and 4th-industry programmes."""

from ydp_data import charts, queries, ui

PROGRAMS = ("Ⅱ-4", "Ⅲ-2")  # the programmes this page reports

ctx = ui.page("청년: 커뮤니티와 취업 지원", "서울청년센터 영등포 오랑 이용, SNS 채널, 청년네트워크, 청년건축학교, "
              "4차산업 분야 청년 교육의 실적입니다.", "🧑‍🤝‍🧑", answer=PROGRAMS)
ui.applies(ctx, team=True, source=False)

if ui.program_header(ctx, "Ⅱ-4"):
    with ui.section("서울청년센터 영등포 오랑", "orang", first=True) as shown:
        if shown:
            orang = ui.compared(queries.facts, ctx, ["fact_id"], categories=["서울청년센터 영등포 오랑"])
            ui.fact_cards(ctx, ui.rows_of(orang))
            kinds = ui.compared(queries.facts, ctx, ["fact_id"], program_id="Ⅱ-4", measures=["프로그램 운영 횟수"])
            if not ui.empty(kinds):
                ui.chart(lambda: charts.value_bars(kinds, "category", "value", title="오랑 프로그램 유형별 운영 횟수", unit="회"),
                         kinds, "orang_programmes", "Ⅱ-4, p.8", ctx, ["category", "value", "unit", "source"])

    with ui.section("오랑 이용 실적 표 (기간·출처)", "orang_attendance") as shown:
        if shown:
            orang = ui.compared(queries.facts, ctx, ["fact_id"], categories=["서울청년센터 영등포 오랑"])
            ui.table(orang, "orang_attendance", "Ⅱ-4, p.8", ctx, ["measure", "value", "unit", "period", "source"])

    with ui.section("오랑 SNS 채널", "orang_social_media") as shown:
        if shown:
            sns = ui.compared(queries.facts, ctx, ["fact_id"], program_id="Ⅱ-4", measures=["SNS 채널 구독자"])
            if not ui.empty(sns):
                ui.chart(lambda: charts.value_bars(sns, "category", "value", title="SNS 채널 구독자", unit="명"),
                         sns, "orang_social_media", "Ⅱ-4, p.8", ctx, ["category", "value", "unit", "source"])

    with ui.section("영등포청년네트워크", "youth_network") as shown:
        if shown:
            network = ui.query(queries.facts, ctx.filters, categories=["영등포청년네트워크"])
            ui.table(network, "youth_network", "Ⅱ-4, p.8", ctx, ["measure", "value", "unit", "note", "source"])

    with ui.section("영등포 청년건축학교", "building_school") as shown:
        if shown:
            school = ui.compared(queries.facts, ctx, ["fact_id"], program_id="Ⅱ-4", measures=["정규교육 인원"])
            if not ui.empty(school):
                ui.chart(lambda: charts.value_bars(school, "category", "value", title="청년건축학교 정규교육 과정별 인원",
                                                   unit="명"),
                         school, "building_school_courses", "Ⅱ-4, p.8", ctx,
                         ["category", "measure", "value", "unit", "source"])
            outcomes = ui.query(queries.facts, ctx.filters, categories=["청년건축학교 성과", "청년건축학교 사회공헌활동",
                                                                       "청년건축학교 주거관리플랫폼"])
            ui.table(outcomes, "building_school_outcomes", "Ⅱ-4, p.8", ctx,
                     ["category", "measure", "value", "unit", "source"])

if ui.program_header(ctx, "Ⅲ-2"):
    with ui.section("4차산업 분야 청년 프로그램 참여인원", "youth_4th_industry") as shown:
        if shown:
            youth4 = ui.compared(queries.facts, ctx, ["fact_id"], program_id="Ⅲ-2", measures=["참여인원"])
            if not ui.empty(youth4):
                ui.chart(lambda: charts.value_bars(youth4, "category", "value", title="프로그램별 참여인원 (실적·계획)",
                                                   unit="명", color_by="kind"),
                         youth4, "youth_4th_industry", "Ⅲ-2, p.11", ctx,
                         ["category", "kind", "period", "value", "unit", "source"])

if ui.execution_trend(ctx, PROGRAMS) is not None:  # three or more report periods of the year
    with ui.section("보고 시점별 추이", "trend") as shown:
        if shown:
            ui.trend_charts(ctx, PROGRAMS, "youth")
