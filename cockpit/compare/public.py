"""Public figures without a warehouse: `python -m cockpit fetch-public` downloads from Danmarks
Statistik's StatBank API (api.statbank.dk; free, attribution "Kilde: Danmarks Statistik") for all
municipalities and the last five years, and stores them in the state store (cockpit/state.py,
migration 040) with source and fetch date:

- REGK31: net operating spending (I alt netto, kr. per inhabitant, current prices) on the 5.38.xx
  functions of the specialised adult area -> public_spending;
- FOLK1A: population aged 18-64 (1st quarter) -> public_population;
- HAND01: full-time services (fuldtidsydelser) per quarter and service -> public_services.

Everything is fetched and parsed first and written in one transaction: without network (or with
an answer that cannot be read) a Danish message is printed and nothing changes. The requests ask
for texts (valuePresentation "Value") and are read by label, so a municipality is matched by its
name as Danmarks Statistik writes it (reference/structure.csv)."""

from __future__ import annotations

import csv
import io
import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from cockpit import state
from cockpit.compare import peers

API = "https://api.statbank.dk/v1/data"
SOURCE = "Danmarks Statistik, {table} (api.statbank.dk)"
NATIONAL = 0  # "Hele landet"
# The 5.38 functions of the specialised adult area (REGK31 FUNKTION codes: the function number
# without dots). The value codes were written from the published function list and could not be
# checked against the live API from the build machine (no network); see README "Offentlige tal".
FUNCTIONS = (
    "53839",
    "53842",
    "53844",
    "53845",
    "53846",
    "53850",
    "53852",
    "53853",
    "53858",
    "53859",
)
AGES_18_64 = tuple(str(a) for a in range(18, 65))

Get = Callable[[dict], str]


class FetchFailed(RuntimeError):
    """Danmarks Statistik could not be reached, or its answer could not be read."""


def requests_for(years: list[int]) -> dict[str, dict]:
    """The three POST bodies, one per table."""
    tid = [str(y) for y in years]
    return {
        "REGK31": {
            "table": "REGK31",
            "format": "CSV",
            "lang": "da",
            "valuePresentation": "Value",
            "variables": [
                {"code": "OMRÅDE", "values": ["*"]},
                {"code": "FUNKTION", "values": list(FUNCTIONS)},
                {"code": "DRANST", "values": ["1"]},
                {"code": "ART", "values": ["TOT"]},
                {"code": "PRISENHED", "values": ["INDL"]},
                {"code": "Tid", "values": tid},
            ],
        },
        "FOLK1A": {
            "table": "FOLK1A",
            "format": "CSV",
            "lang": "da",
            "valuePresentation": "Value",
            "variables": [
                {"code": "OMRÅDE", "values": ["*"]},
                {"code": "KØN", "values": ["TOT"]},
                {"code": "ALDER", "values": list(AGES_18_64)},
                {"code": "CIVILSTAND", "values": ["TOT"]},
                {"code": "Tid", "values": [f"{y}K1" for y in years]},
            ],
        },
        "HAND01": {
            "table": "HAND01",
            "format": "CSV",
            "lang": "da",
            "valuePresentation": "Value",
            "variables": [
                {"code": "OMRÅDE", "values": ["*"]},
                {"code": "YDELSE", "values": ["*"]},
                {"code": "Tid", "values": [f"{y}K{q}" for y in years for q in (1, 2, 3, 4)]},
            ],
        },
    }


def http_get(body: dict, timeout: float = 30.0) -> str:
    """POST one request to the StatBank API; the answer's text."""
    data = json.dumps(body).encode("utf-8")
    req = urllib.request.Request(API, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (fixed https URL)
            return resp.read().decode("utf-8-sig")
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise FetchFailed(
            "Der er ingen forbindelse til Danmarks Statistik (api.statbank.dk)."
        ) from exc


def _rows(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    rows = list(reader)
    if not rows or "INDHOLD" not in (reader.fieldnames or []):
        raise FetchFailed("Svaret fra Danmarks Statistik kunne ikke læses (ingen kolonne INDHOLD).")
    return rows


def _codes() -> dict[str, int]:
    s = peers.structure()
    out = {str(n): int(c) for c, n in zip(s["municipality_code"], s["name"], strict=True)}
    out["Hele landet"] = NATIONAL
    return out


def _amount(text: str) -> float | None:
    text = (text or "").strip()
    if text in ("", "..", ".", "-"):
        return None
    return float(text.replace(",", "."))


def parse_regk31(text: str) -> pd.DataFrame:
    """municipality_code, year, account_function ('5.38.45'), function_name, dkk_per_inhabitant.
    Rows for regions or unknown areas are left out."""
    codes, out = _codes(), []
    for r in _rows(text):
        area = r.get("OMRÅDE", "").strip()
        if area not in codes:
            continue
        name = r.get("FUNKTION", "").strip()
        out.append(
            {
                "municipality_code": codes[area],
                "year": int(r.get("TID", r.get("Tid", "")).strip()),
                "account_function": name.split(" ")[0],
                "function_name": name,
                "dkk_per_inhabitant": _amount(r["INDHOLD"]),
            }
        )
    return pd.DataFrame(out)


def parse_folk1a(text: str) -> pd.DataFrame:
    """municipality_code, year, persons_18_64 (the ages summed, 1st quarter)."""
    codes, out = _codes(), []
    for r in _rows(text):
        area = r.get("OMRÅDE", "").strip()
        if area in codes:
            period = r.get("TID", r.get("Tid", "")).strip()
            out.append((codes[area], int(period[:4]), _amount(r["INDHOLD"]) or 0.0))
    df = pd.DataFrame(out, columns=["municipality_code", "year", "persons_18_64"])
    return df.groupby(["municipality_code", "year"], as_index=False)["persons_18_64"].sum()


def parse_hand01(text: str) -> pd.DataFrame:
    """municipality_code, period ('2024K1'), service, full_time_services."""
    codes, out = _codes(), []
    for r in _rows(text):
        area = r.get("OMRÅDE", "").strip()
        if area not in codes:
            continue
        service = next(
            (v for k, v in r.items() if k not in ("OMRÅDE", "TID", "Tid", "INDHOLD")), ""
        )
        out.append(
            {
                "municipality_code": codes[area],
                "period": r.get("TID", r.get("Tid", "")).strip(),
                "service": (service or "").strip(),
                "full_time_services": _amount(r["INDHOLD"]),
            }
        )
    return pd.DataFrame(out)


PARSERS = {"REGK31": parse_regk31, "FOLK1A": parse_folk1a, "HAND01": parse_hand01}
TABLES = {"REGK31": "public_spending", "FOLK1A": "public_population", "HAND01": "public_services"}


def fetch(years: list[int], get: Get = http_get) -> dict[str, pd.DataFrame]:
    """Every table fetched and parsed (nothing is stored); FetchFailed if any cannot be."""
    out = {}
    for table, body in requests_for(years).items():
        frame = PARSERS[table](get(body))
        if frame.empty:
            raise FetchFailed(f"Danmarks Statistik sendte ingen kommunetal i {table}.")
        out[table] = frame
    return out


def store(frames: dict[str, pd.DataFrame], fetched_at: datetime) -> dict[str, int]:
    """Replace the public_* tables with the fetched figures in one transaction."""
    counts = {}
    with state.transaction() as conn:
        for table, frame in frames.items():
            name = TABLES[table]
            conn.execute(sa.text(state.statement(f"{name}_clear")))
            plain = frame.astype(object).where(frame.notna(), None).to_dict("records")
            extra = {"source": SOURCE.format(table=table), "fetched_at": fetched_at}
            records = [{**r, **extra} for r in plain]
            conn.execute(sa.text(state.statement(f"{name}_insert")), records)
            counts[name] = len(records)
    return counts


def latest_spending(year: int) -> pd.DataFrame:
    """The fetched REGK31 figures summed over the 5.38 functions per municipality, for the latest
    year not after `year`; empty when nothing has been fetched."""
    return pd.DataFrame(state.rows("public_spending_latest", year=year))


def main(args, get: Get = http_get, now: Callable[[], datetime] = datetime.now) -> int:
    """The fetch-public command: exit 0 when stored, 1 (and nothing changed) when not."""
    this_year = now().year
    years = list(range(this_year - args.years, this_year))
    try:
        frames = fetch(years, get)
        counts = store(frames, now().replace(microsecond=0))
    except (FetchFailed, state.StateUnavailable) as exc:
        print(f"Offentlige tal blev ikke hentet: {exc} Intet er ændret.", file=sys.stderr)
        return 1
    shown = ", ".join(f"{t}: {n} rækker" for t, n in counts.items())
    print(f"Hentet fra Danmarks Statistik for {years[0]}-{years[-1]}: {shown}.")
    return 0
