"""Keep the app on ``st.navigation`` even though the page scripts live in ``pages/``.

Streamlit still auto-discovers a ``pages/`` folder next to the entry point: a session that starts
on a page URL (``/kostnader``) before any session has run ``dashboard.py`` runs the page script
directly, without our navigation, sidebar or page config. The first call to ``st.navigation``
turns that legacy mode off for the whole process; this guard does the same from a page and
reruns, so the entry point runs and shows the page the user asked for.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_navigation() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
