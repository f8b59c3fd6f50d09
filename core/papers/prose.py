"""The board paper's words: the scenario described in Swedish sentences, the summary and the checks."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from core.engine.scenario import Scenario
from core.model.budget import Budget
from core.model.kinds import contribution_split_text
from core.model.money import format_kr, format_pct, join_words
from core.papers.paper import ReportInput
from core.rules.checks import Check


def _years_text(years: Sequence[int] | None, plan: Sequence[int]) -> str:
    chosen = sorted(years) if years is not None else list(plan)
    if chosen == list(plan) and len(plan) > 1:
        return f"alla planår ({plan[0]}–{plan[-1]})"
    if len(chosen) > 2 and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return f"{chosen[0]}–{chosen[-1]}"
    return join_words([str(y) for y in chosen])


def _percent_text(value: Decimal, *, signed: bool = True) -> str:
    """A percent with as many decimals as it has (``+10 %``, ``3,57 %``)."""
    normalized = value.normalize()
    decimals = max(0, -normalized.as_tuple().exponent)  # type: ignore[operator]
    return format_pct(value, decimals, signed=signed)


def describe_scenario(budget: Budget, scenario: Scenario, *, equity_uses: bool = True) -> list[str]:
    """Each entry of the scenario as a Swedish sentence, in the order the scenario applies them.

    ``equity_uses=False`` leaves out the proposed decisions to use equity (the PDF lists them on their own).
    """
    plan = budget.plan_years
    lines: list[str] = []
    for name in scenario.remove:
        lines.append(f"{name} tas bort ({_years_text(None, plan)} blir 0 kr).")
    for new in scenario.new_line:
        category = f" ({new.category})" if new.category else ""
        activity = f" i verksamheten {new.activity}" if new.activity else ""
        amounts = ", ".join(f"{format_kr(a)} {y}" for y, a in sorted(new.amounts.items()))
        lines.append(f"Ny kostnadsrad {new.name}{category}{activity}: {amounts or 'inga belopp'}.")
    for change in scenario.change:
        years = _years_text(change.years, plan)
        if change.percent is not None:
            lines.append(f"{change.line} ändras med {_percent_text(change.percent)} {years}.")
        elif change.delta is not None:
            verb = "ökar" if change.delta >= 0 else "minskar"
            lines.append(f"{change.line} {verb} med {format_kr(abs(change.delta))} {years}.")
        else:
            lines.append(f"{change.line} sätts till {format_kr(change.amount or 0)} {years}.")
    contributions = scenario.contributions
    if contributions is not None and not contributions.is_empty:
        parts = [f"{_percent_text(p)} {y}" for y, p in sorted(contributions.percent.items()) if p]
        parts += [f"{format_kr(d, signed=True)} {y}" for y, d in sorted(contributions.delta.items()) if d]
        how = contribution_split_text(budget, "styrelse")
        lines.append(f"Medlemsavgifterna totalt ändras med {join_words(parts)}, {how}.")
    lines += describe_key_entries(budget, scenario)
    if scenario.interest_rate is not None:
        lines.append(
            f"Räntan räknas som {_percent_text(scenario.interest_rate, signed=False)} av eget kapital vid "
            f"årets början varje planår."
        )
    for use in scenario.use_equity if equity_uses else ():
        decision = f": {use.decision}" if use.decision else "."
        lines.append(f"Beslut om att använda {format_kr(use.amount)} av eget kapital {use.year}{decision}")
    if scenario.locked:
        lines.append(f"Låsta rader som inte kan ändras: {', '.join(scenario.locked)}.")
    return lines


def _versus(delta: int) -> str:
    return "samma som basbudgeten" if delta == 0 else f"{format_kr(delta, signed=True)} mot basbudgeten"


def summary_sentences(report: ReportInput) -> list[str]:
    """Result and equity per plan year in words, against the baseline when the scenario changes anything."""
    sentences = []
    for year in report.plan_years:
        after, before = report.result[year], report.base_result[year]
        if report.has_changes:
            sentences.append(
                f"Resultatet {year} blir {format_kr(after.result)} ({_versus(after.result - before.result)}) "
                f"och eget kapital vid årets slut {format_kr(after.equity_end)} "
                f"({_versus(after.equity_end - before.equity_end)})."
            )
        else:
            sentences.append(
                f"Resultatet {year} blir {format_kr(after.result)} och eget kapital vid årets slut "
                f"{format_kr(after.equity_end)}."
            )
    sentences.append(checks_sentence(report.checks))
    return sentences


def checks_sentence(checks: Sequence[Check]) -> str:
    errors = sum(c.level == "fel" for c in checks)
    warnings = sum(c.level == "varning" for c in checks)
    if not errors and not warnings:
        return f"Alla {len(checks)} regelkontroller är utan anmärkning."
    parts = []
    if errors:
        parts.append(f"{errors} fel")
    if warnings:
        parts.append(f"{warnings} {'varning' if warnings == 1 else 'varningar'}")
    return f"Regelkontrollerna ger {' och '.join(parts)}; se avsnittet Kontroller."


def describe_key_entries(budget: Budget, scenario: Scenario) -> list[str]:
    """``[[key_change]]`` and ``[[weight]]`` as Swedish sentences."""
    plan = budget.plan_years
    lines = []
    for change in scenario.key_changes:
        activity = budget.activity_name(change.activity) or change.activity
        lines.append(
            f"{activity} fördelas {_years_text(change.years, plan)} efter nyckeln {change.key} "
            f"i stället för {budget.key_in_use(change.activity) or 'ingen nyckel'}."
        )
    for weight in scenario.weights:
        activity = budget.activity_name(weight.activity) or weight.activity
        member = next((m.name for m in budget.members if m.name.casefold() == weight.member.casefold()), weight.member)
        years = _years_text(weight.years, plan)
        if weight.weight == 0:
            lines.append(f"{member} deltar inte i {activity} {years} (vikt 0).")
        else:
            number = format(weight.weight.normalize(), "f").replace(".", ",")
            lines.append(f"{member} har vikten {number} i nyckeln för {activity} {years}.")
    return lines
