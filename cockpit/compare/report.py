"""One comparison of a municipality with its structural peers and the country, for the CLI and the
page: grouped queries over every municipality in the database (never the KPI computation once per
municipality), the demo's synthetic peers where the database has them, and the measures, split and
expected spend from measures.py. Peer cells are suppressed for every role; the municipality's own
values as its role requires (`hide_own`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from cockpit import db
from cockpit.compare import measures, peers
from cockpit.periods import Scope

Fetch = Callable[[str, dict, str | None], pd.DataFrame]
DATA = "data"  # source of a municipality's figures: the database's own rows


def _fetch(name: str, params: dict, url: str | None) -> pd.DataFrame:
    return db.query(name, params, url)


def frames(
    scope: Scope, url: str | None = None, fetch: Fetch = _fetch, synthetic: bool | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Totals and offer-type rows for every municipality in the database, plus the synthetic
    comparison municipalities where the database holds them (rows of a municipality with its own
    data win). Totals carry a `source` column."""
    params = scope.params()
    totals = fetch("compare_totals", params, url).assign(source=DATA)
    types = fetch("compare_offer_types", params, url)
    if synthetic is None:
        synthetic = db.has_table("peer_aggregate", url)
    if synthetic:
        s_tot = fetch("compare_synthetic_totals", params, url)
        s_types = fetch("compare_synthetic_offer_types", params, url)
        own = set(totals["municipality_code"])
        totals = pd.concat([totals, s_tot[~s_tot["municipality_code"].isin(own)]])
        types = pd.concat([types, s_types[~s_types["municipality_code"].isin(own)]])
    return totals.reset_index(drop=True), types.reset_index(drop=True)


def _num(v: object) -> float | None:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else v


@dataclass
class Comparison:
    scope: Scope
    peer_group: pd.DataFrame  # municipality_code, name, distance, features, source, in_data
    features: dict
    values: pd.DataFrame  # per municipality (index code): every measure, small numbers hidden
    summary: pd.DataFrame  # key, label, unit, value, peer_median, national, definition
    unit_cost: pd.DataFrame  # offer_type_code, value, peer_median, national
    split: dict
    expected: (
        pd.DataFrame
    )  # per offer type: full-year persons, national unit cost, expected, actual
    sources: dict[int, str] = field(default_factory=dict)

    @property
    def peers(self) -> list[int]:
        return [int(c) for c in self.peer_group["municipality_code"]]

    @property
    def expected_spend(self) -> float:
        return float(self.expected["expected_dkk"].sum())

    @property
    def actual_spend(self) -> float | None:
        return self.split.get("actual_spend_dkk")

    def to_json(self) -> dict:
        """The machine-readable comparison (python -m cockpit compare --json)."""
        measures_out = {
            row["key"]: {
                "value": _num(row["value"]),
                "peer_median": _num(row["peer_median"]),
                "national": _num(row["national"]),
            }
            for row in self.summary.to_dict("records")
        }
        measures_out["unit_cost"] = {
            row["offer_type_code"]: {
                "value": _num(row["value"]),
                "peer_median": _num(row["peer_median"]),
                "national": _num(row["national"]),
            }
            for row in self.unit_cost.to_dict("records")
        }
        actual, expected = self.actual_spend, self.expected_spend
        deviation = None if actual is None else actual - expected
        return {
            "municipality": self.scope.municipality,
            "year": self.scope.year,
            "as_of": self.scope.as_of.isoformat(),
            "features": self.features,
            "peers": self.peers,
            "peer_names": dict(zip(map(str, self.peers), self.peer_group["name"], strict=True)),
            "peer_sources": {str(c): self.sources.get(c) for c in self.peers},
            "expected_spend_dkk": expected,
            "actual_spend_dkk": actual,
            "expected_deviation_dkk": deviation,
            "expected_deviation_pct": (deviation / expected)
            if deviation is not None and expected
            else None,
            "split": {k: _num(v) for k, v in self.split.items()},
            "municipalities_compared": len(self.values),
            **measures_out,
        }


def build(
    scope: Scope,
    url: str | None = None,
    *,
    fetch: Fetch = _fetch,
    hide_own: bool = False,
    synthetic: bool | None = None,
    grouped: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> Comparison:
    """The comparison for the scope (see module docstring). `grouped` may pass in frames() for
    the scope's window, e.g. cached: they hold every municipality, so one fetch serves all."""
    totals, types = grouped if grouped is not None else frames(scope, url, fetch, synthetic)
    code = scope.municipality
    group = peers.peer_group(code, scope.year)
    present = set(totals["municipality_code"].astype(int))
    group["in_data"] = group["municipality_code"].isin(present)
    sources = dict(zip(totals["municipality_code"].astype(int), totals["source"], strict=True))
    group["source"] = group["municipality_code"].map(sources)
    peer_codes = [c for c in group["municipality_code"] if c in present]

    values = measures.per_municipality(totals, hide_small=True)
    if code in values.index and not hide_own:
        values.loc[code] = measures.per_municipality(
            totals[totals["municipality_code"] == code], False
        ).loc[code]
    national = measures.pooled(totals)
    peer_values = values.loc[values.index.isin(peer_codes)]
    own = values.loc[code] if code in values.index else pd.Series(dtype=float)
    summary = pd.DataFrame(
        [
            {
                "key": m.key,
                "label": m.label,
                "unit": m.unit,
                "value": own.get(m.key, float("nan")),
                "peer_median": measures.median(peer_values[m.key]),
                "national": national[m.key],
                "definition": m.definition,
            }
            for m in measures.MEASURES
        ]
    )

    days = scope.days_in_year
    costs = measures.unit_costs(types, days, hide_small=True)
    if not hide_own:
        own_costs = measures.unit_costs(types[types["municipality_code"] == code], days, False)
        costs = pd.concat([costs[costs["municipality_code"] != code], own_costs])
    nat_cost = measures.national_unit_costs(types, days)
    wide = costs.pivot_table(
        index="offer_type_code",
        columns="municipality_code",
        values="unit_cost",
        aggfunc="first",
        dropna=False,
    )
    unit_cost = pd.DataFrame({"offer_type_code": nat_cost.index})
    unit_cost["value"] = unit_cost["offer_type_code"].map(wide[code] if code in wide else {})
    peer_cols = [c for c in peer_codes if c in wide.columns]
    unit_cost["peer_median"] = unit_cost["offer_type_code"].map(
        wide[peer_cols].median(axis=1, skipna=True) if peer_cols else {}
    )
    unit_cost["national"] = measures.shown_unit_costs(types, days).values

    own_types = types[types["municipality_code"] == code]
    expected = measures.expected_spend(own_types, nat_cost, days)
    split: dict = {}
    own_total = totals[totals["municipality_code"] == code]
    if len(own_total):
        row = own_total.iloc[0]
        hidden = hide_own and measures.small(row["citizens_active"])
        if not hidden:
            split = measures.split(row, totals[totals["municipality_code"].isin(peer_codes)])
        split["actual_spend_dkk"] = float(row["spend_dkk"])
    return Comparison(
        scope=scope,
        peer_group=group,
        features=peers.own_features(code, scope.year),
        values=values,
        summary=summary,
        unit_cost=unit_cost,
        split=split,
        expected=expected,
        sources=sources,
    )
