"""Kontrakter: coverage and contracts by owner, and the lists of grants without a valid contract and
contracts to renegotiate (pages/kontrakter.py)."""

from __future__ import annotations

import pandas as pd

from cockpit.present import fmt
from cockpit.present.labels import (
    DIMENSION_LABELS,
    OWNER_LABELS,
    TEMPLATE_LABELS,
    is_missing,
    label,
)
from cockpit.views.columns import Column, Spec, dates, ident, plain, text
from cockpit.views.common import as_date, share, short_date


def coverage_table(df: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One dimension (owner_type or offer_type) of social_contract_coverage_by_group in Danish."""
    rows = df[df["dimension"] == dimension]
    names = [
        label(OWNER_LABELS, k) if dimension == "owner_type" else n
        for k, n in zip(rows["group_key"], rows["group_name"], strict=True)
    ]
    return pd.DataFrame(
        {
            DIMENSION_LABELS[dimension]: names,
            "Eksterne bevillinger": [fmt.number(v) for v in rows["grants"]],
            "Med gyldig kontrakt": [fmt.number(v) for v in rows["covered"]],
            "Kontraktdækning": [
                fmt.percent(share(a, b))
                for a, b in zip(rows["covered"], rows["grants"], strict=True)
            ],
            "Månedspris i alt": [fmt.money(v) for v in rows["monthly_price_dkk"]],
            "Dækning vægtet med pris": [
                fmt.percent(share(a, b))
                for a, b in zip(
                    rows["covered_monthly_price_dkk"], rows["monthly_price_dkk"], strict=True
                )
            ],
        }
    )


def contracts_owner_table(df: pd.DataFrame) -> pd.DataFrame:
    """social_contracts_by_owner in Danish."""
    return pd.DataFrame(
        {
            "Ejerform": [label(OWNER_LABELS, k) for k in df["owner_type"]],
            "Gyldige kontrakter": [fmt.number(v) for v in df["contracts"]],
            "Med mål og progression": [
                fmt.percent(share(a, b))
                for a, b in zip(df["with_goals"], df["contracts"], strict=True)
            ],
            "Til genforhandling inden 90 dage": [fmt.number(v) for v in df["to_renegotiate"]],
            "Kontraktpris pr. måned i alt": [fmt.money(v) for v in df["monthly_price_dkk"]],
        }
    )


def missing_contract_reason(row: pd.Series) -> str:
    starts, expired = as_date(row.get("starts_on")), as_date(row.get("expired_on"))
    if starts is not None:
        return f"Ny kontrakt gælder fra {short_date(starts)}"
    if expired is not None:
        return f"Udløbet {short_date(expired)}"
    return "Ingen kontrakt"


def _reasons(df: pd.DataFrame) -> list[str]:
    return [missing_contract_reason(r) for _, r in df.iterrows()]


def _owners(df: pd.DataFrame) -> list[str]:
    return [label(OWNER_LABELS, v) for v in df["owner_type"]]


def _deadline(days: object) -> str:
    """How far off a renegotiation is; an overdue one says so."""
    if is_missing(days):
        return fmt.DASH
    days = int(days)
    if days < 0:
        return f"{fmt.number(-days)} dage over tid"
    return "i dag" if days == 0 else f"om {fmt.number(days)} dage"


def _yes_no(column: str):
    return lambda df: ["Ja" if bool(v) else "Nej" for v in df[column]]


# list_grants_without_contract.
WITHOUT_CONTRACT_LIST = Spec(
    "Uden gyldig kontrakt",
    (
        Column("Borger", ident("citizen_id")),
        Column("Bevilling", ident("grant_id"), on_screen=False),
        Column("Status", _reasons),
        Column("Månedspris", plain("monthly_price"), "kr."),
        Column("Tilbud", text("offer_name")),
        Column("Ejerform", _owners),
        Column("Indsats", text("offer_type_name")),
        Column("Bevilget fra", dates("start_date"), "date"),
    ),
)

# list_contracts_to_renegotiate; overdue renegotiations first (the query's order).
RENEGOTIATE_LIST = Spec(
    "Kontrakter til genforhandling inden 90 dage",
    (
        Column("Borger", ident("citizen_id")),
        Column("Kontrakt", ident("contract_id"), on_screen=False),
        Column("Genforhandles senest", dates("renegotiate_by"), "date"),
        Column("Frist", lambda df: [_deadline(v) for v in df["days_to_renegotiate"]]),
        Column("Dage til fristen", plain("days_to_renegotiate", int), "count", on_screen=False),
        Column("Tilbud", text("offer_name")),
        Column("Ejerform", _owners),
        Column("Kontraktpris pr. måned", plain("contract_monthly_price"), "kr."),
        Column("Bevilget månedspris", plain("grant_monthly_price"), "kr."),
        Column("Mål i kontrakten", _yes_no("has_goals_annex")),
        Column("Skabelon", lambda df: [label(TEMPLATE_LABELS, v) for v in df["template"]]),
    ),
)
