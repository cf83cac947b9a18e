"""Køb og salg af pladser (issue 18): prices against the market (Tilbudsportalen and our own
quartiles), the 10 % rule under free choice, and the døgnhjul behind each contract. Pure functions
over frames; the data path is the gateway, the sections are cockpit/ui/market.py."""
