"""The access gateway: the only way data reach the ui (cockpit/access/gateway.py) and what it knows
about each query (cockpit/access/queries.py)."""
