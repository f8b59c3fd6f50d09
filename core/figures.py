"""Every chart, built in one place so the dashboard, the comparison and the PDF look the same.

Plotly figures with Swedish number formatting (decimal comma, space as thousands separator).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from core.engine import BudgetResult, YearFigures
from core.models import CATEGORIES, UNCATEGORISED
from core.money import format_kr, format_pct

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


def _layout(fig: go.Figure, *, large: bool, height: int | None = None) -> go.Figure:
    base_font = 22 if large else 14
    fig.update_layout(
        separators=SEPARATORS,
        font={"size": base_font, "family": "Source Sans Pro, Arial, sans-serif"},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=height or (560 if large else 380),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        plot_bgcolor="white",
        hoverlabel={"font_size": base_font},
    )
    fig.update_yaxes(tickformat=",.0f", ticksuffix=" kr", gridcolor="#e5e5e5", zerolinecolor="#7f7f7f")
    fig.update_xaxes(type="category")
    return fig


def result_equity_figure(
    series: Sequence[tuple[str, BudgetResult]],
    *,
    floor: int | None = None,
    ceilings: dict[int, int] | None = None,
    large: bool = False,
    show_results: bool = True,
) -> go.Figure:
    """Result per year as bars and equity at year end as a line, per scenario; floor and ceiling drawn."""
    fig = go.Figure()
    for i, (label, result) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        years = [str(y) for y in result.years]
        suffix = f" – {label}" if len(series) > 1 else ""
        if show_results:
            fig.add_bar(
                x=years,
                y=[y.result for y in result.years.values()],
                name=f"Resultat{suffix}",
                marker_color=colour,
                opacity=0.55,
                hovertemplate="%{x}: %{y:,.0f} kr<extra>Resultat" + suffix + "</extra>",
            )
        fig.add_scatter(
            x=years,
            y=[y.equity_end for y in result.years.values()],
            name=f"Eget kapital{suffix}",
            mode="lines+markers",
            line={"color": colour, "width": 4 if large else 3},
            marker={"size": 12 if large else 8},
            hovertemplate="%{x}: %{y:,.0f} kr<extra>Eget kapital" + suffix + "</extra>",
        )
    if ceilings:
        fig.add_scatter(
            x=[str(y) for y in ceilings],
            y=list(ceilings.values()),
            name="Tak för eget kapital",
            mode="lines",
            line={"color": CEILING_COLOUR, "dash": "dash", "width": 2},
            hovertemplate="%{x}: %{y:,.0f} kr<extra>Tak</extra>",
        )
    if floor is not None and series:
        years = [str(y) for y in series[0][1].years]
        fig.add_scatter(
            x=years,
            y=[floor] * len(years),
            name="Golv för eget kapital",
            mode="lines",
            line={"color": FLOOR_COLOUR, "dash": "dot", "width": 2},
            hovertemplate="%{y:,.0f} kr<extra>Golv</extra>",
        )
    fig.update_layout(barmode="group")
    return _layout(fig, large=large)


def cost_share_figure(year: YearFigures, *, large: bool = False) -> go.Figure:
    """The year's costs per category as one horizontal bar each, with share and amount."""
    categories = [c for c in (*CATEGORIES, UNCATEGORISED) if year.costs_by_category.get(c)]
    amounts = [year.costs_by_category[c] for c in categories]
    labels = [f"{format_pct(year.cost_share(c))} · {format_kr(a)}" for c, a in zip(categories, amounts, strict=True)]
    fig = go.Figure(
        go.Bar(
            x=amounts,
            y=[c.capitalize() for c in categories],
            orientation="h",
            marker_color=[CATEGORY_COLOURS[c] for c in categories],
            text=labels,
            textposition="auto",
            hovertemplate="%{y}: %{x:,.0f} kr<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig = _layout(fig, large=large, height=(360 if large else 240))
    fig.update_xaxes(type="linear", tickformat=",.0f", ticksuffix=" kr", gridcolor="#e5e5e5")
    fig.update_yaxes(tickformat=None, ticksuffix=None)
    return fig


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
    fig = go.Figure(
        go.Waterfall(
            x=[start_label, *[name for name, _ in steps], end_label],
            y=[start, *[delta for _, delta in steps], end],
            measure=["absolute", *["relative"] * len(steps), "total"],
            text=[format_kr(start), *[format_kr(d, signed=True) for _, d in steps], format_kr(end)],
            textposition="outside",
            connector={"line": {"color": "#a6a6a6"}},
            increasing={"marker": {"color": "#548235"}},
            decreasing={"marker": {"color": "#c00000"}},
            totals={"marker": {"color": "#1f4e79"}},
            hovertemplate="%{x}: %{y:,.0f} kr<extra></extra>",
        )
    )
    fig.update_layout(showlegend=False)
    return _layout(fig, large=large)
