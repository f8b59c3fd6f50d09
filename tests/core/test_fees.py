"""Financing ``avgifter``: fees that cover each activity's net cost, split by the activity's key."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.engine.compute import ActivityFigures, compute
from core.model.budget import COMMON_ACTIVITY, Budget, CostKey, CostLine, Member, RevenueLine
from core.model.kinds import KOMMUNALFORBUND, SAMORDNINGSFORBUND, contribution_split_text, kind_of
from core.rules.checks import run_checks


def small_budget(**changes) -> Budget:
    data = dict(
        name="Småförbundet",
        financing="avgifter",
        years=[{"year": 2024, "kind": "prognos"}, {"year": 2025, "kind": "plan"}],
        opening_equity=500,
        members=[
            Member(name="A", kind="kommun", contributions={2024: 700, 2025: 0}),
            Member(name="B", kind="kommun", contributions={2024: 300, 2025: 0}),
            Member(name="C", kind="kommun", contributions={2024: 0, 2025: 0}),
        ],
        revenues=[RevenueLine(name="Försäljning", activity="IT", amounts={2024: 50, 2025: 100})],
        costs=[
            CostLine(name="IT-personal", activity="IT", amounts={2024: 900, 2025: 1000}),
            CostLine(name="Kansli", amounts={2024: 90, 2025: 90}),
        ],
        keys=[
            CostKey(activity="IT", name="användare", weights={"A": {2025: 1}, "B": {2025: 2}}),
            CostKey(activity="IT", name="invånare", weights={"A": {2025: 3}, "B": {2025: 1}, "C": {2025: 1}}),
            CostKey(name="invånare", weights={"A": {2025: 1}, "B": {2025: 1}, "C": {2025: Decimal("1.0")}}),
        ],
        planned_result={2025: 10},
    )
    data.update(changes)
    return Budget(**data)


def test_fees_cover_each_activity_by_its_first_key_with_ties_to_the_first_member():
    budget = small_budget()
    year = compute(budget)[2025]
    # IT: 1 000 − 100 = 900 by användare 1:2 (C has no weight: it does not take part).
    assert year.activities["IT"] == ActivityFigures(net_cost=900, fees={"A": 300, "B": 600, "C": 0})
    # Gemensamt: 90 + planned result 10 = 100 over 1:1:1 → 33,33 each; the krona left goes to A (first).
    assert year.activities[COMMON_ACTIVITY] == ActivityFigures(net_cost=100, fees={"A": 34, "B": 33, "C": 33})
    assert year.contributions_by_member == {"A": 334, "B": 633, "C": 33}
    assert year.contributions == 1000
    assert year.result == 10  # the planned result
    assert year.equity_end == compute(budget)[2024].equity_end + 10


def test_prognos_years_use_the_stated_fees():
    year = compute(small_budget())[2024]
    assert year.contributions_by_member == {"A": 700, "B": 300, "C": 0}
    assert year.activities == {}
    assert year.result == 700 + 300 + 50 - 900 - 90


def test_activities_in_budget_order_with_gemensamt_first():
    budget = small_budget()
    assert budget.activities == [COMMON_ACTIVITY, "IT"]
    assert budget.key_in_use("IT") == "användare"
    assert budget.key_in_use(None) == "invånare"
    assert budget.key_in_use("Familjerätt") is None


def test_a_decided_fee_that_differs_from_the_computed_one_is_a_warning():
    members = [
        Member(name="A", kind="kommun", contributions={2024: 700, 2025: 334}),
        Member(name="B", kind="kommun", contributions={2024: 300, 2025: 600}),
        Member(name="C", kind="kommun", contributions={2024: 0}),
    ]
    budget = small_budget(members=members)
    checks = {c.rule: c for c in run_checks(budget) if c.year == 2025}
    assert checks["beslutad_avgift"].level == "varning"
    assert "B har beslutad avgift 600 kr men avgiften enligt nycklarna blir 633 kr (+33 kr)" in (
        checks["beslutad_avgift"].message
    )
    assert "A har" not in checks["beslutad_avgift"].message


def test_kinds_are_data():
    budget = small_budget()
    assert kind_of(budget) is KOMMUNALFORBUND
    assert {c.rule for c in run_checks(budget)} <= set(KOMMUNALFORBUND.checks)
    assert SAMORDNINGSFORBUND.split_label() == "50/25/25"
    assert "verksamheternas" in contribution_split_text(budget, "styrelse")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (dict(members=[Member(name="Staten", kind="stat"), Member(name="A", kind="kommun")]), "fasta"),
        (dict(keys=[]), "ingen fördelningsnyckel"),
        (dict(keys=[CostKey(name="invånare", weights={"Okänd": {2025: 1}})]), "okända medlemmar"),
        (dict(financing="fasta"), "bara förbund med finansiering avgifter"),
    ],
)
def test_invalid_fee_budgets_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        small_budget(**changes)
