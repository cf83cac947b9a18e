"""fetch-public against recorded StatBank answers (REGK31 from the real 5.38.45 extract), all or
nothing into the state store; without network a Danish message and nothing changed."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from test_state import store  # noqa: F401  (the state store on SQLite and PostgreSQL)

from cockpit import db, state
from cockpit.compare import public

RECORDED = Path(__file__).parent / "recordings" / "statbank"
NOW = datetime(2026, 12, 1, 9, 30)


def recorded(body: dict) -> str:
    """The recorded answer for the requested table."""
    return (RECORDED / f"{body['table']}.csv").read_text(encoding="utf-8")


def offline(body: dict) -> str:
    raise public.FetchFailed("Der er ingen forbindelse til Danmarks Statistik (api.statbank.dk).")


def args(years: int = 5) -> argparse.Namespace:
    return argparse.Namespace(years=years)


def test_requests_cover_the_last_five_years_for_all_municipalities():
    bodies = public.requests_for([2021, 2022, 2023, 2024, 2025])
    assert set(bodies) == {"REGK31", "FOLK1A", "HAND01"}
    regk = {v["code"]: v["values"] for v in bodies["REGK31"]["variables"]}
    assert regk["OMRÅDE"] == ["*"] and regk["Tid"] == ["2021", "2022", "2023", "2024", "2025"]
    assert "53845" in regk["FUNKTION"]
    folk = {v["code"]: v["values"] for v in bodies["FOLK1A"]["variables"]}
    assert folk["ALDER"][0] == "18" and folk["ALDER"][-1] == "64" and len(folk["ALDER"]) == 47


@pytest.mark.usefixtures("store")
def test_fetch_public_stores_the_recorded_figures(capsys):
    assert public.main(args(), get=recorded, now=lambda: NOW) == 0
    assert "Hentet fra Danmarks Statistik for 2021-2025" in capsys.readouterr().out
    latest = public.latest_spending(2026)
    by_code = dict(zip(latest["municipality_code"], latest["dkk_per_inhabitant"], strict=True))
    assert len(by_code) == 99  # Hele landet and the 98 municipalities
    assert by_code[public.NATIONAL] == 175  # the extract's "Hele landet"
    assert by_code[101] == 363  # København
    assert by_code[147] == 230  # Frederiksberg
    assert set(latest["year"]) == {2023}
    assert set(latest["source"]) == {"Danmarks Statistik, REGK31 (api.statbank.dk)"}
    assert str(latest["fetched_at"].iloc[0]).startswith("2026-12-01 09:30")
    with state.engine().connect() as conn:
        folk = dict(
            conn.exec_driver_sql(
                "select municipality_code, persons_18_64 from public_population"
            ).all()
        )
    assert folk == {0: 141000.0, 101: 13000.0, 825: 15.0}  # the ages summed; ".." is no number


@pytest.mark.usefixtures("store")
def test_without_network_nothing_changes(capsys):
    assert public.main(args(), get=recorded, now=lambda: NOW) == 0
    before = public.latest_spending(2026)
    assert public.main(args(), get=offline, now=lambda: NOW) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        "Offentlige tal blev ikke hentet: Der er ingen forbindelse til Danmarks Statistik "
        "(api.statbank.dk). Intet er ændret."
    )
    assert public.latest_spending(2026).equals(before)


@pytest.mark.usefixtures("store")
def test_an_unreadable_answer_changes_nothing():
    assert public.main(args(), get=recorded, now=lambda: NOW) == 0

    def broken(body: dict) -> str:
        return recorded(body) if body["table"] != "HAND01" else "<html>fejl</html>"

    assert public.main(args(), get=broken, now=lambda: NOW) == 1
    assert len(public.latest_spending(2026)) == 99


def test_cli_without_network_says_so_in_danish(tmp_path):
    # The build and test machines have no network: the real command must fail cleanly.
    env = {"COCKPIT_STATE_URL": f"sqlite:///{tmp_path / 'state.sqlite'}", "PATH": "/usr/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "cockpit", "fetch-public"],
        cwd=db.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "https_proxy": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"},
    )
    assert done.returncode == 1
    assert "Offentlige tal blev ikke hentet" in done.stderr
    assert "Intet er ændret." in done.stderr
    assert "Traceback" not in done.stderr
    assert json.dumps(done.stdout) == '""'
