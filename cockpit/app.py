"""The Streamlit entrypoint (started by `python -m cockpit run`): login, navigation per role, and a
helpful page when the database is missing. It lives in cockpit/ so that Streamlit never treats the
top-level pages/ folder as auto-discovered pages that would bypass this file."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from cockpit import auth, db, navigation, ui  # noqa: E402

st.set_page_config(page_title="Styringscockpit", page_icon=":material/monitoring:", layout="wide")


def demo_principal() -> auth.Principal:
    """Demo mode (no identity provider configured): the user picks a role, clearly marked."""
    with st.sidebar:
        st.warning("**Demotilstand** – ingen login er sat op. Vælg en rolle for at se cockpittet.")
        role = st.selectbox(
            "Rolle",
            list(auth.ROLE_LABELS),
            index=list(auth.ROLE_LABELS).index(st.session_state.get("role", "direktoer")),
            format_func=auth.ROLE_LABELS.get,
        )
    st.session_state["role"] = role
    return auth.Principal(user="demo", role=role)


def main() -> None:
    principal = demo_principal()
    st.session_state["principal"] = principal
    sections: dict[str, list] = {}
    for spec in navigation.pages_for(principal.role):
        page = st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path)
        sections.setdefault(spec.section, []).append(page)
    page = st.navigation(sections)
    try:
        db.engine(ui.url())
        page.run()
    except db.DatabaseMissing as exc:
        ui.missing_database(exc)


main()
