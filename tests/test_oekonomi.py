"""The Økonomi page through AppTest on the small known database of test_trends (see its docstring
for the rows and the hand computation): labels and Danish-formatted values as a director sees
them, the offer-type filter in the URL, downloads, and the charts at spec level."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import as_role, shown_table
from streamlit.testing.v1 import AppTest
from test_trends import SCOPE, accessors, build_cockpit, forecast_by_month, month_ends

from cockpit import db
from cockpit.present import charts
from cockpit.views import economy, prices

APP = str(Path(db.ROOT) / "cockpit" / "app.py")


@pytest.fixture
def econ_db(tmp_path, monkeypatch):
    from conftest import TinyDb

    t = build_cockpit(TinyDb(f"duckdb:///{tmp_path / 'oekonomi.duckdb'}"))
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    return t


def open_page(page: str, role: str = "direktoer", query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    as_role(at, role)
    at.run()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.switch_page(f"../pages/{page}.py").run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has `column`."""
    found = [shown_table(d) for d in at.dataframe if column in d.value.columns]
    assert found, column
    return found[0]


def test_where_will_we_end_the_year(econ_db):
    at = open_page("oekonomi")
    assert not at.exception
    assert [t.value for t in at.title] == ["Økonomi"]
    assert at.caption[0].value == "Opgjort pr. 31. marts 2024 · alle indsatstyper"
    assert metrics(at) == {
        "Forventet regnskab": "2,5 mio. kr.",  # 2 502 909
        "Korrigeret budget": "2,4 mio. kr.",
        "Forventet afvigelse": "102.909 kr.",
        "Forventet afvigelse i procent": "4,3 %",
        "Forbrug år til dato": "624.750 kr.",
        "Forventet udgift pr. 18-64-årig": "2.503 kr.",
        "Andel af udgiften til eksterne tilbud": "92,3 %",  # 549 000 / 594 750
        "Borgere med årlig udgift over 2 mio. kr.": "0",
        "De dyreste 20 %'s andel af udgiften": "36,9 %",  # 2 × 109 800 / 594 750
    }
    assert at.markdown[0].value == (
        "**Vi forventer at slutte året på 2,5 mio. kr.**, 102.909 kr. (4,3 %) over det "
        "korrigerede budget på 2,4 mio. kr. Prognosen har vist merforbrug hver måned siden "
        "31. marts 2024."
    )


def test_on_which_offer_types_and_since_when(econ_db):
    at = open_page("oekonomi")
    types = table(at, "Kode")
    assert list(types.columns) == [
        "Indsatstype",
        "Forventet afvigelse",
        "Forventet afvigelse i procent",
        "Merforbrug forventet siden",
        "Forventet regnskab",
        "Korrigeret budget",
        "Forbrug år til dato",
        "Kode",
    ]
    assert types.values.tolist() == [
        [
            "Længerevarende botilbud",
            "59.659 kr.",
            "2,6 %",
            "31. marts 2024",
            "2,3 mio. kr.",
            "2,3 mio. kr.",
            "579.000 kr.",
            "SEL108",
        ],
        [
            "Socialpædagogisk støtte i eget hjem (bostøtte)",
            "43.250 kr.",
            "30,9 %",
            "31. januar 2024",
            "183.250 kr.",
            "140.000 kr.",
            "45.750 kr.",
            "SEL85",
        ],
    ]
    months = table(at, "Opgjort pr.")
    assert list(months["Opgjort pr."]) == ["31. januar 2024", "29. februar 2024", "31. marts 2024"]
    assert list(months["Forventet regnskab"]) == ["2,4 mio. kr.", "2,4 mio. kr.", "2,5 mio. kr."]
    assert list(months["Forventet afvigelse"]) == ["-24.250 kr.", "-14.500 kr.", "102.909 kr."]
    pivot = table(at, "januar")
    assert pivot.iloc[0].tolist() == [
        "Længerevarende botilbud",
        "31. marts 2024",
        "-67.000 kr.",
        "-58.000 kr.",
        "59.659 kr.",
    ]


def test_price_quantity_and_own_versus_external(econ_db):
    at = open_page("oekonomi")
    assert at.markdown[1].value == (
        "Forbruget 1. januar – 31. marts 2024 er steget med 39.750 kr. i forhold til samme "
        "periode 2023: 4.884 kr. skyldes flere helårspersoner, og 34.866 kr. skyldes højere "
        "udgift pr. helårsperson."
    )
    pq = table(at, "Helårspersoner 2023")
    assert list(pq.columns[:5]) == [
        "Indsatstype",
        "Helårspersoner 2023",
        "Helårspersoner 2024",
        "Udgift pr. helårsperson 2023",
        "Udgift pr. helårsperson 2024",
    ]
    assert pq.iloc[0].tolist()[:4] == ["Længerevarende botilbud", "1,2", "1,2", "438.000 kr."]
    assert pq.iloc[0]["Heraf flere eller færre helårspersoner"] == "4.508 kr."
    assert pq.iloc[0]["Heraf højere eller lavere udgift pr. helårsperson"] == "34.492 kr."
    owners = table(at, "Ejerform")
    assert owners.values.tolist() == [
        ["Eget tilbud", "45.750 kr.", "7,3 %"],
        ["Privat tilbud", "549.000 kr.", "87,9 %"],
        ["Intet eller ukendt tilbud", "30.000 kr.", "4,8 %"],
    ]
    providers = table(at, "Tilbud")
    assert providers.values.tolist() == [
        ["Privat Botilbud", "Privat tilbud", "Længerevarende botilbud", "549.000 kr.", "5"],
        [
            "Bofællesskabet Eget",
            "Eget tilbud",
            "Socialpædagogisk støtte i eget hjem (bostøtte)",
            "45.750 kr.",
            "5",
        ],
    ]


def test_every_table_has_excel_and_csv_downloads(econ_db):
    at = open_page("oekonomi")
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels.count("Hent som Excel") == len(at.dataframe) == 9
    assert labels.count("Hent som CSV") == 9
    assert [e.label for e in at.expander] == ["Vis som tabel"] * 5 + [
        "Træfsikkerhed måned for måned"
    ]


def test_offer_type_filter_in_the_url(econ_db):
    at = open_page("oekonomi", query={"indsatstype": "SEL108"})
    assert not at.exception
    assert at.query_params["indsatstype"] == "SEL108"
    assert at.selectbox(key="_indsatstype").value == "SEL108"
    assert at.caption[0].value == "Opgjort pr. 31. marts 2024 · Længerevarende botilbud"
    shown = metrics(at)
    assert shown["Forventet regnskab"] == "2,3 mio. kr."
    assert shown["Forventet afvigelse"] == "59.659 kr."
    assert shown["Forventet afvigelse i procent"] == "2,6 %"
    assert shown["Forbrug år til dato"] == "579.000 kr."
    assert shown["Forventet udgift pr. 18-64-årig"] == "2.320 kr."
    assert "Andel af udgiften til eksterne tilbud" not in shown  # a total, shown under "Alle"
    assert list(table(at, "Kode")["Kode"]) == ["SEL108"]
    assert list(table(at, "januar")["Indsatstype"]) == ["Længerevarende botilbud"]
    assert list(table(at, "Ejerform")["Ejerform"]) == ["Privat tilbud", "Intet eller ukendt tilbud"]
    assert at.markdown[0].value.endswith(
        "Prognosen har vist merforbrug hver måned siden 31. marts 2024."
    )


def test_bad_offer_type_falls_back_to_all(econ_db):
    at = open_page("oekonomi", query={"indsatstype": "DROP TABLE"})
    assert not at.exception
    assert "indsatstype" not in at.query_params
    assert at.selectbox(key="_indsatstype").value == "Alle"
    assert metrics(at)["Forventet regnskab"] == "2,5 mio. kr."


def test_choosing_an_offer_type_updates_the_url(econ_db):
    at = open_page("oekonomi")
    at.selectbox(key="_indsatstype").select("SEL85").run()
    assert at.query_params["indsatstype"] == "SEL85"
    assert metrics(at)["Forventet regnskab"] == "183.250 kr."
    at.selectbox(key="_indsatstype").select("Alle").run()
    assert "indsatstype" not in at.query_params
    assert metrics(at)["Forventet regnskab"] == "2,5 mio. kr."


def test_small_offer_types_are_hidden_from_directors(econ_db):
    # Two citizens on SEL104: their row is "–" for a director, shown to a social manager.
    econ_db.add(
        "grant",
        *[
            {
                "grant_id": f"S{i}",
                "citizen_id": f"S{i}",
                "offer_type_code": "SEL104",
                "start_date": date(2024, 1, 1),
                "monthly_price": 12200.0,
            }
            for i in (1, 2)
        ],
    )
    econ_db.add(
        "expense",
        *[
            {
                "expense_id": f"ES{i}",
                "posting_date": date(2024, 3, 31),
                "amount_dkk": 1000.0,
                "account_function": "5.38.59",
                "offer_type_code": "SEL104",
                "grant_id": f"S{i}",
                "citizen_id": f"S{i}",
            }
            for i in (1, 2)
        ],
    )
    director = table(open_page("oekonomi"), "Kode").set_index("Indsatstype")
    assert director.loc["Aktivitets- og samværstilbud", "Forventet regnskab"] == "–"
    manager = table(open_page("oekonomi", role="leder"), "Kode").set_index("Indsatstype")
    # 2 × 1 000 spent + 2 × 400 kr./day × 275 days left.
    assert manager.loc["Aktivitets- og samværstilbud", "Forventet regnskab"] == "222.000 kr."


def test_page_asks_for_aggregates_only():
    source = (Path(db.ROOT) / "pages" / "oekonomi.py").read_text(encoding="utf-8")
    assert "citizen_rows" not in source and "list_" not in source and "detail_" not in source
    assert "import pandas" not in source and "db." not in source


# ---------------------------------------------------------------- charts at spec level


def dataset(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def test_cumulative_chart_spec(econ_db):
    fetch, values = accessors(econ_db.url)
    months = forecast_by_month(SCOPE, fetch, values)
    curve = economy.cumulative(SCOPE, months, fetch("econ_forecast_path", SCOPE, offer_type=""))
    spec = charts.month_lines(curve, "date", "amount_mio", "series", "Måned", "Mio. kr.").to_dict()
    enc = spec["encoding"]
    assert enc["x"]["timeUnit"] == "yearmonth" and enc["x"]["field"] == "date"
    assert enc["x"]["axis"]["format"] == "%b"
    assert enc["y"]["field"] == "amount_mio" and enc["y"]["axis"]["format"] == ",.1f"
    # Series differ by colour, dash and shape, not by colour alone.
    assert {enc[c]["field"] for c in ("color", "strokeDash", "shape")} == {"series"}
    locale = spec["config"]["locale"]
    assert locale["number"]["decimal"] == "," and locale["number"]["thousands"] == "."
    assert locale["time"]["months"][0] == "januar" and locale["time"]["shortMonths"][9] == "okt."
    rows = dataset(spec)
    december = [r for r in rows if r["series"] == economy.FORECAST][-1]
    assert december["amount_mio"] == pytest.approx(2.50290934)
    assert {r["series"] for r in rows} == {economy.ACTUAL, economy.PERIODISED, economy.FORECAST}


def test_page_charts_carry_the_danish_locale(econ_db):
    at = open_page("oekonomi")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(specs) == 6
    for spec in specs:
        assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert specs[0]["encoding"]["x"]["title"] == "Måned"
    assert specs[0]["encoding"]["y"]["title"] == "Mio. kr. (akkumuleret)"


def test_deviation_and_effect_charts_spec(econ_db):
    fetch, _ = accessors(econ_db.url)
    months = month_ends(SCOPE, fetch)
    bars = charts.long_labels(
        charts.bar(
            economy.deviation_bars(economy.offer_type_table(months)),
            "offer_type",
            "deviation_mio",
            "Indsatstype",
            "Mio. kr.",
            value_format=charts.MILLIONS_AXIS,
        )
    ).to_dict()
    assert bars["encoding"]["y"]["title"] is None
    assert bars["encoding"]["tooltip"][0]["title"] == "Indsatstype"
    assert bars["config"]["axisY"]["labelLimit"] == 320
    assert [r["offer_type"] for r in dataset(bars)] == [
        "Længerevarende botilbud",
        "Socialpædagogisk støtte i eget hjem (bostøtte)",
    ]
    effects = charts.effects(
        pd.DataFrame(
            {
                "offer_type": ["A", "A"],
                "effect": [prices.QUANTITY_EFFECT, prices.PRICE_EFFECT],
                "amount_mio": [1.5, -0.5],
            }
        ),
        "offer_type",
        "amount_mio",
        "effect",
        "Indsatstype",
        "Mio. kr.",
    ).to_dict()
    assert effects["facet"]["column"]["field"] == "effect"  # titled panels, no colour needed
    assert effects["spec"]["layer"][0]["encoding"]["x"]["field"] == "amount_mio"
    assert effects["config"]["locale"]["number"]["decimal"] == ","
