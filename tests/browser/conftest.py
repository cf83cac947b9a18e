"""Browser-test fixtures: the demo database, cockpit servers on free loopback ports, Debian's
Chromium through Playwright, and the checks every opened page must pass. How a role is chosen in
demo mode lives in one place: tools.harness.harness.choose_role."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from cockpit import navigation
from tools.bench import harness

SCREENSHOTS = harness.ARTIFACTS / "screenshots"

# The only console errors tolerated: on a deep link (/oekonomi) Streamlit's frontend first looks
# for the server under the page's path (/oekonomi/_stcore/health and host-config), gets 404 and
# then finds it at the root. That probe is Streamlit's, not the cockpit's.
BASE_PATH_PROBE = re.compile(r"^/[a-z0-9_-]+/_stcore/(health|host-config)$")


def existing_pages() -> list[navigation.PageSpec]:
    return [p for p in navigation.PAGES if p.path.is_file()]


def role_pages() -> list[tuple[str, navigation.PageSpec]]:
    """Every page each role sees in demo mode (which offers no Import or Revisionslog)."""
    return [(role, spec) for role in navigation.ALL for spec in navigation.pages_for(role, "demo")]


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo data (Demokommune 999) generated once per session into a temporary DuckDB file."""
    from sample_data.generate import generate

    url = f"duckdb:///{tmp_path_factory.mktemp('demo') / 'demo.duckdb'}"
    generate("demo", url, progress=lambda _message: None)
    return url


def cockpit_server(demo_url: str, folder: Path) -> harness.Server:
    """A cockpit on the demo data with its own audit log (views of citizens are logged) and its
    own state store (worklist statuses)."""
    env = {
        "COCKPIT_AUDIT_URL": f"sqlite:///{folder / 'audit.sqlite'}",
        "COCKPIT_STATE_URL": f"sqlite:///{folder / 'state.sqlite'}",
    }
    return harness.Server(demo_url, log=folder / "server.log", env=env)


@pytest.fixture(scope="session")
def server(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    """One cockpit server shared by the tests that do not need a fresh one."""
    s = cockpit_server(demo_url, tmp_path_factory.mktemp("server")).start()
    yield s
    s.stop()


@pytest.fixture(scope="session")
def fresh_servers(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Servers nobody has visited yet. The next one boots while a test uses the current one (one
    per page: test_deep_link_on_a_fresh_server takes them)."""
    spare: list[harness.Server] = []
    wanted = [len(existing_pages())]

    def launch() -> harness.Server:
        return cockpit_server(demo_url, tmp_path_factory.mktemp("fresh")).launch()

    def take() -> harness.Server:
        server = spare.pop() if spare else launch()
        wanted[0] -= 1
        if wanted[0] > 0:
            spare.append(launch())
        return server.wait_ready()

    yield take
    for server in spare:
        server.stop()


@pytest.fixture
def fresh_server(fresh_servers: Any) -> Iterator[harness.Server]:
    """A server whose first request is the test's."""
    s = fresh_servers()
    yield s
    s.stop()


@dataclass
class Watch:
    """What went wrong in a browser page: console errors, uncaught errors, requests leaving the
    machine (blocked: the cockpit must work offline and leak nothing to third parties)."""

    base: str
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.console.clear()
        self.errors.clear()
        self.external.clear()

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), self._block)

    def _block(self, route: Any) -> None:
        self.external.append(route.request.url)
        route.abort()

    def _console(self, msg: Any) -> None:
        if msg.type != "error":
            return
        source = msg.location.get("url", "")
        if source in self.external:
            return  # reported as an external request
        if source.startswith(self.base) and BASE_PATH_PROBE.match(urlparse(source).path):
            return
        self.console.append(f"{msg.text} ({source})")


def watched_tab(browser: Any, base: str, **context: Any) -> tuple[harness.Tab, Watch]:
    """A fresh session (own browser context) whose errors and outside requests are recorded."""
    tab = harness.Tab(browser, **context)
    watch = Watch(base)
    watch.attach(tab.page)
    return tab, watch


@pytest.fixture
def open_tab(browser: Any) -> Iterator[Any]:
    """Factory for watched tabs, closed after the test."""
    tabs = []

    def make(base: str, **context: Any) -> tuple[harness.Tab, Watch]:
        tab, watch = watched_tab(browser, base, **context)
        tabs.append(tab)
        return tab, watch

    yield make
    for tab in tabs:
        tab.close()


def shot(tab: harness.Tab, name: str) -> Path:
    """A screenshot of the whole page. Streamlit scrolls inside its main area, not the document,
    so the window is made as tall as that area for the picture."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = tab.page.viewport_size
    height = tab.page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
    )
    tab.page.set_viewport_size({"width": size["width"], "height": min(max(height, 1), 12000)})
    try:
        tab.page.screenshot(path=str(path))
    finally:
        tab.page.set_viewport_size(size)
    return path


def metrics(tab: harness.Tab) -> dict[str, str]:
    """Each st.metric's label and value as the user reads them."""
    return dict(
        tab.page.locator('[data-testid="stMain"] [data-testid="stMetric"]').evaluate_all(
            """els => els.map(e => [
                e.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
                e.querySelector('[data-testid="stMetricValue"]').innerText.trim(),
            ])"""
        )
    )


def assert_sound(tab: harness.Tab, watch: Watch, where: str) -> None:
    """What every opened page must show: no exception, no console or page error, a page title,
    every chart (on every tab) drawn with data marks, and no request leaving the machine."""
    page = tab.page
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{where}: {exceptions.first.inner_text()[:500]}"
    assert not watch.errors, f"{where}: JavaScript errors: {watch.errors}"
    assert not watch.console, f"{where}: console errors: {watch.console}"
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, f"{where}: no page title"
    charts = tab.all_charts()
    empty = [i for i, c in enumerate(charts) if harness.chart_empty(c)]
    assert not empty, f"{where}: empty or undrawn charts (no. {empty}): {charts}"
    outside = sorted(set(watch.external))
    assert not outside, f"{where}: requests leaving the machine: {outside}"
