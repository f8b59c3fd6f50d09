from decimal import Decimal

from core.engine.compute import compute
from core.engine.scenario import NewLine, Scenario, apply_scenario
from core.engine.whatif import (
    add_new_line,
    changed_line_count,
    line_edit,
    remove_new_line,
    reset_line,
    set_contribution_percent,
    set_interest_rate,
    set_line_amounts,
    set_line_percent,
    set_locked,
    set_removed,
)


def equity_2026(budget, scenario) -> int:
    return compute(apply_scenario(budget, scenario))[2026].equity_end


def test_slider_percent_over_all_plan_years_is_stored_without_years(seed_budget):
    scenario = set_line_percent(seed_budget, Scenario(), "SE-Höglandet", 10, [2024, 2025, 2026])
    assert scenario.change[0].years is None
    assert equity_2026(seed_budget, scenario) == 1_362_650 - 3 * 398_000


def test_moving_a_slider_replaces_the_lines_earlier_change(seed_budget):
    scenario = set_line_percent(seed_budget, Scenario(), "Styrelse", 10, [2025])
    scenario = set_line_percent(seed_budget, scenario, "Styrelse", -20, [2025, 2026])
    assert len(scenario.change) == 1
    edit = line_edit(seed_budget, scenario, "Styrelse")
    assert (edit.percent, edit.years) == (Decimal(-20), (2025, 2026))


def test_slider_back_to_zero_leaves_no_change(seed_budget):
    scenario = set_line_percent(seed_budget, Scenario(), "Styrelse", 10, [2025])
    assert set_line_percent(seed_budget, scenario, "Styrelse", 0, [2025]).is_empty


def test_exact_amounts_store_only_years_that_differ(seed_budget):
    scenario = set_line_amounts(seed_budget, Scenario(), "IT-spåret", {2024: 562_500, 2025: 562_500, 2026: 562_500})
    assert [(c.years, c.amount) for c in scenario.change] == [([2026], 562_500)]
    assert line_edit(seed_budget, scenario, "IT-spåret").mode == "belopp"
    assert equity_2026(seed_budget, scenario) == 1_362_650 - 562_500


def test_remove_lock_and_reset(seed_budget):
    scenario = set_removed(Scenario(), "IT-spåret", True)
    assert line_edit(seed_budget, scenario, "IT-spåret").removed
    assert equity_2026(seed_budget, scenario) == 1_362_650 + 2 * 562_500
    assert reset_line(scenario, "IT-spåret").is_empty
    locked = set_locked(set_line_percent(seed_budget, Scenario(), "Revision", 5, [2025]), "Revision", True)
    assert locked.change == [] and line_edit(seed_budget, locked, "Revision").locked


def test_new_line_is_added_once_and_can_be_removed(seed_budget):
    new = NewLine(name="Digital arbetsträning", category="ny verksamhet", amounts={2025: 300_000})
    scenario = add_new_line(add_new_line(Scenario(), new), new)
    assert len(scenario.new_line) == 1
    assert equity_2026(seed_budget, scenario) == 1_362_650 - 300_000
    assert remove_new_line(scenario, "Digital arbetsträning").is_empty


def test_contribution_and_interest_controls(seed_budget):
    scenario = set_contribution_percent(Scenario(), 2026, 5)
    assert scenario.contributions.percent == {2026: Decimal(5)}
    assert set_contribution_percent(scenario, 2026, 0).contributions is None
    assert set_interest_rate(scenario, 3.57).interest_rate == Decimal("3.57")
    assert changed_line_count(set_interest_rate(scenario, 3.57)) == 2
