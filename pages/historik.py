"""Historik: every change to the baseline (who, when, what, old → new), and restore of earlier versions."""

import pandas as pd
import streamlit as st

from core import store
from core.analysis.history import diff_budgets
from core.model.errors import BudgetError
from ui import auth, components, state
from ui.navigation import require_navigation

require_navigation()

MESSAGE = "historik_message"


def on_restore(version_id: int) -> None:
    """Restoring saves the old content as a new version: the history itself is never rewritten."""
    editor = auth.editor_name()
    if editor is None:
        st.session_state[MESSAGE] = ("error", "Bara en redaktör kan återställa en version.")
        return
    con = state.connection()
    try:
        restored = store.save_budget(
            con, store.load_budget(con, version_id), author=editor, reason=f"Återställd från version {version_id}"
        )
        state.baseline_changed()
    except BudgetError as exc:
        st.session_state[MESSAGE] = ("error", str(exc))
        return
    st.session_state[MESSAGE] = ("success", f"Version {version_id} är återställd som version {restored}.")


# Get state
con = state.connection()
versions = store.list_versions(con)  # newest first
lock_events = store.list_lock_events(con)
editor = auth.editor_name()
current = versions[0].version_id if versions else None
components.scenario_status(state.scenario())

# Show
st.title("Historik")
st.caption(
    "Basbudgeten sparas som versioner som aldrig ändras i efterhand. Här syns varje version med vem som "
    "sparade den, när och varför, och exakt vad som ändrades jämfört med versionen före."
)

if lock_events:
    st.subheader("Låsning")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "När": f"{e.at:%Y-%m-%d %H:%M}",
                    "Vem": e.author,
                    "Händelse": "Låst" if e.locked else "Upplåst",
                    "Skäl": e.reason,
                }
                for e in lock_events
            ]
        ),
        hide_index=True,
        alt="Låsning och upplåsning av basbudgeten",
    )

if message := st.session_state.pop(MESSAGE, None):
    (st.success if message[0] == "success" else st.error)(message[1])

st.subheader("Versioner")
for newer, older in zip(versions, [*versions[1:], None], strict=True):
    title = f"Version {newer.version_id} · {newer.created_at:%Y-%m-%d %H:%M} · {newer.author}"
    if newer.version_id == current:
        title += " · gällande"
    with st.expander(title, expanded=newer.version_id == current):
        st.markdown(f"**Skäl:** {newer.reason}")
        if older is None:
            st.caption("Första versionen.")
        else:
            changes = diff_budgets(state.budget_version(older.version_id), state.budget_version(newer.version_id))
            if changes:
                st.dataframe(
                    pd.DataFrame([{"Vad": c.what, "Före": c.old, "Efter": c.new} for c in changes]),
                    hide_index=True,
                    alt=f"Ändringar i version {newer.version_id}",
                )
            else:
                st.caption("Inga ändringar i siffrorna (t.ex. en återställning till samma innehåll).")
        if newer.version_id != current:
            if editor is None:
                st.caption("En redaktör kan återställa den här versionen.")
            else:
                st.button(
                    f"Återställ version {newer.version_id}",
                    key=f"restore_{newer.version_id}",
                    icon=":material/history:",
                    help="Sparar innehållet i den här versionen som en ny gällande version. Inget tas bort.",
                    on_click=on_restore,
                    args=(newer.version_id,),
                )
