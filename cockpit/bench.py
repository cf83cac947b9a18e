"""`python -m cockpit bench`: how fast the cockpit is on the demo and the national data, measured
against the database floor and a load-everything-into-pandas dashboard; also the local server and
Chromium helpers the browser tests and the load test share."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
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
                raise RuntimeError(f"The server stopped with code {self.proc.returncode}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"The server did not answer on {self.base}/_stcore/health")

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


# ---------------------------------------------------------------- the benchmark

TARGETS = {
    "warm_s": 0.5,  # every page, warm, national data
    "cold_s": 3.0,  # every page, cold, national data
    "floor_ratio": 2.0,  # page (cold) / its queries run directly in DuckDB
    "pandas_factor": 10.0,  # load-everything-into-pandas / cockpit, national data
    "memory_mb": 1536.0,  # server process peak
    "all_kpis_s": 1.0,  # all KPIs for one municipality, national data
}
HEADLINE = (
    "spend_ytd",
    "forecast_year_end",
    "citizens_active",
    "contract_coverage",
    "botilbud_share",
)
DEFAULT_NATIONAL = db.ROOT / "data" / "national.duckdb"
LARGEST = 101  # København: the most data of any municipality
BENCHMARKS = db.ROOT / "BENCHMARKS.md"
# (mean think time between pages, seconds): users clicking on at once, then users reading pages
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def page_role(spec: Any) -> str:
    """The role a page is measured as: the social manager where allowed (the most content)."""
    return "leder" if "leder" in spec.roles else spec.roles[0]


def _say(text: str) -> None:
    print(text, flush=True)


def _worker(kind: str, *args: str, timeout: float = 3600) -> dict:
    """Run one measurement in a fresh Python process (cold means cold); returns its JSON."""
    env = {**os.environ, "STREAMLIT_LOGGER_LEVEL": "error", "PYTHONUNBUFFERED": "1"}
    env["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"  # a page's error in full in the report
    proc = subprocess.run(
        [sys.executable, "-m", "cockpit.bench", kind, *args],
        cwd=db.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{kind} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(lines[-1])


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


# ---- workers (each runs in its own process: `python -m cockpit.bench <kind> ...`)


def render_worker(url: str, municipality: str, audit_dir: str) -> dict:
    """Server-side render of every page through AppTest: the first run in a fresh process, then
    per page cold (st.cache_data cleared) and warm (cached), and the queries each page ran. The
    drill-down pages are measured twice: as pickers, and showing the offer with the most citizens
    and one of its citizens."""
    os.environ["COCKPIT_DATABASE_URL"] = url
    os.environ["COCKPIT_AUDIT_URL"] = f"sqlite:///{Path(audit_dir) / 'render-audit.sqlite'}"
    os.environ["COCKPIT_LOCAL"] = "1"  # every page without login, as `run --local` on 127.0.0.1
    began = time.perf_counter()
    import streamlit as st
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    config.set_option("server.address", "127.0.0.1")

    from cockpit import navigation
    from cockpit.periods import Scope

    ran: list[tuple[str, dict]] = []
    query = db.query

    def recording(name: str, params: dict, url: str | None = None):  # noqa: ANN202
        ran.append((name, params))
        return query(name, params, url)

    db.query = recording
    at = AppTest.from_file(str(db.ROOT / "cockpit" / "app.py"), default_timeout=900)
    at.session_state["role"] = "leder"
    at.query_params["kommune"] = municipality
    at.run()
    first = time.perf_counter() - began

    def measure(spec: navigation.PageSpec, label: str, **params: str) -> dict:
        role = page_role(spec)
        if at.session_state["role"] != role:
            at.session_state["role"] = role
            at.run()
        for key in ("tilbud", "borger"):
            at.query_params.pop(key, None)
        at.query_params.update(params)
        at.switch_page(f"../pages/{spec.file}")
        st.cache_data.clear()
        ran.clear()
        t = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t
        queries = {
            json.dumps([name, {k: _plain(v) for k, v in p.items()}], sort_keys=True)
            for name, p in ran
        }
        cold_runs = len(ran)
        ran.clear()
        t = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t
        return {
            "page": label,
            "role": role,
            "title": [t.value for t in at.title][:1],
            "errors": [str(e.value)[:300] for e in at.exception],
            "cold_s": cold,
            "warm_s": warm,
            "queries_run": cold_runs,
            "warm_queries_run": len(ran),
            "queries": sorted(queries),
        }

    specs = {spec.url_path: spec for spec in navigation.PAGES if spec.path.is_file()}
    # One pass over every page first, so that no page's cold time includes importing a library
    # (Altair, openpyxl) that the server imports once in its life.
    t = time.perf_counter()
    for spec in specs.values():
        measure(spec, spec.url_path)
    first_pass = time.perf_counter() - t
    pages = [measure(spec, spec.url_path) for spec in specs.values()]
    if "tilbud" in specs and "borger" in specs:
        as_of = date.fromisoformat(at.query_params["dato"])
        scope = Scope(int(municipality), as_of.year, as_of).params()
        offers = query("social_offers", scope, url)
        offer = str(offers.sort_values(["citizens", "offer_id"]).iloc[-1]["offer_id"])
        citizen = str(
            query("list_offer_citizens", {**scope, "offer_id": offer}, url)["citizen_id"].min()
        )
        pages.append(measure(specs["tilbud"], "tilbud (one offer)", tilbud=offer))
        pages.append(measure(specs["borger"], "borger (one citizen)", borger=citizen))
    return {
        "first_run_s": first,
        "first_pass_s": first_pass,
        "pages": pages,
        "peak_rss_mb": memory_mb(os.getpid()),
    }


def _headline_pandas(t: dict, municipality: int, as_of: date) -> dict:
    """The Overblik headline KPIs the way a typical Streamlit dashboard computes them: every
    table loaded into pandas once, then filtered and aggregated there (kpis.md definitions)."""
    import pandas as pd

    from cockpit.periods import Scope

    s = Scope(municipality, as_of.year, as_of)
    day = pd.Timestamp
    types = t["offer_type"]
    expense = t["expense"]
    expense = expense[
        (expense["municipality_code"] == municipality)
        & expense["posting_date"].between(day(s.window_start), day(as_of))
        & expense["offer_type_code"].isin(types["offer_type_code"])
    ]
    spend = float(expense["amount_dkk"].sum())
    other = float(expense.loc[expense["grant_id"].isna(), "amount_dkk"].sum())

    grants = t["grant"]
    grants = grants[
        (grants["municipality_code"] == municipality)
        & grants["offer_type_code"].isin(types["offer_type_code"])
    ]
    rest_start, year_end = day(as_of) + pd.Timedelta(days=1), day(s.year_end)
    open_end = grants["end_date"].fillna(year_end)
    resting = grants[(grants["start_date"] <= year_end) & (open_end >= rest_start)]
    days = (
        resting["end_date"].fillna(year_end).clip(upper=year_end)
        - resting["start_date"].clip(lower=rest_start)
    ).dt.days + 1
    rest = float((resting["monthly_price"] * 12.0 / s.days_in_year * days).sum())
    forecast = spend + rest + other / s.day_of_year * (s.days_in_year - s.day_of_year)

    all_active = t["grant"][
        (t["grant"]["municipality_code"] == municipality)
        & (t["grant"]["start_date"] <= day(as_of))
        & (t["grant"]["end_date"].isna() | (t["grant"]["end_date"] >= day(as_of)))
    ]
    citizens = int(all_active["citizen_id"].nunique())

    offers = t["offer"][t["offer"]["municipality_code"] == municipality]
    external = all_active.merge(offers, on=["municipality_code", "offer_id"])
    external = external[external["owner_type"] != "own"]
    contracts = t["contract"][
        (t["contract"]["municipality_code"] == municipality)
        & (t["contract"]["valid_from"] <= day(as_of))
        & (t["contract"]["valid_to"].isna() | (t["contract"]["valid_to"] >= day(as_of)))
    ]
    covered = external["grant_id"].isin(contracts["grant_id"])
    coverage = float(covered.mean()) if len(external) else None

    stair = all_active.merge(
        types[types["staircase_step"].notna()], on="offer_type_code", suffixes=("", "_type")
    )
    top = stair.groupby("citizen_id")["staircase_step"].transform("max")
    at_top = stair[stair["staircase_step"] == top]
    botilbud = at_top.groupby("citizen_id")["offer_type_code"].agg(
        lambda codes: codes.isin(["SEL107", "SEL108"]).any()
    )
    share = float(botilbud.mean()) if len(botilbud) else None
    return {
        "spend_ytd": spend,
        "forecast_year_end": forecast,
        "citizens_active": citizens,
        "contract_coverage": coverage,
        "botilbud_share": share,
    }


PANDAS_TABLES = ("expense", "grant", "offer", "offer_type", "contract")


def pandas_worker(url: str, municipality: str) -> dict:
    """The cockpit's headline KPIs (SQL in DuckDB through the registry) against the same five
    KPIs from tables loaded whole into pandas; both for the same scope, numbers compared."""
    import duckdb

    from cockpit import kpis
    from cockpit.periods import Scope

    code = int(municipality)
    as_of = kpis.default_as_of(code, 2026, url)
    scope = Scope(code, as_of.year, as_of)
    t = time.perf_counter()
    ours = kpis.compute(list(HEADLINE), scope, url)
    ours_first = time.perf_counter() - t
    t = time.perf_counter()
    kpis.compute(list(HEADLINE), scope, url)
    ours_again = time.perf_counter() - t
    db.release(url)

    before = memory_mb(os.getpid(), "VmRSS")
    t = time.perf_counter()
    con = duckdb.connect(str(db.duckdb_path(url)), read_only=True)
    tables = {name: con.execute(f'select * from "{name}"').df() for name in PANDAS_TABLES}  # noqa: S608
    con.close()
    load = time.perf_counter() - t
    loaded_mb = memory_mb(os.getpid(), "VmRSS") - before
    t = time.perf_counter()
    theirs = _headline_pandas(tables, code, as_of)
    compute = time.perf_counter() - t
    t = time.perf_counter()
    _headline_pandas(tables, code, as_of)
    compute_again = time.perf_counter() - t
    same = {
        k: bool(
            (ours[k] is None and theirs[k] is None)
            or (
                ours[k] is not None
                and theirs[k] is not None
                and abs(ours[k] - theirs[k]) <= 1e-6 * max(1.0, abs(ours[k]))
            )
        )
        for k in HEADLINE
    }
    return {
        "as_of": as_of.isoformat(),
        "rows": {name: len(df) for name, df in tables.items()},
        "ours_first_s": ours_first,
        "ours_again_s": ours_again,
        "pandas_load_s": load,
        "pandas_compute_s": compute,
        "pandas_compute_again_s": compute_again,
        "pandas_memory_mb": loaded_mb,
        "ours": ours,
        "pandas": theirs,
        "same": same,
    }


def kpis_worker(url: str, municipality: str) -> dict:
    """All KPIs of the registry for one municipality: first call in a fresh process (opens the
    database) and a second call."""
    from cockpit import kpis
    from cockpit.periods import Scope

    t = time.perf_counter()
    as_of = kpis.default_as_of(int(municipality), 2026, url)
    scope = Scope(int(municipality), as_of.year, as_of)
    kpis.compute(None, scope, url)
    first = time.perf_counter() - t
    t = time.perf_counter()
    values = kpis.compute(None, scope, url)
    again = time.perf_counter() - t
    return {"kpis": len(values), "first_s": first, "again_s": again, "as_of": as_of.isoformat()}


def import_worker(url: str, folder: str, target: str) -> dict:
    """Export the national data to one Parquet file per table, then time importing that folder
    into an empty DuckDB file with cockpit.load.import_folder (validation included)."""
    import duckdb

    from cockpit.load import import_folder

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db.duckdb_path(url)), read_only=True)
    for table in db.TABLES:
        path = out / f"{table}.parquet"
        # table names come from db.TABLES, the path from this function: no input in the SQL
        con.execute(f"copy (select * from \"{table}\") to '{path}' (format parquet)")  # noqa: S608
    con.close()
    Path(target).unlink(missing_ok=True)
    t = time.perf_counter()
    result = import_folder(out, f"duckdb:///{target}", progress=lambda _m, _f: None)
    seconds = time.perf_counter() - t
    return {
        "ok": result.ok,
        "problems": [str(p) for p in result.problems][:5],
        "rows": sum(result.rows.values()),
        "seconds": seconds,
        "extract_mb": sum(p.stat().st_size for p in out.glob("*.parquet")) / 2**20,
        "peak_rss_mb": memory_mb(os.getpid()),
    }


WORKERS = {
    "render": render_worker,
    "pandas": pandas_worker,
    "kpis": kpis_worker,
    "import": import_worker,
}


# ---- the orchestration (this process): data, workers, browser, floor, report


@dataclass
class Dataset:
    name: str
    label: str
    url: str
    municipality: int
    facts: dict = field(default_factory=dict)


def _demo(folder: Path) -> Dataset:
    from sample_data.generate import generate

    path = folder / "demo.duckdb"
    path.unlink(missing_ok=True)
    url = f"duckdb:///{path}"
    t = time.perf_counter()
    generate("demo", url, progress=lambda _m: None)
    facts = {
        "generate_s": time.perf_counter() - t,
        "generated": time.strftime("%Y-%m-%d %H:%M"),
        "size_mb": path.stat().st_size / 2**20,
    }
    return Dataset("demo", "Demo data (Demokommune, 999)", url, 999, facts)


def _national(url: str | None) -> Dataset:
    url = url or f"duckdb:///{DEFAULT_NATIONAL}"
    path = db.duckdb_path(url)
    facts: dict = {}
    # the generation time is kept beside the file, so a run that reuses the data can report it
    timing = path.with_name(path.name + ".generated.json") if path is not None else None
    if path is not None and not path.exists():
        _say(f"No national data in {path}: generating it now (takes a few minutes) …")
        from sample_data.generate import generate

        t = time.perf_counter()
        generate("national", url, progress=lambda _m: None)
        facts["generate_s"] = time.perf_counter() - t
        facts["generated"] = time.strftime("%Y-%m-%d %H:%M")
        timing.write_text(json.dumps(facts))
    else:
        _say(
            f"Reusing the national data in {path or url} (delete the file to time its generation)."
        )
        if timing is not None and timing.exists():
            facts = json.loads(timing.read_text())
    if path is not None:
        facts["size_mb"] = path.stat().st_size / 2**20
    return Dataset(
        "national",
        "National data (98 municipalities; pages measured on København, 101)",
        url,
        LARGEST,
        facts,
    )


def _duckdb_params(sql: str, params: dict) -> tuple[str, dict]:
    """A query file's text and bind parameters in DuckDB's own `$name` style."""
    import re

    wanted = {k: v for k, v in params.items() if re.search(rf"(?<!:):{k}\b", sql)}
    for k, v in wanted.items():
        if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            wanted[k] = date.fromisoformat(v)
    return re.sub(r"(?<![:\w]):([a-z_][a-z0-9_]*)\b", r"$\1", sql), wanted


def floor(ds: Dataset, pages: list[dict]) -> None:
    """Per page: its distinct queries run directly in DuckDB (best of 3 after a warm-up), summed.
    That is what no dashboard on this database can beat; stored on each page as floor_s."""
    import duckdb

    con = duckdb.connect(str(db.duckdb_path(ds.url)), read_only=True)
    best: dict[str, float] = {}
    try:
        for page in pages:
            total = 0.0
            for key in page["queries"]:
                if key not in best:
                    name, params = json.loads(key)
                    sql, bound = _duckdb_params(db.sql(name), params)
                    con.execute(sql, bound).fetchall()
                    runs = []
                    for _ in range(3):
                        t = time.perf_counter()
                        con.execute(sql, bound).fetchall()
                        runs.append(time.perf_counter() - t)
                    best[key] = min(runs)
                total += best[key]
            page["floor_s"] = total
    finally:
        con.close()


def browser_pass(ds: Dataset, folder: Path) -> dict:
    """A fresh server on the data; Chromium opens the app (first load) and then, per role, follows
    the navigation to each page twice: first visit (server cache cold for that page) and second
    visit (warm). Times run from the click to idle with every chart drawn."""
    from cockpit import navigation

    groups: dict[str, list] = {}
    for spec in navigation.PAGES:
        if spec.path.is_file():
            groups.setdefault(page_role(spec), []).append(spec)
    env = {"COCKPIT_AUDIT_URL": f"sqlite:///{folder / f'{ds.name}-audit.sqlite'}"}
    out: dict = {"pages": {}}
    # Local mode: every page served without login (demo mode offers no Import or Revisionslog).
    server = Server(ds.url, log=folder / f"{ds.name}-server.log", env=env, args=["--local"])
    t = time.perf_counter()
    server.start()
    out["server_start_s"] = time.perf_counter() - t
    try:
        with chromium() as browser:
            for role, specs in groups.items():
                tab = Tab(browser, viewport={"width": 1280, "height": 900})
                t = time.perf_counter()
                tab.goto(f"{server.base}/?kommune={ds.municipality}")
                out.setdefault("first_load_s", time.perf_counter() - t)
                choose_role(tab, role)
                order = sorted(specs, key=lambda s: link(s, role) == "")  # default page last
                for sweep in ("first_s", "again_s"):
                    for spec in order:
                        t = time.perf_counter()
                        charts = click_nav(tab, server.base, link(spec, role))
                        seconds = time.perf_counter() - t
                        page = out["pages"].setdefault(spec.url_path, {"charts": len(charts)})
                        page[sweep] = seconds
                        page["empty_charts"] = sum(map(chart_empty, charts))
                tab.close()
        out["peak_rss_mb"] = server.peak_rss_mb()
    finally:
        server.stop()
    return out


def machine() -> dict:
    import platform

    import duckdb
    import pandas
    import streamlit

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        int(line.split()[1]) / 2**20
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem, 1),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
        "started": time.strftime("%Y-%m-%d %H:%M"),
    }


def main(args: Any) -> int:
    """`python -m cockpit bench [--national-url URL] [--skip-national] [--load-only]`."""
    import tempfile

    from cockpit import loadtest

    if getattr(args, "load_only", False):
        return loadtest.bench_main()
    folder = ARTIFACTS / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    command = "python -m cockpit bench" + (" --skip-national" if args.skip_national else "")
    if args.national_url:
        command += f" --national-url {args.national_url}"
    report: dict = {"command": command, "machine": machine(), "datasets": {}}
    _say(f"Measuring on {report['machine']['cores']} cores; load average {os.getloadavg()[0]:.1f}.")
    datasets = [_demo(folder)]
    if not args.skip_national:
        datasets.append(_national(args.national_url))
    with tempfile.TemporaryDirectory() as tmp:
        for ds in datasets:
            _say(f"— {ds.label}")
            r: dict = {"label": ds.label, "municipality": ds.municipality, **ds.facts}
            _say("  server-side render (AppTest), cold and warm …")
            r["render"] = _worker("render", ds.url, str(ds.municipality), tmp)
            _say("  the floor: each page's queries run directly in DuckDB …")
            floor(ds, r["render"]["pages"])
            _say("  browser (Chromium): navigation to idle page …")
            r["browser"] = browser_pass(ds, Path(tmp))
            _say("  pandas comparison (every table loaded into pandas) …")
            r["pandas"] = _worker("pandas", ds.url, str(ds.municipality))
            _say("  all KPIs for one municipality …")
            r["kpis"] = _worker("kpis", ds.url, str(ds.municipality))
            if ds.name == "national" and (db.ROOT / "cockpit" / "load.py").is_file():
                _say("  import of the national extract (Parquet) into an empty database …")
                r["import"] = _worker(
                    "import", ds.url, str(Path(tmp) / "extract"), str(Path(tmp) / "import.duckdb")
                )
            report["datasets"][ds.name] = r
        report["load"] = loadtest.bench_runs(datasets[0].url, getattr(args, "load_seconds", None))
    report["machine"]["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    (folder / "results.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1, default=str)
    )
    text = render_markdown(report)
    print(text)
    write_benchmarks(text)
    note = f"Command: `{command}` (its load runs), {report['machine']['started']}."
    loadtest.write_load_table(loadtest.load_table(report["load"], note))
    _say(f"Figures written to {BENCHMARKS.name} and {folder / 'results.json'}.")
    return 0


# ---- the report


def _sec(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f} s"


def _ms(v: float | None) -> str:
    return "–" if v is None else f"{v * 1000:.0f} ms"


def _x(v: float | None) -> str:
    return "–" if v is None else f"{v:.1f}×"


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def verdicts(report: dict) -> list[tuple[str, str, str, bool | None]]:
    """(target, measured, scope, met?) for every target of the issue."""
    nat = report["datasets"].get("national")
    main = nat or report["datasets"]["demo"]
    where = "national" if nat else "demo only"
    pages = main["render"]["pages"]
    warm = max(p["warm_s"] for p in pages)
    cold = max(p["cold_s"] for p in pages)
    ratio = max(p["cold_s"] / p["floor_s"] for p in pages if p["floor_s"])
    pd_ = main["pandas"]
    factor = (pd_["pandas_load_s"] + pd_["pandas_compute_s"]) / pd_["ours_first_s"]
    in_memory = pd_["pandas_compute_again_s"] / pd_["ours_again_s"]
    memory = max(
        m
        for m in [d["browser"].get("peak_rss_mb") for d in report["datasets"].values()]
        + [run["server_peak_rss_mb"] for run in report.get("load", [])]
        if m is not None
    )
    t = TARGETS
    return [
        (f"every page warm < {t['warm_s']} s", f"slowest {_sec(warm)}", where, warm < t["warm_s"]),
        (f"every page cold < {t['cold_s']} s", f"slowest {_sec(cold)}", where, cold < t["cold_s"]),
        (
            f"page/floor < {t['floor_ratio']:.0f}",
            f"worst {_x(ratio)}",
            where,
            ratio < t["floor_ratio"],
        ),
        (
            f"≥ {t['pandas_factor']:.0f}× faster than pandas",
            f"{_x(factor)} first view, {_x(in_memory)} with the tables in memory",
            where,
            min(factor, in_memory) >= t["pandas_factor"],
        ),
        (
            f"server memory < {t['memory_mb'] / 1024:.1f} GB",
            f"peak {memory:.0f} MB",
            "all runs",
            memory < t["memory_mb"],
        ),
        (
            f"all KPIs, one municipality < {t['all_kpis_s']:.0f} s",
            f"{_sec(main['kpis']['again_s'])} (fresh process: {_sec(main['kpis']['first_s'])})",
            where,
            main["kpis"]["again_s"] < t["all_kpis_s"],
        ),
    ]


def render_markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        f"Command: `{report['command']}` — run {m['started']} on {m['cores']} × {m['cpu']}, "
        f"{m['memory_gb']} GB RAM; Python {m['python']}, Streamlit {m['streamlit']}, "
        f"DuckDB {m['duckdb']}, pandas {m['pandas']}. Load average at start "
        f"{m['load_at_start'][0]}, at end {m.get('load_at_end', ['?'])[0]}.",
        "",
        "### Targets",
        "",
        "| Target | Measured | Data | |",
        "|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {_mark(ok)} |" for a, b, c, ok in verdicts(report)]
    for r in report["datasets"].values():
        render, browser = r["render"], r["browser"]
        lines += [
            "",
            f"### {r['label']}",
            "",
            f"Database {r.get('size_mb', 0):.0f} MB"
            + (
                f", generated in {_sec(r['generate_s'])} ({r['generated']})"
                if "generate_s" in r
                else ""
            )
            + f". First run of the app in a fresh process (imports, database open, Overblik): "
            f"{_sec(render['first_run_s'])}; then every page once (imports Altair and openpyxl on the "
            f"way; not counted in the cold times below): {_sec(render['first_pass_s'])}. "
            f"Browser: server start {_sec(browser['server_start_s'])}, "
            f"first page load after start {_sec(browser.get('first_load_s'))}. Server peak memory "
            f"{browser.get('peak_rss_mb') or 0:.0f} MB.",
            "",
            "| Page | Role | Server cold | Server warm | Floor (DuckDB) | Cold/floor | Queries "
            "| Browser first | Browser again |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for p in render["pages"]:
            b = browser["pages"].get(p["page"], {})
            ratio = p["cold_s"] / p["floor_s"] if p["floor_s"] else None
            flag = " ⚠" if p["errors"] or b.get("empty_charts") else ""
            lines.append(
                f"| {p['page']}{flag} | {p['role']} | {_ms(p['cold_s'])} | {_ms(p['warm_s'])} | "
                f"{_ms(p['floor_s'])} | {_x(ratio)} | {len(p['queries'])} ({p['queries_run']}) | "
                f"{_ms(b.get('first_s'))} | {_ms(b.get('again_s'))} |"
            )
        errors = [f"{p['page']}: {e}" for p in render["pages"] for e in p["errors"]]
        lines += [f"\nError on {e}" for e in errors]
        pd_ = r["pandas"]
        same = all(pd_["same"].values())
        lines += [
            "",
            f"Headline KPIs ({', '.join(HEADLINE)}) as of {pd_['as_of']}: cockpit (SQL in DuckDB) "
            f"{_ms(pd_['ours_first_s'])} in a fresh process, {_ms(pd_['ours_again_s'])} again. "
            f"Load-everything-into-pandas: loading {', '.join(f'{k} {v:,}' for k, v in pd_['rows'].items())} "
            f"rows takes {_sec(pd_['pandas_load_s'])} (+{pd_['pandas_memory_mb']:.0f} MB), the "
            f"aggregation {_ms(pd_['pandas_compute_s'])} ({_ms(pd_['pandas_compute_again_s'])} again). "
            f"First view: pandas {_x((pd_['pandas_load_s'] + pd_['pandas_compute_s']) / pd_['ours_first_s'])} "
            f"slower; with the tables already in memory: "
            f"{_x(pd_['pandas_compute_again_s'] / pd_['ours_again_s'])}. Same numbers: "
            + (
                "yes."
                if same
                else f"**no**: {pd_['same']} cockpit {pd_['ours']} pandas {pd_['pandas']}."
            ),
            "",
            f"All {r['kpis']['kpis']} KPIs for municipality {r['municipality']}: "
            f"{_sec(r['kpis']['first_s'])} in a fresh process (opens the database), "
            f"{_sec(r['kpis']['again_s'])} again.",
        ]
        if "import" in r:
            imp = r["import"]
            lines.append(
                f"\nImport of the national extract ({imp['extract_mb']:.0f} MB Parquet, "
                f"{imp['rows']:,} rows) into an empty DuckDB file: {_sec(imp['seconds'])}, peak "
                f"memory {imp['peak_rss_mb']:.0f} MB"
                + ("." if imp["ok"] else f"; **refused**: {imp['problems']}")
            )
    for load in report.get("load", []):
        lines += [
            "",
            f"### Load: {load['sessions']} concurrent websocket sessions, demo data, "
            f"{load['processes']} process(es), think time {load['think_s']:.0f} s",
            "",
            f"{load['seconds']} s, sessions connecting over the first {load['ramp_up_s']:.0f} s, "
            f"think time {load['think_s']} s (±50 %), "
            f"{load['page_views']} page views ({load['views_per_second']}/s), "
            f"**{load['errors']} errors**, server peak memory {load['server_peak_rss_mb']:.0f} MB.",
            "",
            "| Page | Views | p50 | p95 | max |",
            "|---|--:|--:|--:|--:|",
        ]
        rows = [("first view (connect, first run, role)", load["first_view"])]
        rows += [("**all pages after the first view**", load["all"]), *load["pages"].items()]
        for page, s in rows:
            if s["n"]:
                lines.append(
                    f"| {page} | {s['n']} | {_sec(s['p50_s'])} | {_sec(s['p95_s'])} | "
                    f"{_sec(s['max_s'])} |"
                )
        lines += [f"\nError: {e}" for e in load["error_examples"]]
    return "\n".join(lines) + "\n"


def write_benchmarks(text: str) -> None:
    """Put the figures between the markers in BENCHMARKS.md (the prose around them stays)."""
    block = f"{BEGIN}\n{text}{END}"
    if BENCHMARKS.exists() and BEGIN in (old := BENCHMARKS.read_text(encoding="utf-8")):
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1] if END in rest else ""
        BENCHMARKS.write_text(head + block + tail, encoding="utf-8")
    else:
        BENCHMARKS.write_text(f"# Benchmarks\n\n{block}\n", encoding="utf-8")


if __name__ == "__main__":
    # Worker processes: `python -m cockpit.bench <render|pandas|kpis|import> ARGS...`
    print(json.dumps(WORKERS[sys.argv[1]](*sys.argv[2:]), default=str))
