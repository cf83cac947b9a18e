"""Refresh without downtime: an import into the embedded DuckDB file is built beside the live file
and swapped in atomically, so running cockpits never see a lock error or a half-loaded database.

1. A lock file beside the database (`<file>.import.lock`, held with flock) lets one import run
   at a time; a second one stops at once with a Danish message.
2. The live file is copied to a temporary file in the same folder, and the importer
   (`import_folder`, all-or-nothing as always) writes into the copy. Readers keep reading the
   live file meanwhile: the import never opens it.
3. The copy is checkpointed (no write-ahead log left), fsync'ed and renamed over the live file
   with os.replace (atomic on one file system); the folder is fsync'ed too.
4. A running cockpit notices the new file by its generation (db.generation: inode and
   modification time) on its next query and reopens it (db.engine); its caches are dropped
   (app.follow_generation). A query that was running finishes on the old file.

A warehouse is the warehouse's business: for any other URL the importer runs as it is (one
transaction). Both imports go through here: contract tables (cockpit.ingest) and source files
(cockpit.ingest.sources)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from cockpit import db
from cockpit.ingest import ImportResult
from cockpit.ingest import import_folder as _import_folder
from cockpit.ingest.run import Progress


class ImportRunning(RuntimeError):
    """Another import into the same database is running."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".import.lock")


@contextlib.contextmanager
def import_lock(database: Path) -> Iterator[None]:
    """Hold the database's import lock, or raise ImportRunning at once. flock is released by the
    kernel when the process ends, so a crashed import never leaves a stale lock behind."""
    database.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(database)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            since = f" ({holder})" if holder else ""
            raise ImportRunning(
                f"En anden import i {database.name} er i gang{since}. Vent, til den er færdig, "
                "og prøv igen. Cockpittet viser imens de hidtidige data."
            ) from None
        os.ftruncate(fd, 0)
        started = datetime.now().strftime("%d.%m.%Y %H:%M")
        os.pwrite(fd, f"startet {started}, proces {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _checkpoint(path: Path) -> None:
    """Fold any write-ahead log into the file, so the file alone is the whole database."""
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute("checkpoint")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def swapped(url: str, build: Callable[[str], ImportResult]) -> ImportResult:
    """Run an import (`build(target_url)`, all-or-nothing) on a copy beside the live DuckDB file
    and swap the copy in when it succeeds. Raises ImportRunning when another import holds the
    lock. For any other URL the import runs on it as it is."""
    live = db.duckdb_path(url)
    if live is None:
        return build(url)
    with import_lock(live):
        fd, name = tempfile.mkstemp(prefix=f".{live.name}.", suffix=".import", dir=live.parent)
        os.close(fd)
        building = Path(name)
        try:
            building.unlink()  # the importer creates the file only once the data are known good
            if live.exists():
                shutil.copyfile(live, building)
                if _wal(live).exists():  # a writer that did not finish its checkpoint
                    shutil.copyfile(_wal(live), _wal(building))
            result = build(f"duckdb:///{building}")
            if not result.ok or not building.exists():
                return result
            _checkpoint(building)
            _fsync(building)
            with contextlib.suppress(FileNotFoundError):
                _wal(live).unlink()  # its contents are in the new file; never replay it on that
            os.replace(building, live)
            _fsync(live.parent)
            return result
        finally:
            for leftover in (building, _wal(building)):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def import_folder(
    folder: Path | list[Path], url: str, progress: Progress | None = None
) -> ImportResult:
    """The importer's contract-table import (cockpit.ingest.import_folder), swapped in."""
    return swapped(url, lambda target: _import_folder(folder, target, progress=progress))


def import_sources(
    folder: Path | list[Path],
    url: str,
    municipality: int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """The import of contract tables and source files (cockpit.ingest.sources), swapped in."""
    from cockpit.ingest.sources.run import import_sources as _import_sources

    return swapped(url, lambda target: _import_sources(folder, target, municipality, progress))


def import_uploads(
    files: list,
    principal,
    url: str,
    progress: Progress | None = None,
    municipality: int | None = None,
):
    """Uploaded files (objects with .name and .getbuffer(), as st.file_uploader gives them) saved
    to a temporary folder and imported all-or-nothing (source files for `municipality`); only an
    administrator outside demo mode may. Raises ImportRunning when another import runs."""
    from cockpit.access.gateway import AccessDenied

    if principal is None or not principal.may_import:
        raise AccessDenied("Kun en administrator kan indlæse data, og ikke i demotilstand.")
    with tempfile.TemporaryDirectory(prefix="cockpit-import-") as folder:
        paths = []
        for f in files:
            path = Path(folder) / Path(f.name).name  # never trust a path from the browser
            path.write_bytes(f.getbuffer())
            paths.append(path)
        return import_sources(paths, url, municipality, progress)
