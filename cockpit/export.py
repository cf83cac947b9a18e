"""Export the database to one file per contract table (plain UTF-8 CSV or Parquet).

The files are exactly what cockpit.ingest.import_folder reads, so export → import is a round trip.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from cockpit import db
from cockpit.ingest import CONTRACT, KEYS

BATCH_ROWS = 100_000
_PARQUET_TYPES = {
    "int": pa.int64(),
    "level": pa.int64(),
    "text": pa.string(),
    "date": pa.date32(),
    "dkk": pa.decimal128(18, 2),
    "num": pa.float64(),
    "bool": pa.bool_(),
}


def export_folder(
    url: str,
    folder: Path,
    municipality: int | None = None,
    fmt: Literal["csv", "parquet"] = "csv",
) -> dict[str, int]:
    """Write <table>.csv or <table>.parquet for every contract table; returns rows per table.

    With a municipality, only its rows (and its municipality and population rows) are written;
    offer_type is always written whole, as the municipality's offer types.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"Ukendt format: {fmt}")
    path = db.duckdb_path(url)
    if path is not None and not path.exists():
        raise db.DatabaseMissing(f"Databasefilen {path} findes ikke.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    engine = db.writable_engine(url)
    counts: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            for table in db.TABLES:
                batches = _batches(conn, table, municipality)
                target = folder / f"{table}.{fmt}"
                write = _write_csv if fmt == "csv" else _write_parquet
                counts[table] = write(target, table, batches)
    finally:
        engine.dispose()
    return counts


def _batches(
    conn: sa.Connection, table: str, municipality: int | None
) -> Iterator[Sequence[sa.Row]]:
    """The table's rows in key order, a batch at a time (bounded memory for national expense)."""
    columns = [c.name for c in CONTRACT[table]]
    select = ", ".join(f'"{c}"' for c in columns)
    order = ", ".join(f'"{k}"' for k in KEYS[table])
    where = ""
    params: dict[str, int] = {}
    if municipality is not None and "municipality_code" in columns:
        where = " where municipality_code = :m"
        params["m"] = int(municipality)
    # Table and column names come from the contract whitelist; the municipality is a bind parameter.
    stmt = sa.text(f'select {select} from "{table}"{where} order by {order}')  # noqa: S608
    result = conn.execution_options(stream_results=True).execute(stmt, params)
    while rows := result.fetchmany(BATCH_ROWS):
        yield rows


def _csv_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return str(v)


def _write_csv(target: Path, table: str, batches: Iterator[Sequence[sa.Row]]) -> int:
    n = 0
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([c.name for c in CONTRACT[table]])
        for rows in batches:
            writer.writerows([_csv_cell(v) for v in row] for row in rows)
            n += len(rows)
    return n


def _parquet_value(v: object, type_: str) -> object:
    if v is None:
        return None
    if type_ == "dkk":
        return v if isinstance(v, Decimal) else Decimal(str(v))
    if type_ == "num":
        return float(v)  # type: ignore[arg-type]
    if type_ == "date" and isinstance(v, datetime):
        return v.date()
    return v


def _write_parquet(target: Path, table: str, batches: Iterator[Sequence[sa.Row]]) -> int:
    columns = CONTRACT[table]
    schema = pa.schema([pa.field(c.name, _PARQUET_TYPES[c.type]) for c in columns])
    n = 0
    with pq.ParquetWriter(target, schema) as writer:
        for rows in batches:
            arrays = [
                pa.array([_parquet_value(row[i], c.type) for row in rows], _PARQUET_TYPES[c.type])
                for i, c in enumerate(columns)
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            n += len(rows)
    return n
