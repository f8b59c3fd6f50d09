"""The store keeps financing, activities on lines, keys with weights and the planned result; the history shows
changes to them."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from core import store
from core.analysis.history import diff_budgets
from core.files.budget_file import read_budget
from core.model.budget import CostKey
from tests.core.test_fee_files import ISSUE_EXAMPLE, csv_of
from tests.strategies import fee_budgets


def example():
    return read_budget(csv_of(ISSUE_EXAMPLE), "budget.csv")


def test_a_fee_budget_is_stored_and_loaded_exactly(tmp_path):
    budget = example()
    con = store.open_store(tmp_path / "budget.duckdb")
    try:
        version = store.save_budget(con, budget, author="Ekonomen", reason="Avgifter")
        loaded = store.load_budget(con, version)
        assert loaded == budget
        assert loaded.keys[0].weights["Aneby kommun"][2026] == Decimal("1000.5")
        assert [k.name for k in loaded.keys] == ["användare", "invånare"]
        assert store.load_budget(con, 1).financing == "fasta"  # the seed, as before
    finally:
        con.close()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(budget=fee_budgets(max_members=3))
def test_any_fee_budget_round_trips_through_the_store(tmp_path, budget):
    con = store.connect(":memory:")
    try:
        version = store.save_budget(con, budget, author="Test", reason="Egenskap")
        assert store.load_budget(con, version) == budget
    finally:
        con.close()


def test_history_shows_financing_keys_weights_activities_and_planned_result():
    old = example()
    keys = list(old.keys)
    weights = {m: dict(w) for m, w in keys[0].weights.items()}
    weights["Eksjö kommun"][2027] = Decimal("2400.5")
    keys[0] = keys[0].model_copy(update={"weights": weights})
    keys.append(CostKey(activity="Höglandets IT", name="andel", weights={"Eksjö kommun": {2026: Decimal(50)}}))
    costs = [c.model_copy(update={"activity": None}) if c.name == "Personal IT" else c for c in old.costs]
    new = old.model_copy(update={"keys": keys, "costs": costs, "planned_result": {**old.planned_result, 2027: 0}})
    text = {(c.what, c.old, c.new) for c in diff_budgets(old, new)}
    assert ("Nyckel användare för Höglandets IT, Eksjö kommun 2027", "2 340", "2 400,5") in text
    assert ("Nyckel andel för Höglandets IT", "saknas", "tillagd") in text
    assert ("Kostnad Personal IT, verksamhet", "Höglandets IT", "Gemensamt") in text
    assert ("Planerat resultat, 2027", "400 000 kr", "0 kr") in text
    fixed = old.model_copy(update={"financing": "fasta"})
    assert ("Finansiering", "avgifter per verksamhet", "fasta medlemsavgifter") in {
        (c.what, c.old, c.new) for c in diff_budgets(old, fixed)
    }
