"""Overblik: the headline key figures for the chosen municipality, year and reference date."""

import streamlit as st

from cockpit import ui

scope = ui.scope()
st.subheader("Økonomi")
ui.kpi_row(["forecast_year_end", "budget_corrected", "forecast_deviation", "spend_ytd"], scope)
st.subheader("Borgere og indsatser")
ui.kpi_row(["citizens_active", "citizens_per_1000", "botilbud_share", "adjustment_signals"], scope)
st.subheader("Kontrakter og opfølgning")
ui.kpi_row(
    ["contract_coverage", "revisitation_coverage", "followups_overdue", "processing_days_median"],
    scope,
)

ui.worklist.steering(scope)
st.subheader("Gå videre")
ui.onward_links(
    scope,
    [
        ("strategi", "Politiske mål og indsatstrappen"),
        ("oekonomi", "Prognose og afvigelser"),
        ("progression", "Tilpasningssignaler"),
        ("visitation", "Opfølgninger over tid"),
        ("kontrakter", "Kontrakter"),
    ],
)
