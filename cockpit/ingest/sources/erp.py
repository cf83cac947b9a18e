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

    def add(self, file: str, c: Chunk, columns: dict[str, str]) -> None:
        tag = hashlib.sha1(file.encode("utf-8")).hexdigest()[:6]  # noqa: S324 - a name, not a secret
        bad_date = np.isnat(c.dates)
        bad_amount = np.isnan(c.amounts)
        self._report(file, c.rows[bad_date], columns["date"], "Datoen kan ikke læses")
        self._report(file, c.rows[bad_amount], columns["amount"], "Beløbet kan ikke læses")
        uniques = pc.unique(c.accounts.fill_null(""))
        looked = [self.account(a) for a in uniques.to_pylist()]
        idx = pc.index_in(c.accounts.fill_null(""), uniques).to_numpy(zero_copy_only=False)
        bad_acc = np.array([looked[i] == "bad" for i in range(len(looked))], dtype=bool)[idx]
        scope = np.array([isinstance(x, tuple) for x in looked], dtype=bool)[idx]
        self._report(
            file,
            c.rows[bad_acc],
            columns["account"],
            "Kontostrengen er ikke 16 cifre eller et kendt alias",
        )
        cpr_values = pc.unique(c.cprs.drop_null()).to_pylist()
        people = {v: normalise(v) for v in cpr_values}
        has_cpr = c.cprs.is_valid().to_numpy(zero_copy_only=False)
        cpr_text = c.cprs.fill_null("").to_numpy(zero_copy_only=False)
        bad_cpr = has_cpr & np.array([people.get(v, "") is None for v in cpr_text], dtype=bool)
        self._report(
            file, c.rows[bad_cpr], columns["cpr"], "CPR-nummeret har ikke formatet DDMMÅÅ-XXXX"
        )
        if self.problems:
            return
        self.skipped += int((~scope).sum())
        keep = scope
        if not keep.any():
            return
        func = np.array([x[0] if isinstance(x, tuple) else "" for x in looked], dtype=object)[idx]
        offer = np.array([x[1] if isinstance(x, tuple) else "" for x in looked], dtype=object)[idx]
        group = np.array([x[2] if isinstance(x, tuple) else "" for x in looked], dtype=object)[idx]
        pseud = {v: self.pseudo.of_normalised(n) for v, n in people.items() if n}
        years = {v: birth_year(n) for v, n in people.items() if n}
        cit = np.array([pseud.get(v) for v in cpr_text], dtype=object)
        born = np.array([years.get(v) for v in cpr_text], dtype=object)
        fy = np.where(
            c.fiscal_years > 0, c.fiscal_years, c.dates.astype("datetime64[Y]").astype(int) + 1970
        )
        ids = [f"erp-{y}-{tag}-{r}" for y, r in zip(fy[keep], c.rows[keep], strict=True)]
        table = pa.table(
            {
                "expense_id": pa.array(ids, pa.string()),
                "posting_date": pa.array(c.dates[keep].astype("datetime64[D]"), pa.date32()),
                "amount_dkk": pa.array(np.round(c.amounts[keep], 2), pa.float64()),
                "account_function": pa.array(func[keep], pa.string()),
                "offer_type_code": pa.array(offer[keep], pa.string()),
                "citizen_id": pa.array(cit[keep], pa.string()),
                "birth_year": pa.array(born[keep], pa.int32()),
                "target_group": pa.array([g or None for g in group[keep]], pa.string()),
                "fiscal_year": pa.array(fy[keep].astype("int32"), pa.int32()),
            },
            schema=SCHEMA,
        )
        self.fiscal_years |= set(int(y) for y in np.unique(fy[keep]))
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
