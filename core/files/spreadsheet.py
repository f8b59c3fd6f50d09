"""Text going into a spreadsheet cell, made safe once for every file we write (budget files, board papers)."""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise_formula(text: str) -> str:
    """Prefix an apostrophe so a spreadsheet shows the text instead of running it (formula injection).

    Text that already starts with an apostrophe gets one too, so reading back can strip exactly one.
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def excel_text(value: str) -> str:
    """Every text cell goes through here: no characters Excel refuses, no formulas (injection)."""
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
