"""Small-number suppression for roles without citizen access: counts of 1-4 citizens become "<5",
values behind fewer than 5 citizens "–", with secondary suppression so no total gives them away."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from cockpit import metrics
from cockpit.present.fmt import DASH, SMALL, SUPPRESSED

LIMIT = 5  # a count of 1..LIMIT-1 citizens is hidden; 0 is not a person and stays visible
MARKER = "suppressed"  # the column suppress.frame adds: "" shown, "<5" primary, "–" secondary
BASIS = "citizens"  # the column every breakdown query carries (distinct citizens behind the row)

# Numeric columns that label a row rather than measure it; never hidden.
KEY_COLUMNS = frozenset(
    {"year", "month", "quarter", "week", "step", "staircase_step", "processing_days"}
)
# Numbers that no citizen lies behind (decided budgets, targets, capacity); never hidden.
NOT_CITIZEN_DERIVED = frozenset(
    {
        "budget_corrected_dkk",
        "original_dkk",
        "corrected_dkk",
        "budget_dkk",
        "target_value",
        "places",
    }
)


@dataclass(frozen=True)
class Rule:
    """How a query's frame is suppressed: the margins whose totals must not reveal a hidden row
    (each a tuple of columns; () is the whole frame), and extra key columns."""

    margins: tuple[tuple[str, ...], ...] = ((),)
    keys: tuple[str, ...] = ()


class MissingBasis(ValueError):
    """A multi-row frame without a citizens column: it cannot be shown to a suppressing role."""


def small(n: object) -> bool:
    """A count of 1-4 (None, NaN and 0 are not small)."""
    if n is None or n is SUPPRESSED:
        return False
    try:
        x = float(n)
    except (TypeError, ValueError):
        return False
    return not math.isnan(x) and 1 <= x < LIMIT


def is_count_column(name: str) -> bool:
    """Columns that count citizens: citizens, citizens_*, *_citizens."""
    return name == BASIS or name.startswith(BASIS + "_") or name.endswith("_" + BASIS)


def _groups(df: pd.DataFrame, margin: tuple[str, ...]) -> Iterable[pd.Index]:
    if not margin:
        yield df.index
        return
    for _, g in df.groupby(list(margin), sort=False, dropna=False):
        yield g.index


def secondary(
    counts: pd.Series, hidden: set[Hashable], groups: Sequence[Iterable[Hashable]]
) -> set[Hashable]:
    """Extend `hidden` until no group has exactly one hidden member: in such a group, also hide the
    visible member with the smallest non-zero count (a zero one only if nothing else is left)."""
    hidden = set(hidden)
    groups = [list(g) for g in groups]
    changed = True
    while changed:
        changed = False
        for members in groups:
            inside = [m for m in members if m in hidden]
            if len(inside) != 1:
                continue
            visible = [m for m in members if m not in hidden]
            if not visible:
                continue
            nonzero = [m for m in visible if (counts[m] or 0) > 0]
            pick = min(nonzero or visible, key=lambda m: (counts[m], str(m)))
            hidden.add(pick)
            changed = True
    return hidden


def frame(df: pd.DataFrame, rule: Rule | None = None) -> pd.DataFrame:
    """A copy with the measures of rows behind 1-4 citizens hidden (NaN), and of as many other rows
    as secondary suppression needs; citizen-count cells of 1-4 hidden on their own too. Adds the
    column `suppressed`: "<5" for a row behind 1-4 citizens, "–" for one hidden to protect it."""
    rule = rule or Rule()
    out = df.copy()
    if BASIS not in out.columns:
        raise MissingBasis("Tabellen har ingen kolonne 'citizens' at undertrykke små tal efter.")
    counts = pd.to_numeric(out[BASIS], errors="coerce").fillna(0)
    keys = set(rule.keys) | KEY_COLUMNS | {c for m in rule.margins for c in m}
    measures = [
        c
        for c in out.columns
        if c not in keys
        and c not in NOT_CITIZEN_DERIVED
        and pd.api.types.is_numeric_dtype(out[c])
        and not pd.api.types.is_bool_dtype(out[c])
    ]
    groups = [g for m in rule.margins for g in _groups(out, m)]

    primary = {i for i in out.index if small(counts[i])}
    rows = secondary(counts, primary, groups)

    # Sub-counts of citizens (e.g. botilbud_citizens) in rows that stay visible.
    cells: dict[str, set] = {}
    for col in measures:
        if col == BASIS or not is_count_column(col):
            continue
        sub = pd.to_numeric(out[col], errors="coerce").fillna(0)
        own = {i for i in out.index if i not in rows and small(sub[i])}
        if own:
            cells[col] = secondary(sub, own | rows, groups) - rows

    for col in measures:
        hide = rows | cells.get(col, set())
        if hide:
            out[col] = out[col].astype("float64")
            out.loc[list(hide), col] = float("nan")
    out[MARKER] = [SMALL if i in primary else DASH if i in rows else "" for i in out.index]
    return out


# ---------------------------------------------------------------- KPI values


def _hide(unit: str) -> object:
    return SUPPRESSED if unit == "count" else None


def kpi_value(key: str, value: object, basis: object) -> object:
    """One KPI value as a suppressing role sees it, given its citizen basis (metrics.citizen_basis)."""
    unit = metrics.REGISTRY[key].unit
    if basis is None or value is None:
        return value
    if basis == metrics.VALUE:
        return SUPPRESSED if small(value) else value
    if isinstance(basis, int):
        if small(basis) or (unit == "count" and small(value)):
            return _hide(unit)
        return value
    if isinstance(basis, dict) and isinstance(value, dict):
        if key == "staircase_distribution":
            counts = pd.Series(basis, dtype="float64")
            hidden = secondary(counts, {k for k, n in basis.items() if small(n)}, [list(basis)])
        else:
            hidden = {k for k, n in basis.items() if small(n)}
        return {k: (None if k in hidden else v) for k, v in value.items()}
    return value


def kpi_values(values: Mapping[str, object], basis: Mapping[str, object]) -> dict:
    """KPI values (metrics.compute) with small numbers hidden; `basis` must cover every KPI (so the
    actuals inside target_status follow their own KPI's rule)."""
    out = {}
    for key, value in values.items():
        if basis.get(key) == metrics.DERIVED and isinstance(value, dict):
            status = {}
            for target_key, entry in value.items():
                actual = kpi_value(target_key, entry.get("actual"), basis.get(target_key))
                hidden = actual is None or actual is SUPPRESSED
                if hidden and entry.get("actual") is not None:
                    status[target_key] = {**entry, "actual": actual, "status": None}
                else:
                    status[target_key] = entry
            out[key] = status
        else:
            out[key] = kpi_value(key, value, basis.get(key))
    return out
