"""ERP postings as a plain CSV (what most ERPs can export): posting date, account string (or an
alias resolved through finanskontoalias.csv), amount, CPR number and text. Column names are matched
without regard to case; the text column is never read. Read in chunks (bounded memory)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from cockpit.ingest.parse import parse_date, parse_number
from cockpit.ingest.sources.erp import Chunk, PostingWriter

CHUNK_ROWS = 250_000
NAMES = {
    "date": ("bogføringsdato", "posteringsdato", "dato", "posting_date"),
    "account": ("kontostreng", "konto", "finanskonto", "account"),
    "alias": ("finanskontoalias", "kontoalias", "alias"),
    "amount": ("beløb", "beloeb", "belob", "amount"),
    "cpr": ("cpr", "cprnr", "cpr-nr", "cpr_nr", "cpr-nummer"),
    "fiscal_year": ("regnskabsår", "regnskabsaar", "fiscal_year"),
}


def columns(header: list[str]) -> dict[str, str] | None:
    """Role -> column name, if the header is a postings CSV (date, account or alias, amount, CPR)."""
    lower = {h.strip().lower(): h for h in header}
    found = {}
    for role, names in NAMES.items():
        hit = next((lower[n] for n in names if n in lower), None)
        if hit is not None:
            found[role] = hit
    if {"date", "amount", "cpr"} <= found.keys() and ("account" in found or "alias" in found):
        return found
    return None


def sniff(path: Path) -> tuple[str, str, list[str]]:
    """(encoding, separator, header) of a CSV file: UTF-8 (with or without BOM) or Windows-1252,
    `;` or `,`, judged on the first 64 kB."""
    raw = path.read_bytes()[:65536]
    try:
        raw.decode("utf-8")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:  # a cut multi-byte character at the end is still UTF-8
        encoding = "utf-8-sig" if exc.start > len(raw) - 4 else "cp1252"
    first = raw.decode(encoding, errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    sep = ";" if first.count(";") >= first.count(",") else ","
    return encoding, sep, [h.strip().strip('"') for h in first.strip().split(sep)]


def read(path: Path, writer: PostingWriter, found: dict[str, str]) -> None:
    encoding, sep, _ = sniff(path)
    wanted = [
        found[r] for r in ("date", "account", "alias", "amount", "cpr", "fiscal_year") if r in found
    ]
    reader = pd.read_csv(
        path,
        sep=sep,
        encoding=encoding,
        dtype=str,
        keep_default_na=False,
        usecols=wanted,
        chunksize=CHUNK_ROWS,
    )
    shown = {"date": found["date"], "amount": found["amount"], "cpr": found["cpr"]}
    shown["account"] = found.get("account") or found["alias"]
    first = 2  # row 1 is the header
    for frame in reader:
        n = len(frame)
        rows = np.arange(first, first + n)
        first += n
        account = frame[found["account"]] if "account" in found else frame[found["alias"]]
        fy = (
            pd.to_numeric(frame[found["fiscal_year"]], errors="coerce").fillna(0).astype(int)
            if "fiscal_year" in found
            else pd.Series(np.zeros(n, dtype=int))
        )
        cpr = frame[found["cpr"]].str.strip()
        chunk = Chunk(
            rows,
            parse_date(pa.array(frame[found["date"]].str.strip(), pa.string())),
            pa.array(account.str.strip(), pa.string()),
            parse_number(pa.array(frame[found["amount"]].str.strip(), pa.string()), sep == ";"),
            fy.to_numpy(),
            pa.array(cpr.where(cpr != "", None), pa.string()),
        )
        writer.add(path.name, chunk, shown)
