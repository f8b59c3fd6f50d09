"""Every chart, built in one place so the dashboard, the comparison and the PDF look the same.

Plotly figures with Swedish number formatting (decimal comma, space as thousands separator).

The figures are written as plain plotly specs (dicts in plotly's canonical nested form) and wrapped
without plotly's per-property validation: validation costs 5–6 ms per chart, paid on every slider
move on Kostnader. ``tests/core/test_figures.py`` validates every builder's output instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from core.engine.compute import BudgetResult, YearFigures
from core.model.budget import CATEGORIES, UNCATEGORISED
from core.model.money import format_kr, format_pct

SEPARATORS = ", "  # decimal comma, space between thousands
PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000"]
CATEGORY_COLOURS = {
    "individinriktade insatser": "#1f4e79",
    "strukturövergripande insatser": "#2e75b6",
    "administration": "#9dc3e6",
    "ny verksamhet": "#c55a11",
    UNCATEGORISED: "#a6a6a6",
}
FLOOR_COLOUR = "#c00000"
CEILING_COLOUR = "#7f7f7f"
FLOOR_NAME = "Golv för eget kapital"
CEILING_NAME = "Tak för eget kapital"


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def _layout(*, large: bool, height: int | None = None) -> dict:
    """The shared look: Swedish separators, kronor on the y axis, years as categories."""
    base_font = 22 if large else 14
    return {
        "separators": SEPARATORS,
        "font": {"size": base_font, "family": "Source Sans Pro, Arial, sans-serif"},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "height": height or (560 if large else 380),
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"size": base_font}},
        "xaxis": {"type": "category", "automargin": True},  # room for the year labels below the plot
        "yaxis": {
            "tickformat": ",.0f",
            "ticksuffix": " kr",
            "gridcolor": "#e5e5e5",
            "zerolinecolor": "#7f7f7f",
            "automargin": True,
        },
    }


@dataclass(frozen=True, slots=True)
class ScenarioSeries:
    """One scenario's line in the result/equity chart: its figures, colour and legend names."""

    label: str
    colour: str
    years: tuple[int, ...]
    results: tuple[int, ...]
    equity: tuple[int, ...]  # at year end
    result_name: str  # legend text, e.g. "Resultat – Basbudget" (the label only when there are several)
    equity_name: str


@dataclass(frozen=True, slots=True)
class ResultEquitySeries:
    """Everything the result/equity chart shows, as plain numbers: the plotly figure and the PDF draw this."""

    years: tuple[int, ...]  # the category axis (the first scenario's years)
    scenarios: tuple[ScenarioSeries, ...]
    floor: int | None  # None: no floor line
    ceilings: dict[int, int]  # per year; empty: no ceiling line

    def values(self, *, show_results: bool = True) -> list[int]:
        """Every plotted value, for choosing an axis range."""
        found = [v for s in self.scenarios for v in (*(s.results if show_results else ()), *s.equity)]
        found += list(self.ceilings.values())
        if self.floor is not None:
            found.append(self.floor)
        return found


def result_equity_series(
    series: Sequence[tuple[str, BudgetResult]],
    *,
    floor: int | None = None,
    ceilings: dict[int, int] | None = None,
) -> ResultEquitySeries:
    """The result/equity chart's data: per scenario its results and equity, plus floor and ceilings."""
    several = len(series) > 1
    scenarios = []
    for i, (label, result) in enumerate(series):
        suffix = f" – {label}" if several else ""
        figures = list(result.years.values())
        scenarios.append(
            ScenarioSeries(
                label=label,
                colour=PALETTE[i % len(PALETTE)],
                years=tuple(result.years),
                results=tuple(y.result for y in figures),
                equity=tuple(y.equity_end for y in figures),
                result_name=f"Resultat{suffix}",
                equity_name=f"Eget kapital{suffix}",
            )
        )
    return ResultEquitySeries(
        years=scenarios[0].years if scenarios else (),
        scenarios=tuple(scenarios),
        floor=floor if scenarios else None,
        ceilings=dict(ceilings or {}),
    )


def result_equity_figure(
    series: Sequence[tuple[str, BudgetResult]],
    *,
    floor: int | None = None,
    ceilings: dict[int, int] | None = None,
    large: bool = False,
    show_results: bool = True,
) -> go.Figure:
    """Result per year as bars and equity at year end as a line, per scenario; floor and ceiling drawn."""
    data = result_equity_series(series, floor=floor, ceilings=ceilings)
    traces: list[dict] = []
    for line in data.scenarios:
        years = [str(y) for y in line.years]
        if show_results:
            traces.append(
                {
                    "type": "bar",
                    "x": years,
                    "y": list(line.results),
                    "name": line.result_name,
                    "marker": {"color": line.colour},
                    "opacity": 0.55,
                    "hovertemplate": "%{x}: %{y:,.0f} kr<extra>" + line.result_name + "</extra>",
                }
            )
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": list(line.equity),
                "name": line.equity_name,
                "mode": "lines+markers",
                "line": {"color": line.colour, "width": 4 if large else 3},
                "marker": {"size": 12 if large else 8},
                "hovertemplate": "%{x}: %{y:,.0f} kr<extra>" + line.equity_name + "</extra>",
            }
        )
    if data.ceilings:
        traces.append(
            {
                "type": "scatter",
                "x": [str(y) for y in data.ceilings],
                "y": list(data.ceilings.values()),
                "name": CEILING_NAME,
                "mode": "lines",
                "line": {"color": CEILING_COLOUR, "dash": "dash", "width": 2},
                "hovertemplate": "%{x}: %{y:,.0f} kr<extra>Tak</extra>",
            }
        )
    if data.floor is not None:
        years = [str(y) for y in data.years]
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": [data.floor] * len(years),
                "name": FLOOR_NAME,
                "mode": "lines",
                "line": {"color": FLOOR_COLOUR, "dash": "dot", "width": 2},
                "hovertemplate": "%{y:,.0f} kr<extra>Golv</extra>",
            }
        )
    return _figure(traces, {**_layout(large=large), "barmode": "group"})


def cost_share_figure(year: YearFigures, *, large: bool = False) -> go.Figure:
    """The year's costs per category as one horizontal bar each, with share and amount."""
    categories = [c for c in (*CATEGORIES, UNCATEGORISED) if year.costs_by_category.get(c)]
    amounts = [year.costs_by_category[c] for c in categories]
    labels = [f"{format_pct(year.cost_share(c))} · {format_kr(a)}" for c, a in zip(categories, amounts, strict=True)]
    bar = {
        "type": "bar",
        "x": amounts,
        "y": [c.capitalize() for c in categories],
        "orientation": "h",
        "marker": {"color": [CATEGORY_COLOURS[c] for c in categories]},
        "text": labels,
        "textposition": "auto",
        "hovertemplate": "%{y}: %{x:,.0f} kr<extra></extra>",
    }
    layout = _layout(large=large, height=(360 if large else 240))
    layout["xaxis"] = {"type": "linear", "visible": False}  # each bar carries its own share and amount
    layout["yaxis"] = {**layout["yaxis"], "autorange": "reversed", "type": "category"}
    del layout["yaxis"]["tickformat"], layout["yaxis"]["ticksuffix"]
    return _figure([bar], layout)


def waterfall_figure(
    start_label: str,
    start: int,
    steps: Sequence[tuple[str, int]],
    end_label: str,
    end: int,
    *,
    large: bool = False,
) -> go.Figure:
    """From the baseline's equity to the scenario's, one bar per changed line."""
    waterfall = {
        "type": "waterfall",
        "x": [start_label, *[name for name, _ in steps], end_label],
        "y": [start, *[delta for _, delta in steps], end],
        "measure": ["absolute", *["relative"] * len(steps), "total"],
        "text": [format_kr(start), *[format_kr(d, signed=True) for _, d in steps], format_kr(end)],
        "textposition": "outside",
        "connector": {"line": {"color": "#a6a6a6"}},
        "increasing": {"marker": {"color": "#548235"}},
        "decreasing": {"marker": {"color": "#c00000"}},
        "totals": {"marker": {"color": "#1f4e79"}},
        "hovertemplate": "%{x}: %{y:,.0f} kr<extra></extra>",
    }
    return _figure([waterfall], {**_layout(large=large), "showlegend": False})


def tornado_figure(
    rows: Sequence[tuple[str, int, int]],
    down_label: str,
    up_label: str,
    *,
    large: bool = False,
) -> go.Figure:
    """Sensitivity as a tornado: per post, the change in equity when it moves down and up.

    ``rows`` are ``(post, change when down, change when up)`` in kronor, drawn in the given order from
    the top (pass them largest first); ``down_label``/``up_label`` name the moves, e.g. ``−10 %``.
    """
    labels = [label for label, _, _ in rows]
    size = 20 if large else 14
    traces = []
    for index, (name, colour) in enumerate(((down_label, "#c55a11"), (up_label, "#1f4e79"))):
        values = [row[1 + index] for row in rows]
        traces.append(
            {
                "type": "bar",
                "x": values,
                "y": labels,
                "orientation": "h",
                "name": name,
                "marker": {"color": colour},
                "text": [format_kr(v, signed=True) if v else "" for v in values],
                "textposition": "auto",
                "textfont": {"size": size - 2},
                "insidetextanchor": "middle",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{x:,.0f} kr<extra>" + name + "</extra>",
            }
        )
    per_row = 46 if large else 34
    widest = max((abs(v) for _, down, up in rows for v in (down, up)), default=0)
    xaxis = {
        "type": "linear",
        "tickformat": ",.0f",
        "ticksuffix": " kr",
        "gridcolor": "#e5e5e5",
        "zeroline": True,
        "zerolinecolor": "#7f7f7f",
        "zerolinewidth": 2,
        "tickfont": {"size": size - 6},
        "nticks": 7,
    }
    if widest:
        xaxis["range"] = [-1.5 * widest, 1.5 * widest]
    layout = _layout(large=large, height=140 + per_row * max(len(rows), 1))
    layout["xaxis"] = xaxis
    layout["yaxis"] = {
        "zerolinecolor": "#7f7f7f",
        "automargin": True,
        "type": "category",
        "autorange": "reversed",
        "tickfont": {"size": size},
    }
    return _figure(traces, {**layout, "barmode": "overlay", "bargap": 0.25})
