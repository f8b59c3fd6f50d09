"""Analys: the board's hard questions on the scenario in progress.

What can we afford (room for a new activity above an equity floor), what would it take
(contributions for an equity target, the deficit per year), what moves equity most (a tornado of
± a percent per post) and the next plan (rolling the plan forward, saved as a new baseline).
Every answer comes from core.analysis.plan, which runs the real engine; this page only asks and shows.
"""

from contextlib import suppress
from decimal import Decimal

import pandas as pd
import streamlit as st

from core import store
from core.analysis.plan import (
    DEFAULT_NEW_ACTIVITY_NAME,
    NEW_ACTIVITY_CATEGORY,
    afford_new_activity,
    contribution_for_target,
    deficits,
    roll_forward,
    roll_forward_reason,
    scenario_with_contribution_percent,
    sensitivity,
    with_index_marks,
    year_span,
)
from core.engine.compute import compute
from core.engine.scenario import NewLine, Scenario
from core.engine.whatif import add_new_line
from core.model.budget import Budget
from core.model.errors import BudgetError
from core.model.money import format_kr, format_number, format_pct, parse_amount
from core.papers.figures import tornado_figure
from ui import auth, components, state
from ui.navigation import require_navigation

require_navigation()

PREFIX = "analys::"
MESSAGE = PREFIX + "meddelande"  # (where, text) shown once after an apply or save
SAVE_ERROR = PREFIX + "sparfel"
TABS = PREFIX + "flik"
SENSITIVITY_STEPS = list(range(1, 51))
INDEX_STEPS = [Decimal(n) / 10 for n in range(-50, 101)]  # −5,0 … +10,0 % in steps of 0,1
MAX_NEW_YEARS = 5


def seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def span_key(name: str, years: list[int]) -> str:
    """A widget key tied to the plan years, so a new baseline with other years starts afresh."""
    return f"{PREFIX}{name}::{years[0]}-{years[-1]}"


def show_message(tab: str) -> None:
    message = st.session_state.get(MESSAGE)
    if message and message[0] == tab:
        del st.session_state[MESSAGE]
        st.success(message[1], icon=":material/check_circle:")


# Amount inputs: Swedish thousands spaces, tidied when the user leaves the field -----------------
def tidy_amount(key: str) -> None:
    with suppress(ValueError):  # left as typed otherwise; the page says what is wrong
        st.session_state[key] = format_number(parse_amount(st.session_state[key]))


def amount_input(label: str, key: str, default: int, help: str) -> int | None:
    seed(key, format_number(default))
    text = st.text_input(f"{label} (kr)", key=key, on_change=tidy_amount, args=(key,), help=help)
    try:
        return parse_amount(text or "")
    except ValueError:
        st.error(f"{label}: skriv ett belopp i hela kronor, t.ex. 1 000 000.", icon=":material/error:")
        return None


def signed_number(value: int) -> str:
    return ("+" if value > 0 else "") + format_number(value)


def money_table(
    rows: list[dict], *, alt: str, money: list[str], signed: tuple[str, ...] = (), wide_first: bool = False
) -> None:
    """Whole kronor with Swedish thousands spaces; ``signed`` columns are changes and get a ``+``."""
    frame = pd.DataFrame(rows)
    styler = frame.style.format(lambda v: format_number(int(v)), subset=[c for c in money if c not in signed])
    if signed:
        styler = styler.format(lambda v: signed_number(int(v)), subset=list(signed))
    config = {frame.columns[0]: st.column_config.TextColumn(width="large")} if wide_first else None
    height = 35 * (len(frame) + 1) + 3  # every row, no scrolling
    st.dataframe(styler, hide_index=True, alt=alt, height=height, column_config=config)


# Callbacks: replace the scenario -------------------------------------------------------------------
def taken_names(base: Budget, scenario: Scenario) -> set[str]:
    names = {c.name for c in base.costs} | {r.name for r in base.revenues} | {n.name for n in scenario.new_line}
    return {n.casefold() for n in names}


def on_add_activity(amount: int, years: tuple[int, ...], name_key: str) -> None:
    base, _ = state.baseline()
    scenario = state.scenario()
    name = (st.session_state.get(name_key) or "").strip()
    if not name:
        st.session_state[PREFIX + "namnfel"] = "Ge den nya verksamheten ett namn."
        return
    if name.casefold() in taken_names(base, scenario):
        st.session_state[PREFIX + "namnfel"] = f"Det finns redan en rad som heter {name!r}; välj ett annat namn."
        return
    st.session_state.pop(PREFIX + "namnfel", None)
    new = NewLine(name=name, category=NEW_ACTIVITY_CATEGORY, amounts={y: amount for y in years})
    state.set_scenario(add_new_line(scenario, new))
    st.session_state[MESSAGE] = (
        "utrymme",
        f"Raden {name!r} med {format_kr(amount)} per år {year_span(years)} är tillagd i scenariot.",
    )


def on_apply_contributions(percent: Decimal, years: tuple[int, ...]) -> None:
    state.set_scenario(scenario_with_contribution_percent(state.scenario(), years, percent))
    st.session_state[MESSAGE] = (
        "krav",
        f"Medlemsavgifterna ändras med {format_pct(percent, 2, signed=True)} per år {year_span(years)} i scenariot.",
    )
    state.forget_scenario_widgets()  # the Intäkter sliders show the new percent


def on_save_roll_forward(rolled: Budget, reason: str) -> None:
    """Save the rolled budget as a new baseline version; the scenario was made for the old plan years."""
    author = auth.editor_name()
    if author is None:  # the button is only shown to editors; checked again where it happens
        st.session_state[SAVE_ERROR] = "Bara en redaktör kan spara en ny basbudget."
        return
    try:
        version = store.save_budget(state.connection(), rolled, author=author, reason=reason)
        state.baseline_changed()
    except BudgetError as exc:
        st.session_state[SAVE_ERROR] = str(exc)
        return
    state.reset_scenario()
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(PREFIX) and k != TABS]:
        del st.session_state[key]
    st.session_state[MESSAGE] = (
        "sida",
        f"Sparad som basbudget version {version}: {reason}. Planåren är nu {year_span(rolled.plan_years)}; "
        "det pågående scenariot är nollställt.",
    )


# Sections -----------------------------------------------------------------------------------------
def room_for_new_activity(base: Budget, budget: Budget, scenario: Scenario) -> None:
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
            [{"År": str(y), "Eget kapital nu": before[y].equity_end, "Med utrymmet": room.equity[y]} for y in plan],
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
        if PREFIX + "namnfel" in st.session_state:
            st.error(st.session_state.pop(PREFIX + "namnfel"), icon=":material/error:")


def what_it_would_take(base: Budget, budget: Budget, scenario: Scenario) -> None:
    plan = budget.plan_years
    last = plan[-1]
    result = compute(budget)
    show_message("krav")
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
            need = contribution_for_target(base, scenario, target, years)
            if need.percent is None:
                st.warning(
                    f"Inte ens en höjning med 1 000 % når {format_kr(target)} vid slutet av {last}.",
                    title="Målet nås inte",
                    icon=":material/warning:",
                )
            else:
                st.metric(
                    f"Ändring av medlemsavgifterna per år {year_span(need.years)}",
                    format_pct(need.percent, 2, signed=True),
                    border=True,
                )
                text = (
                    f"Eget kapital blir {format_kr(need.equity_at_percent)} vid slutet av {last} "
                    f"(nu {format_kr(need.equity_now)})."
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


def roll_forward_section(base: Budget) -> None:
    plan = base.plan_years
    after = base.year_numbers[-1]
    st.caption(
        f"Förläng planen med nya år efter {after}. Raderna som följer löne- eller prisindex räknas upp år för år "
        f"från {plan[-1]}; övriga kostnadsrader ligger kvar på {plan[-1]} års belopp. Framrullningen utgår från "
        "den sparade basbudgeten, utan scenariots ändringar, och sparas som en ny version: den nuvarande finns kvar."
    )
    st.info(
        f"Medlemsavgifter och övriga intäkter ligger kvar på {plan[-1]} års belopp i de nya åren. "
        "Styrelsen justerar dem sedan, till exempel på sidan Intäkter.",
        icon=":material/info:",
    )
    count = st.segmented_control(
        "Nya planår",
        list(range(1, MAX_NEW_YEARS + 1)),
        default=min(len(plan), MAX_NEW_YEARS),
        format_func=lambda n: year_span(range(after + 1, after + 1 + n)),
        required=True,
        key=span_key("rulla_antal", plan),
    )
    new_years = list(range(after + 1, after + 1 + (count or 1)))

    st.markdown("**Indexantaganden per nytt år**")
    assumptions: dict[int, dict[str, Decimal]] = {}
    columns = st.columns(max(len(new_years), 3))  # one or two years do not stretch over the page
    for column, year in zip(columns, new_years, strict=False):
        with column, st.container(border=True):
            st.markdown(f"**{year}**")
            assumptions[year] = {}
            for kind, label in (("lön", "Löneindex"), ("pris", "Prisindex")):
                key = f"{PREFIX}rulla_{kind}::{year}"
                seed(key, Decimal(0))
                assumptions[year][kind] = st.select_slider(
                    f"{label} {year}", options=INDEX_STEPS, format_func=lambda v: format_pct(v, 1), key=key
                )

    st.markdown("**Vilka rader följer ett index?**")
    names = [c.name for c in base.costs]
    lon, pris = st.columns(2)
    wage_lines = lon.multiselect(
        "Följer löneindex",
        names,
        default=[c.name for c in base.costs if c.index == "lön"],
        key=span_key("rulla_lon_rader", plan),
        placeholder="Välj rader, t.ex. lönekostnader",
    )
    price_lines = pris.multiselect(
        "Följer prisindex",
        names,
        default=[c.name for c in base.costs if c.index == "pris"],
        key=span_key("rulla_pris_rader", plan),
        placeholder="Välj rader, t.ex. köpta tjänster",
    )
    both = sorted(set(wage_lines) & set(price_lines))
    if both:
        st.error(f"En rad kan bara följa ett index: {', '.join(both)}.", icon=":material/error:")
        return
    marks = {name: None for name in names} | dict.fromkeys(wage_lines, "lön") | dict.fromkeys(price_lines, "pris")
    rolled = roll_forward(with_index_marks(base, marks), assumptions)
    rolled_result = compute(rolled)
    new_plan = rolled.plan_years
    to_prognos = [y for y in plan if rolled.year_kind(y) == "prognos"]

    st.markdown("**Förhandsgranskning**")
    st.caption(
        f"{year_span(to_prognos)} blir prognos; planåren blir {year_span(new_plan)}. "
        "Beslut om att använda eget kapital i tidigare år ligger kvar."
    )
    shown = [plan[-1], *new_years]
    money_table(
        [
            {"Kostnadsrad": c.name, "Index": c.index or "–", **{str(y): c.amounts[y] for y in shown}}
            for c in rolled.costs
        ],
        alt="Kostnadsraderna i de nya planåren",
        money=[str(y) for y in shown],
        wide_first=True,
    )
    money_table(
        [
            {"Post": label, **{str(y): getattr(rolled_result[y], attr) for y in shown}}
            for label, attr in (
                ("Intäkter", "revenue"),
                ("Kostnader", "costs"),
                ("Resultat", "result"),
                ("Eget kapital vid årets slut", "equity_end"),
            )
        ],
        alt="Intäkter, kostnader, resultat och eget kapital i de nya planåren",
        money=[str(y) for y in shown],
        wide_first=True,
    )

    reason = roll_forward_reason(new_years)
    editor = auth.editor_name()
    if editor is None:
        st.info(
            "Bara en redaktör kan spara framrullningen som ny basbudget. Logga in som redaktör i sidofältet.",
            icon=":material/lock:",
        )
        return
    with st.container(border=True, key="analys-rulla-bekrafta"):
        st.markdown(f"**Spara som ny basbudget:** {reason}")
        st.caption(f"Sparas av {editor}.")
        confirmed = st.checkbox(
            f"Jag har granskat framrullningen till {year_span(new_years)} och vill spara den som ny basbudget. "
            "Det pågående scenariot nollställs.",
            key=PREFIX + "rulla_bekraftad",
        )
        st.button(
            "Spara som ny basbudget",
            key=PREFIX + "rulla_spara",
            icon=":material/save:",
            type="primary",
            disabled=not confirmed,
            on_click=on_save_roll_forward,
            args=(rolled, reason),
        )
    if SAVE_ERROR in st.session_state:
        st.error(st.session_state.pop(SAVE_ERROR), title="Basbudgeten sparades inte", icon=":material/error:")


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
show_message("sida")
components.kpi_tiles(budget, base_result, result, active=not scenario.is_empty, large=large)

room_tab, need_tab, sens_tab, roll_tab = st.tabs(
    ["Utrymme för ny verksamhet", "Vad som krävs", "Känslighet", "Rulla planen framåt"],
    key=TABS,
)
with room_tab:
    room_for_new_activity(base, budget, scenario)
with need_tab:
    what_it_would_take(base, budget, scenario)
with sens_tab:
    sensitivity_section(base, budget, scenario, large=large)
with roll_tab:
    roll_forward_section(base)
