"""Spara och dela: save the scenario in progress (each save under a name is a new version), the list
of saved scenarios and example files (load, download, rename, duplicate, delete), upload of a TOML
file, and the share link.

The actions and dialogs are in ui/scenario_actions.py, the list's rows in ui/scenario_rows.py.
"""

import streamlit as st

from core import store
from core.engine.scenario import Scenario, same_scenario, scenario_to_toml
from core.engine.whatif import changed_line_count
from core.files import sharelink
from ui import components, state
from ui.navigation import require_navigation
from ui.scenario_actions import (
    AUTHOR_MEMORY,
    LOADED,
    MESSAGES,
    SAVE_AUTHOR,
    SAVE_DESCRIPTION,
    SAVE_NAME,
    UPLOAD,
    UPLOAD_AUTHOR,
    UPLOAD_ERROR,
    file_name_for,
    on_save,
    on_upload,
    open_dialog,
    q,
)
from ui.scenario_rows import baseline_row, file_row, saved_row
from ui.widgets import seed, show_flash

require_navigation()

PAGE_PATH = "scenarier"


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


def upload_form() -> None:
    st.subheader("Ladda upp scenariofil")
    seed(UPLOAD_AUTHOR, st.session_state.get(AUTHOR_MEMORY, ""))
    with st.form("ladda_upp", border=True):
        st.file_uploader(
            "TOML-fil i samma format som exempelfilerna (högst 100 kB)",
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
show_flash(MESSAGES)

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

open_dialog()
