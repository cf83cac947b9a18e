"""Danish number, money, percent and date formatting (1.234.567 kr., 12,3 %, 12,3 mio. kr.); pure."""

from __future__ import annotations

import math
import re
from datetime import date

DASH = "–"
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, decimals: int = 0) -> str:
    """1234567.891 → '1.234.567,89' (decimals=2); None → '–'."""
    if _missing(value):
        return DASH
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def money(value: float | None) -> str:
    """Whole kroner: '1.234.568 kr.'."""
    return DASH if _missing(value) else f"{number(value)} kr."


def money_compact(value: float | None) -> str:
    """Large amounts in millions with one decimal ('12,3 mio. kr.'), smaller ones in whole kroner."""
    if _missing(value):
        return DASH
    if abs(value) >= 1_000_000:
        return f"{number(value / 1_000_000, 1)} mio. kr."
    return money(value)


def percent(share: float | None, decimals: int = 1) -> str:
    """A share in 0..1 as percent: 0.1234 → '12,3 %'."""
    return DASH if _missing(share) else f"{number(share * 100, decimals)} %"


def days(value: float | None) -> str:
    return (
        DASH if _missing(value) else f"{number(value, 0 if float(value).is_integer() else 1)} dage"
    )


def long_date(d: date | None) -> str:
    """date(2026, 10, 31) → '31. oktober 2026'."""
    return DASH if d is None else f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def value(unit: str, v: float | None, compact: bool = True) -> str:
    """Format a KPI value by its unit ('kr.', 'share', 'count', 'dage', 'per 1.000')."""
    if isinstance(v, Suppressed):
        return SMALL
    if unit == "kr.":
        return money_compact(v) if compact else money(v)
    if unit == "share":
        return percent(v)
    if unit == "dage":
        return days(v)
    if unit == "per 1.000":
        return number(v, 1)
    return number(v)


# ---------------------------------------------------------------- small-number suppression

SMALL = "<5"


class Suppressed:
    """A count of 1-4 citizens hidden from a role without citizen access (cockpit/suppress.py);
    formats as '<5'. Falsy and never equal to a number, so it cannot leak into arithmetic."""

    _instance: Suppressed | None = None

    def __new__(cls) -> Suppressed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SUPPRESSED"

    def __str__(self) -> str:
        return SMALL

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = Suppressed()


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@&=])")


def plain(text: object) -> str:
    """Text from the database, a claim, the URL or the user, safe inside st.markdown, st.title,
    st.caption, an alert or a label: every markdown character escaped, so it can never become a
    link, an autolink, an image, HTML or formatting."""
    return _MARKDOWN.sub(r"\\\1", str(text))
