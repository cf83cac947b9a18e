"""Reading: every source (CSV, XLSX or Parquet) becomes a header plus chunks of (Excel row
numbers, text columns), in bounded memory."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from cockpit.ingest.files import Source
from cockpit.ingest.problems import Collector, explain

CSV_BLOCK_BYTES = 4 << 20  # one pyarrow block ≈ 60k expense rows; bounds memory per chunk
XLSX_CHUNK_ROWS = 50_000
PARQUET_CHUNK_ROWS = 100_000

Chunk = tuple[np.ndarray, dict[str, pa.Array], float]  # row numbers, columns, share of file read


@dataclass
class Opened:
    header: list[str]
    chunks: Callable[[list[str]], Iterator[Chunk]]  # given unique names for the columns
    comma_decimal: bool = False  # a ';' CSV comes from a locale where ',' is the decimal mark


def sniff_encoding(path: Path) -> str:
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


def open_csv(src: Source, problems: Collector) -> Opened | None:
    encoding = sniff_encoding(src.path)
    with src.path.open("rb") as f:
        first = f.readline(1 << 20)
    text = first.decode("utf-8-sig" if encoding == "utf8" else "cp1252", errors="replace")
    text = text.rstrip("\r\n")
    if not text.strip():
        problems.add(src.label, None, None, "tom", "Filen er tom (der mangler en overskriftsrække)")
        return None
    if "\x00" in text:
        msg = (
            "Overskriften indeholder et NUL-tegn (tegnkode 0); filen er måske gemt som UTF-16: "
            "gem den som 'CSV UTF-8'"
        )
        problems.add(src.label, None, None, "NUL-tegn", msg)
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
            rows = row_numbers(offset, batch.num_rows, skipped)
            offset += batch.num_rows
            columns = {n: batch.column(n) for n in names}
            yield rows, columns, min(i * CSV_BLOCK_BYTES / src.size, 1.0)

    return Opened(header, chunks, comma_decimal=sep == ";")


def row_numbers(offset: int, n: int, skipped: list[int]) -> np.ndarray:
    """Excel row numbers of data rows offset..offset+n, given the (sorted) rows the reader skipped."""
    idx = np.arange(offset, offset + n, dtype=np.int64)
    if not skipped:
        return idx + 2
    s = np.asarray(skipped, dtype=np.int64)
    valid_before = s - np.arange(len(s)) - 2
    return idx + 2 + np.searchsorted(valid_before, idx, side="right")


def cell_text(v: object) -> str:
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


def open_xlsx(src: Source, problems: Collector) -> Opened | None:
    try:
        wb = openpyxl.load_workbook(src.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        problems.add(
            src.label, None, None, "ulæselig", f"Filen kan ikke læses som Excel: {explain(exc)}"
        )
        return None
    by_name = {s.strip().lower(): s for s in wb.sheetnames}
    ws = wb[src.sheet or by_name.get(src.table, wb.sheetnames[0])]
    rows = ws.iter_rows(values_only=True)
    header: list[str] | None = None
    header_row = 0
    for header_row, values in enumerate(rows, 1):  # noqa: B007 - the header's row number is kept
        if any(v not in (None, "") for v in values):
            header = [cell_text(v) for v in values]
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
                cells = [cell_text(v) for v in values[:width]]
                buffer.append(cells + [""] * (width - len(cells)))
                numbers.append(number)
                if len(buffer) >= XLSX_CHUNK_ROWS:
                    yield chunk(numbers, buffer, names, 0.5)
                    numbers, buffer = [], []
            if buffer:
                yield chunk(numbers, buffer, names, 1.0)
        finally:
            wb.close()

    return Opened(header, chunks)


def arrow_text(arr: pa.Array) -> pa.Array:
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
        out = pa.array([None if v is None else cell_text(v) for v in arr.to_pylist()], pa.string())
    return pc.fill_null(out, "")


def open_parquet(src: Source, problems: Collector) -> Opened | None:
    try:
        pf = pq.ParquetFile(src.path)
    except (pa.ArrowException, OSError) as exc:
        problems.add(
            src.label, None, None, "ulæselig", f"Filen kan ikke læses som Parquet: {explain(exc)}"
        )
        return None
    total = max(pf.metadata.num_rows, 1)

    def chunks(names: list[str]) -> Iterator[Chunk]:
        offset = 0
        for batch in pf.iter_batches(batch_size=PARQUET_CHUNK_ROWS):
            columns = {n: arrow_text(batch.column(i)) for i, n in enumerate(names)}
            rows = np.arange(offset, offset + batch.num_rows, dtype=np.int64) + 2
            offset += batch.num_rows
            yield rows, columns, offset / total

    return Opened(list(pf.schema_arrow.names), chunks)


def open_source(src: Source, problems: Collector) -> Opened | None:
    opener = {"csv": open_csv, "xlsx": open_xlsx, "parquet": open_parquet}[src.kind]
    try:
        return opener(src, problems)
    except (OSError, pa.ArrowException, csv.Error) as exc:
        problems.add(src.label, None, None, "ulæselig", f"Filen kan ikke læses: {explain(exc)}")
        return None
