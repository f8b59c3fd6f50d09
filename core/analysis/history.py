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

from core.model.budget import COMMON_ACTIVITY, Budget, CostLine, Member, RevenueLine, activity_key
from core.model.money import format_kr, format_number, format_pct

_FIELD_LABELS = {"activity": "verksamhet"}
_FINANCING_LABELS = {"fasta": "fasta medlemsavgifter", "avgifter": "avgifter per verksamhet"}


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
            old, new = getattr(before, field), getattr(after, field)
            if field == "activity":
                old, new = old or COMMON_ACTIVITY, new or COMMON_ACTIVITY
            changes += _compare(f"{label} {name}, {_FIELD_LABELS.get(field, field)}", old, new)
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
    changes += _compare("Finansiering", _FINANCING_LABELS[old.financing], _FINANCING_LABELS[new.financing])
    changes += _line_changes("Intäkt", old.revenues, new.revenues, ("kind", "activity"))
    changes += _line_changes("Kostnad", old.costs, new.costs, ("category", "note", "locked", "index", "activity"))
    changes += _key_changes(old, new)
    for year in sorted(old.planned_result.keys() | new.planned_result.keys()):
        changes += _compare(f"Planerat resultat, {year}", old.planned_result.get(year), new.planned_result.get(year))

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


def _weight_text(weight: Decimal | None) -> str:
    """A weight as Swedish text: ``17 500``, ``2,5``; – for none."""
    if weight is None:
        return "–"
    whole, _, fraction = format(weight.normalize(), "f").partition(".")
    return format_number(int(whole)) + ("," + fraction if fraction else "")


def _key_changes(old: Budget, new: Budget) -> list[FieldChange]:
    """Keys added or removed, the key each activity uses, and every changed weight per member and year."""
    changes: list[FieldChange] = []
    for activity in [*old.activities, *(a for a in new.activities if old.activity_name(a) is None)]:
        changes += _compare(f"Nyckel som används för {activity}", old.key_in_use(activity), new.key_in_use(activity))
    old_keys = {(activity_key(k.activity), k.name.casefold()): k for k in old.keys}
    new_keys = {(activity_key(k.activity), k.name.casefold()): k for k in new.keys}
    for ident in [*old_keys, *(i for i in new_keys if i not in old_keys)]:
        before, after = old_keys.get(ident), new_keys.get(ident)
        key = after or before
        assert key is not None
        what = f"Nyckel {key.name} för {key.activity or COMMON_ACTIVITY}"
        if before is None or after is None:
            changes.append(
                FieldChange(
                    what=what,
                    old="saknas" if before is None else "finns",
                    new=("tillagd" if before is None else "borttagen"),
                )
            )
            continue
        for member in [*before.weights, *(m for m in after.weights if m not in before.weights)]:
            was, now = before.weights.get(member, {}), after.weights.get(member, {})
            for year in sorted(was.keys() | now.keys()):
                if was.get(year) != now.get(year):
                    changes.append(
                        FieldChange(
                            what=f"{what}, {member} {year}",
                            old=_weight_text(was.get(year)),
                            new=_weight_text(now.get(year)),
                        )
                    )
    return changes
