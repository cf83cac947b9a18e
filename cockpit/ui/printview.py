"""The print view of a steering page (?print=1 in the URL): what someone prints from the browser
for the committee. No sidebar, no toolbar and no download buttons (their icon names would print
as words), tables as plain HTML tables (st.dataframe draws on a canvas that does not print) and
every "Vis som tabel" expanded."""

from __future__ import annotations

import streamlit as st

PARAM = "print"
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDownloadButton"]
{ display: none !important; }
.block-container { max-width: 100% !important; padding-top: 1rem !important; }
@media print { .block-container { padding: 0 !important; } }
</style>
"""


def active() -> bool:
    """Whether the page is shown for printing (?print=1; anything else is the normal page)."""
    return st.query_params.get(PARAM) == "1"


def apply() -> None:
    """Hide the sidebar and the toolbar when the page is shown for printing."""
    if active():
        st.html(CSS)
