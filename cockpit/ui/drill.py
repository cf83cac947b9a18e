"""Drill-down: from a summary to an offer or a citizen and back, with the scope in the URL; the
shared citizen list (click a row to open the citizen, download the list in Excel) and the onward
links from a summary to the pages behind it."""

from __future__ import annotations

import re
from functools import partial

import pandas as pd
import streamlit as st

from cockpit import downloads
from cockpit.navigation import PAGES, PageSpec, pages_for
from cockpit.periods import Scope
from cockpit.ui import session
from cockpit.ui.widgets import XLSX_MIME, logged_download, pick_row
from cockpit.views.columns import Spec

DRILL_STACK = "_drill_stack"  # where the user drilled in from: [(url_path, query params), ...]


def scope_query(scope: Scope) -> dict[str, str]:
    """The scope as the URL's query parameters (kommune, aar, dato)."""
    return {
        "kommune": str(scope.municipality),
        "aar": str(scope.year),
        "dato": scope.as_of.isoformat(),
    }


def _page(url_path: str) -> PageSpec:
    return next(p for p in PAGES if p.url_path == url_path)


def open_page(
    url_path: str,
    scope: Scope,
    origin: str,
    origin_params: dict | None = None,
    origin_label: str | None = None,
    **params,
) -> None:
    """Switch to another page (e.g. tilbud, borger) with the scope and `params` in the URL, and
    remember where the user came from (page, its parameters, a label) for back_button."""
    stack = st.session_state.setdefault(DRILL_STACK, [])
    entry = (origin, {k: str(v) for k, v in (origin_params or {}).items()}, origin_label)
    if not stack or stack[-1][:2] != entry[:2]:
        stack.append(entry)
    del stack[:-10]
    st.switch_page(_page(url_path).path, query_params={**scope_query(scope), **params})


def open_offer(
    offer_id: str, scope: Scope, origin: str, origin_label: str | None = None, **origin_params
) -> None:
    """Drill down to the offer page (?tilbud=OFFER_ID)."""
    open_page("tilbud", scope, origin, origin_params, origin_label, tilbud=str(offer_id))


def open_citizen(
    citizen_id: str, scope: Scope, origin: str, origin_label: str | None = None, **origin_params
) -> None:
    """Drill down to the citizen page (?borger=CITIZEN_ID)."""
    open_page("borger", scope, origin, origin_params, origin_label, borger=str(citizen_id))


def back_button(scope: Scope, here: str, **here_params) -> None:
    """A button back to the page the user drilled in from (nothing when they came another way)."""
    stack = st.session_state.get(DRILL_STACK, [])
    current = (here, {k: str(v) for k, v in here_params.items()})
    while stack and stack[-1][:2] == current:
        stack.pop()
    if not stack:
        return
    origin, params, origin_label = stack[-1]
    spec = _page(origin)
    if st.button(
        f"Tilbage til {origin_label or spec.title}", icon=":material/arrow_back:", key="_back"
    ):
        stack.pop()
        st.switch_page(spec.path, query_params={**scope_query(scope), **params})


def onward_links(scope: Scope, links: list[tuple[str, str]]) -> None:
    """Links from a summary to the pages behind it (url_path, label), only those the role may
    open, keeping the scope in the URL."""
    p = session.principal()
    allowed = {spec.url_path for spec in pages_for(p.role)} if p else set()
    shown = [(path, label) for path, label in links if path in allowed]
    if not shown:
        return
    cols = st.columns(len(shown))
    for col, (path, label) in zip(cols, shown, strict=True):
        spec = _page(path)
        col.page_link(spec.path, label=label, icon=spec.icon, query_params=scope_query(scope))


def citizen_list_download(rows: pd.DataFrame, spec: Spec, scope: Scope) -> None:
    """A "Hent listen i Excel" button for a citizen list: the file (the spec's columns, numbers as
    numbers) is built on click, after the export is written to the audit log with the citizens in
    `rows`."""
    t = spec.table(rows)
    stem = re.sub(r"[^a-z0-9]+", "_", t.title.lower().translate(str.maketrans("æøå", "eoa")))
    logged_download(
        "Hent listen i Excel",
        partial(downloads.table_xlsx, t, scope, session.data_date(scope)),
        f"{stem.strip('_')}_{scope.municipality}_{scope.as_of.isoformat()}.xlsx",
        frame=rows,
        scope=scope,
        mime=XLSX_MIME,
        key=f"_xlsx_{stem}",
    )


def citizen_list(
    rows: pd.DataFrame,
    spec: Spec,
    scope: Scope,
    *,
    origin: str,
    key: str,
    empty: str,
    hint: str = "Klik på en række for at se borgeren.",
    widths: dict[str, int] | None = None,
) -> None:
    """A list of citizens (the spec's screen columns): a success note when it is empty; otherwise
    a hint, the table (a click opens the citizen) and its Excel download."""
    if rows.empty:
        st.success(empty)
        return
    st.caption(hint)
    row = pick_row(spec.shown(rows), key=key, widths=widths)
    citizen_list_download(rows, spec, scope)
    if row is not None and isinstance(rows["citizen_id"].iloc[row], str):
        open_citizen(rows["citizen_id"].iloc[row], scope, origin)
