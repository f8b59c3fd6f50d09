"""Budget files in the wide layout finance staff keep in Excel: one row per line, one column per year.

Reading accepts what Swedish Excel actually writes (``;``/``,``/tab, UTF-8 with or without BOM,
Windows-1252, UTF-16 "Unicode text", spaces in amounts, typographic minus, .xlsx with numeric
cells) and reports every problem at once, each with the row and column Excel shows, so the user
can fix the file in one go. Writing produces files that read back to the same :class:`Budget`.

The public functions live here; the work is in :mod:`core.files.sheet_rows` (bytes to rows),
:mod:`core.files.budget_reader` with :mod:`core.files.fee_rows` (rows to a budget),
:mod:`core.files.budget_writer` (budget to rows and files) and :mod:`core.files.cells` (one cell).

The layout: a header ``post;namn;kategori;<years>`` with the optional columns ``notering``, ``nyckel``,
``låst``, ``indexerad`` and ``verksamhet``; posts ``forbund``, ``artyp``, ``finansiering`` (fasta or
avgifter), ``avgift`` (a member), ``intakt``, ``kostnad``, ``resultatmal`` (planned result),
``fordelning``/``fördelning`` (namn = member, kategori = key, verksamhet = activity, years = weights),
``eget_kapital`` and ``eget_kapital_beslut``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PureWindowsPath

from core.files.budget_reader import Reader
from core.files.budget_writer import budget_to_rows, write_budget_csv, write_budget_file, write_budget_xlsx
from core.files.cells import MAX_FILE_BYTES, MAX_ROWS, NAME_MAX, Cell
from core.files.sheet_rows import collect, csv_rows, too_big, xlsx_rows
from core.files.spreadsheet import neutralise_formula
from core.model.budget import Budget
from core.model.errors import BudgetFileError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "budget_to_rows",
    "neutralise_formula",
    "read_budget",
    "read_budget_file",
    "read_budget_rows",
    "write_budget_csv",
    "write_budget_file",
    "write_budget_xlsx",
]


def read_budget(data: bytes, filename: str) -> Budget:
    """Parse an uploaded budget file; any problem becomes a :class:`BudgetFileError` listing them all."""
    suffix = PureWindowsPath(filename).suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx"):
        raise BudgetFileError(
            f'Filen "{filename}" har en filtyp som inte kan läsas. Välj en CSV-fil (.csv eller .txt) '
            "eller en Excel-fil (.xlsx)."
        )
    if len(data) > MAX_FILE_BYTES:
        raise too_big(len(data))
    rows = xlsx_rows(bytes(data)) if suffix == ".xlsx" else csv_rows(bytes(data))
    if not rows:
        raise BudgetFileError("Filen är tom.")
    stem = PureWindowsPath(filename).stem.strip()[:NAME_MAX] or "Budget"
    return Reader(rows, default_name=stem).budget()


def read_budget_rows(rows: Sequence[Sequence[Cell]], name: str = "Budget") -> Budget:
    """Validate a grid in the file layout (header first) exactly as an imported file.

    The baseline editor's table goes through here, so an edit is checked by the same rules, with
    the same Swedish messages naming row and column, as a file would be.
    """
    kept = collect(rows)
    if not kept:
        raise BudgetFileError("Tabellen är tom.")
    return Reader(kept, default_name=name).budget()


def read_budget_file(path: str | Path) -> Budget:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise too_big(size)
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
