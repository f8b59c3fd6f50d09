"""The baseline's change history, derived from its append-only versions.

Every save of the baseline is a new version that is never changed afterwards, so the history
(who, when, what, old → new) is the difference between consecutive versions. Nothing can be
changed without showing up here.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.model.budget import Budget, CostLine, Member, RevenueLine
from core.model.money import format_kr, format_pct


class FieldChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    what: str  # e.g. "Kostnad SE-Höglandet, 2025"
    old: str
    new: str


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return format_kr(value)
    if isinstance(value, Decimal):
        return format_pct(value, 2)
    return str(value)


def _compare(what: str, old: Any, new: Any) -> list[FieldChange]:
    return [] if old == new else [FieldChange(what=what, old=_text(old), new=_text(new))]


def _lines_by_name(lines: Iterable[Any]) -> dict[str, Any]:
    return {line.name: line for line in lines}


def _amounts(line: Member | RevenueLine | CostLine) -> dict[int, int]:
    return line.contributions if isinstance(line, Member) else line.amounts


def _line_changes(label: str, old_lines: list, new_lines: list, fields: tuple[str, ...]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    old_by, new_by = _lines_by_name(old_lines), _lines_by_name(new_lines)
    for name in old_by.keys() - new_by.keys():
        total = sum(_amounts(old_by[name]).values())
        changes.append(FieldChange(what=f"{label} {name}", old=f"finns ({format_kr(total)} totalt)", new="borttagen"))
    for name in [n for n in new_by if n not in old_by]:
        total = sum(_amounts(new_by[name]).values())
        changes.append(FieldChange(what=f"{label} {name}", old="saknas", new=f"tillagd ({format_kr(total)} totalt)"))
    for name in [n for n in new_by if n in old_by]:
        before, after = old_by[name], new_by[name]
        for field in fields:
            changes += _compare(f"{label} {name}, {field}", getattr(before, field), getattr(after, field))
        old_amounts, new_amounts = _amounts(before), _amounts(after)
        for year in sorted(old_amounts.keys() | new_amounts.keys()):
            changes += _compare(f"{label} {name}, {year}", old_amounts.get(year), new_amounts.get(year))
    return changes


def diff_budgets(old: Budget, new: Budget) -> list[FieldChange]:
    """Every difference a person would want to see, in the budget table's order."""
    changes = _compare("Förbundets namn", old.name, new.name)
    changes += _compare(
        "År", ", ".join(f"{y.year} {y.kind}" for y in old.years), ", ".join(f"{y.year} {y.kind}" for y in new.years)
    )
    changes += _compare("Ingående eget kapital", old.opening_equity, new.opening_equity)
    changes += _line_changes("Medlem", old.members, new.members, ("kind", "key"))
    changes += _line_changes("Intäkt", old.revenues, new.revenues, ("kind",))
    changes += _line_changes("Kostnad", old.costs, new.costs, ("category", "note", "locked", "index"))

    def uses(budget: Budget) -> str:
        return "; ".join(f"{u.year}: {format_kr(u.amount)} ({u.decision})" for u in budget.equity_uses)

    changes += _compare("Beslut om eget kapital", uses(old), uses(new))
    for field, label in (
        ("equity_floor", "Golv för eget kapital"),
        ("equity_ceiling_pct", "Tak för eget kapital (procent av intäkterna)"),
        ("ceiling_source", "Källa för taket"),
    ):
        changes += _compare(label, getattr(old.settings, field), getattr(new.settings, field))
    return changes
