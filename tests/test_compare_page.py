"""The Sammenligning page through AppTest on the demo data: Demokommune's synthetic peers (as
aggregates, labelled), the leader's view, and Danmarks Statistik's figures once fetched (labelled
public figures, Hele landet beside the peers)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import shown_table
from streamlit.testing.v1 import AppTest
from test_fetch_public import NOW, args, recorded

from cockpit import db
from cockpit.compare import public, report, synthetic, view
from cockpit.periods import Scope
from cockpit.present import fmt

APP = str(Path(db.ROOT) / "cockpit" / "app.py")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    from sample_data.generate import generate

    url = f"duckdb:///{tmp_path_factory.mktemp('compare') / 'demo.duckdb'}"
    generate("demo", url, progress=lambda _message: None)
    db.release(url)
    return url


def open_page(role: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["role"] = role
    at.run()
    return at.switch_page("../pages/sammenligning.py").run()


def table(at: AppTest, column: str):
    found = [shown_table(d) for d in at.dataframe if column in d.value.columns]
    assert found, column
    return found[0]


def test_demo_peers_are_synthetic_aggregates(demo_db):
    c = report.build(Scope(999, 2026, date(2026, 10, 31)), demo_db)
    assert len(c.values) == 99  # Demokommune and the 98 synthetic comparison municipalities
    assert {c.sources[p] for p in c.peers} == {synthetic.SOURCE}
    assert c.peer_group["name"].tolist()[:3] == ["Køge", "Hjørring", "Faaborg-Midtfyn"]


def test_page_as_leader_and_with_public_figures(demo_db, monkeypatch):
    monkeypatch.setenv("COCKPIT_DATABASE_URL", demo_db)
    at = open_page("leder")
    assert not at.exception
    assert [t.value for t in at.title] == ["Sammenligning"]
    peers = table(at, "Tallene er")
    assert peers["Kommune"].tolist()[0] == "Køge (259)"
    assert set(peers["Tallene er"]) == {"Syntetiske sammenligningstal"}
    assert any("Ingen offentlige tal hentet endnu" in c.value for c in at.caption)

    assert public.main(args(), get=recorded, now=lambda: NOW) == 0
    at = open_page("politiker")
    assert not at.exception
    figures = table(at, "Kr. pr. indbygger")
    shown = dict(zip(figures["Kommune"], figures["Kr. pr. indbygger"], strict=True))
    assert shown["Køge"] == "158 kr."  # REGK31 5.38.45, 2023, from the recorded answer
    assert shown["Hele landet"] == "175 kr."
    assert shown["Demokommune"] == "–"  # not a real municipality: no public figure
    notes = " ".join(c.value for c in at.caption)
    assert "Offentlige tal fra Danmarks Statistik (REGK31)" in notes
    assert "Hentet 1. december 2026" in notes
    # The map can now be coloured by the public figures: all 98 municipalities have a value.
    at.selectbox(key="_kort_maal").select(view.PUBLIC_KEY).run()
    assert not at.exception
    on_map = table(at, view.PUBLIC_MAP_LABEL)
    assert len(on_map) == 98 and fmt.DASH not in set(on_map[view.PUBLIC_MAP_LABEL])
    by_name = dict(zip(on_map["Kommune"], on_map[view.PUBLIC_MAP_LABEL], strict=True))
    assert by_name["København"] == "363 kr."


def test_a_municipality_outside_the_98_gets_a_message(tmp_path, monkeypatch):
    from conftest import TinyDb, as_role

    tiny = TinyDb(f"duckdb:///{tmp_path / 'tiny.duckdb'}")
    tiny.add("municipality", {"municipality_code": 5, "name": "Udenfor", "region": "X"})
    tiny.add(
        "expense",
        {
            "municipality_code": 5,
            "expense_id": "E1",
            "posting_date": date(2025, 3, 31),
            "amount_dkk": 1000,
            "account_function": "5.38.50",
            "offer_type_code": "SEL85",
        },
    )
    monkeypatch.setenv("COCKPIT_DATABASE_URL", tiny.url)
    at = as_role(AppTest.from_file(APP, default_timeout=120), "direktoer")  # a hand-built database
    at.query_params["kommune"] = "5"
    at.run()
    at.switch_page("../pages/sammenligning.py").run()
    assert not at.exception
    assert "Kommunen er ikke en af de 98 kommuner, så den har ingen sammenligningskommuner." in [
        w.value for w in at.warning
    ]
    assert not at.dataframe  # nothing else is shown
