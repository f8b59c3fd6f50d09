"""The rows of a budget file that say how the members finance the federation.

``finansiering`` (fasta or avgifter), ``resultatmal`` (the planned result), ``fordelning``/``fördelning``
(one member's weights in a named key of an activity) and the ``verksamhet`` column. Mixed into the
reader (:mod:`core.files.budget_reader`); every problem names the row and column as Excel shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.files.cells import KEY_QUANTUM, NAME_MAX, Cell, blank, cell_text, parse_key, show
from core.model.budget import COMMON_ACTIVITY, FINANCING_MODES, activity_key
from core.model.money import format_kr

WEIGHT_POSTS = ("fordelning", "fördelning")


@dataclass
class WeightRow:
    number: int
    member: str | None
    key: str
    activity: str | None
    weights: dict[int, Decimal] = field(default_factory=dict)


class FeeRows:
    """Financing, planned result, keys and activities, read row by row and checked once all rows are read."""

    # Provided by the reader this is mixed into.
    columns: dict[str, int]
    years: list[tuple[int, int]]
    first_row: dict[object, int]
    kinds: list[str] | None
    members: list[dict]
    revenues: list[dict]
    costs: list[dict]

    def error(self, number: int, index: int, text: str) -> None:  # pragma: no cover - the reader's
        raise NotImplementedError

    def single(self, number: int, post: str) -> bool:  # pragma: no cover - the reader's
        raise NotImplementedError

    def amounts(self, number: int, cells: list[Cell]) -> dict[int, int]:  # pragma: no cover - the reader's
        raise NotImplementedError

    def text(self, number: int, cells: list[Cell], column: str) -> str | None:  # pragma: no cover
        raise NotImplementedError

    def init_fees(self) -> None:
        self.financing: str | None = None
        self.financing_row: int | None = None
        self.planned: dict[int, int] = {}
        self.weight_rows: list[WeightRow] = []
        self.spellings: dict[str, str] = {}  # folded activity → the spelling first seen
        self.activity_rows: dict[str, tuple[int, int]] = {}  # folded activity → (first row, its column)
        self.stated_years: list[tuple[int, set[int]]] = []  # avgift rows: (row, years with an amount)

    # Cells ----------------------------------------------------------------------------------
    def activity(self, number: int, cells: list[Cell]) -> str | None:
        """The row's activity (None: Gemensamt), spelled as it was first written in the file."""
        text = self.text(number, cells, "verksamhet")
        index = self.columns.get("verksamhet")
        if not text or index is None:
            self.activity_rows.setdefault(activity_key(None), (number, index or self.columns["namn"]))
            return None
        if len(text) > NAME_MAX:
            self.error(number, index, f"verksamhetens namn är för långt (högst {NAME_MAX} tecken).")
            return None
        folded = activity_key(text)
        if folded == activity_key(None):
            self.activity_rows.setdefault(folded, (number, index))
            return None
        self.activity_rows.setdefault(folded, (number, index))
        return self.spellings.setdefault(folded, text)

    def weight(self, number: int, index: int, value: Cell) -> Decimal | None:
        weight = parse_key(value)
        problem = None
        if weight is None:
            problem = f'"{show(cell_text(value))}" är inte ett tal; skriv vikten som t.ex. 17 500 eller 2,5.'
        elif weight < 0:
            problem = "vikten får inte vara negativ."
        elif weight >= 10**12:
            problem = "vikten är för stor."
        elif weight != weight.quantize(KEY_QUANTUM):
            problem = "vikten får ha högst sex decimaler."
        if problem:
            self.error(number, index, problem)
            return None
        return Decimal(format(weight.quantize(KEY_QUANTUM).normalize(), "f"))

    # Posts ----------------------------------------------------------------------------------
    def financing_post(self, number: int, cells: list[Cell]) -> None:
        if not self.single(number, "finansiering"):
            return
        self.financing_row = number
        text = (self.text(number, cells, "namn") or "").casefold()
        if text not in FINANCING_MODES:
            shown = f'"{show(text)}" är inget finansieringssätt' if text else "finansieringssätt saknas"
            self.error(number, self.columns["namn"], f"{shown}; ange fasta eller avgifter.")
            return
        self.financing = text

    def planned_result_post(self, number: int, cells: list[Cell]) -> None:
        if self.single(number, "resultatmal"):
            self.planned = self.amounts(number, cells)
            self.activity_rows.setdefault(activity_key(None), (number, self.columns["namn"]))

    def weight_post(self, number: int, cells: list[Cell]) -> None:
        member = self.text(number, cells, "namn")
        if not member:
            if member is not None:
                self.error(number, self.columns["namn"], "medlem saknas; skriv medlemmens namn som på avgift-raden.")
            member = None
        key = self.text(number, cells, "kategori")
        if not key:
            if key is not None:
                self.error(number, self.columns["kategori"], "nyckelns namn saknas, t.ex. invånare eller användare.")
            key = ""
        elif len(key) > NAME_MAX:
            self.error(number, self.columns["kategori"], f"nyckelns namn är för långt (högst {NAME_MAX} tecken).")
        row = WeightRow(number=number, member=member, key=key, activity=self.activity(number, cells))
        for year, index in self.years:
            if not blank(cells[index]):
                weight = self.weight(number, index, cells[index])
                if weight is not None:
                    row.weights[year] = weight
        self.weight_rows.append(row)

    # Once all rows are read -------------------------------------------------------------------
    def fee_data(self) -> dict:
        """Check what needs the whole file; the budget's financing, keys and planned result."""
        financing = self.financing or "fasta"
        if financing == "fasta":
            self.fixed_only()
            return {}
        if any(m["kind"] == "stat" for m in self.members) and self.financing_row is not None:
            self.error(
                self.financing_row,
                self.columns["namn"],
                "ett förbund med staten som medlem (samordningsförbund) har fasta medlemsavgifter; ange fasta.",
            )
        self.history_fees_stated()
        keys = self.keys()
        self.financed(keys)
        return {"financing": financing, "keys": list(keys.values()), "planned_result": self.planned}

    def fixed_only(self) -> None:
        for row in self.weight_rows:
            self.error(
                row.number,
                self.columns["post"],
                "fordelning-rader gäller bara förbund med finansiering avgifter (lägg till raden "
                "finansiering;avgifter). I ett förbund med fasta avgifter står kommunernas nyckel i kolumnen nyckel.",
            )
        if any(self.planned.values()):
            self.error(
                self.first_row["resultatmal"],
                self.columns["post"],
                "planerat resultat (resultatmal) gäller bara förbund med finansiering avgifter.",
            )

    def history_fees_stated(self) -> None:
        """Avgifter: the fees of utfall and prognos years are history and must be in the file."""
        kinds = self.kinds or ["plan"] * len(self.years)
        for number, stated in self.stated_years:
            for (year, index), kind in zip(self.years, kinds, strict=True):
                if kind != "plan" and year not in stated:
                    self.error(number, index, f"avgiften för {year} ({kind}) saknas; skriv den avgift som gällde.")

    def keys(self) -> dict[tuple[str, str], dict]:
        """The keys in the order they first appear, with each weight row's member resolved."""
        names = {m["name"].casefold(): m["name"] for m in self.members if m["name"]}
        keys: dict[tuple[str, str], dict] = {}
        seen: dict[tuple[str, str, str], int] = {}
        for row in self.weight_rows:
            if row.member is None or not row.key:
                continue
            member = names.get(row.member.casefold())
            if member is None:
                self.error(
                    row.number,
                    self.columns["namn"],
                    f'"{show(row.member)}" är ingen medlem; varje medlem ska ha en avgift-rad med samma namn.',
                )
                continue
            ident = (activity_key(row.activity), row.key.casefold())
            first = seen.setdefault((*ident, member.casefold()), row.number)
            if first != row.number:
                where = row.activity or COMMON_ACTIVITY
                self.error(
                    row.number,
                    self.columns["namn"],
                    f"{member} har redan vikter i nyckeln {row.key} för {where} på rad {first}.",
                )
                continue
            key = keys.setdefault(ident, {"activity": row.activity, "name": row.key, "weights": {}})
            key["weights"][member] = row.weights
        return keys

    def financed(self, keys: dict[tuple[str, str], dict]) -> None:
        """Every activity with a net cost in a plan year needs a key with weight for some member that year."""
        kinds = self.kinds or ["plan"] * len(self.years)
        first_key: dict[str, dict] = {}
        for (folded, _), key in keys.items():
            first_key.setdefault(folded, key)
        for folded, (number, _) in self.activity_rows.items():
            name = self.spellings.get(folded, COMMON_ACTIVITY)
            for (year, column), kind in zip(self.years, kinds, strict=True):
                net = self.net_cost(folded, year)
                key = first_key.get(folded)
                paid = key is not None and any(w.get(year, 0) > 0 for w in key["weights"].values())
                if kind == "plan" and net != 0 and not paid:
                    self.error(
                        number,
                        column,
                        f"verksamheten {name} har en nettokostnad {year} ({format_kr(net)}) men ingen "
                        "fördelningsnyckel med vikt för någon medlem det året; lägg till fordelning-rader.",
                    )

    def net_cost(self, folded: str, year: int) -> int:
        costs = sum(c["amounts"].get(year, 0) for c in self.costs if activity_key(c.get("activity")) == folded)
        revenue = sum(r["amounts"].get(year, 0) for r in self.revenues if activity_key(r.get("activity")) == folded)
        planned = self.planned.get(year, 0) if folded == activity_key(None) else 0
        return costs - revenue + planned
