"""Sammenligning: are we expensive compared with municipalities like us? The 10 structurally
nearest municipalities, the gap split into more citizens and dearer per citizen, expected spend at
the country's unit costs, and a map. Aggregates only; other municipalities' small numbers hidden.
The sections are in cockpit/ui/compare.py."""

from cockpit import ui

compare = ui.Compare(ui.scope())
compare.peers_section()
compare.measures_section()
compare.expected_section()
compare.map_section()
compare.unit_cost_section()
compare.public_section()
