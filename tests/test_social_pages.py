"""The social manager's pages through Streamlit's AppTest, on one hand-built database: the values a
social manager sees (labels and Danish-formatted numbers), the offer and citizen pages chosen by
URL (?tilbud=, ?borger=), friendly messages for unknown or invalid ids, the audit log written for
citizen views, and no citizen rows for roles without citizen access.

Reference date 31 March 2024 (the latest posting). Cases:
- OWN (own offer, 4 places): C1 (SEL108, 10 000 kr./md., follow-up 10 days overdue), C2 (SEL108,
  90 000 kr./md., achieved a development goal 1 June 2023, never adjusted), C3 (SEL104, 5 000).
- EXT (private): C4 (SEL108, 100 000, contract to renegotiate in 30 days; also SEL104 90 000
  without offer: over 2 mio. kr. a year), C5 (SEL108, 20 000, no contract). C6: SEL107 without offer, 70 000 (the typical price one step below SEL108).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from apptest import open_page
from rows import add_achieved_goal, contract, decision, offer
from streamlit.testing.v1 import AppTest

from cockpit import audit, navigation
from cockpit.access import gateway
from cockpit.auth import Principal
from cockpit.metrics import compute as compute_kpis
from cockpit.periods import Scope

D = date(2024, 3, 31)


def days(n: int) -> date:
    return D + timedelta(days=n)


def grant(gid, cit, offer_type, price, offer_id=None, end=None, **kw):
    return {
        "grant_id": gid,
        "citizen_id": cit,
        "offer_type_code": offer_type,
        "offer_id": offer_id,
        "start_date": date(2023, 1, 1),
        "end_date": end,
        "monthly_price": float(price),
        "next_followup_date": kw.get("followup"),
    }


@pytest.fixture
def social_db(tmp_path, monkeypatch):
    from conftest import TinyDb

    t = TinyDb(f"duckdb:///{tmp_path / 'social.duckdb'}")
    t.add(
        "offer",
        offer("OWN", "own", places=4, name="Bofællesskabet Engely"),
        offer("EXT", "private", places=30, name="Privat bosted"),
    )
    t.add(
        "citizen",
        *(
            {"citizen_id": f"C{i}", "birth_year": 1980 + i, "target_group": "handicap"}
            for i in range(1, 7)
        ),
    )
    t.add(
        "grant",
        grant("A", "C1", "SEL108", 10000, "OWN", followup=days(-10)),
        grant("B", "C2", "SEL108", 90000, "OWN"),
        grant("C", "C3", "SEL104", 5000, "OWN"),
        grant("D", "C4", "SEL108", 100000, "EXT"),
        grant("E", "C5", "SEL108", 20000, "EXT"),
        grant("F", "C7", "SEL108", 1e6, "OWN", end=days(-1)),
        grant("G", "C6", "SEL107", 70000),
        grant("H", "C4", "SEL104", 90000),  # C4: 190 000 kr./md., over 2 mio. kr. a year
    )
    t.add(
        "contract",
        contract("K", "D", date(2023, 1, 1), None, True, date(2024, 4, 30), monthly_price=100000.0),
    )

    t.add(
        "decision",
        decision(
            "D1", "new", "granted", date(2024, 1, 1), date(2024, 1, 31), "SEL108", "committee"
        ),
        decision(
            "D2", "new", "rejected", date(2024, 2, 1), date(2024, 2, 11), by="leader", cit="C2"
        ),
        decision(
            "D3",
            "change",
            "changed",
            date(2024, 2, 1),
            date(2024, 2, 15),
            "SEL108",
            "committee",
            "C4",
        ),
    )
    add_achieved_goal(t)

    def expense(eid, posted, amount, offer_id=None, grant_id=None, cit=None):
        return {
            "expense_id": eid,
            "posting_date": posted,
            "amount_dkk": float(amount),
            "account_function": "5.38.50",
            "offer_type_code": "SEL108",
            "offer_id": offer_id,
            "grant_id": grant_id,
            "citizen_id": cit,
        }

    t.add(
        "expense",
        expense("E0", date(2023, 6, 30), 500),
        expense("E1", date(2024, 1, 31), 1000, "OWN", "A", "C1"),
        expense("E2", D, 2000, "OWN", "B", "C2"),
        expense("E3", date(2024, 2, 29), 5000, "EXT", "D", "C4"),
    )
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    monkeypatch.setenv("COCKPIT_AUDIT_URL", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    return t


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def flags(at: AppTest) -> list[str]:
    """The signal boxes of the citizen page (not the demo-mode notice)."""
    return [w for w in texts(at.warning) if w.startswith("**") and "Demotilstand" not in w]


def frame(at: AppTest, i: int) -> pd.DataFrame:
    return at.dataframe[i].value


def test_visitation_page(social_db):
    at = open_page("visitation")
    assert not at.exception
    assert texts(at.title) == ["Visitation og opfølgning"]
    shown = metrics(at)
    assert shown["Afgørelser år til dato"] == "3"
    assert shown["Bevillingsprocent, nye ansøgninger"] == "50,0 %"  # D1 granted, D2 rejected
    assert shown["Boligafgørelser truffet i visitationsudvalg"] == "100,0 %"  # D1 and D3
    assert shown["Sagsbehandlingstid, median"] == "20 dage"  # 30 and 10 days
    assert shown["Opfølgninger over tid"] == "1"
    assert shown["Sager fulgt op inden for 2 år"] == "–"  # no grant is two years old
    assert shown["Borgere med aktiv bevilling"] == "6"
    # The monthly chart's table comes first (its alternative), then the tables by group.
    months = frame(at, 0)
    assert months.iloc[0].to_dict()["Måned"] == "Januar 2024"
    by_kind = frame(at, 1)
    assert by_kind.iloc[0].to_dict() == {
        "Art": "Ny ansøgning",
        "Afgørelser": "2",
        "Borgere": "2",
        "Bevillingsprocent, nye": "50,0 %",
        "Boligafgørelser i udvalg": "100,0 %",
        "Sagsbehandlingstid, median": "20 dage",
    }
    overdue = frame(at, 5)
    assert list(overdue["Borger"]) == ["C1"]
    assert list(overdue["Dage over tid"]) == ["10"]
    assert list(overdue["Tilbud"]) == ["Bofællesskabet Engely"]
    assert "**Bevillinger med opfølgning over tid (1)**" in texts(at.markdown)


def test_progression_page_shows_what_is_in_play(social_db):
    at = open_page("progression")
    assert not at.exception
    shown = metrics(at)
    assert shown["Fremgang i funktionsniveau"] == "100,0 %"  # C2 mobilitet 3 → 1
    assert shown["Tilpasningssignaler"] == "1"
    assert shown["Månedspris for bevillingerne"] == "90.000 kr."
    assert shown["Vejledende forskel pr. måned"] == "20.000 kr."
    signals = frame(at, 0)
    assert signals.iloc[0][
        ["Borger", "Indsats", "Månedspris", "Mål nået den", "Næste trin ned"]
    ].tolist() == [
        "C2",
        "Længerevarende botilbud",
        "90.000 kr.",
        "01.06.2023",
        "Midlertidigt botilbud",
    ]
    assert signals.iloc[0]["Typisk månedspris der"] == "70.000 kr."
    assert [b.proto.label for b in at.get("download_button")] == ["Hent listen i Excel"]
    scope = Scope(999, 2024, D)
    assert (
        len(signals)
        == compute_kpis(["adjustment_signals"], scope, social_db.url)["adjustment_signals"]
    )
    by_theme = frame(at, 1)
    assert by_theme.iloc[0][["Tema", "Vurderede temaer", "Fremgang", "Mål med frist"]].tolist() == [
        "Mobilitet",
        "1",
        "100,0 %",
        "0",
    ]


def test_contracts_page(social_db):
    at = open_page("kontrakter")
    assert not at.exception
    shown = metrics(at)
    assert shown["Kontraktdækning, eksterne køb"] == "50,0 %"
    assert shown["Kontraktdækning vægtet med pris"] == "83,3 %"  # 100 000 of 120 000
    assert shown["Kontrakter med mål og progression"] == "100,0 %"
    assert shown["Kontrakter til genforhandling inden 90 dage"] == "1"
    headers = texts(at.subheader)
    assert "Eksterne bevillinger uden gyldig kontrakt (1)" in headers
    assert "Kontrakter til genforhandling inden 90 dage (1)" in headers
    missing = frame(at, 3)
    assert missing.iloc[0][["Borger", "Status", "Månedspris"]].tolist() == [
        "C5",
        "Ingen kontrakt",
        "20.000 kr.",
    ]
    due = frame(at, 4)
    assert due.iloc[0][["Borger", "Frist", "Mål i kontrakten"]].tolist() == [
        "C4",
        "om 30 dage",
        "Ja",
    ]


def test_offer_page(social_db):
    at = open_page("tilbud", {"tilbud": "OWN"})
    assert not at.exception
    assert texts(at.title) == ["Bofællesskabet Engely"]
    shown = metrics(at)
    assert shown["Borgere med aktiv bevilling her"] == "3"
    assert shown["Belægning, borgere af pladser"] == "3 af 4"
    assert shown["Månedspris i alt"] == "105.000 kr."
    assert shown["Forbrug år til dato"] == "3.000 kr."
    assert shown["Median månedspris her"] == "50.000 kr."  # SEL108 here: 10 000 and 90 000
    assert shown["Median for typen i kommunen"] == "55.000 kr."  # 10, 20, 90, 100 thousand
    assert shown["Kontraktdækning"] == "–"  # own offer
    delta = next(m for m in at.metric if m.label == "Median månedspris her").proto.delta
    assert delta == "-9 % ift. typens median"
    placed = frame(at, 1)
    assert list(placed["Borger"]) == ["C2", "C1", "C3"]
    assert list(placed["Gyldig kontrakt"]) == ["Eget tilbud"] * 3
    assert query_param(at, "tilbud") == "OWN"


def query_param(at: AppTest, name: str) -> str | None:
    return at.query_params.get(name)


def test_offer_picker_and_unknown_offer(social_db):
    at = open_page("tilbud")
    assert not at.exception
    assert texts(at.title) == ["Tilbud"]
    assert list(frame(at, 0)["Tilbud"]) == ["Bofællesskabet Engely", "Privat bosted"]
    at = open_page("tilbud", {"tilbud": "NOPE"})
    assert not at.exception
    assert "Tilbuddet »NOPE« findes ikke i kommunens data. Vælg et tilbud nedenfor." in texts(
        at.warning
    )
    assert len(at.dataframe) == 1  # the picker
    at = open_page("tilbud", {"tilbud": "x' or 1=1 --"})
    assert not at.exception
    assert "Adressen peger på et ugyldigt tilbud. Vælg et tilbud nedenfor." in texts(at.warning)


def test_citizen_page(social_db):
    at = open_page("borger", {"borger": "C2"})
    assert not at.exception
    assert texts(at.title) == ["Borger C2"]
    shown = metrics(at)
    assert shown["Aktive bevillinger"] == "1"
    assert shown["Månedspris i alt"] == "90.000 kr."
    assert shown["Årlig udgift"] == "1.080.000 kr."
    assert shown["Forbrug år til dato"] == "2.000 kr."
    assert flags(at) == [
        "**Tilpasningssignal:** udviklingsmål nået 01.06.2023 (Mobilitet), men Længerevarende "
        "botilbud til 90.000 kr./md. er ikke tilpasset siden. Næste trin ned: Midlertidigt "
        "botilbud · typisk 70.000 kr./md."
    ]
    grants = frame(at, 0)
    assert grants.iloc[0][["Indsats", "Trin", "Tilbud", "Månedspris"]].tolist() == [
        "Længerevarende botilbud",
        "5",
        "Bofællesskabet Engely",
        "90.000 kr.",
    ]
    goals = frame(at, 1)
    assert goals.iloc[0][["Tema", "Mål", "Status"]].tolist() == ["Mobilitet", "Udvikle", "Nået"]
    # The view was written to the audit log with the citizen's pseudonym and the page.
    logged = audit.search(citizen="C2")
    assert set(logged["page"]) == {"borger"}
    assert "detail_citizen_grants" in set(logged["source"])


def test_citizen_with_other_signals(social_db):
    at = open_page("borger", {"borger": "C1"})
    assert flags(at) == [
        "**Opfølgning over tid:** Længerevarende botilbud skulle være fulgt op 21.03.2024 "
        "(10 dage siden)."
    ]
    at = open_page("borger", {"borger": "C5"})
    assert flags(at) == [
        "**Ingen gyldig kontrakt:** Længerevarende botilbud på Privat bosted (ingen kontrakt)."
    ]


def test_citizen_picker_and_unknown_citizen(social_db):
    at = open_page("borger")
    assert not at.exception
    picker = frame(at, 0)
    assert list(picker["Borger"])[:2] == ["C4", "C2"]  # dearest first
    assert "C7" not in set(picker["Borger"])  # no active grant
    assert picker.iloc[0]["Årlig udgift"] == "2.280.000 kr."
    assert "Eller klik på en borger i tabellen: 6 borgere" in texts(at.caption)[-1]
    at.toggle[0].set_value(True).run()
    assert at.toggle[0].label == "Borgere med årlig udgift over 2 mio. kr."
    assert list(frame(at, 0)["Borger"]) == ["C4"]
    scope = Scope(999, 2024, D)
    assert compute_kpis(["expensive_citizens"], scope, social_db.url)["expensive_citizens"] == 1
    at = open_page("borger", {"borger": "C404"})
    assert not at.exception
    assert "Borgeren »C404« findes ikke i kommunens data. Vælg en borger nedenfor." in texts(
        at.warning
    )
    at = open_page("borger", {"borger": "<b>x</b>"})
    assert "Adressen peger på en ugyldig borger. Vælg en borger nedenfor." in texts(at.warning)


@pytest.mark.parametrize("role", ["politiker", "direktoer", "admin"])
def test_only_the_social_manager_gets_these_pages(role):
    pages = {p.url_path for p in navigation.pages_for(role)}
    assert not pages & {"visitation", "progression", "kontrakter", "tilbud", "borger"}


@pytest.mark.parametrize("role", ["politiker", "direktoer", "admin"])
def test_citizen_lists_are_refused_for_other_roles(social_db, role):
    scope = Scope(999, 2024, D)
    with pytest.raises(gateway.AccessDenied):
        gateway.open_for(Principal("x", role), social_db.url, page="x").citizen_rows(
            "list_adjustment_signals", scope
        )
