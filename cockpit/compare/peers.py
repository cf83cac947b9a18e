"""Who is like us: the ten municipalities nearest on structural conditions.

Three features, each z-scored across the 98 municipalities (population standard deviation):
the socioeconomic index (the latest year <= Y), the natural log of the population in 2022, and
the population density in 2022 (inhabitants per km², not logged). Distance is Euclidean; ties are
broken by municipality code. The data are real public figures shipped in reference/ (SOURCES.md)."""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pandas as pd

REFERENCE = Path(__file__).resolve().parent / "reference"
PEERS = 10
FEATURES = ("socio_index", "log_population", "density")
SOURCES = (
    "Socioøkonomisk indeks, indbyggere og befolkningstæthed: De Kommunale Nøgletal, "
    "Indenrigs- og Sundhedsministeriet. Kommunegrænser: DAGI."
)

# A municipality that is not one of the 98 borrows the structural features of a real one: the demo's
# Demokommune (999, about 60,000 inhabitants in Region Syddanmark) stands in for Svendborg.
TWINS: dict[int, int] = {999: 479}


@functools.cache
def structure() -> pd.DataFrame:
    """The 98 municipalities: code, name, population_2022, density_2022."""
    return pd.read_csv(REFERENCE / "structure.csv")


@functools.cache
def socio_index() -> pd.DataFrame:
    """Long table: municipality_code, year, socio_index (1996-2024)."""
    return pd.read_csv(REFERENCE / "socio_index.csv")


def names() -> dict[int, str]:
    s = structure()
    return dict(zip(s["municipality_code"].astype(int), s["name"], strict=True))


def features(struct: pd.DataFrame, socio: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per municipality (index: code) with the raw features: the latest socioeconomic
    index with year <= `year` (the earliest available when none is that old), ln(population 2022)
    and density 2022."""
    s = socio.sort_values(["municipality_code", "year"])
    upto = s[s["year"] <= year]
    latest = upto.groupby("municipality_code").tail(1)
    missing = set(s["municipality_code"]) - set(latest["municipality_code"])
    if missing:
        first = s[s["municipality_code"].isin(missing)].groupby("municipality_code").head(1)
        latest = pd.concat([latest, first])
    idx = latest.set_index("municipality_code")
    out = struct.set_index("municipality_code")[["population_2022", "density_2022"]].copy()
    out["socio_index"] = idx["socio_index"].reindex(out.index).astype(float)
    out["socio_year"] = idx["year"].reindex(out.index)
    out["log_population"] = out["population_2022"].astype(float).map(math.log)
    out["density"] = out["density_2022"].astype(float)
    out.index = out.index.astype(int)
    return out


def zscores(feats: pd.DataFrame) -> pd.DataFrame:
    """Each feature minus its mean over the rows, divided by its population standard deviation."""
    cols = list(FEATURES)
    x = feats[cols].astype(float)
    std = x.std(ddof=0).replace(0.0, 1.0)
    return (x - x.mean()) / std


def nearest(z: pd.DataFrame, code: int, k: int = PEERS) -> pd.DataFrame:
    """The k rows of `z` nearest to `code` (itself excluded): columns municipality_code and
    distance, nearest first, ties by code."""
    me = z.loc[code]
    others = z.drop(index=code)
    dist = ((others - me) ** 2).sum(axis=1) ** 0.5
    out = pd.DataFrame({"municipality_code": others.index.astype(int), "distance": dist.values})
    return out.sort_values(["distance", "municipality_code"]).head(k).reset_index(drop=True)


def peer_group(code: int, year: int, k: int = PEERS) -> pd.DataFrame:
    """The municipality's structural peers among the 98 (a twin stands in for a municipality that
    is not one of them, and is itself left out of the peers). Columns: municipality_code, name,
    distance and the three raw features."""
    feats = features(structure(), socio_index(), year)
    base = TWINS.get(code, code)
    if base not in feats.index:
        raise KeyError(f"Kommune {code} findes ikke blandt de 98 kommuner.")
    found = nearest(zscores(feats), base, k)
    out = found.join(feats[list(FEATURES)], on="municipality_code")
    out.insert(1, "name", out["municipality_code"].map(names()))
    return out


def own_features(code: int, year: int) -> dict:
    """The municipality's own raw features (a twin's for the demo) and the socio index year."""
    feats = features(structure(), socio_index(), year)
    row = feats.loc[TWINS.get(code, code)]
    return {
        "socio_index": float(row["socio_index"]),
        "socio_index_year": int(row["socio_year"]),
        "population_2022": int(row["population_2022"]),
        "density_2022": float(row["density"]),
    }
