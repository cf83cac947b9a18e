"""Tables as files a Danish office opens directly: Excel with numbers as numbers and the scope on a
first sheet, and CSV with semicolons, decimal comma and a byte-order mark; pure (no Streamlit)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cockpit.periods import Scope
from cockpit.present import fmt

# How a column is shown (ui) and stored (Excel). "mio" is kroner shown in millions on screen.
UNITS = ("mio", "kr.", "share", "count", "decimal", "date", "text")
EXCEL_FORMATS = {
    "mio": "#,##0",
    "kr.": "#,##0",
    "share": "0.0%",
    "count": "#,##0",
    "decimal": "#,##0.0",
    "date": "dd-mm-yyyy",
}
ABOUT_SHEET = "Om udtrækket"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Table:
    """A table as the pages show and export it: Danish headers, numbers as numbers, and the unit of
    each numeric column (UNITS) so the screen can format it Danish and Excel can format it natively."""

    title: str
    frame: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)


def display_text(unit: str, value: object) -> str:
    """One cell as the screen shows it: Danish number formatting by unit, '–' for missing values."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return fmt.DASH
    if isinstance(value, str):
        return value  # already text, e.g. a suppressed cell ("<5")
    if unit == "mio":
        return fmt.money_compact(float(value))
    if unit == "kr.":
        return fmt.money(float(value))
    if unit == "share":
        return fmt.percent(float(value))
    if unit == "count":
        return fmt.number(float(value))
    if unit == "decimal":
        return fmt.number(float(value), 1)
    if unit == "date":
        return fmt.long_date(pd.Timestamp(value).date())
    if unit == "day":  # a date in a list on screen: 31.10.2026
        return pd.Timestamp(value).strftime("%d.%m.%Y")
    return str(value)


def display_frame(table: Table) -> pd.DataFrame:
    """The table with every unit column turned into Danish text (for st.dataframe)."""
    out = table.frame.copy()
    for column, unit in table.units.items():
        if column in out.columns:
            out[column] = [display_text(unit, v) for v in out[column]]
    return out


# Decimals a unit is written to CSV with, as the screen shows it; shares are fractions (0,123).
DECIMALS = {"mio": 0, "kr.": 0, "share": 3, "count": 0, "decimal": 1}


def screen_styler(table: Table):
    """The table for st.dataframe: numeric columns stay numbers (they sort as numbers) and dates
    stay dates, shown through pandas Styler display values in Danish format (identical in every
    browser, unlike column_config's printf or "localized" formats). A suppressed count ("<5") is
    a missing number underneath, shown as "<5"."""
    source = table.frame
    frame = source.copy()
    formats: dict[str, object] = {}
    texts: list[tuple[object, str, str]] = []
    for column, unit in table.units.items():
        if column not in frame.columns or unit == "text":
            continue
        values = frame[column]
        is_text = values.map(lambda v: isinstance(v, str))
        texts += [(row, column, source.at[row, column]) for row in frame.index[is_text]]
        values = values.where(~is_text, None)
        if unit in ("date", "day"):
            frame[column] = pd.to_datetime(values, errors="coerce")
        else:
            frame[column] = pd.to_numeric(values, errors="coerce").astype("float64")
        formats[column] = lambda v, unit=unit: display_text(unit, v)
    styler = frame.style.format(formats, na_rep=fmt.DASH)
    for row, column, text in texts:
        styler = styler.format(lambda _v, t=text: t, subset=([row], [column]))
    return styler


def _round(value: object, decimals: int) -> object:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return value
    if decimals == 0:
        return int(round(value))
    return f"{float(value):.{decimals}f}".replace(".", ",")  # the decimal comma, as to_csv writes


def rounded(table: Table) -> pd.DataFrame:
    """The table as the CSV file holds it: numbers rounded as the screen shows them (whole kroner,
    shares to 0,1 %), so a file never says 6275165,433914021."""
    out = table.frame.copy()
    for column, unit in table.units.items():
        if column in out.columns and unit in DECIMALS:
            values = [_round(v, DECIMALS[unit]) for v in out[column]]
            out[column] = pd.Series(values, index=out.index, dtype=object)
    return out


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", title).strip()[:31] or "Tabel"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()  # numpy scalar → Python number
    return value


def _write_table(ws, df: pd.DataFrame, units: Mapping[str, str]) -> None:
    ws.append([str(c) for c in df.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in df.itertuples(index=False):
        ws.append([_cell(v) for v in row])
    for i, column in enumerate(df.columns, start=1):
        unit = units.get(column)
        is_date = unit == "date" or pd.api.types.is_datetime64_any_dtype(df[column])
        number_format = EXCEL_FORMATS.get("date" if is_date else unit or "")
        width = max([len(str(column))] + [len(str(v)) for v in df[column].head(200)]) + 2
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = min(max(width, 10), 60)
        if number_format:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                if isinstance(cell.value, int | float | date | datetime):
                    cell.number_format = number_format
    ws.freeze_panes = "A2"


def to_xlsx(
    tables: Mapping[str, pd.DataFrame],
    scope: Scope,
    data_date: date | None,
    title: str,
    *,
    units: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
) -> bytes:
    """An Excel workbook: first the sheet "Om udtrækket" (title, municipality, year, reference date,
    data date and any notes), then one sheet per table with Danish headers and numbers stored as
    numbers, formatted by `units` (column header → unit, see UNITS)."""
    wb = Workbook()
    about = wb.active
    about.title = ABOUT_SHEET
    rows: list[tuple[str, object]] = [
        (title, None),
        ("Kommunekode", scope.municipality),
        ("År", scope.year),
        ("Opgørelsesdato", scope.as_of),
        ("Data opdateret til", data_date),
        *((k, v) for k, v in (notes or {}).items()),
        ("Dannet", datetime.now().replace(microsecond=0)),
    ]
    for key, value in rows:
        about.append([key, value])
    about["A1"].font = Font(bold=True, size=13)
    for (cell,) in about.iter_rows(min_row=2, min_col=2, max_col=2):
        if isinstance(cell.value, datetime):
            cell.number_format = "dd-mm-yyyy hh:mm"
        elif isinstance(cell.value, date):
            cell.number_format = "dd-mm-yyyy"
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 40
    taken = {ABOUT_SHEET.lower()}
    for name, df in tables.items():
        _write_table(wb.create_sheet(_sheet_name(name, taken)), df, units or {})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_csv(df: pd.DataFrame) -> bytes:
    """CSV as Danish Excel reads it: ';' between fields, decimal comma, ISO dates, UTF-8 with BOM."""
    return df.to_csv(sep=";", decimal=",", index=False, date_format="%Y-%m-%d").encode("utf-8-sig")


def table_xlsx(
    table: Table, scope: Scope, data_date: date | None, notes: Mapping[str, str] | None = None
) -> bytes:
    """One Table as a workbook (its title names the data sheet)."""
    return to_xlsx(
        {table.title: table.frame}, scope, data_date, table.title, units=table.units, notes=notes
    )
