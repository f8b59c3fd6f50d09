"""The board's hard questions, answered exactly with the real engine.

- :func:`afford_new_activity`: the largest equal yearly amount for a new activity that keeps equity
  at or above a floor at the end of every plan year.
- :func:`contribution_for_target`: the smallest change in total member contributions (0,01 % steps)
  that brings equity at the end of the last plan year to a target.
- :func:`deficits`: the cost cut per plan year needed to balance, with and without the board's
  decided uses of equity.
- :func:`sensitivity`: the change in equity at the end of the last plan year when each cost line,
  and the contributions, move ± a percent (one engine run per bar).
- :func:`roll_forward`: the plan extended by new years, indexed lines following lön/pris.

Every answer comes from running :func:`core.engine.compute` on candidate budgets, never from a
formula: with an interest rate in the scenario, interest is a rounded percent of the equity at the
start of each year, so equity is not linear in the amounts. It is monotone, though (more cost never
gives more equity, more contributions never less), so an integer binary search over the engine is
exact to the krona and to the 0,01 %.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from core.engine.compute import BudgetResult, compute
from core.engine.scenario import ContributionChange, LineChange, Scenario, apply_scenario
from core.engine.whatif import set_contribution_percent
from core.model.budget import Budget, BudgetYear, CostLine, IndexKind, RevenueLine
from core.model.errors import BudgetError
from core.model.money import apply_percent, format_pct

DEFAULT_NEW_ACTIVITY_NAME = "Ny verksamhet (utrymme)"
NEW_ACTIVITY_CATEGORY = "ny verksamhet"
CONTRIBUTIONS_LABEL = "Medlemsavgifter"
INDEX_KINDS: tuple[IndexKind, ...] = ("lön", "pris")

# The contribution search runs over whole hundredths of a percent, within what a scenario accepts.
PERCENT_STEP = Decimal("0.01")
MIN_PERCENT_HUNDREDTHS = -10_000  # −100 %
MAX_PERCENT_HUNDREDTHS = 100_000  # +1 000 %


class AnalysisError(BudgetError):
    """A question the analysis cannot answer as asked (years outside the plan, bad percent)."""


# Helpers ---------------------------------------------------------------------------------------
def year_span(years: Iterable[int]) -> str:
    years = sorted(years)
    if not years:
        return ""
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def chosen_plan_years(budget: Budget, years: Iterable[int] | None) -> tuple[int, ...]:
    """``years`` sorted and checked against the plan years; ``None`` means every plan year."""
    plan = budget.plan_years
    if years is None:
        return tuple(plan)
    chosen = tuple(sorted(set(years)))
    if not chosen:
        raise AnalysisError("Välj minst ett planår.")
    outside = [y for y in chosen if y not in plan]
    if outside:
        raise AnalysisError(f"År {year_span(outside)} ligger utanför planåren {year_span(plan)}.")
    return chosen


def _unique_name(budget: Budget, wanted: str) -> str:
    """A line name no cost or revenue line uses (the engine keys lines by name)."""
    taken = {c.name.casefold() for c in budget.costs} | {r.name.casefold() for r in budget.revenues}
    taken.add("ränta")  # the engine's own interest line when a rate is set and no line exists
    name, n = wanted, 1
    while name.casefold() in taken:
        n += 1
        name = f"{wanted} ({n})"
    return name


def _first_below(result: BudgetResult, years: Iterable[int], floor: int) -> int | None:
    return next((y for y in years if result[y].equity_end < floor), None)


def _last_true(ok: Callable[[int], bool], lo: int, hi: int) -> int:
    """The largest ``n`` in ``[lo, hi)`` with ``ok(n)``, given ``ok(lo)``, ``not ok(hi)`` and monotone ``ok``."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid
    return lo


# 1. Room for a new activity -------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class AffordResult:
    """The largest equal yearly amount for a new activity over ``years`` that the floor allows.

    ``binding_year`` is the first plan year whose equity falls below the floor with one krona more
    per year, or, when ``already_below``, the first plan year already below the floor without any
    new activity (then ``amount_per_year`` is 0 and nothing is affordable).
    """

    amount_per_year: int
    years: tuple[int, ...]
    floor: int
    binding_year: int
    already_below: bool
    equity: dict[int, int]  # equity at the end of each plan year with the amount
    equity_one_more: dict[int, int]  # … and with one krona more per year

    def to_json(self) -> dict:
        return {"amount_per_year": self.amount_per_year, "years": list(self.years), "binding_year": self.binding_year}


def with_new_activity(
    budget: Budget, years: Iterable[int], amount: int, name: str = DEFAULT_NEW_ACTIVITY_NAME
) -> Budget:
    """``budget`` with one more cost line costing ``amount`` in each of ``years``.

    The same budget as applying a scenario with this :class:`core.scenario.NewLine` would give:
    new lines only add their own amounts.
    """
    chosen = set(years)
    line = CostLine(
        name=_unique_name(budget, name),
        category=NEW_ACTIVITY_CATEGORY,
        amounts={y: (amount if y in chosen else 0) for y in budget.year_numbers},
    )
    return budget.model_copy(update={"costs": [*budget.costs, line]})


def afford_new_activity(budget: Budget, floor: int, years: Iterable[int] | None = None) -> AffordResult:
    """The largest equal yearly amount for a new activity in ``years`` (default: every plan year)
    that keeps equity at the end of every plan year at or above ``floor``; exact to the krona.

    ``budget`` is the budget to analyse, with the scenario already applied. Every plan year is
    checked, also those after the chosen years (the money spent stays spent) and those before (they
    do not move, but a floor already broken there means nothing is affordable).

    Search: equity at the end of the first chosen year falls by exactly the amount (interest
    depends on equity at the start of a year), so ``equity_then − floor + 1`` always breaks the
    floor; a binary search with the engine between 0 and that bound finds the exact answer. Equity
    never rises when the amount rises, with or without an interest rate, so the search is exact.
    """
    chosen = chosen_plan_years(budget, years)
    plan = budget.plan_years

    def run(amount: int) -> BudgetResult:
        return compute(with_new_activity(budget, chosen, amount))

    def fits(amount: int) -> bool:
        return _first_below(run(amount), plan, floor) is None

    at_zero = run(0)
    below = _first_below(at_zero, plan, floor)
    if below is not None:
        equity = {y: at_zero[y].equity_end for y in plan}
        return AffordResult(0, chosen, floor, below, True, equity, equity)
    upper = at_zero[chosen[0]].equity_end - floor + 1
    while fits(upper):  # never taken (see above); kept so a future engine change cannot give a wrong answer
        upper *= 2
    amount = _last_true(fits, 0, upper)
    with_amount, one_more = run(amount), run(amount + 1)
    binding = _first_below(one_more, plan, floor)
    assert binding is not None and _first_below(with_amount, plan, floor) is None
    return AffordResult(
        amount_per_year=amount,
        years=chosen,
        floor=floor,
        binding_year=binding,
        already_below=False,
        equity={y: with_amount[y].equity_end for y in plan},
        equity_one_more={y: one_more[y].equity_end for y in plan},
    )


# 2a. Contributions needed for an equity target ------------------------------------------------
@dataclass(frozen=True, slots=True)
class ContributionTarget:
    """The smallest contribution change (same percent each chosen year) that reaches ``target``.

    ``percent`` is ``None`` when not even +1 000 % reaches the target. ``at_lower_bound`` means the
    target is met even at −100 % (no smaller change exists). ``added`` is what the change adds to
    total contributions per chosen year, compared with the scenario as it is.
    """

    percent: Decimal | None
    years: tuple[int, ...]
    target: int
    last_year: int
    equity_now: int
    equity_at_percent: int | None
    equity_one_step_less: int | None
    at_lower_bound: bool
    added: dict[int, int]

    @property
    def reachable(self) -> bool:
        return self.percent is not None


def scenario_with_contribution_percent(scenario: Scenario, years: Iterable[int], percent: Decimal) -> Scenario:
    """The scenario with total contributions changed by ``percent`` in each of ``years`` (as the page applies it)."""
    for year in years:
        scenario = set_contribution_percent(scenario, year, percent)
    return scenario


def _hundredths(k: int) -> Decimal:
    return (Decimal(k) * PERCENT_STEP).quantize(PERCENT_STEP)


def contribution_for_target(
    base: Budget, scenario: Scenario, target: int, years: Iterable[int] | None = None
) -> ContributionTarget:
    """The smallest ``p`` on the 0,01 % grid such that changing total contributions by ``p`` % in each
    of ``years`` (split 50/25/25 and by the key) gives equity at the end of the last plan year of at
    least ``target``; ``p − 0,01`` does not. ``p`` replaces any contribution change the scenario
    already has for those years, exactly as the page's apply button does.
    """
    chosen = chosen_plan_years(base, years)
    if not base.members:
        raise AnalysisError("Budgeten har inga medlemmar, så medlemsavgifterna kan inte ändras.")
    last = base.plan_years[-1]

    def run(k: int) -> BudgetResult:
        candidate = scenario_with_contribution_percent(scenario, chosen, _hundredths(k))
        return compute(apply_scenario(base, candidate, source="analys"))

    def reaches(k: int) -> bool:
        return run(k).equity_end(last) >= target

    now = compute(apply_scenario(base, scenario, source="analys"))
    common = {"years": chosen, "target": target, "last_year": last, "equity_now": now.equity_end(last)}
    if not reaches(MAX_PERCENT_HUNDREDTHS):
        return ContributionTarget(
            percent=None,
            equity_at_percent=None,
            equity_one_step_less=None,
            at_lower_bound=False,
            added={},
            **common,
        )
    if reaches(MIN_PERCENT_HUNDREDTHS):
        k, less = MIN_PERCENT_HUNDREDTHS, None
    else:
        # The largest k that fails, plus one, is the smallest that reaches.
        k = _last_true(lambda n: not reaches(n), MIN_PERCENT_HUNDREDTHS, MAX_PERCENT_HUNDREDTHS) + 1
        less = run(k - 1).equity_end(last)
    at = run(k)
    return ContributionTarget(
        percent=_hundredths(k),
        equity_at_percent=at.equity_end(last),
        equity_one_step_less=less,
        at_lower_bound=less is None,
        added={y: at[y].contributions - now[y].contributions for y in chosen},
        **common,
    )


# 2b. Deficits: the cost cut per year needed to balance -----------------------------------------
@dataclass(frozen=True, slots=True)
class YearDeficit:
    year: int
    result: int  # the year's result as the budget stands
    decided: int  # decided uses of equity for the year
    deficit: int  # cost cut needed to balance, decided uses of equity taken into account ("underskott")
    deficit_without_decisions: int  # … ignoring them ("underskott utan beslut om eget kapital")


def deficits(budget: Budget) -> list[YearDeficit]:
    """Per plan year, the cost cut needed for the year to balance (``budget`` with the scenario applied).

    "Underskott" counts a decided use of equity as covering the deficit, as the balance rule does:
    ``max(0, −result − decided)``; "underskott utan beslut om eget kapital" ignores the decisions:
    ``max(0, −result)``. Each is the year's own deficit as the budget stands, so cutting exactly that
    in that year alone balances it. With an interest rate, a cut also raises equity and so the
    following years' interest: making every cut together balances every plan year, with a few
    kronor to spare in the later ones.
    """
    decided: dict[int, int] = {}
    for use in budget.equity_uses:
        decided[use.year] = decided.get(use.year, 0) + use.amount
    result = compute(budget)
    return [
        YearDeficit(
            year=y,
            result=result[y].result,
            decided=decided.get(y, 0),
            deficit=max(0, -result[y].result - decided.get(y, 0)),
            deficit_without_decisions=max(0, -result[y].result),
        )
        for y in budget.plan_years
    ]


def with_cost_cuts(budget: Budget, cuts: Mapping[int, int]) -> Budget:
    """``budget`` with its costs lower by ``cuts`` per year, to check :func:`deficits` with the engine.

    The cut is added as a revenue line rather than taken from some cost line: the result and equity
    are the same, and no line has to be chosen.
    """
    if not any(cuts.values()):
        return budget
    line = RevenueLine(
        name=_unique_name(budget, "Kostnadsminskning (analys)"),
        kind="ovrig",
        amounts={y: cuts.get(y, 0) for y in budget.year_numbers},
    )
    return budget.model_copy(update={"revenues": [*budget.revenues, line]})


# 3. Sensitivity -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SensitivityRow:
    """Change in equity at the end of the last plan year when the post moves −/+ the percent."""

    label: str
    kind: Literal["kostnad", "avgifter"]
    down: int
    up: int

    @property
    def swing(self) -> int:
        return max(abs(self.down), abs(self.up))


def _check_percent(percent: Decimal) -> Decimal:
    percent = Decimal(str(percent))
    if not 0 < percent <= 100:
        raise AnalysisError(f"Procentsatsen måste vara större än 0 och högst 100, fick {format_pct(percent)}.")
    return percent


def line_change_scenario(scenario: Scenario, line: str, percent: Decimal) -> Scenario:
    """The scenario with ``line`` moved ``percent`` % in every plan year, on top of its own changes."""
    change = LineChange(line=line, years=None, percent=percent)
    return scenario.model_copy(update={"change": [*scenario.change, change]})


def contribution_change_scenario(base: Budget, scenario: Scenario, percent: Decimal) -> Scenario:
    """The scenario with total contributions moved ``percent`` % in every plan year from the scenario's
    own totals, split 50/25/25 and by the key (as a delta against the baseline, so a contribution
    change already in the scenario is built on, not replaced)."""
    now = compute(apply_scenario(base, scenario, source="analys"))
    baseline = compute(base)
    delta = {y: apply_percent(now[y].contributions, percent) - baseline[y].contributions for y in base.plan_years}
    return scenario.model_copy(update={"contributions": ContributionChange(delta=delta)})


def sensitivity_lines(base: Budget, scenario: Scenario) -> list[str]:
    """The cost lines that can move in the scenario: not locked (contracted), not removed."""
    applied = apply_scenario(base, scenario, source="analys")
    removed = {n.casefold() for n in scenario.remove}
    return [c.name for c in applied.costs if not c.locked and c.name.casefold() not in removed]


def sensitivity(base: Budget, scenario: Scenario, percent: Decimal | int = Decimal(10)) -> list[SensitivityRow]:
    """Each movable cost line and the total contributions moved −/+ ``percent`` % over every plan
    year, one independent engine run per bar, largest swing first. Locked and removed lines are left
    out: they cannot move in this scenario."""
    percent = _check_percent(Decimal(str(percent)))
    last = base.plan_years[-1]

    def equity(candidate: Scenario) -> int:
        return compute(apply_scenario(base, candidate, source="analys")).equity_end(last)

    now = equity(scenario)
    rows = [
        SensitivityRow(
            label=line,
            kind="kostnad",
            down=equity(line_change_scenario(scenario, line, -percent)) - now,
            up=equity(line_change_scenario(scenario, line, percent)) - now,
        )
        for line in sensitivity_lines(base, scenario)
    ]
    if base.members:
        rows.append(
            SensitivityRow(
                label=CONTRIBUTIONS_LABEL,
                kind="avgifter",
                down=equity(contribution_change_scenario(base, scenario, -percent)) - now,
                up=equity(contribution_change_scenario(base, scenario, percent)) - now,
            )
        )
    return sorted(rows, key=lambda r: -r.swing)  # stable: budget order among equals


# 4. Rolling the plan forward --------------------------------------------------------------------
def with_index_marks(budget: Budget, marks: Mapping[str, IndexKind | None]) -> Budget:
    """``budget`` with the cost lines in ``marks`` following the given index (``None``: no index)."""
    folded = {name.casefold(): kind for name, kind in marks.items()}
    unknown = sorted(set(folded) - {c.name.casefold() for c in budget.costs})
    if unknown:
        raise AnalysisError(f"Okända kostnadsrader: {', '.join(unknown)}.")
    costs = [
        c.model_copy(update={"index": folded[c.name.casefold()]}) if c.name.casefold() in folded else c
        for c in budget.costs
    ]
    return budget.model_copy(update={"costs": costs})


def roll_forward_reason(new_years: Iterable[int]) -> str:
    return f"Framrullning till {year_span(new_years)}"


def _check_new_years(budget: Budget, new_years: Mapping[int, Mapping[str, Decimal]]) -> dict[int, dict[str, Decimal]]:
    years = sorted(new_years)
    if not years:
        raise AnalysisError("Ange minst ett nytt år att rulla fram planen till.")
    start = budget.year_numbers[-1] + 1
    if years != list(range(start, start + len(years))):
        raise AnalysisError(f"De nya åren måste följa direkt efter {start - 1} utan luckor, fick {year_span(years)}.")
    checked: dict[int, dict[str, Decimal]] = {}
    for year in years:
        given = dict(new_years[year])
        unknown = sorted(set(given) - set(INDEX_KINDS))
        if unknown:
            raise AnalysisError(f"{year}: okänt index {', '.join(unknown)}; ange lön och pris.")
        checked[year] = {}
        for kind in INDEX_KINDS:
            value = Decimal(str(given.get(kind, 0)))
            if not Decimal(-100) <= value <= Decimal(1000):
                raise AnalysisError(f"{year}: index för {kind} måste vara mellan −100 % och 1 000 %.")
            checked[year][kind] = value
    return checked


def _rolled_fees(budget: Budget, members: list[dict], added: list[int], to_prognos: set[int]) -> dict:
    """Avgifter: plan years that become prognos keep the fees computed for them (history now); new years
    have no decided fee; every key's weights and the planned result carry the last plan year forward."""
    last = budget.plan_years[-1]
    computed = compute(budget)
    for member in members:
        for year in to_prognos:
            member["contributions"][year] = computed[year].contributions_by_member[member["name"]]
        for year in added:
            member["contributions"][year] = 0
    keys = [
        {
            **key.model_dump(),
            "weights": {m: {**w, **({y: w[last] for y in added} if last in w else {})} for m, w in key.weights.items()},
        }
        for key in budget.keys
    ]
    planned = {**budget.planned_result, **dict.fromkeys(added, budget.planned_result.get(last, 0))}
    return {"keys": keys, "planned_result": planned}


def roll_forward(budget: Budget, new_years: Mapping[int, Mapping[str, Decimal]]) -> Budget:
    """The plan extended by ``new_years`` (``{2027: {"lön": Decimal("3"), "pris": Decimal("2")}, …}``, in
    percent per year), as a new budget; ``budget`` is not changed.

    New years' amounts:

    - cost lines marked ``index="lön"`` or ``"pris"`` grow by that index each new year, from the last
      plan year, compounding on the previous year's amount rounded to whole kronor (as finance staff
      extend a plan year by year): 1 186 000 × 1,03 = 1 221 580, then 1 221 580 × 1,03 = 1 258 227;
    - every other cost line keeps the last plan year's amount;
    - member contributions and other revenue (interest included) keep the last plan year's amounts:
      the board adjusts them afterwards.

    Year kinds: the plan window moves forward by as many years as are added. Of the previous plan
    years, the first ``len(new_years)`` become "prognos" (all of them when as many years or more are
    added) and the rest stay "plan"; the new years are "plan". So 2024–2026 rolled to 2027–2029 makes
    2024–2026 prognos and 2027–2029 the plan (the natural reading for a new verksamhetsplan), while
    rolling one year, to 2027, makes 2024 prognos and 2025–2027 the plan: the director drafts next
    year's plan over the same three-year window, with next year still a plan year that scenarios can
    change. At least one plan year always remains. Utfall and prognos years stay as they are.

    Kept as is: opening equity, decided uses of equity (all in old years), rule settings, interest
    rate, index marks. The municipal key is written down explicitly for municipalities without a
    stored one: without it the key would silently become the new first plan year's amounts.
    """
    assumptions = _check_new_years(budget, new_years)
    added = sorted(assumptions)
    last = budget.plan_years[-1]
    old_plan = budget.plan_years
    to_prognos = set(old_plan[: len(added)])
    years = [BudgetYear(year=y.year, kind="prognos" if y.year in to_prognos else y.kind) for y in budget.years] + [
        BudgetYear(year=y, kind="plan") for y in added
    ]

    def extended(amounts: Mapping[int, int], index: IndexKind | None = None) -> dict[int, int]:
        out = dict(amounts)
        previous = amounts[last]
        for year in added:
            if index is not None:
                previous = apply_percent(previous, assumptions[year][index])
            out[year] = previous
        return out

    keys = budget.municipal_keys() if budget.financing == "fasta" else {}
    members = [
        m.model_copy(
            update={
                "contributions": extended(m.contributions),
                "key": m.key if m.key is not None or m.kind != "kommun" or not keys else keys[m.name],
            }
        )
        for m in budget.members
    ]
    revenues = [r.model_copy(update={"amounts": extended(r.amounts)}) for r in budget.revenues]
    costs = [c.model_copy(update={"amounts": extended(c.amounts, c.index)}) for c in budget.costs]
    data = budget.model_dump()
    data.update(
        years=[y.model_dump() for y in years],
        members=[m.model_dump() for m in members],
        revenues=[r.model_dump() for r in revenues],
        costs=[c.model_dump() for c in costs],
    )
    if budget.financing == "avgifter":
        data.update(_rolled_fees(budget, data["members"], added, to_prognos))
    try:
        return Budget.model_validate(data)
    except ValueError as exc:  # pragma: no cover - the pieces above are valid by construction
        raise AnalysisError(f"Framrullningen gav ingen giltig budget: {exc}") from exc
