"""The bench's measurements that must run in a fresh process (cold means cold):
`python -m tools.bench.workers <render|pandas|kpis|import> ARGS...` prints one JSON object."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from cockpit import db
from tools.bench.harness import memory_mb, page_role

HEADLINE = (
    "spend_ytd",
    "forecast_year_end",
    "citizens_active",
    "contract_coverage",
    "botilbud_share",
)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


# ---- workers (each runs in its own process: `python -m tools.bench.workers <kind> ...`)


def render_worker(url: str, municipality: str, audit_dir: str) -> dict:
    """Server-side render of every page through AppTest: the first run in a fresh process, then
    per page cold (the query cache cleared) and warm (cached), and the queries each page ran. The
    drill-down pages are measured twice: as pickers, and showing the offer with the most citizens
    and one of its citizens."""
    os.environ["COCKPIT_DATABASE_URL"] = url
    os.environ["COCKPIT_AUDIT_URL"] = f"sqlite:///{Path(audit_dir) / 'render-audit.sqlite'}"
    os.environ["COCKPIT_LOCAL"] = "1"  # every page without login, as `run --local` on 127.0.0.1
    began = time.perf_counter()
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    from cockpit import cache, navigation
    from cockpit.periods import Scope

    ran: list[tuple[str, dict]] = []
    query = db.query

    def recording(name: str, params: dict, url: str | None = None):  # noqa: ANN202
        ran.append((name, params))
        return query(name, params, url)

    db.query = recording
    config.set_option("server.address", "127.0.0.1")
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
        cache.clear()
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

    from cockpit import metrics
    from cockpit.periods import Scope

    code = int(municipality)
    as_of = metrics.default_as_of(code, 2026, url)
    scope = Scope(code, as_of.year, as_of)
    t = time.perf_counter()
    ours = metrics.compute(list(HEADLINE), scope, url)
    ours_first = time.perf_counter() - t
    t = time.perf_counter()
    metrics.compute(list(HEADLINE), scope, url)
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
    from cockpit import metrics
    from cockpit.periods import Scope

    t = time.perf_counter()
    as_of = metrics.default_as_of(int(municipality), 2026, url)
    scope = Scope(int(municipality), as_of.year, as_of)
    metrics.compute(None, scope, url)
    first = time.perf_counter() - t
    t = time.perf_counter()
    values = metrics.compute(None, scope, url)
    again = time.perf_counter() - t
    return {"kpis": len(values), "first_s": first, "again_s": again, "as_of": as_of.isoformat()}


def import_worker(url: str, folder: str, target: str) -> dict:
    """Export the national data to one Parquet file per table, then time importing that folder
    into an empty DuckDB file with cockpit.ingest.import_folder (validation included)."""
    import duckdb

    from cockpit.ingest import import_folder

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


if __name__ == "__main__":
    print(json.dumps(WORKERS[sys.argv[1]](*sys.argv[2:]), default=str))
