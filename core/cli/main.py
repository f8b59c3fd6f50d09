"""``python -m core …``: one parser over every group of commands.

Every user error ends with a Swedish message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from core.cli.admin_cmds import add_admin_parsers
from core.cli.analysis_cmds import add_afford_parser
from core.cli.budget_cmds import add_budget_parsers
from core.cli.report_cmds import add_report_parser
from core.cli.sources import EXIT_USER_ERROR, SwedishParser
from core.model.errors import BudgetError


def build_parser() -> SwedishParser:
    parser = SwedishParser(prog="python -m core", description="Förbundsbudget på kommandoraden.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=SwedishParser)
    add_budget_parsers(commands)
    add_report_parser(commands)
    add_afford_parser(commands)
    add_admin_parsers(commands)
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
