"""The render's link to the data: who is logged in, which page runs, and the one access gateway
(cockpit/access/gateway.py) opened per render, so the database generation is read once. Every
read of the ui goes through it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cockpit.access.gateway import Gateway, open_for
from cockpit.auth import Principal
from cockpit.periods import Scope

PRINCIPAL = "principal"
AUDIT_SEEN = "_audit_seen"  # the session's memory of citizen views already logged
PAGE = "_page"  # the url_path of the page being run (set by cockpit/app.py)
_GATEWAY = "_gateway"


def principal() -> Principal | None:
    return st.session_state.get(PRINCIPAL)


def begin(page: str) -> Gateway:
    """Open this render's gateway (cockpit/app.py calls it before the frame and the page run)."""
    st.session_state[PAGE] = page
    gw = open_for(principal(), page=page, seen=st.session_state.setdefault(AUDIT_SEEN, {}))
    st.session_state[_GATEWAY] = gw
    return gw


def gateway() -> Gateway:
    gw = st.session_state.get(_GATEWAY)
    if gw is None or gw.principal is not principal():
        gw = begin(current_page())
    return gw


def current_page() -> str:
    """The url_path of the page being shown (for the audit log)."""
    return str(st.session_state.get(PAGE) or "ukendt")


def citizen_access() -> bool:
    """Whether the logged-in role may see rows about single citizens."""
    who = principal()
    return who is not None and who.sees_citizens


def suppresses() -> bool:
    """Whether small numbers are hidden for the logged-in role."""
    who = principal()
    return who is None or who.suppress_small_numbers


def aggregate(name: str, scope: Scope, **extra) -> pd.DataFrame:
    """An aggregate query through the gateway; small numbers suppressed as the role requires."""
    return gateway().aggregate(name, scope, **extra)


def kpi_values(keys: list[str], scope: Scope, offer_type: str | None = None) -> dict:
    """Registry KPI values through the gateway (for one offer type when given); small numbers
    suppressed for roles without citizen access (fmt.SUPPRESSED shows "<5", None "–")."""
    return gateway().kpi_values(keys, scope, offer_type)


def citizen_rows(
    name: str, scope: Scope, *, citizen: str | None = None, filters: dict | None = None, **extra
) -> pd.DataFrame:
    """Rows about single citizens (list_* / detail_*) through the gateway: refused
    (AccessDenied) for roles without citizen access; every view is written to the audit log
    before rows come back."""
    return gateway().citizen_rows(name, scope, citizen=citizen, filters=filters, **extra)


def offer_types() -> pd.DataFrame:
    """The offer_type table (code, name, paragraph, account function, category, step)."""
    return gateway().offer_types()


def offer_type_names() -> dict[str, str]:
    types = offer_types()
    return dict(zip(types["offer_type_code"], types["name"], strict=True))


def scope_options() -> pd.DataFrame:
    return gateway().scope_options()


def years_with_data(municipality: int) -> list[int]:
    """The years the municipality has expenses in (the scope picker's years)."""
    options = scope_options()
    return sorted(options.loc[options["municipality_code"] == municipality, "year"].astype(int))


def _per_render(key: tuple, build):
    """A value computed once per render (the gateway lives one render)."""
    memo = gateway().render_memo
    if key not in memo:
        memo[key] = build()
    return memo[key]


def municipality_name(municipality: int) -> str:
    def build() -> str:
        options = scope_options()
        names = options.loc[options["municipality_code"] == municipality, "name"]
        return f"{names.iloc[0]} ({municipality})" if len(names) else str(municipality)

    return _per_render(("municipality_name", municipality), build)


def import_gap_rows(scope: Scope) -> pd.DataFrame:
    """What the last source import could not link, per source (Datagrundlag)."""
    return gateway().import_gaps(scope.municipality)


def data_load_rows(scope: Scope) -> pd.DataFrame:
    """When each table was loaded for the municipality."""
    return gateway().data_load(scope.municipality)


def data_date(scope: Scope) -> date | None:
    """The newest data date loaded for the municipality (shown on exports)."""

    def build() -> date | None:
        loads = data_load_rows(scope)
        newest = pd.to_datetime(loads["data_date"]).max() if not loads.empty else pd.NaT
        return None if pd.isna(newest) else newest.date()

    return _per_render(("data_date", scope.municipality), build)


def missing_tables(scope: Scope, needs: tuple[str, ...]) -> list[str]:
    """The tables in `needs` the municipality has not loaded, when the load status says what was
    loaded (no load status at all: nothing is reported missing)."""

    def build() -> set[str] | None:
        loads = data_load_rows(scope)
        if loads.empty:
            return None
        return {t for t, n in zip(loads["table_name"], loads["row_count"], strict=True) if n}

    loaded = _per_render(("loaded", scope.municipality), build)
    return [] if loaded is None else [t for t in needs if t not in loaded]
