"""Shared fixtures: tiny hand-built databases (DuckDB file or PostgreSQL scratch database)."""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

# One BLAS thread: the machine is shared, and a multi-threaded SVD on a busy machine (the
# differencing attacker) is many times slower than a single-threaded one. Before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from cockpit import cache, db  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get(
    "COCKPIT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def offer_types() -> pd.DataFrame:
    with open(ROOT / "sample_data" / "offer_types.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    df = pd.DataFrame(rows)
    df["staircase_step"] = pd.to_numeric(df["staircase_step"]).astype("Int64")
    return df


class TinyDb:
    """A hand-built database: schema, default offer types, and the rows a test adds."""

    def __init__(self, url: str) -> None:
        self.url = url
        engine = db.writable_engine(url)
        with engine.begin() as conn:
            db.create_schema(conn)
            db.insert_frame(conn, "offer_type", offer_types())
            db.insert_frame(
                conn,
                "municipality",
                pd.DataFrame([{"municipality_code": 999, "name": "Testkommune", "region": "X"}]),
            )
        engine.dispose()  # a DuckDB file stays locked while a connection is open

    def add(self, table: str, *rows: dict) -> TinyDb:
        defaults = {"municipality_code": 999}
        frame = pd.DataFrame([{**defaults, **r} for r in rows])
        engine = db.writable_engine(self.url)
        with engine.begin() as conn:
            db.insert_frame(conn, table, frame)
        engine.dispose()
        cache.clear()  # a PostgreSQL database has one generation: forget what was read before
        return self


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Every test starts with an empty query cache (cockpit/cache.py)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never write to the repository's data/audit.sqlite or data/audit.anchor."""
    if "COCKPIT_AUDIT_URL" not in os.environ:
        path = tmp_path_factory.mktemp("audit") / "audit.sqlite"
        monkeypatch.setenv("COCKPIT_AUDIT_URL", f"sqlite:///{path}")
    if "COCKPIT_AUDIT_ANCHOR" not in os.environ:
        # A store a test names itself (e.g. PostgreSQL) must not anchor in the repository's data/.
        anchor = tmp_path_factory.mktemp("anchor") / "audit.anchor"
        monkeypatch.setenv("COCKPIT_AUDIT_ANCHOR", str(anchor))


@pytest.fixture(autouse=True)
def _state_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never write to the repository's data/state.sqlite."""
    from cockpit import state

    if "COCKPIT_STATE_URL" not in os.environ:
        path = tmp_path_factory.mktemp("state") / "state.sqlite"
        monkeypatch.setenv("COCKPIT_STATE_URL", f"sqlite:///{path}")
    yield
    state.release()


def as_role(at, role: str):
    """Set an AppTest's principal directly (a user with `role`), so that a test on a hand-built
    database, which demo mode would not serve, sees the role's pages."""
    from cockpit.auth import TEST_PRINCIPAL, Principal

    at.session_state[TEST_PRINCIPAL] = Principal("test", role)
    return at


@pytest.fixture(autouse=True)
def _local_server_address() -> Iterator[None]:
    """AppTest runs the app as a session on this machine: the address a server started by
    `python -m cockpit run` in demo mode listens on (demo mode refuses any other)."""
    from streamlit import config

    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def tiny(request: pytest.FixtureRequest, tmp_path: Path) -> TinyDb:
    """A hand-built database on each backend: every KPI test runs on DuckDB and PostgreSQL."""
    if request.param == "postgres":
        return TinyDb(request.getfixturevalue("pg_url"))
    return TinyDb(f"duckdb:///{tmp_path / 'tiny.duckdb'}")


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The admin URL of the local PostgreSQL server; skip-free: the tests need it and CI starts it."""
    engine = sa.create_engine(PG_ADMIN_URL)
    with engine.connect() as conn:
        conn.execute(sa.text("select 1"))
    engine.dispose()
    return PG_ADMIN_URL


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh scratch PostgreSQL database, dropped afterwards."""
    yield from scratch_pg(pg_server, "cockpit_test")


def scratch_pg(pg_server: str, prefix: str) -> Iterator[str]:
    """Create a PostgreSQL database named prefix_<random>, yield its URL, drop it afterwards (the
    body of the pg_url fixture and of module-scoped ones like tests/test_social_demo.py's)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'create database "{name}"'))
    url = sa.engine.make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    yield url
    db.release(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    admin.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One Debian Chromium for every browser test of the run: Playwright's sync API allows only
    one running instance per process."""
    from tools.bench import harness

    if not Path(harness.CHROMIUM).exists():
        pytest.fail(f"{harness.CHROMIUM} is missing: run `bash .ci/ensure-services` (installs it).")
    with harness.chromium() as b:
        yield b


def shown_table(element) -> pd.DataFrame:
    """What the user reads in an AppTest st.dataframe: the pandas Styler display values (the
    Danish-formatted text the browser draws) where the table has them, otherwise its values; the
    headers as shown. The element's .value keeps the underlying numbers (they sort as numbers)."""
    import pyarrow as pa

    data = element.value
    styled = element.proto.arrow_data.styler.display_values
    if not styled:
        return data
    text = pa.ipc.open_stream(styled).read_pandas()
    text.columns = data.columns
    text.index = data.index
    return text
