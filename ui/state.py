"""Where the pages get their state: the stored baseline (shared, read-only) and the per-user scenario.

The scenario in progress lives under our own session-state keys, so it survives page switches
(widget state does not) and never touches the stored baseline. It is also mirrored in the page
URL (query parameter ``s``, see :mod:`core.files.sharelink`), so the address is a share link: a new
session that opens it starts with that scenario. The URL is written whenever the scenario is
set, and again after a page switch (navigation clears query parameters).
"""

from __future__ import annotations

import re

import streamlit as st

from core import store
from core.engine.compute import BudgetResult, compute
from core.engine.scenario import Scenario, apply_scenario, same_scenario, sanitize_scenario
from core.files import sharelink
from core.model.budget import Budget

SCENARIO_KEY = "scenario"
PRESENTATION_KEY = "presentation_mode"
DEFAULT_SCENARIO_NAME = "Pågående scenario"
SHARE_PARAM = sharelink.SHARE_PARAM
_LINK_CACHE_KEY = "_share_link_value"  # (scenario, its encoded link value): encode once per change
LINK_WARNING_TITLE = "Länken kunde inte läsas helt"


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


def restore_database(data: bytes, author: str):
    """Swap the database for a backup: close this process's cached connection, restore, reconnect lazily."""
    path = str(store.db_path_from_env())
    try:
        _connection(path).close()
    finally:
        _connection.clear()
        _budget_version.clear()
        _current_version.clear()
    return store.restore_database(path, data, author=author)


@st.cache_resource(show_spinner=False, ttl=0.5)
def _current_version(path: str) -> int:
    """Which baseline version is current, looked up at most twice a second instead of on every call
    (a rerun asks many times). Saves made here clear it at once; other processes' within 0,5 s."""
    return store.current_version_id(_connection(path))


def budget_version(version_id: int) -> Budget:
    """A stored baseline version; versions never change, so each is loaded once per process."""
    return _budget_version(str(store.db_path_from_env()), version_id)[0]


def baseline_changed() -> None:
    """Call after saving a baseline version, so every page shows it right away."""
    _current_version.clear()


def baseline() -> tuple[Budget, BudgetResult]:
    """The current stored baseline and its figures (cached per version, shared by all users)."""
    path = str(store.db_path_from_env())
    return _budget_version(path, _current_version(path))


_LINK_WARNING_KEY = "share_link_warning"


def default_scenario() -> Scenario:
    return Scenario(name=DEFAULT_SCENARIO_NAME)


def scenario() -> Scenario:
    """The scenario in progress; at the start of a session, the one in the page URL if there is one."""
    if SCENARIO_KEY not in st.session_state:
        st.session_state[SCENARIO_KEY] = _scenario_from_link()
    current = st.session_state[SCENARIO_KEY]
    _sync_link(current)
    return current


def set_scenario(new: Scenario) -> None:
    st.session_state[SCENARIO_KEY] = new
    _sync_link(new)


def link_value(current: Scenario) -> str | None:
    """The URL's ``s`` value for ``current``: None for the untouched default or one too large for a link."""
    cached = st.session_state.get(_LINK_CACHE_KEY)
    if cached is not None and cached[0] is current:
        return cached[1]
    value = None if same_scenario(current, default_scenario()) else sharelink.link_value(current)
    st.session_state[_LINK_CACHE_KEY] = (current, value)
    return value


def _sync_link(current: Scenario) -> None:
    """Make the URL carry ``current`` (only writes when it differs, so nothing reruns)."""
    wanted = link_value(current)
    if st.query_params.get(SHARE_PARAM) == wanted:
        return
    if wanted is None:
        del st.query_params[SHARE_PARAM]
    else:
        st.query_params[SHARE_PARAM] = wanted


def _scenario_from_link() -> Scenario:
    """The scenario in the URL, read once per session; what cannot be used is named in a warning."""
    value = st.query_params.get(SHARE_PARAM)
    if not value:
        return default_scenario()
    base, _ = baseline()
    shared = sharelink.read_share_link(value, base, default_name=DEFAULT_SCENARIO_NAME)
    if shared.ignored:
        kept = "Resten av scenariot visas." if shared.scenario is not None else "Du ser basbudgeten."
        items = "\n".join(f"- {escape_markdown(message)}" for message in shared.ignored)
        # Shown by the page that follows (the app root switches page before anything stays on screen).
        st.session_state[_LINK_WARNING_KEY] = f"Det här i länken ignorerades:\n\n{items}\n\n{kept}"
    return shared.scenario or default_scenario()


def show_link_warning() -> None:
    """The warning about a tampered or stale link, once, on the first page the session shows."""
    message = st.session_state.pop(_LINK_WARNING_KEY, None)
    if message:
        st.warning(message, title=LINK_WARNING_TITLE, icon=":material/link_off:")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$:])")


def escape_markdown(text: str) -> str:
    """Text from outside (a link, a file) shown literally: no links, formatting, icons or lists."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return "\\" + escaped if escaped[:1] in ("-", "+") else escaped


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
    set_scenario(default_scenario())
    forget_scenario_widgets()


def adopt_scenario(new: Scenario) -> list[str]:
    """Make ``new`` (loaded from the store or a file) the scenario in progress.

    Parts that no longer fit the current baseline are dropped; returns Swedish messages naming them.
    """
    base, _ = baseline()
    cleaned, problems = sanitize_scenario(base, new)
    set_scenario(cleaned)
    forget_scenario_widgets()
    return [sharelink.describe_problem(p) for p in problems]


_SCENARIO_FIGURES_KEY = "scenario_figures"


def scenario_budget() -> tuple[Budget, BudgetResult]:
    """The baseline with the scenario in progress applied, and its figures.

    Kept for the (baseline, scenario) objects it was computed from: a key press on Kostnader reruns two
    fragments that both need it, and a scenario is replaced on every change, never changed in place.
    """
    base, base_result = baseline()
    current = scenario()
    if current.is_empty and not current.locked:
        return base, base_result
    kept = st.session_state.get(_SCENARIO_FIGURES_KEY)
    if kept is not None and kept[0] is base and kept[1] is current:
        return kept[2], kept[3]
    budget = apply_scenario(base, current, source="pågående scenario")
    result = compute(budget)
    st.session_state[_SCENARIO_FIGURES_KEY] = (base, current, budget, result)
    return budget, result


def presentation_mode() -> bool:
    return bool(st.session_state.get(PRESENTATION_KEY, False))
