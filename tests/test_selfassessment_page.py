"""The Styringsoverblik page through AppTest on a tiny town: 20 external grants (private offer P, all
active on 31 December 2024), 17 of them with a valid contract: contract coverage 17/20 = 85,0 %.
A leader answers and saves; the answers are read back after the state store is closed (a restart);
the evidence beside "Ja" to contracts for all citizens flags the contradiction (85 % < 95 %); a
politician sees the scores only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import as_role, shown_table
from streamlit.testing.v1 import AppTest

from cockpit import db, state
from cockpit.auth import Principal
from cockpit.selfassessment import store

APP = str(Path(db.ROOT) / "cockpit" / "app.py")
SCOPE_QUERY = {"kommune": "999", "aar": "2024", "dato": "2024-12-31"}
START = date(2022, 1, 1)


@pytest.fixture
def town_db(tmp_path, monkeypatch):
    from conftest import TinyDb

    t = TinyDb(f"duckdb:///{tmp_path / 'town.duckdb'}")
    t.add(
        "offer",
        {"offer_id": "P", "name": "Privat", "owner_type": "private", "offer_type_code": "SEL108"},
    )
    grants = [f"G{i:02d}" for i in range(1, 21)]
    t.add(
        "grant",
        *(
            {
                "grant_id": g,
                "citizen_id": f"C{g}",
                "offer_type_code": "SEL108",
                "offer_id": "P",
                "start_date": START,
                "end_date": None,
                "monthly_price": 40_000.0,
            }
            for g in grants
        ),
    )
    t.add(
        "contract",
        *(
            {
                "contract_id": f"K{g}",
                "grant_id": g,
                "template": "kl_standard",
                "valid_from": START,
                "valid_to": None,
                "monthly_price": 40_000.0,
                "has_goals_annex": True,
                "renegotiate_by": None,
            }
            for g in grants[:17]
        ),
    )
    t.add(
        "expense",
        {
            "expense_id": "E1",
            "posting_date": date(2024, 12, 31),
            "amount_dkk": 40_000.0,
            "account_function": "5.38.50",
            "offer_type_code": "SEL108",
            "grant_id": "G01",
        },
    )
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    return t


def open_page(role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    as_role(at, role)  # a user with the role (demo mode serves only all-synthetic data)
    for k, v in SCOPE_QUERY.items():
        at.query_params[k] = v
    at.run()
    return at.switch_page("../pages/styringsoverblik.py").run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_leader_answers_saves_and_the_answers_survive_a_restart(town_db):
    at = open_page("leder")
    assert not at.exception
    assert [t.value for t in at.title] == ["Styringsoverblik"]
    assert any("ikke besvaret for 2024" in i.value for i in at.info)
    at.radio(key="_sa_999_2024_K01").set_value("Ja")
    at.radio(key="_sa_999_2024_K03").set_value("Nej")
    at.radio(key="_sa_999_2024_K05").set_value("Ikke relevant")
    next(b for b in at.button if b.label == "Gem besvarelse").click().run()
    assert not at.exception
    assert "2 svar gemt for 2024." not in [s.value for s in at.success]
    assert "3 svar gemt for 2024." in [s.value for s in at.success]

    state.release()  # the cockpit restarts: the state store file is reopened
    at = open_page("leder")
    assert not at.exception
    shown = metrics(at)
    # Kontrakter og forhandling: Ja 100, Nej 0, Ikke relevant left out: 50; below 60 (▼).
    assert shown["Kontrakter og forhandling"] == "50 ▼"
    assert shown["Velfærdsteknologi"] == "–"
    assert shown["Samlet"] == "50"
    assert at.radio(key="_sa_999_2024_K01").value == "Ja"
    captions = [c.value for c in at.caption]
    assert (
        "Svar: Ja, kontrakter for alle borgere — data: 85,0 % af eksterne bevillinger har gyldig kontrakt"
        in [c.replace("\\", "") for c in captions]
    )
    assert any(
        e.value.startswith(
            "Modstrid: Ja passer ikke med data, når kontraktdækning, eksterne køb er under 95,0 %"
        )
        for e in at.error
    )
    # Next steps of the weak theme: the Nej answer's step, and the link to Kontrakter.
    assert any("Udpeg en kontraktforhandler" in m.value for m in at.markdown)
    saved = store.answers(Principal("lene", "leder"), 999, 2024)
    assert saved["K03"].author == saved["K01"].author and saved["K01"].role == "leder"


def test_politician_sees_the_scores_and_the_years_only(town_db):
    store.save(Principal("dorte", "direktoer"), 999, 2023, {"K01": "Nej"})
    store.save(Principal("dorte", "direktoer"), 999, 2024, {"K01": "Ja", "K02": "Delvist"})
    at = open_page("politiker")
    assert not at.exception
    assert metrics(at)["Kontrakter og forhandling"] == "75"
    assert not at.radio and not [b for b in at.button if b.label == "Gem besvarelse"]
    assert not [c for c in at.caption if c.value.startswith("Svar:")]
    table = next(shown_table(d) for d in at.dataframe if "Tema" in d.value.columns)
    table = table.set_index("Tema")
    assert table.loc["Kontrakter og forhandling", "2023"] == "0,0"
    assert table.loc["Kontrakter og forhandling", "2024"] == "75,0"
    assert table.loc["Kontrakter og forhandling", "Ændring 2023-2024"] == "75,0"
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Hent som Excel" in labels
