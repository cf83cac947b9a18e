"""The source import: recognise the files (detect.py), pseudonymise at the door, read every source,
merge with the municipality's staging, assemble the contract tables into a temporary folder of
Parquet files and hand that folder, with any contract-table files beside the sources, to the
ordinary import. Its guarantees hold unchanged: all-or-nothing (staging is written inside its
transaction), bounded memory, Danish problems with file, row and column."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cockpit import db
from cockpit.ingest import CONTRACT, ImportResult, Problem, import_folder
from cockpit.ingest.run import Progress
from cockpit.ingest.sources import (
    assemble,
    detect,
    expenses,
    ffb_build,
    g69,
    grant_extract,
    mappings,
    postings_csv,
    staging,
)
from cockpit.ingest.sources.erp import OUT_OF_SCOPE, PostingWriter
from cockpit.ingest.sources.fhir import BundleReader
from cockpit.ingest.sources.problems import Problems
from cockpit.ingest.sources.pseudonym import MissingKey, Pseudonymiser, load_key


def _refused(problems: list[Problem]) -> ImportResult:
    return ImportResult(False, problems, [], {}, [])


def _offer_type_names() -> dict[str, str]:
    frame = pd.read_csv(db.ROOT / "sample_data" / "offer_types.csv", dtype=str)
    return {n.lower(): c for n, c in zip(frame["name"], frame["offer_type_code"], strict=True)}


def import_sources(
    folder: Path | list[Path],
    url: str,
    municipality: int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a folder that may hold source files (FFB bundles, G69 or CSV postings, a grant
    extract) beside contract tables; without source files this is the ordinary import."""
    paths = detect.files(folder)
    maps = mappings.load(detect.overrides(paths))
    found = detect.classify(paths, maps)
    if not found.any_source:
        return import_folder(folder, url, progress)
    problems = Problems()
    for p in found.unknown_json:
        problems.add(p.name, None, None, "JSON-filen er ikke en FFB-leverance (FHIR Bundle)")
    if municipality is None:
        problems.add(
            "",
            None,
            None,
            "Vælg kommunen, som kildefilerne hører til (Import-siden: Kommune; kommandolinjen: "
            "--municipality)",
        )
    if len(found.extracts) > 1:
        for p in found.extracts[1:]:
            problems.add(p.name, None, None, "Læg kun ét bevillingsudtræk i importmappen ad gangen")
    try:
        pseudo = Pseudonymiser(load_key())
    except MissingKey as exc:
        problems.add("", None, None, str(exc))
    if problems:
        return _refused(problems.result())
    assert municipality is not None
    with tempfile.TemporaryDirectory(prefix="cockpit-sources-") as name:
        tmp = Path(name)
        return _run(found, maps, pseudo, problems, url, municipality, progress, tmp)


def _report(progress: Progress | None, message: str, fraction: float) -> None:
    if progress is not None:
        progress(message, fraction)


def _run(found, maps, pseudo, problems, url, municipality, progress, tmp: Path) -> ImportResult:
    _report(progress, "Læser FFB-leverancerne", 0.0)
    reader = BundleReader(maps, pseudo, problems)
    records = [r for p in found.bundles for r in reader.read(p)]
    gaps: dict[str, int] = {}
    extract = None
    if found.extracts:
        _report(progress, "Læser bevillingsudtrækket", 0.02)
        names = _offer_type_names()
        extract = grant_extract.read(found.extracts[0], maps, pseudo, problems, names, gaps)
    writer = PostingWriter(tmp / "postings.parquet", maps, pseudo, problems)
    for p in found.g69:
        _report(progress, f"Læser posteringerne i {p.name}", 0.03)
        g69.read(p, writer)
    for p, cols in found.postings:
        _report(progress, f"Læser posteringerne i {p.name}", 0.03)
        postings_csv.read(p, writer, cols)
    postings = writer.close()
    if problems:
        return _refused(problems.result())
    _report(progress, "Samler tabellerne", 0.1)
    path = db.duckdb_path(url)
    engine = None if path is not None and not path.exists() else db.writable_engine(url)
    try:
        conn = engine.connect() if engine is not None else None
        try:
            tables, staged = _assemble(
                conn, records, extract, postings, writer, gaps, municipality, tmp
            )
        finally:
            if conn is not None:
                conn.close()
    finally:
        if engine is not None:
            engine.dispose()
    folder = tmp / "tables"
    for p in found.tables:
        if p.stem.strip().lower() in tables:
            problems.add(p.name, None, None, f"Tabellen {p.stem} kommer også fra kildefilerne")
        else:
            shutil.copy(p, folder / p.name)
    if problems:
        return _refused(problems.result())

    def also_write(conn: sa.Connection) -> None:
        staging.write(conn, municipality, staged["ffb"], staged["extract"])
        staging.write_gaps(conn, municipality, staged["gaps"])

    def later(message: str, fraction: float) -> None:  # the ordinary import: the last 90 %
        _report(progress, message, 0.1 + 0.9 * fraction)

    return import_folder(folder, url, later, also_write=also_write)


def _assemble(conn, records, extract, postings, writer, gaps, municipality, tmp: Path):
    """The contract tables as Parquet files in tmp/tables, and what goes to staging."""
    out = assemble.Assembled()
    folder = tmp / "tables"
    folder.mkdir()
    stored = staging.read_ffb(conn, municipality)
    ffb_rows = staging.merge(stored, records) if records else stored
    extract_rows = extract if extract is not None else staging.read_extract(conn, municipality)
    built = None
    if ffb_rows:
        built = ffb_build.build(ffb_rows, mappings.load({}), municipality)
        for message, n in built.gaps.items():
            out.gap(assemble.FFB, message, n)
        for table in ("assessment", "goal", "followup"):
            _write(folder, table, getattr(built, table))
    for message, n in gaps.items():
        out.gap(assemble.EXTRACT, message, n)
    tables = {"assessment", "goal", "followup"} if built else set()
    grants: pd.DataFrame
    if built is not None or extract_rows:
        rows = assemble.link_grants(
            built.grant if built else [], extract_rows or [], municipality, out
        )
        _write(folder, "grant", rows)
        grants = pd.DataFrame(rows)
        tables.add("grant")
    else:
        grants = expenses.existing(conn, "grant", municipality)
    if extract_rows:
        new = assemble.offers(extract_rows, municipality)
        old = expenses.existing(conn, "offer", municipality)
        kept = old[~old["offer_id"].isin({o["offer_id"] for o in new})] if len(old) else old
        _write(folder, "offer", new + kept.to_dict("records"))
        tables.add("offer")
    erp_people = expenses.erp_citizens(postings) if postings else []
    old_expense = tmp / "kept.parquet"
    kept_rows = (
        expenses.export_kept(conn, municipality, writer.fiscal_years, old_expense)
        if conn is not None
        else 0
    )
    if postings is not None or (kept_rows and "grant" in tables):
        inputs = [p for p in (postings, old_expense if kept_rows else None) if p is not None]
        _, no_citizen, unlinked = expenses.link(
            inputs, grants, municipality, folder / "expense.parquet", tmp
        )
        out.gap(assemble.ERP, "posteringer kunne ikke knyttes til en bevilling", unlinked)
        out.gap(
            assemble.ERP,
            "posteringer har ingen borger (modtageren har intet CPR-nummer)",
            no_citizen,
        )
        out.gap(assemble.ERP, OUT_OF_SCOPE, writer.skipped)
        tables.add("expense")
    found = assemble.citizens(built, extract_rows or [], erp_people, municipality, out)
    old = expenses.existing(conn, "citizen", municipality)
    kept = old[~old["citizen_id"].isin(found.keys())] if len(old) else old
    _write(folder, "citizen", list(found.values()) + kept.to_dict("records"))
    tables.add("citizen")
    staged = {
        "ffb": ffb_rows if records else None,
        "extract": extract,
        "gaps": out.gaps,
    }
    return tables, staged


def _write(folder: Path, table: str, rows: list[dict]) -> None:
    columns = [c.name for c in CONTRACT[table]]
    frame = pd.DataFrame(rows).reindex(columns=columns) if rows else pd.DataFrame(columns=columns)
    frame.astype(object).where(frame.notna(), None).to_parquet(
        folder / f"{table}.parquet", index=False
    )
