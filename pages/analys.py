"""Analys: the board's hard questions on the scenario in progress.

What can we afford (room for a new activity above an equity floor), what would it take
(contributions for an equity target, the deficit per year), what moves equity most (a tornado of
± a percent per post) and the next plan (rolling the plan forward, saved as a new baseline).
Every answer comes from core.analysis.plan, which runs the real engine; the page and its helpers in
ui/analysis_questions.py and ui/roll_forward.py only ask and show.
"""

import streamlit as st

from core.analysis.plan import sensitivity
from core.engine.scenario import Scenario
from core.model.budget import Budget
from core.model.money import format_pct
from core.papers.figures import tornado_figure
from ui import components, state
from ui.analysis_questions import PREFIX, TABS, room_for_new_activity, what_it_would_take
from ui.navigation import require_navigation
from ui.roll_forward import PAGE_MESSAGES, roll_forward_section
from ui.widgets import money_table, seed, show_flash

require_navigation()

SENSITIVITY_STEPS = list(range(1, 51))


def sensitivity_section(base: Budget, budget: Budget, scenario: Scenario, *, large: bool) -> None:
    last = budget.plan_years[-1]
    st.caption(
        f"Hur mycket eget kapital vid slutet av {last} ändras när en post ändras i alla planår, allt annat "
        "lika. Varje stapel är en egen beräkning med det pågående scenariot. Medlemsavgifterna ändras "
        "totalt och fördelas enligt lag och nyckel."
    )
    seed(PREFIX + "kanslighet", 10)
    percent = st.select_slider(
        "Förändring per post",
        options=SENSITIVITY_STEPS,
        format_func=lambda v: f"±{format_pct(v, 0)}",
        key=PREFIX + "kanslighet",
    )
    rows = sensitivity(base, scenario, percent)
    down, up = format_pct(-percent, 0), format_pct(percent, 0, signed=True)
    components.chart(
        tornado_figure([(r.label, r.down, r.up) for r in rows], down, up, large=large), key="analys_tornado"
    )
    st.markdown(f"**Ändring av eget kapital vid slutet av {last}**")
    money_table(
        [{"Post": r.label, down: r.down, up: r.up} for r in rows],
        alt=f"Ändring av eget kapital {last} per post vid {down} och {up}",
        money=[down, up],
        signed=(down, up),
    )
    locked = [c.name for c in budget.costs if c.locked]  # the scenario's locks are applied here too
    if locked:
        st.caption(f"Låsta rader (avtal) ingår inte: {', '.join(locked)}.")


# Page ---------------------------------------------------------------------------------------------
base, base_result = state.baseline()
budget, result = state.scenario_budget()
scenario = state.scenario()
large = state.presentation_mode()

components.scenario_status(scenario)
st.title("Analys")
st.caption(
    "Styrelsens svåra frågor, räknade med det pågående scenariot: vad har vi råd med, vad skulle krävas, "
    "vad påverkar eget kapital mest – och nästa plan."
)
show_flash(PAGE_MESSAGES)
components.kpi_tiles(budget, base_result, result, active=not scenario.is_empty, large=large)

room_tab, need_tab, sens_tab, roll_tab = st.tabs(
    ["Utrymme för ny verksamhet", "Vad som krävs", "Känslighet", "Rulla planen framåt"],
    key=TABS,
)
with room_tab:
    room_for_new_activity(budget)
with need_tab:
    what_it_would_take(base, budget, scenario)
with sens_tab:
    sensitivity_section(base, budget, scenario, large=large)
with roll_tab:
    roll_forward_section(base)
