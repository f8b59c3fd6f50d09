"""A database written by an older version (schema 1, before the federation kinds) opens, migrates and loads.

The fixture is that database exported with DuckDB's EXPORT DATABASE (schema plus CSV, 76 kB): a seeded
baseline, a second baseline version, a saved scenario and a lock.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from core import store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store_v1"


def old_database(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(FIXTURE, folder)
    load = folder / "load.sql"
    load.write_text(load.read_text().replace("tests/fixtures/store_v1/", f"{folder}/"))
    path = tmp_path / "gammal.duckdb"
    con = duckdb.connect(str(path))
    con.execute(f"IMPORT DATABASE '{folder}'")
    con.close()
    return path


def test_a_schema_1_database_opens_and_keeps_every_version_scenario_and_lock(tmp_path):
    path = old_database(tmp_path)
    con = store.open_store(path)
    try:
        versions = store.list_versions(con)
        assert [v.version_id for v in versions] == [2, 1]
        assert versions[0].reason == "Rättat ingående eget kapital"
        assert store.load_budget(con, 2).opening_equity == store.load_budget(con, 1).opening_equity + 1
        assert [s.name for s in store.list_scenarios(con)] == ["IT-spåret fortsätter 2026"]
        assert store.baseline_lock(con).locked
        found = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
        assert found == store.SCHEMA_VERSION
    finally:
        con.close()


def test_a_migrated_database_takes_new_versions(tmp_path):
    path = old_database(tmp_path)
    con = store.open_store(path)
    try:
        store.set_baseline_lock(con, locked=False, author="Ekonomen", reason="Ny prognos")
        budget = store.load_budget(con)
        new_id = store.save_budget(con, budget, author="Ekonomen", reason="Efter migrering")
        assert new_id == 3
        assert store.load_budget(con) == budget
    finally:
        con.close()
