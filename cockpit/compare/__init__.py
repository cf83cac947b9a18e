"""Sammenligning: how the municipality compares with the ten municipalities most like it
(structural peers) and with the whole country. Modules: peers (who is like us), measures (the
comparison, the quantity/price split, expected spend), public (Danmarks Statistik's figures),
synthetic (the demo's synthetic peers), report (one comparison for the CLI and the page), view
(tables, charts and the map for the page)."""
