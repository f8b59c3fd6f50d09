"""Money invariants of financing ``avgifter``, as hypothesis properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine.compute import compute
from core.engine.scenario import KeyChange, Scenario, WeightChange, apply_scenario
from core.model.budget import COMMON_ACTIVITY
from core.model.errors import ScenarioError
from tests.strategies import budgets, fee_budgets

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(fee_budgets())
def test_fees_per_activity_add_up_exactly_to_its_net_cost(budget):
    result = compute(budget)
    for year in budget.plan_years:
        figures = result[year]
        assert list(figures.activities) == budget.activities
        for activity, activity_figures in figures.activities.items():
            assert sum(activity_figures.fees.values()) == activity_figures.net_cost
            assert list(activity_figures.fees) == [m.name for m in budget.members]
            costs = sum(c.amounts[year] for c in budget.costs if (c.activity or COMMON_ACTIVITY) == activity)
            revenue = sum(r.amounts[year] for r in budget.revenues if (r.activity or COMMON_ACTIVITY) == activity)
            planned = budget.planned_result[year] if activity == COMMON_ACTIVITY else 0
            assert activity_figures.net_cost == costs - revenue + planned
        for member in budget.members:
            fee = sum(a.fees[member.name] for a in figures.activities.values())
            assert figures.contributions_by_member[member.name] == fee


@SETTINGS
@given(fee_budgets())
def test_a_plan_years_result_equals_its_planned_result(budget):
    result = compute(budget)
    equity = budget.opening_equity
    for y in budget.years:
        figures = result[y.year]
        if y.kind == "plan":
            assert figures.result == budget.planned_result[y.year]
        else:  # history: the stated fees, as they are
            assert figures.contributions_by_member == {m.name: m.contributions[y.year] for m in budget.members}
        equity += figures.result
        assert figures.equity_end == equity


@SETTINGS
@given(fee_budgets(), st.data())
def test_a_member_with_weight_zero_pays_nothing_for_that_activity(budget, data):
    activity = data.draw(st.sampled_from(budget.activities))
    member = data.draw(st.sampled_from(budget.members)).name
    scenario = Scenario(weights=[WeightChange(activity=activity, member=member, weight=Decimal(0))])
    try:
        applied = apply_scenario(budget, scenario)
    except ScenarioError as exc:  # the only member taking part left: someone must pay
        assert "ingen medlem har vikt" in str(exc)
        return
    result = compute(applied)
    for year in budget.plan_years:
        assert result[year].activities[activity].fees[member] == 0
        assert sum(result[year].activities[activity].fees.values()) == result[year].activities[activity].net_cost


@SETTINGS
@given(fee_budgets(), st.data())
def test_a_key_change_moves_money_between_members_but_not_the_total(budget, data):
    activity = data.draw(st.sampled_from(budget.activities))
    key = data.draw(st.sampled_from(budget.keys_of(activity))).name
    scenario = Scenario(key_changes=[KeyChange(activity=activity, key=key)])
    try:
        applied = apply_scenario(budget, scenario)
    except ScenarioError as exc:  # a key without weight in some year cannot carry a net cost
        assert "ingen medlem har vikt" in str(exc)
        return
    before, after = compute(budget), compute(applied)
    for year in budget.plan_years:
        assert after[year].contributions == before[year].contributions
        assert after[year].result == before[year].result == budget.planned_result[year]
        assert after[year].activities[activity].net_cost == before[year].activities[activity].net_cost
        for other in budget.activities:
            if other != activity:
                assert after[year].activities[other] == before[year].activities[other]


@SETTINGS
@given(budgets())
def test_fixed_contributions_are_unchanged_by_the_generalisation(budget):
    """Financing ``fasta`` (every samordningsförbund): the stated contributions, revenue − costs, as before."""
    result = compute(budget)
    equity = budget.opening_equity
    for y in budget.years:
        figures = result[y.year]
        assert figures.activities == {}
        assert figures.contributions_by_member == {m.name: m.contributions[y.year] for m in budget.members}
        assert figures.result == figures.contributions + figures.other_revenue - figures.costs
        equity += figures.result
        assert figures.equity_end == equity
