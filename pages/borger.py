"""Borger: one citizen under their pseudonym (?borger=CITIZEN_ID): grants over time, decisions,
contracts, goals and assessments per theme, spend per month and the signals that concern them;
without a valid pseudonym, a search-first picker (the dearest citizens only). Only roles with citizen access reach this page. The parts are
in cockpit/ui/citizens.py."""

import streamlit as st

from cockpit import ui

scope = ui.scope()
if not ui.citizen_access():
    st.error("Din rolle må ikke se oplysninger om enkelte borgere.")
    st.stop()

wanted = st.query_params.get("borger")
person = ui.citizens.lookup(wanted, scope)
if person is None:
    ui.citizens.picker(scope, wanted)
    st.stop()

citizen = ui.citizens.Citizen(person, scope)
citizen.grants(citizen.summary())
citizen.tabs()
ui.market.citizen_schedule(str(person["citizen_id"]), scope)
