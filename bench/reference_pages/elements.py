"""Reference page: the one-chart page plus N elements of one kind, to measure what an element costs the browser.

`python -m bench.elements` serves it once per kind (YDP_BENCH_ELEMENT, YDP_BENCH_COUNT) beside one_chart.py;
the difference divided by N is one element's cost, as the dashboard uses that element (bench/README.md).
"""

import os

import plotly.graph_objects as go
import streamlit as st

TEAMS = ("일자리사업팀", "상생기업팀", "청년지원팀")
BUDGET = {"일자리사업팀": 4_297_562.0, "상생기업팀": 1_532_686.0, "청년지원팀": 1_283_699.0}
KIND, COUNT = os.environ.get("YDP_BENCH_ELEMENT", ""), int(os.environ.get("YDP_BENCH_COUNT", "10"))

with st.sidebar:
    chosen = st.multiselect("팀 Team", TEAMS, key="team", bind="query-params", placeholder="전체 팀 (all)")
teams = [t for t in TEAMS if t in chosen] or list(TEAMS)
for i in range(COUNT):
    if KIND == "caption":
        st.caption(f"출처: 보고서 Ⅱ-{i}, p.{i} · 2023-05-31 기준 · " + "·".join(teams))
    elif KIND == "markdown":
        st.markdown(f"영등포구 일자리정책과의 예산과 **집행**, 팀·재원·사업별 집행률 {i} · " + "·".join(teams))
    elif KIND == "metric":
        st.metric(f"예산액(천원) 과 전체 {i}", f"{4_297_562 + i:,}", border=True)
    elif KIND == "metric_help":
        st.metric(f"예산액(천원) 과 전체 {i}", f"{4_297_562 + i:,}", border=True, help="기준일까지 지난 날 ÷ 그해의 날 수")
    elif KIND == "download":
        st.download_button("CSV 받기 (필터된 행)", b"a,b\n1,2\n", file_name=f"x{i}.csv", mime="text/csv", key=f"dl{i}",
                           on_click="ignore")
    elif KIND == "download_icon_help":
        st.download_button(":material/download: CSV", b"a,b\n1,2\n", file_name=f"x{i}.csv", mime="text/csv",
                           key=f"dl{i}", on_click="ignore", help="이 차트·표의 필터된 행을 CSV(엑셀용 UTF-8)로 받습니다")
    elif KIND == "page_link":
        st.sidebar.page_link(f"http://127.0.0.1:9/{i}", label=f"일자리 Jobs {i}", icon=":material/work:")
    elif KIND == "expander":
        with st.expander(f"**단위사업별 예산 집행 {i}**", key=f"section_{i}", on_change="rerun"):
            pass
    elif KIND == "segmented_control":
        st.sidebar.segmented_control(f"금액 단위 {i}", ["천원", "백만원", "억원"], required=True, key=f"unit{i}",
                                     default="천원")
    elif KIND == "html_block":  # COUNT captions' text in a single element
        st.html("".join(f"<p>출처: 보고서 Ⅱ-{i}, p.{i} · 2023-05-31 기준</p>" for i in range(COUNT)))
        break
fig = go.Figure(go.Bar(x=teams, y=[BUDGET[t] for t in teams], name="예산액"))
fig.update_layout(title={"text": "팀별 예산액"})
st.plotly_chart(fig, key="chart")
