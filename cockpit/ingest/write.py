"""Writing a validated import in one transaction: reference tables upserted by key, fact tables
replaced per municipality, one data_load row per (municipality, imported table)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd
import sqlalchemy as sa

from cockpit import db
from cockpit.ingest.checks import Checker
from cockpit.ingest.contract import (
    CONTRACT,
    FACT_TABLES,
    KEYS,
    OPTIONAL_TABLES,
    default_offer_types,
    national_municipalities,
)
from cockpit.ingest.files import Source
from cockpit.ingest.problems import n
from cockpit.ingest.stage import Stage

Report = Callable[[str, float], None]


def write(
    engine: sa.Engine,
    sources: dict[str, Source],
    stage: Stage,
    known: Checker,
    rows: dict[str, int],
    report: Report,
    also_write: Callable[[sa.Connection], None] | None = None,
) -> None:
    """Everything staged, in one transaction (a failure anywhere rolls all of it back); also_write
    (a source import's staging) runs inside the same transaction."""
    total = sum(rows.get(t, 0) for t in sources) or 1
    written = 0
    with engine.begin() as conn:
        db.create_schema(conn)
        upsert_reference(conn, sources, stage, known)
        for table in (t for t in FACT_TABLES + OPTIONAL_TABLES if t in sources):
            if known.replaced:
                db.delete_municipalities(conn, table, sorted(known.replaced))
            insert_staged(conn, table, stage, rows, written / total, report)
            written += rows.get(table, 0)
        write_data_load(conn, sources, stage, known.replaced)
        if also_write is not None:
            also_write(conn)


def insert_staged(
    conn: sa.Connection,
    table: str,
    stage: Stage,
    rows: dict[str, int],
    before: float,
    report: Report,
) -> None:
    if conn.dialect.name == "duckdb":
        # One statement straight from the staged file: DuckDB streams it, whereas many
        # appends within one transaction keep every appended row in memory until commit.
        report(f"Skriver {table}: {n(rows.get(table, 0))} rækker", 0.75 + 0.24 * before)
        cols = ", ".join(f'"{c.name}"' for c in CONTRACT[table])
        sql = f'insert into "{table}" ({cols}) select {cols} from read_parquet(?)'  # noqa: S608
        conn.connection.driver_connection.execute(sql, [str(stage.path(table))])
        return
    done, total = 0, max(sum(rows.values()), 1)
    for df in stage.frames(table):
        db.insert_frame(conn, table, df)
        done += len(df)
        report(f"Skriver {table}: {n(done)} rækker", 0.75 + 0.24 * (before + done / total))


def upsert_reference(
    conn: sa.Connection, sources: dict[str, Source], stage: Stage, known: Checker
) -> None:
    new = known.referenced - known.file_municipalities - _db_municipalities(conn)
    if "municipality" in sources or new:
        national = national_municipalities()
        frames = list(stage.frames("municipality")) if "municipality" in sources else []
        added = national.loc[sorted(new & set(national.index))].reset_index()
        frames.append(added[["municipality_code", "name", "region"]])
        frame = pd.concat(frames, ignore_index=True)
        _delete_keys(conn, "municipality", frame)
        db.insert_frame(conn, "municipality", frame)
    if "offer_type" in sources:
        frame = pd.concat(list(stage.frames("offer_type")), ignore_index=True)
        _delete_keys(conn, "offer_type", frame)
        db.insert_frame(conn, "offer_type", frame)
    elif not known.db_has_offer_types:
        db.insert_frame(conn, "offer_type", default_offer_types())
    if "population" in sources:
        for frame in stage.frames("population"):
            _delete_keys(conn, "population", frame)
            db.insert_frame(conn, "population", frame)


def _db_municipalities(conn: sa.Connection) -> set[int]:
    q = sa.text("select municipality_code from municipality")
    return {int(v) for v in conn.execute(q).scalars()}


def write_data_load(
    conn: sa.Connection, sources: dict[str, Source], stage: Stage, replaced: set[int]
) -> None:
    """One data_load row per (municipality, imported table): when, how fresh, how many rows."""
    loaded_at = datetime.now().replace(microsecond=0).isoformat(sep=" ")
    records = []
    with duckdb.connect() as con:
        for table in sources:
            stats = stage.stats(con, table)
            if table == "offer_type":  # no municipality of its own: noted for the imported ones
                every = stats.get(-1, (0, None))
                stats = {code: every for code in replaced}
            elif table in FACT_TABLES:  # a replaced municipality with no rows now has 0
                stats = {code: (0, None) for code in replaced} | stats
            for code, (count, data_date) in sorted(stats.items()):
                records.append((code, table, loaded_at, data_date, "Import", count))
    if not records:
        return
    columns = ["municipality_code", "table_name", "loaded_at", "data_date", "source", "row_count"]
    frame = pd.DataFrame(records, columns=columns)
    frame["data_date"] = pd.to_datetime(frame["data_date"]).astype("datetime64[us]")
    stmt = sa.text(
        "delete from data_load where table_name = :table and municipality_code in :codes"
    ).bindparams(sa.bindparam("codes", expanding=True))
    for table, part in frame.groupby("table_name"):
        conn.execute(stmt, {"table": table, "codes": [int(c) for c in part.municipality_code]})
    db.insert_frame(conn, "data_load", frame)


def _delete_keys(conn: sa.Connection, table: str, frame: pd.DataFrame) -> None:
    """Delete the rows whose key is in frame, so the frame can be inserted (upsert by key)."""
    keys = KEYS[table]
    if len(keys) == 1:
        expr = f'"{keys[0]}"'
        values = frame[keys[0]].tolist()
    else:
        expr = " || '|' || ".join(f'cast("{k}" as text)' for k in keys)
        values = [
            "|".join(str(v) for v in row) for row in frame[list(keys)].itertuples(index=False)
        ]
    stmt = sa.text(f'delete from "{table}" where {expr} in :keys').bindparams(  # noqa: S608
        sa.bindparam("keys", expanding=True)
    )
    values = [int(v) if isinstance(v, (int, np.integer)) else v for v in values]
    for i in range(0, len(values), 1000):
        conn.execute(stmt, {"keys": values[i : i + 1000]})
