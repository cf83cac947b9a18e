"""Command line: `python -m cockpit run | generate | import | export | kpis | report | compare |
fetch-public | scenario | actions | bench | audit verify`."""

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
        "--client.disableDataExport",
        "true",
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
    if args.size == "demo":
        _seed_selfassessment()
    return 0


def _seed_selfassessment() -> None:
    """The demo's Styringsoverblik for two years, written to the state store (COCKPIT_STATE_URL)
    only when it holds no answers for the demo municipality: a user's own answers are never
    overwritten by regenerating the demo."""
    from cockpit import state
    from cockpit.selfassessment import store

    try:
        years = store.seed_demo()
    except state.StateUnavailable as exc:
        print(f"Styringsoverblikket blev ikke udfyldt for demoen: {exc}", file=sys.stderr)
        return
    if years:
        print(f"Styringsoverblik for Demokommune udfyldt for {', '.join(map(str, years))}.")
    else:
        print("Styringsoverblikket for Demokommune har allerede svar; de er ikke ændret.")


def _import(args: argparse.Namespace) -> int:
    from cockpit import refresh

    def progress(message: str, fraction: float) -> None:
        print(f"[{fraction:6.1%}] {message}", flush=True)

    try:
        result = refresh.import_sources(
            Path(args.folder), args.database_url, args.municipality, progress
        )
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
    from cockpit import metrics
    from cockpit.periods import Scope

    as_of = args.as_of or metrics.default_as_of(args.municipality, args.year, args.database_url)
    if as_of.year != args.year:
        print("fejl: --as-of skal ligge i --year", file=sys.stderr)
        return 2
    scope = Scope(args.municipality, args.year, as_of)
    if args.role:
        from cockpit.access.gateway import open_for
        from cockpit.auth import Principal

        gw = open_for(Principal("kommandolinje", args.role), args.database_url, page="kpis")
        values = gw.kpi_values(list(metrics.REGISTRY), scope)
    else:
        values = metrics.compute(None, scope, args.database_url)
    if args.json:
        # A suppressed count (1-4 citizens) is written as the role sees it: "<5".
        print(json.dumps(values, ensure_ascii=False, default=str))
    else:
        from cockpit.present import fmt

        for kpi in metrics.KPIS:
            v = values[kpi.key]
            shown = (
                json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else fmt.value(kpi.unit, v)
            )
            print(f"{kpi.label}: {shown}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from cockpit import metrics
    from cockpit.compare import report
    from cockpit.periods import Scope

    as_of = args.as_of or metrics.default_as_of(args.municipality, args.year, args.database_url)
    if as_of.year != args.year:
        print("fejl: --as-of skal ligge i --year", file=sys.stderr)
        return 2
    try:
        result = report.build(Scope(args.municipality, args.year, as_of), args.database_url)
    except KeyError:
        print(
            f"fejl: kommune {args.municipality} findes ikke blandt de 98 kommuner", file=sys.stderr
        )
        return 2
    out = result.to_json()
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        from cockpit.compare import view

        for line in view.text_lines(result):
            print(line)
    return 0


def _report(args: argparse.Namespace) -> int:
    from cockpit import metrics
    from cockpit.periods import Scope
    from cockpit.report import model, pdf, word

    as_of = args.as_of or metrics.default_as_of(args.municipality, args.year, args.database_url)
    if as_of.year != args.year:
        print("fejl: --as-of skal ligge i --year", file=sys.stderr)
        return 2
    gw = model.politician_gateway(args.database_url)
    if model.municipality_name(gw, args.municipality).startswith("Kommune "):
        print(f"fejl: kommune {args.municipality} findes ikke i databasen", file=sys.stderr)
        return 2
    scope = Scope(args.municipality, args.year, as_of)
    report = model.build(scope, gw=gw)
    data = (pdf if args.format == "pdf" else word).render(report)
    out = Path(args.out)
    gw.log_export(source=out.name, scope=scope, filters={"format": args.format})
    out.write_bytes(data)
    print(f"Udvalgsrapporten er skrevet til {out} ({len(data) // 1024} kB).")
    return 0


def _fetch_public(args: argparse.Namespace) -> int:
    from cockpit.compare import public

    return public.main(args)


def _scenario(args: argparse.Namespace) -> int:
    from cockpit import metrics
    from cockpit.periods import Scope
    from cockpit.scenario import levers, service

    as_of = args.as_of or metrics.default_as_of(args.municipality, args.year, args.database_url)
    if as_of.year != args.year:
        print("fejl: --as-of skal ligge i --year", file=sys.stderr)
        return 2
    try:
        chosen = levers.from_cli(
            args.move, args.price, args.inflow, args.youth, args.signals, args.index
        )
        scope = Scope(args.municipality, args.year, as_of)
        _, years, _ = service.compute(scope, chosen, args.database_url)
    except levers.LeverError as exc:
        print(f"fejl: {exc}", file=sys.stderr)
        return 2
    rows = [
        {
            "year": int(r.year),
            "baseline_dkk": round(float(r.baseline_dkk), 2),
            "scenario_dkk": round(float(r.scenario_dkk), 2),
            "difference_dkk": round(float(r.difference_dkk), 2),
            "budget_dkk": None
            if r.budget_dkk is None or r.budget_dkk != r.budget_dkk
            else float(r.budget_dkk),
            "budget_source": r.budget_source,
        }
        for r in years.itertuples()
    ]
    if args.json:
        out = {"municipality": args.municipality, "as_of": as_of.isoformat(), "years": rows}
        print(json.dumps(out, ensure_ascii=False))
    else:
        from cockpit import fmt

        for r in rows:
            print(
                f"{r['year']}: basis {fmt.money(r['baseline_dkk'])}, scenarie "
                f"{fmt.money(r['scenario_dkk'])}, forskel {fmt.money(r['difference_dkk'])}, "
                f"budget {fmt.money(r['budget_dkk'])}"
            )
    return 0


def _actions(args: argparse.Namespace) -> int:
    import getpass

    from cockpit import audit, state
    from cockpit.auth import Principal
    from cockpit.worklist import service

    who = Principal(user=f"kommandolinje:{getpass.getuser()}", role="leder")
    try:
        listed = service.actions(who, args.municipality, args.as_of, args.database_url)
    except (audit.AuditUnavailable, state.StateUnavailable) as exc:
        print(f"fejl: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(listed, ensure_ascii=False))
    else:
        for item in listed:
            print(f"{item['kind']}\t{item['key']}\t{item['status']}\t{item['since']}")
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


def _audit(args: argparse.Namespace) -> int:
    from cockpit import audit

    verdict = audit.verify(args.audit_url)
    print(verdict.message, file=sys.stdout if verdict.intact else sys.stderr)
    return 0 if verdict.intact else 1


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

    imp = sub.add_parser(
        "import",
        help="indlæs en mappe med tabelfiler og/eller kildefiler (FFB, posteringer, bevillinger)",
    )
    imp.add_argument("folder")
    imp.add_argument(
        "--municipality", type=int, help="kommunekoden, som kildefilerne hører til (fx 573)"
    )
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
    k.add_argument(
        "--role",
        choices=["politiker", "direktoer", "leder", "admin"],
        help="tallene som denne rolle ser dem (små tal skjult for politiker og direktør)",
    )
    k.set_defaults(func=_kpis)

    r = sub.add_parser("report", help="udvalgsrapporten (budgetopfølgning og strategistatus)")
    r.add_argument("--database-url", default=db.default_url())
    r.add_argument("--municipality", type=int, required=True)
    r.add_argument("--year", type=int, required=True)
    r.add_argument("--as-of", type=_iso_date)
    r.add_argument("--format", choices=["pdf", "docx"], default="pdf")
    r.add_argument("--out", required=True)
    r.set_defaults(func=_report)

    c = sub.add_parser("compare", help="sammenlign med de 10 strukturelt mest lignende kommuner")
    c.add_argument("--database-url", default=db.default_url())
    c.add_argument("--municipality", type=int, required=True)
    c.add_argument("--year", type=int, required=True)
    c.add_argument("--as-of", type=_iso_date)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_compare)

    fp = sub.add_parser("fetch-public", help="hent offentlige tal fra Danmarks Statistik")
    fp.add_argument("--database-url", default=db.default_url())
    fp.add_argument("--years", type=int, default=5, help="antal seneste år (standard 5)")
    fp.set_defaults(func=_fetch_public)

    s = sub.add_parser("scenario", help="flerårig fremskrivning med scenariegreb (hvad nu hvis)")
    s.add_argument("--database-url", default=db.default_url())
    s.add_argument("--municipality", type=int, required=True)
    s.add_argument("--year", type=int, required=True)
    s.add_argument("--as-of", type=_iso_date)
    s.add_argument("--move", action="append", default=[], metavar="FRA:TIL:ANTAL[:DATO]")
    s.add_argument("--price", action="append", default=[], metavar="INDSATSTYPE:PROCENT")
    s.add_argument("--inflow", action="append", default=[], metavar="INDSATSTYPE:PROCENT")
    s.add_argument("--youth", metavar="INDSATSTYPE:ANTAL")
    s.add_argument("--signals", type=int, default=0, metavar="K")
    s.add_argument("--index", type=float, default=0.0, metavar="PROCENT")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=_scenario)

    a = sub.add_parser("actions", help="arbejdslisternes åbne punkter med status")
    a.add_argument("--database-url", default=db.default_url())
    a.add_argument("--municipality", type=int, required=True)
    a.add_argument("--as-of", type=_iso_date)
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=_actions)

    b = sub.add_parser("bench", help="mål hastighed på demo- og landsdata")
    b.add_argument("--national-url", default=None)
    b.add_argument("--skip-national", action="store_true")
    b.add_argument(
        "--load-only", action="store_true", help="kun belastningskørslerne (1 og 2 processer)"
    )
    b.set_defaults(func=_bench)

    a = sub.add_parser("audit", help="revisionsloggen")
    a.add_argument("action", choices=["verify"], help="verify: kontrollér loggens hashkæde")
    a.add_argument("--audit-url", default=None, help="som COCKPIT_AUDIT_URL")
    a.set_defaults(func=_audit)
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
