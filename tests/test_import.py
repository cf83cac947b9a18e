"""Importer and exporter: every format, a corpus of malformed extracts, round trips, PostgreSQL.

Each malformed case breaks one thing, checks the Danish message and that no table changed."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import tracemalloc
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from cockpit import db
from cockpit.export import export_folder
from cockpit.ingest import CONTRACT, ImportResult, Problem, import_folder, readers, write
from cockpit.ingest.contract import FACT_TABLES, OFFER_TYPES_CSV
from cockpit.ingest.parse import parse_date, parse_number
from cockpit.ingest.privacy import looks_like_cpr

Tables = dict[str, list[dict[str, str]]]
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"


# ---------------------------------------------------------------------------------------------
# A small valid extract


def _rows(columns: str, *values: tuple[str, ...]) -> list[dict[str, str]]:
    return [dict(zip(columns.split(), v, strict=True)) for v in values]


def dataset(code: int, tag: str = "a") -> Tables:
    """One municipality's valid extract, every value as the text a CSV file holds."""
    c, p = str(code), f"{tag}{code}-"
    return {
        "population": _rows(
            "municipality_code year age_group persons",
            (c, "2024", "18-64", "30000"),
            (c, "2024", "65+", "9000"),
        ),
        "offer": _rows(
            "offer_id municipality_code name owner_type location_municipality_code places "
            "offer_type_code",
            (p + "O1", c, "Bofællesskabet Engely", "own", c, "12", "SEL108"),
            (p + "O2", c, "Støttecentret Å", "private", "", "", "SEL85"),
        ),
        "citizen": _rows(
            "citizen_id municipality_code birth_year target_group",
            (p + "C1", c, "1980", "handicap"),
            (p + "C2", c, "1995", "psykiatri"),
            (p + "C3", c, "1970", "udsat"),
        ),
        "decision": _rows(
            "decision_id municipality_code citizen_id offer_type_code application_date "
            "decision_date kind outcome decided_by",
            (
                p + "D1",
                c,
                p + "C1",
                "SEL108",
                "2024-01-05",
                "2024-01-20",
                "new",
                "granted",
                "committee",
            ),
            (
                p + "D2",
                c,
                p + "C2",
                "SEL85",
                "2024-02-01",
                "2024-02-10",
                "new",
                "granted",
                "caseworker",
            ),
            (
                p + "D3",
                c,
                p + "C3",
                "SEL107",
                "2024-03-01",
                "2024-03-15",
                "new",
                "rejected",
                "leader",
            ),
        ),
        "grant": _rows(
            "grant_id municipality_code citizen_id decision_id offer_type_code offer_id start_date "
            "end_date monthly_price weekly_hours next_followup_date",
            (
                p + "G1",
                c,
                p + "C1",
                p + "D1",
                "SEL108",
                p + "O1",
                "2024-02-01",
                "",
                "45000.50",
                "",
                "2024-08-01",
            ),
            (
                p + "G2",
                c,
                p + "C2",
                p + "D2",
                "SEL85",
                p + "O2",
                "2024-02-15",
                "2024-12-31",
                "8200",
                "5.5",
                "",
            ),
            (p + "G3", c, p + "C1", "", "SEL104", "", "2024-03-01", "", "3000", "", ""),
        ),
        "contract": _rows(
            "contract_id municipality_code grant_id template valid_from valid_to monthly_price "
            "has_goals_annex renegotiate_by",
            (
                p + "K1",
                c,
                p + "G1",
                "kl_standard",
                "2024-02-01",
                "",
                "45000.50",
                "true",
                "2025-02-01",
            ),
            (p + "K2", c, p + "G2", "other", "2024-02-15", "2024-12-31", "8200", "false", ""),
        ),
        "expense": _rows(
            "expense_id municipality_code posting_date amount_dkk account_function offer_type_code "
            "grant_id citizen_id offer_id",
            (
                p + "E1",
                c,
                "2024-02-29",
                "45000.50",
                "5.38.50",
                "SEL108",
                p + "G1",
                p + "C1",
                p + "O1",
            ),
            (
                p + "E2",
                c,
                "2024-03-31",
                "45000.50",
                "5.38.50",
                "SEL108",
                p + "G1",
                p + "C1",
                p + "O1",
            ),
            (p + "E3", c, "2024-03-31", "8200", "5.38.38", "SEL85", p + "G2", p + "C2", p + "O2"),
            (
                p + "E4",
                c,
                "2024-04-30",
                "-1200.25",
                "5.38.38",
                "SEL85",
                p + "G2",
                p + "C2",
                p + "O2",
            ),
            (p + "E5", c, "2024-05-15", "999.99", "5.38.59", "SEL104", "", "", ""),
        ),
        "budget": _rows(
            "municipality_code year offer_type_code original_dkk corrected_dkk",
            (c, "2024", "SEL108", "1000000", "1100000.50"),
            (c, "2024", "SEL85", "500000", "480000"),
        ),
        "goal": _rows(
            "goal_id municipality_code citizen_id grant_id theme goal_type baseline_level "
            "target_level set_on target_date",
            (
                p + "M1",
                c,
                p + "C1",
                p + "G1",
                "egenomsorg",
                "develop",
                "3",
                "2",
                "2024-02-01",
                "2024-12-31",
            ),
            (p + "M2", c, p + "C2", p + "G2", "relationer", "maintain", "2", "2", "2024-02-15", ""),
        ),
        "assessment": _rows(
            "municipality_code citizen_id theme assessed_on level",
            (c, p + "C1", "egenomsorg", "2024-02-01", "3"),
            (c, p + "C1", "egenomsorg", "2024-08-01", "2"),
            (c, p + "C2", "relationer", "2024-02-15", "2"),
        ),
        "followup": _rows(
            "followup_id municipality_code grant_id planned_date performed_date result",
            (p + "F1", c, p + "G1", "2024-08-01", "2024-08-03", "continue"),
            (p + "F2", c, p + "G2", "2024-06-01", "", ""),
        ),
        "strategy_target": _rows(
            "municipality_code kpi_key year target_value adopted_on note",
            (c, "share_own_home", "2024", "0.65", "2023-12-10", "Flere skal bo i eget hjem"),
        ),
    }


def merged(*extracts: Tables) -> Tables:
    return {t: [r for e in extracts for r in e.get(t, [])] for t in extracts[0]}


def write_csv(
    path: Path, rows: list[dict[str, str]], sep: str = ",", encoding: str = "utf-8"
) -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r)) or [
        c.name for c in CONTRACT[path.stem]
    ]
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=sep, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([r.get(k, "") for k in header] for r in rows)
    return path


def write_folder(folder: Path, tables: Tables, sep: str = ",", encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        write_csv(folder / f"{table}.csv", rows, sep, encoding)
    return folder


def typed_frame(table: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    """The text rows converted to the contract's types, as a Parquet or Excel user would have them."""
    frame = pd.DataFrame(rows, columns=[c.name for c in CONTRACT[table]], dtype="str")
    for col in CONTRACT[table]:
        s = frame[col.name].replace("", None)
        if col.type == "date":
            frame[col.name] = pd.to_datetime(s)
        elif col.type in ("int", "level"):
            frame[col.name] = pd.to_numeric(s).astype("Int64")
        elif col.type in ("dkk", "num"):
            frame[col.name] = pd.to_numeric(s).astype("float64")
        elif col.type == "bool":
            frame[col.name] = s.map({"true": True, "false": False}).astype("boolean")
    return frame


# ---------------------------------------------------------------------------------------------
# Databases and checksums


def duck(path: Path) -> str:
    return f"duckdb:///{path}"


def checksums(url: str, ignore_loaded_at: bool = False) -> dict[str, str]:
    """A digest of every row of every contract table plus data_load ('-' for a missing table)."""
    path = db.duckdb_path(url)
    if path is not None and not path.exists():
        return {t: "-" for t in (*db.TABLES, "data_load")}
    engine = db.writable_engine(url)
    out: dict[str, str] = {}
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            for table in (*db.TABLES, "data_load"):
                if not inspector.has_table(table):
                    out[table] = "-"
                    continue
                result = conn.execute(sa.text(f'select * from "{table}"'))  # noqa: S608
                names = list(result.keys())
                rows = sorted(
                    repr(
                        [
                            (k, _norm(v))
                            for k, v in zip(names, r, strict=True)
                            if k != "loaded_at" or not ignore_loaded_at
                        ]
                    )
                    for r in result
                )
                out[table] = (
                    hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16] + f"/{len(rows)}"
                )
    finally:
        engine.dispose()
    return out


def _norm(v: object) -> object:
    if isinstance(v, Decimal):
        return format(v.quantize(Decimal("0.01")), "f")
    if isinstance(v, float):
        return round(v, 9)
    return v


def fetch(url: str, sql: str, **params: object) -> list[tuple]:
    engine = db.writable_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def must_import(folder: Path | list[Path], url: str) -> ImportResult:
    result = import_folder(folder, url)
    assert result.ok, "\n".join(str(p) for p in result.problems)
    return result


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file holding Copenhagen (101) and Varde (573)."""
    root = tmp_path_factory.mktemp("base")
    path = root / "base.duckdb"
    must_import(write_folder(root / "extract", merged(dataset(101), dataset(573))), duck(path))
    return path


@pytest.fixture
def populated(base_db: Path, tmp_path: Path) -> str:
    """A private copy of the populated database, as a URL."""
    target = tmp_path / "cockpit.duckdb"
    shutil.copy(base_db, target)
    return duck(target)


# ---------------------------------------------------------------------------------------------
# The malformed corpus: each case breaks one thing in Varde's new extract


@dataclass
class Case:
    id: str
    expected: str  # must be contained in one problem's str()
    change: Callable[[Tables], None] | None = None
    after: Callable[[Path], None] | None = None  # edits the written folder


def _set(table: str, index: int, column: str, value: str) -> Callable[[Tables], None]:
    def change(t: Tables) -> None:
        t[table][index][column] = value

    return change


def _drop_column(table: str, column: str) -> Callable[[Tables], None]:
    def change(t: Tables) -> None:
        for r in t[table]:
            del r[column]

    return change


def _duplicate(table: str, index: int, of: int, column: str) -> Callable[[Tables], None]:
    def change(t: Tables) -> None:
        t[table][index][column] = t[table][of][column]

    return change


def _with_offer_types(category: str = "bolig", duplicate: bool = False) -> Callable[[Tables], None]:
    def change(t: Tables) -> None:
        frame = pd.read_csv(OFFER_TYPES_CSV, dtype="str", keep_default_na=False)
        rows = frame.to_dict("records")
        rows[0]["category"] = category
        if duplicate:
            rows[2]["offer_type_code"] = rows[1]["offer_type_code"]
        t["offer_type"] = rows

    return change


def _with_municipality_file(t: Tables) -> None:
    t["municipality"] = _rows(
        "municipality_code name region",
        ("573", "Varde", "Region Syddanmark"),
        ("573", "Varde Kommune", "Region Syddanmark"),
    )


def _extra_column(table: str, column: str, values: dict[int, str]) -> Callable[[Tables], None]:
    def change(t: Tables) -> None:
        for i, r in enumerate(t[table]):
            r[column] = values.get(i, "")

    return change


def _append_line(name: str, line: bytes) -> Callable[[Path], None]:
    def after(folder: Path) -> None:
        with (folder / name).open("ab") as f:
            f.write(line)

    return after


def _replace_header(name: str, header: str) -> Callable[[Path], None]:
    def after(folder: Path) -> None:
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        (folder / name).write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")

    return after


def _write_bytes(name: str, data: bytes, remove: str | None = None) -> Callable[[Path], None]:
    def after(folder: Path) -> None:
        (folder / name).write_bytes(data)
        if remove:
            (folder / remove).unlink()

    return after


def _also_parquet(table: str) -> Callable[[Path], None]:
    def after(folder: Path) -> None:
        pd.read_csv(folder / f"{table}.csv", dtype="str").to_parquet(folder / f"{table}.parquet")

    return after


def _without(*tables: str) -> Callable[[Tables], None]:
    def change(t: Tables) -> None:
        for table in tables:
            del t[table]

    return change


def _only(*tables: str) -> Callable[[Tables], None]:
    def change(t: Tables) -> None:
        for table in [k for k in t if k not in tables]:
            del t[table]

    return change


def _header_only(table: str) -> Callable[[Tables], None]:
    def change(t: Tables) -> None:
        t[table] = []

    return change


NOT_ALLOWED = "er ikke tilladt; brug en af:"
IN_DB = "i databasen, og {0} er ikke med i importen (kommune 573)"

CASES = [
    Case(
        "missing_required_column",
        "grant.csv, kolonne start_date: Kolonnen start_date mangler",
        _drop_column("grant", "start_date"),
    ),
    Case(
        "impossible_date",
        "grant.csv, række 3, kolonne start_date: Datoen '31-02-2024' kan ikke læses",
        _set("grant", 1, "start_date", "31-02-2024"),
    ),
    Case(
        "garbage_date",
        "decision.csv, række 2, kolonne decision_date: Datoen 'snart' kan ikke læses",
        _set("decision", 0, "decision_date", "snart"),
    ),
    Case(
        "date_out_of_range",
        "expense.csv, række 4, kolonne posting_date: Datoen 01-01-1850 ligger uden for 1900-2100",
        _set("expense", 2, "posting_date", "01-01-1850"),
    ),
    Case(
        "grant_end_before_start",
        "grant.csv, række 2, kolonne end_date: Slutdatoen 2024-01-01 ligger før startdatoen 2024-02-01",
        _set("grant", 0, "end_date", "2024-01-01"),
    ),
    Case(
        "contract_end_before_start",
        "contract.csv, række 3, kolonne valid_to: Slutdatoen 2024-01-31 ligger før startdatoen "
        "2024-02-15",
        _set("contract", 1, "valid_to", "31-01-2024"),
    ),
    Case(
        "decision_before_application",
        "decision.csv, række 4, kolonne decision_date: Afgørelsesdatoen 2024-02-01 ligger før "
        "ansøgningsdatoen 2024-03-01",
        _set("decision", 2, "decision_date", "2024-02-01"),
    ),
    Case(
        "assessment_level_above_4",
        "assessment.csv, række 3, kolonne level: Niveauet 5 ligger uden for 0-4",
        _set("assessment", 1, "level", "5"),
    ),
    Case(
        "goal_level_negative",
        "goal.csv, række 2, kolonne target_level: Niveauet -1 ligger uden for 0-4",
        _set("goal", 0, "target_level", "-1"),
    ),
    Case(
        "goal_level_not_a_number",
        "goal.csv, række 3, kolonne baseline_level: Niveauet 'høj' er ikke et helt tal mellem 0 og 4",
        _set("goal", 1, "baseline_level", "høj"),
    ),
    Case(
        "price_not_a_number",
        "grant.csv, række 4, kolonne monthly_price: Beløbet 'abc' kan ikke læses som et tal",
        _set("grant", 2, "monthly_price", "abc"),
    ),
    Case(
        "amount_misgrouped",
        "expense.csv, række 2, kolonne amount_dkk: Beløbet '12,34,56' kan ikke læses som et tal",
        _set("expense", 0, "amount_dkk", "12,34,56"),
    ),
    Case(
        "target_value_nan",
        "strategy_target.csv, række 2, kolonne target_value: Tallet 'NaN' kan ikke læses",
        _set("strategy_target", 0, "target_value", "NaN"),
    ),
    Case(
        "birth_year_not_whole",
        "citizen.csv, række 2, kolonne birth_year: Værdien '1980,5' er ikke et helt tal",
        _set("citizen", 0, "birth_year", "1980,5"),
    ),
    Case(
        "year_out_of_range",
        "budget.csv, række 3, kolonne year: Værdien 20244 ligger uden for 1900-2100",
        _set("budget", 1, "year", "20244"),
    ),
    Case(
        "weekly_hours_above_a_week",
        "grant.csv, række 3, kolonne weekly_hours: Værdien 200 ligger uden for 0-168",
        _set("grant", 1, "weekly_hours", "200"),
    ),
    Case(
        "required_value_empty",
        "citizen.csv, række 4, kolonne birth_year: Værdien mangler; kolonnen skal udfyldes",
        _set("citizen", 2, "birth_year", ""),
    ),
    Case(
        "unknown_offer_type_in_grant",
        "grant.csv, række 4, kolonne offer_type_code: Indsatstypen 'SEL999' findes ikke i offer_type",
        _set("grant", 2, "offer_type_code", "SEL999"),
    ),
    Case(
        "unknown_offer_type_in_budget",
        "budget.csv, række 2, kolonne offer_type_code: Indsatstypen 'sel108' findes ikke",
        _set("budget", 0, "offer_type_code", "sel108"),
    ),
    Case(
        "unknown_municipality",
        "citizen.csv, række 2, kolonne municipality_code: Kommunekoden 999 findes ikke",
        _set("citizen", 0, "municipality_code", "999"),
    ),
    Case(
        "unknown_location_municipality",
        "offer.csv, række 2, kolonne location_municipality_code: Kommunekoden 998 findes ikke",
        _set("offer", 0, "location_municipality_code", "998"),
    ),
    Case(
        "duplicate_grant_id",
        "grant.csv, række 4, kolonne grant_id: Nøglen (municipality_code=573, grant_id=n573-G1) "
        "findes også i række 2",
        _duplicate("grant", 2, 0, "grant_id"),
    ),
    Case(
        "duplicate_expense_id",
        "expense.csv, række 6, kolonne expense_id: Nøglen (municipality_code=573, "
        "expense_id=n573-E2) findes også i række 3",
        _duplicate("expense", 4, 1, "expense_id"),
    ),
    Case(
        "duplicate_population_key",
        "population.csv, række 3, kolonne year, age_group: Nøglen (municipality_code=573, "
        "year=2024, age_group=18-64) findes også i række 2",
        _set("population", 1, "age_group", "18-64"),
    ),
    Case(
        "duplicate_assessment_key",
        "assessment.csv, række 3, kolonne citizen_id, theme, assessed_on: Nøglen",
        _set("assessment", 1, "assessed_on", "01-02-2024"),
    ),
    Case(
        "duplicate_municipality_row",
        "municipality.csv, række 3, kolonne municipality_code: Nøglen (municipality_code=573) "
        "findes også i række 2",
        _with_municipality_file,
    ),
    Case(
        "duplicate_offer_type_row",
        "offer_type.csv, række 4, kolonne offer_type_code: Nøglen (offer_type_code=SEL85) findes "
        "også i række 3",
        _with_offer_types(duplicate=True),
    ),
    Case(
        "cpr_with_dash_as_citizen_id",
        "citizen.csv, række 3, kolonne citizen_id: Værdien ligner et CPR-nummer, og CPR-numre må "
        "ikke indlæses",
        _set("citizen", 1, "citizen_id", "010190-1234"),
    ),
    Case(
        "cpr_ten_digits_in_unknown_column",
        "expense.csv, række 4, kolonne kommentar: Værdien ligner et CPR-nummer",
        _extra_column("expense", "kommentar", {2: "Borger 0101901234 ringede"}),
    ),
    Case(
        "cpr_inside_note",
        "strategy_target.csv, række 2, kolonne note: Værdien ligner et CPR-nummer",
        _set("strategy_target", 0, "note", "Aftalt med 311299-4321 i byrådet"),
    ),
    Case(
        "cpr_in_date_column",
        "grant.csv, række 2, kolonne next_followup_date: Værdien ligner et CPR-nummer",
        _set("grant", 0, "next_followup_date", "2902881234"),
    ),
    Case(
        "cpr_with_spaces_in_offer_name",
        "offer.csv, række 2, kolonne name: Værdien ligner et CPR-nummer",
        _set("offer", 0, "name", "Engely 010190 1234"),
    ),
    Case(
        "cpr_with_dots_in_theme",
        "goal.csv, række 3, kolonne theme: Værdien ligner et CPR-nummer",
        _set("goal", 1, "theme", "01.01.90-1234"),
    ),
    Case(
        "cpr_grouped_in_pairs_in_unknown_column",
        "citizen.csv, række 2, kolonne note: Værdien ligner et CPR-nummer",
        _extra_column("citizen", "note", {0: "ring til 01 01 90 1234"}),
    ),
    Case(
        "nul_byte_in_offer_name",
        "offer.csv, række 3, kolonne name: Værdien indeholder et NUL-tegn (tegnkode 0)",
        _set("offer", 1, "name", "Støtte\x00centret"),
    ),
    Case(
        "nul_byte_in_unknown_column",
        "expense.csv, række 2, kolonne bilag: Værdien indeholder et NUL-tegn",
        _extra_column("expense", "bilag", {0: "\x00\x00"}),
    ),
    Case(
        "csv_saved_as_utf16",
        "citizen.csv: Overskriften indeholder et NUL-tegn (tegnkode 0); filen er måske gemt som "
        "UTF-16: gem den som 'CSV UTF-8'",
        after=_write_bytes(
            "citizen.csv",
            "citizen_id,municipality_code,birth_year,target_group\r\n"
            "n573-C1,573,1980,handicap\r\n".encode("utf-16"),
        ),
    ),
    Case(
        "unknown_citizen_in_grant",
        "grant.csv, række 2, kolonne citizen_id: Nøglen citizen_id 'n573-C9' findes ikke i "
        "citizen.csv (kommune 573)",
        _set("grant", 0, "citizen_id", "n573-C9"),
    ),
    Case(
        "citizen_of_another_municipality_in_grant",
        "grant.csv, række 3, kolonne citizen_id: Nøglen citizen_id 'a101-C2' findes ikke i "
        "citizen.csv (kommune 573)",
        _set("grant", 1, "citizen_id", "a101-C2"),
    ),
    Case(
        "unknown_offer_in_grant",
        "grant.csv, række 3, kolonne offer_id: Nøglen offer_id 'n573-O9' findes ikke i offer.csv",
        _set("grant", 1, "offer_id", "n573-O9"),
    ),
    Case(
        "unknown_decision_in_grant",
        "grant.csv, række 2, kolonne decision_id: Nøglen decision_id 'n573-D9' findes ikke i "
        "decision.csv",
        _set("grant", 0, "decision_id", "n573-D9"),
    ),
    Case(
        "unknown_citizen_in_decision",
        "decision.csv, række 4, kolonne citizen_id: Nøglen citizen_id 'n573-C9' findes ikke",
        _set("decision", 2, "citizen_id", "n573-C9"),
    ),
    Case(
        "unknown_grant_in_contract",
        "contract.csv, række 3, kolonne grant_id: Nøglen grant_id 'n573-G9' findes ikke i grant.csv",
        _set("contract", 1, "grant_id", "n573-G9"),
    ),
    Case(
        "unknown_grant_in_expense",
        "expense.csv, række 2, kolonne grant_id: Nøglen grant_id 'n573-G9' findes ikke i grant.csv",
        _set("expense", 0, "grant_id", "n573-G9"),
    ),
    Case(
        "unknown_citizen_in_expense",
        "expense.csv, række 4, kolonne citizen_id: Nøglen citizen_id 'n573-C9' findes ikke",
        _set("expense", 2, "citizen_id", "n573-C9"),
    ),
    Case(
        "unknown_offer_in_expense",
        "expense.csv, række 5, kolonne offer_id: Nøglen offer_id 'n573-O9' findes ikke i offer.csv",
        _set("expense", 3, "offer_id", "n573-O9"),
    ),
    Case(
        "unknown_grant_in_followup",
        "followup.csv, række 3, kolonne grant_id: Nøglen grant_id 'n573-G9' findes ikke",
        _set("followup", 1, "grant_id", "n573-G9"),
    ),
    Case(
        "unknown_citizen_in_goal",
        "goal.csv, række 2, kolonne citizen_id: Nøglen citizen_id 'n573-C9' findes ikke",
        _set("goal", 0, "citizen_id", "n573-C9"),
    ),
    Case(
        "unknown_grant_in_goal",
        "goal.csv, række 3, kolonne grant_id: Nøglen grant_id 'n573-G9' findes ikke i grant.csv",
        _set("goal", 1, "grant_id", "n573-G9"),
    ),
    Case(
        "unknown_citizen_in_assessment",
        "assessment.csv, række 4, kolonne citizen_id: Nøglen citizen_id 'n573-C9' findes ikke",
        _set("assessment", 2, "citizen_id", "n573-C9"),
    ),
    Case(
        "header_only_citizen_file",
        "grant.csv, række 2, kolonne citizen_id: Nøglen citizen_id 'n573-C1' findes ikke i "
        "citizen.csv (kommune 573)",
        _header_only("citizen"),
    ),
    Case(
        "citizens_neither_imported_nor_in_the_database",
        "grant.csv, række 2, kolonne citizen_id: Nøglen citizen_id 'n573-C1' findes ikke i "
        "tabellen citizen " + IN_DB.format("citizen"),
        _without("citizen"),
    ),
    Case(
        "imported_citizens_drop_what_kept_grants_refer_to",
        "citizen.csv, kolonne citizen_id: Nøglen citizen_id 'a573-C1' mangler (kommune 573): "
        "rækker i tabellen grant i databasen henviser til den, og grant er ikke med i importen",
        _only("citizen"),
    ),
    Case(
        "imported_grants_drop_what_kept_expenses_refer_to",
        "grant.csv, kolonne grant_id: Nøglen grant_id 'a573-G1' mangler (kommune 573): rækker i "
        "tabellen expense i databasen henviser til den",
        _only("grant", "citizen", "decision", "offer"),
    ),
    Case(
        "owner_type_outside_contract",
        f"offer.csv, række 2, kolonne owner_type: Værdien 'kommunal' {NOT_ALLOWED} own, "
        "other_municipality, region, private",
        _set("offer", 0, "owner_type", "kommunal"),
    ),
    Case(
        "target_group_outside_contract",
        f"citizen.csv, række 3, kolonne target_group: Værdien 'ældre' {NOT_ALLOWED}",
        _set("citizen", 1, "target_group", "ældre"),
    ),
    Case(
        "kind_outside_contract",
        f"decision.csv, række 2, kolonne kind: Værdien 'ny' {NOT_ALLOWED}",
        _set("decision", 0, "kind", "ny"),
    ),
    Case(
        "outcome_outside_contract",
        f"decision.csv, række 3, kolonne outcome: Værdien 'bevilget' {NOT_ALLOWED}",
        _set("decision", 1, "outcome", "bevilget"),
    ),
    Case(
        "decided_by_outside_contract",
        f"decision.csv, række 4, kolonne decided_by: Værdien 'chef' {NOT_ALLOWED}",
        _set("decision", 2, "decided_by", "chef"),
    ),
    Case(
        "goal_type_outside_contract",
        f"goal.csv, række 2, kolonne goal_type: Værdien 'improve' {NOT_ALLOWED}",
        _set("goal", 0, "goal_type", "improve"),
    ),
    Case(
        "template_outside_contract",
        f"contract.csv, række 3, kolonne template: Værdien 'egen' {NOT_ALLOWED}",
        _set("contract", 1, "template", "egen"),
    ),
    Case(
        "category_outside_contract",
        f"offer_type.csv, række 2, kolonne category: Værdien 'bo' {NOT_ALLOWED}",
        _with_offer_types(category="bo"),
    ),
    Case(
        "age_group_outside_contract",
        f"population.csv, række 2, kolonne age_group: Værdien '18-65' {NOT_ALLOWED}",
        _set("population", 0, "age_group", "18-65"),
    ),
    Case(
        "result_outside_contract",
        f"followup.csv, række 2, kolonne result: Værdien 'stop' {NOT_ALLOWED}",
        _set("followup", 0, "result", "stop"),
    ),
    Case(
        "boolean_not_understood",
        "contract.csv, række 2, kolonne has_goals_annex: Værdien 'måske' er ikke sand/falsk",
        _set("contract", 0, "has_goals_annex", "måske"),
    ),
    Case(
        "negative_places",
        "offer.csv, række 2, kolonne places: Værdien -3 ligger uden for 0-1.000.000",
        _set("offer", 0, "places", "-3"),
    ),
    Case(
        "row_with_too_many_fields",
        "citizen.csv, række 5: Rækken har 5 felter, men overskriften har 4",
        after=_append_line("citizen.csv", b"n573-C9,573,1990,udsat,ekstra\r\n"),
    ),
    Case(
        "row_with_too_few_fields",
        "citizen.csv, række 5: Rækken har 2 felter, men overskriften har 4",
        after=_append_line("citizen.csv", b"n573-C9,573\r\n"),
    ),
    Case(
        "column_twice_in_header",
        "citizen.csv, kolonne birth_year: Kolonnen står mere end én gang i overskriften",
        after=_replace_header("citizen.csv", "citizen_id,municipality_code,birth_year,birth_year"),
    ),
    Case(
        "same_table_twice",
        "grant.parquet: Tabellen grant findes også i grant.csv",
        after=_also_parquet("grant"),
    ),
    Case(
        "old_excel_format",
        "grant.xls: Filtypen .xls kan ikke læses",
        after=_write_bytes("grant.xls", b"\xd0\xcf\x11\xe0 old excel", remove="grant.csv"),
    ),
    Case(
        "damaged_xlsx",
        "citizen.xlsx: Filen kan ikke læses som Excel",
        after=_write_bytes("citizen.xlsx", b"PK\x03\x04 not really a zip", remove="citizen.csv"),
    ),
    Case(
        "damaged_parquet",
        "goal.parquet: Filen kan ikke læses som Parquet",
        after=_write_bytes("goal.parquet", b"PAR1 broken", remove="goal.csv"),
    ),
    Case(
        "empty_file",
        "expense.csv: Filen er tom",
        after=_write_bytes("expense.csv", b""),
    ),
    Case(
        "neither_utf8_nor_cp1252",
        "offer.csv: Filen kan ikke læses som UTF-8 eller Windows-1252",
        after=_append_line("offer.csv", b"n573-O9,573,Bo\x81,own,,,SEL108\r\n"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_extract_is_refused_and_changes_nothing(
    case: Case, populated: str, tmp_path: Path
) -> None:
    tables = dataset(573, "n")
    if case.change:
        case.change(tables)
    folder = write_folder(tmp_path / "extract", tables)
    if case.after:
        case.after(folder)
    before = checksums(populated)

    result = import_folder(folder, populated)

    messages = [str(p) for p in result.problems]
    assert result.ok is False
    assert any(case.expected in m for m in messages), "\n".join(messages)
    assert checksums(populated) == before
    secrets = ("010190", "0101901234", "311299", "290288", "01.01.90", "01 01 90", "\x00")
    assert not any(v in m for m in messages for v in secrets)


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25


# ---------------------------------------------------------------------------------------------
# Valid extracts in every shape


def _danish(tables: Tables) -> Tables:
    """As Danish Excel writes it: DD-MM-YYYY, decimal comma, thousands dots, ja/nej, æøå."""
    t = {k: [dict(r) for r in v] for k, v in tables.items()}
    for table, rows in t.items():
        for r in rows:
            for col in CONTRACT[table]:
                v = r.get(col.name, "")
                if not v:
                    continue
                if col.type == "date":
                    y, m, d = v.split("-")
                    r[col.name] = f"{d}-{m}-{y}"
                elif col.type == "bool":
                    r[col.name] = {"true": "ja", "false": "nej"}[v]
                elif col.type in ("dkk", "num"):
                    r[col.name] = f"{float(v):,.2f}".translate(str.maketrans(",.", ".,"))
    t["offer"][0]["name"] = "Bofællesskabet Æblegården"
    t["offer"][1]["name"] = "Støttecentret Ø"
    return t


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_danish_excel_csv_loads(encoding: str, tmp_path: Path) -> None:
    url = duck(tmp_path / "new.duckdb")
    folder = write_folder(tmp_path / "x", _danish(dataset(573)), sep=";", encoding=encoding)
    assert "45.000,50" in (folder / "grant.csv").read_bytes().decode(encoding)

    result = must_import(folder, url)

    assert result.municipalities == [573]
    assert result.rows["expense"] == 5
    names = fetch(url, "select name from offer order by offer_id")
    assert names == [("Bofællesskabet Æblegården",), ("Støttecentret Ø",)]
    grant = fetch(
        url,
        'select start_date, end_date, monthly_price, weekly_hours from "grant" order by grant_id',
    )
    assert grant[0] == (date(2024, 2, 1), None, Decimal("45000.50"), None)
    assert grant[1] == (date(2024, 2, 15), date(2024, 12, 31), Decimal("8200.00"), Decimal("5.50"))
    assert fetch(url, "select has_goals_annex from contract order by contract_id") == [
        (True,),
        (False,),
    ]
    assert fetch(url, "select sum(amount_dkk) from expense")[0][0] == Decimal("98000.74")
    assert fetch(url, "select target_value from strategy_target") == [(0.65,)]
    assert fetch(url, "select name from municipality") == [("Varde",)]
    assert fetch(url, "select count(*) from offer_type")[0][0] == 11  # defaults seeded


def test_quoted_values_and_tab_separator(tmp_path: Path) -> None:
    tables = dataset(573)
    tables["offer"][0]["name"] = "Bofællesskabet; Engely\nafd. 2"
    tables["offer"][1]["places"] = "mange"  # the record after the two-line one is Excel row 3
    folder = write_folder(tmp_path / "x", {k: v for k, v in tables.items() if k != "citizen"}, ";")
    write_csv(folder / "citizen.csv", tables["citizen"], sep="\t")

    result = import_folder(folder, duck(tmp_path / "db.duckdb"))

    assert [str(p) for p in result.problems] == [
        "offer.csv, række 3, kolonne places: Værdien 'mange' er ikke et helt tal"
    ]
    tables["offer"][1]["places"] = ""
    write_csv(folder / "offer.csv", tables["offer"], sep=";")
    must_import(folder, duck(tmp_path / "db.duckdb"))
    assert fetch(duck(tmp_path / "db.duckdb"), "select name from offer order by offer_id")[0] == (
        "Bofællesskabet; Engely\nafd. 2",
    )
    assert fetch(duck(tmp_path / "db.duckdb"), "select count(*) from citizen") == [(3,)]


def test_number_formats() -> None:
    text = ["1.234,50", "1234.50", "1234,5", "-1.200,25", "1.234.567", "1,234.5", " 12 000 ", "+7"]
    assert parse_number(pa.array(text)).tolist() == [
        1234.5,
        1234.5,
        1234.5,
        -1200.25,
        1234567,
        1234.5,
        12000,
        7,
    ]
    assert np.isnan(parse_number(pa.array(["x", "1,2,3", "", "1e400", "nan"]))).all()
    assert parse_number(pa.array(["1.234"]), comma_decimal=True)[0] == 1234
    assert parse_number(pa.array(["1.234"]), comma_decimal=False)[0] == 1.234


def test_date_formats() -> None:
    text = ["2024-02-29", "29-02-2024", "29.02.2024", "1-2-2024", "2024-02-29 00:00:00", "x", ""]
    got = parse_date(pa.array(text)).astype("datetime64[D]")
    d = np.datetime64
    assert got[:5].tolist() == [
        d("2024-02-29"),
        d("2024-02-29"),
        d("2024-02-29"),
        d("2024-02-01"),
        d("2024-02-29"),
    ]
    assert np.isnat(got[5:]).all()
    assert np.isnat(parse_date(pa.array(["30-02-2024", "2023-02-29"]))).all()


def test_cpr_detection_with_spaces_dots_and_dashes() -> None:
    for text in ("Engely 010190 1234", "01.01.90-1234", "01 01 90 1234", "01-01-90-1234"):
        assert looks_like_cpr(text), text
    for text in (
        "Tlf. 75 12 34 56",  # eight digits
        "5.38.50",
        "2024-01-01 12:30",
        "01.01.1990",  # a date, no serial number
        "31-12-2024 1234",  # DD-MM-YYYY: the year breaks the pattern
        "1.234.567,89",
        "32 01 90 1234",  # day 32
        "010190 12345",  # eleven digits
    ):
        assert not looks_like_cpr(text), text


def test_cpr_detection() -> None:
    assert looks_like_cpr("010190-1234")
    assert looks_like_cpr("0101901234")
    assert looks_like_cpr("Borger 290200-1234 ringede")
    assert not looks_like_cpr("3201901234")  # day 32
    assert not looks_like_cpr("1234567890")  # month 34
    assert not looks_like_cpr("01019012345")  # eleven digits
    assert not looks_like_cpr("2024-01-01")


def test_problem_text() -> None:
    p = Problem("grant.csv", 14, "start_date", "Datoen '31-02-2024' kan ikke læses")
    assert str(p) == "grant.csv, række 14, kolonne start_date: Datoen '31-02-2024' kan ikke læses"
    assert str(Problem("grant.csv", None, "start_date", "x")) == "grant.csv, kolonne start_date: x"
    assert str(Problem("", None, None, "x")) == "x"


def test_xlsx_workbook_with_one_sheet_per_table(tmp_path: Path) -> None:
    tables = dataset(573)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table, rows in tables.items():
        ws = wb.create_sheet("Grant" if table == "grant" else table)
        frame = typed_frame(table, rows)
        ws.append(list(frame.columns))
        for record in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
            ws.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in record])
    wb.create_sheet("Noter").append(["Udtrukket af", "Økonomi"])
    path = tmp_path / "udtræk.xlsx"
    wb.save(path)
    url = duck(tmp_path / "db.duckdb")

    result = must_import(path, url)

    assert result.rows["grant"] == 3
    assert any("udtræk.xlsx, ark Noter" in str(w) for w in result.warnings)
    assert fetch(
        url, 'select start_date, monthly_price from "grant" where grant_id = :g', g="a573-G1"
    ) == [(date(2024, 2, 1), Decimal("45000.50"))]
    assert fetch(url, "select has_goals_annex from contract order by contract_id") == [
        (True,),
        (False,),
    ]


def test_xlsx_file_per_table_with_problem_row_numbers(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "x", dataset(573))
    (folder / "grant.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([])  # a blank first row: the header is found below it, row numbers stay Excel's
    frame = typed_frame("grant", dataset(573)["grant"])
    ws.append(list(frame.columns))
    for record in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        ws.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in record])
    ws["G4"] = "31-02-2024"
    wb.save(folder / "grant.xlsx")

    result = import_folder(folder, duck(tmp_path / "db.duckdb"))

    assert [str(p) for p in result.problems] == [
        "grant.xlsx, række 4, kolonne start_date: Datoen '31-02-2024' kan ikke læses "
        "(brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)"
    ]
    assert not (tmp_path / "db.duckdb").exists()


def test_parquet_extract(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    for table, rows in dataset(573).items():
        typed_frame(table, rows).to_parquet(folder / f"{table}.parquet")
    url = duck(tmp_path / "db.duckdb")

    result = must_import(folder, url)

    assert result.rows == {t: len(r) for t, r in dataset(573).items()}
    assert fetch(url, "select max(posting_date), sum(amount_dkk) from expense") == [
        (date(2024, 5, 15), Decimal("98000.74"))
    ]


def test_unknown_files_and_columns_are_warnings(tmp_path: Path) -> None:
    tables = dataset(573)
    for r in tables["citizen"]:
        r["navn"] = "skjult"
    folder = write_folder(tmp_path / "x", tables)
    (folder / "notes.pdf").write_bytes(b"%PDF")
    (folder / "~$grant.xlsx").write_bytes(b"lock file")
    url = duck(tmp_path / "db.duckdb")

    result = must_import(folder, url)

    warnings = [str(w) for w in result.warnings]
    assert (
        "citizen.csv, kolonne navn: Kolonnen kendes ikke i tabellen citizen og springes over"
        in warnings
    )
    assert any(w.startswith("notes.pdf: Filen hedder ikke som en tabel") for w in warnings)
    assert not any("~$" in w for w in warnings)


def test_all_problems_are_reported_and_listing_is_capped(populated: str, tmp_path: Path) -> None:
    tables = dataset(573, "n")
    base = tables["expense"][0]
    tables["expense"] = [
        dict(base, expense_id=f"n573-X{i}", posting_date="32-01-2024") for i in range(25)
    ]
    tables["grant"][0]["monthly_price"] = "gratis"
    tables["citizen"][1]["target_group"] = "ældre"
    for r in tables["budget"]:
        del r["year"]
    folder = write_folder(tmp_path / "x", tables)
    before = checksums(populated)

    result = import_folder(folder, populated)

    messages = [str(p) for p in result.problems]
    dates = [m for m in messages if m.startswith("expense.csv, række") and "posting_date" in m]
    assert len(dates) == 20
    assert dates[0].startswith("expense.csv, række 2, kolonne posting_date: Datoen '32-01-2024'")
    assert (
        "expense.csv, kolonne posting_date: og 5 rækker mere med samme fejl (ulæselig dato)"
        in messages
    )
    assert any(
        m.startswith("grant.csv, række 2, kolonne monthly_price: Beløbet 'gratis'")
        for m in messages
    )
    assert any(m.startswith("citizen.csv, række 3, kolonne target_group:") for m in messages)
    assert any(m.startswith("budget.csv, kolonne year: Kolonnen year mangler") for m in messages)
    assert checksums(populated) == before


def test_reimport_is_idempotent(populated: str, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "x", dataset(573, "n"))
    must_import(folder, populated)
    once = checksums(populated, ignore_loaded_at=True)

    must_import(folder, populated)

    assert checksums(populated, ignore_loaded_at=True) == once


def _municipality_rows(url: str, code: int) -> dict[str, list]:
    out = {}
    for table in (*FACT_TABLES, "population", "data_load"):
        rows = fetch(url, f'select * from "{table}" where municipality_code = :c', c=code)  # noqa: S608
        out[table] = sorted(repr(r) for r in rows)
    return out


def test_import_replaces_one_municipality_and_leaves_the_other(
    populated: str, tmp_path: Path
) -> None:
    copenhagen = _municipality_rows(populated, 101)
    new = dataset(573, "n")
    new["grant"] = new["grant"][:2]

    result = must_import(write_folder(tmp_path / "x", new), populated)

    assert result.municipalities == [573]
    assert _municipality_rows(populated, 101) == copenhagen
    assert fetch(
        populated, 'select grant_id from "grant" where municipality_code = 573 order by 1'
    ) == [
        ("n573-G1",),
        ("n573-G2",),
    ]
    assert fetch(populated, "select count(*) from expense where expense_id like 'a573-%'") == [(0,)]
    assert fetch(
        populated,
        "select row_count, data_date, source from data_load "
        "where municipality_code = 573 and table_name = 'expense'",
    ) == [(5, date(2024, 5, 15), "Import")]
    assert fetch(
        populated,
        "select row_count from data_load where municipality_code = 573 and table_name = 'grant'",
    ) == [(2,)]


def test_new_municipality_is_added(populated: str, tmp_path: Path) -> None:
    before = checksums(populated)
    must_import(write_folder(tmp_path / "x", dataset(147)), populated)
    after = checksums(populated)

    assert fetch(
        populated, "select name, region from municipality where municipality_code = 147"
    ) == [("Frederiksberg", "Region Hovedstaden")]
    assert fetch(populated, "select count(*) from municipality") == [(3,)]
    assert after["offer_type"] == before["offer_type"]
    assert fetch(populated, "select count(*) from citizen where municipality_code <> 147") == [(6,)]


def test_partial_import_keeps_tables_not_in_it(populated: str, tmp_path: Path) -> None:
    expense_before = checksums(populated)["expense"]
    new = {"budget": dataset(573, "n")["budget"][:1]}

    result = must_import(write_folder(tmp_path / "x", new), populated)

    assert checksums(populated)["expense"] == expense_before
    assert fetch(populated, "select count(*) from budget where municipality_code = 573") == [(1,)]
    assert any("expense" in str(w) and "bevaret" in str(w) for w in result.warnings)


def test_reference_tables_are_upserted_by_key(populated: str, tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    write_csv(
        folder / "offer_type.csv",
        [
            {
                "offer_type_code": "SEL108",
                "name": "Længerevarende botilbud (ny tekst)",
                "paragraph": "SEL § 108",
                "account_function": "5.38.50",
                "category": "bolig",
                "staircase_step": "6",
            },
            {
                "offer_type_code": "SEL85X",
                "name": "Ny type",
                "paragraph": "SEL § 85",
                "account_function": "5.38.38",
                "category": "stoette",
                "staircase_step": "",
            },
        ],
    )
    write_csv(
        folder / "population.csv",
        [
            {"municipality_code": "573", "year": "2024", "age_group": "65+", "persons": "9100"},
            {"municipality_code": "573", "year": "2025", "age_group": "65+", "persons": "9200"},
        ],
    )
    write_csv(
        folder / "municipality.csv",
        [
            {"municipality_code": "573", "name": "Varde Kommune", "region": "Region Syddanmark"},
        ],
    )

    result = must_import(folder, populated)

    assert result.municipalities == []
    assert fetch(populated, "select count(*) from offer_type") == [(12,)]
    assert fetch(
        populated, "select staircase_step from offer_type where offer_type_code = 'SEL108'"
    ) == [(6,)]
    assert fetch(
        populated,
        "select year, age_group, persons from population where municipality_code = 573 order by 1, 2",
    ) == [
        (2024, "18-64", 30000),
        (2024, "65+", 9100),
        (2025, "65+", 9200),
    ]
    assert fetch(populated, "select name from municipality where municipality_code = 573") == [
        ("Varde Kommune",)
    ]
    assert fetch(populated, "select count(*) from data_load where municipality_code < 100") == [
        (0,)
    ]
    assert fetch(
        populated,
        "select row_count from data_load where table_name = 'population' and municipality_code = 573",
    ) == [(2,)]
    assert fetch(populated, 'select count(*) from "grant" where municipality_code = 573') == [(3,)]


def test_chunked_reading_keeps_row_numbers_and_finds_duplicates_across_chunks(
    populated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 4096)
    tables = dataset(573, "n")
    base = tables["expense"][0]
    tables["expense"] = [dict(base, expense_id=f"n573-E{i:05d}") for i in range(3000)]
    tables["expense"][2500]["expense_id"] = "n573-E00010"  # row 2502 repeats row 12
    tables["expense"][1800]["posting_date"] = "2024-13-01"  # row 1802
    folder = write_folder(tmp_path / "x", tables)
    path = folder / "expense.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines.insert(500, b"")  # a blank line is a row in Excel too: everything after moves down one
    lines.insert(1000, b'n573-Z,573,2024-01-01,"1,5",5.38.50,SEL108,,,,')
    path.write_bytes(b"\r\n".join(lines))
    progress: list[float] = []

    result = import_folder(folder, populated, lambda _msg, f: progress.append(f))

    messages = [str(p) for p in result.problems]
    assert messages == [
        "expense.csv, række 1001: Rækken har 10 felter, men overskriften har 9",
        "expense.csv, række 1804, kolonne posting_date: Datoen '2024-13-01' kan ikke læses "
        "(brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)",
        "expense.csv, række 2504, kolonne expense_id: Nøglen (municipality_code=573, "
        "expense_id=n573-E00010) findes også i række 12",
    ]
    assert result.rows["expense"] == 3000
    assert progress == sorted(progress)


def test_progress_reaches_one(tmp_path: Path) -> None:
    seen: list[tuple[str, float]] = []
    must_import(write_folder(tmp_path / "x", dataset(573)), duck(tmp_path / "db.duckdb"))
    import_folder(tmp_path / "x", duck(tmp_path / "db.duckdb"), lambda m, f: seen.append((m, f)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1][0] == "Færdig"


def test_failure_while_writing_rolls_everything_back(
    populated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last step of the transaction fails after every table was replaced: nothing sticks."""

    def boom(*_args: object) -> None:
        raise RuntimeError("disken er fuld")

    monkeypatch.setattr(write, "write_data_load", boom)
    before = checksums(populated)

    result = import_folder(write_folder(tmp_path / "x", dataset(573, "n")), populated)

    assert not result.ok
    assert [str(p) for p in result.problems] == ["Databasen afviste importen (disken er fuld)"]
    assert checksums(populated) == before

    result = import_folder(tmp_path / "x", duck(tmp_path / "new.duckdb"))
    assert not result.ok and not (tmp_path / "new.duckdb").exists()


def test_failed_import_does_not_create_the_database(tmp_path: Path) -> None:
    tables = dataset(573)
    tables["grant"][0]["start_date"] = "i går"
    result = import_folder(write_folder(tmp_path / "x", tables), duck(tmp_path / "db.duckdb"))
    assert not result.ok
    assert not (tmp_path / "db.duckdb").exists()


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    result = import_folder(tmp_path / "x", duck(tmp_path / "db.duckdb"))
    assert [str(p) for p in result.problems] == ["Der er ingen filer med tabeldata at indlæse"]


def test_contract_matches_schema(tmp_path: Path) -> None:
    url = duck(tmp_path / "schema.duckdb")
    engine = db.writable_engine(url)
    try:
        with engine.begin() as conn:
            db.create_schema(conn)
            rows = conn.execute(
                sa.text(
                    "select table_name, column_name, is_nullable from information_schema.columns "
                    "order by table_name, ordinal_position"
                )
            ).fetchall()
    finally:
        engine.dispose()
    schema: dict[str, list[tuple[str, bool]]] = {}
    for table, column, nullable in rows:
        schema.setdefault(table, []).append((column, nullable == "YES"))
    for table, columns in CONTRACT.items():
        assert schema[table] == [(c.name, c.nullable) for c in columns], table


# ---------------------------------------------------------------------------------------------
# Export and round trip


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_round_trip_export_import(fmt: str, populated: str, tmp_path: Path) -> None:
    must_import(write_folder(tmp_path / "extra", _danish(dataset(147))), populated)
    counts = export_folder(populated, tmp_path / "export", fmt=fmt)
    assert counts["expense"] == 15 and counts["offer_type"] == 11
    assert sorted(p.name for p in (tmp_path / "export").iterdir()) == sorted(
        f"{t}.{fmt}" for t in db.TABLES
    )
    target = duck(tmp_path / "copy.duckdb")

    result = must_import(tmp_path / "export", target)

    assert result.municipalities == [101, 147, 573]
    original, copy = checksums(populated), checksums(target)
    assert {t: original[t] for t in db.TABLES} == {t: copy[t] for t in db.TABLES}


def test_export_one_municipality(populated: str, tmp_path: Path) -> None:
    counts = export_folder(populated, tmp_path / "out", municipality=573)
    assert counts["expense"] == 5 and counts["municipality"] == 1 and counts["offer_type"] == 11
    text = (tmp_path / "out" / "contract.csv").read_text(encoding="utf-8")
    assert text.splitlines()[:2] == [
        "contract_id,municipality_code,grant_id,template,valid_from,valid_to,monthly_price,"
        "has_goals_annex,renegotiate_by",
        "a573-K1,573,a573-G1,kl_standard,2024-02-01,,45000.50,true,2025-02-01",
    ]
    export_folder(populated, tmp_path / "pq", municipality=101, fmt="parquet")
    table = pq.read_table(tmp_path / "pq" / "expense.parquet")
    assert table.schema.field("amount_dkk").type == pa.decimal128(18, 2)
    assert set(table.column("municipality_code").to_pylist()) == {101}


# ---------------------------------------------------------------------------------------------
# PostgreSQL


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A scratch database on the local server, dropped afterwards."""
    admin = sa.create_engine(PG_SERVER + "postgres", isolation_level="AUTOCOMMIT")
    name = f"cockpit_import_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'create database "{name}"')
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL kører ikke: {exc.orig}")
    try:
        yield PG_SERVER + name
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'drop database if exists "{name}" with (force)')
        admin.dispose()


@pytest.mark.postgres
def test_postgres_import_then_failed_import(pg_url: str, tmp_path: Path) -> None:
    result = must_import(
        write_folder(tmp_path / "a", _danish(merged(dataset(101), dataset(573)))), pg_url
    )
    assert result.municipalities == [101, 573]
    assert fetch(pg_url, 'select monthly_price from "grant" where grant_id = :g', g="a573-G1") == [
        (Decimal("45000.50"),)
    ]
    loaded_at = fetch(pg_url, "select max(loaded_at) from data_load")[0][0]
    assert abs(datetime.now() - loaded_at) < timedelta(minutes=5)  # the time of day survives COPY
    before = checksums(pg_url)

    broken = dataset(573, "n")
    broken["grant"][1]["end_date"] = "01-01-2024"
    broken["citizen"][0]["citizen_id"] = "0101901234"
    failed = import_folder(write_folder(tmp_path / "b", broken), pg_url)

    messages = [str(p) for p in failed.problems]
    assert not failed.ok
    assert (
        "grant.csv, række 3, kolonne end_date: Slutdatoen 2024-01-01 ligger før startdatoen 2024-02-15"
        in messages
    )
    assert any(
        m.startswith("citizen.csv, række 2, kolonne citizen_id: Værdien ligner et CPR-nummer")
        for m in messages
    )
    assert checksums(pg_url) == before


@pytest.mark.postgres
def test_postgres_round_trip_and_reimport(pg_url: str, base_db: Path, tmp_path: Path) -> None:
    export_folder(duck(base_db), tmp_path / "export")
    must_import(tmp_path / "export", pg_url)
    first = checksums(pg_url, ignore_loaded_at=True)
    must_import(tmp_path / "export", pg_url)
    assert checksums(pg_url, ignore_loaded_at=True) == first
    assert {t: first[t] for t in db.TABLES} == {t: checksums(duck(base_db))[t] for t in db.TABLES}


def test_ten_digit_budget_amounts_are_not_cpr(tmp_path: Path) -> None:
    # København's corrected budget runs to billions of kroner; 1012345678 would otherwise pass
    # for a CPR number (10-12-34). Money columns are typed, so they cannot hold one.
    tables = dataset(573)
    tables["budget"][0]["original_dkk"] = "1012345678"
    tables["budget"][0]["corrected_dkk"] = "1012345678.50"
    url = duck(tmp_path / "new.duckdb")
    must_import(write_folder(tmp_path / "x", tables), url)
    assert fetch(url, "select max(original_dkk), max(corrected_dkk) from budget") == [
        (Decimal("1012345678.00"), Decimal("1012345678.50"))
    ]


# ---------------------------------------------------------------------------------------------
# Strict import: references to rows the database keeps, pseudonymised columns, Excel bombs,
# readers' errors in Danish


def test_references_may_point_to_rows_the_database_keeps(populated: str, tmp_path: Path) -> None:
    # Only grant.csv for Varde: its citizens, decisions and offers are the ones in the database
    # (those tables are not in the import, so their rows are kept), and the kept contracts,
    # expenses, goals and follow-ups still find their grants.
    grants = dataset(573)["grant"]
    grants[2]["monthly_price"] = "3100"

    result = must_import(write_folder(tmp_path / "x", {"grant": grants}), populated)

    assert result.municipalities == [573]
    assert fetch(
        populated, 'select monthly_price from "grant" where grant_id = :g', g="a573-G3"
    ) == [(Decimal("3100.00"),)]


def test_declared_pseudonymised_column_is_exempt_from_the_cpr_check(tmp_path: Path) -> None:
    """A source reader that has replaced a CPR column by pseudonyms declares it; a pseudonym may
    then hold ten digits by chance. Undeclared columns are still checked."""
    tables = dataset(573)
    for rows in tables.values():
        for r in rows:
            for column in ("citizen_id",):
                if r.get(column):
                    r[column] = "p" + {"a573-C1": "0101901234", "a573-C2": "0202902345"}.get(
                        r[column], "0303903456"
                    )
    folder = write_folder(tmp_path / "x", tables)
    with_citizens = {t: ["citizen_id"] for t, rows in tables.items() if "citizen_id" in rows[0]}

    refused = import_folder(folder, duck(tmp_path / "refused.duckdb"))
    assert not refused.ok
    assert any("Værdien ligner et CPR-nummer" in str(p) for p in refused.problems)

    result = import_folder(folder, duck(tmp_path / "ok.duckdb"), pseudonymised=with_citizens)
    assert result.ok, [str(p) for p in result.problems]

    tables["offer"][0]["name"] = "Engely 010190 1234"
    write_folder(tmp_path / "x", tables)
    still = import_folder(folder, duck(tmp_path / "still.duckdb"), pseudonymised=with_citizens)
    assert [str(p) for p in still.problems] == [
        "offer.csv, række 2, kolonne name: Værdien ligner et CPR-nummer, og CPR-numre må ikke "
        "indlæses (værdien vises ikke)"
    ]


def _workbook(path: Path, extra: tuple[str, int, bytes] | None = None) -> Path:
    """A valid grant workbook; extra = (member name, size, filler) adds a member streamed in 1 MB
    pieces (never held in memory whole)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "grant"
    frame = typed_frame("grant", dataset(573)["grant"])
    ws.append(list(frame.columns))
    for record in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        ws.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in record])
    wb.save(path)
    if extra:
        name, size, filler = extra
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z:
            with z.open(name, "w", force_zip64=True) as member:
                piece = filler * ((1 << 20) // len(filler))
                for _ in range(size // len(piece)):
                    member.write(piece)
    return path


def test_xlsx_over_the_size_bound_is_refused_before_parsing(
    populated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_folder(tmp_path / "x", dataset(573, "n"))
    (folder / "grant.csv").unlink()
    # Ordinary sheet XML (inflates ~12 times, like a real one), 3 MB, against a 2 MB bound.
    row = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>n573-G1 2024-02-01 45000.50</t></is></c></row>'
    )
    _workbook(folder / "grant.xlsx", ("xl/worksheets/sheet9.xml", 3 << 20, row))
    monkeypatch.setenv("COCKPIT_IMPORT_MAX_XLSX_MB", "2")
    before = checksums(populated)

    result = import_folder(folder, populated)

    assert [str(p) for p in result.problems] == [
        "grant.xlsx: Filen fylder 3 MB udpakket, mere end grænsen på 2 MB; del den i flere "
        "filer, eller gem den som CSV"
    ]
    assert checksums(populated) == before
    monkeypatch.setenv("COCKPIT_IMPORT_MAX_XLSX_MB", "4")
    assert not any("grænsen" in str(p) for p in import_folder(folder, populated).problems)


def test_xlsx_zip_bomb_is_refused_in_bounded_memory(populated: str, tmp_path: Path) -> None:
    """Like the reported bomb (603 KB inflating to 408 MB of XML): a 210 MB member of blanks
    (a few hundred KB compressed). It is refused from the zip's directory alone: the import's
    Python allocations stay far below the member's size."""
    folder = write_folder(tmp_path / "x", dataset(573, "n"))
    (folder / "grant.csv").unlink()
    bomb = _workbook(folder / "grant.xlsx", ("xl/worksheets/sheet2.xml", 210 << 20, b" "))
    assert bomb.stat().st_size < 2 << 20
    small = _workbook(tmp_path / "small.xlsx", ("xl/worksheets/sheet2.xml", 30 << 20, b" "))
    before = checksums(populated)

    tracemalloc.start()
    try:
        result = import_folder(folder, populated)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert [str(p) for p in result.problems] == [
        "grant.xlsx: Filen fylder 210 MB udpakket, mere end grænsen på 200 MB; del den i flere "
        "filer, eller gem den som CSV"
    ]
    assert peak < 32 << 20, f"{peak / 2**20:.0f} MB"
    assert checksums(populated) == before
    # Under the size bound, the compression ratio gives it away.
    (folder / "grant.xlsx").unlink()
    shutil.move(small, folder / "grant.xlsx")
    messages = [str(p) for p in import_folder(folder, populated).problems]
    assert len(messages) == 1 and messages[0].startswith("grant.xlsx: Filen pakkes ")
    assert messages[0].endswith("gange ud (højst 100) og afvises som en mulig zip-bombe")
    assert checksums(populated) == before


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "goal.parquet",
            b"PAR1 broken",
            "Filen kan ikke læses som Parquet: filen er ikke en Parquet-fil, eller den er beskadiget",
        ),
        ("goal.parquet", b"", "Filen kan ikke læses som Parquet: filen er tom"),
        (
            "goal.parquet",
            b"PAR1" + b"\x00" * 64 + b"PAR1",
            "Filen kan ikke læses som Parquet: filens metadata er beskadiget eller afkortet",
        ),
        (
            "goal.xlsx",
            b"not a zip at all",
            "Filen kan ikke læses som Excel: filen er ikke en gyldig .xlsx-fil (en .xlsx-fil er "
            "en zip-fil)",
        ),
        ("udtræk.xlsx", None, "Projektmappen kan ikke læses: filen er ikke en Excel-projektmappe"),
    ],
)
def test_readers_errors_are_danish(
    name: str, data: bytes | None, expected: str, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "x", dataset(573))
    (folder / "goal.csv").unlink()
    if data is None:  # a zip, but not a workbook
        with zipfile.ZipFile(folder / name, "w") as z:
            z.writestr("noter.txt", "hej")
    else:
        (folder / name).write_bytes(data)

    result = import_folder(folder, duck(tmp_path / "db.duckdb"))

    assert [str(p) for p in result.problems] == [f"{name}: {expected}"]
