"""A social manager's drill-down in a real browser: Overblik → an offer → one of its citizens →
back to the offer → Overblik, on a chosen reference date. Every step must keep that date and
show the figures the database gives for it (counted here in plain SQL)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from cockpit import db, navigation
from tools.bench import harness

from .conftest import assert_sound, metrics, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not all((navigation.PAGES_DIR / f).is_file() for f in ("tilbud.py", "borger.py")),
        reason="the drill-down needs pages/tilbud.py and pages/borger.py (not written yet)",
    ),
]

AS_OF = date(2026, 6, 30)
SHOWN_DATE = "30. juni 2026"


def facts(demo_url: str) -> dict:
    """What the pages must show, counted straight from the data in plain SQL."""
    con = duckdb.connect(str(db.duckdb_path(demo_url)), read_only=True)
    con.execute(
        'create temp table active as select * from "grant" where municipality_code = 999 '
        "and start_date <= $d and (end_date is null or end_date >= $d)",
        {"d": AS_OF},
    )
    out = {"citizens": con.execute("select count(distinct citizen_id) from active").fetchone()[0]}
    out["offer_id"], out["offer"], out["on_offer"] = con.execute(
        "select g.offer_id, o.name, count(distinct g.citizen_id) as n from active as g "
        "join offer as o on o.municipality_code = g.municipality_code and o.offer_id = g.offer_id "
        "where o.owner_type = 'own' group by all order by n desc, g.offer_id limit 1"
    ).fetchone()
    out["price"] = dict(
        con.execute(
            "select citizen_id, sum(monthly_price) from active group by citizen_id"
        ).fetchall()
    )
    out["offer_citizens"] = {
        c
        for (c,) in con.execute(
            "select citizen_id from active where offer_id = $o", {"o": out["offer_id"]}
        ).fetchall()
    }
    con.close()
    return out


def kroner(v: float) -> str:
    return f"{round(v):,} kr.".replace(",", ".")


def click_first_row(tab: harness.Tab, table) -> None:
    """Select the first row of a clickable table (a canvas: click its row marker)."""
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    before = tab.finished
    tab.page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # below the 35 px header row
    tab.wait_idle(before)


def captions(tab: harness.Tab) -> str:
    return " ".join(tab.page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())


def test_overview_offer_citizen_and_back(demo_url, server, open_tab):
    want = facts(demo_url)
    tab, watch = open_tab(server.base, viewport={"width": 1280, "height": 900})

    # Overblik on 30 June, as the social manager
    tab.goto(f"{server.base}/?kommune=999&aar=2026&dato={AS_OF.isoformat()}")
    harness.choose_role(tab, "leder")
    assert SHOWN_DATE in captions(tab)
    overview = metrics(tab)
    assert overview["Borgere med aktiv bevilling"] == f"{want['citizens']:,}".replace(",", ".")

    # → Tilbud: find the offer by name
    harness.click_nav(tab, server.base, "tilbud")
    assert SHOWN_DATE in captions(tab)
    before = tab.finished
    finder = tab.page.get_by_role("combobox", name="Find et tilbud")
    finder.click()
    finder.fill(want["offer"])
    tab.page.get_by_role("option", name=want["offer"], exact=True).click()
    tab.wait_idle(before)
    assert f"tilbud={want['offer_id']}" in tab.page.url
    assert tab.page.locator('[data-testid="stMain"] h1').first.inner_text() == want["offer"]
    assert SHOWN_DATE in captions(tab)
    offer = metrics(tab)
    assert offer["Borgere med aktiv bevilling her"] == str(want["on_offer"])
    shot(tab, "journey-1-offer")
    assert_sound(tab, watch, "the offer")

    # → the first citizen on the offer
    click_first_row(tab, tab.page.locator('[data-testid="stDataFrame"]').last)
    assert "/borger?" in tab.page.url
    citizen = tab.page.url.split("borger=")[1].split("&")[0]
    assert citizen in want["offer_citizens"]
    assert tab.page.locator('[data-testid="stMain"] h1').first.inner_text() == f"Borger {citizen}"
    assert SHOWN_DATE in captions(tab)
    assert metrics(tab)["Månedspris i alt"] == kroner(want["price"][citizen])
    shot(tab, "journey-2-citizen")
    assert_sound(tab, watch, "the citizen")

    # ← back to the offer: the same figures as before
    before = tab.finished
    tab.page.get_by_role("button", name=f"Tilbage til {want['offer']}").click()
    tab.wait_idle(before)
    assert f"tilbud={want['offer_id']}" in tab.page.url
    assert SHOWN_DATE in captions(tab)
    assert metrics(tab) == offer

    # → Overblik again: the same scope and the same headline figures
    harness.click_nav(tab, server.base, "")
    assert SHOWN_DATE in captions(tab)
    assert metrics(tab) == overview
    assert_sound(tab, watch, "back on Overblik")
