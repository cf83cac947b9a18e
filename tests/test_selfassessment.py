"""Styringsoverblik (issue 19): the question set, the scoring and the contradictions computed by hand,
the answers in the state store (surviving a restart: the SQLite file closed and reopened), and the
demo's two seeded years."""

from __future__ import annotations

import csv
import math

import pytest

from cockpit import navigation, state
from cockpit.access.gateway import AccessDenied
from cockpit.auth import Principal
from cockpit.present import fmt
from cockpit.selfassessment import questions, scoring, store
from cockpit.selfassessment.questions import THEMES, Question, Rule

DIREKTOER = Principal("dorte", "direktoer")
LEDER = Principal("lene", "leder")
POLITIKER = Principal("peter", "politiker")
A, B, C = THEMES[0], THEMES[1], THEMES[2]


def q(qid: str, theme: str, rule: str = "", kpi: str | None = None) -> Question:
    return Question(
        qid, theme, f"Spørgsmål {qid}?", f"påstand {qid}", f"Gør {qid}", "KL 2017", kpi,
        Rule.parse(rule), "{value} målt" if kpi else "", None,
    )  # fmt: skip


# ---------------------------------------------------------------- the question set


def test_question_set_covers_the_seven_themes_and_the_ten_topics():
    qs = questions.load()
    assert 30 <= len(qs) <= 50
    assert {x.theme for x in qs} == set(THEMES) and len(THEMES) == 7
    assert all(x.source and x.next_step and x.claim for x in qs)
    text = {x.id: x.text.lower() for x in qs}
    topics = {
        "indsatstrappe": lambda t: "indsatstrappe" in t,
        "udfører i visitationsudvalg": lambda t: "udføreren" in t and "visitationsudvalg" in t,
        "visitationsudvalg for botilbud": lambda t: "botilbud" in t and "visitationsudvalg" in t,
        "bostøtte aften og weekend": lambda t: "bostøtte" in t and "weekend" in t,
        "bostøtte seks niveauer": lambda t: "seks niveauer" in t,
        "opfølgning på progression": lambda t: "op på borgernes progression" in t,
        "aktivitet og økonomi koblet": lambda t: "aktivitetsdata" in t and "økonomidata" in t,
        "standardkontrakter med målbilag": lambda t: "standardkontrakter" in t and "målbilag" in t,
        "kontraktforhandler": lambda t: "kontraktforhandler" in t,
        "revisitation inden for to år": lambda t: "revisiteres" in t and "andet år" in t,
        "døgnhjul": lambda t: "døgnhjul" in t,
    }
    missing = [name for name, hit in topics.items() if not any(hit(t) for t in text.values())]
    assert missing == []
    pages = {p.url_path for p in navigation.PAGES}
    for x in qs:
        if x.kpi:
            assert x.page in pages and "{value}" in x.evidence
    k01 = next(x for x in qs if x.id == "K01")
    assert (k01.kpi, k01.rule, k01.page) == ("contract_coverage", Rule("<", 0.95), "kontrakter")


def test_a_malformed_question_file_is_refused(tmp_path):
    bad = tmp_path / "q.csv"
    with open(questions.QUESTIONS, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0]["theme"] = "Noget andet"
    with open(bad, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(questions.QuestionError, match="ukendt tema"):
        questions.load(bad)


# ---------------------------------------------------------------- scoring (by hand)


QS = (q("a1", A), q("a2", A), q("a3", A), q("a4", A), q("b1", B), q("b2", B), q("c1", C))


def test_theme_score_is_the_mean_of_the_answered_questions():
    answers = {"a1": "Ja", "a2": "Delvist", "a3": "Nej", "a4": "Ikke relevant", "b1": "Ja"}
    scores = scoring.theme_scores(QS, answers)
    assert scores[A] == pytest.approx((100 + 50 + 0) / 3)  # Ikke relevant left out: 50
    assert scores[B] == 100.0  # b2 unanswered: left out
    assert scores[C] is None  # nothing answered
    assert list(scores) == list(THEMES)
    assert scoring.overall(scores) == pytest.approx((50 + 100) / 2)
    assert scoring.weak_themes(scores) == [A]  # 50 < 60; B 100; C no score
    assert [x.id for x in scoring.next_steps(QS, answers, A)] == ["a2", "a3"]


def test_the_threshold_is_strict():
    scores = scoring.theme_scores(QS, {"a1": "Ja", "a2": "Nej", "a3": "Delvist", "b1": "Nej"})
    assert scores[A] == pytest.approx(50.0)
    assert scoring.weak_themes({A: 60.0, B: 59.9}) == [B]


def test_scores_year_by_year_and_the_change():
    rows = [
        {"year": 2025, "question_id": "a1", "answer": "Nej"},
        {"year": 2025, "question_id": "a2", "answer": "Delvist"},
        {"year": 2026, "question_id": "a1", "answer": "Ja"},
        {"year": 2026, "question_id": "a2", "answer": "Delvist"},
        {"year": 2026, "question_id": "b1", "answer": "Nej"},
    ]
    table = scoring.by_year(QS, rows).set_index("Tema")
    assert list(table.columns) == ["2025", "2026", "Ændring 2025-2026"]
    assert table.loc[A, "2025"] == 25.0 and table.loc[A, "2026"] == 75.0
    assert table.loc[A, "Ændring 2025-2026"] == 50.0
    assert math.isnan(table.loc[B, "2025"]) and table.loc[B, "2026"] == 0.0
    assert table.loc["Samlet", "2025"] == 25.0 and table.loc["Samlet", "2026"] == 37.5


# ---------------------------------------------------------------- contradictions


def test_ja_contradicts_a_value_below_the_rule():
    k = q("k", A, "< 0.95", "contract_coverage")
    assert scoring.contradiction(k, "Ja", 0.835) is True
    assert scoring.contradiction(k, "Ja", 0.95) is False  # 95 % is not below 95 %
    assert scoring.contradiction(k, "Ja", 1.0) is False
    assert scoring.contradiction(k, "Delvist", 0.5) is None  # only Ja is held against the data
    assert scoring.contradiction(k, "Nej", 0.5) is None
    assert scoring.contradiction(k, "Ja", None) is None  # not measured
    assert scoring.contradiction(k, "Ja", fmt.SUPPRESSED) is None  # hidden behind 1-4 citizens
    assert scoring.contradiction(k, "Ja", float("nan")) is None
    assert scoring.contradiction(q("p", A), "Ja", 0.1) is None  # a matter of practice


def test_ja_contradicts_a_count_above_the_rule():
    f = q("f", A, "> 0", "followups_overdue")
    assert scoring.contradiction(f, "Ja", 19) is True
    assert scoring.contradiction(f, "Ja", 0) is False


def test_evidence_text_names_the_answer_and_the_measured_figure():
    k01 = next(x for x in questions.load() if x.id == "K01")
    assert scoring.evidence_text(k01, "share", "Ja", 227 / 272) == (
        "Svar: Ja, kontrakter for alle borgere — data: 83,5 % af eksterne bevillinger har gyldig "
        "kontrakt"
    )
    assert scoring.evidence_text(k01, "share", None, None) == (
        "Svar: ikke besvaret (kontrakter for alle borgere) — data: – af eksterne bevillinger har "
        "gyldig kontrakt"
    )
    v05 = next(x for x in questions.load() if x.id == "V05")
    assert scoring.evidence_text(v05, "count", "Delvist", fmt.SUPPRESSED).endswith(
        "data: <5 opfølgninger er over tid"
    )


# ---------------------------------------------------------------- the store


def test_a_saved_assessment_survives_a_restart():
    assert state.url().startswith("sqlite:///")  # a file store (tests/conftest.py)
    n = store.save(DIREKTOER, 999, 2026, {"K01": "Ja", "V04": "Delvist", "W04": "Ikke relevant"})
    assert n == 3
    state.release()  # every connection closed, as when the cockpit is restarted
    again = store.answers(POLITIKER, 999, 2026)
    assert {k: a.answer for k, a in again.items()} == {
        "K01": "Ja",
        "V04": "Delvist",
        "W04": "Ikke relevant",
    }
    assert {a.author for a in again.values()} == {"dorte"}
    assert {a.role for a in again.values()} == {"direktoer"}
    assert len(again["K01"].answered_at) == 19  # ISO date and time
    assert store.answers(POLITIKER, 999, 2025) == {}
    assert store.answers(POLITIKER, 101, 2026) == {}


def test_a_new_answer_replaces_the_old_one_with_its_author():
    store.save(DIREKTOER, 999, 2026, {"K01": "Ja", "K02": "Nej"})
    store.save(LEDER, 999, 2026, {"K01": "Delvist"})
    saved = store.answers(DIREKTOER, 999, 2026)
    assert (saved["K01"].answer, saved["K01"].author) == ("Delvist", "lene")
    assert (saved["K02"].answer, saved["K02"].author) == ("Nej", "dorte")
    store.save(LEDER, 999, 2026, {"K02": None})
    assert set(store.answers(DIREKTOER, 999, 2026)) == {"K01"}


def test_bad_answers_save_nothing_and_politicians_cannot_answer():
    with pytest.raises(ValueError, match="Ugyldigt svar"):
        store.save(DIREKTOER, 999, 2026, {"K01": "Ja", "K02": "Måske"})
    with pytest.raises(ValueError, match="Ukendt spørgsmål"):
        store.save(DIREKTOER, 999, 2026, {"X99": "Ja"})
    assert store.answers(DIREKTOER, 999, 2026) == {}
    with pytest.raises(AccessDenied):
        store.save(POLITIKER, 999, 2026, {"K01": "Ja"})
    with pytest.raises(AccessDenied):
        store.answers(Principal("ada", "admin"), 999, 2026)


def test_the_demo_has_two_years_and_is_seeded_only_once():
    assert store.seed_demo() == [2025, 2026]
    assert store.seed_demo() == []  # answers exist: nothing is written again
    table = scoring.by_year(questions.load(), store.history(POLITIKER, 999)).set_index("Tema")
    assert list(table.columns) == ["2025", "2026", "Ændring 2025-2026"]
    # demo_answers.csv, Kontrakter og forhandling: 2025 Delvist, Nej, Nej, Delvist, Nej, Delvist
    # = 150/6 = 25; 2026 Ja, Delvist, Nej, Ja, Delvist, Delvist = 350/6.
    assert table.loc["Kontrakter og forhandling", "2025"] == pytest.approx(25.0)
    assert table.loc["Kontrakter og forhandling", "2026"] == pytest.approx(350 / 6)
    # Velfærdsteknologi: W04 Ikke relevant; 2025 Nej, Delvist, Nej, Nej = 50/4.
    assert table.loc["Velfærdsteknologi", "2025"] == pytest.approx(12.5)
    k01 = store.answers(POLITIKER, 999, 2026)["K01"]
    assert (k01.answer, k01.author) == ("Ja", store.DEMO_AUTHOR)


def test_the_demo_is_not_seeded_over_a_users_answers():
    store.save(LEDER, 999, 2026, {"K01": "Nej"})
    assert store.seed_demo() == []
    assert {k: a.answer for k, a in store.answers(LEDER, 999, 2026).items()} == {"K01": "Nej"}


def test_generate_demo_seeds_the_two_years_once(tmp_path, capsys):
    from cockpit.__main__ import main

    url = f"duckdb:///{tmp_path / 'demo.duckdb'}"
    assert main(["generate", "demo", "--database-url", url]) == 0
    assert "Styringsoverblik for Demokommune udfyldt for 2025, 2026." in capsys.readouterr().out
    assert main(["generate", "demo", "--database-url", url]) == 0
    assert "har allerede svar; de er ikke ændret" in capsys.readouterr().out
    rows = store.history(POLITIKER, 999)
    assert sorted({r["year"] for r in rows}) == [2025, 2026] and len(rows) == 2 * 44
