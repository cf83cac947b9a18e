"""The app shell through Streamlit's AppTest: Overblik values as the user sees them, bad URL
parameters, a missing database, and the entrypoint kept away from the pages/ folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import as_role
from streamlit.testing.v1 import AppTest

from cockpit import db

APP = str(Path(db.ROOT) / "cockpit" / "app.py")


@pytest.fixture
def shell_db(tmp_path, monkeypatch):
    from conftest import TinyDb

    t = TinyDb(f"duckdb:///{tmp_path / 'shell.duckdb'}")
    t.add(
        "expense",
        {
            "expense_id": "E1",
            "posting_date": date(2024, 3, 31),
            "amount_dkk": 1234567.0,
            "account_function": "5.38.50",
            "offer_type_code": "SEL108",
        },
        {
            "expense_id": "E0",
            "posting_date": date(2023, 6, 30),
            "amount_dkk": 1.0,
            "account_function": "5.38.50",
            "offer_type_code": "SEL108",
        },
    )
    t.add(
        "budget",
        {"year": 2024, "offer_type_code": "SEL108", "original_dkk": 1e6, "corrected_dkk": 1e6},
    )
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    return t


def run(query: dict | None = None, role: str = "direktoer") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    as_role(at, role)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overblik_shows_danish_formatted_kpis(shell_db):
    at = run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Overblik"]
    shown = metrics(at)
    # Latest year 2024, reference date 31 March (day 91 of 366): the unlinked 1 234 567 kr.
    # is extrapolated over the 275 remaining days.
    assert shown["Forbrug år til dato"] == "1,2 mio. kr."
    assert shown["Korrigeret budget"] == "1,0 mio. kr."
    assert shown["Forventet regnskab"] == "5,0 mio. kr."  # 1 234 567 / 91 × 366 = 4 965 427
    assert shown["Forventet afvigelse"] == "4,0 mio. kr."
    assert shown["Borgere med aktiv bevilling"] == "0"
    assert shown["Kontraktdækning, eksterne køb"] == "–"
    assert at.query_params["kommune"] == "999"
    assert at.query_params["dato"] == "2024-03-31"


def test_metric_help_is_the_registry_definition(shell_db):
    at = run()
    from cockpit.metrics import REGISTRY

    helps = {m.label: m.proto.help for m in at.metric}
    assert helps["Forventet regnskab"] == REGISTRY["forecast_year_end"].definition


def test_bad_url_parameters_fall_back_to_defaults(shell_db):
    at = run({"kommune": "abc", "aar": "1800", "dato": "2024-99-01"})
    assert not at.exception
    assert at.query_params["kommune"] == "999"
    assert at.query_params["aar"] == "2024"
    assert at.query_params["dato"] == "2024-03-31"
    assert metrics(at)["Forbrug år til dato"] == "1,2 mio. kr."


def test_url_parameters_choose_the_scope(shell_db):
    at = run({"kommune": "999", "aar": "2023", "dato": "2023-12-31"})
    assert not at.exception
    assert at.query_params["aar"] == "2023"
    assert metrics(at)["Forbrug år til dato"] == "1 kr."


def test_missing_database_gives_a_helpful_page(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_DATABASE_URL", f"duckdb:///{tmp_path / 'nope.duckdb'}")
    at = run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Databasen mangler"]
    assert "make run" in at.markdown[0].value
    assert not (tmp_path / "nope.duckdb").exists()


def test_entrypoint_is_not_next_to_the_pages_folder():
    # Streamlit auto-discovers a pages/ folder beside the entrypoint, which would let a deep link
    # run a page without login or role check.
    assert not (Path(APP).parent / "pages").exists()
    assert (Path(db.ROOT) / "pages").is_dir()


def test_pure_modules_do_not_import_streamlit():
    for name in (
        "metrics/registry",
        "metrics/compute",
        "periods",
        "present/fmt",
        "present/charts",
        "db",
        "cache",
        "auth",
        "access/gateway",
    ):
        source = (Path(db.ROOT) / "cockpit" / f"{name}.py").read_text(encoding="utf-8")
        assert "import streamlit" not in source, name


def test_overblik_links_onward_only_to_the_roles_pages(shell_db):
    politician = [link.label for link in run(role="politiker").get("page_link")]
    assert politician == ["Politiske mål og indsatstrappen"]
    leader = [link.label for link in run(role="leder").get("page_link")]
    assert leader == [
        "Politiske mål og indsatstrappen",
        "Prognose og afvigelser",
        "Tilpasningssignaler",
        "Opfølgninger over tid",
        "Kontrakter",
    ]


def test_a_kpi_whose_tables_were_not_loaded_says_what_it_needs(shell_db):
    # The municipality's load status lists expense and budget only: a KPI that needs grants or
    # follow-ups says so instead of showing 0.
    shell_db.add(
        "data_load",
        *[
            {
                "table_name": table,
                "loaded_at": date(2024, 4, 1),
                "data_date": date(2024, 3, 31),
                "source": "Import",
                "row_count": 2,
            }
            for table in ("expense", "budget")
        ],
    )
    shown = metrics(run())
    assert shown["Forbrug år til dato"] == "1,2 mio. kr."
    assert shown["Korrigeret budget"] == "1,0 mio. kr."
    assert shown["Forventet regnskab"] == "Kræver bevillinger"
    assert shown["Opfølgninger over tid"] == "Kræver bevillinger, opfølgninger"
    assert shown["Borgere med aktiv bevilling"] == "Kræver bevillinger"
