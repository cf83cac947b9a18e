"""Strategi (politicians): are we meeting the political targets, are citizens moving to less
intrusive help on the indsatstrappe, and the headline economy. Aggregates only; the sections are
in cockpit/ui/strategy.py and cockpit/ui/economy.py."""

from cockpit import ui

strategy = ui.Strategy(ui.scope())
ui.report.download(strategy.scope)  # Hent udvalgsrapport (issue 16)
strategy.targets_section()
strategy.staircase_section()
ui.worklist.steering(ui.scope())
ui.Economy(ui.scope(), ui.offer_type()).strategy_headline()
