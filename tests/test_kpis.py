"""Given rows → expected value, for every KPI of the catalogue, on tiny hand-built databases.

Scope in every test: municipality 999, year 2024 (a leap year, 366 days), reference date
31 March 2024 (day 91 of the year) unless the test says otherwise. Rows of municipality 998 are
added where a KPI must ignore other municipalities.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cockpit import db, metrics
from cockpit.periods import Scope

D = date(2024, 3, 31)
SCOPE = Scope(999, 2024, D)


def days(n: int) -> date:
    return D + timedelta(days=n)


def grant(gid: str, start: date, end: date | None = None, **kw) -> dict:
    row = {
        "grant_id": gid,
        "citizen_id": kw.pop("citizen_id", "C" + gid),
        "offer_type_code": kw.pop("offer_type_code", "SEL85"),
        "start_date": start,
        "end_date": end,
        "monthly_price": kw.pop("monthly_price", 1000.0),
    }
    row.update(kw)
    return row


def expense(eid: str, posted: date, amount: float, **kw) -> dict:
    row = {
        "expense_id": eid,
        "posting_date": posted,
        "amount_dkk": amount,
        "account_function": "5.38.38",
        "offer_type_code": kw.pop("offer_type_code", "SEL85"),
    }
    row.update(kw)
    return row


def compute(tiny, *keys: str, scope: Scope = SCOPE) -> dict:
    return metrics.compute(list(keys), scope, tiny.url)


# ---------------------------------------------------------------- Økonomi


@pytest.fixture
def economy(tiny):
    tiny.add(
        "grant",
        grant("G1", date(2023, 6, 1), None, citizen_id="C1", monthly_price=3050),
        grant("G2", date(2024, 1, 1), date(2024, 6, 30), citizen_id="C2", monthly_price=36600)
        | {"offer_type_code": "SEL108"},
        grant("G3", date(2023, 1, 1), D, citizen_id="C3", offer_type_code="SEL107")
        | {"monthly_price": 10000},
        grant("G4", date(2024, 12, 31), None, citizen_id="C1", monthly_price=3050),
    )
    tiny.add(
        "grant",
        grant("G5", date(2020, 1, 1), None, monthly_price=99999) | {"municipality_code": 998},
    )
    tiny.add(
        "expense",
        expense("E1", date(2024, 1, 15), 1000, grant_id="G1", citizen_id="C1", offer_id="O1"),
        expense(
            "E2",
            D,
            500,
            grant_id="G2",
            citizen_id="C2",
            offer_id="O2",
            offer_type_code="SEL108",
        ),
        expense("E3", date(2024, 2, 1), 910),
        expense("E4", date(2024, 4, 1), 700, grant_id="G1"),
        expense("E5", date(2023, 12, 31), 300, grant_id="G1"),
        expense("E6", date(2024, 2, 1), 9999) | {"municipality_code": 998},
    )
    tiny.add(
        "budget",
        {"year": 2024, "offer_type_code": "SEL85", "original_dkk": 90000, "corrected_dkk": 100000},
        {"year": 2024, "offer_type_code": "SEL108", "original_dkk": 30000, "corrected_dkk": 30000},
        {"year": 2023, "offer_type_code": "SEL85", "original_dkk": 1, "corrected_dkk": 999999},
    )
    tiny.add(
        "offer",
        {"offer_id": "O1", "name": "Eget", "owner_type": "own", "offer_type_code": "SEL85"},
        {"offer_id": "O2", "name": "Privat", "owner_type": "private", "offer_type_code": "SEL108"},
    )
    return tiny


# Hand computation for the economy fixture (366 days, d = day 91, 275 days left):
#  spend in window: E1 1000 + E2 500 + E3 910 = 2410
#  G1: 3050 × 12 / 366 = 100 kr./day × 275 days left       = 27 500
#  G2: 36600 × 12 / 366 = 1200 kr./day × 91 days (Apr–Jun) = 109 200
#  G3 ends on d: nothing left. G4 starts 31 Dec: 1 day × 100 = 100
#  other remainder: 910 (no grant) / 91 × 275
FORECAST = 2410 + 27500 + 109200 + 100 + 910 / 91 * 275


def test_spend_budget_and_forecast(economy):
    v = compute(economy, "spend_ytd", "budget_corrected", "forecast_year_end")
    assert v["spend_ytd"] == pytest.approx(2410)
    assert v["budget_corrected"] == pytest.approx(130000)
    assert v["forecast_year_end"] == pytest.approx(FORECAST)


def test_forecast_deviation_and_pct(economy):
    v = compute(economy, "forecast_deviation", "forecast_deviation_pct")
    assert v["forecast_deviation"] == pytest.approx(FORECAST - 130000)
    assert v["forecast_deviation_pct"] == pytest.approx((FORECAST - 130000) / 130000)


def test_forecast_per_offer_type_adds_up(economy):
    c = metrics.computation(SCOPE, economy.url)
    df = c.frame("kpi_economy_by_offer_type").set_index("offer_type_code")
    assert df.loc["SEL85", "forecast_dkk"] == pytest.approx(
        1000 + 910 + 27500 + 100 + 910 / 91 * 275
    )
    assert df.loc["SEL108", "forecast_dkk"] == pytest.approx(500 + 109200)
    assert df["forecast_dkk"].sum() == pytest.approx(FORECAST)


def test_closed_year_forecast_equals_spend(economy):
    scope = Scope(999, 2024, date(2024, 12, 31))
    v = compute(economy, "spend_ytd", "forecast_year_end", scope=scope)
    assert v["spend_ytd"] == pytest.approx(2410 + 700)
    assert v["forecast_year_end"] == pytest.approx(v["spend_ytd"])


def test_missing_or_zero_budget_gives_null_deviation(tiny):
    tiny.add("expense", expense("E1", date(2024, 1, 15), 1000))
    v = compute(tiny, "budget_corrected", "forecast_deviation", "forecast_deviation_pct")
    assert v == {
        "budget_corrected": None,
        "forecast_deviation": None,
        "forecast_deviation_pct": None,
    }
    tiny.add(
        "budget", {"year": 2024, "offer_type_code": "SEL85", "original_dkk": 0, "corrected_dkk": 0}
    )
    v = compute(tiny, "budget_corrected", "forecast_deviation_pct")
    assert v == {"budget_corrected": 0.0, "forecast_deviation_pct": None}


def test_empty_database_spend_is_zero(tiny):
    v = compute(tiny, "spend_ytd", "forecast_year_end", "external_share", "top20_share")
    assert v == {
        "spend_ytd": 0.0,
        "forecast_year_end": 0.0,
        "external_share": None,
        "top20_share": None,
    }


def test_unit_cost(economy):
    # SEL85: spend 1000 + 910 over G1's 91 active days in the window (G4 starts after d).
    # SEL108: 500 over G2's 91 days. SEL107: G3 active 91 days but no spend → null.
    v = compute(economy, "unit_cost")["unit_cost"]
    assert v["SEL85"] == pytest.approx(1910 / 91 * 366)
    assert v["SEL108"] == pytest.approx(500 / 91 * 366)
    assert v["SEL107"] is None
    assert "SEL104" not in v


def test_external_share(economy):
    # With an offer: E1 1000 on own O1, E2 500 on private O2; E3 has no offer.
    assert compute(economy, "external_share")["external_share"] == pytest.approx(500 / 1500)


def test_spend_per_inhabitant_with_fallback(economy):
    economy.add("population", {"year": 2024, "age_group": "all", "persons": 2000})
    v = compute(economy, "spend_per_inhabitant")["spend_per_inhabitant"]
    assert v == pytest.approx(FORECAST / 2000)
    economy.add("population", {"year": 2024, "age_group": "18-64", "persons": 1000})
    v = compute(economy, "spend_per_inhabitant")["spend_per_inhabitant"]
    assert v == pytest.approx(FORECAST / 1000)


def test_expensive_citizens(tiny):
    tiny.add(
        "grant",
        # C1: (36 600 + 150 000) × 12 = 2 239 200 > 2 mio.
        grant("A", date(2023, 1, 1), None, citizen_id="C1", monthly_price=36600),
        grant("B", date(2023, 1, 1), None, citizen_id="C1", monthly_price=150000),
        # C2: exactly 2 000 000 a year is not over.
        grant("C", date(2023, 1, 1), None, citizen_id="C2", monthly_price=166666.67 - 0.01),
        # C3: expensive, but the grant ended the day before d.
        grant("D", date(2023, 1, 1), days(-1), citizen_id="C3", monthly_price=500000),
        # C4: expensive, starting the day after d.
        grant("E", days(1), None, citizen_id="C4", monthly_price=500000),
    )
    assert compute(tiny, "expensive_citizens")["expensive_citizens"] == 1


def test_top20_share(tiny):
    spends = {"C1": 100, "C2": 200, "C3": 300, "C4": 400, "C5": 500, "C6": 600}
    rows = [
        expense(f"E{c}", date(2024, 2, 1), amount, citizen_id=c) for c, amount in spends.items()
    ]
    rows += [
        expense("Ecorr", date(2024, 3, 1), -50, citizen_id="C1"),  # correction
        expense("Enone", date(2024, 3, 1), 10000),  # not linked to a citizen
        expense("Elate", date(2024, 4, 1), 10000, citizen_id="C1"),  # after d
    ]
    tiny.add("expense", *rows)
    # n = 6 citizens → top ceil(1.2) = 2: C6 600 + C5 500 of 2 050 in all.
    assert compute(tiny, "top20_share")["top20_share"] == pytest.approx(1100 / 2050)


# ---------------------------------------------------------------- Kontrakter


@pytest.fixture
def contracts(tiny):
    tiny.add(
        "offer",
        {"offer_id": "P", "name": "Privat", "owner_type": "private", "offer_type_code": "SEL108"},
        {"offer_id": "R", "name": "Region", "owner_type": "region", "offer_type_code": "SEL108"},
        {
            "offer_id": "K",
            "name": "Nabokommune",
            "owner_type": "other_municipality",
            "offer_type_code": "SEL107",
        },
        {"offer_id": "OWN", "name": "Eget", "owner_type": "own", "offer_type_code": "SEL108"},
    )
    start = date(2022, 1, 1)
    tiny.add(
        "grant",
        grant("GA", start, offer_id="P", monthly_price=1000),
        grant("GB", start, offer_id="R", monthly_price=3000),
        grant("GC", start, offer_id="K", monthly_price=6000),
        grant("GD", start, offer_id="OWN", monthly_price=50000),
        grant("GE", start, days(-1), offer_id="P", monthly_price=50000),
        grant("GF", start, monthly_price=50000),
    )

    def contract(cid, gid, valid_from, valid_to, annex, reneg):
        return {
            "contract_id": cid,
            "grant_id": gid,
            "template": "kl_standard",
            "valid_from": valid_from,
            "valid_to": valid_to,
            "monthly_price": 1000,
            "has_goals_annex": annex,
            "renegotiate_by": reneg,
        }

    tiny.add(
        "contract",
        contract("K1", "GA", start, None, True, days(90)),
        contract("K2", "GB", start, days(-1), True, D),
        contract("K3", "GC", D, None, False, days(91)),
        contract("K4", "GX", start, None, True, None),
        contract("K5", "GY", start, days(30), False, days(-10)),
        contract("K6", "GZ", days(1), None, True, days(1)),
    )
    return tiny


def test_contract_coverage(contracts):
    # External grants active on d: GA (covered), GB (contract expired d-1), GC (valid from d).
    v = compute(contracts, "contract_coverage", "contract_coverage_value")
    assert v["contract_coverage"] == pytest.approx(2 / 3)
    assert v["contract_coverage_value"] == pytest.approx((1000 + 6000) / (1000 + 3000 + 6000))


def test_contracts_with_goals_and_renegotiation(contracts):
    # Valid on d: K1 (annex, renegotiate d+90), K3 (no annex, d+91), K4 (annex, none),
    # K5 (no annex, overdue d-10). K2 expired, K6 not yet valid.
    v = compute(contracts, "contracts_with_goals", "contracts_to_renegotiate")
    assert v["contracts_with_goals"] == pytest.approx(2 / 4)
    assert v["contracts_to_renegotiate"] == 2


def test_contract_kpis_without_contracts_are_null(tiny):
    v = compute(tiny, "contract_coverage", "contracts_with_goals", "contracts_to_renegotiate")
    assert v == {
        "contract_coverage": None,
        "contracts_with_goals": None,
        "contracts_to_renegotiate": 0,
    }


# ---------------------------------------------------------------- Visitation og opfølgning


def test_citizens_active(tiny):
    tiny.add(
        "grant",
        grant("A", date(2023, 1, 1), citizen_id="C1"),
        grant("B", date(2023, 1, 1), citizen_id="C1", offer_type_code="SEL104"),
        grant("C", date(2023, 1, 1), citizen_id="C2"),
        grant("D", date(2023, 1, 1), days(-1), citizen_id="C3"),
        grant("E", days(1), citizen_id="C4"),
        grant("F", date(2023, 1, 1), D, citizen_id="C5"),
    )
    assert compute(tiny, "citizens_active")["citizens_active"] == 3


def decision(did, kind, outcome, applied, decided, offer_type="SEL85", by="caseworker", cit="C1"):
    return {
        "decision_id": did,
        "citizen_id": cit,
        "offer_type_code": offer_type,
        "application_date": applied,
        "decision_date": decided,
        "kind": kind,
        "outcome": outcome,
        "decided_by": by,
    }


def test_decision_kpis(tiny):
    tiny.add(
        "decision",
        decision(
            "D1", "new", "granted", date(2024, 1, 1), date(2024, 1, 31), "SEL108", "committee"
        ),
        decision("D2", "new", "rejected", date(2024, 2, 1), date(2024, 2, 11), "SEL85"),
        decision("D3", "new", "granted", date(2023, 12, 1), D, "SEL107", "leader"),
        decision(
            "D4", "change", "changed", date(2024, 1, 1), date(2024, 2, 1), "SEL108", "committee"
        ),
        decision("D5", "new", "changed", date(2024, 1, 1), date(2024, 2, 10), "SEL85"),
        decision("D6", "new", "granted", date(2023, 12, 1), date(2023, 12, 31), "SEL108", "leader"),
    )
    v = compute(
        tiny, "decisions", "approval_rate", "committee_share_housing", "processing_days_median"
    )
    assert v["decisions"] == 5  # D6 is before the window
    assert v["approval_rate"] == pytest.approx(2 / 3)  # D1, D3 granted; D2 rejected; D5 neither
    assert v["committee_share_housing"] == pytest.approx(2 / 3)  # bolig: D1, D3, D4
    # New applications: 30, 10, 121 and 40 days → median (30 + 40) / 2.
    assert v["processing_days_median"] == pytest.approx(35)


def test_decision_kpis_without_new_applications_are_null(tiny):
    tiny.add("decision", decision("D1", "end", "ended", date(2024, 1, 1), date(2024, 1, 5)))
    v = compute(
        tiny, "decisions", "approval_rate", "committee_share_housing", "processing_days_median"
    )
    assert v == {
        "decisions": 1,
        "approval_rate": None,
        "committee_share_housing": None,
        "processing_days_median": None,
    }


def test_revisitation_coverage(tiny):
    limit = D - timedelta(days=730)  # 1 April 2022
    old = date(2020, 1, 1)
    tiny.add(
        "grant",
        grant("R1", old, citizen_id="C1"),
        grant("R2", old, citizen_id="C2"),
        grant("R3", old, citizen_id="C3"),
        grant("R4", old, citizen_id="C4"),
        grant("R5", limit, citizen_id="C5"),
        grant("R6", limit + timedelta(days=1), citizen_id="C6"),
        grant("R7", old, days(-1), citizen_id="C7"),
        grant("R8", old, citizen_id="C8"),
    )
    tiny.add(
        "followup",
        {"followup_id": "F1", "grant_id": "R1", "planned_date": None, "performed_date": days(-100)},
        {"followup_id": "F2", "grant_id": "R2", "planned_date": None, "performed_date": limit},
        {"followup_id": "F8", "grant_id": "R8", "planned_date": None, "performed_date": days(1)},
    )
    tiny.add(
        "decision",
        decision("D3", "revisitation", "changed", days(-40), days(-10), cit="C3"),
        decision("D4", "revisitation", "changed", days(-40), days(-10), "SEL108", cit="C4"),
        decision("D5", "change", "changed", days(-40), D, cit="C5"),
    )
    # Old enough and active: R1 R2 R3 R4 R5 R8; followed up: R1, R3, R5.
    assert compute(tiny, "revisitation_coverage")["revisitation_coverage"] == pytest.approx(3 / 6)


def test_followups_overdue(tiny):
    start = date(2023, 1, 1)
    tiny.add(
        "grant",
        grant("F1", start, next_followup_date=days(-1)),
        grant("F2", start, next_followup_date=days(-1)),
        grant("F3", start, next_followup_date=days(-30)),
        grant("F4", start, next_followup_date=D),
        grant("F5", start, next_followup_date=None),
        grant("F6", start, days(-1), next_followup_date=days(-30)),
    )
    tiny.add(
        "followup",
        {
            "followup_id": "U2",
            "grant_id": "F2",
            "planned_date": days(-1),
            "performed_date": days(-1),
        },
        {
            "followup_id": "U3",
            "grant_id": "F3",
            "planned_date": days(-30),
            "performed_date": days(-40),
        },
    )
    assert compute(tiny, "followups_overdue")["followups_overdue"] == 2


# ---------------------------------------------------------------- Progression


def assessment(cit, theme, on, level):
    return {"citizen_id": cit, "theme": theme, "assessed_on": on, "level": level}


@pytest.fixture
def assessed(tiny):
    tiny.add(
        "assessment",
        assessment("C1", "egenomsorg", date(2023, 6, 1), 3),
        assessment("C1", "egenomsorg", date(2024, 1, 1), 2),
        assessment("C1", "mobilitet", date(2023, 6, 1), 2),
        assessment("C1", "mobilitet", date(2023, 9, 1), 3),
        assessment("C1", "mobilitet", D, 2),
        assessment("C2", "egenomsorg", date(2023, 5, 1), 1),
        assessment("C2", "egenomsorg", date(2024, 2, 1), 3),
        assessment("C2", "mobilitet", date(2023, 4, 1), 4),  # exactly d - 365: outside
        assessment("C2", "mobilitet", date(2024, 1, 1), 2),
        assessment("C3", "relationer", date(2023, 7, 1), 4),
        assessment("C3", "relationer", date(2023, 12, 1), 3),
        assessment("C3", "relationer", date(2024, 4, 1), 0),  # after d
        assessment("C5", "sundhed", date(2022, 1, 1), 0),
    )
    return tiny


def test_progression_and_decline(assessed):
    # Pairs: C1 egenomsorg 3→2 (better), C1 mobilitet 2→2, C2 egenomsorg 1→3 (worse),
    # C3 relationer 4→3 (better). C2 mobilitet has one assessment in the window.
    v = compute(assessed, "progression_share", "decline_share")
    assert v["progression_share"] == pytest.approx(2 / 4)
    assert v["decline_share"] == pytest.approx(1 / 4)


def goal(gid, cit, theme, goal_type, baseline, target, set_on, target_date, grant_id=None):
    return {
        "goal_id": gid,
        "citizen_id": cit,
        "grant_id": grant_id,
        "theme": theme,
        "goal_type": goal_type,
        "baseline_level": baseline,
        "target_level": target,
        "set_on": set_on,
        "target_date": target_date,
    }


def test_goal_attainment(assessed):
    set_on = date(2023, 1, 1)
    assessed.add(
        "goal",
        goal("G1", "C1", "egenomsorg", "develop", 3, 2, set_on, date(2024, 2, 1)),  # 2 ≤ 2
        goal("G2", "C2", "egenomsorg", "maintain", 1, 1, set_on, D),  # 3 > baseline 1
        goal("G3", "C3", "relationer", "limit_loss", 2, 3, set_on, date(2024, 1, 15)),  # 3 ≤ 3
        goal("G4", "C4", "egenomsorg", "develop", 3, 2, set_on, date(2024, 3, 1)),  # no assessment
        goal("G5", "C1", "egenomsorg", "develop", 3, 2, set_on, date(2023, 12, 31)),  # not due
        goal(
            "G6", "C5", "sundhed", "develop", 2, 1, set_on, date(2024, 2, 1)
        ),  # only before set_on
    )
    assert compute(assessed, "goal_attainment")["goal_attainment"] == pytest.approx(2 / 5)


def test_goals_with_horizon(tiny):
    start = date(2023, 1, 1)
    tiny.add("grant", *(grant(g, start) for g in ("H1", "H2", "H3", "H4")))
    tiny.add("grant", grant("H5", start, days(-1)))
    tiny.add(
        "goal",
        goal("A", "CH1", "egenomsorg", "develop", 3, 2, start, date(2024, 6, 1), "H1"),
        goal("B", "CH2", "egenomsorg", "develop", 3, 2, start, None, "H2"),
        goal("C", "CH4", "egenomsorg", "develop", 3, 2, start, None, "H4"),
        goal("D", "CH4", "mobilitet", "develop", 3, 2, start, date(2025, 1, 1), "H4"),
        goal("E", "CH5", "mobilitet", "develop", 3, 2, start, date(2025, 1, 1), "H5"),
    )
    assert compute(tiny, "goals_with_horizon")["goals_with_horizon"] == pytest.approx(2 / 4)


def test_early_help_within_6m(tiny):
    tiny.add(
        "grant",
        grant("E1", date(2023, 10, 1), date(2024, 1, 31), offer_type_code="SEL82"),  # 122 days
        grant("E2", date(2023, 7, 1), date(2024, 1, 1), offer_type_code="SEL82"),  # 184 days
        grant("E3", date(2023, 9, 30), D, offer_type_code="SEL82"),  # 183 days
        grant("E4", date(2024, 1, 1), date(2024, 2, 1), offer_type_code="SEL85"),
        grant("E5", date(2024, 1, 1), days(1), offer_type_code="SEL82"),
    )
    assert compute(tiny, "early_help_within_6m")["early_help_within_6m"] == pytest.approx(2 / 3)


def test_adjustment_signals(tiny):
    start, set_on = date(2023, 1, 1), date(2023, 1, 1)
    limit = D - timedelta(days=90)  # 1 January 2024
    cases = {
        # citizen: (achievement date, goal type, grant end)
        "C1": (date(2023, 9, 1), "develop", None),  # signal
        "C2": (date(2023, 9, 1), "develop", None),  # change decision afterwards
        "C3": (date(2024, 2, 1), "develop", None),  # achieved less than 90 days ago
        "C4": (date(2023, 6, 1), "develop", None),  # a later 'new' decision does not count
        "C5": (date(2023, 6, 1), "maintain", None),  # not a development goal
        "C6": (date(2023, 6, 1), "develop", days(-1)),  # grant no longer active
        "C7": (date(2023, 6, 1), "develop", None),  # revisitation before achievement: signal
        "C9": (limit, "develop", None),  # exactly 90 days: signal
        "C10": (date(2023, 6, 1), "develop", None),  # end decision on the achievement date
    }
    for cit, (achieved, goal_type, end) in cases.items():
        tiny.add("grant", grant("S" + cit, start, end, citizen_id=cit))
        tiny.add(
            "goal", goal("G" + cit, cit, "egenomsorg", goal_type, 3, 2, set_on, None, "S" + cit)
        )
        tiny.add(
            "assessment",
            assessment(cit, "egenomsorg", date(2022, 12, 1), 1),  # before set_on: ignored
            assessment(cit, "egenomsorg", date(2023, 3, 1), 3),
            assessment(cit, "egenomsorg", achieved, 2),
        )
    # C8: two achieved development goals on one grant count once.
    tiny.add("grant", grant("SC8", start, citizen_id="C8"))
    tiny.add(
        "goal",
        goal("GC8a", "C8", "egenomsorg", "develop", 3, 2, set_on, None, "SC8"),
        goal("GC8b", "C8", "mobilitet", "develop", 3, 2, set_on, None, "SC8"),
    )
    tiny.add(
        "assessment",
        assessment("C8", "egenomsorg", date(2023, 5, 1), 2),
        assessment("C8", "mobilitet", date(2023, 5, 1), 1),
    )
    tiny.add(
        "decision",
        decision("X2", "change", "changed", date(2023, 9, 15), date(2023, 10, 1), cit="C2"),
        decision("X4", "new", "granted", date(2023, 9, 15), date(2023, 10, 1), cit="C4"),
        decision("X7", "revisitation", "changed", date(2023, 4, 1), date(2023, 5, 1), cit="C7"),
        decision("X10", "end", "ended", date(2023, 5, 1), date(2023, 6, 1), cit="C10"),
    )
    # Signals: C1, C4, C7, C8, C9.
    assert compute(tiny, "adjustment_signals")["adjustment_signals"] == 5


# ---------------------------------------------------------------- Strategi


@pytest.fixture
def staircase(tiny):
    start = date(2023, 1, 1)
    tiny.add(
        "grant",
        grant("A1", start, citizen_id="C1", offer_type_code="SEL85"),
        grant("A2", start, citizen_id="C1", offer_type_code="SEL108"),
        grant("B1", start, citizen_id="C2", offer_type_code="SEL82"),
        grant("C1", start, citizen_id="C3", offer_type_code="SEL85BL"),
        grant("C2", start, citizen_id="C3", offer_type_code="SEL104"),
        grant("D1", start, citizen_id="C4", offer_type_code="SEL104"),
        grant("E1", start, citizen_id="C5", offer_type_code="SEL107"),
        grant("F1", start, days(-1), citizen_id="C6", offer_type_code="SEL108"),
        grant("F2", start, citizen_id="C6", offer_type_code="SEL85"),
        grant("G1", start, citizen_id="C7", offer_type_code="SEL85"),
    )
    tiny.add("population", {"year": 2024, "age_group": "18-64", "persons": 3500})
    return tiny


def test_staircase_and_botilbud_share(staircase):
    # On the staircase: C1 step 5 (SEL108), C2 1, C3 3, C5 4 (SEL107), C6 2, C7 2. C4 only SEL104.
    v = compute(staircase, "staircase_distribution", "botilbud_share")
    assert v["staircase_distribution"] == pytest.approx(
        {"1": 1 / 6, "2": 2 / 6, "3": 1 / 6, "4": 1 / 6, "5": 1 / 6}
    )
    assert v["botilbud_share"] == pytest.approx(2 / 6)


def test_citizens_per_1000(staircase):
    # Seven citizens with an active grant (C4's SEL104 counts) per 3 500 aged 18-64.
    assert compute(staircase, "citizens_per_1000")["citizens_per_1000"] == pytest.approx(2.0)


def test_target_status(staircase):
    staircase.add(
        "strategy_target",
        {"kpi_key": "botilbud_share", "year": 2024, "target_value": 0.35},  # 1/3 ≤ 0.35: green
        {"kpi_key": "citizens_active", "year": 2024, "target_value": 7.2},  # no direction, ±5 %
        {"kpi_key": "citizens_per_1000", "year": 2023, "target_value": 1.0},  # another year
        {"kpi_key": "goal_attainment", "year": 2024, "target_value": 0.5},  # no goals → null
    )
    v = compute(staircase, "target_status")["target_status"]
    assert v == {
        "botilbud_share": {"actual": pytest.approx(1 / 3), "target": 0.35, "status": "green"},
        "citizens_active": {"actual": 7, "target": 7.2, "status": "green"},
        "goal_attainment": {"actual": None, "target": 0.5, "status": None},
    }


@pytest.mark.parametrize(
    ("actual", "target", "better", "expected"),
    [
        (0.80, 0.80, "up", "green"),
        (0.77, 0.80, "up", "yellow"),  # missed by 0.03 ≤ 5 % of 0.80 = 0.04
        (0.75, 0.80, "up", "red"),
        (0.81, 0.80, "down", "yellow"),
        (0.79, 0.80, "down", "green"),
        (0.90, 0.80, "down", "red"),
        (103.0, 100.0, None, "green"),
        (106.0, 100.0, None, "red"),
        (None, 100.0, "up", None),
    ],
)
def test_status_rule(actual, target, better, expected):
    assert metrics.status(actual, target, better) == expected


# ---------------------------------------------------------------- Registry


def test_every_catalogue_key_is_registered_and_described():
    catalogue = {
        "spend_ytd",
        "budget_corrected",
        "forecast_year_end",
        "forecast_deviation",
        "forecast_deviation_pct",
        "unit_cost",
        "external_share",
        "expensive_citizens",
        "top20_share",
        "spend_per_inhabitant",
        "contract_coverage",
        "contract_coverage_value",
        "contracts_with_goals",
        "contracts_to_renegotiate",
        "citizens_active",
        "decisions",
        "approval_rate",
        "committee_share_housing",
        "processing_days_median",
        "revisitation_coverage",
        "followups_overdue",
        "progression_share",
        "decline_share",
        "goal_attainment",
        "goals_with_horizon",
        "early_help_within_6m",
        "adjustment_signals",
        "botilbud_share",
        "staircase_distribution",
        "citizens_per_1000",
        "target_status",
    }
    assert set(metrics.REGISTRY) == catalogue
    for kpi in metrics.KPIS:
        assert kpi.label and kpi.definition.endswith(".")
        assert kpi.unit in ("kr.", "share", "count", "dage", "per 1.000", "status")
        assert kpi.better in ("up", "down", None)
        assert (db.QUERIES / f"{kpi.query}.sql").is_file()


def test_labels_match_the_catalogue():
    # Spot checks against ../shared/spec/kpis.md: labels are what users see.
    assert metrics.REGISTRY["forecast_year_end"].label == "Forventet regnskab"
    assert metrics.REGISTRY["contract_coverage"].label == "Kontraktdækning, eksterne køb"
    assert metrics.REGISTRY["top20_share"].label == "De dyreste 20 %'s andel af udgiften"
    assert metrics.REGISTRY["botilbud_share"].better == "down"
