"""Edits to a scenario as the what-if pages make them: pure functions from scenario to scenario.

The pages keep one :class:`Scenario` in session state and replace it through these functions,
so what the sliders do is exactly what a TOML file with the same entries would do.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from core.engine.scenario import ContributionChange, LineChange, NewLine, Scenario
from core.model.budget import Budget

EditMode = Literal["procent", "belopp", "annan"]


class LineEdit(BaseModel):
    """How the scenario changes one line, in the terms the controls use."""

    model_config = ConfigDict(frozen=True)

    mode: EditMode = "procent"
    percent: Decimal = Decimal(0)
    years: tuple[int, ...] = ()
    amounts: dict[int, int] = {}
    removed: bool = False
    locked: bool = False

    @property
    def is_changed(self) -> bool:
        return self.removed or self.mode != "procent" or self.percent != 0


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def line_edit(budget: Budget, scenario: Scenario, line: str) -> LineEdit:
    plan = tuple(budget.plan_years)
    changes = [c for c in scenario.change if _same(c.line, line)]
    removed = any(_same(n, line) for n in scenario.remove)
    baseline_line = budget.cost_line(line)
    locked = any(_same(n, line) for n in scenario.locked) or bool(baseline_line and baseline_line.locked)
    if not changes:
        return LineEdit(years=plan, removed=removed, locked=locked)
    single = changes[0] if len(changes) == 1 else None
    if single is not None and single.percent is not None and single.percent == single.percent.to_integral_value():
        years = tuple(single.years) if single.years is not None else plan
        return LineEdit(percent=single.percent, years=years, removed=removed, locked=locked)
    if all(c.amount is not None for c in changes):
        amounts: dict[int, int] = {}
        for c in changes:
            for year in c.years if c.years is not None else plan:
                amounts[year] = c.amount  # type: ignore[assignment]
        return LineEdit(mode="belopp", amounts=amounts, years=plan, removed=removed, locked=locked)
    return LineEdit(mode="annan", years=plan, removed=removed, locked=locked)


def _without_changes(scenario: Scenario, line: str) -> list[LineChange]:
    return [c for c in scenario.change if not _same(c.line, line)]


def set_line_percent(budget: Budget, scenario: Scenario, line: str, percent: Decimal | int, years) -> Scenario:
    """Replace the line's changes by one percent change over ``years`` (all plan years → ``None``)."""
    changes = _without_changes(scenario, line)
    chosen = sorted(set(years))
    if percent != 0 and chosen:
        stored_years = None if chosen == budget.plan_years else chosen
        changes.append(LineChange(line=line, years=stored_years, percent=Decimal(str(percent))))
    return scenario.model_copy(update={"change": changes})


def set_line_amounts(budget: Budget, scenario: Scenario, line: str, amounts: dict[int, int]) -> Scenario:
    """Replace the line's changes by exact amounts, one entry per year that differs from the baseline."""
    changes = _without_changes(scenario, line)
    baseline = budget.cost_line(line)
    base_amounts = baseline.amounts if baseline else {}
    for year in sorted(amounts):
        if amounts[year] != base_amounts.get(year, 0):
            changes.append(LineChange(line=line, years=[year], amount=amounts[year]))
    return scenario.model_copy(update={"change": changes})


def reset_line(scenario: Scenario, line: str) -> Scenario:
    return scenario.model_copy(
        update={
            "change": _without_changes(scenario, line),
            "remove": [n for n in scenario.remove if not _same(n, line)],
        }
    )


def set_removed(scenario: Scenario, line: str, removed: bool) -> Scenario:
    names = [n for n in scenario.remove if not _same(n, line)]
    if removed:
        names.append(line)
    return scenario.model_copy(update={"remove": names, "change": _without_changes(scenario, line)})


def set_locked(scenario: Scenario, line: str, locked: bool) -> Scenario:
    """Locking a line drops its changes: a contracted line stays as in the baseline."""
    names = [n for n in scenario.locked if not _same(n, line)]
    if locked:
        names.append(line)
        scenario = reset_line(scenario, line)
    return scenario.model_copy(update={"locked": names})


def add_new_line(scenario: Scenario, new: NewLine) -> Scenario:
    others = [n for n in scenario.new_line if not _same(n.name, new.name)]
    return scenario.model_copy(update={"new_line": [*others, new]})


def remove_new_line(scenario: Scenario, name: str) -> Scenario:
    return scenario.model_copy(
        update={
            "new_line": [n for n in scenario.new_line if not _same(n.name, name)],
            "change": _without_changes(scenario, name),
        }
    )


def contribution_percent(scenario: Scenario, year: int) -> Decimal:
    if scenario.contributions is None:
        return Decimal(0)
    return scenario.contributions.percent.get(year, Decimal(0))


def set_contribution_percent(scenario: Scenario, year: int, percent: Decimal | int) -> Scenario:
    current = scenario.contributions or ContributionChange()
    percents = {y: p for y, p in current.percent.items() if y != year}
    deltas = {y: d for y, d in current.delta.items() if y != year}
    if percent != 0:
        percents[year] = Decimal(str(percent))
    change = ContributionChange(percent=percents, delta=deltas)
    return scenario.model_copy(update={"contributions": None if change.is_empty else change})


def set_interest_rate(scenario: Scenario, rate: Decimal | float | None) -> Scenario:
    value = None if rate is None else Decimal(str(rate))
    return scenario.model_copy(update={"interest_rate": value})


def changed_line_count(scenario: Scenario) -> int:
    """How many distinct things the scenario changes, for the sidebar's summary."""
    lines = {c.line.casefold() for c in scenario.change} | {n.casefold() for n in scenario.remove}
    lines |= {n.name.casefold() for n in scenario.new_line}
    extra = int(scenario.contributions is not None and not scenario.contributions.is_empty)
    extra += int(scenario.interest_rate is not None) + len(scenario.use_equity)
    return len(lines) + extra
