"""The command line as a user calls it: `python -m cockpit kpis ... --json` and its errors."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from cockpit import db, metrics


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cockpit", *args],
        cwd=db.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def small(tiny):
    tiny.add(
        "grant",
        {
            "grant_id": "G1",
            "citizen_id": "C1",
            "offer_type_code": "SEL108",
            "start_date": date(2023, 1, 1),
            "end_date": None,
            "monthly_price": 36600,
        },
    )
    tiny.add(
        "expense",
        {
            "expense_id": "E1",
            "posting_date": date(2024, 3, 31),
            "amount_dkk": 109800,
            "account_function": "5.38.50",
            "offer_type_code": "SEL108",
            "grant_id": "G1",
            "citizen_id": "C1",
        },
    )
    return tiny


def test_kpis_json_prints_every_catalogue_key(small):
    out = cli(
        "kpis", "--database-url", small.url, "--municipality", "999", "--year", "2024", "--json"
    )
    assert out.returncode == 0, out.stderr
    values = json.loads(out.stdout)
    assert set(values) == set(metrics.REGISTRY)
    # Reference date defaults to the latest posting, 31 March 2024 (day 91 of 366).
    assert values["spend_ytd"] == pytest.approx(109800)
    assert values["forecast_year_end"] == pytest.approx(109800 + 36600 * 12 / 366 * 275)
    assert values["citizens_active"] == 1
    assert values["staircase_distribution"] == {"5": 1.0}
    assert values["unit_cost"] == {"SEL108": pytest.approx(109800 / 91 * 366)}
    assert values["budget_corrected"] is None
    assert values["target_status"] == {}


def test_kpis_as_of(small):
    out = cli(
        "kpis", "--database-url", small.url, "--municipality", "999", "--year", "2024",
        "--as-of", "2024-02-29", "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["spend_ytd"] == 0


@pytest.mark.parametrize(
    "args",
    [
        ("--municipality", "999", "--year", "2024", "--as-of", "2024-13-01"),
        ("--municipality", "999", "--year", "2024", "--as-of", "2023-12-31"),
        ("--municipality", "abc", "--year", "2024"),
    ],
)
def test_bad_arguments_give_a_one_line_error(small, args):
    out = cli("kpis", "--database-url", small.url, *args, "--json")
    assert out.returncode != 0
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1
    assert out.stderr.startswith("fejl: ")


def test_missing_database_is_a_clear_error(tmp_path):
    out = cli(
        "kpis", "--database-url", f"duckdb:///{tmp_path / 'x.duckdb'}",
        "--municipality", "999", "--year", "2024",
    )  # fmt: skip
    assert out.returncode == 2
    assert "databasen kan ikke åbnes" in out.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_export_command_writes_what_import_reads(small, tmp_path):
    small.add("citizen", {"citizen_id": "C1", "birth_year": 1980, "target_group": "handicap"})
    folder = tmp_path / "udtraek"
    out = cli("export", str(folder), "--database-url", small.url, "--municipality", "999")
    assert out.returncode == 0, out.stderr
    assert "expense.csv: 1 rækker" in out.stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.csv" for t in db.TABLES)
    assert (folder / "expense.csv").read_text(encoding="utf-8").splitlines() == [
        "expense_id,municipality_code,posting_date,amount_dkk,account_function,offer_type_code,"
        "grant_id,citizen_id,offer_id",
        "E1,999,2024-03-31,109800.00,5.38.50,SEL108,G1,C1,",
    ]

    target = f"duckdb:///{tmp_path / 'kopi.duckdb'}"
    back = cli("import", str(folder), "--database-url", target)
    assert back.returncode == 0, back.stderr
    out = cli("kpis", "--database-url", target, "--municipality", "999", "--year", "2024", "--json")
    assert json.loads(out.stdout)["spend_ytd"] == pytest.approx(109800)


def test_export_of_a_missing_database_is_a_clear_error(tmp_path):
    out = cli(
        "export", str(tmp_path / "ud"), "--database-url", f"duckdb:///{tmp_path / 'x.duckdb'}"
    )
    assert out.returncode == 2
    assert "databasen kan ikke åbnes" in out.stderr
