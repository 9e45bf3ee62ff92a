"""The server's page-HTML middleware (ydp_data.serving), driven as ASGI with Streamlit's own index.html.

The browser side (the script finds the base address, a deep link opens without a probe) is tested in
tests/e2e/test_browser.py against the real server.
"""

from __future__ import annotations

import ast
import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import streamlit
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

    def __init__(self, body: bytes, content_type: bytes = b"text/html; charset=utf-8", status: int = 200) -> None:
        self.body, self.content_type, self.status = body, content_type, status
        self.seen: list[Any] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.seen.append(scope)
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", self.content_type), (b"content-length", str(len(self.body)).encode()),
                                (b"etag", b'"x"')]})
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        half = len(self.body) // 2
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
    assert body.startswith(INDEX[:INDEX.index(b"<head>")] + b"<head><script>")
    assert body.replace(middleware.script, b"") == INDEX  # nothing else changed
    assert int(header(start, b"content-length") or 0) == len(body)
    assert header(start, b"etag") == b'"x"'
    assert b"accept-encoding" not in dict(seen[0]["headers"])  # asked uncompressed, to be edited
    for name in serving.page_url_names():
        assert name.encode() in middleware.script


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
    assert [m.cls for m in serving.MIDDLEWARE] == [serving.PageBaseUrl]
    from streamlit.web.server.app_discovery import discover_asgi_app

    assert discover_asgi_app(ROOT / "dashboard.py").is_asgi_app
