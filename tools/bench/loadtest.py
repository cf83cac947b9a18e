"""`python -m tools.harness.loadtest`: a bounded load test on loopback. Concurrent sessions speak
Streamlit's own websocket protocol to a cockpit this command starts on 127.0.0.1, each with a
role, cycling through that role's pages; it reports errors and page times (p50, p95, max)."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.bench import harness

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
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
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
            links = {harness.link(spec, role): spec.url_path for spec in navigation.pages_for(role)}
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


async def _drive(port: int, sessions: int, seconds: float, think: float) -> Outcome:
    out = Outcome(sessions=sessions)
    began = time.monotonic()
    until = began + seconds
    ramp = min(RAMP_UP, seconds / 4)  # users arrive one by one, not in the same millisecond
    tasks = [
        _session(port, ROLES[i % len(ROLES)], ramp * i / sessions, until, think, i, out)
        for i in range(sessions)
    ]
    await asyncio.gather(*tasks)
    out.seconds = time.monotonic() - began
    return out


def run(url: str, sessions: int = 20, seconds: float = 180, think: float = 1.0) -> dict:
    """Start a cockpit on `url` (127.0.0.1 only), drive `sessions` concurrent sessions for
    `seconds`, stop it; returns the summary plus the server's peak memory."""
    if not 1 <= sessions <= MAX_SESSIONS or not 1 <= seconds <= MAX_SECONDS:
        raise ValueError(f"at most {MAX_SESSIONS} sessions and {MAX_SECONDS} seconds")
    with tempfile.TemporaryDirectory() as tmp:
        audit = {"COCKPIT_AUDIT_URL": f"sqlite:///{Path(tmp) / 'audit.sqlite'}"}
        with harness.Server(url, log=Path(tmp) / "server.log", env=audit) as server:
            out = asyncio.run(_drive(server.port, sessions, seconds, think))
            summary = out.summary()
            summary["server_peak_rss_mb"] = server.peak_rss_mb()
    summary["think_s"] = think
    summary["ramp_up_s"] = min(RAMP_UP, seconds / 4)
    return summary


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
    for example in summary["error_examples"]:
        print(f"Error: {example}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.harness.loadtest", description=__doc__)
    p.add_argument(
        "--sessions", type=int, default=20, help=f"concurrent sessions (≤ {MAX_SESSIONS})"
    )
    p.add_argument("--seconds", type=float, default=180, help=f"duration (≤ {MAX_SECONDS} s)")
    p.add_argument("--think", type=float, default=1.0, help="mean pause between pages (s)")
    p.add_argument("--database-url", help="default: demo data generated in a temporary folder")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url
        if url is None:
            from sample_data.generate import generate

            url = f"duckdb:///{Path(tmp) / 'demo.duckdb'}"
            generate("demo", url, progress=lambda _message: None)
        summary = run(url, args.sessions, args.seconds, args.think)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print_summary(summary)
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
