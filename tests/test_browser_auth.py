"""Login in a real browser: the OIDC round trip through st.login against an identity provider on
loopback (oidc-provider-mock), roles from the ID token's claim, logout, an audited view and
download; every page deep-linked on a fresh server never bypasses login or the role check; demo
mode is marked, and unreachable when login is configured."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlparse

import httpx
import pytest

from cockpit import audit, db, navigation
from tools.bench.harness import Server

pytestmark = pytest.mark.browser

SCREENSHOTS = db.ROOT / "artifacts" / "screenshots"
TIMEOUT = 60_000  # ms
# Streamlit's frontend first probes for the server under a deep link's path (404), then the root.
# The provider mock's own login page links a stylesheet on a CDN; that request is not ours.
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/"
BASE_PATH_PROBE = re.compile(r"^/[a-z0-9_-]+/_stcore/(health|host-config)$")
NOT_ALLOWED = "Siden er ikke tilgængelig"

USERS = {
    "lene": {"email": "lene@kommune.dk", "roles": ["leder"]},
    "per": {"email": "per@kommune.dk", "roles": ["politiker"]},
    "anna": {"email": "anna@kommune.dk", "roles": ["admin"]},
    "gaest": {"email": "gaest@kommune.dk", "roles": ["ekstern"]},
}


class Cockpit(Server):
    """The shared harness's cockpit server (tools/bench/harness.py) with its own audit log and the
    secrets.toml it reads (STREAMLIT_SECRETS_FILES): with an [auth] section for the provider at
    `oidc`, or none at all (never ~/.streamlit/secrets.toml or the repository's)."""

    def __init__(self, database_url: str, folder: Path, oidc: str | None) -> None:
        self.audit_url = f"sqlite:///{folder / 'audit.sqlite'}"
        self.secrets = folder / "secrets.toml"
        env = {"COCKPIT_AUDIT_URL": self.audit_url, "STREAMLIT_SECRETS_FILES": str(self.secrets)}
        super().__init__(database_url, log=folder / "server.log", env=env)
        if oidc:
            self.secrets.write_text(
                "[auth]\n"
                f'redirect_uri = "{self.base}/oauth2callback"\n'
                'cookie_secret = "test-cookie-secret-not-for-production"\n'
                'client_id = "styringscockpit"\n'
                'client_secret = "test-client-secret"\n'
                f'server_metadata_url = "{oidc}/.well-known/openid-configuration"\n'
                "\n[cockpit]\n"
                'role_claim = "roles"\n'
                'user_claim = "email"\n',
                encoding="utf-8",
            )

    def audit_log(self):
        return audit.search(url=self.audit_url, limit=1_000_000)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> str:
    from sample_data.generate import generate

    url = f"duckdb:///{tmp_path_factory.mktemp('demo') / 'demo.duckdb'}"
    generate("demo", url)
    return url


@pytest.fixture(scope="module")
def oidc() -> Iterator[str]:
    """An OpenID provider on loopback that knows our users and their role claims."""
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread(port=0) as server:
        base = f"http://127.0.0.1:{server.server_port}"
        for sub, claims in USERS.items():
            r = httpx.put(f"{base}/users/{quote(sub)}", json=claims)
            assert r.status_code == 204
        yield base


@pytest.fixture(scope="module")
def cockpit(demo_url, oidc, tmp_path_factory) -> Iterator[Cockpit]:
    with Cockpit(demo_url, tmp_path_factory.mktemp("cockpit"), oidc) as c:
        yield c


class Tab:
    """A fresh browser session; records the cockpit's console errors and blocks any request that
    would leave the machine (the provider mock's page links a stylesheet on a CDN)."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(accept_downloads=True)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.external: list[str] = []  # requests that would have left the machine (blocked)
        self.page.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), self._block)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _block(self, route) -> None:
        if not route.request.url.startswith(PROVIDER_STYLESHEET):
            self.external.append(route.request.url)
        route.abort()

    def _console(self, msg) -> None:
        source = msg.location.get("url", "")
        if msg.type != "error" or not source.startswith(self.base):
            return
        if BASE_PATH_PROBE.match(urlparse(source).path):
            return
        self.errors.append(f"{msg.text} ({source})")

    def heading(self, name: str):
        return self.page.get_by_role("heading", name=name, exact=True)

    def titles(self) -> list[str]:
        """The page titles (st.title is the only h1)."""
        return [text.strip() for text in self.page.locator("h1").all_inner_texts()]

    def nav_links(self):
        return self.page.locator('[data-testid="stSidebarNavLink"]')

    def nav_titles(self) -> list[str]:
        # Each link's text is its Material icon name, then the title.
        return [text.split("\n")[-1] for text in self.nav_links().all_inner_texts()]

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"auth-{name}.png"), full_page=True)


@pytest.fixture
def tab(browser) -> Iterator:
    tabs: list[Tab] = []

    def make(base: str) -> Tab:
        tabs.append(Tab(browser, base))
        return tabs[-1]

    yield make
    for t in tabs:
        t.context.close()


def expect_login_page(t: Tab) -> None:
    from playwright.sync_api import expect

    expect(t.page.get_by_role("button", name="Log ind")).to_be_visible(timeout=TIMEOUT)
    expect(t.heading("Styringscockpit")).to_be_visible()
    assert t.nav_links().count() == 0
    assert t.page.get_by_text("Demotilstand").count() == 0
    assert t.page.get_by_role("combobox", name="Rolle").count() == 0
    assert t.page.locator('[data-testid="stMetric"]').count() == 0


def log_in(t: Tab, sub: str) -> None:
    """Through the login page and the provider's form, back to the cockpit."""
    t.page.get_by_role("button", name="Log ind").click()
    t.page.get_by_placeholder("sub").fill(sub)
    t.page.get_by_role("button", name="Authorize").click()
    t.page.wait_for_url(f"{t.base}/**", timeout=TIMEOUT)


def wait_for_run(t: Tab) -> None:
    from playwright.sync_api import expect

    expect(
        t.page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
    ).to_have_count(1, timeout=TIMEOUT)
    t.page.wait_for_timeout(300)


# ---------------------------------------------------------------- the round trip


def test_login_round_trip_view_download_and_logout(cockpit, tab):
    from playwright.sync_api import expect

    t = tab(cockpit.base)
    t.page.goto(f"{cockpit.base}/visitation")
    expect_login_page(t)
    t.shot("login")

    log_in(t, "lene")
    expect(t.heading("Overblik")).to_be_visible(timeout=TIMEOUT)
    sidebar = t.page.locator('[data-testid="stSidebar"]')
    expect(
        sidebar.get_by_text("Logget ind som lene@kommune.dk (Socialfaglig leder)")
    ).to_be_visible()
    assert t.page.get_by_text("Demotilstand").count() == 0
    titles = [p.title for p in navigation.pages_for("leder")]
    assert t.nav_titles() == titles

    t.page.locator('[data-testid="stSidebarNavLink"]', has_text="Visitation og opfølgning").click()
    expect(t.heading("Visitation og opfølgning")).to_be_visible(timeout=TIMEOUT)
    wait_for_run(t)
    t.shot("leder-visitation")
    shown = set(re.findall(r"B999-\d{6}", t.page.locator("body").inner_text()))
    log = cockpit.audit_log()
    views = log[(log["action"] == "view") & (log["page"] == "visitation")]
    assert set(views["user_id"]) == {"lene@kommune.dk"}
    assert set(views["role"]) == {"leder"}
    # The citizen lists on the page were logged (tables are drawn on a canvas, so the text the
    # DOM shows is only part of it; tests/test_auth.py compares every element with the log).
    assert views["citizen_id"].notna().sum() > 0
    assert shown <= set(views["citizen_id"])

    t.page.locator('[data-testid="stSidebarNavLink"]', has_text="Økonomi").click()
    expect(t.heading("Økonomi")).to_be_visible(timeout=TIMEOUT)
    wait_for_run(t)
    t.page.get_by_text("Vis som tabel").first.click()
    button = t.page.get_by_role("button", name="Hent som CSV").first
    with t.page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    download = info.value
    content = Path(download.path()).read_bytes()
    assert content
    log = cockpit.audit_log()
    exports = log[(log["action"] == "export") & (log["source"] == download.suggested_filename)]
    assert set(exports["user_id"]) == {"lene@kommune.dk"}
    in_file = set(re.findall(rb"B999-\d{6}", content))
    assert {c.decode() for c in in_file} <= set(exports["citizen_id"].dropna())

    # Logout clears the cockpit's cookie and ends the session at the provider (RP-initiated
    # logout), which sends the browser back to the cockpit's login page.
    t.page.get_by_role("button", name="Log ud").click()
    t.page.get_by_role("button", name="End session").click()
    expect_login_page(t)
    t.page.goto(f"{cockpit.base}/visitation")
    expect_login_page(t)
    assert t.errors == []
    assert t.external == []


def test_a_user_without_a_cockpit_role_gets_no_access(cockpit, tab):
    from playwright.sync_api import expect

    t = tab(cockpit.base)
    t.page.goto(cockpit.base)
    expect_login_page(t)
    log_in(t, "gaest")
    expect(t.heading("Ingen adgang")).to_be_visible(timeout=TIMEOUT)
    assert t.nav_links().count() == 0
    assert t.page.locator('[data-testid="stMetric"]').count() == 0
    t.page.goto(f"{cockpit.base}/overblik")
    expect(t.heading("Ingen adgang")).to_be_visible(timeout=TIMEOUT)
    t.shot("ingen-adgang")
    assert t.errors == []
    assert t.external == []


# ---------------------------------------------------------------- deep links on a fresh server


def excluded_role(spec: navigation.PageSpec) -> str | None:
    """A role (and its test user) that may not open the page, if there is one."""
    for sub in ("per", "anna", "lene"):
        role = USERS[sub]["roles"][0]
        if role not in spec.roles:
            return sub
    return None


@pytest.mark.parametrize(
    "spec", [p for p in navigation.PAGES if p.path.is_file()], ids=lambda s: s.url_path
)
def test_deep_link_on_a_fresh_server_needs_login_and_the_role(spec, demo_url, oidc, tmp_path, tab):
    from playwright.sync_api import expect

    with Cockpit(demo_url, tmp_path, oidc) as fresh:
        t = tab(fresh.base)
        # The fresh server's very first request is the deep link: only the login page answers.
        t.page.goto(f"{fresh.base}/{spec.url_path}")
        expect_login_page(t)
        assert t.titles() == ["Styringscockpit"]
        sub = excluded_role(spec)
        if sub is not None:
            log_in(t, sub)
            expect(t.heading("Overblik")).to_be_visible(timeout=TIMEOUT)
            t.page.goto(f"{fresh.base}/{spec.url_path}")
            # A Danish message instead of Streamlit's "Page not found"; the page never runs.
            expect(t.heading(NOT_ALLOWED)).to_be_visible(timeout=TIMEOUT)
            wait_for_run(t)
            assert t.titles() == [NOT_ALLOWED]
            assert t.page.get_by_text("Page not found").count() == 0
            assert t.page.locator('[data-testid="stMetric"]').count() == 0
            assert spec.title not in t.nav_titles()
        log = fresh.audit_log()
        assert log[log["action"] == "view"].empty  # no citizen was shown to anyone
        assert t.external == []


# ---------------------------------------------------------------- demo mode


def test_demo_mode_is_clearly_marked_without_an_identity_provider(demo_url, tmp_path, tab):
    from playwright.sync_api import expect

    with Cockpit(demo_url, tmp_path, oidc=None) as demo:
        assert not demo.secrets.exists()
        t = tab(demo.base)
        t.page.goto(demo.base)
        expect(t.page.get_by_text("Demotilstand")).to_be_visible(timeout=TIMEOUT)
        expect(t.page.get_by_role("combobox", name="Rolle")).to_be_visible()
        expect(t.heading("Overblik")).to_be_visible(timeout=TIMEOUT)
        assert t.page.get_by_role("button", name="Log ind").count() == 0
        wait_for_run(t)
        t.shot("demo")
        assert t.errors == [] and t.external == []


# ---------------------------------------------------------------- secure defaults


def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for name, width in (("tcp", 8), ("tcp6", 32)):
        path = Path(f"/proc/net/{name}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            if width == 8:
                found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
            else:  # four little-endian 32-bit words
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


def outside_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: routing only
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_demo_mode_listens_on_loopback_only(demo_url, tmp_path, tab):
    from playwright.sync_api import expect

    with Cockpit(demo_url, tmp_path, oidc=None) as demo:
        assert listening_addresses(demo.port) == {"127.0.0.1"}
        outside = outside_address()
        if outside is not None:  # the machine's own network address does not answer
            with pytest.raises(OSError), socket.create_connection((outside, demo.port), 2):
                pass
        t = tab(demo.base)
        t.page.goto(demo.base)
        expect(t.page.get_by_text("Demotilstand")).to_be_visible(timeout=TIMEOUT)
        expect(t.heading("Overblik")).to_be_visible(timeout=TIMEOUT)
        # Demo mode offers an administrator neither Import nor Revisionslog.
        wait_for_run(t)
        t.page.get_by_role("combobox", name="Rolle").click()
        t.page.get_by_role("option", name="Administrator", exact=True).click()
        expect(t.page.get_by_role("combobox", name="Rolle")).to_have_value("Administrator")
        wait_for_run(t)
        assert t.nav_titles() == ["Overblik", "Datagrundlag"]
        assert t.errors == [] and t.external == []
    assert "lytter kun på 127.0.0.1" in demo.log.read_text()


@pytest.fixture(scope="module")
def real_url(tmp_path_factory) -> str:
    """A municipality's own extract (Frederiksberg, 147) imported: real data."""
    from test_import import dataset, write_folder

    from cockpit import refresh

    folder = tmp_path_factory.mktemp("real")
    url = f"duckdb:///{folder / 'cockpit.duckdb'}"
    assert refresh.import_folder(write_folder(folder / "extract", dataset(147)), url).ok
    db.release(url)
    return url


def test_real_data_without_login_shows_no_data(real_url, tmp_path, tab):
    from playwright.sync_api import expect

    with Cockpit(real_url, tmp_path, oidc=None) as server:
        for path in ("", "overblik", "borger", "import"):
            t = tab(server.base)
            t.page.goto(f"{server.base}/{path}")
            expect(t.heading("Login kræves")).to_be_visible(timeout=TIMEOUT)
            wait_for_run(t)
            body = t.page.locator("body").inner_text()
            assert "Databasen indeholder rigtige data" in body
            assert "Frederiksberg" not in body and "a147-" not in body
            assert t.nav_links().count() == 0
            assert t.page.get_by_role("combobox", name="Rolle").count() == 0
            assert t.page.locator('[data-testid="stMetric"]').count() == 0
            assert t.errors == [] and t.external == []
        t.shot("login-kraeves")
        log = server.audit_log()
        assert log.empty


def test_a_page_the_role_may_not_open_shows_a_danish_message(demo_url, tmp_path, tab):
    from playwright.sync_api import expect

    with Cockpit(demo_url, tmp_path, oidc=None) as demo:
        t = tab(demo.base)
        t.page.goto(demo.base)
        expect(t.heading("Overblik")).to_be_visible(timeout=TIMEOUT)
        wait_for_run(t)
        t.page.goto(f"{demo.base}/borger")  # demo mode starts as Direktør: no citizens
        expect(t.heading(NOT_ALLOWED)).to_be_visible(timeout=TIMEOUT)
        wait_for_run(t)
        expect(
            t.page.get_by_text(
                "Siden »Borger« er ikke tilgængelig for rollen Direktør. "
                "Vælg en af dine sider i menuen."
            )
        ).to_be_visible()
        assert t.page.get_by_text("Page not found").count() == 0
        assert "Borger" not in t.nav_titles()
        assert not re.search(r"B999-\d{6}", t.page.locator("body").inner_text())
        t.shot("ikke-tilgaengelig")
        assert t.errors == [] and t.external == []
    assert demo.audit_log().empty
