"""The døgnhjul (issue 18, point 5): the support a grant buys by weekday and hour, how it changed,
and the contracts whose weekly staffed hours fell by 10 % or more since their price was set."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

DROP = 0.10
WEEKDAYS = ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag")


def _dates(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.date


def in_force(rows: pd.DataFrame, on: date) -> pd.DataFrame:
    """Each grant's døgnhjul version in force on the date (the latest valid_from ≤ date)."""
    r = rows[_dates(rows["valid_from"]) <= on]
    if r.empty:
        return r
    latest = r.groupby("grant_id")["valid_from"].transform("max")
    return r[r["valid_from"] == latest]


def grid(rows: pd.DataFrame) -> pd.DataFrame:
    """Staff on duty per weekday (1-7) and hour (0-23), summed over the rows: a 7 × 24 frame."""
    out = np.zeros((7, 24))
    for wd, lo, hi, ratio in rows[["weekday", "from_hour", "to_hour", "staff_ratio"]].itertuples(
        index=False
    ):
        out[int(wd) - 1, int(lo) : int(hi)] += float(ratio)
    return pd.DataFrame(out, index=range(1, 8), columns=range(24))


def weekly_hours(rows: pd.DataFrame) -> float:
    """Staffed hours a week: Σ (to_hour − from_hour) × staff_ratio."""
    return float(((rows["to_hour"] - rows["from_hour"]) * rows["staff_ratio"]).sum())


def versions(rows: pd.DataFrame) -> list[date]:
    return sorted(set(_dates(rows["valid_from"])))


def long(g: pd.DataFrame) -> pd.DataFrame:
    """A grid as long rows (weekday name, hour, staff) for a heatmap."""
    return pd.DataFrame(
        [
            {"Ugedag": WEEKDAYS[wd - 1], "Time": h, "Personale": float(g.loc[wd, h])}
            for wd in g.index
            for h in g.columns
        ]
    )


def contract_signals(rows: pd.DataFrame) -> pd.DataFrame:
    """rows of list_schedule_contracts → one row per contract whose weekly staffed hours now are
    ≥ 10 % below those in force when its price was set (the version with the latest
    schedule_from ≤ price_set_on, else the first version). A contract set after the latest change
    compares the same version and is never flagged: its price was renegotiated since."""
    out = []
    for cid, r in rows.groupby("contract_id", sort=True):
        r = r.sort_values("schedule_from")
        set_on = pd.Timestamp(r["price_set_on"].iloc[0]).date()
        before = r[_dates(r["schedule_from"]) <= set_on]
        then = (before if not before.empty else r).iloc[-1 if not before.empty else 0]
        now = r.iloc[-1]
        if then["weekly_hours"] <= 0:
            continue
        change = now["weekly_hours"] / then["weekly_hours"] - 1
        if change <= -DROP + 1e-12:
            out.append(
                {
                    "contract_id": cid,
                    "grant_id": now["grant_id"],
                    "citizen_id": now["citizen_id"],
                    "offer_name": now["offer_name"],
                    "price_set_on": set_on,
                    "contract_price": now["contract_price"],
                    "hours_then": then["weekly_hours"],
                    "hours_now": now["weekly_hours"],
                    "changed_on": pd.Timestamp(now["schedule_from"]).date(),
                    "change": change,
                }
            )
    cols = ["contract_id", "grant_id", "citizen_id", "offer_name", "price_set_on"]
    cols += ["contract_price", "hours_then", "hours_now", "changed_on", "change"]
    return pd.DataFrame(out, columns=cols)
