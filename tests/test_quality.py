"""Datagrundlag: hand-built gaps → the checks and their Danish advice, and the page as users see it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cockpit import metrics
from cockpit.periods import Scope
from cockpit.views import quality

SCOPE = Scope(999, 2024, date(2024, 3, 31))


def grant(gid, cit, price, offer=None, followup=None):
    return {
        "grant_id": gid,
        "citizen_id": cit,
        "offer_type_code": "SEL85",
        "start_date": date(2023, 1, 1),
        "end_date": None,
        "monthly_price": price,
        "offer_id": offer,
        "next_followup_date": followup,
    }


def expense(eid, amount, grant_id=None, citizen_id=None, offer_id=None):
    return {
        "expense_id": eid,
        "posting_date": date(2024, 2, 29),
        "amount_dkk": amount,
        "account_function": "5.38.38",
        "offer_type_code": "SEL85",
        "grant_id": grant_id,
        "citizen_id": citizen_id,
        "offer_id": offer_id,
    }


@pytest.fixture
def gaps(tiny):
    tiny.add(
        "offer",
        {"offer_id": "O1", "name": "Bostøtten", "owner_type": "own", "offer_type_code": "SEL85"},
    )
    tiny.add(
        "grant",
        grant("G1", "C1", 1000, "O1", date(2024, 6, 1)),
        grant("G2", "C2", 0, "O1", date(2024, 6, 1)),  # no price
        grant("G3", "C3", 1000, None, None),  # no offer, no follow-up date
        grant("G4", "C4", 1000, "UNKNOWN", date(2024, 6, 1)),  # offer not in the offer table
    )
    tiny.add(
        "expense",
        expense("E1", 600, "G1", "C1", "O1"),
        expense("E2", 300, "G3", None, None),  # grant but no citizen
        expense("E3", 100),  # overhead
    )
    tiny.add(
        "assessment",
        {"citizen_id": "C1", "theme": "egenomsorg", "assessed_on": date(2023, 6, 1), "level": 2},
        {"citizen_id": "C1", "theme": "mobilitet", "assessed_on": date(2023, 6, 1), "level": 2},
        {"citizen_id": "C2", "theme": "egenomsorg", "assessed_on": date(2023, 3, 1), "level": 2},
    )
    return tiny


def frames(t):
    c = metrics.computation(SCOPE, t.url)
    return c.frame("quality_links"), c.frame("quality_grants"), c.frame("quality_assessments")


def test_checks_name_the_gaps(gaps):
    found = {c.label: c for c in quality.checks(*frames(gaps), suppress=False)}
    linked = found["Udgifter knyttet til både bevilling og borger"]
    assert (linked.shown, linked.ok) == ("60,0 %", False)  # 600 of 1 000
    assert "økonomisystemet" in linked.advice
    assert found["Udgifter knyttet til et tilbud"].shown == "60,0 %"
    assert (
        found["Aktive bevillinger uden pris"].shown,
        found["Aktive bevillinger uden pris"].ok,
    ) == (
        "1",
        False,
    )
    assert found["Aktive bevillinger uden kendt tilbud"].shown == "2"
    assert found["Aktive bevillinger uden planlagt opfølgning"].shown == "1"
    # C1 assessed within the year (twice), C2 only before 1 April 2023: 1 of 4 citizens.
    assessed = found["Borgere med aktiv indsats vurderet det seneste år"]
    assert (assessed.shown, assessed.ok) == ("25,0 %", False)
    assert found["Vurderinger pr. borger med aktiv indsats, seneste år"].shown == "0,5"


def test_small_counts_are_suppressed_for_roles_without_citizen_access(gaps):
    found = {c.label: c.shown for c in quality.checks(*frames(gaps), suppress=True)}
    assert found["Aktive bevillinger uden pris"] == "<5"
    assert found["Aktive bevillinger uden kendt tilbud"] == "<5"


def test_no_data_is_not_judged(tiny):
    found = quality.checks(*frames(tiny), suppress=False)
    assert all(c.ok is None for c in found)
    assert {c.shown for c in found} <= {"–", "0"}


def test_table_overview_in_danish(gaps):
    gaps.add(
        "data_load",
        {
            "table_name": "expense",
            "loaded_at": datetime(2024, 4, 2, 8, 30),
            "data_date": date(2024, 3, 31),
            "source": "Import",
            "row_count": 1234,
        },
    )
    c = metrics.computation(SCOPE, gaps.url)
    table = quality.table_overview(c.frame("data_load_status"))
    assert table.to_dict("records") == [
        {
            "Tabel": "Udgifter",
            "Data til og med": "31. marts 2024",
            "Indlæst": "02.04.2024 08:30",
            "Kilde": "Import",
            "Rækker": "1.234",
        }
    ]


def test_datagrundlag_page_as_a_director(gaps, monkeypatch):
    from conftest import as_role
    from streamlit.testing.v1 import AppTest

    from cockpit import db

    monkeypatch.setenv("COCKPIT_DATABASE_URL", gaps.url)
    at = AppTest.from_file(str(db.ROOT / "cockpit" / "app.py"), default_timeout=60)
    as_role(at, "direktoer")
    at.query_params["aar"] = "2024"
    at.run()
    at.switch_page(str(db.ROOT / "pages" / "datagrundlag.py")).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Datagrundlag"]
    text = " ".join(m.value for m in at.markdown)
    assert "**Udgifter knyttet til både bevilling og borger**" in text
    assert "60,0 %" in text and "Mangler" in text
    assert "<5" in text  # a director sees no counts of 1-4 grants
    captions = " ".join(c.value for c in at.caption)
    assert "Sådan rettes det i kildesystemet: Registrér bevillingens id" in captions
