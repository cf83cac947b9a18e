"""`python -m cockpit bench` (or `make bench`): how fast the cockpit is on the demo and the national
data, measured against the database floor and a load-everything-into-pandas dashboard, plus a
bounded load test; the figures go into BENCHMARKS.md (see its prose for the method)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cockpit import db
from tools.bench import loadtest
from tools.bench.harness import (
    ARTIFACTS,
    Server,
    Tab,
    chart_empty,
    choose_role,
    chromium,
    click_nav,
    link,
    page_role,
)
from tools.bench.report import BENCHMARKS, render_markdown, write_benchmarks

DEFAULT_NATIONAL = db.ROOT / "data" / "national.duckdb"
LARGEST = 101  # København: the most data of any municipality
# (mean think time between pages, seconds): users clicking on at once, then users reading pages


def _say(text: str) -> None:
    print(text, flush=True)


def _worker(kind: str, *args: str, timeout: float = 3600) -> dict:
    """Run one measurement in a fresh Python process (cold means cold); returns its JSON."""
    env = {**os.environ, "STREAMLIT_LOGGER_LEVEL": "error", "PYTHONUNBUFFERED": "1"}
    env["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"  # a page's error in full in the report
    proc = subprocess.run(
        [sys.executable, "-m", "tools.bench.workers", kind, *args],
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
            if ds.name == "national":
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
