"""Strategi (politicians): are we meeting the political targets, are citizens moving to less
intrusive help on the indsatstrappe, and the headline economy. Aggregates only."""

import streamlit as st

from cockpit import charts, fmt, trends, ui, worklist

scope = ui.scope_picker()
offer_type = ui.offer_type_filter()
names = ui.offer_type_names()

st.title("Strategi")
st.caption(f"Opgjort pr. {fmt.long_date(scope.as_of)}")
ui.data_banner(scope)

scopes = trends.year_scopes(scope, ui.years_with_data(scope.municipality))
targets = trends.target_overview(scope, ui.aggregate, ui.kpi_values)
history = trends.kpi_history(
    scopes, [*targets["key"], "botilbud_share", "citizens_per_1000"], ui.kpi_values
)

# ---------------------------------------------------------------- targets
st.header("Når vi de politiske mål?")
st.markdown(f"**{trends.target_summary(targets)}**")
st.caption(
    "Nået: målet er opfyldt. Tæt på: målet er misset med højst 5 % af målværdien. Ikke nået: "
    "misset med mere. Tidligere år er opgjort pr. 31. december, i år pr. opgørelsesdatoen."
)
for row in targets.to_dict("records"):
    ui.target_status(row, history, scopes, scope)

# ---------------------------------------------------------------- indsatstrappe
st.header("Indsatstrappen")
st.caption(
    "Borgere med en aktiv indsats på trappen, placeret efter det højeste trin, de har. Trin 1 er "
    "den mindst indgribende hjælp, trin 5 længerevarende botilbud. Gælder alle indsatstyper."
)
ui.kpi_row(["botilbud_share", "citizens_per_1000", "citizens_active"], scope, columns=3)
st.markdown(trends.staircase_sentence(history, scopes))
steps = trends.staircase_history(
    scopes, ui.aggregate, ui.kpi_values, trends.step_labels(ui.offer_types())
)
ui.chart_with_table(
    charts.staircase(steps),
    trends.staircase_table(steps),
    "strategi_indsatstrappen",
    scope,
    alt_text="Fordeling af borgerne på indsatstrappens trin år for år",
)
st.subheader("Borgere pr. 1.000 18-64-årige år for år")
ui.chart_with_table(
    charts.by_year(
        trends.history_lines(history, "citizens_per_1000"),
        "year",
        "value",
        "series",
        "År",
        "Pr. 1.000 18-64-årige",
        y_format=",.1f",
    ).properties(height=220),
    trends.history_table(history, ["botilbud_share", "citizens_per_1000"], scopes),
    "strategi_udvikling",
    scope,
    alt_text="Borgere med aktiv bevilling pr. 1.000 18-64-årige år for år",
)

worklist.steering(scope)
# ---------------------------------------------------------------- economy
st.header("Økonomi")
if offer_type:
    st.caption(
        f"Økonomitallene gælder {ui.plain(names[offer_type])}. Mål og indsatstrappe gælder hele området."
    )
values = trends.headline(scope, ui.aggregate, ui.kpi_values, offer_type)
st.markdown(trends.economy_sentence(values, scope))
growth = trends.growth(scope, ui.aggregate, ui.kpi_values, values["forecast_year_end"], offer_type)
ui.kpi_metrics(
    values,
    ["forecast_year_end", "budget_corrected", "forecast_deviation", "spend_per_inhabitant"],
    columns=3,
    extra=((trends.GROWTH_LABEL, fmt.percent(growth), trends.GROWTH_HELP),),
)
