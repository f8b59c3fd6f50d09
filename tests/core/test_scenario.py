import contextlib
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.engine.compute import compute
from core.engine.scenario import (
    ContributionChange,
    LineChange,
    NewLine,
    Scenario,
    apply_scenario,
    load_scenario_file,
    parse_scenario_toml,
    redistribute_contributions,
    sanitize_scenario,
    scenario_to_toml,
)
from core.model.errors import ScenarioError
from tests.strategies import budgets, scenarios_for

EXAMPLE = """
name = "Utökad SE-Höglandet"
description = "En coach till från 2025"
remove = ["IT-spåret"]
interest_rate = 3.57

[[change]]
line = "SE-Höglandet"
years = [2025, 2026]
percent = 10

[[new_line]]
name = "Digital arbetsträning"
category = "ny verksamhet"
amounts = { 2025 = 300000, 2026 = 300000 }

[contributions]
percent = { 2026 = 5 }
"""


def equity_2026(budget) -> int:
    return compute(budget)[2026].equity_end


def test_se_hoglandet_plus_ten_percent_lowers_equity_2026_by_796_000(seed_budget):
    scenario = Scenario(change=[LineChange(line="SE-Höglandet", years=[2025, 2026], percent=Decimal(10))])
    assert equity_2026(seed_budget) - equity_2026(apply_scenario(seed_budget, scenario)) == 796_000


def test_removing_it_sparet_raises_equity_2026_by_its_plan_year_amounts(seed_budget):
    scenario = Scenario(remove=["IT-spåret"])
    after = apply_scenario(seed_budget, scenario)
    assert equity_2026(after) - equity_2026(seed_budget) == 2 * 562_500  # 2024 and 2025; 2026 is already 0
    assert after.cost_line("IT-spåret").amounts[2023] == 562_500  # prognos year untouched


def test_it_sparet_continued_into_2026_costs_562_500(seed_budget):
    scenario = Scenario(change=[LineChange(line="IT-spåret", years=[2026], amount=562_500)])
    assert equity_2026(seed_budget) - equity_2026(apply_scenario(seed_budget, scenario)) == 562_500


def test_example_toml_from_the_readme_applies(seed_budget):
    scenario = parse_scenario_toml(EXAMPLE, "exempel.toml")
    after = apply_scenario(seed_budget, scenario)
    result = compute(after)
    assert after.cost_line("Digital arbetsträning").amounts == {2023: 0, 2024: 0, 2025: 300_000, 2026: 300_000}
    assert result[2024].interest == 54_002  # 3,57 % of 1 512 650
    assert result[2026].contributions == 8_437_800  # 8 036 000 + 5 %


def test_contribution_change_splits_50_25_25_and_by_key(seed_budget):
    after = apply_scenario(seed_budget, Scenario(contributions=ContributionChange(percent={2026: Decimal(5)})))
    year = compute(after)[2026]
    assert year.contributions_by_kind == {"stat": 4_218_900, "region": 2_109_450, "kommun": 2_109_450}
    assert year.contributions_by_member["Nässjö kommun"] == 585_638  # 557 750 × 1,05 = 585 637,5 by key
    assert sum(year.contributions_by_member.values()) == 8_437_800


def test_toml_round_trip_gives_the_same_scenario():
    scenario = parse_scenario_toml(EXAMPLE)
    assert parse_scenario_toml(scenario_to_toml(scenario)) == scenario


def test_shipped_scenario_files_apply_to_the_seed(seed_budget):
    from pathlib import Path

    files = sorted(Path("core/resources/scenarios").glob("*.toml"))
    for path in files:
        apply_scenario(seed_budget, load_scenario_file(path), source=path.name)


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[[change]]\nline = "Finns inte"\npercent = 5', ["x.toml: [[change]] nr 1", "okänd rad 'Finns inte'"]),
        (
            '[[change]]\nline = "Styrelse"\nyears = [2023]\npercent = 5',
            ["[[change]] nr 1", "år [2023] ligger utanför planåren 2024–2026"],
        ),
        (
            '[[change]]\nline = "Styrelse"\npercent = 5\ndelta = 100',
            ["change → nr 1", "exakt en av percent, delta eller amount"],
        ),
        ('remove = ["Okänd"]', ["x.toml: remove nr 1", "okänd kostnadsrad 'Okänd'"]),
        ("[contributions]\npercent = { 2030 = 5 }", ["[contributions]", "2030"]),
        ('[[new_line]]\nname = "Styrelse"\namounts = { 2025 = 1 }', ["[[new_line]] nr 1", "finns redan"]),
        ('name = "x"\nnot toml at all [', ["x.toml", "inte giltig TOML"]),
        ('[[change]]\nline = "Styrelse"\namount = 1.5', ["x.toml", "change → nr 1 → amount", "heltal"]),
        ("okand = 1", ["x.toml", "okand", "inte ett känt fält"]),
    ],
)
def test_bad_scenario_is_an_error_naming_file_entry_and_problem(seed_budget, toml, expected):
    with pytest.raises(ScenarioError) as info:
        apply_scenario(seed_budget, parse_scenario_toml(toml, "x.toml"), source="x.toml")
    for text in expected:
        assert text in str(info.value)


def test_changing_a_locked_line_is_an_error(seed_budget):
    scenario = Scenario(locked=["Revision"], change=[LineChange(line="Revision", percent=Decimal(5))])
    with pytest.raises(ScenarioError, match="låst"):
        apply_scenario(seed_budget, scenario)


def test_sanitize_drops_what_does_not_fit_and_keeps_the_rest(seed_budget):
    scenario = Scenario(
        remove=["Finns inte"],
        change=[LineChange(line="Styrelse", percent=Decimal(10)), LineChange(line="Okänd", percent=Decimal(5))],
    )
    cleaned, problems = sanitize_scenario(seed_budget, scenario)
    assert cleaned.remove == [] and [c.line for c in cleaned.change] == ["Styrelse"]
    assert len(problems) == 2
    apply_scenario(seed_budget, cleaned)


def test_empty_scenario_gives_the_baseline(seed_budget):
    assert apply_scenario(seed_budget, Scenario()) == seed_budget


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_applying_a_scenario_never_changes_the_baseline(data):
    budget = data.draw(budgets())
    scenario = data.draw(scenarios_for(budget))
    before = budget.model_dump()
    with contextlib.suppress(ScenarioError):  # e.g. a delta that turns a cost negative
        apply_scenario(budget, scenario)
    assert budget.model_dump() == before


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_scenarios_only_change_plan_years(data):
    budget = data.draw(budgets())
    after = apply_scenario(budget, data.draw(scenarios_for(budget)))
    base, scen = compute(budget), compute(after)
    for year in budget.year_numbers:
        if budget.year_kind(year) != "plan":
            before, after = base[year], scen[year]
            assert (before.revenue, before.costs, before.equity_end) == (after.revenue, after.costs, after.equity_end)
            assert {k: v for k, v in after.costs_by_line.items() if v} == {
                k: v for k, v in before.costs_by_line.items() if v
            }


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_member_amounts_add_up_exactly_after_any_redistribution(data):
    budget = data.draw(budgets())
    year = data.draw(st.sampled_from(budget.plan_years))
    total = data.draw(st.integers(min_value=0, max_value=10**11))
    split = redistribute_contributions(budget, budget.members, year, total)
    assert sum(split.values()) == total
    assert set(split) == {m.name for m in budget.members}
    if budget.is_samordningsforbund:
        state = sum(v for m in budget.members if m.kind == "stat" for v in [split[m.name]])
        assert abs(2 * state - total) <= 1


def test_new_line_amounts_must_be_whole_kronor():
    with pytest.raises(ValueError):
        NewLine(name="x", amounts={2025: 1.5})


def test_same_scenario_compares_content_even_across_class_versions():
    """A session may hold a scenario made by the class from before a module reload."""
    from core.engine.scenario import same_scenario

    class ReloadedScenario(Scenario):
        pass

    original = Scenario(name="A", remove=["IT-spåret"])
    assert same_scenario(original, ReloadedScenario(name="A", remove=["IT-spåret"]))
    assert not same_scenario(original, Scenario(name="A"))
