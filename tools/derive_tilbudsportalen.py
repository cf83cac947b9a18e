"""Derive the small Tilbudsportalen tables shipped in cockpit/market/reference/ from the shared
reference file (run once by a developer; the cockpit never reads ../shared at run time).

Kept: offer id, name, postcode, the offer type we map its law sections to, places and the published
daily rate range. Dropped: everything else, in particular every salary column."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "cockpit" / "market" / "reference"
# Most intrusive first: an offer listed under several sections is compared as its heaviest type.
SECTIONS = (
    ("SEL §108", "SEL108"),
    ("SEL §107", "SEL107"),
    ("SEL §110", "SEL110"),
    ("ABL §105", "SEL85BL"),
    ("SEL §101", "SEL101"),
    ("SEL §104", "SEL104"),
    ("SEL §103", "SEL103"),
)


def offer_type(sections: str) -> str | None:
    for section, code in SECTIONS:
        if section in sections:
            return code
    return None


def main(source: str) -> None:
    rows = list(csv.DictReader(open(source, encoding="utf-8")))
    kept = []
    for r in rows:
        code = offer_type(r["paragraffer"])
        if code is None or not r["takst_min_dkk"] or not r["takst_max_dkk"]:
            continue
        lo, hi = float(r["takst_min_dkk"]), float(r["takst_max_dkk"])
        if lo <= 0 or hi < lo:
            continue
        places = r["pladser_i_alt"] or ""
        kept.append((r["offer_id"], r["navn"], r["postnr"], code, places, lo, hi))
    kept.sort()
    with open(OUT / "tilbudsportalen_offers.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            [
                "tilbudsportalen_id",
                "name",
                "postcode",
                "offer_type_code",
                "places",
                "rate_min",
                "rate_max",
            ]
        )
        w.writerows(kept)
    with open(OUT / "tilbudsportalen_rates.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            [
                "offer_type_code",
                "offers",
                "min_p25",
                "min_p50",
                "min_p75",
                "max_p25",
                "max_p50",
                "max_p75",
            ]
        )
        for _, code in SECTIONS:
            if sum(k[3] == code for k in kept) < 20:  # too few offers for quartiles
                continue
            lo = np.array([k[5] for k in kept if k[3] == code])
            hi = np.array([k[6] for k in kept if k[3] == code])
            q = lambda a, p: round(float(np.quantile(a, p)), 2)  # noqa: E731
            w.writerow(
                [
                    code,
                    len(lo),
                    q(lo, 0.25),
                    q(lo, 0.5),
                    q(lo, 0.75),
                    q(hi, 0.25),
                    q(hi, 0.5),
                    q(hi, 0.75),
                ]
            )


if __name__ == "__main__":
    main(sys.argv[1])
