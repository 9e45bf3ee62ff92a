"""The server's middleware (ydp_data.serving), driven as ASGI with Streamlit's own index.html: the page-HTML edit
(base address, lang="ko") and the gzip around the whole app.

The browser side (the script finds the base address, a deep link opens without a probe, the JavaScript arrives
compressed, the page says its language) is tested in tests/e2e/test_browser.py and test_room_ready.py against the
real server.
"""

from __future__ import annotations

import ast
import asyncio
import gzip
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import streamlit
from starlette.middleware.gzip import GZipMiddleware
from streamlit.source_util import page_icon_and_name

from ydp_data import serving

ROOT = Path(__file__).resolve().parents[1]
INDEX = (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes()


def run(middleware: serving.PageBaseUrl, path: str, method: str = "GET",
        headers: list[tuple[bytes, bytes]] | None = None) -> tuple[dict[str, Any], bytes, list[Any]]:
    """One request through the middleware: the response start, the whole body, and the scope the app saw."""
    sent: list[dict[str, Any]] = []
    scope = {"type": "http", "method": method, "path": path, "headers": headers or [(b"accept-encoding", b"gzip")]}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    # in a thread of its own: Playwright's sync API (tests/e2e) keeps an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start, body, middleware.app.seen  # type: ignore[attr-defined]


class Served:
    """A stand-in for Streamlit's server that answers with fixed bytes, in parts, and records what it was asked."""

    def __init__(self, body: bytes, content_type: bytes = b"text/html; charset=utf-8", status: int = 200,
                 headers: tuple[tuple[bytes, bytes], ...] = (), *, whole: bool = False) -> None:
        self.body, self.content_type, self.status, self.headers = body, content_type, status, list(headers)
        self.whole = whole  # the body in one message, as a small file is sent
        self.seen: list[Any] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.seen.append(scope)
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", self.content_type), (b"content-length", str(len(self.body)).encode()),
                                (b"etag", b'"x"'), *self.headers]})
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        half = 0 if self.whole else len(self.body) // 2
        if half:
            await send({"type": "http.response.body", "body": self.body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": self.body[half:]})


def header(start: dict[str, Any], name: bytes) -> bytes | None:
    return dict(start["headers"]).get(name)


def test_page_names_are_streamlits_url_names() -> None:
    names = serving.page_url_names()
    assert names == sorted(page_icon_and_name(p)[1] for p in (ROOT / "pages").glob("*.py"))
    assert "일자리_Jobs" in names and len(names) == len(list((ROOT / "pages").glob("*.py")))


def test_page_html_gets_the_script_first_in_head() -> None:
    middleware = serving.PageBaseUrl(Served(INDEX))
    start, body, seen = run(middleware, "/일자리_Jobs")
    assert body.startswith(INDEX[:INDEX.index(b"<head>")].replace(serving.STREAMLIT_LANG, serving.PAGE_LANG)
                           + b"<head><script>")
    assert body.replace(middleware.script, b"").replace(serving.PAGE_LANG, serving.STREAMLIT_LANG) == INDEX  # nothing else
    assert int(header(start, b"content-length") or 0) == len(body)
    assert header(start, b"etag") == b'"x"'
    assert b"accept-encoding" not in dict(seen[0]["headers"])  # asked uncompressed, to be edited
    for name in serving.page_url_names():
        assert name.encode() in middleware.script


def test_page_html_says_korean() -> None:
    """Streamlit's index.html says lang="en"; the page the dashboard serves says "ko" (ui.page sets "en" in the
    browser when English is chosen)."""
    assert serving.STREAMLIT_LANG in INDEX, "Streamlit's index.html no longer starts <html lang=\"en\">: update serving"
    _, body, _ = run(serving.PageBaseUrl(Served(INDEX)), "/")
    assert body.count(serving.PAGE_LANG) == 1 and serving.STREAMLIT_LANG not in body
    assert len(serving.PAGE_LANG) == len(serving.STREAMLIT_LANG)  # so a HEAD's length holds


def test_head_request_gets_the_length_of_the_edited_page() -> None:
    middleware = serving.PageBaseUrl(Served(INDEX))
    start, body, _ = run(middleware, "/", method="HEAD")
    assert body == b"" and int(header(start, b"content-length") or 0) == len(INDEX) + len(middleware.script)


@pytest.mark.parametrize("path", ["/_stcore/health", "/static/js/index.js", "/media/abc.csv", "/component/x"])
def test_streamlit_routes_pass_untouched(path: str) -> None:
    body_in = b"<html><head></head></html>"
    start, body, seen = run(serving.PageBaseUrl(Served(body_in)), path)
    assert body == body_in and header(start, b"content-length") == str(len(body_in)).encode()
    assert dict(seen[0]["headers"]).get(b"accept-encoding") == b"gzip"  # compression left to Streamlit


@pytest.mark.parametrize(("content_type", "status", "method"), [
    (b"application/json", 200, "GET"), (b"text/html", 404, "GET"), (b"text/html", 200, "POST")])
def test_other_responses_pass_untouched(content_type: bytes, status: int, method: str) -> None:
    body_in = b"<head>x</head>"
    _, body, _ = run(serving.PageBaseUrl(Served(body_in, content_type, status)), "/일자리_Jobs", method=method)
    assert body == body_in


def test_script_carries_names_as_data_not_code() -> None:
    script = serving.base_url_script(['a"); alert(1); ("', "</script>"]).decode()
    line = next(x for x in script.splitlines() if "new Set(" in x).strip()
    listed = line.removeprefix("const pages = new Set(").removesuffix(");")
    assert json.loads(listed) == sorted(['a"); alert(1); ("', "</script>"])
    assert script.count("</script>") == 1 and script.endswith("</script>")


def test_dashboard_serves_through_the_middleware() -> None:
    """`streamlit run dashboard.py` finds `app` (Streamlit reads the file's syntax for it) with the middleware."""
    tree = ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))
    assigned = [node for node in tree.body if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "app" for t in node.targets)]
    assert len(assigned) == 1 and "serving.MIDDLEWARE" in ast.unparse(assigned[0].value)
    assert [m.cls for m in serving.MIDDLEWARE] == [GZipMiddleware, serving.PageBaseUrl]  # gzip outermost
    from streamlit.web.server.app_discovery import discover_asgi_app

    assert discover_asgi_app(ROOT / "dashboard.py").is_asgi_app


# --- gzip around the whole app (serving.MIDDLEWARE, as st.App stacks it: the first is the outermost) --------------
JS = b"".join(b"export function f%d(a){return a+%d}\n" % (i, i) for i in range(20_000))  # ~700 kB, like a bundle


def stack(app: Any) -> Any:
    """app wrapped in serving.MIDDLEWARE the way Starlette builds its middleware stack."""
    for middleware in reversed(serving.MIDDLEWARE):
        app = middleware.cls(app, *middleware.args, **middleware.kwargs)
    return app


def served(app: Any, path: str, accept: bytes | None = b"gzip, deflate", method: str = "GET",
           headers: list[tuple[bytes, bytes]] | None = None) -> tuple[dict[bytes, bytes], bytes]:
    """One request through the whole stack: the response headers and body as sent."""
    sent: list[dict[str, Any]] = []
    asked = [(b"accept-encoding", accept)] if accept is not None else []
    scope = {"type": "http", "method": method, "path": path, "headers": asked + (headers or [])}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, stack(app)(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    return dict(start["headers"]), b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@pytest.mark.parametrize("whole", [True, False], ids=["one message", "streamed in parts"])
def test_javascript_is_compressed_for_a_browser_that_accepts_gzip(whole: bool) -> None:
    """Streamlit's static files come gzip-compressed, several times smaller, sent whole or in parts."""
    headers, body = served(Served(JS, b"application/javascript", whole=whole), "/static/js/index.abc.js")
    assert headers.get(b"content-encoding") == b"gzip" and b"Accept-Encoding" in headers.get(b"vary", b"")
    assert gzip.decompress(body) == JS and len(body) * 4 < len(JS)
    assert b"content-length" not in headers or int(headers[b"content-length"]) == len(body)
    assert headers.get(b"etag") == b'"x"'


def test_page_html_is_edited_then_compressed() -> None:
    """The page HTML is edited uncompressed (PageBaseUrl asks Streamlit for it so), then compressed by gzip."""
    inner = Served(INDEX)
    headers, body = served(inner, "/일자리_Jobs")
    assert headers.get(b"content-encoding") == b"gzip"
    html = gzip.decompress(body)
    assert html.startswith(INDEX[:INDEX.index(b"<head>")].replace(serving.STREAMLIT_LANG, serving.PAGE_LANG)
                           + b"<head><script>")
    assert b"accept-encoding" not in dict(inner.seen[0]["headers"])


@pytest.mark.parametrize(("why", "app", "accept", "extra"), [
    ("the browser does not accept gzip", Served(JS, b"application/javascript"), None, []),
    ("Streamlit already compressed it", Served(b"\x1f\x8b" + JS, b"application/json", headers=((b"content-encoding", b"gzip"),)),
     b"gzip", []),
    ("an image is compressed already", Served(JS, b"image/png"), b"gzip", []),
    ("a part of a file (a range)", Served(JS, b"application/octet-stream", 206), b"gzip", [(b"range", b"bytes=0-")]),
    ("too small to gain", Served(b"x" * (serving.GZIP_MINIMUM_SIZE - 1), b"application/javascript", whole=True),
     b"gzip", []),
], ids=lambda v: v if isinstance(v, str) else "")
def test_left_uncompressed(why: str, app: Served, accept: bytes | None, extra: list[tuple[bytes, bytes]]) -> None:
    headers, body = served(app, "/static/x", accept=accept, headers=extra)
    assert body == app.body, why
    assert headers.get(b"content-encoding") == dict(app.headers).get(b"content-encoding")


def test_websocket_passes_untouched() -> None:
    """Streamlit's websocket (/_stcore/stream) is not HTTP: every message passes both middlewares as it is."""
    messages: list[dict[str, Any]] = [{"type": "websocket.accept", "subprotocol": "streamlit"},
                                      {"type": "websocket.send", "bytes": JS[:5000]}, {"type": "websocket.close"}]
    got: list[dict[str, Any]] = []
    seen: list[Any] = []

    async def websocket_app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope)
        assert (await receive())["type"] == "websocket.connect"
        for message in messages:
            await send(message)

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: Any) -> None:
        got.append(dict(message))

    scope = {"type": "websocket", "path": "/_stcore/stream", "headers": [(b"accept-encoding", b"gzip")]}
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, stack(websocket_app)(scope, receive, send)).result()
    assert got == messages and seen == [scope]
