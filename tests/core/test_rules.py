import pytest

from core.engine.compute import compute
from core.model.budget import Budget, CostLine, Member, RuleSettings
from core.rules.checks import (
    check_balance,
    check_equity_ceiling,
    check_equity_floor,
    check_municipal_key,
    check_statutory_split,
    run_checks,
    worst_level,
)


def _with_contribution(budget: Budget, member: str, year: int, amount: int) -> Budget:
    members = [
        m.model_copy(update={"contributions": {**m.contributions, year: amount}}) if m.name == member else m
        for m in budget.members
    ]
    return budget.model_copy(update={"members": members})


def _with_cost(budget: Budget, line: str, year: int, amount: int) -> Budget:
    costs = [
        c.model_copy(update={"amounts": {**c.amounts, year: amount}}) if c.name == line else c for c in budget.costs
    ]
    return budget.model_copy(update={"costs": costs})


def test_seed_passes_every_check(seed_budget):
    checks = run_checks(seed_budget)
    assert worst_level(checks) == "ok"
    assert {c.rule for c in checks} == {
        "lagstadgad_fordelning",
        "kommunal_nyckel",
        "budget_i_balans",
        "eget_kapital_golv",
        "eget_kapital_tak",
    }


def test_every_check_names_its_year(seed_budget):
    assert all(str(c.year) in c.message for c in run_checks(seed_budget))


def test_statutory_split_fails_when_state_pays_more_than_half(seed_budget):
    budget = _with_contribution(seed_budget, "Försäkringskassan och Arbetsförmedlingen", 2025, 4_100_000)
    check = check_statutory_split(budget, compute(budget)[2025])
    assert check.level == "fel"
    assert "2025" in check.message and "4 100 000 kr" in check.message and "hälften" in check.message


def test_statutory_split_tolerates_the_half_krona_of_an_odd_total(seed_budget):
    budget = _with_contribution(seed_budget, "Aneby kommun", 2025, 119_466)
    budget = _with_contribution(budget, "Region Jönköpings län", 2025, 2_009_000)
    budget = _with_contribution(budget, "Försäkringskassan och Arbetsförmedlingen", 2025, 4_018_001)
    assert check_statutory_split(budget, compute(budget)[2025]).level == "ok"


def test_municipal_key_warns_when_a_municipality_pays_off_key(seed_budget):
    budget = _with_contribution(seed_budget, "Aneby kommun", 2026, 130_000)
    check = check_municipal_key(budget, compute(budget)[2026])
    assert check.level == "varning"
    assert "Aneby kommun" in check.message and "130 000 kr" in check.message and "2026" in check.message


def test_municipal_key_passes_for_the_seed(seed_budget):
    assert check_municipal_key(seed_budget, compute(seed_budget)[2024]).level == "ok"


def test_deficit_without_decision_is_an_error_naming_the_uncovered_amount(seed_budget):
    budget = _with_cost(seed_budget, "IT-spåret", 2026, 762_500)
    check = check_balance(budget, compute(budget)[2026])
    assert check.level == "fel"
    assert "−762 500 kr" in check.message and "2026" in check.message


def test_deficit_covered_by_decided_use_of_equity_is_ok(seed_budget):
    check = check_balance(seed_budget, compute(seed_budget)[2024])
    assert check.level == "ok"
    assert "150 000 kr" in check.message


def test_deficit_larger_than_decision_is_an_error(seed_budget):
    budget = _with_cost(seed_budget, "Räkna med oss!", 2024, 200_000)
    check = check_balance(budget, compute(budget)[2024])
    assert check.level == "fel"
    assert "50 000 kr saknar beslut" in check.message


def test_negative_equity_is_an_error(seed_budget):
    budget = _with_cost(seed_budget, "SE-Höglandet", 2025, 6_000_000)
    check = check_equity_floor(budget, compute(budget)[2025])
    assert check.level == "fel"
    assert "får inte bli negativt" in check.message and "2025" in check.message


def test_equity_below_configured_floor_is_a_warning(seed_budget):
    budget = seed_budget.model_copy(update={"settings": RuleSettings(equity_floor=1_400_000)})
    check = check_equity_floor(budget, compute(budget)[2026])
    assert check.level == "varning"
    assert "1 362 650 kr" in check.message and "1 400 000 kr" in check.message


def test_equity_above_ceiling_is_a_warning_that_points_to_nationella_radet(seed_budget):
    budget = seed_budget.model_copy(update={"settings": RuleSettings(equity_ceiling_pct=15)})
    check = check_equity_ceiling(budget, compute(budget)[2026])
    assert check.level == "varning"
    assert "16,9 %" in check.message and "Nationella rådet" in check.message


def test_shipped_ceiling_default_says_it_must_be_checked():
    assert "Nationella rådets aktuella rekommendation" in RuleSettings().ceiling_source


@pytest.fixture
def kommunalforbund() -> Budget:
    """Höglandsförbundet-like: municipalities only, categories not used."""
    return Budget(
        name="Höglandsförbundet",
        years=[{"year": 2025, "kind": "plan"}],
        opening_equity=500_000,
        members=[
            Member(name="Eksjö kommun", kind="kommun", contributions={2025: 3_000_000}),
            Member(name="Nässjö kommun", kind="kommun", contributions={2025: 5_000_000}),
        ],
        costs=[CostLine(name="Höglandets IT", amounts={2025: 8_000_000})],
    )


def test_kommunalforbund_gets_no_statutory_split_checks(kommunalforbund):
    checks = run_checks(kommunalforbund)
    assert {c.rule for c in checks} == {"budget_i_balans", "eget_kapital_golv", "eget_kapital_tak"}
    assert worst_level(checks) in ("ok", "varning")
