"""Reference page: the dashboard's own frame and one chart (bench/README.md; issue 14 made it the warm reference).

The frame is what every page of the dashboard draws through `ydp_data.ui.page`: the page config, the sidebar's page
links and shared filters (team, funding source, money unit, language; bound to the URL), the page CSS and script, a
title, one sentence and the as-of line, read from the database YDP_DB names. The chart is one_chart.py's: the same
constant bars, narrowed by the team filter, so that framed − one_chart is the frame alone.

`streamlit run` serves it as the main script of a folder that also holds `pages/` (the dashboard's): the sidebar's
links name `dashboard.py` and `pages/*.py`, so bench.run serves it as `dashboard.py` of a temporary folder with the
dashboard's pages beside it (bench.run.framed_app); it is never one of the dashboard's pages.
"""

import plotly.graph_objects as go
import streamlit as st

from ydp_data import ui

TEAMS = ("일자리사업팀", "상생기업팀", "청년지원팀")
BUDGET = {"일자리사업팀": 4_297_562.0, "상생기업팀": 1_532_686.0, "청년지원팀": 1_283_699.0}

ctx = ui.page("참고: 틀과 차트 하나", "대시보드의 틀(사이드바의 페이지 링크와 필터, 제목, 기준일)에 차트 하나만 그린 참고 페이지입니다.",
              "📏")
teams = [t for t in TEAMS if t in ctx.filters.teams] or list(TEAMS)
fig = go.Figure(go.Bar(x=teams, y=[BUDGET[t] for t in teams], name="예산액"))
fig.update_layout(title={"text": "팀별 예산액"})
st.plotly_chart(fig, key="chart")
