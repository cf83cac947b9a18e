"""Metrics: the KPI registry (cockpit/metrics/registry.py, each KPI defined once) and its
computation (cockpit/metrics/compute.py) over the cached queries of cockpit/cache.py."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from cockpit import cache, periods
from cockpit.metrics.compute import ECON, Computation, citizen_basis, status
from cockpit.metrics.kpi import DERIVED, OFFER_TYPE, STAIRCASE, VALUE, Kpi, Measure, Value
from cockpit.metrics.registry import HEADLINE, KPIS, MEASURES, REGISTRY
from cockpit.periods import Scope

__all__ = [
    "DERIVED",
    "ECON",
    "HEADLINE",
    "KPIS",
    "MEASURES",
    "OFFER_TYPE",
    "REGISTRY",
    "STAIRCASE",
    "VALUE",
    "Computation",
    "Kpi",
    "Measure",
    "citizen_basis",
    "computation",
    "compute",
    "default_as_of",
    "status",
]


def computation(
    scope: Scope,
    url: str | None = None,
    generation: str | None = None,
    offer_type: str | None = None,
) -> Computation:
    """A Computation for the scope whose queries run through the process cache."""

    def run(name: str, params: dict):
        return cache.run(name, params, url, generation)

    return Computation(scope, run, REGISTRY, offer_type)


def compute(
    keys: Iterable[str] | None,
    scope: Scope,
    url: str | None = None,
    *,
    offer_type: str | None = None,
) -> dict[str, Value]:
    """The value of each KPI key for the scope (all keys when `keys` is None); with `offer_type`,
    the by_offer_type KPIs for that offer type only."""
    c = computation(scope, url, offer_type=offer_type)
    return {key: c.value(key) for key in (keys if keys is not None else REGISTRY)}


def default_as_of(municipality: int, year: int, url: str | None = None) -> date:
    """The latest posting date of the year; 31 December for a closed year or one without postings."""
    params = {"municipality": municipality, "year": year}
    return periods.default_as_of(cache.run("scope_latest_posting", params, url), year)
