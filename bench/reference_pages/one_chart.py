"""Reference page: one plotly bar chart from constant data, with the dashboard's team multiselect (bench/README.md).

The multiselect uses the same label, options, key and URL binding as the dashboard's sidebar so that a filter
change in the browser can be measured the same way on both; it only narrows the constant bars.
"""

import os

import plotly.graph_objects as go
import streamlit as st

TEAMS = ("일자리사업팀", "상생기업팀", "청년지원팀")
BUDGET = {"일자리사업팀": 4_297_562.0, "상생기업팀": 1_532_686.0, "청년지원팀": 1_283_699.0}

with st.sidebar:
    chosen = st.multiselect("팀 Team", TEAMS, key="team", bind="query-params", placeholder="전체 팀 (all)")
teams = [t for t in TEAMS if t in chosen] or list(TEAMS)
if os.environ.get("YDP_BENCH_ELEMENT"):  # bench.elements only: N more elements of one kind
    from bench.reference_pages.elements import draw

    draw(os.environ["YDP_BENCH_ELEMENT"], int(os.environ.get("YDP_BENCH_COUNT", "10")), teams)
fig = go.Figure(go.Bar(x=teams, y=[BUDGET[t] for t in teams], name="예산액"))
fig.update_layout(title={"text": "팀별 예산액"})
st.plotly_chart(fig, key="chart")
