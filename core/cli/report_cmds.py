"""``python -m core report``: the board papers from the command line (PDF, Excel workbook, import CSV).

Wired into :mod:`core.cli.main` with :func:`add_report_parser`; user errors are :class:`core.model.errors.BudgetError`
subclasses, which ``core.cli.main`` turns into a Swedish message and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from core.cli.sources import add_source_options, load_budget
from core.engine.scenario import Scenario, load_scenario_file
from core.papers.board import build_pdf
from core.papers.paper import BASELINE_LABEL, ReportError, ReportInput
from core.papers.pdf import pdf_page_count
from core.papers.workbook import build_csv, build_workbook


def add_report_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``report`` to the command line's subcommands."""
    report = subparsers.add_parser(
        "report",
        help="Skriv förslag till styrelsen (PDF), Excel-arbetsbok och budgeten i importformat (CSV).",
        description=(
            "Skriver underlaget till styrelsen för basbudgeten, eller för basbudgeten med ett scenario: "
            "ange minst en av --pdf, --xlsx och --csv."
        ),
    )
    add_source_options(report, scenario="Scenario i TOML-format; utan det gäller rapporten basbudgeten.")
    report.add_argument("--pdf", metavar="FIL.pdf", help="Skriv förslaget till styrelsen som PDF.")
    report.add_argument("--xlsx", metavar="FIL.xlsx", help="Skriv Excel-arbetsboken.")
    report.add_argument("--csv", metavar="FIL.csv", help="Skriv scenariots budget i importformatet (CSV).")
    report.add_argument("--date", type=_date, help="Datum i rapporten, ÅÅÅÅ-MM-DD (standard: i dag).")
    report.add_argument("--author", default="", help="Namn som står som upprättare i rapporten.")
    report.set_defaults(func=cmd_report)
    return report


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-06-12") from None


def _check_target(path: str) -> None:
    """Refuse an output path that cannot be written before anything is built."""
    target = Path(path)
    if target.is_dir():
        raise ReportError(f'"{path}" är en mapp; ange ett filnamn.')
    if not target.parent.is_dir():
        raise ReportError(
            f'Mappen "{target.parent}" finns inte; skapa den eller välj en annan plats för {target.name}.'
        )


def _write(path: str, data: bytes) -> None:
    try:
        Path(path).write_bytes(data)
    except PermissionError:
        raise ReportError(f'Filen "{path}" kan inte skrivas: behörighet saknas.') from None
    except OSError as exc:
        raise ReportError(f'Filen "{path}" kunde inte skrivas ({exc.__class__.__name__}).') from None


def cmd_report(args: argparse.Namespace) -> int:
    outputs = {kind: getattr(args, kind, None) for kind in ("pdf", "xlsx", "csv")}
    if not any(outputs.values()):
        raise ReportError("Ange minst en fil att skriva: --pdf, --xlsx eller --csv.")
    chosen = [Path(p).resolve() for p in outputs.values() if p]
    if len(set(chosen)) < len(chosen):
        raise ReportError("Ange olika filnamn för --pdf, --xlsx och --csv.")
    for path in outputs.values():
        if path:
            _check_target(path)
    budget = load_budget(args)
    scenario_path = getattr(args, "scenario", None)
    if scenario_path:
        scenario, source = load_scenario_file(scenario_path), Path(scenario_path).name
    else:
        scenario, source = Scenario(name=BASELINE_LABEL), "basbudget"
    report = ReportInput(
        baseline=budget,
        scenario=scenario,
        date=getattr(args, "date", None) or dt.date.today(),
        author=getattr(args, "author", "") or "",
        source=source,
    )
    report.scenario_budget  # noqa: B018 -- apply the scenario first: a misfit is reported before any file is written
    if outputs["pdf"]:
        data = build_pdf(report)
        _write(outputs["pdf"], data)
        pages = pdf_page_count(data)
        print(f"Skrev förslaget till styrelsen ({pages} {'sida' if pages == 1 else 'sidor'}) till {outputs['pdf']}.")
    if outputs["xlsx"]:
        _write(outputs["xlsx"], build_workbook(report))
        print(f"Skrev Excel-arbetsboken till {outputs['xlsx']}.")
    if outputs["csv"]:
        _write(outputs["csv"], build_csv(report))
        print(f"Skrev budgeten i importformat till {outputs['csv']}.")
    return 0
