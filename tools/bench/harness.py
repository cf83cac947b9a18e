"""The browser harness the browser tests, the bench and the load test share: a cockpit server on a
free loopback port, Debian's Chromium through Playwright, and a Tab that knows when Streamlit is
done (and how demo mode picks a role)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cockpit import db

CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = db.ROOT / "artifacts"


# ---------------------------------------------------------------- a local cockpit server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m cockpit run` on a free loopback port against `url`, in its own process group
    (the CLI starts Streamlit as a child process, so stopping means stopping the group). `env`
    adds environment variables, e.g. COCKPIT_AUDIT_URL to keep a test's audit log apart."""

    def __init__(
        self,
        url: str,
        log: Path | None = None,
        env: dict[str, str] | None = None,
        script: Path | None = None,
        args: list[str] | None = None,
    ) -> None:
        self.url = url
        self.script = script  # another Streamlit script instead of the cockpit (tests)
        self.args = args or []  # more `python -m cockpit run` arguments, e.g. ["--local"]
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = env or {}
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Server:
        return self.launch().wait_ready(timeout)

    def launch(self) -> Server:
        """Start the process without waiting for it to answer."""
        env = {**os.environ, **self.env, "COCKPIT_DATABASE_URL": self.url, "PYTHONUNBUFFERED": "1"}
        out = open(self.log, "w") if self.log else subprocess.DEVNULL  # noqa: SIM115
        command = ["-m", "cockpit", "run", "--port", str(self.port), *self.args]
        if self.script is not None:
            command = ["-m", "streamlit", "run", str(self.script), "--server.headless", "true"]
            command += ["--server.port", str(self.port), "--browser.gatherUsageStats", "false"]
        self.proc = subprocess.Popen(
            [sys.executable, *command],
            cwd=db.ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout: float = 60) -> Server:
        """Wait until the server answers its health check."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"The server stopped with code {self.proc.returncode}: {self.log_tail()}"
                )
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"No answer on {self.base}/_stcore/health: {self.log_tail()}")

    def log_tail(self) -> str:
        """The end of the server's log, for an error message."""
        with contextlib.suppress(OSError, TypeError):
            return Path(self.log).read_text(errors="replace")[-3000:]
        return "(no log)"

    def streamlit_pid(self) -> int | None:
        """The Streamlit process (the CLI's child) that serves the app."""
        if self.proc is None:
            return None
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        with contextlib.suppress(OSError):
            pids = children.read_text().split()
            if pids:
                return int(pids[0])
        return None

    def peak_rss_mb(self) -> float | None:
        """Peak resident memory (VmHWM) of the Streamlit process, in MB (Linux)."""
        pid = self.streamlit_pid()
        if pid is None:
            return None
        return memory_mb(pid)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def memory_mb(pid: int, field: str = "VmHWM") -> float | None:
    """A process's peak (VmHWM) or current (VmRSS) resident memory in MB, from /proc (Linux)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return None


# ---------------------------------------------------------------- Chromium through Playwright


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# The app is idle when the script is not running, the connection is up, something is shown in the
# main area and nothing is stale (left over from the previous run) or still loading.
IDLE = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]') !== null
    && document.querySelector('[data-testid="stMain"] [data-stale="true"]') === null
    && document.querySelector('[data-testid="stSkeleton"]') === null;
}
"""

STATE = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const main = '[data-testid="stMain"] ';
  return {
    script: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'),
    elements: document.querySelectorAll(main + '[data-testid="stElementContainer"]').length,
    stale: document.querySelectorAll(main + '[data-stale="true"]').length,
    skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
    url: location.href,
  };
}
"""

# Per chart: is it drawn, and how many items Vega drew for its data marks (axes, legends and titles
# have other roles), so an empty chart scores 0. Streamlit draws Altair charts as SVG; anything
# else counts as not drawn. The browser draws no chart on a tab that is not shown: "hidden".
CHARTS = """
() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]')).map((el) => {
  if (el.getClientRects().length === 0) return {renderer: 'hidden', marks: 0};
  const svg = el.querySelector('svg.marks');
  if (!svg) return {renderer: null, marks: 0};
  return {renderer: 'svg', marks: svg.querySelectorAll('g.role-mark > :not(g)').length};
})
"""


def chart_empty(chart: dict) -> bool:
    """A chart not drawn, or drawn without data marks (a hidden one is judged when shown)."""
    return chart["renderer"] != "hidden" and chart["marks"] == 0


class Tab:
    """A page in its own browser context, i.e. its own Streamlit session. It counts the script runs
    the server reports finished on the websocket, so a wait can tell a finished rerun from the
    idle moment before the rerun started (the DOM alone cannot: React may never paint "running")."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.finished = 0
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: str | bytes) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, str):
            return
        msg = ForwardMsg.FromString(payload)
        if (
            msg.WhichOneof("type") == "script_finished"
            and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        ):
            self.finished += 1

    def wait_idle(self, after: int = 0, timeout: float = 60, charts: float = 10) -> list[dict]:
        """Wait until a script run later than run number `after` has finished and the page is
        idle, then until every chart has drawn data marks (at most `charts` seconds more);
        returns the chart report."""
        deadline = time.monotonic() + timeout
        while not (self.finished > after and self.page.evaluate(IDLE)):
            if time.monotonic() > deadline:
                state = self.page.evaluate(STATE)
                raise TimeoutError(f"The app did not become idle (runs {self.finished}): {state}")
            self.page.wait_for_timeout(25)
        return self.charts(charts)

    def charts(self, timeout: float = 10) -> list[dict]:
        """The chart report, once every chart has drawn data marks or `timeout` has passed."""
        deadline = time.monotonic() + timeout
        charts = self.page.evaluate(CHARTS)
        while any(map(chart_empty, charts)) and time.monotonic() < deadline:
            self.page.wait_for_timeout(50)
            charts = self.page.evaluate(CHARTS)
        return charts

    def all_charts(self) -> list[dict]:
        """The chart report for every chart on the page, showing each st.tabs tab in turn (the
        browser draws no chart on a hidden tab); the first tab is shown again afterwards."""
        tabs = self.page.locator('[data-testid="stMain"] [role="tab"]')
        charts = [c for c in self.charts() if c["renderer"] != "hidden"]
        if tabs.count() == 0:
            return charts
        for tab in tabs.all()[1:]:
            tab.click()
            charts += [c for c in self.charts() if c["renderer"] != "hidden"]
        tabs.first.click()
        return charts

    def goto(self, url: str, charts: float = 10) -> list[dict]:
        """Load `url` (a new session) and wait until the app is idle."""
        self.finished = 0
        self.page.goto(url)
        return self.wait_idle(charts=charts)

    def close(self) -> None:
        self.context.close()


DEFAULT_ROLE = "direktoer"  # the role demo mode starts a session with


def choose_role(tab: Tab, role: str) -> None:
    """Demo mode: the role is picked in the sidebar select "Rolle". THE one place that knows how a
    role is chosen; change it here when demo mode changes."""
    from cockpit.auth import ROLE_LABELS

    box = tab.page.get_by_role("combobox", name="Rolle")
    if box.input_value() == ROLE_LABELS[role]:
        return
    before = tab.finished
    option = tab.page.get_by_role("option", name=ROLE_LABELS[role], exact=True)
    with sidebar_open(tab):
        for _attempt in range(3):  # a click during the sidebar's slide-in may not open the list
            box.click()
            with contextlib.suppress(Exception):
                option.wait_for(state="visible", timeout=3000)
                break
            tab.page.keyboard.press("Escape")
        option.click()
        tab.wait_idle(before)


# The sidebar is open and done sliding in: its left edge is on the screen.
SIDEBAR_SHOWN = """
() => {
  const s = document.querySelector('[data-testid="stSidebar"]');
  return s.getAttribute('data-collapsed') === 'false' && s.getBoundingClientRect().left >= 0;
}
"""


@contextlib.contextmanager
def sidebar_open(tab: Tab) -> Iterator[None]:
    """Open the sidebar if it is collapsed (narrow screens), and collapse it again afterwards."""
    sidebar = tab.page.locator('[data-testid="stSidebar"]')
    collapsed = sidebar_collapsed(tab)
    if collapsed:
        tab.page.locator('[data-testid="stExpandSidebarButton"]').click()
        tab.page.wait_for_function(SIDEBAR_SHOWN)
    yield
    if collapsed and not sidebar_collapsed(tab):
        sidebar.locator('[data-testid="stSidebarCollapseButton"] button').click()


def sidebar_collapsed(tab: Tab) -> bool:
    return tab.page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"


def link(spec: Any, role: str) -> str:
    """The URL path the app uses for a page: "" (the root) for the role's default page."""
    from cockpit import navigation

    return "" if spec == navigation.pages_for(role)[0] else spec.url_path


def open_page(tab: Tab, base: str, role: str, spec: Any) -> list[dict]:
    """Open a page as `role` in a fresh session: by deep link when demo mode's starting role may
    see it, else root → role → the page's link in the navigation. Returns the chart report."""
    from cockpit import navigation

    deep = spec in navigation.pages_for(DEFAULT_ROLE)
    charts = tab.goto(f"{base}/{link(spec, DEFAULT_ROLE) if deep else ''}")
    choose_role(tab, role)
    if page_shown(tab) != link(spec, role):
        charts = click_nav(tab, base, link(spec, role))
    return charts


def click_nav(tab: Tab, base: str, url_path: str) -> list[dict]:
    """Follow the navigation link to `url_path` within the session; returns the chart report."""
    before = tab.finished
    with sidebar_open(tab):
        tab.page.locator(f'[data-testid="stSidebarNavLink"][href="{base}/{url_path}"]').click()
        charts = tab.wait_idle(before)
    return charts


def page_shown(tab: Tab) -> str | None:
    """The URL path of the page marked current in the navigation ("" for the default page)."""
    from urllib.parse import urlparse

    current = tab.page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    if current.count() != 1:
        return None
    return urlparse(current.get_attribute("href") or "").path.strip("/")


def nav_titles(tab: Tab) -> list[str]:
    """The page titles in the navigation, in order."""
    return tab.page.locator('[data-testid="stSidebarNavLink"] span[label]').evaluate_all(
        "els => els.map(e => e.getAttribute('label'))"
    )


def page_role(spec: Any) -> str:
    """The role a page is measured as: the social manager where allowed (the most content)."""
    return "leder" if "leder" in spec.roles else spec.roles[0]
