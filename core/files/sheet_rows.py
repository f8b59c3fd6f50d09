"""Reading a budget file's bytes into rows: CSV as Swedish Excel writes it, or the first sheet of an .xlsx."""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence

import openpyxl

from core.files.cells import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SCANNED_ROWS,
    MAX_UNPACKED_BYTES,
    Cell,
    Row,
    blank,
)
from core.model.errors import BudgetFileError
from core.model.money import format_number


def too_big(size: int) -> BudgetFileError:
    megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return BudgetFileError(
        f"Filen är för stor ({megabytes} MB). Största tillåtna storlek är {MAX_FILE_BYTES // 1024 // 1024} MB."
    )


def csv_rows(data: bytes) -> list[Row]:
    text = decode(data)
    if not text.strip():
        return []
    header_line = re.match(r"[^\r\n]*", text).group()
    separator = max((";", "\t", ","), key=header_line.count)  # ties go to ';', then tab
    try:
        rows = collect(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise BudgetFileError(f"Filen kunde inte läsas som CSV ({exc}). Spara den på nytt från Excel.") from exc
    return rows


def decode(data: bytes) -> str:
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


def xlsx_rows(data: bytes) -> list[Row]:
    not_xlsx = BudgetFileError(
        "Filen kunde inte öppnas som en Excel-arbetsbok (.xlsx). Kontrollera att den är sparad som "
        "Excel-arbetsbok (inte .xls eller CSV med fel filändelse)."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as exc:
        raise not_xlsx from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise BudgetFileError("Excel-filen är för stor när den packas upp. Spara bara budgetbladet i en ny arbetsbok.")
    workbook = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if not workbook.worksheets:
                raise not_xlsx
            sheet = workbook.worksheets[0]
            return collect(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True))
    except BudgetFileError:
        raise
    except Exception as exc:  # openpyxl fails on broken files in many ways; none of them is a bug here
        raise not_xlsx from exc
    finally:
        if workbook is not None:
            workbook.close()


def collect(rows: Iterable[Sequence[Cell]]) -> list[Row]:
    """Non-blank rows with their Excel row numbers; stop as soon as the file is over the limits."""
    too_many = BudgetFileError(
        f"Filen har fler än {format_number(MAX_ROWS)} rader. Högst {format_number(MAX_ROWS)} rader med "
        "budgetdata kan läsas in; kontrollera att rätt fil valdes."
    )
    kept: list[Row] = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_SCANNED_ROWS:
            raise too_many
        if len(row) > MAX_COLUMNS and any(not blank(c) for c in row[MAX_COLUMNS:]):
            raise BudgetFileError(f"Rad {number} har fler än {MAX_COLUMNS} kolumner; det är inte en budgetfil.")
        if any(not blank(c) for c in row):
            kept.append((number, list(row[:MAX_COLUMNS])))
            if len(kept) > MAX_ROWS + 1:  # the header is not a data row
                raise too_many
    return kept
