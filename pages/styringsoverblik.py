"""Styringsoverblik: the municipality's own assessment on KL's seven themes (answered by directors
and leaders, per year, with author and date), held against what the data show; politicians see the
scores. The sections are in cockpit/ui/selfassessment.py, the rules in cockpit/selfassessment/."""

from cockpit import ui
from cockpit.ui import selfassessment as sa

scope = ui.scope()
questions = sa.question_set()
saved = sa.saved(scope)
if saved is not None:
    answers = sa.scores(scope, questions, saved)
    if sa.may_answer():
        values = sa.evidence(questions, scope)
        sa.next_steps(scope, questions, answers)
        sa.answer_form(scope, questions, saved, values)
    sa.history(scope, questions)
