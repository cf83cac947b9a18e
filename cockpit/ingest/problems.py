"""Problems (Danish, naming file, row and column) and the result of an import."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from cockpit.ingest.privacy import scrub

MAX_PER_KIND = 20  # problems listed per (file, column, kind); the rest are counted


@dataclass
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"række {self.row}")
        if self.column:
            where.append(f"kolonne {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    ok: bool
    problems: list[Problem]
    warnings: list[Problem]
    rows: dict[str, int]  # data rows per table in the import (written only when ok)
    municipalities: list[int]  # municipalities whose fact rows the import replaced (or would)


def n(x: int) -> str:
    """Danish thousands separator."""
    return f"{x:,}".replace(",", ".")


class Collector:
    """Problems in order of discovery, at most MAX_PER_KIND listed per (file, column, kind)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str | None, str, Problem]] = []
        self.counts: Counter[tuple[str, str | None, str]] = Counter()

    def add(self, file: str, row: int | None, column: str | None, kind: str, message: str) -> None:
        self.add_rows(file, column, kind, [row], [None], lambda _: message)

    def add_rows(
        self,
        file: str,
        column: str | None,
        kind: str,
        rows: Sequence[int | None] | np.ndarray,
        values: Sequence[object],
        message: Callable[[object], str],
    ) -> None:
        """Rows with the same kind of problem; values (for the first few rows) go in the text."""
        key = (file, column, kind)
        room = max(0, MAX_PER_KIND - self.counts[key])
        for row, value in zip(rows[:room], values[:room], strict=False):
            # A safety net: no message may carry a CPR-like number, whatever produced it.
            text = scrub(message(value))
            number = None if row is None else int(row)
            self.items.append((*key, Problem(file, number, column, text)))
        self.counts[key] += len(rows)

    def __bool__(self) -> bool:
        return bool(self.items)

    def result(self) -> list[Problem]:
        """Listed problems sorted by file and row, each file followed by its 'og N rækker mere'."""
        files = list(dict.fromkeys(f for f, *_ in self.items))
        out: list[Problem] = []
        for f in files:
            mine = [(c, p) for ff, c, _, p in self.items if ff == f]
            mine.sort(key=lambda t: (t[1].row or 0, t[0] or ""))
            out += [p for _, p in mine]
            for (ff, column, kind), count in self.counts.items():
                if ff == f and count > MAX_PER_KIND:
                    more = f"og {n(count - MAX_PER_KIND)} rækker mere med samme fejl ({kind})"
                    out.append(Problem(f, None, column, more))
        return out


# What the readers (pyarrow, openpyxl, zipfile, the operating system) say in English, in Danish.
_EXPLAINED = (
    ("magic bytes not found", "filen er ikke en Parquet-fil, eller den er beskadiget"),
    ("file size is 0", "filen er tom"),
    ("couldn't deserialize thrift", "filens metadata er beskadiget eller afkortet"),
    ("unexpected end of stream", "filen er afkortet"),
    ("not a zip file", "filen er ikke en gyldig .xlsx-fil (en .xlsx-fil er en zip-fil)"),
    ("bad crc", "filen er beskadiget (kontrolsummen passer ikke)"),
    ("truncated", "filen er afkortet"),
    ("[content_types].xml", "filen er ikke en Excel-projektmappe"),
    ("no valid workbook part", "filen er ikke en Excel-projektmappe"),
    (".xls file format", "det gamle .xls-format kan ikke læses; gem filen som .xlsx"),
    ("straddling", 'en række er for lang, eller et citationstegn (") er ikke lukket'),
    ("invalid utf8", "filen indeholder tegn, der ikke er gyldig UTF-8"),
    ("field larger than field limit", "et felt i overskriften er for langt"),
    ("line contains nul", "filen indeholder et NUL-tegn (tegnkode 0)"),
    ("no such file", "filen findes ikke"),
    ("permission denied", "der er ikke adgang til at læse filen"),
    ("is a directory", "det er en mappe, ikke en fil"),
)


def explain(exc: BaseException) -> str:
    """A reader's error in Danish; the English original is never shown to the user."""
    text = str(exc).lower()
    for needle, danish in _EXPLAINED:
        if needle in text:
            return danish
    return (
        f"filen er beskadiget eller i et format, der ikke kan læses (fejltype {type(exc).__name__})"
    )
