"""Synthetic data for køb og salg af pladser (issue 18), drawn from its own random stream so the
other demo tables stay byte-identical: Tilbudsportalen ids and postcodes on offers, synthetic
published rate ranges (drawn from the real distribution per offer type, never a real provider's
name), referred offers under free choice, døgnhjul, place sales and budgeted occupancy."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from cockpit.market import reference

STREAM = 18  # the issue number: a stream of its own beside the generator's Generator(seed + code)
RESIDENTIAL = ("SEL107", "SEL108")
SOURCE = "Syntetiske eksempeldata (takster trukket fra Tilbudsportalens fordeling pr. paragraf)"


def _rng(seed: int, code: int) -> np.random.Generator:
    return np.random.default_rng([seed, code, STREAM])


def _days(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy().astype("datetime64[D]").astype(np.int64)


def _date(days: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(days, dtype="datetime64[D]")).dt.date


def offers(frames: dict[str, pd.DataFrame], seed: int, code: int) -> pd.DataFrame:
    """The offer table with tilbudsportalen_id and postcode on offers of the compared types."""
    rng = _rng(seed, code)
    offer = frames["offer"].copy()
    compared = offer["offer_type_code"].isin(reference.rate_quartiles().index)
    ids = "SYN-" + offer["municipality_code"].astype(str) + "-" + offer["offer_id"]
    offer["tilbudsportalen_id"] = ids.where(compared, None)
    postcode = 1000 + rng.integers(0, 9000, len(offer))
    offer["postcode"] = pd.array(np.where(compared, postcode, 0), dtype="Int64")
    offer.loc[~compared, "postcode"] = pd.NA
    return offer


def portal(offer: pd.DataFrame, seed: int, code: int) -> pd.DataFrame:
    """Synthetic Tilbudsportalen rows for the offers with an id: one quantile u per offer gives
    both ends of the range from the real quartiles of minimum and maximum rate for its type."""
    rng = _rng(seed, code + 1000)
    rows = offer[offer["tilbudsportalen_id"].notna()]
    u = rng.random(len(rows))
    lo = reference.draw(rows["offer_type_code"].to_numpy(), u, "min")
    hi = np.maximum(lo, reference.draw(rows["offer_type_code"].to_numpy(), u, "max"))
    return pd.DataFrame(
        {
            "municipality_code": code,
            "tilbudsportalen_id": rows["tilbudsportalen_id"].to_numpy(),
            "name": rows["name"].to_numpy(),
            "postcode": rows["postcode"].to_numpy(),
            "offer_type_code": rows["offer_type_code"].to_numpy(),
            "places": rows["places"].to_numpy(),
            "rate_min": np.round(lo, 2),
            "rate_max": np.round(hi, 2),
            "source": SOURCE,
        }
    )


def grants(frames: dict[str, pd.DataFrame], seed: int, code: int) -> pd.DataFrame:
    """The grant table with a referred offer (and its price) on about one in six residential
    grants in an external offer: the citizen chose another offer than the one referred to."""
    rng = _rng(seed, code + 2000)
    grant = frames["grant"].copy()
    owner = grant["offer_id"].map(frames["offer"].set_index("offer_id")["owner_type"])
    chosen = (
        grant["offer_type_code"].isin(RESIDENTIAL)
        & owner.isin(["private", "other_municipality", "region"]).to_numpy()
        & grant["monthly_price"].notna()
        & (rng.random(len(grant)) < 0.17)
    )
    own = frames["offer"][frames["offer"]["owner_type"] == "own"]
    by_type = own.groupby("offer_type_code")["offer_id"].first()
    referred = grant["offer_type_code"].map(by_type)
    chosen &= referred.notna()
    premium = rng.uniform(0.92, 1.30, len(grant))
    grant["referred_offer_id"] = referred.where(chosen, None)
    price = (grant["monthly_price"].astype(float) / premium).round(2)
    grant["referred_monthly_price"] = price.where(chosen, np.nan)
    return grant


def schedules(frames: dict[str, pd.DataFrame], seed: int, code: int) -> pd.DataFrame:
    """Døgnhjul for residential grants active on their last day in the data: day, evening and
    waking night staff; for some, a later version with less night staff or fewer evening hours."""
    rng = _rng(seed, code + 3000)
    g = frames["grant"]
    g = g[g["offer_type_code"].isin(RESIDENTIAL) & g["end_date"].isna()]
    n = len(g)
    start = _days(g["start_date"])
    night = np.where(rng.random(n) < 0.4, 2.0, 1.0)  # two waking night staff, or one
    evening = rng.choice([1.0, 1.5, 2.0], n)
    day = rng.choice([1.0, 1.5, 2.0, 3.0], n)
    changed = rng.random(n) < 0.3
    later = start + rng.integers(200, 1500, n)
    versions = [(np.ones(n, bool), start, night, evening)]
    versions.append((changed, later, np.maximum(night - 1.0, 0.5), evening * 0.85))
    parts = []
    for keep, valid_from, night_r, evening_r in versions:
        for frm, to, ratio in (
            (0, 7, night_r),
            (7, 15, day),
            (15, 23, evening_r),
            (23, 24, night_r),
        ):
            for weekday in range(1, 8):
                parts.append(
                    pd.DataFrame(
                        {
                            "municipality_code": code,
                            "grant_id": g["grant_id"].to_numpy()[keep],
                            "valid_from": _date(valid_from[keep]),
                            "weekday": weekday,
                            "from_hour": frm,
                            "to_hour": to,
                            "staff_ratio": np.asarray(ratio)[keep]
                            * (0.5 if weekday >= 6 and frm == 7 else 1.0),
                        }
                    )
                )
    out = pd.concat(parts, ignore_index=True)
    limit = np.datetime64(date(2026, 10, 31))
    return out[pd.to_datetime(out["valid_from"]).to_numpy() <= limit].reset_index(drop=True)


def sales(frames: dict[str, pd.DataFrame], seed: int, code: int, buyers: list[int]) -> pd.DataFrame:
    """Places in our own residential offers sold to other municipalities."""
    rng = _rng(seed, code + 4000)
    own = frames["offer"]
    own = own[(own["owner_type"] == "own") & own["places"].notna()]
    count = rng.poisson(own["places"].astype(float).to_numpy() * 0.25)
    idx = np.repeat(np.arange(len(own)), count)
    n = len(idx)
    start = np.datetime64("2019-01-01").astype(np.int64) + rng.integers(0, 2800, n)
    length = rng.integers(180, 2500, n)
    end = np.where(
        start + length > np.datetime64("2026-10-31").astype(np.int64), -1, start + length
    )
    typical = {"SEL107": 60_000.0, "SEL108": 80_000.0, "SEL85BL": 45_000.0, "SEL104": 13_000.0}
    base = own["offer_type_code"].map(typical).fillna(30_000.0).to_numpy()[idx]
    others = [b for b in buyers if b != code] or [code]
    ends = _date(end).where(end >= 0, None)
    return pd.DataFrame(
        {
            "municipality_code": code,
            "offer_id": own["offer_id"].to_numpy()[idx],
            "buyer_municipality_code": np.asarray(others)[rng.integers(0, len(others), n)],
            "start_date": _date(start),
            "end_date": ends,
            "monthly_price": np.round(base * rng.uniform(0.9, 1.25, n), 2),
        }
    )


def budgets(frames: dict[str, pd.DataFrame], seed: int, code: int) -> pd.DataFrame:
    """Budgeted places in our own offers with places, 2024-2026."""
    rng = _rng(seed, code + 5000)
    own = frames["offer"]
    own = own[(own["owner_type"] == "own") & own["places"].notna()]
    parts = [
        pd.DataFrame(
            {
                "municipality_code": code,
                "offer_id": own["offer_id"].to_numpy(),
                "year": year,
                "budgeted_places": np.round(
                    own["places"].astype(float).to_numpy() * rng.uniform(0.8, 1.0, len(own)), 1
                ),
            }
        )
        for year in (2024, 2025, 2026)
    ]
    return pd.concat(parts, ignore_index=True)


def add(frames: dict[str, pd.DataFrame], seed: int, code: int, buyers: list[int]) -> dict:
    """The municipality's frames with the issue-18 columns and tables added."""
    out = dict(frames)
    out["offer"] = offers(frames, seed, code)
    out["grant"] = grants(out, seed, code)
    out["support_schedule"] = schedules(out, seed, code)
    out["place_sale"] = sales(out, seed, code, buyers)
    out["offer_budget"] = budgets(out, seed, code)
    out["tilbudsportalen_offer"] = portal(out["offer"], seed, code)
    return out
