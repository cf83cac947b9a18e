"""Several processes appending to one audit store at once (tests/test_audit.py,
tests/test_audit_chain.py): each of `workers` processes logs `events` views of its own citizens."""

from __future__ import annotations

import subprocess
import sys

from cockpit.db import ROOT

WRITER = """
import sys
from cockpit import audit
from cockpit.auth import Principal

url, worker, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
who = Principal(f"user{worker}", "leder")
for i in range(events):
    audit.log_view(who, page="borger", source="q", citizens=[f"P{worker}-{i}"], url=url)
"""


def append_from_processes(url: str, events: int, workers: int = 4) -> tuple[list[int], list[str]]:
    """Run the writers side by side; their return codes and error output."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(w), str(events)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    errors = [p.communicate(timeout=180)[1] for p in procs]
    return [p.returncode for p in procs], errors
