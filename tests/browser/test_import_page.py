"""The Import page as an administrator uses it: upload a folder of Danish Excel CSV files, see
every problem at once when something is wrong (and nothing changed), and the new municipality in
the cockpit when it is right."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cockpit import db, navigation
from tools.bench import harness

pytestmark = pytest.mark.browser


@pytest.fixture
def own_server(tmp_path):
    """A server in local mode (`run --local`: imports allowed, imported data served) on its own
    demo database: this test writes to it while the server reads it."""
    from sample_data.generate import generate

    url = f"duckdb:///{tmp_path / 'import.duckdb'}"
    generate("demo", url, progress=lambda _m: None)
    audit = {"COCKPIT_AUDIT_URL": f"sqlite:///{tmp_path / 'audit.sqlite'}"}
    server = harness.Server(url, log=tmp_path / "server.log", env=audit, args=["--local"]).start()
    yield server, url
    server.stop()


def municipalities(url: str) -> list[int]:
    engine = sa.create_engine(url, connect_args={"read_only": True})
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select distinct municipality_code from expense")).all()
    engine.dispose()
    return sorted(r[0] for r in rows)


def upload(tab: harness.Tab, files: list) -> None:
    tab.page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [str(f) for f in files]
    )
    button = tab.page.get_by_role("button", name="Indlæs filerne")
    button.wait_for(state="visible", timeout=30_000)
    before = tab.finished
    button.click()
    tab.wait_idle(before, timeout=120)


def test_admin_imports_danish_excel_csv_through_the_page(browser, own_server, open_tab, tmp_path):
    from test_import import _danish, dataset, write_folder

    server, url = own_server
    spec = next(p for p in navigation.PAGES if p.url_path == "import")
    tab, _watch = open_tab(server.base)
    harness.open_page(tab, server.base, "admin", spec)
    assert tab.page.get_by_text("Import af egne data").count() >= 1

    # A broken extract: two problems in two files, both listed; the database is unchanged.
    bad = _danish(dataset(573))
    bad["grant"][0]["start_date"] = "31-02-2024"
    bad["citizen"][1]["target_group"] = "ældre"
    folder = write_folder(tmp_path / "forkert", bad, sep=";", encoding="cp1252")
    upload(tab, sorted(folder.iterdir()))
    page = tab.page.locator('[data-testid="stMain"]')
    assert "Importen blev afvist: 2 fejl. Databasen er uændret." in page.inner_text()
    table = tab.page.locator('[data-testid="stTable"]').inner_text()
    assert "grant.csv" in table and "citizen.csv" in table
    assert municipalities(url) == [999]

    # The corrected extract loads, and Varde (573) appears next to Demokommune.
    harness.open_page(tab, server.base, "admin", spec)  # a new session with an empty uploader
    good = write_folder(tmp_path / "rigtig", _danish(dataset(573)), sep=";", encoding="cp1252")
    upload(tab, sorted(good.iterdir()))
    assert "Importen lykkedes" in page.inner_text()
    assert "for kommune 573" in page.inner_text()
    db.release(url)
    assert municipalities(url) == [573, 999]


def test_admin_imports_source_files_for_the_chosen_municipality(browser, tmp_path, open_tab):
    """FFB bundles, G69 and CSV postings and a grant extract, uploaded with Varde chosen: loaded,
    and Datagrundlag tells what could not be linked."""
    from pathlib import Path

    from sample_data.generate import generate

    url = f"duckdb:///{tmp_path / 'sources.duckdb'}"
    generate("demo", url, progress=lambda _m: None)
    key = tmp_path / "pseudonym.key"
    key.write_text("browser-test-noegle-til-pseudonymer\n")
    env = {
        "COCKPIT_AUDIT_URL": f"sqlite:///{tmp_path / 'audit.sqlite'}",
        "COCKPIT_PSEUDONYM_KEY_FILE": str(key),
    }
    # Local mode: demo mode never offers Import (issue 12), local mode serves real data on loopback.
    server = harness.Server(url, log=tmp_path / "server.log", env=env, args=["--local"]).start()
    try:
        here = Path(__file__).resolve().parent.parent / "sources"
        files = sorted((here / "delivery1").iterdir()) + sorted((here / "economy").iterdir())
        spec = next(p for p in navigation.PAGES if p.url_path == "import")
        tab, _watch = open_tab(server.base)
        harness.open_page(tab, server.base, "admin", spec)
        before = tab.finished
        tab.page.get_by_role("combobox", name="Kommune (kræves for kildefiler)").click()
        tab.page.keyboard.type("Varde")  # the list of 98 is filtered as one types
        tab.page.get_by_role("option", name="Varde (573)", exact=True).click()
        tab.wait_idle(before)
        upload(tab, files)
        main = tab.page.locator('[data-testid="stMain"]')
        assert "Importen lykkedes" in main.inner_text()
        db.release(url)
        assert municipalities(url) == [573, 999]
        tab.goto(f"{server.base}/datagrundlag?kommune=573")
        text = main.inner_text()
        assert "Det, kildeimporten ikke kunne knytte sammen" in text
        assert "Økonomi: <5 posteringer har ingen borger (modtageren har intet CPR-nummer)" in text
        assert (
            "<5 bevillinger fra bevillingsudtrækket kunne ikke knyttes til en indsats i FFB" in text
        )
    finally:
        server.stop()
