"""The report as a Word document the staff edit before it goes on the agenda (python-docx): Word's
own heading styles (Titel, Overskrift 1-2), Word tables with numbers right-aligned, charts as
200-dpi PNG pictures with alt text, document language Danish and the title in its properties."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from cockpit.downloads import Table, display_frame
from cockpit.present import fmt
from cockpit.report import figures
from cockpit.report.model import Report
from cockpit.report.parts import Section

LANGUAGE = "da-DK"


def _language(doc) -> None:
    """Danish as the language of the default styles (spell checking, hyphenation)."""
    for style in (doc.styles["Normal"], *[doc.styles[f"Heading {n}"] for n in (1, 2)]):
        rpr = style.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), LANGUAGE)
        rpr.append(lang)


def _table(doc, t: Table) -> None:
    shown = display_frame(t)
    doc.add_paragraph(t.title, style="Caption")
    table = doc.add_table(rows=1, cols=len(shown.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    right = [c in t.units and t.units[c] != "text" for c in shown.columns]
    for cell, name, r in zip(table.rows[0].cells, shown.columns, right, strict=True):
        cell.text = str(name)
        cell.paragraphs[0].runs[0].bold = True
        if r:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(table.rows[0])
    for values in shown.itertuples(index=False):
        cells = table.add_row().cells
        for cell, v, r in zip(cells, values, right, strict=True):
            cell.text = str(v)
            if r:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    size = Pt(8) if len(shown.columns) > 5 else Pt(9)
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = size


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _picture(doc, chart, alt_text: str) -> None:
    doc.add_picture(io.BytesIO(figures.png(chart)), width=Cm(16))
    shape = doc.inline_shapes[-1]
    shape._inline.docPr.set("descr", alt_text)
    shape._inline.docPr.set("title", alt_text)
    doc.add_paragraph(alt_text, style="Caption")


def _section(doc, sec: Section) -> None:
    doc.add_heading(sec.title, level=sec.level)
    for p in sec.paragraphs:
        doc.add_paragraph(p)
    for fig in sec.figures:
        _picture(doc, fig.chart, fig.alt_text)
    for t in sec.tables:
        _table(doc, t)


def render(report: Report) -> bytes:
    """The report as .docx bytes."""
    import pandas as pd

    doc = Document()
    _language(doc)
    doc.core_properties.title = report.title
    doc.core_properties.author = report.municipality
    doc.core_properties.language = LANGUAGE
    doc.add_heading("Udvalgsrapport", level=0)
    doc.add_paragraph("Budgetopfølgning og strategistatus", style="Subtitle")
    doc.add_paragraph(report.municipality)
    doc.add_paragraph(f"Periode: {report.period}")
    doc.add_paragraph(f"Opgørelsesdato: {fmt.long_date(report.as_of)}")
    doc.add_paragraph(report.freshness)
    doc.add_paragraph(report.source)
    doc.add_page_break()
    doc.add_heading("Resumé", level=1)
    for line in report.resume:
        doc.add_paragraph(line)
    frame = pd.DataFrame(report.headline, columns=["Nøgletal", "Værdi"])
    _table(doc, Table("Hovedtal", frame, {"Værdi": "text-right"}))
    for sec in report.sections:
        _section(doc, sec)
    doc.add_page_break()
    doc.add_heading("Bilag: Definitioner", level=1)
    for label, definition in report.definitions:
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(definition)
    doc.add_heading("Datagrundlag", level=2)
    doc.add_paragraph(report.freshness)
    doc.add_paragraph(report.source)
    _page_numbers(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_numbers(doc) -> None:
    """'Side N' in the footer (a PAGE field Word updates)."""
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.add_run("Side ")
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
