"""The money model: revenue − costs = result, equity carried from year to year.

Pure and fast: one pass over the years, integer kronor throughout. The engine never changes the
budget it is given; scenarios are applied before (see :mod:`core.engine.scenario`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from core.model.budget import CATEGORIES, UNCATEGORISED, Budget, MemberKind, YearKind
from core.model.money import percent_of, split_largest_remainder


@dataclass(frozen=True, slots=True)
class ActivityFigures:
    """An activity in a plan year of an ``avgifter`` federation: its net cost and each member's fee for it."""

    net_cost: int
    fees: dict[str, int]  # every member, in budget order; 0 for one that does not take part


@dataclass(frozen=True, slots=True)
class YearFigures:
    year: int
    kind: YearKind
    contributions: int
    other_revenue: int
    revenue: int
    costs: int
    result: int
    equity_start: int
    equity_end: int
    interest: int
    contributions_by_member: dict[str, int] = field(repr=False)
    contributions_by_kind: dict[MemberKind, int] = field(repr=False)
    revenue_by_line: dict[str, int] = field(repr=False)
    costs_by_line: dict[str, int] = field(repr=False)
    costs_by_category: dict[str, int] = field(repr=False)
    activities: dict[str, ActivityFigures] = field(default_factory=dict, repr=False)

    def cost_share(self, category: str) -> Fraction:
        """Share of the year's costs in ``category``, in percent (exact)."""
        if self.costs == 0:
            return Fraction(0)
        return Fraction(100 * self.costs_by_category.get(category, 0), self.costs)


@dataclass(frozen=True, slots=True)
class BudgetResult:
    years: dict[int, YearFigures]

    @property
    def last(self) -> YearFigures:
        return self.years[max(self.years)]

    def __getitem__(self, year: int) -> YearFigures:
        return self.years[year]

    def equity_end(self, year: int) -> int:
        return self.years[year].equity_end

    def summary(self) -> dict[str, dict[str, int]]:
        """The per-year headline figures, as the command line's ``--json`` prints them."""
        return {
            str(y.year): {
                "revenue": y.revenue,
                "costs": y.costs,
                "result": y.result,
                "equity_end": y.equity_end,
            }
            for y in self.years.values()
        }


def activity_fees(budget: Budget, year: int, revenue_by_line: dict[str, int]) -> dict[str, ActivityFigures]:
    """Avgifter in a plan year: each activity's net cost split over the members by the weights of the key it
    uses, largest remainder, ties to the member first in the budget (so the fees add up to the net cost).

    An activity with a net cost but no member to pay it cannot pass validation (:meth:`Budget.unfinanced`);
    should one reach here it is left unfinanced (fees 0), and the result shows the gap.
    """
    names = [m.name for m in budget.members]
    figures: dict[str, ActivityFigures] = {}
    for activity in budget.activities:
        net_cost = budget.activity_net_cost(activity, year, revenue_by_line)
        key = budget.key_for(activity, year)
        weights = [key.weight(n, year) if key is not None else 0 for n in names]
        if net_cost == 0 or not any(weights):
            fees = dict.fromkeys(names, 0)
        else:
            fees = dict(zip(names, split_largest_remainder(net_cost, weights), strict=True))
        figures[activity] = ActivityFigures(net_cost=net_cost, fees=fees)
    return figures


def compute(budget: Budget) -> BudgetResult:
    """Run the budget year by year.

    With ``budget.interest_rate_pct`` set, interest in each plan year is that rate on the equity at
    the start of the year (never negative: a federation cannot borrow), replacing the interest line.
    With financing ``avgifter``, each plan year's member fees are computed from the activities' net
    costs (:func:`activity_fees`); utfall and prognos years keep the fees the budget states.
    """
    years: dict[int, YearFigures] = {}
    equity = budget.opening_equity
    rate = budget.interest_rate_pct
    members = budget.members
    revenues = budget.revenues
    costs = budget.costs
    fees_computed = budget.financing == "avgifter"
    for budget_year in budget.years:
        year = budget_year.year
        interest = 0
        revenue_by_line: dict[str, int] = {}
        for line in revenues:
            amount = line.amounts[year]
            if line.kind == "ranta":
                if rate is not None and budget_year.kind == "plan":
                    amount = percent_of(max(equity, 0), rate)
                interest += amount
            revenue_by_line[line.name] = amount
        if rate is not None and budget_year.kind == "plan" and not any(r.kind == "ranta" for r in revenues):
            interest = percent_of(max(equity, 0), rate)
            revenue_by_line["Ränta"] = interest
        other_revenue = sum(revenue_by_line.values())

        activities: dict[str, ActivityFigures] = {}
        if fees_computed and budget_year.kind == "plan":
            activities = activity_fees(budget, year, revenue_by_line)
            by_member = {m.name: sum(a.fees[m.name] for a in activities.values()) for m in members}
        else:
            by_member = {m.name: m.contributions[year] for m in members}
        by_kind: dict[MemberKind, int] = {"stat": 0, "region": 0, "kommun": 0}
        for m in members:
            by_kind[m.kind] += by_member[m.name]
        contributions = sum(by_member.values())

        costs_by_line = {c.name: c.amounts[year] for c in costs}
        by_category = dict.fromkeys(CATEGORIES, 0)
        for c in costs:
            key = c.category or UNCATEGORISED
            by_category[key] = by_category.get(key, 0) + c.amounts[year]
        total_costs = sum(costs_by_line.values())

        revenue = contributions + other_revenue
        result = revenue - total_costs
        equity_start = equity
        equity += result
        years[year] = YearFigures(
            year=year,
            kind=budget_year.kind,
            contributions=contributions,
            other_revenue=other_revenue,
            revenue=revenue,
            costs=total_costs,
            result=result,
            equity_start=equity_start,
            equity_end=equity,
            interest=interest,
            contributions_by_member=by_member,
            contributions_by_kind=by_kind,
            revenue_by_line=revenue_by_line,
            costs_by_line=costs_by_line,
            costs_by_category=by_category,
            activities=activities,
        )
    return BudgetResult(years=years)
