"""Parsing text columns into the contract's types with Arrow compute (a few passes per column, no
Python per cell), and the Danish message for each kind of unreadable value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.ingest.problems import n


@dataclass
class Parsed:
    values: pa.Array  # typed; null where empty or unreadable
    magnitude: np.ndarray | None  # what range checks compare: the number, or a date's year
    bad: np.ndarray  # cells that could not be read (empty cells included; the caller masks them)


_NO_TEXT = pa.scalar(None, pa.string())
_WHITESPACE = "[\\s\u00a0]"  # a thousands separator may be a (non-breaking) space


def bools(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean result as a numpy array, null counting as False."""
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


def string(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if arr.type == pa.string() else arr.cast(pa.string())


def parse_number(arr: pa.Array, comma_decimal: bool = False) -> np.ndarray:
    """Text to float: '1.234,50', '1234.50', '1234,5', '1 234', '-12'; NaN where unreadable."""
    arr = string(arr)
    if bools(pc.match_substring_regex(arr, _WHITESPACE)).any():
        arr = pc.replace_substring_regex(arr, _WHITESPACE, "")
    # Dots as thousands separators: '1.234.567', '1.234,50' and (in a ';' file) a lone '1.234'.
    dots = pc.match_substring_regex(arr, r"^[-+]?\d{1,3}(?:\.\d{3})+(?:,\d*)?$")
    if not comma_decimal:
        several = pc.greater(pc.count_substring(arr, "."), 1)
        dots = pc.and_(dots, pc.or_(pc.match_substring(arr, ","), several))
    commas = pc.match_substring_regex(arr, r"^[-+]?\d{1,3}(?:(?:,\d{3})+\.\d*|(?:,\d{3}){2,})$")
    out = pc.replace_substring(arr, ",", ".")
    if bools(dots).any():
        undotted = pc.replace_substring(pc.replace_substring(arr, ".", ""), ",", ".")
        out = pc.if_else(dots, undotted, out)
    if bools(commas).any():
        out = pc.if_else(commas, pc.replace_substring(arr, ",", ""), out)
    ok = pc.match_substring_regex(out, r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,2})?$")
    floats = pc.cast(pc.if_else(ok, out, _NO_TEXT), pa.float64())
    return np.asarray(floats.to_numpy(zero_copy_only=False), dtype="float64")


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")


def parse_date(arr: pa.Array) -> np.ndarray:
    """Text to datetime64[us], NaT where unreadable: YYYY-MM-DD (a time of day is dropped),
    DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY. pandas, because Arrow's strptime accepts 30-02-2024."""
    arr = string(arr)
    if bools(pc.match_substring(arr, ":")).any():
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


def _parse_text(arr: pa.Array, _: bool) -> Parsed:
    return Parsed(arr, None, np.zeros(len(arr), dtype=bool))


def _parse_float(arr: pa.Array, comma: bool) -> Parsed:
    num = parse_number(arr, comma)
    bad = ~np.isfinite(num)
    return Parsed(pa.array(np.where(bad, 0.0, num), mask=bad), num, bad)


def _parse_int(arr: pa.Array, comma: bool) -> Parsed:
    num = parse_number(arr, comma)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(num) | (num != np.floor(num)) | (np.abs(num) > 2**31 - 1)
    ints = np.where(bad, 0, num).astype(np.int64)
    return Parsed(pa.array(ints, mask=bad), num, bad)


def _parse_date(arr: pa.Array, _: bool) -> Parsed:
    when = parse_date(arr)
    bad = np.isnat(when)
    days = np.where(bad, np.datetime64("1970-01-01"), when).astype("datetime64[D]")
    years = np.where(bad, np.nan, days.astype("datetime64[Y]").astype("float64") + 1970)
    return Parsed(pa.array(days, type=pa.date32(), mask=bad), years, bad)


_TRUE = pa.array(("true", "1", "ja", "sand", "yes", "j", "x"))
_FALSE = pa.array(("false", "0", "nej", "falsk", "no", "n"))


def _parse_bool(arr: pa.Array, _: bool) -> Parsed:
    low = pc.utf8_lower(arr)
    yes = bools(pc.is_in(low, value_set=_TRUE))
    bad = ~(yes | bools(pc.is_in(low, value_set=_FALSE)))
    return Parsed(pa.array(yes, mask=bad), None, bad)


PARSERS: dict[str, Callable[[pa.Array, bool], Parsed]] = {
    "text": _parse_text,
    "int": _parse_int,
    "level": _parse_int,
    "dkk": _parse_float,
    "num": _parse_float,
    "date": _parse_date,
    "bool": _parse_bool,
}

KIND = {
    "text": "tekst",
    "int": "ikke et helt tal",
    "level": "ikke et niveau",
    "dkk": "ulæseligt beløb",
    "num": "ulæseligt tal",
    "date": "ulæselig dato",
    "bool": "ikke sand/falsk",
}

MESSAGES: dict[str, Callable[[object], str]] = {
    "text": lambda v: f"Værdien '{v}' kan ikke læses",
    "int": lambda v: f"Værdien '{v}' er ikke et helt tal",
    "level": lambda v: f"Niveauet '{v}' er ikke et helt tal mellem 0 og 4",
    "dkk": lambda v: f"Beløbet '{v}' kan ikke læses som et tal",
    "num": lambda v: f"Tallet '{v}' kan ikke læses",
    "date": lambda v: f"Datoen '{v}' kan ikke læses (brug ÅÅÅÅ-MM-DD eller DD-MM-ÅÅÅÅ)",
    "bool": lambda v: f"Værdien '{v}' er ikke sand/falsk (brug ja/nej, sand/falsk eller 1/0)",
}


def missing_message(_: object) -> str:
    return "Værdien mangler; kolonnen skal udfyldes"


def offer_type_message(v: object) -> str:
    return f"Indsatstypen '{v}' findes ikke i offer_type (hverken i databasen eller i importen)"


def municipality_message(v: object) -> str:
    return f"Kommunekoden {v} findes ikke (hverken blandt de 98 kommuner, i databasen eller i importen)"


def bound(x: float | None) -> str:
    if x is None or not float(x).is_integer():
        return str(x)
    return n(int(x)) if abs(x) >= 100_000 else str(int(x))
