"""Streamlit parts of the Hvad nu hvis page and the accuracy component on Økonomi: the levers, the
result (chart, table, audited downloads), the saved scenarios and the forecast's accuracy. Data
come through cockpit/scenario/service.py and store.py (the gateway's access check and suppression)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import charts, db, fmt, state, ui
from cockpit.downloads import Table
from cockpit.periods import Scope
from cockpit.scenario import accuracy as acc
from cockpit.scenario import present, service, store
from cockpit.scenario.levers import LeverError, Levers, Move

PARAM = "scenarie"


@st.cache_data(ttl=600, show_spinner=False)
def _query(url_: str, generation: str, name: str, params: tuple) -> pd.DataFrame:
    return db.query(name, dict(params), url_)


def _fetch(name: str, params: dict, url_: str | None) -> pd.DataFrame:
    u = url_ or ui.url()
    return _query(u, db.generation(u), name, tuple(sorted(params.items())))


def may_make() -> bool:
    who = ui.principal()
    return who is not None and who.role in service.MAKERS


def opened(scope: Scope) -> store.Saved | None:
    """The saved scenario named by ?scenarie=ID; an unknown or malformed ID falls back to none."""
    wanted = st.query_params.get(PARAM)
    if not wanted:
        return None
    try:
        saved = store.get(ui.principal(), wanted, scope.municipality)
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


def lever_inputs(scope: Scope, saved: store.Saved | None, names: dict[str, str]) -> Levers:
    """The lever widgets, filled from the opened scenario (directors and leaders)."""
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


def result(scope: Scope, levers: Levers, names: dict[str, str]) -> None:
    """Baseline, scenario, difference and budget per year: chart, table, downloads."""
    try:
        outcome = service.run(ui.principal(), scope, levers, ui.url(), _fetch)
    except LeverError as exc:
        st.error(str(exc))
        return
    lines = present.describe(levers, names)
    st.markdown("\n".join(f"- {ui.plain(t)}" for t in lines) or "Ingen greb: basisfremskrivningen.")
    if outcome.hidden_levers:
        st.info("Et greb bygger på færre end 5 borgere, så scenariet vises ikke for din rolle.")
    if text := present.headline(outcome.years):
        st.markdown(f"**{text}**")
    chart = charts.by_year(
        present.chart_frame(outcome.years), "year", "amount_mio", "series", "År", "Mio. kr."
    )
    st.altair_chart(chart, theme=None, width="stretch")
    notes = {"Greb": "; ".join(lines) or "Ingen (basisfremskrivning)"}
    ui.table(present.years_table(outcome.years, scope.year), "hvad_nu_hvis", scope, notes)
    if not outcome.effects.empty:
        with st.expander("Grebenes virkning år for år"):
            ui.table(present.effects_table(outcome.effects), "hvad_nu_hvis_greb", scope, notes)


def saved_panel(scope: Scope, levers: Levers, saved: store.Saved | None) -> None:
    """Save (directors, leaders), list, open and share; delete your own."""
    who = ui.principal()
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
            f"Åbent: {ui.plain(saved.name)}, lavet af {ui.plain(saved.author)} "
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
    mape, hidden = service.accuracy_by_month(ui.principal(), scope, ui.url(), _fetch)
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
            ui.table(t, "prognosens_traefsikkerhed", scope)
    else:
        ui.table(t, "prognosens_traefsikkerhed", scope)
