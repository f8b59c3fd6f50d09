"""Who may change the baseline: editors, signed in by OIDC (``st.login``) or a local password.

Everyone can move sliders, compare, save scenarios and export; only an editor changes the
baseline, deletes scenarios or restores history.

- With an ``[auth]`` section in ``.streamlit/secrets.toml``: ``st.login`` and the list of editor
  e-mail addresses in ``[forbundsbudget] editors = [...]``.
- Without it: a local editor password set with ``python -m core set-password`` (stored only as a
  salted scrypt hash in the database). The editor also gives a name, which goes into the history.
- With neither: editing is off, and the app says how to turn it on.
"""

from __future__ import annotations

import time
from typing import Literal

import streamlit as st

from core import store
from core.store.password import verify_password
from ui import state

AuthMode = Literal["oidc", "password", "off"]
EDITOR_KEY = "editor_name"
FAILURES_KEY = "editor_failures"
MAX_FAILURES = 5
LOCKOUT_SECONDS = 60


def _secrets_section(name: str) -> dict | None:
    try:
        return dict(st.secrets[name]) if name in st.secrets else None
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return None


def auth_mode() -> AuthMode:
    if _secrets_section("auth"):
        return "oidc"
    if store.get_editor_password(state.connection()) is not None:
        return "password"
    return "off"


def editor_emails() -> set[str]:
    section = _secrets_section("forbundsbudget") or {}
    return {str(e).strip().casefold() for e in section.get("editors", [])}


def editor_name() -> str | None:
    """The signed-in editor's name or e-mail (for the history), or None for everyone else."""
    mode = auth_mode()
    if mode == "oidc":
        if not getattr(st.user, "is_logged_in", False):
            return None
        email = str(st.user.get("email", "")).strip()
        return email if email.casefold() in editor_emails() else None
    if mode == "password":
        return st.session_state.get(EDITOR_KEY)
    return None


def is_editor() -> bool:
    return editor_name() is not None


def _sign_in_with_password() -> None:
    failures, last = st.session_state.get(FAILURES_KEY, (0, 0.0))
    if failures >= MAX_FAILURES and time.monotonic() - last < LOCKOUT_SECONDS:
        st.session_state["editor_message"] = (
            f"För många felaktiga försök. Vänta {LOCKOUT_SECONDS} sekunder och försök igen."
        )
        return
    name = st.session_state.get("editor_sign_in_name", "").strip()
    password = st.session_state.get("editor_sign_in_password", "")
    stored = store.get_editor_password(state.connection())
    if not name:
        st.session_state["editor_message"] = "Skriv ditt namn: det sparas i ändringshistoriken."
    elif stored is not None and verify_password(password, stored):
        st.session_state[EDITOR_KEY] = name[:120]
        st.session_state.pop(FAILURES_KEY, None)
        st.session_state.pop("editor_message", None)
    else:
        st.session_state[FAILURES_KEY] = (failures + 1, time.monotonic())
        st.session_state["editor_message"] = "Fel lösenord."
    st.session_state["editor_sign_in_password"] = ""


def _sign_out() -> None:
    st.session_state.pop(EDITOR_KEY, None)


def sign_in_panel() -> None:
    """The sidebar's editor sign-in; shown on every page."""
    mode = auth_mode()
    with st.sidebar.expander("Redaktör", icon=":material/lock:", expanded=False):
        if mode == "off":
            st.caption(
                "Redigering av basbudgeten är avstängd. Slå på den med ett lokalt lösenord "
                "(`python -m core set-password`) eller med inloggning via `[auth]` i "
                "`.streamlit/secrets.toml` (se README)."
            )
            return
        if mode == "oidc":
            if not getattr(st.user, "is_logged_in", False):
                st.button("Logga in", on_click=st.login, icon=":material/login:")
                return
            email = str(st.user.get("email", ""))
            if is_editor():
                st.caption(f"Inloggad som redaktör: {email}")
            else:
                st.caption(f"Inloggad som {email}, som inte är redaktör.")
            st.button("Logga ut", on_click=st.logout, icon=":material/logout:")
            return
        name = st.session_state.get(EDITOR_KEY)
        if name:
            st.caption(f"Inloggad som redaktör: {name}")
            st.button("Logga ut", on_click=_sign_out, icon=":material/logout:", key="editor_sign_out")
            return
        with st.form("editor_sign_in", border=False):
            st.text_input("Ditt namn", key="editor_sign_in_name", max_chars=120)
            st.text_input("Lösenord", type="password", key="editor_sign_in_password")
            st.form_submit_button("Logga in", on_click=_sign_in_with_password, icon=":material/login:")
        if message := st.session_state.pop("editor_message", None):
            st.error(message, icon=":material/error:")
