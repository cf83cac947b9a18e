"""The politician's pages on a phone (390 × 844): everything a desktop page must pass, and nothing
wider than the screen. Screenshots: artifacts/screenshots/phone-*.png."""

from __future__ import annotations

import pytest

from cockpit import navigation
from tools.bench import harness

from .conftest import assert_sound, shot

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}

# How far the page reaches past the right edge of the screen (0 when it fits); Streamlit scrolls
# inside its main area, so that is measured too.
OVERFLOW = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return Math.max(
    document.documentElement.scrollWidth - window.innerWidth,
    main.scrollWidth - main.clientWidth,
  );
}
"""


@pytest.mark.parametrize("spec", navigation.pages_for("politiker"), ids=lambda s: s.url_path)
def test_politician_page_on_a_phone(spec, server, open_tab):
    tab, watch = open_tab(server.base, **PHONE)
    harness.open_page(tab, server.base, "politiker", spec)
    assert harness.page_shown(tab) == harness.link(spec, "politiker")
    assert harness.sidebar_collapsed(tab), "the sidebar covers the page"
    shot(tab, f"phone-politiker-{spec.url_path}")
    assert tab.page.evaluate(OVERFLOW) <= 0, "the page is wider than the screen"
    for chart in tab.page.locator('[data-testid="stVegaLiteChart"]').all():
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert_sound(tab, watch, f"{spec.title} on a phone")
