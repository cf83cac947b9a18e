"""The Sammenligning page's sections (pages/sammenligning.py): who is like us, how we compare with
them and the country, the gap split into quantity and price, expected spend, the map of Denmark
and Danmarks Statistik's figures. Data through the gateway (Gateway.comparison); tables, sentences
and the map from cockpit/compare/view.py."""

from __future__ import annotations

from functools import cached_property

import pandas as pd
import streamlit as st

from cockpit.compare import measures, view
from cockpit.compare.report import Comparison
from cockpit.periods import Scope
from cockpit.ui import session
from cockpit.ui.widgets import table

SPLIT = (
    "Forskel = (q − q_ref) × p_ref + (p − p_ref) × q, hvor q er borgere pr. 1.000 18-64-årige og "
    "p forbrug pr. borger; ref er sammenligningskommunerne lagt sammen. Medianen står i tabellen "
    "ovenfor."
)
STANDARD_COST = (
    "Standardomkostning som i Sveriges LSS-udligning (SFS 2008:776): kommunens helårspersoner pr. "
    "indsatstype × landets udgift pr. helårsperson (alle kommuner i databasen, samme periode)."
)
OUTSIDE = "Kommunen er ikke en af de 98 kommuner, så den har ingen sammenligningskommuner."
NO_PUBLIC = "Ingen offentlige tal hentet endnu. Hent dem med `python -m cockpit fetch-public`."


class Compare:
    """One scope's comparison, drawn section by section."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    @cached_property
    def comparison(self) -> Comparison:
        found = session.gateway().comparison(self.scope)
        if found is None:
            st.warning(OUTSIDE)
            st.stop()
        if view.twin_note(found):
            st.info(view.twin_note(found), icon="ℹ️")
        return found

    @cached_property
    def figures(self) -> pd.DataFrame:
        return session.gateway().public_figures(self.scope.year)

    def peers_section(self) -> None:
        c = self.comparison
        st.header("Hvem ligner vi?")
        st.markdown(view.peer_sentence(c))
        table(view.peer_table(c), "sammenligning_kommuner", self.scope)

    def measures_section(self) -> None:
        c = self.comparison
        st.header("Hvordan ligger vi?")
        table(view.summary_table(c), "sammenligning_noegletal", self.scope)
        st.header("Flere borgere eller dyrere pr. borger?")
        st.markdown(view.split_sentence(c))
        table(view.split_table(c), "sammenligning_maengde_pris", self.scope)
        st.caption(SPLIT)

    def expected_section(self) -> None:
        c = self.comparison
        st.header("Forventet udgift med landets enhedspriser")
        st.markdown(view.expected_sentence(c))
        names = session.offer_type_names()
        with st.expander("Forventet og faktisk udgift pr. indsatstype"):
            shown = view.expected_table(c, names, session.suppresses())
            table(shown, "sammenligning_forventet", self.scope)
        st.caption(STANDARD_COST)

    def map_section(self) -> None:
        c = self.comparison
        st.header("Danmarkskort")
        options = view.map_options(self.figures)
        key = st.selectbox(
            "Farv kortet efter", list(options), format_func=options.get, key="_kort_maal"
        )
        spec = view.map_spec(c, key, self.figures)
        st.vega_lite_chart(spec, width="stretch", theme=None, alt=f"Danmarkskort: {options[key]}")
        with st.expander("Vis som tabel"):
            table(view.map_table(c, key, self.figures), "sammenligning_kort", self.scope)
        st.caption(view.map_legend())

    def unit_cost_section(self) -> None:
        st.header(measures.UNIT_COST_LABEL + " pr. indsatstype")
        names = session.offer_type_names()
        table(
            view.unit_cost_table(self.comparison, names), "sammenligning_enhedspriser", self.scope
        )

    def public_section(self) -> None:
        st.header("Offentlige tal")
        found = view.public_table(self.comparison, self.figures)
        if found is None:
            st.caption(NO_PUBLIC)
        else:
            table(found[0], "sammenligning_offentlige_tal", self.scope)
            st.caption(found[1])
        st.caption(view.sources_caption())
