"""deploy/: the shipped nginx.conf in front of two cockpit processes (Debian's nginx): a browser's
cookie keeps it on one process, the cookies spread over both, the websocket passes, and demo mode
refuses a session that came through the proxy; the production environment requires login."""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cockpit import db
from tools.bench import harness, loadtest

DEPLOY = db.ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def local_config(ports: list[int], listen: int, folder: Path) -> str:
    """The shipped nginx.conf as a test runs it: the upstream on the test's processes, plain HTTP
    on a loopback port instead of TLS on 443, pid and logs in the test's folder. Everything else
    (the cookie map, the consistent hash, the websocket headers) is the shipped text."""
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    text = text.replace("127.0.0.1:8501", f"127.0.0.1:{ports[0]}")
    text = text.replace("127.0.0.1:8502", f"127.0.0.1:{ports[1]}")
    text = re.sub(r"\n    server \{\n        listen 80;.*?\n    \}\n", "\n", text, flags=re.S)
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{listen};")
    text = re.sub(r"\n\s*ssl_[a-z_]+ [^\n]+;", "", text)
    text = text.replace("/run/nginx.pid", str(folder / "nginx.pid"))
    return text.replace("/var/log/nginx", str(folder))


@pytest.fixture(scope="module")
def proxy(tmp_path_factory) -> Iterator[str]:
    """Two demo-data cockpits behind nginx with the shipped configuration; yields its base URL."""
    from sample_data.generate import generate

    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: run `bash .ci/ensure-services` (installs Debian's nginx).")
    folder = tmp_path_factory.mktemp("nginx")
    url = f"duckdb:///{folder / 'demo.duckdb'}"
    generate("demo", url, progress=lambda _message: None)
    audit = {"COCKPIT_AUDIT_URL": f"sqlite:///{folder / 'audit.sqlite'}"}
    servers = [harness.Server(url, log=folder / f"s{i}.log", env=audit).launch() for i in range(2)]
    port = harness.free_port()
    conf = folder / "nginx.conf"
    conf.write_text(local_config([s.port for s in servers], port, folder), encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(conf)], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()
    nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"])
    try:
        for s in servers:
            s.wait_ready()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/_stcore/health", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        yield base
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        for s in servers:
            s.stop()


def test_shipped_config_keeps_a_browser_on_one_process(proxy: str) -> None:
    first = httpx.get(f"{proxy}/_stcore/health")
    assert first.status_code == 200
    route = first.cookies.get("cockpit_route")
    assert route and re.fullmatch(r"[0-9a-f]{32}", route)  # a fresh random id on the first request
    assert "HttpOnly" in first.headers["set-cookie"] and "Secure" in first.headers["set-cookie"]
    chosen: dict[str, str] = {}
    for i in range(40):
        key = f"{i:032x}"
        upstreams = {
            httpx.get(f"{proxy}/_stcore/health", cookies={"cockpit_route": key}).headers[
                "x-cockpit-upstream"
            ]
            for _ in range(4)
        }
        assert len(upstreams) == 1, (key, upstreams)  # every request of a browser: one process
        chosen[key] = upstreams.pop()
    assert len(set(chosen.values())) == 2  # and the browsers spread over both processes


async def _title_through(proxy: str, cookie: str) -> list[str]:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    uri = proxy.replace("http://", "ws://") + "/_stcore/stream"
    headers = {"Cookie": f"cockpit_route={cookie}"}
    kwargs = {"subprotocols": ["streamlit"], "additional_headers": headers, "proxy": None}
    headings = []
    async with connect(uri, **kwargs) as ws:
        msg = BackMsg()
        msg.rerun_script.page_script_hash = ""
        await ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg.FromString(await asyncio.wait_for(ws.recv(), 60))
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "heading":
                    headings.append(element.heading.body)
            elif kind == "script_finished":
                return headings


def test_websocket_passes_and_demo_mode_refuses_a_proxied_session(proxy: str) -> None:
    # Demo mode is for this machine only: a session that came through a proxy gets no data.
    assert loadtest.run_coroutine(_title_through(proxy, "0" * 32)) == ["Login kræves"]


def test_the_production_environment_requires_login() -> None:
    env = dict(
        line.split("=", 1)
        for line in (DEPLOY / "cockpit.env").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert env["COCKPIT_REQUIRE_LOGIN"] == "1"
    assert "COCKPIT_REQUIRE_LOGIN=1" in (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    unit = (DEPLOY / "cockpit@.service").read_text(encoding="utf-8")
    assert "EnvironmentFile=/opt/cockpit/deploy/cockpit.env" in unit
