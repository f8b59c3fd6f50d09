"""Jämför: two to four scenarios side by side, with differences against the first one chosen.

Choices: the baseline, the scenario in progress, every saved scenario (latest version, or an
earlier one) and the example files in ``core/resources/scenarios/``. Per year revenue, costs, result and equity,
one chart of each scenario's equity path, the lines that differ, and the rule checks of each.
"""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core import store
from core.analysis.compare import (
    EFFECT_COLUMN,
    LINE_COLUMN,
    LINE_KIND_COLUMN,
    MEASURE_COLUMN,
    YEAR_COLUMN,
    comparison_table,
    difference_column,
    line_delta_table,
    unique_labels,
)
from core.engine.compute import BudgetResult, compute
from core.engine.scenario import Scenario, apply_scenario, sanitize_scenario
from core.files.sharelink import describe_problem
from core.model.budget import Budget
from core.model.errors import BudgetError
from core.model.money import format_kr
from core.papers.figures import result_equity_figure
from core.rules.checks import Check, run_checks
from ui import components, state
from ui.navigation import require_navigation

require_navigation()

CHOICE_KEY = "jamfor::val"
BASE, CURRENT = "base", "current"
MAX_CHOICES = 4


@dataclass(frozen=True)
class Compared:
    label: str
    budget: Budget
    result: BudgetResult
    checks: list[Check]


# Get state: what can be chosen -------------------------------------------------------------------
base, base_result = state.baseline()
current = state.scenario()
con = state.connection()
saved = store.list_scenarios(con)
files = [f for f in store.list_scenario_files() if f.scenario is not None]

options: dict[str, str] = {BASE: "Basbudget"}
options[CURRENT] = current.name if current.name == state.DEFAULT_SCENARIO_NAME else f"{current.name} (pågående)"
for info in saved:
    latest = info.latest.version
    options[f"saved:{info.scenario_id}"] = f"{info.name} (sparad, version {latest})"
    if info.version_count > 1:
        for version in store.list_scenario_versions(con, info.scenario_id)[1:]:
            options[f"saved:{info.scenario_id}:{version.version}"] = f"{info.name} (sparad, version {version.version})"
for found in files:
    options[f"file:{found.file_name}"] = f"{found.scenario.name} (fil)"

if CHOICE_KEY not in st.session_state:
    # Open on something to compare: the scenario in progress, else the first saved scenario or file.
    others = [k for k in options if k not in (BASE, CURRENT)]
    st.session_state[CHOICE_KEY] = [BASE, CURRENT] if not current.is_empty else [BASE, *others[:1]]
else:  # a saved scenario may have been deleted since it was chosen
    st.session_state[CHOICE_KEY] = [k for k in st.session_state[CHOICE_KEY] if k in options][:MAX_CHOICES]


def resolve(key: str) -> Scenario | None:
    """The scenario behind a choice; None for the baseline itself."""
    if key == BASE:
        return None
    if key == CURRENT:
        return current
    kind, _, rest = key.partition(":")
    if kind == "file":
        return next(f.scenario for f in files if f.file_name == rest)
    scenario_id, _, version = rest.partition(":")
    return store.load_scenario(con, int(scenario_id), int(version) if version else None)


# Show: the choice -------------------------------------------------------------------------------
components.scenario_status(current)
st.title("Jämför")
st.caption(
    "Välj två till fyra scenarier. Skillnaderna räknas mot det första du väljer: "
    "ordningen i rutan är ordningen i tabellerna."
)
chosen = st.multiselect(
    "Scenarier att jämföra",
    list(options),
    format_func=options.__getitem__,
    key=CHOICE_KEY,
    max_selections=MAX_CHOICES,
    placeholder="Välj scenarier",
    select_all=False,
)

# Compute ----------------------------------------------------------------------------------------
labels = unique_labels([options[key] for key in chosen])
compared: list[Compared] = []
for key, label in zip(chosen, labels, strict=True):
    try:
        scenario = resolve(key)
        if scenario is None:
            budget, result = base, base_result
        else:
            cleaned, problems = sanitize_scenario(base, scenario)
            if problems:
                st.warning(
                    f"{state.escape_markdown(label)}: det här passar inte basbudgeten och räknas inte med:\n"
                    + "".join(f"\n- {state.escape_markdown(describe_problem(p))}" for p in problems),
                    icon=":material/warning:",
                )
            budget = apply_scenario(base, cleaned, source=label)
            result = compute(budget)
    except BudgetError as exc:
        st.error(
            f"{state.escape_markdown(label)} kan inte jämföras:\n"
            + "".join(f"\n- {state.escape_markdown(m)}" for m in exc.messages),
            icon=":material/error:",
        )
        continue
    compared.append(Compared(label=label, budget=budget, result=result, checks=run_checks(budget, result)))

if len(compared) < 2:
    st.info("Välj minst två scenarier att jämföra.", icon=":material/compare_arrows:")
    st.stop()

first = compared[0]
series = [(c.label, c.result) for c in compared]
table = comparison_table(series)
last = base.plan_years[-1]

# Show: headline, table, chart, lines, checks -----------------------------------------------------
st.caption(f"Eget kapital vid slutet av {last}" + (", skillnad mot det första valet" if len(compared) > 1 else ""))
columns = st.columns(len(compared))
for column, item in zip(columns, compared, strict=True):
    equity = item.result[last].equity_end
    delta = equity - first.result[last].equity_end
    extra = {}
    if item is not first:
        extra = {
            "delta": format_kr(delta, signed=True) if delta else "±0 kr",
            "delta_color": "green" if delta > 0 else ("red" if delta < 0 else "gray"),
            "delta_arrow": "up" if delta > 0 else ("down" if delta < 0 else "off"),
        }
    column.metric(item.label, format_kr(equity), border=True, **extra)

st.subheader("Per år")
difference_columns = [difference_column(c.label) for c in compared[1:]]
amount_columns = [c for c in table.columns if c not in (YEAR_COLUMN, MEASURE_COLUMN)]


def colour_difference(value: int) -> str:
    """Green for better, red for worse (the value's effect on equity)."""
    return "color: #c00000" if value < 0 else ("color: #2e7d32" if value > 0 else "color: #7f7f7f")


def row_style(row: pd.Series) -> list[str]:
    """Years shaded in turn; a difference coloured by what it does to equity (more costs are worse)."""
    shade = "background-color: #f4f7fb; " if row[YEAR_COLUMN] % 2 else ""
    sign = -1 if row[MEASURE_COLUMN] == "Kostnader" else 1
    return [
        shade + (colour_difference(sign * row[column]) if column in difference_columns else "") for column in row.index
    ]


styler = (
    table.style.format(format_kr, subset=[c for c in amount_columns if c not in difference_columns])
    .format(lambda v: format_kr(v, signed=True) if v else "±0 kr", subset=difference_columns)
    .apply(row_style, axis=1)
    .hide(axis="index")
)
st.dataframe(
    styler,
    hide_index=True,
    height=35 * (len(table) + 1) + 3,
    key="jamfor_tabell",
    column_config={
        YEAR_COLUMN: st.column_config.NumberColumn(format="%d", width=60),
        MEASURE_COLUMN: st.column_config.Column(width=110),
        # Long scenario names would push the table wider than the page: share the width, full name on hover.
        **{
            column: st.column_config.Column(width=max(110, min(260, 960 // len(amount_columns))), help=column)
            for column in amount_columns
        },
    },
    alt="Intäkter, kostnader, resultat och eget kapital per år för varje scenario, med skillnader mot det första",
)

st.subheader("Eget kapital")
figure = result_equity_figure(series, floor=base.settings.equity_floor, show_results=False)
components.chart(figure, key="jamfor_eget_kapital")

st.subheader("Rader som skiljer sig")
for index, item in enumerate(compared[1:], start=1):
    deltas = line_delta_table(first.result, item.result)
    heading = f"**{state.escape_markdown(item.label)}** jämfört med **{state.escape_markdown(first.label)}**"
    if deltas.empty:
        st.markdown(heading)
        st.caption("Inga rader skiljer sig.")
        continue
    total = int(deltas[EFFECT_COLUMN].sum())
    count = "1 rad" if len(deltas) == 1 else f"{len(deltas)} rader"
    st.markdown(f"{heading}: {count}, eget kapital {last} {format_kr(total, signed=True)}")
    year_columns = [c for c in deltas.columns if c not in (LINE_KIND_COLUMN, LINE_COLUMN)]
    st.dataframe(
        deltas.style.format(lambda v: format_kr(v, signed=True) if v else "–", subset=year_columns)
        .map(colour_difference, subset=[EFFECT_COLUMN])
        .hide(axis="index"),
        hide_index=True,
        key=f"jamfor_rader_{index}",
        alt=f"Rader som skiljer sig i {item.label} mot {first.label}",
    )

st.subheader("Kontroller")
columns = st.columns(len(compared))
for column, item in zip(columns, compared, strict=True):
    with column, st.container(border=True, height="stretch"):
        errors = [c for c in item.checks if c.level == "fel"]
        warnings = [c for c in item.checks if c.level == "varning"]
        passed = len(item.checks) - len(errors) - len(warnings)
        st.markdown(f"**{state.escape_markdown(item.label)}**")
        if not errors and not warnings:
            st.success(f"Alla {len(item.checks)} kontroller utan anmärkning.", icon=":material/check_circle:")
            continue
        summary = []
        if errors:
            summary.append(f":red-badge[:material/error: {len(errors)} fel]")
        if warnings:
            noun = "varning" if len(warnings) == 1 else "varningar"
            summary.append(f":orange-badge[:material/warning: {len(warnings)} {noun}]")
        summary.append(f":green-badge[:material/check_circle: {passed} utan anmärkning]")
        st.markdown(" ".join(summary))
        for check in errors:
            st.error(check.message, title=check.title, icon=":material/error:")
        for check in warnings:
            st.warning(check.message, title=check.title, icon=":material/warning:")
