"""Køb og salg af pladser (issue 18), given rows → figures computed by hand, on DuckDB and
PostgreSQL: price against the market (daily price, published range, our quartiles,
forhandlingspotentiale), the 10 % rule, the døgnhjul and its contract signal, and the detection
of the optional tables and columns.

Scope: municipality 999, reference date 31 March 2024."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from cockpit import db
from cockpit.market import detect, freechoice, prices, reference, schedule
from cockpit.periods import Scope
from cockpit.views import market as views

SCOPE = Scope(999, 2024, date(2024, 3, 31))
START = date(2023, 1, 1)


def rows(tiny, name: str, **extra) -> pd.DataFrame:
    return db.query(name, {**SCOPE.params(), "citizen_id": "", **extra}, tiny.url)


def offer(oid: str, owner: str, **kw) -> dict:
    kw.setdefault("tilbudsportalen_id", None)
    kw.setdefault("postcode", None)
    return {
        "offer_id": oid,
        "name": kw.pop("name", f"Tilbud {oid}"),
        "owner_type": owner,
        "offer_type_code": "SEL108",
        **kw,
    }


def grant(gid: str, oid: str, monthly: float, **kw) -> dict:
    return {
        "grant_id": gid,
        "citizen_id": "C" + gid,
        "offer_type_code": "SEL108",
        "offer_id": oid,
        "start_date": START,
        "end_date": kw.pop("end_date", None),
        "monthly_price": monthly,
        **kw,
    }


@pytest.fixture
def market(tiny):
    # Daily prices 1.200, 1.800, 2.400 and 3.000 kr. (monthly × 12 / 365); G5 ended before the date.
    for row in (  # one row at a time: a missing postcode beside a given one would become a float
        offer("O1", "private", tilbudsportalen_id="TP1", postcode=6000),
        offer("O2", "private", name="Bofællesskabet Engely", postcode=5000),
        offer("O3", "own"),
        offer("O4", "region"),
    ):
        tiny.add("offer", row)
    tiny.add(
        "tilbudsportalen_offer",
        *[
            {
                "tilbudsportalen_id": tp,
                "name": name,
                "postcode": pc,
                "offer_type_code": "SEL108",
                "places": 10,
                "rate_min": lo,
                "rate_max": hi,
                "source": "Testkilde",
            }
            for tp, name, pc, lo, hi in (
                ("TP1", "Et andet navn", 6000, 1000.0, 1500.0),
                ("TP2", "BOFÆLLESSKABET  Engely", 5000, 1500.0, 1700.0),
                ("TP3", "Bofællesskabet Engely", 7000, 5000.0, 6000.0),
            )
        ],
    )
    tiny.add(
        "grant",
        grant("G1", "O1", 36500.0, referred_offer_id="O3", referred_monthly_price=33000.0),
        grant("G2", "O2", 54750.0, referred_offer_id="O3", referred_monthly_price=50000.0),
        grant("G3", "O3", 73000.0),
        grant("G4", "O4", 91250.0, referred_offer_id="O3", referred_monthly_price=82954.55),
        grant("G5", "O4", 999999.0, end_date=date(2024, 1, 31), referred_monthly_price=1.0),
    )
    return tiny


def test_daily_price_is_monthly_times_twelve_over_365():
    assert prices.daily(36500.0) == pytest.approx(1200.0)
    assert prices.daily(91250.0) == pytest.approx(3000.0)


def test_price_against_published_range_and_our_quartiles(market):
    grants = rows(market, "list_market_grants")
    assert sorted(grants["grant_id"]) == ["G1", "G2", "G3", "G4"]
    keys = rows(market, "market_offer_keys")
    ranges = prices.match(keys, rows(market, "market_portal_offers"))
    by = ranges.set_index("offer_id")
    assert by.loc["O1", "matched_by"] == "id" and by.loc["O1", "rate_max"] == 1500.0
    # O2 has no id: name (case and spaces ignored) plus postcode picks TP2, not TP3 in 7000.
    assert by.loc["O2", "matched_by"] == "navn og postnummer" and by.loc["O2", "rate_max"] == 1700.0
    assert "O4" not in by.index
    compared = prices.compare(grants, ranges).set_index("grant_id")
    assert sorted(compared.index) == ["G1", "G2", "G4"]  # own offer O3 only in the quartiles
    # Quartiles of 1.200, 1.800, 2.400, 3.000 (linear): 1.650, 2.100, 2.550.
    assert compared.loc["G1", "p25"] == pytest.approx(1650.0)
    assert compared.loc["G1", "median"] == pytest.approx(2100.0)
    assert compared.loc["G1", "p75"] == pytest.approx(2550.0)
    assert not compared.loc["G1", "above_max"] and not compared.loc["G1", "above_p75"]
    assert compared.loc["G2", "above_max"] and not compared.loc["G2", "above_p75"]
    assert compared.loc["G4", "above_p75"] and not compared.loc["G4", "above_max"]
    # G4: (3.000 − 2.100) × 365 = 328.500; G2 is above its maximum but below our median: 0.
    assert compared.loc["G4", "potential_year"] == pytest.approx(328500.0)
    assert compared.loc["G2", "potential_year"] == 0.0
    flagged = prices.flagged(compared.reset_index())
    shown = views.flagged_table(flagged)
    assert list(shown["Borger"]) == ["CG4", "CG2"]
    assert list(shown["Forhandlingspotentiale pr. år"]) == ["328.500 kr.", "0 kr."]
    assert list(shown["Offentliggjort takst"]) == ["ikke fundet", "1.500–1.700 kr."]
    assert list(shown["Hvorfor"]) == ["over 75 %-fraktil", "over højeste takst"]
    summary = views.by_type_table(prices.by_type(compared.reset_index()))
    assert summary.iloc[0].to_dict() == {
        "Indsatstype": "Længerevarende botilbud",
        "Eksterne bevillinger": "3",
        "Med offentliggjort takst": "2",
        "Over højeste takst": "1",
        "Over 75 %-fraktil": "1",
        "Median pr. døgn": "2.100 kr.",
        "75 %-fraktil pr. døgn": "2.550 kr.",
        "Forhandlingspotentiale pr. år": "328.500 kr.",
    }


def test_the_ten_percent_rule(market):
    checked = freechoice.check(rows(market, "list_free_choice")).set_index("grant_id")
    assert sorted(checked.index) == ["G1", "G2", "G4"]  # G5 ended before the date
    # G1: 36.500 / 33.000 − 1 = 10,6 % > 10 %; G2: 54.750 / 50.000 − 1 = 9,5 %;
    # G4: 91.250 / 82.954,55 − 1 = 10,0 % (not more than 10 %).
    assert checked.loc["G1", "excess"] == pytest.approx(36500 / 33000 - 1)
    assert list(checked["over_limit"]) == [True, False, False]
    assert checked.loc["G1", "extra_year"] == pytest.approx((36500 - 33000) * 12)
    shown = views.free_choice_table(checked.reset_index())
    first = shown.iloc[0]
    assert first["Merpris"] == "10,6 %" and first["Over 10 %-grænsen"] == "Ja"
    assert first["Anvist tilbud"] == "Tilbud O3" and first["Merudgift pr. år"] == "42.000 kr."
    assert list(shown["Merpris"])[1:] == ["10,0 %", "9,5 %"]


def _day(gid: str, valid_from: date, bands: list[tuple[int, int, float]]) -> list[dict]:
    return [
        {
            "grant_id": gid,
            "valid_from": valid_from,
            "weekday": wd,
            "from_hour": lo,
            "to_hour": hi,
            "staff_ratio": r,
        }
        for wd in range(1, 8)
        for lo, hi, r in bands
    ]


@pytest.fixture
def wheel(market):
    full = [(0, 24, 1.0)]
    market.add(
        "support_schedule",
        *_day("G1", date(2022, 6, 1), full),
        *_day("G1", date(2023, 6, 1), [(0, 7, 0.5), (7, 24, 1.0)]),  # two night staff to one
        *_day("G1", date(2024, 5, 1), [(0, 24, 0.1)]),  # after the reference date
        *_day("G2", date(2022, 6, 1), full),
        *_day("G2", date(2023, 6, 1), [(0, 7, 0.5), (7, 24, 1.0)]),
        *_day("G4", date(2022, 6, 1), full),
        *_day("G4", date(2023, 6, 1), [(0, 7, 0.8), (7, 24, 1.0)]),
    )

    def contract(cid: str, gid: str, valid_from: date) -> dict:
        return {
            "contract_id": cid,
            "grant_id": gid,
            "template": "kl_standard",
            "valid_from": valid_from,
            "valid_to": None,
            "monthly_price": 50000.0,
            "has_goals_annex": True,
        }

    market.add(
        "contract",
        contract("K1", "G1", date(2023, 1, 1)),  # set before the change: 168 → 143,5 timer
        contract("K2", "G2", date(2023, 9, 1)),  # renegotiated after the change
        contract("K4", "G4", date(2023, 1, 1)),  # 168 → 158,2 timer: −5,8 %
    )
    return market


def test_contract_signal_when_weekly_hours_fell_ten_percent(wheel):
    signals = schedule.contract_signals(rows(wheel, "list_schedule_contracts"))
    assert list(signals["contract_id"]) == ["K1"]
    s = signals.iloc[0]
    # 7 × 24 × 1 = 168; 7 × (7 × 0,5 + 17 × 1) = 143,5; 143,5 / 168 − 1 = −14,6 %.
    assert s["hours_then"] == pytest.approx(168.0) and s["hours_now"] == pytest.approx(143.5)
    shown = views.SCHEDULE_LIST.shown(signals).iloc[0]
    assert shown["Fald"] == "14,6 %" and shown["Timer pr. uge nu"] == "143,5"
    assert shown["Timer pr. uge da"] == "168,0" and shown["Pris fastsat"] == "01.01.2023"
    assert shown["Borger"] == "CG1"


def test_citizen_weekday_hour_picture_and_change(wheel):
    r = rows(wheel, "list_support_schedule", citizen_id="CG1")
    assert set(r["grant_id"]) == {"G1"}
    assert schedule.versions(r) == [date(2022, 6, 1), date(2023, 6, 1), date(2024, 5, 1)]
    now = schedule.in_force(r, SCOPE.as_of)
    first = schedule.in_force(r, date(2022, 6, 1))
    assert schedule.weekly_hours(now) == pytest.approx(143.5)
    grid = schedule.grid(now)
    assert grid.shape == (7, 24)
    assert grid.loc[1, 3] == 0.5 and grid.loc[7, 12] == 1.0
    change = schedule.long(schedule.grid(now) - schedule.grid(first))
    monday_night = change[(change["Ugedag"] == "Mandag") & (change["Time"] == 3)]
    assert monday_night["Personale"].item() == -0.5
    assert change["Personale"].sum() == pytest.approx(-24.5)


def test_optional_means_optional(tiny, tmp_path):
    assert all(detect.features(tiny.url).values())
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table offer (offer_id text, name text)")
    con.execute('create table "grant" (grant_id text, monthly_price double)')
    con.close()
    found = detect.features(f"duckdb:///{path}")
    assert found == dict.fromkeys(detect.NEEDS, False)
    assert "support_schedule" in detect.ADD["schedule"]


def test_shipped_tilbudsportalen_facts_carry_no_salaries():
    offers = reference.offers()
    assert list(offers.columns) == [
        "tilbudsportalen_id",
        "name",
        "postcode",
        "offer_type_code",
        "places",
        "rate_min",
        "rate_max",
    ]
    assert (offers["rate_min"] <= offers["rate_max"]).all()
    q = reference.rate_quartiles()
    assert set(q.index) == {"SEL108", "SEL107", "SEL85BL", "SEL104"}
    # the log-normal through the quartiles gives the published median at u = 0,5
    assert reference.draw(["SEL108"], [0.5], "max")[0] == pytest.approx(q.loc["SEL108", "max_p50"])


def test_import_accepts_the_optional_columns_and_tables(tmp_path):
    from test_import import dataset, fetch, write_folder

    from cockpit.ingest import import_folder

    tables = dataset(573)
    tables["offer"][0] |= {"tilbudsportalen_id": "TP1", "postcode": "6800"}
    tables["grant"][0] |= {"referred_offer_id": "a573-O1", "referred_monthly_price": "40000"}
    tables["support_schedule"] = [
        {
            "municipality_code": "573",
            "grant_id": "a573-G1",
            "valid_from": "2024-02-01",
            "weekday": str(wd),
            "from_hour": "0",
            "to_hour": "24",
            "staff_ratio": "1",
        }
        for wd in range(1, 8)
    ]
    tables["place_sale"] = [
        {
            "municipality_code": "573",
            "offer_id": "a573-O1",
            "buyer_municipality_code": "561",
            "start_date": "2024-01-01",
            "end_date": "",
            "monthly_price": "52000",
        }
    ]
    tables["offer_budget"] = [
        {"municipality_code": "573", "offer_id": "a573-O1", "year": "2024", "budgeted_places": "11"}
    ]
    url = f"duckdb:///{tmp_path / 'db.duckdb'}"
    result = import_folder(write_folder(tmp_path / "in", tables), url)
    assert result.ok, [str(p) for p in result.problems]
    assert fetch(
        url, "select tilbudsportalen_id, postcode from offer where offer_id = 'a573-O1'"
    ) == [("TP1", 6800)]
    assert fetch(url, "select count(*) from support_schedule") == [(7,)]
    assert fetch(url, "select sum(budgeted_places) from offer_budget")[0][0] == 11
    assert fetch(url, "select buyer_municipality_code from place_sale") == [(561,)]
    assert detect.features(url)["schedule"] and detect.features(url)["free_choice"]

    # A weekday outside 1-7 refuses the whole import and changes nothing.
    tables["support_schedule"][0]["weekday"] = "8"
    again = import_folder(write_folder(tmp_path / "bad", tables), url)
    assert not again.ok
    assert any("weekday" in str(p) for p in again.problems)
    assert fetch(url, "select count(*) from support_schedule") == [(7,)]


def test_own_offer_as_seller(tiny):
    from cockpit.market import seller

    tiny.add("offer", {**offer("OWN1", "own"), "places": 4})
    tiny.add(
        "grant",
        grant("A1", "OWN1", 30000.0),
        grant("A2", "OWN1", 30000.0),
        grant("A3", "OWN1", 30000.0, end_date=date(2024, 3, 1)),  # ended before the date
    )

    def sale(start: date, end: date | None) -> dict:
        return {
            "offer_id": "OWN1",
            "buyer_municipality_code": 561,
            "start_date": start,
            "end_date": end,
            "monthly_price": 36500.0,  # 1.200 kr. a day
        }

    tiny.add(
        "place_sale",
        sale(date(2024, 1, 1), None),  # 91 days in 2024 to 31 March: 109.200 kr.
        sale(date(2023, 6, 1), date(2024, 1, 31)),  # 31 days: 37.200 kr., not sold on the date
        sale(date(2024, 4, 1), None),  # after the date
    )
    tiny.add(
        "offer_budget",
        {"offer_id": "OWN1", "year": 2024, "budgeted_places": 3.5},
        {"offer_id": "OWN1", "year": 2023, "budgeted_places": 10.0},
    )
    r = seller.occupancy(rows(tiny, "market_own_offers")).iloc[0]
    assert (r["citizens"], r["sold_places"], r["used"]) == (2, 1, 3)
    assert r["occupancy"] == pytest.approx(0.75)
    assert r["vs_budget"] == pytest.approx(-0.5)
    assert r["sales_income"] == pytest.approx(146400.0)
    shown = views.own_offers_table(seller.occupancy(rows(tiny, "market_own_offers"))).iloc[0]
    assert shown["Belægning"] == "75,0 %" and shown["Belagt mod budget"] == "-0,5"
    assert shown["Salgsindtægt år til dato"] == "146.400 kr."
