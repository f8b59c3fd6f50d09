"""Jämför: figures side by side right to the krona, the lines that differ, and each scenario's checks."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import store
from core.analysis.compare import (
    EFFECT_COLUMN,
    comparison_table,
    difference_column,
    line_delta_table,
    line_deltas,
    unique_labels,
)
from core.engine.compute import compute
from core.engine.scenario import LineChange, Scenario, apply_scenario, load_scenario_file
from tests.conftest import REPO
from tests.pages.conftest import metric, open_page
from tests.strategies import budgets, scenarios_for

IT_SPARET = REPO / "core" / "resources" / "scenarios" / "it_sparet_2026.toml"
STATLIG = REPO / "core" / "resources" / "scenarios" / "statlig_tilldelning_plus_5.toml"
IT_FILE, STATLIG_FILE = "file:it_sparet_2026.toml", "file:statlig_tilldelning_plus_5.toml"
IT_LABEL = "IT-spåret fortsätter 2026 (fil)"
STATLIG_LABEL = "Statlig tilldelning +5 % från 2025 (fil)"
CHOICE = "jamfor::val"


def value(table, year: int, measure: str, column: str) -> int:
    row = table[(table["År"] == year) & (table["Post"] == measure)]
    assert len(row) == 1, (year, measure)
    return int(row[column].iloc[0])


# The tables, without the page ----------------------------------------------------------------------------------


def test_it_sparet_lowers_equity_2026_by_exactly_562_500(seed_budget):
    base = compute(seed_budget)
    it = compute(apply_scenario(seed_budget, load_scenario_file(IT_SPARET)))
    table = comparison_table([("Basbudget", base), ("IT", it)])
    assert value(table, 2026, "Eget kapital", "Basbudget") == 1_362_650
    assert value(table, 2026, "Eget kapital", "IT") == 800_150
    assert value(table, 2026, "Eget kapital", "Skillnad IT") == -562_500
    assert value(table, 2026, "Kostnader", "Skillnad IT") == 562_500
    assert value(table, 2025, "Eget kapital", "Skillnad IT") == 0
    assert list(table.columns) == ["År", "Post", "Basbudget", "IT", "Skillnad IT"]
    assert all(str(table[c].dtype) == "int64" for c in table.columns if c != "Post")


def test_statlig_tilldelning_plus_5_raises_revenue_2025_by_401_800(seed_budget):
    base = compute(seed_budget)
    plus5 = compute(apply_scenario(seed_budget, load_scenario_file(STATLIG)))
    table = comparison_table([("Basbudget", base), ("Plus 5", plus5)])
    assert value(table, 2025, "Intäkter", "Skillnad Plus 5") == 401_800
    assert value(table, 2026, "Intäkter", "Skillnad Plus 5") == 401_800
    assert value(table, 2024, "Intäkter", "Skillnad Plus 5") == 0
    assert value(table, 2026, "Eget kapital", "Skillnad Plus 5") == 803_600
    lines = line_delta_table(base, plus5)
    assert int(lines[EFFECT_COLUMN].sum()) == 803_600
    assert lines.iloc[0].to_dict() == {
        "Post": "Medlemsavgift",
        "Rad": "Försäkringskassan och Arbetsförmedlingen",
        "2023": 0,
        "2024": 0,
        "2025": 200_900,
        "2026": 200_900,
        EFFECT_COLUMN: 401_800,
    }


def test_repeated_labels_get_numbered_columns(seed_budget):
    result = compute(seed_budget)
    table = comparison_table([("A", result), ("A", result), ("A (2)", result)])
    assert list(table.columns)[2:] == ["A", "A (2)", "Skillnad A (2)", "A (2) (2)", "Skillnad A (2) (2)"]
    assert unique_labels(["x", "y", "x"]) == ["x", "y", "x (2)"]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_difference_columns_are_exact_and_the_line_effects_add_up(data):
    budget = data.draw(budgets())
    results = [compute(budget)]
    for _ in range(data.draw(st.integers(1, 3))):
        results.append(compute(apply_scenario(budget, data.draw(scenarios_for(budget)))))
    labels = [f"S{i}" for i in range(len(results))]
    table = comparison_table(list(zip(labels, results, strict=True)))
    assert len(table) == 4 * len(budget.years)
    for label, result in zip(labels[1:], results[1:], strict=True):
        assert (table[difference_column(label)] == table[label] - table["S0"]).all()
        last = max(result.years)
        lines = line_delta_table(results[0], result)
        assert len(lines) == len(line_deltas(results[0], result))
        effect = int(lines[EFFECT_COLUMN].sum()) if len(lines) else 0
        assert effect == result[last].equity_end - results[0][last].equity_end


# The page ----------------------------------------------------------------------------------------------------


@pytest.fixture
def jamfor(app):
    return open_page(app, "jamfor")


def choose(at, keys: list[str]):
    at.multiselect(key=CHOICE).set_value(keys).run()
    assert not at.exception
    return at


def test_without_a_scenario_in_progress_the_page_opens_on_the_first_example(jamfor):
    chosen = jamfor.multiselect(key=CHOICE).value
    assert chosen[0] == "base" and chosen[1].startswith("file:") and len(chosen) == 2
    assert jamfor.dataframe


def test_with_one_choice_the_page_asks_for_two(jamfor):
    jamfor.multiselect(key=CHOICE).set_value(["base"]).run()
    assert "Välj minst två scenarier" in jamfor.info[0].value
    assert not jamfor.dataframe


def test_every_kind_of_scenario_can_be_chosen(app, db_path):
    con = store.connect(db_path)
    try:
        ref = store.save_scenario(con, load_scenario_file(IT_SPARET), author="Anna")
        store.save_scenario(con, Scenario(name="IT-spåret fortsätter 2026"), author="Anna")
    finally:
        con.close()
    app.switch_page("pages/jamfor.py").run()
    options = app.multiselect(key=CHOICE).options
    assert options == [
        "Basbudget",
        "Pågående scenario",
        "IT-spåret fortsätter 2026 (sparad, version 2)",
        "IT-spåret fortsätter 2026 (sparad, version 1)",
        IT_LABEL,
        "Digital arbetsträning med eget kapital (fil)",
        STATLIG_LABEL,
    ]
    choose(app, ["base", f"saved:{ref.scenario_id}", f"saved:{ref.scenario_id}:1"])
    table = app.dataframe[0].value
    assert value(table, 2026, "Eget kapital", "Skillnad IT-spåret fortsätter 2026 (sparad, version 2)") == 0
    assert value(table, 2026, "Eget kapital", "Skillnad IT-spåret fortsätter 2026 (sparad, version 1)") == -562_500


def test_basbudget_against_it_sparet_and_statlig_plus_5_to_the_krona(jamfor):
    choose(jamfor, ["base", IT_FILE, STATLIG_FILE])
    table = jamfor.dataframe[0].value
    assert value(table, 2026, "Eget kapital", "Basbudget") == 1_362_650
    assert value(table, 2026, "Eget kapital", difference_column(IT_LABEL)) == -562_500
    assert value(table, 2025, "Intäkter", difference_column(STATLIG_LABEL)) == 401_800
    assert value(table, 2026, "Eget kapital", difference_column(STATLIG_LABEL)) == 803_600
    assert [m.label for m in jamfor.metric] == ["Basbudget", IT_LABEL, STATLIG_LABEL]
    assert [metric(jamfor, label) for label in ("Basbudget", IT_LABEL, STATLIG_LABEL)] == [
        "1 362 650 kr",
        "800 150 kr",
        "2 166 250 kr",
    ]
    assert [m.delta for m in jamfor.metric][1:] == ["−562 500 kr", "+803 600 kr"]


def test_the_first_choice_is_the_reference(jamfor):
    choose(jamfor, [IT_FILE, "base"])
    table = jamfor.dataframe[0].value
    assert value(table, 2026, "Eget kapital", difference_column("Basbudget")) == 562_500


def test_the_lines_that_differ_are_listed_with_their_amounts(jamfor):
    choose(jamfor, ["base", IT_FILE, STATLIG_FILE])
    it_lines, statlig_lines = (d.value for d in jamfor.dataframe[1:3])
    assert it_lines.to_dict("records") == [
        {
            "Post": "Kostnad",
            "Rad": "IT-spåret",
            "2023": 0,
            "2024": 0,
            "2025": 0,
            "2026": 562_500,
            EFFECT_COLUMN: -562_500,
        }
    ]
    assert len(statlig_lines) == 8  # every member pays its share of the 5 %
    markdown = "\n".join(m.value for m in jamfor.markdown)
    assert "8 rader, eget kapital 2026 +803 600 kr" in markdown


def test_one_chart_with_each_scenarios_equity(jamfor):
    choose(jamfor, ["base", IT_FILE, STATLIG_FILE])
    charts = jamfor.get("plotly_chart")
    assert len(charts) == 1
    traces = json.loads(charts[0].proto.spec)["data"]
    equity = {t["name"]: t["y"] for t in traces if t["name"].startswith("Eget kapital – ")}
    assert equity == {
        "Eget kapital – Basbudget": [1_512_650, 1_362_650, 1_362_650, 1_362_650],
        f"Eget kapital – {IT_LABEL}": [1_512_650, 1_362_650, 1_362_650, 800_150],
        f"Eget kapital – {STATLIG_LABEL}": [1_512_650, 1_362_650, 1_764_450, 2_166_250],
    }
    assert not any(t["type"] == "bar" for t in traces)  # equity only: results are in the table


def test_each_scenarios_checks_are_shown_errors_clearly(app):
    # The scenario in progress continues IT-spåret into 2026 without a decision to use equity: a fel.
    app.session_state["scenario"] = Scenario(
        name="Utan beslut", change=[LineChange(line="IT-spåret", years=[2026], amount=562_500)]
    )
    app.switch_page("pages/jamfor.py").run()
    assert app.multiselect(key=CHOICE).value == ["base", "current"]
    assert not app.exception
    errors = [e.value for e in app.error]
    assert errors == [
        "2026: underskott −562 500 kr; inget beslut om eget kapital täcker det, 562 500 kr saknar beslut om "
        "att använda eget kapital."
    ]
    markdown = "\n".join(m.value for m in app.markdown)
    assert ":red-badge[:material/error: 1 fel]" in markdown
    assert ":green-badge[:material/check_circle: 18 utan anmärkning]" in markdown
    assert "Alla 19 kontroller utan anmärkning." in [s.value for s in app.success]  # Basbudget


def test_a_saved_scenario_that_no_longer_fits_is_compared_without_the_stale_part(app, db_path):
    stale = Scenario(
        name="Gammalt",
        change=[
            LineChange(line="Nedlagd insats", percent=Decimal(10)),
            LineChange(line="IT-spåret", years=[2026], amount=562_500),
        ],
    )
    con = store.connect(db_path)
    try:
        ref = store.save_scenario(con, stale, author="Anna")
    finally:
        con.close()
    app.switch_page("pages/jamfor.py").run()
    choose(app, ["base", f"saved:{ref.scenario_id}"])
    assert "okänd rad 'Nedlagd insats'" in "\n".join(w.value for w in app.warning).replace("\\", "")
    table = app.dataframe[0].value
    assert value(table, 2026, "Eget kapital", "Skillnad Gammalt (sparad, version 1)") == -562_500


def test_at_most_four_can_be_chosen(jamfor):
    multiselect = jamfor.multiselect(key=CHOICE)
    assert multiselect.proto.max_selections == 4
