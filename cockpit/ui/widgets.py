"""Shared components the pages are built from: KPI rows and metrics, tables with their Excel and
CSV downloads (written to the audit log on click), charts with the same numbers as a table, and
clickable tables and charts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

import pandas as pd
import streamlit as st

from cockpit import downloads
from cockpit.access.gateway import AccessDenied
from cockpit.metrics import REGISTRY
from cockpit.periods import Scope
from cockpit.present import charts, fmt
from cockpit.present.labels import TABLE_LABELS
from cockpit.ui import printview, session
from cockpit.views.common import Metric

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chart(c, **kwargs):
    """st.altair_chart in the cockpit's own theme (cockpit/present/charts.py). The spec is not
    validated against the Vega-Lite schema again on every render: that validation was most of a
    warm render's time, and every chart builder's spec is validated in the tests instead."""
    c = c.copy(deep=False)
    object.__setattr__(c, "to_dict", partial(type(c).to_dict, c, validate=False))
    return st.altair_chart(c, theme=None, **kwargs)


def metric_row(shown: Iterable[Metric], columns: int = 4) -> None:
    cols = st.columns(columns)
    for i, m in enumerate(shown):
        with cols[i % columns]:
            st.metric(m.label, m.value, delta=m.delta, delta_color=m.delta_color, help=m.help)


def kpi_row(
    keys: list[str],
    scope: Scope,
    columns: int = 4,
    *,
    offer_type: str | None = None,
    extra: Iterable[Metric] = (),
) -> dict:
    """One st.metric per KPI: registry label, Danish-formatted value, the definition as help; a
    KPI whose tables the municipality has not loaded says "Kræver <tabel>". `extra` adds
    registered measures after the KPIs."""
    values = session.kpi_values(keys, scope, offer_type)
    shown = []
    for key in keys:
        kpi = REGISTRY[key]
        missing = session.missing_tables(scope, kpi.needs)
        text = (
            "Kræver " + ", ".join(TABLE_LABELS.get(t, t).lower() for t in missing)
            if missing
            else fmt.value(kpi.unit, values[key])
        )
        shown.append(Metric(kpi.label, text, kpi.definition))
    metric_row([*shown, *extra], columns)
    return values


def audited(
    build: Callable[[], bytes | str],
    file_name: str,
    frame: pd.DataFrame | None = None,
    scope: Scope | None = None,
    filters: dict | None = None,
) -> Callable[[], bytes | str]:
    """Wrap a download's file builder so that the export is written to the audit log first (user,
    role, page, file name, the citizens in `frame`, scope, `filters`); if the log cannot be
    written, no file is handed out. A `frame` with citizen pseudonyms is refused at once for roles
    without citizen access."""
    gw = session.gateway()
    if gw.principal is None:
        raise AccessDenied("Ingen bruger er logget ind.")
    gw.audit_ready()  # a store that cannot be written withholds the button (Danish message)
    if frame is not None and "citizen_id" in frame.columns and not gw.principal.sees_citizens:
        raise AccessDenied("Din rolle må ikke eksportere oplysninger om enkelte borgere.")

    def deferred() -> bytes | str:
        # Streamlit calls this on click, outside the script run: the gateway is captured.
        gw.log_export(source=file_name, frame=frame, scope=scope, filters=filters)
        return build()

    return deferred


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
) -> None:
    """A download button whose file is built only when the user clicks, after the export has been
    written to the audit log (see audited)."""
    st.download_button(
        label,
        data=audited(build, file_name, frame, scope, filters),
        file_name=file_name,
        mime=mime,
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def download_buttons(
    t: downloads.Table, filename: str, scope: Scope, notes: dict[str, str] | None = None
) -> None:
    """Buttons "Hent som Excel" and "Hent som CSV" for one table (numbers as numbers, Danish
    headers; the workbook's first sheet names the scope and the data date)."""
    stem = f"{filename}_{scope.municipality}_{scope.as_of.isoformat()}"
    about = {"Kommune": session.municipality_name(scope.municipality), **(notes or {})}
    xlsx = partial(downloads.table_xlsx, t, scope, session.data_date(scope), about)
    files = (
        ("Hent som Excel", xlsx, f"{stem}.xlsx", XLSX_MIME, f"_xlsx_{filename}"),
        (
            "Hent som CSV",
            partial(downloads.to_csv, t.frame, t.units),
            f"{stem}.csv",
            "text/csv",
            f"_csv_{filename}",
        ),
    )
    for col, (label, build, name, mime, key) in zip(st.columns([1, 1, 4]), files, strict=False):
        with col:
            logged_download(
                label, build, name, frame=t.frame, scope=scope, filters=notes, mime=mime, key=key
            )


def table(t: downloads.Table, filename: str, scope: Scope, notes: dict | None = None) -> None:
    """A downloads.Table on screen with its Excel and CSV downloads. Numbers stay numbers (they
    sort as numbers, right-aligned) and dates stay dates; pandas Styler display values show them in
    Danish format in every browser."""
    if printview.active():  # printed: an HTML table (the canvas does not print), no buttons
        shown = downloads.display_frame(t)
        st.table(shown.set_index(shown.columns[0]))
        return
    height = min(35 * (len(t.frame) + 1) + 3, 600)  # every row visible up to ~16 rows
    st.dataframe(downloads.screen_styler(t), hide_index=True, width="stretch", height=height)
    download_buttons(t, filename, scope, notes)


NOTHING_TO_DRAW = "Diagrammet er udeladt: alle tallene er skjult, fordi der er under 5 borgere bag."


def _nothing_to_draw(figure) -> bool:
    """Whether a chart's own data has no number to draw (empty, or every value hidden)."""
    data = getattr(figure, "data", None)
    if not isinstance(data, pd.DataFrame):
        return False
    return data.empty or not data.select_dtypes("number").notna().any().any()


def chart_with_table(
    figure,
    t: downloads.Table,
    filename: str,
    scope: Scope,
    alt_text: str,
    notes: dict | None = None,
) -> None:
    """An Altair chart in the Danish theme, and the same numbers as a table (with downloads) in an
    expander "Vis som tabel". A chart with nothing to draw (every figure hidden) is replaced by a
    line that says so; the table still shows the rows with "–"."""
    if _nothing_to_draw(figure):
        st.caption(NOTHING_TO_DRAW)
    else:
        chart(figure, width="stretch", alt=alt_text)
    with st.expander("Vis som tabel", expanded=printview.active()):
        table(t, filename, scope, notes)


def chart_and_table(figure, alt_text: str, shown: pd.DataFrame, **kwargs) -> None:
    """A chart with alt text and its numbers as a plain table in an expander "Vis som tabel"."""
    chart(figure, width="stretch", alt=alt_text, **kwargs)
    with st.expander("Vis som tabel"):
        show(shown)


def show(df: pd.DataFrame) -> None:
    """A plain table already formatted for the screen."""
    st.dataframe(df, hide_index=True, width="stretch")


def pick_row(
    shown: pd.DataFrame, key: str, widths: dict[str, int] | None = None, **kwargs
) -> int | None:
    """A table where clicking a row selects it; returns the row's position or None. `widths`
    fixes some columns' width in pixels (long names are cut, the full text on hover)."""
    config = {c: st.column_config.Column(width=w) for c, w in (widths or {}).items()}
    event = st.dataframe(
        shown,
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


def pick_in_chart(clickable, key: str, field: str, alt_text: str | None = None) -> str | None:
    """Show a charts.clickable_bar chart (with `alt_text` for screen readers); returns the clicked
    bar's `field` value or None."""
    event = chart(
        clickable,
        on_select="rerun",
        key=key,
        selection_mode=charts.PICK,
        width="stretch",
        alt=alt_text,
    )
    points = event.selection.get(charts.PICK) or []
    return str(points[0][field]) if points and field in points[0] else None
