"""Command line for the analysis: ``python -m core afford --floor AMOUNT [--years 2025-2026]``.

Wired into :mod:`core.cli.main` with :func:`add_afford_parser`; follows its conventions: the budget from
``--db`` (default database) or ``--budget FILE``, an optional ``--scenario FILE.toml``, ``--json``,
and user errors as :class:`core.model.errors.BudgetError` so ``cli.main`` prints them in Swedish and exits 2.
"""

from __future__ import annotations

import argparse
import json
import re

from core.analysis.plan import AffordResult, afford_new_activity, year_span
from core.cli.sources import add_source_options, load_scenario_budget
from core.model.money import format_kr, parse_amount

_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")


def parse_floor(text: str) -> int:
    """An amount as Swedish spreadsheets write it (``1 000 000``, ``1000000``); argparse type."""
    try:
        return parse_amount(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget belopp i hela kronor") from None


def parse_years(text: str) -> list[int]:
    """``2025-2026`` (or with an en dash), ``2025`` or ``2025,2026``; argparse type."""
    if match := _YEAR_RANGE.match(text):
        first, last = int(match.group(1)), int(match.group(2))
        if last < first:
            raise argparse.ArgumentTypeError(f"{text!r}: det sista året kommer före det första")
        return list(range(first, last + 1))
    parts = [p.strip() for p in text.split(",")]
    if not parts or not all(p.isdigit() and len(p) == 4 for p in parts):
        raise argparse.ArgumentTypeError(f"{text!r} är inga år; skriv t.ex. 2025-2026 eller 2025,2026")
    return sorted({int(p) for p in parts})


def add_afford_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``afford`` to ``subparsers`` (the object ``add_subparsers`` returned in :mod:`core.cli.main`)."""
    afford = subparsers.add_parser(
        "afford",
        help="Största lika årliga belopp för ny verksamhet som håller eget kapital över ett golv.",
    )
    add_source_options(afford, scenario="Scenario i TOML-format att tillämpa först.")
    afford.add_argument(
        "--floor", required=True, type=parse_floor, metavar="BELOPP", help="Golv för eget kapital i kronor."
    )
    afford.add_argument(
        "--years",
        type=parse_years,
        metavar="ÅR",
        help="Planår för den nya verksamheten, t.ex. 2025-2026 (standard: alla planår).",
    )
    afford.add_argument("--json", action="store_true", help="Skriv ut som JSON.")
    afford.set_defaults(func=cmd_afford)
    return afford


def format_afford(result: AffordResult) -> str:
    """The answer as a Swedish sentence or two, for the terminal."""

    years = year_span(result.years)
    floor = format_kr(result.floor)
    if result.already_below:
        equity = format_kr(result.equity[result.binding_year])
        return (
            f"Inget utrymme för ny verksamhet {years}: redan utan ny verksamhet är eget kapital "
            f"{equity} vid slutet av {result.binding_year}, under golvet {floor}."
        )
    binding = result.binding_year
    return "\n".join(
        [
            f"Utrymme för ny verksamhet {years} med golvet {floor} för eget kapital:",
            f"{format_kr(result.amount_per_year)} per år.",
            f"Bindande år {binding}: eget kapital blir {format_kr(result.equity[binding])}; "
            f"med en krona mer per år {format_kr(result.equity_one_more[binding])}.",
        ]
    )


def cmd_afford(args: argparse.Namespace) -> int:
    budget = load_scenario_budget(args)
    result = afford_new_activity(budget, args.floor, args.years)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(format_afford(result))
    return 0
