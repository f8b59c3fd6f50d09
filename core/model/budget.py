"""The budget as data: pydantic models used at every boundary (store, files, scenarios, UI).

Amounts are ``dict[year, int]`` in whole kronor. A :class:`Budget` is complete: every line has an
amount for every year (missing years are filled with 0 on validation), so the engine never has to
guess.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

YearKind = Literal["utfall", "prognos", "plan"]
MemberKind = Literal["stat", "region", "kommun"]
Category = Literal[
    "individinriktade insatser",
    "strukturövergripande insatser",
    "administration",
    "ny verksamhet",
]
RevenueKind = Literal["ranta", "ovrig"]
IndexKind = Literal["lön", "pris"]  # which yearly index a line follows when the plan is rolled forward

CATEGORIES: tuple[Category, ...] = (
    "individinriktade insatser",
    "strukturövergripande insatser",
    "administration",
    "ny verksamhet",
)
MEMBER_KINDS: tuple[MemberKind, ...] = ("stat", "region", "kommun")
YEAR_KINDS: tuple[YearKind, ...] = ("utfall", "prognos", "plan")
UNCATEGORISED = "utan kategori"

Kronor = Annotated[int, Field(strict=True)]
NonNegativeKronor = Annotated[int, Field(strict=True, ge=0)]
PositiveKronor = Annotated[int, Field(strict=True, gt=0)]
Year = Annotated[int, Field(ge=1900, le=2200)]
LineName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
FreeText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]

DEFAULT_CEILING_PCT = Decimal("20")
DEFAULT_CEILING_SOURCE = (
    "Standardvärde 20 % av årets intäkter. Ska stämmas av mot Nationella rådets aktuella "
    "rekommendation om eget kapital innan det används i beslut."
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BudgetYear(_Model):
    year: Year
    kind: YearKind


class Member(_Model):
    """A member of the federation and what it pays per year.

    ``key`` is the member's weight in the agreed split of the municipal quarter (any positive
    numbers: inhabitants, percent, or last year's amounts). Only municipalities have one.
    """

    name: LineName
    kind: MemberKind
    key: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)] | None = None
    contributions: dict[Year, NonNegativeKronor] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _key_only_for_municipalities(self) -> Member:
        if self.kind != "kommun" and self.key is not None:
            raise ValueError(f"{self.name}: bara kommuner har en fördelningsnyckel")
        return self


class RevenueLine(_Model):
    """Revenue besides member contributions (Övriga intäkter, Ränta)."""

    name: LineName
    kind: RevenueKind = "ovrig"
    amounts: dict[Year, Kronor] = Field(default_factory=dict)


class CostLine(_Model):
    name: LineName
    category: Category | None = None
    amounts: dict[Year, NonNegativeKronor] = Field(default_factory=dict)
    note: FreeText | None = None
    locked: bool = False
    index: IndexKind | None = None


class EquityUse(_Model):
    """A board decision to let a year's deficit be covered by equity."""

    year: Year
    amount: PositiveKronor
    decision: FreeText = ""


class RuleSettings(_Model):
    """Thresholds for the rule checks: data, editable, never hard-coded in the rules."""

    equity_floor: NonNegativeKronor = 0
    equity_ceiling_pct: Annotated[Decimal, Field(ge=0, le=1000, max_digits=7, decimal_places=3)] = DEFAULT_CEILING_PCT
    ceiling_source: FreeText = DEFAULT_CEILING_SOURCE
    key_tolerance: NonNegativeKronor = 1
    split_tolerance: NonNegativeKronor = 1


def default_equity_date(years: list[BudgetYear]) -> dt.date:
    return dt.date(years[0].year - 1, 12, 31) if years else dt.date(1999, 12, 31)


class Budget(_Model):
    """A federation's whole budget: the baseline every scenario starts from."""

    name: LineName
    years: list[BudgetYear]
    opening_equity: Kronor
    opening_equity_date: dt.date | None = None
    members: list[Member]
    revenues: list[RevenueLine] = Field(default_factory=list)
    costs: list[CostLine] = Field(default_factory=list)
    equity_uses: list[EquityUse] = Field(default_factory=list)
    settings: RuleSettings = Field(default_factory=RuleSettings)
    interest_rate_pct: Annotated[Decimal, Field(ge=0, le=100)] | None = None

    @field_validator("years")
    @classmethod
    def _years_consecutive(cls, years: list[BudgetYear]) -> list[BudgetYear]:
        if not years:
            raise ValueError("budgeten måste ha minst ett år")
        numbers = [y.year for y in years]
        if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            raise ValueError(f"åren måste följa på varandra utan luckor, fick {numbers}")
        order = [YEAR_KINDS.index(y.kind) for y in years]
        if order != sorted(order):
            raise ValueError("åren måste gå från utfall via prognos till plan")
        if "plan" not in {y.kind for y in years}:
            raise ValueError("budgeten måste ha minst ett planår")
        return years

    @model_validator(mode="before")
    @classmethod
    def _fill_missing_years(cls, data: object) -> object:
        """Lines may omit years with nothing in them; fill them with 0 so every line is complete."""
        if not isinstance(data, dict) or not isinstance(data.get("years"), list):
            return data
        try:
            numbers = [int(y["year"] if isinstance(y, dict) else y.year) for y in data["years"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            return data
        data = dict(data)
        for field, amount_key in (("members", "contributions"), ("revenues", "amounts"), ("costs", "amounts")):
            lines = data.get(field)
            if not isinstance(lines, list):
                continue
            filled = []
            for line in lines:
                if isinstance(line, BaseModel):
                    line = line.model_dump()
                if isinstance(line, dict) and isinstance(line.get(amount_key, {}), dict):
                    amounts = dict(line.get(amount_key, {}))
                    for year in numbers:
                        amounts.setdefault(year, 0)
                    line = {**line, amount_key: amounts}
                filled.append(line)
            data[field] = filled
        if data.get("opening_equity_date") is None:
            data["opening_equity_date"] = dt.date(numbers[0] - 1, 12, 31) if numbers else None
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Budget:
        year_set = set(self.year_numbers)
        for label, lines in (("medlem", self.members), ("intäkt", self.revenues), ("kostnad", self.costs)):
            seen: set[str] = set()
            for line in lines:
                key = line.name.casefold()
                if key in seen:
                    raise ValueError(f"{label} {line.name!r} finns två gånger")
                seen.add(key)
                amounts = line.contributions if isinstance(line, Member) else line.amounts
                extra = sorted(set(amounts) - year_set)
                if extra:
                    raise ValueError(f"{label} {line.name!r} har belopp för år utanför budgeten: {extra}")
        for use in self.equity_uses:
            if use.year not in year_set:
                raise ValueError(f"beslut om eget kapital gäller {use.year}, som inte finns i budgeten")
        if sum(1 for r in self.revenues if r.kind == "ranta") > 1:
            raise ValueError("budgeten kan bara ha en ränterad")
        return self

    # Derived views -------------------------------------------------------------------------
    @property
    def year_numbers(self) -> list[int]:
        return [y.year for y in self.years]

    @property
    def plan_years(self) -> list[int]:
        return [y.year for y in self.years if y.kind == "plan"]

    @property
    def is_samordningsforbund(self) -> bool:
        """A federation with a state member is a samordningsförbund under lag (2003:1210)."""
        return any(m.kind == "stat" for m in self.members)

    def year_kind(self, year: int) -> YearKind:
        for y in self.years:
            if y.year == year:
                return y.kind
        raise KeyError(year)

    def cost_line(self, name: str) -> CostLine | None:
        folded = name.strip().casefold()
        return next((c for c in self.costs if c.name.casefold() == folded), None)

    def revenue_line(self, name: str) -> RevenueLine | None:
        folded = name.strip().casefold()
        return next((r for r in self.revenues if r.name.casefold() == folded), None)

    def municipal_keys(self) -> dict[str, Decimal]:
        """The agreed key; where none is stored, the first plan year's amounts are the key."""
        first_plan = self.plan_years[0]
        return {
            m.name: (m.key if m.key is not None else Decimal(m.contributions.get(first_plan, 0)))
            for m in self.members
            if m.kind == "kommun"
        }
