"""Arbejdslister (Fra signal til handling): the social manager's worklists for adjustment signals,
expensive citizens, overdue follow-ups, contracts to renegotiate and external grants without a
contract; status, responsible, due date and note per item, and what the data have resolved. The
parts are in cockpit/ui/worklist.py."""

import streamlit as st

from cockpit import ui

scope = ui.scope()
st.caption(
    "Et punkt forsvinder af sig selv fra listen, når data viser, at årsagen er væk (en ændrings- "
    "eller revisitationsafgørelse, en ny kontrakt, en gennemført opfølgning); det står så under "
    "Løst i data."
)
kind = ui.worklist.kind_picker()
ui.worklist.steering(scope, detailed=True)
rows = ui.worklist.open_list(scope, kind)
ui.worklist.editor(scope, kind, rows)
ui.worklist.resolved(scope, kind)
