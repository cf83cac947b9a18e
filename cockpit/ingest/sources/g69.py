"""KMD Prisme G69 postings (interface GQ311001Q as implemented in OS2bos): one posting per line, a
header (`000` `G69`, line number 5 digits, org unit 4 digits, `01`, `NOR`, `FLYD`) and then fields
`&NNN` in increasing order: &110 posting date YYYYMMDD, &111 account alias (or account string), &112
amount in øre (12 digits and a sign: ` `/`+` plus, `-` minus), &113 D/K (K counts negative), &114
fiscal year, &117 payment reference, &132 recipient type (02 = CPR), &133 the CPR number, &153 free
text. Read in chunks with Arrow's vectorised regular expressions; the free text is never extracted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.ingest.sources.erp import Chunk, PostingWriter

CHUNK_LINES = 250_000
HEADER = r"^000G69\d{5}\d{4}01NORFLYD"
COLUMNS = {"date": "&110", "account": "&111", "amount": "&112", "cpr": "&133"}


def looks_like(head: str) -> bool:
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    return first.startswith("000G69") and "&110" in first


def _field(lines: pa.Array, tag: str, pattern: str) -> pa.Array:
    return pc.struct_field(pc.extract_regex(lines, f"{tag}(?P<v>{pattern})"), [0])


def _chunks(path: Path) -> Iterator[tuple[int, list[str]]]:
    with open(path, encoding="latin-1", newline="") as f:  # G69 is ASCII; latin-1 never fails
        first, buffer = 1, []
        for line in f:
            buffer.append(line.rstrip("\r\n"))
            if len(buffer) == CHUNK_LINES:
                yield first, buffer
                first, buffer = first + len(buffer), []
        if buffer:
            yield first, buffer


def read(path: Path, writer: PostingWriter) -> None:
    name = path.name
    for first, buffer in _chunks(path):
        lines = pa.array(buffer, pa.string())
        rows = np.arange(first, first + len(buffer))
        blank = pc.equal(pc.utf8_trim_whitespace(lines), "").to_numpy(zero_copy_only=False)
        header_ok = pc.match_substring_regex(lines, HEADER).to_numpy(zero_copy_only=False)
        bad = ~header_ok & ~blank
        for r in rows[bad][:25]:
            writer.problems.add(name, int(r), None, "Linjen har ikke et G69-hoved (000G69…NORFLYD)")
        if bad.any() or blank.any():
            keep = pa.array(header_ok)
            lines, rows = pc.filter(lines, keep), rows[header_ok]
        if len(lines) == 0:
            continue
        date = _field(lines, "&110", r"\d{8}")
        dates = pc.strptime(date, "%Y%m%d", "s", error_is_null=True)
        dates = dates.to_numpy(zero_copy_only=False).astype("datetime64[us]")
        account = pc.utf8_trim_whitespace(_field(lines, "&111", r"[^&]*"))
        amount = _field(lines, "&112", r"\d{12}[ +-]")
        ore = pc.cast(pc.utf8_slice_codeunits(amount, 0, 12), pa.int64()).to_numpy(
            zero_copy_only=False
        )
        sign = np.where(pc.ends_with(amount, "-").to_numpy(zero_copy_only=False), -1.0, 1.0)
        credit = pc.equal(_field(lines, "&113", "[DK]"), "K").to_numpy(zero_copy_only=False)
        amounts = np.asarray(ore, dtype="float64") / 100.0 * sign * np.where(credit, -1.0, 1.0)
        amounts[pc.is_null(amount).to_numpy(zero_copy_only=False)] = np.nan
        fy = pc.cast(_field(lines, "&114", r"\d{4}"), pa.int32()).fill_null(0)
        kind = pc.utf8_trim_whitespace(_field(lines, "&132", r"[^&]*"))
        cpr = pc.utf8_trim_whitespace(_field(lines, "&133", r"[^&]*"))
        cpr = pc.if_else(pc.equal(kind.fill_null(""), "02"), cpr, pa.scalar(None, pa.string()))
        chunk = Chunk(
            rows,
            dates,
            account,
            amounts,
            fy.to_numpy(zero_copy_only=False),
            cpr,
        )
        writer.add(name, chunk, COLUMNS)
