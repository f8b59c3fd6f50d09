"""Kostnader: every cost line on a slider; result and equity follow live.

Three fragments: the KPI tiles (pinned in view while the lines scroll), the charts, and the line
controls. A slider's callback writes the scenario (under our own session key) and reruns only the
tiles and the charts: the controls already show what the user just did, so a key press costs one
small rerun instead of redrawing every line card. Actions that change a card (lock, remove, exact
amounts, reset) rerun all three. Widgets are seeded from the scenario whenever their own state is gone.

The browser redraws the whole page on every rerun, so the page keeps few widgets: the lines are
shown one category at a time (or all), and the new-line form exists only while it is open.
"""

from collections import Counter
from decimal import Decimal

import streamlit as st
from pydantic import ValidationError

from core.analysis.compare import waterfall_steps
from core.engine.scenario import NewLine, find_problems
from core.engine.whatif import (
    add_new_line,
    line_edit,
    remove_new_line,
    reset_line,
    set_line_amounts,
    set_line_percent,
    set_locked,
    set_removed,
)
from core.model.budget import CATEGORIES, UNCATEGORISED
from core.model.errors import validation_messages
from core.model.money import format_kr, format_pct
from core.papers.figures import waterfall_figure
from ui import components, state
from ui.navigation import require_navigation
from ui.widgets import seed

require_navigation()

WIDGET_PREFIX = "kost::"
ACTION_EXACT, ACTION_PERCENT = "Ange exakta belopp", "Ändra i procent"
ACTION_LOCK, ACTION_UNLOCK = "Lås raden (avtal)", "Lås upp raden"
ACTION_REMOVE, ACTION_UNDO_REMOVE = "Ta bort raden", "Ångra borttagning"
ACTION_RESET = "Återställ raden"
PERCENT_STEPS = list(range(-100, 101))
PERCENT_LABELS = {step: format_pct(step, 0, signed=True) for step in PERCENT_STEPS}


def wkey(kind: str, line: str) -> str:
    return f"{WIDGET_PREFIX}{kind}::{line}"


# Callbacks: read the widget, replace the scenario ------------------------------------------------
def on_percent(line: str) -> None:
    base, _ = state.baseline()
    percent = st.session_state[wkey("pct", line)]
    years = st.session_state.get(wkey("years", line)) or []
    state.set_scenario(set_line_percent(base, state.scenario(), line, Decimal(percent), years))
    st.rerun(LIVE)


def on_amount(line: str) -> None:
    base, _ = state.baseline()
    amounts = {y: int(st.session_state[wkey(f"amount{y}", line)] or 0) for y in base.plan_years}
    state.set_scenario(set_line_amounts(base, state.scenario(), line, amounts))
    st.rerun(LIVE)


def on_action(line: str) -> None:
    base, _ = state.baseline()
    action = st.session_state[wkey("menu", line)]
    scenario = state.scenario()
    if action == ACTION_EXACT:
        baseline_line = base.cost_line(line)
        st.session_state[wkey("mode", line)] = "belopp"
        amounts = dict(baseline_line.amounts) if baseline_line else {}
        scenario = set_line_amounts(base, reset_line(scenario, line), line, {y: amounts[y] for y in base.plan_years})
    elif action == ACTION_PERCENT:
        scenario = reset_line(scenario, line)
        st.session_state[wkey("mode", line)] = "procent"
    elif action in (ACTION_LOCK, ACTION_UNLOCK):
        scenario = set_locked(scenario, line, action == ACTION_LOCK)
    elif action in (ACTION_REMOVE, ACTION_UNDO_REMOVE):
        scenario = set_removed(scenario, line, action == ACTION_REMOVE)
    elif action == ACTION_RESET:
        scenario = reset_line(scenario, line)
    state.set_scenario(scenario)
    state.forget_scenario_widgets(line)
    st.rerun([*LIVE, CONTROLS])


def on_remove_new(name: str) -> None:
    state.set_scenario(remove_new_line(state.scenario(), name))
    state.forget_scenario_widgets(name)
    st.rerun([*LIVE, CONTROLS])


def on_reset_all() -> None:
    state.reset_scenario()
    st.rerun([*LIVE, CONTROLS])


# Controls -------------------------------------------------------------------------------------------
def line_controls(line_name: str, category: str | None, amounts: dict[int, int], *, compact: bool, new: bool) -> None:
    base, _ = state.baseline()
    plan = base.plan_years
    edit = line_edit(base, state.scenario(), line_name)
    mode = st.session_state.get(wkey("mode", line_name), "belopp" if edit.mode == "belopp" else "procent")
    per_year = " / ".join(format_kr(amounts.get(y, 0)).replace(" ", "\u00a0") for y in plan)
    # Few elements per card: every element is a message on each slider move (14 cards per rerun).
    with st.container(border=True, key=f"rad-{abs(hash(line_name))}"):
        head = st.container(horizontal=True, vertical_alignment="center")
        menu = head
        status = " · låst" if edit.locked else (" · borttagen" if edit.removed else "")
        kind = (category or "utan kategori").capitalize()
        head.markdown(f"**{state.escape_markdown(line_name)}**{status}  \n:gray[{kind} · {per_year}]", width="stretch")
        if new:
            menu.button(
                "Ta bort",
                key=wkey("delnew", line_name),
                on_click=on_remove_new,
                args=(line_name,),
                icon=":material/delete:",
                help="Ta bort den nya raden ur scenariot",
            )
        elif not compact:
            options = [
                ACTION_PERCENT if mode == "belopp" else ACTION_EXACT,
                ACTION_UNLOCK if edit.locked else ACTION_LOCK,
                ACTION_UNDO_REMOVE if edit.removed else ACTION_REMOVE,
                ACTION_RESET,
            ]
            menu.menu_button(
                "Mer",
                options,
                key=wkey("menu", line_name),
                on_click=on_action,
                args=(line_name,),
                icon=":material/more_vert:",
                type="tertiary",
            )
        if edit.removed:
            st.caption(f"Raden tas bort alla planår ({plan[0]}–{plan[-1]}).")
            return
        if edit.mode == "annan":
            st.caption("Raden ändras på ett sätt som reglagen inte visar (t.ex. från en scenariofil).")
        if mode == "belopp" and not compact:
            columns = st.columns(len(plan))
            for column, year in zip(columns, plan, strict=True):
                key = wkey(f"amount{year}", line_name)
                seed(key, edit.amounts.get(year, amounts.get(year, 0)))
                column.number_input(
                    f"{year} (kr)",
                    min_value=0,
                    max_value=1_000_000_000,
                    step=1000,
                    key=key,
                    on_change=on_amount,
                    args=(line_name,),
                    disabled=edit.locked,
                )
            return
        row = st.container(horizontal=True, vertical_alignment="center")
        slider_column, years_column = (row, row) if not compact else (st, None)
        seed(wkey("pct", line_name), int(edit.percent))
        seed(wkey("years", line_name), list(edit.years or plan))
        slider_column.select_slider(
            f"Förändring {line_name}",
            options=PERCENT_STEPS,
            format_func=PERCENT_LABELS.__getitem__,
            key=wkey("pct", line_name),
            on_change=on_percent,
            args=(line_name,),
            disabled=edit.locked,
            label_visibility="collapsed",
        )
        if years_column is not None:
            years_column.pills(
                f"År för {line_name}",
                plan,
                selection_mode="multi",
                key=wkey("years", line_name),
                on_change=on_percent,
                args=(line_name,),
                disabled=edit.locked,
                label_visibility="collapsed",
            )


NEW_LINE_ERROR = "kost_ny_rad_fel"
NEW_LINE_DONE = "kost_ny_rad_klar"
NEW_LINE_OPEN = "kost_ny_rad_oppen"
SHOWN_GROUP = "kostnader_visa"  # not a scenario widget: it survives "Återställ alla rader"
SHOWN_GROUP_KEPT = "kostnader_visa_vald"  # our own copy, kept when the page is left
ALL_LINES = "alla"


def on_new_line() -> None:
    """Validate the form in its callback, so the figures drawn after it already include the line."""
    base, _ = state.baseline()
    st.session_state.pop(NEW_LINE_ERROR, None)
    st.session_state.pop(NEW_LINE_DONE, None)
    try:
        new = NewLine(
            name=st.session_state["ny_rad_namn"],
            category=st.session_state["ny_rad_kategori"],
            amounts={y: int(st.session_state[f"ny_rad_{y}"] or 0) for y in base.plan_years},
        )
    except ValidationError as exc:
        st.session_state[NEW_LINE_ERROR] = "\n".join(validation_messages(exc, where="Ny rad"))
        return
    candidate = add_new_line(state.scenario(), new)
    problems = [p for p in find_problems(base, candidate) if p.entry == "new_line"]
    if problems:
        st.session_state[NEW_LINE_ERROR] = f"Ny rad {new.name!r}: {problems[0].message}."
        return
    state.set_scenario(candidate)
    st.session_state[NEW_LINE_DONE] = f"Raden {new.name!r} är tillagd i scenariot."
    st.session_state[NEW_LINE_OPEN] = False
    st.session_state[SHOWN_GROUP] = st.session_state[SHOWN_GROUP_KEPT] = new.category


def new_line_form() -> None:
    """Lazy: the form's widgets exist only while the expander is open, so they cost nothing per key press."""
    base, _ = state.baseline()
    failed = NEW_LINE_ERROR in st.session_state
    if failed:
        st.session_state[NEW_LINE_OPEN] = True
    panel = st.expander("Lägg till en ny rad", icon=":material/add:", key=NEW_LINE_OPEN, on_change="rerun")
    if not panel.open:
        if NEW_LINE_DONE in st.session_state:
            st.success(st.session_state.pop(NEW_LINE_DONE), icon=":material/check:")
        return
    with panel:
        with st.form("ny_rad", clear_on_submit=True, border=False):
            st.text_input("Namn", max_chars=120, placeholder="t.ex. Digital arbetsträning", key="ny_rad_namn")
            st.selectbox(
                "Kategori", CATEGORIES, index=len(CATEGORIES) - 1, format_func=str.capitalize, key="ny_rad_kategori"
            )
            columns = st.columns(len(base.plan_years))
            for column, year in zip(columns, base.plan_years, strict=True):
                column.number_input(
                    f"{year} (kr)", min_value=0, max_value=1_000_000_000, step=10_000, key=f"ny_rad_{year}"
                )
            st.form_submit_button("Lägg till", icon=":material/add:", on_click=on_new_line)
        if failed:
            st.error(st.session_state.pop(NEW_LINE_ERROR), icon=":material/error:")


KPIS, FIGURES, CONTROLS = "kostnader-kpis", "kostnader-figures", "kostnader-controls"
LIVE = [KPIS, FIGURES]  # what a slider drives


@st.fragment(key=KPIS)
def live_kpis(large: bool) -> None:
    """The tiles, pinned in view while the lines scroll; the sidebar's scenario status follows here too."""
    scenario = state.scenario()
    components.scenario_status(scenario, on_reset=on_reset_all)
    _, base_result = state.baseline()
    budget, result = state.scenario_budget()
    components.kpi_tiles(budget, base_result, result, active=not scenario.is_empty, large=large, narrow=True)


@st.fragment(key=FIGURES)
def live_figures(large: bool) -> None:
    _, base_result = state.baseline()
    budget, result = state.scenario_budget()
    active = not state.scenario().is_empty
    series = [("Basbudget", base_result), ("Scenario", result)] if active else [("Basbudget", base_result)]
    components.result_chart(budget, series, large=large, key="kostnader_chart")
    last = budget.plan_years[-1]
    steps = waterfall_steps(base_result, result)
    if steps:
        components.chart(
            waterfall_figure(
                f"Basbudget {last}",
                base_result[last].equity_end,
                steps,
                f"Scenario {last}",
                result[last].equity_end,
                large=large,
            ),
            key="kostnader_waterfall",
        )
    else:
        st.caption(f"Vattenfallet från basbudgetens eget kapital {last} visas när något är ändrat.")


def live(large: bool) -> None:
    with components.pinned("kostnader-pinned"):
        live_kpis(large=large)
    live_figures(large=large)


def cost_lines(base, scenario) -> list[tuple[str, str, str | None, dict[int, int], bool]]:
    """Every line card in the budget's own order, new lines last: (group, name, category, amounts, is new)."""
    lines = [(line.category or UNCATEGORISED, line.name, line.category, line.amounts, False) for line in base.costs]
    return lines + [(new.category, new.name, new.category, new.amounts, True) for new in scenario.new_line]


def remember_shown_group() -> None:
    st.session_state[SHOWN_GROUP_KEPT] = st.session_state[SHOWN_GROUP]


@st.fragment(key=CONTROLS)
def controls(large: bool) -> None:
    """One category's lines at a time (or all): a page with fewer widgets redraws faster on every key
    press, and a federation with hundreds of lines still gets a usable page."""
    base, _ = state.baseline()
    scenario = state.scenario()
    lines = cost_lines(base, scenario)
    per_group = Counter(line[0] for line in lines)
    counts = {g: per_group[g] for g in (*CATEGORIES, UNCATEGORISED) if per_group[g]} | {ALL_LINES: len(lines)}
    if SHOWN_GROUP not in st.session_state:  # widget state is dropped when the page is left
        st.session_state[SHOWN_GROUP] = st.session_state.get(SHOWN_GROUP_KEPT)
    if st.session_state[SHOWN_GROUP] not in counts:
        st.session_state[SHOWN_GROUP] = next(iter(counts))  # the first category (ALL_LINES if none)
    shown = st.pills(
        "Visa kostnadsrader",
        list(counts),
        format_func=lambda group: f"{'Alla' if group == ALL_LINES else group.capitalize()} ({counts[group]})",
        key=SHOWN_GROUP,
        on_change=remember_shown_group,
        required=True,
        label_visibility="collapsed",
        wrap=True,
    )
    shown_lines = [line for line in lines if shown in (ALL_LINES, line[0])]
    grid = st.columns(3) if large else [st.container()]
    for i, (_, name, category, amounts, new) in enumerate(shown_lines):
        with grid[i % len(grid)]:
            line_controls(name, category, amounts, compact=large, new=new)
    st.button("Återställ alla rader", on_click=on_reset_all, icon=":material/restart_alt:", key="reset_all")


# Get state
large = state.presentation_mode()

# Show
st.title("Kostnader")
st.caption(
    "Ändra varje kostnadsrad i procent för valda planår, ange exakta belopp, lås avtalade rader eller "
    "lägg till nya. Resultat och eget kapital räknas om direkt. Basbudgeten ändras aldrig här."
)
if large:  # the projector: figures on top, compact controls in three columns below
    live(large=True)
    controls(large=True)
else:
    control_column, live_column = st.columns([5, 4], gap="large")
    with live_column:
        live(large=False)
    with control_column:
        controls(large=False)
        new_line_form()  # outside the fragments: adding a line reruns the page, so the new line gets its card
