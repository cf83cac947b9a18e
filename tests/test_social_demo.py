"""On the demo data (Demokommune 999, 31 October 2026), on DuckDB and PostgreSQL: every citizen list
of the social view has exactly as many rows as its KPI counts, the breakdowns add up to their
KPIs, and offers and citizens show the same money as the economy view."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cockpit import db, metrics
from cockpit.periods import Scope
from cockpit.views import citizens, visitation

SCOPE = Scope(999, 2026, date(2026, 10, 31))
QUERIES = sorted(
    p.stem for p in db.QUERIES.glob("*.sql") if p.stem.startswith(("social_", "list_", "detail_"))
)


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(request, tmp_path_factory) -> str:
    generate = pytest.importorskip("sample_data.generate").generate
    if request.param == "postgres":
        url = request.getfixturevalue("demo_pg_url")
    else:
        url = f"duckdb:///{tmp_path_factory.mktemp('demo4') / 'demo.duckdb'}"
    generate("demo", url, progress=lambda _message: None)
    db.release(url)
    return url


@pytest.fixture(scope="module")
def demo_pg_url(pg_server):
    import uuid

    import sqlalchemy as sa

    name = f"cockpit_social_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'create database "{name}"'))
    url = sa.engine.make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    yield url
    db.release(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


def rows(url: str, name: str, **extra) -> pd.DataFrame:
    return db.query(name, {**SCOPE.params(), "citizen_id": "", **extra}, url)


@pytest.fixture(scope="module")
def values(demo) -> dict:
    return metrics.compute(None, SCOPE, demo)


def test_lists_have_as_many_rows_as_their_kpis(demo, values):
    signals = rows(demo, "list_adjustment_signals")
    assert len(signals) == values["adjustment_signals"] > 0
    assert signals["grant_id"].is_unique
    assert len(rows(demo, "list_followups_overdue")) == values["followups_overdue"] > 0
    assert len(rows(demo, "list_contracts_to_renegotiate")) == values["contracts_to_renegotiate"]

    coverage = rows(demo, "social_contract_coverage_by_group")
    owners = coverage[coverage["dimension"] == "owner_type"]
    missing = rows(demo, "list_grants_without_contract")
    assert len(missing) > 0
    assert 1 - len(missing) / owners["grants"].sum() == pytest.approx(values["contract_coverage"])
    assert 1 - missing["monthly_price"].sum() / owners["monthly_price_dkk"].sum() == pytest.approx(
        values["contract_coverage_value"]
    )


def test_breakdowns_add_up_to_their_kpis(demo, values):
    groups = rows(demo, "social_decisions_by_group")
    for dimension in ("kind", "outcome", "offer_type", "decided_by"):
        assert groups[groups["dimension"] == dimension]["decisions"].sum() == values["decisions"]
    spread = rows(demo, "social_processing_days")
    assert visitation.weighted_median(spread["processing_days"], spread["decisions"]) == (
        pytest.approx(values["processing_days_median"])
    )
    assert rows(demo, "social_decisions_by_month")["decisions"].sum() == values["decisions"]
    p = rows(demo, "social_progression_by_group")
    themes = p[p["dimension"] == "theme"]
    assert themes["improved"].sum() / themes["pairs"].sum() == pytest.approx(
        values["progression_share"]
    )
    a = rows(demo, "social_goal_attainment_by_group")
    goal_themes = a[a["dimension"] == "theme"]
    assert goal_themes["achieved"].sum() / goal_themes["goals"].sum() == pytest.approx(
        values["goal_attainment"]
    )
    h = rows(demo, "social_goals_with_horizon_by_group")
    types = h[h["dimension"] == "offer_type"]
    assert types["with_horizon"].sum() / types["grants"].sum() == pytest.approx(
        values["goals_with_horizon"]
    )


def test_offers_and_citizens_show_the_economy_views_money(demo, values):
    offers = rows(demo, "social_offers")
    provider = rows(demo, "econ_spend_by_provider").groupby("offer_id")["spend_dkk"].sum()
    mine = offers.set_index("offer_id")["spend_ytd_dkk"]
    assert mine.loc[provider.index].to_numpy() == pytest.approx(provider.to_numpy())
    assert mine.drop(provider.index).eq(0).all()
    assert offers["citizens"].sum() > 0

    people = rows(demo, "list_citizens")
    assert (
        len(citizens.active_citizens(people, expensive_only=True)) == values["expensive_citizens"]
    )
    assert len(citizens.active_citizens(people)) == values["citizens_active"]


def test_every_social_query_runs_for_an_offer_and_a_citizen(demo):
    signals = rows(demo, "list_adjustment_signals")
    citizen, offer_id = signals["citizen_id"].iloc[0], signals["offer_id"].dropna().iloc[0]
    extra = {"citizen_id": citizen, "offer_id": offer_id}
    # A citizen with a signal has grants, goals, assessments, decisions and spend; whether they also
    # have a contract or an overdue follow-up depends on the draw, so those may be empty.
    may_be_empty = {
        "detail_citizen_contracts",
        "list_followups_overdue",
        "list_grants_without_contract",
        "list_contracts_to_renegotiate",
    }
    for name in QUERIES:
        frame = db.query(name, {**SCOPE.params(), **extra}, demo)
        assert name in may_be_empty or not frame.empty, name
    grants = rows(demo, "detail_citizen_grants", citizen_id=citizen)
    assert citizens.citizen_summary(grants)["active_grants"] >= 1
