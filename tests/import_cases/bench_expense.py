"""Import benchmark: a national-scale expense.csv (Danish Excel style), with the citizen.csv and
grant.csv its references need (every foreign key is checked), into a fresh DuckDB file.

python tests/import_cases/bench_expense.py generate /tmp/bench 3000000
/usr/bin/time -v python tests/import_cases/bench_expense.py import /tmp/bench
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cockpit import db  # noqa: E402
from cockpit.ingest import import_folder  # noqa: E402

CHUNK = 500_000
PER_MUNICIPALITY = 480  # expenses in a row for one municipality: whole grants (12), citizens (40)
OFFER_TYPES = ["SEL82", "SEL85", "SEL85BL", "SEL107", "SEL108", "SEL103", "SEL104", "SEL96"]


def generate(folder: Path, n: int) -> None:
    """expense.csv with ';', decimal comma, ISO dates; written in chunks so memory stays small."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = pd.read_csv(ROOT / "sample_data" / "municipalities.csv")["municipality_code"].to_numpy()
    rng = np.random.default_rng(7)
    path = folder / "expense.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            ids = np.arange(start, start + m)
            days = rng.integers(0, 3 * 365, m)
            frame = pd.DataFrame(
                {
                    "expense_id": [f"E{i:08d}" for i in ids],
                    "municipality_code": codes[(ids // PER_MUNICIPALITY) % len(codes)],
                    "posting_date": (np.datetime64("2022-01-01") + days).astype(str),
                    "amount_dkk": [
                        f"{v:.2f}".replace(".", ",") for v in rng.normal(20000, 9000, m)
                    ],
                    "account_function": "5.38.50",
                    "offer_type_code": np.array(OFFER_TYPES)[rng.integers(0, len(OFFER_TYPES), m)],
                    "grant_id": [f"G{i // 12:07d}" for i in ids],
                    "citizen_id": [f"B{i // 40:06d}" for i in ids],
                    "offer_id": "",
                }
            )
            frame.to_csv(f, sep=";", index=False, header=start == 0, lineterminator="\n")
    print(f"{path}: {n:,} rækker, {path.stat().st_size / 1e6:.0f} MB")
    grants = np.arange((n + 11) // 12)
    pd.DataFrame(
        {
            "grant_id": [f"G{g:07d}" for g in grants],
            "municipality_code": codes[(grants * 12 // PER_MUNICIPALITY) % len(codes)],
            "citizen_id": [f"B{g * 12 // 40:06d}" for g in grants],
            "offer_type_code": "SEL108",
            "start_date": "2022-01-01",
            "monthly_price": "20000",
        }
    ).to_csv(folder / "grant.csv", sep=";", index=False)
    citizens = np.arange((n + 39) // 40)
    pd.DataFrame(
        {
            "citizen_id": [f"B{c:06d}" for c in citizens],
            "municipality_code": codes[(citizens * 40 // PER_MUNICIPALITY) % len(codes)],
            "birth_year": 1980,
            "target_group": "handicap",
        }
    ).to_csv(folder / "citizen.csv", sep=";", index=False)


def _rss() -> str:
    """Current and peak resident memory (Linux)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return ""
    fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
    mb = {k: int(fields[k].split()[0]) // 1024 for k in ("VmRSS", "VmHWM")}
    return f"RSS {mb['VmRSS']:5d} MB (top {mb['VmHWM']:5d} MB)"


def run_import(folder: Path) -> None:
    target = folder / "bench.duckdb"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    last = [0.0]

    def progress(message: str, fraction: float) -> None:
        if fraction - last[0] >= 0.05 or fraction == 1.0 or "Leder" in message:
            last[0] = fraction
            elapsed = time.perf_counter() - started
            print(f"  {elapsed:6.1f}s {fraction:4.0%} {_rss()} {message}", flush=True)

    url = f"duckdb:///{target}" + (f"?memory_limit={sys.argv[3]}" if len(sys.argv) > 3 else "")
    result = import_folder(folder, url, progress)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ok={result.ok} rows={result.rows} problems={[str(p) for p in result.problems[:3]]}")
    print(f"import: {seconds:.1f} s, peak RSS {peak:.0f} MB")
    rows = db.query("data_load_status", {"municipality": 999}, f"duckdb:///{target}")
    print(rows.set_index("table_name").loc["expense", "row_count"], "rækker i expense")


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        run_import(Path(sys.argv[2]))
