"""What a board paper is about (:class:`ReportInput`: baseline, scenario, date; every figure derived once),
its file names, and its tables as rows shared by the PDF and the workbook."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from core.analysis.compare import LineDelta, line_deltas
from core.analysis.tables import budget_table
from core.engine.compute import BudgetResult, compute
from core.engine.scenario import Scenario, apply_scenario
from core.model.budget import Budget
from core.model.errors import BudgetError
from core.rules.checks import Check, run_checks

DEFAULT_TITLE = "Förslag till styrelsen"


BASELINE_LABEL = "Basbudget"


LEVEL_WORDS = {"ok": "OK", "varning": "Varning", "fel": "Fel"}


ACCENT = "#1f4e79"


MUTED = "#595959"


RULE = "#a6a6a6"


HEADING_FILL = "#eef3f8"


LEVEL_COLOURS = {"ok": "#386a1f", "varning": "#9c5700", "fel": "#c00000"}


class ReportError(BudgetError):
    """A report that cannot be written (no output chosen, a file that cannot be saved)."""


@dataclass(frozen=True)
class ReportInput:
    """What a report is about. Everything else (figures, checks, differences) is derived, once."""

    baseline: Budget
    scenario: Scenario
    date: dt.date = field(default_factory=dt.date.today)
    author: str = ""
    title: str = DEFAULT_TITLE
    source: str = "scenario"  # names the scenario in error messages, e.g. the TOML file's name

    @cached_property
    def scenario_budget(self) -> Budget:
        """The baseline with the scenario applied; raises ScenarioError when the scenario does not fit."""
        return apply_scenario(self.baseline, self.scenario, source=self.source)

    @cached_property
    def base_result(self) -> BudgetResult:
        return compute(self.baseline)

    @cached_property
    def result(self) -> BudgetResult:
        if self.scenario_budget is self.baseline:
            return self.base_result
        return compute(self.scenario_budget)

    @cached_property
    def checks(self) -> list[Check]:
        return run_checks(self.scenario_budget, self.result)

    @cached_property
    def deltas(self) -> list[LineDelta]:
        return line_deltas(self.base_result, self.result)

    @property
    def has_changes(self) -> bool:
        """Whether the scenario changes anything that shows: a figure or a decision to use equity."""
        return bool(self.deltas) or self.scenario_budget.equity_uses != self.baseline.equity_uses

    @property
    def plan_years(self) -> list[int]:
        return self.baseline.plan_years

    @property
    def scenario_name(self) -> str:
        return self.scenario.name


def slugify(text: str, *, limit: int = 60) -> str:
    """``IT-spåret fortsätter 2026`` → ``it-sparet-fortsatter-2026``: safe in any file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "scenario"


@dataclass(frozen=True, slots=True)
class ReportFileNames:
    pdf: str
    xlsx: str
    csv: str


def file_names(report: ReportInput) -> ReportFileNames:
    """Swedish file names with the scenario and the date, e.g. ``forslag-till-styrelsen-<slug>-<datum>.pdf``."""
    stem = f"{slugify(report.scenario_name)}-{report.date.isoformat()}"
    return ReportFileNames(
        pdf=f"{slugify(report.title)}-{stem}.pdf",
        xlsx=f"budget-{stem}.xlsx",
        csv=f"budget-importformat-{stem}.csv",
    )


@dataclass(frozen=True, slots=True)
class TableRow:
    label: str
    kind: str  # rubrik, rad, summa, resultat
    values: list[int | None]


def table_rows(budget: Budget, result: BudgetResult) -> tuple[list[str], list[TableRow]]:
    """The verksamhetsplan table (:func:`core.tables.budget_table`) as column labels and plain rows."""
    table = budget_table(budget, result)
    columns = [str(c) for c in table.frame.columns[1:]]
    rows = []
    for record, kind in zip(table.frame.itertuples(index=False), table.kinds, strict=True):
        label, *values = record
        rows.append(TableRow(str(label), kind, [None if pd.isna(v) else int(v) for v in values]))
    return columns, rows


@dataclass(frozen=True, slots=True)
class ComparedRow:
    label: str
    kind: str
    base: list[int | None]
    scenario: list[int | None]

    @property
    def difference(self) -> list[int | None]:
        return [None if s is None or b is None else s - b for b, s in zip(self.base, self.scenario, strict=True)]


def compared_rows(report: ReportInput) -> tuple[list[str], list[ComparedRow]]:
    """The baseline's and the scenario's tables row by row (a new line is 0 in the baseline and vice versa)."""
    columns, scen_rows = table_rows(report.scenario_budget, report.result)
    _, base_rows = table_rows(report.baseline, report.base_result)

    def keyed(rows: list[TableRow]) -> dict[tuple, TableRow]:
        section, seen, found = 0, {}, {}
        for row in rows:
            section += row.kind == "rubrik"
            base_key = (section, row.kind, row.label)
            seen[base_key] = seen.get(base_key, 0) + 1
            found[(*base_key, seen[base_key])] = row
        return found

    scen, base = keyed(scen_rows), keyed(base_rows)
    order = list(scen)
    base_keys = list(base)
    for i, key in enumerate(base_keys):
        if key not in scen:
            position = order.index(base_keys[i - 1]) + 1 if i else 0
            order.insert(position, key)

    def values(rows: dict[tuple, TableRow], key: tuple, kind: str) -> list[int | None]:
        if key in rows:
            return rows[key].values
        return [None if kind == "rubrik" else 0] * len(columns)

    merged = []
    for key in order:
        row = scen.get(key) or base[key]
        merged.append(ComparedRow(row.label, row.kind, values(base, key, row.kind), values(scen, key, row.kind)))
    return columns, merged
