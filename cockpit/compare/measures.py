"""The comparison itself, as pure functions of the grouped frames (queries/compare_totals.sql and
compare_offer_types.sql, one row per municipality or municipality and offer type):

- each measure for a set of municipalities, pooled (ratio of sums); one municipality is a set of one;
- small-number suppression of single municipalities' cells (counts of 1-4 citizens behind a value);
- the exact quantity/price split of the gap in spend per 18-64-year-old against a reference;
- expected spend (standard cost): full-year persons per offer type x the national unit cost."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cockpit.suppress import LIMIT


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # as fmt.value: "kr.", "share", "per 1.000"
    numerator: str
    denominator: str
    factor: float
    basis: str  # the column counting the citizens behind the value
    definition: str


MEASURES: tuple[Measure, ...] = (
    Measure(
        "spend_per_18_64",
        "Forbrug pr. 18-64-årig",
        "kr.",
        "spend_dkk",
        "persons_18_64",
        1.0,
        "citizens_active",
        "Bogført forbrug fra 1. januar til opgørelsesdatoen / 18-64-årige i året.",
    ),
    Measure(
        "citizens_per_1000",
        "Borgere pr. 1.000 18-64-årige",
        "per 1.000",
        "citizens_active",
        "persons_18_64",
        1000.0,
        "citizens_active",
        "Borgere med aktiv bevilling på opgørelsesdatoen pr. 1.000 18-64-årige.",
    ),
    Measure(
        "spend_per_citizen",
        "Forbrug pr. borger",
        "kr.",
        "spend_dkk",
        "citizens_active",
        1.0,
        "citizens_active",
        "Bogført forbrug i perioden / borgere med aktiv bevilling på opgørelsesdatoen.",
    ),
    Measure(
        "botilbud_share",
        "Andel af borgerne på trappen, der bor i botilbud",
        "share",
        "botilbud_citizens",
        "staircase_citizens",
        1.0,
        "botilbud_basis",
        "Borgere, hvis højeste trin på indsatstrappen er § 107 eller § 108 / borgere på trappen.",
    ),
    Measure(
        "contract_coverage",
        "Kontraktdækning, eksterne køb",
        "share",
        "covered_grants",
        "external_grants",
        1.0,
        "external_active_citizens",
        "Aktive bevillinger i eksterne tilbud med gyldig kontrakt / alle aktive eksterne.",
    ),
    Measure(
        "external_share",
        "Andel af udgiften til eksterne tilbud",
        "share",
        "external_spend_dkk",
        "offer_spend_dkk",
        1.0,
        "offer_spend_citizens",
        "Forbrug på tilbud med anden driftsherre end kommunen / forbrug med et tilbud.",
    ),
)
BY_KEY = {m.key: m for m in MEASURES}
UNIT_COST_LABEL = "Udgift pr. helårsperson"


def _ratio(num: float, den: float, factor: float = 1.0) -> float:
    return float(num) / float(den) * factor if den and not np.isnan(den) else float("nan")


def small(n: object) -> bool:
    """1-4 citizens (0 and missing are not small)."""
    try:
        x = float(n)
    except (TypeError, ValueError):
        return False
    return not np.isnan(x) and 1 <= x < LIMIT


def with_basis(totals: pd.DataFrame) -> pd.DataFrame:
    """Adds botilbud_basis: a share of citizens in botilbud also reveals a small numerator, so the
    basis is the smaller of the two counts when there are any botilbud citizens (as kpis.py)."""
    out = totals.copy()
    b, s = out["botilbud_citizens"], out["staircase_citizens"]
    out["botilbud_basis"] = np.where(b > 0, np.minimum(b, s), s)
    return out


def pooled(totals: pd.DataFrame) -> dict[str, float]:
    """Every measure over the given municipalities together: Σ numerator / Σ denominator, each
    summed over the rows whose denominator is known; NaN when 1-4 citizens lie behind it."""
    t = with_basis(totals)
    out = {}
    for m in MEASURES:
        rows = t[t[m.denominator].notna()]
        value = _ratio(rows[m.numerator].sum(), rows[m.denominator].sum(), m.factor)
        out[m.key] = float("nan") if small(rows[m.basis].sum()) else value
    return out


def per_municipality(totals: pd.DataFrame, hide_small: bool = True) -> pd.DataFrame:
    """One row per municipality (index: code) with every measure; with hide_small, a value behind
    1-4 citizens is NaN."""
    t = with_basis(totals).set_index("municipality_code")
    out = pd.DataFrame(index=t.index)
    for m in MEASURES:
        den = t[m.denominator].astype(float).replace(0.0, np.nan)
        value = t[m.numerator].astype(float) / den * m.factor
        if hide_small:
            value = value.where(~t[m.basis].map(small))
        out[m.key] = value
    return out


def unit_costs(types: pd.DataFrame, days_in_year: int, hide_small: bool = True) -> pd.DataFrame:
    """Unit cost per municipality and offer type: window spend / (grant-days / days in the year).
    Columns municipality_code, offer_type_code, full_year_persons, unit_cost, citizens."""
    out = types[["municipality_code", "offer_type_code", "spend_dkk", "citizens"]].copy()
    out["full_year_persons"] = types["grant_days"].astype(float) / days_in_year
    out["unit_cost"] = out["spend_dkk"] / out["full_year_persons"].replace(0.0, np.nan)
    if hide_small:
        out["unit_cost"] = out["unit_cost"].where(~out["citizens"].map(small))
    return out


def national_unit_costs(types: pd.DataFrame, days_in_year: int) -> pd.Series:
    """Per offer type over every municipality given: Σ spend / Σ full-year persons."""
    g = types.groupby("offer_type_code")[["spend_dkk", "grant_days"]].sum()
    fyp = g["grant_days"].astype(float) / days_in_year
    return g["spend_dkk"] / fyp.replace(0.0, np.nan)


def shown_unit_costs(types: pd.DataFrame, days_in_year: int) -> pd.Series:
    """National unit costs as shown: NaN for an offer type with 1-4 citizens in all."""
    costs = national_unit_costs(types, days_in_year)
    citizens = types.groupby("offer_type_code")["citizens"].sum()
    return costs.where(~citizens.reindex(costs.index).map(small))


def expected_spend(own_types: pd.DataFrame, national: pd.Series, days_in_year: int) -> pd.DataFrame:
    """Standard cost per offer type: the municipality's full-year persons on the type in the
    window x the national unit cost of the type; beside it the actual spend. Columns
    offer_type_code, full_year_persons, national_unit_cost, expected_dkk, actual_dkk."""
    out = own_types[["offer_type_code"]].copy()
    out["full_year_persons"] = own_types["grant_days"].astype(float) / days_in_year
    out["national_unit_cost"] = out["offer_type_code"].map(national).astype(float)
    out["expected_dkk"] = (out["full_year_persons"] * out["national_unit_cost"]).fillna(0.0)
    out["actual_dkk"] = own_types["spend_dkk"].astype(float)
    out["citizens"] = own_types["citizens"]
    return out.reset_index(drop=True)


def split(own: pd.Series, reference: pd.DataFrame) -> dict[str, float]:
    """The gap in spend per 18-64-year-old to the reference's pooled totals, split exactly:
    q = citizens per 1,000 18-64-year-olds, p = spend per citizen, spend per 18-64 = q·p/1,000;
    Δ = (q − q_ref)·p_ref/1,000 + (p − p_ref)·q/1,000 (quantity part + price part)."""
    ref = pooled(reference[reference["persons_18_64"].notna()])
    q = _ratio(own["citizens_active"], own["persons_18_64"], 1000.0)
    p = _ratio(own["spend_dkk"], own["citizens_active"])
    q_ref, p_ref = ref["citizens_per_1000"], ref["spend_per_citizen"]
    quantity = (q - q_ref) * p_ref / 1000.0
    price = (p - p_ref) * q / 1000.0
    return {
        "q": q,
        "q_ref": q_ref,
        "p": p,
        "p_ref": p_ref,
        "spend_per_18_64": q * p / 1000.0,
        "spend_per_18_64_ref": ref["spend_per_18_64"],
        "gap": q * p / 1000.0 - ref["spend_per_18_64"],
        "quantity": quantity,
        "price": price,
    }


def median(values: pd.Series) -> float:
    """The median of the values shown (hidden cells left out); NaN when none is shown."""
    shown = values.dropna()
    return float(shown.median()) if len(shown) else float("nan")
