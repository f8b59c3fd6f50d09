"""Display pieces repeated across pages: KPI tiles, check alerts, charts, tables."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.analysis.tables import LABEL_COLUMN, budget_table
from core.engine.compute import BudgetResult
from core.engine.scenario import Scenario
from core.engine.whatif import changed_line_count
from core.model.budget import Budget
from core.model.money import format_kr, format_number
from core.papers.figures import result_equity_figure
from core.rules.checks import Check, equity_ceiling
from ui import state

LARGE_KPI_CSS = """
<style>
.st-key-kpis-large [data-testid="stMetricValue"] { font-size: 3.4rem; line-height: 1.1; }
.st-key-kpis-large [data-testid="stMetricLabel"] p { font-size: 1.5rem; }
.st-key-kpis-large [data-testid="stMetricDelta"] { font-size: 1.4rem; }
</style>
"""


PINNED_CSS = """
<style>
[data-testid="stLayoutWrapper"]:has(> .st-key-{key}) {{
  position: sticky; top: 0; z-index: 10; background: {background};
  margin-top: -1rem; padding: 1rem 0 0.5rem;  /* a band of background above the tiles when pinned */
}}
</style>
"""


def pinned(key: str) -> DeltaGenerator:
    """A container that stays in view while the rest of its column scrolls past, with the page's
    background so what scrolls under it does not show through.

    Streamlit has no sticky container; this leans on its DOM (a keyed container's ``st-key-`` block sits in
    an ``stLayoutWrapper``). The browser test that moves the last cost line checks the tiles stay in view.
    """
    st.html(PINNED_CSS.format(key=key, background=st.get_option("theme.backgroundColor") or "white"))
    return st.container(key=key)


def _delta(value: int) -> dict:
    if value == 0:
        return {"delta": "±0 kr", "delta_color": "gray", "delta_arrow": "off"}
    return {
        "delta": format_kr(value, signed=True),
        "delta_color": "green" if value > 0 else "red",
        "delta_arrow": "up" if value > 0 else "down",
    }


def scenario_status(scenario: Scenario, *, on_reset: Callable[[], None] = state.reset_scenario) -> None:
    """The sidebar's word on the scenario; called inside each page's fragment so it stays current.

    ``on_reset``: a page with several fragments passes a reset that also reruns the others.
    """
    state.show_link_warning()
    with st.sidebar:
        changes = changed_line_count(scenario)
        if changes:
            noun = "post" if changes == 1 else "poster"
            st.info(f"Scenariot ändrar {changes} {noun} jämfört med basbudgeten.", icon=":material/science:")
            st.button(
                "Återställ allt",
                on_click=on_reset,
                icon=":material/restart_alt:",
                width="stretch",
                key="sidebar_reset",
            )
        else:
            st.caption("Inga ändringar: du ser basbudgeten.")


def kpi_tiles(
    budget: Budget, base: BudgetResult, result: BudgetResult, *, active: bool, large: bool, narrow: bool = False
) -> None:
    """``Resultat <år>`` and ``Eget kapital <år>`` per plan year; deltas against the baseline when active.

    Wide: one column per year. Narrow (beside the sliders): results in one column, equity in the other,
    a year per row.
    """
    if large:
        st.html(LARGE_KPI_CSS)

    def tile(label: str, value: int, previous: int) -> None:
        extra = _delta(value - previous) if active else {}
        if active and not narrow:
            extra["delta_description"] = "mot basbudget"
        st.metric(label, format_kr(value), border=True, **extra)

    with st.container(key="kpis-large" if large else "kpis"):
        if narrow and not large:  # two columns, not a row of columns per year: fewer blocks to redraw
            left, right = st.columns(2)
            for year in budget.plan_years:
                with left:
                    tile(f"Resultat {year}", result[year].result, base[year].result)
                with right:
                    tile(f"Eget kapital {year}", result[year].equity_end, base[year].equity_end)
            return
        columns = st.columns(len(budget.plan_years))
        for column, year in zip(columns, budget.plan_years, strict=True):
            with column:
                tile(f"Resultat {year}", result[year].result, base[year].result)
                tile(f"Eget kapital {year}", result[year].equity_end, base[year].equity_end)


def chart(fig: go.Figure, *, key: str) -> None:
    """Every plotly chart is shown through here, with our own colours (no Streamlit theme) and no mode bar.

    No plotly ``locale``: the figures carry Swedish separators themselves (``layout.separators``); a locale
    only changes date formats and the mode bar, and neither is shown.
    """
    st.plotly_chart(fig, key=key, config={"displayModeBar": False}, theme=None)


def result_chart(budget: Budget, series: list[tuple[str, BudgetResult]], *, large: bool, key: str) -> None:
    main = series[-1][1]
    ceilings = {y: equity_ceiling(budget, fig) for y, fig in main.years.items()}
    chart(result_equity_figure(series, floor=budget.settings.equity_floor, ceilings=ceilings, large=large), key=key)


def check_alerts(checks: list[Check]) -> None:
    """Errors and warnings each as their own alert; passed checks summarised in one line."""
    problems = [c for c in checks if c.level != "ok"]
    for check in problems:
        alert = st.error if check.level == "fel" else st.warning
        icon = ":material/error:" if check.level == "fel" else ":material/warning:"
        alert(check.message, title=check.title, icon=icon)
    passed = [c for c in checks if c.level == "ok"]
    if passed:
        text = f"{len(passed)} av {len(checks)} kontroller utan anmärkning."
        st.success(text, icon=":material/check_circle:")
        with st.expander("Visa alla kontroller"):
            st.dataframe(
                pd.DataFrame(
                    [{"År": c.year, "Kontroll": c.title, "Nivå": c.level, "Meddelande": c.message} for c in checks]
                ),
                hide_index=True,
                alt="Alla regelkontroller per år",
            )


def styled_budget_table(budget: Budget, result: BudgetResult):
    """The verksamhetsplan layout, Swedish figures, sums and result in bold.

    The figures are preformatted text (heading rows empty): a null cell would show as "None".
    """
    table = budget_table(budget, result)
    year_columns = [c for c in table.frame.columns if c != LABEL_COLUMN]
    shown = table.frame.copy()
    for column in year_columns:
        shown[column] = [("" if pd.isna(v) else format_number(int(v))) for v in table.frame[column]]

    def row_style(row: pd.Series) -> list[str]:
        kind = table.kinds[row.name]
        if kind == "rubrik":
            css = "font-weight: 700; background-color: #eef3f8"
        elif kind in ("summa", "resultat"):
            css = "font-weight: 700"
        else:
            css = ""
        return [css] * len(row)

    return shown.style.apply(row_style, axis=1).hide(axis="index"), year_columns


LARGE_TABLE_CSS = """
<style>
.st-key-table-large table { font-size: 1.35rem; }
.st-key-table-large td:not(:first-child), .st-key-table-large th:not(:first-child) { text-align: right; }
</style>
"""


def budget_table_view(budget: Budget, result: BudgetResult, *, key: str, large: bool = False) -> None:
    styler, year_columns = styled_budget_table(budget, result)
    if large:  # a static table scales with CSS for the back of the room; the grid widget does not
        st.html(LARGE_TABLE_CSS)
        with st.container(key="table-large"):
            st.table(styler)
        return
    height = 35 * (len(styler.data) + 1) + 3
    st.dataframe(
        styler,
        hide_index=True,
        height=height,
        key=key,
        column_config={c: st.column_config.TextColumn(alignment="right") for c in year_columns},
        alt="Budgettabell i verksamhetsplanens uppställning",
    )
