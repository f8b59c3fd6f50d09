"""Förbundsbudget: entry point. Navigation, page settings and the sidebar shared by every page."""

import streamlit as st

from core.model.errors import BudgetError
from ui import auth, state

st.set_page_config(page_title="Förbundsbudget", page_icon=":material/account_balance:", layout="wide")


oversikt = st.Page("pages/oversikt.py", title="Översikt", icon=":material/dashboard:", url_path="oversikt")


def start() -> None:
    """The app root. Streamlit serves the default page at ``/`` only, so Översikt is not the default:
    the root reads a share link (if any) into the session and then shows Översikt at ``/oversikt``."""
    state.scenario()
    st.switch_page(oversikt)


pages = {
    "Budget": [
        st.Page(start, title="Start", url_path="start", default=True, visibility="hidden"),
        oversikt,
        st.Page("pages/kostnader.py", title="Kostnader", icon=":material/tune:", url_path="kostnader"),
        st.Page("pages/intakter.py", title="Intäkter", icon=":material/payments:", url_path="intakter"),
    ],
    "Scenarier": [
        st.Page("pages/scenarier.py", title="Spara och dela", icon=":material/bookmarks:", url_path="scenarier"),
        st.Page("pages/jamfor.py", title="Jämför", icon=":material/compare_arrows:", url_path="jamfor"),
        st.Page("pages/analys.py", title="Analys", icon=":material/query_stats:", url_path="analys"),
        st.Page("pages/rapport.py", title="Rapport", icon=":material/description:", url_path="rapport"),
    ],
    "Förvaltning": [
        st.Page("pages/basbudget.py", title="Basbudget", icon=":material/edit_note:", url_path="basbudget"),
        st.Page("pages/historik.py", title="Historik", icon=":material/history:", url_path="historik"),
    ],
}
page = st.navigation(pages)

try:
    base, _ = state.baseline()
except BudgetError as exc:
    st.error(str(exc), title="Databasen kan inte öppnas", icon=":material/database:")
    st.stop()

with st.sidebar:
    st.markdown(f"**{base.name}**")
    st.caption(f"Planår {base.plan_years[0]}–{base.plan_years[-1]}")
    st.toggle(
        "Presentationsläge",
        key=state.PRESENTATION_KEY,
        help="Stora siffror och diagram för projektor, kompakta reglage.",
    )
auth.sign_in_panel()

page.run()
