"""The state store: migrations applied once, in order, on SQLite and PostgreSQL; separate from
the warehouse and the audit store; statements bound, not interpolated."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from cockpit import state

NOW = dt.datetime(2026, 12, 1, 12, 0)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("COCKPIT_STATE_URL", url)
    state.release()
    return state.url()


def test_migrations_apply_once_in_order(store: str) -> None:
    eng = state.engine()
    with eng.connect() as conn:
        versions = [
            r[0]
            for r in conn.execute(
                sa.text("select version from state_schema_version order by version")
            )
        ]
    assert versions == [v for v, _ in state.migrations()]
    assert versions[0] == 1
    assert state.migrate(eng) == []  # a second start applies nothing


def test_setting_round_trip_per_municipality(store: str) -> None:
    state.execute(
        "setting_put",
        municipality_code=999,
        setting_key="k",
        setting_value="a",
        updated_at=NOW,
        updated_by="anna",
    )
    state.execute(
        "setting_put",
        municipality_code=999,
        setting_key="k",
        setting_value="b",
        updated_at=NOW,
        updated_by="bo",
    )
    state.execute(
        "setting_put",
        municipality_code=573,
        setting_key="k",
        setting_value="x",
        updated_at=NOW,
        updated_by="anna",
    )
    got = state.rows("setting_get", municipality_code=999, setting_key="k")
    assert [(r["setting_value"], r["updated_by"]) for r in got] == [("b", "bo")]
    assert state.rows("setting_get", municipality_code=101, setting_key="k") == []


def test_a_failed_transaction_leaves_nothing(store: str) -> None:
    with pytest.raises(RuntimeError):
        with state.transaction() as conn:
            state.execute(
                "setting_put",
                conn,
                municipality_code=999,
                setting_key="t",
                setting_value="v",
                updated_at=NOW,
                updated_by="anna",
            )
            raise RuntimeError("afbrudt")
    assert state.rows("setting_get", municipality_code=999, setting_key="t") == []


def test_the_state_store_is_never_the_warehouse_or_the_audit_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COCKPIT_DATABASE_URL", "sqlite:///same.sqlite")
    monkeypatch.setenv("COCKPIT_STATE_URL", "sqlite:///same.sqlite")
    state.release()
    with pytest.raises(state.StateUnavailable, match="må ikke pege"):
        state.engine()
    monkeypatch.delenv("COCKPIT_DATABASE_URL")
    monkeypatch.setenv("COCKPIT_AUDIT_URL", "sqlite:///same.sqlite")
    with pytest.raises(state.StateUnavailable, match="revisionslogens"):
        state.engine()


def test_statement_names_are_whitelisted() -> None:
    with pytest.raises(ValueError):
        state.statement("../setting_get")
    with pytest.raises(ValueError):
        state.statement("no_such_statement")


def test_concurrent_writers_on_sqlite(store: str) -> None:
    if not store.startswith("sqlite"):
        pytest.skip("SQLite WAL only")
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            for j in range(20):
                state.execute(
                    "setting_put",
                    municipality_code=999,
                    setting_key=f"k{i}-{j}",
                    setting_value="v",
                    updated_at=NOW,
                    updated_by="anna",
                )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with state.engine().connect() as conn:
        assert conn.execute(sa.text("select count(*) from state_setting")).scalar_one() == 80
