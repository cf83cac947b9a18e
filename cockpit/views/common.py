"""Small pure helpers the views share: dates from any driver, shares, ids from the URL."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from cockpit.metrics import MEASURES, REGISTRY
from cockpit.present import fmt
from cockpit.present.labels import is_missing

# Pseudonyms and offer ids in the URL: short, plain characters; anything else is refused before a
# query sees it.
# Pseudonyms and offer ids in the URL: short, plain characters; anything else is refused before a
# query sees it.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


def as_date(v: object) -> date | None:
    """A date from whatever the database driver returned (date, Timestamp, ISO text or null)."""
    if is_missing(v):
        return None
    return pd.Timestamp(v).date()


def short_date(v: object) -> str:
    """date(2026, 10, 31) → '31.10.2026'; missing → '–'."""
    d = as_date(v)
    return fmt.DASH if d is None else f"{d.day:02d}.{d.month:02d}.{d.year}"


def short_dates(values: pd.Series) -> list[str]:
    """short_date for a whole column at once."""
    days = pd.to_datetime(values, errors="coerce")
    return [fmt.DASH if pd.isna(d) else f"{d.day:02d}.{d.month:02d}.{d.year}" for d in days]


def share(numerator: float | None, denominator: float | None) -> float | None:
    """A ratio whose denominator is 0 (or missing) is None, as everywhere in the cockpit."""
    if is_missing(numerator) or is_missing(denominator) or not denominator:
        return None
    return float(numerator) / float(denominator)


def valid_id(text: object) -> bool:
    """Whether a URL value can be an offer id or citizen pseudonym at all."""
    return isinstance(text, str) and bool(_ID.match(text))


def month_start(year: object, month: object) -> pd.Timestamp:
    return pd.Timestamp(int(year), int(month), 1)


def find_row(df: pd.DataFrame, column: str, value: object) -> pd.Series | None:
    """The row whose column equals value, or None (how a URL id is checked against real data)."""
    if not valid_id(value) or df.empty:
        return None
    hit = df[df[column].astype(str) == value]
    return None if hit.empty else hit.iloc[0]


def num(v: object) -> float | None:
    """A number, or None for missing and hidden values (NaN, None, fmt.SUPPRESSED)."""
    if v is None or v is pd.NA or isinstance(v, fmt.Suppressed | str):
        return None
    v = float(v)
    return None if math.isnan(v) else v


def total_of(s: pd.Series) -> float | None:
    """Missing rows add nothing; None when there is nothing to add."""
    return num(s.sum(min_count=1))


def hidden_total(s: pd.Series) -> float | None:
    """A total that is hidden (None) as soon as one part of it is hidden (NaN)."""
    if s.empty:
        return None
    return None if s.isna().any() else float(s.sum())


def of_type(df: pd.DataFrame, offer_type: str | None) -> pd.DataFrame:
    """The rows of one offer type, or all rows (None)."""
    return df if offer_type is None else df[df["offer_type_code"] == offer_type]


def sentence(text: str) -> str:
    """End with exactly one full stop (amounts already end in 'kr.')."""
    return text if text.endswith(".") else text + "."


@dataclass(frozen=True)
class Metric:
    """One figure as a metric shows it: label, Danish-formatted value, help text, optional delta."""

    label: str
    value: str
    help: str | None = None
    delta: str | None = None
    delta_color: str = "normal"


def metric(key: str, value: object, *, delta: str | None = None, **help_args: object) -> Metric:
    """A registered KPI or measure (cockpit/metrics/registry.py) with its value: the registry's
    label, the value formatted by its unit (text as it is), its definition as help (with
    `help_args` filled in)."""
    found = REGISTRY.get(key) or MEASURES[key]
    shown = value if isinstance(value, str) else fmt.value(found.unit, value)
    text = found.definition.format(**help_args) if found.definition else None
    return Metric(found.label, shown, text, delta, "inverse" if delta else "normal")
