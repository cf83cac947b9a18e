"""The Hvad nu hvis page through AppTest on the tiny town of test_scenario (see its docstring for
the rows and the hand computation): what a director and a politician see, saving a scenario,
reopening it from ?scenarie=ID, a bad ID falling back, and the accuracy component on Økonomi."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import as_role, shown_table
from streamlit.testing.v1 import AppTest
from test_scenario import BASE_2025, DIREKTOER, SCOPE, build_town

from cockpit import db
from cockpit.present import fmt
from cockpit.scenario import store
from cockpit.scenario.levers import Levers, Move

APP = str(Path(db.ROOT) / "cockpit" / "app.py")
SCOPE_QUERY = {"kommune": "999", "aar": "2024", "dato": "2024-12-31"}


@pytest.fixture
def town_db(tmp_path, monkeypatch):
    from conftest import TinyDb

    t = build_town(TinyDb(f"duckdb:///{tmp_path / 'town.duckdb'}"))
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    return t


def open_page(page: str, role: str = "direktoer", query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    as_role(at, role)  # a user with the role (demo mode serves only all-synthetic data)
    for k, v in SCOPE_QUERY.items():  # the frame's scope picker reads them on the first run
        at.query_params[k] = v
    at.run()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.switch_page(f"../pages/{page}.py").run()


def years_table(at: AppTest) -> pd.DataFrame:
    found = [shown_table(d) for d in at.dataframe if "Scenarie minus budget" in d.value.columns]
    assert found
    return found[0].set_index("År")


def test_director_sees_the_years_and_saves_a_scenario(town_db):
    at = open_page("scenarie")
    assert not at.exception
    assert [t.value for t in at.title] == ["Hvad nu hvis"]
    table = years_table(at)
    assert list(table.index) == ["2024", "2025", "2026", "2027"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Hent som Excel") == 1  # the years (the accuracy rests on 1 citizen)
    assert any("færre end 5 borgere og indgår ikke" in i.value for i in at.info)
    assert table.loc["2024", "Basis"] == "1.036.600 kr."
    assert table.loc["2025", "Basis"] == fmt.money(BASE_2025)
    assert table.loc["2025", "Forskel"] == "0 kr."
    assert table.loc["2025", "Budget"] == "1.100.000 kr."
    assert table.loc["2026", "Budgettet er"] == "Videreført fra 2024"
    at.number_input(key="_signals_ny").set_value(2).run()
    table = years_table(at)
    # Two citizens' grants: a director sees that the lever is hidden, not their prices.
    assert table.loc["2025", "Forskel"] == "–"
    assert table.loc["2025", "Basis"] == fmt.money(BASE_2025)
    assert any("færre end 5 borgere" in i.value for i in at.info)
    assert "- Handl på de 2 dyreste tilpasningssignaler" in [m.value for m in at.markdown]
    at.text_input[0].input("To signaler")
    next(b for b in at.button if b.label == "Gem scenarie").click().run()
    assert not at.exception
    saved = store.listed(DIREKTOER, 999)
    assert [s.name for s in saved] == ["To signaler"] and saved[0].levers.signals == 2
    assert at.query_params["scenarie"] == saved[0].scenario_id
    assert "Scenarie: To signaler" in [s.value for s in at.subheader]
    assert [b for b in at.button if b.label == "Slet scenariet"]  # the author may delete


def test_leader_sees_the_signal_lever(town_db):
    at = open_page("scenarie", "leder")
    at.number_input(key="_signals_ny").set_value(2).run()
    assert years_table(at).loc["2025", "Forskel"] == "-600.000 kr."  # (30.000 + 20.000) x 12


def test_politician_opens_a_saved_scenario_from_its_url(town_db):
    levers = Levers(moves=(Move("SEL108", "SEL85", 2),))
    sid = store.save(DIREKTOER, SCOPE, "To til bostøtte", levers)
    at = open_page("scenarie", "politiker", {"scenarie": sid})
    assert not at.exception
    assert "Scenarie: To til bostøtte" in [s.value for s in at.subheader]
    assert not at.number_input  # politicians do not make scenarios
    assert years_table(at).loc["2025", "Forskel"] == "-1.272.000 kr."
    assert not [b for b in at.button if b.label == "Slet scenariet"]  # not the author


def test_a_bad_scenario_id_falls_back_to_the_baseline(town_db):
    at = open_page("scenarie", query={"scenarie": "findes-ikke"})
    assert not at.exception
    assert any("Scenariet i linket findes ikke" in i.value for i in at.info)
    assert years_table(at).loc["2025", "Forskel"] == "0 kr."


def test_accuracy_component_on_oekonomi(town_db):
    at = open_page("oekonomi", "leder")
    assert not at.exception
    assert "Prognosens træfsikkerhed" in [s.value for s in at.subheader]
    # 2024 is closed (d = 31.12.2024). At the end of November: spend 1.036.600 + December of the
    # grants active then (365.000 a month) 365.000 x 12 / 366 x 31 + the spend without a grant
    # 36.600 / 335 x 31 = 1.410.970; against the accounts, 1.036.600: 36,1 % off.
    forecast = 1_036_600 + 365_000 * 12 / 366 * 31 + 36_600 / 335 * 31
    assert round(abs(forecast - 1_036_600) / 1_036_600 * 100, 1) == 36.1
    assert (
        "Prognosen ved udgangen af november ramte regnskabet inden for ±36,1 % i gennemsnit "
        "(1 afsluttet år)." in [m.value for m in at.markdown]
    )
    assert any("registreringsdatoer" in c.value for c in at.caption)


def test_an_unreachable_state_store_leaves_the_projection_working(town_db, monkeypatch):
    from cockpit import state

    state.release()
    monkeypatch.setenv(
        "COCKPIT_STATE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/cockpit_no_such_db"
    )
    at = open_page("scenarie", query={"scenarie": "0123456789ab"})
    assert not at.exception
    assert any("kan ikke åbnes eller skrives" in w.value for w in at.warning)
    assert years_table(at).loc["2025", "Basis"] == fmt.money(BASE_2025)
