"""Spara och dela's list: one row per scenario (the baseline, each saved scenario, each example file) with
load, download and a menu of the actions in ui.scenario_actions.
"""

from __future__ import annotations

import re

import streamlit as st

from core import store
from core.model.errors import BudgetError
from ui import auth, state
from ui.scenario_actions import (
    MENU_DELETE,
    MENU_DUPLICATE,
    MENU_RENAME,
    MENU_SAVE_FILE,
    file_name_for,
    on_load_baseline,
    on_load_file,
    on_load_saved,
    on_menu,
    when,
)


def row_menu(kind: str, key: object, name: str, options: list[str], container) -> None:
    container.menu_button(
        "Mer",
        options,
        key=f"scen::menu::{kind}::{key}",
        on_click=on_menu,
        args=(kind, key, name),
        icon=":material/more_vert:",
        type="tertiary",
    )


def baseline_row() -> None:
    base, _ = state.baseline()
    versions = store.list_versions(state.connection())  # newest first
    info = versions[0] if versions else None
    with st.container(border=True, key="scen-row-basbudget"):
        text, actions = st.columns([3, 2], vertical_alignment="center")
        text.markdown("**Basbudget**")
        detail = f"{base.name}, som den är sparad"
        if info is not None:
            detail += f" (budgetversion {info.version_id}, {when(info.created_at)})"
        text.caption(detail + ". Scenarier ändrar den aldrig.")
        row = actions.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
        row.button("Läs in", key="scen::load::base", on_click=on_load_baseline, icon=":material/file_open:")


def saved_row(info: store.SavedScenarioInfo) -> None:
    con = state.connection()
    with st.container(border=True, key=f"scen-row-{info.scenario_id}"):
        text, actions = st.columns([3, 2], vertical_alignment="center")
        text.markdown(f"**{state.escape_markdown(info.name)}** :blue-badge[Sparat]")
        count = "1 version" if info.version_count == 1 else f"{info.version_count} versioner"
        text.caption(
            f"Version {info.latest.version} sparad {when(info.latest.created_at)} av "
            f"{state.escape_markdown(info.latest.author)} · {count}"
        )
        if info.latest.description:
            text.caption(state.escape_markdown(shorten(info.latest.description)))
        version = None
        if info.version_count > 1:
            versions = store.list_scenario_versions(con, info.scenario_id)
            labels = {
                v.version: f"Version {v.version}{' (senaste)' if i == 0 else ''} · {when(v.created_at)} · {v.author}"
                for i, v in enumerate(versions)
            }
            version = actions.selectbox(
                f"Version av {info.name}",
                list(labels),
                format_func=labels.__getitem__,
                key=f"scen::ver::{info.scenario_id}",
                label_visibility="collapsed",
            )
        row = actions.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
        row.button(
            "Läs in",
            key=f"scen::load::{info.scenario_id}",
            on_click=on_load_saved,
            args=(info.scenario_id, info.name),
            icon=":material/file_open:",
        )
        try:
            text_toml = store.scenario_file_text(con, info.scenario_id, version)
        except BudgetError as exc:
            row.caption(str(exc))
        else:
            row.download_button(
                "TOML",
                data=text_toml,
                file_name=file_name_for(info.name),
                mime="application/toml",
                key=f"scen::dl::{info.scenario_id}",
                icon=":material/download:",
                on_click="ignore",
                help="Ladda ner vald version som scenariofil",
            )
        actions = [MENU_RENAME, MENU_DUPLICATE, *([MENU_DELETE] if auth.is_editor() else [])]
        row_menu("saved", info.scenario_id, info.name, actions, row)


def file_row(found: store.ScenarioFile) -> None:
    with st.container(border=True, key="scen-file-" + re.sub(r"[^A-Za-z0-9_-]", "-", found.file_name)):
        text, actions = st.columns([3, 2], vertical_alignment="center")
        name = found.scenario.name if found.scenario else found.file_name
        text.markdown(f"**{state.escape_markdown(name)}** :gray-badge[Exempelfil]")
        text.caption(f"Exempelfil {state.escape_markdown(found.file_name)}")
        if found.scenario is None:
            text.error(found.error or "Filen kan inte läsas.", icon=":material/error:")
        elif found.scenario.description:
            text.caption(state.escape_markdown(shorten(found.scenario.description)))
        row = actions.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
        if found.scenario is not None:
            row.button(
                "Läs in",
                key=f"scen::load::file::{found.file_name}",
                on_click=on_load_file,
                args=(found.file_name,),
                icon=":material/file_open:",
            )
        row.download_button(
            "TOML",
            data=found.text,
            file_name=found.file_name,
            mime="application/toml",
            key=f"scen::dl::file::{found.file_name}",
            icon=":material/download:",
            on_click="ignore",
        )
        if found.scenario is not None:
            row_menu("file", found.file_name, name, [MENU_SAVE_FILE], row)


def shorten(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
