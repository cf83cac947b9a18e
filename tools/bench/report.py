"""The bench's report: the verdict on every target and the Markdown that goes into BENCHMARKS.md
between its markers."""

from __future__ import annotations

from cockpit import db
from tools.bench.workers import HEADLINE

TARGETS = {
    "warm_s": 0.5,  # every page, warm, national data
    "cold_s": 3.0,  # every page, cold, national data
    "floor_ratio": 2.0,  # page (cold) / its queries run directly in DuckDB
    "pandas_factor": 10.0,  # load-everything-into-pandas / cockpit, national data
    "memory_mb": 1536.0,  # server process peak
    "all_kpis_s": 1.0,  # all KPIs for one municipality, national data
}
BENCHMARKS = db.ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


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
