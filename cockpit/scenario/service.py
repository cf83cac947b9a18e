"""Running a scenario for a scope: the queries it needs, the projection, and what each role may see
of it: the access gateway's check and its small-number suppression (cockpit/access/gateway.py,
cockpit/suppress.py) applied to the result. The page's queries run through the process cache
(cockpit/cache.py) keyed by the gateway's database generation; the CLI runs them directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from cockpit import cache, db, suppress
from cockpit.access.gateway import AccessDenied, Gateway, check
from cockpit.periods import Scope
from cockpit.scenario import accuracy, projection
from cockpit.scenario.levers import LeverError, Levers

Fetch = Callable[[str, dict, str | None], pd.DataFrame]
# Roles that may make (and save) scenarios; politicians see the saved ones.
MAKERS = frozenset({"direktoer", "leder"})
VIEWERS = frozenset({"politiker", "direktoer", "leder"})
RESULT = "scenario_result"  # the name the gateway's check and the audit log know the result by


def _fetch(name: str, params: dict, url: str | None) -> pd.DataFrame:
    return db.query(name, params, url)


def params(scope: Scope, levers: Levers) -> dict:
    start, end = projection.flow_window(scope.as_of)
    return {**scope.params(), "flow_start": start, "flow_end": end, "signals": levers.signals}


def inputs(scope: Scope, levers: Levers, url: str | None = None, fetch: Fetch = _fetch):
    """Every query frame the projection needs, for the scope."""
    p = params(scope, levers)
    return projection.Inputs(
        economy=fetch("kpi_economy_by_offer_type", p, url),
        active=fetch("scenario_active_by_type", p, url),
        fixed=fetch("scenario_fixed_by_year", p, url),
        flows=fetch("scenario_flows_by_type", p, url),
        budget=fetch("scenario_budget_by_year", p, url),
        signals=fetch("scenario_signal_savings", p, url) if levers.signals else pd.DataFrame(),
    )


@dataclass(frozen=True)
class Outcome:
    years: pd.DataFrame  # per year: baseline, scenario, difference, budget (as the role may see)
    effects: pd.DataFrame  # per lever and year: effect_dkk (empty when hidden for the role)
    hidden_levers: bool  # the levers rest on 1-4 citizens and are hidden for the role


def compute(scope: Scope, levers: Levers, url: str | None = None, fetch: Fetch = _fetch):
    """The unsuppressed result (the CLI's numbers): projection.project and the lever effects."""
    ins = inputs(scope, levers, url, fetch)
    levers.check(set(ins.economy["offer_type_code"].astype(str)))
    return ins, projection.project(ins, scope, levers), projection.lever_effects(ins, scope, levers)


def _lever_basis(ins: projection.Inputs, levers: Levers) -> list[int]:
    """The citizens behind each number a lever is priced from."""
    active = dict(zip(ins.active["offer_type_code"], ins.active["citizens"], strict=True))
    flows = dict(zip(ins.flows["offer_type_code"], ins.flows["citizens"], strict=True))
    counts = [int(active.get(c, 0)) for m in levers.moves for c in (m.source, m.target)]
    counts += [int(active.get(c, 0)) for c in levers.price_pct]
    counts += [int(flows.get(c, 0)) for c in levers.inflow_pct]
    if levers.youth_type and levers.youth_per_year:
        counts.append(int(flows.get(levers.youth_type, 0)))
    if levers.signals and len(ins.signals):
        counts.append(int(ins.signals["citizens"].iloc[0]))
    return counts


def _cached(gw: Gateway) -> Fetch:
    """The gateway's query runner: its test runner, else the process cache at its generation."""
    if gw.run is not None:
        return gw.run
    return lambda name, params, url: cache.run(name, params, url, gw.generation)


def run(gw: Gateway, scope: Scope, levers: Levers) -> Outcome:
    """The scenario as the gateway's principal may see it. Directors, leaders and politicians
    (VIEWERS) see scenarios; only MAKERS make them (the page offers levers to them alone). For
    roles without citizen access: the years are hidden when the baseline rests on 1-4 citizens,
    and scenario and difference when a lever is priced from 1-4 citizens (a median of one or two
    prices would give them away)."""
    check(gw.principal, RESULT)
    if gw.principal.role not in VIEWERS:
        raise AccessDenied("Din rolle har ikke adgang til scenarier.")
    ins, years, effects = compute(scope, levers, gw.url, _cached(gw))
    years = years.assign(citizens=int(ins.active["citizens"].sum()))
    years = gw.protect(RESULT, years, scope)
    hidden = gw.principal.suppress_small_numbers and any(
        suppress.small(n) for n in _lever_basis(ins, levers)
    )
    if hidden:
        years = years.assign(scenario_dkk=float("nan"), difference_dkk=float("nan"))
        effects = effects.iloc[0:0]
    years = years.drop(columns=[c for c in ("citizens", suppress.MARKER) if c in years.columns])
    return Outcome(years, effects, hidden)


def accuracy_by_month(gw: Gateway, scope: Scope) -> tuple[pd.DataFrame, bool]:
    """MAPE by month of knowledge over the closed years (accuracy.mape_by_month), computed from
    the closed years the role may see (suppressed years are left out), and whether any closed
    year was left out for the role."""
    frame = gw.aggregate("scenario_accuracy", scope)
    shown = frame.dropna(subset=["forecast_dkk", "actual_dkk"])
    return accuracy.mape_by_month(shown), len(shown) < len(frame)


__all__ = ["LeverError", "Outcome", "accuracy_by_month", "compute", "inputs", "run"]
