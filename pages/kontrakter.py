"""Kontrakter: contract coverage of external purchases (by count and by price), goals in the
contracts, renegotiations due, and the lists of grants without a valid contract and contracts due."""

import streamlit as st

from cockpit import fmt, kpis, social, ui, worklist

scope = ui.scope_picker()
st.title("Kontrakter")
st.caption(f"Opgjort pr. {fmt.long_date(scope.as_of)}")
ui.data_banner(scope)

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
        st.dataframe(
            social.coverage_table(coverage, "owner_type"), hide_index=True, width="stretch"
        )
    with by_type:
        st.dataframe(
            social.coverage_table(coverage, "offer_type"), hide_index=True, width="stretch"
        )

st.subheader("Gyldige kontrakter")
owners = ui.aggregate("social_contracts_by_owner", scope)
if owners.empty:
    st.info("Der er ingen gyldige kontrakter på opgørelsesdatoen.")
else:
    st.dataframe(social.contracts_owner_table(owners), hide_index=True, width="stretch")

if ui.citizen_access():
    missing = ui.citizen_rows("list_grants_without_contract", scope, citizen_id="")
    st.subheader(f"Eksterne bevillinger uden gyldig kontrakt ({fmt.number(len(missing))})")
    if missing.empty:
        st.success("Alle aktive bevillinger på eksterne tilbud har en gyldig kontrakt.")
    else:
        st.caption("Klik på en række for at se borgeren. Dyreste bevillinger først.")
        row = ui.pick_row(social.without_contract_table(missing), key="without_contract")
        ui.citizen_list_download(
            missing, social.without_contract_export(missing), "Uden gyldig kontrakt", scope
        )
        if row is not None:
            ui.open_citizen(missing["citizen_id"].iloc[row], scope, "kontrakter")

    due = ui.citizen_rows("list_contracts_to_renegotiate", scope)
    label = kpis.REGISTRY["contracts_to_renegotiate"].label
    st.subheader(f"{label} ({fmt.number(len(due))})")
    if due.empty:
        st.success("Ingen kontrakter skal genforhandles de næste 90 dage.")
    else:
        st.caption("Klik på en række for at se borgeren. Overskredne frister først.")
        row = ui.pick_row(social.renegotiate_table(due), key="renegotiate")
        ui.citizen_list_download(due, social.renegotiate_export(due), label, scope)
        if row is not None and isinstance(due["citizen_id"].iloc[row], str):
            ui.open_citizen(due["citizen_id"].iloc[row], scope, "kontrakter")
    worklist.link(scope, "contract_renegotiation")
