"""The multi-year budget projection (Hvad nu hvis): the baseline for the scope year Y and the three
overslagsår Y+1..Y+3, and the effect of each scenario lever on top of it. Pure functions of the
query frames (queries/scenario_*.sql and kpi_economy_by_offer_type); the definitions are written
out in docs/scenarier.md.

Model time runs in whole months after the reference month: k = 1 is the month after the month of
the reference date d. Year Y is today's forecast_year_end; the model adds to it only the levers.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from cockpit.periods import Scope
from cockpit.scenario.levers import LeverError, Levers

HORIZON = 3  # overslagsår after the scope year
FLOW_MONTHS = 36


@dataclass(frozen=True)
class Inputs:
    """The query frames a projection is computed from (one scope)."""

    economy: pd.DataFrame  # kpi_economy_by_offer_type
    active: pd.DataFrame  # scenario_active_by_type
    fixed: pd.DataFrame  # scenario_fixed_by_year
    flows: pd.DataFrame  # scenario_flows_by_type
    budget: pd.DataFrame  # scenario_budget_by_year
    signals: pd.DataFrame  # scenario_signal_savings (one row; empty when no signal lever)


# ---------------------------------------------------------------- calendar


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def add_months(first: date, n: int) -> date:
    """The first day of the month n months after `first`'s month."""
    months = first.year * 12 + first.month - 1 + n
    return date(months // 12, months % 12 + 1, 1)


def flow_window(as_of: date) -> tuple[date, date]:
    """The 36 whole months up to d: the last one ends on d when d is a month end, else it is the
    month before d's month. Returns (first day of the first, last day of the last)."""
    last = as_of if as_of == month_end(as_of) else as_of.replace(day=1) - timedelta(days=1)
    return add_months(last.replace(day=1), -(FLOW_MONTHS - 1)), last


def lever_start(as_of: date) -> date:
    """When levers take effect by default: the first day of the month after the reference date."""
    return add_months(as_of.replace(day=1), 1)


def model_months(scope: Scope) -> list[tuple[int, date]]:
    """(k, first day) for every month after the reference month up to December Y+3."""
    first = lever_start(scope.as_of)
    out, k = [], 1
    while first.year <= scope.year + HORIZON:
        out.append((k, first))
        first, k = add_months(first, 1), k + 1
    return out


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


# ---------------------------------------------------------------- baseline


def _by_code(frame: pd.DataFrame, column: str) -> dict[str, float]:
    return {
        str(c): (0.0 if pd.isna(v) else float(v))
        for c, v in zip(frame["offer_type_code"], frame[column], strict=True)
    }


def _survival(rate: float, k: int) -> float:
    return (1.0 - rate) ** k


def _inflow_factor(rate: float, k: int) -> float:
    """Σ_{j=1..k} (1 - r)^(k - j): the cohorts that entered in months 1..k still there in month k."""
    return sum((1.0 - rate) ** (k - j) for j in range(1, k + 1))


def baseline_parts(inputs: Inputs, scope: Scope) -> pd.DataFrame:
    """Per offer type and year: the baseline's parts without price index. Year Y: `forecast`
    (forecast_year_end). Years Y+1..Y+3: `fixed` (grants with an end date), `open` (open-ended
    grants thinned by the outflow rate), `inflow` (new grants), `other` (spend without a grant)."""
    y = scope.year
    forecast = _by_code(inputs.economy, "forecast_dkk")
    open_monthly = _by_code(inputs.active, "open_monthly_dkk")
    other_ytd = _by_code(inputs.active, "other_ytd_dkk")
    rate = _by_code(inputs.flows, "outflow_rate")
    per_month = _by_code(inputs.flows, "inflow_per_month")
    new_price = _by_code(inputs.flows, "new_median_monthly_price")
    fixed = {
        (str(c), int(yr)): float(v)
        for c, yr, v in zip(
            inputs.fixed["offer_type_code"],
            inputs.fixed["year"],
            inputs.fixed["fixed_dkk"],
            strict=True,
        )
    }
    months = model_months(scope)
    codes = sorted(set(forecast) | set(open_monthly) | set(rate))
    rows = []
    for code in codes:
        rows.append({"offer_type_code": code, "year": y, "forecast": forecast.get(code, 0.0)})
        r = rate.get(code, 0.0)
        for year in range(y + 1, y + HORIZON + 1):
            ks = [k for k, first in months if first.year == year]
            rows.append(
                {
                    "offer_type_code": code,
                    "year": year,
                    "fixed": fixed.get((code, year), 0.0),
                    "open": open_monthly.get(code, 0.0) * sum(_survival(r, k) for k in ks),
                    "inflow": per_month.get(code, 0.0)
                    * new_price.get(code, 0.0)
                    * sum(_inflow_factor(r, k) for k in ks),
                    "other": other_ytd.get(code, 0.0) / scope.day_of_year * days_in_year(year),
                }
            )
    parts = pd.DataFrame(rows, columns=["offer_type_code", "year", "forecast", *PARTS])
    return parts.fillna(0.0)


PARTS = ("fixed", "open", "inflow", "other")


def index_factor(scope: Scope, year: int, index_pct: float) -> float:
    """Pris- og lønfremskrivning: (1 + i)^(year - Y); 1 for the scope year."""
    return (1.0 + index_pct / 100.0) ** (year - scope.year)


# ---------------------------------------------------------------- levers


def _months_from(scope: Scope, start: date) -> dict[int, float]:
    """Per year: the months (fractions for a start within a month) from `start` to Dec Y+3."""
    start = max(start, lever_start(scope.as_of))
    out: dict[int, float] = {y: 0.0 for y in years(scope)}
    for _k, first in model_months(scope):
        last = month_end(first)
        if last < start:
            continue
        days = (last - max(first, start)).days + 1
        out[first.year] += days / last.day
    return out


def years(scope: Scope) -> list[int]:
    return list(range(scope.year, scope.year + HORIZON + 1))


def _median(inputs: Inputs, code: str) -> float:
    row = inputs.active[inputs.active["offer_type_code"] == code]
    value = row["median_monthly_price"].iloc[0] if len(row) else None
    if value is None or pd.isna(value):
        raise LeverError(
            f"{code} har ingen aktive bevillinger på opgørelsesdatoen, så der er ingen typisk "
            "månedspris at regne med."
        )
    return float(value)


def _youth_price(inputs: Inputs, code: str) -> float:
    row = inputs.flows[inputs.flows["offer_type_code"] == code]
    value = row["new_median_monthly_price"].iloc[0] if len(row) else None
    if value is None or pd.isna(value):
        return _median(inputs, code)
    return float(value)


def lever_effects(inputs: Inputs, scope: Scope, levers: Levers) -> pd.DataFrame:
    """One row per lever and year: `effect_dkk` (scenario minus baseline, without price index;
    negative = saving) and a Danish `lever` label."""
    parts = baseline_parts(inputs, scope)
    ys = years(scope)
    rows: list[dict] = []

    def add(label: str, per_year: dict[int, float]) -> None:
        rows.extend({"lever": label, "year": y, "effect_dkk": per_year.get(y, 0.0)} for y in ys)

    default = lever_start(scope.as_of)
    for m in levers.moves:
        monthly = m.citizens * (_median(inputs, m.target) - _median(inputs, m.source))
        months = _months_from(scope, m.start or default)
        add(
            f"Flyt {m.citizens} fra {m.source} til {m.target}",
            {y: monthly * n for y, n in months.items()},
        )
    if levers.signals:
        saving = (
            float(inputs.signals["monthly_difference_dkk"].iloc[0]) if len(inputs.signals) else 0.0
        )
        months = _months_from(scope, default)
        add(
            f"Tilpasningssignaler, de {levers.signals} dyreste",
            {y: -saving * n for y, n in months.items()},
        )
    for code, q in sorted(levers.inflow_pct.items()):
        inflow = parts[parts["offer_type_code"] == code].set_index("year")["inflow"]
        add(f"Tilgang {code} {q:+g} %", {y: q / 100 * float(inflow.get(y, 0.0)) for y in ys})
    economy = inputs.economy.set_index("offer_type_code")
    for code, p in sorted(levers.price_pct.items()):
        of_type = parts[parts["offer_type_code"] == code].set_index("year")
        q = levers.inflow_pct.get(code, 0.0) / 100
        per_year = {}
        for y in ys:
            if y == scope.year:
                rest = float(economy["forecast_dkk"].get(code, 0.0)) - float(
                    economy["spend_ytd_dkk"].get(code, 0.0)
                )
                per_year[y] = p / 100 * rest
            else:
                row = of_type.loc[y]
                base = sum(float(row[c]) for c in PARTS) + q * float(row["inflow"])
                per_year[y] = p / 100 * base
        add(f"Pris {code} {p:+g} %", per_year)
    if levers.youth_per_year and levers.youth_type:
        price = _youth_price(inputs, levers.youth_type)
        per_year = {y: 0.0 for y in ys}
        for j, (_k, first) in enumerate(
            (km for km in model_months(scope) if km[1] >= default), start=1
        ):
            per_year[first.year] += levers.youth_per_year / 12 * j * price
        add(f"{levers.youth_per_year} 18-årige om året på {levers.youth_type}", per_year)
    return pd.DataFrame(rows, columns=["lever", "year", "effect_dkk"])


# ---------------------------------------------------------------- result


def budgets(inputs: Inputs, scope: Scope) -> pd.DataFrame:
    """Per year Y..Y+3: the corrected budget from the budget table, else Y's carried forward
    (`budget_source`: 'budget' or 'carried'; None when Y has no budget either)."""
    found = {
        int(y): float(v)
        for y, v in zip(inputs.budget["year"], inputs.budget["budget_dkk"], strict=True)
    }
    base = found.get(scope.year)
    rows = []
    for y in years(scope):
        if y in found:
            rows.append((y, found[y], "budget"))
        else:
            rows.append((y, base, "carried" if base is not None else None))
    return pd.DataFrame(rows, columns=["year", "budget_dkk", "budget_source"])


def project(inputs: Inputs, scope: Scope, levers: Levers) -> pd.DataFrame:
    """Per year Y..Y+3: baseline_dkk, scenario_dkk, difference_dkk (scenario − baseline),
    budget_dkk and budget_source. The price index applies to both from Y+1 on."""
    parts = baseline_parts(inputs, scope)
    parts["total"] = parts[["forecast", *PARTS]].sum(axis=1)
    base = parts.groupby("year")["total"].sum()
    effects = lever_effects(inputs, scope, levers).groupby("year")["effect_dkk"].sum()
    out = budgets(inputs, scope)
    factor = [index_factor(scope, y, levers.index_pct) for y in out["year"]]
    out.insert(
        1,
        "baseline_dkk",
        [float(base.get(y, 0.0)) * f for y, f in zip(out["year"], factor, strict=True)],
    )
    diff = [float(effects.get(y, 0.0)) * f for y, f in zip(out["year"], factor, strict=True)]
    out.insert(2, "scenario_dkk", out["baseline_dkk"] + diff)
    out.insert(3, "difference_dkk", diff)
    return out
