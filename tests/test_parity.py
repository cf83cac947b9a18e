"""DuckDB and PostgreSQL give identical answers on the demo data: every KPI, and every query file
in queries/ (run with the demo scope's parameters)."""

from __future__ import annotations

import math
import re
import uuid
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from cockpit import db, metrics
from cockpit.periods import Scope

pytestmark = pytest.mark.postgres

SCOPE = Scope(999, 2026, date(2026, 10, 31))


@pytest.fixture(scope="module")
def demo_urls(tmp_path_factory, pg_server):
    from sample_data.generate import generate

    duck = f"duckdb:///{tmp_path_factory.mktemp('parity') / 'demo.duckdb'}"
    generate("demo", duck, progress=lambda *_: None)
    name = f"cockpit_parity_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'create database "{name}"'))
    pg = sa.engine.make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    generate("demo", pg, progress=lambda *_: None)
    yield duck, pg
    db.release(pg)
    with admin.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


def same(a: object, b: object) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def test_every_kpi_is_identical_on_duckdb_and_postgres(demo_urls):
    duck, pg = demo_urls
    on_duck = metrics.compute(None, SCOPE, duck)
    on_pg = metrics.compute(None, SCOPE, pg)
    assert set(on_duck) == set(metrics.REGISTRY)
    different = {k: (on_duck[k], on_pg[k]) for k in on_duck if not same(on_duck[k], on_pg[k])}
    assert not different
    # The demo data give every scalar KPI something to show.
    empty = [k for k, v in on_duck.items() if v is None or v == {}]
    assert not empty


def _sample_params(url: str) -> dict:
    """Values for the extra parameters some queries take (an offer, a citizen, an offer type)."""
    first = db.query("scope_options", {}, url)
    assert not first.empty
    with db.engine(url).connect() as conn:
        offer = conn.execute(
            sa.text("select min(offer_id) from offer where municipality_code = 999")
        ).scalar_one()
        citizen = conn.execute(
            sa.text('select min(citizen_id) from "grant" where municipality_code = 999')
        ).scalar_one()
    return {
        "offer_id": offer,
        "citizen_id": citizen,
        "offer_type": "SEL108",
        "offer_type_code": "SEL108",
        # scenario_* (issue 15): the outflow/inflow window and the number of signals acted on.
        "flow_start": date(2023, 11, 1),
        "flow_end": SCOPE.as_of,
        "signals": 10,
    }


def _normalised(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d %H:%M:%S")
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda v: str(v) if v is not None else None)
    return out.sort_values(list(out.columns)).reset_index(drop=True) if len(out.columns) else out


QUERY_FILES = sorted(p.stem for p in Path(db.QUERIES).glob("*.sql"))


@pytest.mark.parametrize("name", QUERY_FILES)
def test_every_query_runs_and_agrees_on_both_backends(demo_urls, name):
    duck, pg = demo_urls
    params = {**SCOPE.params(), **_sample_params(duck)}
    needed = set(re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", db.sql(name)))
    missing = needed - set(params)
    assert not missing, f"{name} needs parameters the test does not know: {missing}"
    a = _normalised(db.query(name, params, duck))
    b = _normalised(db.query(name, params, pg))
    assert list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-9, atol=1e-6)
