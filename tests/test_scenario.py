"""Hvad nu hvis (issue 15): the multi-year projection, each lever, a combination, the CLI, saved
scenarios and the forecast's accuracy, on a tiny hand-built database (DuckDB and PostgreSQL).

Scope: municipality 999, year 2024 (366 days), reference date d = 31 December 2024 unless a test
says otherwise. Model months: k = 1 is January 2025. The outflow/inflow window is the 36 months
January 2022 - December 2024.

Offer types and grants active on d:
- SEL108 (step 5): g1 50.000, g2 60.000, g3 70.000 open-ended; g4 80.000 ends 30.6.2025; g5 40.000
  ends 31.12.2026. Median 60.000; open-ended 180.000 a month. g6 (90.000) ended 15.6.2023: of the
  6 grants active on 1.6.2023, 1 ended that month; every other month none ended, so the outflow
  rate is (1/6) / 36 = 1/216. No new grants in the window.
- SEL85 (step 2): h1-h5 at 5.000, 6.000, 7.000, 8.000, 9.000, open-ended, started 1.1.2023: median
  7.000, open-ended 35.000 a month, never an end: outflow 0; 5 new grants in 36 months: inflow
  5/36 a month at the median new price 7.000.
- SEL107 (step 4): k1 30.000 open-ended since 2020: the typical price one step down from SEL108.
Expenses 2024: 1.000.000 on g1, and 36.600 without a grant on SEL85 (100 kr. a day).
Budget: 2024 1.000.000, 2025 1.100.000, nothing later (carried forward).
Adjustment signals: C1 (g1, 50.000) and C2 (g2, 60.000) reached a develop goal on 1.3.2024.
"""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from cockpit import state
from cockpit.__main__ import main
from cockpit.access.gateway import AccessDenied, open_for
from cockpit.auth import Principal
from cockpit.periods import Scope
from cockpit.scenario import accuracy, present, projection, service, store
from cockpit.scenario.levers import LeverError, Levers, Move, from_cli

D = date(2024, 12, 31)
SCOPE = Scope(999, 2024, D)
OLD = date(2020, 1, 1)
LEDER = Principal("lene", "leder")
DIREKTOER = Principal("dorte", "direktoer")
POLITIKER = Principal("peter", "politiker")

S12 = sum((215 / 216) ** k for k in range(1, 13))  # survival of SEL108's open grants in 2025
S24 = sum((215 / 216) ** k for k in range(13, 25))  # ... in 2026
FIXED_2025 = 80_000 * 12 / 365 * 181 + 40_000 * 12  # g4 to 30 June, g5 the whole year
BASE_2025 = (
    FIXED_2025
    + 180_000 * S12  # SEL108 open-ended, thinned by 1/216 a month
    + 30_000 * 12  # SEL107, no outflow
    + 35_000 * 12  # SEL85 open-ended, no outflow
    + 5 / 36 * 7_000 * sum(range(1, 13))  # SEL85 inflow: k cohorts in month k
    + 100 * 365  # spend without a grant, 100 kr. a day
)
BASE_2026 = (
    40_000 * 12
    + 180_000 * S24
    + 30_000 * 12
    + 35_000 * 12
    + 5 / 36 * 7_000 * sum(range(13, 25))
    + 100 * 365
)


def grant(gid, citizen, code, price, start=OLD, end=None):
    return {
        "grant_id": gid,
        "citizen_id": citizen,
        "offer_type_code": code,
        "start_date": start,
        "end_date": end,
        "monthly_price": price,
    }


@pytest.fixture
def town(tiny):
    return build_town(tiny)


def build_town(tiny):
    """The rows of the module docstring (plus one posting in 2025, so 2024 is a closed year)."""
    prices = {"g1": 50_000, "g2": 60_000, "g3": 70_000}
    rows = [grant(g, f"C{g[1]}", "SEL108", p) for g, p in prices.items()]
    rows += [
        grant("g4", "C4", "SEL108", 80_000, end=date(2025, 6, 30)),
        grant("g5", "C5", "SEL108", 40_000, end=date(2026, 12, 31)),
        grant("g6", "C6", "SEL108", 90_000, end=date(2023, 6, 15)),
        grant("k1", "C21", "SEL107", 30_000),
    ]
    rows += [
        grant(f"h{i}", f"C1{i}", "SEL85", 4_000 + 1_000 * i, start=date(2023, 1, 1))
        for i in range(1, 6)
    ]
    tiny.add("grant", *rows)
    spend = {"account_function": "5.38.50", "offer_type_code": "SEL108"}
    tiny.add(
        "expense",
        {
            "expense_id": "e1",
            "posting_date": date(2024, 6, 1),
            "amount_dkk": 1_000_000.0,
            "grant_id": "g1",
            "citizen_id": "C1",
            **spend,
        },
        {
            "expense_id": "e2",
            "posting_date": date(2024, 6, 1),
            "amount_dkk": 36_600.0,
            "account_function": "5.38.38",
            "offer_type_code": "SEL85",
        },
    )
    tiny.add(
        "expense",
        {
            "expense_id": "e3",
            "posting_date": date(2025, 1, 15),
            "amount_dkk": 1_000.0,
            "account_function": "5.38.38",
            "offer_type_code": "SEL85",
            "grant_id": "h1",
        },
    )
    tiny.add(
        "budget",
        *[
            {"year": y, "offer_type_code": "SEL108", "original_dkk": v, "corrected_dkk": v}
            for y, v in ((2024, 1_000_000.0), (2025, 1_100_000.0))
        ],
    )
    goal = {
        "theme": "egenomsorg",
        "goal_type": "develop",
        "baseline_level": 3,
        "target_level": 1,
        "set_on": date(2024, 1, 1),
    }
    tiny.add(
        "goal",
        {"goal_id": "o1", "citizen_id": "C1", "grant_id": "g1", **goal},
        {"goal_id": "o2", "citizen_id": "C2", "grant_id": "g2", **goal},
    )
    tiny.add(
        "assessment",
        *[
            {"citizen_id": c, "theme": "egenomsorg", "assessed_on": date(2024, 3, 1), "level": 1}
            for c in ("C1", "C2")
        ],
    )
    return tiny


NO_LEVERS = Levers()


def years(tiny, levers=NO_LEVERS, scope=SCOPE):
    _, frame, _ = service.compute(scope, levers, tiny.url)
    return frame.set_index("year")


def close(a, b):
    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-4), (a, b)


# ---------------------------------------------------------------- the model's inputs (SQL)


def test_flow_window_and_model_months():
    assert projection.flow_window(D) == (date(2022, 1, 1), date(2024, 12, 31))
    assert projection.flow_window(date(2024, 10, 15)) == (date(2021, 10, 1), date(2024, 9, 30))
    assert projection.lever_start(date(2024, 10, 31)) == date(2024, 11, 1)
    months = projection.model_months(Scope(999, 2024, date(2024, 10, 31)))
    assert months[0] == (1, date(2024, 11, 1)) and months[2] == (3, date(2025, 1, 1))
    assert months[-1] == (38, date(2027, 12, 1))


def test_inputs_outflow_inflow_and_medians(town):
    ins = service.inputs(SCOPE, Levers(signals=1), town.url)
    active = ins.active.set_index("offer_type_code")
    assert active.loc["SEL108", "median_monthly_price"] == 60_000
    assert active.loc["SEL108", "open_monthly_dkk"] == 180_000
    assert active.loc["SEL85", "median_monthly_price"] == 7_000
    assert active.loc["SEL85", "other_ytd_dkk"] == 36_600
    flows = ins.flows.set_index("offer_type_code")
    close(flows.loc["SEL108", "outflow_rate"], 1 / 216)
    assert flows.loc["SEL85", "outflow_rate"] == 0
    close(flows.loc["SEL85", "inflow_per_month"], 5 / 36)
    assert flows.loc["SEL85", "new_median_monthly_price"] == 7_000
    fixed = ins.fixed.set_index(["offer_type_code", "year"])["fixed_dkk"]
    close(fixed[("SEL108", 2025)], FIXED_2025)
    close(fixed[("SEL108", 2026)], 480_000)
    assert ("SEL108", 2027) not in fixed.index
    assert ins.signals["signals_available"].iloc[0] == 2
    assert ins.signals["monthly_difference_dkk"].iloc[0] == 30_000  # g2: 60.000 - 30.000


# ---------------------------------------------------------------- baseline and budgets


def test_baseline_and_budget_per_year(town):
    y = years(town)
    close(y.loc[2024, "baseline_dkk"], 1_036_600)  # d = 31.12: the year's spend
    close(y.loc[2025, "baseline_dkk"], BASE_2025)
    close(y.loc[2026, "baseline_dkk"], BASE_2026)
    assert (y["difference_dkk"] == 0).all() and (y["scenario_dkk"] == y["baseline_dkk"]).all()
    assert y["budget_dkk"].tolist() == [1_000_000, 1_100_000, 1_000_000, 1_000_000]
    assert y["budget_source"].tolist() == ["budget", "budget", "carried", "carried"]


def test_price_index_applies_from_the_next_year(town):
    y = years(town, Levers(moves=(Move("SEL108", "SEL85", 2),), index_pct=2))
    close(y.loc[2024, "baseline_dkk"], 1_036_600)
    close(y.loc[2025, "baseline_dkk"], BASE_2025 * 1.02)
    close(y.loc[2026, "baseline_dkk"], BASE_2026 * 1.02**2)
    close(y.loc[2025, "difference_dkk"], 2 * 12 * (7_000 - 60_000) * 1.02)


# ---------------------------------------------------------------- each lever


def test_move_full_year_is_n_times_12_times_the_median_difference(town):
    y = years(town, Levers(moves=(Move("SEL108", "SEL85", 2),)))
    assert y.loc[2024, "difference_dkk"] == 0  # nothing left of 2024 after 31.12
    for year in (2025, 2026, 2027):
        close(y.loc[year, "difference_dkk"], 2 * 12 * (7_000 - 60_000))  # -1.272.000
    close(y.loc[2025, "scenario_dkk"], BASE_2025 - 1_272_000)


def test_move_from_a_date_and_within_the_scope_year(town):
    late = years(town, Levers(moves=(Move("SEL108", "SEL85", 2, date(2025, 7, 1)),)))
    close(late.loc[2025, "difference_dkk"], 6 * 2 * -53_000)
    mid = years(town, Levers(moves=(Move("SEL108", "SEL85", 1, date(2025, 1, 16)),)))
    close(mid.loc[2025, "difference_dkk"], (16 / 31 + 11) * -53_000)
    october = Scope(999, 2024, date(2024, 10, 31))
    y = years(town, Levers(moves=(Move("SEL108", "SEL85", 2),)), october)
    close(y.loc[2024, "difference_dkk"], 2 * 2 * -53_000)  # November and December
    close(y.loc[2025, "difference_dkk"], 2 * 12 * -53_000)


def test_signals_dearest_first(town):
    one = years(town, Levers(signals=1))
    close(one.loc[2025, "difference_dkk"], -12 * (60_000 - 30_000))
    two = years(town, Levers(signals=2))
    close(two.loc[2025, "difference_dkk"], -12 * ((60_000 - 30_000) + (50_000 - 30_000)))
    close(years(town, Levers(signals=5)).loc[2025, "difference_dkk"], -600_000)


def test_price_change(town):
    y = years(town, Levers(price_pct={"SEL85": -10}))
    sel85_2025 = 35_000 * 12 + 5 / 36 * 7_000 * 78 + 36_500
    close(y.loc[2025, "difference_dkk"], -0.10 * sel85_2025)
    october = Scope(999, 2024, date(2024, 10, 31))
    y = years(town, Levers(price_pct={"SEL107": 10}), october)
    # 2024: 10 % of SEL107's forecast after 31.10: 30.000 x 12 / 366 x 61 days.
    close(y.loc[2024, "difference_dkk"], 0.10 * 30_000 * 12 / 366 * 61)


def test_inflow_change(town):
    y = years(town, Levers(inflow_pct={"SEL85": 20}))
    assert y.loc[2024, "difference_dkk"] == 0
    close(y.loc[2025, "difference_dkk"], 0.2 * 5 / 36 * 7_000 * 78)
    close(y.loc[2026, "difference_dkk"], 0.2 * 5 / 36 * 7_000 * 222)


def test_youth_entering(town):
    y = years(town, Levers(youth_type="SEL85", youth_per_year=12))
    # One a month from January 2025 at the median new price, 7.000: 1 + 2 + ... + 12 months.
    close(y.loc[2025, "difference_dkk"], 7_000 * 78)
    close(y.loc[2026, "difference_dkk"], 7_000 * 222)


def test_combination_of_levers(town):
    levers = Levers(
        moves=(Move("SEL108", "SEL85", 2),),
        price_pct={"SEL85": -10},
        inflow_pct={"SEL85": 20},
        youth_type="SEL85",
        youth_per_year=12,
        signals=1,
    )
    y = years(town, levers)
    inflow = 5 / 36 * 7_000 * 78
    price = -0.10 * (35_000 * 12 + inflow * 1.2 + 36_500)  # the price applies to the new inflow
    expected = -1_272_000 - 360_000 + 0.2 * inflow + price + 546_000
    close(y.loc[2025, "difference_dkk"], expected)
    close(y.loc[2025, "scenario_dkk"], BASE_2025 + expected)


def test_bad_levers_are_refused_in_danish(town):
    with pytest.raises(LeverError, match="Ukendt indsatstype: XX"):
        years(town, Levers(moves=(Move("SEL108", "XX", 2),)))
    with pytest.raises(LeverError, match="ingen aktive bevillinger"):
        years(town, Levers(moves=(Move("SEL108", "SEL82", 2),)))
    with pytest.raises(LeverError, match="FRA:TIL:ANTAL"):
        from_cli(["SEL108-SEL85"], [], [], None, 0, 0)


# ---------------------------------------------------------------- CLI and roles


def scenario_cli(url: str, *more: str) -> int:
    """`python -m cockpit scenario` for municipality 999 and 2024 on `url`, with more arguments."""
    args = ["scenario", "--database-url", url, "--municipality", "999", "--year", "2024"]
    return main([*args, *more])


def test_cli_json_gives_the_page_numbers(town, capsys):
    code = scenario_cli(town.url, "--as-of", "2024-12-31", "--move", "SEL108:SEL85:2", "--json")
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    by_year = {r["year"]: r for r in out["years"]}
    assert set(by_year) == {2024, 2025, 2026, 2027}
    assert by_year[2025]["difference_dkk"] == -1_272_000
    assert by_year[2025]["budget_dkk"] == 1_100_000
    page = service.run(
        open_for(LEDER, town.url), SCOPE, Levers(moves=(Move("SEL108", "SEL85", 2),))
    )
    assert page.years["scenario_dkk"].round(2).tolist() == [r["scenario_dkk"] for r in out["years"]]
    assert scenario_cli(town.url, "--price", "SEL85") == 2
    assert "INDSATSTYPE:PROCENT" in capsys.readouterr().err


def test_cli_every_lever_option(town, capsys):
    args = ["scenario", "--database-url", town.url, "--municipality", "999", "--year", "2024"]
    args += ["--as-of", "2024-12-31", "--move", "SEL108:SEL85:2:2025-07-01", "--signals", "1"]
    args += ["--price", "SEL85:-10", "--inflow", "SEL85:20", "--youth", "SEL85:12"]
    assert main([*args, "--index", "2", "--json"]) == 0
    out = {r["year"]: r for r in json.loads(capsys.readouterr().out)["years"]}
    inflow = 5 / 36 * 7_000 * 78
    price = -0.10 * (35_000 * 12 + inflow * 1.2 + 36_500)
    expected = (6 * 2 * -53_000 - 360_000 + 0.2 * inflow + price + 546_000) * 1.02
    assert out[2025]["difference_dkk"] == round(expected, 2)
    assert out[2025]["baseline_dkk"] == round(BASE_2025 * 1.02, 2)
    assert main([*args[:7], "--youth", "SEL85", "--json"]) == 2
    assert "INDSATSTYPE:ANTAL" in capsys.readouterr().err


def test_a_lever_priced_from_few_citizens_is_hidden_for_directors(town):
    levers = Levers(signals=1)  # one citizen's grant
    for_leder = service.run(open_for(LEDER, town.url), SCOPE, levers)
    close(for_leder.years.set_index("year").loc[2025, "difference_dkk"], -360_000)
    for_director = service.run(open_for(DIREKTOER, town.url), SCOPE, levers)
    assert for_director.hidden_levers
    assert for_director.years["difference_dkk"].isna().all()
    close(for_director.years.set_index("year").loc[2025, "baseline_dkk"], BASE_2025)
    moved = service.run(
        open_for(DIREKTOER, town.url), SCOPE, Levers(moves=(Move("SEL108", "SEL85", 2),))
    )
    assert not moved.hidden_levers  # both medians rest on 5 citizens
    with pytest.raises(AccessDenied):
        service.run(open_for(Principal("a", "admin"), town.url), SCOPE, levers)


# ---------------------------------------------------------------- saved scenarios


def test_save_list_reopen_and_only_the_author_deletes():
    levers = Levers(moves=(Move("SEL108", "SEL85", 10, date(2025, 1, 1)),), signals=3)
    sid = store.save(DIREKTOER, SCOPE, "  Ti   til bostøtte ", levers)
    other = store.save(LEDER, SCOPE, "Lenes", Levers(price_pct={"SEL107": -5.5}))
    shown = store.listed(POLITIKER, 999)
    assert [s.name for s in shown] == ["Lenes", "Ti til bostøtte"] or {s.name for s in shown} == {
        "Lenes",
        "Ti til bostøtte",
    }
    found = store.get(POLITIKER, sid, 999)
    assert found.levers == levers and found.author == "dorte" and found.made_for_as_of == D
    assert store.get(POLITIKER, sid, 998) is None  # another municipality's URL
    assert store.get(POLITIKER, "'; drop table scenario; --", 999) is None
    assert store.get(POLITIKER, "0" * 12, 999) is None
    assert not store.delete(LEDER, sid)  # not the author
    assert not store.delete(Principal("dorte", "politiker"), sid)  # the author's name, no maker
    assert store.delete(DIREKTOER, sid)
    assert [s.scenario_id for s in store.listed(DIREKTOER, 999)] == [other]
    with pytest.raises(AccessDenied):
        store.save(POLITIKER, SCOPE, "Peters", levers)
    with pytest.raises(LeverError, match="navn"):
        store.save(DIREKTOER, SCOPE, "  ", levers)
    state.release()  # a fresh process finds it again
    assert store.get(DIREKTOER, other, 999).levers.price_pct == {"SEL107": -5.5}


# ---------------------------------------------------------------- accuracy


@pytest.fixture
def history(tiny):
    """2023: one open grant at 1.000 a month and 1.000 posted at every month end (12.000 in the
    year); a grant costing 500 a month from 1 July, posted too (3.000). 2024 is open (d = 30.6)."""
    tiny.add(
        "grant",
        grant("a", "C1", "SEL85", 1_000, start=date(2023, 1, 1)),
        grant("b", "C2", "SEL85", 500, start=date(2023, 7, 1)),
    )
    rows = []
    for m in range(1, 13):
        end = projection.month_end(date(2023, m, 1))
        rows.append(
            {
                "expense_id": f"a{m}",
                "posting_date": end,
                "amount_dkk": 1_000.0,
                "account_function": "5.38.38",
                "offer_type_code": "SEL85",
                "grant_id": "a",
                "citizen_id": "C1",
            }
        )
        if m >= 7:
            rows.append(
                {
                    "expense_id": f"b{m}",
                    "posting_date": end,
                    "amount_dkk": 500.0,
                    "account_function": "5.38.38",
                    "offer_type_code": "SEL85",
                    "grant_id": "b",
                    "citizen_id": "C2",
                }
            )
    rows.append(
        {
            "expense_id": "x",
            "posting_date": date(2024, 1, 31),
            "amount_dkk": 1_000.0,
            "account_function": "5.38.38",
            "offer_type_code": "SEL85",
            "grant_id": "a",
        }
    )
    tiny.add("expense", *rows)
    return tiny


def test_accuracy_by_month_of_knowledge(history):
    scope = Scope(999, 2024, date(2024, 6, 30))
    mape, hidden = service.accuracy_by_month(open_for(LEDER, history.url), scope)
    mape = mape.set_index("month")
    assert not hidden
    assert list(mape.index) == list(range(1, 12)) and (mape["years"] == 1).all()
    # End of January: 1.000 spent + 1.000 x 12/365 x 334 days + 500 x 12/365 x 184 days.
    jan = 1_000 + 12_000 / 365 * 334 + 6_000 / 365 * 184
    close(mape.loc[1, "mape"], abs(jan - 15_000) / 15_000)
    # End of May (day 151): 5.000 + 12.000/365 x 214 + 6.000/365 x 184.
    may = 5_000 + 12_000 / 365 * 214 + 6_000 / 365 * 184
    close(mape.loc[5, "mape"], abs(may - 15_000) / 15_000)
    text = accuracy.sentence(mape.reset_index(), 5)
    pct = f"{abs(may - 15_000) / 15_000 * 100:.1f}".replace(".", ",")
    assert text == (
        f"Prognosen ved udgangen af maj ramte regnskabet inden for ±{pct} % i gennemsnit "
        "(1 afsluttet år)."
    )
    # Two citizens: a director sees no figure rather than one that gives them away.
    mape, hidden = service.accuracy_by_month(open_for(DIREKTOER, history.url), scope)
    assert mape.empty and hidden


def test_a_baseline_behind_few_citizens_is_hidden_for_directors(history):
    scope = Scope(999, 2024, date(2024, 6, 30))
    seen = service.run(open_for(DIREKTOER, history.url), scope, Levers()).years
    assert seen["baseline_dkk"].isna().all() and seen["scenario_dkk"].isna().all()
    shown = service.run(open_for(LEDER, history.url), scope, Levers()).years
    assert shown["baseline_dkk"].notna().all()


def test_levers_in_danish():
    levers = Levers(
        moves=(Move("SEL108", "SEL85", 10, date(2027, 1, 1)),),
        price_pct={"SEL107": -5.5},
        youth_type="SEL85",
        youth_per_year=12,
        signals=3,
        index_pct=2,
    )
    names = {"SEL108": "Længerevarende botilbud", "SEL85": "Bostøtte"}
    assert present.describe(levers, names) == [
        "Flyt 10 borgere fra Længerevarende botilbud (SEL108) til Bostøtte (SEL85) fra "
        "1. januar 2027",
        "Handl på de 3 dyreste tilpasningssignaler",
        "Pris på SEL107 -5,5 %",
        "12 18-årige om året fra børneområdet på Bostøtte (SEL85)",
        "Pris- og lønfremskrivning +2,0 % om året",
    ]
    assert Levers.from_json(levers.to_json()) == levers
    with pytest.raises(LeverError, match="kan ikke læses"):
        Levers.from_json("{not json")
