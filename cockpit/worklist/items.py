"""Worklist items from the citizen lists: per kind the list query it comes from, its stable key,
and `since` (the first date the item met its rule, judged from the data at the reference date).
Pure functions of DataFrames; the Danish labels of kinds and statuses live here too.

`since` per kind (the day the item would first have been on the list):
- adjustment_signal: 90 days after the development goal was achieved (not before the grant began);
- expensive_citizen: the start of the grant that took the citizen's active grants over 2 mio. kr.;
- followup_overdue: the day after the planned follow-up date;
- contract_renegotiation: 90 days before the renegotiation date (not before the contract began);
- grant_without_contract: the grant's start, or the day after its last contract expired.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from cockpit.present import fmt


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # the list's Danish name
    query: str  # the citizen-level list query it comes from (queries/<query>.sql)
    key_column: str  # the column of that query that is the item's stable key
    key_label: str  # what the key is, in Danish
    kpi: str | None  # the KPI whose value is the number of open items
    extra: tuple[tuple[str, str], ...] = ()  # extra bind parameters of the query


KINDS: tuple[Kind, ...] = (
    Kind(
        "adjustment_signal",
        "Tilpasningssignaler",
        "list_adjustment_signals",
        "grant_id",
        "Bevilling",
        "adjustment_signals",
        (("citizen_id", ""),),
    ),
    Kind(
        "expensive_citizen",
        "Borgere med årlig udgift over 2 mio. kr.",
        "list_expensive_citizens",
        "citizen_id",
        "Borger",
        "expensive_citizens",
    ),
    Kind(
        "followup_overdue",
        "Opfølgninger over tid",
        "list_followups_overdue",
        "grant_id",
        "Bevilling",
        "followups_overdue",
        (("citizen_id", ""),),
    ),
    Kind(
        "contract_renegotiation",
        "Kontrakter til genforhandling",
        "list_contracts_to_renegotiate",
        "contract_id",
        "Kontrakt",
        "contracts_to_renegotiate",
    ),
    Kind(
        "grant_without_contract",
        "Eksterne bevillinger uden kontrakt",
        "list_grants_without_contract",
        "grant_id",
        "Bevilling",
        None,
        (("citizen_id", ""),),
    ),
)
BY_KEY: dict[str, Kind] = {k.key: k for k in KINDS}

STATUSES: dict[str, str] = {
    "new": "Ny",
    "in_progress": "Under behandling",
    "acted": "Handlet",
    "rejected": "Afvist med begrundelse",
}
# A status that closes the item from the user's side (the time from signal to action ends here).
ACTED = frozenset({"acted", "rejected"})

ITEM_COLUMNS = ["kind", "key", "since", "citizen_id", "monthly_price", "about"]


def is_missing(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def as_date(v: object) -> date | None:
    """A date from whatever the driver or the store returned (date, Timestamp, ISO text, null)."""
    return None if is_missing(v) else pd.Timestamp(v).date()


def short_date(v: object) -> str:
    """date(2026, 10, 31) → '31.10.2026'; missing → '–'."""
    d = as_date(v)
    return fmt.DASH if d is None else f"{d.day:02d}.{d.month:02d}.{d.year}"


def _contract_gap(row: dict) -> str:
    starts, expired = as_date(row.get("starts_on")), as_date(row.get("expired_on"))
    if starts is not None:
        return f"ny kontrakt gælder fra {short_date(starts)}"
    if expired is not None:
        return f"kontrakten udløb {short_date(expired)}"
    return "ingen kontrakt"


def _later(a: object, b: object) -> date | None:
    found = [d for d in (as_date(a), as_date(b)) if d is not None]
    return max(found) if found else None


def _plus(v: object, days: int) -> date | None:
    d = as_date(v)
    return None if d is None else d + timedelta(days=days)


def _text(v: object) -> str:
    return fmt.DASH if is_missing(v) else str(v)


def _since(kind: str, row: dict) -> date | None:
    if kind == "adjustment_signal":
        return _later(_plus(row["achieved_on"], 90), row["start_date"])
    if kind == "expensive_citizen":
        return as_date(row["since"])
    if kind == "followup_overdue":
        return _plus(row["next_followup_date"], 1)
    if kind == "contract_renegotiation":
        return _later(_plus(row["renegotiate_by"], -90), row["valid_from"])
    return _later(row["start_date"], _plus(row["expired_on"], 1))


def _price(kind: str, row: dict) -> float | None:
    column = "contract_monthly_price" if kind == "contract_renegotiation" else "monthly_price"
    v = row[column]
    return None if is_missing(v) else float(v)


def _about(kind: str, row: dict) -> str:
    """One line saying what the item is about (no free text from users)."""
    if kind == "adjustment_signal":
        return f"{_text(row['offer_type_name'])}; mål nået {short_date(row['achieved_on'])}"
    if kind == "expensive_citizen":
        return f"{fmt.money(row['yearly_dkk'])} om året, {fmt.number(row['grants'])} bevillinger"
    if kind == "followup_overdue":
        return (
            f"{_text(row['offer_type_name'])}; opfølgning planlagt "
            f"{short_date(row['next_followup_date'])}"
        )
    if kind == "contract_renegotiation":
        return (
            f"{_text(row['offer_name'])}; genforhandles senest {short_date(row['renegotiate_by'])}"
        )
    return f"{_text(row['offer_name'])}; {_contract_gap(row)}"


def open_items(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The open items of one kind from its list query's rows: kind, key, since, citizen_id,
    monthly_price (the grant's, the contract's, or the citizen's total a month) and `about`."""
    spec = BY_KEY[kind]
    if frame.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    rows = [
        {
            "kind": kind,
            "key": str(row[spec.key_column]),
            "since": _since(kind, row),
            "citizen_id": None if is_missing(row["citizen_id"]) else str(row["citizen_id"]),
            "monthly_price": _price(kind, row),
            "about": _about(kind, row),
        }
        for row in frame.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def all_open_items(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The open items of every kind (frames: kind → its list query's rows)."""
    parts = [open_items(k.key, frames[k.key]) for k in KINDS if k.key in frames]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=ITEM_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def params(kind: str) -> dict:
    """The extra bind parameters the kind's list query takes."""
    return dict(BY_KEY[kind].extra)
