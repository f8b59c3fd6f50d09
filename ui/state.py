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


def reset_scenario() -> None:
    st.session_state[SCENARIO_KEY] = Scenario(name=DEFAULT_SCENARIO_NAME)


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
