"""Hvad nu hvis in a real browser: a director makes a scenario and saves it; a freshly started
server (same state store, new process) lists it and opens it; and its URL opens it directly in a
new session, with the numbers the scenario CLI gives."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cockpit import navigation
from cockpit.periods import Scope
from cockpit.present import fmt
from cockpit.scenario import service
from cockpit.scenario.levers import Levers
from tools.bench import harness as bench

from .conftest import assert_sound, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (navigation.PAGES_DIR / "scenarie.py").is_file(), reason="pages/scenarie.py missing"
    ),
]

NAME = "Ti signaler"
SCOPE = Scope(999, 2026, date(2026, 10, 31))
QUERY = "kommune=999&aar=2026&dato=2026-10-31"


def servers(demo_url, folder):
    """Cockpit servers sharing one state store and one audit log (as after a restart)."""
    env = {
        "COCKPIT_AUDIT_URL": f"sqlite:///{folder / 'audit.sqlite'}",
        "COCKPIT_STATE_URL": f"sqlite:///{folder / 'state.sqlite'}",
    }
    n = iter(range(100))
    return lambda: bench.Server(demo_url, log=folder / f"server{next(n)}.log", env=env).start()


def headline(tab: bench.Tab) -> str:
    return tab.page.locator('[data-testid="stMain"] strong', has_text="Scenariet").inner_text()


def test_create_find_again_on_a_fresh_server_and_open_from_its_url(demo_url, tmp_path, open_tab):
    diff = service.compute(SCOPE, Levers(signals=10), demo_url)[1]["difference_dkk"].iloc[1]
    expected = f"Scenariet sparer {fmt.money_compact(abs(diff))} i 2027"
    start = servers(demo_url, tmp_path)

    first = start()
    try:
        tab, watch = open_tab(first.base, viewport={"width": 1280, "height": 900})
        tab.goto(f"{first.base}/scenarie?{QUERY}")  # demo mode starts as a director
        assert_sound(tab, watch, "/scenarie")
        before = tab.finished
        signals = tab.page.get_by_role("spinbutton", name="Tilpasningssignaler at handle på")
        signals.fill("10")
        signals.press("Enter")
        tab.wait_idle(before)
        assert headline(tab).startswith(expected)
        before = tab.finished
        tab.page.get_by_label("Navn på scenariet").fill(NAME)
        tab.page.get_by_role("button", name="Gem scenarie").click()
        tab.wait_idle(before)
        tab.page.wait_for_url(re.compile(r"scenarie=[0-9a-f]{12}"))
        scenario_id = re.search(r"scenarie=([0-9a-f]{12})", tab.page.url).group(1)
        assert tab.page.get_by_text(f"Scenarie: {NAME}").count() == 1
        shot(tab, "scenarie-saved")
    finally:
        first.stop()

    second = start()
    try:
        # A fresh server: the scenario is listed, and opening it restores its levers.
        tab, watch = open_tab(second.base, viewport={"width": 1280, "height": 900})
        tab.goto(f"{second.base}/scenarie?{QUERY}")
        assert tab.page.get_by_text(expected).count() == 0  # no levers yet
        chooser = tab.page.locator('[data-testid="stSelectbox"]', has_text="Åbn scenarie")
        shown = chooser.evaluate("e => e.innerText + ' ' + (e.querySelector('input')?.value || '')")
        assert f"{NAME} (demo)" in shown  # the newest saved scenario, by its author
        before = tab.finished
        tab.page.get_by_role("button", name="Åbn", exact=True).click()
        tab.wait_idle(before)
        assert f"scenarie={scenario_id}" in tab.page.url
        assert tab.page.get_by_text(f"Scenarie: {NAME}").count() == 1
        assert headline(tab).startswith(expected)
        assert (
            tab.page.get_by_role(
                "spinbutton", name="Tilpasningssignaler at handle på"
            ).input_value()
            == "10"
        )
        assert_sound(tab, watch, "/scenarie (reopened)")

        # Its URL, in a new session: opened directly, as a politician would get it shared.
        shared, watch = open_tab(second.base, viewport={"width": 1280, "height": 900})
        shared.goto(f"{second.base}/scenarie?{QUERY}&scenarie={scenario_id}")
        assert shared.page.get_by_text(f"Scenarie: {NAME}").count() == 1
        assert headline(shared).startswith(expected)
        assert shared.page.get_by_text(f"/scenarie?scenarie={scenario_id}").count() >= 1
        assert_sound(shared, watch, "/scenarie?scenarie=ID")
        shot(shared, "scenarie-from-url")
    finally:
        second.stop()
