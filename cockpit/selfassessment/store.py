"""The self-assessment's answers in the cockpit's own state store (cockpit/state.py; migration
030_selfassessment.sql, statements queries/state/selfassessment_*.sql): answered by directors and
leaders, per municipality and year, each answer with its author, role and time; scores seen by
politicians too. The demo's two years (demo_answers.csv) are seeded by `python -m cockpit generate
demo`, only into a store that holds no answers for the demo municipality."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cockpit import state
from cockpit.access.gateway import AccessDenied, check
from cockpit.auth import Principal
from cockpit.selfassessment.questions import load
from cockpit.selfassessment.scoring import ANSWERS

EDITORS = frozenset({"direktoer", "leder"})
VIEWERS = EDITORS | {"politiker"}
DEMO_MUNICIPALITY = 999
DEMO_ANSWERS = Path(__file__).resolve().parent / "demo_answers.csv"
DEMO_AUTHOR = "Demo: socialdirektør"


@dataclass(frozen=True)
class Answer:
    answer: str
    author: str
    role: str
    answered_at: str  # ISO UTC, seconds


def _may_see(principal: Principal | None) -> None:
    check(principal, "selfassessment_answers")
    if principal.role not in VIEWERS:
        raise AccessDenied("Din rolle har ikke adgang til styringsoverblikket.")


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _write(
    conn, municipality: int, year: int, answers: Mapping, who: str, role: str, at: str
) -> int:
    changed = 0
    for question_id, answer in answers.items():
        key = {"municipality_code": municipality, "year": year, "question_id": question_id}
        state.execute("selfassessment_delete", conn, **key)
        if answer is not None:
            state.execute(
                "selfassessment_insert",
                conn,
                **key,
                answer=answer,
                answered_by=who,
                answered_role=role,
                answered_at=at,
            )
        changed += 1
    return changed


def save(
    principal: Principal | None, municipality: int, year: int, answers: Mapping[str, str | None]
) -> int:
    """Save the year's answers (question id → Ja/Delvist/Nej/Ikke relevant; None clears one) in one
    transaction, with the principal as author and now as date; returns how many were written. An
    unknown question or answer is refused with a Danish message and nothing is saved."""
    check(principal, "selfassessment_insert")
    if principal.role not in EDITORS:
        raise AccessDenied("Kun direktører og ledere kan besvare styringsoverblikket.")
    ids = {q.id for q in load()}
    for question_id, answer in answers.items():
        if question_id not in ids:
            raise ValueError(f"Ukendt spørgsmål: {question_id!r}. Intet er gemt.")
        if answer is not None and answer not in ANSWERS:
            raise ValueError(f"Ugyldigt svar {answer!r} på {question_id}. Intet er gemt.")
    with state.transaction() as conn:
        return _write(conn, municipality, year, answers, principal.user, principal.role, _now())


def answers(principal: Principal | None, municipality: int, year: int) -> dict[str, Answer]:
    """The year's saved answers by question id."""
    _may_see(principal)
    rows = state.rows("selfassessment_answers", municipality_code=municipality, year=year)
    return {
        str(r["question_id"]): Answer(
            str(r["answer"]), str(r["answered_by"]), str(r["answered_role"]), str(r["answered_at"])
        )
        for r in rows
    }


def history(principal: Principal | None, municipality: int) -> list[dict]:
    """Every saved answer of the municipality (year, question_id, answer), oldest year first."""
    _may_see(principal)
    return state.rows("selfassessment_history", municipality_code=municipality)


def seed_demo(path: Path = DEMO_ANSWERS) -> list[int]:
    """Write the demo municipality's assessments (one column per year in demo_answers.csv) when the
    store holds no answers for it; returns the years written (none when answers exist)."""
    found = state.rows("selfassessment_count", municipality_code=DEMO_MUNICIPALITY)
    if found and int(found[0]["answers"]) > 0:
        return []
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    years = [int(c) for c in rows[0] if c != "question_id"]
    with state.transaction() as conn:
        for year in years:
            given = {r["question_id"]: r[str(year)] for r in rows}
            at = f"{year}-10-31T10:00:00"
            _write(conn, DEMO_MUNICIPALITY, year, given, DEMO_AUTHOR, "direktoer", at)
    return years
