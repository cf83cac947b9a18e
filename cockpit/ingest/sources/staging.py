"""Staging for cumulative deliveries, kept pseudonymised in the cockpit database (staging.sql):

- source_ffb: every FFB resource by id (a Condition by id and assessment date, so a re-assessment
  sent as a newer version of the same id keeps the earlier level as history). The newest version by
  meta.lastUpdated, else Bundle.timestamp, wins; never file name or order. first_seen is the
  earliest version stamp seen (a goal's set-on date).
- source_grant_extract: the latest grant extract; a new extract replaces it.

Each source import reads the municipality's staging, merges what the folder brings, rebuilds the
contract tables from it, and writes staging and tables in one transaction (`write`), so a daily
delivery for some citizens leaves the others in place, and re-importing the same folder changes
nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cockpit.ingest.sources.fhir import Record

DDL = Path(__file__).resolve().parent / "staging.sql"
EXTRACT_COLUMNS = [
    "citizen_id",
    "birth_year",
    "offer_type_code",
    "offer_id",
    "offer_name",
    "owner_type",
    "start_date",
    "end_date",
    "monthly_price",
    "weekly_hours",
]


def create(conn: sa.Connection) -> None:
    for statement in DDL.read_text(encoding="utf-8").split(";"):
        body = "\n".join(ln for ln in statement.splitlines() if not ln.strip().startswith("--"))
        if body.strip():
            conn.exec_driver_sql(body)


def _has(conn: sa.Connection, table: str) -> bool:
    return sa.inspect(conn).has_table(table)


def read_ffb(conn: sa.Connection | None, municipality: int) -> list[dict]:
    if conn is None or not _has(conn, "source_ffb"):
        return []
    q = sa.text(
        "select kind, staging_key, resource_id, citizen_id, stamp, first_seen, body "
        "from source_ffb where municipality_code = :m"
    )
    return [
        {
            "kind": r.kind,
            "key": r.staging_key,
            "resource_id": r.resource_id,
            "citizen_id": r.citizen_id,
            "stamp": r.stamp,
            "first_seen": r.first_seen,
            "body": json.loads(r.body),
        }
        for r in conn.execute(q, {"m": municipality})
    ]


def read_extract(conn: sa.Connection | None, municipality: int) -> list[dict] | None:
    if conn is None or not _has(conn, "source_grant_extract"):
        return None
    q = sa.text(
        f"select {', '.join(EXTRACT_COLUMNS)} from source_grant_extract "  # noqa: S608
        "where municipality_code = :m order by row_no"
    )
    rows = [dict(r._mapping) for r in conn.execute(q, {"m": municipality})]
    return rows or None


def _digest(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def merge(staged: list[dict], records: list[Record]) -> list[dict]:
    """Upsert by (kind, key): the newer stamp wins (equal stamps: a deterministic choice by content,
    so neither file name nor order decides); first_seen is the earliest stamp of any version."""
    out = {(r["kind"], r["key"]): r for r in staged}
    for rec in records:
        new = {
            "kind": rec.kind,
            "key": rec.key,
            "resource_id": rec.resource_id,
            "citizen_id": rec.citizen_id,
            "stamp": rec.stamp,
            "first_seen": rec.stamp,
            "body": rec.body,
        }
        old = out.get((rec.kind, rec.key))
        if old is None:
            out[(rec.kind, rec.key)] = new
            continue
        first = min(old["first_seen"], rec.stamp)
        if (rec.stamp, _digest(rec.body)) > (old["stamp"], _digest(old["body"])):
            out[(rec.kind, rec.key)] = new
        out[(rec.kind, rec.key)]["first_seen"] = first
    return sorted(out.values(), key=lambda r: (r["kind"], r["key"]))


def write(
    conn: sa.Connection, municipality: int, ffb: list[dict] | None, extract: list[dict] | None
) -> None:
    """Replace the municipality's staging (None: leave that part as it is)."""
    create(conn)
    m = {"m": municipality}
    if ffb is not None:
        conn.execute(sa.text("delete from source_ffb where municipality_code = :m"), m)
        rows = [
            {
                "municipality_code": municipality,
                "kind": r["kind"],
                "staging_key": r["key"],
                "resource_id": r["resource_id"],
                "citizen_id": r["citizen_id"],
                "stamp": r["stamp"],
                "first_seen": r["first_seen"],
                "body": json.dumps(r["body"], sort_keys=True, ensure_ascii=False),
            }
            for r in ffb
        ]
        _insert(conn, "source_ffb", rows)
    if extract is not None:
        conn.execute(sa.text("delete from source_grant_extract where municipality_code = :m"), m)
        rows = [
            {"municipality_code": municipality, "row_no": i, **{c: r[c] for c in EXTRACT_COLUMNS}}
            for i, r in enumerate(extract, start=1)
        ]
        _insert(conn, "source_grant_extract", rows)


def _insert(conn: sa.Connection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows)
    cols = ", ".join(frame.columns)
    marks = ", ".join(f":{c}" for c in frame.columns)
    stmt = sa.text(f"insert into {table} ({cols}) values ({marks})")  # noqa: S608 - fixed names
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for i in range(0, len(records), 5000):
        conn.execute(stmt, records[i : i + 5000])


def write_gaps(conn: sa.Connection, municipality: int, gaps: list[tuple[str, str, int]]) -> None:
    """The counts of what could not be linked, shown on Datagrundlag (table import_gap)."""
    conn.execute(
        sa.text("delete from import_gap where municipality_code = :m"), {"m": municipality}
    )
    rows = [
        {"municipality_code": municipality, "source": s, "message": msg, "count": int(n)}
        for s, msg, n in gaps
        if n
    ]
    _insert(conn, "import_gap", rows)
