"""The data contract (sample_data/schema.sql, described in the README) as the importer's whitelist:
tables, columns and their types, keys, foreign keys, and the shipped reference rows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from cockpit import db


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # int, text, date, dkk, num, bool or level
    nullable: bool = False
    allowed: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None


_MUN = Column("municipality_code", "int")
_YEAR = Column("year", "int", lo=1900, hi=2100)
_OFFER_TYPE = Column("offer_type_code", "text")
_DKK_MAX = 999_999_999_999.99  # numeric(14, 2)

CONTRACT: dict[str, tuple[Column, ...]] = {
    "municipality": (_MUN, Column("name", "text"), Column("region", "text")),
    "population": (
        _MUN,
        _YEAR,
        Column("age_group", "text", allowed=("0-17", "18-64", "65+", "all")),
        Column("persons", "int", lo=0, hi=2_000_000_000),
    ),
    "offer_type": (
        _OFFER_TYPE,
        Column("name", "text"),
        Column("paragraph", "text"),
        Column("account_function", "text"),
        Column("category", "text", allowed=("bolig", "dag", "stoette", "behandling")),
        Column("staircase_step", "int", True, lo=0, hi=100),
    ),
    "offer": (
        Column("offer_id", "text"),
        _MUN,
        Column("name", "text"),
        Column("owner_type", "text", allowed=("own", "other_municipality", "region", "private")),
        Column("location_municipality_code", "int", True),
        Column("places", "int", True, lo=0, hi=1_000_000),
        _OFFER_TYPE,
        Column("tilbudsportalen_id", "text", True),  # optional (issue 18)
        Column("postcode", "int", True, lo=0, hi=9999),  # optional (issue 18)
    ),
    "citizen": (
        Column("citizen_id", "text"),
        _MUN,
        Column("birth_year", "int", lo=1900, hi=2100),
        Column("target_group", "text", allowed=("handicap", "psykiatri", "udsat", "misbrug")),
    ),
    "decision": (
        Column("decision_id", "text"),
        _MUN,
        Column("citizen_id", "text"),
        _OFFER_TYPE,
        Column("application_date", "date"),
        Column("decision_date", "date"),
        Column("kind", "text", allowed=("new", "change", "revisitation", "end")),
        Column("outcome", "text", allowed=("granted", "rejected", "changed", "ended")),
        Column("decided_by", "text", allowed=("committee", "leader", "caseworker")),
    ),
    "grant": (
        Column("grant_id", "text"),
        _MUN,
        Column("citizen_id", "text"),
        Column("decision_id", "text", True),
        _OFFER_TYPE,
        Column("offer_id", "text", True),
        Column("start_date", "date"),
        Column("end_date", "date", True),
        Column("monthly_price", "dkk", True, lo=-_DKK_MAX, hi=_DKK_MAX),  # FFB has no price
        Column("weekly_hours", "num", True, lo=0, hi=168),
        Column("next_followup_date", "date", True),
        Column("referred_offer_id", "text", True),  # optional (issue 18): frit valg
        Column("referred_monthly_price", "dkk", True, lo=0, hi=_DKK_MAX),  # optional (issue 18)
    ),
    "contract": (
        Column("contract_id", "text"),
        _MUN,
        Column("grant_id", "text"),
        Column("template", "text", allowed=("kl_standard", "other")),
        Column("valid_from", "date"),
        Column("valid_to", "date", True),
        Column("monthly_price", "dkk", lo=-_DKK_MAX, hi=_DKK_MAX),
        Column("has_goals_annex", "bool"),
        Column("renegotiate_by", "date", True),
    ),
    "expense": (
        Column("expense_id", "text"),
        _MUN,
        Column("posting_date", "date"),
        Column("amount_dkk", "dkk", lo=-_DKK_MAX, hi=_DKK_MAX),
        Column("account_function", "text"),
        _OFFER_TYPE,
        Column("grant_id", "text", True),
        Column("citizen_id", "text", True),
        Column("offer_id", "text", True),
    ),
    "budget": (
        _MUN,
        _YEAR,
        _OFFER_TYPE,
        Column("original_dkk", "dkk", lo=-_DKK_MAX, hi=_DKK_MAX),
        Column("corrected_dkk", "dkk", lo=-_DKK_MAX, hi=_DKK_MAX),
    ),
    "goal": (
        Column("goal_id", "text"),
        _MUN,
        Column("citizen_id", "text"),
        Column("grant_id", "text", True),
        Column("theme", "text"),
        Column("goal_type", "text", allowed=("develop", "maintain", "limit_loss")),
        Column("baseline_level", "level"),
        Column("target_level", "level"),
        Column("set_on", "date"),
        Column("target_date", "date", True),
    ),
    "assessment": (
        _MUN,
        Column("citizen_id", "text"),
        Column("theme", "text"),
        Column("assessed_on", "date"),
        Column("level", "level"),
    ),
    "followup": (
        Column("followup_id", "text"),
        _MUN,
        Column("grant_id", "text"),
        Column("planned_date", "date", True),
        Column("performed_date", "date", True),
        Column("result", "text", True, allowed=("continue", "adjust", "end")),
    ),
    "strategy_target": (
        _MUN,
        Column("kpi_key", "text"),
        _YEAR,
        Column("target_value", "num"),
        Column("adopted_on", "date", True),
        Column("note", "text", True),
    ),
    # Optional tables (issue 18, køb og salg af pladser): imported when a file is there.
    "support_schedule": (
        _MUN,
        Column("grant_id", "text"),
        Column("valid_from", "date"),
        Column("weekday", "int", lo=1, hi=7),
        Column("from_hour", "int", lo=0, hi=23),
        Column("to_hour", "int", lo=1, hi=24),
        Column("staff_ratio", "num", lo=0, hi=1000),
    ),
    "place_sale": (
        _MUN,
        Column("offer_id", "text"),
        Column("buyer_municipality_code", "int"),
        Column("start_date", "date"),
        Column("end_date", "date", True),
        Column("monthly_price", "dkk", lo=0, hi=_DKK_MAX),
    ),
    "offer_budget": (
        _MUN,
        Column("offer_id", "text"),
        _YEAR,
        Column("budgeted_places", "num", lo=0, hi=1_000_000),
    ),
}

# The primary keys of sample_data/schema.sql; expense has no key there, so the importer enforces it.
KEYS: dict[str, tuple[str, ...]] = {
    "municipality": ("municipality_code",),
    "population": ("municipality_code", "year", "age_group"),
    "offer_type": ("offer_type_code",),
    "offer": ("municipality_code", "offer_id"),
    "citizen": ("municipality_code", "citizen_id"),
    "decision": ("municipality_code", "decision_id"),
    "grant": ("municipality_code", "grant_id"),
    "contract": ("municipality_code", "contract_id"),
    "expense": ("municipality_code", "expense_id"),
    "budget": ("municipality_code", "year", "offer_type_code"),
    "goal": ("municipality_code", "goal_id"),
    "assessment": ("municipality_code", "citizen_id", "theme", "assessed_on"),
    "followup": ("municipality_code", "followup_id"),
    "strategy_target": ("municipality_code", "kpi_key", "year"),
    "support_schedule": ("municipality_code", "grant_id", "valid_from", "weekday", "from_hour"),
    "place_sale": ("municipality_code", "offer_id", "buyer_municipality_code", "start_date"),
    "offer_budget": ("municipality_code", "offer_id", "year"),
}

# The contract's foreign keys within one municipality: (table, column) refers to (parent, key),
# both with the same municipality_code. A null in a nullable column refers to nothing. Codes
# (offer_type_code, municipality_code) are checked while reading (checks.Checker.check_codes).
FOREIGN_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("decision", "citizen_id", "citizen", "citizen_id"),
    ("grant", "citizen_id", "citizen", "citizen_id"),
    ("grant", "decision_id", "decision", "decision_id"),
    ("grant", "offer_id", "offer", "offer_id"),
    ("contract", "grant_id", "grant", "grant_id"),
    ("expense", "grant_id", "grant", "grant_id"),
    ("expense", "citizen_id", "citizen", "citizen_id"),
    ("expense", "offer_id", "offer", "offer_id"),
    ("goal", "citizen_id", "citizen", "citizen_id"),
    ("goal", "grant_id", "grant", "grant_id"),
    ("assessment", "citizen_id", "citizen", "citizen_id"),
    ("followup", "grant_id", "grant", "grant_id"),
    ("grant", "referred_offer_id", "offer", "offer_id"),
    ("support_schedule", "grant_id", "grant", "grant_id"),
    ("place_sale", "offer_id", "offer", "offer_id"),
    ("offer_budget", "offer_id", "offer", "offer_id"),
)

REFERENCE_TABLES = ("municipality", "population", "offer_type")
FACT_TABLES = tuple(t for t in db.TABLES if t not in REFERENCE_TABLES)
# Optional tables of the contract (issue 18): imported when present, never missed when absent.
OPTIONAL_TABLES = ("support_schedule", "place_sale", "offer_budget")
IMPORT_TABLES = db.TABLES + OPTIONAL_TABLES

# (start column, end column, message) for "end before start".
ORDER_CHECKS: dict[str, tuple[str, str, str]] = {
    "grant": ("start_date", "end_date", "Slutdatoen {end} ligger før startdatoen {start}"),
    "contract": ("valid_from", "valid_to", "Slutdatoen {end} ligger før startdatoen {start}"),
    "decision": (
        "application_date",
        "decision_date",
        "Afgørelsesdatoen {end} ligger før ansøgningsdatoen {start}",
    ),
}

# The column whose maximum is the table's data date in data_load (year columns mean 1 January).
DATA_DATE: dict[str, str] = {
    "population": "year",
    "budget": "year",
    "decision": "decision_date",
    "grant": "start_date",
    "contract": "valid_from",
    "expense": "posting_date",
    "goal": "set_on",
    "assessment": "assessed_on",
    "followup": "performed_date",
    "strategy_target": "adopted_on",
    "support_schedule": "valid_from",
    "place_sale": "start_date",
}

MUNICIPALITIES_CSV = db.ROOT / "sample_data" / "municipalities.csv"
OFFER_TYPES_CSV = db.ROOT / "sample_data" / "offer_types.csv"

DATE_RANGE = (1900, 2100)

ARROW_TYPES = {
    "int": pa.int64(),
    "level": pa.int64(),
    "text": pa.string(),
    "date": pa.date32(),
    "dkk": pa.float64(),
    "num": pa.float64(),
    "bool": pa.bool_(),
}


def arrow_schema(table: str, with_row: bool = False) -> pa.Schema:
    """The staged (typed) Arrow schema of one contract table."""
    fields = [pa.field(c.name, ARROW_TYPES[c.type]) for c in CONTRACT[table]]
    if with_row:
        fields.append(pa.field("_row", pa.int64()))
    return pa.schema(fields)


def national_municipalities() -> pd.DataFrame:
    """The 98 municipalities (sample_data/municipalities.csv), indexed by code."""
    frame = pd.read_csv(MUNICIPALITIES_CSV, dtype={"name": "str", "region": "str"})
    return frame.set_index("municipality_code")[["name", "region"]]


def default_offer_types() -> pd.DataFrame:
    """The default offer types (sample_data/offer_types.csv), seeded into an empty database."""
    frame = pd.read_csv(OFFER_TYPES_CSV, dtype="str", keep_default_na=False)
    frame["staircase_step"] = pd.to_numeric(frame["staircase_step"]).astype("Int64")
    return frame
