"""Arbejdslister (Fra signal til handling): the social manager's worklists for adjustment signals,
expensive citizens, overdue follow-ups, contracts to renegotiate and external grants without a
contract; status, responsible, due date and note per item, and what the data have resolved."""

import streamlit as st

from cockpit import fmt, ui
from cockpit.worklist import widgets

scope = ui.scope_picker()
st.title("Arbejdslister")
st.caption(
    f"Åbne punkter pr. {fmt.long_date(scope.as_of)}. Et punkt forsvinder af sig selv fra listen, "
    "når data viser, at årsagen er væk (en ændrings- eller revisitationsafgørelse, en ny kontrakt, "
    "en gennemført opfølgning); det står så under Løst i data."
)
ui.data_banner(scope)

kind = widgets.kind_picker()
widgets.steering(scope, detailed=True)
rows = widgets.open_list(scope, kind)
widgets.editor(scope, kind, rows)
widgets.resolved(scope, kind)
