"""The worklists' pure parts and the state store under real concurrency: the share handled within
60 days and the money realised computed by hand from stored items, prices after a change, and two
editors saving the same item at the same moment on SQLite and PostgreSQL (exactly one wins)."""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import pytest

from cockpit import audit, state
from cockpit.auth import Principal
from cockpit.worklist import resolution, store

COLUMNS = ["kind", "item_key", "citizen_id", "since", "first_seen_on", "acted_at",
           "resolved_on", "price_before", "price_after"]  # fmt: skip


def stored(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def test_share_handled_within_60_days_and_money_realised():
    items = stored(
        # signal date 1 Jan (first listed then), acted 20 Feb (50 days): within
        ("followup_overdue", "A", "C1", "2023-12-01", "2024-01-01", "2024-02-20T10:00:00Z",
         None, 10000.0, None),
        # signal date 1 Jan, acted 15 Mar (74 days): not within
        ("followup_overdue", "B", "C2", "2024-01-01", "2024-01-01", "2024-03-15T10:00:00Z",
         None, 20000.0, None),
        # signal 1 Jan, never acted, resolved in data 31 Jan (30 days): within; 90 000 → 70 000
        ("adjustment_signal", "S", "C3", "2023-10-01", "2024-01-01", None,
         "2024-01-31", 90000.0, 70000.0),
        # signal 1 Jan, nothing yet, 60 days up on 1 March: counted, not within
        ("contract_renegotiation", "K", "C4", "2024-01-01", "2024-01-01", None, None, 1.0, None),
        # signal 1 April: its 60 days are not up on 1 May and nothing done: not counted
        ("grant_without_contract", "E", "C5", "2024-04-01", "2024-04-01", None, None, 1.0, None),
        # signal after the reference date: not counted at all
        ("grant_without_contract", "F", "C6", "2024-06-01", "2024-06-01", None, None, 1.0, None),
    )  # fmt: skip
    figures = resolution.summary(items, as_of=date(2024, 5, 1), today=date(2024, 5, 1))
    assert figures["items"] == 4  # A, B, S, K
    assert figures["handled_within"] == 2  # A and S
    assert figures["share_within"] == 0.5
    assert figures["realised_monthly"] == 20000.0  # 90 000 − 70 000
    assert figures["resolved_signals"] == 1 and figures["citizens_realised"] == 1
    assert figures["median_days_to_action"] == (50 + 74) / 2
    # Before the resolution's data date, the signal is not yet money realised.
    earlier = resolution.summary(items, as_of=date(2024, 1, 30), today=date(2024, 5, 1))
    assert earlier["realised_monthly"] is None


def test_price_after_counts_the_citizens_new_grants_once():
    gone = stored(
        ("adjustment_signal", "B", "C2", "2023-08-30", "2024-03-31", None, None, 90000.0, None),
        ("adjustment_signal", "B3", "C2", "2023-08-30", "2024-03-31", None, None, 10000.0, None),
        ("followup_overdue", "A", "C1", "2024-03-22", "2024-03-31", None, None, 10000.0, None),
    )
    active = pd.DataFrame(
        {
            "grant_id": ["B2", "B3", "OLD"],
            "citizen_id": ["C2", "C2", "C2"],
            "start_date": [date(2024, 4, 15), date(2023, 1, 1), date(2020, 1, 1)],
            "monthly_price": [70000.0, 10000.0, 5000.0],
        }
    )
    # B ended: its successor B2 (begun after the goal was achieved on 1 June 2023) counts once;
    # B3 is still active at its own price; OLD began before the goal and is not the change's.
    assert resolution.prices_after(gone, active) == [70000.0, 10000.0, None]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def state_store(request, monkeypatch):
    if request.param == "postgres":
        monkeypatch.setenv("COCKPIT_STATE_URL", request.getfixturevalue("pg_url"))
    state.release()
    return state.url()


def test_two_editors_at_the_same_moment_one_wins(state_store):
    item = {"kind": "followup_overdue", "key": "A", "citizen_id": "C1", "since": date(2024, 3, 22),
            "monthly_price": 10000.0, "seen_on": date(2024, 3, 31)}  # fmt: skip
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def edit(user: str) -> None:
        start.wait()
        try:
            store.update(Principal(user, "leder"), 999, item, 0, status="in_progress",
                         responsible=user, due_date=None, note=f"note fra {user}")  # fmt: skip
            outcome[user] = "saved"
        except store.Conflict:
            outcome[user] = "conflict"

    threads = [threading.Thread(target=edit, args=(u,)) for u in ("anna", "bo")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcome.values()) == ["conflict", "saved"]
    winner = next(u for u, o in outcome.items() if o == "saved")
    kept = store.get(999, "followup_overdue", "A")
    assert (kept["responsible"], kept["note"], kept["version"]) == (
        winner,
        f"note fra {winner}",
        1,
    )
    history = store.notes(Principal("x", "leder"), 999, "followup_overdue", "A")
    assert list(history["written_by"]) == [winner]
    log = audit.search()
    assert list(log.loc[log["action"] == "change", "user_id"]) == [winner]
