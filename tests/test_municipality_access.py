"""Authorisation per municipality (issue 11 point 6): a principal carries the municipalities it may
see; citizen rows and unsuppressed figures come only for those, enforced in the gateway, and the
scope picker lists only them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cockpit import auth, db
from cockpit.access import gateway
from cockpit.auth import Principal
from cockpit.periods import Scope

APP = str(Path(db.ROOT) / "cockpit" / "app.py")
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "cockpit",
    "client_secret": "s",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}
D = date(2024, 3, 31)


# ---------------------------------------------------------------- claims


def test_no_claim_and_no_mapping_means_every_municipality():
    assert auth.municipalities_from_claims({"kommuner": ["999"]}, {"auth": AUTH}) is None
    assert Principal("demo", "leder").may_see(573)


def test_municipality_claim_as_list_or_string():
    secrets = {"cockpit": {"municipality_claim": "kommuner"}}
    assert auth.municipalities_from_claims({"kommuner": ["999", 573]}, secrets) == {999, 573}
    assert auth.municipalities_from_claims({"kommuner": "999, 101"}, secrets) == {999, 101}
    # No claim, or values that are no municipality code: nothing (not everything).
    assert auth.municipalities_from_claims({}, secrets) == frozenset()
    assert auth.municipalities_from_claims({"kommuner": "alle"}, secrets) == frozenset()


def test_mapping_by_user_or_group():
    secrets = {
        "cockpit": {
            "user_claim": "email",
            "municipalities": {"lene@kommune.dk": [999], "Cockpit.Aarhus": ["751", "999"]},
        }
    }
    lene = {"email": "lene@kommune.dk", "roles": ["leder"]}
    per = {"email": "per@kommune.dk", "roles": ["leder", "Cockpit.Aarhus"]}
    ole = {"email": "ole@kommune.dk", "roles": ["leder"]}
    assert auth.municipalities_from_claims(lene, secrets) == {999}
    assert auth.municipalities_from_claims(per, secrets) == {751, 999}
    assert auth.municipalities_from_claims(ole, secrets) == frozenset()


# ---------------------------------------------------------------- gateway


@pytest.fixture
def two(tiny):
    """Two municipalities, 999 and 573, each with three citizens on one offer type."""
    tiny.add("municipality", {"municipality_code": 573, "name": "Varde", "region": "X"})
    for code in (999, 573):
        tiny.add(
            "citizen",
            *(
                {
                    "citizen_id": f"K{code}-{i}",
                    "birth_year": 1980,
                    "target_group": "handicap",
                    "municipality_code": code,
                }
                for i in range(3)
            ),
        )
        tiny.add(
            "grant",
            *(
                {
                    "grant_id": f"G{code}-{i}",
                    "citizen_id": f"K{code}-{i}",
                    "offer_type_code": "SEL108",
                    "start_date": date(2023, 1, 1),
                    "monthly_price": 1000.0,
                    "municipality_code": code,
                }
                for i in range(3)
            ),
        )
    return tiny


LEDER_999 = Principal("lene@kommune.dk", "leder", municipalities=frozenset({999}))


EVERY = {"citizen_id": "", "top": 1000}  # list_citizens: every citizen, as the picker asks


def test_leder_limited_to_999_is_refused_573s_citizens(two):
    gw = gateway.open_for(LEDER_999, two.url, page="borger")
    with pytest.raises(gateway.AccessDenied, match="kommune 573"):
        gw.citizen_rows("list_citizens", Scope(573, 2024, D), **EVERY)
    own = gw.citizen_rows("list_citizens", Scope(999, 2024, D), **EVERY)
    assert sorted(own["citizen_id"]) == ["K999-0", "K999-1", "K999-2"]
    # An unrestricted leder sees 573's citizens.
    everyone = gateway.open_for(Principal("x", "leder"), two.url)
    assert len(everyone.citizen_rows("list_citizens", Scope(573, 2024, D), **EVERY)) == 3


def test_other_municipalities_figures_are_suppressed_as_for_a_direktoer(two):
    gw = gateway.open_for(LEDER_999, two.url)
    assert gw.suppresses(Scope(573, 2024, D)) and not gw.suppresses(Scope(999, 2024, D))
    keys = ["citizens_active"]
    # Three citizens: shown in the leder's own municipality, hidden ("<5") in 573, as for a
    # direktør there.
    direktoer = gateway.open_for(Principal("d", "direktoer"), two.url)
    theirs = gw.kpi_values(keys, Scope(573, 2024, D))
    assert theirs == direktoer.kpi_values(keys, Scope(573, 2024, D))
    assert theirs != gw.kpi_values(keys, Scope(999, 2024, D))


def test_export_of_other_municipalitys_citizens_is_refused(two):
    gw = gateway.open_for(LEDER_999, two.url)
    frame = pd.DataFrame({"citizen_id": ["K573-0"]})
    with pytest.raises(gateway.AccessDenied):
        gw.log_export(source="x.csv", frame=frame, scope=Scope(573, 2024, D))


def test_scope_options_list_only_the_principals_municipalities(two):
    gw = gateway.open_for(LEDER_999, two.url)
    assert set(gw.scope_options()["municipality_code"]) == {999}
    everyone = gateway.open_for(Principal("x", "leder"), two.url)
    assert set(everyone.scope_options()["municipality_code"]) == {999, 573}


# ---------------------------------------------------------------- the picker, logged in


def test_picker_lists_only_999_for_a_leder_limited_to_it(two, monkeypatch):
    if not two.url.startswith("duckdb"):
        pytest.skip("the app run needs the embedded database")
    monkeypatch.setenv("COCKPIT_DATABASE_URL", two.url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets = {"auth": AUTH, "cockpit": {"municipality_claim": "kommuner"}}
    at.user = {
        "is_logged_in": True,
        "email": "lene@kommune.dk",
        "roles": ["leder"],
        "kommuner": ["999"],
    }
    at.query_params["kommune"] = "573"  # a deep link to another municipality falls back
    at.run()
    assert not at.exception
    assert at.session_state["principal"] == LEDER_999
    picker = next(s for s in at.sidebar.selectbox if s.label == "Kommune")
    assert picker.options == ["Testkommune (999)"]
    assert picker.value == 999
