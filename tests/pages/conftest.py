from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")
TIMEOUT = 30


@pytest.fixture
def app(db_path):
    """The dashboard on a fresh database, on its default page (Översikt)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    return at.run()


def open_page(at: AppTest, page: str) -> AppTest:
    """Switch to ``pages/<page>.py`` in the same session (the scenario and sign-in stay) and run it."""
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    matches = [m.value for m in at.metric if m.label == label]
    assert matches, f"ingen metric {label!r}; finns: {[m.label for m in at.metric]}"
    return matches[0]


def metric_delta(at: AppTest, label: str) -> str | None:
    return next(m.delta for m in at.metric if m.label == label)


EDITOR_PASSWORD = "ett långt redaktörslösenord"


@pytest.fixture
def editor_app(db_path):
    """The dashboard with a local editor password set and an editor ("Redaktör Test") signed in."""
    from core import store
    from core.store.password import hash_password

    con = store.open_store(db_path)
    store.set_editor_password(con, hash_password(EDITOR_PASSWORD), author="test")
    con.close()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["editor_name"] = "Redaktör Test"
    return at.run()
