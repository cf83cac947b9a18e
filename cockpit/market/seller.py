"""Our own offers as seller (issue 18, point 3): occupancy on the reference date (own citizens plus
places sold to other municipalities, against approved places), budgeted against actual occupied
places, and the income from sales so far this year."""

from __future__ import annotations

import numpy as np
import pandas as pd


def occupancy(rows: pd.DataFrame) -> pd.DataFrame:
    """rows of market_own_offers with `used` = own citizens + sold places, `occupancy` = used /
    places, and `vs_budget` = used − budgeted places (NaN without a budget)."""
    out = rows.copy()
    out["used"] = out["citizens"] + out["sold_places"]
    places = out["places"].astype(float)
    out["occupancy"] = np.where(places > 0, out["used"] / places, np.nan)
    out["vs_budget"] = out["used"] - out["budgeted_places"].astype(float)
    return out
