"""Saved scenarios in the cockpit's own state store (cockpit/state.py; migration
010_scenarios.sql, statements queries/state/scenario_*.sql): saved by directors and leaders,
listed and reopened by everyone who sees scenarios, deleted only by their author."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd

from cockpit import state
from cockpit.access.gateway import AccessDenied, check
from cockpit.auth import Principal
from cockpit.periods import Scope
from cockpit.scenario.levers import LeverError, Levers
from cockpit.scenario.service import MAKERS, VIEWERS

MAX_NAME = 200
_ID = re.compile(r"^[0-9a-f]{12}$")


@dataclass(frozen=True)
class Saved:
    scenario_id: str
    municipality: int
    name: str
    author: str
    levers: Levers
    made_for_year: int
    made_for_as_of: date
    created_at: datetime


def _may_see(principal: Principal | None) -> None:
    check(principal, "scenario_list")
    if principal.role not in VIEWERS:
        raise AccessDenied("Din rolle har ikke adgang til scenarier.")


def save(principal: Principal | None, scope: Scope, name: str, levers: Levers) -> str:
    """Save the levers under a name for the scope's municipality; returns the new scenario's id."""
    check(principal, "scenario_insert")
    if principal.role not in MAKERS:
        raise AccessDenied("Kun direktører og ledere kan gemme scenarier.")
    name = " ".join(str(name).split())
    if not name:
        raise LeverError("Giv scenariet et navn.")
    if len(name) > MAX_NAME:
        raise LeverError(f"Navnet må højst være {MAX_NAME} tegn.")
    if levers.empty:
        raise LeverError("Scenariet har ingen greb at gemme.")
    scenario_id = uuid.uuid4().hex[:12]
    state.execute(
        "scenario_insert",
        scenario_id=scenario_id,
        municipality_code=scope.municipality,
        scenario_name=name,
        author=principal.user,
        author_role=principal.role,
        levers=levers.to_json(),
        made_for_year=scope.year,
        made_for_as_of=scope.as_of.isoformat(),
        created_at=datetime.now(UTC).replace(tzinfo=None),
    )
    return scenario_id


def _saved(row: dict) -> Saved:
    return Saved(
        scenario_id=str(row["scenario_id"]),
        municipality=int(row["municipality_code"]),
        name=str(row["name"]),
        author=str(row["author"]),
        levers=Levers.from_json(row["levers"]),
        made_for_year=int(row["made_for_year"]),
        made_for_as_of=pd.Timestamp(row["made_for_as_of"]).date(),
        created_at=pd.Timestamp(row["created_at"]).to_pydatetime(),
    )


def listed(principal: Principal | None, municipality: int) -> list[Saved]:
    """The municipality's saved scenarios, newest first."""
    _may_see(principal)
    rows = state.rows("scenario_list", municipality_code=municipality)
    return [_saved({**r, "municipality_code": municipality}) for r in rows]


def get(principal: Principal | None, scenario_id: object, municipality: int) -> Saved | None:
    """One saved scenario of the municipality, or None for an unknown or malformed id (a bad URL
    value falls back to no scenario)."""
    _may_see(principal)
    text = str(scenario_id or "").strip().lower()
    if not _ID.match(text):
        return None
    rows = state.rows("scenario_get", scenario_id=text)
    if not rows or int(rows[0]["municipality_code"]) != municipality:
        return None
    try:
        return _saved(rows[0])
    except LeverError:
        return None


def delete(principal: Principal | None, scenario_id: str) -> bool:
    """Delete a scenario; only its author, as a director or leader, can (False for anyone else)."""
    _may_see(principal)
    if principal.role not in MAKERS:
        return False
    return state.execute("scenario_delete", scenario_id=scenario_id, author=principal.user) == 1
