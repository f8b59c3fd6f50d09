from hypothesis import given, settings
from hypothesis import strategies as st

from core.engine.compute import compute
from core.model.money import format_pct
from tests.strategies import budgets

SEED_REVENUE = {2023: 8_136_068, 2024: 8_086_000, 2025: 8_086_000, 2026: 8_086_000}
SEED_COSTS = {2023: 7_839_000, 2024: 8_236_000, 2025: 8_086_000, 2026: 8_086_000}
SEED_RESULT = {2023: 297_068, 2024: -150_000, 2025: 0, 2026: 0}
SEED_EQUITY = {2023: 1_512_650, 2024: 1_362_650, 2025: 1_362_650, 2026: 1_362_650}


def test_seed_reproduces_every_figure_of_the_verksamhetsplan(seed_budget):
    result = compute(seed_budget)
    for year in SEED_REVENUE:
        assert result[year].revenue == SEED_REVENUE[year]
        assert result[year].costs == SEED_COSTS[year]
        assert result[year].result == SEED_RESULT[year]
        assert result[year].equity_end == SEED_EQUITY[year]


def test_seed_cost_shares_2024_match_section_6(seed_budget):
    year = compute(seed_budget)[2024]
    shares = {c: format_pct(year.cost_share(c)) for c in year.costs_by_category if year.costs_by_category[c]}
    assert shares == {
        "individinriktade insatser": "55,2 %",
        "strukturövergripande insatser": "23,9 %",
        "administration": "18,5 %",
        "ny verksamhet": "2,4 %",
    }


def test_seed_contributions_per_member_and_party(seed_budget):
    year = compute(seed_budget)[2024]
    assert year.contributions_by_member["Nässjö kommun"] == 557_750
    assert year.contributions_by_kind == {"stat": 4_018_000, "region": 2_009_000, "kommun": 2_009_000}


def test_summary_has_headline_figures_per_year(seed_budget):
    summary = compute(seed_budget).summary()
    assert summary["2024"] == {"revenue": 8086000, "costs": 8236000, "result": -150000, "equity_end": 1362650}


def test_interest_rate_is_applied_to_equity_at_start_of_each_plan_year(seed_budget):
    budget = seed_budget.model_copy(update={"interest_rate_pct": 2})
    result = compute(budget)
    assert result[2023].interest == 100_000  # prognos years keep the budget's own amount
    assert result[2024].interest == 30_253  # 2 % of 1 512 650, rounded half up
    assert result[2024].equity_end == 1_342_903  # 1 512 650 + 8 036 000 + 30 253 − 8 236 000
    assert result[2025].interest == 26_858  # 2 % of 1 342 903 = 26 858,06


def test_compute_does_not_change_the_budget(seed_budget):
    before = seed_budget.model_dump()
    compute(seed_budget)
    assert seed_budget.model_dump() == before


@settings(max_examples=150, deadline=None)
@given(budgets())
def test_equity_chain_holds_for_any_budget(budget):
    result = compute(budget)
    equity = budget.opening_equity
    for year in budget.year_numbers:
        figures = result[year]
        assert figures.result == figures.revenue - figures.costs
        assert figures.equity_start == equity
        assert figures.equity_end == equity + figures.result
        assert figures.revenue == figures.contributions + figures.other_revenue
        assert sum(figures.costs_by_category.values()) == figures.costs
        equity = figures.equity_end
    assert all(isinstance(v, int) for y in result.years.values() for v in (y.revenue, y.costs, y.equity_end))


@settings(max_examples=50, deadline=None)
@given(budgets(), st.decimals(min_value=0, max_value=10, places=2))
def test_interest_is_never_negative_even_if_equity_is(budget, rate):
    result = compute(budget.model_copy(update={"interest_rate_pct": rate}))
    assert all(y.interest >= 0 for y in result.years.values() if y.kind == "plan")
