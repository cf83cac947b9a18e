"""Borger: one citizen under their pseudonym (?borger=CITIZEN_ID): grants over time, decisions,
contracts, goals and assessments per theme, spend per month and the signals that concern them;
without a valid pseudonym, a picker. Only roles with citizen access reach this page."""

import streamlit as st

from cockpit import charts, fmt, kpis, social, ui
from cockpit.social import TARGET_GROUP_LABELS, label

scope = ui.scope_picker()
if not ui.citizen_access():
    st.title("Borger")
    st.error("Din rolle må ikke se oplysninger om enkelte borgere.")
    st.stop()

citizens = ui.citizen_rows("list_citizens", scope)
wanted = st.query_params.get("borger")
person = social.find_row(citizens, "citizen_id", wanted)

if person is None:
    st.title("Borger")
    ui.data_banner(scope)
    if wanted:
        st.warning(
            f"Borgeren »{wanted}« findes ikke i kommunens data. Vælg en borger nedenfor."
            if social.valid_id(wanted)
            else "Adressen peger på en ugyldig borger. Vælg en borger nedenfor."
        )
    if citizens.empty:
        st.info("Kommunen har ingen borgere i data.")
        st.stop()
    chosen = st.selectbox(
        "Find en borger (pseudonym)",
        list(citizens["citizen_id"]),
        index=None,
        placeholder="Skriv pseudonymet",
    )
    if chosen:
        ui.open_citizen(chosen, scope, "borger", "oversigten over borgere")
    expensive_only = st.toggle(
        kpis.REGISTRY["expensive_citizens"].label,
        help=kpis.REGISTRY["expensive_citizens"].definition,
    )
    active = social.active_citizens(citizens, expensive_only)
    st.caption(
        f"Eller klik på en borger i tabellen: {fmt.number(len(active))} borgere med aktive "
        f"bevillinger pr. {fmt.long_date(scope.as_of)}, dyreste først."
    )
    row = ui.pick_row(social.citizens_table(active), key="citizens")
    if row is not None:
        ui.open_citizen(active["citizen_id"].iloc[row], scope, "borger", "oversigten over borgere")
    st.stop()

citizen_id = str(person["citizen_id"])
ui.back_button(scope, "borger", borger=citizen_id)
st.title(f"Borger {ui.plain(citizen_id)}")
facts = ["Pseudonym"]
if not social.is_missing(person["birth_year"]):
    facts.append(f"født {int(person['birth_year'])}")
if not social.is_missing(person["target_group"]):
    facts.append(f"målgruppe: {label(TARGET_GROUP_LABELS, person['target_group']).lower()}")
st.caption(" · ".join(facts) + f" · opgjort pr. {fmt.long_date(scope.as_of)}")
ui.data_banner(scope)

grants = ui.citizen_rows("detail_citizen_grants", scope, citizen_id=citizen_id, citizen=citizen_id)
signals = social.citizen_signals(
    citizen_id,
    ui.citizen_rows("list_adjustment_signals", scope, citizen_id=citizen_id, citizen=citizen_id),
    ui.citizen_rows("list_followups_overdue", scope, citizen_id=citizen_id, citizen=citizen_id),
    ui.citizen_rows(
        "list_grants_without_contract", scope, citizen_id=citizen_id, citizen=citizen_id
    ),
)
for text in signals:
    st.warning(text, icon=":material/flag:")

summary = social.citizen_summary(grants)
cols = st.columns(4)
cols[0].metric("Aktive bevillinger", fmt.number(summary["active_grants"]))
cols[1].metric(
    "Månedspris i alt",
    fmt.money(summary["monthly_price"]),
    help="Summen af månedsprisen for borgerens aktive bevillinger på opgørelsesdatoen.",
)
cols[2].metric(
    "Årlig udgift",
    fmt.money(summary["yearly_price"]),
    help="Månedsprisen for de aktive bevillinger × 12, som i nøgletallet Borgere med årlig udgift "
    "over 2 mio. kr.",
)
cols[3].metric(
    "Forbrug år til dato",
    fmt.money(summary["spend_ytd"]),
    help="Bogførte udgifter på borgerens bevillinger fra 1. januar til opgørelsesdatoen.",
)

st.subheader("Bevillinger over tid")
if grants.empty:
    st.info("Borgeren har ingen bevillinger.")
else:
    st.altair_chart(
        charts.timeline(
            social.timeline_frame(grants, scope.as_of),
            "Fra",
            "Til",
            "Indsats",
            "Indsats",
            ["Indsats", "Tilbud", "Periode", "Månedspris"],
        ),
        theme=None,
        height=social.timeline_height(grants),
    )
    st.caption("Klik på en bevilling i tabellen for at se tilbuddet.")
    row = ui.pick_row(social.grants_table(grants), key="citizen_grants")
    if row is not None and not social.is_missing(grants["offer_id"].iloc[row]):
        ui.open_offer(
            grants["offer_id"].iloc[row], scope, "borger", f"borger {citizen_id}", borger=citizen_id
        )

tab_goals, tab_decisions, tab_contracts, tab_spend = st.tabs(
    [
        "Mål og funktionsniveau",
        "Afgørelser",
        "Kontrakter",
        "Forbrug pr. måned, de seneste to år",
    ]
)
with tab_goals:
    goals = ui.citizen_rows(
        "detail_citizen_goals", scope, citizen_id=citizen_id, citizen=citizen_id
    )
    if goals.empty:
        st.info("Borgeren har ingen mål.")
    else:
        st.dataframe(social.goals_table(goals), hide_index=True, width="stretch")
    assessments = ui.citizen_rows(
        "detail_citizen_assessments", scope, citizen_id=citizen_id, citizen=citizen_id
    )
    if assessments.empty:
        st.info("Borgerens funktionsniveau er ikke vurderet.")
    else:
        st.markdown("**Funktionsniveau pr. tema** (0 = ingen nedsættelse; op er bedre)")
        st.altair_chart(
            charts.level_lines(
                social.assessments_frame(assessments), "Dato", "Funktionsniveau", "Tema"
            ),
            theme=None,
            height=280,
        )
with tab_decisions:
    decisions = ui.citizen_rows(
        "detail_citizen_decisions", scope, citizen_id=citizen_id, citizen=citizen_id
    )
    if decisions.empty:
        st.info("Der er ingen afgørelser for borgeren.")
    else:
        st.dataframe(social.decisions_table(decisions), hide_index=True, width="stretch")
with tab_contracts:
    contracts = ui.citizen_rows(
        "detail_citizen_contracts", scope, citizen_id=citizen_id, citizen=citizen_id
    )
    if contracts.empty:
        st.info("Der er ingen kontrakter på borgerens bevillinger.")
    else:
        st.dataframe(social.contracts_table(contracts), hide_index=True, width="stretch")
with tab_spend:
    spend = ui.citizen_rows(
        "detail_citizen_spend", scope, citizen_id=citizen_id, citizen=citizen_id
    )
    if spend.empty:
        st.info("Der er ingen bogførte udgifter på borgeren i perioden.")
    else:
        st.altair_chart(
            charts.monthly_bars(
                social.monthly_series(spend), "Måned", "amount_dkk", "Kroner", "Indsats"
            ).properties(height=260),
            theme=None,
        )
