"""Reading a budget file's rows into a :class:`Budget`, collecting every problem with its row and column."""

from __future__ import annotations

import re
from decimal import Decimal

from pydantic import ValidationError

from core.files.cells import (
    FALSE,
    INDEX_WORDS,
    KEY_QUANTUM,
    LINE_LABELS,
    NAME_MAX,
    NOTE_MAX,
    OPTIONAL,
    REQUIRED,
    REVENUE_KINDS,
    TRUE,
    Cell,
    Row,
    blank,
    cell_amount,
    cell_text,
    is_formula,
    letter,
    parse_key,
    show,
    unquote,
)
from core.files.fee_rows import WEIGHT_POSTS, FeeRows
from core.model.budget import CATEGORIES, MEMBER_KINDS, YEAR_KINDS, Budget, IndexKind
from core.model.errors import BudgetFileError, validation_messages
from core.model.money import format_number, join_words


class Reader(FeeRows):
    """Interprets the rows, collecting every problem before giving up."""

    def __init__(self, rows: list[Row], default_name: str):
        self.errors: list[str] = []
        self.header_row, header = rows[0]
        self.rows = rows[1:]
        self.default_name = default_name
        self.headers = [cell_text(cell) for cell in header]
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
        self.init_fees()

    # Messages -----------------------------------------------------------------------------
    def where(self, number: int, index: int) -> str:
        header = self.headers[index] if index < len(self.headers) else ""
        return f"Rad {number}, kolumn {letter(index)}" + (f" ({header})" if header else "")

    def error(self, number: int, index: int, text: str) -> None:
        self.errors.append(f"{self.where(number, index)}: {text}")

    # Whole file ---------------------------------------------------------------------------
    def budget(self) -> Budget:
        self.read_header()
        if self.errors:
            raise BudgetFileError(self.errors)
        for number, cells in self.rows:
            self.read_row(number, cells + [None] * (len(self.headers) - len(cells)))
        self.check_year_kinds()
        if self.opening_equity is None and "eget_kapital" not in self.first_row:
            first_year, index = self.years[0]
            self.errors.append(
                f'Raden för ingående eget kapital saknas. Lägg till en rad med post "eget_kapital" och '
                f"beloppet i kolumn {letter(index)} ({first_year})."
            )
        fees = self.fee_data()
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
                **fees,
            )
        except ValidationError as exc:
            raise BudgetFileError(validation_messages(exc)) from exc

    def read_row(self, number: int, cells: list[Cell]) -> None:
        handlers = {
            "forbund": self.federation,
            "artyp": self.year_kinds,
            "avgift": self.member,
            "intakt": self.revenue,
            "kostnad": self.cost,
            "eget_kapital": self.equity,
            "eget_kapital_beslut": self.equity_use,
            "finansiering": self.financing_post,
            "resultatmal": self.planned_result_post,
            **dict.fromkeys(WEIGHT_POSTS, self.weight_post),
        }
        for index in self.unnamed + list(range(len(self.headers), len(cells))):
            if not blank(cells[index]):
                self.error(
                    number,
                    index,
                    "värdet står i en kolumn utan rubrik; ge kolumnen en rubrik eller ta bort värdet "
                    "(har en text ett kommatecken utan citattecken runt sig?).",
                )
        self.check_formulas(number, cells)
        post_index = self.columns["post"]
        written = unquote(cell_text(cells[post_index]))
        post = written.casefold()
        if post not in handlers:
            shown = f'okänd post "{show(written)}"' if post else "post saknas"
            allowed = [p for p in handlers if p != "fördelning"]
            self.error(number, post_index, f"{shown}. Tillåtna poster är {join_words(allowed)}.")
            return
        self.check_extras(number, cells, post)
        handlers[post](number, cells)

    def read_header(self) -> None:
        seen: dict[str, int] = {}
        number = self.header_row
        for index, header in enumerate(self.headers):
            name = unquote(header).casefold()
            if not name:
                self.unnamed.append(index)
                continue
            if name in seen:
                self.error(number, index, f"kolumnen finns redan i kolumn {letter(seen[name])}.")
                continue
            seen[name] = index
            if re.fullmatch(r"[0-9]{4}", name):
                year = int(name)
                if 1900 <= year <= 2200:
                    self.years.append((year, index))
                else:
                    self.error(number, index, f"{year} är inget rimligt budgetår.")
            elif name in REQUIRED or name in OPTIONAL:
                self.columns[name] = index
            else:
                self.error(
                    number,
                    index,
                    f"okänd kolumn. Tillåtna kolumner är {', '.join(REQUIRED)}, årtal (t.ex. 2024) samt "
                    f"{join_words(OPTIONAL)}.",
                )
        for name in REQUIRED:
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
        for column in ("namn", "kategori", "notering", "verksamhet"):
            index = self.columns.get(column)
            if index is not None and is_formula(cells[index]):
                text = f'"{show(cell_text(cells[index]))}" ser ut som en formel. Skriv texten utan inledande = eller @.'
                self.error(number, index, text)

    def text(self, number: int, cells: list[Cell], column: str) -> str | None:
        """The cell's text, or None when it looks like a formula (reported by :meth:`check_formulas`)."""
        index = self.columns.get(column)
        if index is None:
            return ""
        return None if is_formula(cells[index]) else unquote(cell_text(cells[index]))

    def line_name(self, number: int, cells: list[Cell], post: str, *, unique: bool = True) -> str | None:
        name = self.text(number, cells, "namn")
        index = self.columns["namn"]
        if name is None:
            return None
        if not name:
            self.error(number, index, "namn saknas.")
            return None
        if len(name) > NAME_MAX:
            self.error(number, index, f"namnet är för långt (högst {NAME_MAX} tecken).")
            return None
        if unique:
            first = self.first_row.setdefault((post, name.casefold()), number)
            if first != number:
                self.error(
                    number,
                    index,
                    f'"{show(name)}" finns redan på rad {first}; varje {LINE_LABELS[post]} får bara finnas en gång.',
                )
        return name

    def note(self, number: int, cells: list[Cell]) -> str | None:
        note = self.text(number, cells, "notering")
        if note is not None and len(note) > NOTE_MAX:
            self.error(number, self.columns["notering"], f"noteringen är för lång (högst {NOTE_MAX} tecken).")
        return note

    def amounts(self, number: int, cells: list[Cell]) -> dict[int, int]:
        """The non-empty, valid amounts by year; bad cells are reported and left out."""
        found = {}
        for year, index in self.years:
            if not blank(cells[index]):
                try:
                    found[year] = cell_amount(cells[index])
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
        if index is not None and post != "avgift" and not blank(cells[index]):
            self.error(number, index, "bara kommuner har en fördelningsnyckel.")
        if post != "kostnad" and self.flag(number, cells, "låst"):
            self.error(number, self.columns["låst"], "gäller bara kostnader.")
        if post != "kostnad" and self.index_kind(number, cells):
            self.error(number, self.columns["indexerad"], "gäller bara kostnader.")
        index = self.columns.get("verksamhet")
        if index is not None and post not in ("kostnad", "intakt", *WEIGHT_POSTS) and not blank(cells[index]):
            self.error(number, index, "verksamhet gäller bara kostnader, intäkter och fordelning-rader.")

    def flag(self, number: int, cells: list[Cell], column: str) -> bool:
        index = self.columns.get(column)
        if index is None:
            return False
        value = cells[index]
        if isinstance(value, bool):
            return value
        text = unquote(cell_text(value)).casefold()
        if text in TRUE or text in FALSE:
            return text in TRUE
        self.error(number, index, f'"{show(text)}" ska vara ja eller nej (eller x, 1, 0, tomt).')
        return False

    def index_kind(self, number: int, cells: list[Cell]) -> IndexKind | None:
        """Which yearly index a cost follows: ``lön`` (wages) or ``pris`` (prices); empty or nej for none."""
        index = self.columns.get("indexerad")
        if index is None or blank(cells[index]):
            return None
        text = unquote(cell_text(cells[index])).casefold()
        if text in FALSE:
            return None
        kind = INDEX_WORDS.get(text)
        if kind is None:
            self.error(number, index, f'"{show(text)}" ska vara lön, pris eller tomt (raden följer inget index).')
        return kind

    def key(self, number: int, cells: list[Cell], kind: str | None) -> Decimal | None:
        index = self.columns.get("nyckel")
        if index is None or blank(cells[index]):
            return None
        if kind != "kommun":
            if kind is not None:
                self.error(number, index, "bara kommuner har en fördelningsnyckel.")
            return None
        key = parse_key(cells[index])
        problem = None
        if key is None:
            problem = f'"{show(cell_text(cells[index]))}" är inte ett tal; skriv nyckeln som t.ex. 12 345 eller 5,5.'
        elif key < 0:
            problem = "nyckeln får inte vara negativ."
        elif key >= 10**12:
            problem = "nyckeln är för stor."
        elif key != key.quantize(KEY_QUANTUM):
            problem = "nyckeln får ha högst sex decimaler."
        if problem:
            self.error(number, index, problem)
            return None
        return Decimal(format(key.quantize(KEY_QUANTUM).normalize(), "f"))

    # Posts --------------------------------------------------------------------------------
    def federation(self, number: int, cells: list[Cell]) -> None:
        if self.single(number, "forbund"):
            self.name = self.line_name(number, cells, "forbund", unique=False)

    def year_kinds(self, number: int, cells: list[Cell]) -> None:
        if not self.single(number, "artyp"):
            return
        kinds = []
        for _, index in self.years:
            kind = unquote(cell_text(cells[index])).casefold()
            if kind not in YEAR_KINDS:
                shown = f'"{show(kind)}" är ingen årstyp' if kind else "årstyp saknas"
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
                shown = f'"{show(kind)}" är ingen medlemstyp' if kind else "medlemstyp saknas"
                self.error(number, index, f"{shown}; ange stat, region eller kommun.")
                kind = None
        amounts = self.amounts(number, cells)
        self.no_negatives(number, amounts, "en medlemsavgift")
        key = self.key(number, cells, kind)
        self.stated_years.append((number, set(amounts)))
        self.members.append({"name": name, "kind": kind, "key": key, "contributions": amounts})

    def revenue(self, number: int, cells: list[Cell]) -> None:
        name = self.line_name(number, cells, "intakt")
        category = self.text(number, cells, "kategori")
        kind = None
        if category is not None:
            category = category.casefold()
            if not category:
                kind = "ranta" if (name or "").casefold().startswith("ränta") else "ovrig"
            elif category in REVENUE_KINDS:
                kind = REVENUE_KINDS[category]
            else:
                self.error(
                    number,
                    self.columns["kategori"],
                    f'"{show(category)}" är ingen intäktstyp; ange ränta eller övrig, eller lämna tomt.',
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
        self.revenues.append({"name": name, "kind": kind, "amounts": amounts, "activity": self.activity(number, cells)})

    def cost(self, number: int, cells: list[Cell]) -> None:
        name = self.line_name(number, cells, "kostnad")
        category = self.text(number, cells, "kategori")
        if category is not None:
            category = category.casefold()
            if category and category not in CATEGORIES:
                self.error(
                    number,
                    self.columns["kategori"],
                    f'"{show(category)}" är ingen kostnadskategori; ange en av {join_words(CATEGORIES)}, '
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
                "activity": self.activity(number, cells),
            }
        )

    def equity(self, number: int, cells: list[Cell]) -> None:
        if not self.single(number, "eget_kapital"):
            return
        amounts = self.amounts(number, cells)
        (first_year, first_index), *later = self.years
        for _year, index in later:
            if not blank(cells[index]):
                self.error(number, index, f"ingående eget kapital anges bara i första årskolumnen ({first_year}).")
        if blank(cells[first_index]):
            self.error(number, first_index, "beloppet för ingående eget kapital saknas.")
        self.opening_equity = amounts.get(first_year)

    def equity_use(self, number: int, cells: list[Cell]) -> None:
        title = self.text(number, cells, "namn")
        note = self.note(number, cells)
        amounts = self.amounts(number, cells)
        filled = [(year, index) for year, index in self.years if not blank(cells[index])]
        if not filled:
            self.error(
                number, self.columns["namn"], "beslutet om eget kapital saknar belopp; skriv det under året det gäller."
            )
        for _, index in filled[1:]:
            self.error(
                number,
                index,
                f"ett beslut om eget kapital har belopp i exakt en årskolumn, men har också "
                f"kolumn {letter(filled[0][1])}.",
            )
        if len(filled) == 1:
            year, index = filled[0]
            if year in amounts and amounts[year] <= 0:
                self.error(number, index, "beloppet som tas ur eget kapital måste vara större än 0.")
            if title and not note and len(title) > NOTE_MAX:
                self.error(number, self.columns["namn"], f"beslutstexten är för lång (högst {NOTE_MAX} tecken).")
            if year in amounts and title is not None and note is not None:
                self.equity_uses.append({"year": year, "amount": amounts[year], "decision": note or title})
