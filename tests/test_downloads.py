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
    # Amounts rounded as the screen shows them (whole kroner), whole numbers stored as integers.
    assert rows[1] == ("Længerevarende botilbud", 54_213_926, 0.0512, 56, datetime(2026, 1, 31))
    assert isinstance(rows[1][1], int) and isinstance(rows[1][3], int)
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
    data = downloads.to_csv(FRAME, UNITS)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == (
        "Indsatstype;Forventet regnskab;Forventet afvigelse i procent;Borgere;"
        "Merforbrug forventet siden"
    )
    assert lines[1] == "Længerevarende botilbud;54213926;0,0512;56;2026-01-31"
    assert lines[2] == "Bostøtte;1234567;-0,013;382;"
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
    assert wb["Pr. tilbud"]["B2"].value == 54_213_926


# ---------------------------------------------------------------- safe to open (issue 11)

PAYLOADS = [
    '=HYPERLINK("http://evil.example","klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]
EVIL = pd.DataFrame(
    {
        "Tilbud": PAYLOADS,
        "Borgere": [6.0, 5.0, 12.0, float("nan"), 7.0, 8.0],
        "Forbrug år til dato": [6275165.433914021, -15606.47, 1.0, 2.5, 0.0, 3.0],
    }
)
EVIL_UNITS = {"Borgere": "count", "Forbrug år til dato": "kr."}


def test_xlsx_text_that_looks_like_a_formula_is_text():
    data = downloads.to_xlsx(EVIL, units=EVIL_UNITS, notes={"Indsatstype": "=1+2"})
    wb = load_workbook(io.BytesIO(data))
    ws = wb[wb.sheetnames[1]]
    cells = [ws.cell(row=r, column=1) for r in range(2, 2 + len(PAYLOADS))]
    # (A stored CR may read back as LF; either way it follows the neutralising quote.)
    read = [c.value.replace("\r", "\n") for c in cells]
    assert read == ["'" + p.replace("\r", "\n") for p in PAYLOADS]
    assert all(c.data_type == "s" for c in cells)  # never "f" (formula)
    about = {row[0]: row[1] for row in wb["Om udtrækket"].iter_rows(values_only=True)}
    assert about["Indsatstype"] == "'=1+2"
    # Counts are integers ("6", not "6.0"), amounts whole kroner; a negative amount stays a number.
    assert [ws.cell(row=r, column=2).value for r in range(2, 8)] == [6, 5, 12, None, 7, 8]
    assert isinstance(ws["B2"].value, int)
    assert ws["C2"].value == 6275165 and ws["C3"].value == -15606
    # No cell anywhere in the file holds a formula.
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_xlsx_raw_xml_has_no_formula():
    import zipfile

    data = downloads.to_xlsx(EVIL, units=EVIL_UNITS)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml


def test_csv_text_that_looks_like_a_formula_is_neutralised():
    text = downloads.to_csv(EVIL, EVIL_UNITS).decode("utf-8-sig")
    import csv

    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["Tilbud", "Borgere", "Forbrug år til dato"]
    assert [r[0] for r in rows[1:]] == ["'" + p for p in PAYLOADS]
    assert [r[1] for r in rows[1:]] == ["6", "5", "12", "", "7", "8"]
    assert [r[2] for r in rows[1:]] == ["6275165", "-15606", "1", "2", "0", "3"]
    assert "433914021" not in text and "6.0" not in text and "6,0" not in text


def test_csv_header_from_data_is_neutralised_too():
    frame = pd.DataFrame({"=cmd()": ["ok", "–", "<5"]})
    text = downloads.to_csv(frame).decode("utf-8-sig")
    assert text.splitlines() == ["'=cmd()", "ok", "–", "<5"]


def test_one_frame_workbook_without_scope():
    wb = load_workbook(io.BytesIO(downloads.to_xlsx(FRAME)))
    assert wb.sheetnames == ["Om udtrækket", "Udtræk"]
    assert wb["Udtræk"]["A2"].value == "Længerevarende botilbud"
