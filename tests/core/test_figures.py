"""The chart builders: valid plotly specs (they skip validation at run time), Swedish formats, the right bars."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from core.engine.compute import compute
from core.papers.figures import (
    CEILING_NAME,
    FLOOR_NAME,
    cost_share_figure,
    result_equity_figure,
    tornado_figure,
    waterfall_figure,
)
from core.rules.checks import equity_ceiling


@pytest.fixture(scope="module")
def seed_result(seed_budget):
    return compute(seed_budget)


def all_figures(budget, result) -> dict[str, go.Figure]:
    ceilings = {y: equity_ceiling(budget, figures) for y, figures in result.years.items()}
    built = {}
    for large in (False, True):
        built |= {
            f"result_equity large={large}": result_equity_figure(
                [("Basbudget", result)], floor=1_000_000, ceilings=ceilings, large=large
            ),
            f"result_equity two large={large}": result_equity_figure(
                [("Basbudget", result), ("Scenario", result)], floor=0, large=large, show_results=False
            ),
            f"cost_share large={large}": cost_share_figure(result[2024], large=large),
            f"waterfall large={large}": waterfall_figure("Från", 100, [("A", -30), ("B", 5)], "Till", 75, large=large),
            f"tornado large={large}": tornado_figure([("A", -10, 10), ("B", 4, -4)], "−10 %", "+10 %", large=large),
            f"tornado empty large={large}": tornado_figure([], "−10 %", "+10 %", large=large),
        }
    return built


def test_every_figure_is_a_valid_plotly_spec_unchanged_by_validation(seed_budget, seed_result):
    for name, fig in all_figures(seed_budget, seed_result).items():
        spec = fig.to_dict()
        validated = go.Figure(spec)  # raises on a misspelt property or a bad value
        assert validated.to_dict() == spec, name


def test_every_figure_uses_swedish_separators_and_kronor_on_the_money_axis(seed_budget, seed_result):
    for name, fig in all_figures(seed_budget, seed_result).items():
        assert fig.layout.separators == ", ", name
    fig = result_equity_figure([("Basbudget", seed_result)])
    assert fig.layout.yaxis.ticksuffix == " kr"
    assert fig.layout.yaxis.tickformat == ",.0f"


def test_result_equity_figure_draws_results_equity_floor_and_ceiling(seed_budget, seed_result):
    ceilings = {y: equity_ceiling(seed_budget, figures) for y, figures in seed_result.years.items()}
    fig = result_equity_figure([("Basbudget", seed_result)], floor=1_000_000, ceilings=ceilings)
    by_name = {trace.name: trace for trace in fig.data}
    assert list(by_name) == ["Resultat", "Eget kapital", CEILING_NAME, FLOOR_NAME]
    assert by_name["Resultat"].type == "bar"
    assert list(by_name["Resultat"].y) == [297_068, -150_000, 0, 0]
    assert list(by_name["Eget kapital"].y) == [seed_result[y].equity_end for y in seed_result.years]
    assert list(by_name[FLOOR_NAME].y) == [1_000_000] * len(seed_result.years)
    assert list(by_name[CEILING_NAME].y) == list(ceilings.values())


def test_result_equity_figure_names_each_scenario_when_there_are_several(seed_result):
    fig = result_equity_figure([("Basbudget", seed_result), ("Scenario", seed_result)], show_results=False)
    assert [trace.name for trace in fig.data] == ["Eget kapital – Basbudget", "Eget kapital – Scenario"]
    assert fig.data[0].line.color != fig.data[1].line.color


def test_waterfall_runs_from_start_through_each_step_to_the_total():
    fig = waterfall_figure("Basbudget 2026", 1_362_650, [("IT-spåret", 562_500)], "Scenario 2026", 1_925_150)
    (bars,) = fig.data
    assert list(bars.measure) == ["absolute", "relative", "total"]
    assert list(bars.y) == [1_362_650, 562_500, 1_925_150]
    assert list(bars.text) == ["1 362 650 kr", "+562 500 kr", "1 925 150 kr"]
    assert fig.layout.showlegend is False


def test_presentation_mode_draws_larger_text_and_taller_charts(seed_result):
    small = result_equity_figure([("Basbudget", seed_result)])
    large = result_equity_figure([("Basbudget", seed_result)], large=True)
    assert large.layout.font.size > small.layout.font.size
    assert large.layout.height > small.layout.height
    assert large.data[1].line.width > small.data[1].line.width
