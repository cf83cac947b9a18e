"""The audit log: one row per citizen per view or export, written before the data is returned,
searchable per citizen (admin only), append-only in the store itself, and safe with several
cockpit processes appending at once."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from audit_writers import append_from_processes

from cockpit import audit
from cockpit.access import gateway
from cockpit.access.gateway import AccessDenied
from cockpit.auth import Principal
from cockpit.periods import Scope

SCOPE = Scope(999, 2024, date(2024, 3, 31))
LEDER = Principal("lene@kommune.dk", "leder")
ADMIN = Principal("anna@kommune.dk", "admin")
POLITIKER = Principal("per@kommune.dk", "politiker")


@pytest.fixture
def audit_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'audit.sqlite'}"


def citizen_rows(who, name, scope, *, page, audit_url, fetch=None, seen=None, **kw):
    """The gateway of one render for `who` on `page` (queries answered by `fetch`)."""
    gw = gateway.open_for(who, page=page, seen=seen, audit_url=audit_url, run=fetch)
    return gw.citizen_rows(name, scope, **kw)


def log_export(who, *, page, audit_url, **kw):
    return gateway.open_for(who, page=page, audit_url=audit_url).log_export(**kw)


def audit_log(who, *, audit_url, **kw):
    return gateway.open_for(who, page="revisionslog", audit_url=audit_url).audit_log(**kw)


def rows_of(*citizens: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"grant_id": [f"G{i}" for i in range(len(citizens))], "citizen_id": list(citizens)}
    )


def fake_fetch(frame: pd.DataFrame, calls: list | None = None):
    def fetch(name, params, url):
        if calls is not None:
            calls.append((name, params))
        return frame

    return fetch


def test_citizen_view_logs_one_row_per_citizen_before_returning(audit_url):
    seen_in_log: list[int] = []

    def fetch(name, params, url):
        return rows_of("PSEUDO-1", "PSEUDO-2", "PSEUDO-1")

    original = audit.log_view

    def spy(*args, **kwargs):
        event = original(*args, **kwargs)
        seen_in_log.append(len(audit.search(url=audit_url)))
        return event

    audit.log_view, saved = spy, audit.log_view
    try:
        rows = citizen_rows(
            LEDER,
            "list_followups_overdue",
            SCOPE,
            page="visitation",
            filters={"indsatstype": "SEL85"},
            audit_url=audit_url,
            fetch=fetch,
        )
    finally:
        audit.log_view = saved
    assert len(rows) == 3
    assert seen_in_log == [2]  # the rows were logged before citizen_rows returned them
    log = audit.search(url=audit_url)
    assert sorted(log["citizen_id"]) == ["PSEUDO-1", "PSEUDO-2"]
    first = log.iloc[0]
    assert first["user_id"] == "lene@kommune.dk"
    assert first["role"] == "leder"
    assert first["action"] == "view"
    assert first["page"] == "visitation"
    assert first["source"] == "list_followups_overdue"
    assert first["municipality_code"] == 999
    assert first["row_count"] == 3
    assert json.loads(first["filters"]) == {
        "kommune": 999,
        "aar": 2024,
        "dato": "2024-03-31",
        "indsatstype": "SEL85",
    }
    assert first["logged_at"].endswith("Z") and first["logged_at"][:4].isdigit()
    assert log["event_id"].nunique() == 1


def test_a_citizen_looked_up_is_logged_even_without_rows(audit_url):
    citizen_rows(
        LEDER,
        "detail_citizen",
        SCOPE,
        page="borger",
        citizen="PSEUDO-9",
        audit_url=audit_url,
        fetch=fake_fetch(pd.DataFrame({"citizen_id": []})),
    )
    log = audit.search(citizen="PSEUDO-9", url=audit_url)
    assert list(log["page"]) == ["borger"]


def test_the_citizen_id_parameter_counts_as_the_citizen_looked_up(audit_url):
    citizen_rows(
        LEDER,
        "detail_citizen_goals",
        SCOPE,
        page="borger",
        citizen_id="PSEUDO-5",
        audit_url=audit_url,
        fetch=fake_fetch(pd.DataFrame({"goal_id": []})),
    )
    log = audit.search(url=audit_url)
    assert list(log["citizen_id"]) == ["PSEUDO-5"]
    assert json.loads(log["filters"].iloc[0])["citizen_id"] == "PSEUDO-5"


def test_no_rows_when_the_log_cannot_be_written(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")  # the audit file's folder cannot be created
    calls: list = []
    with pytest.raises(audit.AuditUnavailable):
        citizen_rows(
            LEDER,
            "list_followups_overdue",
            SCOPE,
            page="visitation",
            audit_url=f"sqlite:///{blocked / 'audit.sqlite'}",
            fetch=fake_fetch(rows_of("PSEUDO-1"), calls),
        )


@pytest.mark.parametrize("who", [POLITIKER, Principal("d", "direktoer"), ADMIN, None])
def test_citizen_rows_refused_and_not_logged_for_roles_without_citizen_access(audit_url, who):
    calls: list = []
    with pytest.raises(AccessDenied):
        citizen_rows(
            who,
            "list_followups_overdue",
            SCOPE,
            page="visitation",
            audit_url=audit_url,
            fetch=fake_fetch(rows_of("PSEUDO-1"), calls),
        )
    assert calls == []  # the query never ran
    assert audit.search(url=audit_url).empty


def test_a_rerun_of_the_same_view_is_logged_once_per_session(audit_url):
    seen: dict = {}

    def view(page: str, session: dict) -> None:
        citizen_rows(
            LEDER,
            "list_followups_overdue",
            SCOPE,
            page=page,
            audit_url=audit_url,
            fetch=fake_fetch(rows_of("PSEUDO-1")),
            seen=session,
        )

    for _ in range(3):
        view("visitation", seen)
    assert len(audit.search(url=audit_url)) == 1
    # Another page, or another session, is a new view.
    view("borger", seen)
    view("visitation", {})
    assert len(audit.search(url=audit_url)) == 3


def test_exports_are_logged_and_citizen_files_refused_for_politicians(audit_url):
    log_export(
        POLITIKER,
        page="oekonomi",
        source="oekonomi_999_2024-03-31.xlsx",
        frame=pd.DataFrame({"offer_type_code": ["SEL85"], "spend_dkk": [1.0]}),
        scope=SCOPE,
        audit_url=audit_url,
    )
    log_export(
        LEDER,
        page="visitation",
        source="opfoelgninger.csv",
        frame=rows_of("PSEUDO-1", "PSEUDO-2"),
        scope=SCOPE,
        audit_url=audit_url,
    )
    with pytest.raises(AccessDenied):
        log_export(
            POLITIKER,
            page="visitation",
            source="x.csv",
            frame=rows_of("PSEUDO-1"),
            audit_url=audit_url,
        )
    log = audit.search(url=audit_url)
    assert set(log["action"]) == {"export"}
    aggregate = log[log["user_id"] == "per@kommune.dk"]
    assert list(aggregate["citizen_id"].isna()) == [True]
    assert list(aggregate["source"]) == ["oekonomi_999_2024-03-31.xlsx"]
    assert sorted(log["citizen_id"].dropna()) == ["PSEUDO-1", "PSEUDO-2"]


def test_admin_searches_per_citizen_and_the_search_is_logged(audit_url):
    for page, citizens in (("visitation", ["PSEUDO-1", "PSEUDO-2"]), ("borger", ["PSEUDO-1"])):
        audit.log_view(LEDER, page=page, source="q", citizens=citizens, url=audit_url)
    audit.log_view(LEDER, page="tilbud", source="q", citizens=["PSEUDO-3"], url=audit_url)
    found = audit_log(ADMIN, citizen="PSEUDO-1", audit_url=audit_url)
    assert sorted(found["page"]) == ["borger", "visitation"]
    assert set(found["user_id"]) == {"lene@kommune.dk"}
    searches = audit.search(user="anna@kommune.dk", url=audit_url)
    assert list(searches["action"]) == ["search"]
    assert list(searches["citizen_id"]) == ["PSEUDO-1"]
    assert list(searches["page"]) == ["revisionslog"]
    # The next search for the citizen shows the earlier search too: who looked at their log.
    again = audit_log(ADMIN, citizen="PSEUDO-1", audit_url=audit_url)
    assert sorted(again["action"]) == ["search", "view", "view"]
    for who in (LEDER, POLITIKER, None):
        with pytest.raises(AccessDenied):
            audit_log(who, citizen="PSEUDO-1", audit_url=audit_url)


def test_search_by_date_range(audit_url):
    audit.log_view(LEDER, page="borger", source="q", citizens=["PSEUDO-1"], url=audit_url)
    today = pd.Timestamp.now(tz="UTC").date()
    assert len(audit.search(since=today, until=today, url=audit_url)) == 1
    assert audit.search(until=date(2000, 1, 1), url=audit_url).empty


def _append_only(url: str) -> None:
    audit.log_view(LEDER, page="borger", source="q", citizens=["PSEUDO-1"], url=url)
    eng = audit.engine(url)
    for statement in ("update audit_log set user_id = 'x'", "delete from audit_log"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with eng.begin() as conn:
                conn.execute(sa.text(statement))
    assert list(audit.search(url=url)["user_id"]) == ["lene@kommune.dk"]


def test_the_store_refuses_updates_and_deletes_sqlite(audit_url):
    _append_only(audit_url)


@pytest.mark.postgres
def test_the_store_refuses_updates_and_deletes_postgresql(pg_url):
    _append_only(pg_url)
    audit.engine.cache_clear()


def test_several_processes_append_at_once(audit_url):
    audit.engine(audit_url)  # the table exists before the writers start, as in a running cockpit
    codes, errors = append_from_processes(audit_url, 40)
    assert codes == [0, 0, 0, 0], errors
    log = audit.search(url=audit_url)
    assert len(log) == 160
    assert log["citizen_id"].nunique() == 160


def test_sqlite_store_runs_in_wal_mode(audit_url):
    with audit.engine(audit_url).connect() as conn:
        assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"
