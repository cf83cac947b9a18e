"""The Streamlit entrypoint (started by `python -m cockpit run`): login (OIDC through st.login, or a
clearly marked demo mode when no identity provider is configured), navigation per role, and a
helpful page when the database is missing. It lives in cockpit/ so that Streamlit never treats the
top-level pages/ folder as auto-discovered pages that would bypass this file."""

from __future__ import annotations

import getpass
import os
import sys
import time
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


def pick_role(note: str, default: str = "direktoer") -> str:
    """The role chosen in the sidebar (demo and local mode), under a note saying which mode."""
    with st.sidebar:
        st.warning(note)
        current = st.session_state.get("role", default)
        role = st.selectbox(
            "Rolle",
            list(auth.ROLE_LABELS),
            index=list(auth.ROLE_LABELS).index(current if current in auth.ROLE_LABELS else default),
            format_func=auth.ROLE_LABELS.get,
        )
    st.session_state["role"] = role
    return role


def demo_principal() -> auth.Principal:
    """Demo mode (no identity provider configured): the user picks a role, clearly marked."""
    role = pick_role(
        "**Demotilstand** – ingen login er sat op. Vælg en rolle for at se cockpittet."
    )
    return auth.Principal(user="demo", role=role, mode="demo")


LOGIN_REQUIRED = "Login kræves"


def require_local_session() -> None:
    """Without login, the cockpit answers only this machine: the server must listen on a loopback
    address (`python -m cockpit run` sees to it) and the session must not come through a proxy."""
    try:
        headers = dict(st.context.headers)
    except Exception:  # noqa: BLE001 - no request headers (no browser session)
        headers = {}
    if not auth.local_only(st.get_option("server.address"), headers):
        stop(
            LOGIN_REQUIRED,
            "Der er ikke sat login op, og uden login vises cockpittet kun på den computer, det kører "
            "på (127.0.0.1). Sæt login op (afsnittet [auth] i .streamlit/secrets.toml) for at bruge "
            "cockpittet over netværket.",
        )


def demo_data_is_synthetic(url: str) -> bool:
    """Demo mode serves only generated data: every data_load row from the generator. Checked for
    each new session, and again when an import swaps in a new database file."""
    key = (url, db.generation(url))
    seen = st.session_state.get("_demo_data")
    if seen is not None and seen[0] == key:
        return seen[1]
    try:
        sources = db.query("data_load_sources", {}, url)["source"].tolist()
    except db.DatabaseMissing:
        raise
    except Exception:  # noqa: BLE001 - no readable data_load: not known to be synthetic
        sources = []
    ok = auth.all_synthetic([str(s) for s in sources])
    st.session_state["_demo_data"] = (key, ok)
    return ok


def local_principal() -> auth.Principal:
    """`python -m cockpit run --local`: a municipality's own data on this machine, to the role
    given with --role or chosen in the sidebar; marked on every page, every view audited."""
    fixed = os.environ.get(auth.LOCAL_ROLE_ENV)
    note = "**Lokal tilstand** – kommunens egne data, uden login, kun på denne computer."
    if fixed in auth.ROLE_LABELS:
        with st.sidebar:
            st.warning(note)
            st.text(f"Rolle: {auth.ROLE_LABELS[fixed]}")
        role = fixed
    else:
        role = pick_role(note)
    return auth.Principal(user=f"lokal:{getpass.getuser()}", role=role, mode="local")


def local_view(principal: auth.Principal, page: str) -> None:
    """Local mode marks every page and logs every view (an identical view re-rendered in the same
    session within 15 minutes is the same view). No log, no page."""
    st.warning(
        "**Lokal tilstand** – kommunens egne data på denne computer (127.0.0.1), uden login. "
        "Hver visning logges i revisionsloggen."
    )
    filters = {k: st.query_params.get(k) for k in sorted(st.query_params.keys())}
    key = repr((principal.role, page, sorted(filters.items())))
    seen = st.session_state.setdefault("_local_views", {})
    if time.monotonic() - seen.get(key, float("-inf")) <= 15 * 60:
        return
    try:
        audit.log_view(principal, page=page, source="side", citizens=[], filters=filters)
    except audit.AuditUnavailable:
        stop(
            "Revisionsloggen kan ikke skrives",
            "I lokal tilstand logges hver visning, og revisionsloggen kan ikke skrives lige nu. "
            "Kontakt din administrator.",
        )
    seen[key] = time.monotonic()


def test_principal() -> auth.Principal | None:
    """A principal a test set directly (AppTest runs in the test process; never in a server)."""
    if "pytest" not in sys.modules:
        return None
    return st.session_state.get(auth.TEST_PRINCIPAL)


def not_allowed(spec: navigation.PageSpec, role: str):
    """A page the role may not open: registered hidden, it says so in Danish (instead of
    Streamlit's English "Page not found") and shows nothing else."""

    def page() -> None:
        st.title("Siden er ikke tilgængelig")
        st.info(
            f"Siden »{spec.title}« er ikke tilgængelig for rollen {auth.ROLE_LABELS[role]}. "
            "Vælg en af dine sider i menuen."
        )

    page.__name__ = f"not_allowed_{spec.url_path}"
    return page


def current_principal() -> auth.Principal:
    given = test_principal()
    if given is not None:
        return given
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
    require_local_session()
    if mode == "local":
        return local_principal()
    if not demo_data_is_synthetic(db.default_url()):
        stop(
            LOGIN_REQUIRED,
            "Databasen indeholder rigtige data, og der er ikke sat login op. Demotilstand viser "
            "kun syntetiske eksempeldata. Sæt login op (afsnittet [auth] i "
            ".streamlit/secrets.toml), eller se kommunens egne data på denne computer med "
            "`python -m cockpit run --local`.",
        )
    return demo_principal()


def main() -> None:
    try:
        principal = current_principal()
    except db.DatabaseMissing as exc:
        frame.missing_database(exc)
        return
    st.session_state[session.PRINCIPAL] = principal
    sections: dict[str, list] = {}
    specs: dict[str, navigation.PageSpec] = {}
    for spec in navigation.pages_for(principal.role, principal.mode):
        page = st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path)
        sections.setdefault(spec.section, []).append(page)
        specs[spec.title] = spec
    first = next(iter(sections))
    for spec in navigation.not_for(principal.role, principal.mode):
        hidden = not_allowed(spec, principal.role)
        sections[first].append(
            st.Page(hidden, title=spec.title, url_path=spec.url_path, visibility="hidden")
        )
    page = st.navigation(sections, expanded=True)  # every page listed, no "View more"
    spec = specs.get(page.title)
    if spec is None:  # a page the role may not open: its Danish message and nothing else
        page.run()
        return
    # One gateway per render (the database generation is read once); the audit log names pages by
    # their url_path (the default page's own url_path is "").
    gateway = session.begin(spec.url_path)
    try:
        db.engine(gateway.url)
        if principal.mode == "local":
            local_view(principal, spec.url_path)
        frame.draw(spec)
        page.run()
    except db.DatabaseMissing as exc:
        frame.missing_database(exc)
    except audit.AuditUnavailable:
        st.error(audit.UNAVAILABLE_TEXT, icon=":material/lock:")
    except AccessDenied as exc:  # e.g. citizens of a municipality that is not the user's
        st.error(str(exc), icon=":material/lock:")


main()
