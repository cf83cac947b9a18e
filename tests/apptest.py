"""Opening a page of the cockpit in Streamlit's AppTest the way a user does: through the frame
(cockpit/app.py) with a role and URL parameters (tests/test_social_pages.py,
tests/test_worklist_pages.py)."""

from __future__ import annotations

from pathlib import Path

from conftest import as_role
from streamlit.testing.v1 import AppTest

from cockpit import db, navigation

APP = str(Path(db.ROOT) / "cockpit" / "app.py")


def open_page(page: str, query: dict | None = None, role: str = "leder") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    as_role(at, role)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(str(navigation.PAGES_DIR / f"{page}.py"))
    return at.run()
