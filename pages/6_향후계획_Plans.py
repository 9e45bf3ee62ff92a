"""Plans (향후계획): every planned activity on a month timeline, coloured by team."""


from ydp_data import charts, queries, ui

ctx = ui.page("향후계획", "각 사업의 향후계획을 월별 일정으로 봅니다. 색은 팀입니다. 시기가 적히지 않은 계획은 아래 표에 있습니다. "
              "*Planned activities by month.*", "📅")
ui.applies(ctx, team=True, source=False)

plans = ui.query(queries.plans, ctx.filters)
if not ui.empty(plans):
    month = int(ctx.as_of[5:7])
    ui.chart(lambda: charts.month_timeline(plans, "activity", "start_month", "end_month", "team",
                                           title="향후계획 일정 (2023년)", as_of_month=month,
                                           as_of_label=ui.T("기준일"), past_label=ui.T("지난 달")),
             plans, "plans_timeline", "Ⅱ·Ⅲ 각 사업 향후계획", ctx,
             ["program_id", "team", "plan_group", "activity", "schedule", "start_month", "end_month", "source"])
    with ui.section("향후계획 전체 목록 (내용·시기)", "plans_table") as shown:
        if shown:
            ui.table(plans, "plans", "Ⅱ·Ⅲ 각 사업 향후계획", ctx,
                     ["program_id", "team", "plan_group", "activity", "detail", "schedule", "start_month", "end_month",
                      "source"])
