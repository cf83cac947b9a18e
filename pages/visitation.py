"""Visitation og opfølgning: decisions (volume, approval, committee, processing time) and follow-up
(coverage within two years, overdue follow-ups with the list of grants, for the social manager)."""

import streamlit as st

from cockpit import charts, fmt, social, ui, worklist

scope = ui.scope_picker()
st.title("Visitation og opfølgning")
st.caption(
    f"Opgjort pr. {fmt.long_date(scope.as_of)}. Afgørelser tæller fra 1. januar {scope.year}."
)
ui.data_banner(scope)

st.subheader("Afgørelser")
ui.kpi_row(
    ["decisions", "approval_rate", "committee_share_housing", "processing_days_median"],
    scope,
    columns=2,
)

by_month = ui.aggregate("social_decisions_by_month", scope)
if by_month.empty:
    st.info("Der er ingen afgørelser i perioden.")
else:
    st.altair_chart(
        charts.stacked_months(
            social.decisions_by_month(by_month, scope.year),
            "Måned",
            "Afgørelser",
            "Art",
            "Afgørelser",
        ).properties(height=260, title="Afgørelser pr. måned fordelt på art"),
        theme=None,
    )
    by_group = ui.aggregate("social_decisions_by_group", scope)
    tabs = st.tabs(["Efter art", "Efter udfald", "Efter indsatstype", "Efter hvem der traf dem"])
    for tab, dimension in zip(tabs, ("kind", "outcome", "offer_type", "decided_by"), strict=True):
        with tab:
            st.dataframe(
                social.decision_table(by_group, dimension), hide_index=True, width="stretch"
            )
    st.caption(
        "Bevillingsprocent: nye ansøgninger bevilget / bevilget eller afslået. Boligafgørelser i "
        "udvalg: andelen af afgørelser om boligindsatser truffet i visitationsudvalget. "
        "Sagsbehandlingstid: median for nye ansøgninger."
    )

st.markdown("**Sagsbehandlingstid for nye ansøgninger**")
days = ui.aggregate("social_processing_days", scope)
if days.empty:
    st.info("Der er ingen nye ansøgninger afgjort i perioden.")
else:
    distribution = social.processing_distribution(days)
    st.altair_chart(
        charts.ordered_columns(
            distribution,
            "Sagsbehandlingstid",
            "Afgørelser",
            "Afgørelser",
            list(distribution["Sagsbehandlingstid"]),
        ).properties(height=220),
        theme=None,
    )
    st.caption(
        "Dage fra ansøgning til afgørelse for årets nye ansøgninger. Medianen er "
        f"{fmt.days(social.weighted_median(days['processing_days'], days['decisions']))}."
    )

st.subheader("Opfølgning")
ui.kpi_row(["revisitation_coverage", "followups_overdue", "citizens_active"], scope, columns=3)

if ui.citizen_access():
    overdue = ui.citizen_rows("list_followups_overdue", scope, citizen_id="")
    st.markdown(f"**Bevillinger med opfølgning over tid ({fmt.number(len(overdue))})**")
    if overdue.empty:
        st.success("Alle planlagte opfølgninger er gennemført.")
    else:
        st.caption("Klik på en række for at se borgeren.")
        row = ui.pick_row(social.overdue_table(overdue), key="overdue")
        ui.citizen_list_download(
            overdue, social.overdue_export(overdue), "Opfølgninger over tid", scope
        )
        if row is not None:
            ui.open_citizen(overdue["citizen_id"].iloc[row], scope, "visitation")
    worklist.link(scope, "followup_overdue")
