from core.analysis.history import diff_budgets
from core.model.budget import CostLine, RuleSettings


def test_identical_budgets_have_no_history(seed_budget):
    assert diff_budgets(seed_budget, seed_budget) == []


def test_a_changed_amount_shows_line_year_old_and_new(seed_budget):
    costs = [
        c.model_copy(update={"amounts": {**c.amounts, 2025: 4_100_000}}) if c.name == "SE-Höglandet" else c
        for c in seed_budget.costs
    ]
    changes = diff_budgets(seed_budget, seed_budget.model_copy(update={"costs": costs}))
    assert [(c.what, c.old, c.new) for c in changes] == [("Kostnad SE-Höglandet, 2025", "3 980 000 kr", "4 100 000 kr")]


def test_added_and_removed_lines_and_settings_are_listed(seed_budget):
    costs = [c for c in seed_budget.costs if c.name != "Psykiatriveckan"]
    costs.append(CostLine(name="Ny insats", amounts={2025: 100_000}))
    new = seed_budget.model_copy(update={"costs": costs, "settings": RuleSettings(equity_floor=500_000)})
    text = {(c.what, c.old, c.new) for c in diff_budgets(seed_budget, new)}
    assert ("Kostnad Psykiatriveckan", "finns (0 kr totalt)", "borttagen") in text
    assert ("Kostnad Ny insats", "saknas", "tillagd (100 000 kr totalt)") in text
    assert ("Golv för eget kapital", "0 kr", "500 000 kr") in text
