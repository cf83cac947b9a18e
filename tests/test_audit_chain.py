"""The audit log is tamper-evident: a hash chain over every row, a genesis row over the rows from
before the chain, the head in an anchor file outside the store, `python -m cockpit audit verify`
naming the first broken row, and appends from several processes keeping one chain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from audit_writers import append_from_processes

from cockpit import audit, audit_chain
from cockpit.auth import Principal
from cockpit.db import ROOT

LEDER = Principal("lene@kommune.dk", "leder")


@pytest.fixture
def store(tmp_path, monkeypatch) -> str:
    monkeypatch.delenv("COCKPIT_AUDIT_ANCHOR", raising=False)
    return f"sqlite:///{tmp_path / 'audit.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(request, tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("COCKPIT_AUDIT_ANCHOR", str(tmp_path / "pg.anchor"))
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'audit.sqlite'}"
        return
    url = request.getfixturevalue("pg_url")
    yield url
    audit.engine(url).dispose()
    audit.engine.cache_clear()


def views(url: str, n: int) -> None:
    for i in range(n):
        audit.log_view(LEDER, page="borger", source="q", citizens=[f"P{i}", f"Q{i}"], url=url)


def tamper(url: str, *statements: str) -> None:
    """What an attacker with write access to the store does: drop the guard, then change rows."""
    eng = audit.engine(url)
    with eng.begin() as conn:
        if eng.dialect.name == "sqlite":
            conn.exec_driver_sql("drop trigger audit_log_no_update")
            conn.exec_driver_sql("drop trigger audit_log_no_delete")
        else:
            conn.exec_driver_sql("drop trigger audit_log_no_change on audit_log")
        for statement in statements:
            conn.exec_driver_sql(statement)


def test_an_untouched_log_verifies(any_store):
    views(any_store, 3)  # 3 events × 2 citizens, after the genesis row
    verdict = audit.verify(any_store)
    assert verdict.intact, verdict.message
    assert verdict.rows == 7
    assert verdict.message == "Revisionsloggen er intakt: 7 rækker i kæden er kontrolleret."
    anchor = json.loads(audit_chain.anchor_path(any_store).read_text())
    assert anchor["seq"] == 6


def test_drop_trigger_and_delete_is_detected(any_store):
    views(any_store, 3)
    tamper(any_store, "delete from audit_log where seq = 3")
    verdict = audit.verify(any_store)
    assert not verdict.intact
    assert verdict.broken_seq == 3
    assert verdict.message.startswith("Kæden er brudt ved række nr. 3: den mangler")


def test_drop_trigger_and_delete_everything_is_detected(any_store):
    views(any_store, 2)
    tamper(any_store, "delete from audit_log")
    verdict = audit.verify(any_store)
    assert not verdict.intact
    assert "Rækker er slettet" in verdict.message


def test_a_changed_row_is_named(any_store):
    views(any_store, 3)
    tamper(any_store, "update audit_log set user_id = 'someone-else' where seq = 2")
    verdict = audit.verify(any_store)
    assert not verdict.intact and verdict.broken_seq == 2
    assert "række nr. 2" in verdict.message and "indholdet er ændret" in verdict.message


def test_deleting_the_newest_rows_is_detected_by_the_anchor(any_store):
    views(any_store, 4)  # seq 0..8
    tamper(any_store, "delete from audit_log where seq >= 7")
    verdict = audit.verify(any_store)
    assert not verdict.intact
    assert verdict.broken_seq == 7
    assert "de nyeste rækker er slettet" in verdict.message
    assert "ankerfilen viser række nr. 8" in verdict.message


def test_a_missing_anchor_is_not_intact(store):
    views(store, 1)
    audit_chain.anchor_path(store).unlink()
    verdict = audit.verify(store)
    assert not verdict.intact and "Ankerfilen" in verdict.message


def test_the_default_anchor_lies_beside_the_default_store(monkeypatch):
    monkeypatch.delenv("COCKPIT_AUDIT_ANCHOR", raising=False)
    assert audit_chain.anchor_path(f"sqlite:///{audit.DEFAULT_SQLITE}") == (
        ROOT / "data" / "audit.anchor"
    )
    monkeypatch.setenv("COCKPIT_AUDIT_ANCHOR", "/srv/anker/audit.anchor")
    assert audit_chain.anchor_path("postgresql://x/y") == Path("/srv/anker/audit.anchor")


OLD_SCHEMA = """
create table audit_log (
    event_id text not null, logged_at text not null, user_id text not null, role text not null,
    action text not null, page text not null, source text not null, municipality_code integer,
    citizen_id text, filters text not null, row_count integer not null)
"""


def test_an_existing_store_is_migrated_and_its_rows_sealed_by_the_genesis_row(tmp_path, store):
    raw = sa.create_engine(store)
    with raw.begin() as conn:
        conn.exec_driver_sql(OLD_SCHEMA)
        for i in range(3):
            conn.exec_driver_sql(
                "insert into audit_log values (?, ?, 'old', 'leder', 'view', 'borger', 'q', 999, "
                "?, '{}', 1)",
                (f"E{i}", f"2025-01-0{i + 1}T10:00:00.000000Z", f"OLD{i}"),
            )
    raw.dispose()
    views(store, 1)
    verdict = audit.verify(store)
    assert verdict.intact, verdict.message
    with audit.engine(store).connect() as conn:
        genesis = conn.execute(sa.text("select * from audit_log where seq = 0")).mappings().one()
    assert (
        genesis["action"] == "genesis" and json.loads(genesis["filters"])["rows_before_chain"] == 3
    )
    assert len(audit.search(url=store)) == 5  # 3 old + 2 new; the genesis row is no lookup
    tamper(store, "update audit_log set citizen_id = 'OTHER' where event_id = 'E1'")
    verdict = audit.verify(store)
    assert not verdict.intact and "rækkerne fra før kædens start" in verdict.message


def test_cli_verify_exit_code_and_first_broken_row(store):
    views(store, 2)
    env = {"COCKPIT_AUDIT_URL": store, "PATH": "/usr/bin:/bin"}
    ok = subprocess.run(
        [sys.executable, "-m", "cockpit", "audit", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "Revisionsloggen er intakt: 5 rækker i kæden er kontrolleret."
    tamper(store, "update audit_log set filters = '{\"kommune\": 101}' where seq = 1")
    broken = subprocess.run(
        [sys.executable, "-m", "cockpit", "audit", "verify", "--audit-url", store],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert broken.returncode == 1
    assert broken.stderr.startswith("Kæden er brudt ved række nr. 1 ")


def test_concurrent_appends_from_several_processes_keep_one_chain(any_store):
    audit.engine(any_store)  # the table exists before the writers start, as in a running cockpit
    codes, errors = append_from_processes(any_store, 15)
    assert codes == [0, 0, 0, 0], errors
    with audit.engine(any_store).connect() as conn:
        seqs = [r[0] for r in conn.execute(sa.text("select seq from audit_log order by seq"))]
    assert seqs == list(range(61))  # genesis + 60, no gap, no fork (no seq twice)
    verdict = audit.verify(any_store)
    assert verdict.intact, verdict.message
    assert json.loads(audit_chain.anchor_path(any_store).read_text())["seq"] == 60


# ---------------------------------------------------------------- what the user sees

from test_auth import app, demo, demo_url  # noqa: E402, F401 (fixtures shared with test_auth)


def test_revisionslog_page_shows_whether_the_chain_is_intact(demo):  # noqa: F811
    views(demo, 2)
    # A logged-in administrator: demo mode never offers Revisionslog (issue 12).
    at = app(as_user="admin", page="revisionslog.py")
    assert not at.exception
    assert at.success[0].value.startswith("Revisionsloggen er intakt: 5 rækker")
    tamper(demo, "delete from audit_log where seq = 2")
    at = app(as_user="admin", page="revisionslog.py")
    assert not at.exception
    assert at.error[0].value.startswith("Kæden er brudt ved række nr. 2: den mangler")


def test_an_unwritable_store_withholds_the_data_with_a_danish_message(
    demo,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")  # the audit file's folder cannot be created
    monkeypatch.setenv("COCKPIT_AUDIT_URL", f"sqlite:///{blocked / 'audit.sqlite'}")
    for page in ("visitation.py", "oekonomi.py"):
        at = app(role="leder", page=page)
        assert not at.exception  # no Streamlit traceback, no generic English error
        assert [e.value for e in at.error] == [audit.UNAVAILABLE_TEXT]
        assert "revisionsloggen ikke kan skrives" in audit.UNAVAILABLE_TEXT
