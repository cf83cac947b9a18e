"""One column spec feeds the screen and the Excel file: each column names its header, how its
values come from the query's rows (numbers as numbers, dates as dates), its unit (cockpit/
downloads.py UNITS: how the screen formats it and Excel stores it) and whether it is shown on
screen, written to the file, or both."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from cockpit.downloads import UNITS, Table, display_frame


@dataclass(frozen=True)
class Column:
    header: str
    values: Callable[[pd.DataFrame], Iterable]
    unit: str = "text"
    on_screen: bool = True
    in_file: bool = True

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"Ukendt enhed {self.unit!r} for kolonnen {self.header!r}")


@dataclass(frozen=True)
class Spec:
    """A table's columns, in order."""

    title: str
    columns: tuple[Column, ...]

    def table(self, df: pd.DataFrame, *, screen: bool = False) -> Table:
        """The rows as a Table for the file (screen=False) or for the screen (screen=True)."""
        shown = [c for c in self.columns if (c.on_screen if screen else c.in_file)]
        frame = pd.DataFrame({c.header: list(c.values(df)) for c in shown}, index=range(len(df)))
        # A list shows dates short on screen (31.10.2026); the file stores them as dates.
        units = {c.header: "day" if screen and c.unit == "date" else c.unit for c in shown}
        return Table(self.title, frame, units)

    def shown(self, df: pd.DataFrame) -> pd.DataFrame:
        """The screen's table: Danish-formatted text, '–' for what is missing."""
        return display_frame(self.table(df, screen=True))


def text(column: str) -> Callable[[pd.DataFrame], Iterable]:
    return lambda df: df[column]


def plain(column: str, kind: type = float) -> Callable[[pd.DataFrame], Iterable]:
    """A numeric column as Python numbers (None where missing)."""
    return lambda df: [None if pd.isna(v) else kind(v) for v in df[column]]


def ident(column: str) -> Callable[[pd.DataFrame], Iterable]:
    """An id or pseudonym as text (None where missing)."""
    return lambda df: [None if pd.isna(v) else str(v) for v in df[column]]


def dates(column: str) -> Callable[[pd.DataFrame], Iterable]:
    return lambda df: [None if pd.isna(v) else pd.Timestamp(v).date() for v in df[column]]
