"""Rule checks on a computed budget, each with a Swedish message that names the year and the amount.

The thresholds are data (:class:`core.model.budget.RuleSettings`); which rules a federation follows is
data too: its kind's ``checks`` (:mod:`core.model.kinds`) name rules in :data:`RULES`.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from core.engine.compute import BudgetResult, YearFigures, compute
from core.model.budget import Budget
from core.model.kinds import STATUTORY_LAW, kind_of
from core.model.money import format_kr, format_pct, percent_of, round_half_up, split_by_mapping

Level = Literal["ok", "varning", "fel"]
LEVEL_ORDER: dict[Level, int] = {"ok": 0, "varning": 1, "fel": 2}

RULE_TITLES = {
    "lagstadgad_fordelning": "Fördelning enligt lag (2003:1210) 5 §",
    "kommunal_nyckel": "Kommunernas fördelningsnyckel",
    "beslutad_avgift": "Beslutade avgifter",
    "budget_i_balans": "Budget i balans",
    "eget_kapital_golv": "Eget kapital, golv",
    "eget_kapital_tak": "Eget kapital, tak",
}


class Check(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str
    year: int
    level: Level
    message: str

    @property
    def title(self) -> str:
        return RULE_TITLES.get(self.rule, self.rule)


def _signed(amount: int) -> str:
    return format_kr(amount, signed=True)


_GROUP_LABELS = {"stat": "staten", "region": "regionen", "kommun": "kommunerna tillsammans"}
_SHARE_WORDS = {Fraction(1, 2): "hälften", Fraction(1, 4): "en fjärdedel"}


def check_statutory_split(budget: Budget, year: YearFigures) -> Check:
    """The split of the contributions by law (lag 2003:1210 5 §: state half, region and municipalities
    a quarter each), as the kind of federation states it."""
    kind = kind_of(budget)
    total = year.contributions
    tolerance = budget.settings.split_tolerance
    parts = year.contributions_by_kind
    shares = kind.statutory_shares()
    problems = []
    for member_kind, share in shares.items():
        exact = total * share
        deviation = parts[member_kind] - exact
        if abs(deviation) > tolerance:
            expected_kr = round_half_up(exact)
            share_text = _SHARE_WORDS.get(share) or format_pct(share * 100)
            problems.append(
                f"{_GROUP_LABELS[member_kind]} betalar {format_kr(parts[member_kind])} men ska betala {share_text}, "
                f"{format_kr(expected_kr)} ({_signed(parts[member_kind] - expected_kr)})"
            )
    law = STATUTORY_LAW
    if problems:
        message = f"{year.year}: medlemsavgifterna ({format_kr(total)}) följer inte {law}: "
        return Check(rule="lagstadgad_fordelning", year=year.year, level="fel", message=message + "; ".join(problems))
    return Check(
        rule="lagstadgad_fordelning",
        year=year.year,
        level="ok",
        message=(
            f"{year.year}: stat {format_kr(parts['stat'])}, region {format_kr(parts['region'])} och kommuner "
            f"{format_kr(parts['kommun'])} följer lagens {kind.split_label()} av {format_kr(total)}."
        ),
    )


def expected_municipal_split(budget: Budget, municipal_total: int) -> dict[str, int]:
    """What each municipality should pay of ``municipal_total`` under the stored key."""
    return split_by_mapping(municipal_total, budget.municipal_keys())


def check_municipal_key(budget: Budget, year: YearFigures) -> Check:
    """Each municipality's share of the municipal quarter follows the agreed key."""
    municipal = {m.name: year.contributions_by_member[m.name] for m in budget.members if m.kind == "kommun"}
    expected = expected_municipal_split(budget, sum(municipal.values()))
    tolerance = budget.settings.key_tolerance
    problems = [
        f"{name} betalar {format_kr(paid)}, enligt nyckeln {format_kr(expected[name])} "
        f"({_signed(paid - expected[name])})"
        for name, paid in municipal.items()
        if abs(paid - expected[name]) > tolerance
    ]
    if problems:
        return Check(
            rule="kommunal_nyckel",
            year=year.year,
            level="varning",
            message=f"{year.year}: kommunernas avgifter följer inte den överenskomna nyckeln: " + "; ".join(problems),
        )
    return Check(
        rule="kommunal_nyckel",
        year=year.year,
        level="ok",
        message=(
            f"{year.year}: kommunernas {format_kr(sum(municipal.values()))} fördelas enligt nyckeln "
            f"över {len(municipal)} kommuner."
        ),
    )


def check_balance(budget: Budget, year: YearFigures) -> Check:
    """A plan year must balance unless the board has decided to cover the deficit with equity."""
    if year.result >= 0:
        word = "är i balans" if year.result == 0 else f"visar ett överskott på {format_kr(year.result)}"
        return Check(rule="budget_i_balans", year=year.year, level="ok", message=f"{year.year}: budgeten {word}.")
    deficit = -year.result
    uses = [u for u in budget.equity_uses if u.year == year.year]
    covered = sum(u.amount for u in uses)
    if covered >= deficit:
        decisions = "; ".join(u.decision for u in uses if u.decision)
        return Check(
            rule="budget_i_balans",
            year=year.year,
            level="ok",
            message=(
                f"{year.year}: underskottet {format_kr(year.result)} täcks av beslut att använda "
                f"{format_kr(covered)} av eget kapital" + (f" ({decisions})." if decisions else ".")
            ),
        )
    covered_text = f"beslut täcker {format_kr(covered)}, " if covered else "inget beslut om eget kapital täcker det, "
    return Check(
        rule="budget_i_balans",
        year=year.year,
        level="fel",
        message=(
            f"{year.year}: underskott {format_kr(year.result)}; {covered_text}"
            f"{format_kr(deficit - covered)} saknar beslut om att använda eget kapital."
        ),
    )


def check_equity_floor(budget: Budget, year: YearFigures) -> Check:
    """Equity never below zero (no borrowing, lag 2003:1210 21 §); below the chosen floor is a warning."""
    floor = budget.settings.equity_floor
    equity = year.equity_end
    if equity < 0:
        return Check(
            rule="eget_kapital_golv",
            year=year.year,
            level="fel",
            message=(
                f"{year.year}: eget kapital blir {format_kr(equity)} vid årets slut. {kind_of(budget).no_borrowing}"
            ),
        )
    if equity < floor:
        return Check(
            rule="eget_kapital_golv",
            year=year.year,
            level="varning",
            message=(
                f"{year.year}: eget kapital {format_kr(equity)} vid årets slut är under golvet "
                f"{format_kr(floor)} ({format_kr(equity - floor)})."
            ),
        )
    return Check(
        rule="eget_kapital_golv",
        year=year.year,
        level="ok",
        message=f"{year.year}: eget kapital {format_kr(equity)} vid årets slut (golv {format_kr(floor)}).",
    )


def equity_ceiling(budget: Budget, year: YearFigures) -> int:
    """The ceiling in kronor: the configured percent of the year's revenue, rounded half up."""
    return percent_of(year.revenue, budget.settings.equity_ceiling_pct)


def check_equity_ceiling(budget: Budget, year: YearFigures) -> Check:
    """Too much equity means members' money lies idle; the ceiling is a percent of the year's revenue."""
    ceiling = equity_ceiling(budget, year)
    pct = budget.settings.equity_ceiling_pct
    share = Fraction(100 * year.equity_end, year.revenue) if year.revenue else None
    share_text = f" ({format_pct(share)} av årets intäkter)" if share is not None else ""
    if year.equity_end > ceiling:
        return Check(
            rule="eget_kapital_tak",
            year=year.year,
            level="varning",
            message=(
                f"{year.year}: eget kapital {format_kr(year.equity_end)}{share_text} är över taket "
                f"{format_pct(pct)} av intäkterna, {format_kr(ceiling)} "
                f"({_signed(year.equity_end - ceiling)}). {budget.settings.ceiling_source}"
            ),
        )
    return Check(
        rule="eget_kapital_tak",
        year=year.year,
        level="ok",
        message=(
            f"{year.year}: eget kapital {format_kr(year.equity_end)}{share_text} är inom taket "
            f"{format_pct(pct)} av intäkterna ({format_kr(ceiling)})."
        ),
    )


def check_decided_fees(budget: Budget, year: YearFigures) -> Check:
    """Avgifter: a plan-year fee stated in the budget is the decided fee; the computed one is checked against it."""
    stated = {m.name: m.contributions[year.year] for m in budget.members if m.contributions[year.year]}
    problems = [
        f"{name} har beslutad avgift {format_kr(amount)} men avgiften enligt nycklarna blir "
        f"{format_kr(year.contributions_by_member[name])} ({_signed(year.contributions_by_member[name] - amount)})"
        for name, amount in stated.items()
        if year.contributions_by_member[name] != amount
    ]
    if problems:
        return Check(
            rule="beslutad_avgift",
            year=year.year,
            level="varning",
            message=f"{year.year}: " + "; ".join(problems) + ".",
        )
    return Check(
        rule="beslutad_avgift",
        year=year.year,
        level="ok",
        message=f"{year.year}: de beslutade avgifterna ({len(stated)} medlemmar) stämmer med nycklarna.",
    )


RuleCheck = Callable[[Budget, YearFigures], Check]
Applies = Callable[[Budget, YearFigures], bool]

# Every rule by name, with when it applies; a kind of federation lists the names it follows.
RULES: dict[str, tuple[RuleCheck, Applies]] = {
    "lagstadgad_fordelning": (check_statutory_split, lambda budget, year: True),
    "kommunal_nyckel": (check_municipal_key, lambda budget, year: any(m.kind == "kommun" for m in budget.members)),
    "beslutad_avgift": (
        check_decided_fees,
        lambda budget, year: (
            budget.financing == "avgifter"
            and year.kind == "plan"
            and any(m.contributions[year.year] for m in budget.members)
        ),
    ),
    "budget_i_balans": (check_balance, lambda budget, year: year.kind == "plan"),
    "eget_kapital_golv": (check_equity_floor, lambda budget, year: True),
    "eget_kapital_tak": (check_equity_ceiling, lambda budget, year: True),
}


def run_checks(budget: Budget, result: BudgetResult | None = None) -> list[Check]:
    """The checks of the federation's kind for all years; the balance rule only for plan years (history is
    what it is)."""
    result = result or compute(budget)
    rules = [RULES[name] for name in kind_of(budget).checks]
    return [check(budget, year) for year in result.years.values() for check, applies in rules if applies(budget, year)]


def worst_level(checks: list[Check]) -> Level:
    return max((c.level for c in checks), key=LEVEL_ORDER.__getitem__, default="ok")
