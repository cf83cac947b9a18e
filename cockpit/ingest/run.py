"""One import run: find the files, read and check every chunk into the staging area, look for
duplicate keys, and only then (no problem anywhere) write all of it in one transaction."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import sqlalchemy as sa

from cockpit import db
from cockpit.ingest import write
from cockpit.ingest.checks import Checker
from cockpit.ingest.contract import (
    FACT_TABLES,
    IMPORT_TABLES,
    default_offer_types,
    national_municipalities,
)
from cockpit.ingest.files import Source, discover, list_files
from cockpit.ingest.problems import Collector, ImportResult, explain, n
from cockpit.ingest.readers import open_source
from cockpit.ingest.references import check_references
from cockpit.ingest.stage import Stage

Progress = Callable[[str, float], None]


@dataclass
class Run:
    url: str
    progress: Progress | None
    check: Checker = field(default_factory=Checker)
    rows: dict[str, int] = field(default_factory=dict)
    done: float = 0.0
    also_write: Callable[[sa.Connection], None] | None = None

    @property
    def problems(self) -> Collector:
        return self.check.problems

    def report(self, message: str, fraction: float) -> None:
        self.done = min(max(fraction, self.done), 1.0)  # never backwards, whatever the estimate
        if self.progress is not None:
            self.progress(message, self.done)

    def read_existing(self, engine: sa.Engine | None) -> None:
        """The codes the database knows already (offer types, municipalities)."""
        if engine is not None:
            with engine.connect() as conn:
                inspector = sa.inspect(conn)
                if inspector.has_table("offer_type"):
                    q = sa.text("select offer_type_code from offer_type")
                    self.check.offer_types = {str(v) for v in conn.execute(q).scalars()}
                if inspector.has_table("municipality"):
                    q = sa.text("select municipality_code from municipality")
                    self.check.municipalities = {int(v) for v in conn.execute(q).scalars()}
        self.check.db_has_offer_types = bool(self.check.offer_types)
        self.check.municipalities |= set(national_municipalities().index)

    def validate_and_write(self, sources: dict[str, Source], engine: sa.Engine | None) -> None:
        ordered = [sources[t] for t in IMPORT_TABLES if t in sources]  # reference tables first
        if "offer_type" not in sources and not self.check.db_has_offer_types:
            self.check.offer_types |= set(default_offer_types()["offer_type_code"])
        total = sum(s.size for s in ordered) or 1.0
        with tempfile.TemporaryDirectory(prefix="cockpit-import-") as tmp:
            stage = Stage(Path(tmp))
            done = 0.0
            for src in ordered:
                self.validate(src, stage, 0.7 * done / total, 0.7 * src.size / total)
                done += src.size
                self.check.municipalities |= self.check.file_municipalities
                self.check.offer_types |= self.check.file_offer_types
            stage.close(list(sources))
            self.report("Leder efter dobbelte nøgler", 0.7)
            with duckdb.connect(config={"temp_directory": tmp, "memory_limit": "256MB"}) as con:
                for src in ordered:
                    stage.check_duplicates(con, src, self.problems)
                # Only over rows known to be readable and unique: a file that could not be read
                # would otherwise make every reference to it a problem too.
                if not self.problems:
                    self.report("Kontrollerer henvisninger mellem tabellerne", 0.72)
                    check_references(
                        con, stage, sources, self.check.replaced, engine, self.problems
                    )
            if self.problems:
                return
            self.warn_missing_tables(sources)
            self.report("Skriver til databasen", 0.75)
            self.write_safely(sources, stage, engine)

    def validate(self, src: Source, stage: Stage, done: float, share: float) -> None:
        opened = open_source(src, self.problems)
        self.rows.setdefault(src.table, 0)
        if opened is None:
            return
        plan = self.check.plan(src, opened.header)
        try:
            for rows, columns, fraction in opened.chunks(plan.names):
                typed, kept = self.check.check_chunk(src, plan, rows, columns, opened.comma_decimal)
                self.rows[src.table] += len(kept)
                stage.add(src.table, typed, kept)
                msg = f"Kontrollerer {src.label}: {n(self.rows[src.table])} rækker"
                self.report(msg, done + share * fraction)
        except UnicodeDecodeError:
            msg = "Filen kan ikke læses som UTF-8 eller Windows-1252; gem den som 'CSV UTF-8'"
            self.problems.add(src.label, None, None, "tegnsæt", msg)
        except (OSError, pa.ArrowException, csv.Error) as exc:
            self.problems.add(
                src.label, None, None, "ulæselig", f"Filen kan ikke læses: {explain(exc)}"
            )

    def warn_missing_tables(self, sources: dict[str, Source]) -> None:
        missing = [t for t in FACT_TABLES if t not in sources]
        if self.check.replaced and missing:
            codes = ", ".join(str(c) for c in sorted(self.check.replaced))
            msg = (
                f"Tabellerne {', '.join(missing)} er ikke med i importen; deres rækker for "
                f"kommune {codes} er bevaret som før"
            )
            self.check.warnings.add("", None, None, "ikke med", msg)

    def write_safely(
        self, sources: dict[str, Source], stage: Stage, engine: sa.Engine | None
    ) -> None:
        """write.write(), with any failure reported as a problem (the transaction rolled back)."""
        target = engine or db.writable_engine(self.url)
        failed = False
        try:
            write.write(target, sources, stage, self.check, self.rows, self.report, self.also_write)
        except Exception as exc:  # the database's, the driver's or the disk's: all end the same
            failed = True
            self.problems.add("", None, None, "skrivning", f"Databasen afviste importen ({exc})")
        finally:
            if engine is None:
                target.dispose()
        new_file = db.duckdb_path(self.url) if engine is None else None
        if failed and new_file is not None:  # it did not exist before this import
            for path in (new_file, new_file.with_name(new_file.name + ".wal")):
                path.unlink(missing_ok=True)

    def result(self) -> ImportResult:
        problems = self.problems.result()
        if not problems:
            self.report("Færdig", 1.0)
        return ImportResult(
            ok=not problems,
            problems=problems,
            warnings=self.check.warnings.result(),
            rows=dict(self.rows),
            municipalities=sorted(self.check.replaced),
        )


def import_folder(
    folder: Path | list[Path],
    url: str,
    progress: Progress | None = None,
    *,
    pseudonymised: Mapping[str, Collection[str]] | None = None,
    also_write: Callable[[sa.Connection], None] | None = None,
) -> ImportResult:
    """Validate every file, then (only if there are no problems) write all of it in one transaction.

    folder is a folder, a single file (e.g. one workbook with a sheet per table) or a list of files.
    pseudonymised names, per table, the columns a source reader has already replaced by pseudonyms
    (a declared CPR column): they are exempt from the CPR check, nothing else is.
    also_write(conn), if given, runs inside the write transaction (a source import keeps its
    staging there, so staging and tables change together or not at all).
    """
    run = Run(
        url, progress, Checker(pseudonymised=dict(pseudonymised or {})), also_write=also_write
    )
    run.report("Finder filerne", 0.0)
    sources = discover(list_files(folder), run.problems, run.check.warnings)
    if not sources and not run.problems:
        run.problems.add(
            "", None, None, "ingen filer", "Der er ingen filer med tabeldata at indlæse"
        )
    path = db.duckdb_path(url)
    # A DuckDB file that does not exist yet is only created once the import is known to be good.
    engine = None if path is not None and not path.exists() else db.writable_engine(url)
    try:
        run.read_existing(engine)
        if not run.problems:
            run.validate_and_write(sources, engine)
    except sa.exc.SQLAlchemyError as exc:
        msg = f"Databasen kan ikke læses ({getattr(exc, 'orig', exc)})"
        run.problems.add("", None, None, "database", msg)
    finally:
        if engine is not None:
            engine.dispose()
    return run.result()
