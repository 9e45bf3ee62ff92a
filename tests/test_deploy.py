"""deploy/run.sh as an operator starts it: two Streamlit processes behind Debian's nginx, then deploy/stop.sh.

The test starts `deploy/run.sh 2` on free loopback ports (YDP_LISTEN, YDP_BASE_PORT) with a database in a temporary
folder (YDP_DB, built by run.sh), waits until nginx answers, and checks what deploy/nginx.conf promises:
  - sticky sessions: a browser without the ydp_backend cookie gets one, and every request carrying it reaches the
    same process (the X-Upstream header names it); fresh browsers are spread over both processes;
  - the websocket upgrade: /_stcore/stream answers 101 Switching Protocols through nginx;
  - compression: a JavaScript asset comes back with Content-Encoding: gzip when the browser accepts it;
then stops it with deploy/stop.sh and checks that every process it started (Streamlit, the nginx master and its
workers) is gone. CI installs nginx (.ci/run); without it the test fails rather than skips.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
START_TIMEOUT = 180  # seconds to wait for run.sh's "ready" (a bound on waiting, not an assertion on speed)


def free_ports(count: int) -> list[int]:
    """count free consecutive loopback ports (run.sh uses BASE_PORT, BASE_PORT+1, ...)."""
    for _ in range(200):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        base = probe.getsockname()[1]
        probe.close()
        held: list[socket.socket] = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                s.bind(("127.0.0.1", port))
                held.append(s)
            return list(range(base, base + count))
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
    raise RuntimeError("no free consecutive ports")


def descendants(pid: int) -> set[int]:
    """Every live process under pid (children, grandchildren: nginx's workers), read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Deployment:
    process: subprocess.Popen[bytes]
    listen: str
    backends: list[int]
    env: dict[str, str]
    log: Path
    db: Path

    def request(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        host, port = self.listen.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", path, headers={"Host": self.listen, **(headers or {})})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    assert Path(NGINX).exists(), "nginx is not installed: apt-get install -y nginx (.ci/run installs it)"
    # run.sh keeps nginx's run folder (static cache, temp files) under TMPDIR; nginx's workers run as another user
    # and must reach it, as under /tmp (pytest's own temporary folders are private, 0700)
    work = Path(tempfile.mkdtemp(prefix="ydp-deploy-test-", dir="/tmp"))
    work.chmod(0o755)
    listen_port, *backends = free_ports(3)
    listen = f"127.0.0.1:{listen_port}"
    env = {**os.environ, "YDP_LISTEN": listen, "YDP_BASE_PORT": str(backends[0]), "YDP_DB": str(work / "ydp.duckdb"),
           "TMPDIR": str(work), "PYTHON": sys.executable}
    env.pop("YDP_PROCESSES", None)
    log = work / "run.log"
    with log.open("wb") as out:
        process = subprocess.Popen(["bash", str(ROOT / "deploy" / "run.sh"), "2"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    # reap run.sh as soon as it exits, as the shell that starts it does: stop.sh waits for the pid to be gone, and an
    # exited child that nobody has waited for stays in the process table (a zombie) and answers kill -0
    reaper = threading.Thread(target=process.wait, daemon=True)
    reaper.start()
    deployment = Deployment(process, listen, backends, env, log, work / "ydp.duckdb")
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "ready:" not in log.read_text(errors="replace"):
            assert process.poll() is None, f"run.sh exited {process.returncode}:\n{log.read_text(errors='replace')}"
            assert time.monotonic() < deadline, f"run.sh not ready:\n{log.read_text(errors='replace')}"
            time.sleep(0.5)
        yield deployment
    finally:
        if process.poll() is None:  # only this test's own process group (start_new_session): run.sh and its children
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(work, ignore_errors=True)


def test_run_sh_serves_the_dashboard_through_nginx(deployment: Deployment) -> None:
    assert deployment.db.is_file(), "run.sh did not build the database at YDP_DB"
    health = deployment.request("/_stcore/health")
    assert health.status == 200
    page = deployment.request("/")
    assert page.status == 200 and "text/html" in page.headers["Content-Type"]
    assert f"{len(deployment.backends)} Streamlit process(es)" in deployment.log.read_text()


def test_sticky_sessions_follow_the_cookie(deployment: Deployment) -> None:
    first = deployment.request("/")
    cookies = first.headers.get_all("Set-Cookie") or []
    (match,) = [m for m in (re.match(r"ydp_backend=([0-9a-f]+); Path=/; HttpOnly; SameSite=Lax$", c) for c in cookies)
                if m] or [None]
    assert match, cookies
    upstream = first.headers["X-Upstream"]
    assert upstream in {f"127.0.0.1:{p}" for p in deployment.backends}, upstream
    for path in ("/", "/_stcore/health", "/_stcore/host-config", "/") * 3:
        again = deployment.request(path, {"Cookie": f"ydp_backend={match.group(1)}"})
        assert again.headers["X-Upstream"] == upstream, (path, again.headers["X-Upstream"])
        assert not [c for c in again.headers.get_all("Set-Cookie") or [] if c.startswith("ydp_backend=")], \
            "a browser with the cookie is given a new one"
    # browsers without the cookie are spread over both processes (one backend for everyone is not a balance)
    spread = {deployment.request("/").headers["X-Upstream"] for _ in range(40)}
    assert spread == {f"127.0.0.1:{p}" for p in deployment.backends}, spread


def test_websocket_upgrade_through_nginx(deployment: Deployment) -> None:
    host, port = deployment.listen.rsplit(":", 1)
    key = base64.b64encode(os.urandom(16)).decode()
    handshake = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {deployment.listen}\r\nUpgrade: websocket\r\n"
                 f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                 f"Origin: http://{deployment.listen}\r\n\r\n")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(handshake.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(4096)
            assert chunk, f"connection closed: {answer!r}"
            answer += chunk
    status, *lines = answer.split(b"\r\n\r\n")[0].decode().split("\r\n")
    assert status.startswith("HTTP/1.1 101"), status
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    assert headers["upgrade"].lower() == "websocket" and headers["connection"].lower() == "upgrade", headers
    assert "sec-websocket-accept" in headers


def test_javascript_is_gzipped(deployment: Deployment) -> None:
    host, port = deployment.listen.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/", headers={"Host": deployment.listen})
    html = conn.getresponse().read().decode()
    conn.close()
    scripts = re.findall(r'src="\.?/?(static/js/[^"]+\.js)"', html)
    assert scripts, html[:500]
    response = deployment.request(f"/{scripts[0]}", {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers.get("Content-Encoding") == "gzip", dict(response.headers)
    assert "javascript" in response.headers["Content-Type"]
    plain = deployment.request(f"/{scripts[0]}")
    assert plain.status == 200 and plain.headers.get("Content-Encoding") is None  # only to who accepts it


def test_stop_sh_stops_every_process(deployment: Deployment) -> None:
    """Last in this module: deploy/stop.sh stops run.sh, both Streamlit processes and nginx with its workers."""
    started = descendants(deployment.process.pid) | {deployment.process.pid}
    assert len(started) >= 1 + len(deployment.backends) + 2, started  # run.sh, streamlit × 2, nginx master + worker
    listen_port = deployment.listen.rsplit(":", 1)[1]
    stop = subprocess.run(["bash", str(ROOT / "deploy" / "stop.sh"), listen_port], cwd=ROOT, env=deployment.env,
                          capture_output=True, text=True, timeout=60)
    assert stop.returncode == 0, (stop.stdout, stop.stderr, deployment.log.read_text(errors="replace")[-3000:])
    assert deployment.process.wait(timeout=30) is not None
    assert not [p for p in started if alive(p)], [p for p in started if alive(p)]
    assert not (Path(deployment.env["TMPDIR"]) / f"ydp-deploy-{listen_port}.pid").exists()
    for port in (int(listen_port), *deployment.backends):  # free again, as run.sh tests them (SO_REUSEADDR)
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
