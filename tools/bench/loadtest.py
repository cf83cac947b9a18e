"""`python -m tools.harness.loadtest`: a bounded load test on loopback. Concurrent sessions speak
Streamlit's own websocket protocol to a cockpit this command starts on 127.0.0.1, each with a
role, cycling through that role's pages; it reports errors and page times (p50, p95, max)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tools.bench import harness, report


def run_coroutine(coro: Coroutine):
    """asyncio.run in a thread of its own: in a test run, the browser tests' sync Playwright keeps
    an event loop running in the main thread, where asyncio.run refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


# The benchmark's load runs: (processes, think time s, duration s), and the targets for
# the 95th percentile page time of 20 active users on the demo data, per think time.
LOAD_RUNS = ((1, 10.0, 180.0), (2, 10.0, 180.0), (1, 1.0, 120.0), (2, 1.0, 120.0))
TARGET_P95 = {10.0: 1.5, 1.0: 3.0}
# Before several processes: `python -m cockpit bench`, 22 November 2026, one process, load
# average 0.76 (BENCHMARKS.md of that day): (think, views/s, p50 s, p95 s, errors).
BEFORE = ((10.0, 1.74, 0.26, 1.99, 0), (1.0, 3.4, 3.75, 7.46, 0))
LOAD_BEGIN, LOAD_END = "<!-- load:begin -->", "<!-- load:end -->"
MAX_SESSIONS = 50
MAX_SECONDS = 600
PAGE_TIMEOUT = 120.0
RAMP_UP = 10.0  # seconds over which the sessions connect
ROLES = ("politiker", "direktoer", "leder", "admin")


@dataclass
class Outcome:
    """What the sessions saw: page times per page, the first view of each session (connect, first
    run, choosing the role), and every error with where it happened."""

    times: dict[str, list[float]] = field(default_factory=dict)
    first: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sessions: int = 0
    seconds: float = 0.0
    during: dict = field(default_factory=dict)  # what ran alongside (an import), and its result

    def add(self, page: str, seconds: float) -> None:
        self.times.setdefault(page, []).append(seconds)

    def summary(self) -> dict:
        every = [t for ts in self.times.values() for t in ts]
        return {
            "sessions": self.sessions,
            "seconds": round(self.seconds, 1),
            "page_views": len(every),
            "views_per_second": round(len(every) / self.seconds, 2) if self.seconds else None,
            "errors": len(self.errors),
            "error_examples": self.errors[:10],
            "during": self.during,
            "first_view": _stats(self.first),
            "all": _stats(every),
            "pages": {page: _stats(ts) for page, ts in sorted(self.times.items())},
        }


def _stats(times: list[float]) -> dict:
    if not times:
        return {"n": 0}
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
        "max_s": round(ordered[-1], 3),
    }


class Session:
    """One websocket session: what a browser tab sends (rerun requests with the page and the role
    widget) and what it must see back (a finished run without an exception or an error box)."""

    def __init__(self, port: int, role: str) -> None:
        self.uri = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.role = role
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.role_widget: str | None = None
        self.municipalities: list[str] = []  # the scope picker's choices, as last shown
        self.ws = None

    async def run_page(self, page_hash: str = "", widgets: list | None = None) -> list[str]:
        """Request a run and read until it finishes; returns the problems seen (empty if none)."""
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.page_script_hash = page_hash
        for widget in widgets or []:
            msg.rerun_script.widget_states.widgets.append(widget)
        await self.ws.send(msg.SerializeToString())
        problems = []
        while True:
            data = await asyncio.wait_for(self.ws.recv(), PAGE_TIMEOUT)
            fwd = ForwardMsg.FromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":  # hidden pages are those the role may not open
                pages = [p for p in fwd.navigation.app_pages if not p.is_hidden]
                self.pages = {p.url_pathname: p.page_script_hash for p in pages}
            elif kind == "page_not_found":
                problems.append(f"page not found: {fwd.page_not_found.page_name}")
            elif kind == "session_event" and fwd.session_event.WhichOneof("type"):
                problems.append(f"session event: {fwd.session_event.WhichOneof('type')}")
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    problems.append(f"{element.exception.type}: {element.exception.message}"[:300])
                elif what == "alert" and element.alert.format == Alert.ERROR:
                    problems.append(f"error box: {element.alert.body}"[:300])
                elif what == "selectbox" and element.selectbox.label == "Rolle":
                    self.role_widget = element.selectbox.id
                elif what == "selectbox" and element.selectbox.label == "Kommune":
                    self.municipalities = list(element.selectbox.options)
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    problems.append("the script did not compile")
                return problems

    async def choose_role(self) -> list[str]:
        """The demo-mode role picker, as the browser sends it: the select's widget state."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        from cockpit.auth import ROLE_LABELS

        if self.role == harness.DEFAULT_ROLE:
            return []
        if self.role_widget is None:
            return ["the role picker was not shown"]
        widget = WidgetState(id=self.role_widget, string_value=ROLE_LABELS[self.role])
        return await self.run_page(widgets=[widget])


async def _session(
    port: int,
    role: str,
    delay: float,
    until: float,
    think: float,
    seed: int,
    out: Outcome,
    mode: str = "demo",
) -> None:
    from websockets.asyncio.client import connect

    from cockpit import navigation

    session = Session(port, role)
    rng = random.Random(seed)
    await asyncio.sleep(delay)
    try:
        async with connect(
            session.uri, subprotocols=["streamlit"], max_size=None, proxy=None, open_timeout=60
        ) as ws:
            session.ws = ws
            started = time.monotonic()
            problems = await session.run_page()
            problems += await session.choose_role()
            out.first.append(time.monotonic() - started)
            specs = navigation.pages_for(role, mode)
            links = {harness.link(spec, role): spec.url_path for spec in specs}
            if sorted(session.pages) != sorted(links):
                problems.append(f"navigation shows {sorted(session.pages)}, not the role's pages")
            out.errors += [f"{role} at start: {p}" for p in problems]
            if problems:
                return
            order = list(links)
            rng.shuffle(order)
            i = 0
            while time.monotonic() < until:
                link = order[i % len(order)]
                i += 1
                started = time.monotonic()
                problems = await session.run_page(session.pages[link])
                out.add(links[link], time.monotonic() - started)
                out.errors += [f"{role} on {links[link]}: {p}" for p in problems]
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    except Exception as exc:  # noqa: BLE001 - every failure is a load-test error to report
        out.errors.append(f"{role}: {type(exc).__name__}: {exc}"[:300])


async def _during(out: Outcome, task: Callable[[], dict], after: float) -> None:
    """Run `task` (an import, say) in a thread `after` seconds in, while the sessions go on."""
    await asyncio.sleep(after)
    started = time.monotonic()
    out.during = await asyncio.to_thread(task)
    out.during["started_s"] = round(after, 1)
    out.during["took_s"] = round(time.monotonic() - started, 1)


async def _drive(
    ports: list[int],
    sessions: int,
    seconds: float,
    think: float,
    mode: str = "demo",
    during: Callable[[], dict] | None = None,
) -> Outcome:
    """Session i talks to process i mod len(ports) for its whole life, as nginx's cookie hash
    keeps a browser on one process (deploy/nginx.conf)."""
    out = Outcome(sessions=sessions)
    began = time.monotonic()
    until = began + seconds
    ramp = min(RAMP_UP, seconds / 4)  # users arrive one by one, not in the same millisecond
    tasks = [
        _session(
            ports[i % len(ports)],
            ROLES[i % len(ROLES)],
            ramp * i / sessions,
            until,
            think,
            i,
            out,
            mode,
        )
        for i in range(sessions)
    ]
    if during is not None:
        tasks.append(_during(out, during, seconds / 3))
    await asyncio.gather(*tasks)
    out.seconds = time.monotonic() - began
    return out


async def _municipalities(port: int) -> list[str]:
    """What a new session's municipality picker offers (the data it reads now)."""
    from websockets.asyncio.client import connect

    session = Session(port, harness.DEFAULT_ROLE)
    uri, kwargs = session.uri, {"subprotocols": ["streamlit"], "max_size": None, "proxy": None}
    async with connect(uri, **kwargs) as ws:
        session.ws = ws
        problems = await session.run_page()
    return session.municipalities if not problems else [f"fejl: {p}" for p in problems]


def importing(folder: Path, url: str) -> Callable[[], dict]:
    """An import of `folder` into `url` through cockpit/refresh.py, as the `during` task."""

    def task() -> dict:
        from cockpit import refresh

        result = refresh.import_folder(folder, url)
        return {
            "import_ok": result.ok,
            "rows": sum(result.rows.values()),
            "municipalities": result.municipalities,
            "problems": [str(p) for p in result.problems[:5]],
        }

    return task


def run(
    url: str,
    sessions: int = 20,
    seconds: float = 180,
    think: float = 1.0,
    processes: int = 1,
    local: bool = False,
    during: Callable[[], dict] | None = None,
) -> dict:
    """Start `processes` cockpits on `url` (127.0.0.1 only; with `local`, in local mode, which
    serves imported data), drive `sessions` concurrent sessions for `seconds` (and `during`, an
    import say, a third of the way in), stop them; returns the summary plus the servers' peak
    memory and what a new session's municipality picker offers at the end on each process."""
    if not 1 <= sessions <= MAX_SESSIONS or not 1 <= seconds <= MAX_SECONDS:
        raise ValueError(f"at most {MAX_SESSIONS} sessions and {MAX_SECONDS} seconds")
    if not 1 <= processes <= 4:
        raise ValueError("1 to 4 processes")
    mode = "local" if local else "demo"
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        audit = {"COCKPIT_AUDIT_URL": f"sqlite:///{Path(tmp) / 'audit.sqlite'}"}
        servers = [
            harness.Server(
                url,
                log=Path(tmp) / f"server{i}.log",
                env=audit,
                args=["--local"] if local else [],
            ).launch()
            for i in range(processes)
        ]
        for server in servers:
            stack.callback(server.stop)
        for server in servers:
            server.wait_ready()
        ports = [s.port for s in servers]
        out = run_coroutine(_drive(ports, sessions, seconds, think, mode, during))
        summary = out.summary()
        peaks = [s.peak_rss_mb() for s in servers]
        summary["server_peak_rss_mb"] = max((p for p in peaks if p), default=None)
        summary["municipalities_after"] = [run_coroutine(_municipalities(p)) for p in ports]
    summary["think_s"] = think
    summary["ramp_up_s"] = min(RAMP_UP, seconds / 4)
    summary["processes"] = processes
    return summary


def bench_runs(url: str, seconds: float | None = None) -> list[dict]:
    """The benchmark's load runs on `url`: 20 sessions, 1 and 2 processes, think time 10 s and
    1 s (LOAD_RUNS; `seconds` shortens every run)."""
    runs = []
    for processes, think, length in LOAD_RUNS:
        length = seconds or length
        print(f"— load: 20 sessions, {processes} process(es), think {think:.0f} s, {length:.0f} s")
        runs.append(run(url, sessions=20, seconds=length, think=think, processes=processes))
    return runs


def load_table(runs: list[dict], note: str) -> str:
    """The before/after table of the load runs, in Markdown."""
    lines = [
        note,
        "",
        "| | Processes | Think time | Page views/s | p50 | p95 | Errors | Target p95 | |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for think, rate, p50, p95, errors in BEFORE:
        target = TARGET_P95[think]
        met = "met" if p95 < target else "**missed**"
        lines.append(
            f"| before (22 Nov) | 1 | {think:.0f} s | {rate} | {p50:.2f} s | {p95:.2f} s | "
            f"{errors} | < {target} s | {met} |"
        )
    for r in runs:
        target = TARGET_P95.get(r["think_s"])
        p95 = r["all"].get("p95_s")
        met = "–" if target is None or p95 is None else ("met" if p95 < target else "**missed**")
        lines.append(
            f"| after | {r['processes']} | {r['think_s']:.0f} s | {r['views_per_second']} | "
            f"{r['all'].get('p50_s', 0):.2f} s | {p95 or 0:.2f} s | {r['errors']} | "
            f"< {target} s | {met} |"
        )
    return "\n".join(lines) + "\n"


def write_load_table(text: str) -> None:
    """Put the table between the load markers in BENCHMARKS.md (the rest stays)."""
    path = report.BENCHMARKS
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{LOAD_BEGIN}\n{text}{LOAD_END}"
    if LOAD_BEGIN in old:
        head, rest = old.split(LOAD_BEGIN, 1)
        path.write_text(head + block + rest.split(LOAD_END, 1)[1], encoding="utf-8")
    else:
        path.write_text(old.rstrip("\n") + "\n\n" + block + "\n", encoding="utf-8")


def bench_main(seconds: float | None = None) -> int:
    """`python -m cockpit bench --load-only`: the load runs on freshly generated demo data; the
    table goes into BENCHMARKS.md, the raw figures into artifacts/bench/load.json."""
    import os
    from datetime import datetime

    from sample_data.generate import generate

    started = datetime.now().strftime("%Y-%m-%d %H:%M")
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"duckdb:///{Path(tmp) / 'demo.duckdb'}"
        generate("demo", url, progress=lambda _message: None)
        runs = bench_runs(url, seconds)
    note = (
        f"Command: `python -m cockpit bench --load-only` — run {started} on "
        f"{os.cpu_count()} cores; load average at start {load_start:.2f}, at end "
        f"{os.getloadavg()[0]:.2f}. 20 websocket sessions on the demo data, roles in turn, "
        "connecting over the first 10 s; with 2 processes, session i stays on process i mod 2 "
        "(as nginx's cookie hash keeps a browser on one process)."
    )
    folder = harness.ARTIFACTS / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "load.json").write_text(json.dumps(runs, ensure_ascii=False, indent=1))
    text = load_table(runs, note)
    print(text)
    write_load_table(text)
    return 1 if any(r["errors"] for r in runs) else 0


def print_summary(summary: dict) -> None:
    print(
        f"{summary['sessions']} sessions for {summary['seconds']} s: "
        f"{summary['page_views']} page views ({summary['views_per_second']}/s), "
        f"{summary['errors']} errors, server peak memory "
        f"{summary['server_peak_rss_mb']:.0f} MB"
    )
    print(f"{'page':<24}{'views':>7}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
    rows = [("(first view)", summary["first_view"]), ("all pages", summary["all"])]
    for page, s in [*rows, *summary["pages"].items()]:
        if s["n"]:
            print(f"{page:<24}{s['n']:>7}{s['p50_s']:>9.3f}{s['p95_s']:>9.3f}{s['max_s']:>9.3f}")
    if summary["during"]:
        print(f"During the run: {summary['during']}")
    print(f"Municipalities a new session sees at the end: {summary['municipalities_after']}")
    for example in summary["error_examples"]:
        print(f"Error: {example}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.harness.loadtest", description=__doc__)
    p.add_argument(
        "--sessions", type=int, default=20, help=f"concurrent sessions (≤ {MAX_SESSIONS})"
    )
    p.add_argument("--seconds", type=float, default=180, help=f"duration (≤ {MAX_SECONDS} s)")
    p.add_argument("--think", type=float, default=1.0, help="mean pause between pages (s)")
    p.add_argument("--processes", type=int, default=1, help="cockpit processes (1-4)")
    p.add_argument(
        "--import-folder",
        type=Path,
        help="import this extract a third of the way in (local mode: imported data are real)",
    )
    p.add_argument("--database-url", help="default: demo data generated in a temporary folder")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url
        if url is None:
            from sample_data.generate import generate

            url = f"duckdb:///{Path(tmp) / 'demo.duckdb'}"
            generate("demo", url, progress=lambda _message: None)
        during = None
        if args.import_folder is not None:
            during = importing(args.import_folder, url)
        summary = run(
            url,
            args.sessions,
            args.seconds,
            args.think,
            processes=args.processes,
            local=during is not None,
            during=during,
        )
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print_summary(summary)
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
