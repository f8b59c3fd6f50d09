"""Budget files in the wide layout finance staff keep in Excel: one row per line, one column per year.

Reading accepts what Swedish Excel actually writes (``;``/``,``/tab, UTF-8 with or without BOM,
Windows-1252, UTF-16 "Unicode text", spaces in amounts, typographic minus, .xlsx with numeric
cells) and reports every problem at once, each with the row and column Excel shows, so the user
can fix the file in one go. Writing produces files that read back to the same :class:`Budget`.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path, PureWindowsPath

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from core.files.spreadsheet import excel_text, neutralise_formula
from core.model.budget import CATEGORIES, MEMBER_KINDS, YEAR_KINDS, Budget, EquityUse, IndexKind
from core.model.errors import BudgetFileError, validation_messages
from core.model.money import format_number, join_words, parse_amount

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
_MAX_SCANNED_ROWS = 10 * MAX_ROWS  # blank rows included: bounds the work on a file of empty lines
_MAX_COLUMNS = 100
_MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip; refuse zip bombs before unpacking

_REQUIRED = ("post", "namn", "kategori")
_OPTIONAL = ("notering", "nyckel", "låst", "indexerad")
_LINE_LABELS = {"avgift": "medlem", "intakt": "intäkt", "kostnad": "kostnad"}
_REVENUE_KINDS = {"ränta": "ranta", "ranta": "ranta", "övrig": "ovrig", "ovrig": "ovrig"}
_TRUE = ("ja", "x", "1")
_INDEX_WORDS: dict[str, IndexKind] = {"lön": "lön", "lon": "lön", "löner": "lön", "pris": "pris", "priser": "pris"}
_FALSE = ("nej", "0", "")
_KEY_QUANTUM = Decimal("0.000001")
_NAME_MAX = 120
_NOTE_MAX = 2000
_TITLE_MAX = 60

Cell = object  # str from CSV; str, int, float, bool, datetime or None from .xlsx
Row = tuple[int, list[Cell]]  # (row number as Excel shows it, cells)


# Public API ---------------------------------------------------------------------------------


def read_budget(data: bytes, filename: str) -> Budget:
    """Parse an uploaded budget file; any problem becomes a :class:`BudgetFileError` listing them all."""
    suffix = PureWindowsPath(filename).suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx"):
        raise BudgetFileError(
            f'Filen "{filename}" har en filtyp som inte kan läsas. Välj en CSV-fil (.csv eller .txt) '
            "eller en Excel-fil (.xlsx)."
        )
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(len(data))
    rows = _xlsx_rows(bytes(data)) if suffix == ".xlsx" else _csv_rows(bytes(data))
    if not rows:
        raise BudgetFileError("Filen är tom.")
    stem = PureWindowsPath(filename).stem.strip()[:_NAME_MAX] or "Budget"
    return _Reader(rows, default_name=stem).budget()


def read_budget_rows(rows: Sequence[Sequence[Cell]], name: str = "Budget") -> Budget:
    """Validate a grid in the file layout (header first) exactly as an imported file.

    The baseline editor's table goes through here, so an edit is checked by the same rules, with
    the same Swedish messages naming row and column, as a file would be.
    """
    kept = _collect(rows)
    if not kept:
        raise BudgetFileError("Tabellen är tom.")
    return _Reader(kept, default_name=name).budget()


def read_budget_file(path: str | Path) -> Budget:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_big(size)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise BudgetFileError(f'Filen "{path}" finns inte.') from exc
    except IsADirectoryError as exc:
        raise BudgetFileError(f'"{path}" är en mapp, inte en fil.') from exc
    except PermissionError as exc:
        raise BudgetFileError(f'Filen "{path}" kan inte läsas: behörighet saknas.') from exc
    except OSError as exc:
        raise BudgetFileError(f'Filen "{path}" kunde inte läsas ({exc.__class__.__name__}).') from exc
    return read_budget(data, path.name)


def budget_to_rows(budget: Budget) -> list[list[str | int]]:
    """The budget as the rows of the file layout (header first), before any file-format concerns."""
    years = budget.year_numbers
    blank: list[str | int] = [""] * len(years)
    with_key = any(m.key is not None for m in budget.members)
    with_locked = any(c.locked for c in budget.costs)
    with_indexed = any(c.index for c in budget.costs)

    def row(post: str, name: str, category: str, amounts: Sequence[str | int], note: str = "", **extra: str):
        cells: list[str | int] = [post, name, category, *amounts]
        if with_key:
            cells.append(extra.get("key", ""))
        cells.append(note)
        if with_locked:
            cells.append(extra.get("locked", ""))
        if with_indexed:
            cells.append(extra.get("indexed", ""))
        return cells

    header = row("post", "namn", "kategori", years, "notering", key="nyckel", locked="låst", indexed="indexerad")
    rows = [header, row("forbund", budget.name, "", blank), row("artyp", "Årstyp", "", [y.kind for y in budget.years])]
    for m in budget.members:
        key = "" if m.key is None else _format_key(m.key)
        rows.append(row("avgift", m.name, m.kind, [m.contributions.get(y, 0) for y in years], key=key))
    for r in budget.revenues:
        category = "ränta" if r.kind == "ranta" else "övrig"
        rows.append(row("intakt", r.name, category, [r.amounts.get(y, 0) for y in years]))
    for c in budget.costs:
        amounts = [c.amounts.get(y, 0) for y in years]
        flags = {"locked": _yes_no(c.locked), "indexed": c.index or ""}
        rows.append(row("kostnad", c.name, c.category or "", amounts, c.note or "", **flags))
    rows.append(row("eget_kapital", "Ingående eget kapital", "", [budget.opening_equity, *blank[1:]]))
    for use in budget.equity_uses:
        amounts = [use.amount if y == use.year else "" for y in years]
        rows.append(row("eget_kapital_beslut", _decision_title(use), "", amounts, use.decision))
    return rows


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
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Budget"
    widths = [0] * len(header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if c == key_column and r > 1 and value:
                value = _key_cell(str(value))
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


# Reading: bytes to rows ---------------------------------------------------------------------


def _too_big(size: int) -> BudgetFileError:
    megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return BudgetFileError(
        f"Filen är för stor ({megabytes} MB). Största tillåtna storlek är {MAX_FILE_BYTES // 1024 // 1024} MB."
    )


def _csv_rows(data: bytes) -> list[Row]:
    text = _decode(data)
    if not text.strip():
        return []
    header_line = re.match(r"[^\r\n]*", text).group()
    separator = max((";", "\t", ","), key=header_line.count)  # ties go to ';', then tab
    try:
        rows = _collect(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise BudgetFileError(f"Filen kunde inte läsas som CSV ({exc}). Spara den på nytt från Excel.") from exc
    return rows


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252."""
    not_text = BudgetFileError(
        "Filen är inte en textfil i CSV-format. Spara budgeten från Excel som CSV (semikolonavgränsad) "
        "eller som Excel-arbetsbok (.xlsx)."
    )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search(r"[\x00-\x08\x0e-\x1f]", text):
            raise not_text
        return text
    raise not_text


def _xlsx_rows(data: bytes) -> list[Row]:
    not_xlsx = BudgetFileError(
        "Filen kunde inte öppnas som en Excel-arbetsbok (.xlsx). Kontrollera att den är sparad som "
        "Excel-arbetsbok (inte .xls eller CSV med fel filändelse)."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as exc:
        raise not_xlsx from exc
    if unpacked > _MAX_UNPACKED_BYTES:
        raise BudgetFileError("Excel-filen är för stor när den packas upp. Spara bara budgetbladet i en ny arbetsbok.")
    workbook = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if not workbook.worksheets:
                raise not_xlsx
            sheet = workbook.worksheets[0]
            return _collect(sheet.iter_rows(max_col=_MAX_COLUMNS + 1, values_only=True))
    except BudgetFileError:
        raise
    except Exception as exc:  # openpyxl fails on broken files in many ways; none of them is a bug here
        raise not_xlsx from exc
    finally:
        if workbook is not None:
            workbook.close()


def _collect(rows: Iterable[Sequence[Cell]]) -> list[Row]:
    """Non-blank rows with their Excel row numbers; stop as soon as the file is over the limits."""
    too_many = BudgetFileError(
        f"Filen har fler än {format_number(MAX_ROWS)} rader. Högst {format_number(MAX_ROWS)} rader med "
        "budgetdata kan läsas in; kontrollera att rätt fil valdes."
    )
    kept: list[Row] = []
    for number, row in enumerate(rows, start=1):
        if number > _MAX_SCANNED_ROWS:
            raise too_many
        if len(row) > _MAX_COLUMNS and any(not _blank(c) for c in row[_MAX_COLUMNS:]):
            raise BudgetFileError(f"Rad {number} har fler än {_MAX_COLUMNS} kolumner; det är inte en budgetfil.")
        if any(not _blank(c) for c in row):
            kept.append((number, list(row[:_MAX_COLUMNS])))
            if len(kept) > MAX_ROWS + 1:  # the header is not a data row
                raise too_many
    return kept


# Reading: rows to a budget ------------------------------------------------------------------


class _Reader:
    """Interprets the rows, collecting every problem before giving up."""

    def __init__(self, rows: list[Row], default_name: str):
        self.errors: list[str] = []
        self.header_row, header = rows[0]
        self.rows = rows[1:]
        self.default_name = default_name
        self.headers = [_cell_text(cell) for cell in header]
        self.columns: dict[str, int] = {}
        self.years: list[tuple[int, int]] = []  # (year, column index)
        self.unnamed: list[int] = []
        self.first_row: dict[object, int] = {}  # singleton post or (post, folded name) → row number
        self.name: str | None = None
        self.kinds: list[str] | None = None
        self.opening_equity: int | None = None
        self.members: list[dict] = []
        self.revenues: list[dict] = []
        self.costs: list[dict] = []
        self.equity_uses: list[dict] = []

    # Messages -----------------------------------------------------------------------------
    def where(self, number: int, index: int) -> str:
        header = self.headers[index] if index < len(self.headers) else ""
        return f"Rad {number}, kolumn {_letter(index)}" + (f" ({header})" if header else "")

    def error(self, number: int, index: int, text: str) -> None:
        self.errors.append(f"{self.where(number, index)}: {text}")

    # Whole file ---------------------------------------------------------------------------
    def budget(self) -> Budget:
        self.read_header()
        if self.errors:
            raise BudgetFileError(self.errors)
        handlers = {
            "forbund": self.federation,
            "artyp": self.year_kinds,
            "avgift": self.member,
            "intakt": self.revenue,
            "kostnad": self.cost,
            "eget_kapital": self.equity,
            "eget_kapital_beslut": self.equity_use,
        }
        for number, cells in self.rows:
            cells = cells + [None] * (len(self.headers) - len(cells))
            for index in self.unnamed + list(range(len(self.headers), len(cells))):
                if not _blank(cells[index]):
                    self.error(
                        number,
                        index,
                        "värdet står i en kolumn utan rubrik; ge kolumnen en rubrik eller ta bort värdet "
                        "(har en text ett kommatecken utan citattecken runt sig?).",
                    )
            self.check_formulas(number, cells)
            post_index = self.columns["post"]
            written = _unquote(_cell_text(cells[post_index]))
            post = written.casefold()
            if post not in handlers:
                shown = f'okänd post "{_show(written)}"' if post else "post saknas"
                self.error(number, post_index, f"{shown}. Tillåtna poster är {join_words(list(handlers))}.")
                continue
            self.check_extras(number, cells, post)
            handlers[post](number, cells)
        self.check_year_kinds()
        if self.opening_equity is None and "eget_kapital" not in self.first_row:
            first_year, index = self.years[0]
            self.errors.append(
                f'Raden för ingående eget kapital saknas. Lägg till en rad med post "eget_kapital" och '
                f"beloppet i kolumn {_letter(index)} ({first_year})."
            )
        if self.errors:
            raise BudgetFileError(self.errors)
        kinds = self.kinds or ["plan"] * len(self.years)
        try:
            return Budget(
                name=self.name or self.default_name,
                years=[{"year": y, "kind": k} for (y, _), k in zip(self.years, kinds, strict=True)],
                opening_equity=self.opening_equity,
                members=self.members,
                revenues=self.revenues,
                costs=self.costs,
                equity_uses=self.equity_uses,
            )
        except ValidationError as exc:
            raise BudgetFileError(validation_messages(exc)) from exc

    def read_header(self) -> None:
        seen: dict[str, int] = {}
        number = self.header_row
        for index, header in enumerate(self.headers):
            name = _unquote(header).casefold()
            if not name:
                self.unnamed.append(index)
                continue
            if name in seen:
                self.error(number, index, f"kolumnen finns redan i kolumn {_letter(seen[name])}.")
                continue
            seen[name] = index
            if re.fullmatch(r"[0-9]{4}", name):
                year = int(name)
                if 1900 <= year <= 2200:
                    self.years.append((year, index))
                else:
                    self.error(number, index, f"{year} är inget rimligt budgetår.")
            elif name in _REQUIRED or name in _OPTIONAL:
                self.columns[name] = index
            else:
                self.error(
                    number,
                    index,
                    f"okänd kolumn. Tillåtna kolumner är {', '.join(_REQUIRED)}, årtal (t.ex. 2024) samt "
                    f"{join_words(_OPTIONAL)}.",
                )
        for name in _REQUIRED:
            if name not in self.columns:
                self.errors.append(f'Kolumnen "{name}" saknas i rubrikraden (rad {number}).')
        if not self.years:
            self.errors.append(
                f"Rubrikraden (rad {number}) har ingen årskolumn. Minst en kolumn ska ha ett årtal som "
                "rubrik, t.ex. 2024."
            )
        for (previous, _), (year, index) in zip(self.years, self.years[1:], strict=False):
            if year != previous + 1:
                self.error(number, index, f"årskolumnerna måste vara år i följd, men {year} kommer efter {previous}.")

    # Cells --------------------------------------------------------------------------------
    def check_formulas(self, number: int, cells: list[Cell]) -> None:
        """Text that a spreadsheet would run is refused, on every row, used or not."""
        for column in ("namn", "kategori", "notering"):
            index = self.columns.get(column)
            if index is not None and _is_formula(cells[index]):
                text = (
                    f'"{_show(_cell_text(cells[index]))}" ser ut som en formel. Skriv texten utan inledande = eller @.'
                )
                self.error(number, index, text)

    def text(self, number: int, cells: list[Cell], column: str) -> str | None:
        """The cell's text, or None when it looks like a formula (reported by :meth:`check_formulas`)."""
        index = self.columns.get(column)
        if index is None:
            return ""
        return None if _is_formula(cells[index]) else _unquote(_cell_text(cells[index]))

    def line_name(self, number: int, cells: list[Cell], post: str, *, unique: bool = True) -> str | None:
        name = self.text(number, cells, "namn")
        index = self.columns["namn"]
        if name is None:
            return None
        if not name:
            self.error(number, index, "namn saknas.")
            return None
        if len(name) > _NAME_MAX:
            self.error(number, index, f"namnet är för långt (högst {_NAME_MAX} tecken).")
            return None
        if unique:
            first = self.first_row.setdefault((post, name.casefold()), number)
            if first != number:
                self.error(
                    number,
                    index,
                    f'"{_show(name)}" finns redan på rad {first}; varje {_LINE_LABELS[post]} får bara finnas en gång.',
                )
        return name

    def note(self, number: int, cells: list[Cell]) -> str | None:
        note = self.text(number, cells, "notering")
        if note is not None and len(note) > _NOTE_MAX:
            self.error(number, self.columns["notering"], f"noteringen är för lång (högst {_NOTE_MAX} tecken).")
        return note

    def amounts(self, number: int, cells: list[Cell]) -> dict[int, int]:
        """The non-empty, valid amounts by year; bad cells are reported and left out."""
        found = {}
        for year, index in self.years:
            if not _blank(cells[index]):
                try:
                    found[year] = _amount(cells[index])
                except ValueError as exc:
                    self.error(number, index, str(exc))
        return found

    def no_negatives(self, number: int, amounts: dict[int, int], what: str) -> None:
        for year, index in self.years:
            if amounts.get(year, 0) < 0:
                self.error(number, index, f"{what} får inte vara negativ ({format_number(amounts[year])}).")

    def single(self, number: int, post: str) -> bool:
        first = self.first_row.setdefault(post, number)
        if first != number:
            self.error(
                number,
                self.columns["post"],
                f'det får bara finnas en rad med post "{post}", men den finns redan på rad {first}.',
            )
        return first == number

    def check_extras(self, number: int, cells: list[Cell], post: str) -> None:
        """Key and flags belong to municipalities and costs; elsewhere they would silently vanish."""
        index = self.columns.get("nyckel")
        if index is not None and post != "avgift" and not _blank(cells[index]):
            self.error(number, index, "bara kommuner har en fördelningsnyckel.")
        if post != "kostnad" and self.flag(number, cells, "låst"):
            self.error(number, self.columns["låst"], "gäller bara kostnader.")
        if post != "kostnad" and self.index_kind(number, cells):
            self.error(number, self.columns["indexerad"], "gäller bara kostnader.")

    def flag(self, number: int, cells: list[Cell], column: str) -> bool:
        index = self.columns.get(column)
        if index is None:
            return False
        value = cells[index]
        if isinstance(value, bool):
            return value
        text = _unquote(_cell_text(value)).casefold()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        self.error(number, index, f'"{_show(text)}" ska vara ja eller nej (eller x, 1, 0, tomt).')
        return False

    def index_kind(self, number: int, cells: list[Cell]) -> IndexKind | None:
        """Which yearly index a cost follows: ``lön`` (wages) or ``pris`` (prices); empty or nej for none."""
        index = self.columns.get("indexerad")
        if index is None or _blank(cells[index]):
            return None
        text = _unquote(_cell_text(cells[index])).casefold()
        if text in _FALSE:
            return None
        kind = _INDEX_WORDS.get(text)
        if kind is None:
            self.error(number, index, f'"{_show(text)}" ska vara lön, pris eller tomt (raden följer inget index).')
        return kind

    def key(self, number: int, cells: list[Cell], kind: str | None) -> Decimal | None:
        index = self.columns.get("nyckel")
        if index is None or _blank(cells[index]):
            return None
        if kind != "kommun":
            if kind is not None:
                self.error(number, index, "bara kommuner har en fördelningsnyckel.")
            return None
        key = _parse_key(cells[index])
        problem = None
        if key is None:
            problem = f'"{_show(_cell_text(cells[index]))}" är inte ett tal; skriv nyckeln som t.ex. 12 345 eller 5,5.'
        elif key < 0:
            problem = "nyckeln får inte vara negativ."
        elif key >= 10**12:
            problem = "nyckeln är för stor."
        elif key != key.quantize(_KEY_QUANTUM):
            problem = "nyckeln får ha högst sex decimaler."
        if problem:
            self.error(number, index, problem)
            return None
        return Decimal(format(key.quantize(_KEY_QUANTUM).normalize(), "f"))

    # Posts --------------------------------------------------------------------------------
    def federation(self, number: int, cells: list[Cell]) -> None:
        if self.single(number, "forbund"):
            self.name = self.line_name(number, cells, "forbund", unique=False)

    def year_kinds(self, number: int, cells: list[Cell]) -> None:
        if not self.single(number, "artyp"):
            return
        kinds = []
        for _, index in self.years:
            kind = _unquote(_cell_text(cells[index])).casefold()
            if kind not in YEAR_KINDS:
                shown = f'"{_show(kind)}" är ingen årstyp' if kind else "årstyp saknas"
                self.error(number, index, f"{shown}; ange utfall, prognos eller plan.")
            kinds.append(kind)
        self.kinds = kinds

    def check_year_kinds(self) -> None:
        if self.kinds is None or any(k not in YEAR_KINDS for k in self.kinds):
            return
        number = self.first_row["artyp"]
        latest = self.kinds[0]
        for kind, (_, index) in zip(self.kinds, self.years, strict=True):
            if YEAR_KINDS.index(kind) < YEAR_KINDS.index(latest):
                self.error(
                    number,
                    index,
                    f'"{kind}" kan inte komma efter "{latest}"; åren går från utfall via prognos till plan.',
                )
            else:
                latest = kind
        if "plan" not in self.kinds:
            self.error(number, self.columns["post"], "minst ett år måste vara plan.")

    def member(self, number: int, cells: list[Cell]) -> None:
        name = self.line_name(number, cells, "avgift")
        index = self.columns["kategori"]
        kind = self.text(number, cells, "kategori")
        if kind is not None:
            kind = kind.casefold()
            if kind not in MEMBER_KINDS:
                shown = f'"{_show(kind)}" är ingen medlemstyp' if kind else "medlemstyp saknas"
                self.error(number, index, f"{shown}; ange stat, region eller kommun.")
                kind = None
        amounts = self.amounts(number, cells)
        self.no_negatives(number, amounts, "en medlemsavgift")
        key = self.key(number, cells, kind)
        self.members.append({"name": name, "kind": kind, "key": key, "contributions": amounts})

    def revenue(self, number: int, cells: list[Cell]) -> None:
        name = self.line_name(number, cells, "intakt")
        category = self.text(number, cells, "kategori")
        kind = None
        if category is not None:
            category = category.casefold()
            if not category:
                kind = "ranta" if (name or "").casefold().startswith("ränta") else "ovrig"
            elif category in _REVENUE_KINDS:
                kind = _REVENUE_KINDS[category]
            else:
                self.error(
                    number,
                    self.columns["kategori"],
                    f'"{_show(category)}" är ingen intäktstyp; ange ränta eller övrig, eller lämna tomt.',
                )
        if kind == "ranta":
            first = self.first_row.setdefault("ränta", number)
            if first != number:
                self.error(
                    number,
                    self.columns["kategori"],
                    f"bara en intäkt kan vara ränta, och raden med ränta är rad {first}. Skriv övrig i kategori.",
                )
        amounts = self.amounts(number, cells)
        self.revenues.append({"name": name, "kind": kind, "amounts": amounts})

    def cost(self, number: int, cells: list[Cell]) -> None:
        name = self.line_name(number, cells, "kostnad")
        category = self.text(number, cells, "kategori")
        if category is not None:
            category = category.casefold()
            if category and category not in CATEGORIES:
                self.error(
                    number,
                    self.columns["kategori"],
                    f'"{_show(category)}" är ingen kostnadskategori; ange en av {join_words(CATEGORIES)}, '
                    "eller lämna tomt.",
                )
        amounts = self.amounts(number, cells)
        self.no_negatives(number, amounts, "en kostnad")
        self.costs.append(
            {
                "name": name,
                "category": category or None,
                "amounts": amounts,
                "note": self.note(number, cells) or None,
                "locked": self.flag(number, cells, "låst"),
                "index": self.index_kind(number, cells),
            }
        )

    def equity(self, number: int, cells: list[Cell]) -> None:
        if not self.single(number, "eget_kapital"):
            return
        amounts = self.amounts(number, cells)
        (first_year, first_index), *later = self.years
        for _year, index in later:
            if not _blank(cells[index]):
                self.error(number, index, f"ingående eget kapital anges bara i första årskolumnen ({first_year}).")
        if _blank(cells[first_index]):
            self.error(number, first_index, "beloppet för ingående eget kapital saknas.")
        self.opening_equity = amounts.get(first_year)

    def equity_use(self, number: int, cells: list[Cell]) -> None:
        title = self.text(number, cells, "namn")
        note = self.note(number, cells)
        amounts = self.amounts(number, cells)
        filled = [(year, index) for year, index in self.years if not _blank(cells[index])]
        if not filled:
            self.error(
                number, self.columns["namn"], "beslutet om eget kapital saknar belopp; skriv det under året det gäller."
            )
        for _, index in filled[1:]:
            self.error(
                number,
                index,
                f"ett beslut om eget kapital har belopp i exakt en årskolumn, men har också "
                f"kolumn {_letter(filled[0][1])}.",
            )
        if len(filled) == 1:
            year, index = filled[0]
            if year in amounts and amounts[year] <= 0:
                self.error(number, index, "beloppet som tas ur eget kapital måste vara större än 0.")
            if title and not note and len(title) > _NOTE_MAX:
                self.error(number, self.columns["namn"], f"beslutstexten är för lång (högst {_NOTE_MAX} tecken).")
            if year in amounts and title is not None and note is not None:
                self.equity_uses.append({"year": year, "amount": amounts[year], "decision": note or title})


# Small helpers ------------------------------------------------------------------------------


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: Cell) -> str:
    """A cell as trimmed text, numbers as Excel shows them (2024, not 2024.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_formula(value: Cell) -> bool:
    return isinstance(value, str) and value.strip().startswith(("=", "@"))


def _unquote(text: str) -> str:
    """Undo :func:`neutralise_formula`: one leading apostrophe only marks the cell as text."""
    return text[1:].strip() if text.startswith("'") else text


def _amount(value: Cell) -> int:
    """A non-blank cell as whole kronor; the ValueError carries the reason in Swedish."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    shown = _show(_cell_text(value))
    if isinstance(value, float) and math.isfinite(value):
        raise ValueError(f'"{shown.replace(".", ",")}" har decimaler; belopp ska anges i hela kronor.')
    if isinstance(value, str):
        text = _unquote(value.strip())
        try:
            return parse_amount(text)
        except ValueError:
            cleaned = re.sub(r"\s", "", text).replace("\u2212", "-").removesuffix("kr")
            if re.fullmatch(r"[+-]?[0-9]*[.,][0-9]+", cleaned):
                raise ValueError(f'"{shown}" har decimaler; belopp ska anges i hela kronor.') from None
    raise ValueError(f'"{shown}" är inte ett belopp i hela kronor.')


def _parse_key(value: Cell) -> Decimal | None:
    """A key weight as a number: Excel number, or text with decimal comma or point."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    text = re.sub(r"\s", "", _unquote(_cell_text(value))).replace("\u2212", "-").replace(",", ".")
    if re.fullmatch(r"-?[0-9]{1,30}(\.[0-9]{1,30})?", text) is None:
        return None
    return Decimal(text)


def _format_key(key: Decimal) -> str:
    return "0" if key == 0 else format(key.normalize(), "f")


def _key_cell(text: str) -> int | float | str:
    """A key as an Excel number when the number holds it exactly, else as text (which still reads back)."""
    key = Decimal(text)
    if key == key.to_integral_value():
        return int(key)
    as_float = float(key)
    return as_float if Decimal(repr(as_float)) == key else text


def _yes_no(flag: bool) -> str:
    return "ja" if flag else "nej"


def _decision_title(use: EquityUse) -> str:
    """A short title for the namn column; the full decision goes in notering."""
    first_line = use.decision.splitlines()[0].strip() if use.decision else ""
    return first_line if len(first_line) <= _TITLE_MAX else first_line[: _TITLE_MAX - 1].rstrip() + "…"


def _letter(index: int) -> str:
    """Column index 0 → A, 25 → Z, 26 → AA, as Excel names columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _show(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
