"""The Arbejdslister page and the steering figures through Streamlit's AppTest (cases in
test_worklist.py): a status set on the page is stored and audited, the second of two editors gets
the conflict message and keeps their input, and a scan of every view of the other roles finds no
note text (the same scan finds it on the leder's page, so it can fail)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_worklist import LEDER, D, build

from cockpit import audit, cache, db, navigation
from cockpit.periods import Scope
from cockpit.present import fmt
from cockpit.worklist import service, store

APP = str(Path(db.ROOT) / "cockpit" / "app.py")
NOTE = "HEMMELIGNOTE-7731 <b>fed</b> **stjerne**"


@pytest.fixture
def page_db(tmp_path, monkeypatch):
    from conftest import TinyDb

    cache.clear()
    t = build(TinyDb(f"duckdb:///{tmp_path / 'wl.duckdb'}"))
    monkeypatch.setenv("COCKPIT_DATABASE_URL", t.url)
    return t


def open_page(page: str, query: dict | None = None, role: str = "leder") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["role"] = role
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(str(navigation.PAGES_DIR / f"{page}.py"))
    return at.run()


def everything(at: AppTest) -> str:
    """Every element's content in the app tree as text (tables included, as their bytes)."""
    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(found)


def test_a_status_set_on_the_page_is_stored_and_audited(page_db):
    at = open_page("arbejdsliste", {"liste": "followup_overdue"})
    assert not at.exception
    assert [s.value for s in at.subheader][:2] == [
        "Fra signal til handling",
        "Opfølgninger over tid (1)",
    ]
    status = next(s for s in at.selectbox if s.label == "Status")
    status.set_value("acted")
    next(t for t in at.text_input if t.label == "Ansvarlig").input("Karin Holm")
    next(t for t in at.text_area if t.label == "Note").input(NOTE)
    next(b for b in at.button if b.label == "Gem").click()
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Gemt: A er nu Handlet."]
    table = at.dataframe[0].value
    assert list(table["Status"]) == ["Handlet"]
    assert list(table["Ansvarlig"]) == ["Karin Holm"]
    assert list(table["Note"]) == [NOTE]  # a table cell: plain text, never markdown or HTML
    assert store.get(999, "followup_overdue", "A")["status"] == "acted"
    # Signal date 31 March 2024 (first listed; since 22 March), acted on today (UTC).
    shown = {m.label: m.value for m in at.metric}
    waited = (datetime.now(UTC).date() - D).days
    assert shown["Dage fra signal til handling"] == fmt.days(waited)
    assert shown["Dage fra handling til løsning"] == "–"
    log = audit.search()
    assert list(log.loc[log["action"] == "change", "page"]) == ["arbejdsliste"]
    assert "HEMMELIGNOTE" not in log.to_csv()


def test_the_second_editor_sees_the_conflict_and_keeps_the_input(page_db):
    first = open_page("arbejdsliste", {"liste": "adjustment_signal"})
    second = open_page("arbejdsliste", {"liste": "adjustment_signal"})
    for at, text in ((first, "Revisitation bestilt"), (second, "Min egen vurdering")):
        next(t for t in at.text_area if t.label == "Note").input(text)
    next(b for b in first.button if b.label == "Gem").click()
    first.run()
    next(b for b in second.button if b.label == "Gem").click()
    second.run()
    assert not second.exception
    assert len(second.error) == 1 and "Dine ændringer er ikke gemt" in second.error[0].value
    notes = {t.label: t.value for t in second.text_area}
    assert notes["Note"] == "Min egen vurdering"  # the user's input is still in the form
    assert notes["Gemt note nu"] == "Revisitation bestilt"
    assert store.get(999, "adjustment_signal", "B")["note"] == "Revisitation bestilt"
    next(b for b in second.button if b.label == "Gem").click()  # saving again now goes through
    second.run()
    assert store.get(999, "adjustment_signal", "B")["note"] == "Min egen vurdering"


def test_no_note_text_in_any_view_of_the_other_roles(page_db):
    row = service.open_list(
        Scope(999, 2024, D),
        "adjustment_signal",
        service.internal_fetch(page_db.url),
        page_db.url,
    ).iloc[0]
    store.update(LEDER, 999, {**row, "seen_on": D}, 0, status="acted", responsible="Anna",
                 due_date=date(2024, 4, 30), note=NOTE)  # fmt: skip
    leader = everything(open_page("arbejdsliste", {"liste": "adjustment_signal"}))
    assert "HEMMELIGNOTE-7731" in leader  # the scan finds the note where it belongs
    for role in ("politiker", "direktoer", "admin"):
        for spec in navigation.pages_for(role):
            at = open_page(spec.url_path if spec.file != "importer.py" else "importer", role=role)
            shown = everything(at)
            assert "HEMMELIGNOTE" not in shown, (role, spec.title)
            assert "Anna" not in shown or spec.url_path == "revisionslog", (role, spec.title)
    overview = open_page("overblik", role="politiker")
    labels = [m.label for m in overview.metric]
    assert "Håndteret inden for 60 dage" in labels and "Realiseret pr. måned" in labels
