"""No markdown from data (issue 11 point 4): text from the database, the URL, the identity provider
and the state store (offer and offer-type names, municipality names, target notes, pseudonyms in
the URL, user names, worklist notes, scenario names, self-assessment authors) is shown as text on
every page, never as a link, an image, HTML or formatting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import as_role
from streamlit.testing.v1 import AppTest

from cockpit import db, navigation
from cockpit.auth import Principal
from cockpit.periods import Scope
from cockpit.scenario import store as scenario_store
from cockpit.scenario.levers import Levers, Move
from cockpit.selfassessment import store as selfassessment_store
from cockpit.ui import session
from cockpit.worklist import store as worklist_store

APP = str(Path(db.ROOT) / "cockpit" / "app.py")
LINK = "[Klik her](http://evil.example)"
BARE = "www.evil.example"
BOLD = "**fed**"
HTML = "<b>x</b>"
IMAGE = "![img](http://evil.example/x.png)"
PAYLOAD = f"{LINK} {BARE} {BOLD} {HTML} {IMAGE}"
# What any of the payloads looks like when markdown would act on it (escaped, none of these remain).
ACTIVE = ("](http://evil.example", BARE, BOLD, "<b>", "![img]")
# Elements whose text is never markdown (tables, plain text, charts, code).
PLAIN_ELEMENTS = {"Text", "VegaLiteChart", "ArrowVegaLiteChart", "Code", "Json"}
# Widgets whose option lists are plain text (only label and help are markdown).
# Tables: their cells (arrow_data) are plain text; column labels and help are checked.
OPTION_FIELDS = ("options", "default", "value", "raw_value", "placeholder", "arrow_data", "data")
D = date(2024, 3, 31)
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "cockpit",
    "client_secret": "s",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}


@pytest.fixture
def evil_db(tmp_path, monkeypatch):
    """A tiny municipality whose every free text is a markdown/URL payload."""
    from conftest import TinyDb

    t = TinyDb(f"duckdb:///{tmp_path / 'evil.duckdb'}")
    engine = db.writable_engine(t.url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("update offer_type set name = :n where offer_type_code = 'SEL108'"),
            {"n": PAYLOAD},
        )
        conn.execute(sa.text("update municipality set name = :n"), {"n": f"Kommune {BOLD} {BARE}"})
    engine.dispose()
    t.add("municipality", {"municipality_code": 573, "name": f"Nabo {LINK}", "region": "X"})
    t.add(
        "offer",
        {
            "offer_id": "OWN",
            "name": LINK,
            "owner_type": "own",
            "offer_type_code": "SEL108",
            "places": 4,
            "location_municipality_code": 999,
        },
        {
            "offer_id": "EXT",
            "name": f"{IMAGE} {HTML}",
            "owner_type": "private",
            "offer_type_code": "SEL108",
            "places": 30,
            "location_municipality_code": 573,
        },
    )
    t.add(
        "citizen",
        *(
            {"citizen_id": f"C{i}", "birth_year": 1980, "target_group": "handicap"}
            for i in range(6)
        ),
    )
    t.add(
        "grant",
        *(
            {
                "grant_id": f"G{i}",
                "citizen_id": f"C{i}",
                "offer_type_code": "SEL108",
                "offer_id": "OWN" if i < 3 else "EXT",
                "start_date": date(2023, 1, 1),
                "monthly_price": 10000.0 * (i + 1),
                "next_followup_date": date(2024, 3, 1),
            }
            for i in range(6)
        ),
    )
    t.add(
        "expense",
        *(
            {
                "expense_id": f"E{i}",
                "posting_date": D,
                "amount_dkk": 1000.0 * (i + 1),
                "account_function": "5.38.50",
                "offer_type_code": "SEL108",
                "offer_id": "OWN" if i < 3 else "EXT",
                "grant_id": f"G{i}",
                "citizen_id": f"C{i}",
            }
            for i in range(6)
        ),
    )
    t.add(
        "strategy_target",
        {"kpi_key": "spend_per_inhabitant", "year": 2024, "target_value": 2600.0, "note": PAYLOAD},
    )
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    monkeypatch.setenv("COCKPIT_AUDIT_URL", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    # The state store: a scenario, a worklist note and self-assessment answers by a payload user.
    author = Principal(f"{LINK}@{BARE}", "leder")
    scenario_store.save(
        author, Scope(999, 2024, D), PAYLOAD, Levers(moves=(Move("SEL108", "SEL85", 1),))
    )
    item = {"kind": "followup_overdue", "key": "G0", "citizen_id": "C0", "since": date(2024, 3, 1),
            "monthly_price": 10000.0, "seen_on": D}  # fmt: skip
    worklist_store.update(author, 999, item, 0, status="in_progress", responsible=PAYLOAD,
                          due_date=None, note=PAYLOAD)  # fmt: skip
    selfassessment_store.save(author, 999, 2024, {"K01": "Ja"})
    return t


def markdown_texts(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of every element whose text Streamlit renders as markdown: titles,
    headers, markdown, captions, alerts, metric labels and help, widget labels and help."""
    found = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            kind = proto.DESCRIPTOR.name
            if kind not in PLAIN_ELEMENTS:
                copy = type(proto)()
                copy.CopyFrom(proto)
                for name in OPTION_FIELDS:
                    if name in copy.DESCRIPTOR.fields_by_name:
                        copy.ClearField(name)
                found.append((kind, str(copy)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def unescaped(at: AppTest) -> list[tuple[str, str]]:
    return [(kind, text) for kind, text in markdown_texts(at) if any(a in text for a in ACTIVE)]


def run(page: str, role: str = "leder", query: dict | None = None, **kw) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if "secrets" not in kw:
        as_role(at, role)
    for name, value in kw.items():
        setattr(at, name, value)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(str(navigation.PAGES_DIR / page))
    at.run()
    url_path = {p.path.name: p.url_path for p in navigation.PAGES}[page]
    ran = at.session_state[session.PAGE] if session.PAGE in at.session_state else None
    assert ran == url_path, [t.value for t in at.title]  # the page itself ran, not a login page
    return at


def _pages(role: str) -> list[str]:
    return [p.path.name for p in navigation.pages_for(role)]


@pytest.mark.parametrize(
    ("role", "page"),
    [("leder", p) for p in _pages("leder")]
    + [("direktoer", p) for p in _pages("direktoer") if p not in _pages("leder")]
    + [("admin", p) for p in _pages("admin") if p not in _pages("leder")],
)
def test_every_page_shows_payloads_as_text(evil_db, role, page):
    at = run(page, role, {"kommune": "999", "aar": "2024", "dato": D.isoformat()})
    assert not at.exception, at.exception
    assert unescaped(at) == []


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("borger.py", {"borger": BARE}),
        ("borger.py", {"borger": LINK}),
        ("borger.py", {"borger": "C0"}),
        ("tilbud.py", {"tilbud": BARE}),
        ("tilbud.py", {"tilbud": IMAGE}),
        ("tilbud.py", {"tilbud": "OWN"}),
        ("tilbud.py", {"tilbud": "EXT"}),
        ("oekonomi.py", {"indsatstype": "SEL108"}),
        ("sammenligning.py", {"indsatstype": "SEL108"}),
    ],
)
def test_url_parameters_and_drill_downs_show_payloads_as_text(evil_db, page, query):
    at = run(page, "leder", {"kommune": "999", "aar": "2024", "dato": D.isoformat(), **query})
    assert not at.exception, at.exception
    assert unescaped(at) == []


def test_the_offer_title_is_its_name_as_text(evil_db):
    at = run("tilbud.py", "leder", {"kommune": "999", "aar": "2024", "tilbud": "OWN"})
    assert [t.value for t in at.title] == [r"\[Klik her\]\(http\://evil\.example\)"]


def test_a_user_name_from_the_identity_provider_is_text(evil_db):
    user = {"is_logged_in": True, "email": f"{LINK}@{BARE}", "roles": ["leder"]}
    at = run(
        "arbejdsliste.py",
        secrets={"auth": AUTH},
        user=user,
        query={"kommune": "999", "aar": "2024", "dato": D.isoformat()},
    )
    assert not at.exception, at.exception
    assert unescaped(at) == []


def test_payloads_reach_the_pages_escaped(evil_db):
    """The test above is not vacuous: the payloads are on the pages, escaped."""
    query = {"kommune": "999", "aar": "2024", "dato": D.isoformat()}
    strategi = run("strategi.py", "direktoer", query)
    escaped = r"\[Klik her\]\(http\://evil\.example\) www\.evil\.example \*\*fed\*\* \<b\>x\</b\>"
    assert f"Målet: {escaped} \\!\\[img\\]\\(http\\://evil\\.example/x\\.png\\)" in [
        c.value for c in strategi.caption
    ]
    citizen = run("borger.py", "leder", {**query, "borger": "C0"})
    assert any(w.value.startswith(f"**Opfølgning over tid:** {escaped}") for w in citizen.warning)
