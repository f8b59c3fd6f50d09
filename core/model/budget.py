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
# How the members finance the federation: fixed contributions, or fees that cover each activity's net cost.
Financing = Literal["fasta", "avgifter"]
FINANCING_MODES: tuple[Financing, ...] = ("fasta", "avgifter")
COMMON_ACTIVITY = "Gemensamt"  # lines without an activity belong to the common activity

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
Weight = Annotated[Decimal, Field(ge=0, lt=10**12, max_digits=18, decimal_places=6)]

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


def activity_key(activity: str | None) -> str:
    """An activity's identity: its name case-folded; ``None`` and ``Gemensamt`` are the common activity."""
    return (activity or COMMON_ACTIVITY).strip().casefold()


def _common_is_none(activity: str | None) -> str | None:
    """``Gemensamt`` written out is the same as no activity: stored as None."""
    return None if activity is None or activity_key(activity) == activity_key(None) else activity


class RevenueLine(_Model):
    """Revenue besides member contributions (Övriga intäkter, Ränta); ``activity`` None is Gemensamt."""

    name: LineName
    kind: RevenueKind = "ovrig"
    amounts: dict[Year, Kronor] = Field(default_factory=dict)
    activity: LineName | None = None

    @field_validator("activity")
    @classmethod
    def _common_activity(cls, activity: str | None) -> str | None:
        return _common_is_none(activity)


class CostLine(_Model):
    name: LineName
    category: Category | None = None
    amounts: dict[Year, NonNegativeKronor] = Field(default_factory=dict)
    note: FreeText | None = None
    locked: bool = False
    index: IndexKind | None = None
    activity: LineName | None = None  # None: the common activity, Gemensamt

    @field_validator("activity")
    @classmethod
    def _common_activity(cls, activity: str | None) -> str | None:
        return _common_is_none(activity)


class CostKey(_Model):
    """A named cost-sharing key of an activity: a non-negative weight per member name per year.

    A member without a weight (or with 0) in a year does not take part in the activity that year.
    """

    activity: LineName | None = None  # None: Gemensamt
    name: LineName
    weights: dict[str, dict[Year, Weight]] = Field(default_factory=dict)

    @field_validator("activity")
    @classmethod
    def _common_activity(cls, activity: str | None) -> str | None:
        return _common_is_none(activity)

    def weight(self, member: str, year: int) -> Decimal:
        return self.weights.get(member, {}).get(year, Decimal(0))


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
    financing: Financing = "fasta"
    keys: list[CostKey] = Field(default_factory=list)
    planned_result: dict[Year, Kronor] = Field(default_factory=dict)  # avgifter: financed through Gemensamt
    # Set by scenarios only ([[key_change]]): activity (case-folded) → year → the key it uses that year.
    key_overrides: dict[str, dict[Year, LineName]] = Field(default_factory=dict)

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
        if isinstance(data.get("planned_result", {}), dict):
            data["planned_result"] = {**dict.fromkeys(numbers, 0), **dict(data.get("planned_result") or {})}
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
        if extra := sorted(set(self.planned_result) - year_set):
            raise ValueError(f"planerat resultat har belopp för år utanför budgeten: {extra}")
        self._check_financing(year_set)
        return self

    def _check_financing(self, year_set: set[int]) -> None:
        """Fees, keys and planned results: only where they mean something, and complete where needed."""
        if self.financing == "avgifter" and self.is_samordningsforbund:
            raise ValueError(
                "ett förbund med staten som medlem (samordningsförbund) har fasta medlemsavgifter; "
                "finansiering med avgifter per verksamhet går inte"
            )
        spelling: dict[str, str] = {}
        for activity in [*(c.activity for c in self.costs), *(r.activity for r in self.revenues)]:
            if activity is not None and spelling.setdefault(activity_key(activity), activity) != activity:
                raise ValueError(f"verksamheten {activity!r} skrivs på två sätt ({spelling[activity_key(activity)]!r})")
        if self.financing == "fasta":
            if self.keys:
                raise ValueError("fördelningsnycklar per verksamhet gäller bara förbund med finansiering avgifter")
            if any(self.planned_result.values()):
                raise ValueError("planerat resultat gäller bara förbund med finansiering avgifter")
            return
        names = {m.name for m in self.members}
        seen: set[tuple[str, str]] = set()
        for key in self.keys:
            where = f"nyckeln {key.name!r} för {key.activity or COMMON_ACTIVITY}"
            ident = (activity_key(key.activity), key.name.casefold())
            if ident in seen:
                raise ValueError(f"{where} finns två gånger")
            seen.add(ident)
            if unknown := sorted(set(key.weights) - names):
                raise ValueError(f"{where} har vikter för okända medlemmar: {unknown}")
            for member, weights in key.weights.items():
                if extra := sorted(set(weights) - year_set):
                    raise ValueError(f"{where} har vikter för {member} för år utanför budgeten: {extra}")
        for activity, year in self.unfinanced():
            raise ValueError(
                f"verksamheten {activity} har en nettokostnad {year} men ingen fördelningsnyckel med "
                "vikt för någon medlem det året"
            )

    def unfinanced(self) -> list[tuple[str, int]]:
        """(activity, plan year) pairs with a net cost but no member to pay it (no key, or all weights 0)."""
        if self.financing != "avgifter":
            return []
        missing = []
        for activity in self.activities:
            for year in self.plan_years:
                if self.activity_net_cost(activity, year) == 0:
                    continue
                key = self.key_for(activity, year)
                if key is None or not any(key.weight(m.name, year) > 0 for m in self.members):
                    missing.append((activity, year))
        return missing

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

    @property
    def activities(self) -> list[str]:
        """The activities in budget order (first seen among costs, revenues, keys); Gemensamt first when it
        has lines, a key or a planned result."""
        found: dict[str, str] = {}
        common = any(v for v in self.planned_result.values())
        for activity in [
            *(c.activity for c in self.costs),
            *(r.activity for r in self.revenues),
            *(k.activity for k in self.keys),
        ]:
            if activity is None:
                common = True
            else:
                found.setdefault(activity_key(activity), activity)
        return ([COMMON_ACTIVITY] if common else []) + list(found.values())

    def activity_name(self, activity: str | None) -> str | None:
        """The activity as the budget spells it (``Gemensamt`` for the common one), or None if unknown."""
        folded = activity_key(activity)
        return next((a for a in self.activities if activity_key(a) == folded), None)

    def keys_of(self, activity: str | None) -> list[CostKey]:
        """The activity's keys in budget order; the first is the one it uses."""
        folded = activity_key(activity)
        return [k for k in self.keys if activity_key(k.activity) == folded]

    def key_in_use(self, activity: str | None, year: int | None = None) -> str | None:
        """The name of the key ``activity`` uses (in ``year``, when a scenario switched it for some years)."""
        key = self.key_for(activity, year)
        return key.name if key is not None else None

    def key_for(self, activity: str | None, year: int | None = None) -> CostKey | None:
        keys = self.keys_of(activity)
        chosen = self.key_overrides.get(activity_key(activity), {}).get(year) if year is not None else None
        if chosen is not None:
            return next((k for k in keys if k.name.casefold() == chosen.casefold()), None)
        return keys[0] if keys else None

    def with_key_choices_stored(self) -> Budget:
        """The budget with a scenario's key changes written into its keys, so files and the store can keep them.

        An activity that uses another key in every plan year gets that key first (fees in utfall and prognos
        years are the stated ones, so their weights do not matter). One that switches key in
        only some years gets a new first key, named after the keys it combines (e.g. ``invånare / användare
        (scenario)``), holding each year's weights from the key used that year: the fees stay the same.
        """
        if not self.key_overrides:
            return self
        keys = list(self.keys)
        for folded in self.key_overrides:
            used = {year: self.key_for(folded, year) for year in self.year_numbers}
            names = list(dict.fromkeys(k.name for y, k in used.items() if k is not None and y in self.plan_years))
            first = next(i for i, k in enumerate(keys) if activity_key(k.activity) == folded)
            if len(names) == 1:
                index = next(i for i, k in enumerate(keys) if activity_key(k.activity) == folded and k.name == names[0])
                keys.insert(first, keys.pop(index))
                continue
            weights: dict[str, dict[int, Decimal]] = {}
            for year, key in used.items():
                for member, by_year in (key.weights if key is not None else {}).items():
                    if year in by_year:
                        weights.setdefault(member, {})[year] = by_year[year]
            name = (" / ".join(names) + " (scenario)")[:120]
            keys.insert(first, CostKey(activity=keys[first].activity, name=name, weights=weights))
        return self.model_copy(update={"keys": keys, "key_overrides": {}})

    def activity_net_cost(self, activity: str | None, year: int, revenue_by_line: dict[str, int] | None = None) -> int:
        """Costs − revenue lines of the activity in ``year`` (+ the planned result, for Gemensamt).

        ``revenue_by_line`` gives the year's revenue as the engine computed it (interest may differ from
        the line); a revenue the engine added (interest without a line) belongs to Gemensamt.
        """
        folded = activity_key(activity)
        costs = sum(c.amounts[year] for c in self.costs if activity_key(c.activity) == folded)
        if revenue_by_line is None:
            revenue_by_line = {r.name: r.amounts[year] for r in self.revenues}
        activity_of = {r.name: r.activity for r in self.revenues}
        revenue = sum(a for n, a in revenue_by_line.items() if activity_key(activity_of.get(n)) == folded)
        planned = self.planned_result.get(year, 0) if folded == activity_key(None) else 0
        return costs - revenue + planned

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
