"""Small-number suppression: frames (primary and secondary suppression), KPI values, the citizen
basis query, and what a politician, a director and a social manager see on a crafted small
dataset, through the data gateway and on the Overblik page."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import as_role
from streamlit.testing.v1 import AppTest

from cockpit import db, metrics, suppress
from cockpit.access import gateway, queries
from cockpit.auth import Principal
from cockpit.periods import Scope
from cockpit.present import fmt
from cockpit.present.fmt import SUPPRESSED

D = date(2024, 3, 31)
SCOPE = Scope(999, 2024, D)
APP = str(Path(db.ROOT) / "cockpit" / "app.py")
POLITIKER = Principal("p", "politiker")
DIREKTOER = Principal("d", "direktoer")
LEDER = Principal("l", "leder")
ADMIN = Principal("a", "admin")


def nan(v) -> bool:
    return isinstance(v, float) and math.isnan(v)


# ---------------------------------------------------------------- frames


def economy_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "offer_type_code": ["A", "B", "C", "D"],
            "citizens": [2, 6, 30, 0],
            "spend_dkk": [100.0, 600.0, 3000.0, 50.0],
            "budget_corrected_dkk": [1.0, 2.0, 3.0, 4.0],
        }
    )


def test_row_behind_1_to_4_citizens_is_hidden_and_so_is_the_next_smallest():
    out = suppress.frame(economy_frame())
    assert list(out["suppressed"]) == ["<5", "–", "", ""]
    assert nan(out.loc[0, "spend_dkk"]) and nan(out.loc[0, "citizens"])
    # Secondary: otherwise A = total (3 750, shown as a KPI) − the visible rows.
    assert nan(out.loc[1, "spend_dkk"]) and nan(out.loc[1, "citizens"])
    assert out.loc[2, "spend_dkk"] == 3000.0 and out.loc[2, "citizens"] == 30
    # Rows without citizens are not personal and are not picked as the secondary cell.
    assert out.loc[3, "spend_dkk"] == 50.0 and out.loc[3, "citizens"] == 0
    # The budget is a decision, not derived from citizens.
    assert list(out["budget_corrected_dkk"]) == [1.0, 2.0, 3.0, 4.0]


def test_two_small_rows_need_no_secondary():
    df = pd.DataFrame({"k": ["a", "b", "c"], "citizens": [1, 4, 10], "n": [1, 4, 10]})
    out = suppress.frame(df)
    assert list(out["suppressed"]) == ["<5", "<5", ""]
    assert out.loc[2, "n"] == 10


def test_five_citizens_are_shown():
    df = pd.DataFrame({"k": ["a", "b"], "citizens": [5, 7], "n": [5.0, 7.0]})
    out = suppress.frame(df)
    assert list(out["suppressed"]) == ["", ""]
    assert list(out["n"]) == [5.0, 7.0]


def test_secondary_suppression_stays_within_each_dimension():
    df = pd.DataFrame(
        {
            "dimension": ["kind", "kind", "kind", "outcome", "outcome"],
            "group_key": ["new", "change", "end", "granted", "rejected"],
            "citizens": [3, 9, 40, 20, 30],
            "decisions": [3, 9, 50, 20, 42],
        }
    )
    out = suppress.frame(df, queries.rule_for("social_decisions_by_group", df))
    assert list(out["suppressed"]) == ["<5", "–", "", "", ""]
    assert list(out["decisions"])[2:] == [50, 20, 42]


def test_secondary_suppression_over_two_margins_iterates():
    # Months × kinds. Hiding (1, new) forces (1, change) [month 1] and (2, new) [kind new]; then
    # kind "change" and month 2 each have one hidden cell, so (2, change) goes too. Month 3 stays.
    df = pd.DataFrame(
        {
            "month": [1, 1, 2, 2, 3, 3],
            "kind": ["new", "change"] * 3,
            "decisions": [2, 10, 12, 20, 30, 40],
            "citizens": [2, 10, 12, 20, 30, 40],
        }
    )
    out = suppress.frame(df, queries.rule_for("social_decisions_by_month", df))
    assert list(out["suppressed"]) == ["<5", "–", "–", "–", "", ""]
    assert list(out["month"]) == [1, 1, 2, 2, 3, 3]  # keys are never hidden
    assert list(out["decisions"])[4:] == [30, 40]


def test_a_citizen_subcount_of_1_to_4_is_hidden_in_a_visible_row():
    df = pd.DataFrame(
        {
            "step": [1, 2, 3],
            "citizens": [10, 20, 30],
            "botilbud_citizens": [3, 8, 9],
            "spend_dkk": [1.0, 2.0, 3.0],
        }
    )
    out = suppress.frame(df)
    assert list(out["suppressed"]) == ["", "", ""]
    assert nan(out.loc[0, "botilbud_citizens"]) and nan(out.loc[1, "botilbud_citizens"])
    assert out.loc[2, "botilbud_citizens"] == 9
    assert list(out["citizens"]) == [10, 20, 30]
    assert list(out["spend_dkk"]) == [1.0, 2.0, 3.0]


def test_frame_without_citizens_column_is_refused():
    with pytest.raises(suppress.MissingBasis):
        suppress.frame(pd.DataFrame({"k": ["a"], "n": [1]}))


# ---------------------------------------------------------------- KPI values


def test_kpi_value_rules():
    assert suppress.kpi_value("citizens_active", 3.0, metrics.VALUE) is SUPPRESSED
    assert suppress.kpi_value("citizens_active", 0.0, metrics.VALUE) == 0.0
    assert suppress.kpi_value("citizens_active", 5.0, metrics.VALUE) == 5.0
    assert suppress.kpi_value("forecast_year_end", 1e6, 4) is None
    assert suppress.kpi_value("forecast_year_end", 1e6, 5) == 1e6
    assert suppress.kpi_value("budget_corrected", 1e6, None) == 1e6
    # A count whose basis is small is "<5" even when the count itself is larger.
    assert suppress.kpi_value("decisions", 7.0, 3) is SUPPRESSED
    assert suppress.kpi_value("decisions", 3.0, 9) is SUPPRESSED
    assert suppress.kpi_value("approval_rate", 0.5, 2) is None


def test_staircase_distribution_gets_secondary_suppression():
    value = {"1": 0.1, "2": 0.2, "5": 0.7}
    out = suppress.kpi_value("staircase_distribution", value, {"1": 3, "2": 6, "5": 21})
    # Shares add up to 1, so step 1 would be 1 − the others: step 2 is hidden too.
    assert out == {"1": None, "2": None, "5": 0.7}


def test_unit_cost_hidden_per_offer_type():
    out = suppress.kpi_value("unit_cost", {"SEL85": 1.0, "SEL108": 2.0}, {"SEL85": 2, "SEL108": 9})
    assert out == {"SEL85": None, "SEL108": 2.0}


def test_target_status_follows_the_target_kpi():
    values = {
        "target_status": {
            "botilbud_share": {"actual": 0.5, "target": 0.4, "status": "red"},
            "contract_coverage": {"actual": 0.9, "target": 0.8, "status": "green"},
        }
    }
    basis = {"target_status": metrics.DERIVED, "botilbud_share": 2, "contract_coverage": 50}
    out = suppress.kpi_values(values, basis)["target_status"]
    assert out["botilbud_share"] == {"actual": None, "target": 0.4, "status": None}
    assert out["contract_coverage"]["status"] == "green"


def test_suppressed_formats_as_under_five():
    assert fmt.value("count", SUPPRESSED) == "<5"
    assert fmt.value("kr.", SUPPRESSED) == "<5"
    assert fmt.value("kr.", None) == "–"
    assert str(SUPPRESSED) == "<5" and not SUPPRESSED


def test_every_kpi_has_a_citizen_basis(tiny):
    columns = set(db.query("basis_kpi_citizens", SCOPE.params(), tiny.url).columns)
    sentinels = {metrics.VALUE, metrics.OFFER_TYPE, metrics.STAIRCASE, metrics.DERIVED, None}
    assert {k.key for k in metrics.KPIS} == set(metrics.REGISTRY)
    for kpi in metrics.KPIS:
        assert kpi.citizen_basis in sentinels | columns, kpi.key


# ---------------------------------------------------------------- on a crafted small dataset


def small_world(tiny):
    """2 citizens on SEL108 (botilbud, step 5), 6 on SEL85 (step 2), 20 on SEL103 (no step);
    each with one active grant and one January expense; 4 decisions in the window."""
    people = (
        [("A", i, "SEL108", 50000.0, 100000.0) for i in range(1, 3)]
        + [("B", i, "SEL85", 5000.0, 10000.0) for i in range(1, 7)]
        + [("C", i, "SEL103", 2000.0, 4000.0) for i in range(1, 21)]
    )
    grants, expenses = [], []
    for prefix, i, code, price, spent in people:
        cid = f"PSEUDO-{prefix}{i:02d}"
        grants.append(
            {
                "grant_id": f"G-{cid}",
                "citizen_id": cid,
                "offer_type_code": code,
                "start_date": date(2023, 1, 1),
                "end_date": None,
                "monthly_price": price,
            }
        )
        expenses.append(
            {
                "expense_id": f"E-{cid}",
                "posting_date": date(2024, 1, 31),
                "amount_dkk": spent,
                "account_function": "5.38.50",
                "offer_type_code": code,
                "grant_id": f"G-{cid}",
                "citizen_id": cid,
            }
        )
    tiny.add("grant", *grants)
    tiny.add("expense", *expenses)
    tiny.add(
        "budget",
        {"year": 2024, "offer_type_code": "SEL108", "original_dkk": 1e6, "corrected_dkk": 1.2e6},
        {"year": 2024, "offer_type_code": "SEL85", "original_dkk": 4e5, "corrected_dkk": 4e5},
        {"year": 2024, "offer_type_code": "SEL103", "original_dkk": 1e6, "corrected_dkk": 1e6},
    )

    def decision(did, cid, kind):
        return {
            "decision_id": did,
            "citizen_id": cid,
            "offer_type_code": "SEL85",
            "application_date": date(2024, 1, 2),
            "decision_date": date(2024, 2, 1),
            "kind": kind,
            "outcome": "granted",
            "decided_by": "caseworker",
        }

    tiny.add(
        "decision",
        decision("D1", "PSEUDO-B01", "new"),
        decision("D2", "PSEUDO-B02", "new"),
        decision("D3", "PSEUDO-A01", "new"),
        decision("D4", "PSEUDO-C01", "change"),
    )
    tiny.add("population", {"year": 2024, "age_group": "18-64", "persons": 10000})
    return tiny


def test_basis_query_counts_the_citizens_behind_each_kpi(tiny):
    small_world(tiny)
    row = db.query("basis_kpi_citizens", SCOPE.params(), tiny.url).iloc[0]
    assert row["economy_citizens"] == 28
    assert row["spend_citizens"] == 28
    assert row["active_citizens"] == 28
    assert row["external_spend_citizens"] == 0
    assert row["decision_citizens"] == 4
    assert row["new_decision_citizens"] == 3
    assert row["decided_new_citizens"] == 3
    assert row["housing_decision_citizens"] == 0
    assert row["old_grant_citizens"] == 0  # started 2023-01-01, less than 730 days before d
    basis = metrics.citizen_basis(metrics.REGISTRY, metrics.computation(SCOPE, tiny.url))
    assert basis["unit_cost"]["SEL108"] == 2 and basis["unit_cost"]["SEL85"] == 6
    assert basis["staircase_distribution"] == {"2": 6, "5": 2}
    assert basis["botilbud_share"] == 2  # 2 in botilbud, fewer than the 8 on the trappe
    assert basis["budget_corrected"] is None


def test_economy_breakdown_for_politician_director_and_leader(tiny):
    small_world(tiny)
    by_role = {
        p.role: gateway.open_for(p, tiny.url)
        .aggregate("kpi_economy_by_offer_type", SCOPE)
        .set_index("offer_type_code")
        for p in (POLITIKER, DIREKTOER, LEDER)
    }
    for role in ("politiker", "direktoer"):
        df = by_role[role]
        assert df.loc["SEL108", "suppressed"] == "<5"
        assert df.loc["SEL85", "suppressed"] == "–"
        assert nan(df.loc["SEL108", "spend_ytd_dkk"]) and nan(df.loc["SEL85", "forecast_dkk"])
        assert df.loc["SEL103", "spend_ytd_dkk"] == pytest.approx(80000)
        assert df.loc["SEL103", "citizens"] == 20
        assert df.loc["SEL108", "budget_corrected_dkk"] == pytest.approx(1.2e6)
    leader = by_role["leder"]
    assert "suppressed" not in leader.columns
    assert leader.loc["SEL108", "spend_ytd_dkk"] == pytest.approx(200000)


def test_kpi_values_for_politician_and_leader(tiny):
    small_world(tiny)
    keys = [
        "citizens_active",
        "decisions",
        "approval_rate",
        "staircase_distribution",
        "botilbud_share",
        "unit_cost",
        "spend_ytd",
        "budget_corrected",
    ]
    shown = gateway.open_for(POLITIKER, tiny.url).kpi_values(keys, SCOPE)
    assert shown["citizens_active"] == 28
    assert shown["decisions"] is SUPPRESSED
    assert shown["approval_rate"] is None
    assert shown["staircase_distribution"] == {"2": None, "5": None}
    assert shown["botilbud_share"] is None
    # Unit costs are rates that add up to no total: only the type behind 2 citizens is hidden.
    assert shown["unit_cost"]["SEL108"] is None
    assert shown["unit_cost"]["SEL85"] == pytest.approx(10000 * 6 / (6 * 91) * 366)
    assert shown["spend_ytd"] == pytest.approx(200000 + 60000 + 80000)
    assert shown["budget_corrected"] == pytest.approx(2.6e6)
    full = gateway.open_for(LEDER, tiny.url).kpi_values(keys, SCOPE)
    assert full["decisions"] == 4
    assert full["approval_rate"] == 1.0
    assert full["staircase_distribution"] == {"2": 0.75, "5": 0.25}


# ---------------------------------------------------------------- on the page


@pytest.fixture
def three_citizens(tmp_path, monkeypatch):
    """Three citizens with active grants on 31 March 2024: too few for a politician to see."""
    from conftest import TinyDb

    t = TinyDb(f"duckdb:///{tmp_path / 'three.duckdb'}")
    for i in range(1, 4):
        t.add(
            "grant",
            {
                "grant_id": f"G{i}",
                "citizen_id": f"PSEUDO-X{i}",
                "offer_type_code": "SEL108",
                "start_date": date(2023, 1, 1),
                "end_date": None,
                "monthly_price": 40000.0,
            },
        )
        t.add(
            "expense",
            {
                "expense_id": f"E{i}",
                "posting_date": D,
                "amount_dkk": 120000.0,
                "account_function": "5.38.50",
                "offer_type_code": "SEL108",
                "grant_id": f"G{i}",
                "citizen_id": f"PSEUDO-X{i}",
            },
        )
    t.add(
        "budget",
        {"year": 2024, "offer_type_code": "SEL108", "original_dkk": 1e6, "corrected_dkk": 1e6},
    )
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    monkeypatch.setenv("COCKPIT_AUDIT_URL", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    return t


def overblik(role: str) -> dict[str, str]:
    at = AppTest.from_file(APP, default_timeout=60)
    as_role(at, role)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Overblik"]
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("role", ["politiker", "direktoer", "admin"])
def test_overblik_hides_three_citizens_from_roles_without_citizen_access(three_citizens, role):
    shown = overblik(role)
    assert shown["Borgere med aktiv bevilling"] == "<5"
    assert shown["Forbrug år til dato"] == "–"
    assert shown["Forventet regnskab"] == "–"
    assert shown["Forventet afvigelse"] == "–"
    assert shown["Borgere pr. 1.000 18-64-årige"] == "–"
    assert shown["Andel af borgerne på trappen, der bor i botilbud"] == "–"
    assert shown["Korrigeret budget"] == "1,0 mio. kr."  # a decision, not about citizens


def test_overblik_shows_the_social_manager_the_numbers(three_citizens):
    shown = overblik("leder")
    assert shown["Borgere med aktiv bevilling"] == "3"
    assert shown["Forbrug år til dato"] == "360.000 kr."
    assert shown["Andel af borgerne på trappen, der bor i botilbud"] == "100,0 %"
