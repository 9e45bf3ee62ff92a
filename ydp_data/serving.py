"""The dashboard's web server: Streamlit's, with its page HTML telling the frontend where the server is.

Opened at a page's own address (`/일자리_Jobs`, a link a director was sent), Streamlit's frontend does not know
which part of the path is the page: it first asks `/일자리_Jobs/_stcore/health`, gets a 404, waits 100 ms and
only then tries the root (bench/RESULTS.md measured 100-150 ms on every such load, and two 404 errors in the
console). The middleware here adds one line of script to the page HTML that names the server's base address
(the path without its last part, when that part is one of the app's pages), which is what the frontend reads
from `window.__streamlit.BACKEND_BASE_URL`; any other path is served unchanged and probed as before. The same
edit says the page's language: Streamlit's `<html lang="en">` becomes `lang="ko"` (ui.page sets "en" in the browser
when English is chosen).

Compression: Streamlit serves its JavaScript (about 7 MB on the first load) uncompressed and leaves gzip to a proxy
in front; `streamlit run dashboard.py` has none, so `MIDDLEWARE` puts Starlette's gzip around the whole app. It
compresses a response only when the browser accepts gzip and the body is not already encoded (Streamlit's own
gzip of its API replies passes through), not a partial (206) response, not an already-compressed type (images,
fonts, zip) and not a small one; a streamed body is compressed chunk by chunk, large bodies in a worker thread,
and the websocket is not HTTP, so it passes untouched.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware

from ydp_data import paths
from ydp_data.page_frame import PAGE_CSS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Streamlit's own routes: never the page HTML, passed through untouched here (GZIP compresses them)
STREAMLIT_PREFIXES = ("/static/", "/_stcore/", "/media/", "/component/", "/app/", "/auth/", "/oauth2callback")
SCRIPT_TEMPLATE = """<script>(() => {{
  const pages = new Set({pages});
  const parts = location.pathname.replace(/\\/+$/, "").split("/");
  let last = parts[parts.length - 1];
  try {{ last = decodeURIComponent(last); }} catch (e) {{ return; }}
  if (parts.length < 2 || !pages.has(last)) return;
  window.__streamlit = {{...(window.__streamlit || {{}}), BACKEND_BASE_URL: location.origin + parts.slice(0, -1).join("/") + "/"}};
}})();</script>"""
STREAMLIT_LANG = b'<html lang="en">'
PAGE_LANG = b'<html lang="ko">'  # the dashboard speaks Korean unless English is chosen (then ui.page says "en")
GZIP_MINIMUM_SIZE = 1000  # bytes: smaller bodies are sent as they are (as Streamlit's own gzip does)
GZIP_LEVEL = 6  # zlib's default; on Streamlit's JavaScript level 9 took 35% more CPU for 0.3% fewer bytes


def page_url_names(pages_dir: Path | None = None) -> list[str]:
    """The URL names Streamlit gives the pages of the `pages/` folder (`1_일자리_Jobs.py` → `일자리_Jobs`)."""
    from streamlit.source_util import page_icon_and_name

    folder = pages_dir or paths.ROOT / "pages"
    return sorted(page_icon_and_name(path)[1] for path in folder.glob("*.py"))


def base_url_script(names: Iterable[str]) -> bytes:
    """The script that names the server's base address when the page's path ends in one of these names."""
    listed = json.dumps(sorted(names), ensure_ascii=False).replace("<", "\\u003c")  # no "</script>" inside
    return SCRIPT_TEMPLATE.format(pages=listed).encode()


class PageBaseUrl:
    """ASGI middleware: adds `base_url_script` and the page's CSS (page_frame.PAGE_CSS) at the top of <head> of every HTML
    page Streamlit serves and makes its `<html lang>` Korean."""

    def __init__(self, app: ASGIApp, names: Iterable[str] | None = None) -> None:
        self.app = app
        # and the page's own CSS (ydp_data/ui.py), so that it holds from the first paint: drawn by the page script it
        # came after Streamlit had drawn the sidebar beside the main area (a layout shift of 0.22 on every page)
        self.script = base_url_script(page_url_names() if names is None else names) + PAGE_CSS.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") or path.startswith(STREAMLIT_PREFIXES):
            await self.app(scope, receive, send)
            return
        # the page HTML is small; ask for it uncompressed so that it can be edited
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        start: Message = {}
        body: list[bytes] = []

        async def edit(message: Message) -> None:
            if message["type"] == "http.response.start":
                kind = dict((k.lower(), v) for k, v in message.get("headers", [])).get(b"content-type", b"")
                if message.get("status") == 200 and kind.startswith(b"text/html"):
                    start.update(message)  # held until the whole body is in
                    return
            elif start and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                html = b"".join(body)
                given = dict((k.lower(), v) for k, v in start.get("headers", [])).get(b"content-length", b"0")
                if scope.get("method") == "GET":
                    html = html.replace(b"<head>", b"<head>" + self.script, 1).replace(STREAMLIT_LANG, PAGE_LANG, 1)
                    length = len(html)
                else:  # HEAD: no body, the length the GET would have (the language is as long in either)
                    length = int(given) + len(self.script)
                kept = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                await send({**start, "headers": [*kept, (b"content-length", str(length).encode())]})
                await send({"type": "http.response.body", "body": html})
                return
            await send(message)

        await self.app(scope, receive, edit)


# for st.App(..., middleware=MIDDLEWARE) in dashboard.py; the first is the outermost, so gzip compresses the edited
# page HTML (PageBaseUrl asks Streamlit for it uncompressed)
MIDDLEWARE = [Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_SIZE, compresslevel=GZIP_LEVEL),
              Middleware(PageBaseUrl)]
