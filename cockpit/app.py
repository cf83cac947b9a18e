"""The Streamlit entrypoint (started by `python -m cockpit run`): login (OIDC through st.login, or a
clearly marked demo mode when no identity provider is configured), navigation per role, and a
helpful page when the database is missing. It lives in cockpit/ so that Streamlit never treats the
top-level pages/ folder as auto-discovered pages that would bypass this file."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from cockpit import audit, auth, db, navigation  # noqa: E402
from cockpit.access.gateway import AccessDenied  # noqa: E402
from cockpit.ui import frame, session  # noqa: E402

# An emoji favicon is drawn locally; a :material/…: one would be fetched from fonts.gstatic.com.
st.set_page_config(page_title="Styringscockpit", page_icon="📊", layout="wide")


def read_secrets() -> tuple[dict | None, bool]:
    """The parsed secrets (None when there are none or they cannot be read) and whether a secrets
    file exists at all, so that an unreadable file never falls back to demo mode."""
    exists = any(Path(p).exists() for p in st.get_option("secrets.files") or [])
    try:
        return st.secrets.to_dict(), exists
    except Exception:  # noqa: BLE001 - missing or unparsable secrets; login_mode decides
        return None, exists


def stop(title: str, message: str, *, user: str | None = None, logout: bool = False) -> None:
    """A page without data: drop any principal from the session and stop the run."""
    st.session_state.pop("principal", None)
    st.title(title)
    st.info(message)
    if user:
        st.text(f"Logget ind som {user}")  # plain text: claims are never rendered as markdown
    if logout and st.button("Log ud", icon=":material/logout:"):
        st.logout()
    st.stop()


def login_page(secrets: dict) -> None:
    st.session_state.pop("principal", None)
    st.title("Styringscockpit")
    st.markdown("Cockpittet for det specialiserede voksenområde. Log ind med din arbejdskonto.")
    if st.button("Log ind", type="primary", icon=":material/login:"):
        name = auth.provider(secrets)
        if name:
            st.login(name)
        else:
            st.login()
    st.stop()


def oidc_principal(secrets: dict) -> auth.Principal:
    """The logged-in user with the role their claims grant; a login page or an "ingen adgang"
    page (and no data) otherwise."""
    if not st.user.get("is_logged_in"):
        login_page(secrets)
    claims = st.user.to_dict()
    user = auth.user_from_claims(claims, secrets)
    roles = auth.roles_from_claims(claims, secrets)
    if not roles:
        stop(
            "Ingen adgang",
            "Du er logget ind, men din bruger har ingen rolle i Styringscockpittet. Kontakt din "
            "administrator for at få adgang.",
            user=user,
            logout=True,
        )
    with st.sidebar:
        if len(roles) > 1:
            role = st.selectbox("Rolle", roles, format_func=auth.ROLE_LABELS.get, key="_oidc_role")
        else:
            role = roles[0]
        st.text(f"Logget ind som {user} ({auth.ROLE_LABELS[role]})")
        if st.button("Log ud", icon=":material/logout:"):
            st.logout()
    municipalities = auth.municipalities_from_claims(claims, secrets)
    return auth.Principal(user=user, role=role, municipalities=municipalities)


def demo_principal() -> auth.Principal:
    """Demo mode (no identity provider configured): the user picks a role, clearly marked."""
    with st.sidebar:
        st.warning("**Demotilstand** – ingen login er sat op. Vælg en rolle for at se cockpittet.")
        current = st.session_state.get("role", "direktoer")
        role = st.selectbox(
            "Rolle",
            list(auth.ROLE_LABELS),
            index=list(auth.ROLE_LABELS).index(
                current if current in auth.ROLE_LABELS else "direktoer"
            ),
            format_func=auth.ROLE_LABELS.get,
        )
    st.session_state["role"] = role
    return auth.Principal(user="demo", role=role)


def current_principal() -> auth.Principal:
    secrets, exists = read_secrets()
    mode = auth.login_mode(secrets, exists)
    if mode == "broken":
        stop(
            "Login er ikke sat op korrekt",
            "Cockpittet kræver login, men opsætningen af login kan ikke læses eller er ufuldstændig "
            "(afsnittet [auth] i .streamlit/secrets.toml). Kontakt din administrator.",
        )
    if mode == "oidc":
        return oidc_principal(secrets or {})
    return demo_principal()


def main() -> None:
    principal = current_principal()
    st.session_state[session.PRINCIPAL] = principal
    sections: dict[str, list] = {}
    specs: dict[str, navigation.PageSpec] = {}
    for spec in navigation.pages_for(principal.role):
        page = st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path)
        sections.setdefault(spec.section, []).append(page)
        specs[spec.title] = spec
    page = st.navigation(sections)
    spec = specs[page.title]
    # One gateway per render (the database generation is read once); the audit log names pages by
    # their url_path (the default page's own url_path is "").
    gateway = session.begin(spec.url_path)
    try:
        db.engine(gateway.url)
        frame.draw(spec)
        page.run()
    except db.DatabaseMissing as exc:
        frame.missing_database(exc)
    except audit.AuditUnavailable:
        st.error(audit.UNAVAILABLE_TEXT, icon=":material/lock:")
    except AccessDenied as exc:  # e.g. citizens of a municipality that is not the user's
        st.error(str(exc), icon=":material/lock:")


main()
