"""Økonomi (directors): where will the year end, on which offer types, and since when did we know;
price and quantity, own and external purchase, and the most expensive citizens as aggregates."""

import streamlit as st

from cockpit import charts, fmt, trends, ui
from cockpit.scenario import view as scenario

scope = ui.scope_picker()
offer_type = ui.offer_type_filter()
names = ui.offer_type_names()
chosen = names[offer_type] if offer_type else "alle indsatstyper"
notes = {"Indsatstype": chosen}

st.title("Økonomi")
st.caption(f"Opgjort pr. {fmt.long_date(scope.as_of)} · {ui.plain(chosen)}")
ui.data_banner(scope)

values = trends.headline(scope, ui.aggregate, ui.kpi_values, offer_type)
by_month = trends.forecast_by_month(scope, ui.aggregate, ui.kpi_values, offer_type)
st.markdown(trends.economy_sentence(values, scope, trends.since_of(by_month)))
ui.kpi_metrics(
    values,
    ["forecast_year_end", "budget_corrected", "forecast_deviation", "forecast_deviation_pct"],
)
ui.kpi_metrics(values, ["spend_ytd", "spend_per_inhabitant"])

# ---------------------------------------------------------------- the year so far
st.header("Forbrug, budget og prognose gennem året")
st.caption(
    "Faktisk forbrug er bogført forbrug fra 1. januar til hver månedsafslutning. Periodiseret "
    "budget er det korrigerede budget fordelt jævnt over årets dage (budget × dagens nummer i året "
    "/ årets dage). Forventet forbrug fortsætter fra opgørelsesdatoen med hver aktiv bevillings "
    "månedspris for de dage, den er aktiv, plus udgifter uden bevilling fremskrevet; i december "
    "rammer den det forventede regnskab."
)
path = ui.aggregate("econ_forecast_path", scope, offer_type=offer_type or "")
curve = trends.cumulative(scope, by_month, path)
ui.chart_with_table(
    charts.month_lines(curve, "date", "amount_mio", "series", "Måned", "Mio. kr. (akkumuleret)"),
    trends.cumulative_table(curve),
    "oekonomi_forbrug_gennem_aaret",
    scope,
    alt_text="Akkumuleret faktisk forbrug, periodiseret budget og forventet forbrug",
    notes=notes,
)

# ---------------------------------------------------------------- where
st.header("Hvor ender vi – pr. indsatstype")
st.caption(
    "Sorteret efter forventet afvigelse, største merforbrug først. »Merforbrug forventet siden« er "
    "den første månedsafslutning i den ubrudte række af måneder, hvor prognosen har ligget over "
    "budgettet."
)
month_frame = trends.economy_month_ends(scope, ui.aggregate)
types = trends.offer_type_table(trends.of_type(month_frame, offer_type))
if offer_type is None:
    st.altair_chart(
        charts.long_labels(
            charts.bar(
                trends.deviation_bars(types),
                "offer_type",
                "deviation_mio",
                "Indsatstype",
                "Forventet afvigelse, mio. kr. (positiv = merforbrug)",
                value_format=charts.MILLIONS_AXIS,
            )
        ),
        theme=None,
        width="stretch",
        alt="Forventet afvigelse pr. indsatstype",
    )
ui.table(types, "oekonomi_indsatstyper", scope, notes)
if offer_type is None:
    st.subheader("Pr. kontofunktion")
    ui.table(trends.account_function_table(month_frame), "oekonomi_kontofunktioner", scope, notes)

# ---------------------------------------------------------------- since when
st.header("Hvornår vidste vi det? Prognosen måned for måned")
st.caption(
    "Forventet regnskab beregnet, som om hver månedsafslutning var opgørelsesdatoen. Beregningen "
    "bruger de data, der ligger i dag: en bevilling registreret med tilbagevirkende kraft tæller "
    "også med i de tidligere måneder."
)
ui.chart_with_table(
    charts.month_lines(
        trends.forecast_lines(by_month),
        "date",
        "amount_mio",
        "series",
        "Opgjort ved udgangen af",
        "Mio. kr.",
        zero=False,
    ),
    trends.forecast_movement_table(by_month),
    "oekonomi_prognose_pr_maaned",
    scope,
    alt_text="Forventet regnskab og korrigeret budget ved hver månedsafslutning",
    notes=notes,
)
st.subheader("Forventet afvigelse pr. indsatstype ved hver månedsafslutning")
ui.table(
    trends.deviation_by_month_table(trends.of_type(month_frame, offer_type), names),
    "oekonomi_afvigelse_pr_maaned",
    scope,
    notes,
)

# ---------------------------------------------------------------- price and quantity
last = trends.last_year_same_period(scope)
st.header(f"Pris og mængde: {scope.year} mod {last.year}")
changes = trends.price_quantity(
    trends.of_type(ui.aggregate("econ_price_quantity", scope), offer_type),
    trends.of_type(ui.aggregate("econ_price_quantity", last), offer_type),
    scope,
    last,
)
st.markdown(trends.price_quantity_sentence(trends.price_quantity_summary(changes), scope, last))
st.caption(
    "Samme periode begge år (1. januar til opgørelsesdatoen). Helårspersoner = bevillingernes "
    "aktive dage i perioden / årets dage. Udgift pr. helårsperson = forbruget / helårspersoner. "
    "Ændringen i forbruget deles op som ændringen i helårspersoner × sidste års udgift pr. "
    "helårsperson (mængde) plus ændringen i udgift pr. helårsperson × årets helårspersoner (pris); "
    "de to dele summer præcis til ændringen."
)
ui.chart_with_table(
    charts.effects(
        trends.price_quantity_effects(changes, names),
        "offer_type",
        "amount_mio",
        "effect",
        "Indsatstype",
        "Mio. kr.",
    ),
    trends.price_quantity_table(changes, names, scope, last),
    "oekonomi_pris_og_maengde",
    scope,
    alt_text="Ændring i forbruget pr. indsatstype opdelt i mængde og pris",
    notes=notes,
)

# ---------------------------------------------------------------- own and external
st.header("Eget og eksternt køb")
if offer_type is None:
    ui.kpi_row(["external_share"], scope, columns=2)
owners = trends.owner_table(ui.aggregate("econ_spend_by_owner", scope, offer_type=offer_type or ""))
ui.chart_with_table(
    charts.long_labels(
        charts.bar(
            trends.owner_bars(owners),
            "owner",
            "spend_mio",
            "Ejerform",
            "Forbrug år til dato, mio. kr.",
            value_format=charts.MILLIONS_AXIS,
        )
    ),
    owners,
    "oekonomi_ejerform",
    scope,
    alt_text="Forbrug år til dato efter tilbuddenes ejerform",
    notes=notes,
)
st.subheader("Største tilbud")
providers = trends.provider_table(ui.aggregate("econ_spend_by_provider", scope), names, offer_type)
ui.chart_with_table(
    charts.long_labels(
        charts.bar(
            trends.provider_bars(providers),
            "provider",
            "spend_mio",
            "Tilbud (indsatstype)",
            "Forbrug år til dato, mio. kr.",
            value_format=charts.MILLIONS_AXIS,
        ),
        limit=420,
    ),
    providers,
    "oekonomi_tilbud",
    scope,
    alt_text="De 15 tilbud med det største forbrug år til dato",
    notes=notes,
)

# ---------------------------------------------------------------- expensive citizens
st.header("De dyreste borgere")
ui.kpi_row(["expensive_citizens", "top20_share"], scope, columns=2)
st.caption(
    "Tallene gælder alle indsatstyper. Listen over de enkelte borgere ligger i den socialfaglige "
    "leders visning (siden Borger)."
)

# ---------------------------------------------------------------- accuracy (issue 15)
scenario.accuracy(scope, compact=True)
