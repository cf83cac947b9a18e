"""Priser: køb af pladser against the market (each external grant's daily price against the
offer's published Tilbudsportalen rate range and our own quartiles, with the forhandlingspotentiale)
the 10 % rule under free choice, and our own offers as seller. The sections are in cockpit/ui/market.py."""

import streamlit as st

from cockpit import ui

scope = ui.scope()
if not ui.citizen_access():
    st.error("Din rolle må ikke se oplysninger om enkelte borgere.")
    st.stop()

ui.market.market_prices(scope)
ui.market.free_choice(scope)
ui.market.own_offers(scope)
