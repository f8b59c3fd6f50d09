"""Spara och dela's actions: the widget callbacks (save, load, rename, duplicate, delete, upload) and the
dialogs that ask for rename, duplicate and delete. Each leaves a one-time message for the next run
(``ui.widgets.flash``); a dialog is kept open by a session-state flag, so a test can drive it too.
"""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

from core import store
from core.engine.scenario import Scenario
from core.model.errors import BudgetError
from ui import auth, state
from ui.widgets import flash as leave_message

MESSAGES = "scenarier"
DIALOG = "scen::dialog"  # the open dialog: {"kind", "id", "name", "version"}
DIALOG_ERROR = "scen::dialog_error"
UPLOAD_ERROR = "scen::upload_error"
AUTHOR_MEMORY = "scen::author_memory"  # the last author typed, to fill in the next form
LOADED = "scen::loaded"  # (label, scenario as loaded): where the scenario in progress came from
SAVE_NAME, SAVE_AUTHOR, SAVE_DESCRIPTION = "scen::name", "scen::author", "scen::description"
UPLOAD, UPLOAD_AUTHOR = "scen::upload", "scen::upload_author"
DIALOG_NAME, DIALOG_AUTHOR = "scen::dlg_name", "scen::dlg_author"
MENU_RENAME, MENU_DUPLICATE, MENU_DELETE, MENU_SAVE_FILE = "Byt namn", "Duplicera", "Ta bort", "Spara som eget scenario"


def flash(level, text: str, messages: list[str] | None = None) -> None:
    leave_message(MESSAGES, level, text, messages)


def q(name: str) -> str:
    """A name inside Swedish quotation marks, with Markdown switched off."""
    return f"”{state.escape_markdown(name)}”"


def remember_author(author: str) -> None:
    if author.strip():
        st.session_state[AUTHOR_MEMORY] = author.strip()


def file_name_for(name: str) -> str:
    """A plain file name for a scenario: ``IT-spåret 2026`` → ``it-sparet_2026.toml``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9-]+", "_", ascii_name.lower()).strip("_-")
    return f"{slug or 'scenario'}.toml"


def when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


# Callbacks ---------------------------------------------------------------------------------------
def forget_save_form() -> None:
    for key in (SAVE_NAME, SAVE_DESCRIPTION):
        st.session_state.pop(key, None)


def adopt(scenario: Scenario, label: str) -> None:
    problems = state.adopt_scenario(scenario)
    st.session_state[LOADED] = (label, state.scenario())
    forget_save_form()
    if problems:
        flash("warning", f"{q(label)} är inläst, men det här passar inte basbudgeten och togs bort:", problems)
    else:
        flash("success", f"{q(label)} är nu pågående scenario.")


def on_save() -> None:
    current = state.scenario()
    name = st.session_state.get(SAVE_NAME, "")
    author = st.session_state.get(SAVE_AUTHOR, "")
    description = st.session_state.get(SAVE_DESCRIPTION, "")
    remember_author(author)
    try:
        ref = store.save_scenario(
            state.connection(), current.model_copy(update={"name": name}), author=author, description=description
        )
    except BudgetError as exc:
        flash("error", "Scenariot sparades inte.", exc.messages)
        return
    saved = current.model_copy(update={"name": ref.name, "description": description.strip()})
    state.set_scenario(saved)
    st.session_state[SAVE_NAME] = ref.name
    st.session_state[LOADED] = (f"{ref.name} version {ref.version}", saved)
    first = "Scenariot är sparat" if ref.version == 1 else "En ny version är sparad"
    flash("success", f"{first}: {q(ref.name)}, version {ref.version}.")


def on_load_saved(scenario_id: int, name: str) -> None:
    version = st.session_state.get(f"scen::ver::{scenario_id}")
    try:
        loaded = store.load_scenario(state.connection(), scenario_id, version)
        number = version or store.list_scenario_versions(state.connection(), scenario_id)[0].version
    except BudgetError as exc:
        flash("error", f"{q(name)} kunde inte läsas in.", exc.messages)
        return
    adopt(loaded, f"{loaded.name} version {number}")


def on_load_file(file_name: str) -> None:
    found = next((f for f in store.list_scenario_files() if f.file_name == file_name), None)
    if found is None or found.scenario is None:
        flash("error", f"Filen {q(file_name)} kunde inte läsas in.", [found.error] if found and found.error else [])
        return
    adopt(found.scenario, found.scenario.name)


def on_load_baseline() -> None:
    state.reset_scenario()
    st.session_state[LOADED] = ("Basbudget", state.scenario())
    forget_save_form()
    flash("success", "Basbudgeten är nu pågående scenario, utan ändringar.")


def on_menu(kind: str, key: object, name: str) -> None:
    """Open the dialog the menu choice asks for (or close any that is open)."""
    choice = st.session_state.get(f"scen::menu::{kind}::{key}")
    st.session_state.pop(DIALOG_ERROR, None)
    if choice == MENU_RENAME:
        st.session_state[DIALOG_NAME] = name
        st.session_state[DIALOG] = {"kind": "rename", "id": key, "name": name}
    elif choice in (MENU_DUPLICATE, MENU_SAVE_FILE):
        st.session_state[DIALOG_NAME] = f"{name} (kopia)" if kind == "saved" else name
        st.session_state[DIALOG_AUTHOR] = st.session_state.get(AUTHOR_MEMORY, "")
        version = st.session_state.get(f"scen::ver::{key}") if kind == "saved" else None
        dialog_kind = "duplicate" if kind == "saved" else "save_file"
        st.session_state[DIALOG] = {"kind": dialog_kind, "id": key, "name": name, "version": version}
    elif choice == MENU_DELETE:
        st.session_state[DIALOG] = {"kind": "delete", "id": key, "name": name}


def close_dialog() -> None:
    st.session_state.pop(DIALOG, None)
    st.session_state.pop(DIALOG_ERROR, None)


def on_rename() -> None:
    target = st.session_state[DIALOG]
    try:
        ref = store.rename_scenario(state.connection(), target["id"], st.session_state.get(DIALOG_NAME, ""))
    except BudgetError as exc:
        st.session_state[DIALOG_ERROR] = exc.messages
        return
    close_dialog()
    flash("success", f"{q(target['name'])} heter nu {q(ref.name)}.")


def on_duplicate() -> None:
    target = st.session_state[DIALOG]
    name = st.session_state.get(DIALOG_NAME, "")
    author = st.session_state.get(DIALOG_AUTHOR, "")
    remember_author(author)
    con = state.connection()
    try:
        if target["kind"] == "duplicate":
            ref = store.duplicate_scenario(con, target["id"], name, author=author, version=target.get("version"))
        else:
            found = next((f for f in store.list_scenario_files() if f.file_name == target["id"]), None)
            if found is None:
                raise BudgetError(f"Filen {target['id']} finns inte längre.")
            base, _ = state.baseline()
            scenario = store.read_scenario_upload(found.text.encode("utf-8"), found.file_name, base)
            copy = scenario.model_copy(update={"name": name})
            ref = store.save_scenario(con, copy, author=author, new_only=True)
    except BudgetError as exc:
        st.session_state[DIALOG_ERROR] = exc.messages
        return
    close_dialog()
    flash("success", f"Kopian är sparad som {q(ref.name)}.")


def on_delete() -> None:
    target = st.session_state[DIALOG]
    if not auth.is_editor():  # the menu only offers it to editors; checked again where it happens
        st.session_state[DIALOG_ERROR] = ["Bara en redaktör kan ta bort scenarier."]
        return
    try:
        store.delete_scenario(state.connection(), target["id"])
    except BudgetError as exc:
        st.session_state[DIALOG_ERROR] = exc.messages
        return
    close_dialog()
    flash("success", f"{q(target['name'])} är borttaget ur listan.")


def on_upload() -> None:
    st.session_state.pop(UPLOAD_ERROR, None)
    upload = st.session_state.get(UPLOAD)
    author = st.session_state.get(UPLOAD_AUTHOR, "")
    remember_author(author)
    if upload is None:
        st.session_state[UPLOAD_ERROR] = ("Välj en TOML-fil att ladda upp.", [])
        return
    base, _ = state.baseline()
    try:
        ref = store.import_scenario_file(state.connection(), upload.getvalue(), upload.name, base, author=author)
    except BudgetError as exc:
        st.session_state[UPLOAD_ERROR] = (f"Filen {q(upload.name)} sparades inte:", exc.messages)
        return
    flash("success", f"Filen {q(upload.name)} är sparad som {q(ref.name)}, version {ref.version}.")


# Dialogs -------------------------------------------------------------------------------------------
def dialog_error() -> None:
    messages = st.session_state.get(DIALOG_ERROR)
    if messages:
        st.error("\n".join(f"- {state.escape_markdown(m)}" for m in messages), icon=":material/error:")


def dialog_buttons(label: str, on_click, *, primary_icon: str) -> None:
    row = st.container(horizontal=True)
    row.button(label, type="primary", on_click=on_click, icon=primary_icon, key="scen::dlg_ok")
    row.button("Avbryt", on_click=close_dialog, key="scen::dlg_cancel")


@st.dialog("Byt namn", on_dismiss=close_dialog)
def rename_dialog() -> None:
    target = st.session_state.get(DIALOG)
    if target is None:
        st.rerun()
    st.caption(f"Alla versioner av {q(target['name'])} får det nya namnet.")
    st.text_input("Nytt namn", max_chars=store.NAME_MAX_CHARS, key=DIALOG_NAME)
    dialog_error()
    dialog_buttons("Byt namn", on_rename, primary_icon=":material/edit:")


@st.dialog("Duplicera scenario", on_dismiss=close_dialog)
def duplicate_dialog() -> None:
    target = st.session_state.get(DIALOG)
    if target is None:
        st.rerun()
    if target["kind"] == "duplicate":
        which = f"version {target['version']}" if target.get("version") else "senaste versionen"
        st.caption(f"Kopian blir ett eget scenario med {which} av {q(target['name'])} som version 1.")
    else:
        st.caption(f"Filen {q(target['id'])} sparas i databasen som ett eget scenario.")
    st.text_input("Namn", max_chars=store.NAME_MAX_CHARS, key=DIALOG_NAME)
    st.text_input("Sparas av", max_chars=store.NAME_MAX_CHARS, key=DIALOG_AUTHOR, placeholder="Ditt namn")
    dialog_error()
    dialog_buttons("Spara kopian", on_duplicate, primary_icon=":material/content_copy:")


@st.dialog("Ta bort scenario", on_dismiss=close_dialog)
def delete_dialog() -> None:
    target = st.session_state.get(DIALOG)
    if target is None:
        st.rerun()
    st.markdown(f"Vill du ta bort {q(target['name'])} ur listan?")
    st.caption("Alla versioner finns kvar i databasen och kan återställas av en administratör.")
    dialog_error()
    dialog_buttons("Ta bort", on_delete, primary_icon=":material/delete:")


def open_dialog() -> None:
    """Show the dialog the session asks for, if any."""
    dialog = st.session_state.get(DIALOG)
    if dialog is not None:
        {
            "rename": rename_dialog,
            "duplicate": duplicate_dialog,
            "save_file": duplicate_dialog,
            "delete": delete_dialog,
        }[dialog["kind"]]()
