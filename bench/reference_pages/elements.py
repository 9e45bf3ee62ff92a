"""N elements of one kind, drawn by the one-chart page before its chart when YDP_BENCH_ELEMENT names a kind.

`python -m bench.elements` serves one_chart.py once per kind (YDP_BENCH_ELEMENT, YDP_BENCH_COUNT) beside the
plain one_chart.py; the difference divided by N is one element's cost, as the dashboard uses that element.
"""

import streamlit as st

KINDS = ("caption", "markdown", "metric", "metric_help", "download", "download_icon_help", "page_link",
         "expander", "segmented_control", "html_block")


def draw(kind: str, count: int, teams: list[str]) -> None:
    """count elements of this kind (html_block: one st.html holding count captions' text)."""
    if kind not in KINDS:
        raise ValueError(f"YDP_BENCH_ELEMENT={kind!r}: one of {', '.join(KINDS)}")
    if kind == "html_block":
        st.html("".join(f"<p>출처: 보고서 Ⅱ-{i}, p.{i} · 2023-05-31 기준</p>" for i in range(count)))
        return
    for i in range(count):
        if kind == "caption":
            st.caption(f"출처: 보고서 Ⅱ-{i}, p.{i} · 2023-05-31 기준 · " + "·".join(teams))
        elif kind == "markdown":
            st.markdown(f"영등포구 일자리정책과의 예산과 **집행**, 팀·재원·사업별 집행률 {i} · " + "·".join(teams))
        elif kind == "metric":
            st.metric(f"예산액(천원) 과 전체 {i}", f"{4_297_562 + i:,}", border=True)
        elif kind == "metric_help":
            st.metric(f"예산액(천원) 과 전체 {i}", f"{4_297_562 + i:,}", border=True, help="기준일까지 지난 날 ÷ 그해의 날 수")
        elif kind == "download":
            st.download_button("CSV 받기 (필터된 행)", b"a,b\n1,2\n", file_name=f"x{i}.csv", mime="text/csv",
                               key=f"dl{i}", on_click="ignore")
        elif kind == "download_icon_help":
            st.download_button(":material/download: CSV", b"a,b\n1,2\n", file_name=f"x{i}.csv", mime="text/csv",
                               key=f"dl{i}", on_click="ignore", help="이 차트·표의 필터된 행을 CSV(엑셀용 UTF-8)로 받습니다")
        elif kind == "page_link":
            st.sidebar.page_link(f"http://127.0.0.1:9/{i}", label=f"일자리 Jobs {i}", icon=":material/work:")
        elif kind == "expander":
            with st.expander(f"**단위사업별 예산 집행 {i}**", key=f"section_{i}", on_change="rerun"):
                pass
        elif kind == "segmented_control":
            st.sidebar.segmented_control(f"금액 단위 {i}", ["천원", "백만원", "억원"], required=True, key=f"unit{i}",
                                         default="천원")
