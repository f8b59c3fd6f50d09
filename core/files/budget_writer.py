"""Writing a budget in the file layout: rows first, then CSV (Swedish Excel) or .xlsx that read back the same."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.files.cells import decision_title, format_key, key_cell, yes_no
from core.files.spreadsheet import excel_text, neutralise_formula
from core.model.budget import Budget, CostKey
from core.model.errors import BudgetFileError
from core.model.money import format_number

Cells = list[str | int]


def budget_to_rows(budget: Budget) -> list[Cells]:
    """The budget as the rows of the file layout (header first), before any file-format concerns.

    Optional columns and posts appear only when the budget uses them, so a file that never had them
    is written as before.
    """
    budget = budget.with_key_choices_stored()
    years = budget.year_numbers
    empty: Cells = [""] * len(years)
    fees = budget.financing == "avgifter"
    plan = set(budget.plan_years)
    with_activity = bool(budget.keys) or any(line.activity for line in [*budget.costs, *budget.revenues])
    with_key = any(m.key is not None for m in budget.members)
    with_locked = any(c.locked for c in budget.costs)
    with_indexed = any(c.index for c in budget.costs)

    def row(post: str, name: str, category: str, amounts: Sequence[str | int], note: str = "", **extra: str):
        cells: Cells = [post, name, category]
        if with_activity:
            cells.append(extra.get("activity", ""))
        cells += amounts
        if with_key:
            cells.append(extra.get("key", ""))
        cells.append(note)
        if with_locked:
            cells.append(extra.get("locked", ""))
        if with_indexed:
            cells.append(extra.get("indexed", ""))
        return cells

    header = row(
        "post",
        "namn",
        "kategori",
        years,
        "notering",
        activity="verksamhet",
        key="nyckel",
        locked="låst",
        indexed="indexerad",
    )
    rows = [header, row("forbund", budget.name, "", empty), row("artyp", "Årstyp", "", [y.kind for y in budget.years])]
    if fees:
        rows.append(row("finansiering", budget.financing, "", empty))
    for m in budget.members:
        key = "" if m.key is None else format_key(m.key)
        stated = [m.contributions.get(y, 0) or ("" if fees and y in plan else 0) for y in years]  # avgifter: computed
        rows.append(row("avgift", m.name, m.kind, stated, key=key))
    for r in budget.revenues:
        category = "ränta" if r.kind == "ranta" else "övrig"
        rows.append(row("intakt", r.name, category, [r.amounts.get(y, 0) for y in years], activity=r.activity or ""))
    for c in budget.costs:
        amounts = [c.amounts.get(y, 0) for y in years]
        flags = {"locked": yes_no(c.locked), "indexed": c.index or "", "activity": c.activity or ""}
        rows.append(row("kostnad", c.name, c.category or "", amounts, c.note or "", **flags))
    if fees and any(budget.planned_result.values()):
        rows.append(row("resultatmal", "Planerat resultat", "", [budget.planned_result.get(y, 0) for y in years]))
    for key in budget.keys:
        for member, weights in _weight_rows(budget, key):
            cells = [_weight_text(weights[y]) if y in weights else "" for y in years]
            rows.append(row("fordelning", member, key.name, cells, activity=key.activity or ""))
    rows.append(row("eget_kapital", "Ingående eget kapital", "", [budget.opening_equity, *empty[1:]]))
    for use in budget.equity_uses:
        amounts = [use.amount if y == use.year else "" for y in years]
        rows.append(row("eget_kapital_beslut", decision_title(use), "", amounts, use.decision))
    return rows


def _weight_rows(budget: Budget, key: CostKey) -> list[tuple[str, dict[int, Decimal]]]:
    """One row per member with weights, in budget order; a key without any gets one empty row to keep its name."""
    rows = [(m.name, key.weights[m.name]) for m in budget.members if m.name in key.weights]
    return rows or [(budget.members[0].name, {})]


def _weight_text(weight: Decimal) -> str | int:
    """A weight as Swedish Excel writes it: a whole number as a number, decimals with a decimal comma."""
    if weight == weight.to_integral_value():
        return int(weight)
    return format_key(weight).replace(".", ",")


def write_budget_csv(budget: Budget) -> bytes:
    """``;``-separated UTF-8 with BOM: what Swedish Excel opens correctly with a double-click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in budget_to_rows(budget):
        writer.writerow([neutralise_formula(cell) if isinstance(cell, str) else cell for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_budget_xlsx(budget: Budget) -> bytes:
    rows = budget_to_rows(budget)
    header = rows[0]
    amount_columns = {i for i, name in enumerate(header) if isinstance(name, int)}
    key_column = header.index("nyckel") if "nyckel" in header else None
    weight_rows = {r for r, row in enumerate(rows, start=1) if row[0] == "fordelning"}
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    widths = [0] * len(header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if (c == key_column and r > 1 and value) or (r in weight_rows and c in amount_columns and value != ""):
                value = key_cell(str(value).replace(",", "."))
            if isinstance(value, str):
                value = excel_text(value) or None
            cell = sheet.cell(row=r, column=c + 1, value=value)
            if r == 1:
                cell.font = Font(bold=True)
            elif c in amount_columns and isinstance(value, int):
                cell.number_format = "#,##0"  # stored format code; Swedish Excel shows it as "# ##0"
            shown = format_number(value) if isinstance(value, int) and r > 1 else str(value or "")
            widths[c] = max(widths[c], len(shown.split("\n")[0]))
    for c, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(c + 1)].width = min(max(width, 6), 50) + 2
    sheet.freeze_panes = "C2"  # header and names stay in view while scrolling through the years
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_budget_file(budget: Budget, path: str | Path) -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        path.write_bytes(write_budget_csv(budget))
    elif suffix == ".xlsx":
        path.write_bytes(write_budget_xlsx(budget))
    else:
        raise BudgetFileError(f"Budgeten kan sparas som .csv eller .xlsx, inte som {suffix or 'fil utan filändelse'}.")
