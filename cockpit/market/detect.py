"""Optional means optional (issue 18, point 6): which of the optional columns and tables the
database holds, read once per database generation, and in Danish what to add for a feature."""

from __future__ import annotations

import sqlalchemy as sa

from cockpit import db

# feature → the (table, column) pairs it needs (column None: the table itself).
NEEDS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "portal_keys": (("offer", "tilbudsportalen_id"), ("offer", "postcode")),
    "portal_table": (("tilbudsportalen_offer", None),),
    "free_choice": (("grant", "referred_offer_id"), ("grant", "referred_monthly_price")),
    "schedule": (("support_schedule", None),),
    "sales": (("place_sale", None),),
    "budget": (("offer_budget", None),),
}
ADD: dict[str, str] = {
    "portal_keys": "Tilføj kolonnerne tilbudsportalen_id og postcode i tabellen offer.",
    "portal_table": "Tilføj tabellen tilbudsportalen_offer.",
    "free_choice": (
        "Tilføj kolonnerne referred_offer_id og referred_monthly_price i tabellen grant "
        "(det anviste tilbud og dets månedspris)."
    ),
    "schedule": (
        "Tilføj tabellen support_schedule (municipality_code, grant_id, valid_from, weekday 1-7, "
        "from_hour, to_hour, staff_ratio) for at se døgnhjulet."
    ),
    "sales": "Tilføj tabellen place_sale for at se salg af pladser.",
    "budget": "Tilføj tabellen offer_budget for at se budgetteret belægning.",
}
_SEEN: dict[tuple[str, str], dict[str, bool]] = {}


def _columns(conn: sa.Connection, table: str) -> set[str] | None:
    """The columns of a table (None when it does not exist), read from an empty select: portable
    across DuckDB and PostgreSQL. Table names come from NEEDS, never from input."""
    if not sa.inspect(conn).has_table(table):
        return None
    result = conn.exec_driver_sql(f'select * from "{table}" where 1 = 0')  # noqa: S608
    return set(result.keys())


def features(url: str) -> dict[str, bool]:
    """Each feature of NEEDS: whether the database holds everything it needs."""
    key = (url, db.generation(url))
    if key not in _SEEN:
        with db.engine(url).connect() as conn:
            columns = {t: _columns(conn, t) for t in {t for n in NEEDS.values() for t, _ in n}}
        _SEEN[key] = {
            f: all(columns[t] is not None and (c is None or c in columns[t]) for t, c in needs)
            for f, needs in NEEDS.items()
        }
    return _SEEN[key]
