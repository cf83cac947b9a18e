"""Hvad nu hvis (directors, leaders; politicians see saved scenarios): the budget effect of acting
over the budget year and three overslagsår, saved and shared scenarios, and how far the forecast
can be trusted. Definitions: docs/scenarier.md."""

import streamlit as st

from cockpit import fmt, ui
from cockpit.scenario import view

scope = ui.scope_picker()
names = ui.offer_type_names()
st.title("Hvad nu hvis")
st.caption(
    f"Budgetåret {scope.year} og tre overslagsår · opgjort pr. {fmt.long_date(scope.as_of)} · "
    "faste priser, medmindre du lægger en pris- og lønfremskrivning på"
)
ui.data_banner(scope)

saved = view.opened(scope)
if saved is not None:
    st.subheader(f"Scenarie: {ui.plain(saved.name)}")
if view.may_make():
    levers = view.lever_inputs(scope, saved, names)
else:
    levers = saved.levers if saved else view.Levers()
    st.caption("Politikere ser de gemte scenarier. Direktører og ledere laver dem.")

st.header("Basis og scenarie år for år")
st.caption(
    f"Basis for {scope.year} er årets forventede regnskab. For overslagsårene fortsætter de aktive "
    "bevillinger til deres slutdato, tidsubegrænsede bevillinger tyndes ud med indsatstypens "
    "afgangsrate, og nye bevillinger kommer til som de seneste tre år. Et år uden budget i "
    f"budgettabellen får {scope.year}s korrigerede budget videreført."
)
view.result(scope, levers, names)
view.saved_panel(scope, levers, saved)
view.accuracy(scope)
