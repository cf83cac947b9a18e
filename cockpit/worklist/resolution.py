"""How the data close the loop: which stored items are gone at a new data date ("Løst i data"),
what a resolved adjustment signal's citizen costs after against before, the time from signal to
action and from action to resolution, and the aggregates for the steering pages. Pure functions of
DataFrames (stored items as queries/state/worklist_items.sql returns them).

- Signal date: the later of `since` and the data date the cockpit first listed the item (an item
  that was old when the cockpit began is counted from the day it was first shown).
- Action: the first time a user set the status Handlet or Afvist med begrundelse (`acted_at`).
- Resolution: the data date of the load in which the item's cause was gone (`resolved_on`).
- Handled within 60 days: acted on or resolved at most 60 days after the signal date. The share
  counts the items whose 60 days are up (signal date at least 60 days before `today`) and those
  handled sooner.
- Money realised: for each resolved adjustment signal, the grant's monthly price when it was last
  listed, minus what the citizen receives at the resolving data date from that grant (if still
  active) and from grants that began on or after the goal was achieved (counted once per citizen).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from cockpit.worklist import items

WITHIN_DAYS = 60
SIGNAL = "adjustment_signal"


def _d(v: object) -> date | None:
    return items.as_date(v)


def _pairs(frame: pd.DataFrame, key: str = "key") -> set[tuple[str, str]]:
    if frame.empty:
        return set()
    return set(zip(frame["kind"].astype(str), frame[key].astype(str), strict=True))


def gone(stored: pd.DataFrame, open_items: pd.DataFrame) -> pd.DataFrame:
    """Stored items not yet resolved whose cause is gone: not among the open items now."""
    if stored.empty:
        return stored
    still = _pairs(open_items)
    keep = [
        items.is_missing(r) and (k, i) not in still
        for k, i, r in zip(stored["kind"], stored["item_key"], stored["resolved_on"], strict=True)
    ]
    return stored[keep]


def prices_after(resolved: pd.DataFrame, active: pd.DataFrame) -> list[float | None]:
    """Per resolved item, in order: for an adjustment signal the citizen's monthly price after
    (list_active_grants rows at the resolving date); None for other kinds."""
    out: list[float | None] = []
    counted: set[str] = set()
    price = dict(zip(active["grant_id"].astype(str), active["monthly_price"], strict=True))
    for row in resolved.itertuples(index=False):
        if row.kind != SIGNAL:
            out.append(None)
            continue
        after = float(price.get(str(row.item_key), 0.0))
        citizen = str(row.citizen_id)
        since = _d(row.since)
        if citizen not in counted and since is not None:
            counted.add(citizen)
            achieved = since - timedelta(days=90)
            later = active[
                (active["citizen_id"].astype(str) == citizen)
                & (active["grant_id"].astype(str) != str(row.item_key))
                & (pd.to_datetime(active["start_date"]).dt.date >= achieved)
            ]
            after += float(later["monthly_price"].sum())
        out.append(after)
    return out


def _dates(stored: pd.DataFrame) -> pd.DataFrame:
    """Signal, action and resolution dates as datetime64 (NaT when missing), vectorised: the
    steering pages judge thousands of items on every render."""
    since = pd.to_datetime(stored["since"], errors="coerce")
    first = pd.to_datetime(stored["first_seen_on"], errors="coerce")
    return pd.DataFrame(
        {
            "signal": pd.concat([since, first], axis=1).max(axis=1),
            "acted": pd.to_datetime(stored["acted_at"].astype("string").str[:10], errors="coerce"),
            "resolved": pd.to_datetime(stored["resolved_on"], errors="coerce"),
        },
        index=stored.index,
    )


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Whole days from `earlier` to `later`, at least 0; <NA> when either is missing."""
    return (later - earlier).dt.days.clip(lower=0).astype("Int64")


def _python_dates(s: pd.Series) -> list[date | None]:
    return [None if pd.isna(v) else v.date() for v in s]


def timeline(stored: pd.DataFrame) -> pd.DataFrame:
    """Per stored item: signal date, action date, days from signal to action, days from action to
    resolution (0 when the data showed it resolved before the action was recorded)."""
    d = _dates(stored)
    out = stored.copy()
    out["signal_date"] = _python_dates(d["signal"])
    out["acted_on"] = _python_dates(d["acted"])
    out["days_to_action"] = (
        _days(d["acted"], d["signal"])
        .astype(object)
        .where(d["acted"].notna() & d["signal"].notna(), None)
    )
    out["days_to_resolution"] = (
        _days(d["resolved"], d["acted"])
        .astype(object)
        .where(d["acted"].notna() & d["resolved"].notna(), None)
    )
    return out


def summary(stored: pd.DataFrame, as_of: date, today: date) -> dict:
    """The steering figures (no citizens): share of items handled within 60 days, money realised a
    month on resolved adjustment signals, median days to action and to resolution, and how many
    citizens lie behind each figure (for small-number suppression)."""
    d = _dates(stored)
    shown = d["signal"].notna() & (d["signal"] <= pd.Timestamp(as_of))
    t, d = stored[shown], d[shown]
    window = pd.Timedelta(days=WITHIN_DAYS)
    first_end = d[["acted", "resolved"]].min(axis=1)  # the earlier of action and resolution
    handled = first_end.notna() & (first_end <= d["signal"] + window)
    counted = handled | (d["signal"] <= pd.Timestamp(today) - window)
    resolved = t[
        (t["kind"] == SIGNAL)
        & d["resolved"].notna()
        & (d["resolved"] <= pd.Timestamp(as_of))
        & t["price_after"].notna()
        & t["price_before"].notna()
    ]
    to_action = _days(d["acted"], d["signal"]).dropna()
    to_resolution = _days(d["resolved"], d["acted"]).dropna()
    n_counted, n_within = int(counted.sum()), int(handled.sum())
    return {
        "items": n_counted,
        "handled_within": n_within,
        "share_within": n_within / n_counted if n_counted else None,
        "citizens_within": int(t.loc[counted, "citizen_id"].dropna().nunique()),
        "resolved_signals": len(resolved),
        "realised_monthly": (
            float((resolved["price_before"] - resolved["price_after"]).sum())
            if len(resolved)
            else None
        ),
        "citizens_realised": int(resolved["citizen_id"].dropna().nunique()),
        "median_days_to_action": None if to_action.empty else float(to_action.median()),
        "median_days_to_resolution": None if to_resolution.empty else float(to_resolution.median()),
    }


def with_status(open_items: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """The open items with what the store knows of each (status, responsible, due date, note,
    version; "new" and version 0 for an item never stored)."""
    cols = ["status", "responsible", "due_date", "note", "version", "updated_by", "updated_at"]
    if stored.empty:
        known = pd.DataFrame(columns=["kind", "key", *cols])
    else:
        known = stored.rename(columns={"item_key": "key"})[["kind", "key", *cols]]
    out = open_items.merge(known, on=["kind", "key"], how="left")
    out["status"] = out["status"].fillna("new")
    out["version"] = out["version"].fillna(0).astype("int64")
    return out


def resolved_items(stored: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Items resolved in data by `as_of`, with their timeline (newest first)."""
    d = _dates(stored)
    t = timeline(stored[d["resolved"].notna() & (d["resolved"] <= pd.Timestamp(as_of))])
    return t.sort_values(["resolved_on", "kind", "item_key"], ascending=[False, True, True])
