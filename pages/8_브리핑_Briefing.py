"""Meeting briefing: one slide per business line, stepped through on screen and taken away as HTML or PDF."""

import streamlit as st

from ydp_data import briefing, briefing_files, ui
from ydp_data.safe_text import md

ctx = ui.page("회의 브리핑", "사업별로 한 장씩, 핵심 수치와 한 줄 요약, 차트 하나를 넘겨 봅니다. 같은 슬라이드를 HTML(차트가 "
              "움직이는 파일 하나)이나 PDF(A4 가로, 장마다 기준일·필터·출처)로 내려받습니다.", "📽️")


def step(by: int, count: int) -> None:
    """Previous/next: move the slide number (the selector's state) before the page runs again."""
    st.session_state["slide"] = min(max(1, int(st.session_state.get("slide") or 1) + by), count)


def want_pdf(token: str) -> None:
    """Remember that the PDF of this view was asked for, so its download stays while the reader moves on."""
    st.session_state["briefing_pdf_for"] = token


key = (ctx.filters, ctx.unit, ctx.lang, ui.database().stamp())
keys = ui.query(briefing.slide_keys, ctx.filters)
count = len(keys)
if "slide" not in st.session_state:
    st.session_state["slide"] = 1
elif not 1 <= int(st.session_state.get("slide") or 1) <= count:
    st.session_state["slide"] = count  # the filters now leave fewer slides

nav = st.columns([1, 5, 1], vertical_alignment="bottom")
current = int(nav[1].segmented_control(
    ui.T("슬라이드"), list(range(1, count + 1)), key="slide", required=True, width="stretch",
    help=" · ".join(f"{n}. {briefing.slide_title(k, ctx.lang)}" for n, k in enumerate(keys, start=1)),
) or 1)
nav[0].button(ui.T("이전"), key="slide_prev", icon=":material/arrow_back:", on_click=step, args=(-1, count),
              disabled=current <= 1, width="stretch")
nav[2].button(ui.T("다음"), key="slide_next", icon=":material/arrow_forward:", on_click=step, args=(1, count),
              disabled=current >= count, width="stretch")

# On a projector (1366x768, sidebar collapsed) the slide from its buttons to its chart fits one screen: the findings
# beside the chart, as on the printed slide, and the chart no taller than the room left under the cards.
SCREEN_CHART_PX = 380

# the one slide on screen, shared by every session with this view (a filter change builds it alone, not the deck)
slide = ui.query(briefing.build_slide, ctx.filters, unit=ctx.unit, key=keys[current - 1], lang=ctx.lang)
st.header(f"{current}. {slide.title}", anchor=False)
st.caption(md(slide.subtitle))
ui.card_row([briefing.card_of(headline, ctx.lang) for headline in slide.headlines])
text, picture = st.columns([2, 3], gap="medium")
with text.container(key="briefing_findings"):  # larger, read from afar (page_frame.PAGE_CSS)
    st.markdown("\n".join(f"- {md(finding)}" for finding in slide.findings))
    for note in slide.notes:
        st.caption(":material/info: " + md(note))
with picture:
    if not ui.empty(slide.chart_data) and slide.chart is not None:
        ui.applies(ctx, *slide.chart_filters, say=False)  # the slide's notes say it; the chart names only what applies
        ui.chart(lambda: briefing.chart_at(slide, SCREEN_CHART_PX), slide.chart_data, slide.chart_name, slide.chart_source_text, ctx, slide.chart_columns)
st.caption(ui.T("이 슬라이드의 출처: 보고서 {sources} · {as_of} 기준", sources=md(slide.source_text), as_of=ctx.as_of))

with ui.section("브리핑 내려받기 (HTML · PDF)", "briefing_files") as shown:
    if shown:
        left, right = st.columns(2)
        left.download_button(
            ui.T("HTML (슬라이드 전체)"), briefing_files.html_file(*key), file_name=briefing.html_file_name(ctx.as_of), mime="text/html",
            key="briefing_html", on_click="ignore", icon=":material/download:",
            help=ui.T("파일 하나에 슬라이드 전체와 움직이는 차트가 들어 있어 인터넷 없이 열립니다. 인쇄하면 A4 가로 한 장에 한 슬라이드입니다."))
        with right:
            token = repr(key)
            if not briefing.chromium_available():
                st.info(ui.T("이 서버에는 Chromium이 없어 PDF를 만들 수 없습니다. HTML 파일을 브라우저에서 열고 인쇄(PDF로 저장)하세요."))
            elif st.session_state.get("briefing_pdf_for") != token:
                st.button(ui.T("PDF 만들기"), key="briefing_pdf_build", icon=":material/picture_as_pdf:", on_click=want_pdf,
                          args=(token,), help=ui.T("Chromium으로 A4 가로 PDF를 만듭니다 (10초 안팎)."))
            else:
                try:
                    with st.spinner(ui.T("PDF를 만드는 중…")):
                        pdf = briefing_files.pdf_file(*key)
                except briefing.PdfError as error:
                    st.error(md(str(error)))  # Chromium's own words, shown as text
                    if isinstance(error, briefing.PdfBusy):  # "press again": the press reruns and asks once more
                        st.button(ui.T("PDF 만들기"), key="briefing_pdf_retry", icon=":material/picture_as_pdf:")
                else:
                    st.download_button(ui.T("PDF (A4 가로)"), pdf, file_name=briefing.pdf_file_name(ctx.as_of),
                                       mime="application/pdf", key="briefing_pdf", on_click="ignore",
                                       icon=":material/picture_as_pdf:")
