"""Progression: functional level, goals and time-bound goals per theme, offer type and offer, and
the adjustment signals: citizens who reached a development goal while the help stayed the same."""

import streamlit as st

from cockpit import fmt, kpis, social, ui, worklist

scope = ui.scope_picker()
st.title("Progression")
st.caption(f"Opgjort pr. {fmt.long_date(scope.as_of)}")
ui.data_banner(scope)

ui.kpi_row(["progression_share", "decline_share", "goal_attainment", "goals_with_horizon"], scope)

signal_kpi = kpis.REGISTRY["adjustment_signals"]
st.subheader(signal_kpi.label)
st.caption(
    signal_kpi.definition
    + " Næste trin ned er indsatstypen ét trin lavere på indsatstrappen; den typiske månedspris "
    "der er medianen for kommunens aktive bevillinger på det trin. Bevillinger uden for trappen "
    "har intet trin ned (–)."
)
if ui.citizen_access():
    signals = ui.citizen_rows("list_adjustment_signals", scope, citizen_id="")
    summary = social.signal_summary(signals)
    cols = st.columns(4)
    cols[0].metric(signal_kpi.label, fmt.number(summary["grants"]), help=signal_kpi.definition)
    cols[1].metric("Borgere", fmt.number(summary["citizens"]))
    cols[2].metric(
        "Månedspris for bevillingerne",
        fmt.money(summary["monthly_price"]),
        help="Summen af månedsprisen for bevillingerne med et tilpasningssignal.",
    )
    cols[3].metric(
        "Vejledende forskel pr. måned",
        fmt.money(summary["difference"]),
        help="Vejledende: summen af hver bevillings månedspris minus den typiske månedspris ét trin "
        "lavere på indsatstrappen (kun bevillinger, der har et trin under sig: "
        f"{fmt.number(summary['with_next_step'])} af {fmt.number(summary['grants'])}). Om en "
        "tilpasning er fagligt rigtig, afgøres i den enkelte sag.",
    )
    if signals.empty:
        st.success("Ingen bevillinger venter på tilpasning.")
    else:
        st.caption("Klik på en række for at se borgeren. Dyreste bevillinger først.")
        row = ui.pick_row(social.signal_table(signals), key="signals", widths=social.SIGNAL_WIDTHS)
        ui.citizen_list_download(signals, social.signal_export(signals), signal_kpi.label, scope)
        if row is not None:
            ui.open_citizen(signals["citizen_id"].iloc[row], scope, "progression")
    worklist.link(scope, "adjustment_signal")

st.subheader("Fordelt på tema, indsatstype og tilbud")
progression = ui.aggregate("social_progression_by_group", scope)
attainment = ui.aggregate("social_goal_attainment_by_group", scope)
horizon = ui.aggregate("social_goals_with_horizon_by_group", scope)
tabs = st.tabs(["Pr. tema", "Pr. indsatstype", "Pr. tilbud"])
for tab, dimension in zip(tabs, ("theme", "offer_type", "offer"), strict=True):
    with tab:
        table = social.progression_table(progression, attainment, horizon, dimension)
        if table.empty:
            st.info("Der er ingen vurderinger, mål eller aktive bevillinger at vise.")
        elif dimension == "offer":
            st.caption("Klik på et tilbud for at se det.")
            row = ui.pick_row(social.progression_display(table), key="progression_offers")
            if row is not None:
                ui.open_offer(table["key"].iloc[row], scope, "progression")
        else:
            st.dataframe(
                social.progression_display(table, with_grants=dimension != "theme"),
                hide_index=True,
                width="stretch",
            )
st.caption(
    "Fremgang og tilbagegang: borger-temaer vurderet mindst to gange det seneste år. Mål nået: "
    "mål med frist i år til dato. Tidsfastsatte mål: aktive bevillinger med mindst ét mål med "
    "frist. En borger med indsatser på flere tilbud tæller med under hvert af dem; temaer "
    "gælder hele borgeren."
)
