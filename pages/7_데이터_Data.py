"""Data: every table of the report, the reconciliation checks with their results, and downloads."""

import streamlit as st

from ydp_data import findings, queries, ui

ctx = ui.page("데이터와 정합성 검사", "보고서의 모든 표와 정합성 검사 결과입니다. 보고서 안의 합계·비율이 세부 항목과 맞지 않으면 "
              "'불일치'로 그대로 보여 주며 고치지 않습니다.", "🗃️")

st.header(ui.T("정합성 검사"))
checks = ui.query(queries.checks, ctx.filters)
st.markdown(findings.discrepancies(int((checks["status"] == "fail").sum()), ctx.lang))
ui.table(checks, "checks", "각 표의 합계·비율", ctx,
         ["status", "category", "description", "expected", "computed", "gap", "unit", "source", "note", "check_id"])

st.header(ui.T("표 전체"))
ui.applies(ctx, team=False, source=False)
name = st.selectbox("표 Table", queries.TABLES, format_func=lambda t: f"{t} — {ui.TABLE_TITLES[t]}", key="data_table")
rows = ui.query(queries.table, ctx.filters, name=name)
if not ui.empty(rows):
    ui.table(rows, f"table_{name}", "datasets/" + name + ".csv", ctx)
