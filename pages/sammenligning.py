"""Sammenligning: are we expensive compared with municipalities like us? The 10 structurally
nearest municipalities, the gap split into more citizens and dearer per citizen, expected spend at
the country's unit costs, and a map. Aggregates only; other municipalities' small numbers hidden."""

import streamlit as st

from cockpit import fmt, ui
from cockpit.compare import access, view

scope = ui.scope_picker()
st.title("Sammenligning")
st.caption(f"Opgjort pr. {fmt.long_date(scope.as_of)}. Forbrug fra 1. januar til samme dato.")
ui.data_banner(scope)
c = access.comparison(scope)
if c is None:
    st.warning("Kommunen er ikke en af de 98 kommuner, så den har ingen sammenligningskommuner.")
    st.stop()
names = ui.offer_type_names()
if view.twin_note(c):
    st.info(view.twin_note(c), icon="ℹ️")

st.header("Hvem ligner vi?")
st.markdown(view.peer_sentence(c))
ui.table(view.peer_table(c), "sammenligning_kommuner", scope)

st.header("Hvordan ligger vi?")
ui.table(view.summary_table(c), "sammenligning_noegletal", scope)

st.header("Flere borgere eller dyrere pr. borger?")
st.markdown(view.split_sentence(c))
ui.table(view.split_table(c), "sammenligning_maengde_pris", scope)
st.caption(
    "Forskel = (q − q_ref) × p_ref + (p − p_ref) × q, hvor q er borgere pr. 1.000 18-64-årige og "
    "p forbrug pr. borger; ref er sammenligningskommunerne lagt sammen. Medianen står i tabellen ovenfor."
)

st.header("Forventet udgift med landets enhedspriser")
st.markdown(view.expected_sentence(c))
with st.expander("Forventet og faktisk udgift pr. indsatstype"):
    ui.table(view.expected_table(c, names, access.hides_small()), "sammenligning_forventet", scope)
st.caption(
    "Standardomkostning som i Sveriges LSS-udligning (SFS 2008:776): kommunens helårspersoner pr. "
    "indsatstype × landets udgift pr. helårsperson (alle kommuner i databasen, samme periode)."
)

st.header("Danmarkskort")
figures = access.public_figures(scope)
options = view.map_options(figures)
key = st.selectbox("Farv kortet efter", list(options), format_func=options.get, key="_kort_maal")
spec = view.map_spec(c, key, figures)
st.vega_lite_chart(spec, width="stretch", theme=None, alt=f"Danmarkskort: {options[key]}")
with st.expander("Vis som tabel"):
    ui.table(view.map_table(c, key, figures), "sammenligning_kort", scope)
st.caption(view.map_legend())

st.header("Udgift pr. helårsperson pr. indsatstype")
ui.table(view.unit_cost_table(c, names), "sammenligning_enhedspriser", scope)

st.header("Offentlige tal")
found = view.public_table(c, figures)
if found is None:
    st.caption("Ingen offentlige tal hentet endnu. Hent dem med `python -m cockpit fetch-public`.")
else:
    ui.table(found[0], "sammenligning_offentlige_tal", scope)
    st.caption(found[1])
st.caption(view.sources_caption())
