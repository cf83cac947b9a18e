"""The frame every page is drawn in (cockpit/app.py runs it before the page): the scope picker and
the offer-type filter in the sidebar, kept in the URL; the title, the "Opgjort pr." caption and the
data banner, drawn once. A drill-down page names its own title and caption with `heading`."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cockpit.navigation import PageSpec
from cockpit.periods import Scope
from cockpit.present import fmt
from cockpit.ui import printview, session

SYNTHETIC = "Syntetiske eksempeldata"
OFFER_TYPE_PARAM = "indsatstype"
ALL_OFFER_TYPES = "Alle"
NO_MUNICIPALITY = (
    "Databasen har ingen data for de kommuner, din bruger har adgang til. Kontakt din "
    "administrator, hvis du skal have adgang til en kommune."
)
_SCOPE, _OFFER_TYPE, _SLOTS = "_frame_scope", "_frame_offer_type", "_frame_slots"


def _param_int(name: str) -> int | None:
    try:
        return int(st.query_params.get(name, ""))
    except ValueError:
        return None


def _param_date(name: str) -> date | None:
    try:
        return date.fromisoformat(st.query_params.get(name, ""))
    except ValueError:
        return None


def scope_picker() -> Scope:
    """Municipality, year and reference date in the sidebar, kept in the URL (kommune, aar, dato).
    A missing or invalid URL value falls back to a sane default: the first municipality, its latest
    year and the latest posting date of that year."""
    gw = session.gateway()
    options = gw.scope_options()
    if options.empty:
        if gw.principal is not None and gw.principal.municipalities is not None:
            st.warning(NO_MUNICIPALITY)
        else:
            st.warning("Databasen indeholder endnu ingen data. Indlæs data under Import.")
        st.stop()
    names = dict(zip(options["municipality_code"], options["name"], strict=False))
    codes = list(names)
    wanted = _param_int("kommune") or st.session_state.get("kommune")
    default_code = 999 if 999 in names else codes[0]
    code = wanted if wanted in names else default_code

    with st.sidebar:
        code = st.selectbox(
            "Kommune",
            codes,
            index=codes.index(code),
            format_func=lambda c: f"{names[c]} ({c})",
            key="_kommune",
        )
        years = sorted(options.loc[options["municipality_code"] == code, "year"].astype(int))
        wanted_year = _param_int("aar") or st.session_state.get("aar")
        year = wanted_year if wanted_year in years else years[-1]
        year = st.selectbox("År", years, index=years.index(year), key="_aar")
        default_date = gw.default_as_of(code, year)
        wanted_date = _param_date("dato") or st.session_state.get("dato")
        if wanted_date is None or wanted_date.year != year or wanted_date > default_date:
            wanted_date = default_date
        as_of = st.date_input(
            "Opgørelsesdato",
            value=wanted_date,
            min_value=date(year, 1, 1),
            max_value=default_date,
            format="DD.MM.YYYY",
            key=f"_dato_{code}_{year}",
            help="Tallene opgøres pr. denne dato. Standard: seneste bogføringsdato i året.",
        )
        if gw.suppresses(Scope(int(code), int(year), as_of)):
            snapped = gw.snapped(Scope(int(code), int(year), as_of)).as_of  # month ends only
            if snapped != as_of:
                st.caption(f"Din rolle ser tal pr. månedsafslutning: {fmt.long_date(snapped)}.")
                as_of = snapped
    st.session_state.update(kommune=code, aar=year, dato=as_of)
    st.query_params.update(kommune=str(code), aar=str(year), dato=as_of.isoformat())
    return Scope(int(code), int(year), as_of)


def offer_type_filter() -> str | None:
    """An offer-type select in the sidebar, kept in the URL as ?indsatstype=CODE. "Alle" (no
    parameter) or an unknown code means every offer type; returns the code or None."""
    names = session.offer_type_names()
    options = [ALL_OFFER_TYPES, *names]
    wanted = st.query_params.get(OFFER_TYPE_PARAM) or st.session_state.get(OFFER_TYPE_PARAM)
    choice = wanted if wanted in names else ALL_OFFER_TYPES
    with st.sidebar:
        choice = st.selectbox(
            "Indsatstype",
            options,
            index=options.index(choice),
            format_func=lambda c: (
                "Alle indsatstyper" if c == ALL_OFFER_TYPES else f"{names[c]} ({c})"
            ),
            key="_indsatstype",
        )
    code = None if choice == ALL_OFFER_TYPES else choice
    st.session_state[OFFER_TYPE_PARAM] = code
    if code is None:
        st.query_params.pop(OFFER_TYPE_PARAM, None)
    else:
        st.query_params[OFFER_TYPE_PARAM] = code
    return code


def draw(spec: PageSpec) -> None:
    """The frame of one page: scope picker and filter (when the page has them), then its title,
    caption and data banner (a drill-down page may rename them with `heading`)."""
    st.session_state.pop(_SCOPE, None)
    st.session_state.pop(_OFFER_TYPE, None)
    scope = offer_type = None
    if spec.scoped:
        scope = scope_picker()
        st.session_state[_SCOPE] = scope
        if spec.offer_type_filter:
            offer_type = offer_type_filter()
            st.session_state[_OFFER_TYPE] = offer_type
    printview.apply()
    slots = (st.empty(), st.empty(), st.container())
    st.session_state[_SLOTS] = slots
    slots[0].title(spec.title)
    if scope is not None and spec.caption is not None:
        chosen = session.offer_type_names()[offer_type] if offer_type else "alle indsatstyper"
        slots[1].caption(
            spec.caption.format(
                as_of=fmt.long_date(scope.as_of), year=scope.year, offer_type=plain(chosen)
            )
        )
    if scope is not None:
        with slots[2]:
            data_banner(scope)


def heading(title: str, caption: str | None = None) -> None:
    """Rename the page's title (and caption) in the frame: a drill-down shows what it drilled to.
    Both are text (an offer's name, a pseudonym from the URL): escaped, never markdown."""
    slots = st.session_state.get(_SLOTS)
    slots[0].title(plain(title))
    if caption is not None:
        slots[1].caption(plain(caption))


def scope() -> Scope:
    """The scope the frame's picker chose for this render."""
    return st.session_state[_SCOPE]


def offer_type() -> str | None:
    """The frame's offer-type filter for this render (None: every offer type)."""
    return st.session_state.get(_OFFER_TYPE)


def data_banner(scope: Scope) -> None:
    """Data date and whether the data are synthetic, shown on every page."""
    loads = session.data_load_rows(scope)
    if loads.empty:
        return
    synthetic = (loads["source"] == SYNTHETIC).any()
    newest = pd.to_datetime(loads["data_date"]).max()
    text = f"Data opdateret til {fmt.long_date(newest.date())}" if pd.notna(newest) else ""
    if synthetic:
        st.info(f"**{SYNTHETIC}** – ikke rigtige borgere eller beløb. {text}.", icon="ℹ️")
    elif text:
        st.caption(text + ".")


def missing_database(exc: Exception) -> None:
    """A helpful page instead of a traceback when the database is missing or unreachable."""
    st.title("Databasen mangler")
    st.error("Cockpittet kan ikke finde eller åbne sin database.")
    st.markdown(
        "- Kør `make run` fra projektets mappe: den danner demodatabasen første gang.\n"
        "- Eller dan den selv: `python -m cockpit generate demo`.\n"
        "- Peger `COCKPIT_DATABASE_URL` på et datavarehus, så kontrollér adressen og at "
        "serveren kører."
    )
    st.caption(f"Teknisk besked: {type(exc).__name__}")


plain = fmt.plain  # the escape helper: text from data, URL or identity provider, never markdown
