"""The "Hent udvalgsrapport" buttons of Strategi and Økonomi (director and politician): the
committee paper (cockpit/report) as PDF and Word, built only when clicked and written to the
audit log as an export first (widgets.logged_download). The report is always read as the
politiker role, whoever downloads it; the audit log names who did."""

from __future__ import annotations

from functools import partial

import streamlit as st

from cockpit.periods import Scope
from cockpit.report import model, pdf, word
from cockpit.ui import printview, session
from cockpit.ui.widgets import logged_download

ROLES = ("politiker", "direktoer")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _build(renderer, scope: Scope, url: str) -> bytes:
    return renderer.render(model.build(scope, url))


def download(scope: Scope) -> None:
    """The two report buttons for the director and the politician; nothing for other roles or
    in the print view."""
    who = session.principal()
    if who is None or who.role not in ROLES or printview.active():
        return
    url = session.gateway().url
    stem = f"udvalgsrapport_{scope.municipality}_{scope.as_of.isoformat()}"
    files = (
        ("Hent udvalgsrapport", pdf, f"{stem}.pdf", "application/pdf"),
        ("Hent udvalgsrapport som Word", word, f"{stem}.docx", DOCX_MIME),
    )
    for col, (label, renderer, name, mime) in zip(st.columns([1, 1, 2]), files, strict=False):
        with col:
            logged_download(
                label,
                partial(_build, renderer, scope, url),
                name,
                scope=scope,
                filters={"Rapport": "Udvalgsrapport"},
                mime=mime,
                key=f"_report_{name}",
            )
