"""Where a command's budget comes from: the options ``--db``/``--budget``/``--scenario``, defined once.

Every command that reads a budget takes its source options from :func:`add_source_options` and gets
its budget from :func:`load_budget`; commands that write the database take :func:`add_db_option`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core import store
from core.engine.scenario import apply_scenario, load_scenario_file
from core.files.budget_file import read_budget_file
from core.model.budget import Budget

EXIT_USER_ERROR = 2
DB_HELP = "Databasfil (standard: data/budget.duckdb eller FORBUNDSBUDGET_DB)."


class SwedishParser(argparse.ArgumentParser):
    """argparse with its usage errors in Swedish and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER_ERROR, f"Fel i kommandot: {message}\n")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db`` alone: for commands that write the database."""
    parser.add_argument("--db", help=DB_HELP)


def add_source_options(
    parser: argparse.ArgumentParser, *, budget_file: bool = True, scenario: str | None = None
) -> None:
    """``--db`` or (with ``budget_file``) ``--budget FILE``; ``--scenario`` with ``scenario`` as its help."""
    if budget_file:
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--db", help=DB_HELP)
        source.add_argument("--budget", help="Läs budgeten från en CSV- eller xlsx-fil i stället för databasen.")
    else:
        add_db_option(parser)
        parser.set_defaults(budget=None)
    if scenario:
        parser.add_argument("--scenario", help=scenario)


def load_budget(args: argparse.Namespace) -> Budget:
    """The baseline from ``--budget FILE``, or the current version in the database."""
    if getattr(args, "budget", None):
        return read_budget_file(args.budget)
    con = store.open_store(getattr(args, "db", None))
    try:
        return store.load_budget(con)
    finally:
        con.close()


def with_scenario(budget: Budget, scenario_path: str | None) -> Budget:
    """``budget`` with the scenario file applied, or as it is without one."""
    if not scenario_path:
        return budget
    return apply_scenario(budget, load_scenario_file(scenario_path), source=Path(scenario_path).name)


def load_scenario_budget(args: argparse.Namespace) -> Budget:
    return with_scenario(load_budget(args), getattr(args, "scenario", None))
