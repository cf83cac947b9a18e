"""Every table that leaves the cockpit goes through this module: Excel with numbers as numbers and
the scope on a first sheet, and CSV with semicolons, decimal comma and a byte-order mark; pure (no
Streamlit). Both are safe to open: a text cell that a spreadsheet would read as a formula (starting
with =, +, -, @, tab or CR) gets a leading single quote (OWASP's CSV-injection advice), xlsx text is
always stored as text, whole counts are written as integers and amounts rounded as displayed."""

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


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", title).strip()[:31] or "Tabel"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Decimals kept in a file, by unit: what the screen shows, never float noise (6275165,433914021).
# Amounts are shown in whole kroner; shares to a tenth of a percent (kept to a hundredth).
ROUNDING = {"mio": 0, "kr.": 0, "share": 4, "count": 0, "decimal": 1}
DEFAULT_DECIMALS = 2  # a float column without a unit


def neutralise(value: object) -> object:
    """A text that a spreadsheet would run as a formula gets a leading ' (shown as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _cell(value: object, unit: str | None = None) -> object:
    """One value as a file stores it: None for missing, Python numbers rounded by unit (whole
    numbers as int), datetimes as datetimes, text neutralised."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar → Python number
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        value = round(value, ROUNDING.get(unit or "", DEFAULT_DECIMALS))
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return neutralise(value)
    return value


def file_frame(df: pd.DataFrame, units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The frame exactly as it is written to a file (object cells, see _cell; headers neutralised)."""
    units = units or {}
    out = pd.DataFrame(
        {i: [_cell(v, units.get(c)) for v in df[c]] for i, c in enumerate(df.columns)},
        index=range(len(df)),
        dtype=object,
    )
    out.columns = [neutralise(str(c)) for c in df.columns]
    return out


def _append(ws, values: list) -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text is text, even if it looks like a formula


def _write_table(ws, df: pd.DataFrame, units: Mapping[str, str]) -> None:
    stored = file_frame(df, units)
    _append(ws, list(stored.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in stored.itertuples(index=False):
        _append(ws, list(row))
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


def _about(about, scope: Scope | None, data_date, title: str, notes) -> None:
    rows: list[tuple[str, object]] = [(title, None)]
    if scope is not None:
        rows += [
            ("Kommunekode", scope.municipality),
            ("År", scope.year),
            ("Opgørelsesdato", scope.as_of),
            ("Data opdateret til", data_date),
        ]
    rows += [*((k, v) for k, v in (notes or {}).items())]
    rows += [("Dannet", datetime.now().replace(microsecond=0))]
    for key, value in rows:
        _append(about, [_cell(key), _cell(value)])
    about["A1"].font = Font(bold=True, size=13)
    for (cell,) in about.iter_rows(min_row=2, min_col=2, max_col=2):
        if isinstance(cell.value, datetime):
            cell.number_format = "dd-mm-yyyy hh:mm"
        elif isinstance(cell.value, date):
            cell.number_format = "dd-mm-yyyy"
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 40


def to_xlsx(
    tables: pd.DataFrame | Mapping[str, pd.DataFrame],
    scope: Scope | None = None,
    data_date: date | None = None,
    title: str = "Udtræk",
    *,
    units: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
) -> bytes:
    """An Excel workbook: first the sheet "Om udtrækket" (title, municipality, year, reference date,
    data date and any notes), then one sheet per table with Danish headers and numbers stored as
    numbers, formatted by `units` (column header → unit, see UNITS). `tables` is one frame or a
    mapping of sheet name → frame."""
    if isinstance(tables, pd.DataFrame):
        tables = {title: tables}
    wb = Workbook()
    about = wb.active
    about.title = ABOUT_SHEET
    _about(about, scope, data_date, title, notes)
    taken = {ABOUT_SHEET.lower()}
    for name, df in tables.items():
        _write_table(wb.create_sheet(_sheet_name(name, taken)), df, units or {})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_text(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return value


def to_csv(df: pd.DataFrame, units: Mapping[str, str] | None = None) -> bytes:
    """CSV as Danish Excel reads it: ';' between fields, decimal comma, ISO dates, UTF-8 with BOM;
    values rounded by `units` as displayed, whole numbers as integers, formula-like text
    neutralised."""
    stored = file_frame(df, units)
    for column in stored.columns:
        stored[column] = pd.Series([_csv_text(v) for v in stored[column]], dtype=object)
    # CRLF rows (as Excel writes them), so a field with a CR or LF in it is always quoted.
    text = stored.to_csv(sep=";", index=False, date_format="%Y-%m-%d", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def table_xlsx(
    table: Table,
    scope: Scope | None = None,
    data_date: date | None = None,
    notes: Mapping[str, str] | None = None,
) -> bytes:
    """One Table as a workbook (its title names the data sheet)."""
    return to_xlsx(
        {table.title: table.frame}, scope, data_date, table.title, units=table.units, notes=notes
    )
