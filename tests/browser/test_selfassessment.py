"""Styringsoverblik in a real browser on the demo: the seeded 2026 assessment with the evidence
beside "Ja" to contracts for all citizens (83,5 % of the demo's external grants have a valid
contract) and its contradiction; a director changes one answer and saves; a freshly started server
(same state store file, new process) shows the new score."""

from __future__ import annotations

import pytest

from cockpit import navigation, state
from cockpit.selfassessment import store
from tools.bench import harness as bench

from .conftest import assert_sound, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (navigation.PAGES_DIR / "styringsoverblik.py").is_file(),
        reason="pages/styringsoverblik.py missing",
    ),
]

QUERY = "kommune=999&aar=2026&dato=2026-10-31"
EVIDENCE = (
    "Svar: Ja, kontrakter for alle borgere — data: 83,5 % af eksterne bevillinger har gyldig "
    "kontrakt"
)


def theme_metric(tab: bench.Tab, theme: str) -> str:
    metric = tab.page.locator('[data-testid="stMetric"]', has_text=theme)
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_answer_on_the_demo_and_find_it_after_a_restart(demo_url, tmp_path, open_tab, monkeypatch):
    state_url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    monkeypatch.setenv("COCKPIT_STATE_URL", state_url)
    state.release()
    assert store.seed_demo() == [2025, 2026]  # as `python -m cockpit generate demo` does
    state.release()
    env = {
        "COCKPIT_AUDIT_URL": f"sqlite:///{tmp_path / 'audit.sqlite'}",
        "COCKPIT_STATE_URL": state_url,
    }

    first = bench.Server(demo_url, log=tmp_path / "server0.log", env=env).start()
    try:
        tab, watch = open_tab(first.base, viewport={"width": 1280, "height": 900})
        tab.goto(f"{first.base}/styringsoverblik?{QUERY}")  # demo mode starts as a director
        assert_sound(tab, watch, "/styringsoverblik")
        # demo_answers.csv 2026, Kontrakter og forhandling: Ja, Delvist, Nej, Ja, Delvist,
        # Delvist = 350/6 = 58,3: below 60.
        assert theme_metric(tab, "Kontrakter og forhandling") == "58 ▼"
        tab.page.locator('[data-testid="stExpander"] summary', has_text="Kontrakter og").click()
        assert tab.page.get_by_text(EVIDENCE).count() == 1
        assert tab.page.get_by_text("Modstrid: Ja passer ikke med data").count() >= 1
        group = tab.page.locator('[data-testid="stRadio"]', has_text="K03.")
        group.get_by_text("Ja", exact=True).click()
        before = tab.finished
        tab.page.get_by_role("button", name="Gem besvarelse").click()
        tab.wait_idle(before)
        assert tab.page.get_by_text("1 svar gemt for 2026.").count() == 1
        shot(tab, "styringsoverblik-saved")
    finally:
        first.stop()

    second = bench.Server(demo_url, log=tmp_path / "server1.log", env=env).start()
    try:
        tab, watch = open_tab(second.base, viewport={"width": 1280, "height": 900})
        tab.goto(f"{second.base}/styringsoverblik?{QUERY}")
        # K03 now Ja: 450/6 = 75.
        assert theme_metric(tab, "Kontrakter og forhandling") == "75"
        assert_sound(tab, watch, "/styringsoverblik (restarted)")
    finally:
        second.stop()
