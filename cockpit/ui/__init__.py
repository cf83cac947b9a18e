"""The Streamlit layer the pages are written in (`from cockpit import ui`): the frame's scope and
filter, data through the access gateway (cockpit/ui/session.py), and the shared components
(cockpit/ui/widgets.py, cockpit/ui/drill.py) and page sections (cockpit/ui/economy.py,
cockpit/ui/strategy.py, cockpit/ui/offers.py, cockpit/ui/citizens.py, cockpit/ui/admin.py). The
only package besides cockpit/app.py and pages/ that imports Streamlit; it never imports the
database module."""

from cockpit.ui import citizens, market, offers, report, worklist
from cockpit.ui.admin import (
    audit_chain_status,
    audit_results,
    audit_search_form,
    import_allowed,
    import_uploads,
    municipality_choices,
    show_import_result,
)
from cockpit.ui.compare import Compare
from cockpit.ui.drill import citizen_list, onward_links, open_citizen, open_offer
from cockpit.ui.economy import Economy
from cockpit.ui.frame import heading, offer_type, plain, scope
from cockpit.ui.session import (
    aggregate,
    citizen_access,
    citizen_rows,
    data_load_rows,
    import_gap_rows,
    kpi_values,
    suppresses,
)
from cockpit.ui.strategy import Strategy
from cockpit.ui.widgets import chart, chart_and_table, kpi_row, metric_row, pick_row, show

__all__ = [
    "Compare",
    "Economy",
    "Strategy",
    "aggregate",
    "audit_chain_status",
    "chart",
    "chart_and_table",
    "audit_results",
    "audit_search_form",
    "citizen_access",
    "citizen_list",
    "citizen_rows",
    "citizens",
    "data_load_rows",
    "show",
    "heading",
    "import_allowed",
    "import_gap_rows",
    "import_uploads",
    "kpi_row",
    "kpi_values",
    "market",
    "metric_row",
    "municipality_choices",
    "offer_type",
    "offers",
    "report",
    "onward_links",
    "open_citizen",
    "open_offer",
    "pick_row",
    "plain",
    "scope",
    "show_import_result",
    "suppresses",
    "worklist",
]
