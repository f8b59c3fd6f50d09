"""Lock, editor password, backup and restore: the store's guard rails for a live board day."""

import pytest

from core import store
from core.model.errors import StoreError
from core.store.password import hash_password, verify_password


@pytest.fixture
def con(tmp_path):
    connection = store.open_store(tmp_path / "budget.duckdb")
    yield connection
    connection.close()


def test_a_locked_baseline_refuses_new_versions_until_unlocked_with_a_reason(con):
    budget = store.load_budget(con)
    store.set_baseline_lock(con, locked=True, author="Anna", reason="Beslutad 2023-11-17")
    assert store.baseline_lock(con).locked
    with pytest.raises(StoreError, match="låst"):
        store.save_budget(con, budget, author="Bo", reason="ändring")
    assert len(store.list_versions(con)) == 1
    with pytest.raises(StoreError, match="skäl"):
        store.set_baseline_lock(con, locked=False, author="Anna", reason="  ")
    store.set_baseline_lock(con, locked=False, author="Anna", reason="Revidering i april")
    assert store.save_budget(con, budget, author="Bo", reason="ändring") == 2
    assert [(e.kind, e.author) for e in store.list_lock_events(con)] == [("upplåst", "Anna"), ("låst", "Anna")]


def test_editor_password_is_stored_as_a_hash_only(con):
    assert store.get_editor_password(con) is None
    store.set_editor_password(con, hash_password("ett långt lösenord"), author="cli")
    stored = store.get_editor_password(con)
    assert verify_password("ett långt lösenord", stored)
    raw = con.execute("SELECT password_hash FROM editor_credential").fetchall()
    assert all("långt" not in row[0] for row in raw)


def test_backup_then_restore_gives_back_the_state_at_backup_time(tmp_path):
    path = tmp_path / "budget.duckdb"
    con = store.open_store(path)
    seed = store.load_budget(con)
    backup = store.backup_bytes(con)
    changed = seed.model_copy(update={"name": "Ändrat namn"})
    store.save_budget(con, changed, author="Bo", reason="ändring efter kopian")
    con.close()

    kept = store.restore_database(path, backup, author="Anna", backups=tmp_path / "kopior")

    con = store.connect(path)
    try:
        assert store.load_budget(con) == seed
        assert len(store.list_versions(con)) == 1
        assert store.list_lock_events(con)[0].kind == "återställd"
        assert store.save_budget(con, seed, author="Anna", reason="efter återställning") == 2
    finally:
        con.close()
    old = store.connect(kept, read_only=True)  # the replaced database was kept, nothing is lost
    try:
        assert store.load_budget(old).name == "Ändrat namn"
    finally:
        old.close()


@pytest.mark.parametrize("data", [b"", b"not a database at all", b"DUCK" * 1000])
def test_a_bad_backup_is_refused_and_changes_nothing(tmp_path, data):
    path = tmp_path / "budget.duckdb"
    con = store.open_store(path)
    before = store.load_budget(con)
    con.close()
    with pytest.raises(StoreError):
        store.restore_database(path, data, author="Anna", backups=tmp_path / "kopior")
    con = store.connect(path)
    try:
        assert store.load_budget(con) == before
    finally:
        con.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".budget.duckdb.aterstall")]
