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


def _acted_on(v: object) -> date | None:
    return None if items.is_missing(v) else date.fromisoformat(str(v)[:10])


def timeline(stored: pd.DataFrame) -> pd.DataFrame:
    """Per stored item: signal date, action date, days from signal to action, days from action to
    resolution (0 when the data showed it resolved before the action was recorded)."""
    out = stored.copy()
    signal = [
        max(d for d in (_d(s), _d(f)) if d is not None) if _d(s) or _d(f) else None
        for s, f in zip(stored["since"], stored["first_seen_on"], strict=True)
    ]
    acted = [_acted_on(v) for v in stored["acted_at"]]
    resolved = [_d(v) for v in stored["resolved_on"]]
    out["signal_date"] = signal
    out["acted_on"] = acted
    out["days_to_action"] = [
        max((a - s).days, 0) if a and s else None for a, s in zip(acted, signal, strict=True)
    ]
    out["days_to_resolution"] = [
        max((r - a).days, 0) if a and r else None for a, r in zip(acted, resolved, strict=True)
    ]
    return out


def _within(row: pd.Series) -> bool | None:
    """True/False once known: handled within 60 days of the signal date, or not."""
    start = row["signal_date"]
    if start is None:
        return None
    ends = [d for d in (row["acted_on"], _d(row["resolved_on"])) if d is not None]
    return bool(ends) and min(ends) <= start + timedelta(days=WITHIN_DAYS)


def summary(stored: pd.DataFrame, as_of: date, today: date) -> dict:
    """The steering figures (no citizens): share of items handled within 60 days, money realised a
    month on resolved adjustment signals, median days to action and to resolution, and how many
    citizens lie behind each figure (for small-number suppression)."""
    empty = {
        "items": 0,
        "handled_within": 0,
        "share_within": None,
        "citizens_within": 0,
        "resolved_signals": 0,
        "realised_monthly": None,
        "citizens_realised": 0,
        "median_days_to_action": None,
        "median_days_to_resolution": None,
    }
    if stored.empty:
        return empty
    t = timeline(stored)
    t = t[[s is not None and s <= as_of for s in t["signal_date"]]]
    if t.empty:
        return empty
    handled = [_within(r) for _, r in t.iterrows()]
    due = [
        h or (s <= today - timedelta(days=WITHIN_DAYS))
        for h, s in zip(handled, t["signal_date"], strict=True)
    ]
    counted = t[due]
    n_within = sum(bool(h) for h, d in zip(handled, due, strict=True) if d)
    by_then = pd.Series([_d(r) is not None and _d(r) <= as_of for r in t["resolved_on"]], t.index)
    resolved = t[
        (t["kind"] == SIGNAL) & by_then & t["price_after"].notna() & t["price_before"].notna()
    ]
    to_action = pd.Series([v for v in t["days_to_action"] if v is not None], dtype="float64")
    to_resolution = pd.Series(
        [v for v in t["days_to_resolution"] if v is not None], dtype="float64"
    )
    return {
        "items": len(counted),
        "handled_within": n_within,
        "share_within": n_within / len(counted) if len(counted) else None,
        "citizens_within": counted["citizen_id"].dropna().nunique(),
        "resolved_signals": len(resolved),
        "realised_monthly": (
            float((resolved["price_before"] - resolved["price_after"]).sum())
            if len(resolved)
            else None
        ),
        "citizens_realised": resolved["citizen_id"].dropna().nunique(),
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
    t = timeline(stored)
    keep = [_d(r) is not None and _d(r) <= as_of for r in t["resolved_on"]]
    return t[keep].sort_values(["resolved_on", "kind", "item_key"], ascending=[False, True, True])
