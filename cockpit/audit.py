"""The append-only audit log (revisionslog): every citizen-level view, every export and every change
to a worklist item, who, when, which role, page, citizen pseudonym and filters (for a change: the
item and its status before and after); kept in its own store, never in the warehouse."""

from __future__ import annotations

import functools
import json
import os
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol

import pandas as pd
import sqlalchemy as sa

from cockpit import audit_chain

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "data" / "audit.sqlite"

Action = Literal["view", "export", "search", "change"]
ACTION_LABELS = {
    "view": "Visning",
    "export": "Eksport",
    "search": "Søgning i revisionsloggen",
    "change": "Ændring i arbejdsliste",
    "genesis": "Kædens start",
}
# What the user sees when the log cannot be written (the data or file is withheld).
UNAVAILABLE_TEXT = (
    "Data vises ikke, fordi revisionsloggen ikke kan skrives. Alle opslag i oplysninger om borgere "
    "og alle eksporter skal logges, før data vises. Kontakt din administrator."
)

# Portable DDL (SQLite, PostgreSQL, DuckDB). One row per citizen per event; an event without a
# citizen (an aggregate export, an empty list) has one row with citizen_id null.
DDL = (
    """
    create table if not exists audit_log (
        event_id text not null,
        logged_at text not null,
        user_id text not null,
        role text not null,
        action text not null,
        page text not null,
        source text not null,
        municipality_code integer,
        citizen_id text,
        filters text not null,
        row_count integer not null
    )
    """,
    "create index if not exists audit_log_citizen on audit_log (citizen_id)",
    "create index if not exists audit_log_logged_at on audit_log (logged_at)",
)

# The log is insert-only: the store itself refuses updates and deletes.
APPEND_ONLY = {
    "sqlite": (
        """
        create trigger if not exists audit_log_no_update before update on audit_log
        begin select raise(abort, 'audit_log is append-only'); end
        """,
        """
        create trigger if not exists audit_log_no_delete before delete on audit_log
        begin select raise(abort, 'audit_log is append-only'); end
        """,
    ),
    "postgresql": (
        """
        create or replace function audit_log_append_only() returns trigger
        language plpgsql as $$
        begin
            raise exception 'audit_log is append-only';
        end
        $$
        """,
        """
        create or replace trigger audit_log_no_change
        before update or delete or truncate on audit_log
        for each statement execute function audit_log_append_only()
        """,
    ),
}

# Search conditions are fixed fragments chosen by which filters are given; values are bound.
SEARCH_CONDITIONS = {
    "citizen_id": "citizen_id = :citizen_id",
    "user_id": "user_id = :user_id",
    "municipality_code": "municipality_code = :municipality_code",
    "since": "logged_at >= :since",
    "until": "logged_at < :until",
}
NOT_GENESIS = "action <> 'genesis'"  # the chain's first row is no lookup; searches skip it
SEARCH_COLUMNS = (
    "logged_at, user_id, role, action, page, source, municipality_code, citizen_id, filters, "
    "row_count, event_id"
)


class Who(Protocol):
    user: str
    role: str


class AuditUnavailable(RuntimeError):
    """The audit log cannot be written; citizen data must then not be shown."""


def default_url() -> str:
    """COCKPIT_AUDIT_URL if set, else a SQLite file in WAL mode beside the embedded database."""
    return os.environ.get("COCKPIT_AUDIT_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    # WAL lets several cockpit processes append at once (one writer at a time, readers never
    # blocked); busy_timeout makes a writer wait for the lock instead of failing; FULL sync
    # because an audit row must survive a power cut.
    cursor = dbapi_connection.cursor()
    cursor.execute("pragma journal_mode=wal")
    cursor.execute("pragma synchronous=full")
    cursor.execute("pragma busy_timeout=30000")
    cursor.close()
    audit_chain.on_sqlite_connect(dbapi_connection)


@functools.cache
def engine(url: str) -> sa.Engine:
    """One engine per audit URL, with the table (and its append-only guard) created once."""
    u = sa.engine.make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        eng = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(eng, "connect", _on_sqlite_connect)
        sa.event.listen(eng, "begin", audit_chain.on_sqlite_begin)
    else:
        eng = sa.create_engine(url, pool_pre_ping=True)
    # Under the append lock: several processes starting at once must not deadlock on the DDL.
    with eng.connect().execution_options(audit_append=True) as conn, conn.begin():
        audit_chain.lock(conn)
        for statement in DDL + APPEND_ONLY.get(eng.dialect.name, ()):
            conn.exec_driver_sql(statement)
        audit_chain.migrate(conn)
    return eng


def ready(url: str | None = None) -> None:
    """Raise AuditUnavailable unless the store opens and the anchor's folder is writable (checked
    when a download button is drawn, so a click never meets Streamlit's generic error)."""
    url = url or default_url()
    try:
        engine(url)
        folder = audit_chain.anchor_path(url).parent
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise PermissionError(folder)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        raise AuditUnavailable(f"Revisionsloggen kan ikke skrives: {type(exc).__name__}") from exc


def _now() -> str:
    # Fixed-width ISO 8601 in UTC, so text comparison orders and filters correctly everywhere.
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _filters_json(filters: Mapping | None) -> str:
    return json.dumps(dict(filters or {}), ensure_ascii=False, sort_keys=True, default=str)


def _log(
    who: Who | None,
    action: Action,
    *,
    page: str,
    source: str,
    citizens: Iterable[str | None] = (),
    filters: Mapping | None = None,
    municipality: int | None = None,
    row_count: int = 0,
    url: str | None = None,
) -> str:
    if who is None:
        raise AuditUnavailable("Ingen bruger: handlingen kan ikke logges.")
    ids = sorted({str(c) for c in citizens if c is not None and not pd.isna(c)}) or [None]
    event_id = uuid.uuid4().hex
    base = {
        "event_id": event_id,
        "logged_at": _now(),
        "user_id": str(who.user),
        "role": str(who.role),
        "action": action,
        "page": page,
        "source": source,
        "municipality_code": None if municipality is None else int(municipality),
        "filters": _filters_json(filters),
        "row_count": int(row_count),
    }
    url = url or default_url()
    try:
        head = audit_chain.append(engine(url), [{**base, "citizen_id": c} for c in ids])
        audit_chain.write_anchor(audit_chain.anchor_path(url), head)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        raise AuditUnavailable(f"Revisionsloggen kan ikke skrives: {type(exc).__name__}") from exc
    return event_id


def log_view(
    who: Who | None,
    *,
    page: str,
    source: str,
    citizens: Iterable[str | None],
    filters: Mapping | None = None,
    municipality: int | None = None,
    row_count: int = 0,
    url: str | None = None,
) -> str:
    """Log a citizen-level view (one row per citizen shown) before the data is shown; returns the
    event id. Raises AuditUnavailable when the log cannot be written."""
    return _log(
        who,
        "view",
        page=page,
        source=source,
        citizens=citizens,
        filters=filters,
        municipality=municipality,
        row_count=row_count,
        url=url,
    )


def log_export(
    who: Who | None,
    *,
    page: str,
    source: str,
    citizens: Iterable[str | None] = (),
    filters: Mapping | None = None,
    municipality: int | None = None,
    row_count: int = 0,
    url: str | None = None,
) -> str:
    """Log an export (every download, aggregate or citizen-level) before the file is handed out.
    `source` names what was exported (the file name); `citizens` the pseudonyms in the file."""
    return _log(
        who,
        "export",
        page=page,
        source=source,
        citizens=citizens,
        filters=filters,
        municipality=municipality,
        row_count=row_count,
        url=url,
    )


def log_change(
    who: Who | None,
    *,
    page: str,
    source: str,
    citizens: Iterable[str | None],
    details: Mapping,
    municipality: int | None = None,
    url: str | None = None,
) -> str:
    """Log a change to something a user keeps about citizens (a worklist item): `details` names the
    item and the values before and after. Free text (a note) never goes in: only that it changed
    and its SHA-256. Raises AuditUnavailable when the log cannot be written (the change is then
    not saved)."""
    return _log(
        who,
        "change",
        page=page,
        source=source,
        citizens=citizens,
        filters=details,
        municipality=municipality,
        row_count=1,
        url=url,
    )


def log_search(
    who: Who | None, *, citizen: str | None, filters: Mapping | None = None, url: str | None = None
) -> str:
    """Log a search in the audit log itself (who looked up whose log)."""
    return _log(
        who,
        "search",
        page="revisionslog",
        source="audit_log",
        citizens=[citizen],
        filters=filters,
        url=url,
    )


def search(
    *,
    citizen: str | None = None,
    user: str | None = None,
    municipality: int | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 5000,
    url: str | None = None,
) -> pd.DataFrame:
    """Audit rows, newest first; `since`/`until` are dates (UTC), both included."""
    given = {
        "citizen_id": citizen or None,
        "user_id": user or None,
        "municipality_code": municipality,
        "since": since.isoformat() if since else None,
        "until": (until + timedelta(days=1)).isoformat() if until else None,
    }
    params = {k: v for k, v in given.items() if v is not None}
    where = " and ".join([NOT_GENESIS, *(SEARCH_CONDITIONS[k] for k in params)])
    # Only whitelisted fragments are joined into the statement; every value is a bind parameter.
    statement = sa.text(
        f"select {SEARCH_COLUMNS} from audit_log where {where} "  # noqa: S608
        "order by logged_at desc, event_id limit :limit"
    )
    with engine(url or default_url()).connect() as conn:
        result = conn.execute(statement, {**params, "limit": int(limit)})
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def verify(url: str | None = None) -> audit_chain.Verdict:
    """Check the hash chain of the audit log (and its anchor file); names the first broken row."""
    url = url or default_url()
    try:
        eng = engine(url)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        return audit_chain.Verdict(
            False, 0, f"Revisionsloggen kan ikke læses: {type(exc).__name__}"
        )
    return audit_chain.verify(eng, audit_chain.anchor_path(url))


LOCAL_TIME = "Europe/Copenhagen"
COLUMNS = {
    "logged_at": "Tidspunkt",
    "user_id": "Bruger",
    "role": "Rolle",
    "action": "Handling",
    "page": "Side",
    "source": "Kilde",
    "municipality_code": "Kommune",
    "citizen_id": "Borger (pseudonym)",
    "filters": "Filtre",
    "row_count": "Rækker",
}


def _local(stamp: str) -> str:
    from zoneinfo import ZoneInfo

    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(LOCAL_TIME)).strftime("%d.%m.%Y %H:%M:%S")


def _filters_text(text: str) -> str:
    try:
        shown = json.loads(text)
    except ValueError:
        return text
    return ", ".join(f"{k}={v}" for k, v in shown.items())


def present(frame: pd.DataFrame) -> pd.DataFrame:
    """Audit rows as the revisionslog page shows and exports them: Danish headers, local time,
    role, action and page in words."""
    from cockpit import auth, navigation

    titles = {p.url_path: p.title for p in navigation.PAGES}
    out = pd.DataFrame(
        {
            "logged_at": [_local(s) for s in frame["logged_at"]],
            "user_id": frame["user_id"],
            "role": [auth.ROLE_LABELS.get(r, r) for r in frame["role"]],
            "action": [ACTION_LABELS.get(a, a) for a in frame["action"]],
            "page": [titles.get(p, p) for p in frame["page"]],
            "source": frame["source"],
            "municipality_code": frame["municipality_code"].astype("Int64"),
            "citizen_id": frame["citizen_id"],
            "filters": [_filters_text(f) for f in frame["filters"]],
            "row_count": frame["row_count"].astype("int64"),
        }
    )
    return out.rename(columns=COLUMNS)
