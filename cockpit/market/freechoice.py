"""The 10 % rule (issue 18, point 2; LOV 747 af 20/06/2025, frit valg under § 108): when a citizen
chose another offer than the one referred to, the chosen price is compared with the referred
offer's price and flagged when it is more than 10 % above."""

from __future__ import annotations

import numpy as np
import pandas as pd

LIMIT = 0.10


def check(rows: pd.DataFrame) -> pd.DataFrame:
    """rows of list_free_choice with `excess` = chosen / referred − 1 (NaN without a referred
    price) and `over_limit` when excess > 10 %; over the limit first, then by excess."""
    out = rows.copy()
    ref = out["referred_monthly_price"].astype(float)
    out["excess"] = np.where(ref > 0, out["monthly_price"].astype(float) / ref - 1, np.nan)
    out["over_limit"] = (out["excess"] > LIMIT + 1e-12).astype(bool)
    out["extra_year"] = np.where(out["over_limit"], (out["monthly_price"] - ref) * 12, 0.0)
    return out.sort_values(["over_limit", "excess", "grant_id"], ascending=[False, False, True])
