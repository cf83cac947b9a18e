"""The differencing attacker: what a Direktør can work out from Økonomi's published spend tables.

For a set of month-end scopes it collects, through the access gateway (cockpit/access/gateway.py, the view
path the pages use), every spend figure the role gets: the offer-type rows
(kpi_economy_by_offer_type), the total spend to date (KPI spend_ytd), the owner-type table
unfiltered and under every offer-type filter (econ_spend_by_owner), and the provider table
(econ_spend_by_provider). Each figure is a sum over atoms: (offer type, offer or "no offer")
× period between consecutive scopes. The visible figures are linear equations in the atoms; a
hidden figure is *recovered* when its coefficient vector lies in the row space of the visible
equations (it is then determined exactly), and the least-squares estimate lands within 1 kr of the
truth. The truth, and the citizens behind each figure, come from the same queries run as a role
without suppression (leder), the oracle; the attacker itself sees only what a Direktør sees.

`python -m tools.differencing [--url URL] [--scopes N]` prints the figures per year and in total.
"""

from __future__ import annotations

import os

# One BLAS thread (before numpy loads): on a shared, busy machine a threaded SVD is far slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from cockpit import db  # noqa: E402
from cockpit.access.gateway import open_for  # noqa: E402
from cockpit.auth import Principal  # noqa: E402
from cockpit.periods import Scope, month_ends  # noqa: E402

DIRECTOR = Principal("angriber", "direktoer")
ORACLE = Principal("orakel", "leder")
NONE = ""  # no offer / no known owner
TOLERANCE_KR = 1.0


@dataclass(frozen=True)
class Figure:
    key: tuple  # ("type", T) | ("total",) | ("owner", owner, filter) | ("provider", offer, T)
    period: int  # index of the scope (month end) in the year's list
    value: float | None  # None when hidden


@dataclass
class Result:
    year: int
    scopes: int
    figures: int = 0
    hidden: int = 0  # hidden figures attempted
    recovered: int = 0
    small: int = 0  # recovered and behind 1-4 citizens
    examples: list = field(default_factory=list)
    seconds: float = 0.0


def _num(v) -> float | None:
    if v is None or v is pd.NA:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _code(v) -> str:
    return NONE if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else str(v)


_CACHE: dict[tuple, object] = {}


def cached(name: str, params: dict, url: str | None) -> pd.DataFrame:
    """The gateway's fetch with a memory, as the pages' cached fetch (ui._fetch_aggregate)."""
    key = (name, tuple(sorted((k, str(v)) for k, v in params.items())), url)
    if key not in _CACHE:
        _CACHE[key] = db.query(name, params, url)
    return _CACHE[key].copy()


def published(who: Principal, scope: Scope, url: str, types: list[str]) -> dict[tuple, tuple]:
    """Every spend figure the role gets for the scope: key → (value or None, citizens or None)."""
    gw = open_for(who, url, run=cached)
    out: dict[tuple, tuple] = {}
    econ = gw.aggregate("kpi_economy_by_offer_type", scope)
    for _, r in econ.iterrows():
        out[("type", _code(r["offer_type_code"]))] = (_num(r["spend_ytd_dkk"]), None)
    total = gw.kpi_values(["spend_ytd"], scope)["spend_ytd"]
    out[("total",)] = (_num(total) if not isinstance(total, str) else None, None)
    for f in [NONE, *types]:
        owners = gw.aggregate("econ_spend_by_owner", scope, offer_type=f)
        for _, r in owners.iterrows():
            cit = _num(r.get("citizens"))
            out[("owner", _code(r["owner_type"]), f)] = (_num(r["spend_dkk"]), cit)
    providers = gw.aggregate("econ_spend_by_provider", scope)
    for _, r in providers.iterrows():
        key = ("provider", _code(r["offer_id"]), _code(r["offer_type_code"]))
        out[key] = (_num(r["spend_dkk"]), _num(r.get("citizens")))
    return out


def _atoms(oracle: list[dict], url: str, scope: Scope) -> tuple[list[tuple], dict]:
    """(offer type, offer) atoms seen in the year, and each offer's owner type."""
    owner: dict[str, str] = {}
    atoms: set[tuple] = set()
    for figures in oracle:
        for key in figures:
            if key[0] == "provider":
                atoms.add((key[2], key[1]))
            if key[0] == "type":
                atoms.add((key[1], NONE))
    providers = db.query("econ_spend_by_provider", scope.params(), url)
    for _, r in providers.iterrows():
        owner[_code(r["offer_id"])] = _code(r["owner_type"])
    return sorted(atoms), owner


def _row(key: tuple, atoms: list[tuple], owner: dict, period: int, periods: int) -> np.ndarray:
    kind = key[0]
    mask = np.zeros(len(atoms), dtype=bool)
    for i, (t, k) in enumerate(atoms):
        if kind == "total":
            mask[i] = True
        elif kind == "type":
            mask[i] = t == key[1]
        elif kind == "provider":
            mask[i] = (k, t) == (key[1], key[2])
        elif kind == "owner":
            o = owner.get(k, NONE) if k else NONE
            mask[i] = o == key[1] and (key[2] == NONE or t == key[2])
    row = np.zeros(len(atoms) * periods)
    for p in range(period + 1):
        row[p * len(atoms) : (p + 1) * len(atoms)] = mask
    return row


def attack_year(url: str, municipality: int, year: int, ends: list, types: list[str]) -> Result:
    """Attack one year's consecutive month-end scopes (YTD figures reset each year)."""
    started = time.perf_counter()
    scopes = [Scope(municipality, year, d) for d in ends]
    seen = [published(DIRECTOR, s, url, types) for s in scopes]
    truth = [published(ORACLE, s, url, types) for s in scopes]
    atoms, owner = _atoms(truth, url, scopes[-1])
    periods = len(scopes)
    rows, values, hidden = [], [], []
    for p, (mine, real) in enumerate(zip(seen, truth, strict=True)):
        for key in real:
            shown = mine.get(key, (None, None))[0]
            row = _row(key, atoms, owner, p, periods)
            if not row.any():
                continue
            if shown is None:
                citizens = real[key][1]
                hidden.append((key, p, row, real[key][0], citizens))
            else:
                rows.append(row)
                values.append(shown)
    result = Result(year, len(scopes), figures=len(rows) + len(hidden), hidden=len(hidden))
    if rows and hidden:
        a = np.array(rows)
        b = np.array(values)
        keep = a.any(axis=0)
        a = a[:, keep]
        u, s, vt = np.linalg.svd(a, full_matrices=False)
        rank = int((s > s[0] * 1e-10).sum())
        u, s, vt = u[:, :rank], s[:rank], vt[:rank]
        x = vt.T @ ((u.T @ b) / s)
        for key, p, row, real_value, citizens in hidden:
            h = row[keep]
            if np.linalg.norm(h - vt.T @ (vt @ h)) > 1e-6 * max(1.0, np.linalg.norm(h)):
                continue
            estimate = float(h @ x)
            if real_value is None or abs(estimate - real_value) > TOLERANCE_KR:
                continue
            result.recovered += 1
            if citizens is not None and 1 <= citizens < 5:
                result.small += 1
                if len(result.examples) < 5:
                    result.examples.append((key, ends[p], round(estimate, 2), int(citizens)))
    result.seconds = time.perf_counter() - started
    return result


def year_scopes(url: str, municipality: int, limit: int | None = None) -> dict[int, list]:
    """Month ends (and the latest data date) per year with data, at most `limit` in all."""
    options = db.query("scope_options", {}, url)
    years = sorted(options.loc[options["municipality_code"] == municipality, "year"].astype(int))
    out: dict[int, list] = {}
    left = limit
    for year in reversed(years):
        ends = month_ends(year, open_for(ORACLE, url).default_as_of(municipality, year))
        if left is not None:
            ends = ends[:left]
            left -= len(ends)
        if ends:
            out[year] = ends
        if left is not None and left <= 0:
            break
    return dict(sorted(out.items()))


def run(url: str, municipality: int = 999, limit: int | None = None) -> list[Result]:
    types = sorted(str(c) for c in db.query("econ_offer_types", {}, url)["offer_type_code"])
    return [
        attack_year(url, municipality, year, ends, types)
        for year, ends in year_scopes(url, municipality, limit).items()
    ]


def report(results: list[Result]) -> str:
    lines = []
    for r in results:
        lines.append(
            f"{r.year}: {r.scopes} scopes, {r.figures} figures, {r.hidden} hidden, "
            f"{r.recovered} recovered, {r.small} of them behind 1-4 citizens ({r.seconds:.1f} s)"
        )
        for key, as_of, value, citizens in r.examples:
            lines.append(f"    e.g. {key} at {as_of}: {value} kr. ({citizens} citizens)")
    total = (
        sum(r.scopes for r in results),
        sum(r.figures for r in results),
        sum(r.hidden for r in results),
        sum(r.recovered for r in results),
        sum(r.small for r in results),
    )
    lines.append(
        f"TOTAL: {total[0]} scopes, {total[1]} figures, {total[2]} hidden "
        f"({total[2] / max(total[1], 1):.1%}), {total[3]} recovered, "
        f"{total[4]} behind 1-4 citizens"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Differencing attacker on Økonomi (Direktør)")
    p.add_argument("--url", default=None, help="database URL (default: the cockpit's)")
    p.add_argument("--municipality", type=int, default=999)
    p.add_argument("--scopes", type=int, default=None, help="at most this many month ends")
    p.add_argument(
        "--without-cube",
        action="store_true",
        help="only the table-by-table suppression (the figures before the linked cube)",
    )
    args = p.parse_args(argv)
    if args.without_cube:
        from cockpit import cube
        from cockpit.access import queries

        cube.LINKED = {}
        queries.RULES = {k: v for k, v in queries.RULES.items() if "#" not in k}
    results = run(args.url or db.default_url(), args.municipality, args.scopes)
    print(report(results))
    return 1 if any(r.small for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
