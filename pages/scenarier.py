"""Spara och dela: save the scenario in progress (each save under a name is a new version), the list
of saved scenarios and example files (load, download, rename, duplicate, delete), upload of a TOML
file, and the share link.

Actions run in widget callbacks and leave a one-time message for the next run; rename, duplicate
and delete open a dialog kept open by a session-state flag (so a test can drive it, too).
"""

import re
import unicodedata

import streamlit as st

from core import store
from core.engine.scenario import Scenario, same_scenario, scenario_to_toml
from core.engine.whatif import changed_line_count
from core.files import sharelink
from core.model.errors import BudgetError
from ui import auth, components, state
from ui.navigation import require_navigation

require_navigation()

PAGE_PATH = "scenarier"
FLASH = "scen::flash"  # list of (level, text, messages) shown once, at the top of the next run
DIALOG = "scen::dialog"  # the open dialog: {"kind", "id", "name", "version"}
DIALOG_ERROR = "scen::dialog_error"
UPLOAD_ERROR = "scen::upload_error"
AUTHOR_MEMORY = "scen::author_memory"  # the last author typed, to fill in the next form
LOADED = "scen::loaded"  # (label, scenario as loaded): where the scenario in progress came from
SAVE_NAME, SAVE_AUTHOR, SAVE_DESCRIPTION = "scen::name", "scen::author", "scen::description"
UPLOAD, UPLOAD_AUTHOR = "scen::upload", "scen::upload_author"
DIALOG_NAME, DIALOG_AUTHOR = "scen::dlg_name", "scen::dlg_author"
MENU_RENAME, MENU_DUPLICATE, MENU_DELETE, MENU_SAVE_FILE = "Byt namn", "Duplicera", "Ta bort", "Spara som eget scenario"


def q(name: str) -> str:
    """A name inside Swedish quotation marks, with Markdown switched off."""
    return f"”{state.escape_markdown(name)}”"


def flash(level: str, text: str, messages: list[str] | None = None) -> None:
    st.session_state.setdefault(FLASH, []).append((level, text, messages or []))


def show_flash() -> None:
    for level, text, messages in st.session_state.pop(FLASH, []):
        body = text + "".join(f"\n- {state.escape_markdown(m)}" for m in messages)
        if level == "success":
            st.success(body, icon=":material/check_circle:")
        elif level == "warning":
            st.warning(body, icon=":material/warning:")
        else:
            st.error(body, icon=":material/error:")


def remember_author(author: str) -> None:
    if author.strip():
        st.session_state[AUTHOR_MEMORY] = author.strip()


def seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


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


# Pieces of the page ---------------------------------------------------------------------------------
def share_link(current: Scenario) -> None:
    st.subheader("Kopiera länk")
    page_url = st.context.url or ""
    app_url = page_url[: -len(PAGE_PATH)] if page_url.rstrip("/").endswith(PAGE_PATH) else page_url
    app_url = app_url.rstrip("/")
    if state.link_value(current) is None and same_scenario(current, state.default_scenario()):
        st.code(f"{app_url}/", language=None, wrap_lines=True)
        st.caption("Inga ändringar ännu: länken öppnar basbudgeten.")
        return
    url = sharelink.share_url(app_url, current)
    if url is None:
        st.warning(
            "Scenariot är för stort för en länk. Ladda ner det som TOML-fil och dela filen i stället.",
            icon=":material/link_off:",
        )
        return
    st.code(url, language=None, wrap_lines=True)
    st.caption(
        "Länken återskapar det pågående scenariot exakt i en annan webbläsare. Kopiera den med knappen "
        "i rutans hörn. Adressfältet visar samma länk medan du arbetar."
    )


def save_form(current: Scenario) -> None:
    st.subheader("Spara pågående scenario")
    changes = changed_line_count(current)
    loaded = st.session_state.get(LOADED)
    origin = ""
    if loaded is not None:
        origin = f" Inläst från {q(loaded[0])}" + ("." if same_scenario(loaded[1], current) else ", ändrat sedan dess.")
    st.caption(
        (
            f"{q(current.name)} ändrar {changes} {'post' if changes == 1 else 'poster'} jämfört med basbudgeten."
            if changes
            else "Inga ändringar ännu."
        )
        + origin
    )
    seed(SAVE_NAME, current.name)
    seed(SAVE_DESCRIPTION, current.description)
    seed(SAVE_AUTHOR, st.session_state.get(AUTHOR_MEMORY, ""))
    with st.form("spara", border=True):
        left, right = st.columns(2)
        left.text_input("Namn", max_chars=store.NAME_MAX_CHARS, key=SAVE_NAME)
        right.text_input("Sparas av", max_chars=store.NAME_MAX_CHARS, key=SAVE_AUTHOR, placeholder="Ditt namn")
        st.text_area("Beskrivning", max_chars=store.DESCRIPTION_MAX_CHARS, key=SAVE_DESCRIPTION, height=100)
        st.form_submit_button("Spara", type="primary", icon=":material/save:", on_click=on_save)
    st.caption("Finns namnet redan sparas en ny version. Tidigare versioner finns kvar och kan läsas in.")


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
        text.caption(f"Fil scenarios/{state.escape_markdown(found.file_name)}")
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


def upload_form() -> None:
    st.subheader("Ladda upp scenariofil")
    seed(UPLOAD_AUTHOR, st.session_state.get(AUTHOR_MEMORY, ""))
    with st.form("ladda_upp", border=True):
        st.file_uploader(
            "TOML-fil i samma format som filerna i scenarios/ (högst 100 kB)",
            type=["toml"],
            key=UPLOAD,
            max_upload_size=1,
        )
        st.text_input("Sparas av", max_chars=store.NAME_MAX_CHARS, key=UPLOAD_AUTHOR, placeholder="Ditt namn")
        st.form_submit_button("Ladda upp och spara", icon=":material/upload_file:", on_click=on_upload)
    failed = st.session_state.get(UPLOAD_ERROR)
    if failed:
        text, messages = failed
        body = text + "".join(f"\n- {state.escape_markdown(m)}" for m in messages)
        st.error(body, icon=":material/error:")
    st.caption(
        "Filen kontrolleras mot basbudgeten innan den sparas: okända rader, år utanför planåren eller fel "
        "i formatet gör att inget sparas. Finns namnet redan blir filen en ny version."
    )


# Page ---------------------------------------------------------------------------------------------
current = state.scenario()
components.scenario_status(current)
saved = store.list_scenarios(state.connection())
files = store.list_scenario_files()

st.title("Spara och dela")
st.caption(
    "Spara det pågående scenariot med namn och versioner, läs in sparade scenarier och exempelfiler, "
    "ladda ner och upp TOML-filer och dela en länk."
)
show_flash()

save_column, share_column = st.columns([3, 2], gap="large")
with save_column:
    save_form(current)
with share_column:
    share_link(current)
    st.download_button(
        "Ladda ner pågående scenario som TOML",
        data=scenario_to_toml(current),
        file_name=file_name_for(current.name),
        mime="application/toml",
        key="scen::dl::current",
        icon=":material/download:",
        on_click="ignore",
    )

st.subheader("Scenarier")
baseline_row()
for info in saved:
    saved_row(info)
if not saved:
    st.caption("Inga sparade scenarier ännu.")
for found in files:
    file_row(found)

upload_form()

dialog = st.session_state.get(DIALOG)
if dialog is not None:
    {"rename": rename_dialog, "duplicate": duplicate_dialog, "save_file": duplicate_dialog, "delete": delete_dialog}[
        dialog["kind"]
    ]()
