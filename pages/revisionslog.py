"""Revisionslog: who has looked at or exported which citizen's data, when and where — for the
administrator, and for answering a citizen's request to see the log of lookups about them."""

import streamlit as st

from cockpit import ui

st.markdown(
    "Alle visninger af oplysninger om enkelte borgere og alle eksporter logges: hvornår, af hvem, "
    "i hvilken rolle, på hvilken side, hvilken borger (pseudonym) og med hvilke filtre. Loggen kan "
    "kun tilføjes, aldrig rettes eller slettes, og hver række bærer en hashkæde, så en ændret eller "
    "slettet række opdages. Søg på en borgers pseudonym for at besvare en "
    "anmodning om indsigt i, hvem der har slået borgeren op. Søgninger her logges også."
)
ui.audit_chain_status()
ui.audit_search_form()
ui.audit_results()
