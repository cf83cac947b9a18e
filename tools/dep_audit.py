"""`make audit`: pip-audit, reported honestly in Danish.

pip-audit asks PyPI for advisories. When PyPI cannot be reached it marks every package "could not
be audited" and still prints "No known vulnerabilities found". This wrapper reads pip-audit's JSON
instead and says plainly which packages were checked, which were *ikke kontrolleret*, and which
have known vulnerabilities. Exit status: 1 when a vulnerability is known; 0 otherwise (no network
must not fail `make test`), unless --strict, which also fails (3) when anything was not checked.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def run_pip_audit(timeout: int) -> tuple[dict | None, str]:
    """pip-audit's JSON report (None when it gave none) and its stderr."""
    try:
        done = subprocess.run(
            [str(PIP_AUDIT), "--progress-spinner", "off", "--format", "json"],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, str(exc)
    try:
        return json.loads(done.stdout), done.stderr
    except ValueError:
        return None, done.stderr


def summarise(report: dict | None, detail: str = "") -> tuple[int, list[str]]:
    """(exit status without --strict, Danish lines) for a pip-audit JSON report."""
    if report is None:
        lines = [
            "Sårbarhedstjek af afhængigheder: ikke kontrolleret. pip-audit gav intet resultat "
            "(kilden til sårbarhedsdata kunne ikke nås, eller pip-audit fejlede). Det betyder "
            "ikke, at der ingen kendte sårbarheder er.",
        ]
        if detail.strip():
            lines.append(f"Detalje: {detail.strip().splitlines()[-1]}")
        return 0, lines
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    checked = [d for d in deps if not d.get("skip_reason")]
    vulnerable = [d for d in checked if d.get("vulns")]
    if vulnerable:
        head = f"Sårbarhedstjek af afhængigheder: {len(vulnerable)} pakker har kendte sårbarheder."
    elif not checked:
        head = (
            "Sårbarhedstjek af afhængigheder: ikke kontrolleret. Kilden til sårbarhedsdata (PyPI) "
            "kunne ikke nås. Det betyder ikke, at der ingen kendte sårbarheder er."
        )
    elif skipped:
        head = (
            f"Sårbarhedstjek af afhængigheder: ingen kendte sårbarheder i de {len(checked)} "
            f"kontrollerede pakker; {len(skipped)} pakker er ikke kontrolleret."
        )
    else:
        head = f"Sårbarhedstjek af afhængigheder: ingen kendte sårbarheder i {len(checked)} pakker."
    lines = [head]
    for d in vulnerable:
        ids = ", ".join(v.get("id", "?") for v in d["vulns"])
        fixes = sorted({f for v in d["vulns"] for f in v.get("fix_versions", [])})
        fix = f" (rettet i {', '.join(fixes)})" if fixes else ""
        lines.append(f"  Sårbar: {d['name']} {d.get('version', '')}: {ids}{fix}")
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        lines.append(f"  Ikke kontrolleret ({len(skipped)} af {len(deps)}): {names}.")
    return (1 if vulnerable else 0), lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="pip-audit med ærlig rapport på dansk")
    p.add_argument("--strict", action="store_true", help="fejl (3), når noget ikke er kontrolleret")
    p.add_argument("--timeout", type=int, default=600)
    args = p.parse_args(argv)
    report, detail = run_pip_audit(args.timeout)
    status, lines = summarise(report, detail)
    print("\n".join(lines))
    incomplete = report is None or any(d.get("skip_reason") for d in report.get("dependencies", []))
    if status == 0 and incomplete and args.strict:
        return 3
    return status


if __name__ == "__main__":
    sys.exit(main())
