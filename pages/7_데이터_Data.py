"""Data: every table of the report, the reconciliation checks with their results, and downloads."""

import streamlit as st

from ydp_data import export, findings, formatting, paths, publish, queries, ui

ctx = ui.page("데이터와 정합성 검사", "보고서의 모든 표와 정합성 검사 결과입니다. 보고서 안의 합계·비율이 세부 항목과 맞지 않으면 "
              "'불일치'로 그대로 보여 주며 고치지 않습니다.", "🗃️")

# internal ids (check_id, fact_id, …) and file paths are left out of the tables unless the reader asks for them
details = st.toggle(ui.T("자세히: 내부 ID·원본 파일 열도 보기"), key="data_details",
                    help=ui.T("검사 ID·항목 ID 같은 내부 ID와 원본 파일 경로는 평소에는 표에서 뺍니다."))

st.header(ui.T("정합성 검사"))
checks = ui.query(queries.checks, ctx.filters)
st.markdown(findings.discrepancies(int((checks["status"] == "fail").sum()), ctx.lang))
ui.table(checks, "checks", "각 표의 합계·비율", ctx,
         ["status", "category", "description", "expected", "computed", "gap", "unit", "source", "note",
          *(["tolerance", "check_id"] if details else [])])

st.header(ui.T("표 전체"))
ui.applies(ctx, team=False, source=False)
name = st.selectbox("표 Table", queries.TABLES, format_func=lambda t: f"{t} — {ui.TABLE_TITLES[t]}", key="data_table")
rows = ui.query(queries.table, ctx.filters, name=name)
if not ui.empty(rows):
    ui.table(rows, f"table_{name}", "datasets/" + name + ".csv", ctx,
             [str(c) for c in rows.columns if details or c not in formatting.INTERNAL_COLUMNS])

st.header("게시 기록 Publish log")  # what editors published and undid on the 자료 올리기 page; every cell is text
log = publish.log_frame(paths.datasets_dir())
if log.empty:
    st.caption("브라우저에서 게시하거나 되돌린 기록이 아직 없습니다 (nothing published from the browser yet). 기록은 "
               "datasets/ 옆의 publish-log.jsonl에 한 줄씩 쌓입니다.")
else:
    st.caption("자료 올리기 페이지에서 게시하고 되돌린 일, 최근 것부터 (newest first; kept in publish-log.jsonl beside "
               "datasets/).")
    st.dataframe(log, hide_index=True, key="publish_log", placeholder="", height=ui.table_height(len(log)))
    st.download_button("CSV 받기 Download (게시 기록)", export.csv_bytes(log),
                       file_name=export.file_name("publish_log", ctx.as_of), mime="text/csv", key="dl_publish_log",
                       on_click="ignore")
