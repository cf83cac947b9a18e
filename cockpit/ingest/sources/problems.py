"""Problems found while reading source files: file, row (or resource path) and column, never a value
from a CPR-bearing field. Same shape as the importer's problems, so both lists show alike."""

from __future__ import annotations

from cockpit.ingest.problems import Problem

MAX_PER_KIND = 20


class Problems:
    """Every problem in order of discovery; at most MAX_PER_KIND shown per (file, column, message),
    then one line saying how many more there were."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._counts: dict[tuple, int] = {}

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        key = (file, column, message)
        n = self._counts.get(key, 0) + 1
        self._counts[key] = n
        if n <= MAX_PER_KIND:
            self.items.append(Problem(file, row, column, message))

    def add_count(self, file: str, column: str | None, message: str, n: int) -> None:
        """n more of a problem already listed (counted, not listed)."""
        key = (file, column, message)
        self._counts[key] = self._counts.get(key, 0) + n

    def result(self) -> list[Problem]:
        out = list(self.items)
        for (file, column, message), n in self._counts.items():
            if n > MAX_PER_KIND:
                more = n - MAX_PER_KIND
                out.append(Problem(file, None, column, f"{message} (og {more} rækker mere)"))
        return out

    def __bool__(self) -> bool:
        return bool(self.items)
