"""The demo's synthetic comparison municipalities: aggregates only, labelled synthetic.

The demo database holds one municipality (Demokommune, 999). So that the Sammenligning page has
peers and a country to compare with, the generator adds one row per real municipality and year
(and per offer type) to the tables of sample_data/peer_aggregate.sql: Demokommune's own full-year
figures scaled to the municipality's 2022 population, with a deterministic quantity factor that
follows the socioeconomic index and small deterministic price and mix factors. No citizen rows."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cockpit import db
from cockpit.compare import peers
from cockpit.periods import Scope

SOURCE = "Syntetiske sammenligningstal"
DDL = db.ROOT / "sample_data" / "peer_aggregate.sql"
COUNTS = (
    "offer_spend_citizens",
    "citizens_active",
    "staircase_citizens",
    "botilbud_citizens",
    "external_grants",
    "covered_grants",
    "external_active_citizens",
)


def _factors(codes: np.ndarray, seed: int, salt: int, sd: float) -> np.ndarray:
    return np.array(
        [np.exp(np.random.default_rng([seed, salt, int(c)]).normal(0.0, sd)) for c in codes]
    )


def peer_frames(
    own: pd.DataFrame, own_types: pd.DataFrame, inhabitants: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic totals and offer-type rows for the 98 municipalities from the demo's own
    full-year rows (`own`: one row per year in compare_totals columns; `own_types`: year and
    compare_offer_types columns). Pure and deterministic for a seed."""
    s = peers.structure()
    feats = peers.features(s, peers.socio_index(), 2024)
    codes = s["municipality_code"].to_numpy()
    size = s["population_2022"].to_numpy() / inhabitants
    socio = feats.loc[codes, "socio_index"].to_numpy()
    quantity = socio**0.6 * _factors(codes, seed, 1, 0.10)
    price = _factors(codes, seed, 2, 0.07)
    placement = _factors(codes, seed, 3, 0.12)
    outside = _factors(codes, seed, 4, 0.10)
    totals, types = [], []
    for i, code in enumerate(codes):
        k, q, p = size[i], quantity[i], price[i]
        t = own.copy()
        t["municipality_code"] = int(code)
        t["persons_18_64"] = own["persons_18_64"] * k
        for col in COUNTS:
            t[col] = own[col] * k * q
        t["botilbud_citizens"] = np.minimum(
            t["botilbud_citizens"] * placement[i], t["staircase_citizens"]
        )
        t["covered_grants"] = np.minimum(t["covered_grants"] * outside[i], t["external_grants"])
        t["spend_dkk"] = own["spend_dkk"] * k * q * p
        t["offer_spend_dkk"] = own["offer_spend_dkk"] * k * q * p
        t["external_spend_dkk"] = np.minimum(
            own["external_spend_dkk"] * k * q * p / outside[i], t["offer_spend_dkk"]
        )
        totals.append(t)
        mix = _factors(np.arange(len(own_types)), seed + int(code), 5, 0.08)
        ty = own_types.copy()
        ty["municipality_code"] = int(code)
        ty["spend_dkk"] = own_types["spend_dkk"] * k * q * p * mix
        ty["grant_days"] = own_types["grant_days"] * k * q * mix
        ty["citizens"] = own_types["citizens"] * k * q
        types.append(ty)
    out = pd.concat(totals, ignore_index=True)
    for col in COUNTS:
        out[col] = out[col].round().astype("int64")
    out["source"] = SOURCE
    out_types = pd.concat(types, ignore_index=True)
    out_types["citizens"] = out_types["citizens"].round().astype("int64")
    return out, out_types


def add_to_demo(url: str, municipality: int, years: list[int], last: date, seed: int) -> int:
    """Compute the demo municipality's full-year figures per year (the last year extrapolated from
    1 January to `last`), write the synthetic peers into peer_aggregate*, return rows written."""
    own, own_types = [], []
    for year in years:
        as_of = last if year == last.year else date(year, 12, 31)
        scope = Scope(municipality, year, as_of)
        grow = scope.days_in_year / scope.day_of_year
        t = db.query("compare_totals", scope.params(), url)
        t = t[t["municipality_code"] == municipality].copy()
        ty = db.query("compare_offer_types", scope.params(), url)
        ty = ty[ty["municipality_code"] == municipality].copy()
        for col in ("spend_dkk", "offer_spend_dkk", "external_spend_dkk"):
            t[col] = t[col] * grow
        ty["spend_dkk"] = ty["spend_dkk"] * grow
        ty["grant_days"] = ty["grant_days"] * grow
        t["year"], ty["year"] = year, year
        own.append(t)
        own_types.append(ty)
    own_df = pd.concat(own, ignore_index=True)
    types_df = pd.concat(own_types, ignore_index=True)
    from sample_data.generate import DEMO

    totals, types = peer_frames(own_df, types_df, DEMO.inhabitants, seed)
    db.release(url)
    engine = db.writable_engine(url)
    with engine.begin() as conn:
        for statement in DDL.read_text(encoding="utf-8").split(";"):
            body = "\n".join(
                line for line in statement.splitlines() if not line.strip().startswith("--")
            ).strip()
            if body:
                conn.exec_driver_sql(body)
        conn.execute(sa.text("delete from peer_aggregate"))
        conn.execute(sa.text("delete from peer_aggregate_offer_type"))
        db.insert_frame(conn, "peer_aggregate", totals)
        db.insert_frame(conn, "peer_aggregate_offer_type", types)
    engine.dispose()
    return len(totals) + len(types)
