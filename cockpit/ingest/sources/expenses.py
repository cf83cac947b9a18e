"""The expense table of a source import, streamed through Parquet files (bounded memory at ten
million postings): the postings just read for their fiscal years, plus the municipality's expense
rows of every other year already in the database; each linked to its grant where exactly one grant
of the same citizen and offer type is active on the posting date.

Fiscal years: a file's postings replace the rows of the fiscal years it contains (ids `erp-<year>-…`;
rows from a contract-table import count by the year of their posting date)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

BATCH = 200_000
COLUMNS = "expense_id, posting_date, amount_dkk, account_function, offer_type_code, citizen_id"
KEPT = pa.schema(
    [
        ("expense_id", pa.string()),
        ("posting_date", pa.date32()),
        ("amount_dkk", pa.float64()),
        ("account_function", pa.string()),
        ("offer_type_code", pa.string()),
        ("citizen_id", pa.string()),
    ]
)


def export_kept(conn: sa.Connection, municipality: int, years: set[int], path: Path) -> int:
    """Write the municipality's expense rows outside `years` to path; the number of rows."""
    if not sa.inspect(conn).has_table("expense"):
        return 0
    where, params = ["municipality_code = :m"], {"m": municipality}
    for i, y in enumerate(sorted(years)):
        where.append(
            f"not (expense_id like :p{i} or (expense_id not like 'erp-%' "
            f"and posting_date between :s{i} and :e{i}))"
        )
        params |= {f"p{i}": f"erp-{y}-%", f"s{i}": f"{y}-01-01", f"e{i}": f"{y}-12-31"}
    sql = (
        "select expense_id, posting_date, cast(amount_dkk as double precision) as amount_dkk, "  # noqa: S608
        f"account_function, offer_type_code, citizen_id from expense where {' and '.join(where)}"
    )
    writer, n = pq.ParquetWriter(path, KEPT), 0
    try:
        for frame in pd.read_sql(sa.text(sql), conn, params=params, chunksize=BATCH):
            frame["posting_date"] = pd.to_datetime(frame["posting_date"]).dt.date
            writer.write_table(pa.Table.from_pandas(frame, schema=KEPT, preserve_index=False))
            n += len(frame)
    finally:
        writer.close()
    return n


def existing(conn: sa.Connection | None, table: str, municipality: int) -> pd.DataFrame:
    """A contract table's rows of the municipality (small tables: citizen, offer, grant)."""
    if conn is None or not sa.inspect(conn).has_table(table):
        return pd.DataFrame()
    q = sa.text(f'select * from "{table}" where municipality_code = :m')  # noqa: S608 - fixed names
    return pd.read_sql(q, conn, params={"m": municipality})


def link(
    inputs: list[Path], grants: pd.DataFrame, municipality: int, out: Path, tmp: Path
) -> tuple[int, int, int]:
    """Write the expense table to out; (rows, rows without citizen, rows with a citizen but no
    unambiguous grant)."""
    g = grants.reindex(
        columns=["grant_id", "citizen_id", "offer_type_code", "start_date", "end_date", "offer_id"]
    ).astype(object)
    for c in ("start_date", "end_date"):
        g[c] = pd.to_datetime(g[c]).dt.date
    con = duckdb.connect()
    try:
        con.execute("set temp_directory = ?", [str(tmp / "spill")])
        con.execute("set memory_limit = '1GB'")
        con.execute("set preserve_insertion_order = false")
        con.register("g", pa.Table.from_pandas(g, preserve_index=False))
        con.read_parquet([str(p) for p in inputs], union_by_name=True).select(COLUMNS).create_view(
            "e"
        )
        con.sql(
            f"""
                with m as (
                    select e.expense_id, count(g.grant_id) as n, min(g.grant_id) as grant_id,
                           min(g.offer_id) as offer_id
                    from e join g
                      on g.citizen_id = e.citizen_id and g.offer_type_code = e.offer_type_code
                     and e.posting_date >= cast(g.start_date as date)
                     and (g.end_date is null or e.posting_date <= cast(g.end_date as date))
                    group by e.expense_id
                )
                select e.expense_id, {int(municipality)} as municipality_code, e.posting_date,
                       e.amount_dkk, e.account_function, e.offer_type_code,
                       case when m.n = 1 then m.grant_id end as grant_id, e.citizen_id,
                       case when m.n = 1 then m.offer_id end as offer_id
                from e left join m on m.expense_id = e.expense_id
            """  # noqa: S608 - a municipality number, no input text
        ).write_parquet(str(out))
        rows, no_citizen, unlinked = con.execute(
            "select count(*), count(*) filter (where citizen_id is null), "
            "count(*) filter (where citizen_id is not null and grant_id is null) "
            "from read_parquet(?)",
            [str(out)],
        ).fetchone()
    finally:
        con.close()
    return int(rows), int(no_citizen), int(unlinked)


def erp_citizens(path: Path) -> list[dict]:
    """One row per pseudonym in the postings just read: birth year, target group hint."""
    with duckdb.connect() as con:
        rows = con.execute(
            "select citizen_id, min(birth_year), mode(target_group) "
            "from read_parquet(?) where citizen_id is not null group by citizen_id",
            [str(path)],
        ).fetchall()
    return [{"citizen_id": c, "birth_year": int(b), "target_group": t or ""} for c, b, t in rows]
