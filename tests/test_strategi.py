"""The Strategi page through AppTest on the small known database of test_trends (see its
docstring): target status in words and plain Danish, the indsatstrappe over the years and the
headline economy as a politician sees them, the offer-type filter, and the charts at spec level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import shown_table
from test_oekonomi import metrics, open_page
from test_trends import (
    FORECAST,
    SCOPE,
    SPEND_2023,
    accessors,
    build_cockpit,
    kpi_history,
    staircase_history,
)

from cockpit import db, periods
from cockpit.present import charts
from cockpit.views import strategy


@pytest.fixture
def strategy_db(tmp_path, monkeypatch):
    from conftest import TinyDb

    t = build_cockpit(TinyDb(f"duckdb:///{tmp_path / 'strategi.duckdb'}"))
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    return t


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_are_we_meeting_our_targets(strategy_db):
    at = open_page("strategi", role="politiker")
    assert not at.exception
    assert [t.value for t in at.title] == ["Strategi"]
    text = markdown(at)
    assert text[0] == "**1 af 4 mål er nået, 1 er tæt på, 1 er ikke nået og 1 mangler data.**"
    # Each target: status in words (with an icon), its label, actual against target and trend.
    assert text[1:5] == [
        ":red-badge[:material/cancel: Ikke nået]",
        "**Forventet afvigelse i procent**",
        "4,3 % mod et mål på højst 0,0 % – 4,3 procentpoint for højt. Ingen tal fra tidligere "
        "år at sammenligne med.",
        ":orange-badge[:material/error: Tæt på]",
    ]
    assert text[5:7] == [
        "**Andel af borgerne på trappen, der bor i botilbud**",
        "50,0 % mod et mål på højst 48,0 % – 2,0 procentpoint for højt. Uændret i forhold til "
        "50,0 % i 2023.",
    ]
    assert ":green-badge[:material/check_circle: Nået]" in text
    # 2023: 2 340 000 spent / 1 000 18-64-year-olds; lower is better.
    assert "2.503 kr. mod et mål på højst 2.600 kr. Dårligere end 2.340 kr. i 2023." in text
    assert ":gray-badge[:material/help: Ingen data]" in text
    assert (
        "Ingen opgørelse endnu; målet er højst 30 dage. Ingen tal fra tidligere år at sammenligne med."
        in text
    )
    # The council's own words come from the database: escaped, so they stay plain text.
    assert "Målet: Færre i botilbud\\." in [c.value for c in at.caption]


def test_target_tables_by_year(strategy_db):
    at = open_page("strategi", role="politiker")
    years = [shown_table(d) for d in at.dataframe if "Mål" in d.value.columns]
    botilbud = [t for t in years if "50,0 %" in t["Faktisk"].tolist()][0]
    assert botilbud.values.tolist() == [
        ["2023", "50,0 %", "55,0 %", "Nået"],
        ["31. marts 2024", "50,0 %", "48,0 %", "Tæt på"],
    ]


def test_indsatstrappe_and_economy(strategy_db):
    at = open_page("strategi", role="politiker")
    shown = metrics(at)
    assert shown == {
        "Andel af borgerne på trappen, der bor i botilbud": "50,0 %",
        "Borgere pr. 1.000 18-64-årige": "10,0",
        "Borgere med aktiv bevilling": "10",
        "Forventet regnskab": "2,5 mio. kr.",
        "Korrigeret budget": "2,4 mio. kr.",
        "Forventet afvigelse": "102.909 kr.",
        "Forventet udgift pr. 18-64-årig": "2.503 kr.",
        # 2 502 909 forecast against 2 340 000 spent in 2023.
        "Vækst i forhold til sidste års regnskab": "7,0 %",
        # Fra signal til handling (issue 17): the worklist items of the data date (31 March 2024)
        # have all had their 60 days and none was handled; no signal is resolved yet.
        "Håndteret inden for 60 dage": "0,0 %",
        "Realiseret pr. måned": "–",
    }
    assert FORECAST / SPEND_2023 - 1 == pytest.approx(0.0696, abs=1e-4)
    stairs = [shown_table(d) for d in at.dataframe if "Borgere på trappen" in d.value.columns][0]
    assert stairs.values.tolist() == [
        ["2023", "50,0 %", "50,0 %", "10"],
        ["31. marts 2024", "50,0 %", "50,0 %", "10"],
    ]
    assert list(stairs.columns) == ["År", "Trin 2", "Trin 5", "Borgere på trappen"]
    assert markdown(at)[-2:] == [
        "Andelen i botilbud er uændret 50,0 % fra 2023 til 31. marts 2024.",
        "**Vi forventer at slutte året på 2,5 mio. kr.**, 102.909 kr. (4,3 %) over det "
        "korrigerede budget på 2,4 mio. kr.",
    ]


def test_offer_type_filter_applies_to_the_economy(strategy_db):
    at = open_page("strategi", role="politiker", query={"indsatstype": "SEL108"})
    assert not at.exception
    assert at.query_params["indsatstype"] == "SEL108"
    shown = metrics(at)
    assert shown["Forventet regnskab"] == "2,3 mio. kr."
    assert shown["Forventet afvigelse"] == "59.659 kr."
    assert shown["Vækst i forhold til sidste års regnskab"] == "7,4 %"  # 2 319 659 / 2 160 000
    # Targets and the staircase stay municipality-wide.
    assert shown["Andel af borgerne på trappen, der bor i botilbud"] == "50,0 %"
    assert (
        "Økonomitallene gælder Længerevarende botilbud. Mål og indsatstrappe gælder hele området."
        in [c.value for c in at.caption]
    )
    bad = open_page("strategi", role="politiker", query={"indsatstype": "SEL999"})
    assert "indsatstype" not in bad.query_params
    assert metrics(bad)["Forventet regnskab"] == "2,5 mio. kr."


def test_politicians_get_aggregates_only(strategy_db):
    source = (Path(db.ROOT) / "pages" / "strategi.py").read_text(encoding="utf-8")
    assert "citizen_rows" not in source and "list_" not in source and "detail_" not in source
    assert "import pandas" not in source and "db." not in source


def test_strategy_charts_spec(strategy_db):
    fetch, values = accessors(strategy_db.url)
    scopes = periods.year_scopes(SCOPE, [2023, 2024])
    steps = staircase_history(
        scopes,
        fetch,
        values,
        strategy.step_labels(db.query("econ_offer_types", {}, strategy_db.url)),
    )
    spec = charts.staircase(steps).to_dict()
    bars, labels = spec["layer"]
    assert bars["encoding"]["y"]["axis"]["format"] == ".0%"
    assert bars["encoding"]["color"]["field"] == "step_label"
    assert bars["encoding"]["color"]["scale"]["range"] == charts.STEP_COLOURS[:2]
    # Every segment is labelled with its share, so the chart reads without colour.
    assert labels["mark"]["type"] == "text" and labels["encoding"]["text"]["field"] == "text"
    rows = next(iter(spec["datasets"].values()))
    assert [r["text"] for r in rows] == ["50 %"] * 4
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    history = kpi_history(scopes, ["botilbud_share"], values)
    axis, tip = charts.axis_format("share")
    line = charts.by_year(
        strategy.target_chart_data(history, "botilbud_share"),
        "year",
        "value",
        "series",
        "År",
        "Andel",
        y_format=axis,
        tooltip_format=tip,
    ).to_dict()
    assert line["encoding"]["x"]["type"] == "ordinal"
    assert line["encoding"]["y"]["axis"]["format"] == ".1~%"
    assert {line["encoding"][c]["field"] for c in ("color", "strokeDash", "shape")} == {"series"}
    assert [
        (r["year"], r["series"], r["value"]) for r in next(iter(line["datasets"].values()))
    ] == [
        ("2023", "Faktisk", 0.5),
        ("2024", "Faktisk", 0.5),
        ("2023", "Mål", 0.55),
        ("2024", "Mål", 0.48),
    ]


def test_page_charts_carry_the_danish_locale(strategy_db):
    at = open_page("strategi", role="politiker")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(specs) == 4 + 2  # one per target, the staircase, citizens per 1 000
    assert all(s["config"]["locale"]["number"]["thousands"] == "." for s in specs)
    assert all(s["config"]["locale"]["time"]["months"][4] == "maj" for s in specs)
