"""The Tilbud page's parts (pages/tilbud.py): the picker of all the municipality's offers, and one
offer's figures, progression, spend and citizens."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit.periods import Scope
from cockpit.present import charts, fmt
from cockpit.ui import session
from cockpit.ui.drill import back_button, open_citizen, open_offer
from cockpit.ui.frame import heading, plain
from cockpit.ui.widgets import chart, metric_row, pick_in_chart, pick_row
from cockpit.views import offers as views
from cockpit.views.common import valid_id
from cockpit.views.progression import group_progression, progression_table

PICKER = "oversigten over tilbud"


def picker(offers: pd.DataFrame, scope: Scope, wanted: str | None) -> None:
    """Find an offer by name, among the 15 largest (click a bar) or in the table of all."""
    if wanted:
        st.warning(
            f"Tilbuddet »{plain(wanted)}« findes ikke i kommunens data. Vælg et tilbud nedenfor."
            if valid_id(wanted)
            else "Adressen peger på et ugyldigt tilbud. Vælg et tilbud nedenfor."
        )
    if offers.empty:
        st.info("Kommunen har ingen tilbud i data.")
        st.stop()
    names = dict(zip(offers["offer_id"], offers["offer_name"], strict=True))
    chosen = st.selectbox(
        "Find et tilbud",
        sorted(names, key=lambda k: names[k].lower()),
        index=None,
        format_func=names.get,
        placeholder="Skriv en del af navnet",
    )
    if chosen:
        open_offer(chosen, scope, "tilbud", PICKER)
    st.markdown(
        "**De 15 tilbud med den største månedspris** (klik på en søjle for at åbne tilbuddet)"
    )
    clicked = pick_in_chart(
        charts.clickable_bar(
            views.top_offers(offers),
            "Tilbud",
            "Månedspris i alt",
            "offer_id",
            "Tilbud",
            "Månedspris for aktive bevillinger, kr.",
        ).properties(height=380),
        key="top_offers",
        alt_text="Søjlediagram: de 15 tilbud med den største månedspris for aktive bevillinger",
        field="offer_id",
    )
    if clicked:
        open_offer(clicked, scope, "tilbud", PICKER)
    st.caption(
        f"Alle kommunens tilbud pr. {fmt.long_date(scope.as_of)}. Klik på en række for at åbne "
        "tilbuddet."
    )
    row = pick_row(views.offers_table(offers), key="offers")
    if row is not None:
        open_offer(offers["offer_id"].iloc[row], scope, "tilbud", PICKER)


def facts(offer: pd.Series, scope: Scope) -> str:
    """Back button, the offer's name and facts as the page heading, and its figures; the id."""
    offer_id = str(offer["offer_id"])
    back_button(scope, "tilbud", tilbud=offer_id)
    heading(offer["offer_name"], views.offer_caption(offer, scope))
    for row in views.offer_metrics(offer):
        metric_row(row)
    return offer_id


def progression(offer_id: str, scope: Scope) -> None:
    st.subheader("Progression for tilbuddets borgere")
    table = group_progression(
        progression_table(
            session.aggregate("social_progression_by_group", scope),
            session.aggregate("social_goal_attainment_by_group", scope),
            session.aggregate("social_goals_with_horizon_by_group", scope),
            "offer",
        ),
        offer_id,
    )
    if table.empty:
        st.info("Tilbuddets borgere har ingen vurderinger eller mål i perioden.")
    else:
        st.dataframe(table, hide_index=True, width="stretch")


def spend(offer_id: str, scope: Scope) -> None:
    st.subheader("Forbrug pr. måned, de seneste to år")
    rows = session.aggregate("social_offer_spend_by_month", scope, offer_id=offer_id)
    if rows.empty:
        st.info("Der er ingen bogførte udgifter på tilbuddet i perioden.")
    else:
        chart(
            charts.monthly_bars(
                views.monthly_series(rows), "Måned", "amount_dkk", "Kroner"
            ).properties(height=240),
            alt="Søjlediagram: tilbuddets bogførte udgifter pr. måned i kroner",
        )


def citizens(offer: pd.Series, scope: Scope) -> None:
    """The citizens with an active grant on the offer (roles with citizen access only)."""
    offer_id = str(offer["offer_id"])
    rows = session.citizen_rows("list_offer_citizens", scope, offer_id=offer_id)
    st.subheader(f"Borgere på tilbuddet ({fmt.number(len(rows))})")
    if rows.empty:
        st.info("Ingen borgere har en aktiv bevilling på tilbuddet.")
        return
    st.caption("Klik på en række for at se borgeren.")
    own = offer["owner_type"] == "own"
    shown = views.offer_citizens_table(rows, offer["type_median_monthly_price"], own=own)
    row = pick_row(shown, key="offer_citizens")
    if row is not None:
        name = offer["offer_name"]
        open_citizen(rows["citizen_id"].iloc[row], scope, "tilbud", name, tilbud=offer_id)
