"""Refresh without downtime (cockpit/refresh.py): an import builds the new DuckDB file beside the
live one and swaps it in; readers in other processes never block it, readers in this process
see the new data on their next query, a second import is refused in Danish, and a refused import
leaves the live file and the folder as they were."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_import import checksums, dataset, write_folder

from cockpit import db, refresh


def municipalities(url: str) -> list[int]:
    frame = db.query("data_load_sources", {}, url)  # opens (or reopens) the read engine
    assert not frame.empty
    with db.engine(url).connect() as conn:
        rows = conn.exec_driver_sql("select distinct municipality_code from citizen order by 1")
        return [int(r[0]) for r in rows]


@pytest.fixture
def live(tmp_path: Path) -> str:
    """A live database with municipality 101 imported."""
    url = f"duckdb:///{tmp_path / 'data' / 'cockpit.duckdb'}"
    result = refresh.import_folder(write_folder(tmp_path / "first", dataset(101)), url)
    assert result.ok, result.problems
    yield url
    db.release(url)


def reader_process(path: Path) -> subprocess.Popen:
    """Another process (a running cockpit) holding the live file open read-only."""
    code = (
        "import duckdb, sys, time\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "con.execute('select count(*) from citizen').fetchall()\n"
        "print('open', flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_import_beside_a_reader_swaps_the_new_file_in(live: str, tmp_path: Path) -> None:
    path = db.duckdb_path(live)
    assert municipalities(live) == [101]
    before = db.generation(live)
    reader = reader_process(path)
    try:
        # Before: importing into the live file while another process reads it failed with
        # "IO Error: Could not set lock". Now the import never opens the live file for writing.
        result = refresh.import_folder(write_folder(tmp_path / "second", dataset(147)), live)
        assert result.ok, result.problems
    finally:
        reader.kill()
        reader.wait()
    assert db.generation(live) != before
    # The engine this process opened before the swap is reopened on the next query.
    assert municipalities(live) == [101, 147]
    # Nothing left beside the live file but the lock file (and no write-ahead log).
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "cockpit.duckdb",
        "cockpit.duckdb.import.lock",
    ]


def test_a_second_import_is_refused_in_danish_while_one_runs(live: str, tmp_path: Path) -> None:
    path = db.duckdb_path(live)
    before = checksums(live)
    folder = write_folder(tmp_path / "second", dataset(147))
    with refresh.import_lock(path):
        out = subprocess.run(
            [sys.executable, "-m", "cockpit", "import", str(folder), "--database-url", live],
            cwd=db.ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        with pytest.raises(refresh.ImportRunning, match="En anden import i cockpit.duckdb"):
            refresh.import_folder(folder, live)
    assert out.returncode == 1
    assert out.stderr.startswith("fejl: En anden import i cockpit.duckdb er i gang (startet ")
    assert f"proces {os.getpid()}" in out.stderr
    db.release(live)
    assert checksums(live) == before
    # Once the lock is free, the same import goes through.
    assert refresh.import_folder(folder, live).ok
    assert municipalities(live) == [101, 147]


def test_a_refused_import_leaves_the_live_file_untouched(live: str, tmp_path: Path) -> None:
    path = db.duckdb_path(live)
    before, generation = checksums(live), db.generation(live)
    bad = dataset(147)
    bad["citizen"][0]["birth_year"] = "nitten firs"
    result = refresh.import_folder(write_folder(tmp_path / "bad", bad), live)
    assert not result.ok
    assert any(p.column == "birth_year" for p in result.problems)
    assert db.generation(live) == generation
    assert checksums(live) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "cockpit.duckdb",
        "cockpit.duckdb.import.lock",
    ]


def test_the_first_import_creates_the_file(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'new' / 'cockpit.duckdb'}"
    assert refresh.import_folder(write_folder(tmp_path / "x", dataset(101)), url).ok
    assert municipalities(url) == [101]
    db.release(url)


def test_the_lock_is_released_when_the_importing_process_dies(live: str, tmp_path: Path) -> None:
    path = db.duckdb_path(live)
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from cockpit import refresh\n"
        f"with refresh.import_lock(Path({str(path)!r})):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(120)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], cwd=db.ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(refresh.ImportRunning):
        refresh.import_folder(write_folder(tmp_path / "y", dataset(147)), live)
    holder.kill()
    holder.wait()
    time.sleep(0.1)
    assert refresh.import_folder(write_folder(tmp_path / "z", dataset(147)), live).ok


def test_import_while_a_server_runs_the_load_test(tmp_path: Path) -> None:
    """Six sessions click through their pages on two cockpit processes (local mode: imported data
    are real data) while an extract for Frederiksberg (147) is imported: no session sees an error,
    and afterwards a new session on either process is offered the new municipality."""
    from sample_data.generate import generate
    from tools.bench import loadtest

    url = f"duckdb:///{tmp_path / 'cockpit.duckdb'}"
    generate("demo", url, progress=lambda _message: None)
    extract = write_folder(tmp_path / "extract", dataset(147))
    summary = loadtest.run(
        url,
        sessions=6,
        seconds=45,
        think=1.0,
        processes=2,
        local=True,
        during=loadtest.importing(extract, url),
    )
    assert summary["errors"] == 0, summary["error_examples"]
    assert summary["during"]["import_ok"], summary["during"]
    assert summary["during"]["municipalities"] == [147]
    assert summary["page_views"] >= 12
    for offered in summary["municipalities_after"]:
        assert offered == ["Demokommune (999)", "Frederiksberg (147)"]
