"""Display pieces repeated across pages: KPI tiles, check alerts, charts, tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.engine import BudgetResult
from core.figures import result_equity_figure
from core.models import Budget
from core.money import format_kr, format_number
from core.rules import Check, equity_ceiling
from core.tables import LABEL_COLUMN, budget_table

LARGE_KPI_CSS = """
<style>
.st-key-kpis-large [data-testid="stMetricValue"] { font-size: 3.4rem; line-height: 1.1; }
.st-key-kpis-large [data-testid="stMetricLabel"] p { font-size: 1.5rem; }
.st-key-kpis-large [data-testid="stMetricDelta"] { font-size: 1.4rem; }
</style>
"""


def _delta(value: int) -> dict:
    if value == 0:
        return {"delta": "±0 kr", "delta_color": "gray", "delta_arrow": "off"}
    return {
        "delta": format_kr(value, signed=True),
        "delta_color": "green" if value > 0 else "red",
        "delta_arrow": "up" if value > 0 else "down",
    }


def kpi_tiles(budget: Budget, base: BudgetResult, result: BudgetResult, *, active: bool, large: bool) -> None:
    """``Resultat <år>`` and ``Eget kapital <år>`` per plan year; deltas against the baseline when active."""
    if large:
        st.html(LARGE_KPI_CSS)
    with st.container(key="kpis-large" if large else "kpis"):
        columns = st.columns(len(budget.plan_years))
        for column, year in zip(columns, budget.plan_years, strict=True):
            now, before = result[year], base[year]
            with column:
                for label, value, previous in (
                    (f"Resultat {year}", now.result, before.result),
                    (f"Eget kapital {year}", now.equity_end, before.equity_end),
                ):
                    extra = _delta(value - previous) if active else {}
                    st.metric(label, format_kr(value), border=True, delta_description="mot basbudget", **extra)


def result_chart(budget: Budget, series: list[tuple[str, BudgetResult]], *, large: bool, key: str) -> None:
    main = series[-1][1]
    ceilings = {y: equity_ceiling(budget, fig) for y, fig in main.years.items()}
    fig = result_equity_figure(series, floor=budget.settings.equity_floor, ceilings=ceilings, large=large)
    st.plotly_chart(fig, key=key, config={"displayModeBar": False, "locale": "sv"})


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
    """The verksamhetsplan layout, Swedish figures, sums and result in bold."""
    table = budget_table(budget, result)
    year_columns = [c for c in table.frame.columns if c != LABEL_COLUMN]

    def row_style(row: pd.Series) -> list[str]:
        kind = table.kinds[row.name]
        if kind == "rubrik":
            css = "font-weight: 700; background-color: #eef3f8"
        elif kind in ("summa", "resultat"):
            css = "font-weight: 700"
        else:
            css = ""
        return [css] * len(row)

    return (
        table.frame.style.format(lambda v: "" if pd.isna(v) else format_number(int(v)), subset=year_columns)
        .apply(row_style, axis=1)
        .hide(axis="index")
    )


def budget_table_view(budget: Budget, result: BudgetResult, *, key: str) -> None:
    styler = styled_budget_table(budget, result)
    height = 35 * (len(styler.data) + 1) + 3
    st.dataframe(styler, hide_index=True, height=height, key=key, alt="Budgettabell i verksamhetsplanens uppställning")
