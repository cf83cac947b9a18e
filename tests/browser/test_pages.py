"""Every page in a real browser: deep-linked on a fresh server (the entrypoint, not the bare page
file, must answer), and opened as every role that may see it, with no exception, console error,
outside request or empty chart. A screenshot per page and role goes to artifacts/screenshots/."""

from __future__ import annotations

import pytest

from cockpit import navigation
from cockpit.auth import ROLE_LABELS
from tools.bench import harness

from .conftest import Watch, assert_sound, existing_pages, role_pages, shot, watched_tab

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("spec", existing_pages(), ids=lambda s: s.url_path)
def test_deep_link_on_a_fresh_server(spec, fresh_server, open_tab):
    """The first request a new server gets is a deep link. A page the starting role may see
    opens inside the app shell; any other page is refused, never run on its own."""
    tab, watch = open_tab(fresh_server.base)
    visible = spec in navigation.pages_for(harness.DEFAULT_ROLE, "demo")
    path = harness.link(spec, harness.DEFAULT_ROLE) if visible else spec.url_path
    tab.goto(f"{fresh_server.base}/{path}")

    # The entrypoint ran: its role picker and the starting role's navigation are there.
    role_box = tab.page.get_by_role("combobox", name="Rolle")
    assert role_box.input_value() == ROLE_LABELS[harness.DEFAULT_ROLE]
    starting = navigation.pages_for(harness.DEFAULT_ROLE, "demo")
    assert harness.nav_titles(tab) == [p.title for p in starting]
    if visible:
        assert harness.page_shown(tab) == path
        shot(tab, f"fresh-{spec.url_path}")
        assert_sound(tab, watch, f"/{path}")
    else:
        # A Danish message in the app shell instead of Streamlit's "Page not found"; the page
        # itself never runs.
        titles = tab.page.locator('[data-testid="stMain"] h1').all_inner_texts()
        assert [t.strip() for t in titles] == ["Siden er ikke tilgængelig"]
        assert tab.page.get_by_text("Page not found").count() == 0
        assert tab.page.locator('[data-testid="stMetric"]').count() == 0
        assert watch.console == [] and watch.errors == []
        assert tab.page.locator('[data-testid="stException"]').count() == 0


@pytest.fixture(scope="module")
def sessions(browser, server):
    """One browser session per role, kept across that role's pages (as a user browses)."""
    opened: dict[str, tuple[harness.Tab, Watch]] = {}

    def session(role: str, spec: navigation.PageSpec) -> tuple[harness.Tab, Watch]:
        if role not in opened:
            opened[role] = watched_tab(browser, server.base)
            harness.open_page(opened[role][0], server.base, role, spec)
        tab, watch = opened[role]
        watch.clear()
        if harness.page_shown(tab) != harness.link(spec, role):
            harness.click_nav(tab, server.base, harness.link(spec, role))
        return tab, watch

    yield session
    for tab, _watch in opened.values():
        tab.close()


@pytest.mark.parametrize(
    ("role", "spec"), role_pages(), ids=lambda v: v if isinstance(v, str) else v.url_path
)
def test_page_as_role(role, spec, server, sessions):
    tab, watch = sessions(role, spec)
    assert harness.page_shown(tab) == harness.link(spec, role)
    assert tab.page.get_by_role("combobox", name="Rolle").input_value() == ROLE_LABELS[role]
    assert harness.nav_titles(tab) == [p.title for p in navigation.pages_for(role, "demo")]
    shot(tab, f"{role}-{spec.url_path}")
    assert_sound(tab, watch, f"{spec.title} as {role}")


CHART_PROBE = """
import altair as alt
import pandas as pd
import streamlit as st

st.title("Diagramprøve")
full = pd.DataFrame({"x": ["a", "b", "c"], "y": [3, 1, 2]})
empty = full.iloc[0:0]
st.altair_chart(alt.Chart(empty).mark_bar().encode(x="x:N", y="y:Q"), theme=None)
st.altair_chart(alt.Chart(full).mark_bar().encode(x="x:N", y="y:Q"), theme=None)
st.altair_chart(alt.Chart(empty).mark_line().encode(x="x:N", y="y:Q"))
st.altair_chart(alt.Chart(full).mark_line().encode(x="x:N", y="y:Q"))
"""


def test_an_empty_chart_is_caught(tmp_path, open_tab):
    """The chart check must tell an empty chart (axes only) from one with data."""
    script = tmp_path / "probe.py"
    script.write_text(CHART_PROBE, encoding="utf-8")
    with harness.Server("", log=tmp_path / "probe.log", script=script) as probe:
        tab, _watch = open_tab(probe.base)
        charts = tab.goto(probe.base, charts=2)  # the empty charts never fill: wait only 2 s
    assert [harness.chart_empty(c) for c in charts] == [True, False, True, False], charts
