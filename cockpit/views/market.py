"""Køb og salg af pladser in Danish (pages/priser.py, cockpit/ui/market.py): prices against the
market, the 10 % rule and the døgnhjul signals, formatted for the screen."""

from __future__ import annotations

import pandas as pd

from cockpit.present import fmt
from cockpit.views.columns import Column, Spec, dates, ident, plain, text


def _kr(v: float) -> str:
    return "–" if pd.isna(v) else fmt.money(v)


def _rate(v: float) -> str:
    return "–" if pd.isna(v) else f"{fmt.number(v)} kr."


def by_type_table(df: pd.DataFrame) -> pd.DataFrame:
    """prices.by_type in Danish."""
    return pd.DataFrame(
        {
            "Indsatstype": df["offer_type_name"],
            "Eksterne bevillinger": [fmt.number(v) for v in df["grants"]],
            "Med offentliggjort takst": [fmt.number(v) for v in df["matched"]],
            "Over højeste takst": [fmt.number(v) for v in df["above_max"]],
            "Over 75 %-fraktil": [fmt.number(v) for v in df["above_p75"]],
            "Median pr. døgn": [_rate(v) for v in df["median"]],
            "75 %-fraktil pr. døgn": [_rate(v) for v in df["p75"]],
            "Forhandlingspotentiale pr. år": [_kr(v) for v in df["potential_year"]],
        }
    )


def flagged_table(df: pd.DataFrame) -> pd.DataFrame:
    """prices.flagged in Danish: one row per grant above the published maximum or P75."""
    reasons = [
        " og ".join(r for r, on in (("over højeste takst", mx), ("over 75 %-fraktil", p75)) if on)
        for mx, p75 in zip(df["above_max"], df["above_p75"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Borger": df["citizen_id"],
            "Tilbud": df["offer_name"],
            "Indsatstype": df["offer_type_name"],
            "Pris pr. døgn": [_rate(v) for v in df["daily"]],
            "Offentliggjort takst": [
                "ikke fundet" if pd.isna(a) else f"{fmt.number(a)}–{fmt.number(b)} kr."
                for a, b in zip(df["rate_min"], df["rate_max"], strict=True)
            ],
            "Vores median pr. døgn": [_rate(v) for v in df["median"]],
            "Hvorfor": reasons,
            "Forhandlingspotentiale pr. år": [_kr(v) for v in df["potential_year"]],
        }
    )


def free_choice_table(df: pd.DataFrame) -> pd.DataFrame:
    """freechoice.check in Danish."""
    return pd.DataFrame(
        {
            "Borger": df["citizen_id"],
            "Valgt tilbud": df["offer_name"].fillna("–"),
            "Månedspris": [_kr(v) for v in df["monthly_price"]],
            "Anvist tilbud": df["referred_offer_name"].fillna(df["referred_offer_id"]).fillna("–"),
            "Anvist månedspris": [_kr(v) for v in df["referred_monthly_price"]],
            "Merpris": ["–" if pd.isna(v) else fmt.percent(v) for v in df["excess"]],
            "Over 10 %-grænsen": ["Ja" if v else "Nej" for v in df["over_limit"]],
            "Merudgift pr. år": [_kr(v) for v in df["extra_year"]],
        }
    )


SCHEDULE_LIST = Spec(
    "Døgnhjul med færre timer siden prisen blev sat",
    (
        Column("Borger", ident("citizen_id")),
        Column("Kontrakt", ident("contract_id"), on_screen=False),
        Column("Tilbud", text("offer_name")),
        Column("Pris fastsat", dates("price_set_on"), "date"),
        Column("Kontraktpris pr. måned", plain("contract_price"), "kr."),
        Column("Timer pr. uge da", plain("hours_then"), "decimal"),
        Column("Timer pr. uge nu", plain("hours_now"), "decimal"),
        Column("Ændret", dates("changed_on"), "date"),
        Column("Fald", lambda df: [-float(v) for v in df["change"]], "share"),
    ),
)


def own_offers_table(df: pd.DataFrame) -> pd.DataFrame:
    """seller.occupancy in Danish."""
    return pd.DataFrame(
        {
            "Tilbud": df["offer_name"],
            "Pladser": [fmt.number(v) for v in df["places"]],
            "Egne borgere": [fmt.number(v) for v in df["citizens"]],
            "Solgte pladser": [fmt.number(v) for v in df["sold_places"]],
            "Belægning": ["–" if pd.isna(v) else fmt.percent(v) for v in df["occupancy"]],
            "Budgetterede pladser": [
                "–" if pd.isna(v) else fmt.number(v, 1) for v in df["budgeted_places"]
            ],
            "Belagt mod budget": [
                "–" if pd.isna(v) else f"{'+' if v > 0 else ''}{fmt.number(v, 1)}"
                for v in df["vs_budget"]
            ],
            "Salgsindtægt år til dato": [_kr(v) for v in df["sales_income"]],
        }
    )
