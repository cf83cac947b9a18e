"""The checks on one chunk of one source: header, CPR-like values and NUL bytes, each column's
type, range and allowed values, codes (offer type, municipality) and date order."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.ingest.contract import (
    ARROW_TYPES,
    CONTRACT,
    DATE_RANGE,
    FACT_TABLES,
    OPTIONAL_TABLES,
    ORDER_CHECKS,
    Column,
)
from cockpit.ingest.files import Source
from cockpit.ingest.parse import (
    KIND,
    MESSAGES,
    PARSERS,
    bools,
    bound,
    missing_message,
    municipality_message,
    offer_type_message,
    string,
)
from cockpit.ingest.privacy import CPR_CANDIDATE, NUL, cpr_message, looks_like_cpr, nul_message
from cockpit.ingest.problems import MAX_PER_KIND, Collector


@dataclass
class Plan:
    """How one source's header maps onto its contract table."""

    names: list[str]  # unique names for reading (blank or repeated headings renamed)
    present: set[str]  # contract columns in the source


@dataclass
class Checker:
    """Problems and warnings found so far, and the codes known (database, import, the 98)."""

    problems: Collector = field(default_factory=Collector)
    warnings: Collector = field(default_factory=Collector)
    # Columns a source reader has pseudonymised before the import: exempt from the CPR check.
    pseudonymised: Mapping[str, Collection[str]] = field(default_factory=dict)
    offer_types: set[str] = field(default_factory=set)
    municipalities: set[int] = field(default_factory=set)
    file_offer_types: set[str] = field(default_factory=set)
    file_municipalities: set[int] = field(default_factory=set)
    referenced: set[int] = field(default_factory=set)  # municipality_code values anywhere
    replaced: set[int] = field(default_factory=set)  # municipality_code values in fact tables
    db_has_offer_types: bool = False

    def plan(self, src: Source, header: list[str]) -> Plan:
        wanted = {c.name for c in CONTRACT[src.table]}
        names: list[str] = []
        seen: set[str] = set()
        for i, raw in enumerate(header):
            name = str(raw).replace("\ufeff", "").strip().strip('"').strip().lower()
            if NUL in name:
                msg = "Overskriften indeholder et NUL-tegn (tegnkode 0); gem filen som 'CSV UTF-8'"
                self.problems.add(src.label, None, None, "NUL-tegn", msg)
                name = name.replace(NUL, "")
            if name in seen and name:
                msg = "Kolonnen står mere end én gang i overskriften"
                self.problems.add(src.label, None, name, "dobbelt kolonne", msg)
            if not name or name in seen or name.startswith("_kolonne_"):
                names.append(f"_kolonne_{i + 1}")
                continue
            seen.add(name)
            names.append(name)
            if name not in wanted:
                msg = f"Kolonnen kendes ikke i tabellen {src.table} og springes over"
                self.warnings.add(src.label, None, name, "ukendt kolonne", msg)
        for col in CONTRACT[src.table]:
            if col.name not in seen and not col.nullable:
                msg = f"Kolonnen {col.name} mangler; den skal være med i {src.table}"
                self.problems.add(src.label, None, col.name, "manglende kolonne", msg)
        return Plan(names, seen & wanted)

    def check_chunk(
        self,
        src: Source,
        plan: Plan,
        rows: np.ndarray,
        columns: dict[str, pa.Array],
        comma: bool,
    ) -> tuple[dict[str, pa.Array], np.ndarray]:
        """Every check on one chunk; returns the typed columns and the Excel rows they came from."""
        text = {n: pc.utf8_trim_whitespace(string(a)) for n, a in columns.items()}
        filled = np.zeros(len(rows), dtype=bool)
        for a in text.values():
            filled |= ~bools(pc.equal(a, ""))
        if not filled.all():  # Excel leaves ';;;;' rows behind; they are not data
            keep = pa.array(filled)
            text, rows = {n: a.filter(keep) for n, a in text.items()}, rows[filled]
        amounts = {c.name for c in CONTRACT[src.table] if c.type in ("dkk", "num")}
        # A municipality's budget runs to ten-digit kroner amounts; a money column holds no CPR.
        exempt = amounts | set(self.pseudonymised.get(src.table, ()))
        refused = {
            n: self.check_nul(src, n, a, rows)
            | (np.zeros(len(rows), dtype=bool) if n in exempt else self.check_cpr(src, n, a, rows))
            for n, a in text.items()
        }
        typed: dict[str, pa.Array] = {}
        for col in CONTRACT[src.table]:
            if col.name in plan.present:
                typed[col.name] = self.check_column(
                    src, col, text[col.name], rows, refused[col.name], comma
                )
            else:
                typed[col.name] = pa.nulls(len(rows), ARROW_TYPES[col.type])
        self.check_codes(src, typed, rows)
        self.check_order(src, typed, rows)
        return typed, rows

    def check_cpr(self, src: Source, column: str, arr: pa.Array, rows: np.ndarray) -> np.ndarray:
        """CPR-like cells in any column, even unknown ones; the value is never repeated."""
        found = bools(pc.match_substring_regex(arr, CPR_CANDIDATE))
        if found.any():
            idx = np.flatnonzero(found)
            found[idx] = [looks_like_cpr(v) for v in arr.take(pa.array(idx)).to_pylist()]
        if found.any():
            label = None if column.startswith("_kolonne_") else column
            hits = rows[found]
            self.problems.add_rows(src.label, label, "CPR-nummer", hits, [None] * 20, cpr_message)
        return found

    def check_nul(self, src: Source, column: str, arr: pa.Array, rows: np.ndarray) -> np.ndarray:
        """Cells holding a NUL byte, in any column; the value is never repeated."""
        found = bools(pc.match_substring(arr, NUL))
        if found.any():
            label = None if column.startswith("_kolonne_") else column
            hits = rows[found]
            self.problems.add_rows(src.label, label, "NUL-tegn", hits, [None] * 20, nul_message)
        return found

    def check_column(
        self,
        src: Source,
        col: Column,
        raw: pa.Array,
        rows: np.ndarray,
        refused: np.ndarray,
        comma: bool,
    ) -> pa.Array:
        """One column: required, readable as its type, inside its range and its allowed values."""
        empty = bools(pc.equal(raw, ""))
        if not col.nullable:
            self.report_rows(
                src, col.name, "tom værdi", rows, raw, empty & ~refused, missing_message
            )
        parsed = PARSERS[col.type](raw, comma)
        bad = parsed.bad & ~(empty | refused)
        self.report_rows(src, col.name, KIND[col.type], rows, raw, bad, MESSAGES[col.type])
        ok = self.check_range(src, col, parsed.magnitude, raw, rows, ~(empty | refused | bad))
        values = parsed.values
        if col.allowed:
            values = pc.utf8_lower(values)
            outside = ok & ~bools(pc.is_in(values, value_set=pa.array(col.allowed)))
            allowed = ", ".join(col.allowed)

            def msg(v: object) -> str:
                return f"Værdien '{v}' er ikke tilladt; brug en af: {allowed}"

            self.report_rows(src, col.name, "ugyldig værdi", rows, raw, outside, msg)
            ok &= ~outside
        return pc.if_else(pa.array(ok), values, pa.scalar(None, values.type))

    def check_range(
        self,
        src: Source,
        col: Column,
        magnitude: np.ndarray | None,
        raw: pa.Array,
        rows: np.ndarray,
        ok: np.ndarray,
    ) -> np.ndarray:
        """Values outside the column's bounds: levels 0-4, dates 1900-2100, years, hours, ..."""
        if magnitude is None:
            return ok
        if col.type == "date":
            (lo, hi), what = DATE_RANGE, "Datoen"
        elif col.type == "level":
            (lo, hi), what = (0, 4), "Niveauet"
        elif col.lo is not None:
            lo, hi, what = col.lo, col.hi, "Værdien"
        else:
            return ok
        with np.errstate(invalid="ignore"):
            outside = ok & ((magnitude < lo) | (magnitude > hi))

        def msg(v: object) -> str:
            return f"{what} {v} ligger uden for {bound(lo)}-{bound(hi)}"

        self.report_rows(src, col.name, "uden for interval", rows, raw, outside, msg)
        return ok & ~outside

    def report_rows(
        self,
        src: Source,
        column: str,
        kind: str,
        rows: np.ndarray,
        values: pa.Array,
        mask: np.ndarray,
        message: Callable[[object], str],
    ) -> None:
        if mask.any():
            hit = np.flatnonzero(mask)
            first = values.take(pa.array(hit[:MAX_PER_KIND])).to_pylist()
            self.problems.add_rows(src.label, column, kind, rows[hit], first, message)

    def check_codes(self, src: Source, typed: dict[str, pa.Array], rows: np.ndarray) -> None:
        """Offer types and municipalities must exist in the database, the import or the 98."""
        if src.table == "offer_type":
            self.file_offer_types |= distinct(typed["offer_type_code"])
            return
        if "offer_type_code" in typed:
            known = pa.array(sorted(self.offer_types), pa.string())
            self.report_unknown(src, "offer_type_code", typed, rows, known, offer_type_message)
        codes = distinct(typed["municipality_code"])
        if src.table == "municipality":
            self.file_municipalities |= codes
            return
        self.referenced |= codes
        if src.table in FACT_TABLES or src.table in OPTIONAL_TABLES:
            self.replaced |= codes
        known = pa.array(sorted(self.municipalities), pa.int64())
        for column in ("municipality_code", "location_municipality_code"):
            if column in typed:
                self.report_unknown(src, column, typed, rows, known, municipality_message)

    def report_unknown(
        self,
        src: Source,
        column: str,
        typed: dict[str, pa.Array],
        rows: np.ndarray,
        known: pa.Array,
        message: Callable[[object], str],
    ) -> None:
        values = typed[column]
        unknown = bools(pc.is_valid(values)) & ~bools(pc.is_in(values, value_set=known))
        self.report_rows(src, column, "ukendt kode", rows, values, unknown, message)

    def check_order(self, src: Source, typed: dict[str, pa.Array], rows: np.ndarray) -> None:
        if src.table not in ORDER_CHECKS:
            return
        first, last, template = ORDER_CHECKS[src.table]
        start, end = typed[first], typed[last]
        bad = bools(pc.less(end, start))
        if bad.any():
            hit = pa.array(np.flatnonzero(bad)[:MAX_PER_KIND])
            pairs = list(zip(start.take(hit).to_pylist(), end.take(hit).to_pylist(), strict=True))

            def msg(v: object) -> str:
                s, e = v  # type: ignore[misc]
                return template.format(start=f"{s:%Y-%m-%d}", end=f"{e:%Y-%m-%d}")

            self.problems.add_rows(src.label, last, "slut før start", rows[bad], pairs, msg)


def distinct(values: pa.Array) -> set:
    return set(pc.unique(values.drop_null()).to_pylist())
