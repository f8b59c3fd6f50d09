"""Basbudget: the stored baseline, edited only by an editor, every save a new version.

The table is the import layout, so an edit is validated by exactly the rules (and Swedish
messages naming row and column) that an imported file is.
"""

import pandas as pd
import streamlit as st

from core import store
from core.analysis.history import diff_budgets
from core.files.budget_file import budget_to_rows, read_budget, read_budget_rows
from core.model.budget import RuleSettings
from core.model.errors import BudgetError
from ui import auth, components, state
from ui.navigation import require_navigation

require_navigation()

GRID_STATE = "basbudget_editor"


def grid_frame(rows: list[list]) -> pd.DataFrame:
    header, *body = rows
    columns = [str(c) for c in header]  # the editor reports edits by column name, always text
    return pd.DataFrame([[("" if v is None else str(v)) for v in row] for row in body], columns=columns)


def apply_edits(frame: pd.DataFrame, edits: dict) -> pd.DataFrame:
    """The grid as the data editor's state describes it (edited cells, added and deleted rows)."""
    frame = frame.copy()
    for row, cells in edits.get("edited_rows", {}).items():
        for column, value in cells.items():
            frame.at[int(row), column] = "" if value is None else str(value)
    frame = frame.drop(index=[int(r) for r in edits.get("deleted_rows", [])])
    added = [
        [("" if row.get(c) is None else str(row[c])) for c in frame.columns]  # a cell left empty is ""
        for row in edits.get("added_rows", [])
    ]
    if added:
        frame = pd.concat([frame, pd.DataFrame(added, columns=frame.columns)], ignore_index=True)
    return frame


def frame_rows(frame: pd.DataFrame) -> list[list]:
    body = [["" if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
    return [list(frame.columns), *body]


LOCK_ERROR = "basbudget_lock_error"


def on_lock(locked: bool, editor: str) -> None:
    reason = st.session_state.get("basbudget_lock_reason", "").strip()
    if not reason:
        st.session_state[LOCK_ERROR] = "Ange ett skäl: det sparas i historiken."
        return
    try:
        store.set_baseline_lock(state.connection(), locked=locked, author=editor, reason=reason)
    except BudgetError as exc:
        st.session_state[LOCK_ERROR] = str(exc)


SAVE_OUTCOME = "basbudget_save_outcome"
RESTORE_OUTCOME = "basbudget_restore_outcome"


def on_save(editor: str) -> None:
    """Validate the edited grid like an imported file, then save it as a new version (in the callback, so
    the page drawn after it already shows the new baseline)."""
    base, _ = state.baseline()
    reason = st.session_state.get("basbudget_reason", "").strip()
    try:
        edited = st.session_state[GRID_STATE]
        candidate = read_budget_rows(frame_rows(apply_edits(grid_frame(budget_to_rows(base)), edited)), base.name)
        settings = RuleSettings.model_validate(
            {
                **base.settings.model_dump(),
                "equity_floor": int(st.session_state["basbudget_floor"]),
                "equity_ceiling_pct": str(round(st.session_state["basbudget_ceiling"], 3)),
                "ceiling_source": st.session_state["basbudget_source"],
            }
        )
        candidate = candidate.model_copy(update={"settings": settings, "opening_equity_date": base.opening_equity_date})
    except (BudgetError, ValueError) as exc:
        st.session_state[SAVE_OUTCOME] = ("error", str(exc), [])
        return
    changes = diff_budgets(base, candidate)
    if not changes:
        st.session_state[SAVE_OUTCOME] = ("info", "Inget är ändrat jämfört med den sparade basbudgeten.", [])
        return
    if not reason:
        st.session_state[SAVE_OUTCOME] = ("error", "Skriv vad som ändras och varför: det sparas i historiken.", [])
        return
    try:
        version = store.save_budget(state.connection(), candidate, author=editor, reason=reason)
        state.baseline_changed()
    except BudgetError as exc:
        st.session_state[SAVE_OUTCOME] = ("error", str(exc), [])
        return
    st.session_state.pop(GRID_STATE, None)
    st.session_state["basbudget_reason"] = ""
    st.session_state[SAVE_OUTCOME] = ("success", f"Sparad som version {version} ({len(changes)} ändringar).", changes)


def on_import(editor: str) -> None:
    """A whole budget file (CSV or xlsx) as the next baseline version; a bad file stores nothing."""
    upload = st.session_state.get("import_upload")
    if upload is None:
        return
    base, _ = state.baseline()
    try:
        imported = read_budget(upload.getvalue(), upload.name)
        imported = imported.model_copy(update={"settings": base.settings})
        changes = diff_budgets(base, imported)
        version = store.save_budget(state.connection(), imported, author=editor, reason=f"Import från {upload.name}")
        state.baseline_changed()
    except BudgetError as exc:
        st.session_state[SAVE_OUTCOME] = ("error", f"{upload.name}: {exc}", [])
        return
    st.session_state[SAVE_OUTCOME] = (
        "success",
        f"{upload.name} är importerad som version {version} ({len(changes)} ändringar).",
        changes,
    )


def on_restore(editor: str) -> None:
    upload = st.session_state.get("restore_upload")
    if upload is None or not st.session_state.get("restore_confirm"):
        return
    try:
        kept = state.restore_database(upload.getvalue(), author=editor)
    except BudgetError as exc:
        st.session_state[RESTORE_OUTCOME] = ("error", f"Återställningen gjordes inte: {exc}")
        return
    state.reset_scenario()
    st.session_state[RESTORE_OUTCOME] = (
        "success",
        f"Databasen är återställd. Den tidigare databasen sparades som {kept.name}.",
    )


# Get state
base, base_result = state.baseline()
con = state.connection()
lock = store.baseline_lock(con)
editor = auth.editor_name()
components.scenario_status(state.scenario())

# Show
st.title("Basbudget")
current = store.current_version_id(con)
st.caption(f"Version {current} av basbudgeten. Varje sparad ändring blir en ny version; se Historik.")

if lock.locked:
    st.info(
        f"Basbudgeten är låst sedan {lock.at:%Y-%m-%d %H:%M} av {lock.author}: {lock.reason}",
        title="Låst basbudget",
        icon=":material/lock:",
    )
if editor is None:
    st.warning(
        "Bara en redaktör kan ändra basbudgeten. Alla kan ändra i scenarier, jämföra och exportera.",
        icon=":material/visibility:",
    )
    components.budget_table_view(base, base_result, key="basbudget_view")
    st.stop()

with (
    st.expander("Lås eller lås upp basbudgeten", icon=":material/lock:", expanded=lock.locked),
    st.form("lock_form", border=False),
):
    st.text_input(
        "Skäl (krävs)",
        max_chars=500,
        placeholder="t.ex. Budgeten beslutad av styrelsen 2023-11-17" if not lock.locked else "",
        key="basbudget_lock_reason",
    )
    label = "Lås upp basbudgeten" if lock.locked else "Lås basbudgeten"
    st.form_submit_button(
        label,
        icon=":material/lock_open:" if lock.locked else ":material/lock:",
        on_click=on_lock,
        args=(not lock.locked, editor),
    )
if message := st.session_state.pop(LOCK_ERROR, None):
    st.error(message, icon=":material/error:")

if lock.locked:
    components.budget_table_view(base, base_result, key="basbudget_locked_view")
    st.stop()

st.subheader("Redigera")
st.caption(
    "Samma uppställning som importfilen: post, namn, kategori och ett belopp per år. Lägg till eller ta bort "
    "rader längst ned i tabellen. Inget sparas förrän du trycker på Spara."
)
st.data_editor(
    grid_frame(budget_to_rows(base)),
    num_rows="dynamic",
    hide_index=True,
    key=GRID_STATE,
    height=min(40 + 35 * (len(base.members) + len(base.revenues) + len(base.costs) + 6), 900),
    alt="Basbudgeten i importfilens uppställning",
)
settings_columns = st.columns(3)
settings_columns[0].number_input(
    "Golv för eget kapital (kr)",
    min_value=0,
    max_value=10**11,
    value=base.settings.equity_floor,
    step=50_000,
    key="basbudget_floor",
)
settings_columns[1].number_input(
    "Tak för eget kapital (% av årets intäkter)",
    min_value=0.0,
    max_value=1000.0,
    value=float(base.settings.equity_ceiling_pct),
    step=1.0,
    key="basbudget_ceiling",
)
settings_columns[2].text_area(
    "Källa för taket", value=base.settings.ceiling_source, max_chars=2000, key="basbudget_source"
)
with st.expander("Importera en hel budget från fil (CSV eller Excel)", icon=":material/upload_file:"):
    st.caption("Samma format som exporten; se README. Filen ersätter basbudgeten som en ny version.")
    st.file_uploader("Budgetfil", type=["csv", "txt", "xlsx"], key="import_upload")
    st.button("Importera som ny version", icon=":material/upload:", on_click=on_import, args=(editor,))
st.text_input("Vad ändras och varför? (krävs)", max_chars=500, key="basbudget_reason")
st.button("Spara som ny version", type="primary", icon=":material/save:", on_click=on_save, args=(editor,))
if outcome := st.session_state.pop(SAVE_OUTCOME, None):
    kind, text, changes = outcome
    if kind == "success":
        st.success(text, icon=":material/check:")
        st.dataframe(
            pd.DataFrame([{"Vad": c.what, "Före": c.old, "Efter": c.new} for c in changes]),
            hide_index=True,
            alt="Sparade ändringar",
        )
    elif kind == "info":
        st.info(text, icon=":material/info:")
    else:
        st.error(text, title="Ändringen sparades inte", icon=":material/error:")

st.subheader("Säkerhetskopia")
backup_columns = st.columns(2)
with backup_columns[0]:
    st.caption("Hela databasen: alla versioner av basbudgeten, sparade scenarier och historik.")
    st.download_button(
        "Ladda ned säkerhetskopia",
        data=lambda: store.backup_bytes(con),
        file_name=f"forbundsbudget-sakerhetskopia-{pd.Timestamp.now():%Y-%m-%d-%H%M}.duckdb",
        mime="application/octet-stream",
        icon=":material/download:",
        on_click="ignore",
    )
with backup_columns[1]:
    st.file_uploader("Återställ från säkerhetskopia", type=["duckdb"], key="restore_upload")
    st.checkbox("Jag förstår att allt i databasen ersätts av säkerhetskopian.", key="restore_confirm")
    st.button(
        "Återställ",
        disabled=not st.session_state.get("restore_confirm") or st.session_state.get("restore_upload") is None,
        icon=":material/restore:",
        on_click=on_restore,
        args=(editor,),
    )
    if outcome := st.session_state.pop(RESTORE_OUTCOME, None):
        (st.success if outcome[0] == "success" else st.error)(outcome[1])
