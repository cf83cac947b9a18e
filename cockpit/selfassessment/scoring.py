"""The self-assessment's rules, pure: answers Ja (100), Delvist (50), Nej (0) and Ikke relevant (left
out); a theme's score is the mean of its answered questions; a theme below THRESHOLD gets the next
steps of its questions not answered Ja; "Ja" contradicts the data when the question's rule holds for
the measured value; and the scores year by year."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from cockpit.present import fmt
from cockpit.selfassessment.questions import THEMES, Question

POINTS = {"Ja": 100.0, "Delvist": 50.0, "Nej": 0.0, "Ikke relevant": None}
ANSWERS = tuple(POINTS)
THRESHOLD = 60.0
OVERALL = "Samlet"


def theme_scores(
    questions: Iterable[Question], answers: Mapping[str, str]
) -> dict[str, float | None]:
    """Per theme (in KL's order) the mean points of its answered questions; None when none of its
    questions is answered with Ja, Delvist or Nej."""
    points: dict[str, list[float]] = {t: [] for t in THEMES}
    for q in questions:
        p = POINTS.get(answers.get(q.id, ""))
        if p is not None:
            points[q.theme].append(p)
    return {t: (sum(v) / len(v) if v else None) for t, v in points.items()}


def overall(scores: Mapping[str, float | None]) -> float | None:
    """The mean of the themes that have a score (each theme counts once)."""
    shown = [s for s in scores.values() if s is not None]
    return sum(shown) / len(shown) if shown else None


def weak_themes(scores: Mapping[str, float | None], threshold: float = THRESHOLD) -> list[str]:
    """The themes scoring below the threshold, in KL's order."""
    return [t for t in THEMES if scores.get(t) is not None and scores[t] < threshold]


def next_steps(
    questions: Iterable[Question], answers: Mapping[str, str], theme: str
) -> list[Question]:
    """The theme's questions answered Nej or Delvist: their next steps are the theme's next steps."""
    return [q for q in questions if q.theme == theme and answers.get(q.id) in ("Nej", "Delvist")]


def measurable(value: object) -> bool:
    """A number the rules may judge (not missing, not hidden behind few citizens)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and not pd.isna(value)


def contradiction(question: Question, answer: str | None, value: object) -> bool | None:
    """True when the answer is Ja and the rule holds for the measured value, False when it does not;
    None when the question has no rule, the answer is not Ja, or the value cannot be judged."""
    if question.rule is None or answer != "Ja" or not measurable(value):
        return None
    return question.rule.broken(float(value))


def evidence_text(question: Question, unit: str, answer: str | None, value: object) -> str:
    """'Svar: Ja, kontrakter for alle borgere — data: 83,5 % af eksterne bevillinger har gyldig
    kontrakt'. A hidden value reads '<5', a missing one '–'."""
    shown = fmt.value(unit, value) if measurable(value) or value is fmt.SUPPRESSED else fmt.DASH
    said = f"{answer}, {question.claim}" if answer else f"ikke besvaret ({question.claim})"
    return f"Svar: {said} — data: {question.evidence.format(value=shown)}"


def by_year(questions: Iterable[Question], rows: Iterable[Mapping]) -> pd.DataFrame:
    """The scores year by year from stored answers (rows with year, question_id, answer): one row
    per theme plus 'Samlet', one column per year (oldest first) with the score, NaN where the year
    has no answered question in the theme, and with two years or more the change from the year
    before the latest to the latest."""
    questions = tuple(questions)
    per_year: dict[int, dict[str, str]] = {}
    for r in rows:
        per_year.setdefault(int(r["year"]), {})[str(r["question_id"])] = str(r["answer"])
    out = pd.DataFrame({"Tema": [*THEMES, OVERALL]})
    for year in sorted(per_year):
        scores = theme_scores(questions, per_year[year])
        column = [scores[t] for t in THEMES] + [overall(scores)]
        out[str(year)] = pd.Series(column, dtype="float64")
    years = [c for c in out.columns if c != "Tema"]
    if len(years) >= 2:
        out[f"Ændring {years[-2]}-{years[-1]}"] = out[years[-1]] - out[years[-2]]
    return out
