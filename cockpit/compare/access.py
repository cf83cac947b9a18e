"""The page's way to the comparison: the gateway's principal check, then one cached comparison per
database version, scope and role kind (own small numbers hidden or not; other municipalities'
always are). The grouped frames behind it are cached per window, so every municipality shares them. Fetched public figures come from the state store, uncached."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import data, db, state, ui
from cockpit.compare import public, report
from cockpit.periods import Scope


@st.cache_data(ttl=600, show_spinner=False)
def _grouped(url: str, generation: str, year: int, as_of) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Every municipality's totals for the window: shared by all municipalities and roles.
    return report.frames(Scope(0, year, as_of), url)


@st.cache_data(ttl=600, show_spinner=False)
def _comparison(url: str, generation: str, scope: Scope, hide_own: bool) -> report.Comparison:
    grouped = _grouped(url, generation, scope.year, scope.as_of)
    return report.build(scope, url, hide_own=hide_own, grouped=grouped)


def comparison(scope: Scope) -> report.Comparison | None:
    """The comparison as the logged-in role may see it; None for a municipality that is not one
    of the 98 (and has no twin), which has no structural peers."""
    who = ui.principal()
    data.check(who, "compare_totals")
    url = ui.url()
    try:
        return _comparison(url, db.generation(url), scope, who.suppress_small_numbers)
    except KeyError:
        return None


def hides_small() -> bool:
    who = ui.principal()
    return who is None or who.suppress_small_numbers


def public_figures(scope: Scope) -> pd.DataFrame:
    """Fetched REGK31 figures (empty when none are fetched or the store cannot be read)."""
    data.check(ui.principal(), "public_spending_latest")
    try:
        return public.latest_spending(scope.year)
    except state.StateUnavailable:
        return pd.DataFrame()
