"""The gateway pages use to get data: every call names a principal, and citizen-level queries are
refused for roles that may not see citizens (privacy is enforced here, not by hiding widgets)."""

from __future__ import annotations

import pandas as pd

from cockpit import db, kpis
from cockpit.auth import Principal
from cockpit.periods import Scope

# Queries that return rows about single citizens (or name them). Only CITIZEN_ROLES may run them.
CITIZEN_PREFIXES = ("list_", "detail_")


class AccessDenied(PermissionError):
    """The principal's role may not receive this data."""


def check(principal: Principal | None, name: str) -> None:
    """Refuse when nobody is logged in, or when a role without citizen access asks for citizen rows."""
    if principal is None:
        raise AccessDenied("Ingen bruger er logget ind.")
    if name.startswith(CITIZEN_PREFIXES) and not principal.sees_citizens:
        raise AccessDenied("Din rolle må ikke se oplysninger om enkelte borgere.")


def aggregate(
    principal: Principal | None, name: str, scope: Scope, url: str | None = None, **extra
) -> pd.DataFrame:
    """An aggregate query (no citizen rows) for the scope."""
    if name.startswith(CITIZEN_PREFIXES):
        raise AccessDenied(f"{name} er ikke en aggregeret forespørgsel.")
    check(principal, name)
    return db.query(name, {**scope.params(), **extra}, url)


def citizen_rows(
    principal: Principal | None, name: str, scope: Scope, url: str | None = None, **extra
) -> pd.DataFrame:
    """A citizen-level query; refused unless the principal's role may see citizens."""
    check(principal, name)
    if not principal.sees_citizens:
        raise AccessDenied("Din rolle må ikke se oplysninger om enkelte borgere.")
    return db.query(name, {**scope.params(), **extra}, url)


def kpi_values(
    principal: Principal | None, keys: list[str], scope: Scope, url: str | None = None
) -> dict:
    """KPI values for the scope (aggregates only)."""
    check(principal, "kpi")
    return kpis.compute(keys, scope, url)
