"""Build the recorded REGK31 answer the fetch-public tests replay (tests/recordings/statbank/
REGK31.csv) from the real REGK31 5.38.45 extract in the project's reference data: the same 99
rows (Hele landet and the 98 municipalities, 2023), written in the StatBank API's CSV layout
(semicolon-separated, one column per variable, INDHOLD last). Run once by hand:

    .venv/bin/python tools/build_statbank_recording.py /work/shared/reference-data"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "recordings" / "statbank" / "REGK31.csv"


def main(src: Path) -> None:
    with open(src / "regk31_5.38.45_per_inhabitant_2023.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(["OMRÅDE", "FUNKTION", "DRANST", "ART", "PRISENHED", "TID", "INDHOLD"])
        for unit, art, function, area, amount in rows:
            w.writerow([area, function, "Driftsudgifter", art, unit, "2023", amount])
    print(f"{len(rows)} rækker -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
