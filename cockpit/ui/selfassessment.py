"""The Styringsoverblik page's sections: the theme scores (every role that opens the page), the
answers with the data's evidence beside each one and its contradiction flag, the next steps of the
themes below 60 with links to the pages that follow their KPIs (directors and leaders), and the
scores year by year with the audited Excel export. The rules are in cockpit/selfassessment/; the
measured figures come through the access gateway (small numbers suppressed as the role requires)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cockpit import navigation, state
from cockpit.downloads import Table
from cockpit.metrics import REGISTRY
from cockpit.periods import Scope
from cockpit.present import fmt
from cockpit.selfassessment import scoring, store
from cockpit.selfassessment.questions import THEMES, Question, load
from cockpit.ui import session, widgets
from cockpit.ui.drill import scope_query
from cockpit.ui.frame import plain

_SAVED = "_selfassessment_saved"
POINTS_HELP = (
    "Gennemsnit af temaets besvarede spørgsmål: Ja 100, Delvist 50, Nej 0. Ikke relevant og "
    f"ubesvarede spørgsmål tæller ikke med. Under {scoring.THRESHOLD:.0f} får temaet næste skridt."
)


def may_answer() -> bool:
    who = session.principal()
    return who is not None and who.role in store.EDITORS


def question_set() -> tuple[Question, ...]:
    return load()


def saved(scope: Scope) -> dict[str, store.Answer] | None:
    """The year's saved answers; None (with a Danish message) when the state store is unavailable."""
    try:
        return store.answers(session.principal(), scope.municipality, scope.year)
    except state.StateUnavailable as exc:
        st.warning(str(exc))
        return None


def _score_text(score: float | None) -> str:
    return fmt.DASH if score is None else fmt.number(score)


def scores(scope: Scope, questions: tuple[Question, ...], answers: dict[str, store.Answer]) -> dict:
    """One metric per theme and the overall score; returns the answers as question id → answer."""
    given = {k: a.answer for k, a in answers.items()}
    by_theme = scoring.theme_scores(questions, given)
    st.subheader(f"Score pr. tema, {scope.year}")
    if not given:
        st.info(f"Styringsoverblikket er ikke besvaret for {scope.year}.")
        return given
    latest = max(answers.values(), key=lambda a: a.answered_at)
    when = fmt.long_date(date.fromisoformat(latest.answered_at[:10]))
    st.caption(
        f"{len(given)} af {len(questions)} spørgsmål besvaret · senest {when} af {plain(latest.author)}"
    )
    cols = st.columns(4)
    shown = [*by_theme.items(), (scoring.OVERALL, scoring.overall(by_theme))]
    for i, (theme, score) in enumerate(shown):
        below = score is not None and score < scoring.THRESHOLD and theme != scoring.OVERALL
        cols[i % 4].metric(theme, _score_text(score) + (" ▼" if below else ""), help=POINTS_HELP)
    return given


def evidence(questions: tuple[Question, ...], scope: Scope) -> dict[str, object]:
    """The measured figure of every KPI a question names, through the gateway (suppressed as the
    role requires)."""
    keys = sorted({q.kpi for q in questions if q.kpi})
    return session.kpi_values(keys, scope)


def _rule_text(q: Question) -> str:
    kpi = REGISTRY[q.kpi]
    side = "under" if q.rule.op == "<" else "over"
    return f"Ja passer ikke med data, når {kpi.label.lower()} er {side} {fmt.value(kpi.unit, q.rule.threshold)}."


def _evidence(q: Question, answer: str | None, values: dict) -> None:
    if not q.kpi:
        st.caption("Et spørgsmål om praksis: data kan ikke efterprøve svaret.")
        return
    value = values.get(q.kpi)
    st.caption(plain(scoring.evidence_text(q, REGISTRY[q.kpi].unit, answer, value)))
    flag = scoring.contradiction(q, answer, value)
    if flag:
        st.error("Modstrid: " + _rule_text(q), icon=":material/warning:")
    elif flag is False:
        st.success("Data understøtter svaret.", icon=":material/check:")


def answer_form(
    scope: Scope, questions: tuple[Question, ...], answers: dict[str, store.Answer], values: dict
) -> None:
    """The questions per theme with the evidence beside each answer; saves what was changed."""
    st.subheader("Besvarelse")
    done = st.session_state.pop(_SAVED, None)
    if done is not None:
        st.success(f"{done} svar gemt for {scope.year}.")
    chosen = {}
    with st.form(f"_selfassessment_{scope.municipality}_{scope.year}"):
        for theme in THEMES:
            with st.expander(theme):
                for q in (q for q in questions if q.theme == theme):
                    old = answers.get(q.id)
                    left, right = st.columns([3, 2])
                    chosen[q.id] = left.radio(
                        f"{q.id}. {q.text}",
                        scoring.ANSWERS,
                        index=None if old is None else scoring.ANSWERS.index(old.answer),
                        horizontal=True,
                        key=f"_sa_{scope.municipality}_{scope.year}_{q.id}",
                        help=f"Kilde: {q.source}",
                    )
                    with right:
                        _evidence(q, None if old is None else old.answer, values)
        submitted = st.form_submit_button("Gem besvarelse", type="primary")
    if submitted:
        changed = {
            k: v
            for k, v in chosen.items()
            if v is not None and (k not in answers or answers[k].answer != v)
        }
        try:
            n = store.save(session.principal(), scope.municipality, scope.year, changed)
        except (state.StateUnavailable, ValueError) as exc:
            st.error(str(exc))
            return
        st.session_state[_SAVED] = n
        st.rerun()


def _links(scope: Scope, theme_questions: list[Question]) -> None:
    role = session.principal().role
    allowed = {p.url_path for p in navigation.pages_for(role)}
    pages = {p.url_path: p for p in navigation.PAGES}
    done = set()
    for q in theme_questions:
        if not (q.kpi and q.page) or (q.kpi, q.page) in done:
            continue
        done.add((q.kpi, q.page))
        spec, label = pages[q.page], REGISTRY[q.kpi].label
        if q.page in allowed:
            st.page_link(
                spec.path,
                label=f"{label}: følg på {spec.title}",
                icon=spec.icon,
                query_params=scope_query(scope),
            )
        else:
            st.caption(f"{label} følges på siden {spec.title}, som din rolle ikke har adgang til.")


def next_steps(scope: Scope, questions: tuple[Question, ...], answers: dict[str, str]) -> None:
    """For each theme below the threshold: the next steps of its questions answered Nej or Delvist,
    and links to the pages that follow their KPIs (the theme's KPIs when those name none)."""
    by_theme = scoring.theme_scores(questions, answers)
    weak = scoring.weak_themes(by_theme)
    st.subheader("Næste skridt")
    if not weak:
        st.success(f"Ingen besvarede temaer scorer under {scoring.THRESHOLD:.0f}.")
        return
    for theme in weak:
        steps = scoring.next_steps(questions, answers, theme)
        st.markdown(f"**{theme}** · score {_score_text(by_theme[theme])}")
        st.markdown("\n".join(f"- {plain(q.next_step)}" for q in steps))
        followed = [q for q in steps if q.kpi] or [
            q for q in questions if q.theme == theme and q.kpi
        ]
        _links(scope, followed)


def history(scope: Scope, questions: tuple[Question, ...]) -> None:
    """The scores year by year (every year with answers), with Excel and CSV downloads."""
    st.subheader("År for år")
    try:
        rows = store.history(session.principal(), scope.municipality)
    except state.StateUnavailable as exc:
        st.warning(str(exc))
        return
    frame = scoring.by_year(questions, rows)
    if len(frame.columns) == 1:
        st.info("Der er endnu ingen besvarelser at sammenligne.")
        return
    units = {c: "decimal" for c in frame.columns if c != "Tema"}
    t = Table("Styringsoverblik år for år", frame, {"Tema": "text", **units})
    widgets.table(
        t,
        "styringsoverblik",
        scope,
        {"Point": "Ja 100, Delvist 50, Nej 0; Ikke relevant tæller ikke med"},
    )
