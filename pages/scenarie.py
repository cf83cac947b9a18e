"""Hvad nu hvis (directors, leaders; politicians see saved scenarios): the budget effect of acting
over the budget year and three overslagsår, saved and shared scenarios, and how far the forecast
can be trusted. The sections are in cockpit/ui/scenario.py; definitions in docs/scenarier.md."""

from cockpit import ui
from cockpit.ui import scenario

scope = ui.scope()
saved = scenario.opened(scope)
levers = scenario.levers(scope, saved)
scenario.result(scope, levers)
scenario.saved_panel(scope, levers, saved)
scenario.accuracy(scope)
