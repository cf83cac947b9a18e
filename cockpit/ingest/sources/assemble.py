"""Combine the sources into contract rows for one municipality: FFB (ffb_build.py), the grant
extract and ERP citizens. A grant from the extract links to the FFB grant of the same citizen and
offer type whose period overlaps it most (each FFB grant at most once) and gives it price, offer and
hours; an extract grant with no FFB partner becomes a grant of its own. Whatever cannot be linked is
counted in `gaps` (shown on Datagrundlag), never dropped silently."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from cockpit.ingest.sources.ffb_build import FfbTables

FFB, ERP, EXTRACT = "FFB", "Økonomi", "Bevillingsudtræk"
DEFAULT_GROUP = "handicap"
FAR = "9999-12-31"


@dataclass
class Assembled:
    grant: list[dict] | None = None
    citizen: dict[str, dict] = field(default_factory=dict)
    offer: list[dict] | None = None
    gaps: list[tuple[str, str, int]] = field(default_factory=list)

    def gap(self, source: str, message: str, n: int) -> None:
        if n:
            self.gaps.append((source, message, int(n)))


def _days(a_start: str, a_end: str | None, b_start: str, b_end: str | None) -> int:
    lo, hi = max(a_start, b_start), min(a_end or FAR, b_end or FAR)
    if lo > hi:
        return 0
    return (date.fromisoformat(hi) - date.fromisoformat(lo)).days + 1


def link_grants(
    ffb: list[dict], extract: list[dict], municipality: int, out: Assembled
) -> list[dict]:
    grants = [dict(g) for g in ffb]
    taken: set[str] = set()
    unlinked = 0
    seen: dict[str, int] = {}
    for row in sorted(
        extract, key=lambda r: (r["citizen_id"], r["start_date"], r["offer_type_code"])
    ):
        best, best_days = None, 0
        for g in grants:
            if g["grant_id"] in taken or g["citizen_id"] != row["citizen_id"]:
                continue
            if g["offer_type_code"] != row["offer_type_code"]:
                continue
            d = _days(g["start_date"], g["end_date"], row["start_date"], row["end_date"])
            if d > best_days or (d == best_days and d and g["start_date"] < best["start_date"]):
                best, best_days = g, d
        if best is not None:
            taken.add(best["grant_id"])
            best["monthly_price"] = row["monthly_price"]
            best["offer_id"] = row["offer_id"]
            best["weekly_hours"] = row["weekly_hours"]
            continue
        unlinked += 1
        base = "|".join(
            str(row[k]) for k in ("citizen_id", "offer_type_code", "start_date", "offer_id")
        )
        gid = "gx-" + hashlib.sha1(base.encode()).hexdigest()[:12]  # noqa: S324 - an id
        seen[gid] = seen.get(gid, 0) + 1
        grants.append(
            {
                "grant_id": gid if seen[gid] == 1 else f"{gid}-{seen[gid]}",
                "municipality_code": municipality,
                "citizen_id": row["citizen_id"],
                "decision_id": None,
                "offer_type_code": row["offer_type_code"],
                "offer_id": row["offer_id"],
                "start_date": row["start_date"],
                "end_date": row["end_date"],
                "monthly_price": row["monthly_price"],
                "weekly_hours": row["weekly_hours"],
                "next_followup_date": None,
            }
        )
    if ffb:
        out.gap(
            EXTRACT,
            "bevillinger fra bevillingsudtrækket kunne ikke knyttes til en indsats i FFB",
            unlinked,
        )
    no_price = sum(1 for g in grants if g["monthly_price"] is None)
    out.gap(
        EXTRACT if extract else FFB,
        "bevillinger har ingen månedspris (FFB har ingen pris; læg bevillingsudtrækket med en prissøjle i importmappen)",
        no_price,
    )
    return grants


def offers(extract: list[dict], municipality: int) -> list[dict]:
    out: dict[str, dict] = {}
    for row in extract:
        if row["offer_id"] and row["offer_id"] not in out:
            out[row["offer_id"]] = {
                "offer_id": row["offer_id"],
                "municipality_code": municipality,
                "name": row["offer_name"] or row["offer_id"],
                "owner_type": row["owner_type"],
                "location_municipality_code": None,
                "places": None,
                "offer_type_code": row["offer_type_code"],
            }
    return list(out.values())


def citizens(
    ffb: FfbTables | None,
    extract: list[dict],
    erp: list[dict],
    municipality: int,
    out: Assembled,
) -> dict[str, dict]:
    """Every pseudonym the sources name: birth year from the CPR number; target group from FFB's
    primary target group, else the ERP grouping (5.38.38: 003/004/005), else handicap (counted)."""
    found: dict[str, dict] = {}
    for r in ffb.citizen if ffb else []:
        found[r["citizen_id"]] = dict(r)
    for r in [*extract, *erp]:
        c = found.setdefault(
            r["citizen_id"],
            {
                "citizen_id": r["citizen_id"],
                "municipality_code": municipality,
                "birth_year": r["birth_year"],
                "target_group": "",
            },
        )
        if not c["target_group"] and r.get("target_group"):
            c["target_group"] = r["target_group"]
    missing = [c for c in found.values() if not c["target_group"]]
    for c in missing:
        c["target_group"] = DEFAULT_GROUP
    out.gap(
        FFB if ffb else ERP,
        "borgere har ingen målgruppe i kilderne og regnes som handicap (funktionsnedsættelse)",
        len(missing),
    )
    return found
