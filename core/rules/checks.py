"""Rule checks on a computed budget, each with a Swedish message that names the year and the amount.

The thresholds are data (:class:`core.models.RuleSettings`); the law's 50/25/25 split and the
municipal key apply only to a samordningsförbund (a federation with a state member).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from core.engine.compute import BudgetResult, YearFigures, compute
from core.model.budget import Budget
from core.model.money import format_kr, format_pct, percent_of, round_half_up, split_by_mapping

Level = Literal["ok", "varning", "fel"]
LEVEL_ORDER: dict[Level, int] = {"ok": 0, "varning": 1, "fel": 2}

RULE_TITLES = {
    "lagstadgad_fordelning": "Fördelning enligt lag (2003:1210) 5 §",
    "kommunal_nyckel": "Kommunernas fördelningsnyckel",
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


def check_statutory_split(budget: Budget, year: YearFigures) -> Check:
    """Lag (2003:1210) 5 §: the state pays half, the region a quarter, the municipalities a quarter."""
    total = year.contributions
    tolerance = budget.settings.split_tolerance
    parts = year.contributions_by_kind
    expected = {"stat": Fraction(total, 2), "region": Fraction(total, 4), "kommun": Fraction(total, 4)}
    labels = {"stat": "staten", "region": "regionen", "kommun": "kommunerna tillsammans"}
    shares = {"stat": "hälften", "region": "en fjärdedel", "kommun": "en fjärdedel"}
    problems = []
    for kind, exact in expected.items():
        deviation = parts[kind] - exact
        if abs(deviation) > tolerance:
            expected_kr = round_half_up(exact)
            problems.append(
                f"{labels[kind]} betalar {format_kr(parts[kind])} men ska betala {shares[kind]}, "
                f"{format_kr(expected_kr)} ({_signed(parts[kind] - expected_kr)})"
            )
    if problems:
        message = f"{year.year}: medlemsavgifterna ({format_kr(total)}) följer inte lag (2003:1210) 5 §: "
        return Check(rule="lagstadgad_fordelning", year=year.year, level="fel", message=message + "; ".join(problems))
    return Check(
        rule="lagstadgad_fordelning",
        year=year.year,
        level="ok",
        message=(
            f"{year.year}: stat {format_kr(parts['stat'])}, region {format_kr(parts['region'])} och kommuner "
            f"{format_kr(parts['kommun'])} följer lagens 50/25/25 av {format_kr(total)}."
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
                f"{year.year}: eget kapital blir {format_kr(equity)} vid årets slut. Förbundet får inte "
                f"låna (lag 2003:1210 21 §), så eget kapital får inte bli negativt."
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


def run_checks(budget: Budget, result: BudgetResult | None = None) -> list[Check]:
    """All checks for all years; the balance rule only for plan years (history is what it is)."""
    result = result or compute(budget)
    checks: list[Check] = []
    for year in result.years.values():
        if budget.is_samordningsforbund:
            checks.append(check_statutory_split(budget, year))
            if any(m.kind == "kommun" for m in budget.members):
                checks.append(check_municipal_key(budget, year))
        if year.kind == "plan":
            checks.append(check_balance(budget, year))
        checks.append(check_equity_floor(budget, year))
        checks.append(check_equity_ceiling(budget, year))
    return checks


def worst_level(checks: list[Check]) -> Level:
    return max((c.level for c in checks), key=LEVEL_ORDER.__getitem__, default="ok")
