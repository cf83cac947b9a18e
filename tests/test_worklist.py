"""Worklists (issue 17) on a tiny hand-built database, on DuckDB and PostgreSQL: the items and their
`since`, counts equal to the KPIs, status changes with their audit rows, the concurrency conflict,
a CPR-like note refused, and the loop closed by the data after a new load.

Data date 31 March 2024 (the latest posting). Cases:
- grant B (C2, SEL108, 90 000 kr./md.): develop goal achieved 1 June 2023, never adjusted:
  adjustment signal since 30 August 2023 (1 June + 90 days);
- grant A (C1, SEL108, 10 000): follow-up planned 21 March 2024, not performed: overdue since
  22 March;
- contract K on grant D (C4): renegotiate by 30 April 2024: on the list since 31 January 2024
  (30 April − 90 days);
- grant E (C5, external, 20 000): no contract ever: without contract since its start, 1 January 2023;
- C4: grants D 100 000 (from 1 January 2023) and H 90 000 (from 1 June 2023): 2 280 000 kr. a
  year, over 2 mio. since 1 June 2023, when H took the running sum past it.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from cockpit import __main__ as cli
from cockpit import audit, cache, db, metrics
from cockpit.auth import Principal
from cockpit.periods import Scope
from cockpit.worklist import service, store

D = date(2024, 3, 31)
LEDER = Principal("anna", "leder")
LEDER2 = Principal("bo", "leder")


def grant(gid, cit, offer_type, price, offer_id=None, start=date(2023, 1, 1), **kw):
    return {
        "grant_id": gid,
        "citizen_id": cit,
        "offer_type_code": offer_type,
        "offer_id": offer_id,
        "start_date": start,
        "end_date": kw.get("end"),
        "monthly_price": float(price),
        "next_followup_date": kw.get("followup"),
    }


def expense(eid, posted):
    return {
        "expense_id": eid,
        "posting_date": posted,
        "amount_dkk": 100.0,
        "account_function": "5.38.50",
        "offer_type_code": "SEL108",
    }


@pytest.fixture
def wl(tiny):
    cache.clear()
    return build(tiny)


def build(tiny):
    """The cases of the module docstring in a TinyDb."""
    tiny.add(
        "citizen",
        *({"citizen_id": f"C{i}", "birth_year": 1980 + i, "target_group": "handicap"}
          for i in range(1, 6)),
    )  # fmt: skip
    tiny.add(
        "offer",
        {
            "offer_id": "OWN",
            "name": "Engely",
            "owner_type": "own",
            "offer_type_code": "SEL108",
            "places": 4,
            "location_municipality_code": 999,
        },
        {
            "offer_id": "EXT",
            "name": "Privat bosted",
            "owner_type": "private",
            "offer_type_code": "SEL108",
            "places": 30,
            "location_municipality_code": 999,
        },
    )
    tiny.add(
        "grant",
        grant("A", "C1", "SEL108", 10000, "OWN", followup=date(2024, 3, 21)),
        grant("B", "C2", "SEL108", 90000, "OWN"),
        grant("D", "C4", "SEL108", 100000, "EXT"),
        grant("E", "C5", "SEL108", 20000, "EXT"),
        grant("H", "C4", "SEL104", 90000, start=date(2023, 6, 1)),
    )
    tiny.add(
        "contract",
        {
            "contract_id": "K",
            "grant_id": "D",
            "template": "kl_standard",
            "valid_from": date(2023, 1, 1),
            "valid_to": None,
            "monthly_price": 100000.0,
            "has_goals_annex": True,
            "renegotiate_by": date(2024, 4, 30),
        },
    )
    tiny.add(
        "goal",
        {
            "goal_id": "M",
            "citizen_id": "C2",
            "grant_id": "B",
            "theme": "mobilitet",
            "goal_type": "develop",
            "baseline_level": 3,
            "target_level": 1,
            "set_on": date(2023, 1, 1),
            "target_date": date(2024, 6, 30),
        },
    )
    tiny.add(
        "assessment",
        {"citizen_id": "C2", "theme": "mobilitet", "assessed_on": date(2023, 5, 1), "level": 3},
        {"citizen_id": "C2", "theme": "mobilitet", "assessed_on": date(2023, 6, 1), "level": 1},
    )
    tiny.add("expense", expense("E1", D))
    return tiny


def listed(url, as_of=None) -> list[dict]:
    return service.actions(LEDER, 999, as_of, url)


def fetch(url):
    return service.internal_fetch(url)


def test_items_their_since_and_counts_equal_the_kpis(wl):
    found = sorted((r["kind"], r["key"], r["status"], r["since"]) for r in listed(wl.url))
    assert found == [
        ("adjustment_signal", "B", "Ny", "2023-08-30"),
        ("contract_renegotiation", "K", "Ny", "2024-01-31"),
        ("expensive_citizen", "C4", "Ny", "2023-06-01"),
        ("followup_overdue", "A", "Ny", "2024-03-22"),
        ("grant_without_contract", "E", "Ny", "2023-01-01"),
    ]
    for as_of in (D, date(2024, 1, 15), date(2023, 9, 30)):
        values = metrics.compute(None, Scope(999, as_of.year, as_of), wl.url)
        rows = listed(wl.url, as_of)
        for kind, kpi in (
            ("adjustment_signal", "adjustment_signals"),
            ("expensive_citizen", "expensive_citizens"),
            ("followup_overdue", "followups_overdue"),
            ("contract_renegotiation", "contracts_to_renegotiate"),
        ):
            assert sum(r["kind"] == kind for r in rows) == values[kpi], (as_of, kind)


def test_the_command_prints_json_and_writes_an_audit_row(wl, capsys):
    code = cli.main(["actions", "--municipality", "999", "--database-url", wl.url, "--json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert {"kind": "expensive_citizen", "key": "C4", "status": "Ny", "since": "2023-06-01"} in (
        printed
    )
    log = audit.search()
    views = log[(log["action"] == "view") & (log["source"] == "actions")]
    assert sorted(views["citizen_id"]) == ["C1", "C2", "C4", "C5"]
    with pytest.raises(SystemExit) as bad:
        cli.main(["actions", "--municipality", "999", "--as-of", "31-03-2024", "--json"])
    assert bad.value.code == 2
    assert "ugyldig dato" in capsys.readouterr().err


def test_a_status_change_is_stored_and_audited_without_the_note(wl):
    scope = Scope(999, 2024, D)
    row = service.open_list(scope, "followup_overdue", fetch(wl.url), wl.url).iloc[0].to_dict()
    assert (row["key"], row["status"], row["version"]) == ("A", "new", 0)
    saved = store.update(
        LEDER,
        999,
        {**row, "seen_on": D},
        0,
        status="acted",
        responsible="Karin Holm",
        due_date=date(2024, 4, 15),
        note="Ringet til bostedet; opfølgning aftalt 12/4.",
    )
    assert (saved["status"], saved["responsible"], saved["due_date"]) == (
        "acted",
        "Karin Holm",
        "2024-04-15",
    )
    assert saved["version"] == 1 and saved["acted_at"]
    again = service.open_list(scope, "followup_overdue", fetch(wl.url), wl.url).iloc[0]
    assert (again["status"], again["version"]) == ("acted", 1)

    log = audit.search()
    change = log[log["action"] == "change"]
    assert len(change) == 1
    shown = json.loads(change["filters"].iloc[0])
    assert change["user_id"].iloc[0] == "anna" and change["citizen_id"].iloc[0] == "C1"
    assert shown["punkt"] == "A" and shown["liste"] == "followup_overdue"
    assert (shown["status_foer"], shown["status_efter"]) == ("Ny", "Handlet")
    assert shown["note_aendret"] == "ja"
    assert shown["note_sha256"] == store.sha256("Ringet til bostedet; opfølgning aftalt 12/4.")
    assert "Ringet" not in log.to_csv()  # the note's text is nowhere in the audit log
    shown_row = audit.present(change).iloc[0]
    assert shown_row["Handling"] == "Ændring i arbejdsliste"
    assert shown_row["Side"] == "Arbejdslister"
    assert "status_efter=Handlet, status_foer=Ny" in shown_row["Filtre"]

    store.update(LEDER, 999, {**row, "seen_on": D}, 1, status="acted", responsible="Karin Holm",
                 due_date=date(2024, 4, 15), note="Ny note")  # fmt: skip
    history = store.notes(LEDER, 999, "followup_overdue", "A")
    assert list(history["note"]) == ["Ny note", "Ringet til bostedet; opfølgning aftalt 12/4."]
    with pytest.raises(store.NotAllowed):
        store.notes(Principal("p", "politiker"), 999, "followup_overdue", "A")
    with pytest.raises(store.NotAllowed):
        store.update(Principal("x", "admin"), 999, {**row, "seen_on": D}, 2, status="new",
                     responsible=None, due_date=None, note=None)  # fmt: skip


def test_the_second_editor_gets_a_conflict_and_nothing_is_lost(wl):
    row = {
        **service.open_list(Scope(999, 2024, D), "adjustment_signal", fetch(wl.url), wl.url).iloc[0]
    }
    row["seen_on"] = D
    first = store.update(LEDER, 999, row, 0, status="in_progress", responsible="Anna",
                         due_date=None, note="Revisitation bestilt")  # fmt: skip
    with pytest.raises(store.Conflict) as caught:
        store.update(LEDER2, 999, row, 0, status="rejected", responsible="Bo", due_date=None,
                     note="Ikke relevant")  # fmt: skip
    message = str(caught.value)
    assert "ændret af anna" in message and "Dine ændringer er ikke gemt" in message
    assert caught.value.current["status"] == "in_progress"
    kept = store.get(999, "adjustment_signal", "B")
    assert (kept["status"], kept["responsible"], kept["note"], kept["version"]) == (
        "in_progress",
        "Anna",
        "Revisitation bestilt",
        first["version"],
    )
    changes = audit.search()
    assert (changes["action"] == "change").sum() == 1  # the refused save left no audit row
    # Having seen the new version, the second editor saves on top of it.
    second = store.update(LEDER2, 999, row, kept["version"], status="rejected",
                          responsible="Bo", due_date=None, note="Ikke relevant")  # fmt: skip
    assert (second["status"], second["version"]) == ("rejected", 2)
    assert len(store.notes(LEDER, 999, "adjustment_signal", "B")) == 2


@pytest.mark.parametrize("text", ["Borgeren har cpr 010203-1234", "0102031234 ringede"])
def test_a_note_with_a_cpr_like_number_is_refused(wl, text):
    row = {
        **service.open_list(Scope(999, 2024, D), "adjustment_signal", fetch(wl.url), wl.url).iloc[0]
    }
    with pytest.raises(store.Refused) as caught:
        store.update(LEDER, 999, {**row, "seen_on": D}, 0, status="acted", responsible=None,
                     due_date=None, note=text)  # fmt: skip
    assert "CPR" in str(caught.value) and "1234" not in str(caught.value)
    assert store.get(999, "adjustment_signal", "B")["status"] == "new"
    assert (audit.search()["action"] != "change").all()
    # A date and a phone number are not CPR numbers.
    assert store.clean_text("Møde 12.04.2024 kl. 10, tlf. 12345678", "Noten", 100)


def test_the_data_close_the_loop_after_a_new_load(wl):
    scope = Scope(999, 2024, D)
    signal = {**service.open_list(scope, "adjustment_signal", fetch(wl.url), wl.url).iloc[0]}
    store.update(LEDER, 999, {**signal, "seen_on": D}, 0, status="acted", responsible="Anna",
                 due_date=None, note=None)  # fmt: skip
    acted_on = date.fromisoformat(store.get(999, "adjustment_signal", "B")["acted_at"][:10])

    # The next load (data date 30 April 2024): B changed down the staircase to B2 (SEL107,
    # 70 000) by a change decision, A's follow-up performed, E got a contract.
    engine = db.writable_engine(wl.url)
    with engine.begin() as conn:
        conn.execute(sa.text("update \"grant\" set end_date = '2024-04-14' where grant_id = 'B'"))
    engine.dispose()
    wl.add("grant", grant("B2", "C2", "SEL107", 70000, "OWN", start=date(2024, 4, 15)))
    wl.add(
        "decision",
        {
            "decision_id": "X",
            "citizen_id": "C2",
            "offer_type_code": "SEL107",
            "application_date": date(2024, 4, 1),
            "decision_date": date(2024, 4, 14),
            "kind": "change",
            "outcome": "changed",
            "decided_by": "leader",
        },
    )
    wl.add("followup", {"followup_id": "F", "grant_id": "A", "planned_date": date(2024, 3, 21),
                        "performed_date": date(2024, 4, 10), "result": "continue"})  # fmt: skip
    wl.add("contract", {"contract_id": "K2", "grant_id": "E", "template": "kl_standard",
                        "valid_from": date(2024, 4, 1), "valid_to": None,
                        "monthly_price": 20000.0, "has_goals_annex": True,
                        "renegotiate_by": date(2025, 4, 1)})  # fmt: skip
    wl.add("expense", expense("E2", date(2024, 4, 30)))
    db.release(wl.url)
    cache.clear()

    now_open = sorted((r["kind"], r["key"]) for r in listed(wl.url))
    assert now_open == [("contract_renegotiation", "K"), ("expensive_citizen", "C4")]
    stored = store.load(999).set_index(["kind", "item_key"])
    for key in [("adjustment_signal", "B"), ("followup_overdue", "A"),
                ("grant_without_contract", "E")]:  # fmt: skip
        assert stored.loc[key, "resolved_on"] == "2024-04-30"
    assert stored.loc[("adjustment_signal", "B"), "price_before"] == 90000
    assert stored.loc[("adjustment_signal", "B"), "price_after"] == 70000
    assert stored.loc[("adjustment_signal", "B"), "status"] == "acted"  # the user's status stays

    later = Scope(999, 2024, date(2024, 4, 30))
    resolved = service.resolved_list(LEDER, later, "adjustment_signal")
    row = resolved.iloc[0]
    assert row["signal_date"] == date(2024, 3, 31)  # first listed 31 March (since 30 Aug 2023)
    assert row["days_to_action"] == (acted_on - date(2024, 3, 31)).days
    assert row["days_to_resolution"] == max((date(2024, 4, 30) - acted_on).days, 0)
    figures = service.steering(LEDER, later, wl.url, today=date(2024, 5, 1))
    assert figures["realised_monthly"] == 20000
    assert figures["resolved_signals"] == 1
    # Politicians see the figure only with at least 5 citizens behind it.
    assert service.steering(Principal("p", "politiker"), later, wl.url)["realised_monthly"] is None


def test_a_real_import_closes_the_loop(tmp_path):
    """The same next load as above, through the importer: export the municipality, change the
    files as the source system would, import them all-or-nothing (a new DuckDB generation)."""
    import pandas as pd
    from conftest import TinyDb

    from cockpit.export import export_folder
    from cockpit.ingest import import_folder

    cache.clear()
    t = build(TinyDb(f"duckdb:///{tmp_path / 'import.duckdb'}"))
    # The import checks every foreign key: build() names the citizens its grants refer to.
    assert len(listed(t.url)) == 5
    folder = tmp_path / "extract"
    export_folder(t.url, folder, 999, "csv")

    def edit(table: str, change) -> None:
        path = folder / f"{table}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        change(frame).to_csv(path, index=False)

    def followups(f):
        row = {
            "followup_id": "F",
            "municipality_code": "999",
            "grant_id": "A",
            "planned_date": "2024-03-21",
            "performed_date": "2024-04-10",
            "result": "continue",
        }
        return pd.concat([f, pd.DataFrame([row])], ignore_index=True)

    def expenses(f):
        row = {**f.iloc[0].to_dict(), "expense_id": "E2", "posting_date": "2024-04-30"}
        return pd.concat([f, pd.DataFrame([row])], ignore_index=True)

    edit("followup", followups)
    edit("expense", expenses)
    result = import_folder(folder, t.url)
    assert result.ok, result.problems
    cache.clear()

    open_now = sorted((r["kind"], r["key"]) for r in listed(t.url))
    assert ("followup_overdue", "A") not in open_now and len(open_now) == 4
    resolved = store.load(999).set_index(["kind", "item_key"])
    assert resolved.loc[("followup_overdue", "A"), "resolved_on"] == "2024-04-30"
    assert resolved["resolved_on"].notna().sum() == 1
