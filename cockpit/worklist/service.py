"""What pages and the command ask the worklists for: the open items of a kind with their status,
the command's list, and the steering aggregates; and the judgement that closes the loop.

The items are judged against the data once per data date and database generation (an import
swaps the DuckDB file; a warehouse is judged again when its data date moves): open items are
recorded, items whose cause is gone are "Løst i data". That judgement reads the citizen lists
internally and shows nobody anything; every view of items goes through the gateway's audited
citizen_rows (pages) or writes its own audit row (the command).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd

from cockpit import audit, cache, db, periods
from cockpit.access.gateway import AccessDenied, check
from cockpit.periods import Scope
from cockpit.worklist import items, resolution, store

# How a caller fetches one list query for a scope: (query name, scope, extra bind parameters).
Fetch = Callable[[str, Scope, dict], pd.DataFrame]


def internal_fetch(url: str | None) -> Fetch:
    """Rows read for judging only, never shown (no audit row: nothing is viewed); through the one
    cache, so the page's own read of the same list right after is not run twice."""

    def fetch(name: str, scope: Scope, extra: dict) -> pd.DataFrame:
        return cache.run(name, {**scope.params(), **extra}, url)

    return fetch


def data_date(municipality: int, url: str | None = None) -> date | None:
    """The municipality's current data date: its latest posting date (the newest reference date
    the cockpit offers); None when it has no postings."""
    year = date.today().year  # usually the data's latest year: then one query answers
    latest = cache.run("scope_latest_posting", {"municipality": municipality, "year": year}, url)
    latest_year = latest["latest_year"].iloc[0]
    if latest_year is None or pd.isna(latest_year):
        return None
    if int(latest_year) != year:
        year = int(latest_year)
        latest = cache.run(
            "scope_latest_posting", {"municipality": municipality, "year": year}, url
        )
    return periods.default_as_of(latest, year)


def judge(
    municipality: int, url: str | None = None, frames: dict[str, pd.DataFrame] | None = None
) -> bool:
    """Judge the stored items against the current data, once per data date and database
    generation; returns whether a judgement was made now. `frames` (kind → list rows at the
    data date) spares reading the lists again when the caller has them."""
    url = url or db.default_url()
    when = data_date(municipality, url)
    if when is None:
        return False
    marker = f"{when.isoformat()}|{db.generation(url)}"
    if store.judged(municipality) == marker:
        return False
    scope = Scope(int(municipality), when.year, when)
    fetch = internal_fetch(url)
    if frames is None:
        frames = {k.key: fetch(k.query, scope, items.params(k.key)) for k in items.KINDS}
    open_items = items.all_open_items(frames)
    gone = resolution.gone(store.dates(municipality), open_items)
    if (gone["kind"] == resolution.SIGNAL).any():
        active = fetch("list_active_grants", scope, {})
    else:
        active = pd.DataFrame(columns=["grant_id", "citizen_id", "start_date", "monthly_price"])
    after = resolution.prices_after(gone, active)
    store.record_judgement(municipality, when, marker, open_items, gone, after)
    return True


def open_list(scope: Scope, kind: str, fetch: Fetch, url: str | None = None) -> pd.DataFrame:
    """The open items of one kind at the scope's reference date with their status, responsible,
    due date, note and version (fetch: the caller's audited citizen_rows)."""
    judge(scope.municipality, url)
    frame = fetch(items.BY_KEY[kind].query, scope, items.params(kind))
    return resolution.with_status(items.open_items(kind, frame), store.load(scope.municipality))


def resolved_list(who, scope: Scope, kind: str) -> pd.DataFrame:
    """The items of one kind resolved in data by the reference date, with their timeline."""
    if who is None or not who.sees_citizens:
        raise AccessDenied("Din rolle må ikke se oplysninger om enkelte borgere.")
    stored = store.load(scope.municipality)
    found = resolution.resolved_items(stored[stored["kind"] == kind], scope.as_of)
    return found


def actions(
    who, municipality: int, as_of: date | None = None, url: str | None = None
) -> list[dict]:
    """The command's list: every open item at `as_of` (default: the data date) as
    {kind, key, status, since}; one audit row names every citizen behind the items printed."""
    url = url or db.default_url()
    when = as_of or data_date(municipality, url)
    if when is None:
        return []
    scope = Scope(int(municipality), when.year, when)
    fetch = internal_fetch(url)
    frames = {k.key: fetch(k.query, scope, items.params(k.key)) for k in items.KINDS}
    judge(municipality, url, frames if when == data_date(municipality, url) else None)
    listed = resolution.with_status(items.all_open_items(frames), store.load(municipality))
    audit.log_view(
        who,
        page="kommandolinje",
        source="actions",
        citizens=listed["citizen_id"].dropna().astype(str),
        filters={"kommune": int(municipality), "dato": when.isoformat()},
        municipality=int(municipality),
        row_count=len(listed),
    )
    return [
        {
            "kind": r.kind,
            "key": r.key,
            "status": items.STATUSES[r.status],
            "since": None if r.since is None else items.as_date(r.since).isoformat(),
        }
        for r in listed.itertuples(index=False)
    ]


def steering(who, scope: Scope, url: str | None = None, today: date | None = None) -> dict:
    """The aggregates for Overblik and Strategi (no citizens): share handled within 60 days and
    money realised a month; for roles without citizen access a figure behind 1-4 citizens is None
    ("–"), as everywhere in the cockpit."""
    check(who, "worklist_summary")
    judge(scope.municipality, url)
    figures = resolution.summary(
        store.dates(scope.municipality), scope.as_of, today or date.today()
    )
    if not who.suppress_small_numbers:
        return figures
    # Only the two steering figures, each hidden when 1-4 citizens lie behind it.
    return {
        "share_within": None if 0 < figures["citizens_within"] < 5 else figures["share_within"],
        "realised_monthly": (
            None if 0 < figures["citizens_realised"] < 5 else figures["realised_monthly"]
        ),
    }
