"""The foreign keys of the data contract (contract.FOREIGN_KEYS), checked over the whole result
the import would leave behind, within each municipality the import replaces:

- a row in the import refers to a row in the import, or (when the parent table is not in the
  import) to a row the database keeps for that municipality;
- a row the database keeps (its table is not in the import) refers to a row that is still there
  after the import: an imported table may not drop keys that kept rows still refer to.

Unknown references are problems naming file, row, column and the missing key; nothing changes.
DuckDB runs the anti-joins over the staged Parquet files (out of core); the database's keys are
read once per (table, column) with bind parameters, as distinct values, into the staging folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from cockpit.ingest.contract import FOREIGN_KEYS
from cockpit.ingest.files import Source
from cockpit.ingest.problems import MAX_PER_KIND, Collector
from cockpit.ingest.stage import Stage

_KEY_SCHEMA = pa.schema([("municipality_code", pa.int64()), ("key", pa.string())])
BATCH_ROWS = 100_000


def check_references(
    con: duckdb.DuckDBPyConnection,
    stage: Stage,
    sources: dict[str, Source],
    replaced: set[int],
    engine: sa.Engine | None,
    problems: Collector,
) -> None:
    """Every foreign key, for the municipalities the import replaces."""
    if not replaced:
        return  # no fact table has a row: nothing is replaced, nothing can dangle
    check = _References(con, stage, problems, _DatabaseKeys(engine, stage.folder, sorted(replaced)))
    for table, column, parent, key in FOREIGN_KEYS:
        if table in sources and parent in sources:
            where = f"i {sources[parent].label}"
            check.imported_rows(sources[table], column, stage.path(parent), key, where)
        elif table in sources:
            where = f"i tabellen {parent} i databasen, og {parent} er ikke med i importen"
            check.imported_rows(sources[table], column, check.kept.path(parent, key), "key", where)
        elif parent in sources:
            check.kept_rows(table, column, sources[parent], key)


class _References:
    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        stage: Stage,
        problems: Collector,
        kept: _DatabaseKeys,
    ) -> None:
        self.con, self.stage, self.problems, self.kept = con, stage, problems, kept

    def imported_rows(
        self, src: Source, column: str, parent_path: Path, parent_key: str, where: str
    ) -> None:
        """Rows of an imported table whose reference is in neither the import nor the kept rows."""
        # Column names come from the contract whitelist; the file paths are bind parameters.
        self.con.execute(
            f'create or replace temp table missing as select c._row as row, c."{column}" as value, '  # noqa: S608
            "c.municipality_code as m from read_parquet($child) c "
            "anti join read_parquet($parent) p on p.municipality_code = c.municipality_code "
            f'and p."{parent_key}" = c."{column}" where c."{column}" is not null',
            {"child": str(self.stage.path(src.table)), "parent": str(parent_path)},
        )

        def message(v: object, m: object) -> str:
            return f"Nøglen {column} '{v}' findes ikke {where} (kommune {m})"

        self.report(src.label, column, message)

    def kept_rows(self, table: str, column: str, parent: Source, parent_key: str) -> None:
        """Keys that rows the database keeps (their table is not in the import) still refer to,
        but which the imported parent table no longer has."""
        self.con.execute(
            "create or replace temp table missing as select null::bigint as row, c.key as value, "  # noqa: S608
            "c.municipality_code as m from read_parquet($child) c "
            "anti join read_parquet($parent) p on p.municipality_code = c.municipality_code "
            f'and p."{parent_key}" = c.key',
            {
                "child": str(self.kept.path(table, column)),
                "parent": str(self.stage.path(parent.table)),
            },
        )

        def message(v: object, m: object) -> str:
            return (
                f"Nøglen {parent_key} '{v}' mangler (kommune {m}): rækker i tabellen {table} i "
                f"databasen henviser til den, og {table} er ikke med i importen; tag {table} med "
                "i importen, eller behold nøglen"
            )

        self.report(parent.label, parent_key, message)

    def report(self, label: str, column: str, message: Callable[[object, object], str]) -> None:
        total = self.con.execute("select count(*) from missing").fetchone()[0]
        if not total:
            return
        shown = self.con.execute(
            "select row, value, m from missing order by row nulls last, m, value limit $n",
            {"n": MAX_PER_KIND},
        ).fetchall()
        rows = [r for r, _, _ in shown] + [None] * (int(total) - len(shown))
        values = [(v, m) for _, v, m in shown]
        self.problems.add_rows(
            label,
            column,
            "ukendt nøgle",
            rows,
            values,
            lambda vm: message(*vm),  # type: ignore[misc]
        )


class _DatabaseKeys:
    """The distinct (municipality_code, column) values the database holds for the replaced
    municipalities, one Parquet file per (table, column), read on first use."""

    def __init__(self, engine: sa.Engine | None, folder: Path, codes: list[int]) -> None:
        self.engine, self.folder, self.codes = engine, folder, codes
        self.paths: dict[tuple[str, str], Path] = {}

    def path(self, table: str, column: str) -> Path:
        if (table, column) not in self.paths:
            path = self.folder / f"database-{table}-{column}.parquet"
            with pq.ParquetWriter(path, _KEY_SCHEMA) as writer:
                for batch in self._batches(table, column):
                    writer.write_table(batch)
            self.paths[table, column] = path
        return self.paths[table, column]

    def _batches(self, table: str, column: str) -> Iterator[pa.Table]:
        if self.engine is None:
            return
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(table):
                return
            # Names come from the contract whitelist; the municipalities are bind parameters.
            stmt = sa.text(
                f'select distinct municipality_code, "{column}" from "{table}" '  # noqa: S608
                f'where "{column}" is not null and municipality_code in :codes'
            ).bindparams(sa.bindparam("codes", expanding=True))
            result = conn.execution_options(stream_results=True).execute(
                stmt, {"codes": self.codes}
            )
            while rows := result.fetchmany(BATCH_ROWS):
                codes = pa.array([int(r[0]) for r in rows], pa.int64())
                keys = pa.array([str(r[1]) for r in rows], pa.string())
                yield pa.Table.from_arrays([codes, keys], schema=_KEY_SCHEMA)
