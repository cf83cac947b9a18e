"""Import an extract (CSV, XLSX or Parquet; one file or sheet per table) into the cockpit database.

All files are validated (Danish messages naming file, row, column) before one write transaction."""

from __future__ import annotations

import calendar
import codecs
import csv
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import sqlalchemy as sa

from cockpit import db

Progress = Callable[[str, float], None]

# ---------------------------------------------------------------------------------------------
# The data contract (../shared/spec/data-contract.md) as the importer's whitelist.


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # int, text, date, dkk, num, bool or level
    nullable: bool = False
    allowed: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None


_MUN = Column("municipality_code", "int")
_YEAR = Column("year", "int", lo=1900, hi=2100)
_OFFER_TYPE = Column("offer_type_code", "text")
_DKK_MAX = 999_999_999_999.99  # numeric(14, 2)

CONTRACT: dict[str, tuple[Column, ...]] = {
    "municipality": (_MUN, Column("name", "text"), Column("region", "text")),
    "population": (
        _MUN,
        _YEAR,
        Column("age_group", "text", allowed=("0-17", "18-64", "65+", "all")),
        Column("persons", "int", lo=0, hi=2_000_000_000),
    ),
    "offer_type": (
        _OFFER_TYPE,
        Column("name", "text"),
        Column("paragraph", "text"),
        Column("account_function", "text"),
        Column("category", "text", allowed=("bolig", "dag", "stoette", "behandling")),
        Column("staircase_step", "int", True, lo=0, hi=100),
    ),
    "offer": (
        Column("offer_id", "text"),
        _MUN,
        Column("name", "text"),
        Column("owner_type", "text", allowed=("own", "other_municipality", "region", "private")),
        Column("location_municipality_code", "int", True),
        Column("places", "int", True, lo=0, hi=1_000_000),
        _OFFER_TYPE,
    ),
    "citizen": (
        Column("citizen_id", "text"),
        _MUN,
        Column("birth_year", "int", lo=1900, hi=2100),
        Column("target_group", "text", allowed=("handicap", "psykiatri", "udsat", "misbrug")),
    ),
    "decision": (
        Column("decision_id", "text"),
        _MUN,
        Column("citizen_id", "text"),
        _OFFER_TYPE,
        Column("application_date", "date"),
        Column("decision_date", "date"),
        Column("kind", "text", allowed=("new", "change", "revisitation", "end")),
        Column("outcome", "text", allowed=("granted", "rejected", "changed", "ended")),
        Column("decided_by", "text", allowed=("committee", "leader", "caseworker")),
    ),
    "grant": (
        Column("grant_id", "text"),
        _MUN,
        Column("citizen_id", "text"),
        Column("decision_id", "text", True),
        _OFFER_TYPE,
        Column("offer_id", "text", True),
        Column("start_date", "date"),
        Column("end_date", "date", True),
        Column("monthly_price", "dkk", True, lo=-_DKK_MAX, hi=_DKK_MAX),  # FFB has no price
        Column("weekly_hours", "num", True, lo=0, hi=168),
        Column("next_followup_date", "date", True),
    ),
    "contract": (
        Column("contract_id", "text"),
        _MUN,
        Column("grant_id", "text"),
        Column("template", "text", allowed=("kl_standard", "other")),
        Column("valid_from", "date"),
        Column("valid_to", "date", True),
        Column("monthly_price", "dkk", lo=-_DKK_MAX, hi=_DKK_MAX),
        Column("has_goals_annex", "bool"),
        Column("renegotiate_by", "date", True),
    ),
    "expense": (
        Column("expense_id", "text"),
        _MUN,
        Column("posting_date", "date"),
        Column("amount_dkk", "dkk", lo=-_DKK_MAX, hi=_DKK_MAX),
        Column("account_function", "text"),
        _OFFER_TYPE,
        Column("grant_id", "text", True),
        Column("citizen_id", "text", True),
        Column("offer_id", "text", True),
    ),
    "budget": (
        _MUN,
        _YEAR,
        _OFFER_TYPE,
        Column("original_dkk", "dkk", lo=-_DKK_MAX, hi=_DKK_MAX),
        Column("corrected_dkk", "dkk", lo=-_DKK_MAX, hi=_DKK_MAX),
    ),
    "goal": (
        Column("goal_id", "text"),
        _MUN,
        Column("citizen_id", "text"),
        Column("grant_id", "text", True),
        Column("theme", "text"),
        Column("goal_type", "text", allowed=("develop", "maintain", "limit_loss")),
        Column("baseline_level", "level"),
        Column("target_level", "level"),
        Column("set_on", "date"),
        Column("target_date", "date", True),
    ),
    "assessment": (
        _MUN,
        Column("citizen_id", "text"),
        Column("theme", "text"),
        Column("assessed_on", "date"),
        Column("level", "level"),
    ),
    "followup": (
        Column("followup_id", "text"),
        _MUN,
        Column("grant_id", "text"),
        Column("planned_date", "date", True),
        Column("performed_date", "date", True),
        Column("result", "text", True, allowed=("continue", "adjust", "end")),
    ),
    "strategy_target": (
        _MUN,
        Column("kpi_key", "text"),
        _YEAR,
        Column("target_value", "num"),
        Column("adopted_on", "date", True),
        Column("note", "text", True),
    ),
}

# The primary keys of sample_data/schema.sql; expense has no key there, so the importer enforces it.
KEYS: dict[str, tuple[str, ...]] = {
    "municipality": ("municipality_code",),
    "population": ("municipality_code", "year", "age_group"),
    "offer_type": ("offer_type_code",),
    "offer": ("municipality_code", "offer_id"),
    "citizen": ("municipality_code", "citizen_id"),
    "decision": ("municipality_code", "decision_id"),
    "grant": ("municipality_code", "grant_id"),
    "contract": ("municipality_code", "contract_id"),
    "expense": ("municipality_code", "expense_id"),
    "budget": ("municipality_code", "year", "offer_type_code"),
    "goal": ("municipality_code", "goal_id"),
    "assessment": ("municipality_code", "citizen_id", "theme", "assessed_on"),
    "followup": ("municipality_code", "followup_id"),
    "strategy_target": ("municipality_code", "kpi_key", "year"),
}

REFERENCE_TABLES = ("municipality", "population", "offer_type")
FACT_TABLES = tuple(t for t in db.TABLES if t not in REFERENCE_TABLES)

# (start column, end column, message) for "end before start".
ORDER_CHECKS: dict[str, tuple[str, str, str]] = {
    "grant": ("start_date", "end_date", "Slutdatoen {end} ligger før startdatoen {start}"),
    "contract": ("valid_from", "valid_to", "Slutdatoen {end} ligger før startdatoen {start}"),
    "decision": (
        "application_date",
        "decision_date",
        "Afgørelsesdatoen {end} ligger før ansøgningsdatoen {start}",
    ),
}

# The column whose maximum is the table's data date in data_load (year columns mean 1 January).
DATA_DATE: dict[str, str] = {
    "population": "year",
    "budget": "year",
    "decision": "decision_date",
    "grant": "start_date",
    "contract": "valid_from",
    "expense": "posting_date",
    "goal": "set_on",
    "assessment": "assessed_on",
    "followup": "performed_date",
    "strategy_target": "adopted_on",
}

MUNICIPALITIES_CSV = db.ROOT / "sample_data" / "municipalities.csv"
OFFER_TYPES_CSV = db.ROOT / "sample_data" / "offer_types.csv"

SUFFIXES = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet"}
CSV_BLOCK_BYTES = 4 << 20  # one pyarrow block ≈ 60k expense rows; bounds memory per chunk
XLSX_CHUNK_ROWS = 50_000
PARQUET_CHUNK_ROWS = 100_000
WRITE_CHUNK_ROWS = 250_000
MAX_PER_KIND = 20  # problems listed per (file, column, kind); the rest are counted
DATE_RANGE = (1900, 2100)

_ARROW_TYPES = {
    "int": pa.int64(),
    "level": pa.int64(),
    "text": pa.string(),
    "date": pa.date32(),
    "dkk": pa.float64(),
    "num": pa.float64(),
    "bool": pa.bool_(),
}


def arrow_schema(table: str, with_row: bool = False) -> pa.Schema:
    """The staged (typed) Arrow schema of one contract table."""
    fields = [pa.field(c.name, _ARROW_TYPES[c.type]) for c in CONTRACT[table]]
    if with_row:
        fields.append(pa.field("_row", pa.int64()))
    return pa.schema(fields)


# ---------------------------------------------------------------------------------------------
# Problems and results


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


_CPR_CANDIDATE = r"\d{6}-?\d{4}"  # RE2, run on every cell; _CPR then checks the few hits
_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})\d{2}-?\d{4}(?!\d)")
_DIGIT_RUN = re.compile(_CPR_CANDIDATE)


def _looks_like_cpr(text: str) -> bool:
    """DDMMYY-XXXX or ten digits whose first six are a real day (29 February allowed)."""
    for m in _CPR.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]:
            return True
    return False


def _n(x: int) -> str:
    """Danish thousands separator."""
    return f"{x:,}".replace(",", ".")


class _Collector:
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
            # A safety net: no message may carry a CPR-like digit run, whatever produced it.
            text = _DIGIT_RUN.sub("…", message(value))
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
            for (ff, column, kind), n in self.counts.items():
                if ff == f and n > MAX_PER_KIND:
                    more = f"og {_n(n - MAX_PER_KIND)} rækker mere med samme fejl ({kind})"
                    out.append(Problem(f, None, column, more))
        return out


# ---------------------------------------------------------------------------------------------
# Finding the files


@dataclass
class _Source:
    table: str
    label: str  # how the user knows it: "grant.csv" or "udtræk.xlsx, ark grant"
    path: Path
    kind: str  # csv, xlsx or parquet
    sheet: str | None = None
    size: float = 1.0  # bytes, for progress


def _files(folder: Path | list[Path]) -> list[Path]:
    paths = [Path(folder)] if isinstance(folder, (str, Path)) else [Path(p) for p in folder]
    out: list[Path] = []
    for p in paths:
        out += sorted(c for c in p.iterdir() if c.is_file()) if p.is_dir() else [p]
    return [p for p in out if not p.name.startswith((".", "~$"))]


def _discover(files: list[Path], problems: _Collector, warnings: _Collector) -> dict[str, _Source]:
    sources: dict[str, _Source] = {}

    def add(src: _Source) -> None:
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
            for src in _workbook_sources(path, size, problems, warnings):
                add(src)
        elif table and kind:
            add(_Source(table, path.name, path, kind, size=size))
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


def _workbook_sources(
    path: Path, size: float, problems: _Collector, warnings: _Collector
) -> list[_Source]:
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
            found.append(_Source(table, label, path, "xlsx", sheet=sheet))
        else:
            warnings.add(
                label, None, None, "ukendt ark", "Arket hedder ikke som en tabel og springes over"
            )
    for src in found:
        src.size = size / len(found)
    return found


# ---------------------------------------------------------------------------------------------
# Reading: every source becomes a header plus chunks of (Excel row numbers, text columns)

Chunk = tuple[np.ndarray, dict[str, pa.Array], float]  # row numbers, columns, share of file read


@dataclass
class _Opened:
    header: list[str]
    chunks: Callable[[list[str]], Iterator[Chunk]]  # given unique names for the columns
    comma_decimal: bool = False  # a ';' CSV comes from a locale where ',' is the decimal mark


def _sniff_encoding(path: Path) -> str:
    """'utf8' if the whole file decodes as UTF-8 (with or without BOM), else 'cp1252'."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf8"


def _open_csv(src: _Source, problems: _Collector) -> _Opened | None:
    encoding = _sniff_encoding(src.path)
    with src.path.open("rb") as f:
        first = f.readline(1 << 20)
    text = first.decode("utf-8-sig" if encoding == "utf8" else "cp1252", errors="replace")
    text = text.rstrip("\r\n")
    if not text.strip():
        problems.add(src.label, None, None, "tom", "Filen er tom (der mangler en overskriftsrække)")
        return None
    sep = max((";", ",", "\t"), key=text.count)
    header = next(csv.reader([text], delimiter=sep))

    def chunks(names: list[str]) -> Iterator[Chunk]:
        skipped: list[int] = []

        def on_invalid(row: pcsv.InvalidRow) -> str:
            if row.number is not None:
                skipped.append(row.number)
                if row.text.strip(sep + " \t"):
                    msg = (
                        f"Rækken har {row.actual_columns} felter, men overskriften har "
                        f"{row.expected_columns}"
                    )
                    problems.add(src.label, row.number, None, "antal felter", msg)
            return "skip"

        reader = pcsv.open_csv(
            str(src.path),
            read_options=pcsv.ReadOptions(
                block_size=CSV_BLOCK_BYTES,
                use_threads=False,  # keeps the row numbers the invalid-row handler sees exact
                column_names=names,
                skip_rows=1,
                encoding=encoding,
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=sep,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        offset = 0
        for i, batch in enumerate(reader, 1):
            rows = _row_numbers(offset, batch.num_rows, skipped)
            offset += batch.num_rows
            columns = {n: batch.column(n) for n in names}
            yield rows, columns, min(i * CSV_BLOCK_BYTES / src.size, 1.0)

    return _Opened(header, chunks, comma_decimal=sep == ";")


def _row_numbers(offset: int, n: int, skipped: list[int]) -> np.ndarray:
    """Excel row numbers of data rows offset..offset+n, given the (sorted) rows the reader skipped."""
    idx = np.arange(offset, offset + n, dtype=np.int64)
    if not skipped:
        return idx + 2
    s = np.asarray(skipped, dtype=np.int64)
    valid_before = s - np.arange(len(s)) - 2
    return idx + 2 + np.searchsorted(valid_before, idx, side="right")


def _cell_text(v: object) -> str:
    """One typed spreadsheet cell as the text the validators expect (dates ISO, '.' decimals)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def _open_xlsx(src: _Source, problems: _Collector) -> _Opened | None:
    try:
        wb = openpyxl.load_workbook(src.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        problems.add(src.label, None, None, "ulæselig", f"Filen kan ikke læses som Excel ({exc})")
        return None
    by_name = {s.strip().lower(): s for s in wb.sheetnames}
    ws = wb[src.sheet or by_name.get(src.table, wb.sheetnames[0])]
    rows = ws.iter_rows(values_only=True)
    header: list[str] | None = None
    header_row = 0
    for header_row, values in enumerate(rows, 1):  # noqa: B007 - the header's row number is kept
        if any(v not in (None, "") for v in values):
            header = [_cell_text(v) for v in values]
            break
    if header is None:
        wb.close()
        problems.add(
            src.label, None, None, "tom", "Arket er tomt (der mangler en overskriftsrække)"
        )
        return None
    width = len(header)

    def chunk(numbers: list[int], buffer: list[list[str]], names: list[str], f: float) -> Chunk:
        columns = {n: pa.array([r[i] for r in buffer], pa.string()) for i, n in enumerate(names)}
        return np.asarray(numbers, dtype=np.int64), columns, f

    def chunks(names: list[str]) -> Iterator[Chunk]:
        numbers: list[int] = []
        buffer: list[list[str]] = []
        try:
            for number, values in enumerate(rows, header_row + 1):
                cells = [_cell_text(v) for v in values[:width]]
                buffer.append(cells + [""] * (width - len(cells)))
                numbers.append(number)
                if len(buffer) >= XLSX_CHUNK_ROWS:
                    yield chunk(numbers, buffer, names, 0.5)
                    numbers, buffer = [], []
            if buffer:
                yield chunk(numbers, buffer, names, 1.0)
        finally:
            wb.close()

    return _Opened(header, chunks)


def _arrow_text(arr: pa.Array) -> pa.Array:
    """A typed Parquet column as text in the same shape as a CSV cell."""
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if pa.types.is_null(arr.type):
        return pa.array([""] * len(arr), pa.string())
    if pa.types.is_timestamp(arr.type):
        arr = pc.cast(arr, pa.date32(), safe=False)
    try:
        out = pc.cast(arr, pa.string())
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        out = pa.array([None if v is None else _cell_text(v) for v in arr.to_pylist()], pa.string())
    return pc.fill_null(out, "")


def _open_parquet(src: _Source, problems: _Collector) -> _Opened | None:
    try:
        pf = pq.ParquetFile(src.path)
    except (pa.ArrowException, OSError) as exc:
        problems.add(src.label, None, None, "ulæselig", f"Filen kan ikke læses som Parquet ({exc})")
        return None
    total = max(pf.metadata.num_rows, 1)

    def chunks(names: list[str]) -> Iterator[Chunk]:
        offset = 0
        for batch in pf.iter_batches(batch_size=PARQUET_CHUNK_ROWS):
            columns = {n: _arrow_text(batch.column(i)) for i, n in enumerate(names)}
            rows = np.arange(offset, offset + batch.num_rows, dtype=np.int64) + 2
            offset += batch.num_rows
            yield rows, columns, offset / total

    return _Opened(list(pf.schema_arrow.names), chunks)


def _open(src: _Source, problems: _Collector) -> _Opened | None:
    opener = {"csv": _open_csv, "xlsx": _open_xlsx, "parquet": _open_parquet}[src.kind]
    try:
        return opener(src, problems)
    except (OSError, pa.ArrowException, csv.Error) as exc:
        problems.add(src.label, None, None, "ulæselig", f"Filen kan ikke læses ({exc})")
        return None


# ---------------------------------------------------------------------------------------------
# Parsing text columns with Arrow compute (a few passes per column, no Python per cell)


@dataclass
class _Parsed:
    values: pa.Array  # typed; null where empty or unreadable
    magnitude: np.ndarray | None  # what range checks compare: the number, or a date's year
    bad: np.ndarray  # cells that could not be read (empty cells included; the caller masks them)


_NO_TEXT = pa.scalar(None, pa.string())
_WHITESPACE = "[\\s\u00a0]"  # a thousands separator may be a (non-breaking) space


def _bools(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean result as a numpy array, null counting as False."""
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


def _string(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if arr.type == pa.string() else arr.cast(pa.string())


def parse_number(arr: pa.Array, comma_decimal: bool = False) -> np.ndarray:
    """Text to float: '1.234,50', '1234.50', '1234,5', '1 234', '-12'; NaN where unreadable."""
    arr = _string(arr)
    if _bools(pc.match_substring_regex(arr, _WHITESPACE)).any():
        arr = pc.replace_substring_regex(arr, _WHITESPACE, "")
    # Dots as thousands separators: '1.234.567', '1.234,50' and (in a ';' file) a lone '1.234'.
    dots = pc.match_substring_regex(arr, r"^[-+]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$")
    if not comma_decimal:
        several = pc.greater(pc.count_substring(arr, "."), 1)
        dots = pc.and_(dots, pc.or_(pc.match_substring(arr, ","), several))
    commas = pc.match_substring_regex(arr, r"^[-+]?\d{1,3}(?:(?:,\d{3})+\.\d*|(?:,\d{3}){2,})$")
    out = pc.replace_substring(arr, ",", ".")
    if _bools(dots).any():
        undotted = pc.replace_substring(pc.replace_substring(arr, ".", ""), ",", ".")
        out = pc.if_else(dots, undotted, out)
    if _bools(commas).any():
        out = pc.if_else(commas, pc.replace_substring(arr, ",", ""), out)
    ok = pc.match_substring_regex(out, r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,2})?$")
    floats = pc.cast(pc.if_else(ok, out, _NO_TEXT), pa.float64())
    return np.asarray(floats.to_numpy(zero_copy_only=False), dtype="float64")


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")


def parse_date(arr: pa.Array) -> np.ndarray:
    """Text to datetime64[us], NaT where unreadable: YYYY-MM-DD (a time of day is dropped),
    DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY. pandas, because Arrow's strptime accepts 30-02-2024."""
    arr = _string(arr)
    if _bools(pc.match_substring(arr, ":")).any():
        arr = pc.replace_substring_regex(arr, r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", "")
    text = pd.Series(arr.to_pandas(), dtype="str")
    filled = (text != "").to_numpy(dtype=bool)
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    for fmt in _DATE_FORMATS:
        rest = np.isnat(out) & filled
        if not rest.any():
            break
        parsed = pd.to_datetime(text[rest], format=fmt, errors="coerce")
        out[rest] = parsed.to_numpy(dtype="datetime64[us]")
    return out


def _parse_text(arr: pa.Array, _: bool) -> _Parsed:
    return _Parsed(arr, None, np.zeros(len(arr), dtype=bool))


def _parse_float(arr: pa.Array, comma: bool) -> _Parsed:
    num = parse_number(arr, comma)
    bad = ~np.isfinite(num)
    return _Parsed(pa.array(np.where(bad, 0.0, num), mask=bad), num, bad)


def _parse_int(arr: pa.Array, comma: bool) -> _Parsed:
    num = parse_number(arr, comma)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(num) | (num != np.floor(num)) | (np.abs(num) > 2**31 - 1)
    ints = np.where(bad, 0, num).astype(np.int64)
    return _Parsed(pa.array(ints, mask=bad), num, bad)


def _parse_date(arr: pa.Array, _: bool) -> _Parsed:
    when = parse_date(arr)
    bad = np.isnat(when)
    days = np.where(bad, np.datetime64("1970-01-01"), when).astype("datetime64[D]")
    years = np.where(bad, np.nan, days.astype("datetime64[Y]").astype("float64") + 1970)
    return _Parsed(pa.array(days, type=pa.date32(), mask=bad), years, bad)


_TRUE = pa.array(("true", "1", "ja", "sand", "yes", "j", "x"))
_FALSE = pa.array(("false", "0", "nej", "falsk", "no", "n"))


def _parse_bool(arr: pa.Array, _: bool) -> _Parsed:
    low = pc.utf8_lower(arr)
    yes = _bools(pc.is_in(low, value_set=_TRUE))
    bad = ~(yes | _bools(pc.is_in(low, value_set=_FALSE)))
    return _Parsed(pa.array(yes, mask=bad), None, bad)


_PARSERS: dict[str, Callable[[pa.Array, bool], _Parsed]] = {
    "text": _parse_text,
    "int": _parse_int,
    "level": _parse_int,
    "dkk": _parse_float,
    "num": _parse_float,
    "date": _parse_date,
    "bool": _parse_bool,
}

_KIND = {
    "text": "tekst",
    "int": "ikke et helt tal",
    "level": "ikke et niveau",
    "dkk": "ulæseligt beløb",
    "num": "ulæseligt tal",
    "date": "ulæselig dato",
    "bool": "ikke sand/falsk",
}

_MESSAGES: dict[str, Callable[[object], str]] = {
    "text": lambda v: f"Værdien '{v}' kan ikke læses",
    "int": lambda v: f"Værdien '{v}' er ikke et helt tal",
    "level": lambda v: f"Niveauet '{v}' er ikke et helt tal mellem 0 og 4",
    "dkk": lambda v: f"Beløbet '{v}' kan ikke læses som et tal",
    "num": lambda v: f"Tallet '{v}' kan ikke læses",
    "date": lambda v: f"Datoen '{v}' kan ikke læses (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)",
    "bool": lambda v: f"Værdien '{v}' er ikke sand/falsk (brug ja/nej, sand/falsk eller 1/0)",
}


def _missing_message(_: object) -> str:
    return "Værdien mangler; kolonnen skal udfyldes"


def _cpr_message(_: object) -> str:
    return "Værdien ligner et CPR-nummer, og CPR-numre må ikke indlæses (værdien vises ikke)"


def _offer_type_message(v: object) -> str:
    return f"Indsatstypen '{v}' findes ikke i offer_type (hverken i databasen eller i importen)"


def _municipality_message(v: object) -> str:
    return f"Kommunekoden {v} findes ikke (hverken blandt de 98 kommuner, i databasen eller i importen)"


def _bound(x: float | None) -> str:
    if x is None or not float(x).is_integer():
        return str(x)
    return _n(int(x)) if abs(x) >= 100_000 else str(int(x))


# ---------------------------------------------------------------------------------------------
# The import run


@dataclass
class _Plan:
    """How one source's header maps onto its contract table."""

    names: list[str]  # unique names for reading (blank or repeated headings renamed)
    present: set[str]  # contract columns in the source


@dataclass
class _Run:
    url: str
    progress: Progress | None
    problems: _Collector = field(default_factory=_Collector)
    warnings: _Collector = field(default_factory=_Collector)
    rows: dict[str, int] = field(default_factory=dict)
    offer_types: set[str] = field(default_factory=set)
    municipalities: set[int] = field(default_factory=set)
    file_offer_types: set[str] = field(default_factory=set)
    file_municipalities: set[int] = field(default_factory=set)
    referenced: set[int] = field(default_factory=set)  # municipality_code values anywhere
    replaced: set[int] = field(default_factory=set)  # municipality_code values in fact tables
    db_has_offer_types: bool = False
    stage: Path = Path()
    writers: dict[str, pq.ParquetWriter] = field(default_factory=dict)
    done: float = 0.0
    also_write: Callable[[sa.Connection], None] | None = None

    def report(self, message: str, fraction: float) -> None:
        self.done = min(max(fraction, self.done), 1.0)  # never backwards, whatever the estimate
        if self.progress is not None:
            self.progress(message, self.done)

    # -- the database as it is -----------------------------------------------------------------

    def read_existing(self, engine: sa.Engine | None) -> None:
        if engine is not None:
            with engine.connect() as conn:
                inspector = sa.inspect(conn)
                if inspector.has_table("offer_type"):
                    q = sa.text("select offer_type_code from offer_type")
                    self.offer_types = {str(v) for v in conn.execute(q).scalars()}
                if inspector.has_table("municipality"):
                    q = sa.text("select municipality_code from municipality")
                    self.municipalities = {int(v) for v in conn.execute(q).scalars()}
        self.db_has_offer_types = bool(self.offer_types)
        self.municipalities |= set(_national_municipalities().index)

    # -- the whole run ------------------------------------------------------------------------

    def validate_and_write(self, sources: dict[str, _Source], engine: sa.Engine | None) -> None:
        ordered = [sources[t] for t in db.TABLES if t in sources]  # reference tables first
        if "offer_type" not in sources and not self.db_has_offer_types:
            self.offer_types |= set(_default_offer_types()["offer_type_code"])
        total = sum(s.size for s in ordered) or 1.0
        with tempfile.TemporaryDirectory(prefix="cockpit-import-") as tmp:
            self.stage = Path(tmp)
            done = 0.0
            for src in ordered:
                self.validate(src, 0.7 * done / total, 0.7 * src.size / total)
                done += src.size
                self.municipalities |= self.file_municipalities
                self.offer_types |= self.file_offer_types
            self.close_stage(list(sources))
            self.report("Leder efter dobbelte nøgler", 0.7)
            with duckdb.connect(config={"temp_directory": tmp, "memory_limit": "256MB"}) as con:
                for src in ordered:
                    self.check_duplicates(con, src)
            if self.problems:
                return
            self.warn_missing_tables(sources)
            self.report("Skriver til databasen", 0.75)
            self.write_safely(sources, engine)

    def warn_missing_tables(self, sources: dict[str, _Source]) -> None:
        missing = [t for t in FACT_TABLES if t not in sources]
        if self.replaced and missing:
            codes = ", ".join(str(c) for c in sorted(self.replaced))
            msg = (
                f"Tabellerne {', '.join(missing)} er ikke med i importen; deres rækker for "
                f"kommune {codes} er bevaret som før"
            )
            self.warnings.add("", None, None, "ikke med", msg)

    def write_safely(self, sources: dict[str, _Source], engine: sa.Engine | None) -> None:
        """write(), with any failure reported as a problem (the transaction has rolled back)."""
        target = engine or db.writable_engine(self.url)
        failed = False
        try:
            self.write(target, sources)
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
            warnings=self.warnings.result(),
            rows=dict(self.rows),
            municipalities=sorted(self.replaced),
        )

    # -- validation ---------------------------------------------------------------------------

    def plan(self, src: _Source, header: list[str]) -> _Plan:
        wanted = {c.name for c in CONTRACT[src.table]}
        names: list[str] = []
        seen: set[str] = set()
        for i, raw in enumerate(header):
            name = str(raw).replace("\ufeff", "").strip().strip('"').strip().lower()
            if name in seen and name:
                msg = "Kolonnen står mere end én gang i overskriften"
                self.problems.add(src.label, None, name, "dobbelt kolonne", msg)
            if not name or name in seen or name.startswith("_kolonne_"):
                names.append(f"_kolonne_{i + 1}")
                continue
            seen.add(name)
            names.append(name)
            if name not in wanted:
                msg = f"Kolonnen kendes ikke i tabellen {src.table} og springes over"
                self.warnings.add(src.label, None, name, "ukendt kolonne", msg)
        for col in CONTRACT[src.table]:
            if col.name not in seen and not col.nullable:
                msg = f"Kolonnen {col.name} mangler; den skal være med i {src.table}"
                self.problems.add(src.label, None, col.name, "manglende kolonne", msg)
        return _Plan(names, seen & wanted)

    def validate(self, src: _Source, done: float, share: float) -> None:
        opened = _open(src, self.problems)
        self.rows.setdefault(src.table, 0)
        if opened is None:
            return
        plan = self.plan(src, opened.header)
        try:
            for rows, columns, fraction in opened.chunks(plan.names):
                typed, kept = self.check_chunk(src, plan, rows, columns, opened.comma_decimal)
                self.rows[src.table] += len(kept)
                self.stage_chunk(src.table, typed, kept)
                msg = f"Kontrollerer {src.label}: {_n(self.rows[src.table])} rækker"
                self.report(msg, done + share * fraction)
        except UnicodeDecodeError:
            msg = "Filen kan ikke læses som UTF-8 eller Windows-1252; gem den som 'CSV UTF-8'"
            self.problems.add(src.label, None, None, "tegnsæt", msg)
        except (OSError, pa.ArrowException, csv.Error) as exc:
            self.problems.add(src.label, None, None, "ulæselig", f"Filen kan ikke læses ({exc})")

    def check_chunk(
        self,
        src: _Source,
        plan: _Plan,
        rows: np.ndarray,
        columns: dict[str, pa.Array],
        comma: bool,
    ) -> tuple[dict[str, pa.Array], np.ndarray]:
        """Every check on one chunk; returns the typed columns and the Excel rows they came from."""
        text = {n: pc.utf8_trim_whitespace(_string(a)) for n, a in columns.items()}
        filled = np.zeros(len(rows), dtype=bool)
        for a in text.values():
            filled |= ~_bools(pc.equal(a, ""))
        if not filled.all():  # Excel leaves ';;;;' rows behind; they are not data
            keep = pa.array(filled)
            text, rows = {n: a.filter(keep) for n, a in text.items()}, rows[filled]
        amounts = {c.name for c in CONTRACT[src.table] if c.type in ("dkk", "num")}
        # A municipality's budget runs to ten-digit kroner amounts; a money column holds no CPR.
        cpr = {
            n: np.zeros(len(rows), dtype=bool) if n in amounts else self.check_cpr(src, n, a, rows)
            for n, a in text.items()
        }
        typed: dict[str, pa.Array] = {}
        for col in CONTRACT[src.table]:
            if col.name in plan.present:
                typed[col.name] = self.check_column(
                    src, col, text[col.name], rows, cpr[col.name], comma
                )
            else:
                typed[col.name] = pa.nulls(len(rows), _ARROW_TYPES[col.type])
        self.check_codes(src, typed, rows)
        self.check_order(src, typed, rows)
        return typed, rows

    def check_cpr(self, src: _Source, column: str, arr: pa.Array, rows: np.ndarray) -> np.ndarray:
        """CPR-like cells in any column, even unknown ones; the value is never repeated."""
        found = _bools(pc.match_substring_regex(arr, _CPR_CANDIDATE))
        if found.any():
            idx = np.flatnonzero(found)
            found[idx] = [_looks_like_cpr(v) for v in arr.take(pa.array(idx)).to_pylist()]
        if found.any():
            label = None if column.startswith("_kolonne_") else column
            hits = rows[found]
            self.problems.add_rows(src.label, label, "CPR-nummer", hits, [None] * 20, _cpr_message)
        return found

    def check_column(
        self,
        src: _Source,
        col: Column,
        raw: pa.Array,
        rows: np.ndarray,
        cpr: np.ndarray,
        comma: bool,
    ) -> pa.Array:
        """One column: required, readable as its type, inside its range and its allowed values."""
        empty = _bools(pc.equal(raw, ""))
        if not col.nullable:
            self.report_rows(src, col.name, "tom værdi", rows, raw, empty & ~cpr, _missing_message)
        parsed = _PARSERS[col.type](raw, comma)
        bad = parsed.bad & ~(empty | cpr)
        self.report_rows(src, col.name, _KIND[col.type], rows, raw, bad, _MESSAGES[col.type])
        ok = self.check_range(src, col, parsed.magnitude, raw, rows, ~(empty | cpr | bad))
        values = parsed.values
        if col.allowed:
            values = pc.utf8_lower(values)
            outside = ok & ~_bools(pc.is_in(values, value_set=pa.array(col.allowed)))
            allowed = ", ".join(col.allowed)

            def msg(v: object) -> str:
                return f"Værdien '{v}' er ikke tilladt; brug en af: {allowed}"

            self.report_rows(src, col.name, "ugyldig værdi", rows, raw, outside, msg)
            ok &= ~outside
        return pc.if_else(pa.array(ok), values, pa.scalar(None, values.type))

    def check_range(
        self,
        src: _Source,
        col: Column,
        magnitude: np.ndarray | None,
        raw: pa.Array,
        rows: np.ndarray,
        ok: np.ndarray,
    ) -> np.ndarray:
        """Values outside the column's bounds: levels 0-4, dates 1900-2100, years, hours, ..."""
        if magnitude is None:
            return ok
        if col.type == "date":
            (lo, hi), what = DATE_RANGE, "Datoen"
        elif col.type == "level":
            (lo, hi), what = (0, 4), "Niveauet"
        elif col.lo is not None:
            lo, hi, what = col.lo, col.hi, "Værdien"
        else:
            return ok
        with np.errstate(invalid="ignore"):
            outside = ok & ((magnitude < lo) | (magnitude > hi))

        def msg(v: object) -> str:
            return f"{what} {v} ligger uden for {_bound(lo)}-{_bound(hi)}"

        self.report_rows(src, col.name, "uden for interval", rows, raw, outside, msg)
        return ok & ~outside

    def report_rows(
        self,
        src: _Source,
        column: str,
        kind: str,
        rows: np.ndarray,
        values: pa.Array,
        mask: np.ndarray,
        message: Callable[[object], str],
    ) -> None:
        if mask.any():
            hit = np.flatnonzero(mask)
            first = values.take(pa.array(hit[:MAX_PER_KIND])).to_pylist()
            self.problems.add_rows(src.label, column, kind, rows[hit], first, message)

    def check_codes(self, src: _Source, typed: dict[str, pa.Array], rows: np.ndarray) -> None:
        """Offer types and municipalities must exist in the database, the import or the 98."""
        if src.table == "offer_type":
            self.file_offer_types |= _distinct(typed["offer_type_code"])
            return
        if "offer_type_code" in typed:
            known = pa.array(sorted(self.offer_types), pa.string())
            self.report_unknown(src, "offer_type_code", typed, rows, known, _offer_type_message)
        codes = _distinct(typed["municipality_code"])
        if src.table == "municipality":
            self.file_municipalities |= codes
            return
        self.referenced |= codes
        if src.table in FACT_TABLES:
            self.replaced |= codes
        known = pa.array(sorted(self.municipalities), pa.int64())
        for column in ("municipality_code", "location_municipality_code"):
            if column in typed:
                self.report_unknown(src, column, typed, rows, known, _municipality_message)

    def report_unknown(
        self,
        src: _Source,
        column: str,
        typed: dict[str, pa.Array],
        rows: np.ndarray,
        known: pa.Array,
        message: Callable[[object], str],
    ) -> None:
        values = typed[column]
        unknown = _bools(pc.is_valid(values)) & ~_bools(pc.is_in(values, value_set=known))
        kind = "ukendt kode"
        self.report_rows(src, column, kind, rows, values, unknown, message)

    def check_order(self, src: _Source, typed: dict[str, pa.Array], rows: np.ndarray) -> None:
        if src.table not in ORDER_CHECKS:
            return
        first, last, template = ORDER_CHECKS[src.table]
        start, end = typed[first], typed[last]
        bad = _bools(pc.less(end, start))
        if bad.any():
            hit = pa.array(np.flatnonzero(bad)[:MAX_PER_KIND])
            pairs = list(zip(start.take(hit).to_pylist(), end.take(hit).to_pylist(), strict=True))

            def msg(v: object) -> str:
                s, e = v  # type: ignore[misc]
                return template.format(start=f"{s:%Y-%m-%d}", end=f"{e:%Y-%m-%d}")

            self.problems.add_rows(src.label, last, "slut før start", rows[bad], pairs, msg)

    # -- staging and duplicates --------------------------------------------------------------

    def stage_path(self, table: str) -> Path:
        return self.stage / f"{table}.parquet"

    def stage_chunk(self, table: str, typed: dict[str, pa.Array], rows: np.ndarray) -> None:
        schema = arrow_schema(table, with_row=True)
        arrays = [typed[c.name].cast(_ARROW_TYPES[c.type]) for c in CONTRACT[table]]
        chunk = pa.Table.from_arrays([*arrays, pa.array(rows, pa.int64())], schema=schema)
        if table not in self.writers:
            self.writers[table] = pq.ParquetWriter(self.stage_path(table), schema)
        self.writers[table].write_table(chunk)

    def close_stage(self, tables: list[str]) -> None:
        for writer in self.writers.values():
            writer.close()
        for table in tables:
            if table not in self.writers:
                empty = arrow_schema(table, with_row=True).empty_table()
                pq.write_table(empty, self.stage_path(table))

    def check_duplicates(self, con: duckdb.DuckDBPyConnection, src: _Source) -> None:
        """Keys seen more than once, found by DuckDB over the staged file (out of core if needed)."""
        keys = KEYS[src.table]
        cols = ", ".join(f'"{k}"' for k in keys)
        not_null = " and ".join(f'"{k}" is not null' for k in keys)
        # Column names come from the contract whitelist; the file path is a bind parameter.
        con.execute(
            f"create or replace temp table dup as select {cols}, count(*) as n, min(_row) as first "  # noqa: S608
            f"from read_parquet($path) where {not_null} group by all having count(*) > 1",
            {"path": str(self.stage_path(src.table))},
        )
        total = con.execute("select coalesce(sum(n - 1), 0) from dup").fetchone()
        if not total or not total[0]:
            return
        shown = con.execute(
            f"select {cols}, dup.first, t._row from read_parquet($path) t join dup using ({cols}) "  # noqa: S608
            "where t._row > dup.first order by t._row limit $limit",
            {"path": str(self.stage_path(src.table)), "limit": MAX_PER_KIND},
        ).fetchall()
        labels = [
            (", ".join(f"{k}={v}" for k, v in zip(keys, record, strict=False)), record[-2])
            for record in shown
        ]
        rows = [record[-1] for record in shown] + [0] * (int(total[0]) - len(shown))
        column = ", ".join(k for k in keys if k != "municipality_code") or keys[0]
        self.problems.add_rows(
            src.label,
            column,
            "dobbelt nøgle",
            rows,
            labels,
            lambda v: f"Nøglen ({v[0]}) findes også i række {v[1]}",  # type: ignore[index]
        )

    # -- writing ------------------------------------------------------------------------------

    def write(self, engine: sa.Engine, sources: dict[str, _Source]) -> None:
        """Reference tables upserted, fact tables replaced per municipality, all in one transaction."""
        total = sum(self.rows.get(t, 0) for t in sources) or 1
        written = 0
        with engine.begin() as conn:
            db.create_schema(conn)
            self.upsert_reference(conn, sources)
            for table in (t for t in FACT_TABLES if t in sources):
                if self.replaced:
                    db.delete_municipalities(conn, table, sorted(self.replaced))
                self.insert_staged(conn, table, written / total)
                written += self.rows.get(table, 0)
            self.write_data_load(conn, sources)
            if self.also_write is not None:  # e.g. source staging, in the same transaction
                self.also_write(conn)

    def insert_staged(self, conn: sa.Connection, table: str, before: float) -> None:
        if conn.dialect.name == "duckdb":
            # One statement straight from the staged file: DuckDB streams it, whereas many
            # appends within one transaction keep every appended row in memory until commit.
            self.report(
                f"Skriver {table}: {_n(self.rows.get(table, 0))} rækker", 0.75 + 0.24 * before
            )
            cols = ", ".join(f'"{c.name}"' for c in CONTRACT[table])
            sql = f'insert into "{table}" ({cols}) select {cols} from read_parquet(?)'  # noqa: S608
            conn.connection.driver_connection.execute(sql, [str(self.stage_path(table))])
            return
        done, total = 0, max(sum(self.rows.values()), 1)
        for df in self.staged_frames(table):
            db.insert_frame(conn, table, df)
            done += len(df)
            fraction = 0.75 + 0.24 * (before + done / total)
            self.report(f"Skriver {table}: {_n(done)} rækker", fraction)

    def staged_frames(self, table: str) -> Iterator[pd.DataFrame]:
        columns = [c.name for c in CONTRACT[table]]
        pf = pq.ParquetFile(self.stage_path(table))
        mapper = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}.get
        for batch in pf.iter_batches(batch_size=WRITE_CHUNK_ROWS, columns=columns):
            yield batch.to_pandas(types_mapper=mapper, date_as_object=False)

    def upsert_reference(self, conn: sa.Connection, sources: dict[str, _Source]) -> None:
        new = self.referenced - self.file_municipalities - self._db_municipalities(conn)
        if "municipality" in sources or new:
            national = _national_municipalities()
            frames = list(self.staged_frames("municipality")) if "municipality" in sources else []
            added = national.loc[sorted(new & set(national.index))].reset_index()
            frames.append(added[["municipality_code", "name", "region"]])
            frame = pd.concat(frames, ignore_index=True)
            _delete_keys(conn, "municipality", frame)
            db.insert_frame(conn, "municipality", frame)
        if "offer_type" in sources:
            frame = pd.concat(list(self.staged_frames("offer_type")), ignore_index=True)
            _delete_keys(conn, "offer_type", frame)
            db.insert_frame(conn, "offer_type", frame)
        elif not self.db_has_offer_types:
            db.insert_frame(conn, "offer_type", _default_offer_types())
        if "population" in sources:
            for frame in self.staged_frames("population"):
                _delete_keys(conn, "population", frame)
                db.insert_frame(conn, "population", frame)

    @staticmethod
    def _db_municipalities(conn: sa.Connection) -> set[int]:
        q = sa.text("select municipality_code from municipality")
        return {int(v) for v in conn.execute(q).scalars()}

    def write_data_load(self, conn: sa.Connection, sources: dict[str, _Source]) -> None:
        """One data_load row per (municipality, imported table): when, how fresh, how many rows."""
        loaded_at = datetime.now().replace(microsecond=0).isoformat(sep=" ")
        records = []
        with duckdb.connect() as con:
            for table in sources:
                stats = _stage_stats(con, self.stage_path(table), table)
                if table == "offer_type":  # no municipality of its own: noted for the imported ones
                    every = stats.get(-1, (0, None))
                    stats = {code: every for code in self.replaced}
                elif table in FACT_TABLES:  # a replaced municipality with no rows now has 0
                    stats = {code: (0, None) for code in self.replaced} | stats
                for code, (count, data_date) in sorted(stats.items()):
                    records.append((code, table, loaded_at, data_date, "Import", count))
        if not records:
            return
        frame = pd.DataFrame(
            records,
            columns=[
                "municipality_code",
                "table_name",
                "loaded_at",
                "data_date",
                "source",
                "row_count",
            ],
        )
        frame["data_date"] = pd.to_datetime(frame["data_date"]).astype("datetime64[us]")
        stmt = sa.text(
            "delete from data_load where table_name = :table and municipality_code in :codes"
        ).bindparams(sa.bindparam("codes", expanding=True))
        for table, part in frame.groupby("table_name"):
            conn.execute(stmt, {"table": table, "codes": [int(c) for c in part.municipality_code]})
        db.insert_frame(conn, "data_load", frame)


def _stage_stats(
    con: duckdb.DuckDBPyConnection, path: Path, table: str
) -> dict[int, tuple[int, date | None]]:
    """Row count and data date per municipality (key -1 for offer_type, which has no municipality)."""
    column = DATA_DATE.get(table)
    if column == "year":
        latest = "make_date(cast(max(year) as integer), 1, 1)"
    elif column:
        latest = f'max("{column}")'
    else:
        latest = "cast(null as date)"
    group = "municipality_code" if table != "offer_type" else "-1"
    rows = con.execute(
        f"select {group}, count(*), {latest} from read_parquet(?) group by all",  # noqa: S608
        [str(path)],
    ).fetchall()
    return {int(code): (int(n), latest_date) for code, n, latest_date in rows}


def _delete_keys(conn: sa.Connection, table: str, frame: pd.DataFrame) -> None:
    """Delete the rows whose key is in frame, so the frame can be inserted (upsert by key)."""
    keys = KEYS[table]
    if len(keys) == 1:
        expr = f'"{keys[0]}"'
        values = frame[keys[0]].tolist()
    else:
        expr = " || '|' || ".join(f'cast("{k}" as text)' for k in keys)
        values = [
            "|".join(str(v) for v in row) for row in frame[list(keys)].itertuples(index=False)
        ]
    stmt = sa.text(f'delete from "{table}" where {expr} in :keys').bindparams(  # noqa: S608
        sa.bindparam("keys", expanding=True)
    )
    values = [int(v) if isinstance(v, (int, np.integer)) else v for v in values]
    for i in range(0, len(values), 1000):
        conn.execute(stmt, {"keys": values[i : i + 1000]})


def _national_municipalities() -> pd.DataFrame:
    """The 98 municipalities (sample_data/municipalities.csv), indexed by code."""
    frame = pd.read_csv(MUNICIPALITIES_CSV, dtype={"name": "str", "region": "str"})
    return frame.set_index("municipality_code")[["name", "region"]]


def _default_offer_types() -> pd.DataFrame:
    frame = pd.read_csv(OFFER_TYPES_CSV, dtype="str", keep_default_na=False)
    frame["staircase_step"] = pd.to_numeric(frame["staircase_step"]).astype("Int64")
    return frame


def _distinct(values: pa.Array) -> set:
    return set(pc.unique(values.drop_null()).to_pylist())


# ---------------------------------------------------------------------------------------------
# The entry point


def import_folder(
    folder: Path | list[Path],
    url: str,
    progress: Progress | None = None,
    also_write: Callable[[sa.Connection], None] | None = None,
) -> ImportResult:
    """Validate every file, then (only if there are no problems) write all of it in one transaction.

    folder is a folder, a single file (e.g. one workbook with a sheet per table) or a list of files.
    also_write(conn), if given, runs inside the write transaction (source imports keep their
    staging there, so staging and tables change together or not at all).
    """
    run = _Run(url, progress, also_write=also_write)
    run.report("Finder filerne", 0.0)
    sources = _discover(_files(folder), run.problems, run.warnings)
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
