"""What differs between two computed budgets, line by line and year by year.

The effects add up exactly: the sum of every line's effect on equity equals the difference in
equity at the end of the last year, so a waterfall built from them always closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from core.engine.compute import BudgetResult

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


# Side by side ------------------------------------------------------------------------------------
# Tables for the comparison page: whole kronor as int, labels in Swedish, formatting left to the page.

MEASURES: tuple[tuple[str, str], ...] = (
    ("revenue", "Intäkter"),
    ("costs", "Kostnader"),
    ("result", "Resultat"),
    ("equity_end", "Eget kapital"),
)
YEAR_COLUMN, MEASURE_COLUMN = "År", "Post"
LINE_KIND_COLUMN, LINE_COLUMN, EFFECT_COLUMN = "Post", "Rad", "Effekt på eget kapital"


def unique_labels(labels: Sequence[str]) -> list[str]:
    """The labels, with ``(2)``, ``(3)`` … added where one repeats, so each can name a column."""
    used: set[str] = set()
    unique = []
    for label in labels:
        candidate, count = label, 1
        while candidate in used:
            count += 1
            candidate = f"{label} ({count})"
        used.add(candidate)
        unique.append(candidate)
    return unique


def difference_column(label: str) -> str:
    return f"Skillnad {label}"


def comparison_table(series: Sequence[tuple[str, BudgetResult]]) -> pd.DataFrame:
    """Per year and measure (revenue, costs, result, equity at year end) one column per scenario, each
    after the first followed by its difference against the first (scenario − first), in whole kronor.

    Rows go year by year, the four measures within each year. Repeated labels get ``(2)`` etc.
    """
    if not series:
        raise ValueError("comparison_table needs at least one scenario")
    labels = unique_labels([label for label, _ in series])
    results = [result for _, result in series]
    first = results[0]
    rows = []
    for year in first.years:
        for attribute, measure in MEASURES:
            reference = getattr(first[year], attribute)
            row: dict[str, object] = {YEAR_COLUMN: year, MEASURE_COLUMN: measure, labels[0]: reference}
            for label, result in zip(labels[1:], results[1:], strict=True):
                value = getattr(result[year], attribute)
                row[label] = value
                row[difference_column(label)] = value - reference
            rows.append(row)
    frame = pd.DataFrame(rows)
    amount_columns = [c for c in frame.columns if c not in (YEAR_COLUMN, MEASURE_COLUMN)]
    return frame.astype({YEAR_COLUMN: "int64", **dict.fromkeys(amount_columns, "int64")})


def line_delta_table(base: BudgetResult, scenario: BudgetResult) -> pd.DataFrame:
    """Every line that differs: kind, name, the difference per year (scenario − base, kronor) and the
    effect on equity at the end of the last year (costs count negative), largest effect first."""
    deltas = line_deltas(base, scenario)
    years = list(base.years)
    rows = [
        {
            LINE_KIND_COLUMN: POST_LABELS[d.post],
            LINE_COLUMN: d.name,
            **{str(year): d.deltas[year] for year in years},
            EFFECT_COLUMN: d.effect_on_equity,
        }
        for d in sorted(deltas, key=lambda d: -abs(d.effect_on_equity))
    ]
    columns = [LINE_KIND_COLUMN, LINE_COLUMN, *(str(y) for y in years), EFFECT_COLUMN]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype(dict.fromkeys(columns[2:], "int64"))
