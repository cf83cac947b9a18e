"""Borger: one citizen under their pseudonym (?borger=CITIZEN_ID): grants over time, decisions,
contracts, goals and assessments per theme, spend per month and the signals that concern them;
without a valid pseudonym, a picker. Only roles with citizen access reach this page. The parts are
in cockpit/ui/citizens.py."""

import streamlit as st

from cockpit import ui
from cockpit.views.common import find_row

scope = ui.scope()
if not ui.citizen_access():
    st.error("Din rolle må ikke se oplysninger om enkelte borgere.")
    st.stop()

citizens = ui.citizen_rows("list_citizens", scope)
wanted = st.query_params.get("borger")
person = find_row(citizens, "citizen_id", wanted)
if person is None:
    ui.citizens.picker(citizens, scope, wanted)
    st.stop()

citizen = ui.citizens.Citizen(person, scope)
citizen.grants(citizen.summary())
citizen.tabs()
ui.market.citizen_schedule(str(person["citizen_id"]), scope)
