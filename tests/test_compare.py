"""Sammenligning: peer selection, expected spend and the exact quantity/price split, computed by
hand; the grouped queries on DuckDB and PostgreSQL; small-number suppression of other
municipalities for every role; `compare --json` as a user calls it."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from cockpit import db
from cockpit.compare import measures, peers, report
from cockpit.periods import Scope

# ---------------------------------------------------------------- peer selection (pure)


def _structure() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four municipalities whose z-scores are easy by hand (population standard deviation):
    socio 1.0/1.2/0.8/1.0 → z 0/√2/−√2/0; ln population L/L/L−ln10/L+ln10 → z 0/0/−√2/√2;
    density 100/100/300/300 → z −1/−1/1/1."""
    struct = pd.DataFrame(
        {
            "municipality_code": [1, 2, 3, 4],
            "name": ["A", "B", "C", "D"],
            "population_2022": [10_000, 10_000, 1_000, 100_000],
            "density_2022": [100, 100, 300, 300],
        }
    )
    socio = pd.DataFrame(
        {
            "municipality_code": [1, 1, 1, 2, 3, 4],
            # A: 2020 is superseded by 2024; 2025 lies after the year asked for and is ignored.
            "year": [2020, 2024, 2025, 2024, 2024, 2024],
            "socio_index": [3.0, 1.0, 5.0, 1.2, 0.8, 1.0],
        }
    )
    return struct, socio


def test_features_take_the_latest_socio_index_not_after_the_year():
    struct, socio = _structure()
    f = peers.features(struct, socio, 2024)
    assert f.loc[1, "socio_index"] == 1.0
    assert f.loc[1, "socio_year"] == 2024
    assert f.loc[3, "log_population"] == pytest.approx(math.log(1000))


def test_peer_selection_by_hand():
    struct, socio = _structure()
    z = peers.zscores(peers.features(struct, socio, 2024))
    r2 = math.sqrt(2)
    assert z.loc[2].tolist() == pytest.approx([r2, 0.0, -1.0])
    assert z.loc[4].tolist() == pytest.approx([0.0, r2, 1.0])
    # From A (0, 0, −1): B at √2, D at √(0 + 2 + 4) = √6, C at √(2 + 2 + 4) = √8.
    found = peers.nearest(z, 1, k=3)
    assert found["municipality_code"].tolist() == [2, 4, 3]
    assert found["distance"].tolist() == pytest.approx([r2, math.sqrt(6), math.sqrt(8)])
    assert peers.nearest(z, 1, k=2)["municipality_code"].tolist() == [2, 4]


def test_ties_are_broken_by_municipality_code():
    z = pd.DataFrame(
        {"socio_index": [0.0, 1.0, -1.0], "log_population": [0.0] * 3, "density": [0.0] * 3},
        index=[10, 30, 20],
    )
    assert peers.nearest(z, 10, k=2)["municipality_code"].tolist() == [20, 30]


def test_real_peers_of_copenhagen_and_the_demo_twin():
    assert peers.peer_group(101, 2026)["municipality_code"].tolist()[:3] == [159, 147, 175]
    demo = peers.peer_group(999, 2026)
    # Demokommune borrows Svendborg's features and has Svendborg's peers (Svendborg itself left out).
    assert (
        demo["municipality_code"].tolist()
        == peers.peer_group(479, 2026)["municipality_code"].tolist()
    )
    assert 479 not in demo["municipality_code"].tolist()
    assert len(demo) == 10


# ---------------------------------------------------------------- split (pure)


def test_split_adds_up_exactly_against_pooled_peers():
    own = pd.Series({"citizens_active": 30, "persons_18_64": 10_000, "spend_dkk": 9_000_000.0})
    ref = pd.DataFrame(
        {
            "municipality_code": [1, 2],
            "citizens_active": [10, 30],
            "persons_18_64": [5_000, 15_000],
            "spend_dkk": [2_000_000.0, 6_000_000.0],
            "staircase_citizens": [0, 0],
            "botilbud_citizens": [0, 0],
            "external_grants": [0, 0],
            "covered_grants": [0, 0],
            "external_active_citizens": [0, 0],
            "offer_spend_dkk": [0.0, 0.0],
            "external_spend_dkk": [0.0, 0.0],
            "offer_spend_citizens": [0, 0],
        }
    )
    s = measures.split(own, ref)
    # q = 3 per 1,000, p = 300,000; q_ref = 40/20,000 = 2 per 1,000, p_ref = 8,000,000/40 = 200,000.
    assert (s["q"], s["p"], s["q_ref"], s["p_ref"]) == pytest.approx((3, 300_000, 2, 200_000))
    assert s["quantity"] == pytest.approx((3 - 2) * 200_000 / 1000)  # 200 kr.
    assert s["price"] == pytest.approx((300_000 - 200_000) * 3 / 1000)  # 300 kr.
    assert s["gap"] == pytest.approx(900 - 400)
    assert s["quantity"] + s["price"] == pytest.approx(s["gap"], abs=1e-9)


# ---------------------------------------------------------------- grouped queries on both backends

YEAR_END = date(2025, 12, 31)
SCOPE = Scope(101, 2025, YEAR_END)


def _grant(code: int, gid: str, citizen: str, offer_type: str) -> dict:
    return {
        "municipality_code": code,
        "grant_id": gid,
        "citizen_id": citizen,
        "offer_type_code": offer_type,
        "start_date": date(2024, 1, 1),  # active all of 2025: 365 grant-days
        "end_date": None,
        "monthly_price": 1000,
    }


def _expense(code: int, eid: str, citizen: str, offer_type: str, amount: float) -> dict:
    return {
        "municipality_code": code,
        "expense_id": eid,
        "posting_date": date(2025, 6, 30),
        "amount_dkk": amount,
        "account_function": "5.38.50",
        "offer_type_code": offer_type,
        "grant_id": None,
        "citizen_id": citizen,
        "offer_id": None,
    }


@pytest.fixture
def two(tiny):
    """København (101): 2 citizens on § 107 (1,000,000 kr.), 1 on § 85 (100,000 kr.), 1,000
    18-64-year-olds. Frederiksberg (147, København's second-nearest peer and the only one in the
    database): 3 on § 107 (800,000 kr.), 4 on § 85 (600,000 kr.), 2,000 18-64-year-olds."""
    tiny.add(
        "grant",
        _grant(101, "G1", "C1", "SEL107"),
        _grant(101, "G2", "C2", "SEL107"),
        _grant(101, "G3", "C3", "SEL85"),
        *[_grant(147, f"H{i}", f"D{i}", "SEL107") for i in (1, 2, 3)],
        *[_grant(147, f"H{i}", f"D{i}", "SEL85") for i in (4, 5, 6, 7)],
    )
    tiny.add(
        "expense",
        _expense(101, "E1", "C1", "SEL107", 500_000),
        _expense(101, "E2", "C2", "SEL107", 500_000),
        _expense(101, "E3", "C3", "SEL85", 100_000),
        _expense(147, "F1", "D1", "SEL107", 300_000),
        _expense(147, "F2", "D2", "SEL107", 300_000),
        _expense(147, "F3", "D3", "SEL107", 200_000),
        *[_expense(147, f"F{i}", f"D{i}", "SEL85", 150_000) for i in (4, 5, 6, 7)],
    )
    tiny.add(
        "population",
        {"municipality_code": 101, "year": 2025, "age_group": "18-64", "persons": 1000},
        {"municipality_code": 147, "year": 2025, "age_group": "18-64", "persons": 2000},
    )
    return tiny


def test_expected_spend_by_hand(two):
    c = report.build(SCOPE, two.url, synthetic=False)
    # National unit cost: § 107 1,800,000 / 5 full-year persons = 360,000; § 85 700,000 / 5 =
    # 140,000. Expected for København: 2 × 360,000 + 1 × 140,000 = 860,000; actual 1,100,000.
    assert c.expected_spend == pytest.approx(860_000)
    out = c.to_json()
    assert out["expected_spend_dkk"] == pytest.approx(860_000)
    assert out["actual_spend_dkk"] == pytest.approx(1_100_000)
    assert out["expected_deviation_dkk"] == pytest.approx(240_000)
    assert out["expected_deviation_pct"] == pytest.approx(240_000 / 860_000)
    assert out["unit_cost"]["SEL107"]["national"] == pytest.approx(360_000)


def test_split_against_the_peers_by_hand(two):
    c = report.build(SCOPE, two.url, synthetic=False)
    s = c.split
    # q = 3 per 1,000, p = 1,100,000/3; q_ref = 7/2,000 × 1,000 = 3.5, p_ref = 1,400,000/7 = 200,000.
    assert s["q_ref"] == pytest.approx(3.5)
    assert s["p_ref"] == pytest.approx(200_000)
    assert s["gap"] == pytest.approx(1100 - 700)
    assert s["quantity"] == pytest.approx((3 - 3.5) * 200_000 / 1000)  # −100 kr.
    assert s["price"] == pytest.approx((1_100_000 / 3 - 200_000) * 3 / 1000)  # 500 kr.
    assert s["quantity"] + s["price"] == pytest.approx(s["gap"])
    out = c.to_json()
    assert out["peers"][:2] == [159, 147]
    assert out["citizens_per_1000"] == {
        "value": pytest.approx(3.0),
        "peer_median": pytest.approx(3.5),
        "national": pytest.approx(10 / 3000 * 1000),
    }
    assert out["spend_per_18_64"]["peer_median"] == pytest.approx(700)


def test_small_numbers_of_other_municipalities_are_hidden_for_every_role(two):
    # Frederiksberg has 3 citizens on § 107 and 4 on § 85: its unit costs are hidden, so there
    # is no peer median; København's own 2 citizens on § 107 are hidden only where asked.
    leader = report.build(SCOPE, two.url, synthetic=False, hide_own=False).to_json()
    assert leader["unit_cost"]["SEL107"]["peer_median"] is None
    assert leader["unit_cost"]["SEL85"]["peer_median"] is None
    assert leader["unit_cost"]["SEL107"]["value"] == pytest.approx(500_000)
    politician = report.build(SCOPE, two.url, synthetic=False, hide_own=True).to_json()
    assert politician["unit_cost"]["SEL107"]["value"] is None
    # Whole-area values behind 3 citizens (København) are hidden for a suppressing role.
    assert politician["citizens_per_1000"]["value"] is None


def test_a_peer_group_with_fewer_than_five_citizens_gives_no_split(two):
    # Only Frederiksberg's § 85 citizens (4) as the reference: the pooled figures would reveal them.
    totals, _types = report.frames(SCOPE, two.url, synthetic=False)
    ref = totals[totals["municipality_code"] == 147].assign(citizens_active=4)
    s = measures.split(totals[totals["municipality_code"] == 101].iloc[0], ref)
    assert math.isnan(s["gap"]) and math.isnan(s["quantity"])


def test_compare_cli_json(two):
    done = subprocess.run(
        [sys.executable, "-m", "cockpit", "compare", "--municipality", "101", "--year", "2025"]
        + ["--as-of", "2025-12-31", "--database-url", two.url, "--json"],
        cwd=db.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["peers"] == peers.peer_group(101, 2025)["municipality_code"].tolist()
    assert out["expected_spend_dkk"] == pytest.approx(860_000)
    assert out["actual_spend_dkk"] == pytest.approx(1_100_000)
    for key in [m.key for m in measures.MEASURES]:
        assert set(out[key]) == {"value", "peer_median", "national"}


def test_compare_cli_refuses_an_unknown_municipality(two):
    done = subprocess.run(
        [sys.executable, "-m", "cockpit", "compare", "--municipality", "5", "--year", "2025"]
        + ["--as-of", "2025-12-31", "--database-url", two.url],
        cwd=db.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "fejl: kommune 5 findes ikke blandt de 98 kommuner"


def test_expected_spend_rows_get_secondary_suppression():
    from types import SimpleNamespace

    from cockpit.compare import view
    from cockpit.downloads import display_frame

    expected = pd.DataFrame(
        {
            "offer_type_code": ["SEL85", "SEL107", "SEL108"],
            "full_year_persons": [9.0, 2.5, 6.0],
            "national_unit_cost": [100_000.0, 600_000.0, 900_000.0],
            "expected_dkk": [900_000.0, 1_500_000.0, 5_400_000.0],
            "actual_dkk": [950_000.0, 1_400_000.0, 5_000_000.0],
            "citizens": [10, 3, 7],
        }
    )
    c = SimpleNamespace(expected=expected)
    shown = display_frame(view.expected_table(c, {}, hide_small=True)).set_index("Indsatstype")
    # § 107 behind 3 citizens is hidden; § 108 (7, the next smallest) too, or the total spend would
    # give § 107 away; § 85 stays.
    assert shown.loc["SEL107", "Faktisk udgift"] == "–"
    assert shown.loc["SEL108", "Faktisk udgift"] == "–"
    assert shown.loc["SEL85", "Faktisk udgift"] == "950.000 kr."
    leader = display_frame(view.expected_table(c, {}, hide_small=False)).set_index("Indsatstype")
    assert leader.loc["SEL107", "Faktisk udgift"] == "1.400.000 kr."
