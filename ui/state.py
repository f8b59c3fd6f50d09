"""Where the pages get their state: the stored baseline (shared, read-only) and the per-user scenario.

The scenario in progress lives under our own session-state keys, so it survives page switches
(widget state does not) and never touches the stored baseline.
"""

from __future__ import annotations

import streamlit as st

from core import store
from core.engine import BudgetResult, compute
from core.models import Budget
from core.scenario import Scenario, apply_scenario

SCENARIO_KEY = "scenario"
PRESENTATION_KEY = "presentation_mode"
DEFAULT_SCENARIO_NAME = "Pågående scenario"


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    return store.open_store(path)


def connection():
    """One DuckDB connection per server process and database file; each unit of work takes a cursor."""
    return _connection(str(store.db_path_from_env()))


@st.cache_resource(show_spinner=False, max_entries=16)
def _budget_version(path: str, version_id: int) -> tuple[Budget, BudgetResult]:
    budget = store.load_budget(_connection(path), version_id)
    return budget, compute(budget)


def baseline() -> tuple[Budget, BudgetResult]:
    """The current stored baseline and its figures (cached per version, shared by all users)."""
    path = str(store.db_path_from_env())
    version = store.current_version_id(_connection(path))
    return _budget_version(path, version)


def scenario() -> Scenario:
    if SCENARIO_KEY not in st.session_state:
        st.session_state[SCENARIO_KEY] = Scenario(name=DEFAULT_SCENARIO_NAME)
    return st.session_state[SCENARIO_KEY]


def set_scenario(new: Scenario) -> None:
    st.session_state[SCENARIO_KEY] = new


# Widgets that show the scenario use keys with these prefixes; they are seeded from the scenario
# whenever their own state is missing, so forgetting them makes them show the scenario again.
SCENARIO_WIDGET_PREFIXES = ("kost::", "intakt::")


def forget_scenario_widgets(line: str | None = None) -> None:
    """Drop widget state (for one line, or all) so the widgets are seeded again from the scenario."""
    for key in list(st.session_state):
        ours = isinstance(key, str) and key.startswith(SCENARIO_WIDGET_PREFIXES)
        if ours and (line is None or key.endswith(f"::{line}")):
            del st.session_state[key]


def reset_scenario() -> None:
    st.session_state[SCENARIO_KEY] = Scenario(name=DEFAULT_SCENARIO_NAME)
    forget_scenario_widgets()


def scenario_budget() -> tuple[Budget, BudgetResult]:
    """The baseline with the scenario in progress applied, and its figures."""
    base, base_result = baseline()
    current = scenario()
    if current.is_empty and not current.locked:
        return base, base_result
    budget = apply_scenario(base, current, source="pågående scenario")
    return budget, compute(budget)


def presentation_mode() -> bool:
    return bool(st.session_state.get(PRESENTATION_KEY, False))
