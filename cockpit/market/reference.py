"""The Tilbudsportalen facts shipped with the cockpit (reference/, sources in its SOURCES.md):
published daily rate ranges per offer and their quartiles per offer type."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent / "reference"
SOURCE = "Kilde: Tilbudsportalen (Social- og Boligstyrelsen), offentliggjorte takster maj–juni 2025"
Z75 = NormalDist().inv_cdf(0.75)


@cache
def offers() -> pd.DataFrame:
    """One row per Tilbudsportalen offer: id, name, postcode, offer type, places, rate range."""
    return pd.read_csv(
        HERE / "tilbudsportalen_offers.csv",
        dtype={"tilbudsportalen_id": "str", "name": "str", "offer_type_code": "str"},
    ).astype({"postcode": "Int64", "places": "Int64"})


@cache
def rate_quartiles() -> pd.DataFrame:
    """Per offer type: number of offers and the quartiles of the minimum and maximum rate."""
    return pd.read_csv(HERE / "tilbudsportalen_rates.csv").set_index("offer_type_code")


def draw(codes: np.ndarray, u: np.ndarray, end: str) -> np.ndarray:
    """The u-quantile of the `end` ("min" or "max") rate of each code's type, from a log-normal
    through its published median and quartiles (u clipped to 2-98 %)."""
    q = rate_quartiles().loc[codes]
    lo, mid, hi = (np.log(q[f"{end}_p{p}"].to_numpy(float)) for p in (25, 50, 75))
    sigma = (hi - lo) / (2 * Z75)
    z = np.array([NormalDist().inv_cdf(float(x)) for x in np.clip(u, 0.02, 0.98)])
    return np.exp(mid + sigma * z)
