"""Given rows → expected values for cockpit/views/economy.py, prices.py and strategy.py and the econ_* queries, on tiny hand-built
databases (DuckDB and PostgreSQL): the forecast as of each month end equals the registry's
forecast at that date, the cumulative curve, the price/quantity split by hand, own and external
purchase, targets and the indsatstrappe over the years.

The cockpit fixture (used by the page tests too), municipality 999:
  2024 is the year shown (leap year, 366 days); postings at 31 Jan, 29 Feb and 31 Mar, so the
  reference date is 31 March 2024 (day 91, 275 days left). 2023 is last year (365 days).
  SEL85 (step 2): citizens C1-C5, one grant each from 1 Jan 2023, 3 050 kr./month = 100 kr./day
      in 2024; expenses 3 050 per citizen per month end in 2024, 3 000 in 2023. Budget 2024: 140 000.
  SEL108 (step 5): citizens C6-C10, one grant each from 1 Jan 2023, 36 600 kr./month =
      1 200 kr./day in 2024; expenses 36 600 per citizen per month end in 2024, 36 000 in 2023;
      plus 30 000 on 15 March 2024 with no grant, citizen or offer. Budget 2024: 2 260 000.
  Offers: O1 own (SEL85), O2 private (SEL108). 18-64-year-olds: 1 000 both years.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cockpit import db, metrics, periods
from cockpit.periods import Scope
from cockpit.views import common, economy, prices, strategy

D = date(2024, 3, 31)
SCOPE = Scope(999, 2024, D)
LAST = Scope(999, 2023, date(2023, 3, 31))
MONTH_ENDS_2024 = [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]
MONTH_ENDS_2023 = [date(2023, m, d) for m, d in ((1, 31), (2, 28), (3, 31), (4, 30), (5, 31))] + [
    date(2023, m, d) for m, d in ((6, 30), (7, 31), (8, 31), (9, 30), (10, 31), (11, 30), (12, 31))
]

# Hand computation, 2024 as of 31 March:
SEL85_SPEND = 5 * 3 * 3050  # 45 750
SEL85_FORECAST = SEL85_SPEND + 5 * 100 * 275  # + 137 500 = 183 250
SEL108_SPEND = 5 * 3 * 36600 + 30000  # 579 000
OTHER_REST = 30000 / 91 * 275  # the unlinked 30 000 extrapolated over the days left
SEL108_FORECAST = SEL108_SPEND + 5 * 1200 * 275 + OTHER_REST  # 2 319 659,34
FORECAST = SEL85_FORECAST + SEL108_FORECAST  # 2 502 909,34
BUDGET = 140000 + 2260000
SPEND = SEL85_SPEND + SEL108_SPEND  # 624 750
SPEND_2023 = 5 * 12 * 3000 + 5 * 12 * 36000  # 2 340 000


def build_cockpit(t):
    """Add the rows described in the module docstring to a TinyDb."""
    start = date(2023, 1, 1)
    grants, expenses = [], []
    for i in range(1, 11):
        code, price, offer = ("SEL85", 3050, "O1") if i <= 5 else ("SEL108", 36600, "O2")
        grants.append(
            {
                "grant_id": f"G{i}",
                "citizen_id": f"C{i}",
                "offer_type_code": code,
                "offer_id": offer,
                "start_date": start,
                "end_date": None,
                "monthly_price": float(price),
            }
        )
        old_price = 3000 if code == "SEL85" else 36000
        for _year, ends, amount in (
            (2024, MONTH_ENDS_2024, price),
            (2023, MONTH_ENDS_2023, old_price),
        ):
            for d in ends:
                expenses.append(
                    {
                        "expense_id": f"E{i}-{d.isoformat()}",
                        "posting_date": d,
                        "amount_dkk": float(amount),
                        "account_function": "5.38.38" if code == "SEL85" else "5.38.50",
                        "offer_type_code": code,
                        "grant_id": f"G{i}",
                        "citizen_id": f"C{i}",
                        "offer_id": offer,
                    }
                )
    expenses.append(
        {
            "expense_id": "E-unlinked",
            "posting_date": date(2024, 3, 15),
            "amount_dkk": 30000.0,
            "account_function": "5.38.50",
            "offer_type_code": "SEL108",
            "grant_id": None,
            "citizen_id": None,
            "offer_id": None,
        }
    )
    t.add("grant", *grants)
    t.add("expense", *expenses)
    t.add(
        "offer",
        {
            "offer_id": "O1",
            "name": "Bofællesskabet Eget",
            "owner_type": "own",
            "offer_type_code": "SEL85",
        },
        {
            "offer_id": "O2",
            "name": "Privat Botilbud",
            "owner_type": "private",
            "offer_type_code": "SEL108",
        },
    )
    t.add(
        "budget",
        {
            "year": 2024,
            "offer_type_code": "SEL85",
            "original_dkk": 140000.0,
            "corrected_dkk": 140000.0,
        },
        {
            "year": 2024,
            "offer_type_code": "SEL108",
            "original_dkk": 2260000.0,
            "corrected_dkk": 2260000.0,
        },
    )
    t.add(
        "population",
        {"year": 2024, "age_group": "18-64", "persons": 1000},
        {"year": 2023, "age_group": "18-64", "persons": 1000},
    )
    t.add(
        "strategy_target",
        {
            "kpi_key": "botilbud_share",
            "year": 2024,
            "target_value": 0.48,
            "note": "Færre i botilbud.",
        },
        {"kpi_key": "spend_per_inhabitant", "year": 2024, "target_value": 2600.0, "note": None},
        {"kpi_key": "forecast_deviation_pct", "year": 2024, "target_value": 0.0, "note": None},
        {"kpi_key": "processing_days_median", "year": 2024, "target_value": 30.0, "note": None},
        {"kpi_key": "botilbud_share", "year": 2023, "target_value": 0.55, "note": None},
    )
    return t


@pytest.fixture
def cockpit(tiny):
    return build_cockpit(tiny)


def accessors(url: str):
    def fetch(name: str, scope: Scope, **extra) -> pd.DataFrame:
        return db.query(name, {**scope.params(), **extra}, url)

    def values(keys: list[str], scope: Scope, offer_type: str | None = None) -> dict:
        return metrics.compute(keys, scope, url, offer_type=offer_type)

    return fetch, values


# The gathering cockpit/ui/economy.py and cockpit/ui/strategy.py do through the gateway, here with
# the registry and the raw queries (a role without suppression sees the same).


def forecast_by_month(scope: Scope, fetch, values, offer_type: str | None = None) -> pd.DataFrame:
    return economy.forecast_by_month(
        (s.as_of, values(economy.TOTALS, s, offer_type)) for s in periods.month_scopes(scope)
    )


def month_ends(scope: Scope, fetch) -> pd.DataFrame:
    return economy.economy_month_ends(
        (s.as_of, fetch("kpi_economy_by_offer_type", s)) for s in periods.month_scopes(scope)
    )


def target_overview(scope: Scope, fetch, values) -> pd.DataFrame:
    status = values(["target_status"], scope)["target_status"]
    return strategy.target_overview(status, fetch("kpi_strategy_targets", scope))


def kpi_history(scopes: list[Scope], keys: list[str], values) -> pd.DataFrame:
    return strategy.kpi_history([(s, values([*keys, "target_status"], s)) for s in scopes], keys)


def staircase_history(scopes: list[Scope], fetch, values, labels: dict) -> pd.DataFrame:
    years = [
        (
            s,
            values(["staircase_distribution"], s)["staircase_distribution"],
            fetch("kpi_staircase", s),
        )
        for s in scopes
    ]
    return strategy.staircase_history(years, labels)


# ---------------------------------------------------------------- forecast through the year


def test_forecast_as_of_each_month_end_equals_the_registry(cockpit):
    fetch, values = accessors(cockpit.url)
    by_month = forecast_by_month(SCOPE, fetch, values)
    assert list(by_month["as_of"]) == MONTH_ENDS_2024
    months = month_ends(SCOPE, fetch)
    for row in by_month.itertuples():
        registry = metrics.compute(
            ["forecast_year_end", "spend_ytd", "budget_corrected"],
            Scope(999, 2024, row.as_of),
            cockpit.url,
        )
        assert row.forecast_dkk == pytest.approx(registry["forecast_year_end"])
        assert row.spend_ytd_dkk == pytest.approx(registry["spend_ytd"])
        per_type = months[months["as_of"] == row.as_of]
        assert per_type["forecast_dkk"].sum() == pytest.approx(registry["forecast_year_end"])
    assert by_month["forecast_dkk"].iloc[-1] == pytest.approx(FORECAST)
    assert by_month["deviation_dkk"].iloc[-1] == pytest.approx(FORECAST - BUDGET)


def test_forecast_by_month_for_one_offer_type_by_hand(cockpit):
    fetch, values = accessors(cockpit.url)
    sel108 = forecast_by_month(SCOPE, fetch, values, "SEL108")
    # 31 Jan: 5 × 36 600 spent + 335 days × 6 000; 29 Feb: 10 × 36 600 + 306 × 6 000.
    assert list(sel108["forecast_dkk"]) == pytest.approx(
        [183000 + 335 * 6000, 366000 + 306 * 6000, SEL108_FORECAST]
    )
    assert list(sel108["budget_corrected_dkk"]) == [2260000.0] * 3
    # Under budget in January and February, over from the end of March.
    assert economy.since_of(sel108) == date(2024, 3, 31)
    sel85 = forecast_by_month(SCOPE, fetch, values, "SEL85")
    assert list(sel85["forecast_dkk"]) == pytest.approx([182750, 183500, SEL85_FORECAST])
    assert economy.since_of(sel85) == date(2024, 1, 31)
    assert economy.since_of(forecast_by_month(SCOPE, fetch, values)) == date(2024, 3, 31)


def test_overspend_since_is_the_start_of_the_last_unbroken_run():
    days = [date(2024, m, 28) for m in range(1, 7)]
    assert economy.overspend_since(pd.Series([1, 2, -1, 5, 6, 7], index=days)) == days[3]
    assert economy.overspend_since(pd.Series([1, 2, 3, 4, 5, -1], index=days)) is None
    assert economy.overspend_since(pd.Series([1, 1, 1, float("nan"), 1, 1], index=days)) == days[4]
    assert economy.overspend_since(pd.Series([3, 3, 3, 3, 3, 3], index=days)) == days[0]


def test_forecast_path_ends_at_the_year_end_forecast(cockpit):
    fetch, _ = accessors(cockpit.url)
    path = fetch("econ_forecast_path", SCOPE, offer_type="")
    assert [pd.Timestamp(d).date() for d in path["month_end"]][:2] == [
        date(2024, 4, 30),
        date(2024, 5, 31),
    ]
    assert len(path) == 9
    # 30 April: spend + 30 days of every grant + the unlinked spend for 30 more days.
    april = SPEND + 30 * (500 + 6000) + 30000 / 91 * 30
    assert path["forecast_dkk"].iloc[0] == pytest.approx(april)
    assert path["forecast_dkk"].iloc[-1] == pytest.approx(FORECAST)
    assert list(path["citizens"]) == [10] * 9
    one = fetch("econ_forecast_path", SCOPE, offer_type="SEL85")
    assert one["forecast_dkk"].iloc[-1] == pytest.approx(SEL85_FORECAST)
    assert list(one["citizens"]) == [5] * 9


def test_cumulative_curve(cockpit):
    fetch, values = accessors(cockpit.url)
    by_month = forecast_by_month(SCOPE, fetch, values)
    curve = economy.cumulative(SCOPE, by_month, fetch("econ_forecast_path", SCOPE, offer_type=""))
    series = {s: g.set_index("date")["amount_dkk"] for s, g in curve.groupby("series")}
    assert list(series[economy.ACTUAL]) == pytest.approx(
        [5 * 3050 + 5 * 36600, 2 * (5 * 3050 + 5 * 36600), SPEND]
    )
    budget = series[economy.PERIODISED]
    assert len(budget) == 12
    assert budget[date(2024, 1, 31)] == pytest.approx(BUDGET * 31 / 366)
    assert budget[date(2024, 2, 29)] == pytest.approx(BUDGET * 60 / 366)
    assert budget[date(2024, 12, 31)] == pytest.approx(BUDGET)
    forecast = series[economy.FORECAST]
    assert forecast[D] == pytest.approx(SPEND)  # the forecast line starts where actuals end
    assert forecast[date(2024, 12, 31)] == pytest.approx(FORECAST)
    assert curve["amount_mio"].iloc[0] == pytest.approx(curve["amount_dkk"].iloc[0] / 1e6)
    table = economy.cumulative_table(curve)
    assert list(table.frame.columns) == [
        "Dato",
        economy.ACTUAL,
        economy.PERIODISED,
        economy.FORECAST,
    ]
    assert len(table.frame) == 12


def test_closed_year_curve_has_no_forecast_tail():
    scope = Scope(999, 2023, date(2023, 12, 31))
    by_month = pd.DataFrame(
        {"as_of": [scope.as_of], "spend_ytd_dkk": [10.0], "budget_corrected_dkk": [12.0]}
    )
    curve = economy.cumulative(scope, by_month, pd.DataFrame(columns=["month_end", "forecast_dkk"]))
    assert set(curve["series"]) == {economy.ACTUAL, economy.PERIODISED}


def test_offer_type_table_and_deviation_by_month(cockpit):
    fetch, _ = accessors(cockpit.url)
    months = month_ends(SCOPE, fetch)
    t = economy.offer_type_table(months)
    f = t.frame
    assert list(f["Kode"]) == ["SEL108", "SEL85"]  # largest overspend first; empty types left out
    assert list(f["Indsatstype"]) == [
        "Længerevarende botilbud",
        "Socialpædagogisk støtte i eget hjem (bostøtte)",
    ]
    assert list(f["Forventet afvigelse"]) == pytest.approx(
        [SEL108_FORECAST - 2260000, SEL85_FORECAST - 140000]
    )
    assert list(f[economy.SINCE]) == [date(2024, 3, 31), date(2024, 1, 31)]
    assert t.units["Forventet afvigelse i procent"] == "share"
    functions = economy.account_function_table(months).frame
    assert list(functions["Kontofunktion"]) == ["5.38.50", "5.38.38"]
    assert list(functions["Indsatstyper"]) == ["SEL108", "SEL82, SEL85, SEL85BL, SEL96"]
    pivot = economy.deviation_by_month_table(months, {"SEL108": "Botilbud"}).frame
    assert list(pivot.columns) == ["Indsatstype", economy.SINCE, "januar", "februar", "marts"]
    assert pivot.loc[0, "Indsatstype"] == "Botilbud"
    assert pivot.loc[0, "januar"] == pytest.approx(183000 + 335 * 6000 - 2260000)


def test_hidden_rows_hide_the_totals_they_belong_to():
    frame = pd.DataFrame(
        {
            "offer_type_code": ["A", "B"],
            "spend_ytd_dkk": [100.0, float("nan")],
            "budget_corrected_dkk": [50.0, None],
            "forecast_dkk": [120.0, float("nan")],
        }
    )
    a, b = common.of_type(frame, "A"), common.of_type(frame, "B")
    assert common.hidden_total(frame["forecast_dkk"]) is None
    assert common.total_of(frame["budget_corrected_dkk"]) == 50.0
    assert (
        common.hidden_total(a["forecast_dkk"]) - common.total_of(a["budget_corrected_dkk"]) == 70.0
    )
    assert common.hidden_total(b["spend_ytd_dkk"]) is None


# ---------------------------------------------------------------- headline


def test_headline_and_growth(cockpit):
    fetch, values = accessors(cockpit.url)
    all_types = values(list(metrics.HEADLINE), SCOPE)
    assert all_types["forecast_year_end"] == pytest.approx(FORECAST)
    assert all_types["spend_per_inhabitant"] == pytest.approx(FORECAST / 1000)
    one = values(list(metrics.HEADLINE), SCOPE, "SEL108")
    assert one == pytest.approx(
        {
            "spend_ytd": SEL108_SPEND,
            "budget_corrected": 2260000,
            "forecast_year_end": SEL108_FORECAST,
            "forecast_deviation": SEL108_FORECAST - 2260000,
            "forecast_deviation_pct": (SEL108_FORECAST - 2260000) / 2260000,
            "spend_per_inhabitant": SEL108_FORECAST / 1000,
        }
    )
    # Growth: this year's forecast against last year's accounts (1 Jan – 31 Dec 2023).
    last = periods.last_year_closed(SCOPE)
    growth = economy.growth(FORECAST, values(["spend_ytd"], last)["spend_ytd"])
    assert growth == pytest.approx(FORECAST / SPEND_2023 - 1)
    growth = economy.growth(SEL108_FORECAST, values(["spend_ytd"], last, "SEL108")["spend_ytd"])
    assert growth == pytest.approx(SEL108_FORECAST / (5 * 12 * 36000) - 1)
    none = values(["spend_ytd"], periods.last_year_closed(Scope(999, 2023, date(2023, 12, 31))))
    assert economy.growth(1.0, none["spend_ytd"]) is None


def test_economy_sentence():
    scope = SCOPE
    values = {
        "forecast_year_end": 313_191_890,
        "budget_corrected": 297_967_000,
        "forecast_deviation": 15_224_890,
        "forecast_deviation_pct": 0.0511,
    }
    assert economy.economy_sentence(values, scope, date(2024, 1, 31)) == (
        "**Vi forventer at slutte året på 313,2 mio. kr.**, 15,2 mio. kr. (5,1 %) over det "
        "korrigerede budget på 298,0 mio. kr. Prognosen har vist merforbrug hver måned siden "
        "31. januar 2024."
    )
    under = {**values, "forecast_deviation": -2_000_000, "forecast_deviation_pct": -0.0067}
    closed = Scope(999, 2023, date(2023, 12, 31))
    assert economy.economy_sentence(under, closed, date(2023, 1, 31)) == (
        "**Året endte på 313,2 mio. kr.**, 2,0 mio. kr. (0,7 %) under det korrigerede budget på "
        "298,0 mio. kr."
    )
    assert "intet korrigeret budget" in economy.economy_sentence(
        {"forecast_year_end": 5.0, "budget_corrected": None, "forecast_deviation": None}, scope
    )


# ---------------------------------------------------------------- price and quantity


def test_price_quantity_split_by_hand(cockpit):
    fetch, _ = accessors(cockpit.url)
    assert periods.last_year_same_period(SCOPE) == LAST
    df = prices.price_quantity(
        fetch("econ_price_quantity", SCOPE), fetch("econ_price_quantity", LAST), SCOPE, LAST
    ).set_index("offer_type_code")
    assert list(df.index) == ["SEL108", "SEL85"]  # largest change first
    # SEL85: 2023 Q0 = 5 × 90 days / 365, S0 = 45 000, P0 = 36 500; 2024 Q1 = 5 × 91 / 366.
    q0, q1 = 450 / 365, 455 / 366
    r = df.loc["SEL85"]
    assert r["persons_last"] == pytest.approx(q0)
    assert r["persons_this"] == pytest.approx(q1)
    assert r["unit_cost_last"] == pytest.approx(36500)
    assert r["unit_cost_this"] == pytest.approx(SEL85_SPEND / q1)
    assert r["quantity_effect"] == pytest.approx((q1 - q0) * 36500)  # 375,68
    assert r["price_effect"] == pytest.approx((SEL85_SPEND / q1 - 36500) * q1)  # 374,32
    assert r["change"] == pytest.approx(750)
    assert r["other_effect"] == 0
    # SEL108: P0 = 540 000 / Q0 = 438 000; the unlinked 30 000 this year lands in the price.
    r = df.loc["SEL108"]
    assert r["quantity_effect"] == pytest.approx((q1 - q0) * 438000)  # 4 508,20
    assert r["price_effect"] == pytest.approx(SEL108_SPEND - 438000 * q1)  # 34 491,80
    assert r["quantity_effect"] + r["price_effect"] == pytest.approx(39000)
    # The unit cost is the registry's.
    registry = metrics.compute(["unit_cost"], SCOPE, cockpit.url)["unit_cost"]
    assert df.loc["SEL108", "unit_cost_this"] == pytest.approx(registry["SEL108"])
    summary = prices.price_quantity_summary(df.reset_index())
    assert summary["change"] == pytest.approx(39750)
    assert prices.price_quantity_sentence(summary, SCOPE, LAST) == (
        "Forbruget 1. januar – 31. marts 2024 er steget med 39.750 kr. i forhold til samme "
        "periode 2023: 4.884 kr. skyldes flere helårspersoner, og 34.866 kr. skyldes højere "
        "udgift pr. helårsperson."
    )


def test_price_quantity_new_ended_and_hidden_offer_types():
    this = pd.DataFrame(
        {
            "offer_type_code": ["NEW", "HID", "ODD"],
            "spend_dkk": [730.0, float("nan"), 50.0],
            "grant_days": [365.0, float("nan"), 0.0],
            "citizens": [5, 2, 0],
        }
    )
    last = pd.DataFrame(
        {
            "offer_type_code": ["OLD", "HID"],
            "spend_dkk": [365.0, 10.0],
            "grant_days": [730.0, 5.0],
            "citizens": [6, 2],
        }
    )
    s1, s0 = Scope(1, 2023, date(2023, 12, 31)), Scope(1, 2022, date(2022, 12, 31))
    df = prices.price_quantity(this, last, s1, s0).set_index("offer_type_code")
    # A new type is all quantity, an ended one too; spend without grant-days is "other".
    assert df.loc["NEW", ["quantity_effect", "price_effect", "other_effect"]].tolist() == [
        730,
        0,
        0,
    ]
    assert df.loc["OLD", ["quantity_effect", "price_effect", "other_effect"]].tolist() == [
        -365,
        0,
        0,
    ]
    assert df.loc["ODD", ["quantity_effect", "price_effect", "other_effect"]].tolist() == [0, 0, 50]
    assert df.loc["HID", ["change", "quantity_effect"]].isna().all()
    assert prices.price_quantity_summary(df.reset_index()) is None
    assert "under 5 borgere" in prices.price_quantity_sentence(None, s1, s0)
    empty = {"spend_last": 0.0, "spend_this": 5.0, "change": 5.0}
    assert prices.price_quantity_sentence(
        empty | {"quantity_effect": 0.0, "price_effect": 5.0}, s1, s0
    ) == ("Der er ingen bogførte udgifter i samme periode 2022 at sammenligne med.")


# ---------------------------------------------------------------- own and external


def test_owner_and_provider_tables(cockpit):
    fetch, _ = accessors(cockpit.url)
    owners = prices.owner_table(fetch("econ_spend_by_owner", SCOPE, offer_type=""))
    f = owners.frame
    assert list(f["Ejerform"]) == ["Eget tilbud", "Privat tilbud", "Intet eller ukendt tilbud"]
    assert list(f["Forbrug år til dato"]) == pytest.approx([45750, 549000, 30000])
    assert list(f["Andel af forbruget"]) == pytest.approx(
        [45750 / SPEND, 549000 / SPEND, 30000 / SPEND]
    )
    one = prices.owner_table(fetch("econ_spend_by_owner", SCOPE, offer_type="SEL85")).frame
    assert list(one["Ejerform"]) == ["Eget tilbud"]
    names = {"SEL85": "Bostøtte", "SEL108": "Botilbud"}
    providers = prices.provider_table(fetch("econ_spend_by_provider", SCOPE), names, None).frame
    assert list(providers["Tilbud"]) == ["Privat Botilbud", "Bofællesskabet Eget"]
    assert list(providers["Ejerform"]) == ["Privat tilbud", "Eget tilbud"]
    assert list(providers["Indsatstype"]) == ["Botilbud", "Bostøtte"]
    assert list(providers["Borgere"]) == [5, 5]
    only = prices.provider_table(fetch("econ_spend_by_provider", SCOPE), names, "SEL85").frame
    assert list(only["Forbrug år til dato"]) == [45750]


def test_small_provider_rows_show_under_five():
    frame = pd.DataFrame(
        {
            "offer_id": ["A", "B"],
            "offer_name": ["Stort", "Lille"],
            "owner_type": ["own", "private"],
            "offer_type_code": ["X", "X"],
            "spend_dkk": [100.0, float("nan")],
            "citizens": [9.0, float("nan")],
            "suppressed": ["", "<5"],
        }
    )
    t = prices.provider_table(frame, {}, None)
    assert list(t.frame["Borgere"]) == [9.0, "<5"]


# ---------------------------------------------------------------- targets and the indsatstrappe


def test_year_scopes_and_same_day():
    assert periods.same_day(date(2024, 2, 29), 2023) == date(2023, 2, 28)
    assert periods.same_day(date(2024, 10, 31), 2023) == date(2023, 10, 31)
    scopes = periods.year_scopes(SCOPE, [2019, 2020, 2021, 2022, 2023, 2024, 2025], count=3)
    assert [(s.year, s.as_of) for s in scopes] == [
        (2022, date(2022, 12, 31)),
        (2023, date(2023, 12, 31)),
        (2024, D),
    ]
    assert periods.when(scopes[0]) == "2022"
    assert periods.when(scopes[-1]) == "31. marts 2024"


def test_targets_summary_and_texts(cockpit):
    fetch, values = accessors(cockpit.url)
    overview = target_overview(SCOPE, fetch, values)
    # Not met first, then close, met, and the one without data.
    assert list(overview["key"]) == [
        "forecast_deviation_pct",
        "botilbud_share",
        "spend_per_inhabitant",
        "processing_days_median",
    ]
    assert list(overview["status"]) == ["red", "yellow", "green", None]
    assert strategy.target_summary(overview) == (
        "1 af 4 mål er nået, 1 er tæt på, 1 er ikke nået og 1 mangler data."
    )
    rows = {r["key"]: r for r in overview.to_dict("records")}
    assert strategy.target_text(rows["botilbud_share"]) == (
        "50,0 % mod et mål på højst 48,0 % – 2,0 procentpoint for højt."
    )
    assert strategy.target_text(rows["spend_per_inhabitant"]) == (
        "2.503 kr. mod et mål på højst 2.600 kr."
    )
    assert strategy.target_text(rows["processing_days_median"]) == (
        "Ingen opgørelse endnu; målet er højst 30 dage."
    )
    assert rows["botilbud_share"]["note"] == "Færre i botilbud."
    scopes = periods.year_scopes(SCOPE, [2023, 2024])
    history = kpi_history(scopes, [*overview["key"], "botilbud_share"], values)
    assert len(history) == 2 * 4  # duplicate keys are computed once
    assert strategy.trend_text("botilbud_share", history) == "Uændret i forhold til 50,0 % i 2023."
    t = strategy.target_table(history, "botilbud_share", scopes).frame
    assert list(t["År"]) == ["2023", "31. marts 2024"]
    assert list(t["Mål"]) == [0.55, 0.48]
    assert list(t["Status"]) == ["Nået", "Tæt på"]
    chart = strategy.target_chart_data(history, "botilbud_share")
    assert list(chart["series"]) == ["Faktisk", "Faktisk", "Mål", "Mål"]


def test_trend_text_directions():
    history = pd.DataFrame(
        {
            "year": [2023, 2024, 2023, 2024, 2023, 2024],
            "key": ["botilbud_share"] * 2 + ["contract_coverage"] * 2 + ["citizens_per_1000"] * 2,
            "value": [0.30, 0.25, 0.80, 0.75, 12.0, 13.5],
        }
    )
    assert strategy.trend_text("botilbud_share", history) == "Bedre end 30,0 % i 2023."
    assert strategy.trend_text("contract_coverage", history) == "Dårligere end 80,0 % i 2023."
    assert strategy.trend_text("citizens_per_1000", history) == "Højere end 12,0 i 2023."
    assert strategy.trend_text("goal_attainment", history).startswith("Ingen tal")


def test_staircase_history_is_the_registry_distribution(cockpit):
    fetch, values = accessors(cockpit.url)
    types = db.query("econ_offer_types", {}, cockpit.url)
    labels = strategy.step_labels(types)
    assert labels[2] == "Trin 2: Socialpædagogisk støtte i eget hjem (bostøtte)"
    assert set(labels) == {1, 2, 3, 4, 5}
    scopes = periods.year_scopes(SCOPE, [2023, 2024])
    steps = staircase_history(scopes, fetch, values, labels)
    assert list(steps["year"]) == [2023, 2023, 2024, 2024]
    assert list(steps["step"]) == [2, 5, 2, 5]
    assert list(steps["citizens"]) == [5, 5, 5, 5]
    assert list(steps["share"]) == [0.5] * 4
    assert list(steps["text"]) == ["50 %"] * 4
    registry = metrics.compute(["staircase_distribution"], SCOPE, cockpit.url)
    assert registry["staircase_distribution"] == {"2": 0.5, "5": 0.5}
    table = strategy.staircase_table(steps).frame
    assert list(table.columns) == ["År", "Trin 2", "Trin 5", "Borgere på trappen"]
    assert list(table["Borgere på trappen"]) == [10, 10]


def test_staircase_sentence():
    scopes = periods.year_scopes(SCOPE, [2022, 2023])
    history = pd.DataFrame(
        {"year": [2022, 2023, 2024], "key": ["botilbud_share"] * 3, "value": [0.25, 0.22, 0.2]}
    )
    assert strategy.staircase_sentence(history, scopes) == (
        "Andelen i botilbud er faldet fra 25,0 % i 2022 til 20,0 % pr. 31. marts 2024: en mindre "
        "del af borgerne på trappen bor i botilbud."
    )


# ---------------------------------------------------------------- the queries on both backends


def test_econ_queries_run_and_carry_citizens(cockpit):
    fetch, _ = accessors(cockpit.url)
    types = db.query("econ_offer_types", {}, cockpit.url)
    assert len(types) == 11 and "staircase_step" in types.columns
    pq = fetch("econ_price_quantity", SCOPE).set_index("offer_type_code")
    assert pq.loc["SEL85", "spend_dkk"] == pytest.approx(SEL85_SPEND)
    assert pq.loc["SEL85", "grant_days"] == 5 * 91
    assert pq.loc["SEL108", "citizens"] == 5
    for name, extra in (
        ("econ_forecast_path", {"offer_type": ""}),
        ("econ_price_quantity", {}),
        ("econ_spend_by_owner", {"offer_type": ""}),
        ("econ_spend_by_provider", {}),
    ):
        assert "citizens" in fetch(name, SCOPE, **extra).columns, name
    owners = fetch("econ_spend_by_owner", SCOPE, offer_type="")
    assert owners.set_index(owners["owner_type"].fillna("none"))["citizens"].to_dict() == {
        "own": 5,
        "private": 5,
        "none": 0,
    }


def test_trends_and_downloads_do_not_import_streamlit():
    for name in ("views/economy", "views/prices", "views/strategy", "downloads"):
        source = (db.ROOT / "cockpit" / f"{name}.py").read_text(encoding="utf-8")
        assert "import streamlit" not in source, name
