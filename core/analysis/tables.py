"""The budget table in the layout of the verksamhetsplan, as data for pages and reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from core.engine.compute import BudgetResult
from core.model.budget import Budget

RowKind = Literal["rubrik", "rad", "summa", "resultat"]
LABEL_COLUMN = "Post"


@dataclass(frozen=True, slots=True)
class BudgetTable:
    frame: pd.DataFrame  # label column + one integer column per year (None in heading rows)
    kinds: list[RowKind]


def year_label(year: int, kind: str) -> str:
    return f"{kind.capitalize()} {year}"


def budget_table(budget: Budget, result: BudgetResult) -> BudgetTable:
    """Intäkter by member and line, Summa intäkter, Kostnader by line, Summa kostnader, Resultat, Eget kapital."""
    years = list(result.years.values())
    columns = [year_label(y.year, y.kind) for y in years]
    rows: list[tuple[str, list[int | None], RowKind]] = []

    def add(label: str, values: list[int | None], kind: RowKind = "rad") -> None:
        rows.append((label, values, kind))

    add("Intäkter", [None] * len(years), "rubrik")
    for member in budget.members:
        add(member.name, [y.contributions_by_member[member.name] for y in years])
    revenue_names = list(dict.fromkeys(name for y in years for name in y.revenue_by_line))
    for name in revenue_names:
        add(name, [y.revenue_by_line.get(name, 0) for y in years])
    add("Summa intäkter", [y.revenue for y in years], "summa")
    add("Kostnader", [None] * len(years), "rubrik")
    for line in budget.costs:
        add(line.name, [y.costs_by_line[line.name] for y in years])
    add("Summa kostnader", [y.costs for y in years], "summa")
    add("Resultat", [y.result for y in years], "resultat")
    add("Eget kapital vid årets slut", [y.equity_end for y in years], "resultat")
    frame = pd.DataFrame(
        [[label, *values] for label, values, _ in rows],
        columns=[LABEL_COLUMN, *columns],
    )
    for column in columns:
        frame[column] = frame[column].astype("Int64")
    return BudgetTable(frame=frame, kinds=[kind for _, _, kind in rows])


def contributions_table(budget: Budget, base: BudgetResult, scenario: BudgetResult) -> pd.DataFrame:
    """Per member and plan year: baseline, scenario and the change, for the revenue page."""
    records = []
    for member in budget.members:
        record: dict[str, object] = {"Medlem": member.name, "Typ": member.kind}
        for year in budget.plan_years:
            before = base[year].contributions_by_member[member.name]
            after = scenario[year].contributions_by_member[member.name]
            record[f"{year}"] = after
            record[f"Ändring {year}"] = after - before
        records.append(record)
    return pd.DataFrame(records)
