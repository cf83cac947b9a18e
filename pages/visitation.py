"""Visitation og opfølgning: decisions (volume, approval, committee, processing time) and follow-up
(coverage within two years, overdue follow-ups with the list of grants, for the social manager)."""

import streamlit as st

from cockpit import ui
from cockpit.present import charts, fmt
from cockpit.views import visitation

scope = ui.scope()
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
    ui.chart_and_table(
        charts.stacked_months(
            visitation.decisions_by_month(by_month, scope.year),
            "Måned",
            "Afgørelser",
            "Art",
            "Afgørelser",
        ).properties(height=260, title="Afgørelser pr. måned fordelt på art"),
        "Stablet søjlediagram: afgørelser pr. måned fordelt på art",
        visitation.months_table(by_month, scope.year),
    )
    by_group = ui.aggregate("social_decisions_by_group", scope)
    tabs = st.tabs(["Efter art", "Efter udfald", "Efter indsatstype", "Efter hvem der traf dem"])
    for tab, dimension in zip(tabs, ("kind", "outcome", "offer_type", "decided_by"), strict=True):
        with tab:
            ui.show(visitation.decision_table(by_group, dimension))
    st.caption(visitation.DECISIONS_NOTE)

st.markdown("**Sagsbehandlingstid for nye ansøgninger**")
days = ui.aggregate("social_processing_days", scope)
if days.empty:
    st.info("Der er ingen nye ansøgninger afgjort i perioden.")
else:
    spread = visitation.processing_distribution(days)
    ui.chart(
        charts.ordered_columns(
            spread, "Sagsbehandlingstid", "Afgørelser", "Afgørelser", list(spread.iloc[:, 0])
        ).properties(height=220),
        alt="Søjlediagram: årets nye ansøgninger fordelt på dage fra ansøgning til afgørelse",
    )
    median = visitation.weighted_median(days["processing_days"], days["decisions"])
    st.caption(
        "Dage fra ansøgning til afgørelse for årets nye ansøgninger. Medianen er "
        f"{fmt.days(median)}."
    )

st.subheader("Opfølgning")
ui.kpi_row(["revisitation_coverage", "followups_overdue", "citizens_active"], scope, columns=3)
if ui.citizen_access():
    overdue = ui.citizen_rows("list_followups_overdue", scope, citizen_id="")
    st.markdown(f"**Bevillinger med opfølgning over tid ({fmt.number(len(overdue))})**")
    ui.citizen_list(
        overdue,
        visitation.OVERDUE_LIST,
        scope,
        origin="visitation",
        key="overdue",
        empty="Alle planlagte opfølgninger er gennemført.",
    )
    ui.worklist.link(scope, "followup_overdue")
