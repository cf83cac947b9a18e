"""Sammenligning in a real browser, read as a politician and a director would: the peers of
Demokommune (standing in for Svendborg), the gap split into quantity and price with the amounts the
comparison computes, expected spend, and the map of Denmark drawn. Screenshots in
artifacts/screenshots/sammenligning-<role>.png."""

from __future__ import annotations

from datetime import date

import pytest

from cockpit import navigation
from cockpit.compare import report
from cockpit.periods import Scope
from cockpit.present import fmt
from tools.bench import harness

from .conftest import assert_sound, shot, watched_tab

pytestmark = pytest.mark.browser

SPEC = next(p for p in navigation.PAGES if p.url_path == "sammenligning")


@pytest.mark.parametrize("role", ["politiker", "direktoer"])
def test_compare_page_as_role(role, browser, server, demo_url):
    expected = report.build(Scope(999, 2026, date(2026, 10, 31)), demo_url, hide_own=True)
    tab, watch = watched_tab(browser, server.base, viewport={"width": 1280, "height": 900})
    try:
        charts = harness.open_page(tab, server.base, role, SPEC)
        page = tab.page
        main = page.locator('[data-testid="stMain"]')
        text = main.inner_text()
        assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Sammenligning"
        assert "Svendborg Kommune" in text  # the named municipality Demokommune borrows from
        assert "syntetiske" in text
        for heading in (
            "Hvem ligner vi?",
            "Flere borgere eller dyrere pr. borger?",
            "Danmarkskort",
        ):
            assert heading in text
        # The split the page states is the one the comparison computes, in Danish kroner.
        split = expected.split
        assert f"{fmt.money(abs(split['gap']))} mindre pr. 18-64-årig" in text
        assert f"Færre borgere pr. 1.000 18-64-årige ({fmt.number(split['q'], 1)} mod" in text
        assert f"{fmt.money(abs(split['quantity']))} ned (mængde)" in text
        assert f"{fmt.money(abs(split['price']))} op (pris)" in text
        assert fmt.money_compact(expected.expected_spend) in text
        assert "Nærmest er Køge, Hjørring, Faaborg-Midtfyn" in text
        assert "Kommunegrænser: DAGI" in text
        # The map is drawn: a chart with data marks (98 municipalities and the outlines).
        drawn = [c for c in charts if c["renderer"] != "hidden"]
        assert drawn and all(c["marks"] > 0 for c in drawn), charts
        shot(tab, f"sammenligning-{role}")
        assert_sound(tab, watch, f"Sammenligning as {role}")
    finally:
        tab.close()
