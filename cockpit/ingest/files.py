"""Finding the files of an extract: which contract table each file (or workbook sheet) holds."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from cockpit.ingest.contract import CONTRACT
from cockpit.ingest.problems import Collector, explain

SUFFIXES = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}
# An .xlsx file is a zip of XML. Before any parsing, its members' declared sizes are summed (the
# zip's directory only, nothing is inflated): over this bound, or with a member inflating more than
# MAX_XLSX_RATIO times (a zip bomb; real sheets inflate 10-15 times), the file is refused. zipfile
# stops at the declared size while inflating, so a member cannot lie its way past the bound.
MAX_XLSX_MB = 200.0  # COCKPIT_IMPORT_MAX_XLSX_MB overrides it
MAX_XLSX_RATIO = 100
MAX_XLSX_MEMBERS = 10_000


@dataclass
class Source:
    table: str
    label: str  # how the user knows it: "grant.csv" or "udtræk.xlsx, ark grant"
    path: Path
    kind: str  # csv, xlsx or parquet
    sheet: str | None = None
    size: float = 1.0  # bytes, for progress


def list_files(folder: Path | list[Path]) -> list[Path]:
    paths = [Path(folder)] if isinstance(folder, (str, Path)) else [Path(p) for p in folder]
    out: list[Path] = []
    for p in paths:
        out += sorted(c for c in p.iterdir() if c.is_file()) if p.is_dir() else [p]
    return [p for p in out if not p.name.startswith((".", "~$"))]


def discover(files: list[Path], problems: Collector, warnings: Collector) -> dict[str, Source]:
    sources: dict[str, Source] = {}

    def add(src: Source) -> None:
        if src.table in sources:
            first = sources[src.table].label
            problems.add(
                src.label, None, None, "dobbelt", f"Tabellen {src.table} findes også i {first}"
            )
        else:
            sources[src.table] = src

    for path in files:
        stem, suffix = path.stem.strip().lower(), path.suffix.lower()
        kind = SUFFIXES.get(suffix)
        table = stem if stem in CONTRACT else None
        size = float(max(path.stat().st_size, 1)) if path.exists() else 1.0
        if not path.exists():
            problems.add(path.name, None, None, "fil", "Filen findes ikke")
        elif kind == "xlsx" and (refusal := xlsx_refusal(path)):
            problems.add(path.name, None, None, "for stor", refusal)
        elif kind == "xlsx" and table is None:
            for src in workbook_sources(path, size, problems, warnings):
                add(src)
        elif table and kind:
            add(Source(table, path.name, path, kind, size=size))
        elif table:
            problems.add(
                path.name,
                None,
                None,
                "filtype",
                f"Filtypen {suffix or '(ingen)'} kan ikke læses; gem filen som .csv, .xlsx eller .parquet",
            )
        else:
            warnings.add(
                path.name,
                None,
                None,
                "ukendt fil",
                "Filen hedder ikke som en tabel i datakontrakten og springes over",
            )
    return sources


def workbook_sources(
    path: Path, size: float, problems: Collector, warnings: Collector
) -> list[Source]:
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        names = list(wb.sheetnames)
        wb.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        problems.add(
            path.name, None, None, "ulæselig", f"Projektmappen kan ikke læses: {explain(exc)}"
        )
        return []
    found = []
    for sheet in names:
        table = sheet.strip().lower()
        label = f"{path.name}, ark {sheet}"
        if table in CONTRACT:
            found.append(Source(table, label, path, "xlsx", sheet=sheet))
        else:
            warnings.add(
                label, None, None, "ukendt ark", "Arket hedder ikke som en tabel og springes over"
            )
    for src in found:
        src.size = size / len(found)
    return found


def max_xlsx_bytes() -> int:
    return int(float(os.environ.get("COCKPIT_IMPORT_MAX_XLSX_MB", MAX_XLSX_MB)) * 2**20)


def xlsx_refusal(path: Path) -> str | None:
    """Why an .xlsx file is refused before it is parsed (None: it may be read). Reads only the zip's
    central directory, so the check itself runs in bounded memory."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"Filen kan ikke læses som Excel: {explain(exc)}"
    limit = max_xlsx_bytes()
    total = sum(m.file_size for m in members)
    mb = f"{limit / 2**20:.0f}"
    if len(members) > MAX_XLSX_MEMBERS:
        return f"Filen har {len(members)} dele; en Excel-projektmappe har højst {MAX_XLSX_MEMBERS}"
    if total > limit:
        return (
            f"Filen fylder {total / 2**20:.0f} MB udpakket, mere end grænsen på {mb} MB; "
            "del den i flere filer, eller gem den som CSV"
        )
    for m in members:
        if m.file_size > 2**20 and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1):
            return (
                f"Filen pakkes {m.file_size // max(m.compress_size, 1)} gange ud (højst "
                f"{MAX_XLSX_RATIO}) og afvises som en mulig zip-bombe"
            )
    return None
