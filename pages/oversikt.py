"""Översikt: result and equity per plan year, the budget table and the rule checks."""

import streamlit as st

from core.model.money import format_kr
from core.papers.figures import cost_share_figure
from core.rules.checks import run_checks
from ui import components, state
from ui.navigation import require_navigation

require_navigation()

# Get state
base, base_result = state.baseline()
budget, result = state.scenario_budget()
scenario = state.scenario()
active = not scenario.is_empty
large = state.presentation_mode()

# Compute
checks = run_checks(budget, result)
last = budget.plan_years[-1]

# Show
components.scenario_status(scenario)
st.title("Översikt")
if active:
    st.caption(
        f"Scenario: {scenario.name}. Eget kapital {last}: {format_kr(result[last].equity_end)} "
        f"({format_kr(result[last].equity_end - base_result[last].equity_end, signed=True)} mot basbudgeten)."
    )
else:
    st.caption("Basbudget, som den är sparad. Ändra kostnader och intäkter på sidorna i menyn.")

components.kpi_tiles(budget, base_result, result, active=active, large=large)

series = [("Basbudget", base_result), (scenario.name, result)] if active else [("Basbudget", result)]
chart_column, share_column = st.columns([3, 2]) if not large else (st.container(), st.container())
with chart_column:
    st.subheader("Resultat och eget kapital")
    components.result_chart(budget, series, large=large, key="oversikt_chart")
with share_column:
    share_year = st.segmented_control(
        "Kostnadsfördelning för år",
        budget.plan_years,
        default=budget.plan_years[0],
        key="oversikt_share_year",
        required=True,
    )
    share_year = share_year or budget.plan_years[0]
    components.chart(cost_share_figure(result[share_year], large=large), key="oversikt_shares")

st.subheader("Kontroller")
components.check_alerts(checks)

st.subheader("Budget")
components.budget_table_view(budget, result, key="oversikt_table", large=large)
