"""The question set (cockpit/selfassessment/questions.csv): 30-50 questions on KL's seven themes,
each naming the recommendation it comes from. A question the data can speak to names a registry
KPI, the rule under which the answer "Ja" contradicts the measured value ("< 0.95": Ja while the
value is below 0.95), the evidence sentence ({value} is the Danish-formatted figure) and the
cockpit page that follows the KPI."""

from __future__ import annotations

import csv
import operator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cockpit import navigation
from cockpit.metrics import REGISTRY

QUESTIONS = Path(__file__).resolve().parent / "questions.csv"
THEMES = (
    "Visitation og opfølgning",
    "Kommunernes tilbudsvifte",
    "Effektiv drift på udførerområdet",
    "Velfærdsteknologi",
    "Faglig og økonomisk styring",
    "Data og ledelsesinformation",
    "Kontrakter og forhandling",
)
_OPS = {"<": operator.lt, ">": operator.gt}


class QuestionError(ValueError):
    """The question file is malformed (a developer's error, caught by the tests)."""


@dataclass(frozen=True)
class Rule:
    """Answering "Ja" contradicts the data when `value <op> threshold`."""

    op: str
    threshold: float

    def broken(self, value: float) -> bool:
        return _OPS[self.op](value, self.threshold)

    @classmethod
    def parse(cls, text: str) -> Rule | None:
        text = text.strip()
        if not text:
            return None
        op, _, number = text.partition(" ")
        if op not in _OPS:
            raise QuestionError(f"Ukendt regel: {text!r}")
        return cls(op, float(number))


@dataclass(frozen=True)
class Question:
    id: str
    theme: str
    text: str
    claim: str  # the answer "Ja" in a few words ("kontrakter for alle borgere")
    next_step: str
    source: str
    kpi: str | None = None
    rule: Rule | None = None
    evidence: str = ""  # "{value} af eksterne bevillinger har gyldig kontrakt"
    page: str | None = None  # url_path of the page that follows the KPI


def _question(row: dict, pages: set[str]) -> Question:
    q = Question(
        id=row["id"].strip(),
        theme=row["theme"].strip(),
        text=row["text"].strip(),
        claim=row["claim"].strip(),
        next_step=row["next_step"].strip(),
        source=row["source"].strip(),
        kpi=row["kpi"].strip() or None,
        rule=Rule.parse(row["contradiction"]),
        evidence=row["evidence"].strip(),
        page=row["page"].strip() or None,
    )
    if q.theme not in THEMES:
        raise QuestionError(f"{q.id}: ukendt tema {q.theme!r}")
    if not (q.text and q.claim and q.next_step and q.source):
        raise QuestionError(f"{q.id}: tekst, påstand, næste skridt og kilde skal udfyldes")
    if q.kpi is not None and (q.kpi not in REGISTRY or "{value}" not in q.evidence):
        raise QuestionError(f"{q.id}: ukendt nøgletal {q.kpi!r} eller evidens uden {{value}}")
    if q.page is not None and q.page not in pages:
        raise QuestionError(f"{q.id}: ukendt side {q.page!r}")
    return q


@cache
def load(path: Path = QUESTIONS) -> tuple[Question, ...]:
    """Every question in file order; raises QuestionError on a malformed file."""
    pages = {p.url_path for p in navigation.PAGES}
    with open(path, encoding="utf-8", newline="") as f:
        found = tuple(_question(row, pages) for row in csv.DictReader(f))
    ids = [q.id for q in found]
    if len(ids) != len(set(ids)):
        raise QuestionError("To spørgsmål har samme id")
    return found
