"""Saved scenarios: versions that never change, names that stay unique, soft delete, files in and out."""

from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import store
from core.engine.scenario import (
    LineChange,
    Scenario,
    load_scenario_file,
    parse_scenario_toml,
    scenario_to_toml,
)
from core.model.errors import ScenarioError, StoreError
from tests.conftest import REPO
from tests.core.test_sharelink import any_scenarios
from tests.strategies import budgets, scenarios_for

IT_SPARET = REPO / "core" / "resources" / "scenarios" / "it_sparet_2026.toml"
STATLIG = REPO / "core" / "resources" / "scenarios" / "statlig_tilldelning_plus_5.toml"


@pytest.fixture
def con(db_path):
    connection = store.open_store(db_path)  # seeded: the baseline is budget version 1
    yield connection
    connection.close()


def rows(con, table: str) -> int:
    with con.cursor() as cur:
        return cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def scenario(name: str = "Förslag A", percent: int = 10) -> Scenario:
    return Scenario(name=name, change=[LineChange(line="SE-Höglandet", years=[2025, 2026], percent=Decimal(percent))])


# Save and load ----------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_save_then_load_gives_the_same_scenario(data):
    budget = data.draw(budgets())
    saved = data.draw(scenarios_for(budget))
    connection = store.connect(":memory:")
    try:
        ref = store.save_scenario(connection, saved, author="Anna")
        assert store.load_scenario(connection, ref.scenario_id) == saved
        assert store.load_scenario(connection, ref.scenario_id, ref.version) == saved
        assert parse_scenario_toml(store.scenario_file_text(connection, ref.scenario_id)) == saved
    finally:
        connection.close()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(saved=any_scenarios())
def test_every_field_survives_saving(saved):
    connection = store.connect(":memory:")
    try:
        ref = store.save_scenario(connection, saved, author="Anna")
        loaded = store.load_scenario(connection, ref.scenario_id)
        if saved.contributions is not None and not (saved.contributions.percent or saved.contributions.delta):
            saved = saved.model_copy(update={"contributions": None})  # an empty table means no change
        assert loaded == saved
        assert loaded.model_dump() == saved.model_dump()
    finally:
        connection.close()


def test_the_shipped_files_save_and_load_unchanged(con):
    for path in sorted((REPO / "core" / "resources" / "scenarios").glob("*.toml")):
        original = load_scenario_file(path)
        ref = store.save_scenario(con, original, author="Anna")
        assert store.load_scenario(con, ref.scenario_id) == original


def test_saving_twice_under_one_name_makes_two_versions_both_loadable(con):
    first = store.save_scenario(con, scenario(percent=10), author="Anna", description="Första utkastet")
    second = store.save_scenario(con, scenario(percent=12), author="Bo", description="Efter beredningen")
    assert (first.scenario_id, first.version) == (second.scenario_id, 1)
    assert second.version == 2
    assert store.load_scenario(con, first.scenario_id, 1).change[0].percent == 10
    assert store.load_scenario(con, first.scenario_id, 2).change[0].percent == 12
    assert store.load_scenario(con, first.scenario_id).change[0].percent == 12  # latest
    (listed,) = store.list_scenarios(con)
    assert (listed.name, listed.version_count, listed.latest.version) == ("Förslag A", 2, 2)
    assert (listed.latest.author, listed.latest.description) == ("Bo", "Efter beredningen")
    versions = store.list_scenario_versions(con, first.scenario_id)
    assert [(v.version, v.author, v.description) for v in versions] == [
        (2, "Bo", "Efter beredningen"),
        (1, "Anna", "Första utkastet"),
    ]
    assert all(isinstance(v.created_at, dt.datetime) for v in versions)


def test_names_compare_case_insensitively_and_keep_their_first_spelling(con):
    store.save_scenario(con, scenario("IT-spåret 2026"), author="Anna")
    ref = store.save_scenario(con, scenario("  it-SPÅRET 2026 "), author="Bo")
    assert (ref.name, ref.version) == ("IT-spåret 2026", 2)
    assert [s.name for s in store.list_scenarios(con)] == ["IT-spåret 2026"]
    assert store.load_scenario(con, ref.scenario_id).name == "IT-spåret 2026"


def test_the_description_given_replaces_the_scenarios_own(con):
    ref = store.save_scenario(con, load_scenario_file(IT_SPARET), author="Anna", description="  Ny text  ")
    assert store.load_scenario(con, ref.scenario_id).description == "Ny text"
    assert store.list_scenarios(con)[0].latest.description == "Ny text"


def test_each_version_records_the_baseline_it_was_made_on(con):
    ref = store.save_scenario(con, scenario(), author="Anna")
    assert store.list_scenarios(con)[0].latest.baseline_version_id == store.current_version_id(con) == 1
    with pytest.raises(StoreError, match="budgetversion 99 finns inte"):
        store.save_scenario(con, scenario(), author="Anna", baseline_version_id=99)
    assert len(store.list_scenario_versions(con, ref.scenario_id)) == 1


def test_the_list_is_by_name(con):
    for name in ("Öka avgifter", "bredda insatser", "Avveckla IT"):
        store.save_scenario(con, scenario(name), author="Anna")
    assert [s.name for s in store.list_scenarios(con)] == ["Avveckla IT", "bredda insatser", "Öka avgifter"]


@pytest.mark.parametrize(
    ("name", "author", "description", "message"),
    [
        ("   ", "Anna", None, "ange ett namn"),
        ("x" * 121, "Anna", None, "namnet har 121 tecken, men högst 120"),
        ("Förslag", "  ", None, "ange vem som sparar (författare)"),
        ("Förslag", "a" * 121, None, "författaren har 121 tecken"),
        ("Förslag", "Anna", "b" * 2001, "beskrivningen har 2 001 tecken, men högst 2 000"),
    ],
)
def test_names_authors_and_descriptions_are_checked_in_swedish(con, name, author, description, message):
    unchecked = scenario().model_copy(update={"name": name})  # as a form would hand it over
    with pytest.raises(StoreError, match=re.escape(message)) as caught:
        store.save_scenario(con, unchecked, author=author, description=description)
    assert str(caught.value).startswith("Scenariot sparades inte: ")
    assert rows(con, "scenario") == rows(con, "scenario_version") == 0


def test_the_database_refuses_what_the_functions_would_refuse(con):
    with con.cursor() as cur, pytest.raises(duckdb.ConstraintException):
        cur.execute("INSERT INTO scenario (name, name_key, created_at) VALUES ('', '', now())")
    with con.cursor() as cur, pytest.raises(duckdb.ConstraintException):
        cur.execute("INSERT INTO scenario (name, name_key, created_at, deleted_at) VALUES ('a', 'a', now(), now())")
    ref = store.save_scenario(con, scenario(), author="Anna")
    with con.cursor() as cur, pytest.raises(duckdb.ConstraintException):
        cur.execute(
            "INSERT INTO scenario_version VALUES (?, 2, now(), ' Anna', '', 1, 'name = \"x\"')", [ref.scenario_id]
        )


def test_a_new_only_save_refuses_an_existing_name(con):
    store.save_scenario(con, scenario(), author="Anna")
    with pytest.raises(StoreError, match="det finns redan ett scenario som heter 'Förslag A'"):
        store.save_scenario(con, scenario("förslag a"), author="Bo", new_only=True)
    assert rows(con, "scenario_version") == 1


def test_loading_what_does_not_exist_is_a_swedish_error(con):
    ref = store.save_scenario(con, scenario(), author="Anna")
    with pytest.raises(StoreError, match="scenariot finns inte"):
        store.load_scenario(con, 999)
    with pytest.raises(StoreError, match="har ingen version 7"):
        store.load_scenario(con, ref.scenario_id, 7)


# Rename, duplicate, delete -----------------------------------------------------------------------------


def test_rename_moves_every_version_to_the_new_name(con):
    ref = store.save_scenario(con, scenario(percent=10), author="Anna")
    store.save_scenario(con, scenario(percent=12), author="Anna")
    renamed = store.rename_scenario(con, ref.scenario_id, "  Förslag B ")
    assert (renamed.name, renamed.version) == ("Förslag B", 2)
    assert [s.name for s in store.list_scenarios(con)] == ["Förslag B"]
    assert store.load_scenario(con, ref.scenario_id, 1).name == "Förslag B"
    assert store.load_scenario(con, ref.scenario_id, 1).change[0].percent == 10
    assert 'name = "Förslag B"' in store.scenario_file_text(con, ref.scenario_id, 1)
    # Saving under the new name adds version 3; the old name is free for a new scenario.
    assert store.save_scenario(con, scenario("förslag b"), author="Bo").version == 3
    assert store.save_scenario(con, scenario("Förslag A"), author="Bo").scenario_id != ref.scenario_id


def test_rename_refuses_a_name_that_exists_and_changes_nothing(con):
    first = store.save_scenario(con, scenario("Förslag A"), author="Anna")
    store.save_scenario(con, scenario("Förslag B"), author="Anna")
    with pytest.raises(StoreError, match="Namnet ändrades inte: det finns redan ett scenario som heter 'Förslag B'"):
        store.rename_scenario(con, first.scenario_id, "FÖRSLAG B")
    with pytest.raises(StoreError, match="ange ett nytt namn"):
        store.rename_scenario(con, first.scenario_id, " ")
    assert [s.name for s in store.list_scenarios(con)] == ["Förslag A", "Förslag B"]
    # Another spelling of its own name is fine.
    assert store.rename_scenario(con, first.scenario_id, "FÖRSLAG A").name == "FÖRSLAG A"


def test_duplicate_copies_the_chosen_version_as_a_new_scenario(con):
    ref = store.save_scenario(con, scenario(percent=10), author="Anna")
    store.save_scenario(con, scenario(percent=12), author="Anna")
    copy = store.duplicate_scenario(con, ref.scenario_id, "Förslag A, kopia", author="Bo", version=1)
    assert copy.scenario_id != ref.scenario_id and copy.version == 1
    loaded = store.load_scenario(con, copy.scenario_id)
    assert loaded == scenario("Förslag A, kopia", percent=10)
    latest = store.duplicate_scenario(con, ref.scenario_id, "Senaste", author="Bo")
    assert store.load_scenario(con, latest.scenario_id).change[0].percent == 12
    assert store.list_scenario_versions(con, copy.scenario_id)[0].author == "Bo"
    assert len(store.list_scenario_versions(con, ref.scenario_id)) == 2  # the original is untouched
    with pytest.raises(StoreError, match="Kopian sparades inte: det finns redan ett scenario som heter"):
        store.duplicate_scenario(con, ref.scenario_id, "förslag a", author="Bo")


def test_delete_hides_the_scenario_but_keeps_every_version(con):
    ref = store.save_scenario(con, scenario(percent=10), author="Anna")
    store.save_scenario(con, scenario(percent=12), author="Anna")
    other = store.save_scenario(con, scenario("Förslag B"), author="Anna")
    store.delete_scenario(con, ref.scenario_id)
    assert [s.name for s in store.list_scenarios(con)] == ["Förslag B"]
    assert rows(con, "scenario_version") == 3  # nothing saved is lost
    with con.cursor() as cur:
        name, deleted_at = cur.execute(
            "SELECT name, deleted_at FROM scenario WHERE scenario_id = ?", [ref.scenario_id]
        ).fetchall()[0]
    assert name == "Förslag A" and isinstance(deleted_at, dt.datetime)
    with pytest.raises(StoreError, match="är borttaget"):
        store.load_scenario(con, ref.scenario_id)
    with pytest.raises(StoreError, match="Scenariot togs inte bort: scenariot 'Förslag A' är borttaget"):
        store.delete_scenario(con, ref.scenario_id)
    with pytest.raises(StoreError, match="är borttaget"):
        store.rename_scenario(con, ref.scenario_id, "Nytt")
    # The name is free again: a new save starts a new scenario at version 1.
    again = store.save_scenario(con, scenario(percent=5), author="Bo")
    assert again.scenario_id not in (ref.scenario_id, other.scenario_id) and again.version == 1


def test_saves_at_the_same_time_get_distinct_versions(db_path):
    con = store.open_store(db_path)
    try:

        def save(i: int):
            name = "Samma namn" if i % 2 else f"Eget {i}"
            return store.save_scenario(con, Scenario(name=name, description=str(i)), author=f"Person {i}")

        with ThreadPoolExecutor(max_workers=8) as pool:
            refs = list(pool.map(save, range(40)))
        same = sorted(r.version for r in refs if r.name == "Samma namn")
        assert same == list(range(1, 21))
        assert len({r.scenario_id for r in refs}) == 21
        listed = {s.name: s.version_count for s in store.list_scenarios(con)}
        assert listed["Samma namn"] == 20 and len(listed) == 21
    finally:
        con.close()


# Files --------------------------------------------------------------------------------------------------


def test_the_example_files_are_listed_and_read(seed_budget):
    files = store.list_scenario_files()
    assert [f.file_name for f in files] == [
        "it_sparet_2026.toml",
        "ny_verksamhet_eget_kapital.toml",
        "statlig_tilldelning_plus_5.toml",
    ]
    assert all(f.scenario is not None and f.error is None for f in files)
    assert files[0].scenario == load_scenario_file(IT_SPARET)


def test_a_broken_file_in_the_folder_is_listed_with_its_error(tmp_path):
    (tmp_path / "bra.toml").write_text('name = "Bra"\n', encoding="utf-8")
    (tmp_path / "trasig.toml").write_text("name = \n", encoding="utf-8")
    (tmp_path / "latin1.toml").write_bytes('name = "Växjö"'.encode("latin-1"))
    (tmp_path / "inte_toml.txt").write_text("x", encoding="utf-8")
    files = {f.file_name: f for f in store.list_scenario_files(tmp_path)}
    assert set(files) == {"bra.toml", "trasig.toml", "latin1.toml"}
    assert files["bra.toml"].scenario == Scenario(name="Bra")
    assert "trasig.toml: filen är inte giltig TOML" in files["trasig.toml"].error
    assert "UTF-8" in files["latin1.toml"].error


def test_an_uploaded_file_that_fits_is_saved(con, seed_budget):
    ref = store.import_scenario_file(con, IT_SPARET.read_bytes(), "it.toml", seed_budget, author="Anna")
    assert store.load_scenario(con, ref.scenario_id) == load_scenario_file(IT_SPARET)
    bom = b"\xef\xbb\xbf" + STATLIG.read_bytes()  # as Windows Notepad saves it
    assert store.read_scenario_upload(bom, "s.toml", seed_budget) == load_scenario_file(STATLIG)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x" * 100_001, "filen är för stor (100 001 byte; en scenariofil får vara högst 100 000 byte)"),
        ('name = "Växjö"'.encode("latin-1"), "filen är inte text i UTF-8"),
        (b"   \n", "filen är tom"),
        (b'name = "Trasig\n[[change]]', "filen är inte giltig TOML"),
        (b'name = "X"\nfoo = 1', "foo: är inte ett känt fält"),
        (b'name = "X"\n[[change]]\nline = "Finns inte"\npercent = 5', "[[change]] nr 1: okänd rad 'Finns inte'"),
        (
            b'name = "X"\n[[change]]\nline = "Styrelse"\nyears = [2030]\npercent = 5',
            "[[change]] nr 1: år [2030] ligger utanför planåren 2024–2026",
        ),
        (b'name = "X"\n[[change]]\nline = "Styrelse"\ndelta = -1000000', "kostnaden för 'Styrelse' blir negativ"),
        (b'name = "X"\n[[change]]\nline = "Styrelse"\npercent = 5\namount = 3', "ange exakt en av percent"),
    ],
)
def test_an_upload_that_does_not_fit_names_the_problem_and_stores_nothing(con, seed_budget, data, message):
    with pytest.raises(ScenarioError) as caught:
        store.import_scenario_file(con, data, "uppladdad.toml", seed_budget, author="Anna")
    assert message in str(caught.value)
    assert str(caught.value).startswith("uppladdad.toml")
    assert rows(con, "scenario") == rows(con, "scenario_version") == 0


def test_download_text_is_the_canonical_toml(con):
    saved = load_scenario_file(STATLIG)
    ref = store.save_scenario(con, saved, author="Anna")
    assert store.scenario_file_text(con, ref.scenario_id) == scenario_to_toml(saved)
