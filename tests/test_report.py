"""Udvalgsrapporten (cockpit/report) on the demo database, through the command line as the staff
run it: the text of the PDF (pypdf) and of the .docx (python-docx) carries every headline figure
exactly as `kpis --json --role politiker` gives it, formatted in Danish; no citizen pseudonym
appears in either file; the PDF is A4, Danish, titled, tagged and page-numbered, with alt text on
its charts; the .docx uses Word's heading styles and right-aligns numbers in its tables."""

from __future__ import annotations

import contextlib
import io
import json
import re
import zipfile

import pytest
import sqlalchemy as sa
from docx import Document
from pypdf import PdfReader

from cockpit import db
from cockpit.__main__ import main
from cockpit.metrics import HEADLINE, KPIS, REGISTRY
from cockpit.present import fmt

MUNICIPALITY, YEAR, AS_OF = "999", "2026", "2026-10-31"
SCOPE = ["--municipality", MUNICIPALITY, "--year", YEAR, "--as-of", AS_OF]
SECTIONS = [
    "Resumé",
    "Økonomi",
    "Politiske mål",
    "Indsatstrappen",
    "Kontrakter",
    "Visitation og opfølgning",
    "Progression",
    "Bilag: Definitioner",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    from sample_data.generate import generate

    folder = tmp_path_factory.mktemp("report")
    url = f"duckdb:///{folder / 'demo.duckdb'}"
    generate("demo", url, progress=lambda *_: None)
    out = {"url": url, "folder": folder}
    for kind in ("pdf", "docx"):
        path = folder / f"rapport.{kind}"
        assert (
            main(["report", *SCOPE, "--format", kind, "--out", str(path), "--database-url", url])
            == 0
        )
        out[kind] = path
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["kpis", *SCOPE, "--json", "--role", "politiker", "--database-url", url]) == 0
    out["kpis"] = json.loads(buffer.getvalue())
    return out


@pytest.fixture
def downloads(monkeypatch) -> list:
    """Every deferred download the page registers: (file name, callable), as in test_auth."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured: list = []
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured.append((file_name, data_callable))
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return captured


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def docx_text(path) -> str:
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


def danish(key: str, value) -> str:
    return fmt.SMALL if value == fmt.SMALL else fmt.value(REGISTRY[key].unit, value)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_every_headline_figure_as_the_politician_gets_it(demo, kind):
    text = flat(pdf_text(demo[kind]) if kind == "pdf" else docx_text(demo[kind]))
    kpis = demo["kpis"]
    # By hand from the demo's figures: the forecast is shown in millions with one decimal.
    assert danish("forecast_year_end", kpis["forecast_year_end"]).endswith(" mio. kr.")
    for key in HEADLINE:
        shown = danish(key, kpis[key])
        assert shown != fmt.DASH
        assert (
            f"{REGISTRY[key].label} {shown}" in text or f"{REGISTRY[key].label} | {shown}" in text
        )
    forecast, budget = (danish(k, kpis[k]) for k in ("forecast_year_end", "budget_corrected"))
    assert f"slutte året på {forecast}" in text
    assert f"korrigerede budget på {budget}" in text
    assert "31. oktober 2026" in text
    for title in SECTIONS:
        assert title in text


def test_the_section_tables_carry_the_registry_figures_of_the_role(demo):
    """Every scalar KPI of the contracts, visitation and progression sections, as the role gets
    it, is a cell of the Word table of its section."""
    doc = Document(demo["docx"])
    cells = {(row.cells[0].text, row.cells[1].text) for t in doc.tables for row in t.rows}
    kpis = demo["kpis"]
    checked = 0
    for kpi in KPIS:
        if kpi.section in ("Kontrakter", "Visitation og opfølgning", "Progression"):
            if isinstance(kpis[kpi.key], dict):
                continue
            assert (kpi.label, danish(kpi.key, kpis[kpi.key])) in cells
            checked += 1
    assert checked >= 10


def test_no_citizen_pseudonym_in_either_file(demo):
    with db.engine(demo["url"]).connect() as con:
        ids = {r[0] for r in con.execute(sa.text("select citizen_id from citizen"))}
    assert len(ids) > 1000
    raw_docx = "".join(
        zipfile.ZipFile(demo["docx"]).read(n).decode("utf-8", "ignore")
        for n in zipfile.ZipFile(demo["docx"]).namelist()
        if n.endswith(".xml")
    )
    pattern = re.compile(r"B\d{3}-\d{6}")  # the demo's pseudonym form, e.g. B999-000001
    assert next(iter(ids)) and pattern.fullmatch(next(iter(ids)))
    for text in (pdf_text(demo["pdf"]), docx_text(demo["docx"]), raw_docx):
        assert pattern.findall(text) == []
        assert not any(i in text for i in ids)


def test_pdf_is_a4_danish_titled_tagged_and_numbered(demo):
    reader = PdfReader(demo["pdf"])
    root = reader.trailer["/Root"]
    assert str(root["/Lang"]).startswith("da")
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Budgetopfølgning og strategistatus – Demokommune")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    n = len(reader.pages)
    assert n >= 5
    assert f"Side 2 af {n}" in reader.pages[1].extract_text()
    raw = demo["pdf"].read_bytes()
    assert b"Forventet afvigelse fra budgettet pr. indsatstype" in raw or b"/Alt" in raw


def test_docx_headings_and_right_aligned_numbers(demo):
    doc = Document(demo["docx"])
    assert doc.core_properties.title.startswith("Budgetopfølgning og strategistatus")
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    for title in SECTIONS:
        assert title in headings
    hovedtal = doc.tables[0]
    assert hovedtal.rows[0].cells[1].text == "Værdi"
    for row in hovedtal.rows[1:]:
        assert row.cells[1].paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
        assert row.cells[0].paragraphs[0].alignment is None  # labels stay left
    alts = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert "Forventet afvigelse fra budgettet pr. indsatstype" in alts


def test_bad_input_gives_a_danish_error(demo, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    url = ["--database-url", demo["url"], "--out", str(out)]
    assert (
        main(["report", "--municipality", "999", "--year", "2026", "--as-of", "2025-10-31", *url])
        == 2
    )
    assert main(["report", "--municipality", "123", "--year", "2026", *url]) == 2
    err = capsys.readouterr().err
    assert "--as-of skal ligge i --year" in err and "kommune 123 findes ikke" in err
    assert not out.exists()


@pytest.mark.parametrize("page", ["oekonomi.py", "strategi.py"])
def test_the_button_hands_out_the_report_and_logs_the_export(demo, downloads, monkeypatch, page):
    from test_auth import app

    from cockpit import audit

    monkeypatch.setenv("COCKPIT_DATABASE_URL", demo["url"])
    at = app(role="direktoer", page=page)
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["Hent udvalgsrapport", "Hent udvalgsrapport som Word"]
    build = dict(downloads)
    name = next(n for n in build if n.startswith("udvalgsrapport_999_") and n.endswith(".pdf"))
    content = build[name]()
    assert content[:5] == b"%PDF-"
    log = audit.search(limit=1000)
    row = log[(log["action"] == "export") & (log["source"] == name)]
    assert len(row) == 1 and row["role"].iloc[0] == "direktoer"


@pytest.mark.parametrize("role", ["leder", "admin"])
def test_no_report_button_for_other_roles(demo, monkeypatch, role):
    from test_auth import app

    monkeypatch.setenv("COCKPIT_DATABASE_URL", demo["url"])
    at = app(role=role, page="oekonomi.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert not any(label.startswith("Hent udvalgsrapport") for label in labels)


@pytest.mark.parametrize("page", ["oekonomi", "strategi"])
def test_print_view_expands_tables_and_drops_buttons(demo, monkeypatch, page):
    """?print=1: every "Vis som tabel" open, tables as HTML tables (st.table, which prints) and
    no download buttons; the same page without it keeps its interactive tables."""
    from test_oekonomi import open_page

    monkeypatch.setenv("COCKPIT_DATABASE_URL", demo["url"])
    printed = open_page(page, query={"print": "1"})
    assert not printed.exception
    tables = [e for e in printed.expander if e.label == "Vis som tabel"]
    assert tables and all(e.proto.expanded for e in tables)
    assert len(printed.table) >= len(tables) and len(printed.dataframe) == 0
    assert printed.get("download_button") == []
    normal = open_page(page, query={"print": "nej"})  # anything but 1 is the normal page
    assert len(normal.dataframe) >= len(tables) and len(normal.table) == 0
    assert not any(e.proto.expanded for e in normal.expander if e.label == "Vis som tabel")
