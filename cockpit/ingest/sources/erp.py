"""ERP postings, whatever their form (g69.py, postings_csv.py): one chunk of raw fields at a time
becomes pseudonymised expense rows in a Parquet file, so memory stays bounded at any size.

The account string (or its alias via finanskontoalias.csv) gives the function (5.38.xx) and the
grouping; kontoplan_indsatstype.csv turns them into an offer type (and, on 5.38.38, a target group).
A posting on an account outside that table (another area of the ledger) is skipped and counted. Free
text is never read into a row. The CPR number becomes the pseudonym here; its birth year is kept for
the citizen row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cockpit.ingest.sources.mappings import Maps, parse_account
from cockpit.ingest.sources.problems import Problems
from cockpit.ingest.sources.pseudonym import Pseudonymiser, birth_year, normalise

OUT_OF_SCOPE = (
    "posteringer ligger på konti uden indsatstype i kontoplan_indsatstype.csv (andre områder af "
    "regnskabet) og blev ikke indlæst"
)
SCHEMA = pa.schema(
    [
        ("expense_id", pa.string()),
        ("posting_date", pa.date32()),
        ("amount_dkk", pa.float64()),
        ("account_function", pa.string()),
        ("offer_type_code", pa.string()),
        ("citizen_id", pa.string()),
        ("birth_year", pa.int32()),
        ("target_group", pa.string()),
        ("fiscal_year", pa.int32()),
    ]
)


@dataclass
class Chunk:
    """Raw fields of consecutive rows (1-based numbers in `rows`) as Arrow string arrays, except
    dates (datetime64 NaT = unreadable), amounts (NaN = unreadable) and fiscal years (0 = none)."""

    rows: np.ndarray
    dates: np.ndarray
    accounts: pa.Array
    amounts: np.ndarray
    fiscal_years: np.ndarray
    cprs: pa.Array  # null where the posting carries no person


@dataclass
class PostingWriter:
    path: Path
    maps: Maps
    pseudo: Pseudonymiser
    problems: Problems
    rows: int = 0
    skipped: int = 0
    fiscal_years: set[int] = field(default_factory=set)
    _writer: pq.ParquetWriter | None = None
    _accounts: dict[str, tuple[str, str, str] | None] = field(default_factory=dict)
    _people: dict[str, tuple[str, int] | None] = field(default_factory=dict)

    def account(self, text: str) -> tuple[str, str, str] | None | str:
        """(function, offer type, target group), None if outside the area, "bad" if unreadable."""
        if text in self._accounts:
            return self._accounts[text]
        full = self.maps.aliases.get(text, text)
        acc = parse_account(full)
        if acc is None:
            out: tuple[str, str, str] | None | str = "bad"
        else:
            hit = self.maps.offer_type_for_account(acc.function, acc.grouping)
            out = None if hit is None else (acc.function, hit[0], hit[1])
        self._accounts[text] = out  # type: ignore[assignment]
        return out

    def person(self, raw: str) -> tuple[str, int] | None:
        """(pseudonym, birth year) for a CPR field, None if it is not a CPR number (cached)."""
        if raw not in self._people:
            cpr10 = normalise(raw)
            self._people[raw] = (
                None if cpr10 is None else (self.pseudo.of_normalised(cpr10), birth_year(cpr10))
            )
        return self._people[raw]

    def add(self, file: str, c: Chunk, columns: dict[str, str]) -> None:
        """Check one chunk (problems by file, row, column) and, if the file is clean so far, append
        its postings in the area to the Parquet file. Work per distinct value, not per row."""
        tag = hashlib.sha1(file.encode("utf-8")).hexdigest()[:6]  # noqa: S324 - a name, not a secret
        self._report(file, c.rows[np.isnat(c.dates)], columns["date"], "Datoen kan ikke læses")
        self._report(file, c.rows[np.isnan(c.amounts)], columns["amount"], "Beløbet kan ikke læses")
        accounts = c.accounts.fill_null("")
        uniques = pc.unique(accounts)
        looked = [self.account(a) for a in uniques.to_pylist()]
        idx = pc.index_in(accounts, uniques).to_numpy(zero_copy_only=False)
        bad_acc = np.array([x == "bad" for x in looked], dtype=bool)[idx]
        scope = np.array([isinstance(x, tuple) for x in looked], dtype=bool)[idx]
        message = "Kontostrengen er ikke 16 cifre eller et kendt alias"
        self._report(file, c.rows[bad_acc], columns["account"], message)
        people = pc.unique(c.cprs.drop_null())
        found = [self.person(v) for v in people.to_pylist()]
        at = pc.index_in(c.cprs, people)  # null where the posting names no person
        has_cpr = at.is_valid().to_numpy(zero_copy_only=False)
        where = at.fill_null(0).to_numpy(zero_copy_only=False)
        invalid = np.array([f is None for f in found] or [False], dtype=bool)
        bad_cpr = has_cpr & invalid[where]
        message = "CPR-nummeret har ikke formatet DDMMÅÅ-XXXX"
        self._report(file, c.rows[bad_cpr], columns["cpr"], message)
        if self.problems:
            return
        self.skipped += int((~scope).sum())
        keep = pa.array(scope)
        if not scope.any():
            return

        def per_account(i: int) -> pa.Array:
            values = [x[i] or None if isinstance(x, tuple) else None for x in looked]
            return pc.take(pa.array(values, pa.string()), pa.array(idx)).filter(keep)

        names = pa.array([f[0] if f else None for f in found] or [None], pa.string())
        years = pa.array([f[1] if f else None for f in found] or [None], pa.int32())
        fy = np.where(
            c.fiscal_years > 0, c.fiscal_years, c.dates.astype("datetime64[Y]").astype(int) + 1970
        )[scope]
        rows = pa.array(c.rows[scope])
        ids = pc.binary_join_element_wise(
            "erp", pc.cast(pa.array(fy), pa.string()), tag, pc.cast(rows, pa.string()), "-"
        )
        table = pa.table(
            {
                "expense_id": ids,
                "posting_date": pa.array(c.dates[scope].astype("datetime64[D]"), pa.date32()),
                "amount_dkk": pa.array(np.round(c.amounts[scope], 2), pa.float64()),
                "account_function": per_account(0),
                "offer_type_code": per_account(1),
                "citizen_id": pc.take(names, at).filter(keep),
                "birth_year": pc.take(years, at).filter(keep),
                "target_group": per_account(2),
                "fiscal_year": pa.array(fy.astype("int32"), pa.int32()),
            },
            schema=SCHEMA,
        )
        self.fiscal_years |= {int(y) for y in np.unique(fy)}
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, SCHEMA)
        self._writer.write_table(table)
        self.rows += len(table)

    def _report(self, file: str, rows: np.ndarray, column: str, message: str) -> None:
        for r in rows[:25]:
            self.problems.add(file, int(r), column, message)
        if len(rows) > 25:
            self.problems.add_count(file, column, message, len(rows) - 25)

    def close(self) -> Path | None:
        if self._writer is None:
            return None
        self._writer.close()
        return self.path
