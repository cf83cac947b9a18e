"""Tilbud: one offer (?tilbud=OFFER_ID): its citizens, occupancy of own offers, prices against the
offer type's median, contract coverage, its citizens' progression and spend over time; without a
valid id, a picker of all the municipality's offers."""

import streamlit as st

from cockpit import charts, fmt, social, ui
from cockpit.social import OWNER_LABELS, label

scope = ui.scope_picker()
offers = ui.aggregate("social_offers", scope)
wanted = st.query_params.get("tilbud")
offer = social.find_row(offers, "offer_id", wanted)

if offer is None:
    st.title("Tilbud")
    ui.data_banner(scope)
    if wanted:
        st.warning(
            f"Tilbuddet »{wanted}« findes ikke i kommunens data. Vælg et tilbud nedenfor."
            if social.valid_id(wanted)
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
        ui.open_offer(chosen, scope, "tilbud", "oversigten over tilbud")
    st.markdown(
        "**De 15 tilbud med den største månedspris** (klik på en søjle for at åbne tilbuddet)"
    )
    clicked = ui.pick_in_chart(
        charts.clickable_bar(
            social.top_offers(offers),
            "Tilbud",
            "Månedspris i alt",
            "offer_id",
            "Tilbud",
            "Månedspris for aktive bevillinger, kr.",
        ).properties(height=380),
        key="top_offers",
        field="offer_id",
    )
    if clicked:
        ui.open_offer(clicked, scope, "tilbud", "oversigten over tilbud")
    st.caption(
        f"Alle kommunens tilbud pr. {fmt.long_date(scope.as_of)}. Klik på en række for at åbne "
        "tilbuddet."
    )
    row = ui.pick_row(social.offers_table(offers), key="offers")
    if row is not None:
        ui.open_offer(offers["offer_id"].iloc[row], scope, "tilbud", "oversigten over tilbud")
    st.stop()

offer_id = str(offer["offer_id"])
ui.back_button(scope, "tilbud", tilbud=offer_id)
st.title(offer["offer_name"])
st.caption(
    f"{label(OWNER_LABELS, offer['owner_type'])} · {offer['offer_type_name']} · "
    f"{social.location_text(offer, scope.municipality)} · opgjort pr. {fmt.long_date(scope.as_of)}"
)
ui.data_banner(scope)

cols = st.columns(4)
cols[0].metric("Borgere med aktiv bevilling her", fmt.number(offer["citizens"]))
cols[1].metric(
    "Belægning, borgere af pladser",
    social.occupancy_text(offer),
    help="Kommunens borgere med aktiv bevilling på tilbuddet af tilbuddets godkendte pladser. "
    "Vises kun for kommunens egne tilbud; på eksterne tilbud deler flere kommuner pladserne.",
)
cols[2].metric(
    "Månedspris i alt",
    fmt.money(offer["monthly_price_dkk"]),
    help="Summen af månedsprisen for de aktive bevillinger på tilbuddet.",
)
cols[3].metric(
    "Forbrug år til dato",
    fmt.money(offer["spend_ytd_dkk"]),
    help="Bogførte udgifter på tilbuddet fra 1. januar til opgørelsesdatoen.",
)
delta = social.price_delta(offer)
cols = st.columns(4)
cols[0].metric(
    "Median månedspris her",
    fmt.money(offer["median_monthly_price"]),
    delta=None if delta is None else f"{fmt.percent(delta, 0)} ift. typens median",
    delta_color="inverse",
    help=f"Median af månedsprisen for aktive bevillinger på {offer['offer_type_name']} her.",
)
cols[1].metric(
    "Median for typen i kommunen",
    fmt.money(offer["type_median_monthly_price"]),
    help="Median af månedsprisen for alle aktive bevillinger på samme indsatstype i kommunen.",
)
cols[2].metric(
    "Kontraktdækning",
    fmt.percent(social.offer_coverage(offer)),
    help="Andelen af de aktive bevillinger på tilbuddet med en gyldig kontrakt. Gælder kun "
    "eksterne tilbud.",
)

st.subheader("Progression for tilbuddets borgere")
progression = social.group_progression(
    social.progression_table(
        ui.aggregate("social_progression_by_group", scope),
        ui.aggregate("social_goal_attainment_by_group", scope),
        ui.aggregate("social_goals_with_horizon_by_group", scope),
        "offer",
    ),
    offer_id,
)
if progression.empty:
    st.info("Tilbuddets borgere har ingen vurderinger eller mål i perioden.")
else:
    st.dataframe(progression, hide_index=True, width="stretch")

st.subheader("Forbrug pr. måned, de seneste to år")
spend = ui.aggregate("social_offer_spend_by_month", scope, offer_id=offer_id)
if spend.empty:
    st.info("Der er ingen bogførte udgifter på tilbuddet i perioden.")
else:
    st.altair_chart(
        charts.monthly_bars(
            social.monthly_series(spend), "Måned", "amount_dkk", "Kroner"
        ).properties(height=240),
        theme=None,
    )

if ui.citizen_access():
    citizens = ui.citizen_rows("list_offer_citizens", scope, offer_id=offer_id)
    st.subheader(f"Borgere på tilbuddet ({fmt.number(len(citizens))})")
    if citizens.empty:
        st.info("Ingen borgere har en aktiv bevilling på tilbuddet.")
    else:
        st.caption("Klik på en række for at se borgeren.")
        row = ui.pick_row(
            social.offer_citizens_table(
                citizens, offer["type_median_monthly_price"], own=offer["owner_type"] == "own"
            ),
            key="offer_citizens",
        )
        if row is not None:
            ui.open_citizen(
                citizens["citizen_id"].iloc[row],
                scope,
                "tilbud",
                offer["offer_name"],
                tilbud=offer_id,
            )
