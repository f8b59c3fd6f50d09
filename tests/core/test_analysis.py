"""The board's hard questions: every answer is checked by applying it with the engine."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import store
from core.analysis.plan import (
    CONTRIBUTIONS_LABEL,
    DEFAULT_NEW_ACTIVITY_NAME,
    AnalysisError,
    afford_new_activity,
    contribution_for_target,
    deficits,
    roll_forward,
    roll_forward_reason,
    scenario_with_contribution_percent,
    sensitivity,
    with_cost_cuts,
    with_index_marks,
)
from core.cli.analysis_cmds import add_afford_parser, cmd_afford, parse_years
from core.engine.compute import compute
from core.engine.scenario import ContributionChange, LineChange, NewLine, Scenario, apply_scenario
from core.engine.whatif import add_new_line, set_contribution_percent
from core.model.budget import Budget
from core.model.money import apply_percent
from core.papers.figures import tornado_figure
from core.rules.checks import check_balance
from tests.strategies import budgets, scenarios_for

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "core" / "resources" / "seed" / "hoglandets_samordningsforbund_2024.csv"
RATE = Decimal("3.57")
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Checking an answer the way the page applies it ---------------------------------------------------
def equity_with_activity(base: Budget, scenario: Scenario, years, amount: int) -> dict[int, int]:
    """Equity per plan year after the page's apply button: a NewLine added to the scenario."""
    new = NewLine(name=DEFAULT_NEW_ACTIVITY_NAME, category="ny verksamhet", amounts={y: amount for y in years})
    result = compute(apply_scenario(base, add_new_line(scenario, new)))
    return {y: result[y].equity_end for y in base.plan_years}


def assert_room_is_exact(base: Budget, scenario: Scenario, floor: int, years) -> None:
    budget = apply_scenario(base, scenario)
    room = afford_new_activity(budget, floor, years)
    at = equity_with_activity(base, scenario, room.years, room.amount_per_year)
    more = equity_with_activity(base, scenario, room.years, room.amount_per_year + 1)
    if room.already_below:
        assert room.amount_per_year == 0
        assert room.binding_year == next(y for y, e in at.items() if e < floor)
        return
    assert all(equity >= floor for equity in at.values()), (room, at)
    assert any(equity < floor for equity in more.values()), (room, more)
    assert room.binding_year == next(y for y, e in more.items() if e < floor)
    assert (room.equity, room.equity_one_more) == (at, more)


def equity_last_with_percent(base: Budget, scenario: Scenario, years, percent: Decimal) -> int:
    """Equity at the end of the last plan year after the page's apply button (set_contribution_percent per year)."""
    for year in years:
        scenario = set_contribution_percent(scenario, year, percent)
    return compute(apply_scenario(base, scenario)).equity_end(base.plan_years[-1])


def assert_percent_is_exact(base: Budget, scenario: Scenario, target: int, years) -> None:
    need = contribution_for_target(base, scenario, target, years)
    if need.percent is None:
        assert equity_last_with_percent(base, scenario, need.years, Decimal(1000)) < target
        return
    assert need.percent == need.percent.quantize(Decimal("0.01"))
    assert equity_last_with_percent(base, scenario, need.years, need.percent) >= target
    if need.at_lower_bound:
        assert need.percent == Decimal(-100)
    else:
        assert equity_last_with_percent(base, scenario, need.years, need.percent - Decimal("0.01")) < target


# 1. Room for a new activity ---------------------------------------------------------------------
def test_done_when_seed_floor_one_million_over_2025_2026(seed_budget):
    # By hand: equity at the end of 2024 is 1 362 650 and the 2025 and 2026 results are 0, so an amount
    # a per year in 2025–2026 gives equity 2025 = 1 362 650 − a ≥ 1 000 000 and equity 2026 =
    # 1 362 650 − 2a ≥ 1 000 000, so a ≤ 181 325; 2026 binds (with 181 326: 999 998 kr).
    room = afford_new_activity(seed_budget, 1_000_000, [2025, 2026])
    assert room.amount_per_year == 181_325
    assert room.binding_year == 2026
    assert not room.already_below
    assert room.to_json() == {"amount_per_year": 181_325, "years": [2025, 2026], "binding_year": 2026}
    assert equity_with_activity(seed_budget, Scenario(), [2025, 2026], 181_325) == {
        2024: 1_362_650,
        2025: 1_181_325,
        2026: 1_000_000,
    }
    assert equity_with_activity(seed_budget, Scenario(), [2025, 2026], 181_326)[2026] == 999_998


def test_room_over_every_plan_year_by_default(seed_budget):
    # 1 362 650 + 150 000 (2024 deficit covered) … equity 2026 = 1 362 650 − 3a ≥ 0 → a = 454 216
    room = afford_new_activity(seed_budget, 0)
    assert (room.amount_per_year, room.years, room.binding_year) == (454_216, (2024, 2025, 2026), 2026)
    assert_room_is_exact(seed_budget, Scenario(), 0, None)


def test_room_in_one_year_is_limited_by_the_years_after_it(seed_budget):
    # Spent in 2024 only, the money is gone in 2025 and 2026 too; 2024 equity is what binds first.
    room = afford_new_activity(seed_budget, 1_000_000, [2024])
    assert room.amount_per_year == 362_650
    assert room.binding_year == 2024
    assert_room_is_exact(seed_budget, Scenario(), 1_000_000, [2024])


def test_a_floor_already_broken_gives_zero_and_names_the_year(seed_budget):
    room = afford_new_activity(seed_budget, 1_400_000, [2025, 2026])
    assert (room.amount_per_year, room.binding_year, room.already_below) == (0, 2024, True)


def test_a_floor_met_exactly_affords_nothing_but_is_not_broken(seed_budget):
    room = afford_new_activity(seed_budget, 1_362_650, [2026])
    assert (room.amount_per_year, room.binding_year, room.already_below) == (0, 2026, False)


def test_room_with_interest_on_equity_is_exact_to_the_krona(seed_budget):
    # With a rate, each krona spent in 2025 also costs 3,57 öre of interest in 2026: not linear.
    scenario = Scenario(interest_rate=RATE)
    room = afford_new_activity(apply_scenario(seed_budget, scenario), 1_000_000, [2025, 2026])
    assert room.amount_per_year == 178_900
    assert_room_is_exact(seed_budget, scenario, 1_000_000, [2025, 2026])


def test_room_builds_on_the_scenario(seed_budget):
    scenario = Scenario(change=[LineChange(line="IT-spåret", years=[2025], percent=Decimal(-100))])
    room = afford_new_activity(apply_scenario(seed_budget, scenario), 1_000_000, [2025, 2026])
    assert room.amount_per_year == 181_325 + 281_250  # 562 500 freed, spread over two years
    assert_room_is_exact(seed_budget, scenario, 1_000_000, [2025, 2026])


@pytest.mark.parametrize(("years", "text"), [([2023], "utanför planåren"), ([], "minst ett planår")])
def test_room_years_must_be_plan_years(seed_budget, years, text):
    with pytest.raises(AnalysisError, match=text):
        afford_new_activity(seed_budget, 0, years)


@PROPERTY
@given(data=st.data())
def test_room_property_floor_met_exactly_and_one_krona_more_breaks_it(data):
    base = data.draw(budgets())
    scenario = data.draw(scenarios_for(base))
    plan = base.plan_years
    years = data.draw(st.lists(st.sampled_from(plan), min_size=1, unique=True))
    floor = data.draw(st.integers(min_value=-5_000_000, max_value=60_000_000))
    assert_room_is_exact(base, scenario, floor, years)


# 2a. Contributions for an equity target -------------------------------------------------------
def test_contributions_to_restore_equity_at_plan_start(seed_budget):
    # Target 1 512 650 (equity at the end of 2023) needs 150 000 more over 2025–2026. Total contributions
    # are 8 036 000 a year: 0,94 % gives 75 538,4 → 75 538 a year, 151 076 in all (enough); 0,93 % gives
    # 74 734,8 → 74 735 a year, 149 470 in all (not enough).
    need = contribution_for_target(seed_budget, Scenario(), 1_512_650, [2025, 2026])
    assert need.percent == Decimal("0.94")
    assert need.added == {2025: 75_538, 2026: 75_538}
    assert need.equity_at_percent == 1_362_650 + 151_076
    assert need.equity_one_step_less == 1_362_650 + 149_470
    assert_percent_is_exact(seed_budget, Scenario(), 1_512_650, [2025, 2026])


def test_contributions_can_fall_when_equity_is_above_target(seed_budget):
    need = contribution_for_target(seed_budget, Scenario(), 1_000_000)
    assert need.percent == Decimal("-1.50")  # 3 × 120 540 = 361 620 ≤ 362 650; −1,51 % takes 3 × 121 344
    assert_percent_is_exact(seed_budget, Scenario(), 1_000_000, None)


def test_contributions_target_out_of_reach_and_below_every_change(seed_budget):
    assert contribution_for_target(seed_budget, Scenario(), 10**12).percent is None
    lowest = contribution_for_target(seed_budget, Scenario(), -(10**9))
    assert (lowest.percent, lowest.at_lower_bound) == (Decimal(-100), True)


def test_contributions_with_interest_and_an_existing_change(seed_budget):
    scenario = Scenario(interest_rate=RATE, contributions=ContributionChange(percent={2025: Decimal(5)}))
    assert_percent_is_exact(seed_budget, scenario, 1_512_650, [2025, 2026])
    assert_percent_is_exact(seed_budget, scenario, 1_512_650, [2026])  # keeps 2025's +5 %


def test_applied_percent_goes_through_whatif(seed_budget):
    scenario = scenario_with_contribution_percent(Scenario(), [2025, 2026], Decimal("0.94"))
    assert scenario.contributions == ContributionChange(percent={2025: Decimal("0.94"), 2026: Decimal("0.94")})


@PROPERTY
@given(data=st.data())
def test_contributions_property_smallest_percent_on_the_grid(data):
    base = data.draw(budgets())
    scenario = data.draw(scenarios_for(base))
    years = data.draw(st.lists(st.sampled_from(base.plan_years), min_size=1, unique=True))
    now = compute(apply_scenario(base, scenario)).equity_end(base.plan_years[-1])
    target = now + data.draw(st.integers(min_value=-20_000_000, max_value=20_000_000))
    assert_percent_is_exact(base, scenario, target, years)


# 2b. Deficits --------------------------------------------------------------------------------------
def test_seed_deficits_with_and_without_the_decision(seed_budget):
    rows = {d.year: d for d in deficits(seed_budget)}
    assert (rows[2024].result, rows[2024].decided) == (-150_000, 150_000)
    assert rows[2024].deficit == 0  # Räkna med oss! is covered by the board's decision
    assert rows[2024].deficit_without_decisions == 150_000
    assert all(rows[y].deficit == rows[y].deficit_without_decisions == 0 for y in (2025, 2026))


def assert_cuts_balance(budget: Budget) -> None:
    rows = deficits(budget)
    cut = with_cost_cuts(budget, {d.year: d.deficit for d in rows})
    result = compute(cut)
    for year in budget.plan_years:
        assert check_balance(cut, result[year]).level == "ok"
    cut_all = compute(with_cost_cuts(budget, {d.year: d.deficit_without_decisions for d in rows}))
    assert all(cut_all[y].result >= 0 for y in budget.plan_years)
    for d in rows:  # each year's own cut balances that year exactly
        if d.deficit_without_decisions:
            alone = compute(with_cost_cuts(budget, {d.year: d.deficit_without_decisions}))
            assert alone[d.year].result == 0
        assert d.deficit <= d.deficit_without_decisions


def test_deficits_with_interest(seed_budget):
    scenario = Scenario(interest_rate=RATE, change=[LineChange(line="Styrelse", percent=Decimal(100))])
    assert_cuts_balance(apply_scenario(seed_budget, scenario))


@PROPERTY
@given(data=st.data())
def test_deficits_property_cuts_balance_every_plan_year(data):
    base = data.draw(budgets())
    assert_cuts_balance(apply_scenario(base, data.draw(scenarios_for(base))))


# 3. Sensitivity ----------------------------------------------------------------------------------
def equity_2026(base: Budget, scenario: Scenario) -> int:
    return compute(apply_scenario(base, scenario))[2026].equity_end


def test_seed_tornado_top_three(seed_budget):
    rows = sensitivity(seed_budget, Scenario())
    top = [(r.label, r.down, r.up) for r in rows[:3]]
    assert top == [
        (CONTRIBUTIONS_LABEL, -2_410_800, 2_410_800),  # 3 × 8 036 000 × 10 %
        ("SE-Höglandet", 1_194_000, -1_194_000),  # 3 × 3 980 000 × 10 %
        ("Uppdrag samverkan", 540_000, -540_000),  # 3 × 1 800 000 × 10 %
    ]
    swings = [r.swing for r in rows]
    assert swings == sorted(swings, reverse=True)
    assert len(rows) == len(seed_budget.costs) + 1


def test_each_bar_equals_an_independent_engine_run(seed_budget):
    scenario = Scenario(
        interest_rate=RATE,
        change=[LineChange(line="Tjänsteperson", years=[2026], percent=Decimal(5))],
        contributions=ContributionChange(percent={2025: Decimal(2)}),
        new_line=[NewLine(name="Digital arbetsträning", category="ny verksamhet", amounts={2025: 300_000})],
    )
    now = equity_2026(seed_budget, scenario)
    rows = {r.label: r for r in sensitivity(seed_budget, scenario, 20)}
    for line in ("SE-Höglandet", "Tjänsteperson", "Digital arbetsträning"):
        for percent, got in ((Decimal(-20), rows[line].down), (Decimal(20), rows[line].up)):
            moved = scenario.model_copy(update={"change": [*scenario.change, LineChange(line=line, percent=percent)]})
            assert got == equity_2026(seed_budget, moved) - now
    # Contributions: the scenario's own totals (2025 already +2 %) moved ±20 % in every plan year.
    totals = {y: compute(apply_scenario(seed_budget, scenario))[y].contributions for y in seed_budget.plan_years}
    for sign, got in ((-1, rows[CONTRIBUTIONS_LABEL].down), (1, rows[CONTRIBUTIONS_LABEL].up)):
        delta = {y: apply_percent(totals[y], sign * 20) - 8_036_000 for y in totals}
        moved = scenario.model_copy(update={"contributions": ContributionChange(delta=delta)})
        assert got == equity_2026(seed_budget, moved) - now


def test_contribution_bar_on_the_seed_equals_a_plain_percent_change(seed_budget):
    row = next(r for r in sensitivity(seed_budget, Scenario()) if r.label == CONTRIBUTIONS_LABEL)
    plain = Scenario(contributions=ContributionChange(percent=dict.fromkeys(seed_budget.plan_years, Decimal(10))))
    assert row.up == equity_2026(seed_budget, plain) - 1_362_650


def test_locked_and_removed_lines_are_left_out(seed_budget):
    scenario = Scenario(locked=["Revision"], remove=["IT-spåret"])
    labels = {r.label for r in sensitivity(seed_budget, scenario)}
    assert "Revision" not in labels and "IT-spåret" not in labels and "SE-Höglandet" in labels


@pytest.mark.parametrize("percent", [0, -5, 101])
def test_sensitivity_percent_must_be_between_0_and_100(seed_budget, percent):
    with pytest.raises(AnalysisError, match="Procentsatsen"):
        sensitivity(seed_budget, Scenario(), percent)


@PROPERTY
@given(data=st.data())
def test_sensitivity_property_bars_are_independent_runs(data):
    base = data.draw(budgets(max_costs=4))
    scenario = data.draw(scenarios_for(base))
    percent = data.draw(st.integers(min_value=1, max_value=100))
    last = base.plan_years[-1]
    now = compute(apply_scenario(base, scenario)).equity_end(last)
    for row in sensitivity(base, scenario, percent):
        if row.kind != "kostnad":
            continue
        for p, got in ((-percent, row.down), (percent, row.up)):
            moved = scenario.model_copy(
                update={"change": [*scenario.change, LineChange(line=row.label, percent=Decimal(p))]}
            )
            assert got == compute(apply_scenario(base, moved)).equity_end(last) - now
        assert row.down >= 0 >= row.up  # less cost never lowers equity


def test_tornado_figure_draws_the_rows_in_order_with_swedish_labels(seed_budget):
    rows = sensitivity(seed_budget, Scenario())
    fig = tornado_figure([(r.label, r.down, r.up) for r in rows], "−10 %", "+10 %")
    down, up = fig.data
    assert (down.name, up.name) == ("−10 %", "+10 %")
    assert list(down.y) == [r.label for r in rows]
    assert list(down.x) == [r.down for r in rows] and list(up.x) == [r.up for r in rows]
    assert down.text[0] == "−2 410 800 kr" and up.text[0] == "+2 410 800 kr"
    assert fig.layout.separators == ", "
    assert fig.layout.yaxis.autorange == "reversed"


# 4. Rolling the plan forward --------------------------------------------------------------------------
THREE_YEARS = {y: {"lön": Decimal(3), "pris": Decimal(2)} for y in (2027, 2028, 2029)}


@pytest.fixture
def rolled(seed_budget) -> Budget:
    marked = with_index_marks(seed_budget, {"Tjänsteperson": "lön", "Ekonomihantering": "pris"})
    return roll_forward(marked, THREE_YEARS)


def test_roll_forward_figures_by_hand(rolled):
    wages = rolled.cost_line("Tjänsteperson").amounts
    assert wages[2027] == 1_221_580  # 1 186 000 × 1,03
    assert wages[2028] == 1_258_227  # 1 221 580 × 1,03 = 1 258 227,4, compounding on 2027
    assert wages[2029] == 1_295_974  # 1 258 227 × 1,03 = 1 295 973,81
    prices = rolled.cost_line("Ekonomihantering").amounts
    assert (prices[2027], prices[2028]) == (104_040, 106_121)  # 102 000 × 1,02; 104 040 × 1,02 = 106 120,8
    flat = rolled.cost_line("Styrelse").amounts
    assert flat[2027] == flat[2028] == flat[2029] == 60_000
    assert rolled.cost_line("IT-spåret").amounts[2027] == 0  # 2026's amount


def test_roll_forward_keeps_contributions_and_revenue_at_the_last_plan_year(rolled, seed_budget):
    for member in rolled.members:
        assert {member.contributions[y] for y in (2026, 2027, 2028, 2029)} == {member.contributions[2026]}
    interest = rolled.revenue_line("Ränta").amounts
    assert interest[2027] == interest[2029] == 50_000
    result = compute(rolled)
    assert result[2027].contributions == 8_036_000
    assert result[2027].result == -(35_580 + 2_040)  # only the indexed lines grew
    assert result[2026].equity_end == 1_362_650  # the old years are untouched


def test_roll_forward_years_and_decisions(rolled, seed_budget):
    kinds = {y.year: y.kind for y in rolled.years}
    assert kinds == {
        2023: "prognos",
        2024: "prognos",
        2025: "prognos",
        2026: "prognos",
        2027: "plan",
        2028: "plan",
        2029: "plan",
    }
    assert rolled.equity_uses == seed_budget.equity_uses
    assert rolled.opening_equity == seed_budget.opening_equity
    assert seed_budget.plan_years == [2024, 2025, 2026]  # the input is not changed


def test_rolling_one_year_keeps_the_plan_window(seed_budget):
    one = roll_forward(seed_budget, {2027: {"lön": Decimal(3), "pris": Decimal(2)}})
    assert one.plan_years == [2025, 2026, 2027]
    assert one.year_kind(2024) == "prognos"
    assert compute(one)[2027].result == 0  # nothing indexed: 2026 again


def test_roll_forward_writes_down_the_municipal_key(seed_budget):
    rolled = roll_forward(seed_budget, THREE_YEARS)
    assert rolled.municipal_keys() == seed_budget.municipal_keys()
    assert next(m for m in rolled.members if m.name == "Aneby kommun").key == Decimal(119_465)


@pytest.mark.parametrize(
    ("new_years", "text"),
    [
        ({}, "minst ett nytt år"),
        ({2028: {"lön": Decimal(3)}}, "direkt efter 2026"),
        ({2027: {"lön": Decimal(3)}, 2029: {"lön": Decimal(3)}}, "utan luckor"),
        ({2027: {"hyra": Decimal(3)}}, "okänt index"),
        ({2027: {"lön": Decimal(-101)}}, "mellan"),
    ],
)
def test_roll_forward_refuses_bad_years_in_swedish(seed_budget, new_years, text):
    with pytest.raises(AnalysisError, match=text):
        roll_forward(seed_budget, new_years)


def test_index_marks_refuse_unknown_lines(seed_budget):
    with pytest.raises(AnalysisError, match="Okända"):
        with_index_marks(seed_budget, {"Finns inte": "lön"})


def test_rolled_budget_saves_as_a_new_version_and_the_old_one_stays(rolled, seed_budget, db_path):
    con = store.open_store(db_path)
    try:
        first = store.current_version_id(con)
        version = store.save_budget(con, rolled, author="Förbundschef", reason=roll_forward_reason([2027, 2028, 2029]))
        assert version > first
        assert store.load_budget(con) == rolled
        assert store.load_budget(con, first).plan_years == [2024, 2025, 2026]
        assert store.list_versions(con)[0].reason == "Framrullning till 2027–2029"
    finally:
        con.close()


@PROPERTY
@given(data=st.data())
def test_roll_forward_property(data):
    budget = data.draw(budgets())
    marks = {c.name: data.draw(st.sampled_from([None, "lön", "pris"])) for c in budget.costs}
    budget = with_index_marks(budget, marks)
    count = data.draw(st.integers(min_value=1, max_value=4))
    after = budget.year_numbers[-1]
    percents = st.decimals(min_value=-10, max_value=20, places=1)
    new_years = {after + i: {"lön": data.draw(percents), "pris": data.draw(percents)} for i in range(1, count + 1)}
    rolled = roll_forward(budget, new_years)
    last = budget.plan_years[-1]
    assert rolled.year_numbers == budget.year_numbers + sorted(new_years)
    assert rolled.plan_years[-count:] == sorted(new_years)
    assert len(rolled.plan_years) == max(len(budget.plan_years), count)
    for old, new in zip(budget.costs, rolled.costs, strict=True):
        assert all(new.amounts[y] == old.amounts[y] for y in budget.year_numbers)
        if old.index is None:
            assert all(new.amounts[y] == old.amounts[last] for y in new_years)
    for old, new in zip(budget.members, rolled.members, strict=True):
        assert all(new.contributions[y] == old.contributions[last] for y in new_years)
    before, after_result = compute(budget), compute(rolled)
    assert all(after_result[y].equity_end == before[y].equity_end for y in budget.year_numbers)


# Command line ------------------------------------------------------------------------------------------
def run_afford(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="test")
    add_afford_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["afford", *argv])
    return cmd_afford(args)


def test_cli_afford_json_on_the_seed(capsys):
    assert run_afford("--budget", str(SEED), "--floor", "1 000 000", "--years", "2025-2026", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {
        "amount_per_year": 181_325,
        "years": [2025, 2026],
        "binding_year": 2026,
    }


def test_cli_afford_text_in_swedish(capsys):
    assert run_afford("--budget", str(SEED), "--floor", "1000000", "--years", "2025–2026") == 0
    out = capsys.readouterr().out
    assert "181 325 kr per år" in out and "Bindande år 2026" in out and "999 998 kr" in out


def test_cli_afford_reads_the_database_and_a_scenario(capsys, db_path, tmp_path):
    scenario = tmp_path / "ranta.toml"
    scenario.write_text("interest_rate = 3.57\n", encoding="utf-8")
    assert (
        run_afford(
            "--db", str(db_path), "--floor", "1000000", "--years", "2025,2026", "--scenario", str(scenario), "--json"
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["amount_per_year"] == 178_900


def test_cli_afford_says_when_the_floor_is_already_broken(capsys):
    assert run_afford("--budget", str(SEED), "--floor", "2 000 000", "--json") == 0
    assert json.loads(capsys.readouterr().out) == {
        "amount_per_year": 0,
        "years": [2024, 2025, 2026],
        "binding_year": 2024,
    }
    run_afford("--budget", str(SEED), "--floor", "2 000 000")
    assert "Inget utrymme" in capsys.readouterr().out


def test_cli_afford_years_outside_the_plan_is_a_budget_error():
    # cli.main catches BudgetError, prints it in Swedish and exits 2
    with pytest.raises(AnalysisError, match="utanför planåren"):
        run_afford("--budget", str(SEED), "--floor", "0", "--years", "2022-2023")


@pytest.mark.parametrize(
    "bad", [["--floor", "en miljon"], ["--floor", "0", "--years", "2026-2025"], ["--floor", "0", "--years", "nästa år"]]
)
def test_cli_afford_bad_arguments_exit_2(bad, capsys):
    with pytest.raises(SystemExit) as exc:
        run_afford("--budget", str(SEED), *bad)
    assert exc.value.code == 2


def test_parse_years_forms():
    assert parse_years("2025-2026") == parse_years("2025–2026") == parse_years("2025,2026") == [2025, 2026]
    assert parse_years("2026") == [2026]
