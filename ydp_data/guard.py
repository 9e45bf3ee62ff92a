"""What a visitor sees when a page fails: a plain message with a reference, never a traceback or a server path.

dashboard.py gives `on_script_error` to st.App, so Streamlit calls it for an uncaught exception in any page or widget
callback, after logging the traceback itself. st.stop(), st.rerun() and st.switch_page() are Streamlit's control
flow (BaseException, not Exception): Streamlit handles them and never passes them here. Anything that still reaches
Streamlit's own error box shows no details: `.streamlit/config.toml` sets client.showErrorDetails = "none".
"""

from __future__ import annotations

import logging
import uuid

import streamlit as st

LOG = logging.getLogger("ydp_data.guard")
MESSAGE = ("이 화면을 그리지 못했습니다. 오류는 서버 기록에 남겼습니다 (기록 번호 {ref}). 잠시 뒤 다시 열어 보시고, "
           "되풀이되면 담당자에게 이 번호를 알려 주세요. (This view could not be drawn. The error was recorded in the "
           "server log as {ref}; please try again later, and quote the number if it happens again.)")


def on_script_error(exc: Exception) -> bool:
    """Log the traceback under a short reference and show the plain message with it; True: Streamlit adds nothing."""
    ref = uuid.uuid4().hex[:8]
    LOG.error("page failed (ref %s): %s", ref, type(exc).__name__, exc_info=exc)
    st.error(MESSAGE.format(ref=ref), icon=":material/error:")
    return True
