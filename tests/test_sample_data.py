"""The sample generator: calibration to published figures, determinism, privacy and integrity.

Every figure is plain SQL on a generated demo database, at the generator's reference date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from cockpit import db
from sample_data.generate import REFERENCE_DATE, SOURCE, generate

YEAR = REFERENCE_DATE.year
PARAMS = {
    "d": REFERENCE_DATE,
    "year": YEAR,
    "year_start": date(YEAR, 1, 1),
    "year_end": date(YEAR, 12, 31),
    "rest_start": date(YEAR, 11, 1),
    "first_year_end": date(2019, 12, 31),
    "last_year_start": date(YEAR - 1, 1, 1),
    "last_year_end": date(YEAR - 1, 12, 31),
    "years": YEAR - 1 - 2019,
    "source": SOURCE,
}
TOLERANCE = 0.30

PER_1000 = """
    select count(distinct citizen_id) * 1000.0
        / (select sum(persons) from population where year = :year and age_group = 'all')
    from "grant"
    where start_date <= :d and (end_date is null or end_date >= :d)
      and offer_type_code = coalesce(:code, offer_type_code)"""
DAILY = """
    select percentile_cont(:q) within group (order by monthly_price * 12 / 365)
    from "grant"
    where offer_type_code = :code and start_date <= :d and (end_date is null or end_date >= :d)"""
EXTERNAL_SPEND = """
    select sum(case when o.owner_type <> 'own' then e.amount_dkk end) / sum(e.amount_dkk)
    from expense as e
    join offer as o on o.municipality_code = e.municipality_code and o.offer_id = e.offer_id
    where e.offer_type_code in ('SEL107', 'SEL108') and e.posting_date between :year_start and :d"""
OUTSIDE = """
    select avg(case when o.location_municipality_code <> g.municipality_code then 1.0 else 0.0 end)
    from (select distinct municipality_code, citizen_id, offer_id
          from "grant"
          where offer_type_code in ('SEL107', 'SEL108')
            and start_date <= :d and (end_date is null or end_date >= :d)) as g
    join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id"""
GROWTH = """
    select power(sum(case when posting_date >= :last_year_start then amount_dkk end)
                 / sum(case when posting_date <= :first_year_end then amount_dkk end),
                 1.0 / :years) - 1
    from expense
    where posting_date <= :first_year_end
       or posting_date between :last_year_start and :last_year_end"""
EXPENSIVE = """
    select count(*) * 1000.0
        / (select sum(persons) from population where year = :year and age_group = 'all')
    from (select citizen_id
          from "grant"
          where start_date <= :d and (end_date is null or end_date >= :d)
          group by citizen_id
          having sum(monthly_price * 12) > 2000000) as c"""
# forecast_year_end of kpis.md (individual-based) against the corrected budget, minus one
FORECAST_DEVIATION = """
    with ytd as (
        select sum(amount_dkk) as spend,
               sum(case when grant_id is null then amount_dkk end) as other
        from expense
        where posting_date between :year_start and :d),
    rest as (
        select sum(monthly_price * 12 / 365
                   * (least(coalesce(end_date, :year_end), :year_end)
                      - greatest(start_date, :rest_start) + 1)) as grants
        from "grant"
        where start_date <= :year_end and (end_date is null or end_date > :d)),
    budget as (select sum(corrected_dkk) as corrected from budget where year = :year)
    select (spend + grants + other * (:year_end - :d) / (:d - :year_start + 1)) / corrected - 1
    from ytd, rest, budget"""

# name: (published target, SQL, extra parameters)
CALIBRATION = {
    "citizens_per_1000": (13, PER_1000, {"code": None}),
    "sel107_per_1000": (1.4, PER_1000, {"code": "SEL107"}),
    "sel108_per_1000": (0.9, PER_1000, {"code": "SEL108"}),
    "sel85bl_per_1000": (2.5, PER_1000, {"code": "SEL85BL"}),
    "sel85_per_1000": (5, PER_1000, {"code": "SEL85"}),
    "sel107_daily_median": (2000, DAILY, {"code": "SEL107", "q": 0.5}),
    "sel107_daily_q25": (1400, DAILY, {"code": "SEL107", "q": 0.25}),
    "sel107_daily_q75": (2800, DAILY, {"code": "SEL107", "q": 0.75}),
    "sel108_daily_median": (2500, DAILY, {"code": "SEL108", "q": 0.5}),
    "sel108_daily_q25": (1700, DAILY, {"code": "SEL108", "q": 0.25}),
    "sel108_daily_q75": (3900, DAILY, {"code": "SEL108", "q": 0.75}),
    "sel85bl_daily_median": (1950, DAILY, {"code": "SEL85BL", "q": 0.5}),
    "sel104_daily_median": (400, DAILY, {"code": "SEL104", "q": 0.5}),
    "botilbud_external_spend_share": (0.55, EXTERNAL_SPEND, {}),
    "botilbud_outside_share": (0.39, OUTSIDE, {}),
    "spend_growth": (0.02, GROWTH, {}),
}


@contextmanager
def connection(url: str) -> Iterator[sa.Connection]:
    """A short-lived engine, so no DuckDB connection outlives the step (the generator reopens)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def fetch(conn: sa.Connection, sql: str, params: dict | None = None) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sa.text(sql), {**PARAMS, **(params or {})})]


def rows(url: str, sql: str, params: dict | None = None) -> list[tuple]:
    with connection(url) as conn:
        return fetch(conn, sql, params)


def figure(url: str, sql: str, params: dict | None = None) -> float:
    return float(rows(url, sql, params)[0][0])


TABLES = (*db.TABLES, "data_load")


def checksums(url: str) -> dict[str, str]:
    """A fingerprint of every table's contents: md5 over its rows in sorted order."""
    # table names come from db.TABLES, never from input
    sql = 'select md5(string_agg(cast(t as varchar), chr(10) order by cast(t as varchar))) from "{}" as t'
    with connection(url) as conn:
        return {t: fetch(conn, sql.format(t))[0][0] for t in TABLES}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"duckdb:///{tmp_path_factory.mktemp('demo') / 'demo.duckdb'}"
    generate("demo", url, progress=lambda _: None)
    yield url


@pytest.mark.parametrize("name", list(CALIBRATION))
def test_calibration(demo: str, name: str) -> None:
    target, sql, params = CALIBRATION[name]
    value = figure(demo, sql, params)
    assert abs(value - target) <= TOLERANCE * target, f"{name} = {value:.4g}, target {target}"


def test_expensive_citizens_in_published_range(demo: str) -> None:
    """0.15-0.3 per 1 000 inhabitants cost more than 2 mio. kr. a year (KL/Komponent 2022)."""
    value = figure(demo, EXPENSIVE)
    assert 0.15 * (1 - TOLERANCE) <= value <= 0.3 * (1 + TOLERANCE), value


def test_forecast_a_few_percent_over_budget(demo: str) -> None:
    assert 0.02 <= figure(demo, FORECAST_DEVIATION) <= 0.06


def test_sel108_prices_have_a_long_tail(demo: str) -> None:
    top = figure(
        demo, "select max(monthly_price * 12 / 365) from \"grant\" where offer_type_code = 'SEL108'"
    )
    assert top > 20_000


def test_every_table_has_rows(demo: str) -> None:
    with connection(demo) as conn:
        # table names come from db.TABLES, never from input
        counts = {t: fetch(conn, f'select count(*) from "{t}"')[0][0] for t in TABLES}  # noqa: S608
    assert all(counts.values()), counts
    assert counts["data_load"] == len(db.TABLES)
    assert figure(demo, "select count(*) from data_load where source <> :source") == 0


def test_same_seed_same_bytes(demo: str, tmp_path: Path) -> None:
    again = f"duckdb:///{tmp_path / 'again.duckdb'}"
    generate("demo", again, progress=lambda _: None)
    first = checksums(again)
    generate("demo", again, progress=lambda _: None)  # a rerun replaces, never duplicates
    assert checksums(again) == first == checksums(demo)


def test_other_seed_other_data(demo: str, tmp_path: Path) -> None:
    other = f"duckdb:///{tmp_path / 'other.duckdb'}"
    generate("demo", other, seed=1, progress=lambda _: None)
    assert checksums(other)["grant"] != checksums(demo)["grant"]


CPR_LIKE = re.compile(r"\d{10}|\d{6}-\d{4}")


def test_no_cpr_like_values(demo: str) -> None:
    with connection(demo) as conn:
        columns = fetch(
            conn,
            "select table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'",
        )
        assert len(columns) > 30
        for table, column in columns:
            # names come from the database's own catalogue
            values = fetch(conn, f'select distinct "{column}" from "{table}"')  # noqa: S608
            bad = [v for (v,) in values if v is not None and CPR_LIKE.search(v)]
            assert not bad, f"{table}.{column}: {bad[:3]}"


INTEGRITY = {
    "grant without citizen": """select count(*) from "grant" as g where not exists
        (select 1 from citizen as c where c.citizen_id = g.citizen_id)""",
    "grant without decision": """select count(*) from "grant" as g
        where decision_id is not null
          and not exists (select 1 from decision as d where d.decision_id = g.decision_id)""",
    "grant without offer": """select count(*) from "grant" as g
        where offer_id is not null
          and not exists (select 1 from offer as o where o.offer_id = g.offer_id)""",
    "expense with unknown offer type": """select count(*) from expense as e where not exists
        (select 1 from offer_type as t where t.offer_type_code = e.offer_type_code)""",
    "expense without grant": """select count(*) from expense as e
        where grant_id is not null
          and not exists (select 1 from "grant" as g where g.grant_id = e.grant_id)""",
    "contract without grant": """select count(*) from contract as k where not exists
        (select 1 from "grant" as g where g.grant_id = k.grant_id)""",
    "goal without grant": """select count(*) from goal as m where not exists
        (select 1 from "grant" as g where g.grant_id = m.grant_id)""",
    "followup without grant": """select count(*) from followup as f where not exists
        (select 1 from "grant" as g where g.grant_id = f.grant_id)""",
    "decision before application": """select count(*) from decision
        where application_date >= decision_date""",
    "grant ending before start": 'select count(*) from "grant" where end_date < start_date',
    "posting after reference date": "select count(*) from expense where posting_date > :d",
    "decision after reference date": "select count(*) from decision where decision_date > :d",
    "level outside 0-4": """select count(*) from assessment where level not between 0 and 4""",
    "goal level outside 0-4": """select count(*) from goal
        where baseline_level not between 0 and 4 or target_level not between 0 and 4""",
    "duplicate expense id": "select count(*) - count(distinct expense_id) from expense",
    "population groups not adding up": """select count(*) from population as a
        where age_group = 'all' and persons <> (select sum(persons) from population as p
            where p.municipality_code = a.municipality_code and p.year = a.year
              and p.age_group <> 'all')""",
}


@pytest.mark.parametrize("name", list(INTEGRITY))
def test_integrity(demo: str, name: str) -> None:
    assert figure(demo, INTEGRITY[name]) == 0


def test_every_kind_outcome_and_owner(demo: str) -> None:
    expected = {
        "select distinct kind from decision": {"new", "change", "revisitation", "end"},
        "select distinct outcome from decision": {"granted", "rejected", "changed", "ended"},
        "select distinct decided_by from decision": {"committee", "leader", "caseworker"},
        "select distinct owner_type from offer": {
            "own",
            "other_municipality",
            "region",
            "private",
        },
        "select distinct goal_type from goal": {"develop", "maintain", "limit_loss"},
        "select distinct template from contract": {"kl_standard", "other"},
    }
    for sql, values in expected.items():
        assert {v for (v,) in rows(demo, sql)} == values, sql


def test_unknown_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="demo eller national"):
        generate("huge", f"duckdb:///{tmp_path / 'x.duckdb'}")
