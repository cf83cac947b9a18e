"""The case system's grant extract (CSV or XLSX): one row per grant with CPR, start, end, offer type,
offer, provider and (usually) a monthly price. bevillingsudtraek_kolonner.csv names the columns
(shipped for Sensum-style names: CPR, IndsatsStartDato, IndsatsSlutDato, Indsats, Tilbud,
LeverandørNavn, Månedspris); a column it does not name (first name, phone) is never read."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa

from cockpit.ingest.parse import parse_date, parse_number
from cockpit.ingest.sources.mappings import OWNER_WORDS, Maps
from cockpit.ingest.sources.postings_csv import sniff
from cockpit.ingest.sources.problems import Problems
from cockpit.ingest.sources.pseudonym import Pseudonymiser, birth_year, normalise

REQUIRED = ("cpr", "start_date", "offer_type")
PARAGRAPHS = {
    "82": "SEL82", "85": "SEL85", "96": "SEL96", "97": "SEL97", "98": "SEL97", "99": "SEL97",
    "101": "SEL101", "103": "SEL103", "104": "SEL104", "107": "SEL107", "108": "SEL108",
    "109": "SEL110", "110": "SEL110",
}  # fmt: skip
OWNER_GAP = (
    "bevillinger har en leverandør uden ejerform i bevillingsudtrækket eller "
    "leverandoer_ejerform.csv og regnes som egen kommune"
)


def header(path: Path) -> list[str]:
    if path.suffix.lower() == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            row = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        finally:
            wb.close()
        return [str(v).strip() for v in row if v is not None]
    return sniff(path)[2]


def looks_like(head: list[str], maps: Maps) -> bool:
    cols = maps.extract_columns
    return all(cols.get(r) in head for r in REQUIRED)


def offer_type(text: str, names: dict[str, str]) -> str | None:
    t = text.strip()
    if t.upper() in names.values():
        return t.upper()
    if "botilbudslign" in t.lower() or "105" in re.findall(r"§\s*(\d+)", t) and "ABL" in t:
        return "SEL85BL"
    m = re.search(r"§§?\s*(\d+)", t)
    if m and m.group(1) in PARAGRAPHS:
        return PARAGRAPHS[m.group(1)]
    return names.get(t.lower())


def _frame(path: Path, wanted: list[str]) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        frame = pd.read_excel(path, dtype=str, usecols=lambda c: str(c).strip() in wanted)
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame.fillna("")
    encoding, sep, _ = sniff(path)
    return pd.read_csv(
        path, sep=sep, encoding=encoding, dtype=str, keep_default_na=False,
        usecols=lambda c: c.strip() in wanted,
    ).rename(columns=str.strip)  # fmt: skip


def read(
    path: Path,
    maps: Maps,
    pseudo: Pseudonymiser,
    problems: Problems,
    names: dict[str, str],
    gaps: dict[str, int],
) -> list[dict]:
    """Pseudonymised grant rows (citizen_id, birth_year, offer_type_code, offer_name, provider,
    owner_type, start_date, end_date, monthly_price, weekly_hours)."""
    cols = maps.extract_columns
    head = header(path)
    missing = [cols[r] for r in REQUIRED if cols.get(r) not in head]
    for m in missing:
        problems.add(path.name, None, m, "Kolonnen mangler i bevillingsudtrækket")
    if missing:
        return []
    frame = _frame(path, [c for c in cols.values() if c in head])

    def col(role: str) -> pd.Series:
        name = cols.get(role)
        return (
            frame[name].astype(str).str.strip() if name in frame else pd.Series([""] * len(frame))
        )

    def arr(s: pd.Series) -> pa.Array:
        return pa.array(s.to_numpy(dtype=object), pa.string())

    starts, ends = parse_date(arr(col("start_date"))), parse_date(arr(col("end_date")))
    prices = parse_number(arr(col("monthly_price")), comma_decimal=True)
    hours = parse_number(arr(col("weekly_hours")), comma_decimal=True)
    rows, name = [], path.name
    for i, (cpr, text) in enumerate(zip(col("cpr"), col("offer_type"), strict=True)):
        row = i + 2
        cpr10 = normalise(cpr)
        if cpr10 is None:
            problems.add(name, row, cols["cpr"], "CPR-nummeret har ikke formatet DDMMÅÅ-XXXX")
            continue
        code = offer_type(text, names)
        if code is None:
            problems.add(
                name,
                row,
                cols["offer_type"],
                f"Indsatsen »{text}« kan ikke knyttes til en indsatstype",
            )
        if np.isnat(starts[i]):
            problems.add(name, row, cols["start_date"], "Datoen kan ikke læses")
        end = None if np.isnat(ends[i]) else str(ends[i])[:10]
        if col("end_date")[i] and end is None:
            problems.add(name, row, cols["end_date"], "Datoen kan ikke læses")
        if end is not None and not np.isnat(starts[i]) and end < str(starts[i])[:10]:
            problems.add(name, row, cols["end_date"], "Slutdatoen ligger før startdatoen")
        if col("monthly_price")[i] and np.isnan(prices[i]):
            problems.add(name, row, cols["monthly_price"], "Prisen kan ikke læses")
        if code is None or np.isnat(starts[i]):
            continue
        provider, offer = col("provider")[i], col("offer")[i]
        owner = OWNER_WORDS.get(col("owner_type")[i].lower()) or maps.owners.get(provider.lower())
        if owner is None and (provider or offer):
            gaps[OWNER_GAP] = gaps.get(OWNER_GAP, 0) + 1
        rows.append(
            {
                "citizen_id": pseudo.of_normalised(cpr10),
                "birth_year": birth_year(cpr10),
                "offer_type_code": code,
                "offer_id": _offer_id(provider, offer) if (provider or offer) else None,
                "offer_name": offer or provider,
                "owner_type": owner or "own",
                "start_date": str(starts[i])[:10],
                "end_date": end,
                "monthly_price": None if np.isnan(prices[i]) else round(float(prices[i]), 2),
                "weekly_hours": None if np.isnan(hours[i]) else float(hours[i]),
            }
        )
    return rows


def _offer_id(provider: str, offer: str) -> str:
    digest = hashlib.sha1(f"{provider}|{offer}".encode()).hexdigest()[:10]  # noqa: S324 - an id
    return f"tx-{digest}"
