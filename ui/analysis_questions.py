"""Analys's first two questions, asked and shown: room for a new activity above an equity floor, and what it
would take (contributions for an equity target, the deficit per year). The answers come from
core.analysis.plan, which runs the real engine; these functions only ask and show.
"""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from core.analysis.plan import (
    DEFAULT_NEW_ACTIVITY_NAME,
    NEW_ACTIVITY_CATEGORY,
    afford_new_activity,
    contribution_for_target,
    deficits,
    scenario_with_contribution_percent,
    year_span,
)
from core.engine.compute import BudgetResult, compute
from core.engine.scenario import NewLine, Scenario
from core.engine.whatif import add_new_line
from core.model.budget import Budget
from core.model.money import format_kr, format_pct
from ui import state
from ui.widgets import amount_input, flash, money_table, seed, show_flash

PREFIX = "analys::"
TABS = PREFIX + "flik"
NAME_ERROR = PREFIX + "namnfel"


def span_key(name: str, years: list[int]) -> str:
    """A widget key tied to the plan years, so a new baseline with other years starts afresh."""
    return f"{PREFIX}{name}::{years[0]}-{years[-1]}"


def show_message(tab: str) -> None:
    show_flash(PREFIX + tab)


# Callbacks: replace the scenario -------------------------------------------------------------------
def taken_names(base: Budget, scenario: Scenario) -> set[str]:
    names = {c.name for c in base.costs} | {r.name for r in base.revenues} | {n.name for n in scenario.new_line}
    return {n.casefold() for n in names}


def on_add_activity(amount: int, years: tuple[int, ...], name_key: str) -> None:
    base, _ = state.baseline()
    scenario = state.scenario()
    name = (st.session_state.get(name_key) or "").strip()
    if not name:
        st.session_state[NAME_ERROR] = "Ge den nya verksamheten ett namn."
        return
    if name.casefold() in taken_names(base, scenario):
        st.session_state[NAME_ERROR] = f"Det finns redan en rad som heter {name!r}; välj ett annat namn."
        return
    st.session_state.pop(NAME_ERROR, None)
    new = NewLine(name=name, category=NEW_ACTIVITY_CATEGORY, amounts={y: amount for y in years})
    state.set_scenario(add_new_line(scenario, new))
    flash(
        PREFIX + "utrymme",
        "success",
        f"Raden {name!r} med {format_kr(amount)} per år {year_span(years)} är tillagd i scenariot.",
    )


def on_apply_contributions(percent: Decimal, years: tuple[int, ...]) -> None:
    state.set_scenario(scenario_with_contribution_percent(state.scenario(), years, percent))
    change = format_pct(percent, 2, signed=True)
    flash(PREFIX + "krav", "success", f"Medlemsavgifterna ändras med {change} per år {year_span(years)} i scenariot.")
    state.forget_scenario_widgets()  # the Intäkter sliders show the new percent


# Room for a new activity --------------------------------------------------------------------------
def room_for_new_activity(budget: Budget) -> None:
    plan = budget.plan_years
    show_message("utrymme")
    st.caption(
        "Det största lika beloppet per år som en ny verksamhet kan kosta, så att eget kapital vid slutet "
        "av varje planår ligger kvar på eller över golvet. Räknat på kronan med det pågående scenariot: "
        "en krona mer per år går under golvet."
    )
    ask, answer = st.columns([2, 3], gap="large")
    with ask:
        floor = amount_input(
            "Golv för eget kapital",
            PREFIX + "golv",
            budget.settings.equity_floor,
            "Eget kapital får inte gå under detta belopp vid slutet av något planår.",
        )
        years = st.pills(
            "År med den nya verksamheten",
            plan,
            selection_mode="multi",
            default=plan,
            key=span_key("utrymme_ar", plan),
        )
    with answer:
        if floor is None:
            return
        if not years:
            st.info("Välj minst ett år för den nya verksamheten.", icon=":material/info:")
            return
        room_answer(budget, floor, years)


def room_answer(budget: Budget, floor: int, years: list[int]) -> None:
    room = afford_new_activity(budget, floor, years)
    binding = room.binding_year
    if room.already_below:
        st.warning(
            f"Redan utan ny verksamhet är eget kapital {format_kr(room.equity[binding])} vid slutet av "
            f"{binding}, under golvet {format_kr(floor)}. Utrymmet är 0 kr.",
            title="Inget utrymme",
            icon=":material/warning:",
        )
        return
    st.metric(f"Utrymme per år {year_span(room.years)}", format_kr(room.amount_per_year), border=True)
    st.markdown(
        f"Bindande år är **{binding}**: eget kapital blir {format_kr(room.equity[binding])} vid årets slut. "
        f"Med en krona mer per år blir det {format_kr(room.equity_one_more[binding])}, under golvet "
        f"{format_kr(floor)}."
    )
    before = compute(budget)
    money_table(
        [
            {"År": str(y), "Eget kapital nu": before[y].equity_end, "Med utrymmet": room.equity[y]}
            for y in budget.plan_years
        ],
        alt="Eget kapital vid slutet av varje planår, nu och med den nya verksamheten",
        money=["Eget kapital nu", "Med utrymmet"],
    )
    st.caption(
        "Verksamheten betalas ur eget kapital: underskotten den ger kräver styrelsens beslut om att använda "
        "eget kapital (se Vad som krävs)."
    )
    with st.container(horizontal=True, vertical_alignment="bottom"):
        name_key = PREFIX + "utrymme_namn"
        seed(name_key, DEFAULT_NEW_ACTIVITY_NAME)
        st.text_input("Namn på den nya raden", max_chars=120, key=name_key)
        st.button(
            "Lägg till i scenariot",
            key=PREFIX + "utrymme_lagg_till",
            icon=":material/add:",
            type="primary",
            on_click=on_add_activity,
            args=(room.amount_per_year, room.years, name_key),
            disabled=room.amount_per_year == 0,
        )
    if NAME_ERROR in st.session_state:
        st.error(st.session_state.pop(NAME_ERROR), icon=":material/error:")


# What it would take ---------------------------------------------------------------------------------
def what_it_would_take(base: Budget, budget: Budget, scenario: Scenario) -> None:
    result = compute(budget)
    show_message("krav")
    contribution_target(base, budget, scenario, result)
    deficit_table(budget)


def contribution_target(base: Budget, budget: Budget, scenario: Scenario, result: BudgetResult) -> None:
    plan = budget.plan_years
    last = plan[-1]
    st.subheader("Medlemsavgifter för ett mål för eget kapital")
    split = (
        "fördelad enligt lag (2003:1210) 5 § – staten hälften, regionen och kommunerna en fjärdedel var – "
        "och mellan kommunerna enligt nyckeln"
        if base.is_samordningsforbund
        else "fördelad mellan medlemmarna enligt nyckeln"
    )
    st.caption(
        f"Den minsta ändringen av de totala medlemsavgifterna, samma procent varje valt år och {split}, "
        f"som ger minst målet för eget kapital vid slutet av {last}. Procenten är på 0,01 % när: "
        "0,01 procentenhet mindre når inte målet."
    )
    ask, answer = st.columns([2, 3], gap="large")
    with ask:
        target = amount_input(
            f"Mål för eget kapital vid slutet av {last}",
            PREFIX + "mal",
            result[plan[0]].equity_start,
            f"Förvalt: eget kapital när planperioden börjar (vid slutet av {plan[0] - 1}).",
        )
        years = st.pills(
            "År med ändrade avgifter",
            plan,
            selection_mode="multi",
            default=plan,
            key=span_key("krav_ar", plan),
        )
    with answer:
        if target is None:
            pass
        elif not years:
            st.info("Välj minst ett år för ändringen.", icon=":material/info:")
        elif not base.members:
            st.info("Budgeten har inga medlemmar.", icon=":material/info:")
        else:
            target_answer(base, scenario, result, target, years, last)


def target_answer(
    base: Budget, scenario: Scenario, result: BudgetResult, target: int, years: list[int], last: int
) -> None:
    need = contribution_for_target(base, scenario, target, years)
    if need.percent is None:
        st.warning(
            f"Inte ens en höjning med 1 000 % når {format_kr(target)} vid slutet av {last}.",
            title="Målet nås inte",
            icon=":material/warning:",
        )
        return
    st.metric(
        f"Ändring av medlemsavgifterna per år {year_span(need.years)}",
        format_pct(need.percent, 2, signed=True),
        border=True,
    )
    text = (
        f"Eget kapital blir {format_kr(need.equity_at_percent)} vid slutet av {last} (nu {format_kr(need.equity_now)})."
    )
    if need.at_lower_bound:
        text += " Målet nås även om avgifterna sänks med 100 %."
    else:
        less = format_pct(need.percent - Decimal("0.01"), 2, signed=True)
        text += f" Med {less} blir det {format_kr(need.equity_one_step_less)}, under målet."
    st.markdown(text)
    money_table(
        [
            {
                "År": str(y),
                "Medlemsavgifter nu": result[y].contributions,
                "Förändring": need.added[y],
                "Med ändringen": result[y].contributions + need.added[y],
            }
            for y in need.years
        ],
        alt="Medlemsavgifter per år före och efter ändringen",
        money=["Medlemsavgifter nu", "Förändring", "Med ändringen"],
        signed=("Förändring",),
    )
    st.button(
        "Tillämpa i scenariot",
        key=PREFIX + "krav_tillamp",
        icon=":material/check:",
        type="primary",
        on_click=on_apply_contributions,
        args=(need.percent, need.years),
    )


def deficit_table(budget: Budget) -> None:
    st.subheader("Underskott per år")
    st.caption(
        "Den kostnadsminskning som behövs för att varje planår ska vara i balans. Underskott räknar med "
        "styrelsens beslut om att använda eget kapital, som budgetkontrollen gör; underskott utan beslut "
        "om eget kapital bortser från dem."
    )
    money_table(
        [
            {
                "År": str(d.year),
                "Resultat": d.result,
                "Beslut om eget kapital": d.decided,
                "Underskott": d.deficit,
                "Underskott utan beslut om eget kapital": d.deficit_without_decisions,
            }
            for d in deficits(budget)
        ],
        alt="Underskott per planår med och utan beslut om eget kapital",
        money=["Resultat", "Beslut om eget kapital", "Underskott", "Underskott utan beslut om eget kapital"],
    )
    if budget.interest_rate_pct is not None:
        st.caption(
            "Med räntesats på eget kapital höjer en minskning ett år också nästa års ränta, så görs alla "
            "minskningarna blir de senare åren några kronor bättre än i balans."
        )
