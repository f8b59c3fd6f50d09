"""The board paper as an Excel workbook (five sheets) and the scenario's budget as import-layout CSV."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.analysis.compare import POST_LABELS
from core.analysis.tables import year_label
from core.engine.compute import BudgetResult
from core.files.budget_file import write_budget_csv
from core.files.spreadsheet import excel_text
from core.model.budget import Budget
from core.papers.paper import (
    ACCENT,
    BASELINE_LABEL,
    HEADING_FILL,
    LEVEL_COLOURS,
    LEVEL_WORDS,
    MUTED,
    RULE,
    ReportInput,
    compared_rows,
    table_rows,
)
from core.papers.prose import describe_scenario

_AMOUNT_FORMAT = '#,##0;"−"#,##0'  # Swedish Excel shows 1 362 650 and −150 000 (typographic minus)


_DIFF_FORMAT = '"+"#,##0;"−"#,##0;0'


_BOLD = Font(bold=True)


_TITLE_FONT = Font(bold=True, size=14, color=ACCENT[1:])


_SUBTITLE_FONT = Font(italic=True, color=MUTED[1:])


_HEADER_FONT = Font(bold=True, color=ACCENT[1:])


_HEADING_FILL = PatternFill("solid", fgColor=HEADING_FILL[1:])


_THIN = Side(style="thin", color=RULE[1:])


_MEDIUM = Side(style="medium", color=ACCENT[1:])


_WRAP = Alignment(wrap_text=True, vertical="top")


_RIGHT = Alignment(horizontal="right", vertical="bottom", wrap_text=True)


_HEADER_ROW = 4  # after the title, the subtitle and an empty row


def _put(ws: Worksheet, row: int, column: int, value: str | int | None, **style):
    cell = ws.cell(row=row, column=column, value=excel_text(value) if isinstance(value, str) else value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _title(ws: Worksheet, report: ReportInput, heading: str) -> None:
    """Row 1: federation, what the sheet shows and the scenario; row 2: the paper, date and author."""
    _put(ws, 1, 1, f"{report.baseline.name}: {heading}", font=_TITLE_FONT)
    by = f", upprättad av {report.author}" if report.author else ""
    _put(
        ws,
        2,
        1,
        f"{report.title}, scenario {report.scenario_name}, {report.date.isoformat()}{by}. Belopp i kronor.",
        font=_SUBTITLE_FONT,
    )


def _print_setup(ws: Worksheet, report: ReportInput, *, title_rows: str | None, widths: dict[int, float]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as it takes downwards
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows  # repeated at the top of every printed page
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddHeader.left.text = report.baseline.name.replace("&", "&&")
    ws.oddHeader.right.text = report.date.isoformat()
    ws.oddFooter.left.text = f"{report.title}: {report.scenario_name}".replace("&", "&&")
    ws.oddFooter.right.text = "Sida &P av &N"


def _style_row(ws: Worksheet, row: int, kind: str, last_column: int) -> None:
    for column in range(1, last_column + 1):
        cell = ws.cell(row=row, column=column)
        if kind == "rubrik":
            cell.font = _BOLD
            cell.fill = _HEADING_FILL
        elif kind in ("summa", "resultat"):
            cell.font = _BOLD
            cell.border = Border(top=_THIN)


def _label_width(labels: Sequence[str]) -> float:
    return min(max([len(label) for label in labels] + [20]) + 2, 60)


def _table_sheet(ws: Worksheet, report: ReportInput, heading: str, budget: Budget, result: BudgetResult) -> None:
    columns, rows = table_rows(budget, result)
    _title(ws, report, heading)
    _put(ws, _HEADER_ROW, 1, "Post", font=_HEADER_FONT, border=Border(bottom=_MEDIUM))
    for c, label in enumerate(columns, start=2):
        _put(ws, _HEADER_ROW, c, label, font=_HEADER_FONT, alignment=_RIGHT, border=Border(bottom=_MEDIUM))
    for r, row in enumerate(rows, start=_HEADER_ROW + 1):
        _put(ws, r, 1, row.label)
        for c, value in enumerate(row.values, start=2):
            if value is not None:
                _put(ws, r, c, value, number_format=_AMOUNT_FORMAT)
        _style_row(ws, r, row.kind, len(columns) + 1)
    ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=2)
    widths = {1: _label_width([r.label for r in rows]), **{c: 14 for c in range(2, len(columns) + 2)}}
    _print_setup(ws, report, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}", widths=widths)


def _comparison_sheet(ws: Worksheet, report: ReportInput) -> None:
    columns, rows = compared_rows(report)
    n = len(columns)
    _title(ws, report, f"{BASELINE_LABEL.lower()} och scenariot {report.scenario_name}")
    group_row, header_row = _HEADER_ROW, _HEADER_ROW + 1
    groups = (BASELINE_LABEL, f"Scenario: {report.scenario_name}", "Skillnad (scenario − basbudget)")
    for g, group in enumerate(groups):
        first = 2 + g * n
        _put(ws, group_row, first, group, font=_HEADER_FONT, alignment=Alignment(horizontal="center"))
        if n > 1:
            ws.merge_cells(start_row=group_row, start_column=first, end_row=group_row, end_column=first + n - 1)
        for c, label in enumerate(columns):
            _put(ws, header_row, first + c, label, font=_HEADER_FONT, alignment=_RIGHT, border=Border(bottom=_MEDIUM))
    _put(ws, header_row, 1, "Post", font=_HEADER_FONT, border=Border(bottom=_MEDIUM))
    for r, row in enumerate(rows, start=header_row + 1):
        _put(ws, r, 1, row.label)
        for g, values in enumerate((row.base, row.scenario, row.difference)):
            for c, value in enumerate(values):
                if value is not None:
                    number_format = _DIFF_FORMAT if g == 2 else _AMOUNT_FORMAT
                    _put(ws, r, 2 + g * n + c, value, number_format=number_format)
        _style_row(ws, r, row.kind, 1 + 3 * n)
    for column in (2 + n, 2 + 2 * n):  # a rule before the scenario's and the difference's columns
        for r in range(group_row, header_row + len(rows) + 1):
            cell = ws.cell(row=r, column=column)
            cell.border = Border(left=_THIN, top=cell.border.top, bottom=cell.border.bottom)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    widths = {1: _label_width([r.label for r in rows]), **{c: 13 for c in range(2, 2 + 3 * n)}}
    _print_setup(ws, report, title_rows=f"{group_row}:{header_row}", widths=widths)


def _wrapped_height(text: str, width_chars: float) -> float:
    """Row height in points for wrapped text (Excel does not grow rows for text written by a program)."""
    lines = sum(max(1, math.ceil(len(part) / max(width_chars * 1.1, 1))) for part in text.split("\n"))
    return 15.0 * lines


def _changes_sheet(ws: Worksheet, report: ReportInput) -> None:
    budget, years = report.baseline, report.baseline.year_numbers
    columns = [year_label(y, budget.year_kind(y)) for y in years]
    last_year = years[-1]
    n_columns = 3 + len(years)
    text_width = 18 + 42 + 13 * (len(years) + 1)
    _title(ws, report, f"ändringar i scenariot {report.scenario_name}")
    row = _HEADER_ROW
    _put(ws, row, 1, "Scenariots ändringar", font=_HEADER_FONT)
    row += 1
    if report.scenario.description:
        cell = _put(ws, row, 1, report.scenario.description, alignment=_WRAP, font=_SUBTITLE_FONT)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_columns)
        ws.row_dimensions[row].height = _wrapped_height(cell.value, text_width)
        row += 1
    words = describe_scenario(report.scenario_budget, report.scenario) or ["Scenariot innehåller inga ändringar."]
    for number, sentence in enumerate(words, start=1):
        cell = _put(ws, row, 1, f"{number}. {sentence}", alignment=_WRAP)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_columns)
        ws.row_dimensions[row].height = _wrapped_height(cell.value, text_width)
        row += 1
    row += 1
    _put(ws, row, 1, "Ändrade rader (scenario − basbudget)", font=_HEADER_FONT)
    row += 1
    headers = ["Post", "Rad", *columns, f"Effekt på eget kapital {last_year}"]
    for c, header in enumerate(headers, start=1):
        alignment = _RIGHT if c > 2 else Alignment(vertical="bottom")
        _put(ws, row, c, header, font=_HEADER_FONT, alignment=alignment, border=Border(bottom=_MEDIUM))
    for delta in report.deltas:
        row += 1
        _put(ws, row, 1, POST_LABELS[delta.post])
        _put(ws, row, 2, delta.name)
        for c, year in enumerate(years, start=3):
            _put(ws, row, c, delta.deltas.get(year, 0), number_format=_DIFF_FORMAT)
        _put(ws, row, n_columns, delta.effect_on_equity, number_format=_DIFF_FORMAT)
    row += 1
    _put(ws, row, 1, "Resultat")
    _put(ws, row, 2, "Förändring av resultat och eget kapital")
    for c, year in enumerate(years, start=3):
        _put(ws, row, c, report.result[year].result - report.base_result[year].result, number_format=_DIFF_FORMAT)
    equity_change = report.result[last_year].equity_end - report.base_result[last_year].equity_end
    _put(ws, row, n_columns, equity_change, number_format=_DIFF_FORMAT)
    _style_row(ws, row, "summa", n_columns)
    widths = {1: 18, 2: 42, **{c: 13 for c in range(3, n_columns)}, n_columns: 16}
    _print_setup(ws, report, title_rows=None, widths=widths)


def _checks_sheet(ws: Worksheet, report: ReportInput) -> None:
    _title(ws, report, f"kontroller för scenariot {report.scenario_name}")
    headers = ["Nivå", "År", "Kontroll", "Meddelande"]
    for c, header in enumerate(headers, start=1):
        _put(ws, _HEADER_ROW, c, header, font=_HEADER_FONT, border=Border(bottom=_MEDIUM))
    for r, check in enumerate(report.checks, start=_HEADER_ROW + 1):
        colour = LEVEL_COLOURS[check.level][1:]
        _put(ws, r, 1, LEVEL_WORDS[check.level], font=Font(bold=check.level != "ok", color=colour), alignment=_WRAP)
        _put(ws, r, 2, check.year, alignment=_WRAP)
        _put(ws, r, 3, check.title, alignment=_WRAP)
        _put(ws, r, 4, check.message, alignment=_WRAP)
        ws.row_dimensions[r].height = _wrapped_height(check.message, 100)
    ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=1)
    widths = {1: 10, 2: 7, 3: 36, 4: 100}
    _print_setup(ws, report, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}", widths=widths)


SHEET_NAMES = ("Scenario", "Basbudget", "Jämförelse", "Ändringar", "Kontroller")


def build_workbook(report: ReportInput) -> bytes:
    """The .xlsx: the scenario's and the baseline's budget tables, both side by side, the changes, the checks."""
    workbook = openpyxl.Workbook()
    sheets = [workbook.active, *(workbook.create_sheet() for _ in SHEET_NAMES[1:])]
    for sheet, name in zip(sheets, SHEET_NAMES, strict=True):
        sheet.title = name
    scenario_sheet, base_sheet, comparison_sheet, changes_sheet, checks_sheet = sheets
    _table_sheet(
        scenario_sheet,
        report,
        f"budget enligt scenariot {report.scenario_name}",
        report.scenario_budget,
        report.result,
    )
    _table_sheet(base_sheet, report, "basbudget", report.baseline, report.base_result)
    _comparison_sheet(comparison_sheet, report)
    _changes_sheet(changes_sheet, report)
    _checks_sheet(checks_sheet, report)
    workbook.properties.title = excel_text(f"{report.title}: {report.scenario_name}")
    workbook.properties.creator = excel_text(report.author or "Förbundsbudget")
    workbook.properties.created = dt.datetime.combine(report.date, dt.time(12))
    workbook.properties.modified = workbook.properties.created
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_csv(report: ReportInput) -> bytes:
    """The scenario's budget in the import layout: reads back (``core.budget_io.read_budget``) as it is."""
    return write_budget_csv(report.scenario_budget)
