"""The cockpit's own state store: what users create (saved scenarios, worklist statuses,
self-assessment answers, fetched public figures).

- `COCKPIT_STATE_URL`, default `sqlite:///data/state.sqlite` (WAL mode, several processes may
  write at once); any SQLAlchemy URL in production (PostgreSQL tested).
- Never the warehouse the cockpit reads from, and never the audit log's store.
- Every table carries `municipality_code`. Nothing here is cached: each call reads the store.
- Migrations are plain, versioned SQL files in `cockpit/state_migrations/NNN_name.sql`, applied in
  order at first use and recorded in `state_schema_version`.
- Statements are SQL files in `queries/state/<name>.sql` with bind parameters only.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from cockpit import db

MIGRATIONS = Path(__file__).resolve().parent / "state_migrations"
STATEMENTS = db.QUERIES / "state"
DEFAULT_PATH = db.ROOT / "data" / "state.sqlite"
_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class StateUnavailable(RuntimeError):
    """The state store cannot be reached or written."""


def url() -> str:
    """COCKPIT_STATE_URL, else the SQLite file beside the embedded database."""
    return os.environ.get("COCKPIT_STATE_URL") or f"sqlite:///{DEFAULT_PATH}"


def _check_separate(state_url: str) -> None:
    """The state store is never the database the cockpit reads from, nor the audit store."""
    reads = db.default_url()
    audit = os.environ.get("COCKPIT_AUDIT_URL") or ""
    if state_url in {reads, audit}:
        raise StateUnavailable(
            "COCKPIT_STATE_URL må ikke pege på den database, cockpittet læser fra, "
            "eller på revisionslogens database."
        )


_ENGINES: dict[str, sa.Engine] = {}
_LOCK = threading.Lock()


def _on_connect_sqlite(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("pragma journal_mode=wal")
    cur.execute("pragma busy_timeout=10000")
    cur.execute("pragma foreign_keys=on")
    cur.close()


def engine() -> sa.Engine:
    """The state store's engine for this process; migrates the store on first use."""
    state_url = url()
    with _LOCK:
        if state_url not in _ENGINES:
            _check_separate(state_url)
            parsed = sa.engine.make_url(state_url)
            if parsed.get_backend_name() == "sqlite" and parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            eng = sa.create_engine(state_url, pool_pre_ping=True)
            if eng.dialect.name == "sqlite":
                sa.event.listen(eng, "connect", _on_connect_sqlite)
            try:
                migrate(eng)
            except sa.exc.SQLAlchemyError as exc:
                eng.dispose()
                raise StateUnavailable(
                    "Cockpittets egen database (til gemte scenarier, arbejdslister og "
                    "selvevaluering) kan ikke åbnes eller skrives."
                ) from exc
            _ENGINES[state_url] = eng
        return _ENGINES[state_url]


def release() -> None:
    """Close this process's state-store connections (tests switch COCKPIT_STATE_URL)."""
    with _LOCK:
        engines = list(_ENGINES.values())
        _ENGINES.clear()
    for e in engines:
        e.dispose()


def migrations() -> list[tuple[int, Path]]:
    """The migration files in version order."""
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        m = _MIGRATION.match(path.name)
        if not m:
            raise ValueError(f"Ugyldigt migreringsnavn: {path.name}")
        found.append((int(m.group(1)), path))
    versions = [v for v, _ in found]
    if len(versions) != len(set(versions)):
        raise ValueError("To migreringer har samme versionsnummer")
    return found


def _statements(text: str) -> list[str]:
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def migrate(eng: sa.Engine) -> list[int]:
    """Apply every migration not yet applied, each in its own transaction; returns those applied.
    Several processes may start at once: a version applied by another process meanwhile is
    skipped (the primary key on the version refuses the second insert)."""
    applied: list[int] = []
    with eng.begin() as conn:
        conn.exec_driver_sql(
            "create table if not exists state_schema_version ("
            " version integer primary key, name varchar(200) not null,"
            " applied_at timestamp not null default current_timestamp)"
        )
    for version, path in migrations():
        with eng.begin() as conn:
            done = conn.execute(
                sa.text("select 1 from state_schema_version where version = :v"), {"v": version}
            ).first()
            if done:
                continue
            for statement in _statements(path.read_text(encoding="utf-8")):
                conn.exec_driver_sql(statement)
            conn.execute(
                sa.text("insert into state_schema_version (version, name) values (:v, :n)"),
                {"v": version, "n": path.name},
            )
            applied.append(version)
    return applied


def statement(name: str) -> str:
    """The text of queries/state/<name>.sql; the name must be a plain identifier."""
    if not _NAME.match(name):
        raise ValueError(f"Ugyldigt sætningsnavn: {name!r}")
    path = STATEMENTS / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"Sætningen {name!r} findes ikke")
    return path.read_text(encoding="utf-8")


def _bind(text: str, params: dict) -> dict:
    return {k: v for k, v in params.items() if re.search(rf"(?<!:):{k}\b", text)}


@contextmanager
def transaction() -> Iterator[sa.Connection]:
    """One transaction on the state store: all statements in it land together or not at all."""
    try:
        with engine().begin() as conn:
            yield conn
    except sa.exc.OperationalError as exc:
        raise StateUnavailable(
            "Cockpittets egen database kan ikke skrives lige nu. Intet er gemt."
        ) from exc


def rows(name: str, conn: sa.Connection | None = None, **params) -> list[dict]:
    """Run a select from queries/state/<name>.sql; every row as a dict."""
    text = statement(name)
    if conn is not None:
        result = conn.execute(sa.text(text), _bind(text, params))
        return [dict(r._mapping) for r in result]
    with engine().connect() as c:
        result = c.execute(sa.text(text), _bind(text, params))
        return [dict(r._mapping) for r in result]


def execute(name: str, conn: sa.Connection | None = None, **params) -> int:
    """Run an insert/update/delete from queries/state/<name>.sql; returns the rows affected."""
    text = statement(name)
    if conn is not None:
        return conn.execute(sa.text(text), _bind(text, params)).rowcount
    with transaction() as c:
        return c.execute(sa.text(text), _bind(text, params)).rowcount
