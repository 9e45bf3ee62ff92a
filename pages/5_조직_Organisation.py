"""Organisation: staffing by grade (정원 against 현원), teams and their duties, facilities and equipment."""

import streamlit as st

from ydp_data import charts, queries, ui

ctx = ui.page("일반현황: 조직·인력·시설", "직급별 정원과 현원, 팀별 업무, 주요시설과 장비입니다.",
              "🗂️")

with ui.section("직급별 정원·현원", "staffing", first=True) as shown:
    if shown:
        ui.applies(ctx, team=False, source=False)
        staff = ui.query(queries.staffing, ctx.filters)
        if not ui.empty(staff):
            total = ui.query(queries.staffing_total, ctx.filters).iloc[0]
            ui.cards(ctx, [{"label": "정원", "value": total["authorized"], "unit": "명"},
                           {"label": "현원", "value": total["current"], "unit": "명"},
                           {"label": "과부족 (현원 − 정원)", "value": total["difference"], "unit": "명"}])
            grades = ui.T("직급은 추정입니다: 보고서 표의 열 구분이 사라져, 다섯 개 값을 일반직 5~9급에 놓았습니다 "
                          "(과부족이 현원 − 정원일 때만 모든 열이 맞음, datasets/README.md).")
            ui.chart(lambda: charts.footnote(charts.paired_bars(staff, "grade", [("authorized", "정원"), ("current", "현원")],
                                                                title="직급별 정원과 현원 (일반직, 직급 배정은 추정)", unit="명"),
                                             grades),
                     staff, "staffing", "Ⅰ-2, p.1", ctx,
                     ["job_series", "grade", "authorized", "current", "difference", "source"])
            st.caption(":material/info: " + grades)

with ui.section("직급별 정원·현원 표 (보고서 과부족 포함)", "staffing_table") as shown:
    if shown:
        staff = ui.query(queries.staffing, ctx.filters)
        ui.applies(ctx, team=False, source=False)
        st.caption(":material/info: " + ui.T("직급(5~9급)은 보고서 열에서 추정한 배정입니다."))
        ui.table(staff, "staffing_table", "Ⅰ-2, p.1", ctx,
                 ["job_series", "grade", "authorized", "current", "difference", "stated_difference", "source"])

with ui.section("팀별 업무", "team_duties") as shown:
    if shown:
        ui.applies(ctx, team=True, source=False)
        duties = ui.query(queries.team_duties, ctx.filters)
        if not ui.empty(duties):
            ui.table(duties, "team_duties", "Ⅰ-1, p.1", ctx, ["team", "team_en", "seq", "duty", "source"])

with ui.section("주요시설 및 장비", "facilities") as shown:
    if shown:
        places = ui.query(queries.facilities, ctx.filters)
        ui.applies(ctx, team=True, source=False)
        if not ui.empty(places):
            ui.chart(lambda: charts.value_bars(places.fillna({"floor_area_m2": places["used_area_m2"]}), "name",
                                               "floor_area_m2", title="시설별 면적 (연면적, 없으면 사용면적)", unit="㎡",
                                               color_by="team", decimals=2),
                     places, "facilities", "Ⅰ-3, p.2", ctx,
                     ["name", "team", "address", "floor_area_m2", "used_area_m2", "use", "note", "source"])
            ui.table(places, "facilities_table", "Ⅰ-3, p.2", ctx,
                     ["name", "team", "address", "floor_area_m2", "used_area_m2", "use", "note", "source"])
            parts = ui.query(queries.facility_parts, ctx.filters)
            ui.table(parts, "facility_parts", "Ⅰ-3, p.2", ctx,
                     ["name", "part", "area_m2", "quantity", "quantity_unit", "use", "source"])
        gear = ui.query(queries.equipment, ctx.filters)
        if not ui.empty(gear):
            ui.table(gear, "equipment", "Ⅰ-3, p.2", ctx,
                     ["category", "name", "vehicle_type", "model_year", "quantity", "team", "source"])
