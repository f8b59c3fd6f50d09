"""Scenarios: what-if changes to a baseline, as pure functions that never touch the baseline.

One :class:`Scenario` object serves the TOML files in ``core/resources/scenarios/``, the dashboard's session state
and the share links. :func:`apply_scenario` is strict (any problem is an error naming the entry);
:func:`sanitize_scenario` drops what does not fit and says what it dropped (for stale links).
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.model.budget import (
    COMMON_ACTIVITY,
    MEMBER_KINDS,
    Budget,
    Category,
    CostKey,
    CostLine,
    EquityUse,
    FreeText,
    Kronor,
    LineName,
    Member,
    MemberKind,
    NonNegativeKronor,
    RevenueLine,
    Weight,
    Year,
    activity_key,
)
from core.model.errors import ScenarioError, validation_messages
from core.model.kinds import STATUTORY_SPLIT, fees_follow_costs, kind_of
from core.model.money import apply_percent, split_largest_remainder

Percent = Annotated[Decimal, Field(ge=-100, le=1000, max_digits=9, decimal_places=4)]
STATUTORY_WEIGHTS: dict[MemberKind, int] = STATUTORY_SPLIT  # kept for callers; the split lives in core.model.kinds


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LineChange(_Model):
    """Change one line in some plan years: by percent, by kronor (delta) or to an amount."""

    line: LineName
    years: list[Year] | None = None  # None: every plan year
    percent: Percent | None = None
    delta: Kronor | None = None
    amount: NonNegativeKronor | None = None

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> LineChange:
        given = [k for k in ("percent", "delta", "amount") if getattr(self, k) is not None]
        if len(given) != 1:
            found = ", ".join(given) if given else "ingen"
            raise ValueError(f"ange exakt en av percent, delta eller amount (fick {found})")
        return self


class NewLine(_Model):
    name: LineName
    category: Category | None = None
    amounts: dict[Year, NonNegativeKronor]
    note: FreeText | None = None
    activity: LineName | None = None  # None: Gemensamt


class KeyChange(_Model):
    """``[[key_change]]``: the activity uses another of its stored keys in these plan years."""

    activity: LineName
    key: LineName
    years: list[Year] | None = None  # None: every plan year


class WeightChange(_Model):
    """``[[weight]]``: one member's weight in the key the activity uses (0 = it leaves; > 0 = it joins)."""

    activity: LineName
    member: LineName
    years: list[Year] | None = None  # None: every plan year
    weight: Weight


class ContributionChange(_Model):
    """A change in total member contributions per year, split 50/25/25 and by the municipal key."""

    percent: dict[Year, Percent] = Field(default_factory=dict)
    delta: dict[Year, Kronor] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_change_per_year(self) -> ContributionChange:
        both = sorted(set(self.percent) & set(self.delta))
        if both:
            raise ValueError(f"år {both} har både percent och delta; ange en av dem")
        return self

    @property
    def is_empty(self) -> bool:
        return not any(self.percent.values()) and not any(self.delta.values())


class Scenario(_Model):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True)

    name: LineName = "Nytt scenario"
    description: FreeText = ""
    remove: list[LineName] = Field(default_factory=list)
    locked: list[LineName] = Field(default_factory=list)
    interest_rate: Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=4)] | None = None
    change: list[LineChange] = Field(default_factory=list)
    new_line: list[NewLine] = Field(default_factory=list)
    contributions: ContributionChange | None = None
    use_equity: list[EquityUse] = Field(default_factory=list)
    key_changes: list[KeyChange] = Field(default_factory=list, alias="key_change")
    weights: list[WeightChange] = Field(default_factory=list, alias="weight")

    @property
    def is_empty(self) -> bool:
        return not (
            self.remove
            or self.change
            or self.new_line
            or self.key_changes
            or self.weights
            or self.use_equity
            or self.interest_rate is not None
            or (self.contributions is not None and not self.contributions.is_empty)
        )


def same_scenario(a: Scenario, b: Scenario) -> bool:
    """Equal content. Compares data, not classes: a scenario kept in a session from before a module
    reload is an instance of the old class, and pydantic's ``==`` would call it different."""
    return a.model_dump() == b.model_dump()


class ScenarioProblem(_Model):
    entry: str  # e.g. "change", "remove"
    index: int | None  # position in the entry's list, None for single-valued entries
    message: str

    def describe(self, source: str) -> str:
        where = {
            "change": "[[change]]",
            "new_line": "[[new_line]]",
            "use_equity": "[[use_equity]]",
            "contributions": "[contributions]",
            "remove": "remove",
            "key_changes": "[[key_change]]",
            "weights": "[[weight]]",
        }.get(self.entry, self.entry)
        position = f" nr {self.index + 1}" if self.index is not None else ""
        return f"{source}: {where}{position}: {self.message}"


# Reading and writing ---------------------------------------------------------------------------
def parse_scenario(data: dict[str, Any], source: str = "scenario") -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_messages(exc, where=source)) from None


def parse_scenario_toml(text: str, source: str = "scenario.toml") -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: filen är inte giltig TOML ({exc}).") from None
    return parse_scenario(data, source)


def load_scenario_file(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: filen finns inte.") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ScenarioError(f"{path.name}: filen kan inte läsas som UTF-8-text ({exc.__class__.__name__}).") from None
    return parse_scenario_toml(text, path.name)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in the TOML file's shape, with empty parts left out."""
    data = scenario.model_dump(exclude_none=True, by_alias=True)
    if scenario.contributions is not None:
        data["contributions"] = {k: v for k, v in data["contributions"].items() if v}
    data = {k: v for k, v in data.items() if v not in ([], {}, "") or k == "name"}
    return _plain(data)


def scenario_to_toml(scenario: Scenario) -> str:
    return tomli_w.dumps(scenario_to_dict(scenario))


# Validation against a budget -------------------------------------------------------------------
def _line_names(budget: Budget) -> set[str]:
    return {c.name.casefold() for c in budget.costs} | {r.name.casefold() for r in budget.revenues}


def find_problems(budget: Budget, scenario: Scenario) -> list[ScenarioProblem]:
    """Everything in ``scenario`` that does not fit ``budget``, entry by entry."""
    problems: list[ScenarioProblem] = []
    plan = set(budget.plan_years)
    plan_text = f"{min(plan)}–{max(plan)}" if len(plan) > 1 else str(min(plan))
    costs = {c.name.casefold(): c for c in budget.costs}
    removed = {n.casefold() for n in scenario.remove}
    locked = {n.casefold() for n in scenario.locked} | {c.name.casefold() for c in budget.costs if c.locked}

    def outside(years: Any) -> list[int]:
        return sorted(y for y in years if y not in plan)

    for i, name in enumerate(scenario.remove):
        if name.casefold() not in costs:
            problems.append(ScenarioProblem(entry="remove", index=i, message=f"okänd kostnadsrad {name!r}"))
        elif name.casefold() in locked:
            problems.append(ScenarioProblem(entry="remove", index=i, message=f"raden {name!r} är låst"))
    known = _line_names(budget) - removed
    fees = fees_follow_costs(budget)
    for i, new in enumerate(scenario.new_line):
        if new.activity is not None and fees and budget.activity_name(new.activity) is None:
            problems.append(ScenarioProblem(entry="new_line", index=i, message=f"okänd verksamhet {new.activity!r}"))
        if new.name.casefold() in known:
            problems.append(
                ScenarioProblem(entry="new_line", index=i, message=f"raden {new.name!r} finns redan i budgeten")
            )
        if bad := outside(new.amounts):
            problems.append(
                ScenarioProblem(entry="new_line", index=i, message=f"år {bad} ligger utanför planåren {plan_text}")
            )
        known.add(new.name.casefold())
    for i, change in enumerate(scenario.change):
        name = change.line.casefold()
        if name in removed:
            message = f"raden {change.line!r} tas bort i samma scenario"
        elif name not in known:
            message = f"okänd rad {change.line!r}"
        elif name in locked:
            message = f"raden {change.line!r} är låst och kan inte ändras"
        elif change.years is not None and (bad := outside(change.years)):
            message = f"år {bad} ligger utanför planåren {plan_text}"
        elif change.years == []:
            message = "inga år angivna"
        else:
            continue
        problems.append(ScenarioProblem(entry="change", index=i, message=message))
    problems += _key_problems(budget, scenario, outside, plan_text)
    if scenario.contributions is not None and fees:
        problems.append(
            ScenarioProblem(
                entry="contributions",
                index=None,
                message=(
                    "förbundet finansieras med avgifter som följer verksamheternas nettokostnader; ändra "
                    "kostnader, intäkter, nycklar eller vikter i stället för medlemsavgifterna"
                ),
            )
        )
    elif scenario.contributions is not None:
        if bad := outside(set(scenario.contributions.percent) | set(scenario.contributions.delta)):
            problems.append(
                ScenarioProblem(entry="contributions", index=None, message=f"år {bad} ligger utanför planåren")
            )
        elif not budget.members:
            problems.append(ScenarioProblem(entry="contributions", index=None, message="budgeten har inga medlemmar"))
    for i, use in enumerate(scenario.use_equity):
        if use.year not in plan:
            problems.append(
                ScenarioProblem(entry="use_equity", index=i, message=f"år {use.year} ligger utanför planåren")
            )
    return problems


def _key_problems(budget: Budget, scenario: Scenario, outside: Any, plan_text: str) -> list[ScenarioProblem]:
    """``[[key_change]]`` and ``[[weight]]``: a known activity, one of its keys, a member, plan years."""
    problems: list[ScenarioProblem] = []
    members = {m.name.casefold() for m in budget.members}
    entries: list[tuple[str, int, KeyChange | WeightChange]] = [
        *(("key_changes", i, k) for i, k in enumerate(scenario.key_changes)),
        *(("weights", i, w) for i, w in enumerate(scenario.weights)),
    ]
    for entry, i, item in entries:
        activity = budget.activity_name(item.activity)
        keys = budget.keys_of(item.activity) if activity is not None else []
        if activity is None or not keys:
            message = f"okänd verksamhet {item.activity!r}" if activity is None else f"{activity} har ingen nyckel"
        elif isinstance(item, KeyChange) and all(k.name.casefold() != item.key.casefold() for k in keys):
            names = ", ".join(k.name for k in keys)
            message = f"okänd nyckel {item.key!r} för {activity} (nycklar: {names})"
        elif isinstance(item, WeightChange) and item.member.casefold() not in members:
            message = f"okänd medlem {item.member!r}"
        elif item.years is not None and (bad := outside(item.years)):
            message = f"år {bad} ligger utanför planåren {plan_text}"
        elif item.years == []:
            message = "inga år angivna"
        else:
            continue
        problems.append(ScenarioProblem(entry=entry, index=i, message=message))
    if not problems and scenario.weights:
        weighted = budget.model_copy(update=_apply_keys(budget, scenario))
        for activity, year in weighted.unfinanced():
            index = next(
                (
                    i
                    for i, w in reversed(list(enumerate(scenario.weights)))
                    if activity_key(w.activity) == activity_key(activity)
                ),
                None,
            )
            if index is not None:
                message = f"ingen medlem har vikt i nyckeln för {activity} {year}, men verksamheten har en nettokostnad"
                problems.append(ScenarioProblem(entry="weights", index=index, message=message))
    return problems


def sanitize_scenario(budget: Budget, scenario: Scenario) -> tuple[Scenario, list[ScenarioProblem]]:
    """Drop the entries that do not fit ``budget``; return what is left and what was dropped."""
    problems = find_problems(budget, scenario)
    if not problems:
        return scenario, []
    bad = {(p.entry, p.index) for p in problems}

    def keep(entry: str, items: list[Any]) -> list[Any]:
        return [item for i, item in enumerate(items) if (entry, i) not in bad]

    cleaned = scenario.model_copy(
        update={
            "remove": keep("remove", scenario.remove),
            "new_line": keep("new_line", scenario.new_line),
            "use_equity": keep("use_equity", scenario.use_equity),
            "contributions": None if ("contributions", None) in bad else scenario.contributions,
            "key_changes": keep("key_changes", scenario.key_changes),
            "weights": keep("weights", scenario.weights),
        }
    )
    # A change may only have become invalid because of what was dropped above: check again.
    cleaned = cleaned.model_copy(update={"change": keep("change", scenario.change)})
    remaining = find_problems(budget, cleaned)
    if remaining:
        more, again = sanitize_scenario(budget, cleaned)
        return more, problems + again
    return cleaned, problems


# Applying ----------------------------------------------------------------------------------------
def redistribute_contributions(budget: Budget, members: list[Member], year: int, total: int) -> dict[str, int]:
    """Split a new total over the members: by the kind's statutory split between state, region and
    municipalities (50/25/25 in a samordningsförbund), then by the stored key among municipalities and in
    proportion to their current amounts within the state and region groups; without a statutory split,
    by the key (or current amounts) over all members. The parts add up exactly."""
    keys = budget.municipal_keys()
    split = kind_of(budget).statutory_split
    if not split:
        weights = [keys.get(m.name, Decimal(m.contributions[year])) for m in members]
        return dict(zip([m.name for m in members], split_largest_remainder(total, weights), strict=True))
    groups: dict[MemberKind, list[Member]] = {k: [m for m in members if m.kind == k] for k in MEMBER_KINDS}
    present = [k for k in MEMBER_KINDS if groups[k]]
    shares = split_largest_remainder(total, [split[k] for k in present])
    group_totals = dict(zip(present, shares, strict=True))
    amounts: dict[str, int] = {}
    for kind in present:
        group = groups[kind]
        if kind == "kommun":
            weights: list[Any] = [keys[m.name] for m in group]
        else:
            weights = [m.contributions[year] for m in group]
        parts = split_largest_remainder(group_totals[kind], weights)
        amounts.update(zip([m.name for m in group], parts, strict=True))
    return amounts


def _apply_keys(budget: Budget, scenario: Scenario) -> dict[str, Any]:
    """Key changes and weights as an update of the budget: which key each activity uses per year, and the
    weights of the keys in use (after any key change), in file order."""
    plan = budget.plan_years
    overrides = {activity: dict(years) for activity, years in budget.key_overrides.items()}
    for change in scenario.key_changes:
        folded = activity_key(change.activity)
        key = next(k for k in budget.keys_of(change.activity) if k.name.casefold() == change.key.casefold())
        for year in change.years if change.years is not None else plan:
            overrides.setdefault(folded, {})[year] = key.name
    chosen = budget.model_copy(update={"key_overrides": overrides})
    keys: list[CostKey] = list(budget.keys)
    names = {m.name.casefold(): m.name for m in budget.members}
    for change in scenario.weights:
        member = names[change.member.casefold()]
        for year in change.years if change.years is not None else plan:
            in_use = chosen.key_for(change.activity, year)
            assert in_use is not None  # find_problems: the activity has a key
            index = next(i for i, k in enumerate(keys) if k.activity == in_use.activity and k.name == in_use.name)
            weights = {m: dict(w) for m, w in keys[index].weights.items()}
            weights.setdefault(member, {})[year] = change.weight
            keys[index] = keys[index].model_copy(update={"weights": weights})
    return {"key_overrides": overrides, "keys": keys}


def _unfinanced_problems(budget: Budget, scenario: Scenario, source: str) -> list[str]:
    """After the scenario, every activity with a net cost in a plan year still needs a member to pay it."""
    messages = []
    for activity, year in budget.unfinanced():
        entry = next(
            (
                ("weights", i)
                for i, w in reversed(list(enumerate(scenario.weights)))
                if activity_key(w.activity) == activity_key(activity)
            ),
            ("scenario", None),
        )
        messages.append(
            ScenarioProblem(
                entry=entry[0],
                index=entry[1],
                message=(
                    f"ingen medlem har vikt i nyckeln för {activity or COMMON_ACTIVITY} {year}, men verksamheten "
                    "har en nettokostnad som någon måste betala"
                ),
            ).describe(source)
        )
    return messages


def _changed_amount(old: int, change: LineChange) -> int:
    if change.percent is not None:
        return apply_percent(old, change.percent)
    if change.delta is not None:
        return old + change.delta
    assert change.amount is not None
    return change.amount


def _changed_contributions(budget: Budget, scenario: Scenario, source: str) -> list[Member]:
    """The members with ``[contributions]`` applied: each plan year's new total split as the kind says."""
    members = list(budget.members)
    if scenario.contributions is None or scenario.contributions.is_empty:
        return members
    for year in budget.plan_years:
        total = sum(m.contributions[year] for m in members)
        if year in scenario.contributions.percent:
            new_total = apply_percent(total, scenario.contributions.percent[year])
        elif year in scenario.contributions.delta:
            new_total = total + scenario.contributions.delta[year]
        else:
            continue
        if new_total < 0:
            raise ScenarioError(f"{source}: [contributions]: medlemsavgifterna blir negativa {year}")
        split = redistribute_contributions(budget, members, year, new_total)
        members = [m.model_copy(update={"contributions": {**m.contributions, year: split[m.name]}}) for m in members]
    return members


def apply_scenario(budget: Budget, scenario: Scenario, *, source: str = "scenario") -> Budget:
    """The budget as the scenario would make it. Never mutates ``budget``.

    Order: remove lines, add new lines, change lines (in file order), contributions, interest
    rate, decided uses of equity, key changes, weights (on the key in use after the key changes).
    Raises :class:`ScenarioError` naming every entry that does not fit.
    """
    problems = find_problems(budget, scenario)
    if problems:
        raise ScenarioError([p.describe(source) for p in problems])
    if scenario.is_empty and not scenario.locked:
        return budget
    plan = budget.plan_years
    removed = {n.casefold() for n in scenario.remove}
    locked = {n.casefold() for n in scenario.locked}
    costs: list[CostLine] = [
        c.model_copy(update={"locked": True}) if c.name.casefold() in locked and not c.locked else c
        for c in budget.costs
    ]
    costs = [
        c.model_copy(update={"amounts": {y: (0 if y in plan else a) for y, a in c.amounts.items()}})
        if c.name.casefold() in removed
        else c
        for c in costs
    ]
    for new in scenario.new_line:
        amounts = {y: new.amounts.get(y, 0) if y in plan else 0 for y in budget.year_numbers}
        activity = budget.activity_name(new.activity) or new.activity if new.activity is not None else None
        costs.append(CostLine(name=new.name, category=new.category, amounts=amounts, note=new.note, activity=activity))
    revenues: list[RevenueLine] = list(budget.revenues)
    errors: list[str] = []
    for i, change in enumerate(scenario.change):
        years = change.years if change.years is not None else plan
        name = change.line.casefold()
        cost_index = next((j for j, c in enumerate(costs) if c.name.casefold() == name), None)
        if cost_index is not None:
            line = costs[cost_index]
            amounts = dict(line.amounts)
            for year in years:
                amounts[year] = _changed_amount(amounts[year], change)
                if amounts[year] < 0:
                    errors.append(
                        ScenarioProblem(
                            entry="change", index=i, message=f"kostnaden för {line.name!r} blir negativ {year}"
                        ).describe(source)
                    )
            costs[cost_index] = line.model_copy(update={"amounts": amounts})
        else:
            rev_index = next(j for j, r in enumerate(revenues) if r.name.casefold() == name)
            line_r = revenues[rev_index]
            amounts = dict(line_r.amounts)
            for year in years:
                amounts[year] = _changed_amount(amounts[year], change)
            revenues[rev_index] = line_r.model_copy(update={"amounts": amounts})
    if errors:
        raise ScenarioError(errors)
    members = _changed_contributions(budget, scenario, source)
    update: dict[str, Any] = {
        "costs": costs,
        "revenues": revenues,
        "members": members,
        "equity_uses": [*budget.equity_uses, *scenario.use_equity],
    }
    if scenario.interest_rate is not None:
        update["interest_rate_pct"] = scenario.interest_rate
    if scenario.key_changes or scenario.weights:
        update.update(_apply_keys(budget, scenario))
    applied = budget.model_copy(update=update)
    if errors := _unfinanced_problems(applied, scenario, source):
        raise ScenarioError(errors)
    return applied
