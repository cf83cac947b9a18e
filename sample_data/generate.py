"""Deterministic synthetic data for the cockpit, labelled "Syntetiske eksempeldata".

Each municipality is drawn with vectorised numpy from its own Generator (seed + municipality code):
citizens move along the indsatstrappe, and grants, decisions, money and progression follow them.
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from cockpit import db
from sample_data import market

HERE = Path(__file__).resolve().parent
REFERENCE_DATE = date(2026, 10, 31)
DATA_START = date(2019, 1, 1)
LOADED_AT = datetime(2026, 11, 1)  # fixed, not now(): a seed must give byte-identical output
SOURCE = "Syntetiske eksempeldata"
DEFAULT_SEED = 20261031
SIZES = ("demo", "national")

EPOCH = date(1970, 1, 1)
REF = (REFERENCE_DATE - EPOCH).days
START = (DATA_START - EPOCH).days
HISTORY = START - 730  # reviews, goals and follow-ups before this would never be looked at
NA = -(10**9)  # a missing day
OPEN = 10**9  # end day of an open-ended grant
YEAR = 365.25
VOLUME_GROWTH = 0.010  # more citizens each year; prices make up the rest of the spend growth
SPEND_GROWTH = 0.02  # a year, KL 2024 (36.3 → 39.3 bn. kr. 2018-2022)

CODES = tuple("SEL82 SEL85 SEL85BL SEL107 SEL108 SEL103 SEL104 SEL96 SEL97 SEL101 SEL110".split())
STEPS = 5  # the first five codes are the indsatstrappe, least intrusive first
T = {code: i for i, code in enumerate(CODES)}
BOLIG = np.array([c in ("SEL85BL", "SEL107", "SEL108", "SEL110") for c in CODES])
OWNERS = ("own", "other_municipality", "region", "private")
KINDS = ("new", "change", "revisitation", "end")
OUTCOMES = ("granted", "rejected", "changed", "ended")
DECIDERS = ("committee", "leader", "caseworker")
GROUPS = ("handicap", "psykiatri", "udsat", "misbrug")
THEMES = (
    "praktiske_opgaver",
    "egenomsorg",
    "mobilitet",
    "kommunikation",
    "samfundsliv",
    "relationer",
    "mentale_funktioner",
    "sundhed",
)
GOAL_TYPES = ("develop", "maintain", "limit_loss")
RESULTS = ("continue", "adjust", "end")


@dataclass(frozen=True)
class Service:
    """How one offer type behaves: volume, spell length, price and who delivers it."""

    per_1000: float  # citizens on the reference date: in this step, or with only this offer
    years: float  # mean spell length
    daily: float  # median daily price at reference-date level; hourly rate when priced by hours
    spread: float  # upper quartile / median, of the daily price or of the weekly hours
    hours: float = 0.0  # median weekly hours, for support priced by the hour
    owners: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0)  # own, other municipality, region, private
    groups: tuple[float, ...] = (0.3, 0.4, 0.2, 0.1)  # target group of a citizen starting here
    shape: float = 1.3  # Weibull shape of the spell length


SERVICES = {
    "SEL82": Service(0.8, 0.3, 560, 1.4, 1.5, groups=(0.15, 0.45, 0.3, 0.1), shape=2.0),
    "SEL85": Service(5.0, 3.0, 590, 1.4, 3.5, (0.85, 0, 0, 0.15), (0.3, 0.45, 0.15, 0.1)),
    "SEL85BL": Service(2.5, 5.0, 1950, 1.3, 0, (0.75, 0.1, 0, 0.15), (0.35, 0.5, 0.1, 0.05)),
    "SEL107": Service(1.4, 2.0, 2000, 1.4, groups=(0.3, 0.5, 0.1, 0.1)),
    "SEL108": Service(0.9, 8.0, 2650, 1.55, groups=(0.75, 0.2, 0.03, 0.02)),
    "SEL103": Service(0.35, 5.0, 260, 1.22, 0, (0.6, 0.25, 0.1, 0.05), (0.7, 0.25, 0.05, 0)),
    "SEL104": Service(0.9, 6.0, 400, 1.27, 0, (0.6, 0.2, 0.1, 0.1), (0.6, 0.3, 0.1, 0)),
    "SEL96": Service(0.15, 8.0, 4200, 1.4, 0, (0, 0, 0, 0), (1, 0, 0, 0)),
    "SEL97": Service(0.5, 3.0, 330, 1.4, 3.0, (0.75, 0, 0, 0.25), (0.8, 0.15, 0.05, 0)),
    "SEL101": Service(0.45, 0.8, 420, 1.5, 0, (0.45, 0.05, 0.1, 0.4), (0, 0.1, 0.1, 0.8)),
    "SEL110": Service(0.15, 0.25, 1100, 1.22, 0, (0.5, 0.4, 0, 0.1), (0, 0.2, 0.6, 0.2)),
}
SV = [SERVICES[c] for c in CODES]
MEAN_DAYS = np.array([s.years * YEAR for s in SV])
SHAPE = np.array([s.shape for s in SV])
# Steps of Weyl sequences; rationally independent, so sequences for different purposes don't align.
WEYL = {"length": (5**0.5 - 1) / 2, "move": 2**0.5 - 1, "choice": 3**0.5 - 1, "price": 7**0.5 - 2}

# Where a citizen goes when a staircase spell ends: to step 1..5, or out (last column).
MOVES = np.array(
    [
        [0.00, 0.20, 0.00, 0.00, 0.00, 0.80],
        [0.03, 0.00, 0.05, 0.03, 0.00, 0.89],
        [0.00, 0.20, 0.00, 0.06, 0.04, 0.70],
        [0.00, 0.15, 0.25, 0.00, 0.09, 0.51],
        [0.00, 0.00, 0.05, 0.03, 0.00, 0.92],
    ]
)
# Extra grants beside a staircase spell (a day offer next to a botilbud), chance per step.
ADDONS = {
    "SEL104": (0.0, 0.05, 0.25, 0.30, 0.50),
    "SEL103": (0.0, 0.05, 0.10, 0.08, 0.05),
    "SEL97": (0.0, 0.04, 0.06, 0.03, 0.10),
}
ADDON_YEARS = 4.0

OFFER_WORDS = {
    "SEL82": ("Straksindsatsen", "Forebyggelsesteamet", "Åben rådgivning"),
    "SEL85": ("Bostøtteteam", "Støttecentret", "Bostøtten"),
    "SEL85BL": ("Bofællesskabet", "Opgangsfællesskabet", "Boligerne"),
    "SEL107": ("Botilbuddet", "Bostedet", "Midlertidigt botilbud"),
    "SEL108": ("Bofællesskabet", "Botilbuddet", "Hjemmet"),
    "SEL103": ("Værkstedet", "Beskæftigelsestilbuddet", "Produktionshuset"),
    "SEL104": ("Aktivitetscentret", "Værestedet", "Dagtilbuddet"),
    "SEL96": ("BPA-ordningen",),
    "SEL97": ("Ledsageordningen", "Kontaktpersonkorpset"),
    "SEL101": ("Rusmiddelcentret", "Behandlingscentret", "Misbrugsbehandlingen"),
    "SEL110": ("Forsorgshjemmet", "Herberget"),
}
PLACE_NAMES = (
    "Engely Solbakken Lindegården Egebo Bakkehuset Kildevang Birkely Fjordbo Skovbrynet Åbo "
    "Møllegården Granly Rosenhaven Havbakken Lyngbo Enghaven Bøgely Søbakken Vestergården "
    "Nørrelund Østerled Kastanjehuset Toftegården Højvang Ådalen Stjernen Fyrtårnet Ankeret "
    "Pilehuset Hybenhaven"
).split()

TARGETS = {  # kpi key: target 2025, target 2026, decimals
    "botilbud_share": (0.21, 0.20, 2),
    "contract_coverage": (0.90, 0.95, 2),
    "forecast_deviation_pct": (0.0, 0.0, 2),
    "processing_days_median": (42, 35, 0),
    "revisitation_coverage": (0.88, 0.92, 2),
    "goal_attainment": (0.50, 0.55, 2),
}
TARGET_NOTES = {  # the target in the council's words
    "botilbud_share": "Flere borgere skal have støtte i eget hjem frem for i botilbud.",
    "contract_coverage": "Alle eksterne køb skal være dækket af en gyldig kontrakt.",
    "forecast_deviation_pct": "Budgettet for det specialiserede voksenområde skal overholdes.",
    "processing_days_median": "Nye ansøgninger skal afgøres hurtigere.",
    "revisitation_coverage": "Alle bevillinger skal følges op mindst hvert andet år.",
    "goal_attainment": "Flere borgere skal nå de mål, der er sat for indsatsen.",
}


# --------------------------------------------------------------------------- small helpers


def _day(d: date) -> int:
    return (d - EPOCH).days


def _dates(days: np.ndarray) -> np.ndarray:
    """Day numbers to datetime64[s] (what pandas and DuckDB take), NA and OPEN to NaT."""
    out = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    out[(days <= NA) | (days >= OPEN)] = np.datetime64("NaT")
    return out.astype("datetime64[s]")


def _month(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _month_start(months: np.ndarray) -> np.ndarray:
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _year(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _ids(prefix: str, code: int, n: int, width: int) -> pa.Array:
    """Pseudonymous ids such as B999-000123: letter, municipality, serial; never CPR-like."""
    serial = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), width, "0")
    return pc.binary_join_element_wise(f"{prefix}{code}-", serial, "")


def _text(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    return pd.arrays.ArrowExtensionArray(values)


def _take(values: pa.Array | tuple[str, ...], idx: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """values[idx] as an Arrow-backed text column, null where idx is -1. Arrow text is built and
    loaded far faster than Python strings, which matters for ten million expense lines."""
    values = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    idx = np.asarray(idx)
    return _text(values.take(pa.array(idx, mask=idx < 0)))


def _pick(rng: np.random.Generator, probs: np.ndarray, u: np.ndarray | None = None) -> np.ndarray:
    """One categorical draw per row of a probability matrix (from uniforms `u` when given)."""
    cum = np.cumsum(probs, axis=1)
    u = (rng.random(len(probs)) if u is None else u) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def _spread(rng: np.random.Generator, n: int, purpose: str) -> np.ndarray:
    """n quasi-random uniforms, evenly spread over every run of consecutive rows (a Weyl sequence
    from a random start). Drawn in time order, they keep a small municipality's volumes, mix and
    prices close to expectation year by year, so its calibration holds like a large one's."""
    return (rng.random() + WEYL[purpose] * np.arange(n)) % 1.0


def _spread_within(
    rng: np.random.Generator, groups: np.ndarray, purpose: str, by: np.ndarray | None = None
) -> np.ndarray:
    """As _spread, with the sequence running separately within each group, in order of `by`
    (a start day) or else in row order."""
    order = np.argsort(groups, kind="stable") if by is None else _order(groups, by)
    sorted_groups = groups[order]
    starts = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    rank = np.empty(len(groups), np.int64)
    rank[order] = np.arange(len(groups)) - run_start
    return (rng.random() + WEYL[purpose] * rank) % 1.0


def _repeat_range(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts [2, 3]: owners [0, 0, 1, 1, 1] and positions [0, 1, 0, 1, 2]."""
    owner = np.repeat(np.arange(len(counts)), counts)
    pos = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, pos


def _order(*keys: np.ndarray) -> np.ndarray:
    """Stable sort order by the given keys, first key most significant."""
    return np.lexsort(keys[::-1])


def _external_share(inhabitants: float) -> float:
    """Share of botilbud bought outside: ≈70 % in small, ≈48 % in large municipalities (VIVE)."""
    return float(np.clip(0.55 - 0.075 * np.log(inhabitants / 60_000), 0.45, 0.72))


@dataclass(frozen=True)
class Place:
    code: int
    name: str
    region: str
    inhabitants: int


def municipalities() -> list[Place]:
    """The 98 municipalities (code, name, region, inhabitants 2022) shipped with the project."""
    with open(HERE / "municipalities.csv", encoding="utf-8") as f:
        return [
            Place(int(r["municipality_code"]), r["name"], r["region"], int(r["inhabitants_2022"]))
            for r in csv.DictReader(f)
        ]


DEMO = Place(999, "Demokommune", "Region Syddanmark", 60_000)


def offer_types() -> pd.DataFrame:
    df = pd.read_csv(HERE / "offer_types.csv", dtype=str, keep_default_na=False)
    df["staircase_step"] = pd.to_numeric(df["staircase_step"]).astype("Int64")
    return df


# --------------------------------------------------------------------------- citizens and spells


def _direct_rates() -> np.ndarray:
    """New citizens a year per 1 000 inhabitants entering each step, net of moves between steps."""
    stock = np.array([s.per_1000 for s in SV[:STEPS]])
    years = MEAN_DAYS[:STEPS] / YEAR
    leaving = stock * (1 + VOLUME_GROWTH * years) / years
    return leaving - MOVES[:, :STEPS].T @ leaving


def _arrivals(rng: np.random.Generator, per_year: float, years_back: float) -> np.ndarray:
    """Sorted start days of arrivals growing by VOLUME_GROWTH a year up to the reference date,
    one in each equal slice of the expected count (stratified: the count varies by rounding only)."""
    g = VOLUME_GROWTH
    span = 1 - np.exp(-g * years_back)
    n = int(per_year * span / g + rng.random())
    u = (np.arange(n) + rng.random(n)) / max(n, 1)  # stratified: one arrival per slice of time
    back = -np.log1p(-u * span) / g
    return np.sort(REF - np.floor(back * YEAR).astype(np.int64))


def _weibull(mean_days: np.ndarray | float, shape: np.ndarray | float, u: np.ndarray) -> np.ndarray:
    """Whole days: the Weibull quantile of `u` (inverse CDF), at least a week."""
    scale = mean_days / np.vectorize(math.gamma)(1 + 1 / np.asarray(shape, dtype=float))
    return np.maximum(7, np.round(scale * (-np.log1p(-u)) ** (1 / shape))).astype(np.int64)


def _lengths(t: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Spell lengths in days for offer types `t`."""
    return _weibull(MEAN_DAYS[t], SHAPE[t], u)


def _frame(**cols: np.ndarray | int) -> pd.DataFrame:
    return pd.DataFrame(cols)


def _staircase(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    """Citizens' journeys on the indsatstrappe: each spell ends in a move up, down or out."""
    starts = [_arrivals(rng, rate * scale, 40) for rate in _direct_rates()]
    t = np.concatenate([np.full(len(s), i) for i, s in enumerate(starts)])
    start = np.concatenate(starts)
    gen = _frame(citizen=np.arange(len(start)), type=t, start=start, move_in=0)
    done: list[pd.DataFrame] = []
    while len(gen):
        step = gen["type"].to_numpy()
        gen["end"] = gen["start"].to_numpy() + _lengths(step, _spread(rng, len(gen), "length")) - 1
        ended = gen["end"].to_numpy() < REF
        nxt = np.full(len(gen), STEPS)
        nxt[ended] = _pick(rng, MOVES[step[ended]], _spread(rng, int(ended.sum()), "move"))
        go = nxt < STEPS
        gen["move_out"] = np.where(go, np.sign(nxt - step), 0)
        done.append(gen)
        gen = _frame(
            citizen=gen["citizen"].to_numpy()[go],
            type=nxt[go],
            start=gen["end"].to_numpy()[go] + 1,
            move_in=gen["move_out"].to_numpy()[go],
        )
        gen = gen.iloc[_order(gen["type"].to_numpy(), gen["start"].to_numpy())]
        gen = gen.reset_index(drop=True)
    return pd.concat(done, ignore_index=True)


def _standalone(rng: np.random.Generator, scale: float, first_citizen: int) -> pd.DataFrame:
    """Citizens with one offer only (a day offer, BPA, treatment, a shelter stay)."""
    starts = []
    for s in SV[STEPS:]:
        rate = s.per_1000 * scale * (1 + VOLUME_GROWTH * s.years) / s.years
        # back far enough that the stock is steady when the data period starts
        starts.append(_arrivals(rng, rate, min(40, (REF - START) / YEAR + 5 * s.years)))
    t = np.concatenate([np.full(len(s), STEPS + i) for i, s in enumerate(starts)])
    start = np.concatenate(starts)
    return _frame(
        citizen=first_citizen + np.arange(len(start)),
        type=t,
        start=start,
        end=start + _lengths(t, _spread(rng, len(t), "length")) - 1,
        move_in=0,
        move_out=0,
    )


def _addons(rng: np.random.Generator, stair: pd.DataFrame) -> pd.DataFrame:
    """Day offers, protected work and escorts granted beside a staircase spell."""
    parts = []
    stair = stair.iloc[_order(stair["type"].to_numpy(), stair["start"].to_numpy())]
    step = stair["type"].to_numpy()
    for code, chance in ADDONS.items():
        s = stair[_spread(rng, len(stair), "choice") < np.asarray(chance)[step]]
        start = s["start"].to_numpy() + rng.integers(0, 121, len(s))
        length = _weibull(ADDON_YEARS * YEAR, 1.3, _spread(rng, len(s), "length"))
        end = np.minimum(s["end"].to_numpy(), start + length)
        keep = start <= end
        parts.append(
            _frame(
                citizen=s["citizen"].to_numpy()[keep],
                type=T[code],
                start=start[keep],
                end=end[keep],
                move_in=0,
                move_out=0,
            )
        )
    return pd.concat(parts, ignore_index=True)


def _spells(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    """Every spell (a citizen on one offer type) overlapping the data period; citizens are
    numbered in order of their first start."""
    stair = _staircase(rng, scale)
    alone = _standalone(rng, scale, len(stair))
    addon = _addons(rng, stair)
    stair["addon"], alone["addon"], addon["addon"] = False, False, True
    s = pd.concat([stair, alone, addon], ignore_index=True)
    s = s[(s["end"].to_numpy() >= START) & (s["start"].to_numpy() <= REF)]
    first = s.groupby("citizen")["start"].transform("min").to_numpy()
    cols = (first, s["citizen"].to_numpy(), s["start"].to_numpy(), s["type"].to_numpy())
    s = s.iloc[_order(*cols)].reset_index(drop=True)
    s["citizen"] = pd.factorize(s["citizen"])[0]
    # cases whose caseworker falls behind: fewer reviews, follow-ups skipped
    s["neglected"] = rng.random(len(s)) < 0.18
    return s


# --------------------------------------------------------------------------- offers


def _owners(
    rng: np.random.Generator, t: np.ndarray, start: np.ndarray, inhabitants: float
) -> np.ndarray:
    """Who delivers each spell: 0 own, 1 other municipality, 2 region, 3 private; -1 no offer."""
    probs = np.array([s.owners for s in SV], dtype=float)
    ext = _external_share(inhabitants)
    for code in ("SEL107", "SEL108"):
        probs[T[code]] = (1 - ext, 0.30 * ext, 0.15 * ext, 0.55 * ext)
    owner = np.full(len(t), -1)
    has = probs[t].sum(axis=1) > 0
    owner[has] = _pick(rng, probs[t[has]], _spread_within(rng, t[has], "choice", start[has]))
    return owner


def _offers(
    rng: np.random.Generator, spells: pd.DataFrame, home: Place, places: list[Place]
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The offers the municipality uses, and each spell's offer (-1: none, as for BPA) and owner."""
    t = spells["type"].to_numpy()
    owner = _owners(rng, t, spells["start"].to_numpy(), home.inhabitants)
    has = owner >= 0
    pool = t * 4 + owner  # one pool of offers per (type, owner)
    used = np.bincount(pool[has], minlength=len(CODES) * 4)
    size = np.where(np.arange(len(used)) % 4 == 0, 0.3, 1.2) * np.sqrt(used)
    n_offers = np.where(used > 0, np.maximum(1, np.round(size)), 0).astype(np.int64)
    first = np.cumsum(n_offers) - n_offers
    offer = np.full(len(t), -1)
    # u^1.3 favours the first offers of a pool: some bigger offers, a tail of small ones
    u = rng.random(int(has.sum())) ** 1.3
    offer[has] = first[pool[has]] + np.floor(u * n_offers[pool[has]]).astype(np.int64)
    offer_pool, _ = _repeat_range(n_offers)
    o_owner = offer_pool % 4
    active = has & (spells["start"].to_numpy() <= REF) & (spells["end"].to_numpy() >= REF)
    frame = pd.DataFrame(
        {
            "type": offer_pool // 4,
            "owner": o_owner,
            "location": _locations(rng, offer_pool, home, places),
            "name": _offer_names(rng, offer_pool // 4),
            "ours": np.bincount(offer[active], minlength=len(offer_pool)),
        }
    )
    return frame, offer, owner


def _locations(
    rng: np.random.Generator, pool: np.ndarray, home: Place, places: list[Place]
) -> np.ndarray:
    """Own offers lie at home; other municipalities' and regions' mostly in the region."""
    owner = pool % 4
    near = np.array([p.code for p in places if p.region == home.region and p.code != home.code])
    far = np.array([p.code for p in places if p.code != home.code])
    n = len(owner)
    elsewhere = np.where(
        rng.random(n) < 0.8, near[rng.integers(0, len(near), n)], far[rng.integers(0, len(far), n)]
    )
    at_home = _spread_within(rng, pool, "choice") < np.array([1.0, 0.0, 0.15, 0.50])[owner]
    return np.where(at_home, home.code, elsewhere)


def _offer_names(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    words = [OFFER_WORDS[c] for c in CODES]
    flat = np.array([w for ws in words for w in ws], dtype=object)
    count = np.array([len(ws) for ws in words])
    first = np.cumsum(count) - count
    kind = flat[first[t] + rng.integers(0, 60, len(t)) % count[t]]
    place = np.array(PLACE_NAMES, dtype=object)[rng.integers(0, len(PLACE_NAMES), len(t))]
    return kind + " " + place


def _offer_table(rng: np.random.Generator, offers: pd.DataFrame, code: int) -> pd.DataFrame:
    t = offers["type"].to_numpy()
    ours = offers["ours"].to_numpy()
    own = offers["owner"].to_numpy() == 0
    own_places = np.ceil(ours * rng.uniform(1.05, 1.3, len(t))) + rng.integers(1, 4, len(t))
    ext_places = np.maximum(ours, rng.integers(8, 61, len(t)))
    places = pd.array(np.where(own, own_places, ext_places).astype(np.int64), dtype="Int64")
    # support in the citizen's own home has no approved places
    places[np.isin(t, [T[c] for c in ("SEL82", "SEL85", "SEL96", "SEL97", "SEL101")])] = pd.NA
    return pd.DataFrame(
        {
            "offer_id": _text(_ids("T", code, len(offers), 4)),
            "municipality_code": code,
            "name": offers["name"].to_numpy(),
            "owner_type": _take(OWNERS, offers["owner"].to_numpy()),
            "location_municipality_code": pd.array(offers["location"].to_numpy(), dtype="Int64"),
            "places": places,
            "offer_type_code": _take(CODES, t),
        }
    )


# --------------------------------------------------------------------------- grants


def _spell_prices(
    rng: np.random.Generator, t: np.ndarray, start: np.ndarray, owner: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Monthly price at reference-date level, and weekly hours (NaN when priced per day).
    Prices are log-logistic around the median: a long right tail, quartiles at median × spread."""
    u = _spread_within(rng, t, "price", start)
    spread = np.array([s.spread for s in SV])[t]
    level = np.minimum((u / (1 - u)) ** (np.log(spread) / np.log(3)), 6)
    # secured § 108 units for the most complex needs: 26 000-42 000 kr. a day
    secured = (t == T["SEL108"]) & (u > 0.985)
    level = np.where(secured, np.maximum(level, 10.5 * (1 + 40 * (u - 0.985))), level)
    median_hours = np.array([s.hours for s in SV])[t]
    hourly = median_hours > 0
    hours = np.clip(np.round(median_hours * level * 2) / 2, 0.5, 30)
    premium = np.array([0.96, 1.06, 1.06, 1.06])[np.maximum(owner, 0)]
    rate = np.array([s.daily for s in SV])[t] * premium * np.exp(rng.normal(0, 0.03, len(t)))
    monthly = np.where(hourly, hours * 52 / 12, level * 365 / 12) * rate
    return monthly, np.where(hourly, hours, np.nan)


def _reviews(rng: np.random.Generator, spells: pd.DataFrame) -> pd.DataFrame:
    """Review points of each spell, about every 20 months: a revisitation, or a change that
    ends the grant and starts a new one at a new price."""
    lo = np.maximum(spells["start"].to_numpy() + 180, HISTORY)
    hi = np.minimum(spells["end"].to_numpy(), REF)
    length = np.where(spells["type"].to_numpy() == T["SEL110"], 0, np.maximum(hi - lo, 0))
    rate = np.where(spells["neglected"].to_numpy(), 0.3, 1.0) / 600
    spell, _ = _repeat_range(rng.poisson(length * rate))
    day = lo[spell] + np.floor(rng.random(len(spell)) * (length[spell] + 1)).astype(np.int64)
    r = _frame(spell=spell, day=day, change=rng.random(len(spell)) < 0.35)
    r = r.iloc[_order(spell, day)].drop_duplicates(["spell", "day"])
    return r.reset_index(drop=True)


def _grants(
    rng: np.random.Generator,
    spells: pd.DataFrame,
    reviews: pd.DataFrame,
    offer: np.ndarray,
    owner: np.ndarray,
) -> pd.DataFrame:
    """One grant per spell and per change within it, ordered by citizen and start."""
    t = spells["type"].to_numpy()
    monthly, hours = _spell_prices(rng, t, spells["start"].to_numpy(), owner)
    ch = reviews[reviews["change"].to_numpy()]
    n, m = len(spells), len(ch)
    g = _frame(
        spell=np.concatenate([np.arange(n), ch["spell"].to_numpy()]),
        start=np.concatenate([spells["start"].to_numpy(), ch["day"].to_numpy()]),
        shock=np.concatenate([np.zeros(n), rng.normal(0, 0.10, m)]),
        changed=np.concatenate([np.zeros(n, bool), np.ones(m, bool)]),
    )
    g = g.iloc[_order(g["spell"].to_numpy(), g["start"].to_numpy())].reset_index(drop=True)
    sp = g["spell"].to_numpy()
    last = np.append(sp[1:] != sp[:-1], True)
    end = np.where(last, spells["end"].to_numpy()[sp], np.append(g["start"].to_numpy()[1:], 0) - 1)
    # grants running past the reference date are open-ended, except time-limited ones
    planned = np.isin(t[sp], [T["SEL82"], T["SEL110"]]) | (
        np.isin(t[sp], [T["SEL107"], T["SEL101"]]) & (rng.random(len(g)) < 0.5)
    )
    g["end"] = np.where((end >= REF) & ~planned, OPEN, end)
    shock = np.cumsum(g["shock"].to_numpy())
    group_first = np.maximum.accumulate(
        np.where(np.append(True, sp[1:] != sp[:-1]), np.arange(len(g)), 0)
    )
    factor = np.exp(shock - shock[group_first])
    seg_hours = np.maximum(0.5, np.round(hours[sp] * factor * 2) / 2)
    factor = np.where(np.isnan(hours[sp]), factor, seg_hours / hours[sp])
    g["base_price"] = monthly[sp] * factor
    g["hours"] = seg_hours
    for col in ("citizen", "type", "move_in", "neglected"):
        g[col] = spells[col].to_numpy()[sp]
    g["offer"], g["owner"] = offer[sp], owner[sp]
    g["first"] = ~g["changed"].to_numpy()
    order = _order(g["citizen"].to_numpy(), g["start"].to_numpy(), g["type"].to_numpy())
    return g.iloc[order].reset_index(drop=True)


def _active_days(g: pd.DataFrame, year: int) -> np.ndarray:
    lo = max(_day(date(year, 1, 1)), START)
    hi = min(_day(date(year, 12, 31)), REF)
    last = np.minimum(g["end"].to_numpy(), hi)
    return np.maximum(0, last - np.maximum(g["start"].to_numpy(), lo) + 1)


def _price(g: pd.DataFrame, growth: float) -> np.ndarray:
    """Monthly prices: the reference-date price deflated to the year each grant was set (2019 at
    the earliest), by the yearly rate that gives the municipality's spend `growth` a year from
    2019 to the last full year. Prices absorb the chance drift in volume of a small municipality."""
    age = (np.maximum(g["start"].to_numpy(), START) - REF) / YEAR
    first, last = DATA_START.year, REFERENCE_DATE.year - 1
    weight = g["base_price"].to_numpy()
    d_first, d_last = weight * _active_days(g, first), weight * _active_days(g, last)

    def growth_at(rate: float) -> float:
        index = (1 + rate) ** age
        return (index @ d_last / (index @ d_first)) ** (1 / (last - first)) - 1

    lo, hi = 0.0, 0.04  # prices never fall, nor race ahead
    for _ in range(40):  # bisection: spend growth rises with the price rate
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if growth_at(mid) < growth else (lo, mid)
    return np.round(weight * (1 + (lo + hi) / 2) ** age, 2)


# --------------------------------------------------------------------------- decisions


def _decision_rows(
    rng: np.random.Generator, grants: pd.DataFrame, spells: pd.DataFrame, reviews: pd.DataFrame
) -> pd.DataFrame:
    """Decisions behind the grants: new, change, revisitation and end (SEL110 is self-referral)."""
    g = grants[grants["type"].to_numpy() != T["SEL110"]]
    gi = g.index.to_numpy()
    t, start = g["type"].to_numpy(), g["start"].to_numpy()
    wait = np.where(BOLIG[t], rng.integers(0, 61, len(g)), rng.integers(0, 31, len(g)))
    down = g["move_in"].to_numpy() < 0
    first = g["first"].to_numpy()
    # a move down the staircase is decided at a revisitation; a move up is a new application
    kind = np.where(first, np.where(down, 2, 0), 1)
    outcome = np.where(kind == 0, np.where(rng.random(len(g)) < 0.07, 2, 0), 2)
    opened = _frame(
        citizen=g["citizen"].to_numpy(),
        type=t,
        day=start - wait,
        kind=kind,
        outcome=outcome,
        grant=gi,
    )
    s = spells
    revisit = reviews[~reviews["change"].to_numpy()]
    rv = revisit["spell"].to_numpy()
    revisits = _frame(
        citizen=s["citizen"].to_numpy()[rv],
        type=s["type"].to_numpy()[rv],
        day=revisit["day"].to_numpy(),
        kind=2,
        outcome=0,
        grant=-1,
    )
    ended = _end_decisions(rng, s)
    return pd.concat([opened, revisits, ended, _rejections(rng, s)], ignore_index=True)


def _end_decisions(rng: np.random.Generator, s: pd.DataFrame) -> pd.DataFrame:
    """Spells that ended (not by a move down, decided at a revisitation) end by decision;
    expired prevention courses and shelter stays need none."""
    t = s["type"].to_numpy()
    ends = (
        (s["end"].to_numpy() < REF)
        & (s["move_out"].to_numpy() >= 0)
        & (t != T["SEL110"])
        & ((t != T["SEL82"]) | (rng.random(len(s)) < 0.5))
    )
    e = s[ends]
    day = np.maximum(e["end"].to_numpy() - rng.integers(0, 31, len(e)), e["start"].to_numpy())
    return _frame(
        citizen=e["citizen"].to_numpy(),
        type=e["type"].to_numpy(),
        day=day,
        kind=3,
        outcome=3,
        grant=-1,
    )


def _rejections(rng: np.random.Generator, spells: pd.DataFrame) -> pd.DataFrame:
    """Applications from citizens already on the staircase for the next step up, turned down."""
    s = spells[(spells["type"].to_numpy() < STEPS - 1) & ~spells["addon"].to_numpy()]
    s = s[rng.random(len(s)) < 0.10]
    lo = np.maximum(s["start"].to_numpy(), HISTORY)
    hi = np.minimum(s["end"].to_numpy(), REF)
    keep = lo <= hi
    s, lo, hi = s[keep], lo[keep], hi[keep]
    day = lo + np.floor(rng.random(len(s)) * (hi - lo + 1)).astype(np.int64)
    return _frame(
        citizen=s["citizen"].to_numpy(),
        type=s["type"].to_numpy() + 1,
        day=day,
        kind=0,
        outcome=1,
        grant=-1,
    )


def _new_applicants(rng: np.random.Generator, scale: float) -> pd.DataFrame:
    """Rejected first-time applicants: citizens with a decision but never a grant."""
    years = (REF - HISTORY) / YEAR
    n = rng.poisson(0.9 * scale * years)
    weights = np.array([1, 6, 2, 2.5, 0.5, 0.6, 1, 0.5, 1, 0.3, 0])
    t = rng.choice(len(CODES), n, p=weights / weights.sum())
    day = HISTORY + rng.integers(0, REF - HISTORY + 1, n)
    return _frame(citizen=-1, type=t, day=day, kind=0, outcome=1, grant=-1)


def _finish_decisions(
    rng: np.random.Generator, d: pd.DataFrame, first_new_citizen: int
) -> pd.DataFrame:
    """Dates, deciders and order; new applicants get citizen numbers."""
    new = d["citizen"].to_numpy() < 0
    cit = d["citizen"].to_numpy().copy()
    cit[new] = first_new_citizen + np.arange(int(new.sum()))
    d["citizen"] = cit
    n = len(d)
    t, kind = d["type"].to_numpy(), d["kind"].to_numpy()
    bolig = BOLIG[t]
    median = np.select(
        [kind == 0, kind == 1, kind == 2], [np.where(bolig, 45, 25), 20, 30], default=10
    )
    days = median * np.exp(rng.normal(0, 0.55, n))
    # a tail of cases that wait for documentation or a place
    days *= np.where(rng.random(n) < 0.07, rng.uniform(2, 4, n), 1)
    d["application"] = d["day"].to_numpy() - np.maximum(1, np.round(days)).astype(np.int64)
    who = np.array(
        [
            [[0.04, 0.20, 0.76], [0.04, 0.20, 0.76], [0.02, 0.18, 0.80], [0.00, 0.15, 0.85]],
            [[0.88, 0.08, 0.04], [0.88, 0.08, 0.04], [0.50, 0.30, 0.20], [0.30, 0.50, 0.20]],
        ]
    )
    d["decider"] = _pick(rng, who[bolig.astype(int), kind])
    order = _order(d["day"].to_numpy(), d["citizen"].to_numpy(), t, kind)
    return d.iloc[order].reset_index(drop=True)


def _decisions(
    rng: np.random.Generator,
    g: pd.DataFrame,
    spells: pd.DataFrame,
    reviews: pd.DataFrame,
    scale: float,
) -> pd.DataFrame:
    """Every decision, dated and ordered; `grant` links the decision that granted a grant."""
    rows = [_decision_rows(rng, g, spells, reviews), _new_applicants(rng, scale)]
    known = int(spells["citizen"].max()) + 1
    return _finish_decisions(rng, pd.concat(rows, ignore_index=True), known)


def _decision_table(d: pd.DataFrame, citizen_ids: pa.Array, code: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "decision_id": _text(_ids("A", code, len(d), 6)),
            "municipality_code": code,
            "citizen_id": _take(citizen_ids, d["citizen"].to_numpy()),
            "offer_type_code": _take(CODES, d["type"].to_numpy()),
            "application_date": _dates(d["application"].to_numpy()),
            "decision_date": _dates(d["day"].to_numpy()),
            "kind": _take(KINDS, d["kind"].to_numpy()),
            "outcome": _take(OUTCOMES, d["outcome"].to_numpy()),
            "decided_by": _take(DECIDERS, d["decider"].to_numpy()),
        }
    )


# --------------------------------------------------------------------------- citizens, contracts


def _citizen_table(
    rng: np.random.Generator, spells: pd.DataFrame, d: pd.DataFrame, code: int
) -> pd.DataFrame:
    """Citizens with a spell, then rejected first-time applicants; birth year and target group
    follow the offer they first came for."""
    firsts = spells.groupby("citizen")[["type", "start"]].first()
    applicants = d[d["citizen"].to_numpy() >= len(firsts)].sort_values("citizen")
    first_type = np.r_[firsts["type"].to_numpy(), applicants["type"].to_numpy()]
    first_day = np.r_[firsts["start"].to_numpy(), applicants["day"].to_numpy()]
    n = len(first_type)
    group = _pick(rng, np.array([s.groups for s in SV])[first_type])
    age = np.minimum(18 + np.round(rng.gamma(2.0, 9.0, n)), 80).astype(np.int64)
    return pd.DataFrame(
        {
            "citizen_id": _text(_ids("B", code, n, 6)),
            "municipality_code": code,
            "birth_year": _year(first_day) - age,
            "target_group": _take(GROUPS, group),
        }
    )


def _contract_table(
    rng: np.random.Generator, g: pd.DataFrame, grant_ids: pa.Array, code: int
) -> pd.DataFrame:
    """Contracts for most external purchases: some expired, some due for renegotiation."""
    ext = np.flatnonzero((g["owner"].to_numpy() > 0) & (rng.random(len(g)) < 0.87))
    n = len(ext)
    start, end = g["start"].to_numpy()[ext], g["end"].to_numpy()[ext]
    valid_from = start - rng.integers(0, 11, n)
    fixed = rng.random(n) < 0.12
    term = valid_from + rng.integers(365, 1096, n)
    valid_to = np.where(fixed, np.minimum(term, end), np.where(end >= OPEN, OPEN, end))
    kl = rng.random(n) < 0.65
    price = g["price"].to_numpy()[ext]
    drift = np.where(rng.random(n) < 0.15, np.exp(rng.normal(0, 0.03, n)), 1.0)
    # renegotiation every second year, rolling forward while the grant runs
    until = np.minimum(np.minimum(end, REF) - 120, valid_to)
    cycles = np.maximum(1, np.ceil((until - valid_from) / 730)).astype(np.int64)
    renegotiate = np.where(rng.random(n) < 0.65, valid_from + cycles * 730, NA)
    return pd.DataFrame(
        {
            "contract_id": _text(_ids("K", code, n, 6)),
            "municipality_code": code,
            "grant_id": _take(grant_ids, ext),
            "template": _take(("kl_standard", "other"), np.where(kl, 0, 1)),
            "valid_from": _dates(valid_from),
            "valid_to": _dates(valid_to),
            "monthly_price": np.round(price * drift, 2),
            "has_goals_annex": rng.random(n) < np.where(kl, 0.7, 0.25),
            "renegotiate_by": _dates(renegotiate),
        }
    )


# --------------------------------------------------------------------------- expenses


def _grant_lines(g: pd.DataFrame) -> pd.DataFrame:
    """One line per grant and month it was active, prorated by active days, posted at month end."""
    first = np.maximum(g["start"].to_numpy(), START)
    last = np.minimum(g["end"].to_numpy(), REF)
    m0, m1 = _month(first), _month(last)
    grant, pos = _repeat_range(np.where(first <= last, m1 - m0 + 1, 0))
    month = m0[grant] + pos
    month_start, month_end = _month_start(month), _month_start(month + 1) - 1
    days = np.minimum(last[grant], month_end) - np.maximum(first[grant], month_start) + 1
    amount = g["price"].to_numpy()[grant] * days / (month_end - month_start + 1)
    return _frame(
        day=month_end, amount=np.round(amount, 2), grant=grant, type=g["type"].to_numpy()[grant]
    )


def _corrections(rng: np.random.Generator, lines: pd.DataFrame) -> pd.DataFrame:
    """Credit notes: part of an earlier month paid back, posted the month after."""
    c = lines[rng.random(len(lines)) < 0.015].copy()
    c["day"] = _month_start(_month(c["day"].to_numpy()) + 2) - 1
    # mostly small: a few days paid twice, a price adjusted after the fact
    c["amount"] = -np.round(c["amount"].to_numpy() * rng.uniform(0.02, 0.3, len(c)), 2)
    return c[c["day"].to_numpy() <= REF]


def _overhead(rng: np.random.Generator, lines: pd.DataFrame) -> pd.DataFrame:
    """Expenses tied to no grant (≈4 % of spend): 1-3 lines per month and offer type."""
    month = _month(lines["day"].to_numpy())
    m0 = _month(np.array([START]))[0]
    key = (month - m0) * len(CODES) + lines["type"].to_numpy()
    spend = np.bincount(
        key, lines["amount"].to_numpy(), minlength=(month.max() - m0 + 1) * len(CODES)
    )
    cell = np.flatnonzero(spend > 0)
    cell_of, _ = _repeat_range(rng.integers(1, 4, len(cell)))
    share = rng.gamma(2.0, 1.0, len(cell_of))
    share /= np.bincount(cell_of, share)[cell_of]
    amount = spend[cell][cell_of] * rng.uniform(0.037, 0.043, len(cell))[cell_of] * share
    # a few refunds (negative lines) among them
    amount *= np.where(rng.random(len(amount)) < 0.04, -0.5, 1.0)
    day = _month_start(m0 + cell[cell_of] // len(CODES) + 1) - 1
    return _frame(day=day, amount=np.round(amount, 2), grant=-1, type=cell[cell_of] % len(CODES))


def _expense_table(
    e: pd.DataFrame, g: pd.DataFrame, ids: dict[str, pa.Array], code: int
) -> pd.DataFrame:
    e = e.iloc[_order(e["day"].to_numpy(), e["grant"].to_numpy())].reset_index(drop=True)
    grant = e["grant"].to_numpy()
    has = grant >= 0
    citizen = np.full(len(e), -1)
    citizen[has] = g["citizen"].to_numpy()[grant[has]]
    offer = np.full(len(e), -1)
    offer[has] = g["offer"].to_numpy()[grant[has]]
    functions = offer_types().set_index("offer_type_code")["account_function"]
    account = tuple(functions[c] for c in CODES)
    t = e["type"].to_numpy()
    return pd.DataFrame(
        {
            "expense_id": _text(_ids("U", code, len(e), 8)),
            "municipality_code": code,
            "posting_date": _dates(e["day"].to_numpy()),
            "amount_dkk": e["amount"].to_numpy(),
            "account_function": _take(account, t),
            "offer_type_code": _take(CODES, t),
            "grant_id": _take(ids["grant"], grant),
            "citizen_id": _take(ids["citizen"], citizen),
            "offer_id": _take(ids["offer"], offer),
        }
    )


# --------------------------------------------------------------------------- progression


@dataclass
class Progress:
    """Assessments (sorted by citizen, theme, day) and what goals need to look them up."""

    citizen: np.ndarray
    theme: np.ndarray
    day: np.ndarray
    level: np.ndarray
    themes: np.ndarray  # per citizen: its assessed themes, first `n_themes` columns valid
    n_themes: np.ndarray  # per citizen; 0 = never assessed
    trend: np.ndarray  # per citizen: 0 improving, 1 stable, 2 declining

    def level_on(self, citizen: np.ndarray, theme: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Latest level on or before `day` (else the first one); -1 when never assessed."""
        key = (self.citizen * len(THEMES) + self.theme) * 100_000 + self.day
        pid = citizen * len(THEMES) + theme
        pos = np.searchsorted(key, pid * 100_000 + day, side="right") - 1
        own_pid = self.citizen * len(THEMES) + self.theme
        before = (pos >= 0) & (own_pid[np.maximum(pos, 0)] == pid)
        after = np.minimum(pos + 1, len(key) - 1)
        later = ~before & (len(key) > 0) & (own_pid[after] == pid)
        out = np.full(len(pid), -1)
        out[before] = self.level[pos[before]]
        out[later] = self.level[after[later]]
        return out


def _levels(rng: np.random.Generator, mu: np.ndarray, trend: np.ndarray, k: int) -> np.ndarray:
    """Levels 0-4 per citizen, theme slot (5) and assessment round (k): a start around `mu`
    (higher on higher steps), then one step down or up per round by the citizen's trend."""
    n = len(mu)
    level = np.zeros((n, 5, k), np.int64)
    level[:, :, 0] = np.clip(np.round(rng.normal(mu[:, None], 0.8, (n, 5))), 0, 4)
    p_down = np.array([0.30, 0.04, 0.03])[trend][:, None]
    p_up = np.array([0.03, 0.04, 0.25])[trend][:, None]
    for i in range(1, k):
        u = rng.random((n, 5))
        delta = np.where(u < p_down, -1, np.where(u > 1 - p_up, 1, 0))
        level[:, :, i] = np.clip(level[:, :, i - 1] + delta, 0, 4)
    return level


def _progress(rng: np.random.Generator, spells: pd.DataFrame, n_citizens: int) -> Progress:
    """Functional level per citizen and theme every 6-12 months, mostly stable."""
    eligible = spells[spells["type"].isin([*range(STEPS), T["SEL103"], T["SEL104"], T["SEL96"]])]
    by = eligible.groupby("citizen")
    cit = by.size().index.to_numpy()
    first = by["start"].min().to_numpy()
    last = np.minimum(by["end"].max().to_numpy(), REF)
    step = eligible["type"].where(eligible["type"] < STEPS, -1).groupby(eligible["citizen"]).max()
    step = step.to_numpy()  # highest staircase step; -1 for day offers or BPA only
    went_down = by["move_in"].min().to_numpy() < 0
    went_up = by["move_in"].max().to_numpy() > 0
    n = len(cit)
    trend = _pick(rng, np.tile([0.15, 0.73, 0.12], (n, 1)))
    trend = np.where(went_up & (rng.random(n) < 0.7), 2, trend)
    trend = np.where(went_down, 0, trend)
    n_themes = rng.integers(3, 6, n)
    # the six core themes first; mental functions and health only sometimes
    themes = np.argsort(rng.random((n, len(THEMES))) + np.r_[np.zeros(6), 0.6, 0.6], axis=1)
    d0 = np.where(
        first >= START - 180, first + rng.integers(0, 61, n), START - 180 + rng.integers(0, 366, n)
    )
    k = 20
    gaps = np.column_stack([np.zeros(n, np.int64), rng.integers(182, 366, (n, k - 1))])
    days = d0[:, None] + np.cumsum(gaps, axis=1)
    level = _levels(rng, np.where(step >= 0, 1.0 + 0.5 * step, 1.8), trend, k)
    assessed_theme = np.arange(5)[None, :, None] < n_themes[:, None, None]
    in_care = (days <= last[:, None])[:, None, :]
    valid = assessed_theme & in_care
    c, j, i = np.nonzero(valid)
    theme = themes[c, j]
    order = _order(cit[c], theme, days[c, i])
    full_themes = np.zeros((n_citizens, len(THEMES)), np.int64)
    full_themes[cit] = themes
    full_n = np.zeros(n_citizens, np.int64)
    full_n[cit] = np.where(valid.any(axis=(1, 2)), n_themes, 0)
    full_trend = np.ones(n_citizens, np.int64)
    full_trend[cit] = trend
    return Progress(
        citizen=cit[c][order],
        theme=theme[order],
        day=days[c, i][order],
        level=level[c, j, i][order],
        themes=full_themes,
        n_themes=full_n,
        trend=full_trend,
    )


def _assessment_table(p: Progress, citizen_ids: pa.Array, code: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "municipality_code": code,
            "citizen_id": _take(citizen_ids, p.citizen),
            "theme": _take(THEMES, p.theme),
            "assessed_on": _dates(p.day),
            "level": p.level,
        }
    )


def _goal_targets(
    rng: np.random.Generator, base: np.ndarray, trend: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Goal type by the citizen's trend, and target level: develop one or two levels down,
    maintain the level, or limit the loss to one level."""
    probs = np.array([[0.75, 0.2, 0.05], [0.55, 0.35, 0.10], [0.3, 0.3, 0.4]])
    kind = _pick(rng, probs[trend])
    kind = np.where((kind == 0) & (base == 0), 1, kind)  # nothing left to develop
    step_down = 1 + (rng.random(len(kind)) < 0.15)
    target = np.select(
        [kind == 0, kind == 2], [np.maximum(base - step_down, 0), np.minimum(base + 1, 4)], base
    )
    return kind, target


def _goal_table(
    rng: np.random.Generator, g: pd.DataFrame, p: Progress, ids: dict[str, pa.Array], code: int
) -> pd.DataFrame:
    """Goals set soon after a grant starts and renewed every 10-15 months; most with a horizon."""
    t = g["type"].to_numpy()
    cit = g["citizen"].to_numpy()
    ok = np.isin(t, [*range(STEPS), T["SEL103"], T["SEL104"], T["SEL96"]]) & (p.n_themes[cit] > 0)
    grant = np.flatnonzero(ok)
    first = g["start"].to_numpy()[grant] + rng.integers(7, 61, len(grant))
    gap = rng.integers(300, 451, len(grant))
    k0 = np.maximum(0, np.ceil((HISTORY - first) / gap)).astype(np.int64)
    k1 = np.floor((np.minimum(g["end"].to_numpy()[grant], REF) - first) / gap).astype(np.int64)
    horizon = rng.random(len(grant)) < 0.78
    period, pos = _repeat_range(np.maximum(k1 - k0 + 1, 0))
    # one or two goals per period, on different themes
    of, nth = _repeat_range(1 + (rng.random(len(period)) < 0.5).astype(np.int64))
    owner = period[of]
    set_on = first[owner] + (k0[owner] + pos[of]) * gap[owner]
    c = cit[grant][owner]
    slot = (rng.integers(0, 5, len(period))[of] + nth) % p.n_themes[c]
    theme = p.themes[c, slot]
    base = p.level_on(c, theme, set_on)
    keep = base >= 0
    owner, set_on, c, theme, base = owner[keep], set_on[keep], c[keep], theme[keep], base[keep]
    kind, target = _goal_targets(rng, base, p.trend[c])
    has_date = rng.random(len(kind)) < np.where(horizon[owner], 0.95, 0.1)
    horizon_days = np.array([182, 365, 365, 548])[rng.integers(0, 4, len(kind))]
    return pd.DataFrame(
        {
            "goal_id": _text(_ids("M", code, len(kind), 6)),
            "municipality_code": code,
            "citizen_id": _take(ids["citizen"], c),
            "grant_id": _take(ids["grant"], grant[owner]),
            "theme": _take(THEMES, theme),
            "goal_type": _take(GOAL_TYPES, kind),
            "baseline_level": base,
            "target_level": target,
            "set_on": _dates(set_on),
            "target_date": _dates(np.where(has_date, set_on + horizon_days, NA)),
        }
    )


def _followups(
    rng: np.random.Generator, g: pd.DataFrame, ids: dict[str, pa.Array], code: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """Planned follow-ups (yearly; half-yearly for temporary offers), most performed; and each
    active grant's next follow-up date, overdue when the last one was skipped."""
    t = g["type"].to_numpy()
    start, end = g["start"].to_numpy(), g["end"].to_numpy()
    cadence = np.select(
        [t == T["SEL82"], np.isin(t, [T["SEL107"], T["SEL101"]])], [120, 182], default=365
    )
    k0 = np.maximum(1, np.ceil((HISTORY - start) / cadence)).astype(np.int64)
    k1 = np.floor((np.minimum(end, REF) - start) / cadence).astype(np.int64)
    k1 = np.where(t == T["SEL110"], 0, k1)  # shelter stays are not followed up
    grant, pos = _repeat_range(np.maximum(k1 - k0 + 1, 0))
    planned = start[grant] + (k0[grant] + pos) * cadence[grant]
    neglected = g["neglected"].to_numpy()
    done = rng.random(len(grant)) < np.where(neglected[grant], 0.15, 0.95)
    performed = planned + np.maximum(-30, np.round(rng.normal(5, 20, len(grant)))).astype(np.int64)
    done &= performed <= REF
    result = _pick(rng, np.tile([0.8, 0.15, 0.05], (len(grant), 1)))
    table = pd.DataFrame(
        {
            "followup_id": _text(_ids("F", code, len(grant), 6)),
            "municipality_code": code,
            "grant_id": _take(ids["grant"], grant),
            "planned_date": _dates(planned),
            "performed_date": _dates(np.where(done, performed, NA)),
            "result": _take(RESULTS, np.where(done, result, -1)),
        }
    )
    is_last = np.append(grant[1:] != grant[:-1], True)
    last_planned = np.full(len(g), NA)
    last_done = np.zeros(len(g), bool)
    last_planned[grant[is_last]] = planned[is_last]
    last_done[grant[is_last]] = done[is_last]
    upcoming = np.where(last_planned == NA, start + cadence, last_planned + cadence)
    next_day = np.where((last_planned != NA) & ~last_done, last_planned, upcoming)
    active = (end >= REF) & (t != T["SEL110"])
    return table, np.where(active, next_day, NA)


# --------------------------------------------------------------------------- budget and strategy


def _forecast_by_type(e: pd.DataFrame, g: pd.DataFrame) -> np.ndarray:
    """forecast_year_end (kpis.md) per offer type for the reference year, from the generated rows."""
    year_start = _day(date(REFERENCE_DATE.year, 1, 1))
    year_end = _day(date(REFERENCE_DATE.year, 12, 31))
    days_in_year = year_end - year_start + 1
    elapsed = REF - year_start + 1
    ytd = e[e["day"].to_numpy() >= year_start]
    spend = np.bincount(ytd["type"], ytd["amount"], minlength=len(CODES))
    other = ytd[ytd["grant"].to_numpy() < 0]
    other_rest = np.bincount(other["type"], other["amount"], minlength=len(CODES))
    other_rest *= (days_in_year - elapsed) / elapsed
    start, end = g["start"].to_numpy(), g["end"].to_numpy()
    rest_days = np.clip(np.minimum(end, year_end) - np.maximum(start - 1, REF), 0, None)
    grant_rest = np.bincount(
        g["type"], g["price"].to_numpy() * 12 / days_in_year * rest_days, minlength=len(CODES)
    )
    return spend + other_rest + grant_rest


def _overspend(rng: np.random.Generator, demo: bool) -> float:
    """The reference year's forecast over its corrected budget: 3.5-5.5 % in the demo; nine in
    ten municipalities overspend (KL 2023), by up to 7 %."""
    u, v = rng.random(2)
    if demo:
        return 0.035 + 0.02 * v
    return -0.03 * v if u < 0.1 else 0.01 + 0.06 * v


def _budget_table(
    rng: np.random.Generator, e: pd.DataFrame, g: pd.DataFrame, code: int, demo: bool
) -> pd.DataFrame:
    """Budgets a little below what was spent, so most years overspend; the reference year's
    budget is set against the individual-based forecast."""
    years = np.arange(DATA_START.year, REFERENCE_DATE.year + 1)
    spent = np.zeros((len(years), len(CODES)))
    np.add.at(
        spent, (_year(e["day"].to_numpy()) - years[0], e["type"].to_numpy()), e["amount"].to_numpy()
    )
    spent[-1] = _forecast_by_type(e, g)
    overspend = np.r_[rng.normal(0.025, 0.02, len(years) - 1), _overspend(rng, demo)]
    noise = np.exp(rng.normal(0, 0.04, spent.shape))
    corrected = spent * noise
    corrected *= (spent.sum(axis=1) / (1 + overspend) / corrected.sum(axis=1))[:, None]
    original = corrected / rng.uniform(1.0, 1.035, spent.shape)
    y, t = np.divmod(np.arange(spent.size), len(CODES))
    table = pd.DataFrame(
        {
            "municipality_code": code,
            "year": years[y],
            "offer_type_code": _take(CODES, t),
            "original_dkk": np.round(original.ravel(), -3),
            "corrected_dkk": np.round(corrected.ravel(), -3),
        }
    )
    return pd.concat([table, _overslagsaar(table)], ignore_index=True)


OVERSLAGSAAR = 3  # budget years after the reference year (issue 15: Hvad nu hvis)


def _overslagsaar(table: pd.DataFrame) -> pd.DataFrame:
    """The three overslagsår after the reference year: its corrected budget with the volume growth
    added each year, in fixed prices, no tillægsbevillinger yet (original = corrected). Drawn
    without the random generator, so every other table stays as it was."""
    last = table[table["year"] == REFERENCE_DATE.year]
    rows = []
    for k in range(1, OVERSLAGSAAR + 1):
        amount = np.round(last["corrected_dkk"].to_numpy() * (1 + VOLUME_GROWTH) ** k, -3)
        rows.append(
            last.assign(year=REFERENCE_DATE.year + k, original_dkk=amount, corrected_dkk=amount)
        )
    return pd.concat(rows, ignore_index=True)


def _target_table(rng: np.random.Generator, code: int) -> pd.DataFrame:
    rows = []
    adopted = {2025: date(2024, 10, 1), 2026: date(2025, 10, 1)}
    for key, (v2025, v2026, decimals) in TARGETS.items():
        note = TARGET_NOTES[key]
        for year, value in ((2025, v2025), (2026, v2026)):
            target = round(value * (1 + rng.normal(0, 0.03)), decimals)
            target = min(target, 1.0) if value < 1 else target
            day = adopted[year].toordinal() + int(rng.integers(0, 21))
            rows.append((code, key, year, float(target), date.fromordinal(day), note))
    columns = ["municipality_code", "kpi_key", "year", "target_value", "adopted_on", "note"]
    df = pd.DataFrame(rows, columns=columns)
    df["adopted_on"] = pd.to_datetime(df["adopted_on"]).astype("datetime64[s]")
    return df


def _population_table(rng: np.random.Generator, home: Place) -> pd.DataFrame:
    """Inhabitants on 1 January by age group: the 2022 figure, a small yearly drift, synthetic split."""
    years = np.arange(DATA_START.year, REFERENCE_DATE.year + 1)
    drift = rng.normal(0.003, 0.003)
    total = np.round(home.inhabitants * (1 + drift) ** (years - 2022)).astype(np.int64)
    young = np.round(total * (0.215 + rng.normal(0, 0.01) - 0.001 * (years - 2019)))
    old = np.round(total * (0.175 + rng.normal(0, 0.012) + 0.0025 * (years - 2019)))
    groups = {"all": total, "0-17": young, "18-64": total - young - old, "65+": old}
    return pd.DataFrame(
        {
            "municipality_code": home.code,
            "year": np.tile(years, len(groups)),
            "age_group": np.repeat(np.array(list(groups), dtype=object), len(years)),
            "persons": np.concatenate(list(groups.values())).astype(np.int64),
        }
    )


# --------------------------------------------------------------------------- one municipality


def build(home: Place, places: list[Place], seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Every table's rows for one municipality (offer_type aside), from Generator(seed + code)."""
    rng = np.random.default_rng(seed + home.code)
    code = home.code
    population = _population_table(rng, home)
    last_year = (population["year"] == REFERENCE_DATE.year) & (population["age_group"] == "all")
    scale = population.loc[last_year, "persons"].item() / 1000
    spells = _spells(rng, scale)
    offers, offer, owner = _offers(rng, spells, home, places)
    reviews = _reviews(rng, spells)
    g = _grants(rng, spells, reviews, offer, owner)
    # the demo grows exactly as the country; real municipalities vary around it
    growth = (
        SPEND_GROWTH if home == DEMO else np.clip(rng.normal(SPEND_GROWTH, 0.006), 0.005, 0.035)
    )
    g["price"] = _price(g, float(growth))
    d = _decisions(rng, g, spells, reviews, scale)
    citizen = _citizen_table(rng, spells, d, code)
    ids = {
        "citizen": _ids("B", code, len(citizen), 6),
        "grant": _ids("G", code, len(g), 6),
        "offer": _ids("T", code, len(offers), 4),
        "decision": _ids("A", code, len(d), 6),
    }
    followup, next_followup = _followups(rng, g, ids, code)
    lines = _grant_lines(g)
    e = pd.concat([lines, _corrections(rng, lines), _overhead(rng, lines)], ignore_index=True)
    progress = _progress(rng, spells, len(citizen))
    frames = {
        "municipality": pd.DataFrame(
            {"municipality_code": [code], "name": [home.name], "region": [home.region]}
        ),
        "population": population,
        "offer": _offer_table(rng, offers, code),
        "citizen": citizen,
        "decision": _decision_table(d, ids["citizen"], code),
        "grant": _grant_table(g, d, ids, next_followup, code),
        "contract": _contract_table(rng, g, ids["grant"], code),
        "expense": _expense_table(e, g, ids, code),
        "budget": _budget_table(rng, e, g, code, demo=home == DEMO),
        "goal": _goal_table(rng, g, progress, ids, code),
        "assessment": _assessment_table(progress, ids["citizen"], code),
        "followup": followup,
        "strategy_target": _target_table(rng, code),
    }
    frames["data_load"] = _data_load(frames, code)
    return frames


def _grant_table(
    g: pd.DataFrame,
    d: pd.DataFrame,
    ids: dict[str, pa.Array],
    next_followup: np.ndarray,
    code: int,
) -> pd.DataFrame:
    decision_of = np.full(len(g), -1)
    linked = d["grant"].to_numpy() >= 0
    decision_of[d["grant"].to_numpy()[linked]] = np.flatnonzero(linked)
    return pd.DataFrame(
        {
            "grant_id": _text(ids["grant"]),
            "municipality_code": code,
            "citizen_id": _take(ids["citizen"], g["citizen"].to_numpy()),
            "decision_id": _take(ids["decision"], decision_of),
            "offer_type_code": _take(CODES, g["type"].to_numpy()),
            "offer_id": _take(ids["offer"], g["offer"].to_numpy()),
            "start_date": _dates(g["start"].to_numpy()),
            "end_date": _dates(g["end"].to_numpy()),
            "monthly_price": g["price"].to_numpy(),
            "weekly_hours": g["hours"].to_numpy(),
            "next_followup_date": _dates(next_followup),
        }
    )


def _data_load(frames: dict[str, pd.DataFrame], code: int) -> pd.DataFrame:
    """Datagrundlag: one row per table, stamped with a fixed time so reruns are identical."""
    counts = {t: len(frames[t]) if t in frames else len(offer_types()) for t in db.TABLES}
    return pd.DataFrame(
        {
            "municipality_code": code,
            "table_name": list(counts),
            "loaded_at": pd.Timestamp(LOADED_AT).as_unit("s"),
            "data_date": pd.Timestamp(REFERENCE_DATE).as_unit("s"),
            "source": SOURCE,
            "row_count": list(counts.values()),
        }
    )


# --------------------------------------------------------------------------- writing


def _replace_offer_types(conn: sa.Connection) -> None:
    types = offer_types()
    statement = sa.text("delete from offer_type where offer_type_code in :codes").bindparams(
        sa.bindparam("codes", expanding=True)
    )
    conn.execute(statement, {"codes": types["offer_type_code"].tolist()})
    db.insert_frame(conn, "offer_type", types)


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def generate(
    size: str,
    url: str,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] = print,
) -> dict:
    """Generate `demo` (Demokommune, 999) or `national` (the 98 municipalities) into `url`,
    replacing those municipalities' rows in every table. Returns row counts and seconds."""
    if size not in SIZES:
        raise ValueError(f"Ukendt datasæt {size!r}: vælg demo eller national")
    began = time.perf_counter()
    places = municipalities()
    homes = [DEMO] if size == "demo" else places
    engine = db.writable_engine(url)
    rows = dict.fromkeys((*db.TABLES, "data_load", *db.MARKET_TABLES), 0)
    progress(f"Genererer syntetiske eksempeldata ({size}, {len(homes)} kommune(r), frø {seed}) …")
    with engine.begin() as conn:
        db.create_schema(conn)
        _replace_offer_types(conn)
    rows["offer_type"] = len(offer_types())
    for i, home in enumerate(homes, 1):
        frames = market.add(build(home, places, seed), seed, home.code, [p.code for p in places])
        # one transaction per municipality keeps memory bounded and a failure leaves no half
        with engine.begin() as conn:
            if conn.dialect.name == "duckdb":
                conn.exec_driver_sql("set enable_progress_bar = false")  # no bars in CLI output
            for table in (*db.TABLES, "data_load", *db.MARKET_TABLES):
                db.delete_municipalities(conn, table, [home.code])
            for table, frame in frames.items():
                db.insert_frame(conn, table, frame)
                rows[table] += len(frame)
        progress(
            f"[{i}/{len(homes)}] {home.name} ({home.code}): "
            f"{_thousands(len(frames['citizen']))} borgere, "
            f"{_thousands(len(frames['expense']))} udgiftsposter"
        )
    engine.dispose()
    if size == "demo":  # synthetic comparison municipalities as aggregates (Sammenligning)
        from cockpit.compare import synthetic

        years = list(range(DATA_START.year, REFERENCE_DATE.year + 1))
        rows["peer_aggregate"] = synthetic.add_to_demo(url, DEMO.code, years, REFERENCE_DATE, seed)
    seconds = round(time.perf_counter() - began, 1)
    progress(f"Færdig på {seconds:.1f} s: {_thousands(rows['expense'])} udgiftsposter i alt.")
    return {"municipalities": len(homes), "rows": rows, "seconds": seconds}
