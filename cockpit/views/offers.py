"""Tilbud: the offer picker, one offer's facts (occupancy, prices, coverage, place) and its citizens
(pages/tilbud.py)."""

from __future__ import annotations

import pandas as pd

from cockpit.periods import Scope
from cockpit.present import fmt
from cockpit.present.labels import OWNER_LABELS, UNKNOWN, is_missing, label
from cockpit.views.common import Metric, metric, month_start, share, short_date


def offers_table(df: pd.DataFrame) -> pd.DataFrame:
    """social_offers as the offer picker: name, owner, type, citizens, places, price, spend."""
    return pd.DataFrame(
        {
            "Tilbud": df["offer_name"],
            "Ejerform": [label(OWNER_LABELS, v) for v in df["owner_type"]],
            "Indsatstype": df["offer_type_name"],
            "Borgere": [fmt.number(v) for v in df["citizens"]],
            "Pladser": [fmt.number(v) for v in df["places"]],
            "Månedspris i alt": [fmt.money(v) for v in df["monthly_price_dkk"]],
            "Forbrug år til dato": [fmt.money(v) for v in df["spend_ytd_dkk"]],
        }
    )


def top_offers(df: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The n offers with the largest monthly price of active grants, for the clickable bar chart
    (offer_id, a unique display name, the monthly price in kroner)."""
    top = df[df["monthly_price_dkk"] > 0].nlargest(n, "monthly_price_dkk")
    return pd.DataFrame(
        {
            "offer_id": top["offer_id"].astype(str),
            "Tilbud": [
                f"{name} ({oid})"
                for name, oid in zip(top["offer_name"], top["offer_id"], strict=True)
            ],
            "Månedspris i alt": top["monthly_price_dkk"].astype(float),
        }
    ).reset_index(drop=True)


def occupancy_text(offer: pd.Series) -> str:
    """Own offers: '12 af 14' (citizens of ours on the offer, approved places); external offers:
    '–' (other buyers share their places, so our citizens say nothing about occupancy)."""
    if offer["owner_type"] != "own" or is_missing(offer["places"]) or not offer["places"]:
        return fmt.DASH
    return f"{fmt.number(offer['citizens'])} af {fmt.number(offer['places'])}"


def price_delta(offer: pd.Series) -> float | None:
    """How much the offer's median monthly price differs from its offer type's (share)."""
    own, typ = offer["median_monthly_price"], offer["type_median_monthly_price"]
    if is_missing(own) or is_missing(typ) or not typ:
        return None
    return float(own) / float(typ) - 1


def offer_coverage(offer: pd.Series) -> float | None:
    """Contract coverage of the offer's active grants; only external offers are covered by the KPI."""
    if offer["owner_type"] == "own":
        return None
    return share(offer["covered"], offer["grants"])


def monthly_series(df: pd.DataFrame, value: str = "amount_dkk") -> pd.DataFrame:
    """year/month rows → a 'Måned' date column (first of month) for charts."""
    out = df.rename(columns={"offer_type_name": "Indsats"})
    out["Måned"] = [month_start(y, m) for y, m in zip(out["year"], out["month"], strict=True)]
    return out


def offer_citizens_table(
    df: pd.DataFrame, type_median: float | None, own: bool = False
) -> pd.DataFrame:
    """list_offer_citizens for display, each price against the offer type's median; own offers
    need no contract, so their contract column says so."""
    return pd.DataFrame(
        {
            "Borger": df["citizen_id"].astype(str),
            "Indsats": df["offer_type_name"],
            "Bevilget fra": df["start_date"].map(short_date),
            "Månedspris": [fmt.money(v) for v in df["monthly_price"]],
            "I forhold til typens median": [
                fmt.DASH
                if is_missing(type_median) or not type_median
                else f"{'+' if v >= type_median else ''}{fmt.percent(v / type_median - 1, 0)}"
                for v in df["monthly_price"]
            ],
            "Forbrug år til dato": [fmt.money(v) for v in df["spend_ytd_dkk"]],
            "Gyldig kontrakt": [
                "Eget tilbud" if own else ("Ja" if v else "Nej") for v in df["has_valid_contract"]
            ],
            "Næste opfølgning": df["next_followup_date"].map(short_date),
        }
    )


def location_text(offer: pd.Series, home: int) -> str:
    """Where an offer is: the municipality's name, 'i kommunen' at home, or the code."""
    code = offer["location_municipality_code"]
    if is_missing(code):
        return UNKNOWN
    if int(code) == int(home):
        return "i kommunen"
    name = offer["location_name"]
    return f"i {name}" if not is_missing(name) else f"i kommune {int(code)}"


def offer_metrics(offer: pd.Series) -> tuple[list[Metric], list[Metric]]:
    """One offer's figures as two rows of metrics: citizens, occupancy, price and spend; its
    median price against the offer type's, and its contract coverage."""
    delta = price_delta(offer)
    return (
        [
            metric("offer_citizens", fmt.number(offer["citizens"])),
            metric("offer_occupancy", occupancy_text(offer)),
            metric("offer_monthly_price", fmt.money(offer["monthly_price_dkk"])),
            metric("offer_spend_ytd", fmt.money(offer["spend_ytd_dkk"])),
        ],
        [
            metric(
                "offer_median_price",
                fmt.money(offer["median_monthly_price"]),
                delta=None if delta is None else f"{fmt.percent(delta, 0)} ift. typens median",
                offer_type=fmt.plain(offer["offer_type_name"]),
            ),
            metric("offer_type_median_price", fmt.money(offer["type_median_monthly_price"])),
            metric("offer_contract_coverage", fmt.percent(offer_coverage(offer))),
        ],
    )


def offer_caption(offer: pd.Series, scope: Scope) -> str:
    return (
        f"{label(OWNER_LABELS, offer['owner_type'])} · {offer['offer_type_name']} · "
        f"{location_text(offer, scope.municipality)} · opgjort pr. {fmt.long_date(scope.as_of)}"
    )
