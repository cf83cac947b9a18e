"""The worklists' Streamlit parts (pages call them as ui.worklist.*): the steering figures on Overblik and Strategi (no citizens), the
one-line link from the social pages, and the Arbejdslister page's list, editor and resolved items.

Notes are free text about a citizen: only the leder role reaches this page and its editor; they
are shown as plain text (a table cell, a text area, st.text), never as markdown or HTML, and never
exported or shown to another role."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import audit, navigation, state
from cockpit.access.gateway import open_for
from cockpit.periods import Scope
from cockpit.present import fmt
from cockpit.ui import session
from cockpit.ui.drill import scope_query
from cockpit.ui.frame import plain
from cockpit.worklist import items, service, store

KIND_PARAM = "liste"
PAGE = "arbejdsliste"
WITHIN_HELP = (
    "Andelen af arbejdslisternes punkter (tilpasningssignaler, dyre borgere, opfølgninger over "
    "tid, kontrakter til genforhandling og eksterne bevillinger uden kontrakt), der er handlet på, "
    "afvist med begrundelse eller løst i data senest 60 dage efter, at cockpittet viste dem. Tæller "
    "punkter, hvis 60 dage er gået, og dem, der er håndteret før."
)
REALISED_HELP = (
    "For tilpasningssignaler, der er løst i data (en ændrings- eller revisitationsafgørelse): "
    "bevillingens månedspris, før signalet blev løst, minus hvad borgeren får fra den og fra nye "
    "bevillinger bagefter. Summen over de løste signaler."
)


def _page_path():
    return next(p for p in navigation.PAGES if p.url_path == PAGE).path


def link(scope: Scope, kind: str) -> None:
    """One line on a social page: to the worklist of `kind` on the Arbejdslister page."""
    st.page_link(
        _page_path(),
        label=f"Arbejdsliste: {items.BY_KEY[kind].label}",
        icon=":material/checklist:",
        query_params={**scope_query(scope), KIND_PARAM: kind},
    )


def steering(scope: Scope, detailed: bool = False) -> None:
    """Share handled within 60 days and money realised a month, for every role (aggregates);
    `detailed` adds the median days to action and to resolution (roles that see citizens)."""
    st.subheader("Fra signal til handling")
    try:
        figures = service.steering(session.principal(), scope, session.gateway().url)
    except state.StateUnavailable as exc:
        st.info(str(exc))
        return
    cols = st.columns(4)
    cols[0].metric(
        "Håndteret inden for 60 dage", fmt.percent(figures["share_within"]), help=WITHIN_HELP
    )
    cols[1].metric(
        "Realiseret pr. måned", fmt.money(figures["realised_monthly"]), help=REALISED_HELP
    )
    if detailed and "median_days_to_action" in figures:
        cols[2].metric(
            "Dage fra signal til handling",
            fmt.days(figures["median_days_to_action"]),
            help="Median over punkter, der er handlet på eller afvist med begrundelse.",
        )
        cols[3].metric(
            "Dage fra handling til løsning",
            fmt.days(figures["median_days_to_resolution"]),
            help="Median over punkter, der er handlet på og siden løst i data.",
        )


def kind_picker() -> str:
    """Which worklist, kept in the URL as ?liste=KIND (an unknown value falls back to the first)."""
    keys = [k.key for k in items.KINDS]
    wanted = st.query_params.get(KIND_PARAM)
    kind = st.selectbox(
        "Arbejdsliste",
        keys,
        index=keys.index(wanted) if wanted in keys else 0,
        format_func=lambda k: items.BY_KEY[k].label,
    )
    st.query_params[KIND_PARAM] = kind
    return kind


def _status(v: object) -> str:
    return items.STATUSES.get(str(v), str(v))


def _text(v: object) -> str:
    return "" if items.is_missing(v) else str(v)


def open_table(kind: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The open items for display (plain text cells; the note only on this leder-only page)."""
    spec = items.BY_KEY[kind]
    table = pd.DataFrame(
        {
            spec.key_label: rows["key"],
            "Borger": rows["citizen_id"].map(_text),
            "Om": rows["about"],
            "Månedspris": [fmt.money(v) for v in rows["monthly_price"]],
            "Siden": rows["since"].map(items.short_date),
            "Status": rows["status"].map(_status),
            "Ansvarlig": rows["responsible"].map(_text),
            "Frist": rows["due_date"].map(items.short_date),
            "Note": rows["note"].map(_text),
        }
    )
    return table.drop(columns=["Borger"]) if spec.key_column == "citizen_id" else table


def open_list(scope: Scope, kind: str) -> pd.DataFrame:
    """The open items of `kind` (through the audited gateway) as a table; returns the rows."""
    rows = service.open_list(
        scope,
        kind,
        lambda name, s, extra: session.citizen_rows(name, s, **extra),
        session.gateway().url,
    )
    st.subheader(f"{items.BY_KEY[kind].label} ({fmt.number(len(rows))})")
    if rows.empty:
        st.success("Ingen åbne punkter på listen.")
    else:
        st.dataframe(open_table(kind, rows), hide_index=True, width="stretch")
    return rows


def _snapshot(scope: Scope, kind: str, row: dict) -> dict:
    """What the form starts from: the item as this session first saw it (kept, so a rerun after
    someone else's save never swaps the user's input for theirs)."""
    name = f"_wl_{scope.municipality}_{kind}_{row['key']}"
    if name not in st.session_state:
        st.session_state[name] = {
            "version": int(row["version"]),
            "status": str(row["status"]),
            "responsible": _text(row["responsible"]),
            "due_date": items.as_date(row["due_date"]),
            "note": _text(row["note"]),
        }
    return st.session_state[name]


def editor(scope: Scope, kind: str, rows: pd.DataFrame) -> None:
    """Set status, responsible person, due date and note on one item (optimistic concurrency)."""
    if rows.empty:
        return
    st.subheader("Ret et punkt")
    flash = st.session_state.pop("_wl_saved", None)
    if flash:
        st.success(flash)
    about = dict(zip(rows["key"], rows["about"], strict=True))
    key = st.selectbox("Punkt", list(rows["key"]), format_func=lambda k: f"{k} – {about[k]}")
    row = rows[rows["key"] == key].iloc[0].to_dict()
    snap = _snapshot(scope, kind, row)
    changed = _text(row["updated_by"])
    when = store.local_time(row["updated_at"])
    st.caption(  # user names and keys are escaped: never markdown
        f"Nu: {_status(row['status'])}"
        + (f", senest ændret af {plain(changed)} {plain(when)}" if changed else "")
        + "."
    )
    statuses = list(items.STATUSES)
    with st.form(f"_wl_form_{kind}_{key}"):
        status = st.selectbox(
            "Status", statuses, index=statuses.index(snap["status"]), format_func=_status
        )
        responsible = st.text_input("Ansvarlig", value=snap["responsible"], max_chars=200)
        due = st.date_input("Frist", value=snap["due_date"], format="DD.MM.YYYY")
        note = st.text_area(
            "Note",
            value=snap["note"],
            max_chars=store.NOTE_MAX,
            help="Kun socialfaglige ledere ser noterne. Skriv aldrig CPR-numre.",
        )
        submitted = st.form_submit_button("Gem", type="primary", icon=":material/save:")
    if submitted:
        _save(scope, kind, row, snap, status, responsible, due, note)
    with st.expander("Notens historik"):
        history = store.notes(session.principal(), scope.municipality, kind, key)
        st.dataframe(
            pd.DataFrame(
                {
                    "Version": history["version"],
                    "Skrevet": history["written_at"].map(store.local_time),
                    "Af": history["written_by"],
                    "Note": history["note"].map(_text),
                }
            ),
            hide_index=True,
            width="stretch",
        )


def _save(scope, kind, row, snap, status, responsible, due, note) -> None:
    try:
        after = store.update(
            session.principal(),
            scope.municipality,
            {**row, "seen_on": scope.as_of},
            snap["version"],
            status=status,
            responsible=responsible,
            due_date=due,
            note=note,
        )
    except store.Conflict as exc:
        snap["version"] = int(exc.current["version"])  # the next save builds on what is stored
        st.error(plain(str(exc)))
        now = exc.current
        st.text(
            f"Gemt nu: {_status(now['status'])}; ansvarlig: {_text(now['responsible']) or '–'}; "
            f"frist: {items.short_date(now['due_date'])}"
        )
        st.text_area("Gemt note nu", value=_text(now["note"]), disabled=True)
        return
    except store.Refused as exc:
        st.error(str(exc))
        return
    except (audit.AuditUnavailable, state.StateUnavailable):
        st.error("Ændringen kunne ikke gemmes eller logges lige nu. Intet er gemt – prøv igen.")
        return
    snap.update(
        version=int(after["version"]),
        status=str(after["status"]),
        responsible=_text(after["responsible"]),
        due_date=items.as_date(after["due_date"]),
        note=_text(after["note"]),
    )
    st.session_state["_wl_saved"] = f"Gemt: {plain(row['key'])} er nu {_status(after['status'])}."
    st.rerun()


def resolved(scope: Scope, kind: str) -> None:
    """The items of `kind` the data have resolved, with time to action and to resolution."""
    who = session.principal()
    found = service.resolved_list(who, scope, kind)
    # Through the gateway (access check and audit row, once per session), like every citizen view.
    gw = session.gateway()
    audited = open_for(
        who,
        gw.url,
        page=session.current_page(),
        seen=st.session_state.setdefault(session.AUDIT_SEEN, {}),
        run=lambda _name, _params, _url: found,
    )
    rows = audited.citizen_rows("list_worklist_resolved", scope, kind=kind)
    st.subheader(f"Løst i data ({fmt.number(len(rows))})")
    if rows.empty:
        st.caption("Ingen punkter på listen er løst i data endnu.")
        return
    table = pd.DataFrame(
        {
            items.BY_KEY[kind].key_label: rows["item_key"],
            "Borger": rows["citizen_id"].map(_text),
            "Signal": rows["signal_date"].map(items.short_date),
            "Status": rows["status"].map(_status),
            "Handlet": rows["acted_on"].map(items.short_date),
            "Løst i data": rows["resolved_on"].map(items.short_date),
            "Dage til handling": [fmt.number(v) for v in rows["days_to_action"]],
            "Dage fra handling til løsning": [fmt.number(v) for v in rows["days_to_resolution"]],
        }
    )
    if kind == "adjustment_signal":
        table["Månedspris før"] = [fmt.money(v) for v in rows["price_before"]]
        table["Månedspris efter"] = [fmt.money(v) for v in rows["price_after"]]
    st.dataframe(table, hide_index=True, width="stretch")
