"""Looking after the baseline: its lock, the editor's password, backup and restore."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import uuid
from pathlib import Path

import duckdb
from pydantic import BaseModel, ConfigDict

from core.model.budget import Budget
from core.model.errors import StoreError
from core.store.baselines import load_budget
from core.store.db import _write, connect

MAX_BACKUP_BYTES = 500 * 1024 * 1024


class BaselineEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: dt.datetime
    author: str
    kind: str
    reason: str

    @property
    def locked(self) -> bool:
        return self.kind == "låst"


class LockState(BaseModel):
    model_config = ConfigDict(frozen=True)

    locked: bool
    at: dt.datetime | None = None
    author: str = ""
    reason: str = ""


def _add_baseline_event(con: duckdb.DuckDBPyConnection, author: str, kind: str, reason: str, *, action: str) -> None:
    _write(
        con,
        lambda cur: cur.execute(
            "INSERT INTO baseline_event (happened_at, author, kind, reason) VALUES (?, ?, ?, ?)",
            [dt.datetime.now(), author.strip()[:120] or "okänd", kind, reason.strip()[:500]],
        ),
        action=action,
    )


def list_lock_events(con: duckdb.DuckDBPyConnection) -> list[BaselineEvent]:
    """Locks, unlocks and restores of the baseline, newest first."""
    with con.cursor() as cur:
        try:
            rows = cur.execute(
                "SELECT happened_at, author, kind, reason FROM baseline_event ORDER BY event_id DESC"
            ).fetchall()
        except duckdb.CatalogException:  # a read-only database from before these tables existed
            return []
    return [BaselineEvent(at=r[0], author=r[1], kind=r[2], reason=r[3]) for r in rows]


def baseline_lock(con: duckdb.DuckDBPyConnection) -> LockState:
    last = next((e for e in list_lock_events(con) if e.kind in ("låst", "upplåst")), None)
    if last is None or not last.locked:
        return LockState(locked=False)
    return LockState(locked=True, at=last.at, author=last.author, reason=last.reason)


def set_baseline_lock(con: duckdb.DuckDBPyConnection, *, locked: bool, author: str, reason: str) -> None:
    """Lock a decided baseline, or unlock it; both need a reason, which goes into the history."""
    author, reason = author.strip(), reason.strip()
    if not author or not reason:
        raise StoreError("Ange vem du är och ett skäl: låsning och upplåsning sparas i historiken.")
    if baseline_lock(con).locked == locked:
        raise StoreError("Basbudgeten är redan låst." if locked else "Basbudgeten är redan upplåst.")
    _add_baseline_event(con, author, "låst" if locked else "upplåst", reason, action="Låsningen sparades inte")


def get_editor_password(con: duckdb.DuckDBPyConnection):
    """The current editor password hash, or None when no password is set."""
    from core.store.password import PasswordHash

    with con.cursor() as cur:
        try:
            rows = cur.execute(
                "SELECT password_hash FROM editor_credential ORDER BY credential_id DESC LIMIT 1"
            ).fetchall()
        except duckdb.CatalogException:
            return None
    return PasswordHash.model_validate_json(rows[0][0]) if rows else None


def set_editor_password(con: duckdb.DuckDBPyConnection, password_hash, *, author: str) -> None:
    """Store a new editor password hash (never the password); earlier hashes stop being used."""
    _write(
        con,
        lambda cur: cur.execute(
            "INSERT INTO editor_credential (created_at, author, password_hash) VALUES (?, ?, ?)",
            [dt.datetime.now(), author.strip()[:120] or "okänd", password_hash.model_dump_json()],
        ),
        action="Lösenordet sparades inte",
    )


def backup_bytes(con: duckdb.DuckDBPyConnection) -> bytes:
    """A consistent copy of the whole database (all versions, scenarios, history) as a file's bytes."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "sakerhetskopia.duckdb"
        with con.cursor() as cur:
            name = cur.execute("SELECT current_database()").fetchall()[0][0]
            alias = f"backup_{uuid.uuid4().hex}"
            cur.execute(f"ATTACH '{target}' AS {alias}")
            try:
                cur.execute(f'COPY FROM DATABASE "{name}" TO {alias}')
            finally:
                cur.execute(f"DETACH {alias}")
        return target.read_bytes()


def write_backup(con: duckdb.DuckDBPyConnection, folder: Path | str) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"forbundsbudget-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.duckdb"
    path.write_bytes(backup_bytes(con))
    return path


def check_backup(path: Path | str) -> Budget:
    """Open a would-be backup on its own; it must be a Förbundsbudget database with a loadable baseline."""
    try:
        con = connect(path, read_only=True)
    except StoreError as exc:
        raise StoreError(f"Filen är ingen säkerhetskopia av Förbundsbudget: {exc}") from exc
    try:
        return load_budget(con)
    except StoreError as exc:
        raise StoreError(f"Säkerhetskopian saknar en läsbar basbudget: {exc}") from exc
    finally:
        con.close()


def restore_database(path: Path | str, data: bytes, *, author: str, backups: Path | str | None = None) -> Path:
    """Replace the database file at ``path`` with a backup, atomically; returns where the old one was kept.

    Every connection to ``path`` must be closed first (the app closes its cached one). The backup
    is checked on its own before anything changes; the current file is copied to ``backups`` and
    then swapped for the backup with one rename, so a crash leaves either the old or the new file.
    """
    path = Path(path)
    if not data or len(data) > MAX_BACKUP_BYTES:
        raise StoreError("Säkerhetskopian är tom eller för stor.")
    backups = Path(backups) if backups is not None else path.parent / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    incoming = path.with_name(f".{path.name}.aterstall-{uuid.uuid4().hex}")
    incoming.write_bytes(data)
    try:
        check_backup(incoming)
        kept = backups / f"fore-aterstallning-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.duckdb"
        current = connect(path)
        try:
            kept.write_bytes(backup_bytes(current))
        finally:
            current.close()
        wal = path.with_name(path.name + ".wal")
        if wal.exists():
            raise StoreError("Databasen används fortfarande av en annan anslutning; stäng den och försök igen.")
        os.replace(incoming, path)
    finally:
        incoming.unlink(missing_ok=True)
    restored = connect(path)
    try:
        _add_baseline_event(
            restored,
            author,
            "återställd",
            f"Återställd från säkerhetskopia; den tidigare databasen sparades som {kept.name}",
            action="Återställningen kunde inte noteras",
        )
    finally:
        restored.close()
    return kept
