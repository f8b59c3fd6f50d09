"""Board papers: a scenario as a PDF "Förslag till styrelsen", an Excel workbook and the import-layout CSV.

Pure builders, no Streamlit: each takes a :class:`ReportInput` (the stored baseline, the scenario, the
date) and returns the file's bytes. The figures come from the engine, the rule checks, the comparison
and the verksamhetsplan table, so the files show exactly what the dashboard shows. The PDF's chart is
drawn as vectors from :func:`core.figures.result_equity_series`, the same data as the plotly chart.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import openpyxl
import pandas as pd
from fpdf import FPDF
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core import resources
from core.analysis.compare import POST_LABELS, LineDelta, line_deltas
from core.analysis.tables import budget_table, year_label
from core.engine.compute import BudgetResult, compute
from core.engine.scenario import Scenario, apply_scenario
from core.files.budget_file import neutralise_formula, write_budget_csv
from core.model.budget import Budget
from core.model.errors import BudgetError
from core.model.money import format_kr, format_number, format_pct
from core.papers.figures import (
    CEILING_COLOUR,
    CEILING_NAME,
    FLOOR_COLOUR,
    FLOOR_NAME,
    ResultEquitySeries,
    result_equity_series,
)
from core.rules.checks import LEVEL_ORDER, RULE_TITLES, Check, equity_ceiling, run_checks

DEFAULT_TITLE = "Förslag till styrelsen"
BASELINE_LABEL = "Basbudget"
LEVEL_WORDS = {"ok": "OK", "varning": "Varning", "fel": "Fel"}

ACCENT = "#1f4e79"
MUTED = "#595959"
RULE = "#a6a6a6"
HEADING_FILL = "#eef3f8"
LEVEL_COLOURS = {"ok": "#386a1f", "varning": "#9c5700", "fel": "#c00000"}


class ReportError(BudgetError):
    """A report that cannot be written (no output chosen, a file that cannot be saved)."""


# The input, computed once ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    """What a report is about. Everything else (figures, checks, differences) is derived, once."""

    baseline: Budget
    scenario: Scenario
    date: dt.date = field(default_factory=dt.date.today)
    author: str = ""
    title: str = DEFAULT_TITLE
    source: str = "scenario"  # names the scenario in error messages, e.g. the TOML file's name

    @cached_property
    def scenario_budget(self) -> Budget:
        """The baseline with the scenario applied; raises ScenarioError when the scenario does not fit."""
        return apply_scenario(self.baseline, self.scenario, source=self.source)

    @cached_property
    def base_result(self) -> BudgetResult:
        return compute(self.baseline)

    @cached_property
    def result(self) -> BudgetResult:
        if self.scenario_budget is self.baseline:
            return self.base_result
        return compute(self.scenario_budget)

    @cached_property
    def checks(self) -> list[Check]:
        return run_checks(self.scenario_budget, self.result)

    @cached_property
    def deltas(self) -> list[LineDelta]:
        return line_deltas(self.base_result, self.result)

    @property
    def has_changes(self) -> bool:
        """Whether the scenario changes anything that shows: a figure or a decision to use equity."""
        return bool(self.deltas) or self.scenario_budget.equity_uses != self.baseline.equity_uses

    @property
    def plan_years(self) -> list[int]:
        return self.baseline.plan_years

    @property
    def scenario_name(self) -> str:
        return self.scenario.name


# Words ----------------------------------------------------------------------------------------


def slugify(text: str, *, limit: int = 60) -> str:
    """``IT-spåret fortsätter 2026`` → ``it-sparet-fortsatter-2026``: safe in any file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "scenario"


@dataclass(frozen=True, slots=True)
class ReportFileNames:
    pdf: str
    xlsx: str
    csv: str


def file_names(report: ReportInput) -> ReportFileNames:
    """Swedish file names with the scenario and the date, e.g. ``forslag-till-styrelsen-<slug>-<datum>.pdf``."""
    stem = f"{slugify(report.scenario_name)}-{report.date.isoformat()}"
    return ReportFileNames(
        pdf=f"{slugify(report.title)}-{stem}.pdf",
        xlsx=f"budget-{stem}.xlsx",
        csv=f"budget-importformat-{stem}.csv",
    )


def _years_text(years: Sequence[int] | None, plan: Sequence[int]) -> str:
    chosen = sorted(years) if years is not None else list(plan)
    if chosen == list(plan) and len(plan) > 1:
        return f"alla planår ({plan[0]}–{plan[-1]})"
    if len(chosen) > 2 and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return f"{chosen[0]}–{chosen[-1]}"
    return _join([str(y) for y in chosen])


def _join(words: Sequence[str]) -> str:
    return ", ".join(words[:-1]) + " och " + words[-1] if len(words) > 1 else "".join(words)


def _percent_text(value: Decimal, *, signed: bool = True) -> str:
    """A percent with as many decimals as it has (``+10 %``, ``3,57 %``)."""
    normalized = value.normalize()
    decimals = max(0, -normalized.as_tuple().exponent)  # type: ignore[operator]
    return format_pct(value, decimals, signed=signed)


def describe_scenario(budget: Budget, scenario: Scenario, *, equity_uses: bool = True) -> list[str]:
    """Each entry of the scenario as a Swedish sentence, in the order the scenario applies them.

    ``equity_uses=False`` leaves out the proposed decisions to use equity (the PDF lists them on their own).
    """
    plan = budget.plan_years
    lines: list[str] = []
    for name in scenario.remove:
        lines.append(f"{name} tas bort ({_years_text(None, plan)} blir 0 kr).")
    for new in scenario.new_line:
        category = f" ({new.category})" if new.category else ""
        amounts = ", ".join(f"{format_kr(a)} {y}" for y, a in sorted(new.amounts.items()))
        lines.append(f"Ny kostnadsrad {new.name}{category}: {amounts or 'inga belopp'}.")
    for change in scenario.change:
        years = _years_text(change.years, plan)
        if change.percent is not None:
            lines.append(f"{change.line} ändras med {_percent_text(change.percent)} {years}.")
        elif change.delta is not None:
            verb = "ökar" if change.delta >= 0 else "minskar"
            lines.append(f"{change.line} {verb} med {format_kr(abs(change.delta))} {years}.")
        else:
            lines.append(f"{change.line} sätts till {format_kr(change.amount or 0)} {years}.")
    contributions = scenario.contributions
    if contributions is not None and not contributions.is_empty:
        parts = [f"{_percent_text(p)} {y}" for y, p in sorted(contributions.percent.items()) if p]
        parts += [f"{format_kr(d, signed=True)} {y}" for y, d in sorted(contributions.delta.items()) if d]
        how = (
            "fördelat 50/25/25 mellan staten, regionen och kommunerna enligt lag (2003:1210) 5 § och mellan "
            "kommunerna enligt fördelningsnyckeln"
            if budget.is_samordningsforbund
            else "fördelat enligt fördelningsnyckeln"
        )
        lines.append(f"Medlemsavgifterna totalt ändras med {_join(parts)}, {how}.")
    if scenario.interest_rate is not None:
        lines.append(
            f"Räntan räknas som {_percent_text(scenario.interest_rate, signed=False)} av eget kapital vid "
            f"årets början varje planår."
        )
    for use in scenario.use_equity if equity_uses else ():
        decision = f": {use.decision}" if use.decision else "."
        lines.append(f"Beslut om att använda {format_kr(use.amount)} av eget kapital {use.year}{decision}")
    if scenario.locked:
        lines.append(f"Låsta rader som inte kan ändras: {', '.join(scenario.locked)}.")
    return lines


_GLUED_SPACE = re.compile(r"(?<=\d) (?=\d|kr\b|%|§)")


def keep_together(text: str) -> str:
    """No line break inside ``1 362 650 kr``, ``55,2 %`` or ``5 §``: those spaces become non-breaking."""
    return _GLUED_SPACE.sub("\u00a0", text)


def _versus(delta: int) -> str:
    return "samma som basbudgeten" if delta == 0 else f"{format_kr(delta, signed=True)} mot basbudgeten"


def summary_sentences(report: ReportInput) -> list[str]:
    """Result and equity per plan year in words, against the baseline when the scenario changes anything."""
    sentences = []
    for year in report.plan_years:
        after, before = report.result[year], report.base_result[year]
        if report.has_changes:
            sentences.append(
                f"Resultatet {year} blir {format_kr(after.result)} ({_versus(after.result - before.result)}) "
                f"och eget kapital vid årets slut {format_kr(after.equity_end)} "
                f"({_versus(after.equity_end - before.equity_end)})."
            )
        else:
            sentences.append(
                f"Resultatet {year} blir {format_kr(after.result)} och eget kapital vid årets slut "
                f"{format_kr(after.equity_end)}."
            )
    sentences.append(checks_sentence(report.checks))
    return sentences


def checks_sentence(checks: Sequence[Check]) -> str:
    errors = sum(c.level == "fel" for c in checks)
    warnings = sum(c.level == "varning" for c in checks)
    if not errors and not warnings:
        return f"Alla {len(checks)} regelkontroller är utan anmärkning."
    parts = []
    if errors:
        parts.append(f"{errors} fel")
    if warnings:
        parts.append(f"{warnings} {'varning' if warnings == 1 else 'varningar'}")
    return f"Regelkontrollerna ger {' och '.join(parts)}; se avsnittet Kontroller."


# Tables as rows -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableRow:
    label: str
    kind: str  # rubrik, rad, summa, resultat
    values: list[int | None]


def table_rows(budget: Budget, result: BudgetResult) -> tuple[list[str], list[TableRow]]:
    """The verksamhetsplan table (:func:`core.tables.budget_table`) as column labels and plain rows."""
    table = budget_table(budget, result)
    columns = [str(c) for c in table.frame.columns[1:]]
    rows = []
    for record, kind in zip(table.frame.itertuples(index=False), table.kinds, strict=True):
        label, *values = record
        rows.append(TableRow(str(label), kind, [None if pd.isna(v) else int(v) for v in values]))
    return columns, rows


@dataclass(frozen=True, slots=True)
class ComparedRow:
    label: str
    kind: str
    base: list[int | None]
    scenario: list[int | None]

    @property
    def difference(self) -> list[int | None]:
        return [None if s is None or b is None else s - b for b, s in zip(self.base, self.scenario, strict=True)]


def compared_rows(report: ReportInput) -> tuple[list[str], list[ComparedRow]]:
    """The baseline's and the scenario's tables row by row (a new line is 0 in the baseline and vice versa)."""
    columns, scen_rows = table_rows(report.scenario_budget, report.result)
    _, base_rows = table_rows(report.baseline, report.base_result)

    def keyed(rows: list[TableRow]) -> dict[tuple, TableRow]:
        section, seen, found = 0, {}, {}
        for row in rows:
            section += row.kind == "rubrik"
            base_key = (section, row.kind, row.label)
            seen[base_key] = seen.get(base_key, 0) + 1
            found[(*base_key, seen[base_key])] = row
        return found

    scen, base = keyed(scen_rows), keyed(base_rows)
    order = list(scen)
    base_keys = list(base)
    for i, key in enumerate(base_keys):
        if key not in scen:
            position = order.index(base_keys[i - 1]) + 1 if i else 0
            order.insert(position, key)

    def values(rows: dict[tuple, TableRow], key: tuple, kind: str) -> list[int | None]:
        if key in rows:
            return rows[key].values
        return [None if kind == "rubrik" else 0] * len(columns)

    merged = []
    for key in order:
        row = scen.get(key) or base[key]
        merged.append(ComparedRow(row.label, row.kind, values(base, key, row.kind), values(scen, key, row.kind)))
    return columns, merged


# Excel ----------------------------------------------------------------------------------------------

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


def _text(value: str) -> str:
    """Every text cell goes through here: no characters Excel refuses, no formulas (injection)."""
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value))


def _put(ws: Worksheet, row: int, column: int, value: str | int | None, **style):
    cell = ws.cell(row=row, column=column, value=_text(value) if isinstance(value, str) else value)
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
    workbook.properties.title = _text(f"{report.title}: {report.scenario_name}")
    workbook.properties.creator = _text(report.author or "Förbundsbudget")
    workbook.properties.created = dt.datetime.combine(report.date, dt.time(12))
    workbook.properties.modified = workbook.properties.created
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# CSV ------------------------------------------------------------------------------------------------


def build_csv(report: ReportInput) -> bytes:
    """The scenario's budget in the import layout: reads back (``core.budget_io.read_budget``) as it is."""
    return write_budget_csv(report.scenario_budget)


# PDF ------------------------------------------------------------------------------------------------

FONT = "DejaVu"
_PAGE_MARGIN = 17.0
_CHART_MIN_HEIGHT = 78.0
_DASH = {"dash": 1.6, "gap": 1.0}  # the ceiling, as plotly's "dash"
_DOT = {"dash": 0.5, "gap": 0.8}  # the floor, as plotly's "dot"
_CHART_MAX_HEIGHT = 110.0
_BOTTOM_MARGIN = 16.0


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _blend(colour: str, opacity: float) -> tuple[int, int, int]:
    """``colour`` at ``opacity`` over white, as the plotly bars look (and as printers print them)."""
    return tuple(round(c * opacity + 255 * (1 - opacity)) for c in _rgb(colour))  # type: ignore[return-value]


class _Paper(FPDF):
    """A4 portrait with the bundled DejaVu Sans (the core fonts cannot show U+2212) and a page footer."""

    def __init__(self, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(resources.font_path("DejaVuSans.ttf")))
        self.add_font(FONT, "B", str(resources.font_path("DejaVuSans-Bold.ttf")))
        self.set_margins(_PAGE_MARGIN, 16, _PAGE_MARGIN)
        self.set_auto_page_break(True, margin=_BOTTOM_MARGIN + 4)
        self.alias_nb_pages()
        self.c_margin = 1.2

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    @property
    def space_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    def footer(self) -> None:
        self.set_y(-_BOTTOM_MARGIN + 2)
        self.set_draw_color(RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FONT, "", 7.5)
        self.set_text_color(MUTED)
        self.set_y(self.get_y() + 1)
        page = f"Sida {self.page_no()} av {{nb}}"
        page_width = self.get_string_width(f"Sida {self.page_no()} av 99") + 4
        self.cell(self.content_width - page_width, 4, _fit(self, self.footer_text, self.content_width - page_width))
        self.cell(page_width, 4, page, align="R")

    def ensure_space(self, needed: float) -> None:
        """A new page unless ``needed`` mm fit on this one (a block that fits a page is never split)."""
        if needed > self.space_left and needed < self.page_break_trigger - self.t_margin:
            self.add_page()

    def heading(self, text: str, *, needed: float = 30) -> None:
        self.ensure_space(needed)
        self.set_font(FONT, "B", 12)
        self.set_text_color(ACCENT)
        self.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        self.set_text_color(0)

    def paragraph(self, text: str, *, size: float = 9.5, colour: str = "#000000", style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(colour)
        self.multi_cell(0, size * 0.5, keep_together(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)

    def bullets_height(self, items: Sequence[str], *, size: float = 9.5, numbered: bool = False) -> float:
        self.set_font(FONT, "", size)
        width = self.content_width - (6 if numbered else 4.5)
        heights = [
            self.multi_cell(width, size * 0.5, keep_together(item), align="L", dry_run=True, output="HEIGHT") + 0.8
            for item in items
        ]
        return sum(heights)

    def bullets(self, items: Sequence[str], *, size: float = 9.5, numbered: bool = False) -> None:
        self.set_font(FONT, "", size)
        indent = 6 if numbered else 4.5
        for number, item in enumerate(items, start=1):
            self.ensure_space(size * 0.5 * 2)
            y = self.get_y()
            self.cell(indent, size * 0.5, f"{number}." if numbered else "•")
            self.set_xy(self.l_margin + indent, y)
            width = self.content_width - indent
            self.multi_cell(width, size * 0.5, keep_together(item), align="L", new_x="LMARGIN", new_y="NEXT")
            self.ln(0.8)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` mm in the current font (cell padding included)."""
    room = width - 2 * pdf.c_margin
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def _nice_step(span: float, ticks: int = 5) -> int:
    raw = max(span / ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return max(int(factor * power), 1)
    return int(10 * power)  # pragma: no cover


def _draw_chart(pdf: _Paper, data: ResultEquitySeries, *, height: float, show_results: bool = True) -> None:
    """The result/equity chart as vectors: bars per scenario, equity lines, the ceiling and the floor."""
    x0, y0, width = pdf.l_margin, pdf.get_y(), pdf.content_width
    # Legend, in the plotly figure's trace order.
    items: list[tuple[str, str, str]] = []  # (kind, colour, name)
    for line in data.scenarios:
        if show_results:
            items.append(("bar", line.colour, line.result_name))
        items.append(("line", line.colour, line.equity_name))
    if data.ceilings:
        items.append(("dash", CEILING_COLOUR, CEILING_NAME))
    if data.floor is not None:
        items.append(("dot", FLOOR_COLOUR, FLOOR_NAME))
    pdf.set_font(FONT, "", 7.5)
    x, y = x0, y0
    for kind, colour, name in items:
        item_width = 8 + pdf.get_string_width(name) + 5
        if x + item_width > x0 + width:
            x, y = x0, y + 4.5
        _legend_mark(pdf, kind, colour, x, y + 2)
        pdf.set_text_color(0)
        pdf.set_xy(x + 7, y)
        pdf.cell(item_width - 7, 4, name)
        x += item_width
    top = y + 11  # room under the legend for a value label on the highest point
    bottom = y0 + height - 6
    values = [*data.values(show_results=show_results), 0]
    step = _nice_step(max(values) - min(values))
    low = math.floor(min(values) / step) * step
    high = math.ceil(max(values) / step) * step
    if high == low:
        high = low + step
    ticks = list(range(low, high + 1, step))
    pdf.set_font(FONT, "", 7)
    axis_width = max(pdf.get_string_width(f"{format_number(t)} kr") for t in ticks) + 2
    left, right = x0 + axis_width, x0 + width

    def to_y(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    pdf.set_line_width(0.15)
    for tick in ticks:
        pdf.set_draw_color("#7f7f7f" if tick == 0 else "#e5e5e5")
        pdf.line(left, to_y(tick), right, to_y(tick))
        pdf.set_text_color(MUTED)
        pdf.set_xy(x0, to_y(tick) - 2)
        pdf.cell(axis_width - 1.5, 4, f"{format_number(tick)} kr", align="R")
    years = list(data.years)
    band = (right - left) / max(len(years), 1)

    def centre(year: int) -> float:
        return left + (years.index(year) + 0.5) * band

    for year in years:
        pdf.set_xy(centre(year) - band / 2, bottom + 1)
        pdf.set_text_color(0)
        pdf.cell(band, 4, str(year), align="C")
    if show_results and data.scenarios:
        group = band * 0.62
        bar = group / len(data.scenarios)
        for i, line in enumerate(data.scenarios):
            pdf.set_fill_color(_blend(line.colour, 0.55))
            for year, value in zip(line.years, line.results, strict=True):
                if year not in years or value == 0:
                    continue
                bx = centre(year) - group / 2 + i * bar
                top_y, bottom_y = sorted((to_y(value), to_y(0)))
                pdf.rect(bx + 0.3, top_y, bar - 0.6, bottom_y - top_y, style="F")
    for line in data.scenarios:
        points = [(centre(y), to_y(v)) for y, v in zip(line.years, line.equity, strict=True) if y in years]
        pdf.set_draw_color(line.colour)
        pdf.set_fill_color(line.colour)
        pdf.set_line_width(0.7)
        if len(points) > 1:
            pdf.polyline(points)
        for px, py in points:
            pdf.circle(px, py, 0.9, style="F")
    pdf.set_line_width(0.45)
    if data.ceilings:
        pdf.set_draw_color(CEILING_COLOUR)
        pdf.set_dash_pattern(**_DASH)
        ceiling = [(centre(y), to_y(v)) for y, v in data.ceilings.items() if y in years]
        if len(ceiling) > 1:
            pdf.polyline(ceiling)
    if data.floor is not None and years:
        pdf.set_draw_color(FLOOR_COLOUR)
        pdf.set_dash_pattern(**_DOT)
        pdf.line(centre(years[0]), to_y(data.floor), centre(years[-1]), to_y(data.floor))
    pdf.set_dash_pattern()
    if data.scenarios:  # the main scenario's equity, written at each point
        main = data.scenarios[-1]
        pdf.set_font(FONT, "B", 6.5)
        pdf.set_text_color(main.colour)
        pdf.set_fill_color(255)
        for year, value in zip(main.years, main.equity, strict=True):
            if year in years:
                text = format_number(value)
                text_width = pdf.get_string_width(text) + 1.6
                pdf.set_xy(centre(year) - text_width / 2, to_y(value) - 5.4)
                pdf.cell(text_width, 3.4, text, align="C", fill=True)
    pdf.set_text_color(0)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.2)
    pdf.set_xy(x0, y0 + height)


def _legend_mark(pdf: FPDF, kind: str, colour: str, x: float, y: float) -> None:
    if kind == "bar":
        pdf.set_fill_color(_blend(colour, 0.55))
        pdf.rect(x, y - 1.5, 5.5, 3, style="F")
        return
    pdf.set_draw_color(colour)
    pdf.set_fill_color(colour)
    if kind == "line":
        pdf.set_line_width(0.7)
        pdf.line(x, y, x + 5.5, y)
        pdf.circle(x + 2.75, y, 0.9, style="F")
    else:
        pdf.set_line_width(0.45)
        pdf.set_dash_pattern(**(_DASH if kind == "dash" else _DOT))
        pdf.line(x, y, x + 5.5, y)
        pdf.set_dash_pattern()
    pdf.set_line_width(0.2)


@dataclass(frozen=True, slots=True)
class _Column:
    header: tuple[str, str]  # two header lines
    width: float
    align: str = "R"


def _table(
    pdf: _Paper,
    columns: list[_Column],
    rows: list[tuple[str, list[str]]],  # (kind, cells)
    *,
    size: float,
    groups: Sequence[tuple[str, int, int]] = (),  # (title, first column, last column) over the headers
) -> None:
    """A ruled table: bold header with a rule under it, heading rows shaded, sums bold with a rule above.

    The first column wraps (numbers then stand on its last line, as in printed accounts); the others
    are single lines. A page break repeats the header.
    """
    line_h = size * 0.46
    pad = 0.65
    total = sum(c.width for c in columns)

    def header() -> None:
        pdf.set_font(FONT, "B", size)
        pdf.set_text_color(ACCENT)
        pdf.set_draw_color(ACCENT)
        if groups:
            y = pdf.get_y()
            for title, first, last in groups:
                gx = pdf.l_margin + sum(c.width for c in columns[:first])
                gw = sum(c.width for c in columns[first : last + 1])
                pdf.set_xy(gx, y)
                pdf.cell(gw, line_h + 0.4, _fit(pdf, title, gw), align="C")
                pdf.set_line_width(0.2)
                pdf.line(gx + 1, y + line_h + 0.8, gx + gw - 1, y + line_h + 0.8)
            pdf.set_xy(pdf.l_margin, y + line_h + 1.6)
        for line in range(2):
            y = pdf.get_y()
            for column in columns:
                pdf.cell(column.width, line_h + 0.3, _fit(pdf, column.header[line], column.width), align=column.align)
            pdf.set_xy(pdf.l_margin, y + line_h + 0.3)
        pdf.set_line_width(0.4)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + total, pdf.get_y() + 0.5)
        pdf.set_xy(pdf.l_margin, pdf.get_y() + 0.9)
        pdf.set_text_color(0)

    header()
    for kind, cells in rows:
        bold = kind in ("rubrik", "summa", "resultat")
        pdf.set_font(FONT, "B" if bold else "", size)
        label_lines = pdf.multi_cell(columns[0].width, line_h, cells[0], dry_run=True, output="LINES") or [""]
        row_h = len(label_lines) * line_h + 2 * pad
        if row_h > pdf.space_left:
            pdf.add_page()
            header()
            pdf.set_font(FONT, "B" if bold else "", size)
        y = pdf.get_y()
        if kind == "rubrik":
            pdf.set_fill_color(HEADING_FILL)
            pdf.rect(pdf.l_margin, y, total, row_h, style="F")
        if kind in ("summa", "resultat"):
            pdf.set_draw_color(RULE)
            pdf.set_line_width(0.2)
            pdf.line(pdf.l_margin, y, pdf.l_margin + total, y)
        pdf.set_text_color(0)
        for i, text in enumerate(label_lines):
            pdf.set_xy(pdf.l_margin, y + pad + i * line_h)
            pdf.cell(columns[0].width, line_h, text, align=columns[0].align)
        x = pdf.l_margin + columns[0].width
        for column, text in zip(columns[1:], cells[1:], strict=True):
            muted = text.startswith("(") and text.endswith(")")
            pdf.set_text_color(MUTED if muted else 0)
            pdf.set_xy(x, y + pad + (len(label_lines) - 1) * line_h)
            pdf.cell(column.width, line_h, _fit(pdf, text, column.width), align=column.align)
            x += column.width
        pdf.set_xy(pdf.l_margin, y + row_h)
    pdf.set_text_color(0)
    pdf.set_draw_color(0)


def _column_width(pdf: FPDF, size: float, texts: Sequence[tuple[str, bool]], minimum: float = 0) -> float:
    """The width that holds every (text, bold) in the column, with the cell padding and a little air."""
    widest = minimum - 2 * pdf.c_margin - 1.5
    for text, bold in texts:
        pdf.set_font(FONT, "B" if bold else "", size)
        widest = max(widest, pdf.get_string_width(text))
    return widest + 2 * pdf.c_margin + 1.5


def _signed_number(value: int) -> str:
    return "+" + format_number(value) if value > 0 else format_number(value)


_DIFFERENCE_TITLE = "Förändring mot basbudget"


def _budget_table_pdf(pdf: _Paper, report: ReportInput) -> None:
    """Scenario figures for every year; with changes, the difference against the baseline per plan year.

    Number columns are as wide as their widest figure; the labels get the rest and wrap when long. A
    smaller font is used only when the labels would get less than a third of the width.
    """
    columns_text, rows = compared_rows(report)
    years = report.baseline.year_numbers
    plan = report.plan_years
    with_difference = report.has_changes
    body: list[tuple[str, list[str]]] = []
    for row in rows:
        texts = ["" if v is None else format_number(v) for v in row.scenario]
        if with_difference:
            for year in plan:
                delta = row.difference[years.index(year)]
                shown = delta is not None and (delta != 0 or row.kind in ("summa", "resultat"))
                texts.append(_signed_number(delta) if shown else "")  # type: ignore[arg-type]
        body.append((row.kind, [row.label, *texts]))
    headers = [tuple(c.split(" ", 1)) for c in columns_text]
    if with_difference:
        headers += [(report.baseline.year_kind(y).capitalize(), str(y)) for y in plan]
    for size in (8.5, 8.0, 7.5, 7.0):
        widths = []
        pdf.set_font(FONT, "B", size)
        difference_minimum = (pdf.get_string_width(_DIFFERENCE_TITLE) + 4) / max(len(plan), 1)
        for i, header in enumerate(headers, start=1):
            texts = [(cells[i], kind != "rad") for kind, cells in body] + [(h, True) for h in header]
            minimum = difference_minimum if i > len(years) else 0
            widths.append(_column_width(pdf, size, texts, minimum=minimum))
        label_width = pdf.content_width - sum(widths)
        if label_width >= pdf.content_width / 3:
            break
    columns = [_Column(("", "Post"), label_width, "L")]
    columns += [_Column(header, width) for header, width in zip(headers, widths, strict=True)]  # type: ignore[arg-type]
    groups: list[tuple[str, int, int]] = []
    if with_difference:
        groups = [
            (f"Scenario: {report.scenario_name}", 1, len(years)),
            (_DIFFERENCE_TITLE, len(years) + 1, len(years) + len(plan)),
        ]
    _table(pdf, columns, body, size=size, groups=groups)


def _changes_pdf(pdf: _Paper, report: ReportInput) -> None:
    words = describe_scenario(report.scenario_budget, report.scenario, equity_uses=False)
    pdf.heading("Ändringar mot basbudgeten", needed=40)
    if not words and not report.deltas:
        if report.scenario.use_equity:
            pdf.paragraph("Scenariot ändrar inga belopp, bara beslut om att använda eget kapital (se nedan).")
        else:
            pdf.paragraph("Scenariot innehåller inga ändringar; siffrorna är basbudgetens.")
        return
    pdf.bullets(words, numbered=True, size=9)
    if not report.deltas:
        return
    pdf.ln(2)
    plan = report.plan_years
    last = report.baseline.year_numbers[-1]
    size = 8
    rows: list[tuple[str, list[str]]] = []
    for delta in report.deltas:
        cells = [delta.name, POST_LABELS[delta.post]]
        cells += [_signed_number(delta.deltas.get(y, 0)) if delta.deltas.get(y, 0) else "" for y in plan]
        rows.append(("rad", [*cells, _signed_number(delta.effect_on_equity)]))
    result_cells = [_signed_number(report.result[y].result - report.base_result[y].result) for y in plan]
    equity_change = report.result[last].equity_end - report.base_result[last].equity_end
    rows.append(
        ("summa", ["Förändring av resultat och eget kapital", "", *result_cells, _signed_number(equity_change)])
    )
    headers = [(report.baseline.year_kind(y).capitalize(), str(y)) for y in plan]
    headers.append(("Effekt på eget", f"kapital {last}"))
    widths = [
        _column_width(
            pdf, size, [(cells[i], kind != "rad") for kind, cells in rows] + [(h, True) for h in header], minimum=19
        )
        for i, header in enumerate(headers, start=2)
    ]
    post_width = _column_width(pdf, size, [(w, False) for w in POST_LABELS.values()] + [("Post", True)])
    columns = [
        _Column(("", "Rad"), pdf.content_width - post_width - sum(widths), "L"),
        _Column(("", "Post"), post_width, "L"),
    ]
    columns += [_Column(header, width) for header, width in zip(headers, widths, strict=True)]  # type: ignore[arg-type]
    pdf.ensure_space((len(rows) + 3) * (size * 0.52 + 1.1))
    _table(pdf, columns, rows, size=size)


def _equity_uses_pdf(pdf: _Paper, report: ReportInput) -> None:
    """The decisions to use equity the budget relies on: the baseline's, and the ones the scenario proposes."""
    plan = set(report.plan_years)
    decided = [u for u in report.baseline.equity_uses if u.year in plan]
    proposed = list(report.scenario.use_equity)
    if not decided and not proposed:
        return
    items = [f"{u.year}: {format_kr(u.amount)}, beslutat i basbudgeten. {u.decision}".strip() for u in decided]
    items += [f"{u.year}: {format_kr(u.amount)}, föreslås i scenariot. {u.decision}".strip() for u in proposed]
    pdf.heading("Beslut om att använda eget kapital", needed=12 + pdf.bullets_height(items, size=9))
    pdf.bullets(items, size=9)


def _checks_pdf(pdf: _Paper, report: ReportInput) -> None:
    """A matrix (rule × year) of levels, then the message of every check that is not OK."""
    checks = report.checks
    years = report.baseline.year_numbers
    rules = [r for r in RULE_TITLES if any(c.rule == r for c in checks)]
    rules += sorted({c.rule for c in checks} - set(rules))
    size = 8
    pdf.heading("Kontroller", needed=(len(rules) + 5) * 5.5)
    pdf.paragraph(checks_sentence(checks), size=9)
    pdf.ln(1.5)
    level_of = {(c.rule, c.year): c.level for c in checks}
    pdf.set_font(FONT, "B", size)
    year_width = 21.0
    columns = [_Column(("", "Kontroll"), pdf.content_width - year_width * len(years), "L")]
    columns += [_Column((report.baseline.year_kind(y).capitalize(), str(y)), year_width, "C") for y in years]
    rows = []
    for rule in rules:
        cells = [RULE_TITLES.get(rule, rule)]
        cells += [LEVEL_WORDS[level_of[(rule, y)]] if (rule, y) in level_of else "(gäller ej)" for y in years]
        rows.append(("rad", cells))
    _table(pdf, columns, rows, size=size)
    problems = sorted((c for c in checks if c.level != "ok"), key=lambda c: (-LEVEL_ORDER[c.level], c.year))
    if problems:
        pdf.ln(2)
        pdf.set_font(FONT, "", 8.5)
        for check in problems:
            pdf.ensure_space(10)
            pdf.set_font(FONT, "B", 8.5)
            pdf.set_text_color(LEVEL_COLOURS[check.level])
            pdf.cell(17, 4.4, LEVEL_WORDS[check.level])
            pdf.set_text_color(0)
            pdf.set_font(FONT, "", 8.5)
            text = keep_together(f"{check.title}. {check.message}")
            pdf.multi_cell(0, 4.4, text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.8)


def chart_series(report: ReportInput) -> ResultEquitySeries:
    """The chart's data as the dashboard draws it: baseline and scenario, the ceiling from the scenario."""
    budget = report.scenario_budget
    main_label = report.scenario_name if report.has_changes else BASELINE_LABEL
    series = [(BASELINE_LABEL, report.base_result)] if report.has_changes else []
    series.append((main_label, report.result))
    ceilings = {y: equity_ceiling(budget, figures) for y, figures in report.result.years.items()}
    return result_equity_series(series, floor=budget.settings.equity_floor, ceilings=ceilings)


def build_pdf(report: ReportInput) -> bytes:
    """The PDF "Förslag till styrelsen": summary, chart, budget table, changes and checks on 1–3 A4 pages."""
    budget = report.baseline
    pdf = _Paper(footer_text=f"{budget.name} · {report.title}: {report.scenario_name} · {report.date.isoformat()}")
    pdf.set_title(f"{report.title}: {report.scenario_name}")
    pdf.set_subject(f"{budget.name}, budget {budget.plan_years[0]}–{budget.plan_years[-1]}")
    pdf.set_author(report.author or budget.name)
    pdf.set_creator("Förbundsbudget")
    pdf.set_lang("sv-SE")
    pdf.set_creation_date(dt.datetime.combine(report.date, dt.time(12), tzinfo=dt.UTC))
    pdf.add_page()

    pdf.set_font(FONT, "B", 9)
    pdf.set_text_color(MUTED)
    pdf.cell(0, 5, budget.name.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 20)
    pdf.set_text_color(ACCENT)
    pdf.multi_cell(0, 9, report.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 13)
    pdf.set_text_color(0)
    pdf.multi_cell(0, 6.5, report.scenario_name, align="L", new_x="LMARGIN", new_y="NEXT")
    plan = budget.plan_years
    meta = [
        f"Datum {report.date.isoformat()}",
        f"Budget {plan[0]}–{plan[-1]}" if len(plan) > 1 else f"Budget {plan[0]}",
    ]
    if report.author:
        meta.append(f"Upprättad av {report.author}")
    pdf.paragraph(" · ".join(meta), size=8.5, colour=MUTED)
    pdf.set_draw_color(ACCENT)
    pdf.set_line_width(0.5)
    pdf.line(pdf.l_margin, pdf.get_y() + 1.5, pdf.w - pdf.r_margin, pdf.get_y() + 1.5)
    pdf.ln(4.5)
    if report.scenario.description:
        pdf.paragraph(report.scenario.description)
        pdf.ln(2)

    pdf.heading("Sammanfattning", needed=25)
    pdf.bullets(summary_sentences(report))
    pdf.ln(2)

    pdf.heading("Resultat och eget kapital", needed=_CHART_MIN_HEIGHT + 10)
    chart_height = min(max(pdf.space_left - 4, _CHART_MIN_HEIGHT), _CHART_MAX_HEIGHT)
    _draw_chart(pdf, chart_series(report), height=chart_height)

    first, last = budget.year_numbers[0], budget.year_numbers[-1]
    rows = len(budget_table(report.scenario_budget, report.result).kinds)
    heading = f"Budget {first}–{last} enligt scenariot" if report.has_changes else f"Basbudget {first}–{last}"
    pdf.heading(heading, needed=(rows + 4) * 5.0)
    _budget_table_pdf(pdf, report)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(MUTED)
    pdf.ln(1.5)
    note = "Belopp i kronor."
    if report.has_changes:
        note += " Scenariot ändrar bara planår. Förändringen är scenario − basbudget (den sparade budgeten)."
    pdf.multi_cell(0, 3.8, note, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.ln(3)

    _changes_pdf(pdf, report)
    pdf.ln(3)
    _equity_uses_pdf(pdf, report)
    pdf.ln(2)
    _checks_pdf(pdf, report)
    return bytes(pdf.output())


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF this module wrote (fpdf2 writes uncompressed page objects)."""
    return len(_PAGE_OBJECT.findall(data))
