"""Downloads as a Danish office opens them: the workbook read back with openpyxl (numbers are
numbers, Danish headers, the scope and data date on the first sheet), the CSV as Danish Excel reads
it, and tables formatted Danish on screen."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import load_workbook

from cockpit import downloads
from cockpit.downloads import Table
from cockpit.periods import Scope

SCOPE = Scope(999, 2026, date(2026, 10, 31))
FRAME = pd.DataFrame(
    {
        "Indsatstype": ["Længerevarende botilbud", "Bostøtte", "Lille tilbud"],
        "Forventet regnskab": [54_213_925.5, 1_234_567.0, float("nan")],
        "Forventet afvigelse i procent": [0.0512, -0.013, None],
        "Borgere": [56, 382, "<5"],
        "Merforbrug forventet siden": [date(2026, 1, 31), None, None],
    }
)
UNITS = {
    "Forventet regnskab": "mio",
    "Forventet afvigelse i procent": "share",
    "Borgere": "count",
    "Merforbrug forventet siden": "date",
}


def workbook(**kw):
    data = downloads.to_xlsx(
        {"Pr. indsatstype": FRAME},
        SCOPE,
        date(2026, 10, 31),
        "Økonomi pr. indsatstype",
        units=UNITS,
        **kw,
    )
    return load_workbook(io.BytesIO(data))


def test_xlsx_first_sheet_names_scope_and_data_date():
    wb = workbook(notes={"Kommune": "Demokommune (999)", "Indsatstype": "alle indsatstyper"})
    assert wb.sheetnames == ["Om udtrækket", "Pr. indsatstype"]
    about = {row[0]: row[1] for row in wb["Om udtrækket"].iter_rows(values_only=True)}
    assert wb["Om udtrækket"]["A1"].value == "Økonomi pr. indsatstype"
    assert about["Kommunekode"] == 999
    assert about["År"] == 2026
    assert about["Opgørelsesdato"] == datetime(2026, 10, 31)
    assert about["Data opdateret til"] == datetime(2026, 10, 31)
    assert about["Kommune"] == "Demokommune (999)"
    assert about["Indsatstype"] == "alle indsatstyper"
    assert isinstance(about["Dannet"], datetime)


def test_xlsx_numbers_are_numbers_with_danish_headers():
    ws = workbook()["Pr. indsatstype"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Indsatstype",
        "Forventet regnskab",
        "Forventet afvigelse i procent",
        "Borgere",
        "Merforbrug forventet siden",
    )
    assert rows[1] == ("Længerevarende botilbud", 54_213_925.5, 0.0512, 56, datetime(2026, 1, 31))
    assert rows[2][1] == 1_234_567 and isinstance(rows[2][1], int | float)
    # Missing values are empty cells; a suppressed count stays the text "<5".
    assert rows[3] == ("Lille tilbud", None, None, "<5", None)
    assert ws["B2"].number_format == "#,##0"
    assert ws["C2"].number_format == "0.0%"
    assert ws["D2"].number_format == "#,##0"
    assert ws["E2"].number_format == "dd-mm-yyyy"
    assert ws["A1"].font.bold
    assert ws.freeze_panes == "A2"


def test_xlsx_sheet_names_are_valid_and_unique():
    data = downloads.to_xlsx(
        {
            "Afvigelse: pr/måned [mio.]": FRAME,
            "Afvigelse? pr\\måned [mio.]": FRAME,
            "x" * 40: FRAME,
        },
        SCOPE,
        None,
        "Titel",
    )
    wb = load_workbook(io.BytesIO(data))
    names = wb.sheetnames[1:]
    assert names[0] == "Afvigelse  pr måned  mio.".strip()
    assert names[1].endswith("(2)")
    assert all(len(n) <= 31 for n in names)
    about = {row[0]: row[1] for row in wb["Om udtrækket"].iter_rows(values_only=True)}
    assert about["Data opdateret til"] is None


def test_csv_for_danish_excel():
    data = downloads.to_csv(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == (
        "Indsatstype;Forventet regnskab;Forventet afvigelse i procent;Borgere;"
        "Merforbrug forventet siden"
    )
    assert lines[1] == "Længerevarende botilbud;54213925,5;0,0512;56;2026-01-31"
    assert lines[2] == "Bostøtte;1234567,0;-0,013;382;"
    assert lines[3] == "Lille tilbud;;;<5;"


def test_screen_formatting_is_danish():
    shown = downloads.display_frame(Table("T", FRAME, UNITS))
    assert list(shown["Forventet regnskab"]) == ["54,2 mio. kr.", "1,2 mio. kr.", "–"]
    assert list(shown["Forventet afvigelse i procent"]) == ["5,1 %", "-1,3 %", "–"]
    assert list(shown["Borgere"]) == ["56", "382", "<5"]
    assert list(shown["Merforbrug forventet siden"]) == ["31. januar 2026", "–", "–"]
    assert list(shown["Indsatstype"]) == list(FRAME["Indsatstype"])
    assert downloads.display_text("kr.", 1234567.8) == "1.234.568 kr."
    assert downloads.display_text("decimal", 12.345) == "12,3"


def test_one_table_workbook():
    data = downloads.table_xlsx(Table("Pr. tilbud", FRAME, UNITS), SCOPE, date(2026, 10, 31))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Om udtrækket", "Pr. tilbud"]
    assert wb["Pr. tilbud"]["B2"].value == 54_213_925.5
