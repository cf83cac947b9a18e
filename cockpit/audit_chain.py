"""The audit log's hash chain: every row carries seq, prev_hash and row_hash = SHA-256 of the previous
row's hash and its own canonical content, so a changed, inserted or deleted row breaks the chain.

- Appends are serialised across processes (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level
  advisory lock), and seq is unique, so the chain never forks.
- The first chained row (seq 0, action "genesis") hashes the rows that existed before the chain
  started (a store from an older cockpit), so those cannot change unseen either.
- After each append the head (seq, hash, genesis hash) is written to an anchor file outside the
  store (COCKPIT_AUDIT_ANCHOR; default data/audit.anchor beside data/audit.sqlite), so deleting
  the newest rows, or the whole log, is detected too.
- verify() walks the chain and names the first broken row.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from cockpit.present import fmt

GENESIS = "genesis"
ZERO = "0" * 64
STREAM = {"stream_results": True}
# The content a row's hash covers, in this order (everything but the chain columns themselves).
CONTENT = (
    "event_id",
    "logged_at",
    "user_id",
    "role",
    "action",
    "page",
    "source",
    "municipality_code",
    "citizen_id",
    "filters",
    "row_count",
)
# Columns added to a store from before the chain (migration); `seq` is unique so no fork.
CHAIN_COLUMNS = {"seq": "integer", "prev_hash": "text", "row_hash": "text"}
SEQ_INDEX = "create unique index if not exists audit_log_seq on audit_log (seq)"
PG_LOCK = 7_302_215_118_531_839_847  # pg_advisory_xact_lock key of the audit log ("audit_lo")
HEAD = sa.text(
    "select seq, row_hash from audit_log where seq is not null order by seq desc limit 1"
)
INSERT = sa.text(
    "insert into audit_log (event_id, logged_at, user_id, role, action, page, source, "
    "municipality_code, citizen_id, filters, row_count, seq, prev_hash, row_hash) values "
    "(:event_id, :logged_at, :user_id, :role, :action, :page, :source, :municipality_code, "
    ":citizen_id, :filters, :row_count, :seq, :prev_hash, :row_hash)"
)
UNCHAINED = sa.text(
    f"select {', '.join(CONTENT)} from audit_log where seq is null "  # noqa: S608 (fixed names)
    "order by logged_at, event_id, citizen_id"
)
CHAIN = sa.text(
    f"select seq, prev_hash, row_hash, {', '.join(CONTENT)} from audit_log "  # noqa: S608
    "where seq is not null order by seq"
)


def canonical(row: Mapping) -> str:
    """A row's content as one stable text (JSON list in CONTENT order)."""
    values = []
    for key in CONTENT:
        v = row.get(key)
        if key in ("municipality_code", "row_count") and v is not None:
            v = int(v)
        values.append(v)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def row_hash(prev_hash: str, row: Mapping) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(row)}".encode()).hexdigest()


# ---------------------------------------------------------------- the store


def migrate(conn: sa.Connection) -> None:
    """Add the chain columns to a store created before the chain, and the unique seq index."""
    have = {c["name"] for c in sa.inspect(conn).get_columns("audit_log")}
    for name, type_ in CHAIN_COLUMNS.items():
        if name not in have:
            conn.exec_driver_sql(f"alter table audit_log add column {name} {type_}")
    conn.exec_driver_sql(SEQ_INDEX)


def on_sqlite_connect(dbapi_connection) -> None:
    """Let SQLAlchemy, not the sqlite3 module, begin transactions (see on_sqlite_begin)."""
    dbapi_connection.isolation_level = None


def on_sqlite_begin(conn: sa.Connection) -> None:
    """A writing transaction takes SQLite's write lock at once (BEGIN IMMEDIATE): two processes can
    never both read the same chain head and append after it."""
    immediate = conn.get_execution_options().get("audit_append", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def lock(conn: sa.Connection) -> None:
    # SQLite: the transaction began IMMEDIATE (on_sqlite_begin); the unique seq index is the
    # last guard on any store.
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": PG_LOCK})


def _digest(rows: Iterator[Mapping]) -> tuple[int, str]:
    h = hashlib.sha256()
    n = 0
    for row in rows:
        h.update(canonical(row).encode())
        h.update(b"\n")
        n += 1
    return n, h.hexdigest()


def _unchained(conn: sa.Connection) -> Iterator[Mapping]:
    result = conn.execute(UNCHAINED, execution_options=STREAM)
    yield from result.mappings()


def _genesis(conn: sa.Connection, logged_at: str) -> dict:
    n, digest = _digest(_unchained(conn))
    row = {
        "event_id": uuid.uuid4().hex,
        "logged_at": logged_at,
        "user_id": "cockpit",
        "role": "system",
        "action": GENESIS,
        "page": "revisionslog",
        "source": "audit_log",
        "municipality_code": None,
        "citizen_id": None,
        "filters": json.dumps({"rows_before_chain": n, "sha256": digest}, sort_keys=True),
        "row_count": n,
    }
    return {**row, "seq": 0, "prev_hash": ZERO, "row_hash": row_hash(ZERO, row)}


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    genesis: str


def append(eng: sa.Engine, rows: list[dict]) -> Head:
    """Append rows to the chain in one serialised transaction (a genesis row first if the chain
    has not started); returns the new head. The caller writes the anchor after commit."""
    with eng.connect().execution_options(audit_append=True) as conn, conn.begin():
        lock(conn)
        head = conn.execute(HEAD).first()
        chained = []
        if head is None:
            genesis = _genesis(conn, rows[0]["logged_at"])
            chained.append(genesis)
            seq, prev = 0, genesis["row_hash"]
        else:
            seq, prev = int(head[0]), head[1]
        for row in rows:
            seq += 1
            h = row_hash(prev, row)
            chained.append({**row, "seq": seq, "prev_hash": prev, "row_hash": h})
            prev = h
        conn.execute(INSERT, chained)
        first = conn.execute(sa.text("select row_hash from audit_log where seq = 0")).scalar()
    return Head(seq, prev, first)


# ---------------------------------------------------------------- the anchor outside the store


def anchor_path(url: str) -> Path:
    """COCKPIT_AUDIT_ANCHOR if set; else beside a SQLite store (data/audit.sqlite →
    data/audit.anchor); else data/audit.anchor."""
    if os.environ.get("COCKPIT_AUDIT_ANCHOR"):
        return Path(os.environ["COCKPIT_AUDIT_ANCHOR"])
    u = sa.engine.make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database).with_suffix(".anchor")
    return Path(__file__).resolve().parent.parent / "data" / "audit.anchor"


def read_anchor(path: Path) -> Head | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Head(int(raw["seq"]), str(raw["hash"]), str(raw["genesis"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"Ankerfilen {path} kan ikke læses.") from exc


def write_anchor(path: Path, head: Head) -> None:
    """Move the anchor forward to `head` (never backwards, never to another chain): under a file
    lock, written to a temporary file and renamed, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(path.suffix + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current = read_anchor(path)
        except ValueError:
            current = None
        if current is not None and (current.genesis != head.genesis or current.seq >= head.seq):
            return  # a newer head is there already, or the anchor names another chain (verify)
        tmp = path.with_suffix(path.suffix + f".{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps({"seq": head.seq, "hash": head.hash, "genesis": head.genesis}) + "\n",
            encoding="utf-8",
        )
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)


# ---------------------------------------------------------------- verification


@dataclass(frozen=True)
class Verdict:
    intact: bool
    rows: int  # chained rows checked (genesis included)
    message: str  # Danish, for the page and the command line
    broken_seq: int | None = None


def _where(row: Mapping) -> str:
    return f"række nr. {row['seq']} (logget {row['logged_at']}, hændelse {row['event_id']})"


def verify(eng: sa.Engine, anchor: Path) -> Verdict:
    """Walk the chain from the genesis row: consecutive seq, each prev_hash the previous row's hash,
    each row_hash recomputed from the content; the rows from before the chain against the genesis
    digest; the last row against the anchor file. Names the first broken row."""
    try:
        pinned = read_anchor(anchor)
    except ValueError as exc:
        return Verdict(False, 0, str(exc))
    with eng.connect() as conn:
        n = 0
        prev = ZERO
        genesis_hash = None
        last = None
        for row in conn.execute(CHAIN, execution_options=STREAM).mappings():
            expected_seq = n
            if int(row["seq"]) != expected_seq:
                return Verdict(
                    False,
                    n,
                    f"Kæden er brudt ved række nr. {expected_seq}: den mangler "
                    f"(næste række i loggen er nr. {row['seq']}).",
                    expected_seq,
                )
            if expected_seq == 0 and row["action"] != GENESIS:
                return Verdict(False, n, f"Kæden er brudt: {_where(row)} er ikke kædens start.", 0)
            if row["prev_hash"] != prev:
                return Verdict(
                    False,
                    n,
                    f"Kæden er brudt ved {_where(row)}: den peger ikke på rækken før.",
                    expected_seq,
                )
            if row_hash(prev, row) != row["row_hash"]:
                return Verdict(
                    False,
                    n,
                    f"Kæden er brudt ved {_where(row)}: indholdet er ændret.",
                    expected_seq,
                )
            if expected_seq == 0:
                genesis_hash = row["row_hash"]
                before = json.loads(row["filters"])
                found = _digest(_unchained(conn))
                if found != (before["rows_before_chain"], before["sha256"]):
                    return Verdict(
                        False,
                        1,
                        "Kæden er brudt: rækkerne fra før kædens start er ændret, eller der er "
                        f"tilføjet rækker uden for kæden ({found[0]} rækker uden kæde, kædens "
                        f"start registrerede {before['rows_before_chain']}).",
                        0,
                    )
            prev = row["row_hash"]
            last = row
            n += 1
    if last is None:
        if pinned is not None:
            return Verdict(
                False,
                0,
                f"Loggen er tom, men ankerfilen viser, at den havde {pinned.seq + 1} rækker i "
                "kæden. Rækker er slettet.",
                0,
            )
        return Verdict(True, 0, "Loggen har endnu ingen rækker i kæden.")
    if pinned is None:
        return Verdict(
            False,
            n,
            f"Ankerfilen {anchor} mangler, så sletning af de nyeste rækker kan ikke udelukkes.",
        )
    if pinned.genesis != genesis_hash:
        return Verdict(
            False,
            n,
            "Kæden er brudt: loggen er startet forfra (kædens start stemmer ikke med ankerfilen).",
            0,
        )
    if pinned.seq > int(last["seq"]):
        return Verdict(
            False,
            n,
            f"Kæden er brudt ved række nr. {int(last['seq']) + 1}: de nyeste rækker er slettet "
            f"(ankerfilen viser række nr. {pinned.seq}, loggen slutter ved nr. {last['seq']}).",
            int(last["seq"]) + 1,
        )
    with eng.connect() as conn:
        at = conn.execute(
            sa.text("select row_hash from audit_log where seq = :s"), {"s": pinned.seq}
        ).scalar()
    if at != pinned.hash:
        return Verdict(
            False,
            n,
            f"Kæden er brudt ved række nr. {pinned.seq}: den stemmer ikke med ankerfilen.",
            pinned.seq,
        )
    return Verdict(
        True, n, f"Revisionsloggen er intakt: {fmt.number(n)} rækker i kæden er kontrolleret."
    )
