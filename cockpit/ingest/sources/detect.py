"""Recognise source files by content, beside the contract tables: an FFB bundle (JSON with
resourceType Bundle), G69 postings (a line starting 000G69 with &110), a postings CSV (date,
account or alias, amount, CPR), a grant extract (the columns named in bevillingsudtraek_kolonner.csv),
the alias file (Finanskontoalias) and the municipality's own mapping files (by name). Anything else
goes to the ordinary import of contract tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cockpit.ingest.contract import CONTRACT
from cockpit.ingest.sources import g69, grant_extract, postings_csv
from cockpit.ingest.sources.mappings import ALIAS_FILE, MAPPING_FILES, Maps

TEXT_SUFFIXES = {".csv", ".txt", ".xlsx", ".g69", ".dat", ".prn", ".asc", ""}


@dataclass
class Found:
    bundles: list[Path] = field(default_factory=list)
    g69: list[Path] = field(default_factory=list)
    postings: list[tuple[Path, dict[str, str]]] = field(default_factory=list)
    extracts: list[Path] = field(default_factory=list)
    overrides: dict[str, Path] = field(default_factory=dict)
    tables: list[Path] = field(default_factory=list)
    unknown_json: list[Path] = field(default_factory=list)

    @property
    def any_source(self) -> bool:
        return bool(self.bundles or self.g69 or self.postings or self.extracts)


def files(folder: Path | list[Path]) -> list[Path]:
    if isinstance(folder, list):
        return sorted(folder)
    if folder.is_dir():
        return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    return [folder]


def overrides(paths: list[Path]) -> dict[str, Path]:
    """The municipality's own mapping files and alias file, by name."""
    out = {}
    for p in paths:
        if p.name.lower() in MAPPING_FILES or p.name.lower() == ALIAS_FILE:
            out[p.name.lower()] = p
    return out


def _head(path: Path) -> str:
    with open(path, "rb") as f:
        return f.read(4096).decode("latin-1")


def classify(paths: list[Path], maps: Maps) -> Found:
    found = Found(overrides=overrides(paths))
    for p in paths:
        suffix, stem = p.suffix.lower(), p.stem.strip().lower()
        if p.name.lower() in found.overrides:
            continue
        if stem in CONTRACT or suffix == ".parquet":
            found.tables.append(p)
        elif suffix == ".json":
            head = _head(p)
            if '"resourceType"' in head and '"Bundle"' in head:
                found.bundles.append(p)
            else:
                found.unknown_json.append(p)
        elif suffix in TEXT_SUFFIXES and suffix != ".xlsx" and g69.looks_like(_head(p)):
            found.g69.append(p)
        elif suffix in TEXT_SUFFIXES:
            header = grant_extract.header(p) if suffix == ".xlsx" else postings_csv.sniff(p)[2]
            cols = postings_csv.columns(header) if suffix != ".xlsx" else None
            if cols is not None:
                found.postings.append((p, cols))
            elif grant_extract.looks_like(header, maps):
                found.extracts.append(p)
            else:
                found.tables.append(p)
        else:
            found.tables.append(p)
    return found
