"""The only module that knows SQL files: opens the database, loads queries/<name>.sql, binds, runs."""

from __future__ import annotations

import functools
import os
import re
import threading
from decimal import Decimal
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
SCHEMA = ROOT / "sample_data" / "schema.sql"
DEFAULT_DUCKDB = ROOT / "data" / "cockpit.duckdb"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# Every table of the data contract, in load order (reference tables first).
TABLES = (
    "municipality",
    "population",
    "offer_type",
    "offer",
    "citizen",
    "decision",
    "grant",
    "contract",
    "expense",
    "budget",
    "goal",
    "assessment",
    "followup",
    "strategy_target",
)


# Tables outside the data contract that the generator may write: the demo's synthetic comparison
# municipalities, as aggregates (sample_data/peer_aggregate.sql).
OPTIONAL_TABLES = ("peer_aggregate", "peer_aggregate_offer_type")

# Optional contract tables (issue 18, køb og salg af pladser): read only where they exist.
MARKET_TABLES = ("support_schedule", "place_sale", "offer_budget", "tilbudsportalen_offer")


class DatabaseMissing(RuntimeError):
    """The configured database does not exist or cannot be reached."""


def default_url() -> str:
    """COCKPIT_DATABASE_URL if set, else the embedded DuckDB file."""
    return os.environ.get("COCKPIT_DATABASE_URL") or f"duckdb:///{DEFAULT_DUCKDB}"


def duckdb_path(url: str) -> Path | None:
    """The file behind a duckdb:/// URL, or None for other databases and in-memory DuckDB."""
    u = sa.engine.make_url(url)
    if u.get_backend_name() != "duckdb" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def generation(url: str) -> str:
    """Which version of the database a URL points at now: for a DuckDB file its inode and
    modification time (an import swaps a new file in, which changes both), for a warehouse a
    constant (its refresh is the warehouse's business). Part of every cache key."""
    path = duckdb_path(url)
    if path is None:
        return "warehouse"
    try:
        st = path.stat()
    except FileNotFoundError:
        return "missing"
    return f"{st.st_ino}:{st.st_mtime_ns}"


# url -> (generation, engine, the DuckDB instance the engine's cursors come from or None)
_ENGINES: dict[str, tuple[str, sa.Engine, object]] = {}
_ENGINES_LOCK = threading.Lock()


def _duckdb_read_engine(path: Path) -> tuple[sa.Engine, object]:
    """A read-only engine on one generation of a DuckDB file. DuckDB's Python module keeps one
    database instance per file path while any connection to it is open, so a plain reconnect after
    an import's swap could land on the old, replaced file. Instead each generation gets its own
    in-memory instance with the file attached read-only, and the pool hands out cursors of it."""
    import duckdb
    from duckdb_engine import ConnectionWrapper

    root = duckdb.connect(":memory:")
    quoted = str(path).replace("'", "''")
    root.execute(f"attach '{quoted}' as cockpit (read_only)")
    cursor_lock = threading.Lock()

    def connect() -> ConnectionWrapper:
        with cursor_lock:
            cursor = root.cursor()
        cursor.execute("use cockpit")
        return ConnectionWrapper(cursor)

    read = sa.create_engine("duckdb:///:memory:", creator=connect, poolclass=sa.pool.QueuePool)
    return read, root


def engine(url: str) -> sa.Engine:
    """One read engine per URL; for a DuckDB file a new one when its generation changes (an import
    swapped a new file in), so the next query reads the new file. Read-only, so several cockpit
    processes and the CLI can read one file at once while an import builds the next one beside it."""
    path = duckdb_path(url)
    current = generation(url)
    with _ENGINES_LOCK:
        old = _ENGINES.get(url)
        if old is not None and old[0] == current:
            return old[1]
        if path is not None and current == "missing":
            raise DatabaseMissing(f"Databasefilen {path} findes ikke.")
        root = None
        if path is not None:
            try:
                new, root = _duckdb_read_engine(path)
            except Exception as exc:  # noqa: BLE001 - duckdb raises its own error types
                raise DatabaseMissing(f"Databasefilen {path} kan ikke åbnes: {exc}") from exc
        else:
            new = sa.create_engine(url, pool_pre_ping=True)
        _ENGINES[url] = (current, new, root)
    if old is not None:
        # Idle connections to the replaced file close now; a query still running on one finishes
        # on the old file (still readable after the swap); the old instance goes with its last
        # connection.
        old[1].dispose()
    return new


def release(url: str | None = None) -> None:
    """Close this process's pooled read connections (to one URL, or all); they reopen on demand."""
    with _ENGINES_LOCK:
        urls = [url] if url is not None else list(_ENGINES)
        entries = [_ENGINES.pop(u) for u in urls if u in _ENGINES]
    for _generation, e, root in entries:
        e.dispose()
        if root is not None:
            root.close()  # detach the file now: a writer in this process may follow


_INCLUDE = re.compile(r"^([ \t]*)-- include: ([a-z][a-z0-9_]*)(,?)[ \t]*$", re.MULTILINE)


def _include(match: re.Match) -> str:
    """A shared block of queries/base/<name>.sql (its own includes resolved), indented like its
    marker line; a marker ending in a comma puts one after the block (more CTEs follow)."""
    indent, name, comma = match.group(1), match.group(2), match.group(3)
    text = (QUERIES / "base" / f"{name}.sql").read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if not line.startswith("--")]
    block = "\n".join(indent + line if line else line for line in body).rstrip()
    return _INCLUDE.sub(_include, block) + comma


@functools.cache
def sql(name: str) -> str:
    """The text of queries/<name>.sql; the name must be a plain identifier. A line
    `-- include: BLOCK` is replaced verbatim by queries/base/BLOCK.sql (its comment lines dropped),
    static text with the same bind parameters."""
    if not _NAME.match(name):
        raise ValueError(f"Ugyldigt forespørgselsnavn: {name!r}")
    path = QUERIES / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"Forespørgslen {name!r} findes ikke")
    return _INCLUDE.sub(_include, path.read_text(encoding="utf-8"))


@functools.cache
def _parameters(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"(?<![:\w]):([a-z_][a-z0-9_]*)\b", sql(name)))


def bound(name: str, params: dict) -> dict:
    """The parameters queries/<name>.sql names (only these are sent, and only these key a cache)."""
    names = _parameters(name)
    return {k: v for k, v in params.items() if k in names}


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Decimal columns (numeric in SQL) become floats, so pandas can compute with them."""
    for col in df.columns:
        if df[col].dtype == object and df[col].map(lambda v: isinstance(v, Decimal)).any():
            df[col] = pd.to_numeric(
                df[col].map(lambda v: float(v) if isinstance(v, Decimal) else v)
            )
    return df


def query(name: str, params: dict, url: str | None = None) -> pd.DataFrame:
    """Run queries/<name>.sql with bind parameters; only the parameters the query names are sent."""
    text, wanted = sql(name), bound(name, params)
    try:
        with engine(url or default_url()).connect() as conn:
            result = conn.execute(sa.text(text), wanted)
            df = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    except sa.exc.OperationalError as exc:
        raise DatabaseMissing(str(exc.orig)) from exc
    return _plain(df)


def has_table(name: str, url: str | None = None) -> bool:
    """Whether the database holds a table or view of that name (optional tables, such as the
    demo's synthetic comparison figures, are read only where they exist)."""
    try:
        with engine(url or default_url()).connect() as conn:
            return sa.inspect(conn).has_table(name)
    except sa.exc.OperationalError as exc:
        raise DatabaseMissing(str(exc.orig)) from exc


def create_schema(conn: sa.Connection) -> None:
    """Create every table of the data contract if it does not exist (portable DDL)."""
    for statement in SCHEMA.read_text(encoding="utf-8").split(";"):
        body = "\n".join(
            line for line in statement.splitlines() if not line.strip().startswith("--")
        ).strip()
        if body:
            conn.exec_driver_sql(body)


def writable_engine(url: str) -> sa.Engine:
    """An engine for the generator and importer; creates the DuckDB file (and its folder) if needed."""
    path = duckdb_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        release(url)  # DuckDB refuses a writer while this process holds the file read-only
    return sa.create_engine(url)


def insert_frame(conn: sa.Connection, table: str, df: pd.DataFrame) -> None:
    """Append a DataFrame to a contract table in bulk (DuckDB: from Arrow; PostgreSQL: COPY)."""
    if table not in TABLES + ("data_load",) + OPTIONAL_TABLES + MARKET_TABLES:
        raise ValueError(f"Ukendt tabel: {table}")
    if df.empty:
        return
    cols = ", ".join(f'"{c}"' for c in df.columns)
    dialect = conn.dialect.name
    raw = conn.connection.driver_connection
    if dialect == "duckdb":
        raw.register("_frame", df)
        try:
            raw.execute(f'insert into "{table}" ({cols}) select {cols} from _frame')  # noqa: S608
        finally:
            raw.unregister("_frame")
    elif dialect == "postgresql":
        import io

        buf = io.StringIO()
        df.to_csv(buf, index=False, header=False, na_rep="\\N")
        with raw.cursor() as cur:
            with cur.copy(
                f"copy \"{table}\" ({cols}) from stdin with (format csv, null '\\N')"
            ) as copy:
                copy.write(buf.getvalue())
    else:
        df.to_sql(table, conn, if_exists="append", index=False, chunksize=10_000)


def delete_municipalities(conn: sa.Connection, table: str, codes: list[int]) -> None:
    """Remove the given municipalities' rows from one table (reference tables keep other keys)."""
    if table not in TABLES + ("data_load",) + MARKET_TABLES:
        raise ValueError(f"Ukendt tabel: {table}")
    if table == "offer_type":
        return
    # Table names come from the TABLES whitelist, never from input.
    statement = sa.text(f'delete from "{table}" where municipality_code in :codes')  # noqa: S608
    conn.execute(
        statement.bindparams(sa.bindparam("codes", expanding=True)),
        {"codes": [int(c) for c in codes]},
    )
