"""The scope every number is computed for: municipality, year and reference date (opgørelsesdato)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from cockpit.present.fmt import long_date


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


def default_as_of(latest: pd.DataFrame, year: int) -> date:
    """The reference date a year opens on, from queries/scope_latest_posting.sql: the latest
    posting date of the year; 31 December for a closed year or one without postings."""
    found, latest_year = latest["latest_in_year"].iloc[0], latest["latest_year"].iloc[0]
    if found is None or pd.isna(found) or (latest_year is not None and latest_year > year):
        return date(year, 12, 31)
    return pd.Timestamp(found).date()


def same_day(as_of: date, year: int) -> date:
    """The same calendar day in another year (29 February becomes 28 February)."""
    return date(year, as_of.month, min(as_of.day, calendar.monthrange(year, as_of.month)[1]))


def last_year_same_period(scope: Scope) -> Scope:
    """Last year from 1 January to the same calendar day: the like-for-like comparison."""
    return Scope(scope.municipality, scope.year - 1, same_day(scope.as_of, scope.year - 1))


def last_year_closed(scope: Scope) -> Scope:
    """Last year as a closed year (1 January – 31 December): last year's accounts."""
    return Scope(scope.municipality, scope.year - 1, date(scope.year - 1, 12, 31))


def year_scopes(scope: Scope, years: Iterable[int], count: int = 5) -> list[Scope]:
    """The scope and up to `count` − 1 earlier years with data, each earlier year at 31 December
    (its final figures), oldest first."""
    earlier = sorted({int(y) for y in years if int(y) < scope.year})
    earlier = earlier[-(count - 1) :] if count > 1 else []
    return [Scope(scope.municipality, y, date(y, 12, 31)) for y in earlier] + [scope]


def when(scope: Scope) -> str:
    """'2025' for a closed earlier year, '31. oktober 2026' otherwise."""
    if scope.as_of == scope.year_end:
        return str(scope.year)
    return long_date(scope.as_of)


def month_scopes(scope: Scope) -> list[Scope]:
    """The scope as of every month end of its year up to the reference date (which closes it)."""
    return [Scope(scope.municipality, scope.year, d) for d in month_ends(scope.year, scope.as_of)]
