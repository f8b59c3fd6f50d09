"""Cells of a budget file: the limits, the words the layout uses, and one cell to a value and back.

Shared by reading (:mod:`core.files.budget_reader`) and writing (:mod:`core.files.budget_writer`).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from core.model.budget import EquityUse, IndexKind
from core.model.money import parse_amount

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_SCANNED_ROWS = 10 * MAX_ROWS  # blank rows included: bounds the work on a file of empty lines
MAX_COLUMNS = 100
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip; refuse zip bombs before unpacking

REQUIRED = ("post", "namn", "kategori")
OPTIONAL = ("notering", "nyckel", "låst", "indexerad", "verksamhet")
LINE_LABELS = {"avgift": "medlem", "intakt": "intäkt", "kostnad": "kostnad"}
REVENUE_KINDS = {"ränta": "ranta", "ranta": "ranta", "övrig": "ovrig", "ovrig": "ovrig"}
TRUE = ("ja", "x", "1")
FALSE = ("nej", "0", "")
INDEX_WORDS: dict[str, IndexKind] = {"lön": "lön", "lon": "lön", "löner": "lön", "pris": "pris", "priser": "pris"}
KEY_QUANTUM = Decimal("0.000001")
NAME_MAX = 120
NOTE_MAX = 2000
TITLE_MAX = 60

Cell = object  # str from CSV; str, int, float, bool, datetime or None from .xlsx
Row = tuple[int, list[Cell]]  # (row number as Excel shows it, cells)


def blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Cell) -> str:
    """A cell as trimmed text, numbers as Excel shows them (2024, not 2024.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def is_formula(value: Cell) -> bool:
    return isinstance(value, str) and value.strip().startswith(("=", "@"))


def unquote(text: str) -> str:
    """Undo :func:`core.files.spreadsheet.neutralise_formula`: one leading apostrophe only marks the cell as text."""
    return text[1:].strip() if text.startswith("'") else text


def cell_amount(value: Cell) -> int:
    """A non-blank cell as whole kronor; the ValueError carries the reason in Swedish."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    shown = show(cell_text(value))
    if isinstance(value, float) and math.isfinite(value):
        raise ValueError(f'"{shown.replace(".", ",")}" har decimaler; belopp ska anges i hela kronor.')
    if isinstance(value, str):
        text = unquote(value.strip())
        try:
            return parse_amount(text)
        except ValueError:
            cleaned = re.sub(r"\s", "", text).replace("\u2212", "-").removesuffix("kr")
            if re.fullmatch(r"[+-]?[0-9]*[.,][0-9]+", cleaned):
                raise ValueError(f'"{shown}" har decimaler; belopp ska anges i hela kronor.') from None
    raise ValueError(f'"{shown}" är inte ett belopp i hela kronor.')


def parse_key(value: Cell) -> Decimal | None:
    """A key weight as a number: Excel number, or text with decimal comma or point."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    text = re.sub(r"\s", "", unquote(cell_text(value))).replace("\u2212", "-").replace(",", ".")
    if re.fullmatch(r"-?[0-9]{1,30}(\.[0-9]{1,30})?", text) is None:
        return None
    return Decimal(text)


def format_key(key: Decimal) -> str:
    return "0" if key == 0 else format(key.normalize(), "f")


def key_cell(text: str) -> int | float | str:
    """A key as an Excel number when the number holds it exactly, else as text (which still reads back)."""
    key = Decimal(text)
    if key == key.to_integral_value():
        return int(key)
    as_float = float(key)
    return as_float if Decimal(repr(as_float)) == key else text


def yes_no(flag: bool) -> str:
    return "ja" if flag else "nej"


def decision_title(use: EquityUse) -> str:
    """A short title for the namn column; the full decision goes in notering."""
    first_line = use.decision.splitlines()[0].strip() if use.decision else ""
    return first_line if len(first_line) <= TITLE_MAX else first_line[: TITLE_MAX - 1].rstrip() + "…"


def letter(index: int) -> str:
    """Column index 0 → A, 25 → Z, 26 → AA, as Excel names columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def show(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
