"""Intäkter: member contributions per year, one slider per year for the total, and interest.

A change in total contributions is split by the law's 50/25/25 and the municipal key, so the
table below always shows what each member would pay.
"""

from decimal import Decimal

import pandas as pd
import streamlit as st

from core.analysis.tables import contributions_table
from core.engine.whatif import contribution_percent, set_contribution_percent, set_interest_rate
from core.model.money import format_kr, format_number, format_pct
from ui import components, state
from ui.navigation import require_navigation
from ui.widgets import seed

require_navigation()

INTEREST_FIXED, INTEREST_RATE = "Budgetens belopp", "Räntesats på eget kapital"
CONTRIBUTION_STEPS = [Decimal(n) / 2 for n in range(-60, 61)]  # −30 … +30 % in steps of 0,5
RATE_STEPS = [Decimal(n) / 100 for n in range(0, 801)]  # 0 … 8 % in steps of 0,01
KIND_LABELS = {"stat": "Staten (FK och AF)", "region": "Regionen", "kommun": "Kommunerna"}


def contribution_key(year: int) -> str:
    return f"intakt::avgift::{year}"


def on_contribution(year: int) -> None:
    percent = st.session_state[contribution_key(year)]
    state.set_scenario(set_contribution_percent(state.scenario(), year, Decimal(str(percent))))


def on_interest() -> None:
    mode = st.session_state["intakt::ranta_mode"]
    rate = st.session_state.get("intakt::ranta_sats", Decimal(0))
    state.set_scenario(set_interest_rate(state.scenario(), rate if mode == INTEREST_RATE else None))


def nearest_step(steps: list[Decimal], value: Decimal) -> Decimal:
    """Slider position for a value a scenario file may have set between the steps."""
    return min(steps, key=lambda step: abs(step - value))


@st.fragment
def revenue_what_if() -> None:
    base, base_result = state.baseline()
    scenario = state.scenario()
    budget, result = state.scenario_budget()
    large = state.presentation_mode()
    plan = base.plan_years
    components.scenario_status(scenario)

    components.kpi_tiles(budget, base_result, result, active=not scenario.is_empty, large=large)

    st.subheader("Medlemsavgifter")
    st.caption(
        "Ändra de totala medlemsavgifterna per år. Ändringen fördelas enligt lag (2003:1210) 5 § – staten "
        "hälften, regionen en fjärdedel, kommunerna en fjärdedel – och mellan kommunerna enligt nyckeln."
        if base.is_samordningsforbund
        else "Ändra de totala medlemsavgifterna per år; ändringen fördelas mellan medlemmarna enligt nyckeln."
    )
    columns = st.columns(len(plan))
    for column, year in zip(columns, plan, strict=True):
        key = contribution_key(year)
        seed(key, nearest_step(CONTRIBUTION_STEPS, contribution_percent(scenario, year)))
        with column:
            st.select_slider(
                f"Förändring {year}",
                options=CONTRIBUTION_STEPS,
                format_func=lambda v: format_pct(v, 1, signed=True),
                key=key,
                on_change=on_contribution,
                args=(year,),
            )
            before, after = base_result[year].contributions, result[year].contributions
            st.caption(f"Totalt {format_kr(after)} ({format_kr(after - before, signed=True)})")

    split_rows = []
    present = {m.kind for m in base.members}
    for kind, label in ((k, v) for k, v in KIND_LABELS.items() if k in present):
        row: dict[str, str] = {"Part": label}
        for year in plan:
            amount = result[year].contributions_by_kind[kind]
            total = result[year].contributions
            share = format_pct(Decimal(100 * amount) / total) if total else "–"
            row[str(year)] = f"{format_kr(amount)} ({share})"
        split_rows.append(row)
    st.markdown("**Fördelning mellan parterna**")
    st.dataframe(pd.DataFrame(split_rows), hide_index=True, alt="Fördelning stat, region och kommuner per år")

    st.markdown("**Per medlem**")
    table = contributions_table(budget, base_result, result)
    numeric = [c for c in table.columns if c not in ("Medlem", "Typ")]
    st.dataframe(
        table.style.format(lambda v: format_number(int(v)), subset=numeric),
        hide_index=True,
        alt="Medlemsavgift per medlem och år med ändring mot basbudget",
    )

    st.subheader("Ränta")
    seed("intakt::ranta_mode", INTEREST_RATE if scenario.interest_rate is not None else INTEREST_FIXED)
    seed("intakt::ranta_sats", nearest_step(RATE_STEPS, scenario.interest_rate or Decimal("3.57")))
    mode = st.segmented_control(
        "Ränta i planåren",
        [INTEREST_FIXED, INTEREST_RATE],
        key="intakt::ranta_mode",
        on_change=on_interest,
        required=True,
    )
    if mode == INTEREST_RATE:
        st.select_slider(
            "Räntesats på eget kapital vid årets början",
            options=RATE_STEPS,
            format_func=lambda v: format_pct(v, 2),
            key="intakt::ranta_sats",
            on_change=on_interest,
        )
    interest = {str(y): format_kr(result[y].interest) for y in plan}
    st.dataframe(pd.DataFrame([{"Post": "Ränta", **interest}]), hide_index=True, alt="Ränta per planår")


st.title("Intäkter")
revenue_what_if()
