"""Source imports on hand-written files (tests/sources/): five citizens' FFB bundles in two
deliveries, G69 and CSV postings and a Sensum-style grant extract for the same citizens. Every
expected value below is computed by hand in tests/sources/README.md."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from cockpit import db, metrics
from cockpit.access import gateway
from cockpit.auth import Principal
from cockpit.ingest.sources import mappings, pseudonym
from cockpit.ingest.sources.run import import_sources
from cockpit.periods import Scope

HERE = Path(__file__).resolve().parent / "sources"
D1, D2, ECONOMY = HERE / "delivery1", HERE / "delivery2", HERE / "economy"
VARDE = 573
SCOPE = Scope(VARDE, 2026, date(2026, 6, 30))
CPRS = ["0101704321", "0202851234", "0303924321", "1212601234", "3112991234", "0505751234"]
SECRETS = [
    *CPRS,
    *(f"{c[:6]}-{c[6:]}" for c in CPRS),
    "Bentholm",
    "Annelisbeth",
    "Carlsgaard",
    "Dortheamine",
    "20304050",
    "21222324",
    "31323334",
    "41424344",
]
TABLES = [*db.TABLES, "source_ffb", "source_grant_extract", "import_gap"]


@pytest.fixture(autouse=True)
def key(tmp_path_factory, monkeypatch) -> Path:
    path = tmp_path_factory.mktemp("key") / "pseudonym.key"
    path.write_text("kommunens-hemmelige-noegle-til-test\n")
    monkeypatch.setenv(pseudonym.KEY_ENV, str(path))
    return path


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request, tmp_path) -> str:
    if request.param == "postgres":
        return request.getfixturevalue("pg_url")
    return f"duckdb:///{tmp_path / 'cockpit.duckdb'}"


def secrets_in_tables(url: str) -> set[str]:
    """Every secret found in any cell of any table of the database (read through SQL, so storage
    compression cannot hide one from the scan)."""
    found = set()
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            frame = pd.read_sql(sa.text(f'select * from "{table}"'), conn)  # noqa: S608
            text = "\n".join(frame.astype(str).to_csv(index=False).splitlines())
            found |= {s for s in SECRETS if s in text}
    engine.dispose()
    return found


def load(url: str, *folders: Path) -> None:
    for folder in folders:
        result = import_sources(folder, url, VARDE)
        assert result.ok, [str(p) for p in result.problems]
    db.release(url)


def dump(url: str) -> dict[str, list]:
    """Every row of every contract, staging and gap table, sorted (data_load's clock left out)."""
    out = {}
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        for table in TABLES:
            if not sa.inspect(conn).has_table(table):
                continue
            frame = pd.read_sql(sa.text(f'select * from "{table}"'), conn)  # noqa: S608
            rows = sorted(tuple(str(v) for v in r) for r in frame.itertuples(index=False))
            out[table] = rows
    engine.dispose()
    return out


# ---------------------------------------------------------------- units


def test_pseudonym_same_with_or_without_dash_and_format_not_modulus_11():
    p = pseudonym.Pseudonymiser(b"kommunens-hemmelige-noegle")
    assert p.pseudonym("010170-4321") == p.pseudonym("0101704321") == p.pseudonym(" 0101704321 ")
    assert re.fullmatch(r"BG-[A-Z2-7]{12}", p.pseudonym("0101704321"))
    assert p.pseudonym("0101704322") is not None  # fails modulus 11, still a CPR number
    assert p.pseudonym("3201704321") is None and p.pseudonym("0113704321") is None
    assert p.pseudonym("010170-432") is None
    other = pseudonym.Pseudonymiser(b"en-anden-kommunes-noegle")
    assert other.pseudonym("0101704321") != p.pseudonym("0101704321")
    assert pseudonym.birth_year("0303924321") == 1992 and pseudonym.birth_year("0101054321") == 2005


def test_account_string_and_default_mapping():
    acc = mappings.parse_account("5.38.38.1.0.1000.004.4.0")
    assert acc == mappings.parse_account("5383810100000440")
    assert (acc.function, acc.grouping) == ("5.38.38", "004")
    maps = mappings.load({})
    assert maps.offer_type_for_account("5.38.38", "003") == ("SEL85", "udsat")
    assert maps.offer_type_for_account("5.38.38", "004") == ("SEL85", "handicap")
    assert maps.offer_type_for_account("5.38.38", "005") == ("SEL85", "psykiatri")
    assert maps.offer_type_for_account("5.38.50", "001") == ("SEL108", "")
    assert maps.offer_type_for_account("6.45.51", "001") is None
    parent = maps.ffb["96c97f55-a11b-47f8-aa52-6fdae4e804c2"]  # Længerevarende botilbud (parent)
    child = maps.ffb["498fe92c-d7f7-41cd-9404-5b38fe113be0"]  # Almindeligt længerevarende
    assert parent.cockpit == child.cockpit == "SEL108"


# ---------------------------------------------------------------- the whole story


def test_deliveries_postings_and_extract_give_the_hand_computed_kpis(url):
    load(url, D1)
    assert dump(url)["citizen"].__len__() == 5
    load(url, D2)  # a daily delivery for four citizens: the fifth (borger 4) stays
    tables = dump(url)
    assert len(tables["citizen"]) == 5 and len(tables["assessment"]) == 8
    load(url, ECONOMY)
    values = metrics.compute(None, SCOPE, url)
    assert values["progression_share"] == pytest.approx(1 / 3)
    assert values["decline_share"] == pytest.approx(1 / 3)
    assert values["goal_attainment"] == pytest.approx(1 / 3)
    assert values["followups_overdue"] == 2
    assert values["spend_ytd"] == pytest.approx(224_001.00)
    assert values["unit_cost"] == pytest.approx(
        {
            "SEL108": 128_000 / 331 * 365,
            "SEL107": 60_000 / 181 * 365,
            "SEL85": 25_001 / 181 * 365,
            "SEL104": 11_000 / 240 * 365,
        }
    )
    gaps = db.query("import_gaps", {"municipality": VARDE}, url)
    said = dict(zip(gaps["message"], gaps["count"], strict=True))
    assert said["posteringer kunne ikke knyttes til en bevilling"] == 1
    assert said["posteringer har ingen borger (modtageren har intet CPR-nummer)"] == 1
    assert said["bevillinger fra bevillingsudtrækket kunne ikke knyttes til en indsats i FFB"] == 1


def test_newest_version_wins_by_stamp_not_by_order(tmp_path):
    first, second = f"duckdb:///{tmp_path / 'a.duckdb'}", f"duckdb:///{tmp_path / 'b.duckdb'}"
    load(first, D1, D2)
    load(second, D2, D1)  # the older delivery last: its versions must not win
    a, b = dump(first), dump(second)
    for table in ("citizen", "grant", "goal", "assessment", "followup", "source_ffb"):
        assert a[table] == b[table], table
    grants = {r[0]: r for r in a["grant"]}
    assert grants["c3-plan"][7] == "2026-02-28"  # the replaced Intervention ended the grant


def test_reimporting_the_same_folders_changes_nothing(url):
    load(url, D1, D2, ECONOMY)
    before = dump(url)
    load(url, D1, D2, ECONOMY)
    assert dump(url) == before


def test_a_folder_with_one_invalid_bundle_is_refused_whole(tmp_path):
    url = f"duckdb:///{tmp_path / 'c.duckdb'}"
    load(url, D1)
    before = dump(url)
    bad = tmp_path / "bad"
    shutil.copytree(D2, bad)
    text = (D2 / "borger2.json").read_text()
    (bad / "borger2.json").write_text(text.replace('"0202851234"', '"0202851"'))
    text = (D2 / "borger3.json").read_text()
    (bad / "borger3.json").write_text(text.replace('"CareTeam/c3-performer"}]', '"CareTeam/x9"}]'))
    text = (D2 / "borger5.json").read_text()
    (bad / "borger5.json").write_text(text.replace("b947f321-7cdb", "b947f321-0000"))
    result = import_sources(bad, url, VARDE)
    assert not result.ok
    shown = [str(p) for p in result.problems]
    assert any(s.startswith("borger2.json") and "DDMMÅÅ-XXXX" in s for s in shown), shown
    assert any(s.startswith("borger3.json") and "CareTeam/x9" in s for s in shown), shown
    assert any(s.startswith("borger5.json") and "Ukendt FFB-kode" in s for s in shown), shown
    assert not any("0202851" in s for s in shown)
    assert dump(url) == before


def test_without_the_key_cpr_files_are_refused_in_danish(tmp_path, monkeypatch):
    monkeypatch.delenv(pseudonym.KEY_ENV)
    monkeypatch.chdir(tmp_path)
    url = f"duckdb:///{tmp_path / 'd.duckdb'}"
    result = import_sources(ECONOMY, url, VARDE)
    assert not result.ok
    assert "ingen nøgle til pseudonymisering" in str(result.problems[0])
    assert not (tmp_path / "d.duckdb").exists()


def test_malformed_cpr_in_postings_is_named_by_file_row_column_never_by_value(tmp_path):
    folder = tmp_path / "erp"
    folder.mkdir()
    (folder / "posteringer.csv").write_text(
        "Bogføringsdato;Kontostreng;Beløb;CPR\n"
        "01-02-2026;5385010100000140;100,00;0101704321\n"
        "01-02-2026;5385010100000140;100,00;3101-70432\n",
        encoding="utf-8",
    )
    result = import_sources(folder, f"duckdb:///{tmp_path / 'e.duckdb'}", VARDE)
    assert [str(p) for p in result.problems] == [
        "posteringer.csv, række 3, kolonne CPR: CPR-nummeret har ikke formatet DDMMÅÅ-XXXX"
    ]


def test_no_cpr_name_or_phone_anywhere_after_the_import(tmp_path, monkeypatch):
    """The CLI import (its output is the log), a leader's citizen list (the audit log), then a scan
    of the database file, the audit and state stores and the output for every secret."""
    url = f"duckdb:///{tmp_path / 'f.duckdb'}"
    logs = []
    for folder in (D1, D2, ECONOMY):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "cockpit",
                "import",
                str(folder),
                "--municipality",
                "573",
                "--database-url",
                url,
            ],  # fmt: skip
            cwd=db.ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        logs.append(run.stdout + run.stderr)
    leader = gateway.open_for(Principal("leder@test", "leder"), url, page="Borgere")
    rows = leader.citizen_rows("list_citizens", SCOPE)
    assert len(rows) > 0
    db.release(url)
    stores = [tmp_path / "f.duckdb"]
    for env in ("COCKPIT_AUDIT_URL", "COCKPIT_STATE_URL"):
        stores.append(Path(os.environ[env].removeprefix("sqlite:///")))
    assert secrets_in_tables(url) == set()
    for store in stores[1:]:
        assert secrets_in_tables(f"sqlite:///{store}") == set()
    blob = b"".join(p.read_bytes() for p in stores if p.exists()) + "".join(logs).encode()
    assert b"BG-" in blob  # the pseudonyms are there
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in blob, secret


def test_the_scan_finds_a_cpr_number_where_one_is_planted(tmp_path):
    """The scan above can fail: a CPR number written into a table is found."""
    url = f"duckdb:///{tmp_path / 'g.duckdb'}"
    load(url, D1)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("update goal set theme = '010170-4321' where goal_id = 'c1-goal'"))
    engine.dispose()
    assert secrets_in_tables(url) == {"010170-4321"}


def test_postings_replace_only_the_fiscal_years_in_the_file(tmp_path):
    url = f"duckdb:///{tmp_path / 'h.duckdb'}"
    first, second = tmp_path / "januar", tmp_path / "rettet"
    first.mkdir()
    second.mkdir()
    header = "Bogføringsdato;Kontostreng;Beløb;CPR;Regnskabsår\n"
    (first / "posteringer.csv").write_text(
        header + "15-12-2025;5385010100000140;100,00;0101704321;2025\n"
        "15-01-2026;5385010100000140;200,00;0101704321;2026\n"
        "20-01-2026;5385010100000140;300,00;0101704321;2026\n",
        encoding="utf-8",
    )
    (second / "posteringer.csv").write_text(
        header + "15-01-2026;5385010100000140;250,00;0101704321;2026\n", encoding="utf-8"
    )
    load(url, first, second)
    amounts = sorted(float(r[3]) for r in dump(url)["expense"])
    assert amounts == [100.0, 250.0]  # 2025 kept; 2026 replaced by the second file


def test_a_new_grant_extract_replaces_the_previous_one(tmp_path):
    url = f"duckdb:///{tmp_path / 'i.duckdb'}"
    load(url, ECONOMY)
    assert len(dump(url)["source_grant_extract"]) == 4
    newer = tmp_path / "ny"
    newer.mkdir()
    lines = (ECONOMY / "bevillinger.csv").read_text(encoding="utf-8").splitlines()
    (newer / "bevillinger.csv").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    load(url, newer)
    tables = dump(url)
    assert len(tables["source_grant_extract"]) == 1 and len(tables["grant"]) == 1
    assert len(tables["expense"]) == 10  # the postings stay, linked again to what remains


def test_economy_only_and_ffb_only_municipalities_get_their_figures(tmp_path):
    economy, social = f"duckdb:///{tmp_path / 'j.duckdb'}", f"duckdb:///{tmp_path / 'k.duckdb'}"
    only = tmp_path / "kun_oekonomi"
    only.mkdir()
    for name in ("posteringer.g69", "posteringer.csv", "finanskontoalias.csv"):
        shutil.copy(ECONOMY / name, only / name)
    load(economy, only)
    values = metrics.compute(["spend_ytd", "progression_share", "goal_attainment"], SCOPE, economy)
    assert values == {
        "spend_ytd": pytest.approx(224_001.0),
        "progression_share": None,
        "goal_attainment": None,
    }
    load(social, D1, D2)
    options = db.query("scope_options", {}, social)
    assert sorted(options.loc[options.municipality_code == VARDE, "year"]) == [2025, 2026]
    assert metrics.default_as_of(VARDE, 2026, social) == date(2026, 6, 10)  # newest follow-up
    values = metrics.compute(["progression_share", "spend_ytd"], SCOPE, social)
    assert values["progression_share"] == pytest.approx(1 / 3)


def test_a_resource_of_the_wrong_shape_is_a_named_problem_not_a_traceback(tmp_path):
    folder = tmp_path / "skaev"
    folder.mkdir()
    text = (D1 / "borger5.json").read_text(encoding="utf-8")
    (folder / "borger5.json").write_text(
        text.replace('"target": [', '"target": 7, "ignored": [', 1)
    )
    result = import_sources(folder, f"duckdb:///{tmp_path / 'l.duckdb'}", VARDE)
    assert [str(p) for p in result.problems] == [
        "borger5.json, kolonne entry[2] Goal/c5-goal: Ressourcen følger ikke FFB-profilen"
    ]


def test_source_files_without_a_municipality_are_refused(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cockpit",
            "import",
            str(ECONOMY),
            "--database-url",
            f"duckdb:///{tmp_path / 'm.duckdb'}",
        ],  # fmt: skip
        cwd=db.ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    assert "Fejl: Vælg kommunen, som kildefilerne hører til" in run.stderr
    assert "Importen blev afvist: 1 fejl. Databasen er uændret." in run.stderr
    assert not (tmp_path / "m.duckdb").exists()
