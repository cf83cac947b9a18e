"""Datagrundlag: how far to trust the numbers — data date per table and named gaps with what to fix."""

import streamlit as st

from cockpit import ui
from cockpit.views import quality

scope = ui.scope()
st.subheader("Kan tallene bruges?")
found = quality.checks(
    ui.aggregate("quality_links", scope),
    ui.aggregate("quality_grants", scope),
    ui.aggregate("quality_assessments", scope),
    suppress=ui.suppresses(),
)
MARKS = {True: ":material/check_circle: I orden", False: ":material/warning: Mangler", None: "–"}
for check in found:
    with st.container(border=True):
        left, right = st.columns([3, 1])
        left.markdown(f"**{check.label}**")
        right.markdown(f"{check.shown} &nbsp; {MARKS[check.ok]}")
        if check.ok is False:
            left.caption(f"Sådan rettes det i kildesystemet: {check.advice}")

gaps = quality.gap_lines(ui.import_gap_rows(scope), suppress=ui.suppresses())
if gaps:
    st.subheader("Det, kildeimporten ikke kunne knytte sammen")
    for source, line in gaps:
        st.markdown(f"- **{source}:** {line}")

st.subheader("Tabeller")
overview = quality.table_overview(ui.data_load_rows(scope))
if overview.empty:
    st.info("Der er ingen oplysninger om indlæsning for denne kommune.")
else:
    ui.show(overview)
