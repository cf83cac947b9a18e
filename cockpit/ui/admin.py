"""The administrator's pages: the audit-log search with its CSV download (Revisionslog) and the
import of a municipality's own extract (Import)."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from cockpit import audit, downloads
from cockpit.present import fmt
from cockpit.ui import session

_PSEUDONYM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,99}$")
_AUDIT_RESULT = "_audit_result"


def audit_chain_status() -> None:
    """Whether the audit log's hash chain is intact (and else the first broken row)."""
    verdict = session.gateway().audit_chain()
    if verdict.intact:
        st.success(verdict.message, icon=":material/verified:")
    else:
        st.error(verdict.message, icon=":material/gpp_bad:")


def audit_search_form() -> dict | None:
    """The revisionslog search (pseudonym, user, period). Returns the last valid search, kept in
    the session so that re-rendering the page neither repeats nor re-logs it."""
    with st.form("audit_search"):
        left, right = st.columns(2)
        citizen = left.text_input("Borgerens pseudonym", max_chars=100).strip()
        user = right.text_input("Bruger (valgfri)", max_chars=200).strip()
        since = left.date_input("Fra (valgfri)", value=None, format="DD.MM.YYYY")
        until = right.date_input("Til (valgfri)", value=None, format="DD.MM.YYYY")
        submitted = st.form_submit_button("Søg", type="primary", icon=":material/search:")
    if submitted:
        if citizen and not _PSEUDONYM.match(citizen):
            st.error("Pseudonymet må kun indeholde bogstaver, tal og tegnene - _ . : @")
            return None
        query = {"citizen": citizen or None, "user": user or None, "since": since, "until": until}
        rows = session.gateway().audit_log(**query)
        st.session_state[_AUDIT_RESULT] = (query, rows)
    stored = st.session_state.get(_AUDIT_RESULT)
    return None if stored is None else stored[0]


def audit_results() -> None:
    """The rows of the last search, newest first, with a CSV download (logged as an export)."""
    stored = st.session_state.get(_AUDIT_RESULT)
    if stored is None:
        return
    query, rows = stored
    if rows.empty:
        st.info("Ingen opslag i revisionsloggen matcher søgningen.")
        return
    shown = audit.present(rows)
    st.caption(f"{fmt.number(len(shown))} rækker, nyeste først.")
    st.dataframe(shown, hide_index=True, width="stretch")
    gw = session.gateway()
    citizens = sorted({str(c) for c in rows["citizen_id"].dropna()})
    filters = {k: v for k, v in query.items() if v}
    file_name = "revisionslog.csv"

    def deferred() -> bytes:
        gw.log_audit_export(source=file_name, citizens=citizens, filters=filters)
        return downloads.to_csv(shown)

    st.download_button(
        "Hent som CSV",
        data=deferred,
        file_name=file_name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def import_allowed() -> bool:
    """Imports write only to the embedded DuckDB file, never to a warehouse the cockpit reads."""
    return session.gateway().imports_allowed()


def municipality_choices() -> dict[int, str]:
    """The 98 municipalities, code -> "Name (code)", for choosing whose source files are imported."""
    from cockpit.ingest.contract import national_municipalities

    frame = national_municipalities()
    return {int(code): f"{name} ({code})" for code, name in frame["name"].items()}


def import_uploads(files: list, progress, municipality: int | None = None) -> object:
    """The uploaded files imported all-or-nothing, built beside the live database and swapped in
    (cockpit/refresh.py); source files (FFB bundles, postings, a grant extract) are pseudonymised
    and assembled for `municipality`. While another import runs: a Danish message, nothing else."""
    from cockpit import refresh

    gw = session.gateway()
    try:
        result = refresh.import_uploads(files, gw.principal, gw.url, progress, municipality)
    except refresh.ImportRunning as exc:
        st.warning(str(exc))
        st.stop()
    if result.ok:
        gw.imported()
    return result


def show_import_result(result) -> None:
    """Every problem in one table (file, row, column, message), or what was loaded."""
    for w in result.warnings:
        st.warning(str(w))
    if not result.ok:
        st.error(
            f"Importen blev afvist: {len(result.problems)} fejl. Databasen er uændret. "
            "Ret fejlene i filerne, og indlæs dem igen."
        )
        # A plain table: the user reads, searches and copies every problem as text.
        st.table(
            pd.DataFrame(
                [
                    {
                        "Fil": p.file,
                        "Række": "" if p.row is None else str(p.row),
                        "Kolonne": p.column or "",
                        "Fejl": p.message,
                    }
                    for p in result.problems
                ]
            ),
            hide_index=True,
        )
        return
    municipalities = ", ".join(str(m) for m in result.municipalities) or "–"
    st.success(
        f"Importen lykkedes: {fmt.number(sum(result.rows.values()))} rækker for kommune "
        f"{municipalities}. Vælg kommunen i menuen til venstre for at se den i cockpittet."
    )
    st.dataframe(
        pd.DataFrame([{"Tabel": t, "Rækker": fmt.number(n)} for t, n in result.rows.items()]),
        hide_index=True,
    )
