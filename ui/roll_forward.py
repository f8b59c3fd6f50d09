"""Analys, "Rulla planen framåt": new plan years from index assumptions, previewed, saved by an editor as a
new baseline version. The rolling itself is core.analysis.plan.roll_forward; this module asks and shows.
"""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from core import store
from core.analysis.plan import roll_forward, roll_forward_reason, with_index_marks, year_span
from core.engine.compute import compute
from core.model.budget import Budget
from core.model.errors import BudgetError
from core.model.money import format_pct
from ui import auth, state
from ui.analysis_questions import PREFIX, TABS, span_key
from ui.widgets import flash, money_table, seed

SAVE_ERROR = PREFIX + "sparfel"
INDEX_STEPS = [Decimal(n) / 10 for n in range(-50, 101)]  # −5,0 … +10,0 % in steps of 0,1
MAX_NEW_YEARS = 5
PAGE_MESSAGES = PREFIX + "sida"


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
    flash(
        PAGE_MESSAGES,
        "success",
        f"Sparad som basbudget version {version}: {reason}. Planåren är nu {year_span(rolled.plan_years)}; "
        "det pågående scenariot är nollställt.",
    )


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
    assumptions = index_assumptions(new_years)
    marks = index_marks(base)
    if marks is None:
        return
    rolled = roll_forward(with_index_marks(base, marks), assumptions)
    preview(base, rolled, new_years)
    save_box(rolled, roll_forward_reason(new_years), new_years)


def index_assumptions(new_years: list[int]) -> dict[int, dict[str, Decimal]]:
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
    return assumptions


def index_marks(base: Budget) -> dict[str, str | None] | None:
    """Which lines follow which index; None (with the error shown) when a line is marked for both."""
    plan = base.plan_years
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
        return None
    return {name: None for name in names} | dict.fromkeys(wage_lines, "lön") | dict.fromkeys(price_lines, "pris")


def preview(base: Budget, rolled: Budget, new_years: list[int]) -> None:
    plan = base.plan_years
    rolled_result = compute(rolled)
    to_prognos = [y for y in plan if rolled.year_kind(y) == "prognos"]
    st.markdown("**Förhandsgranskning**")
    st.caption(
        f"{year_span(to_prognos)} blir prognos; planåren blir {year_span(rolled.plan_years)}. "
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


def save_box(rolled: Budget, reason: str, new_years: list[int]) -> None:
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
