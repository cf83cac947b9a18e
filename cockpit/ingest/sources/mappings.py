"""The mapping tables shipped in maps/ (each with a `# Kilde:` line) and the municipality's own
versions of them: a file with the same name in the import folder replaces the shipped one.

- ffb_codes.csv: FFB code (UUID) -> kind and cockpit code, with the code system's hierarchy.
- kontoplan_indsatstype.csv: (function 5.38.xx, gruppering) -> offer type and target group.
- bevillingsudtraek_kolonner.csv: which grant-extract column is CPR, start, end, offer, ...
- leverandoer_ejerform.csv: provider -> owner type, when the extract has no owner column."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

MAPS = Path(__file__).resolve().parent / "maps"
ACCOUNT_MAP = "kontoplan_indsatstype.csv"
EXTRACT_MAP = "bevillingsudtraek_kolonner.csv"
OWNER_MAP = "leverandoer_ejerform.csv"
ALIAS_FILE = "finanskontoalias.csv"
MAPPING_FILES = (ACCOUNT_MAP, EXTRACT_MAP, OWNER_MAP)
OWNER_WORDS = {
    "own": "own",
    "egen kommune": "own",
    "egen": "own",
    "other_municipality": "other_municipality",
    "anden kommune": "other_municipality",
    "region": "region",
    "private": "private",
    "privat": "private",
}


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_rows(path: Path) -> list[dict[str, str]]:
    """A small CSV (`;` or `,`), skipping a leading `# Kilde:` line; keys stripped."""
    lines = [ln for ln in read_text(path).splitlines() if not ln.lstrip().startswith("#")]
    text = "\n".join(lines)
    first = lines[0] if lines else ""
    sep = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=sep)
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


@dataclass(frozen=True)
class FfbCode:
    code: str
    display: str
    parent: str
    kind: str
    cockpit: str


@dataclass
class Maps:
    ffb: dict[str, FfbCode]
    accounts: dict[tuple[str, str], tuple[str, str]]  # (function, grouping or *) -> (type, group)
    extract_columns: dict[str, str]  # role -> column name in the extract
    owners: dict[str, str]  # provider name (lower case) -> owner type
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> 16-digit account string

    def offer_type_for_account(self, function: str, grouping: str) -> tuple[str, str] | None:
        return self.accounts.get((function, grouping)) or self.accounts.get((function, "*"))

    def ffb_kind(self, code: str) -> str | None:
        c = self.ffb.get(code)
        return None if c is None else c.kind


def _ffb() -> dict[str, FfbCode]:
    rows = read_rows(MAPS / "ffb_codes.csv")
    return {
        r["code"]: FfbCode(r["code"], r["display"], r["parent_code"], r["kind"], r["cockpit_code"])
        for r in rows
    }


def load(overrides: dict[str, Path]) -> Maps:
    """The shipped maps, each replaced by the municipality's file of the same name if given."""

    def path(name: str) -> Path:
        return overrides.get(name, MAPS / name)

    accounts = {}
    for r in read_rows(path(ACCOUNT_MAP)):
        grouping = r.get("gruppering", "*") or "*"
        grouping = grouping if grouping == "*" else grouping.zfill(3)
        accounts[(r["funktion"], grouping)] = (r["indsatstype"], r.get("maalgruppe", ""))
    columns = {r["rolle"]: r["kolonne"] for r in read_rows(path(EXTRACT_MAP)) if r.get("kolonne")}
    owners = {}
    for r in read_rows(path(OWNER_MAP)):
        word = OWNER_WORDS.get(r.get("ejerform", "").lower())
        if word:
            owners[r.get("leverandoer", "").lower()] = word
    maps = Maps(_ffb(), accounts, columns, owners)
    if ALIAS_FILE in overrides:
        for r in read_rows(overrides[ALIAS_FILE]):
            alias = r.get("Finanskontoalias", "")
            account = r.get("Angivelse af finanskontoalias", "").replace(".", "")
            if alias:
                maps.aliases[alias] = account
    return maps


@dataclass(frozen=True)
class Account:
    function: str  # e.g. 5.38.50
    grouping: str  # e.g. 003


def parse_account(text: str) -> Account | None:
    """A 16-digit account string (dotted accepted): [0] hovedkonto, [1:3] hovedfunktion, [3:5]
    funktion, [5] dranst, [6] ejerforhold, [7:11] omkostningssted, [11:14] gruppering, [14]
    hovedart, [15] art."""
    digits = text.replace(".", "").replace(" ", "")
    if len(digits) != 16 or not digits.isdigit():
        return None
    return Account(f"{digits[0]}.{digits[1:3]}.{digits[3:5]}", digits[11:14])
