"""Worklists in a real browser: a social manager sets a status on the Arbejdslister page, the
server is stopped and a new one started on the same state store (a SQLite file), and the status is
still there; a politician's Overblik shows the steering figures and no note text."""

from __future__ import annotations

import contextlib

import pytest

from cockpit import navigation
from tools.bench import harness

from .conftest import assert_sound, cockpit_server, shot, watched_tab

pytestmark = pytest.mark.browser

NOTE = "Aftalt revisitation med bostedet BROWSERNOTE-4417"


def choose(tab: harness.Tab, label: str, option: str) -> None:
    """Pick `option` in the select box labelled `label` and wait for the rerun."""
    box = tab.page.get_by_role("combobox", name=label, exact=True)
    wanted = tab.page.get_by_role("option", name=option, exact=True)
    for _attempt in range(3):  # a click while the page settles may not open the list
        box.click()
        with contextlib.suppress(Exception):
            wanted.wait_for(state="visible", timeout=3000)
            break
        tab.page.keyboard.press("Escape")
    wanted.click()
    assert box.input_value() == option


def open_worklist(browser, server: harness.Server, role: str = "leder"):
    spec = next(p for p in navigation.PAGES if p.url_path == "arbejdsliste")
    tab, watch = watched_tab(browser, server.base)
    harness.open_page(tab, server.base, role, spec)
    return tab, watch


def test_a_status_survives_a_restart(browser, demo_url, tmp_path):
    first = cockpit_server(demo_url, tmp_path).start()
    try:
        tab, watch = open_worklist(browser, first)
        assert_sound(tab, watch, "Arbejdslister")
        item = tab.page.get_by_role("combobox", name="Punkt").input_value()
        choose(tab, "Status", "Under behandling")
        tab.page.get_by_label("Ansvarlig", exact=True).fill("Karin Holm")
        tab.page.get_by_label("Note", exact=True).fill(NOTE)
        before = tab.finished
        tab.page.get_by_role("button", name="Gem").click()
        tab.wait_idle(before)
        key = item.split(" – ")[0]
        assert tab.page.get_by_text(f"Gemt: {key} er nu Under behandling.").count() == 1
        shot(tab, "worklist-saved")
        tab.close()
    finally:
        first.stop()

    second = cockpit_server(demo_url, tmp_path).start()  # same folder: same state store
    try:
        tab, watch = open_worklist(browser, second)
        assert tab.page.get_by_role("combobox", name="Punkt").input_value() == item
        assert tab.page.get_by_role("combobox", name="Status").input_value() == "Under behandling"
        assert tab.page.get_by_label("Ansvarlig", exact=True).input_value() == "Karin Holm"
        assert tab.page.get_by_label("Note", exact=True).input_value() == NOTE
        assert tab.page.get_by_text("Nu: Under behandling, senest ændret af demo").count() == 1
        assert_sound(tab, watch, "Arbejdslister after restart")
        tab.close()

        # The politician's steering page: the figures, and no note text anywhere on it.
        spec = next(p for p in navigation.PAGES if p.url_path == "overblik")
        tab, watch = watched_tab(browser, second.base)
        harness.open_page(tab, second.base, "politiker", spec)
        text = tab.page.locator('[data-testid="stMain"]').inner_text()
        assert "Håndteret inden for 60 dage" in text and "Realiseret pr. måned" in text
        assert "BROWSERNOTE" not in tab.page.content()
        assert_sound(tab, watch, "Overblik as politiker")
        tab.close()
    finally:
        second.stop()
