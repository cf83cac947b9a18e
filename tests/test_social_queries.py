"""The social-professional view's queries, given rows → expected values, on DuckDB and PostgreSQL:
every citizen list agrees with the KPI it stands behind (the same cases as tests/test_kpis.py),
the breakdowns add up to their KPI, and offers and citizens show the economy view's numbers.

Scope: municipality 999, year 2024 (366 days), reference date 31 March 2024 unless said otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from rows import (
    ASSESSMENT_CASES,
    SCOPE,
    D,
    add_adjustment_cases,
    add_contract_cases,
    add_followup_cases,
    assessment,
    days,
    decision,
    goal,
    grant,
    offer,
)

from cockpit import db, metrics
from cockpit.present import labels
from cockpit.views import citizens, common, contracts, progression, visitation
from cockpit.views import offers as offer_views


def rows(tiny, name: str, **extra) -> pd.DataFrame:
    return db.query(name, {**SCOPE.params(), "citizen_id": "", **extra}, tiny.url)


def kpi(tiny, key: str):
    return metrics.compute([key], SCOPE, tiny.url)[key]


def expense(eid, posted, amount, **kw):
    return {
        "expense_id": eid,
        "posting_date": posted,
        "amount_dkk": amount,
        "account_function": "5.38.50",
        "offer_type_code": kw.pop("offer_type_code", "SEL108"),
        **kw,
    }


# ---------------------------------------------------------------- Tilpasningssignaler


def test_adjustment_signal_list_matches_the_kpi(tiny):
    add_adjustment_cases(tiny)
    signals = rows(tiny, "list_adjustment_signals")
    assert kpi(tiny, "adjustment_signals") == 5
    assert len(signals) == 5
    assert set(signals["grant_id"]) == {"SC1", "SC4", "SC7", "SC8", "SC9"}
    by_grant = signals.set_index("grant_id")
    assert common.as_date(by_grant.loc["SC1", "achieved_on"]) == date(2023, 9, 1)
    assert common.as_date(by_grant.loc["SC9", "achieved_on"]) == D - timedelta(days=90)
    assert by_grant.loc["SC9", "days_since_achieved"] == 90
    # Two achieved development goals on one grant: one row, the earliest date, both themes.
    assert by_grant.loc["SC8", "goals_achieved"] == 2
    assert by_grant.loc["SC8", "themes"] == "egenomsorg, mobilitet"
    assert common.as_date(by_grant.loc["SC8", "achieved_on"]) == date(2023, 5, 1)
    assert by_grant.loc["SC8", "monthly_price"] == 1000
    # SEL85 is step 2; step 1 (SEL82) has no active grants, so no typical price.
    assert set(signals["next_offer_type_code"]) == {"SEL82"}
    assert signals["next_median_monthly_price"].isna().all()


def test_adjustment_signal_list_for_one_citizen(tiny):
    add_adjustment_cases(tiny)
    assert list(rows(tiny, "list_adjustment_signals", citizen_id="C8")["grant_id"]) == ["SC8"]
    assert rows(tiny, "list_adjustment_signals", citizen_id="C2").empty


def test_next_step_down_and_its_typical_price(tiny):
    set_on = date(2023, 1, 1)
    tiny.add(
        "grant",
        grant("B108", date(2022, 1, 1), citizen_id="X1", offer_type_code="SEL108")
        | {"monthly_price": 110000},
        grant("B104", date(2022, 1, 1), citizen_id="X2", offer_type_code="SEL104"),
        grant("B82", date(2022, 1, 1), citizen_id="X3", offer_type_code="SEL82"),
        # Active SEL107 grants (step 4): median of 60 000, 70 000 and 90 000 is 70 000.
        grant("M1", date(2023, 1, 1), citizen_id="Y1", offer_type_code="SEL107")
        | {"monthly_price": 60000},
        grant("M2", date(2023, 1, 1), citizen_id="Y2", offer_type_code="SEL107")
        | {"monthly_price": 90000},
        grant("M3", date(2023, 1, 1), citizen_id="Y3", offer_type_code="SEL107")
        | {"monthly_price": 70000},
        # Not counted: ended before the date, and another municipality.
        grant("M4", date(2023, 1, 1), days(-1), citizen_id="Y4", offer_type_code="SEL107")
        | {"monthly_price": 1e6},
    )
    tiny.add(
        "grant",
        grant("M5", date(2023, 1, 1), citizen_id="Y5", offer_type_code="SEL107")
        | {"monthly_price": 1e6, "municipality_code": 998},
    )
    for cit, gid in (("X1", "B108"), ("X2", "B104"), ("X3", "B82")):
        tiny.add("goal", goal("G" + cit, cit, "mobilitet", "develop", 3, 1, set_on, None, gid))
        tiny.add("assessment", assessment(cit, "mobilitet", date(2023, 6, 1), 1))
    signals = rows(tiny, "list_adjustment_signals").set_index("grant_id")
    assert set(signals.index) == {"B108", "B104", "B82"} and kpi(tiny, "adjustment_signals") == 3
    assert signals.loc["B108", "next_offer_type_code"] == "SEL107"
    assert signals.loc["B108", "next_median_monthly_price"] == pytest.approx(70000)
    assert pd.isna(signals.loc["B104", "next_offer_type_code"])  # not on the staircase
    assert pd.isna(signals.loc["B82", "next_offer_type_code"])  # first step

    shown = progression.SIGNAL_LIST.shown(signals.reset_index()).set_index("Borger")
    assert shown.loc["X1", "Næste trin ned"] == "Midlertidigt botilbud"
    assert shown.loc["X1", "Typisk månedspris der"] == "70.000 kr."
    assert shown.loc["X1", "Forskel pr. måned"] == "40.000 kr."
    assert shown.loc["X1", "Månedspris"] == "110.000 kr."
    assert shown.loc["X1", "Mål nået den"] == "01.06.2023"
    assert shown.loc["X1", "Tema"] == "Mobilitet"
    assert shown.loc["X2", "Næste trin ned"] == "–"
    assert shown.loc["X2", "Forskel pr. måned"] == "–"
    summary = progression.signal_summary(signals.reset_index())
    assert summary == {
        "grants": 3,
        "citizens": 3,
        "monthly_price": 112000.0,
        "with_next_step": 1,
        "difference": 40000.0,
    }


# ---------------------------------------------------------------- Visitation og opfølgning


def test_overdue_followup_list_matches_the_kpi(tiny):
    # The cases of tests/test_kpis.py::test_followups_overdue: F1 and F3 are overdue.
    add_followup_cases(tiny)
    overdue = rows(tiny, "list_followups_overdue")
    assert kpi(tiny, "followups_overdue") == 2
    assert list(overdue["grant_id"]) == ["F3", "F1"]  # longest overdue first
    assert list(overdue["days_overdue"]) == [30, 1]
    shown = visitation.OVERDUE_LIST.shown(overdue)
    assert list(shown["Seneste opfølgning"]) == ["20.02.2024", "–"]
    assert list(shown["Planlagt opfølgning"]) == ["01.03.2024", "30.03.2024"]
    assert list(rows(tiny, "list_followups_overdue", citizen_id="CF1")["grant_id"]) == ["F1"]


@pytest.fixture
def decided(tiny):
    # The cases of tests/test_kpis.py::test_decision_kpis.
    tiny.add(
        "decision",
        decision(
            "D1", "new", "granted", date(2024, 1, 1), date(2024, 1, 31), "SEL108", "committee"
        ),
        decision("D2", "new", "rejected", date(2024, 2, 1), date(2024, 2, 11), "SEL85", cit="C2"),
        decision("D3", "new", "granted", date(2023, 12, 1), D, "SEL107", "leader", cit="C3"),
        decision(
            "D4", "change", "changed", date(2024, 1, 1), date(2024, 2, 1), "SEL108", "committee"
        ),
        decision("D5", "new", "changed", date(2024, 1, 1), date(2024, 2, 10), "SEL85", cit="C5"),
        decision("D6", "new", "granted", date(2023, 12, 1), date(2023, 12, 31), "SEL108", "leader"),
    )
    return tiny


def test_decision_breakdowns_add_up_to_the_kpis(decided):
    groups = rows(decided, "social_decisions_by_group")
    v = metrics.compute(
        ["decisions", "approval_rate", "committee_share_housing", "processing_days_median"],
        SCOPE,
        decided.url,
    )
    for dimension in ("kind", "outcome", "offer_type", "decided_by"):
        part = groups[groups["dimension"] == dimension]
        assert part["decisions"].sum() == v["decisions"] == 5
        assert part["new_granted"].sum() / part["new_decided"].sum() == pytest.approx(
            v["approval_rate"]
        )
        assert part["housing_committee"].sum() / part["housing"].sum() == pytest.approx(
            v["committee_share_housing"]
        )
    by_type = groups[groups["dimension"] == "offer_type"].set_index("group_key")
    assert by_type.loc["SEL108", "decisions"] == 2 and by_type.loc["SEL108", "citizens"] == 1
    assert by_type.loc["SEL85", "processing_days_median"] == pytest.approx(25)  # 10 and 40 days

    table = visitation.decision_table(groups, "kind")
    assert list(table["Art"]) == ["Ny ansøgning", "Ændring"]
    new = table.iloc[0]
    assert (new["Afgørelser"], new["Borgere"]) == ("4", "4")
    assert new["Bevillingsprocent, nye"] == "66,7 %"
    assert new["Boligafgørelser i udvalg"] == "50,0 %"  # D1 committee, D3 leader
    assert new["Sagsbehandlingstid, median"] == "35 dage"
    assert table.iloc[1]["Sagsbehandlingstid, median"] == "–"
    by_who = visitation.decision_table(groups, "decided_by")
    assert list(by_who["Truffet af"]) == ["Visitationsudvalg", "Sagsbehandler", "Leder"]


def test_decisions_by_month_and_processing_distribution(decided):
    months = rows(decided, "social_decisions_by_month")
    got = {(int(m), k): int(n) for m, k, n in months[["month", "kind", "decisions"]].to_numpy()}
    assert got == {(1, "new"): 1, (2, "change"): 1, (2, "new"): 2, (3, "new"): 1}
    chart_rows = visitation.decisions_by_month(months, 2024)
    assert list(chart_rows["Art"]) == ["Ny ansøgning", "Ændring", "Ny ansøgning", "Ny ansøgning"]
    assert chart_rows["Måned"].iloc[0] == pd.Timestamp(2024, 1, 1)

    spread = rows(decided, "social_processing_days")
    assert list(spread["processing_days"]) == [10, 30, 40, 121]
    assert visitation.weighted_median(spread["processing_days"], spread["decisions"]) == kpi(
        decided, "processing_days_median"
    )
    buckets = visitation.processing_distribution(spread)
    assert dict(zip(buckets["Sagsbehandlingstid"], buckets["Afgørelser"], strict=True)) == {
        "0-14 dage": 1,
        "15-30 dage": 1,
        "31-60 dage": 1,
        "61-90 dage": 0,
        "Over 90 dage": 1,
    }


@pytest.mark.parametrize(
    ("values", "counts", "expected"),
    [
        ([10, 30, 40, 121], [1, 1, 1, 1], 35),
        ([5, 9], [3, 1], 5),
        ([5, 9], [1, 1], 7),
        ([], [], None),
    ],
)
def test_weighted_median_is_percentile_cont(values, counts, expected):
    assert visitation.weighted_median(pd.Series(values), pd.Series(counts)) == expected


# ---------------------------------------------------------------- Progression


@pytest.fixture
def progressed(tiny):
    # The assessments of tests/test_kpis.py (progression and goal attainment), plus grants on two
    # offers so the breakdown by offer type and offer has something to group.
    tiny.add(
        "assessment",
        *ASSESSMENT_CASES,
    )
    tiny.add(
        "offer",
        offer("O1", "own", "SEL85", name="Bostøtten"),
        offer("O2", "private", "SEL104", name="Værestedet"),
    )
    tiny.add(
        "grant",
        grant("P1", date(2023, 1, 1), citizen_id="C1", offer_id="O1"),
        grant("P2", date(2023, 1, 1), citizen_id="C1", offer_id="O2", offer_type_code="SEL104"),
        grant("P3", date(2023, 1, 1), citizen_id="C2", offer_id="O1"),
    )
    set_on = date(2023, 1, 1)
    tiny.add(
        "goal",
        goal("G1", "C1", "egenomsorg", "develop", 3, 2, set_on, date(2024, 2, 1), "P1"),
        goal("G2", "C2", "egenomsorg", "maintain", 1, 1, set_on, D),
        goal("G3", "C3", "relationer", "limit_loss", 2, 3, set_on, date(2024, 1, 15)),
        goal("G4", "C4", "egenomsorg", "develop", 3, 2, set_on, date(2024, 3, 1)),
        goal("G5", "C1", "egenomsorg", "develop", 3, 2, set_on, date(2023, 12, 31)),
        goal("G6", "C5", "sundhed", "develop", 2, 1, set_on, date(2024, 2, 1)),
    )
    return tiny


def test_progression_breakdowns_add_up_to_the_kpis(progressed):
    p = rows(progressed, "social_progression_by_group")
    a = rows(progressed, "social_goal_attainment_by_group")
    h = rows(progressed, "social_goals_with_horizon_by_group")
    v = metrics.compute(
        ["progression_share", "decline_share", "goal_attainment", "goals_with_horizon"],
        SCOPE,
        progressed.url,
    )
    themes = p[p["dimension"] == "theme"]
    assert themes["improved"].sum() / themes["pairs"].sum() == pytest.approx(v["progression_share"])
    assert themes["declined"].sum() / themes["pairs"].sum() == pytest.approx(v["decline_share"])
    goal_themes = a[a["dimension"] == "theme"]
    assert goal_themes["achieved"].sum() / goal_themes["goals"].sum() == pytest.approx(
        v["goal_attainment"]
    )
    types = h[h["dimension"] == "offer_type"]
    assert types["with_horizon"].sum() / types["grants"].sum() == pytest.approx(
        v["goals_with_horizon"]
    )

    by_theme = progression.progression_table(p, a, h, "theme").set_index("Tema")
    assert list(by_theme.index) == ["Egenomsorg", "Mobilitet", "Relationer", "Sundhed"]
    assert by_theme.loc["Egenomsorg", "Vurderede temaer"] == 2  # C1 3→2, C2 1→3
    assert by_theme.loc["Egenomsorg", "Fremgang"] == pytest.approx(0.5)
    assert by_theme.loc["Egenomsorg", "Mål med frist"] == 3  # G1, G2, G4
    assert by_theme.loc["Egenomsorg", "Mål nået"] == pytest.approx(1 / 3)
    assert by_theme.loc["Sundhed", "Vurderede temaer"] == 0
    assert pd.isna(by_theme.loc["Sundhed", "Fremgang"])

    by_offer = progression.progression_table(p, a, h, "offer").set_index("key")
    o1 = by_offer.loc["O1"]
    assert o1["Tilbud"] == "Bostøtten"
    # C1's two themes and C2's egenomsorg; one better (C1 egenomsorg), one worse (C2).
    assert (o1["Vurderede temaer"], o1["Fremgang"], o1["Tilbagegang"]) == (3, 1 / 3, 1 / 3)
    assert (o1["Mål med frist"], o1["Mål nået"]) == (1, 1.0)  # G1 on grant P1
    assert (o1["Aktive bevillinger"], o1["Med tidsfastsatte mål"], o1["Borgere"]) == (2, 0.5, 2)
    assert by_offer.loc["O2", "Vurderede temaer"] == 2 and by_offer.loc["O2", "Borgere"] == 1

    by_type = progression.progression_table(p, a, h, "offer_type").set_index("Indsatstype")
    assert by_type.loc["Uden bevilling", "Mål med frist"] == 4

    shown = progression.progression_display(progression.progression_table(p, a, h, "offer"))
    first = shown.iloc[0]
    assert first["Tilbud"] == "Bostøtten"
    assert (first["Fremgang"], first["Mål nået"], first["Med tidsfastsatte mål"]) == (
        "33,3 %",
        "100,0 %",
        "50,0 %",
    )
    themed = progression.progression_display(progression.progression_table(p, a, h, "theme"), False)
    assert "Aktive bevillinger" not in themed.columns


# ---------------------------------------------------------------- Kontrakter


@pytest.fixture
def contracted(tiny):
    # The cases of tests/test_kpis.py (contract coverage 2/3 by count, 7/10 by price; four valid
    # contracts, two of them with goals, two due for renegotiation).
    tiny.add(
        "offer",
        offer("P", "private"),
        offer("R", "region"),
        offer("K", "other_municipality", "SEL107"),
        offer("OWN", "own"),
    )
    return add_contract_cases(tiny)


def test_contract_lists_match_the_kpis(contracted):
    v = metrics.compute(
        ["contract_coverage", "contract_coverage_value", "contracts_with_goals"],
        SCOPE,
        contracted.url,
    )
    coverage = rows(contracted, "social_contract_coverage_by_group")
    owners = coverage[coverage["dimension"] == "owner_type"]
    missing = rows(contracted, "list_grants_without_contract")
    assert list(missing["grant_id"]) == ["GB"]
    assert 1 - len(missing) / owners["grants"].sum() == pytest.approx(v["contract_coverage"])
    assert 1 - missing["monthly_price"].sum() / owners["monthly_price_dkk"].sum() == pytest.approx(
        v["contract_coverage_value"]
    )
    assert owners["covered_monthly_price_dkk"].sum() / owners["monthly_price_dkk"].sum() == (
        pytest.approx(v["contract_coverage_value"])
    )
    assert contracts.WITHOUT_CONTRACT_LIST.shown(missing)["Status"].tolist() == [
        "Udløbet 30.03.2024"
    ]
    shown = contracts.coverage_table(coverage, "owner_type").set_index("Ejerform")
    assert shown.loc["Regionalt tilbud", "Kontraktdækning"] == "0,0 %"
    assert shown.loc["Anden kommunes tilbud", "Dækning vægtet med pris"] == "100,0 %"

    due = rows(contracted, "list_contracts_to_renegotiate")
    assert len(due) == kpi(contracted, "contracts_to_renegotiate") == 2
    assert list(due["contract_id"]) == ["K5", "K1"]
    table = contracts.RENEGOTIATE_LIST.shown(due)
    assert list(table["Frist"]) == ["10 dage over tid", "om 90 dage"]
    assert list(table["Borger"]) == ["–", "CGA"]  # K5's grant is not in the data
    assert list(table["Ejerform"]) == ["Ukendt", "Privat tilbud"]

    valid = rows(contracted, "social_contracts_by_owner")
    assert valid["to_renegotiate"].sum() == 2
    assert valid["with_goals"].sum() / valid["contracts"].sum() == pytest.approx(
        v["contracts_with_goals"]
    )
    assert dict(zip(valid["owner_type"], valid["contracts"], strict=True)) == {
        "": 2,
        "other_municipality": 1,
        "private": 1,
    }


def test_why_a_grant_has_no_valid_contract(tiny):
    tiny.add("offer", offer("P", "private"))
    start = date(2022, 1, 1)
    tiny.add(
        "grant",
        grant("N1", start, offer_id="P"),
        grant("N2", start, offer_id="P", monthly_price=5000),
        grant("N3", start, offer_id="P", monthly_price=3000),
    )
    tiny.add(
        "contract",
        {
            "contract_id": "K2",
            "grant_id": "N2",
            "template": "other",
            "valid_from": start,
            "valid_to": date(2023, 12, 31),
            "monthly_price": 5000,
            "has_goals_annex": False,
            "renegotiate_by": None,
        },
        {
            "contract_id": "K3",
            "grant_id": "N3",
            "template": "kl_standard",
            "valid_from": days(14),
            "valid_to": None,
            "monthly_price": 3000,
            "has_goals_annex": True,
            "renegotiate_by": None,
        },
    )
    missing = rows(tiny, "list_grants_without_contract")
    assert kpi(tiny, "contract_coverage") == 0
    assert contracts.WITHOUT_CONTRACT_LIST.shown(missing)["Status"].tolist() == [
        "Udløbet 31.12.2023",
        "Ny kontrakt gælder fra 14.04.2024",
        "Ingen kontrakt",
    ]


# ---------------------------------------------------------------- Tilbud og borger


@pytest.fixture
def offered(tiny):
    tiny.add(
        "offer",
        offer("OWN", "own", places=4, name="Bofællesskabet Engely"),
        offer("EXT", "private", places=30, name="Privat bosted"),
        offer("EMPTY", "own", places=10, name="Tomt tilbud"),
    )
    start = date(2023, 1, 1)
    tiny.add(
        "grant",
        grant("A", start, citizen_id="C1", offer_id="OWN", offer_type_code="SEL108")
        | {"monthly_price": 10000},
        grant("B", start, citizen_id="C2", offer_id="OWN", offer_type_code="SEL108")
        | {"monthly_price": 60000},
        grant("C", start, citizen_id="C3", offer_id="OWN", offer_type_code="SEL104")
        | {"monthly_price": 5000},
        grant("D", start, citizen_id="C4", offer_id="EXT", offer_type_code="SEL108")
        | {"monthly_price": 100000},
        grant("E", start, citizen_id="C5", offer_id="EXT", offer_type_code="SEL108")
        | {"monthly_price": 20000},
        grant("F", start, days(-1), citizen_id="C6", offer_id="OWN", offer_type_code="SEL108")
        | {"monthly_price": 1e6},
    )
    tiny.add(
        "contract",
        {
            "contract_id": "K",
            "grant_id": "D",
            "template": "kl_standard",
            "valid_from": start,
            "valid_to": None,
            "monthly_price": 100000,
            "has_goals_annex": True,
            "renegotiate_by": None,
        },
    )
    tiny.add(
        "expense",
        expense("E1", date(2024, 1, 31), 1000, offer_id="OWN", grant_id="A", citizen_id="C1"),
        expense("E2", date(2024, 3, 31), 2000, offer_id="OWN", grant_id="B", citizen_id="C2"),
        expense("E3", date(2024, 2, 29), 5000, offer_id="EXT", grant_id="D", citizen_id="C4"),
        expense("E4", date(2023, 12, 31), 9999, offer_id="OWN", grant_id="A", citizen_id="C1"),
        expense("E5", date(2024, 2, 29), 300),
        # Before the first of the month two years back (1 April 2022): not in the monthly chart.
        expense("E6", date(2022, 3, 31), 77, offer_id="OWN", grant_id="A", citizen_id="C1"),
    )
    return tiny


def test_offers_show_citizens_occupancy_prices_and_spend(offered):
    offers = rows(offered, "social_offers").set_index("offer_id")
    own, ext, empty = offers.loc["OWN"], offers.loc["EXT"], offers.loc["EMPTY"]
    assert (own["citizens"], own["grants"], own["monthly_price_dkk"]) == (3, 3, 75000)
    assert own["median_monthly_price"] == pytest.approx(35000)  # SEL108 grants only: 10 and 60
    assert own["type_median_monthly_price"] == pytest.approx(40000)  # 10, 20, 60, 100 thousand
    assert offer_views.price_delta(own) == pytest.approx(-0.125)
    assert offer_views.occupancy_text(own) == "3 af 4"
    assert offer_views.occupancy_text(ext) == "–"  # external: places are shared with other buyers
    assert offer_views.offer_coverage(own) is None
    assert offer_views.offer_coverage(ext) == pytest.approx(0.5)
    assert (empty["citizens"], empty["spend_ytd_dkk"]) == (0, 0)
    assert (own["spend_ytd_dkk"], ext["spend_ytd_dkk"]) == (3000, 5000)
    assert offer_views.location_text(own, 999) == "i kommunen"

    table = offer_views.offers_table(offers.reset_index()).set_index("Tilbud")
    assert table.loc["Bofællesskabet Engely", "Borgere"] == "3"
    assert table.loc["Bofællesskabet Engely", "Månedspris i alt"] == "75.000 kr."
    assert table.loc["Privat bosted", "Pladser"] == "30"


def test_offer_spend_agrees_with_the_economy_view(offered):
    offers = rows(offered, "social_offers")
    # Spend on offers plus spend without an offer is the economy view's spend to date.
    assert offers["spend_ytd_dkk"].sum() + 300 == kpi(offered, "spend_ytd") == 8300
    provider = rows(offered, "econ_spend_by_provider").groupby("offer_id")["spend_dkk"].sum()
    assert offers.set_index("offer_id").loc[provider.index, "spend_ytd_dkk"].tolist() == (
        provider.tolist()
    )

    months = rows(offered, "social_offer_spend_by_month", offer_id="OWN")
    assert [
        (int(y), int(m), a) for y, m, a in months[["year", "month", "amount_dkk"]].to_numpy()
    ] == [
        (2023, 12, 9999),
        (2024, 1, 1000),
        (2024, 3, 2000),
    ]
    assert offer_views.monthly_series(months)["Måned"].tolist()[0] == pd.Timestamp(2023, 12, 1)


def test_offer_citizens_list(offered):
    placed = rows(offered, "list_offer_citizens", offer_id="OWN")
    assert list(placed["citizen_id"]) == ["C2", "C1", "C3"]  # dearest first; C6 has ended
    assert list(placed["spend_ytd_dkk"]) == [2000, 1000, 0]
    shown = offer_views.offer_citizens_table(placed, 40000, own=True)
    assert list(shown["I forhold til typens median"]) == ["+50 %", "-75 %", "-88 %"]
    assert set(shown["Gyldig kontrakt"]) == {"Eget tilbud"}
    external = offer_views.offer_citizens_table(
        rows(offered, "list_offer_citizens", offer_id="EXT"), 4e4
    )
    assert list(external["Gyldig kontrakt"]) == ["Ja", "Nej"]


def test_citizen_detail(offered):
    offered.add(
        "citizen",
        {"citizen_id": "C1", "birth_year": 1980, "target_group": "psykiatri"},
        {"citizen_id": "C9", "birth_year": 1990, "target_group": "udsat"},
    )
    offered.add(
        "grant",
        grant("A0", date(2022, 1, 1), date(2022, 12, 31), citizen_id="C1", offer_type_code="SEL85")
        | {"monthly_price": 4000},
    )
    offered.add(
        "decision", decision("DA", "new", "granted", date(2022, 11, 1), date(2022, 12, 1), "SEL108")
    )
    grants = rows(offered, "detail_citizen_grants", citizen_id="C1")
    assert list(grants["grant_id"]) == ["A", "A0"]  # newest first
    assert list(grants["active"]) == [1, 0]
    summary = citizens.citizen_summary(grants)
    assert summary == {
        "active_grants": 1,
        "monthly_price": 10000.0,
        "yearly_price": 120000.0,
        "highest_step": 5,
        "spend_ytd": 1000.0,
    }
    table = citizens.grants_table(grants)
    assert list(table["Til"]) == ["åben", "31.12.2022"]
    assert list(table["Trin"]) == ["5", "2"]
    frame = citizens.timeline_frame(grants, D)
    assert frame["Til"].tolist() == [pd.Timestamp(D), pd.Timestamp(2022, 12, 31)]
    decisions = citizens.decisions_table(rows(offered, "detail_citizen_decisions", citizen_id="C1"))
    assert decisions.iloc[0].to_dict() == {
        "Afgjort": "01.12.2022",
        "Art": "Ny ansøgning",
        "Udfald": "Bevilget",
        "Indsats": "Længerevarende botilbud",
        "Truffet af": "Sagsbehandler",
        "Sagsbehandlingstid": "30 dage",
    }
    spend = rows(offered, "detail_citizen_spend", citizen_id="C1")
    assert spend["amount_dkk"].tolist() == [9999, 1000]

    people = rows(offered, "list_citizens", top=1000).set_index("citizen_id")
    assert people.loc["C1", "active_monthly_price"] == 10000
    assert people.loc["C1", "grants"] == 2
    assert common.as_date(people.loc["C1", "last_ended"]) == date(2022, 12, 31)
    assert people.loc["C9", "active_grants"] == 0  # in the register, no grants
    assert common.find_row(people.reset_index(), "citizen_id", "C9") is not None
    assert common.find_row(people.reset_index(), "citizen_id", "C99") is None
    # The picker reads only the `top` dearest; the URL's pseudonym reads one row.
    assert list(rows(offered, "list_citizens", top=1)["citizen_id"]) == [people.index[0]]
    assert list(rows(offered, "list_citizens", citizen_id="C9", top=1)["citizen_id"]) == ["C9"]
    assert common.find_row(people.reset_index(), "citizen_id", "'; drop table x") is None


def test_citizen_goals_and_assessments(progressed):
    goals = rows(progressed, "detail_citizen_goals", citizen_id="C1")
    shown = citizens.goals_table(goals)
    first = shown.iloc[0].to_dict()
    assert first == {
        "Tema": "Egenomsorg",
        "Mål": "Udvikle",
        "Udgangspunkt": "3 Svær",
        "Målniveau": "2 Moderat",
        "Sat": "01.01.2023",
        "Frist": "01.02.2024",
        "Seneste vurdering": "2 Moderat (01.01.2024)",
        "Status": "Nået",
    }
    levels = citizens.assessments_frame(
        rows(progressed, "detail_citizen_assessments", citizen_id="C1")
    )
    assert list(levels["Funktionsniveau"]) == [3, 2, 2, 3, 2]


def test_citizen_signals_come_from_the_lists(offered):
    offered.add("goal", goal("GS", "C2", "mobilitet", "develop", 3, 1, date(2023, 1, 1), None, "B"))
    offered.add("assessment", assessment("C2", "mobilitet", date(2023, 6, 1), 1))
    signals = rows(offered, "list_adjustment_signals", citizen_id="C2")
    missing = rows(offered, "list_grants_without_contract", citizen_id="C5")
    texts = citizens.citizen_signals(
        "C2", signals, rows(offered, "list_followups_overdue"), missing
    )
    assert texts == [
        "**Tilpasningssignal:** udviklingsmål nået 01.06.2023 (Mobilitet), men Længerevarende "
        "botilbud til 60.000 kr./md. er ikke tilpasset siden. Næste trin ned: Midlertidigt "
        "botilbud · ingen aktive bevillinger"
    ]
    assert citizens.citizen_signals("C5", signals, signals.iloc[0:0], missing) == [
        "**Ingen gyldig kontrakt:** Længerevarende botilbud på Privat bosted (ingen kontrakt)."
    ]


# ---------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    ("text", "ok"),
    [("B999-000123", True), ("T999-0071", True), ("", False), ("<script>", False), (None, False)],
)
def test_url_ids_are_validated(text, ok):
    assert common.valid_id(text) is ok


def test_labels_are_danish_and_unknown_codes_survive():
    assert labels.label(labels.KIND_LABELS, "revisitation") == "Revisitation"
    assert labels.label(labels.OWNER_LABELS, "other_municipality") == "Anden kommunes tilbud"
    assert labels.label(labels.OWNER_LABELS, None) == "Ukendt"
    assert labels.theme_label("mentale_funktioner") == "Mentale funktioner"
    assert labels.theme_label("nyt_tema") == "Nyt tema"
    assert labels.level_label(0) == "0 Ingen"
    assert common.short_date(date(2026, 10, 31)) == "31.10.2026"
    assert common.short_date(None) == "–"


def test_list_exports_keep_numbers_as_numbers(tiny):
    add_adjustment_cases(tiny)
    exported = progression.SIGNAL_LIST.table(rows(tiny, "list_adjustment_signals"))
    frame, units = exported.frame, exported.units
    first = frame.set_index("Bevilling").loc["SC8"]
    assert first["Borger"] == "C8"
    assert first["Månedspris"] == 1000.0
    assert first["Mål nået den"] == date(2023, 5, 1)
    assert first["Tema"] == "Egenomsorg, Mobilitet"
    assert pd.isna(first["Forskel pr. måned"])
    assert units["Månedspris"] == "kr." and units["Mål nået den"] == "date"
    from cockpit import downloads

    assert set(units.values()) <= set(downloads.UNITS)
