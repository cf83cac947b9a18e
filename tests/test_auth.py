"""Login, roles and privacy through AppTest: login mode (OIDC or demo, never demo when [auth] is
configured), roles from the ID token's claims, navigation per role, and per role what every page
renders and exports: no citizen pseudonym for roles without citizen access, small numbers
suppressed on a crafted dataset, and every citizen shown to a social manager in the audit log."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import as_role
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from cockpit import audit, auth, db, navigation
from cockpit.access import gateway
from cockpit.access.gateway import AccessDenied
from cockpit.auth import Principal
from cockpit.ui import frame, session

APP = str(Path(db.ROOT) / "cockpit" / "app.py")
DEMO_PSEUDONYM = re.compile(r"B999-\d{6}")
NOT_ALLOWED = "Siden er ikke tilgængelig"

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-string",
    "client_id": "cockpit",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost:9400/.well-known/openid-configuration",
}
SECRETS = {"auth": AUTH}
ENTRA = {
    "auth": AUTH,
    "cockpit": {
        "role_claim": "roles",
        "user_claim": "preferred_username",
        "roles": {
            "politiker": ["Cockpit.Politiker"],
            "direktoer": ["Cockpit.Direktoer"],
            "leder": ["Cockpit.Leder"],
            "admin": ["Cockpit.Admin"],
        },
    },
}


# ---------------------------------------------------------------- pure rules


def test_login_mode():
    assert auth.login_mode(None, False, env={}) == "demo"
    assert auth.login_mode({"other": {"x": 1}}, True, env={}) == "demo"
    assert auth.login_mode(SECRETS, True, env={}) == "oidc"
    assert auth.login_mode(ENTRA, True, env={}) == "oidc"
    # [auth] present but incomplete, or a secrets file that cannot be read: never demo mode.
    incomplete = {"auth": {k: v for k, v in AUTH.items() if k != "cookie_secret"}}
    assert auth.login_mode(incomplete, True, env={}) == "broken"
    assert auth.login_mode({"auth": {**AUTH, "client_id": ""}}, True, env={}) == "broken"
    assert auth.login_mode(None, True, env={}) == "broken"
    # Production can forbid demo mode outright.
    assert auth.login_mode(None, False, env={"COCKPIT_REQUIRE_LOGIN": "1"}) == "broken"
    assert auth.login_mode(None, False, env={"COCKPIT_REQUIRE_LOGIN": "0"}) == "demo"


def test_login_mode_with_a_named_provider():
    named = {
        "auth": {
            "redirect_uri": AUTH["redirect_uri"],
            "cookie_secret": "x",
            "microsoft": {k: AUTH[k] for k in auth.REQUIRED_PROVIDER_KEYS},
        },
        "cockpit": {"provider": "microsoft"},
    }
    assert auth.login_mode(named, True, env={}) == "oidc"
    assert auth.provider(named) == "microsoft"
    assert auth.login_mode({**named, "cockpit": {"provider": "okta"}}, True, env={}) == "broken"


def test_roles_from_claims():
    assert auth.roles_from_claims({"roles": ["leder"]}, SECRETS) == ["leder"]
    assert auth.roles_from_claims({"roles": "admin politiker"}, SECRETS) == ["politiker", "admin"]
    assert auth.roles_from_claims({"roles": ["Cockpit.Leder"]}, SECRETS) == []
    assert auth.roles_from_claims({"roles": ["Cockpit.Leder"]}, ENTRA) == ["leder"]
    assert auth.roles_from_claims({"roles": ["leder"]}, ENTRA) == []
    assert auth.roles_from_claims({"email": "x"}, SECRETS) == []
    groups = {"cockpit": {"role_claim": "groups"}}
    assert auth.roles_from_claims({"groups": ["direktoer"], "roles": ["leder"]}, groups) == [
        "direktoer"
    ]


def test_user_from_claims():
    claims = {"sub": "123", "email": "a@k.dk", "preferred_username": "anna@k.dk"}
    assert auth.user_from_claims(claims, SECRETS) == "anna@k.dk"
    assert auth.user_from_claims(claims, {"cockpit": {"user_claim": "sub"}}) == "123"
    assert auth.user_from_claims({"sub": "123"}, SECRETS) == "123"


def test_only_the_social_manager_sees_citizens_and_only_admin_the_audit_log():
    for role in auth.ROLE_LABELS:
        p = Principal("u", role)
        assert p.sees_citizens is (role == "leder")
        assert p.suppress_small_numbers is (role != "leder")
        assert p.sees_audit_log is (role == "admin")


def test_gateway_refuses_citizen_queries_without_a_principal_or_citizen_access():
    with pytest.raises(AccessDenied):
        gateway.check(None, "kpi_values")
    for role in ("politiker", "direktoer", "admin"):
        with pytest.raises(AccessDenied):
            gateway.check(Principal("u", role), "list_citizens")
        with pytest.raises(AccessDenied):
            gateway.check(Principal("u", role), "detail_citizen_grants")
    gateway.check(Principal("u", "leder"), "list_citizens")


def test_navigation_per_role():
    titles = {
        role: [p.url_path for p in navigation.PAGES if role in p.roles] for role in auth.ROLE_LABELS
    }
    steering = ["sammenligning", "scenarie", "styringsoverblik"]
    assert titles["politiker"] == ["overblik", "strategi", *steering, "datagrundlag"]
    assert titles["direktoer"] == ["overblik", "strategi", "oekonomi", *steering, "datagrundlag"]
    assert "revisionslog" in titles["admin"] and "borger" not in titles["admin"]
    assert {"visitation", "borger", "tilbud"} <= set(titles["leder"])
    assert "revisionslog" not in titles["leder"]


# ---------------------------------------------------------------- the app


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory) -> str:
    """The demo municipality from the sample-data generator (pseudonyms B999-nnnnnn)."""
    from sample_data.generate import generate

    url = f"duckdb:///{tmp_path_factory.mktemp('demo') / 'demo.duckdb'}"
    generate("demo", url)
    db.release()
    return url


@pytest.fixture
def demo(demo_url, tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("COCKPIT_DATABASE_URL", demo_url)
    audit_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    monkeypatch.setenv("COCKPIT_AUDIT_URL", audit_url)
    return audit_url


@pytest.fixture
def downloads(monkeypatch) -> list:
    """Every deferred download the app registers: (file name, callable)."""
    captured: list = []
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured.append((file_name, data_callable))
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return captured


def app(
    role: str | None = None,
    page: str | None = None,
    secrets: dict | None = None,
    user: dict | None = None,
    as_user: str | None = None,
) -> AppTest:
    """Run the app (as demo-mode `role`, as a logged-in user with the role `as_user` set directly,
    or with `secrets` and the logged-in `user`); with `page`, go there through the navigation, or,
    when the navigation does not offer it, ask for it the way a deep link does."""

    def make() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        if role:
            at.session_state["role"] = role
        if as_user:
            as_role(at, as_user)
        if secrets:
            at.secrets = secrets
        if user is not None:
            at.user = user
        return at

    at = make()
    if page:
        path = str(navigation.PAGES_DIR / page)
        at.run()
        url_path = next(spec.url_path for spec in navigation.PAGES if spec.file == page)
        # A page the role may not open is registered hidden under its URL path (not its file):
        # ask for it by that path, as a deep link does.
        hidden = [
            h for h, info in at._registered_pages.items() if info.get("url_pathname") == url_path
        ]
        try:
            at.switch_page(path)
        except ValueError:
            if hidden:
                at._page_hash = hidden[0]
            else:
                at = make()
                at.switch_page(path)
    return at.run()


def page_run(at: AppTest) -> str | None:
    """The url_path of the page the app ran (None when it stopped before the navigation)."""
    return at.session_state[session.PAGE] if session.PAGE in at.session_state else None


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def rendered_text(at: AppTest) -> str:
    """Everything the page sent to the browser, element by element (tables and charts included)."""

    def walk(node) -> list[str]:
        out = [str(node.proto)] if getattr(node, "proto", None) is not None else []
        for child in getattr(node, "children", {}).values():
            out.extend(walk(child))
        return out

    return "\n".join(walk(at._tree))


def file_text(content: bytes | str) -> str:
    """A downloaded file as text (an .xlsx workbook unzipped: its XML parts)."""
    if isinstance(content, str):
        return content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return content.decode("utf-8-sig", "replace")


def test_demo_mode_without_an_identity_provider(demo):
    at = app()
    assert not at.exception
    assert "Demotilstand" in at.sidebar.warning[0].value
    assert at.sidebar.selectbox[0].label == "Rolle"
    assert at.sidebar.selectbox[0].options == list(auth.ROLE_LABELS.values())
    assert titles(at) == ["Overblik"]


@pytest.mark.parametrize("page", [None, "borger.py", "oekonomi.py", "revisionslog.py"])
def test_oidc_configured_means_login_first_and_never_demo_mode(demo, page):
    # Even a session that asks for a role (as demo mode would) gets only the login page.
    at = app(role="leder", page=page, secrets=SECRETS, user={})
    assert not at.exception
    assert titles(at) == ["Styringscockpit"]
    assert [b.label for b in at.button] == ["Log ind"]
    assert not at.metric and not at.dataframe
    assert not any("Demotilstand" in w.value for w in at.sidebar.warning)
    assert not [s for s in at.sidebar.selectbox if s.label == "Rolle"]
    assert "principal" not in at.session_state


def test_logged_in_user_gets_the_role_from_the_claim(demo):
    user = {"is_logged_in": True, "email": "lene@kommune.dk", "roles": ["leder"]}
    at = app(page="borger.py", secrets=SECRETS, user=user)
    assert not at.exception
    assert page_run(at) == "borger"
    assert at.session_state["principal"] == Principal("lene@kommune.dk", "leder")
    assert [t.value for t in at.sidebar.text] == [
        "Logget ind som lene@kommune.dk (Socialfaglig leder)"
    ]
    assert not any("Demotilstand" in w.value for w in at.sidebar.warning)


def test_entra_style_role_values_are_mapped(demo):
    user = {
        "is_logged_in": True,
        "preferred_username": "per@kommune.dk",
        "roles": ["Cockpit.Politiker"],
    }
    at = app(page="borger.py", secrets=ENTRA, user=user)
    # A politician's deep link to Borger gets the Danish message, and no data.
    assert titles(at) == [NOT_ALLOWED]
    assert not at.metric and not at.dataframe
    assert at.session_state["principal"] == Principal("per@kommune.dk", "politiker")


def test_a_user_without_a_known_role_gets_no_access_and_no_data(demo):
    user = {"is_logged_in": True, "email": "x@kommune.dk", "roles": ["Gæst"]}
    at = app(page="overblik.py", secrets=SECRETS, user=user)
    assert titles(at) == ["Ingen adgang"]
    assert [t.value for t in at.text] == ["Logget ind som x@kommune.dk"]
    assert not at.metric and not at.dataframe
    assert [b.label for b in at.button] == ["Log ud"]
    assert "principal" not in at.session_state


def test_a_user_with_two_roles_chooses_between_them_only(demo):
    user = {"is_logged_in": True, "email": "a@kommune.dk", "roles": ["admin", "politiker"]}
    at = app(secrets=SECRETS, user=user)
    picker = at.sidebar.selectbox(key="_oidc_role")
    assert picker.options == ["Politiker", "Administrator"]
    at = picker.select("admin").run()
    assert at.session_state["principal"].role == "admin"


def test_broken_login_configuration_is_an_error_not_demo_mode(demo):
    at = app(secrets={"auth": {"redirect_uri": AUTH["redirect_uri"]}}, user={})
    assert titles(at) == ["Login er ikke sat op korrekt"]
    assert not at.metric
    assert not any("Demotilstand" in w.value for w in at.sidebar.warning)


def test_require_login_without_auth_is_an_error(demo, monkeypatch):
    monkeypatch.setenv("COCKPIT_REQUIRE_LOGIN", "1")
    at = app(role="leder")
    assert titles(at) == ["Login er ikke sat op korrekt"]
    assert not at.metric


# ---------------------------------------------------------------- per role, every page


def page_specs():
    return [p for p in navigation.PAGES if p.path.is_file()]


@pytest.mark.parametrize("role", list(auth.ROLE_LABELS))
def test_every_page_per_role_renders_and_exports_what_the_role_may_see(demo, downloads, role):
    audit_url = demo
    for spec in page_specs():
        downloads.clear()
        at = app(role=role, page=spec.file)
        assert not at.exception, (role, spec.file, [e.value for e in at.exception])
        if spec not in navigation.pages_for(role, "demo"):
            # A deep link to a page the role may not open (in demo mode: nor Import and
            # Revisionslog) says so in Danish and shows nothing else.
            assert titles(at) == [NOT_ALLOWED], (role, spec.file)
            assert [i.value for i in at.info] == [
                f"Siden »{spec.title}« er ikke tilgængelig for rollen {auth.ROLE_LABELS[role]}. "
                "Vælg en af dine sider i menuen."
            ]
            assert not at.metric and not at.dataframe and not downloads
            continue
        assert page_run(at) == spec.url_path, (role, spec.file, titles(at))
        text = rendered_text(at)
        pseudonyms = set(DEMO_PSEUDONYM.findall(text))
        files = {name: file_text(build()) for name, build in downloads}
        exported = {name: set(DEMO_PSEUDONYM.findall(t)) for name, t in files.items()}
        log = audit.search(url=audit_url, limit=1_000_000)
        if role == "leder":
            # Every citizen shown is in the audit log for this page, written before it was shown.
            logged = set(log.loc[log["page"] == spec.url_path, "citizen_id"].dropna())
            assert pseudonyms <= logged, (spec.file, sorted(pseudonyms - logged)[:5])
            for name, found in exported.items():
                exported_logged = log[(log["action"] == "export") & (log["source"] == name)]
                assert found <= set(exported_logged["citizen_id"].dropna()), (spec.file, name)
        else:
            assert not pseudonyms, (role, spec.file, sorted(pseudonyms)[:5])
            assert not any(exported.values()), (role, spec.file, exported)
        # Every export is in the audit log, by file name, with the user's role.
        exports = log[log["action"] == "export"]
        for name in files:
            assert name in set(exports.loc[exports["role"] == role, "source"]), (spec.file, name)


def test_the_scanner_finds_pseudonyms_where_a_social_manager_sees_them(demo):
    at = app(role="leder", page="visitation.py")
    assert DEMO_PSEUDONYM.search(rendered_text(at))


# ---------------------------------------------------------------- suppression on the pages


@pytest.fixture
def small_economy(tmp_path, monkeypatch):
    """2 citizens on SEL108 spending 123 457 kr. each (246 914 kr.), 6 on SEL85, 20 on SEL103
    spending 4 000 kr. each (80 000 kr.); all grants active on 31 March 2024, one offer per type."""
    from conftest import TinyDb

    t = TinyDb(f"duckdb:///{tmp_path / 'small.duckdb'}")
    people = (
        [("A", i, "SEL108", 123457.0) for i in range(1, 3)]
        + [("B", i, "SEL85", 10000.0) for i in range(1, 7)]
        + [("C", i, "SEL103", 4000.0) for i in range(1, 21)]
    )
    grants, expenses = [], []
    for prefix, i, code, spent in people:
        cid = f"PSEUDO-{prefix}{i:02d}"
        grants.append(
            {
                "grant_id": f"G-{cid}",
                "citizen_id": cid,
                "offer_type_code": code,
                "start_date": date(2023, 1, 1),
                "end_date": date(2024, 3, 31),
                "monthly_price": 1000.0,
            }
        )
        expenses.append(
            {
                "expense_id": f"E-{cid}",
                "posting_date": date(2024, 1, 31),
                "amount_dkk": spent,
                "account_function": "5.38.50",
                "offer_type_code": code,
                "grant_id": f"G-{cid}",
                "citizen_id": cid,
                "offer_id": f"O-{code}",
            }
        )
        grants[-1]["offer_id"] = f"O-{code}"
    t.add(
        "offer",
        *[
            {"offer_id": f"O-{c}", "name": f"Tilbud {c}", "owner_type": o, "offer_type_code": c}
            for c, o in (("SEL108", "private"), ("SEL85", "own"), ("SEL103", "own"))
        ],
    )
    t.add("grant", *grants)
    t.add("expense", *expenses)
    t.add(
        "expense",
        {
            "expense_id": "E-last",
            "posting_date": date(2024, 3, 31),
            "amount_dkk": 1.0,
            "account_function": "5.38.50",
            "offer_type_code": "SEL103",
        },
    )
    t.add(
        "budget",
        *[
            {"year": 2024, "offer_type_code": c, "original_dkk": 5e5, "corrected_dkk": 5e5}
            for c in ("SEL108", "SEL85", "SEL103")
        ],
    )
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    monkeypatch.setenv("COCKPIT_AUDIT_URL", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    return t


HIDDEN = ("246914", "246.914")  # SEL108's spend: 2 citizens


@pytest.mark.parametrize("role", ["direktoer", "leder"])
def test_economy_page_hides_an_offer_type_behind_two_citizens(small_economy, downloads, role):
    at = app(as_user=role, page="oekonomi.py")
    assert not at.exception
    assert page_run(at) == "oekonomi"
    text = rendered_text(at)
    files = "\n".join(file_text(build()) for _, build in downloads)
    assert files, "the page offers downloads"
    seen = [h for h in HIDDEN if h in text or h in files]
    if role == "direktoer":
        assert not seen
        assert "PSEUDO-" not in text and "PSEUDO-" not in files
    else:
        assert seen  # the social manager sees the amount: the check above can fail


# ---------------------------------------------------------------- the revisionslog page


def test_admin_searches_the_audit_log_per_citizen(demo):
    audit_url = demo
    lene = Principal("lene@kommune.dk", "leder")
    audit.log_view(lene, page="borger", source="detail_citizen_grants", citizens=["B999-000007"])
    audit.log_view(lene, page="visitation", source="q", citizens=["B999-000007", "B999-000008"])
    audit.log_view(lene, page="tilbud", source="q", citizens=["B999-000009"])
    at = app(as_user="admin", page="revisionslog.py")
    assert titles(at) == ["Revisionslog"]
    assert not at.dataframe
    at.text_input[0].input("B999-000007")
    at = at.button[0].click().run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown.columns) == list(audit.COLUMNS.values())
    assert sorted(shown["Side"]) == ["Borger", "Visitation og opfølgning"]
    assert set(shown["Borger (pseudonym)"]) == {"B999-000007"}
    assert set(shown["Rolle"]) == {"Socialfaglig leder"}
    assert set(shown["Handling"]) == {"Visning"}
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", shown["Tidspunkt"].iloc[0])
    searches = audit.search(user="test", url=audit_url)
    assert list(searches["action"]) == ["search"]
    assert list(searches["citizen_id"]) == ["B999-000007"]
    assert list(searches["role"]) == ["admin"]


def test_revisionslog_refuses_a_malformed_pseudonym(demo):
    at = app(as_user="admin", page="revisionslog.py")
    at.text_input[0].input("x' or 1=1 --")
    at = at.button[0].click().run()
    assert not at.exception
    assert "Pseudonymet må kun indeholde" in at.error[0].value
    assert not at.dataframe
    assert audit.search(url=demo).empty


def test_plain_text_never_becomes_markdown():

    assert frame.plain("[klik](https://ondt.dk)") == r"\[klik\]\(https\://ondt\.dk\)"
    assert frame.plain("<b>fed</b> **x** a@b.dk") == r"\<b\>fed\</b\> \*\*x\*\* a\@b\.dk"
    assert frame.plain("Bofællesskab 7") == "Bofællesskab 7"


def test_pure_privacy_modules_do_not_import_streamlit():
    for name in ("auth", "access/gateway", "access/queries", "audit", "suppress"):
        source = (Path(db.ROOT) / "cockpit" / f"{name}.py").read_text(encoding="utf-8")
        assert "import streamlit" not in source, name
