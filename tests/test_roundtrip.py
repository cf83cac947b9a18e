"""Round trip: export the demo database to a folder, import it into an empty database, and get
identical KPIs (CSV and Parquet)."""

from __future__ import annotations

from datetime import date

import pytest

from cockpit import export, metrics
from cockpit.ingest import import_folder
from cockpit.periods import Scope

SCOPE = Scope(999, 2026, date(2026, 10, 31))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from sample_data.generate import generate

    url = f"duckdb:///{tmp_path_factory.mktemp('rt') / 'demo.duckdb'}"
    generate("demo", url, progress=lambda *_: None)
    return url


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_import_gives_identical_kpis(demo, tmp_path, fmt):
    folder = tmp_path / "udtraek"
    written = export.export_folder(demo, folder, municipality=999, fmt=fmt)
    assert written["expense"] > 10_000
    target = f"duckdb:///{tmp_path / 'empty.duckdb'}"
    result = import_folder(folder, target)
    assert result.ok, [str(p) for p in result.problems[:5]]
    assert result.municipalities == [999]
    assert metrics.compute(None, SCOPE, target) == metrics.compute(None, SCOPE, demo)
