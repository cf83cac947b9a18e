"""Progression: functional level, goals and time-bound goals per theme, offer type and offer, and
the adjustment signals: citizens who reached a development goal while the help stayed the same."""

import streamlit as st

from cockpit import ui
from cockpit.metrics import REGISTRY
from cockpit.views import progression

scope = ui.scope()
ui.kpi_row(["progression_share", "decline_share", "goal_attainment", "goals_with_horizon"], scope)

signal_kpi = REGISTRY["adjustment_signals"]
st.subheader(signal_kpi.label)
st.caption(signal_kpi.definition + progression.SIGNALS_NOTE)
if ui.citizen_access():
    signals = ui.citizen_rows("list_adjustment_signals", scope, citizen_id="")
    ui.metric_row(progression.signal_metrics(progression.signal_summary(signals)))
    ui.citizen_list(
        signals,
        progression.SIGNAL_LIST,
        scope,
        origin="progression",
        key="signals",
        empty="Ingen bevillinger venter på tilpasning.",
        hint="Klik på en række for at se borgeren. Dyreste bevillinger først.",
        widths=progression.SIGNAL_WIDTHS,
    )
    ui.worklist.link(scope, "adjustment_signal")

st.subheader("Fordelt på tema, indsatstype og tilbud")
frames = [
    ui.aggregate(name, scope)
    for name in (
        "social_progression_by_group",
        "social_goal_attainment_by_group",
        "social_goals_with_horizon_by_group",
    )
]
tabs = st.tabs(["Pr. tema", "Pr. indsatstype", "Pr. tilbud"])
for tab, dimension in zip(tabs, ("theme", "offer_type", "offer"), strict=True):
    with tab:
        table = progression.progression_table(*frames, dimension)
        if table.empty:
            st.info("Der er ingen vurderinger, mål eller aktive bevillinger at vise.")
        elif dimension == "offer":
            st.caption("Klik på et tilbud for at se det.")
            row = ui.pick_row(progression.progression_display(table), key="progression_offers")
            if row is not None:
                ui.open_offer(table["key"].iloc[row], scope, "progression")
        else:
            ui.show(progression.progression_display(table, with_grants=dimension != "theme"))
st.caption(progression.BREAKDOWN_NOTE)
