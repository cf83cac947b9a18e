"""CPR numbers become readable pseudonyms at the door: HMAC-SHA-256 with the municipality's secret.

The secret lives outside the database: the file named by COCKPIT_PSEUDONYM_KEY_FILE, else the key
`pseudonym_key` (or `[pseudonym] key`) in .streamlit/secrets.toml. Only the format of a CPR number
is checked (DDMMYY, then four digits; with or without a dash), never modulus 11: numbers issued since
2007 need not satisfy it. Nothing here ever puts a CPR number in a message."""

from __future__ import annotations

import calendar
import hashlib
import hmac
import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path

KEY_ENV = "COCKPIT_PSEUDONYM_KEY_FILE"
PREFIX = "BG-"  # borger; letters keep a pseudonym from ever looking like a CPR number
MIN_KEY_BYTES = 16
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32
_CPR = re.compile(r"\s*(\d{2})(\d{2})(\d{2})-?(\d{4})\s*")

NO_KEY = (
    "Filen indeholder CPR-numre, men cockpittet har ingen nøgle til pseudonymisering. Læg "
    "kommunens hemmelige nøgle i en fil og peg på den med miljøvariablen "
    f"{KEY_ENV} (eller angiv pseudonym_key i .streamlit/secrets.toml). Intet er indlæst."
)


class MissingKey(Exception):
    """No secret: CPR-bearing files are refused."""


def normalise(text: object) -> str | None:
    """Ten digits without dash if the text has the format of a CPR number, else None."""
    if not isinstance(text, str):
        return None
    m = _CPR.fullmatch(text)
    if not m:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
        return None
    return m.group(1) + m.group(2) + m.group(3) + m.group(4)


def birth_year(cpr10: str) -> int:
    """Year of birth from a normalised CPR number (century from the seventh digit, CPR rules)."""
    yy, seventh = int(cpr10[4:6]), int(cpr10[6])
    if seventh <= 3:
        return 1900 + yy
    if seventh in (4, 9):
        return 2000 + yy if yy <= 36 else 1900 + yy
    return 2000 + yy if yy <= 57 else 1800 + yy


def _secrets_key(root: Path) -> str | None:
    for folder in (Path.cwd(), root):
        path = folder / ".streamlit" / "secrets.toml"
        if path.exists():
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            key = data.get("pseudonym_key") or (data.get("pseudonym") or {}).get("key")
            if key:
                return str(key)
    return None


def load_key() -> bytes:
    """The municipality's secret, or MissingKey (message in Danish, names no secret)."""
    from cockpit import db

    name = os.environ.get(KEY_ENV)
    if name:
        path = Path(name)
        if not path.is_file():
            raise MissingKey(f"Nøglefilen i {KEY_ENV} findes ikke. Intet er indlæst.")
        key = path.read_bytes().strip()
    else:
        text = _secrets_key(db.ROOT)
        if text is None:
            raise MissingKey(NO_KEY)
        key = text.strip().encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise MissingKey(
            f"Nøglen til pseudonymisering er for kort (mindst {MIN_KEY_BYTES} tegn). Intet er "
            "indlæst."
        )
    return key


class Pseudonymiser:
    """pseudonym(cpr) for one import; the same CPR (with or without dash) gives the same text."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._one = lru_cache(maxsize=1_000_000)(self._compute)

    def _compute(self, cpr10: str) -> str:
        """PREFIX + the first 12 base32 characters (60 bits) of the HMAC-SHA-256 digest."""
        digest = hmac.digest(self._key, cpr10.encode("ascii"), hashlib.sha256)
        bits = int.from_bytes(digest[:8], "big") >> 4
        return PREFIX + "".join(_B32[(bits >> shift) & 31] for shift in range(55, -1, -5))

    def of_normalised(self, cpr10: str) -> str:
        return self._one(cpr10)

    def pseudonym(self, cpr: str) -> str | None:
        """None when the text does not have the format of a CPR number."""
        cpr10 = normalise(cpr)
        return None if cpr10 is None else self._one(cpr10)
