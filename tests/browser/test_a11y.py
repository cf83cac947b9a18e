"""Issue 12 in a real browser: axe-core (WCAG 2.1 A/AA rules, run offline from the axe.min.js that
axe-playwright-python ships) on every page as every role that may open it, no toolbar download on
a table, and the Indsatstrappe's columns wide enough to read on a phone (375 × 812). The axe
findings per page and role go to artifacts/axe.json."""

from __future__ import annotations

import json

import pytest

from cockpit import navigation
from tools.bench import harness

from .conftest import role_pages, watched_tab

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
GRAVE = ("serious", "critical")

# Findings caused by Streamlit's own chrome, not the cockpit's content (README, "Exports, number
# formats and accessibility"): axe rule → the Streamlit element (data-testid) that holds the node.
# st.navigation with sections draws its sidebar menu as <ul><div><li>…: "list" and "listitem".
CHROME = {"list": "stSidebarNav", "listitem": "stSidebarNav"}

INSIDE = "([sel, testid]) => !!document.querySelector(sel)?.closest(`[data-testid='${testid}']`)"


def chrome(page, rule: str, target: str) -> bool:
    return rule in CHROME and page.evaluate(INSIDE, [target, CHROME[rule]])


def axe_findings(page) -> list[dict]:
    """The serious and critical axe violations on the page, one entry per node."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    return [
        {
            "chrome": chrome(page, v["id"], " ".join(map(str, n["target"]))),
            "rule": v["id"],
            "impact": v["impact"],
            "target": " ".join(map(str, n["target"])),
            "summary": n.get("failureSummary", "")[:300],
        }
        for v in results.response["violations"]
        for n in v["nodes"]
        if (n.get("impact") or v["impact"]) in GRAVE
    ]


@pytest.fixture(scope="module")
def role_tabs(browser, server):
    """One browser tab per role, kept across that role's pages."""
    opened: dict[str, harness.Tab] = {}

    def tab_for(role: str, spec: navigation.PageSpec) -> harness.Tab:
        if role not in opened:
            opened[role] = watched_tab(browser, server.base)[0]
            harness.open_page(opened[role], server.base, role, spec)
        tab = opened[role]
        if harness.page_shown(tab) != harness.link(spec, role):
            try:
                harness.click_nav(tab, server.base, harness.link(spec, role))
            except Exception:  # a stuck navigation: start that role's session again
                tab.close()
                opened[role] = watched_tab(browser, server.base)[0]
                harness.open_page(opened[role], server.base, role, spec)
        return opened[role]

    yield tab_for
    for tab in opened.values():
        tab.close()


def test_axe_on_every_page_and_role(server, role_tabs):
    report: dict[str, list[dict]] = {}
    for role, spec in role_pages():
        tab = role_tabs(role, spec)
        assert harness.page_shown(tab) == harness.link(spec, role)
        tab.all_charts()
        report[f"{role}/{spec.url_path}"] = axe_findings(tab.page)
        harness.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (harness.ARTIFACTS / "axe.json").write_text(
            json.dumps(report, indent=1, ensure_ascii=False)
        )
    ours = {
        where: [f"{f['rule']} {f['target']}" for f in found if not f["chrome"]]
        for where, found in report.items()
    }
    ours = {where: found for where, found in ours.items() if found}
    total = sum(len(found) for found in report.values())
    print(f"axe serious/critical nodes: {total}, ours: {sum(map(len, ours.values()))}")
    assert report, "no page checked"
    assert not ours, json.dumps(ours, indent=1, ensure_ascii=False)


TOOLBAR_DOWNLOAD = '[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]'


def test_no_toolbar_download_on_a_table(server, open_tab):
    """client.disableDataExport: hovering a table shows no "Download as CSV" in its toolbar; the
    page's own audited "Hent som CSV" is there instead."""
    spec = next(p for p in navigation.PAGES if p.url_path == "oekonomi")
    tab, _watch = open_tab(server.base)
    harness.open_page(tab, server.base, "direktoer", spec)
    tab.page.get_by_text("Vis som tabel").first.click()
    frame = tab.page.locator('[data-testid="stDataFrame"]').first
    frame.wait_for(state="visible")
    frame.hover()
    toolbar = tab.page.locator('[data-testid="stElementToolbar"]').first
    toolbar.wait_for(state="attached", timeout=5000)
    assert tab.page.locator('[data-testid="stElementToolbar"] button').count() >= 1  # it showed
    assert tab.page.locator(TOOLBAR_DOWNLOAD).count() == 0
    assert tab.page.get_by_role("button", name="Download as CSV").count() == 0
    assert tab.page.get_by_role("button", name="Hent som CSV").count() >= 1


PHONE = {
    "viewport": {"width": 375, "height": 812},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

# The width of each data bar Vega drew in the chart, in CSS pixels.
BAR_WIDTHS = """
(chart) => Array.from(chart.querySelectorAll('svg.marks g.mark-rect.role-mark path'))
  .map((p) => p.getBoundingClientRect().width)
"""


@pytest.mark.parametrize(
    "spec",
    [s for s in navigation.pages_for("politiker") if s.url_path == "strategi"],
    ids=lambda s: s.url_path,
)
def test_indsatstrappe_bars_on_a_phone(spec, server, open_tab):
    tab, _watch = open_tab(server.base, **PHONE)
    harness.open_page(tab, server.base, "politiker", spec)
    tab.all_charts()
    staircase = tab.page.locator(
        '[data-testid="stVegaLiteChart"][aria-label*="indsatstrappens trin"]'
    )
    assert staircase.count() == 1
    widths = staircase.evaluate(BAR_WIDTHS)
    assert widths, "no bars drawn"
    assert min(widths) >= 8, widths
