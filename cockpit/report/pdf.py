"""The report as PDF for the agenda system, typeset by Typst (the `typst` wheel: pip only, no
browser, no system libraries): A4, page numbers, document language da and a title in the PDF
metadata, vector charts (SVG) with alt text, tagged (Typst tags headings, tables and figures and
writes the alt text into the structure tree)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typst

from cockpit.downloads import Table, display_frame
from cockpit.present import fmt
from cockpit.report import figures
from cockpit.report.model import Report
from cockpit.report.parts import Section

PREAMBLE = """
#set document(title: {title}, author: {author})
#set text(lang: "da", region: "dk", size: 10.5pt)
#set page(paper: "a4", margin: (x: 2.2cm, y: 2.4cm),
  footer: context [#set text(size: 8.5pt, fill: gray.darken(30%))
    #{footer} #h(1fr) Side #counter(page).display() af #counter(page).final().first()])
#set par(justify: false, leading: 0.6em)
#set heading(numbering: none)
#show heading.where(level: 1): set text(size: 15pt)
#show heading.where(level: 2): set text(size: 12pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#set table(stroke: (x, y) => if y == 0 {{ (bottom: 0.7pt) }} else {{ (bottom: 0.3pt + gray) }},
  inset: (x: 4pt, y: 3pt))
"""


UNITS = (" mio. kr.", " kr.", " %", " dage")


def s(text: object) -> str:
    """A Typst string literal (every text of the report goes in as a string, never as markup)."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    for unit in UNITS:  # an amount never breaks across lines: "2.021,3 mio. kr."
        escaped = escaped.replace(unit, unit.replace(" ", "\u00a0", 1))
    return f'"{escaped}"'


def _par(text: str) -> str:
    return f"#par({s(text)})\n"


def _table(t: Table) -> str:
    shown = display_frame(t)
    right = [c in t.units and t.units[c] != "text" for c in shown.columns]
    align = ", ".join("right" if r else "left" for r in right)
    size = "8pt" if len(shown.columns) > 5 else "9pt"
    head = ", ".join(f"[{'#'}{s(c)}]" for c in shown.columns)
    cells = ",\n".join(", ".join(s(v) for v in row) for row in shown.itertuples(index=False))
    return (
        f'#block(breakable: true)[#text(weight: "bold", {s(t.title)})]\n'
        f"#text(size: {size})[#table(columns: {len(shown.columns)}, align: ({align},),\n"
        f"table.header({head}),\n{cells})]\n"
    )


def _section(sec: Section, folder: Path, n: list[int]) -> str:
    out = [f"{'=' * sec.level} #{s(sec.title)}\n"]
    out += [_par(p) for p in sec.paragraphs]
    for fig in sec.figures:
        n[0] += 1
        name = f"figur{n[0]}.svg"
        (folder / name).write_text(figures.svg(fig.chart), encoding="utf-8")
        out.append(
            f'#figure(image("{name}", width: 100%, alt: {s(fig.alt_text)}), '
            f"caption: [#{s(fig.alt_text)}])\n"
        )
    out += [_table(t) for t in sec.tables]
    return "\n".join(out)


def source(report: Report, folder: Path) -> str:
    """The Typst document of the report (charts written into `folder`)."""
    parts = [
        PREAMBLE.format(
            title=s(report.title), author=s(report.municipality), footer=s(report.title)
        ),
        "#v(4cm)\n",
        f'#text(size: 24pt, weight: "bold", {s("Udvalgsrapport")})\n\n',
        f"#text(size: 16pt, {s('Budgetopfølgning og strategistatus')})\n\n#v(1cm)\n",
        f"#text(size: 13pt, {s(report.municipality)})\n\n",
        _par(f"Periode: {report.period}"),
        _par(f"Opgørelsesdato: {fmt.long_date(report.as_of)}"),
        "#v(1fr)\n",
        _par(report.freshness),
        _par(report.source),
        "#pagebreak()\n",
        f"= #{s('Resumé')}\n",
    ]
    parts += [_par(p) for p in report.resume]
    parts.append(
        _table(
            Table(
                "Hovedtal",
                _headline_frame(report),
                {"Værdi": "text-right"},
            )
        )
    )
    n = [0]
    for sec in report.sections:
        parts.append(_section(sec, folder, n))
    parts.append(f"#pagebreak()\n= #{s('Bilag: Definitioner')}\n")
    for label, definition in report.definitions:
        parts.append(f'#par[#text(weight: "bold", {s(label)}): #{s(definition)}]\n')
    parts.append(f"== #{s('Datagrundlag')}\n" + _par(report.freshness) + _par(report.source))
    return "".join(parts)


def _headline_frame(report: Report):
    import pandas as pd

    return pd.DataFrame(report.headline, columns=["Nøgletal", "Værdi"])


def render(report: Report) -> bytes:
    """The report as a tagged PDF (PDF/UA-1 when Typst accepts the document as such)."""
    with tempfile.TemporaryDirectory(prefix="udvalgsrapport_") as tmp:
        folder = Path(tmp)
        main = folder / "rapport.typ"
        main.write_text(source(report, folder), encoding="utf-8")
        try:
            return typst.compile(str(main), root=str(folder), pdf_standards=["ua-1"])
        except typst.TypstError:
            return typst.compile(str(main), root=str(folder))
