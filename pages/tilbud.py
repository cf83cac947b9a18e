"""Tilbud: one offer (?tilbud=OFFER_ID): its citizens, occupancy of own offers, prices against the
offer type's median, contract coverage, its citizens' progression and spend over time; without a
valid id, a picker of all the municipality's offers. The parts are in cockpit/ui/offers.py."""

import streamlit as st

from cockpit import ui
from cockpit.views.common import find_row

scope = ui.scope()
offers = ui.aggregate("social_offers", scope)
wanted = st.query_params.get("tilbud")
offer = find_row(offers, "offer_id", wanted)
if offer is None:
    ui.offers.picker(offers, scope, wanted)
    st.stop()

offer_id = ui.offers.facts(offer, scope)
ui.offers.progression(offer_id, scope)
ui.offers.spend(offer_id, scope)
if ui.citizen_access():
    ui.offers.citizens(offer, scope)
