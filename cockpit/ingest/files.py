"""Finding the files of an extract: which contract table each file (or workbook sheet) holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from cockpit.ingest.contract import CONTRACT
from cockpit.ingest.problems import Collector

SUFFIXES = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}


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
        problems.add(path.name, None, None, "ulæselig", f"Projektmappen kan ikke læses ({exc})")
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
