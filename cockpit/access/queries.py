"""What the gateway must know about each query, in one place: whether it returns rows about single
citizens, whether citizens lie behind its rows at all, the groups its secondary suppression
protects, and the basis query that says how many citizens lie behind each row when the query does
not carry a `citizens` column itself."""

from __future__ import annotations

import pandas as pd

from cockpit.suppress import Rule

# Queries that return rows about single citizens (or name them). Only roles with citizen access
# may run them.
CITIZEN_PREFIXES = ("list_", "detail_")

# Queries with several rows but no citizen behind them (choices, load status, targets).
NO_CITIZENS = frozenset(
    {
        "scope_options",
        "scope_latest_posting",
        "data_load_status",
        "import_gaps",  # counts of records; Datagrundlag shows 1-4 as "<5" (views/quality.py)
        "kpi_strategy_targets",
        "econ_offer_types",
        "market_offer_keys",  # offers' Tilbudsportalen keys (issue 18)
        "market_portal_offers",  # published rate ranges (issue 18)
    }
)

# Frames whose suppression margins are not the default (the whole frame, or per `dimension`).
RULES: dict[str, Rule] = {
    "social_decisions_by_month": Rule(margins=(("month",), ("kind",), ())),
    # Spend tables suppressed as one linked cube (cockpit/cube.py): no per-table secondary rule.
    "econ_spend_by_owner#cells": Rule(margins=()),
    "econ_spend_by_provider#cells": Rule(margins=()),
}

# Breakdown queries without a citizens column of their own: the basis query that gives it, and
# the key to join on.
BASIS_QUERIES: dict[str, tuple[str, str]] = {
    "kpi_economy_by_offer_type": ("basis_offer_type_citizens", "offer_type_code"),
}


def citizen_level(name: str) -> bool:
    return name.startswith(CITIZEN_PREFIXES)


def rule_for(name: str, df: pd.DataFrame) -> Rule:
    """The suppression groups of a query's frame."""
    if name in RULES:
        return RULES[name]
    if "dimension" in df.columns:
        return Rule(margins=(("dimension",),))
    return Rule()
