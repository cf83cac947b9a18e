"""The sections of køb og salg af pladser (issue 18): prices against the market and the 10 % rule
(pages/priser.py), the døgnhjul on Borger and its signal on Kontrakter. Each section checks that
the optional tables and columns it needs exist and says in Danish what to add when they do not."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from cockpit.market import detect, freechoice, prices, reference, schedule, seller
from cockpit.periods import Scope
from cockpit.present import fmt
from cockpit.ui.drill import citizen_list
from cockpit.ui.session import aggregate, citizen_rows, gateway
from cockpit.ui.widgets import show
from cockpit.views import market as views


def _features() -> dict[str, bool]:
    return gateway().market_features()


def _missing(feature: str) -> None:
    st.info(f"Denne del kræver data, som databasen ikke har. {detect.ADD[feature]}")


def _ranges(scope: Scope) -> tuple[pd.DataFrame, str]:
    """Our offers' published rate ranges and the source line to show under them."""
    f = _features()
    if not f["portal_keys"]:
        return pd.DataFrame(), ""
    keys = aggregate("market_offer_keys", scope)
    if f["portal_table"]:
        portal = aggregate("market_portal_offers", scope)
        source = "; ".join(sorted(set(portal["source"]))) if not portal.empty else ""
    else:
        portal, source = reference.offers(), reference.SOURCE
    return prices.match(keys, portal), source


def market_prices(scope: Scope) -> None:
    """Price against the market: per offer type and the list of grants to negotiate."""
    st.subheader("Pris mod markedet")
    grants = citizen_rows("list_market_grants", scope)
    if grants.empty:
        st.info("Der er ingen aktive bevillinger med pris på opgørelsesdatoen.")
        return
    ranges, source = _ranges(scope)
    compared = prices.compare(grants, ranges)
    if compared.empty:
        st.info("Der er ingen aktive bevillinger på eksterne tilbud.")
        return
    top = prices.flagged(compared)
    st.metric("Forhandlingspotentiale pr. år", fmt.money(top["potential_year"].sum()))
    st.caption(
        "Døgnpris = månedspris × 12 / 365. Kvartilerne er vores egne bevillinger på samme "
        "indsatstype. Forhandlingspotentiale = (døgnpris − median) × 365 for bevillinger over "
        "højeste offentliggjorte takst eller over 75 %-fraktilen."
    )
    show(views.by_type_table(prices.by_type(compared)))
    if not _features()["portal_keys"]:
        _missing("portal_keys")
    elif source:
        st.caption(source)
    st.markdown(f"**Bevillinger over højeste takst eller 75 %-fraktil ({fmt.number(len(top))})**")
    show(views.flagged_table(top))


def free_choice(scope: Scope) -> None:
    """The 10 % rule under free choice (§ 108)."""
    st.subheader("Frit valg: 10 %-reglen")
    st.caption(
        "LOV nr. 747 af 20/06/2025: Vælger borgeren et andet tilbud end det anviste, sammenlignes "
        "prisen med det anviste tilbuds pris. Mere end 10 % over markeres."
    )
    if not _features()["free_choice"]:
        _missing("free_choice")
        return
    rows = freechoice.check(citizen_rows("list_free_choice", scope))
    if rows.empty:
        st.info(
            "Ingen aktive bevillinger, hvor borgeren har valgt et andet tilbud end det anviste."
        )
        return
    over = rows[rows["over_limit"]]
    st.metric("Over 10 %-grænsen", f"{fmt.number(len(over))} af {fmt.number(len(rows))}")
    show(views.free_choice_table(rows))


def schedule_signals(scope: Scope) -> None:
    """Kontrakter: contracts whose døgnhjul lost ≥ 10 % of its weekly staffed hours since the
    price was set."""
    st.subheader("Døgnhjul: færre timer siden prisen blev sat")
    if not _features()["schedule"]:
        _missing("schedule")
        return
    signals = schedule.contract_signals(citizen_rows("list_schedule_contracts", scope))
    signals = signals.sort_values(["change", "contract_id"]).reset_index(drop=True)
    st.caption(
        "Ugentlige personaletimer = timer × normering. Markeret, når timerne er faldet 10 % eller "
        "mere, siden kontraktens pris blev sat, og prisen ikke er genforhandlet siden."
    )
    citizen_list(
        signals,
        views.SCHEDULE_LIST,
        scope,
        origin="kontrakter",
        key="schedule_signals",
        empty="Ingen gyldige kontrakter har mistet 10 % eller mere af døgnhjulets timer.",
        hint="Klik på en række for at se borgerens døgnhjul. Største fald først.",
    )


def _heatmap(frame: pd.DataFrame, title: str, change: bool = False) -> alt.Chart:
    scale = alt.Scale(scheme="redblue", domainMid=0) if change else alt.Scale(scheme="blues")
    return (
        alt.Chart(frame, title=title)
        .mark_rect()
        .encode(
            x=alt.X("Time:O", title="Time på døgnet"),
            y=alt.Y("Ugedag:N", sort=list(schedule.WEEKDAYS), title=None),
            color=alt.Color("Personale:Q", title="Personale", scale=scale),
            tooltip=["Ugedag", "Time", alt.Tooltip("Personale:Q", format=".1f")],
        )
        .properties(height=alt.Step(24))
    )


def citizen_schedule(citizen_id: str, scope: Scope) -> None:
    """Borger: the døgnhjul now and at its first version (weekday × hour), with the change."""
    st.subheader("Døgnhjul")
    if not _features()["schedule"]:
        _missing("schedule")
        return
    rows = citizen_rows("list_support_schedule", scope, citizen=citizen_id, citizen_id=citizen_id)
    if rows.empty:
        st.info("Borgeren har intet døgnhjul.")
        return
    dates = schedule.versions(rows)
    now = schedule.in_force(rows, scope.as_of)
    first = schedule.in_force(rows, dates[0])
    hours_now, hours_first = schedule.weekly_hours(now), schedule.weekly_hours(first)
    st.metric(
        "Personaletimer pr. uge",
        fmt.number(hours_now, 1),
        delta=None if len(dates) == 1 else f"{fmt.number(hours_now - hours_first, 1)} timer",
    )
    now_chart = _heatmap(schedule.long(schedule.grid(now)), "Personale på vagt nu")
    st.altair_chart(now_chart, width="stretch")
    if len(dates) > 1:
        change = schedule.grid(now) - schedule.grid(first)
        title = f"Ændring siden {fmt.long_date(dates[0])}"
        st.altair_chart(_heatmap(schedule.long(change), title, True), width="stretch")


def own_offers(scope: Scope) -> None:
    """Our own offers as seller: occupancy, places sold, budget and sales income."""
    st.subheader("Egne tilbud som sælger")
    f = _features()
    if not (f["sales"] and f["budget"]):
        _missing("sales" if not f["sales"] else "budget")
        return
    rows = seller.occupancy(aggregate("market_own_offers", scope))
    if rows.empty:
        st.info("Kommunen har ingen egne tilbud med godkendte pladser.")
        return
    st.metric("Salgsindtægt år til dato", fmt.money(rows["sales_income"].sum()))
    st.caption(
        "Belægning = (egne borgere + solgte pladser) / pladser på opgørelsesdatoen. Salgsindtægt = "
        "månedspris × 12 / 365 × solgte dage fra 1. januar."
    )
    show(views.own_offers_table(rows))
