"""Spara och dela: saving with versions, the list, dialogs, files in and out, and the share link in the URL."""

from __future__ import annotations

import base64
import json
import zlib
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from core import store
from core.engine.scenario import LineChange, Scenario, load_scenario_file
from core.files.sharelink import decode_scenario, encode_scenario
from tests.conftest import REPO
from tests.pages.conftest import APP, TIMEOUT, metric, open_page

IT_SPARET = REPO / "core" / "resources" / "scenarios" / "it_sparet_2026.toml"
IT_FILE_BUTTON = "scen::load::file::it_sparet_2026.toml"
SAVE = "FormSubmitter:spara-Spara"
UPLOAD = "FormSubmitter:ladda_upp-Ladda upp och spara"
BASE_EQUITY_2026 = "1 362 650 kr"
IT_EQUITY_2026 = "800 150 kr"  # 1 362 650 − 562 500: IT-spåret continued into 2026


@pytest.fixture
def page(editor_app):
    return open_page(editor_app, "scenarier")


def test_only_an_editor_is_offered_delete(app, db_path):
    at = open_page(app, "scenarier")
    save_as(at, "Förslag A")
    (info,) = saved(db_path)
    options = next(m for m in at.get("menu_button") if m.key == f"scen::menu::saved::{info.scenario_id}").options
    assert "Ta bort" not in options and "Byt namn" in options


def saved(db_path) -> list[store.SavedScenarioInfo]:
    con = store.connect(db_path)  # same configuration as the app's connection in this process
    try:
        return store.list_scenarios(con)
    finally:
        con.close()


def texts(elements) -> str:
    return "\n".join(e.value for e in elements).replace("\\", "")  # Markdown escapes do not matter here


def menu(at: AppTest, key: str, choice: str) -> AppTest:
    next(m for m in at.get("menu_button") if m.key == key).set_value(choice).run()
    assert not at.exception
    return at


def save_as(at: AppTest, name: str, author: str = "Anna Andersson", description: str | None = None) -> AppTest:
    at.text_input(key="scen::name").set_value(name)
    at.text_input(key="scen::author").set_value(author)
    if description is not None:
        at.text_area(key="scen::description").set_value(description)
    at.button(key=SAVE).click().run()
    assert not at.exception
    return at


def pack(data: object) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(json.dumps(data).encode()) + compressor.flush()
    return "1." + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def fresh_session(query: dict[str, str]) -> AppTest:
    """Another browser opening the app with ``query`` in its URL."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


# The list ----------------------------------------------------------------------------------------------


def test_the_baseline_is_listed_first_then_saved_scenarios_then_the_example_files(page):
    save_as(page, "Mitt förslag")
    headings = [m.value for m in page.markdown if m.value == "**Basbudget**" or "-badge[" in m.value]
    assert headings == [
        "**Basbudget**",
        "**Mitt förslag** :blue-badge[Sparat]",
        "**IT-spåret fortsätter 2026** :gray-badge[Exempelfil]",
        "**Digital arbetsträning med eget kapital** :gray-badge[Exempelfil]",
        "**Statlig tilldelning +5 % från 2025** :gray-badge[Exempelfil]",
    ]
    assert page.button(key=IT_FILE_BUTTON)


def test_loading_an_example_file_makes_it_the_scenario_in_progress(page):
    page.button(key=IT_FILE_BUTTON).click().run()
    assert "är nu pågående scenario" in texts(page.success)
    assert page.session_state["scenario"] == load_scenario_file(IT_SPARET)
    page.switch_page("pages/oversikt.py").run()
    assert metric(page, "Eget kapital 2026") == IT_EQUITY_2026


def test_loading_the_baseline_resets_the_scenario(page):
    page.button(key=IT_FILE_BUTTON).click().run()
    page.button(key="scen::load::base").click().run()
    assert page.session_state["scenario"].is_empty
    assert "s" not in page.query_params


# Saving and versions --------------------------------------------------------------------------------------


def test_saving_twice_under_one_name_makes_two_versions(page, db_path):
    page.button(key=IT_FILE_BUTTON).click().run()
    save_as(page, "IT-spåret 2026", description="Första utkastet")
    assert "Scenariot är sparat: ”IT-spåret 2026”, version 1." in texts(page.success)
    save_as(page, "IT-spåret 2026", description="Efter beredningen")
    assert "En ny version är sparad: ”IT-spåret 2026”, version 2." in texts(page.success)
    (info,) = saved(db_path)
    assert (info.name, info.version_count, info.latest.author, info.latest.description) == (
        "IT-spåret 2026",
        2,
        "Anna Andersson",
        "Efter beredningen",
    )
    assert "Version 2 sparad" in texts(page.caption) and "2 versioner" in texts(page.caption)
    assert page.session_state["scenario"].name == "IT-spåret 2026"


def test_an_earlier_version_can_be_chosen_and_loaded(page, db_path):
    page.button(key=IT_FILE_BUTTON).click().run()
    save_as(page, "Förslag")
    page.button(key="scen::load::base").click().run()
    save_as(page, "Förslag")  # version 2: no changes
    (info,) = saved(db_path)
    page.selectbox(key=f"scen::ver::{info.scenario_id}").set_value(1).run()
    page.button(key=f"scen::load::{info.scenario_id}").click().run()
    assert "”Förslag version 1” är nu pågående scenario." in texts(page.success)
    assert page.session_state["scenario"].change == load_scenario_file(IT_SPARET).change
    page.switch_page("pages/oversikt.py").run()
    assert metric(page, "Eget kapital 2026") == IT_EQUITY_2026


def test_saving_without_an_author_is_refused_in_swedish(page, db_path):
    save_as(page, "Förslag", author="  ")
    assert "ange vem som sparar (författare)" in texts(page.error)
    assert saved(db_path) == []


# Rename, duplicate, delete ----------------------------------------------------------------------------------


def test_rename_through_the_dialog(page, db_path):
    save_as(page, "Förslag A")
    (info,) = saved(db_path)
    menu(page, f"scen::menu::saved::{info.scenario_id}", "Byt namn")
    assert page.text_input(key="scen::dlg_name").value == "Förslag A"
    page.text_input(key="scen::dlg_name").set_value("Förslag B")
    page.button(key="scen::dlg_ok").click().run()
    assert "”Förslag A” heter nu ”Förslag B”." in texts(page.success)
    assert [s.name for s in saved(db_path)] == ["Förslag B"]
    assert not any(t.key == "scen::dlg_name" for t in page.text_input)  # the dialog is closed


def test_rename_to_an_existing_name_is_refused_and_the_dialog_stays(page, db_path):
    save_as(page, "Förslag A")
    save_as(page, "Förslag B")
    first = next(s for s in saved(db_path) if s.name == "Förslag A")
    menu(page, f"scen::menu::saved::{first.scenario_id}", "Byt namn")
    page.text_input(key="scen::dlg_name").set_value("förslag b")
    page.button(key="scen::dlg_ok").click().run()
    assert "det finns redan ett scenario som heter 'Förslag B'" in texts(page.error)
    assert page.text_input(key="scen::dlg_name")  # still open
    page.button(key="scen::dlg_cancel").click().run()
    assert not any(t.key == "scen::dlg_name" for t in page.text_input)
    assert sorted(s.name for s in saved(db_path)) == ["Förslag A", "Förslag B"]


def test_duplicate_through_the_dialog(page, db_path):
    page.button(key=IT_FILE_BUTTON).click().run()
    save_as(page, "Förslag A", author="Anna")
    (info,) = saved(db_path)
    menu(page, f"scen::menu::saved::{info.scenario_id}", "Duplicera")
    assert page.text_input(key="scen::dlg_name").value == "Förslag A (kopia)"
    assert page.text_input(key="scen::dlg_author").value == "Anna"  # remembered from the save
    page.button(key="scen::dlg_ok").click().run()
    assert "Kopian är sparad som ”Förslag A (kopia)”." in texts(page.success)
    listed = {s.name: s for s in saved(db_path)}
    assert set(listed) == {"Förslag A", "Förslag A (kopia)"}
    con = store.connect(db_path)
    try:
        copy = store.load_scenario(con, listed["Förslag A (kopia)"].scenario_id)
    finally:
        con.close()
    assert copy.change == load_scenario_file(IT_SPARET).change


def test_an_example_file_can_be_saved_as_a_scenario(page, db_path):
    menu(page, "scen::menu::file::statlig_tilldelning_plus_5.toml", "Spara som eget scenario")
    page.text_input(key="scen::dlg_author").set_value("Bo")
    page.button(key="scen::dlg_ok").click().run()
    assert [s.name for s in saved(db_path)] == ["Statlig tilldelning +5 % från 2025"]


def test_delete_asks_first_and_cancel_keeps_the_scenario(page, db_path):
    save_as(page, "Förslag A")
    (info,) = saved(db_path)
    menu(page, f"scen::menu::saved::{info.scenario_id}", "Ta bort")
    assert "Vill du ta bort ”Förslag A” ur listan?" in texts(page.markdown)
    page.button(key="scen::dlg_cancel").click().run()
    assert [s.name for s in saved(db_path)] == ["Förslag A"]
    menu(page, f"scen::menu::saved::{info.scenario_id}", "Ta bort")
    page.button(key="scen::dlg_ok").click().run()
    assert "”Förslag A” är borttaget ur listan." in texts(page.success)
    assert saved(db_path) == []
    assert not page.button(key="scen::load::base").disabled  # the page still works
    assert not any(b.key == f"scen::load::{info.scenario_id}" for b in page.button)


# Upload -------------------------------------------------------------------------------------------------------


def upload(at: AppTest, name: str, content: bytes, author: str = "Anna") -> AppTest:
    at.file_uploader(key="scen::upload").upload(name, content)
    at.text_input(key="scen::upload_author").set_value(author)
    at.button(key=UPLOAD).click().run()
    assert not at.exception
    return at


def test_an_uploaded_file_is_saved(page, db_path):
    upload(page, "it.toml", IT_SPARET.read_bytes())
    assert "sparad som ”IT-spåret fortsätter 2026”, version 1" in texts(page.success)
    assert [s.name for s in saved(db_path)] == ["IT-spåret fortsätter 2026"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'name = "X"\n[[change]]\nline = "Finns inte"\npercent = 5\n', "[[change]] nr 1: okänd rad 'Finns inte'"),
        (
            b'name = "X"\n[[change]]\nline = "Styrelse"\nyears = [2031]\npercent = 5\n',
            "år [2031] ligger utanför planåren 2024–2026",
        ),
        (b'name = "X\n', "filen är inte giltig TOML"),
        (b"# " + b"x" * 150_000, "filen är för stor"),
    ],
    ids=["okand-rad", "ar-utanfor-plan", "trasig", "for-stor"],
)
def test_a_bad_upload_is_a_swedish_error_and_stores_nothing(page, db_path, content, expected):
    upload(page, "dålig.toml", content)
    assert expected in texts(page.error)
    assert "Filen ”dålig.toml” sparades inte" in texts(page.error)
    assert saved(db_path) == []


# Share link ---------------------------------------------------------------------------------------------------


def test_the_url_follows_the_scenario_and_reproduces_it_in_another_session(page):
    page.button(key=IT_FILE_BUTTON).click().run()
    value = page.query_params["s"]
    assert decode_scenario(value) == load_scenario_file(IT_SPARET)
    other = fresh_session({"s": value})
    assert not other.exception and not other.warning
    assert other.session_state["scenario"] == load_scenario_file(IT_SPARET)
    assert metric(other, "Eget kapital 2026") == IT_EQUITY_2026
    assert other.query_params["s"] == value


def test_a_slider_change_updates_the_url(app):
    app.switch_page("pages/kostnader.py").run()
    app.pills(key="kostnader_visa").set_value("administration").run()
    app.select_slider(key="kost::pct::Styrelse").set_value(50).run()
    scenario = app.session_state["scenario"]
    assert decode_scenario(app.query_params["s"]) == scenario
    other = fresh_session({"s": app.query_params["s"]})
    assert metric(other, "Eget kapital 2026") == "1 272 650 kr"  # − 3 × 30 000
    app.run()  # the slider reran only the live fragment; bring the whole page back into the tree
    app.button(key="reset_all").click().run()
    assert "s" not in app.query_params


def test_the_share_link_area_shows_the_full_link(db_path):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.context = {"url": "http://budget.example.se/scenarier"}
    at.run()
    open_page(at, "scenarier")
    assert at.code[0].value == "http://budget.example.se/"
    at.button(key=IT_FILE_BUTTON).click().run()
    link = at.code[0].value
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "budget.example.se", "/")
    assert decode_scenario(parse_qs(parts.query)["s"][0]) == load_scenario_file(IT_SPARET)
    assert len(link) < 2_000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("inte-en-länk", "okänt format"),
        ("1.@@@", "otillåtna tecken"),
        ("1." + "QUFB" * 3_000, "Länken är för lång"),
        (pack({"name": "X", "change": [{"line": "Styrelse", "percent": "mycket"}]}), "percent: måste vara ett tal"),
    ],
    ids=["skrap", "fel-tecken", "for-lang", "fel-tal"],
)
def test_a_tampered_link_gives_a_swedish_warning_and_the_baseline(db_path, value, expected):
    at = fresh_session({"s": value})
    assert not at.exception
    assert expected in texts(at.warning)
    assert metric(at, "Eget kapital 2026") == BASE_EQUITY_2026


def test_a_stale_link_names_what_was_ignored_and_shows_the_rest(db_path):
    value = pack(
        {
            "name": "Gammal länk",
            "change": [
                {"line": "Nedlagd insats", "percent": 10},
                {"line": "Styrelse", "percent": 50},
                {"line": "Revision", "years": [2031], "amount": 0},
            ],
        }
    )
    at = fresh_session({"s": value})
    assert not at.exception
    warning = texts(at.warning)
    assert "Ändring nr 1: okänd rad 'Nedlagd insats'" in warning
    assert "Ändring nr 3 (Revision): år [2031] ligger utanför planåren 2024–2026" in warning
    assert "Resten av scenariot visas" in warning
    assert metric(at, "Eget kapital 2026") == "1 272 650 kr"  # Styrelse +50 % kept
    expected = Scenario(name="Gammal länk", change=[LineChange(line="Styrelse", percent=Decimal(50))])
    assert at.session_state["scenario"] == expected
    assert at.query_params["s"] == encode_scenario(expected)  # the URL now carries what is shown
    at.run()
    assert not at.warning  # said once, not on every rerun


def test_loading_a_saved_scenario_that_no_longer_fits_drops_the_stale_part(app, db_path):
    stale = Scenario(
        name="Gammalt",
        change=[
            LineChange(line="Nedlagd insats", percent=Decimal(10)),
            LineChange(line="Styrelse", percent=Decimal(50)),
        ],
    )
    con = store.connect(db_path)
    try:
        ref = store.save_scenario(con, stale, author="Anna")
    finally:
        con.close()
    page = open_page(app, "scenarier")
    page.button(key=f"scen::load::{ref.scenario_id}").click().run()
    assert "”Gammalt version 1” är inläst, men det här passar inte basbudgeten" in texts(page.warning)
    assert "Ändring nr 1: okänd rad 'Nedlagd insats'." in texts(page.warning)
    assert page.session_state["scenario"] == Scenario(
        name="Gammalt", change=[LineChange(line="Styrelse", percent=Decimal(50))]
    )
