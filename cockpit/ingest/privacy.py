"""What must never enter the database: CPR-like numbers anywhere in a text value (also written with
spaces or dots, e.g. `010190 1234` or `01.01.90-1234`) and NUL bytes. The value itself is never
repeated in a message."""

from __future__ import annotations

import calendar
import re

# RE2 (pyarrow), run on every cell: ten digits, grouped DD MM YY XXXX with at most one separator
# (space, dot or dash) between groups. looks_like_cpr then checks the few hits in Python.
CPR_CANDIDATE = r"\d{2}[ .\-]?\d{2}[ .\-]?\d{2}[ .\-]?\d{4}"
_CPR = re.compile(r"(?<![\d])(\d{2})[ .\-]?(\d{2})[ .\-]?\d{2}[ .\-]?\d{4}(?![\d])")
NUL = "\x00"


def looks_like_cpr(text: str) -> bool:
    """Ten digits DDMMYYXXXX, whole (no digit before or after), whose first six are a real day
    (29 February allowed), with at most one space, dot or dash between the groups."""
    for m in _CPR.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]:
            return True
    return False


def scrub(message: str) -> str:
    """A safety net for every message: any ten-digit sequence in it (grouped as a CPR number may be),
    whatever produced it, becomes …"""
    return _CPR.sub("…", message)


def cpr_message(_: object) -> str:
    return "Værdien ligner et CPR-nummer, og CPR-numre må ikke indlæses (værdien vises ikke)"


def nul_message(_: object) -> str:
    return "Værdien indeholder et NUL-tegn (tegnkode 0), som ikke må indlæses (værdien vises ikke)"
