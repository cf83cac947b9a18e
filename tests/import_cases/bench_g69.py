"""Source-import benchmark: national-size G69 postings (KMD Prisme layout) into a fresh DuckDB file,
pseudonymised at the door. Generated on the fly (not committed):

python tests/import_cases/bench_g69.py generate /tmp/bench_g69 10000000
/usr/bin/time -v python tests/import_cases/bench_g69.py import /tmp/bench_g69
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cockpit import db  # noqa: E402
from cockpit.ingest.sources.run import import_sources  # noqa: E402

CHUNK = 500_000
CITIZENS = 150_000  # roughly the adults with a specialised social grant nationally
ALIASES = {  # alias -> account string (5.38.xx on the authorised chart of accounts)
    "BOST003001": "5383810100000340",
    "BOST004001": "5383810100000440",
    "BOST005001": "5383810100000540",
    "SEL107MI01": "5385210100000140",
    "SEL108BO01": "5385010100000140",
    "SEL104AS01": "5385910100000140",
    "SEL103BB01": "5385810100000140",
    "ADM0000001": "6455110100000140",  # outside the area: skipped and counted
}


def generate(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(13)
    days = rng.integers(1, 29, CITIZENS)
    months = rng.integers(1, 13, CITIZENS)
    years = rng.integers(40, 100, CITIZENS)
    serial = rng.integers(0, 4000, CITIZENS)
    cprs = np.array(
        [
            f"{d:02d}{m:02d}{y:02d}{s:04d}"
            for d, m, y, s in zip(days, months, years, serial, strict=True)
        ]
    )
    aliases = np.array(list(ALIASES))
    (folder / "finanskontoalias.csv").write_text(
        "Finanskontoalias;Angivelse af finanskontoalias\n"
        + "".join(f"{a};{s}\n" for a, s in ALIASES.items()),
        encoding="utf-8",
    )
    path = folder / "posteringer.g69"
    with path.open("w", encoding="ascii", newline="\n") as f:
        for start in range(0, n, CHUNK):
            m = min(CHUNK, n - start)
            line = pd.Series(np.arange(start, start + m) % 100_000).map("{:05d}".format)
            date = (np.datetime64("2026-01-01") + rng.integers(0, 365, m)).astype(str)
            date = pd.Series(date).str.replace("-", "", regex=False)
            ore = pd.Series(rng.integers(1_000, 5_000_000, m)).map("{:012d}".format)
            sign = np.where(rng.random(m) < 0.03, "K", "D")
            frame = (
                "000G69" + line + "057301NORFLYD&110" + date + "&111"
                + pd.Series(aliases[rng.integers(0, len(aliases), m)]) + "&112" + ore + " &113"
                + pd.Series(sign) + "&1142026&117P" + pd.Series(np.arange(start, start + m)).astype(str)
                + "&13202&133" + pd.Series(cprs[rng.integers(0, CITIZENS, m)]) + "&153Betaling\n"
            )  # fmt: skip
            f.write("".join(frame.tolist()))
    print(f"{path}: {n:,} linjer, {path.stat().st_size / 1e6:.0f} MB")


def run_import(folder: Path) -> None:
    target = folder / "bench.duckdb"
    target.unlink(missing_ok=True)
    key = folder / "pseudonym.key"
    key.write_text("benchmark-noegle-ikke-til-brug-i-drift\n")
    os.environ["COCKPIT_PSEUDONYM_KEY_FILE"] = str(key)
    started = time.perf_counter()

    def progress(message: str, fraction: float) -> None:
        print(f"  {time.perf_counter() - started:6.1f}s {fraction:4.0%} {message}", flush=True)

    inputs = [folder / "posteringer.g69", folder / "finanskontoalias.csv"]
    result = import_sources(inputs, f"duckdb:///{target}", 573, progress)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ok={result.ok} rows={result.rows} problems={[str(p) for p in result.problems[:3]]}")
    print(f"import: {seconds:.1f} s, peak RSS {peak:.0f} MB")
    print(db.table_counts(f"duckdb:///{target}")["expense"], "rækker i expense")


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        run_import(Path(sys.argv[2]))
