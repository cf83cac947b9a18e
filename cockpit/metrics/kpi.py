"""What a registered figure is: a KPI of the catalogue (cockpit/metrics/registry.py), or a measure
shown beside the KPIs (same label, unit and definition, but not part of `kpis --json`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Unit = Literal["kr.", "share", "count", "dage", "per 1.000", "status"]
Better = Literal["up", "down"] | None
Value = float | int | dict | None

# A KPI's citizen basis (how many citizens lie behind its value, for small-number suppression in
# cockpit/suppress.py): a column of queries/basis_kpi_citizens.sql, or one of these; None when no
# citizen lies behind the number (the budget).
VALUE = "=value"  # the value is itself a count of citizens (or of their grants, decisions, ...)
OFFER_TYPE = "=offer_type"  # keyed by offer type: basis_offer_type_citizens per offer type
STAIRCASE = "=staircase"  # keyed by staircase step: kpi_staircase's citizens per step
DERIVED = "=derived"  # target_status: follows the KPI each target is set on
BASIS_QUERY = "basis_kpi_citizens"

# How a value of each unit is stored in a table and in Excel (cockpit/downloads.py UNITS).
COLUMN_FORMATS = {
    "kr.": "mio",
    "share": "share",
    "count": "count",
    "dage": "decimal",
    "per 1.000": "decimal",
    "status": "text",
}


@dataclass(frozen=True, kw_only=True)
class Kpi:
    """One key figure of the catalogue, defined once: what users read (label, unit, definition,
    better), where it comes from (query, needs: the contract tables it requires), who lies behind
    it (citizen_basis) and how a table shows it (format)."""

    key: str
    label: str
    unit: Unit
    definition: str
    better: Better
    query: str
    citizen_basis: str | None
    needs: tuple[str, ...]
    section: str
    compute: Callable[[Any], Value] = field(repr=False, compare=False)
    by_offer_type: bool = False  # computable for one offer type (Computation(offer_type=...))
    format: str = ""

    def __post_init__(self) -> None:
        if not self.format:
            object.__setattr__(self, "format", COLUMN_FORMATS[self.unit])


@dataclass(frozen=True, kw_only=True)
class Measure:
    """A figure shown beside the KPIs (a metric's label, unit and help text) that is not itself a
    catalogue KPI, e.g. growth against last year's accounts or one citizen's monthly price."""

    key: str
    label: str
    unit: Unit
    definition: str
    better: Better = None
