"""Kontrakter: contract coverage of external purchases (by count and by price), goals in the
contracts, renegotiations due, and the lists of grants without a valid contract and contracts due."""

import streamlit as st

from cockpit import ui
from cockpit.present import fmt
from cockpit.views import contracts

scope = ui.scope()
ui.kpi_row(
    [
        "contract_coverage",
        "contract_coverage_value",
        "contracts_with_goals",
        "contracts_to_renegotiate",
    ],
    scope,
    columns=2,
)

st.subheader("Kontraktdækning på eksterne køb")
coverage = ui.aggregate("social_contract_coverage_by_group", scope)
if coverage.empty:
    st.info("Der er ingen aktive bevillinger på eksterne tilbud.")
else:
    by_owner, by_type = st.tabs(["Efter ejerform", "Efter indsatstype"])
    with by_owner:
        ui.show(contracts.coverage_table(coverage, "owner_type"))
    with by_type:
        ui.show(contracts.coverage_table(coverage, "offer_type"))

st.subheader("Gyldige kontrakter")
owners = ui.aggregate("social_contracts_by_owner", scope)
if owners.empty:
    st.info("Der er ingen gyldige kontrakter på opgørelsesdatoen.")
else:
    ui.show(contracts.contracts_owner_table(owners))

if ui.citizen_access():
    missing = ui.citizen_rows("list_grants_without_contract", scope, citizen_id="")
    st.subheader(f"Eksterne bevillinger uden gyldig kontrakt ({fmt.number(len(missing))})")
    ui.citizen_list(
        missing,
        contracts.WITHOUT_CONTRACT_LIST,
        scope,
        origin="kontrakter",
        key="without_contract",
        empty="Alle aktive bevillinger på eksterne tilbud har en gyldig kontrakt.",
        hint="Klik på en række for at se borgeren. Dyreste bevillinger først.",
    )
    due = ui.citizen_rows("list_contracts_to_renegotiate", scope)
    st.subheader(f"{contracts.RENEGOTIATE_LIST.title} ({fmt.number(len(due))})")
    ui.citizen_list(
        due,
        contracts.RENEGOTIATE_LIST,
        scope,
        origin="kontrakter",
        key="renegotiate",
        empty="Ingen kontrakter skal genforhandles de næste 90 dage.",
        hint="Klik på en række for at se borgeren. Overskredne frister først.",
    )
    ui.worklist.link(scope, "contract_renegotiation")
    ui.market.schedule_signals(scope)
