"""Computing registered KPIs for a scope from their queries' frames: each query runs once per
Computation and each value is memoised, so derived KPIs reuse their inputs. Pure: the frames come
from the `run(name, params)` function given (cockpit/metrics/__init__.py passes the cached
cockpit/cache.py run)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from cockpit.metrics.kpi import BASIS_QUERY, DERIVED, OFFER_TYPE, STAIRCASE, VALUE, Better, Value
from cockpit.periods import Scope

Run = Callable[[str, dict], pd.DataFrame]
ECON = "kpi_economy_by_offer_type"
STATUS_TOLERANCE = 0.05


class Computation:
    """Runs each query once per scope and memoises KPI values; with `offer_type`, the KPIs marked
    by_offer_type are computed on that offer type's rows only."""

    def __init__(
        self, scope: Scope, run: Run, registry: Mapping, offer_type: str | None = None
    ) -> None:
        self.scope = scope
        self.offer_type = offer_type
        self._run = run
        self._registry = registry
        self._frames: dict[str, pd.DataFrame] = {}
        self._values: dict[str, Value] = {}

    def frame(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = self._run(name, self.scope.params())
        return self._frames[name]

    def of_type(self, name: str) -> pd.DataFrame:
        """A per-offer-type frame, cut to the Computation's offer type (all rows when None)."""
        df = self.frame(name)
        return df if self.offer_type is None else df[df["offer_type_code"] == self.offer_type]

    def value(self, key: str) -> Value:
        if key not in self._values:
            kpi = self._registry[key]
            if self.offer_type is not None and not kpi.by_offer_type:
                raise ValueError(f"{key} kan ikke opgøres for én indsatstype.")
            self._values[key] = kpi.compute(self)
        return self._values[key]


def clean(v: object) -> float | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    return float(v)


def first(query: str, column: str = "value") -> Callable[[Computation], Value]:
    def compute(c: Computation) -> Value:
        df = c.frame(query)
        return None if df.empty else clean(df[column].iloc[0])

    return compute


def dimension_share(
    query: str, dimension: str, numerator: str, denominator: str
) -> Callable[[Computation], Value]:
    """A share over one dimension's rows of a breakdown query (each unit counted once there):
    sum(numerator) / sum(denominator); None when there is nothing to count."""

    def compute(c: Computation) -> Value:
        df = c.frame(query)
        rows = df[df["dimension"] == dimension]
        return ratio(clean(rows[numerator].sum(min_count=1)), clean(rows[denominator].sum()))

    return compute


def econ_total(column: str) -> Callable[[Computation], Value]:
    def compute(c: Computation) -> Value:
        return clean(c.of_type(ECON)[column].sum(min_count=1))

    return compute


def ratio(numerator: Value, denominator: Value, factor: float = 1.0) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator * factor


def population(c: Computation) -> float | None:
    """18-64-year-olds, or all inhabitants when the age split is missing."""
    df = c.frame("kpi_population")
    if df.empty:
        return None
    return clean(df["persons_18_64"].iloc[0]) or clean(df["persons_all"].iloc[0])


def by_key(query: str) -> Callable[[Computation], dict]:
    def compute(c: Computation) -> dict:
        df = c.frame(query)
        return {str(k): clean(v) for k, v in zip(df["key"], df["value"], strict=True)}

    return compute


def staircase(c: Computation) -> dict:
    df = c.frame("kpi_staircase")
    total = df["citizens"].sum()
    return {
        str(int(s)): ratio(float(n), total) for s, n in zip(df["step"], df["citizens"], strict=True)
    }


def botilbud_share(c: Computation) -> Value:
    df = c.frame("kpi_staircase")
    return ratio(clean(df["botilbud_citizens"].sum()), df["citizens"].sum())


def difference(a: str, b: str) -> Callable[[Computation], Value]:
    def compute(c: Computation) -> Value:
        x, y = c.value(a), c.value(b)
        return None if x is None or y is None else x - y

    return compute


def status(actual: float | None, target: float, better: Better) -> str | None:
    """green when the target is met in the KPI's better direction, yellow when missed by at most
    5 % of the target, red otherwise; None when there is no actual value to judge."""
    if actual is None:
        return None
    close = abs(actual - target) <= STATUS_TOLERANCE * abs(target)
    if better == "up":
        met = actual >= target
    elif better == "down":
        met = actual <= target
    else:
        met = close
    if met:
        return "green"
    return "yellow" if close else "red"


def target_status(c: Computation) -> dict:
    out = {}
    for row in c.frame("kpi_strategy_targets").itertuples():
        kpi = c._registry.get(row.kpi_key)
        if kpi is None or kpi.unit == "status":
            continue
        actual = c.value(kpi.key)
        if isinstance(actual, dict):
            continue
        target = float(row.target_value)
        out[kpi.key] = {
            "actual": actual,
            "target": target,
            "status": status(actual, target, kpi.better),
        }
    return out


def citizen_basis(keys: Iterable[str], c: Computation) -> dict:
    """Per KPI key: the number of citizens behind its value (an int), a dict of them per offer type
    or staircase step, VALUE (the value is the count), DERIVED, or None (no citizens behind it)."""
    out: dict = {}
    for key in keys:
        basis = c._registry[key].citizen_basis
        if basis == OFFER_TYPE:
            df = c.frame("basis_offer_type_citizens")
            out[key] = {
                str(k): int(n) for k, n in zip(df["offer_type_code"], df["citizens"], strict=True)
            }
        elif basis == STAIRCASE:
            df = c.frame("kpi_staircase")
            steps = {str(int(s)): int(n) for s, n in zip(df["step"], df["citizens"], strict=True)}
            if key == "staircase_distribution":
                out[key] = steps
            else:
                # A share of citizens in botilbud also reveals a small number in the numerator.
                botilbud = int(df["botilbud_citizens"].sum())
                out[key] = min(sum(steps.values()), botilbud) if botilbud else sum(steps.values())
        elif basis is None or basis in (VALUE, DERIVED):
            out[key] = basis
        else:
            out[key] = int(c.frame(BASIS_QUERY)[basis].iloc[0])
    return out
