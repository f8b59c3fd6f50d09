"""Scenarios on an ``avgifter`` federation: new lines in an activity, key changes and weights."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest

from core import store
from core.engine.compute import compute
from core.engine.scenario import (
    KeyChange,
    Scenario,
    WeightChange,
    apply_scenario,
    parse_scenario_toml,
    scenario_to_toml,
)
from core.files.scenario_file import read_scenario_upload
from core.files.sharelink import decode_scenario, encode_scenario, read_share_link
from core.model.budget import CostKey
from core.model.errors import ScenarioError
from core.papers.prose import describe_scenario
from tests.core.test_fees import small_budget

TOML = """
name = "IT delas efter invånare"

[[new_line]]
name = "Licenser"
activity = "IT"
amounts = { 2025 = 200 }

[[key_change]]
activity = "IT"
key = "invånare"

[[weight]]
activity = "it"
member = "c"
years = [2025]
weight = 0
"""


def test_a_toml_scenario_with_activity_key_change_and_weight_applies_as_stated():
    budget = small_budget()
    scenario = parse_scenario_toml(TOML, "it.toml")
    assert scenario.key_changes == [KeyChange(activity="IT", key="invånare")]
    assert scenario.weights == [WeightChange(activity="it", member="c", years=[2025], weight=Decimal(0))]
    applied = apply_scenario(budget, scenario, source="it.toml")
    assert applied.cost_line("Licenser").activity == "IT"
    year = compute(applied)[2025]
    # IT: 1 000 + 200 − 100 = 1 100 by invånare 3 : 1 : 0 (C leaves) → 825 and 275.
    assert year.activities["IT"].fees == {"A": 825, "B": 275, "C": 0}
    assert year.result == 10
    assert applied.key_in_use("IT", 2025) == "invånare"
    assert budget.key_in_use("IT", 2025) == "användare"  # the baseline is untouched


def test_the_toml_round_trips_with_the_files_own_names():
    scenario = parse_scenario_toml(TOML)
    text = scenario_to_toml(scenario)
    data = tomllib.loads(text)
    assert data["key_change"] == [{"activity": "IT", "key": "invånare"}]
    assert data["weight"] == [{"activity": "it", "member": "c", "years": [2025], "weight": 0}]
    assert data["new_line"][0]["activity"] == "IT"
    assert parse_scenario_toml(text) == scenario


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            '[[key_change]]\nactivity = "Familjerätt"\nkey = "invånare"',
            "fil.toml: [[key_change]] nr 1: okänd verksamhet 'Familjerätt'",
        ),
        (
            '[[key_change]]\nactivity = "IT"\nkey = "fakturor"',
            "fil.toml: [[key_change]] nr 1: okänd nyckel 'fakturor' för IT",
        ),
        ('[[weight]]\nactivity = "IT"\nmember = "D"\nweight = 1', "fil.toml: [[weight]] nr 1: okänd medlem 'D'"),
        (
            '[[weight]]\nactivity = "IT"\nmember = "A"\nyears = [2024]\nweight = 1',
            "fil.toml: [[weight]] nr 1: år [2024]",
        ),
        (
            '[[new_line]]\nname = "X"\nactivity = "Okänd"\namounts = { 2025 = 1 }',
            "fil.toml: [[new_line]] nr 1: okänd verksamhet",
        ),
        ("[contributions]\npercent = { 2025 = 5 }", "fil.toml: [contributions]: förbundet finansieras med avgifter"),
    ],
)
def test_problems_name_the_file_the_entry_and_the_problem(entry, expected):
    with pytest.raises(ScenarioError) as caught:
        read_scenario_upload(entry.encode(), "fil.toml", small_budget())
    assert any(m.startswith(expected) for m in caught.value.messages), caught.value.messages


def test_everyone_leaving_an_activity_with_a_net_cost_is_an_error():
    scenario = Scenario(weights=[WeightChange(activity="IT", member=m, weight=Decimal(0)) for m in ("A", "B")])
    with pytest.raises(
        ScenarioError, match=r"s.toml: \[\[weight\]\] nr 2: ingen medlem har vikt i nyckeln för IT 2025"
    ):
        apply_scenario(small_budget(), scenario, source="s.toml")


def test_share_links_and_saved_scenarios_carry_key_changes_and_weights(tmp_path):
    budget = small_budget()
    scenario = parse_scenario_toml(TOML)
    assert decode_scenario(encode_scenario(scenario)) == scenario
    shared = read_share_link(encode_scenario(scenario), budget)
    assert shared.scenario == scenario and shared.ignored == []
    stale = scenario.model_copy(update={"weights": [WeightChange(activity="IT", member="Borta", weight=Decimal(1))]})
    shared = read_share_link(encode_scenario(stale), budget)
    assert shared.scenario.weights == [] and shared.scenario.key_changes == scenario.key_changes
    assert shared.ignored == ["Ändrad vikt nr 1 (IT): okänd medlem 'Borta'."]
    con = store.open_store(tmp_path / "budget.duckdb")
    try:
        saved = store.save_scenario(con, scenario, author="Ekonomen")
        assert store.load_scenario(con, saved.scenario_id) == scenario
    finally:
        con.close()


def test_the_board_paper_describes_the_entries_in_swedish():
    lines = describe_scenario(small_budget(), parse_scenario_toml(TOML))
    assert "Ny kostnadsrad Licenser i verksamheten IT: 200 kr 2025." in lines
    assert "IT fördelas 2025 efter nyckeln invånare i stället för användare." in lines
    assert "C deltar inte i IT 2025 (vikt 0)." in lines


def test_a_key_change_in_every_plan_year_is_kept_as_key_order_when_exported():
    from core.files.budget_file import read_budget, write_budget_csv

    applied = apply_scenario(small_budget(), Scenario(key_changes=[KeyChange(activity="IT", key="invånare")]))
    again = read_budget(write_budget_csv(applied), "b.csv")
    assert again.key_in_use("IT") == "invånare"
    assert compute(again)[2025].activities == compute(applied)[2025].activities
    both = {2024: Decimal(1), 2025: Decimal(1)}
    keys = [
        CostKey(activity=a, name=n, weights={"A": both})
        for a, n in (("IT", "användare"), ("IT", "invånare"), (None, "x"))
    ]
    two_years = small_budget(years=[{"year": 2024, "kind": "plan"}, {"year": 2025, "kind": "plan"}], keys=keys)
    partial = apply_scenario(two_years, Scenario(key_changes=[KeyChange(activity="IT", key="invånare", years=[2025])]))
    exported = read_budget(write_budget_csv(partial), "b.csv")
    assert exported.key_in_use("IT") == "användare / invånare (scenario)"
    assert [k.name for k in exported.keys_of("IT")] == ["användare / invånare (scenario)", "användare", "invånare"]
    for year in (2024, 2025):
        assert compute(exported)[year].activities == compute(partial)[year].activities


def test_a_stale_link_that_would_leave_an_activity_without_payers_drops_that_weight():
    scenario = Scenario(weights=[WeightChange(activity="IT", member=m, weight=Decimal(0)) for m in ("A", "B")])
    shared = read_share_link(encode_scenario(scenario), small_budget())
    assert shared.scenario.weights == scenario.weights[:1]
    assert shared.ignored == [
        "Ändrad vikt nr 2 (IT): ingen medlem har vikt i nyckeln för IT 2025, men verksamheten har en nettokostnad."
    ]
