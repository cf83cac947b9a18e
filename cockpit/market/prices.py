"""Price against the market (issue 18, point 1): each external grant's daily price against the
offer's published Tilbudsportalen rate range and against the quartiles of our own grants on the
same offer type; the grants above the published maximum or above the 75th percentile, each with
its forhandlingspotentiale (the yearly amount above the median)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

DAYS = 365
EXTERNAL = ("other_municipality", "region", "private")


def daily(monthly: float | pd.Series) -> float | pd.Series:
    """Daily price from a monthly price: monthly × 12 / 365."""
    return monthly * 12 / DAYS


def name_key(name: object) -> str:
    """An offer name as it is matched: lower case, letters and digits only, single spaces."""
    return " ".join(re.findall(r"[0-9a-zæøå]+", str(name).lower()))


def match(offer_keys: pd.DataFrame, portal: pd.DataFrame) -> pd.DataFrame:
    """Each of our offers' published rate range: by tilbudsportalen_id, else by name and postcode.
    Columns offer_id, rate_min, rate_max, matched_by ("id", "navn og postnummer")."""
    cols = ["offer_id", "rate_min", "rate_max", "matched_by"]
    if offer_keys.empty or portal.empty:
        return pd.DataFrame(columns=cols)
    p = portal.assign(_key=portal["name"].map(name_key), _pc=pd.to_numeric(portal["postcode"]))
    by_id = offer_keys.merge(p, on="tilbudsportalen_id", how="inner", suffixes=("", "_p"))
    by_id["matched_by"] = "id"
    rest = offer_keys[~offer_keys["offer_id"].isin(by_id["offer_id"])]
    rest = rest.assign(_key=rest["name"].map(name_key), _pc=pd.to_numeric(rest["postcode"]))
    rest = rest[rest["_pc"].notna()]
    by_name = rest.merge(p, on=["_key", "_pc"], how="inner", suffixes=("", "_p"))
    by_name["matched_by"] = "navn og postnummer"
    out = pd.concat([by_id[cols], by_name[cols]], ignore_index=True)
    return out.drop_duplicates("offer_id").reset_index(drop=True)


def quartiles(grants: pd.DataFrame) -> pd.DataFrame:
    """Per offer type the 25th, 50th and 75th percentile of the daily price of all our priced
    grants of that type (linear interpolation), and how many grants they rest on."""
    d = grants.assign(daily=daily(grants["monthly_price"].astype(float)))
    g = d.groupby("offer_type_code")["daily"]
    return pd.DataFrame(
        {
            "grants_of_type": g.size(),
            "p25": g.quantile(0.25),
            "median": g.quantile(0.5),
            "p75": g.quantile(0.75),
        }
    )


def compare(grants: pd.DataFrame, ranges: pd.DataFrame) -> pd.DataFrame:
    """One row per external grant: daily price, the published range (NaN when not matched), our
    quartiles of the type, whether it is above the published maximum or above P75, and the
    forhandlingspotentiale = (daily − median) × 365 for a flagged grant (else 0)."""
    q = quartiles(grants)
    ext = grants[grants["owner_type"].isin(EXTERNAL)].copy()
    ext["daily"] = daily(ext["monthly_price"].astype(float))
    ext = ext.merge(q, left_on="offer_type_code", right_index=True, how="left")
    r = ranges[["offer_id", "rate_min", "rate_max"]] if not ranges.empty else None
    if r is None:
        ext["rate_min"] = np.nan
        ext["rate_max"] = np.nan
    else:
        ext = ext.merge(r, on="offer_id", how="left")
    ext["above_max"] = (ext["daily"] > ext["rate_max"]).fillna(False).astype(bool)
    ext["above_p75"] = (ext["daily"] > ext["p75"]).astype(bool)
    flagged = ext["above_max"] | ext["above_p75"]
    excess = ((ext["daily"] - ext["median"]) * DAYS).clip(lower=0)
    ext["potential_year"] = np.where(flagged, excess, 0.0)
    return ext.reset_index(drop=True)


def flagged(compared: pd.DataFrame) -> pd.DataFrame:
    """The grants above the published maximum or above P75, largest potential first."""
    out = compared[compared["above_max"] | compared["above_p75"]]
    return out.sort_values(["potential_year", "grant_id"], ascending=[False, True])


def by_type(compared: pd.DataFrame) -> pd.DataFrame:
    """Per offer type: external grants, matched to a published range, above max, above P75, and
    the total forhandlingspotentiale."""
    g = compared.groupby(["offer_type_code", "offer_type_name"], as_index=False)
    return g.agg(
        grants=("grant_id", "size"),
        matched=("rate_max", lambda s: int(s.notna().sum())),
        above_max=("above_max", "sum"),
        above_p75=("above_p75", "sum"),
        median=("median", "first"),
        p75=("p75", "first"),
        potential_year=("potential_year", "sum"),
    )
