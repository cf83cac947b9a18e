"""The Hvad nu hvis page's sections and the accuracy component on Økonomi: the levers, the result
(chart, table, audited downloads), the saved scenarios and the forecast's accuracy. Data come
through cockpit/scenario/service.py with this render's gateway (access check, suppression, cache)
and cockpit/scenario/store.py (the state store). Definitions: docs/scenarier.md."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import state
from cockpit.downloads import Table
from cockpit.periods import Scope
from cockpit.present import charts, fmt
from cockpit.scenario import accuracy as acc
from cockpit.scenario import present, service, store
from cockpit.scenario.levers import LeverError, Levers, Move
from cockpit.ui import session, widgets
from cockpit.ui.frame import plain

PARAM = "scenarie"


def may_make() -> bool:
    who = session.principal()
    return who is not None and who.role in service.MAKERS


def opened(scope: Scope) -> store.Saved | None:
    """The saved scenario named by ?scenarie=ID; an unknown or malformed ID falls back to none."""
    wanted = st.query_params.get(PARAM)
    if not wanted:
        return None
    try:
        saved = store.get(session.principal(), wanted, scope.municipality)
    except state.StateUnavailable as exc:
        st.warning(str(exc))
        return None
    if saved is None:
        st.query_params.pop(PARAM, None)
        st.info(
            "Scenariet i linket findes ikke (for denne kommune). Siden viser basisfremskrivningen."
        )
    return saved


def _moves(frame: pd.DataFrame) -> tuple[Move, ...]:
    out = []
    for row in frame.itertuples(index=False):
        source, target, n, start = row
        if not source or not target or pd.isna(n) or int(n) <= 0:
            continue
        when = None if start is None or pd.isna(start) else pd.Timestamp(start).date()
        out.append(Move(str(source), str(target), int(n), when))
    return tuple(out)


def levers(scope: Scope, saved: store.Saved | None) -> Levers:
    """The opened scenario's name, and its levers: as widgets for directors and leaders (filled
    from the opened scenario), as they were saved for politicians."""
    if saved is not None:
        st.subheader(f"Scenarie: {plain(saved.name)}")
    if may_make():
        return _inputs(saved, session.offer_type_names())
    st.caption("Politikere ser de gemte scenarier. Direktører og ledere laver dem.")
    return saved.levers if saved else Levers()


def _inputs(saved: store.Saved | None, names: dict[str, str]) -> Levers:
    """The lever widgets, filled from the opened scenario."""
    base = saved.levers if saved else Levers()
    key = saved.scenario_id if saved else "ny"
    codes = list(names)
    with st.expander("Greb", expanded=True):
        st.markdown("**Flyt borgere mellem indsatstyper** (tilføj en række pr. flytning)")
        moves = pd.DataFrame(
            [(m.source, m.target, m.citizens, m.start) for m in base.moves],
            columns=["Fra", "Til", "Antal borgere", "Fra dato"],
        ).astype({"Antal borgere": "Int64", "Fra dato": "datetime64[ns]"})
        options = {"options": codes, "required": True}
        edited = st.data_editor(
            moves,
            num_rows="dynamic",
            hide_index=True,
            key=f"_moves_{key}",
            column_config={
                "Fra": st.column_config.SelectboxColumn("Fra", **options),
                "Til": st.column_config.SelectboxColumn("Til", **options),
                "Antal borgere": st.column_config.NumberColumn(min_value=1, step=1),
                "Fra dato": st.column_config.DateColumn(
                    format="DD.MM.YYYY", help="Tom: første dag i næste måned"
                ),
            },
        )
        st.markdown("**Pris og tilgang pr. indsatstype** (ændring i procent)")
        types = pd.DataFrame(
            {
                "Indsatstype": [f"{names[c]} ({c})" for c in codes],
                "Pris %": [base.price_pct.get(c, 0.0) for c in codes],
                "Tilgang %": [base.inflow_pct.get(c, 0.0) for c in codes],
            }
        )
        pct = st.column_config.NumberColumn(min_value=-100.0, max_value=100.0, step=0.5)
        changed = st.data_editor(
            types,
            hide_index=True,
            disabled=["Indsatstype"],
            key=f"_types_{key}",
            column_config={"Pris %": pct, "Tilgang %": pct},
        )
        left, middle, right = st.columns(3)
        youth_options = ["", *codes]
        with left:
            youth_type = st.selectbox(
                "18-årige kommer ind på",
                youth_options,
                index=youth_options.index(base.youth_type or ""),
                format_func=lambda c: "Vælg indsatstype" if not c else f"{names[c]} ({c})",
                key=f"_youth_type_{key}",
            )
            youth = st.number_input(
                "18-årige om året", 0, 10_000, base.youth_per_year, key=f"_youth_{key}"
            )
        with middle:
            signals = st.number_input(
                "Tilpasningssignaler at handle på",
                0,
                10_000,
                base.signals,
                key=f"_signals_{key}",
                help="De første K signaler, dyreste først, med deres vejledende forskel.",
            )
        with right:
            index = st.number_input(
                "Pris- og lønfremskrivning, % om året",
                -20.0,
                20.0,
                float(base.index_pct),
                step=0.1,
                key=f"_index_{key}",
            )
    price = dict(zip(codes, changed["Pris %"].fillna(0.0), strict=True))
    inflow = dict(zip(codes, changed["Tilgang %"].fillna(0.0), strict=True))
    return Levers(
        moves=_moves(edited),
        price_pct={c: float(v) for c, v in price.items() if v},
        inflow_pct={c: float(v) for c, v in inflow.items() if v},
        youth_type=youth_type or None,
        youth_per_year=int(youth) if youth_type else 0,
        signals=int(signals),
        index_pct=float(index),
    )


def result(scope: Scope, levers: Levers) -> None:
    """Baseline, scenario, difference and budget per year: chart, table, downloads."""
    names = session.offer_type_names()
    st.header("Basis og scenarie år for år")
    st.caption(
        f"Basis for {scope.year} er årets forventede regnskab. For overslagsårene fortsætter de "
        "aktive bevillinger til deres slutdato, tidsubegrænsede bevillinger tyndes ud med "
        "indsatstypens afgangsrate, og nye bevillinger kommer til som de seneste tre år. Faste "
        "priser, medmindre du lægger en pris- og lønfremskrivning på. Et år uden budget i "
        f"budgettabellen får {scope.year}s korrigerede budget videreført."
    )
    try:
        outcome = service.run(session.gateway(), scope, levers)
    except LeverError as exc:
        st.error(str(exc))
        return
    lines = present.describe(levers, names)
    st.markdown("\n".join(f"- {plain(t)}" for t in lines) or "Ingen greb: basisfremskrivningen.")
    if outcome.hidden_levers:
        st.info("Et greb bygger på færre end 5 borgere, så scenariet vises ikke for din rolle.")
    if text := present.headline(outcome.years):
        st.markdown(f"**{text}**")
    chart = charts.by_year(
        present.chart_frame(outcome.years), "year", "amount_mio", "series", "År", "Mio. kr."
    )
    st.altair_chart(chart, theme=None, width="stretch")
    notes = {"Greb": "; ".join(lines) or "Ingen (basisfremskrivning)"}
    widgets.table(present.years_table(outcome.years, scope.year), "hvad_nu_hvis", scope, notes)
    if not outcome.effects.empty:
        with st.expander("Grebenes virkning år for år"):
            widgets.table(present.effects_table(outcome.effects), "hvad_nu_hvis_greb", scope, notes)


def saved_panel(scope: Scope, levers: Levers, saved: store.Saved | None) -> None:
    """Save (directors, leaders), list, open and share; delete your own."""
    who = session.principal()
    st.header("Gemte scenarier")
    if may_make():
        with st.form("_gem_scenarie", clear_on_submit=True):
            name = st.text_input("Navn på scenariet", max_chars=store.MAX_NAME)
            if st.form_submit_button("Gem scenarie", icon=":material/save:"):
                try:
                    st.query_params[PARAM] = store.save(who, scope, name, levers)
                    st.rerun()
                except (LeverError, state.StateUnavailable) as exc:
                    st.error(str(exc))
    try:
        items = store.listed(who, scope.municipality)
    except state.StateUnavailable as exc:
        st.warning(f"{exc} De gemte scenarier kan ikke vises lige nu.")
        return
    if not items:
        st.caption("Der er ingen gemte scenarier for kommunen endnu.")
        return
    st.dataframe(
        pd.DataFrame(
            {
                "Navn": [s.name for s in items],
                "Lavet af": [s.author for s in items],
                "Oprettet": [s.created_at.strftime("%d.%m.%Y %H:%M") for s in items],
                "Greb": ["; ".join(present.describe(s.levers, {})) for s in items],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    ids = [s.scenario_id for s in items]
    labels = {s.scenario_id: f"{s.name} ({s.author})" for s in items}
    current = saved.scenario_id if saved else ids[0]
    pick = st.selectbox("Åbn scenarie", ids, index=ids.index(current), format_func=labels.get)
    if st.button("Åbn", icon=":material/open_in_new:"):
        st.query_params[PARAM] = pick
        st.rerun()
    if saved:
        st.caption(
            f"Åbent: {plain(saved.name)}, lavet af {plain(saved.author)} "
            f"for {fmt.long_date(saved.made_for_as_of)}. Del det med dette link:"
        )
        st.code(f"/scenarie?{PARAM}={saved.scenario_id}", language=None)
        if (
            may_make()
            and who.user == saved.author
            and st.button("Slet scenariet", icon=":material/delete:")
        ):
            store.delete(who, saved.scenario_id)
            st.query_params.pop(PARAM, None)
            st.rerun()


def accuracy(scope: Scope, compact: bool = False) -> None:
    """Prognosens træfsikkerhed: the sentence for this month of knowledge, the caveat, the table."""
    mape, hidden = service.accuracy_by_month(session.gateway(), scope)
    st.subheader("Prognosens træfsikkerhed")
    if hidden:
        st.info("Et eller flere afsluttede år bygger på færre end 5 borgere og indgår ikke her.")
    if mape.empty:
        if not hidden:
            st.info("Der er ingen afsluttede år i data at måle prognosen på.")
        return
    text = acc.sentence(mape, acc.month_of_knowledge(scope.as_of))
    if text:
        st.markdown(text)
    st.caption(acc.CAVEAT)
    t = Table(
        "Prognosens træfsikkerhed",
        acc.table(mape),
        {"Gennemsnitlig afvigelse": "share", "Største afvigelse": "share"},
    )
    if compact:
        with st.expander("Træfsikkerhed måned for måned"):
            widgets.table(t, "prognosens_traefsikkerhed", scope)
    else:
        widgets.table(t, "prognosens_traefsikkerhed", scope)
