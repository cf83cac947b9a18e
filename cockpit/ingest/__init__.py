"""The importer: a municipality's extract (CSV, XLSX or Parquet; one file or sheet per table of
the data contract) checked in full and written all-or-nothing.

    from cockpit.ingest import import_folder
    result = import_folder(folder_or_files, url, progress)  # -> ImportResult

Modules: contract (tables, columns, keys), files (which file holds which table), readers (CSV,
XLSX, Parquet into text chunks), parse (text to types), privacy (CPR-like values, NUL bytes),
checks (per chunk), stage (typed Parquet staging, duplicate keys), references (foreign keys
across the import and the rows the database keeps), write (one transaction), problems (Danish
messages), run (the whole run and import_folder). Source-format readers that assemble contract
tables from other extracts belong in cockpit/ingest/sources/ and feed import_folder."""

from cockpit.ingest.contract import CONTRACT, KEYS
from cockpit.ingest.problems import ImportResult, Problem
from cockpit.ingest.run import import_folder

__all__ = ["CONTRACT", "KEYS", "ImportResult", "Problem", "import_folder"]
