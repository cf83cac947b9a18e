"""The staging area: every validated chunk is written typed to one Parquet file per table in a
temporary folder, where DuckDB looks for duplicate keys (out of core if needed) and from which the
write step reads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from cockpit.ingest.contract import ARROW_TYPES, CONTRACT, DATA_DATE, KEYS, arrow_schema
from cockpit.ingest.files import Source
from cockpit.ingest.problems import MAX_PER_KIND, Collector

WRITE_CHUNK_ROWS = 250_000


@dataclass
class Stage:
    folder: Path
    writers: dict[str, pq.ParquetWriter] = field(default_factory=dict)

    def path(self, table: str) -> Path:
        return self.folder / f"{table}.parquet"

    def add(self, table: str, typed: dict[str, pa.Array], rows: np.ndarray) -> None:
        """Append one checked chunk (typed columns plus the source's row numbers as _row)."""
        schema = arrow_schema(table, with_row=True)
        arrays = [typed[c.name].cast(ARROW_TYPES[c.type]) for c in CONTRACT[table]]
        chunk = pa.Table.from_arrays([*arrays, pa.array(rows, pa.int64())], schema=schema)
        if table not in self.writers:
            self.writers[table] = pq.ParquetWriter(self.path(table), schema)
        self.writers[table].write_table(chunk)

    def close(self, tables: list[str]) -> None:
        """Finish every file; a table with no rows (a header-only file) gets an empty one."""
        for writer in self.writers.values():
            writer.close()
        for table in tables:
            if table not in self.writers:
                pq.write_table(arrow_schema(table, with_row=True).empty_table(), self.path(table))

    def frames(self, table: str) -> Iterator[pd.DataFrame]:
        """The staged rows as pandas frames with the contract's columns, a batch at a time."""
        columns = [c.name for c in CONTRACT[table]]
        pf = pq.ParquetFile(self.path(table))
        mapper = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}.get
        for batch in pf.iter_batches(batch_size=WRITE_CHUNK_ROWS, columns=columns):
            yield batch.to_pandas(types_mapper=mapper, date_as_object=False)

    def check_duplicates(
        self, con: duckdb.DuckDBPyConnection, src: Source, problems: Collector
    ) -> None:
        """Keys seen more than once, found by DuckDB over the staged file."""
        keys = KEYS[src.table]
        cols = ", ".join(f'"{k}"' for k in keys)
        not_null = " and ".join(f'"{k}" is not null' for k in keys)
        path = str(self.path(src.table))
        # Column names come from the contract whitelist; the file path is a bind parameter.
        con.execute(
            f"create or replace temp table dup as select {cols}, count(*) as n, min(_row) as first "  # noqa: S608
            f"from read_parquet($path) where {not_null} group by all having count(*) > 1",
            {"path": path},
        )
        total = con.execute("select coalesce(sum(n - 1), 0) from dup").fetchone()
        if not total or not total[0]:
            return
        shown = con.execute(
            f"select {cols}, dup.first, t._row from read_parquet($path) t join dup using ({cols}) "  # noqa: S608
            "where t._row > dup.first order by t._row limit $limit",
            {"path": path, "limit": MAX_PER_KIND},
        ).fetchall()
        labels = [
            (", ".join(f"{k}={v}" for k, v in zip(keys, record, strict=False)), record[-2])
            for record in shown
        ]
        rows = [record[-1] for record in shown] + [0] * (int(total[0]) - len(shown))
        column = ", ".join(k for k in keys if k != "municipality_code") or keys[0]
        problems.add_rows(
            src.label,
            column,
            "dobbelt nøgle",
            rows,
            labels,
            lambda v: f"Nøglen ({v[0]}) findes også i række {v[1]}",  # type: ignore[index]
        )

    def stats(
        self, con: duckdb.DuckDBPyConnection, table: str
    ) -> dict[int, tuple[int, date | None]]:
        """Row count and data date per municipality (key -1 for offer_type, which has none)."""
        column = DATA_DATE.get(table)
        if column == "year":
            latest = "make_date(cast(max(year) as integer), 1, 1)"
        elif column:
            latest = f'max("{column}")'
        else:
            latest = "cast(null as date)"
        group = "municipality_code" if table != "offer_type" else "-1"
        rows = con.execute(
            f"select {group}, count(*), {latest} from read_parquet(?) group by all",  # noqa: S608
            [str(self.path(table))],
        ).fetchall()
        return {int(code): (int(count), when) for code, count, when in rows}
