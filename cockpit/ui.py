"""Streamlit helpers the pages use: scope picker kept in the URL, KPI rows, tables and downloads."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cockpit import data, db, fmt, kpis
from cockpit.auth import Principal
from cockpit.periods import Scope

SYNTHETIC = "Syntetiske eksempeldata"


# ---------------------------------------------------------------- cached data access


@st.cache_data(ttl=600, show_spinner=False)
def _scope_options(url: str) -> pd.DataFrame:
    return db.query("scope_options", {}, url)


@st.cache_data(ttl=600, show_spinner=False)
def _default_as_of(url: str, municipality: int, year: int) -> date:
    return kpis.default_as_of(municipality, year, url)


@st.cache_data(ttl=600, show_spinner=False)
def _kpi_values(url: str, keys: tuple[str, ...], scope: Scope) -> dict:
    return kpis.compute(list(keys), scope, url)


@st.cache_data(ttl=600, show_spinner=False)
def _aggregate(url: str, name: str, scope: Scope, extra: tuple) -> pd.DataFrame:
    return db.query(name, {**scope.params(), **dict(extra)}, url)


@st.cache_data(ttl=600, show_spinner=False)
def _data_load(url: str, municipality: int) -> pd.DataFrame:
    return db.query("data_load_status", {"municipality": municipality}, url)


def url() -> str:
    return db.default_url()


def principal() -> Principal | None:
    return st.session_state.get("principal")


def kpi_values(keys: list[str], scope: Scope) -> dict:
    """KPI values through the data gateway's access check, cached per scope."""
    data.check(principal(), "kpi_values")
    return _kpi_values(url(), tuple(keys), scope)


def aggregate(name: str, scope: Scope, **extra) -> pd.DataFrame:
    """An aggregate query through the data gateway's access check, cached per scope."""
    data.check(principal(), name)
    return _aggregate(url(), name, scope, tuple(sorted(extra.items())))


# ---------------------------------------------------------------- scope


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
    options = _scope_options(url())
    if options.empty:
        st.warning("Databasen indeholder endnu ingen udgifter. Indlæs data under Import.")
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
        default_date = _default_as_of(url(), code, year)
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
    st.session_state.update(kommune=code, aar=year, dato=as_of)
    st.query_params.update(kommune=str(code), aar=str(year), dato=as_of.isoformat())
    return Scope(int(code), int(year), as_of)


# ---------------------------------------------------------------- display


def kpi_row(keys: list[str], scope: Scope, columns: int = 4) -> dict:
    """One st.metric per KPI: registry label, Danish-formatted value, the definition as help."""
    values = kpi_values(keys, scope)
    cols = st.columns(columns)
    for i, key in enumerate(keys):
        kpi = kpis.REGISTRY[key]
        with cols[i % columns]:
            st.metric(kpi.label, fmt.value(kpi.unit, values[key]), help=kpi.definition)
    return values


def data_banner(scope: Scope) -> None:
    """Data date and whether the data are synthetic, shown on every page."""
    loads = _data_load(url(), scope.municipality)
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


def data_load_rows(scope: Scope) -> pd.DataFrame:
    """When each table was loaded for the municipality (cached)."""
    data.check(principal(), "data_load_status")
    return _data_load(url(), scope.municipality)
