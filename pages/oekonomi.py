"""Økonomi (directors): where will the year end, on which offer types, and since when did we know;
price and quantity, own and external purchase, and the most expensive citizens as aggregates. The
sections are in cockpit/ui/economy.py."""

from cockpit import ui
from cockpit.ui import scenario

economy = ui.Economy(ui.scope(), ui.offer_type())
ui.report.download(economy.scope)  # Hent udvalgsrapport (issue 16)
economy.headline()
economy.year_curve()
economy.where()
economy.since_when()
economy.price_and_quantity()
economy.own_and_external()
economy.expensive()
scenario.accuracy(economy.scope, compact=True)  # Prognosens træfsikkerhed (issue 15)
