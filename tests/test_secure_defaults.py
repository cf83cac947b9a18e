"""Secure defaults through AppTest and the CLI: demo mode only on all-synthetic data and only on
a loopback address, never Import or Revisionslog in demo mode, local mode (`run --local`) marked
on every page with every view in the audit log, and the listening address the CLI picks."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from cockpit import __main__ as cli
from cockpit import audit, auth, db, navigation

APP = str(Path(db.ROOT) / "cockpit" / "app.py")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    from sample_data.generate import generate

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    generate("demo", f"duckdb:///{path}", progress=lambda _message: None)
    return path


@pytest.fixture
def served(demo_file, tmp_path, monkeypatch):
    """A copy of the demo data the test may change, and the app pointed at it."""
    path = tmp_path / "cockpit.duckdb"
    path.write_bytes(demo_file.read_bytes())
    url = f"duckdb:///{path}"
    monkeypatch.setenv("COCKPIT_DATABASE_URL", url)
    audit_url = f"sqlite:///{tmp_path / 'audit.sqlite'}"
    monkeypatch.setenv("COCKPIT_AUDIT_URL", audit_url)
    yield url, audit_url
    db.release(url)


def set_source(url: str, sql: str) -> None:
    db.release(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()


def run(role: str | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if role:
        at.session_state["role"] = role
    at.run()
    if page:
        at.switch_page(str(navigation.PAGES_DIR / page)).run()
    return at


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_demo_mode_serves_all_synthetic_data(served):
    at = run()
    assert titles(at) == ["Overblik"]
    assert at.metric


@pytest.mark.parametrize(
    "change",
    [
        "update data_load set source = 'Import' where table_name = 'grant'",  # one real load
        "delete from data_load",  # no data_load row: not known to be synthetic
        "update data_load set source = 'syntetiske eksempeldata' where table_name = 'expense'",
        "drop table data_load",
    ],
)
def test_any_real_data_means_login_required_and_no_data(served, change):
    url, audit_url = served
    set_source(url, change)
    at = run(role="leder", page="borger.py")
    assert titles(at) == ["Login kræves"]
    assert "Databasen indeholder rigtige data" in at.info[0].value
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox
    assert "principal" not in at.session_state
    assert audit.search(url=audit_url).empty


def test_the_check_is_repeated_when_a_new_file_is_swapped_in(served, tmp_path):
    url, _audit_url = served
    at = run()
    assert titles(at) == ["Overblik"]
    # An import swaps a database with real data in under the running session.
    from test_import import dataset, write_folder

    from cockpit import refresh

    assert refresh.import_folder(write_folder(tmp_path / "x", dataset(147)), url).ok
    at.run()
    assert titles(at) == ["Login kræves"]
    assert not at.metric


def test_demo_mode_refuses_a_server_on_every_interface(served, monkeypatch):
    from streamlit import config

    for address in (None, "0.0.0.0", "10.0.0.5"):
        config.set_option("server.address", address)
        at = run()
        assert titles(at) == ["Login kræves"], address
        assert "kun på den computer, det kører på (127.0.0.1)" in at.info[0].value
        assert not at.metric


def test_demo_mode_never_offers_import_or_revisionslog(served):
    at = run(role="admin")
    assert titles(at) == ["Overblik"]
    assert [p.url_path for p in navigation.pages_for("admin", "demo")] == [
        "overblik",
        "datagrundlag",
    ]
    demo_admin = auth.Principal("demo", "admin", mode="demo")
    assert not demo_admin.may_import and not demo_admin.sees_audit_log
    assert auth.Principal("anna", "admin").may_import


def test_the_import_wrapper_refuses_demo_mode(served):
    from cockpit import refresh
    from cockpit.access.gateway import AccessDenied

    with pytest.raises(AccessDenied):
        refresh.import_uploads([], auth.Principal("demo", "admin", mode="demo"), served[0])


def test_local_mode_serves_real_data_marked_and_audited(served, monkeypatch):
    url, audit_url = served
    set_source(url, "update data_load set source = 'Import'")
    monkeypatch.setenv(auth.LOCAL_ENV, "1")
    at = run(role="leder")
    assert titles(at) == ["Overblik"]
    assert at.metric
    assert "Lokal tilstand" in at.sidebar.warning[0].value
    assert at.warning[0].value.startswith("**Lokal tilstand** – kommunens egne data")
    at.switch_page(str(navigation.PAGES_DIR / "oekonomi.py")).run()
    assert titles(at) == ["Økonomi"]
    assert at.warning[0].value.startswith("**Lokal tilstand**")
    at.run()  # the same view re-rendered: not a new view
    views = audit.search(url=audit_url)
    views = views[views["source"] == "side"]
    assert sorted(views["page"]) == ["oekonomi", "overblik"]
    assert set(views["role"]) == {"leder"}
    assert set(views["user_id"]) == {f"lokal:{getpass.getuser()}"}
    # An administrator in local mode may import and search the audit log.
    assert [p.url_path for p in navigation.pages_for("admin", "local")][-2:] == [
        "import",
        "revisionslog",
    ]


def test_local_mode_with_a_fixed_role(served, monkeypatch):
    monkeypatch.setenv(auth.LOCAL_ENV, "1")
    monkeypatch.setenv(auth.LOCAL_ROLE_ENV, "politiker")
    at = run(role="leder")  # a role asked for in the session does not count
    assert at.session_state["principal"].role == "politiker"
    assert [t.value for t in at.sidebar.text] == ["Rolle: Politiker"]
    assert not [s for s in at.sidebar.selectbox if s.label == "Rolle"]


def args(*argv: str) -> argparse.Namespace:
    return cli.parser().parse_args(["run", *argv])


@pytest.fixture
def no_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(tmp_path / "none.toml"))
    monkeypatch.delenv("COCKPIT_REQUIRE_LOGIN", raising=False)
    return tmp_path


def test_cli_demo_and_local_mode_listen_on_loopback_only(no_secrets):
    assert cli.serving(args(), {})[0] == "127.0.0.1"
    address, env = cli.serving(args("--local", "--role", "leder"), {})
    assert address == "127.0.0.1"
    assert env[auth.LOCAL_ENV] == "1" and env[auth.LOCAL_ROLE_ENV] == "leder"
    # Local mode comes only from the flag, never from an inherited environment variable.
    assert auth.LOCAL_ENV not in cli.serving(args(), {auth.LOCAL_ENV: "1"})[1]
    with pytest.raises(SystemExit, match="Demotilstand .* lytter kun på 127.0.0.1"):
        cli.serving(args("--address", "0.0.0.0"), {})
    with pytest.raises(SystemExit, match="Lokal tilstand lytter kun på 127.0.0.1"):
        cli.serving(args("--local", "--address", "0.0.0.0"), {})
    with pytest.raises(SystemExit, match="--role bruges kun sammen med --local"):
        cli.serving(args("--role", "leder"), {})


def test_cli_with_login_listens_where_asked(no_secrets, monkeypatch):
    secrets = no_secrets / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "https://c.kommune.dk/oauth2callback"\ncookie_secret = "x"\n'
        'client_id = "c"\nclient_secret = "s"\nserver_metadata_url = "https://idp/.well-known"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    assert cli.serving(args("--address", "0.0.0.0"), {})[0] == "0.0.0.0"
    assert cli.serving(args(), {})[0] is None  # Streamlit's default: every interface
    with pytest.raises(SystemExit, match="--local bruges kun, når der ikke er sat login op"):
        cli.serving(args("--local"), {})
    # COCKPIT_REQUIRE_LOGIN without [auth]: the app shows its error page; no local mode.
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(no_secrets / "none.toml"))
    with pytest.raises(SystemExit, match="--local"):
        cli.serving(args("--local"), {"COCKPIT_REQUIRE_LOGIN": "1"})
