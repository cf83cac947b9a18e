"""Import: an administrator loads a municipality's own extract (CSV, XLSX or Parquet files) or the
source files it already has (FFB uddatasæt, ERP postings, the grant extract)."""

import streamlit as st

from cockpit import ui

ui.heading("Import af egne data")
st.markdown(
    "Indlæs kommunens eget udtræk: én fil pr. tabel (fx `grant.csv`, `expense.xlsx`) eller én "
    "Excel-projektmappe med ét ark pr. tabel. CSV-filer gemt fra dansk Excel (semikolon, "
    "decimalkomma, Windows-1252) kan bruges direkte. Tabellerne og kolonnerne er beskrevet i "
    "datakontrakten (`sample_data/schema.sql`).\n\n"
    "Eller indlæs det, kommunen allerede har: **FFB-uddatasættet** (FHIR-leverancer som "
    "`.json`), **posteringer** fra økonomisystemet (G69 eller CSV med `finanskontoalias.csv`) og "
    "**bevillingsudtrækket** fra fagsystemet. CPR-numre pseudonymiseres, før noget gemmes; "
    "navne og telefonnumre læses ikke.\n\n"
    "Importen er **alt eller intet**: er der en fejl i blot én fil, ændres intet, og alle fejl "
    "listes med fil, række og kolonne. En import erstatter de indlæste kommuners data og rører "
    "ikke andre kommuners. Cockpittet kører videre under importen og viser de nye data, så snart "
    "den er færdig."
)

if not ui.import_allowed():
    st.warning(
        "Import er slået fra, fordi cockpittet læser fra et datavarehus. Cockpittet skriver aldrig "
        "til en database, det læser fra: indlæs data i datavarehuset i stedet."
    )
    st.stop()

choices = ui.municipality_choices()
municipality = st.selectbox(
    "Kommune (kræves for kildefiler)",
    list(choices),
    index=None,
    format_func=choices.get,
    placeholder="Vælg kommunen, som kildefilerne hører til",
    key="import_municipality",
)
files = st.file_uploader(
    "Vælg filer",
    type=["csv", "xlsx", "parquet", "json", "g69", "txt"],
    accept_multiple_files=True,
    key="import_files",
)
if files and st.button("Indlæs filerne", type="primary"):
    bar = st.progress(0.0, text="Læser filerne …")
    result = ui.import_uploads(
        files, lambda text, done: bar.progress(min(max(done, 0.0), 1.0), text), municipality
    )
    bar.empty()
    ui.show_import_result(result)
