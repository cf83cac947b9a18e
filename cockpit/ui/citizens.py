"""The Borger page's parts (pages/borger.py): the citizen picker, and one citizen's signals,
figures, grants over time and the tabs with goals, decisions, contracts and spend. Every read is a
citizen-level query through the gateway, so each view is in the audit log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit.metrics import REGISTRY
from cockpit.periods import Scope
from cockpit.present import charts, fmt
from cockpit.ui import session
from cockpit.ui.drill import back_button, open_citizen, open_offer
from cockpit.ui.frame import heading, plain
from cockpit.ui.widgets import chart, metric_row, pick_row, show
from cockpit.views import citizens as views
from cockpit.views.common import find_row, valid_id
from cockpit.views.offers import monthly_series

PICKER = "oversigten over borgere"
PICKER_ROWS = 200  # the dearest citizens the picker reads and shows; the rest by pseudonym
TABS = ("Mål og funktionsniveau", "Afgørelser", "Kontrakter", "Forbrug pr. måned, de seneste to år")


def lookup(wanted: str | None, scope: Scope) -> pd.Series | None:
    """The citizen of the URL's pseudonym (one row of list_citizens, one name in the audit log), or
    None when it is invalid or not in the municipality's data."""
    if not valid_id(wanted):
        return None
    found = session.citizen_rows("list_citizens", scope, citizen=wanted, citizen_id=wanted, top=1)
    return find_row(found, "citizen_id", wanted)


def picker(scope: Scope, wanted: str | None) -> None:
    """Find a citizen by pseudonym, or click one of the PICKER_ROWS dearest with active grants
    (only those rows are read, so the audit log names only the citizens shown)."""
    if wanted:
        st.warning(
            f"Borgeren »{plain(wanted)}« findes ikke i kommunens data. Vælg en borger nedenfor."
            if valid_id(wanted)
            else "Adressen peger på en ugyldig borger. Vælg en borger nedenfor."
        )
    citizens = session.citizen_rows("list_citizens", scope, citizen_id="", top=PICKER_ROWS)
    if citizens.empty:
        st.info("Kommunen har ingen borgere i data.")
        st.stop()
    typed = st.text_input("Find en borger (pseudonym)", placeholder="Skriv pseudonymet")
    if typed.strip():
        open_citizen(typed.strip(), scope, "borger", PICKER)
    expensive = REGISTRY["expensive_citizens"]
    expensive_only = st.toggle(expensive.label, help=expensive.definition)
    active = views.active_citizens(citizens, expensive_only)
    total = int(citizens["expensive_citizens" if expensive_only else "active_citizens"].iloc[0])
    more = f" De {fmt.number(len(active))} dyreste vises." if len(active) < total else ""
    st.caption(
        f"Eller klik på en borger i tabellen: {fmt.number(total)} borgere med aktive "
        f"bevillinger pr. {fmt.long_date(scope.as_of)}, dyreste først.{more}"
    )
    row = pick_row(views.citizens_table(active), key="citizens")
    if row is not None:
        open_citizen(active["citizen_id"].iloc[row], scope, "borger", PICKER)


class Citizen:
    """One citizen's view: every query names the citizen, so the audit log records the lookup."""

    def __init__(self, person: pd.Series, scope: Scope) -> None:
        self.id = str(person["citizen_id"])
        self.scope = scope
        back_button(scope, "borger", borger=self.id)
        heading(f"Borger {self.id}", views.citizen_caption(person, scope.as_of))

    def rows(self, name: str) -> pd.DataFrame:
        return session.citizen_rows(name, self.scope, citizen_id=self.id, citizen=self.id)

    def summary(self) -> pd.DataFrame:
        """The signals that concern the citizen and the figures; returns the grants."""
        grants = self.rows("detail_citizen_grants")
        for text in views.citizen_signals(
            self.id,
            self.rows("list_adjustment_signals"),
            self.rows("list_followups_overdue"),
            self.rows("list_grants_without_contract"),
        ):
            st.warning(text, icon=":material/flag:")
        metric_row(views.citizen_metrics(views.citizen_summary(grants)))
        return grants

    def grants(self, grants: pd.DataFrame) -> None:
        st.subheader("Bevillinger over tid")
        if grants.empty:
            st.info("Borgeren har ingen bevillinger.")
            return
        chart(
            charts.timeline(
                views.timeline_frame(grants, self.scope.as_of),
                "Fra",
                "Til",
                "Indsats",
                "Indsats",
                ["Indsats", "Tilbud", "Periode", "Månedspris"],
            ),
            height=views.timeline_height(grants),
            alt="Tidslinje over borgerens bevillinger; de samme bevillinger står i tabellen nedenfor",
        )
        st.caption("Klik på en bevilling i tabellen for at se tilbuddet.")
        row = pick_row(views.grants_table(grants), key="citizen_grants")
        if row is not None and not views.is_missing(grants["offer_id"].iloc[row]):
            offer = grants["offer_id"].iloc[row]
            open_offer(offer, self.scope, "borger", f"borger {self.id}", borger=self.id)

    def tabs(self) -> None:
        goals, decisions, contracts, spend = st.tabs(list(TABS))
        with goals:
            self._table("detail_citizen_goals", views.goals_table, "Borgeren har ingen mål.")
            assessments = self.rows("detail_citizen_assessments")
            if assessments.empty:
                st.info("Borgerens funktionsniveau er ikke vurderet.")
            else:
                st.markdown("**Funktionsniveau pr. tema** (0 = ingen nedsættelse; op er bedre)")
                chart(
                    charts.level_lines(
                        views.assessments_frame(assessments), "Dato", "Funktionsniveau", "Tema"
                    ),
                    height=280,
                    alt="Linjediagram: borgerens funktionsniveau pr. tema over tid",
                )
        with decisions:
            empty = "Der er ingen afgørelser for borgeren."
            self._table("detail_citizen_decisions", views.decisions_table, empty)
        with contracts:
            empty = "Der er ingen kontrakter på borgerens bevillinger."
            self._table("detail_citizen_contracts", views.contracts_table, empty)
        with spend:
            rows = self.rows("detail_citizen_spend")
            if rows.empty:
                st.info("Der er ingen bogførte udgifter på borgeren i perioden.")
            else:
                chart(
                    charts.monthly_bars(
                        monthly_series(rows), "Måned", "amount_dkk", "Kroner", "Indsats"
                    ).properties(height=260),
                    alt="Søjlediagram: bogførte udgifter på borgeren pr. måned fordelt på indsats",
                )

    def _table(self, name: str, build, empty: str) -> None:
        rows = self.rows(name)
        if rows.empty:
            st.info(empty)
        else:
            show(build(rows))
