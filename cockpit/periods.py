"""The scope every number is computed for: municipality, year and reference date (opgørelsesdato)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Scope:
    municipality: int
    year: int
    as_of: date

    def __post_init__(self) -> None:
        if self.as_of.year != self.year:
            raise ValueError("Opgørelsesdatoen skal ligge i det valgte år")

    @property
    def window_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def year_end(self) -> date:
        return date(self.year, 12, 31)

    @property
    def days_in_year(self) -> int:
        return 366 if calendar.isleap(self.year) else 365

    @property
    def day_of_year(self) -> int:
        return self.as_of.timetuple().tm_yday

    def params(self) -> dict:
        """Bind parameters shared by every query (dates computed here, so SQL stays portable)."""
        d = self.as_of
        return {
            "municipality": self.municipality,
            "year": self.year,
            "window_start": self.window_start,
            "as_of": d,
            "year_end": self.year_end,
            "rest_start": d + timedelta(days=1),
            "days_in_year": self.days_in_year,
            "day_of_year": self.day_of_year,
            "as_of_minus_730": d - timedelta(days=730),
            "as_of_minus_365": d - timedelta(days=365),
            "as_of_minus_90": d - timedelta(days=90),
            "as_of_plus_90": d + timedelta(days=90),
        }


def month_ends(year: int, until: date) -> list[date]:
    """The last day of each month of `year` up to and including `until`'s month."""
    ends = []
    for month in range(1, 13):
        end = date(year, month, calendar.monthrange(year, month)[1])
        if end > until:
            if until.month == month:
                ends.append(until)
            break
        ends.append(end)
    return ends
