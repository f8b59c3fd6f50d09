from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.analysis.compare import line_deltas, waterfall_steps
from core.engine.compute import compute
from core.engine.scenario import ContributionChange, LineChange, Scenario, apply_scenario
from tests.strategies import budgets, scenarios_for


def test_line_deltas_name_each_changed_line_per_year(seed_budget):
    scenario = Scenario(
        change=[LineChange(line="SE-Höglandet", years=[2025, 2026], percent=Decimal(10))],
        remove=["IT-spåret"],
    )
    deltas = {d.name: d for d in line_deltas(compute(seed_budget), compute(apply_scenario(seed_budget, scenario)))}
    assert deltas["SE-Höglandet"].deltas == {2023: 0, 2024: 0, 2025: 398_000, 2026: 398_000}
    assert deltas["SE-Höglandet"].effect_on_equity == -796_000
    assert deltas["IT-spåret"].effect_on_equity == 1_125_000


def test_waterfall_groups_member_contributions_into_one_step(seed_budget):
    scenario = Scenario(contributions=ContributionChange(percent={2026: Decimal(5)}))
    steps = waterfall_steps(compute(seed_budget), compute(apply_scenario(seed_budget, scenario)))
    assert steps == [("Medlemsavgifter", 401_800)]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_waterfall_always_closes_to_the_scenarios_equity(data):
    budget = data.draw(budgets())
    base = compute(budget)
    scen = compute(apply_scenario(budget, data.draw(scenarios_for(budget))))
    last = budget.year_numbers[-1]
    assert base[last].equity_end + sum(d for _, d in waterfall_steps(base, scen)) == scen[last].equity_end
