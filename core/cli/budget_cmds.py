"""``summary``, ``import``, ``export`` and ``init``: the budget itself on the command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core import store
from core.cli.sources import add_db_option, add_source_options, load_scenario_budget
from core.engine.compute import compute
from core.files.budget_file import read_budget_file, write_budget_file
from core.model.budget import Budget
from core.model.money import format_number
from core.rules.checks import run_checks


def summary_data(budget: Budget) -> dict:
    """What ``summary --json`` prints: headline figures per year and every check.

    Each year also has ``members`` (each member's fee or contribution); an ``avgifter`` federation's plan
    years have ``activities``: each activity's ``net_cost`` and every member's ``fees`` for it (0 when the
    member does not take part), the common activity under ``Gemensamt``.
    """
    result = compute(budget)
    years = result.summary()
    for number, figures in result.years.items():
        entry: dict = years[str(number)]
        entry["members"] = dict(figures.contributions_by_member)
        if budget.financing == "avgifter" and figures.kind == "plan":
            entry["activities"] = {
                activity: {"net_cost": a.net_cost, "fees": dict(a.fees)} for activity, a in figures.activities.items()
            }
    return {
        "name": budget.name,
        "years": years,
        "checks": [c.model_dump() for c in run_checks(budget, result)],
    }


def format_summary(budget: Budget) -> str:
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
    budget = load_scenario_budget(args)
    if args.json:
        print(json.dumps(summary_data(budget), ensure_ascii=False, indent=2))
    else:
        print(format_summary(budget))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    budget = read_budget_file(args.file)
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
    budget = load_scenario_budget(args)
    write_budget_file(budget, args.file)
    print(f"Exporterade {budget.name} till {args.file}.")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    con = store.open_store(args.db)
    try:
        version = store.current_version_id(con)
    finally:
        con.close()
    print(f"Databasen {args.db or store.db_path_from_env()} är klar (basbudget version {version}).")
    return 0


def add_budget_parsers(commands: argparse._SubParsersAction) -> None:
    summary = commands.add_parser("summary", help="Resultat, eget kapital och kontroller per år.")
    add_source_options(summary, scenario="Scenario i TOML-format att tillämpa.")
    summary.add_argument("--json", action="store_true", help="Skriv ut som JSON.")
    summary.set_defaults(func=cmd_summary)

    imp = commands.add_parser("import", help="Importera en hel budget (CSV eller xlsx) som ny basbudget.")
    imp.add_argument("file")
    add_db_option(imp)
    imp.add_argument("--author", default="kommandoraden")
    imp.set_defaults(func=cmd_import)

    exp = commands.add_parser("export", help="Exportera basbudgeten (CSV eller xlsx, efter filändelse).")
    exp.add_argument("file")
    add_source_options(exp, budget_file=False, scenario="Exportera budgeten med ett scenario tillämpat.")
    exp.set_defaults(func=cmd_export)

    init = commands.add_parser("init", help="Skapa och fyll databasen om den saknas.")
    add_db_option(init)
    init.set_defaults(func=cmd_init)
