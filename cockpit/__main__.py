"""Command line: `python -m cockpit run | generate | import | export | kpis | bench`."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from cockpit import db

APP = Path(__file__).resolve().parent / "app.py"


def _secrets() -> tuple[dict | None, bool]:
    """The secrets Streamlit will read (STREAMLIT_SECRETS_FILES, else ~/.streamlit/secrets.toml and
    the repository's .streamlit/secrets.toml), merged, and whether any file exists; None when one
    cannot be parsed. The CLI decides the listening address from them, as the app decides the
    login mode."""
    import tomllib

    given = os.environ.get("STREAMLIT_SECRETS_FILES")
    files = (
        [Path(f.strip()) for f in given.split(",") if f.strip()]
        if given
        else [Path.home() / ".streamlit" / "secrets.toml", db.ROOT / ".streamlit" / "secrets.toml"]
    )
    merged: dict = {}
    exists = False
    for f in files:
        if not f.is_file():
            continue
        exists = True
        try:
            merged.update(tomllib.loads(f.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None, True
    return merged, exists


def serving(args: argparse.Namespace, env: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    """The address to listen on and the server's environment. Without login (demo mode, or local
    mode with --local) only 127.0.0.1; with login the address given (default: Streamlit's, every
    interface). Raises SystemExit with a Danish message for a combination that is not allowed."""
    from cockpit import auth

    env = {k: v for k, v in env.items() if k not in (auth.LOCAL_ENV, auth.LOCAL_ROLE_ENV)}
    if args.local:
        env[auth.LOCAL_ENV] = "1"
        if args.role:
            env[auth.LOCAL_ROLE_ENV] = args.role
    elif args.role:
        raise SystemExit("fejl: --role bruges kun sammen med --local")
    secrets, exists = _secrets()
    mode = auth.login_mode(secrets, exists, env)
    if mode in ("oidc", "broken"):
        if args.local:
            raise SystemExit(
                "fejl: --local bruges kun, når der ikke er sat login op (og COCKPIT_REQUIRE_LOGIN "
                "ikke er sat)"
            )
        return args.address, env
    if args.address and not auth.is_loopback(args.address):
        what = "Lokal tilstand" if args.local else "Demotilstand (ingen login sat op)"
        raise SystemExit(f"fejl: {what} lytter kun på 127.0.0.1, ikke på {args.address}")
    return "127.0.0.1", env


def _run(args: argparse.Namespace) -> int:
    address, env = serving(args, dict(os.environ))
    if address is None:
        print("Login er sat op: cockpittet lytter på alle netværkskort.", flush=True)
    elif not args.local:
        print(f"Cockpittet lytter kun på {address} (ingen login sat op).", flush=True)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.showErrorDetails",
        "full" if args.dev else "none",
        "--client.toolbarMode",
        "minimal",
        "--theme.base",
        "light",
    ]
    if address:
        cmd += ["--server.address", address]
    return subprocess.call(cmd, cwd=db.ROOT, env=env)


def _generate(args: argparse.Namespace) -> int:
    from sample_data.generate import generate

    stats = generate(args.size, args.database_url, seed=args.seed)
    print(json.dumps(stats, ensure_ascii=False, default=str))
    return 0


def _import(args: argparse.Namespace) -> int:
    from cockpit import refresh

    def progress(message: str, fraction: float) -> None:
        print(f"[{fraction:6.1%}] {message}", flush=True)

    try:
        result = refresh.import_folder(Path(args.folder), args.database_url, progress=progress)
    except refresh.ImportRunning as exc:
        print(f"fejl: {exc}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"Advarsel: {warning}")
    for problem in result.problems:
        print(f"Fejl: {problem}", file=sys.stderr)
    if not result.ok:
        print(
            f"Importen blev afvist: {len(result.problems)} fejl. Databasen er uændret.",
            file=sys.stderr,
        )
        return 1
    rows = sum(result.rows.values())
    print(f"Importeret {rows} rækker for kommune {', '.join(map(str, result.municipalities))}.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from cockpit.export import export_folder

    counts = export_folder(args.database_url, Path(args.folder), args.municipality, args.format)
    for table, rows in counts.items():
        print(f"{table}.{args.format}: {rows} rækker")
    print(f"Eksporteret {sum(counts.values())} rækker til {args.folder}.")
    return 0


def _kpis(args: argparse.Namespace) -> int:
    from cockpit import kpis
    from cockpit.periods import Scope

    as_of = args.as_of or kpis.default_as_of(args.municipality, args.year, args.database_url)
    if as_of.year != args.year:
        print("fejl: --as-of skal ligge i --year", file=sys.stderr)
        return 2
    values = kpis.compute(None, Scope(args.municipality, args.year, as_of), args.database_url)
    if args.json:
        print(json.dumps(values, ensure_ascii=False))
    else:
        from cockpit import fmt

        for kpi in kpis.KPIS:
            v = values[kpi.key]
            shown = (
                json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else fmt.value(kpi.unit, v)
            )
            print(f"{kpi.label}: {shown}")
    return 0


def _bench(args: argparse.Namespace) -> int:
    # The bench is a developer tool in the repository's tools/, outside the package.
    if str(db.ROOT) not in sys.path:
        sys.path.insert(0, str(db.ROOT))
    from tools.bench.run import main

    return main(args)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ugyldig dato {text!r}, brug ÅÅÅÅ-MM-DD") from None


class _Parser(argparse.ArgumentParser):
    """Bad arguments give one Danish line and exit status 2, not a usage dump."""

    def error(self, message: str) -> None:
        self.exit(2, f"fejl: {message}\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m cockpit", description="Styringscockpit")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="start cockpittet")
    run.add_argument("--port", type=int, default=8501)
    run.add_argument("--dev", action="store_true", help="vis fejldetaljer (kun udvikling)")
    run.add_argument(
        "--local",
        action="store_true",
        help="kommunens egne data uden login, kun på 127.0.0.1, hver visning logges",
    )
    run.add_argument("--role", choices=["politiker", "direktoer", "leder", "admin"])
    run.add_argument("--address", help="netværksadresse (kun med login; ellers 127.0.0.1)")
    run.set_defaults(func=_run)

    gen = sub.add_parser("generate", help="dan syntetiske eksempeldata")
    gen.add_argument("size", choices=["demo", "national"])
    gen.add_argument("--database-url", default=db.default_url())
    gen.add_argument("--seed", type=int, default=20261031)
    gen.set_defaults(func=_generate)

    imp = sub.add_parser("import", help="indlæs en mappe med CSV-, XLSX- eller Parquet-filer")
    imp.add_argument("folder")
    imp.add_argument("--database-url", default=db.default_url())
    imp.set_defaults(func=_import)

    exp = sub.add_parser(
        "export", help="skriv databasen ud som én fil pr. tabel, som import læser den"
    )
    exp.add_argument("folder")
    exp.add_argument("--database-url", default=db.default_url())
    exp.add_argument("--municipality", type=int, help="kun denne kommunes rækker")
    exp.add_argument("--format", choices=["csv", "parquet"], default="csv")
    exp.set_defaults(func=_export)

    k = sub.add_parser("kpis", help="beregn nøgletal for et scope")
    k.add_argument("--database-url", default=db.default_url())
    k.add_argument("--municipality", type=int, required=True)
    k.add_argument("--year", type=int, required=True)
    k.add_argument("--as-of", type=_iso_date)
    k.add_argument("--json", action="store_true")
    k.set_defaults(func=_kpis)

    b = sub.add_parser("bench", help="mål hastighed på demo- og landsdata")
    b.add_argument("--national-url", default=None)
    b.add_argument("--skip-national", action="store_true")
    b.add_argument(
        "--load-only", action="store_true", help="kun belastningskørslerne (1 og 2 processer)"
    )
    b.set_defaults(func=_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except db.DatabaseMissing as exc:
        print(f"fejl: databasen kan ikke åbnes: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
