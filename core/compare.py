"""What differs between two computed budgets, line by line and year by year.

The effects add up exactly: the sum of every line's effect on equity equals the difference in
equity at the end of the last year, so a waterfall built from them always closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.engine import BudgetResult

Post = Literal["avgift", "intakt", "kostnad"]
POST_LABELS: dict[Post, str] = {"avgift": "Medlemsavgift", "intakt": "Intäkt", "kostnad": "Kostnad"}


@dataclass(frozen=True, slots=True)
class LineDelta:
    post: Post
    name: str
    deltas: dict[int, int]  # scenario − baseline, per year

    @property
    def effect_on_equity(self) -> int:
        """What the change does to equity at the end of the last year (costs count negative)."""
        total = sum(self.deltas.values())
        return -total if self.post == "kostnad" else total


def _deltas(base: dict[int, dict[str, int]], scen: dict[int, dict[str, int]], post: Post) -> list[LineDelta]:
    names: dict[str, None] = {}
    for year_lines in (*base.values(), *scen.values()):
        names.update(dict.fromkeys(year_lines))
    found = []
    for name in names:
        deltas = {year: scen[year].get(name, 0) - base[year].get(name, 0) for year in base}
        if any(deltas.values()):
            found.append(LineDelta(post=post, name=name, deltas=deltas))
    return found


def line_deltas(base: BudgetResult, scenario: BudgetResult) -> list[LineDelta]:
    """Every line whose amount differs in any year: contributions per member, revenue, costs."""
    years = list(base.years)
    by = {
        "avgift": lambda r, y: r[y].contributions_by_member,
        "intakt": lambda r, y: r[y].revenue_by_line,
        "kostnad": lambda r, y: r[y].costs_by_line,
    }
    found: list[LineDelta] = []
    for post, getter in by.items():
        found += _deltas({y: getter(base, y) for y in years}, {y: getter(scenario, y) for y in years}, post)
    return found


def waterfall_steps(base: BudgetResult, scenario: BudgetResult) -> list[tuple[str, int]]:
    """One step per changed line (member contributions together as one step), largest effect first."""
    deltas = line_deltas(base, scenario)
    contributions = sum(d.effect_on_equity for d in deltas if d.post == "avgift")
    steps = [(d.name, d.effect_on_equity) for d in deltas if d.post != "avgift" and d.effect_on_equity]
    if contributions:
        steps.append(("Medlemsavgifter", contributions))
    return sorted(steps, key=lambda s: -abs(s[1]))
