"""Streamlit helpers the pages use: scope picker kept in the URL, KPI rows, tables and downloads."""

from __future__ import annotations

import re
from collections.abc import Callable
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
def _data_load(url: str, municipality: int) -> pd.DataFrame:
    return db.query("data_load_status", {"municipality": municipality}, url)


def url() -> str:
    return db.default_url()


def principal() -> Principal | None:
    return st.session_state.get("principal")


def kpi_values(keys: list[str], scope: Scope) -> dict:
    """KPI values through the data gateway's access check, cached per scope; small numbers
    suppressed for roles without citizen access (fmt.SUPPRESSED shows "<5", None "–")."""
    who = principal()
    data.check(who, "kpi_values")
    values = _kpi_values(url(), tuple(keys), scope)
    basis = _kpi_basis(url(), scope) if who.suppress_small_numbers else None
    return data.kpi_values(who, keys, scope, url(), values=values, basis=basis)


def aggregate(name: str, scope: Scope, **extra) -> pd.DataFrame:
    """An aggregate query through the data gateway's access check, cached per scope; small numbers
    suppressed for roles without citizen access (see suppress.frame and suppress.for_display)."""
    return data.aggregate(principal(), name, scope, url(), fetch=_fetch_aggregate, **extra)


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


# ---------------------------------------------------------------- citizen rows and drill-down

DRILL_STACK = "_drill_stack"  # where the user drilled in from: [(url_path, query params), ...]


@st.cache_data(ttl=600, show_spinner=False)
def _citizen_query(url_: str, name: str, params: tuple) -> pd.DataFrame:
    # Only reached through data.citizen_rows, after its access check; the gateway writes the audit
    # row on every view, so caching the query never skips the log.
    return db.query(name, dict(params), url_)


def _fetch_citizen_rows(name: str, params: dict, url_: str | None) -> pd.DataFrame:
    return _citizen_query(url_ or url(), name, tuple(sorted(params.items())))


def citizen_access() -> bool:
    """Whether the logged-in role may see rows about single citizens."""
    who = principal()
    return who is not None and who.sees_citizens


def citizen_rows(
    name: str, scope: Scope, *, citizen: str | None = None, filters: dict | None = None, **extra
) -> pd.DataFrame:
    """Rows about single citizens (queries list_* / detail_*) through the access-checked gateway
    (data.citizen_rows). The access check runs on every call: roles without citizen access get
    data.AccessDenied; every view is written to the audit log (page, the citizens in the rows,
    `citizen` looked up, scope, query parameters and the page's `filters`) before rows come back."""
    if not name.startswith(data.CITIZEN_PREFIXES):
        raise ValueError(f"{name} er ikke en forespørgsel på borgerniveau.")
    who = principal()
    data.check(who, name)
    if not who.sees_citizens:
        raise data.AccessDenied("Din rolle må ikke se oplysninger om enkelte borgere.")
    return data.citizen_rows(
        who,
        name,
        scope,
        url(),
        page=current_page(),
        citizen=citizen,
        filters=filters,
        fetch=_fetch_citizen_rows,
        seen=st.session_state.setdefault(AUDIT_SEEN, {}),
        **extra,
    )


def scope_query(scope: Scope) -> dict[str, str]:
    """The scope as the URL's query parameters (kommune, aar, dato)."""
    return {
        "kommune": str(scope.municipality),
        "aar": str(scope.year),
        "dato": scope.as_of.isoformat(),
    }


def _page(url_path: str):
    from cockpit import navigation

    return next(p for p in navigation.PAGES if p.url_path == url_path)


def open_page(
    url_path: str,
    scope: Scope,
    origin: str,
    origin_params: dict | None = None,
    origin_label: str | None = None,
    **params,
):
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


def pick_row(
    table: pd.DataFrame, key: str, widths: dict[str, int] | None = None, **kwargs
) -> int | None:
    """A table where clicking a row selects it; returns the row's position in `table` or None.
    `widths` fixes some columns' width in pixels (long names are cut, the full text on hover)."""
    config = {c: st.column_config.Column(width=w) for c, w in (widths or {}).items()}
    event = st.dataframe(
        table,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config=config or None,
        **kwargs,
    )
    rows = event.selection.rows
    return rows[0] if rows else None


def pick_in_chart(chart, key: str, field: str) -> str | None:
    """Show a charts.clickable_bar chart; returns the clicked bar's `field` value or None."""
    from cockpit import charts

    event = st.altair_chart(
        chart, theme=None, on_select="rerun", key=key, selection_mode=charts.PICK, width="stretch"
    )
    points = event.selection.get(charts.PICK) or []
    return str(points[0][field]) if points and field in points[0] else None


# ---------------------------------------------------------------- privacy: suppression and audit

AUDIT_SEEN = "_audit_seen"  # the session's memory of citizen views already logged
PAGE = "_page"  # the url_path of the page being run (set by app.py before page.run())


@st.cache_data(ttl=600, show_spinner=False)
def _kpi_basis(url_: str, scope: Scope) -> dict:
    return kpis.citizen_basis(None, scope, url_)


@st.cache_data(ttl=600, show_spinner=False)
def _aggregate_query(url_: str, name: str, params: tuple) -> pd.DataFrame:
    return db.query(name, dict(params), url_)


def _fetch_aggregate(name: str, params: dict, url_: str | None) -> pd.DataFrame:
    return _aggregate_query(url_ or url(), name, tuple(sorted(params.items())))


def current_page() -> str:
    """The url_path of the page being shown (for the audit log)."""
    return str(st.session_state.get(PAGE) or "ukendt")


def log_export(
    source: str,
    frame: pd.DataFrame | None = None,
    scope: Scope | None = None,
    filters: dict | None = None,
    citizens: tuple[str, ...] = (),
) -> str:
    """Write an export to the audit log now (in the script run; for a download button use
    logged_download, which logs when the user clicks). Refuses citizen pseudonyms for roles
    without citizen access. `source` is the file name."""
    return data.log_export(
        principal(),
        page=current_page(),
        source=source,
        frame=frame,
        citizens=citizens,
        scope=scope,
        filters=filters,
    )


# ---------------------------------------------------------------- strategy and economy (issue 3)

OFFER_TYPE_PARAM = "indsatstype"
ALL_OFFER_TYPES = "Alle"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_data(ttl=600, show_spinner=False)
def _offer_types(url_: str) -> pd.DataFrame:
    return db.query("econ_offer_types", {}, url_)


def offer_types() -> pd.DataFrame:
    """The offer_type table (code, name, paragraph, account function, category, step), cached."""
    data.check(principal(), "econ_offer_types")
    return _offer_types(url())


def offer_type_names() -> dict[str, str]:
    types = offer_types()
    return dict(zip(types["offer_type_code"], types["name"], strict=True))


def offer_type_filter() -> str | None:
    """An offer-type select in the sidebar, kept in the URL as ?indsatstype=CODE. "Alle" (no
    parameter) or an unknown code means every offer type; returns the code or None."""
    names = offer_type_names()
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


def years_with_data(municipality: int) -> list[int]:
    """The years the municipality has expenses in (the scope picker's years)."""
    options = _scope_options(url())
    return sorted(options.loc[options["municipality_code"] == municipality, "year"].astype(int))


def municipality_name(municipality: int) -> str:
    options = _scope_options(url())
    names = options.loc[options["municipality_code"] == municipality, "name"]
    return f"{names.iloc[0]} ({municipality})" if len(names) else str(municipality)


def data_date(scope: Scope) -> date | None:
    """The newest data date loaded for the municipality (shown on exports)."""
    loads = _data_load(url(), scope.municipality)
    newest = pd.to_datetime(loads["data_date"]).max() if not loads.empty else pd.NaT
    return None if pd.isna(newest) else newest.date()


def kpi_metrics(
    values: dict,
    keys: list[str],
    columns: int = 4,
    extra: tuple[tuple[str, str, str], ...] = (),
) -> None:
    """Like kpi_row, for values already computed (e.g. the registry's definitions applied to one
    offer type): registry label, Danish-formatted value, the definition as help. `extra` adds
    metrics that are not registry KPIs as (label, formatted value, help)."""
    shown = [
        (
            kpis.REGISTRY[k].label,
            fmt.value(kpis.REGISTRY[k].unit, values.get(k)),
            kpis.REGISTRY[k].definition,
        )
        for k in keys
    ]
    cols = st.columns(columns)
    for i, (label, value, help_text) in enumerate([*shown, *extra]):
        with cols[i % columns]:
            st.metric(label, value, help=help_text)


def download_buttons(
    df: pd.DataFrame,
    filename: str,
    scope: Scope,
    *,
    title: str | None = None,
    units: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
) -> None:
    """Buttons "Hent som Excel" and "Hent som CSV" for one table (numbers as numbers, Danish headers; the
    workbook's first sheet names the scope and the data date). The files are built on click, after
    the export is written to the audit log (logged_download)."""
    from functools import partial

    from cockpit import downloads

    title = title or filename
    stem = f"{filename}_{scope.municipality}_{scope.as_of.isoformat()}"
    about = {"Kommune": municipality_name(scope.municipality), **(notes or {})}
    xlsx = partial(
        downloads.to_xlsx,
        {title: df},
        scope,
        data_date(scope),
        title,
        units=units or {},
        notes=about,
    )
    left, right, _ = st.columns([1, 1, 4])
    with left:
        logged_download(
            "Hent som Excel",
            xlsx,
            f"{stem}.xlsx",
            frame=df,
            scope=scope,
            filters=notes,
            mime=XLSX_MIME,
            key=f"_xlsx_{filename}",
            icon=":material/download:",
        )
    with right:
        logged_download(
            "Hent som CSV",
            partial(downloads.to_csv, df),
            f"{stem}.csv",
            frame=df,
            scope=scope,
            filters=notes,
            mime="text/csv",
            key=f"_csv_{filename}",
            icon=":material/download:",
        )


def table(t, filename: str, scope: Scope, notes: dict[str, str] | None = None) -> None:
    """A downloads.Table on screen (Danish-formatted text, numbers right-aligned) with its
    Excel and CSV downloads (numbers as numbers)."""
    from cockpit import downloads

    shown = downloads.display_frame(t)
    config = {
        c: st.column_config.TextColumn(c, alignment="right") for c in t.units if c in shown.columns
    }
    height = min(35 * (len(shown) + 1) + 3, 600)  # every row visible up to ~16 rows
    st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config=config)
    download_buttons(t.frame, filename, scope, title=t.title, units=t.units, notes=notes)


def chart_with_table(
    chart, t, filename: str, scope: Scope, alt_text: str, notes: dict[str, str] | None = None
) -> None:
    """An Altair chart in the Danish theme, and the same numbers as a table (with downloads) in an
    expander "Vis som tabel"."""
    st.altair_chart(chart, theme=None, width="stretch", alt=alt_text)
    with st.expander("Vis som tabel"):
        table(t, filename, scope, notes)


def logged_download(
    label: str,
    build: Callable[[], bytes | str],
    file_name: str,
    *,
    frame: pd.DataFrame | None = None,
    scope: Scope | None = None,
    filters: dict | None = None,
    mime: str | None = None,
    key: str | None = None,
    **kwargs,
) -> None:
    """A download button whose file is built only when the user clicks, after the export has been
    written to the audit log (user, role, page, file name, the citizens in `frame`, scope,
    `filters`). If the log cannot be written, no file is handed out. A `frame` with citizen
    pseudonyms is refused here already for roles without citizen access."""
    deferred = audited(build, file_name, frame, scope, filters)
    st.download_button(
        label, data=deferred, file_name=file_name, mime=mime, key=key, on_click="ignore", **kwargs
    )


STATUS_BADGES = {
    "green": (":material/check_circle:", "green"),
    "yellow": (":material/error:", "orange"),
    "red": (":material/cancel:", "red"),
    None: (":material/help:", "gray"),
}


def target_status(row: dict, history: pd.DataFrame, scopes: list[Scope], scope: Scope) -> None:
    """One political target: status in words (with icon and colour), actual against target and the
    trend in plain Danish, the council's words, and the years as a chart with a table."""
    from cockpit import charts, trends

    with st.container(border=True):
        left, right = st.columns([3, 2])
        with left:
            icon, colour = STATUS_BADGES.get(row["status"], STATUS_BADGES[None])
            st.badge(trends.STATUS_TEXT.get(row["status"], "Ingen data"), icon=icon, color=colour)
            st.markdown(f"**{row['label']}**")
            st.markdown(trends.target_text(row) + " " + trends.trend_text(row["key"], history))
            if row.get("note"):
                st.caption(f"Målet: {plain(row['note'])}")
        with right:
            axis, tip = trends.axis_format(row["unit"])
            chart = charts.by_year(
                trends.target_chart_data(history, row["key"]),
                "year",
                "value",
                "series",
                "År",
                trends.UNIT_TITLES.get(row["unit"], "Antal"),
                y_format=axis,
                tooltip_format=tip,
            ).properties(height=160)
            chart_with_table(
                chart,
                trends.target_table(history, row["key"], scopes),
                f"strategi_maal_{row['key']}",
                scope,
                alt_text=f"{row['label']} år for år mod målet",
            )


# ---------------------------------------------------------------- revisionslog (admin)

_PSEUDONYM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,99}$")
_AUDIT_RESULT = "_audit_result"


def audit_search_form() -> dict | None:
    """The revisionslog search (pseudonym, user, period). Returns the last valid search, kept in
    the session so that re-rendering the page neither repeats nor re-logs it."""
    with st.form("audit_search"):
        left, right = st.columns(2)
        citizen = left.text_input("Borgerens pseudonym", max_chars=100).strip()
        user = right.text_input("Bruger (valgfri)", max_chars=200).strip()
        since = left.date_input("Fra (valgfri)", value=None, format="DD.MM.YYYY")
        until = right.date_input("Til (valgfri)", value=None, format="DD.MM.YYYY")
        submitted = st.form_submit_button("Søg", type="primary", icon=":material/search:")
    if submitted:
        if citizen and not _PSEUDONYM.match(citizen):
            st.error("Pseudonymet må kun indeholde bogstaver, tal og tegnene - _ . : @")
            return None
        query = {"citizen": citizen or None, "user": user or None, "since": since, "until": until}
        rows = data.audit_log(principal(), **query)
        st.session_state[_AUDIT_RESULT] = (query, rows)
    stored = st.session_state.get(_AUDIT_RESULT)
    return None if stored is None else stored[0]


def audit_results() -> None:
    """The rows of the last search, newest first, with a CSV download (logged as an export)."""
    from cockpit import audit

    stored = st.session_state.get(_AUDIT_RESULT)
    if stored is None:
        return
    query, rows = stored
    if rows.empty:
        st.info("Ingen opslag i revisionsloggen matcher søgningen.")
        return
    shown = audit.present(rows)
    st.caption(f"{fmt.number(len(shown))} rækker, nyeste først.")
    st.dataframe(shown, hide_index=True, width="stretch")
    who = principal()
    citizens = sorted({str(c) for c in rows["citizen_id"].dropna()})
    filters = {k: v for k, v in query.items() if v}
    file_name = "revisionslog.csv"

    def deferred() -> bytes:
        data.log_audit_export(who, source=file_name, citizens=citizens, filters=filters)
        return shown.to_csv(index=False, sep=";").encode("utf-8-sig")

    st.download_button(
        "Hent som CSV",
        data=deferred,
        file_name=file_name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def audited(
    build: Callable[[], bytes | str],
    file_name: str,
    frame: pd.DataFrame | None = None,
    scope: Scope | None = None,
    filters: dict | None = None,
) -> Callable[[], bytes | str]:
    """Wrap a download's file builder (the callable given to st.download_button) so that the export
    is written to the audit log first (user, role, page, file name, the citizens in `frame`,
    scope, `filters`); if the log cannot be written, no file is handed out. A `frame` with citizen
    pseudonyms is refused at once for roles without citizen access."""
    who = principal()
    page = current_page()
    if who is None:
        raise data.AccessDenied("Ingen bruger er logget ind.")
    if frame is not None and data.CITIZEN_COLUMN in frame.columns and not who.sees_citizens:
        raise data.AccessDenied("Din rolle må ikke eksportere oplysninger om enkelte borgere.")

    def deferred() -> bytes | str:
        # Streamlit calls this on click, outside the script run: principal and page are captured.
        data.log_export(who, page=page, source=file_name, frame=frame, scope=scope, filters=filters)
        return build()

    return deferred


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@&=])")


def plain(text: object) -> str:
    """Text from the database, a claim or the user, safe inside st.markdown/st.caption: every
    markdown character escaped, so it can never become a link, an image, HTML or formatting."""
    return _MARKDOWN.sub(r"\\\1", str(text))


# ---------------------------------------------------------------- import (admin)


def import_allowed() -> bool:
    """Imports write only to the embedded DuckDB file, never to a warehouse the cockpit reads."""
    return db.duckdb_path(url()) is not None


def show_import_result(result) -> None:
    """Every problem in one table (file, row, column, message), or what was loaded."""
    for w in result.warnings:
        st.warning(str(w))
    if not result.ok:
        st.error(
            f"Importen blev afvist: {len(result.problems)} fejl. Databasen er uændret. "
            "Ret fejlene i filerne, og indlæs dem igen."
        )
        # A plain table: the user reads, searches and copies every problem as text.
        st.table(
            pd.DataFrame(
                [
                    {
                        "Fil": p.file,
                        "Række": "" if p.row is None else str(p.row),
                        "Kolonne": p.column or "",
                        "Fejl": p.message,
                    }
                    for p in result.problems
                ]
            ),
            hide_index=True,
        )
        return
    municipalities = ", ".join(str(m) for m in result.municipalities) or "–"
    st.success(
        f"Importen lykkedes: {fmt.number(sum(result.rows.values()))} rækker for kommune "
        f"{municipalities}. Vælg kommunen i menuen til venstre for at se den i cockpittet."
    )
    st.dataframe(
        pd.DataFrame([{"Tabel": t, "Rækker": fmt.number(n)} for t, n in result.rows.items()]),
        hide_index=True,
    )


def citizen_list_download(
    rows: pd.DataFrame, export: tuple[pd.DataFrame, dict[str, str]], title: str, scope: Scope
) -> None:
    """A "Hent listen i Excel" button for a citizen list: the file (Danish headers, numbers as
    numbers) is built on click, after the export is written to the audit log with the citizens in
    `rows`."""
    from functools import partial

    from cockpit import downloads

    frame, units = export
    stem = re.sub(r"[^a-z0-9]+", "_", title.lower().translate(str.maketrans("æøå", "eoa")))
    logged_download(
        "Hent listen i Excel",
        partial(downloads.to_xlsx, {title: frame}, scope, data_date(scope), title, units=units),
        f"{stem.strip('_')}_{scope.municipality}_{scope.as_of.isoformat()}.xlsx",
        frame=rows,
        scope=scope,
        mime=XLSX_MIME,
        key=f"_xlsx_{stem}",
        icon=":material/download:",
    )


def onward_links(scope: Scope, links: list[tuple[str, str]]) -> None:
    """Links from a summary to the pages behind it (url_path, label), only those the role may
    open, keeping the scope in the URL."""
    from cockpit import navigation

    p = principal()
    allowed = {spec.url_path for spec in navigation.pages_for(p.role)} if p else set()
    shown = [(path, label) for path, label in links if path in allowed]
    if not shown:
        return
    cols = st.columns(len(shown))
    for col, (path, label) in zip(cols, shown, strict=True):
        spec = _page(path)
        col.page_link(spec.path, label=label, icon=spec.icon, query_params=scope_query(scope))
