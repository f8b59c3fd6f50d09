"""Command line: ``python -m core summary|import|export|init``.

Every user error ends with a Swedish message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from core.errors import BudgetError
from core.models import Budget

EXIT_USER_ERROR = 2


class _SwedishParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER_ERROR, f"Fel i kommandot: {message}\n")


def _load_budget(args: argparse.Namespace) -> Budget:
    from core import budget_io, store

    if getattr(args, "budget", None):
        return budget_io.read_budget_file(args.budget)
    con = store.open_store(args.db)
    try:
        return store.load_budget(con)
    finally:
        con.close()


def _with_scenario(budget: Budget, scenario_path: str | None) -> Budget:
    if not scenario_path:
        return budget
    from core.scenario import apply_scenario, load_scenario_file

    return apply_scenario(budget, load_scenario_file(scenario_path), source=Path(scenario_path).name)


def summary_data(budget: Budget) -> dict:
    """What ``summary --json`` prints: headline figures per year and every check."""
    from core.engine import compute
    from core.rules import run_checks

    result = compute(budget)
    return {
        "name": budget.name,
        "years": result.summary(),
        "checks": [c.model_dump() for c in run_checks(budget, result)],
    }


def format_summary(budget: Budget) -> str:
    from core.engine import compute
    from core.money import format_number
    from core.rules import run_checks

    result = compute(budget)
    years = list(result.years.values())
    width = 14
    lines = [budget.name, ""]
    header = f"{'':<16}" + "".join(f"{y.kind} {y.year}".rjust(width + 2) for y in years)
    lines.append(header)
    for label, attr in (
        ("Intäkter", "revenue"),
        ("Kostnader", "costs"),
        ("Resultat", "result"),
        ("Eget kapital", "equity_end"),
    ):
        lines.append(f"{label:<16}" + "".join(format_number(getattr(y, attr)).rjust(width + 2) for y in years))
    lines.append("")
    marks = {"ok": "OK     ", "varning": "VARNING", "fel": "FEL    "}
    for check in run_checks(budget, result):
        lines.append(f"{marks[check.level]} {check.message}")
    return "\n".join(lines)


def cmd_summary(args: argparse.Namespace) -> int:
    budget = _with_scenario(_load_budget(args), args.scenario)
    if args.json:
        print(json.dumps(summary_data(budget), ensure_ascii=False, indent=2))
    else:
        print(format_summary(budget))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from core import budget_io, store

    budget = budget_io.read_budget_file(args.file)
    con = store.open_store(args.db)
    try:
        current = store.load_budget(con)
        budget = budget.model_copy(update={"settings": current.settings})
        version = store.save_budget(con, budget, author=args.author, reason=f"Import från {Path(args.file).name}")
    finally:
        con.close()
    print(f"Importerade {budget.name} ({len(budget.costs)} kostnadsrader, {len(budget.members)} medlemmar).")
    print(f"Sparad som basbudget version {version}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from core import budget_io

    budget = _with_scenario(_load_budget(args), args.scenario)
    budget_io.write_budget_file(budget, args.file)
    print(f"Exporterade {budget.name} till {args.file}.")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from core import store

    con = store.open_store(args.db)
    try:
        version = store.current_version_id(con)
    finally:
        con.close()
    print(f"Databasen {args.db or store.db_path_from_env()} är klar (basbudget version {version}).")
    return 0


def cmd_set_password(args: argparse.Namespace) -> int:
    import getpass

    from core import store
    from core.auth import hash_password

    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Nytt redaktörslösenord: ")
        if getpass.getpass("Upprepa lösenordet: ") != password:
            raise BudgetError("Lösenorden är inte lika. Inget ändrades.")
    hashed = hash_password(password)
    con = store.open_store(args.db)
    try:
        store.set_editor_password(con, hashed, author=args.author)
    finally:
        con.close()
    print("Redaktörslösenordet är satt (sparat som saltad scrypt-hash, aldrig i klartext).")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from core import store

    con = store.open_store(args.db)
    try:
        data = store.backup_bytes(con)
    finally:
        con.close()
    Path(args.file).write_bytes(data)
    print(f"Säkerhetskopia skriven till {args.file} ({len(data) // 1024} kB).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from core import store

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise BudgetError(f'Säkerhetskopian "{args.file}" kan inte läsas ({exc.__class__.__name__}).') from exc
    path = Path(args.db) if args.db else store.db_path_from_env()
    kept = store.restore_database(path, data, author=args.author)
    print(f"Databasen {path} är återställd från {args.file}. Den tidigare databasen sparades som {kept}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _SwedishParser(prog="python -m core", description="Förbundsbudget på kommandoraden.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_SwedishParser)

    summary = commands.add_parser("summary", help="Resultat, eget kapital och kontroller per år.")
    source = summary.add_mutually_exclusive_group()
    source.add_argument("--db", help="Databasfil (standard: data/budget.duckdb eller FORBUNDSBUDGET_DB).")
    source.add_argument("--budget", help="Läs budgeten från en CSV- eller xlsx-fil i stället för databasen.")
    summary.add_argument("--scenario", help="Scenario i TOML-format att tillämpa.")
    summary.add_argument("--json", action="store_true", help="Skriv ut som JSON.")
    summary.set_defaults(func=cmd_summary)

    imp = commands.add_parser("import", help="Importera en hel budget (CSV eller xlsx) som ny basbudget.")
    imp.add_argument("file")
    imp.add_argument("--db")
    imp.add_argument("--author", default="kommandoraden")
    imp.set_defaults(func=cmd_import)

    exp = commands.add_parser("export", help="Exportera basbudgeten (CSV eller xlsx, efter filändelse).")
    exp.add_argument("file")
    exp.add_argument("--db")
    exp.add_argument("--scenario", help="Exportera budgeten med ett scenario tillämpat.")
    exp.set_defaults(func=cmd_export, budget=None)

    from core.analysis_cli import add_afford_parser
    from core.report_cli import add_report_parser

    add_report_parser(commands)
    add_afford_parser(commands)

    password = commands.add_parser("set-password", help="Sätt det lokala redaktörslösenordet.")
    password.add_argument("--db")
    password.add_argument("--author", default="kommandoraden")
    password.add_argument("--stdin", action="store_true", help="Läs lösenordet från standard in (för skript).")
    password.set_defaults(func=cmd_set_password)

    backup = commands.add_parser("backup", help="Skriv en säkerhetskopia av hela databasen.")
    backup.add_argument("file")
    backup.add_argument("--db")
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser("restore", help="Återställ hela databasen från en säkerhetskopia.")
    restore.add_argument("file")
    restore.add_argument("--db")
    restore.add_argument("--author", default="kommandoraden")
    restore.set_defaults(func=cmd_restore)

    init = commands.add_parser("init", help="Skapa och fyll databasen om den saknas.")
    init.add_argument("--db")
    init.set_defaults(func=cmd_init)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BudgetError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
