"""Small widget helpers every page shares: seeding a widget's first value, one-time messages, amounts.

A message left by a callback (``flash``) is shown once, at its place on the next run (``show_flash``);
a widget's first value is set once (``seed``), so a rerun never overwrites what the user chose.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Literal

import pandas as pd
import streamlit as st

from core.model.money import format_number, parse_amount
from ui.state import escape_markdown

Level = Literal["success", "info", "warning", "error"]
_FLASH = "flash::"
_SHOW = {
    "success": (st.success, ":material/check_circle:"),
    "info": (st.info, ":material/info:"),
    "warning": (st.warning, ":material/warning:"),
    "error": (st.error, ":material/error:"),
}


def seed(key: str, value: object) -> None:
    """Give widget ``key`` its first value; later runs keep what the user set."""
    if key not in st.session_state:
        st.session_state[key] = value


def flash(scope: str, level: Level, text: str, messages: list[str] | None = None, *, title: str | None = None) -> None:
    """Leave a message for the next run of ``scope`` (a page, or a place on it); ``messages`` become a list."""
    st.session_state.setdefault(_FLASH + scope, []).append((level, text, list(messages or []), title))


def show_flash(scope: str) -> None:
    """Show (once) every message left for ``scope``, in the order they were left."""
    for level, text, messages, title in st.session_state.pop(_FLASH + scope, []):
        body = text + "".join(f"\n- {escape_markdown(m)}" for m in messages)
        show, icon = _SHOW[level]
        if title:
            show(body, icon=icon, title=title)
        else:
            show(body, icon=icon)


def forget_flash(scope: str) -> None:
    st.session_state.pop(_FLASH + scope, None)


# Amounts: Swedish thousands spaces, tidied when the user leaves the field ------------------------------
def tidy_amount(key: str) -> None:
    with suppress(ValueError):  # left as typed otherwise; the page says what is wrong
        st.session_state[key] = format_number(parse_amount(st.session_state[key]))


def amount_input(label: str, key: str, default: int, help: str) -> int | None:
    """A text field for whole kronor (``1 000 000``); None, with a Swedish error shown, if it is not one."""
    seed(key, format_number(default))
    text = st.text_input(f"{label} (kr)", key=key, on_change=tidy_amount, args=(key,), help=help)
    try:
        return parse_amount(text or "")
    except ValueError:
        st.error(f"{label}: skriv ett belopp i hela kronor, t.ex. 1 000 000.", icon=":material/error:")
        return None


def signed_number(value: int) -> str:
    return ("+" if value > 0 else "") + format_number(value)


def money_table(
    rows: list[dict], *, alt: str, money: list[str], signed: tuple[str, ...] = (), wide_first: bool = False
) -> None:
    """Whole kronor with Swedish thousands spaces; ``signed`` columns are changes and get a ``+``."""
    frame = pd.DataFrame(rows)
    styler = frame.style.format(lambda v: format_number(int(v)), subset=[c for c in money if c not in signed])
    if signed:
        styler = styler.format(lambda v: signed_number(int(v)), subset=list(signed))
    config = {frame.columns[0]: st.column_config.TextColumn(width="large")} if wide_first else None
    height = 35 * (len(frame) + 1) + 3  # every row, no scrolling
    st.dataframe(styler, hide_index=True, alt=alt, height=height, column_config=config)
