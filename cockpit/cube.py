"""Suppression over linked tables: Økonomi's spend tables (per offer type, per owner type with and
without an offer-type filter, per provider, the total, at consecutive month ends) are all sums of
one cube of cells, offer type × offer × owner type × posting month (queries/econ_spend_cube.sql).

The cube is cut into blocks. A cell behind 1-4 citizens is never a block of its own: it is pooled
with the other small cells of its offer type, owner type and month, and with the smallest cell
behind 5 or more citizens there; a pool with no such cell joins the pool of another owner type of
the offer type that month, and failing that one of another offer type. So every block has no
citizen or at least 5 (the block's largest cell alone has 5). A figure is published only when its
cells are whole blocks; otherwise it is hidden ("–"). Whatever is published is then a sum of
blocks, so subtracting, adding or solving published figures yields sums of blocks at most, never
a cell behind 1-4 citizens. Month-end scopes (cockpit/cube.snap) keep every month's cells whole.

Pure functions over DataFrames; cockpit/data.py calls `restrict` for the LINKED queries.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from cockpit.suppress import BASIS, LIMIT, MARKER, NOT_CITIZEN_DERIVED

QUERY = "econ_spend_cube"
GROUPS_QUERY = "econ_spend_cube_groups"  # distinct citizens per offer type × owner type × month
TYPE, OFFER, OWNER, MONTH = "offer_type_code", "offer_id", "owner_type", "month"
# The queries whose spend is a sum of cube cells, and the cube columns each row is keyed by.
LINKED: dict[str, tuple[str, ...]] = {
    "econ_spend_by_owner": (OWNER,),  # plus the offer_type filter parameter
    "econ_spend_by_provider": (OFFER, TYPE),
    "kpi_economy_by_offer_type": (TYPE,),
    "econ_price_quantity": (TYPE,),
}
KEY_COLUMNS = frozenset({TYPE, OFFER, OWNER, "offer_name", MONTH})


def snap(as_of: date, latest: date | None) -> date:
    """The reference date a suppressing role gets: the latest data date when `as_of` is at or after
    it, else `as_of` if it is a month end, else the month end before it (31 January in January)."""
    if latest is not None and as_of >= latest:
        return latest
    if as_of.day == calendar.monthrange(as_of.year, as_of.month)[1]:
        return as_of
    if as_of.month == 1:
        end = date(as_of.year, 1, 31)
        return end if latest is None or end <= latest else latest
    previous = as_of.replace(day=1).toordinal() - 1
    return date.fromordinal(previous)


class _Blocks:
    """Union-find over cube rows; each block remembers its largest citizen count."""

    def __init__(self, citizens: np.ndarray) -> None:
        self.parent = np.arange(len(citizens))
        self.top = citizens.astype(float).copy()

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return int(i)

    def union(self, i: int, j: int) -> int:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[b] = a
            self.top[a] = max(self.top[a], self.top[b])
        return a

    def safe(self, i: int) -> bool:
        return self.top[self.find(i)] >= LIMIT

    def ids(self) -> np.ndarray:
        return np.array([self.find(i) for i in range(len(self.parent))])


def _text(v: object) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else str(v)


def _group_citizens(groups: pd.DataFrame | None) -> dict[tuple, float]:
    if groups is None or groups.empty:
        return {}
    return {
        (_text(t), None if a else _text(o), int(m)): float(n)
        for t, o, m, a, n in zip(
            groups[TYPE],
            groups[OWNER],
            groups[MONTH],
            groups["all_owners"],
            groups[BASIS].fillna(0),
            strict=True,
        )
    }


def partition(cube: pd.DataFrame, groups: pd.DataFrame | None = None) -> np.ndarray:
    """Block id per cube row (positional): every block has no citizen or at least 5 (its largest
    cell has 5, or it is a whole offer type × owner type × month group with 5 in `groups`)."""
    cube = cube.reset_index(drop=True)
    whole = _group_citizens(groups)
    citizens = pd.to_numeric(cube[BASIS], errors="coerce").fillna(0).to_numpy()
    blocks = _Blocks(citizens)
    small = (citizens >= 1) & (citizens < LIMIT)
    strong = citizens >= LIMIT
    kind = cube[TYPE].map(_text).to_numpy()
    owner = cube[OWNER].map(_text).to_numpy()
    offer = cube[OFFER].map(_text).to_numpy()
    # Offers with a small cell in some month are hidden from then on anyway: a pool takes its
    # partner from them first, so the hiding stays on as few offers as possible.
    tainted = {(kind[i], offer[i]) for i in range(len(cube)) if small[i]}
    order = sorted(range(len(cube)), key=lambda i: (citizens[i], kind[i], owner[i], offer[i]))

    def smallest_strong(rows) -> int | None:
        rows = {i for i in rows if strong[i]}
        pick = next((i for i in order if i in rows and (kind[i], offer[i]) in tainted), None)
        pick = pick if pick is not None else next((i for i in order if i in rows), None)
        if pick is not None:
            tainted.add((kind[pick], offer[pick]))
        return pick

    for m, month_rows in cube.groupby(MONTH, sort=True).groups.items():
        month = set(month_rows)
        weak_types: list[int] = []  # a representative row of each type-month left unsafe
        for t in sorted({kind[i] for i in month}):
            in_type = {i for i in month if kind[i] == t}
            weak: list[int] = []
            pools: list[int] = []
            for o in sorted({owner[i] for i in in_type}):
                group = [i for i in in_type if owner[i] == o]
                smalls = [i for i in group if small[i]]
                if not smalls:
                    continue
                for i in smalls[1:]:
                    blocks.union(smalls[0], i)
                partner = smallest_strong(group)
                if partner is not None:
                    blocks.union(smalls[0], partner)
                    pools.append(smalls[0])
                elif whole.get((t, o, int(m)), 0) >= LIMIT:
                    for i in group:  # the whole group is one block with 5 or more citizens
                        blocks.union(smalls[0], i)
                    blocks.top[blocks.find(smalls[0])] = LIMIT
                else:
                    weak.append(smalls[0])
            if weak:
                for i in weak[1:]:
                    blocks.union(weak[0], i)
                if pools:
                    blocks.union(weak[0], pools[0])
                else:
                    partner = smallest_strong(in_type)
                    if partner is not None:
                        blocks.union(weak[0], partner)
                    elif whole.get((t, None, int(m)), 0) >= LIMIT:
                        for i in in_type:  # the whole offer type that month, 5 or more citizens
                            blocks.union(weak[0], i)
                        blocks.top[blocks.find(weak[0])] = LIMIT
                    else:
                        weak_types.append(weak[0])
        if weak_types:
            for i in weak_types[1:]:
                blocks.union(weak_types[0], i)
            partner = smallest_strong(month)
            if partner is not None:
                blocks.union(weak_types[0], partner)
    return blocks.ids()


def published(block: np.ndarray, mask: np.ndarray) -> bool:
    """Whether the cells in `mask` are whole blocks (so their sum may be published)."""
    if not mask.any():
        return True
    inside = np.bincount(block[mask], minlength=len(block))
    total = np.bincount(block, minlength=len(block))
    touched = np.unique(block[mask])
    return bool((inside[touched] == total[touched]).all())


def _hide(frame: pd.DataFrame, rows: list, keys: tuple[str, ...]) -> pd.DataFrame:
    out = frame.copy()
    measures = [
        c
        for c in out.columns
        if c not in keys
        and c not in KEY_COLUMNS
        and c not in NOT_CITIZEN_DERIVED
        and c != MARKER
        and pd.api.types.is_numeric_dtype(out[c])
        and not pd.api.types.is_bool_dtype(out[c])
    ]
    for c in measures:
        out[c] = out[c].astype("float64")
        out.loc[rows, c] = float("nan")
    if MARKER not in out.columns:
        out[MARKER] = ""
    out.loc[rows, MARKER] = [m or "–" for m in out.loc[rows, MARKER]]
    return out


def restrict(
    name: str,
    frame: pd.DataFrame,
    cube: pd.DataFrame,
    params: Mapping | None = None,
    groups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The frame with every row whose cells are not whole blocks of the cube hidden (measures NaN,
    `suppressed` "–"); rows already hidden stay hidden."""
    keys = LINKED[name]
    if frame.empty:
        return frame
    cube = cube.reset_index(drop=True)
    block = partition(cube, groups)
    columns = {c: cube[c].map(_text).to_numpy() for c in (TYPE, OFFER, OWNER)}
    base = np.ones(len(cube), dtype=bool)
    chosen = _text((params or {}).get("offer_type"))
    if name == "econ_spend_by_owner" and chosen:
        base &= columns[TYPE] == chosen
    hidden = []
    for index, row in frame.iterrows():
        mask = base.copy()
        for key in keys:
            mask &= columns[key] == _text(row[key])
        if not published(block, mask):
            hidden.append(index)
    return _hide(frame, hidden, keys) if hidden else frame
