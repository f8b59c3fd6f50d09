from streamlit.testing.v1 import AppTest

from core import store
from tests.pages.conftest import APP, EDITOR_PASSWORD, TIMEOUT, open_page


def versions(db_path) -> list[store.BudgetVersionInfo]:
    con = store.connect(db_path)  # same configuration as the app's connection in this process
    try:
        return store.list_versions(con)
    finally:
        con.close()


def test_without_editing_configured_the_app_says_how_to_turn_it_on(app):
    at = open_page(app, "basbudget")
    assert any("Bara en redaktör" in w.value for w in at.warning)
    assert any("set-password" in c.value for c in at.caption)


def test_a_board_member_cannot_change_the_baseline(app, db_path):
    at = open_page(app, "basbudget")
    assert not at.get("arrow_data_editor") and not [b for b in at.button if "Spara" in str(b.label)]
    assert len(versions(db_path)) == 1


def test_sign_in_with_the_wrong_password_is_refused_and_right_one_accepted(editor_app):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()  # same database, nobody signed in
    at.text_input(key="editor_sign_in_name").set_value("Anna")
    at.text_input(key="editor_sign_in_password").set_value("fel lösenord här")
    at.button(key="FormSubmitter:editor_sign_in-Logga in").click().run()
    assert any("Fel lösenord" in e.value for e in at.error)
    assert "editor_name" not in at.session_state
    at.text_input(key="editor_sign_in_name").set_value("Anna")
    at.text_input(key="editor_sign_in_password").set_value(EDITOR_PASSWORD)
    at.button(key="FormSubmitter:editor_sign_in-Logga in").click().run()
    assert at.session_state["editor_name"] == "Anna"


def test_repeated_wrong_passwords_lock_the_sign_in(editor_app):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    for _ in range(6):
        at.text_input(key="editor_sign_in_name").set_value("Anna")
        at.text_input(key="editor_sign_in_password").set_value("fel lösenord här")
        at.button(key="FormSubmitter:editor_sign_in-Logga in").click().run()
    at.text_input(key="editor_sign_in_name").set_value("Anna")
    at.text_input(key="editor_sign_in_password").set_value(EDITOR_PASSWORD)
    at.button(key="FormSubmitter:editor_sign_in-Logga in").click().run()
    assert any("För många felaktiga försök" in e.value for e in at.error)
    assert "editor_name" not in at.session_state


def test_lock_needs_a_reason_and_then_blocks_edits(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    at.button(key="FormSubmitter:lock_form-Lås basbudgeten").click().run()
    assert any("Ange ett skäl" in e.value for e in at.error)
    at.text_input[0].set_value("Budgeten beslutad av styrelsen 2023-11-17")
    at.button(key="FormSubmitter:lock_form-Lås basbudgeten").click().run()
    assert not at.exception
    assert any("låst" in i.value for i in at.info)
    assert not at.get("arrow_data_editor")
    con = store.connect(db_path)
    try:
        assert store.baseline_lock(con).locked
    finally:
        con.close()


def test_history_lists_versions_and_an_editor_can_restore_one(editor_app, db_path):
    con = store.connect(db_path)
    try:
        seed = store.load_budget(con)
        costs = [
            c.model_copy(update={"amounts": {**c.amounts, 2025: 70_000}}) if c.name == "Styrelse" else c
            for c in seed.costs
        ]
        store.save_budget(con, seed.model_copy(update={"costs": costs}), author="Anna", reason="Högre arvoden")
    finally:
        con.close()
    at = open_page(editor_app, "historik")
    changes = at.dataframe[0].value
    assert list(changes.iloc[0]) == ["Kostnad Styrelse, 2025", "60 000 kr", "70 000 kr"]
    at.button(key="restore_1").click().run()
    assert not at.exception
    latest = versions(db_path)[0]
    assert latest.reason == "Återställd från version 1" and latest.author == "Redaktör Test"


def styrelse_row(at: AppTest) -> int:
    """Row index of Styrelse in the editor grid (the import layout, header excluded)."""
    from core.files.budget_file import budget_to_rows

    rows = budget_to_rows(store_budget(at))
    return next(i for i, row in enumerate(rows[1:]) if row[1] == "Styrelse")


def store_budget(at):  # the seed, as the editor shows it
    from core.files.budget_file import read_budget_file
    from tests.conftest import SEED_CSV

    return read_budget_file(SEED_CSV)


def save_edit(
    at: AppTest, edits: dict, reason: str, *, added: list[dict] | None = None, deleted: list[int] | None = None
) -> AppTest:
    """What the data editor reports after the user's edits (its state), then Spara."""
    at.text_input(key="basbudget_reason").set_value(reason)
    at.session_state["basbudget_editor"] = {
        "edited_rows": edits,
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    return at.button[[b.label for b in at.button].index("Spara som ny version")].click().run()


def cost_row(name: str, category: str, amount: str) -> dict:
    """A row added at the bottom of the grid, the columns as the editor names them (text)."""
    return {"post": "kostnad", "namn": name, "kategori": category} | {str(y): amount for y in (2024, 2025, 2026)}


def saved_nothing(at: AppTest, db_path, *expected: str) -> None:
    errors = [e.value for e in at.error]
    assert not at.exception
    assert all(any(text in e for e in errors) for text in expected), errors
    assert len(versions(db_path)) == 1


def test_an_editor_saves_an_edit_as_a_new_version_with_its_history(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    save_edit(at, {styrelse_row(at): {"2025": "70 000"}}, "Högre arvoden 2025")
    assert not at.exception
    assert any("Sparad som version 2" in s.value for s in at.success)
    latest = versions(db_path)[0]
    assert (latest.version_id, latest.author, latest.reason) == (2, "Redaktör Test", "Högre arvoden 2025")
    con = store.connect(db_path)
    try:
        assert store.load_budget(con).cost_line("Styrelse").amounts[2025] == 70_000
        assert store.load_budget(con, 1).cost_line("Styrelse").amounts[2025] == 60_000
    finally:
        con.close()


def test_a_negative_cost_in_the_editor_names_row_and_column_and_saves_nothing(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    row = styrelse_row(at)
    save_edit(at, {row: {"2025": "-5"}}, "Fel")
    assert any(f"Rad {row + 2}, kolumn F (2025)" in e.value and "negativ" in e.value for e in at.error)
    assert len(versions(db_path)) == 1


def test_text_in_an_amount_cell_names_row_and_column_and_saves_nothing(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    row = styrelse_row(at)
    save_edit(at, {row: {"2025": "sextio tusen"}}, "Fel")
    saved_nothing(at, db_path, f'Rad {row + 2}, kolumn F (2025): "sextio tusen" är inte ett belopp i hela kronor')


def test_an_added_line_with_a_name_already_in_the_budget_is_refused(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    save_edit(at, {}, "Dubblett", added=[cost_row("Styrelse", "administration", "1 000")])
    saved_nothing(at, db_path, '"Styrelse" finns redan på rad', "varje kostnad får bara finnas en gång")


def test_an_added_line_with_an_unknown_category_is_refused(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    save_edit(at, {}, "Fel kategori", added=[cost_row("Fika", "fika", "1 000")])
    saved_nothing(at, db_path, 'kolumn C (kategori): "fika" är ingen kostnadskategori')


def test_an_edit_without_a_reason_saves_nothing(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    save_edit(at, {styrelse_row(at): {"2025": "70 000"}}, "  ")
    saved_nothing(at, db_path, "Skriv vad som ändras och varför")


def test_saving_an_unchanged_grid_says_so_and_makes_no_version(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    # The amount it already was, and a row added by mistake and left empty.
    save_edit(at, {styrelse_row(at): {"2025": "60 000"}}, "Samma belopp", added=[{}])
    assert any("Inget är ändrat" in i.value for i in at.info)
    assert not at.error and len(versions(db_path)) == 1


def test_a_line_added_and_a_line_deleted_in_the_grid_are_saved_as_one_version(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    save_edit(
        at,
        {},
        "Ny insats, styrelsekostnaden flyttas",
        added=[cost_row("Digital arbetsträning", "individinriktade insatser", "250 000")],
        deleted=[styrelse_row(at)],
    )
    assert any("Sparad som version 2 (2 ändringar)" in s.value for s in at.success), [s.value for s in at.success]
    con = store.connect(db_path)
    try:
        saved = store.load_budget(con)
    finally:
        con.close()
    assert saved.cost_line("Styrelse") is None
    added = saved.cost_line("Digital arbetsträning")
    assert added.category == "individinriktade insatser"
    assert dict(added.amounts) == {2023: 0, 2024: 250_000, 2025: 250_000, 2026: 250_000}  # an empty cell is 0


def test_importing_a_bad_budget_file_names_row_and_column_and_stores_nothing(editor_app, db_path):
    at = open_page(editor_app, "basbudget")
    bad = "post;namn;kategori;2024\nkostnad;Lokal;administration;abc\neget_kapital;EK;;100\n".encode("cp1252")
    at.file_uploader(key="import_upload").upload("budget.csv", bad)
    at.button[[b.label for b in at.button].index("Importera som ny version")].click().run()
    assert any('Rad 2, kolumn D (2024): "abc"' in e.value for e in at.error)
    assert len(versions(db_path)) == 1


def test_importing_a_good_file_makes_a_new_version(editor_app, db_path):
    from pathlib import Path

    at = open_page(editor_app, "basbudget")
    example = Path(APP).parent / "core" / "resources" / "examples" / "kommunforbundet_vasternorrland_2007.csv"
    at.file_uploader(key="import_upload").upload(example.name, example.read_bytes())
    at.button[[b.label for b in at.button].index("Importera som ny version")].click().run()
    assert not at.exception
    assert versions(db_path)[0].reason == f"Import från {example.name}"


def test_a_database_locked_by_another_process_gives_a_swedish_message(db_path):
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); time.sleep(60)",
            str(db_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        assert not at.exception
        assert any("låst" in e.value for e in at.error)
    finally:
        holder.kill()
        holder.wait()
