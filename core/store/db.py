"""Opening the DuckDB file and running work in transactions: the store's foundation.

Each function works on its own cursor and reads results to the end at once: in DuckDB 2.0 results
stream, and a new statement on the same connection silently discards an unread result, so sharing one
process-wide connection between threads is only safe with a cursor per unit of work. The tables are in
``schema.sql`` beside this file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

import duckdb

from core.model.errors import StoreError
from core.model.money import format_number

_CHECKOUT = Path(__file__).resolve().parents[2]
# In a source checkout the database lives in its data/ folder, as always; an installed package uses ./data.
DEFAULT_DB_PATH = (_CHECKOUT if (_CHECKOUT / "pyproject.toml").is_file() else Path.cwd()) / "data" / "budget.duckdb"
DB_ENV_VAR = "FORBUNDSBUDGET_DB"
# 1: baselines, scenarios, lock, password. 2: the statements added after them in schema.sql (each
# idempotent: CREATE … IF NOT EXISTS, ALTER TABLE … ADD COLUMN IF NOT EXISTS), so opening an older
# database migrates it in the same transaction, and the version row records that it was.
SCHEMA_VERSION = 2
NAME_MAX_CHARS = 120
_WRITE_ATTEMPTS = 5
# DuckDB lets one process at a time write a database file, so every concurrent writer is a thread
# here: writes take turns, and the next version number is never read by two at once.
_WRITES = threading.Lock()

T = TypeVar("T")


def schema_statements() -> list[str]:
    """The statements of ``schema.sql``, in order."""
    text = files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";")]


# Opening -----------------------------------------------------------------------------------


def db_path_from_env() -> Path:
    """The database file: ``FORBUNDSBUDGET_DB`` if set, so tests and installations can point elsewhere."""
    value = os.environ.get(DB_ENV_VAR, "").strip()
    return Path(value).expanduser() if value else DEFAULT_DB_PATH


def connect(path: Path | str | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database (creating folder and tables unless read-only); failures become a :class:`StoreError`."""
    path = Path(path) if path is not None else db_path_from_env()
    in_memory = str(path) == ":memory:"
    if not read_only and not in_memory:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Mappen {path.parent} för databasen kunde inte skapas: {exc.strerror}.") from exc
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise _open_error(path, exc) from exc
    try:
        _prepare_schema(con, path, read_only=read_only)
    except BaseException:
        con.close()
        raise
    return con


def _open_error(path: Path, exc: duckdb.Error) -> StoreError:
    text = str(exc)
    if "could not set lock" in text.lower():
        pid = re.search(r"PID (\d+)", text)
        holder = f" (process {pid.group(1)})" if pid else ""
        return StoreError(
            f"Databasen {path} är låst av ett annat program{holder}. Stäng det andra programmet eller fönstret "
            "som använder budgeten och försök igen."
        )
    if "not a valid DuckDB database" in text:
        return StoreError(f"Filen {path} är ingen budgetdatabas: den är skadad eller en annan sorts fil.")
    if "does not exist" in text:
        return StoreError(f"Databasen {path} finns inte.")
    return StoreError(f"Databasen {path} kunde inte öppnas: {_first_line(exc)}")


def _prepare_schema(con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
    """Create the tables if missing and refuse a database written by a newer version of the program."""
    with con.cursor() as cur:
        if read_only:
            try:
                found = cur.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
            except duckdb.CatalogException as exc:
                raise StoreError(f"Databasen {path} innehåller inga budgettabeller.") from exc
        else:
            cur.begin()
            try:
                for statement in schema_statements():
                    cur.execute(statement)
                found = cur.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
                if found is None or found < SCHEMA_VERSION:
                    cur.execute("INSERT INTO schema_version VALUES (?, ?)", [SCHEMA_VERSION, dt.datetime.now()])
                    found = SCHEMA_VERSION
                cur.commit()
            except BaseException as exc:
                _rollback(cur)
                if isinstance(exc, duckdb.Error):
                    raise StoreError(f"Databasen {path} kunde inte förberedas: {_first_line(exc)}") from exc
                raise
    if found is None:
        raise StoreError(f"Databasen {path} innehåller inga budgettabeller.")
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"Databasen {path} har schemaversion {found}, men programmet känner bara till version "
            f"{SCHEMA_VERSION}. Uppdatera programmet."
        )


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    # After a failed COMMIT DuckDB has already ended the transaction, and rollback() would raise.
    with suppress(duckdb.Error):
        cur.rollback()


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _clean_text(
    value: object, label: str, *, action: str, missing: str | None = None, limit: int = NAME_MAX_CHARS
) -> str:
    """Stripped text within ``limit`` characters, or a :class:`StoreError` in Swedish.

    ``missing`` is what to ask for when the text is empty (``"ange ett namn"``); None allows empty text.
    """
    text = value.strip() if isinstance(value, str) else ""
    if missing is not None and not text:
        raise StoreError(f"{action}: {missing}.")
    if len(text) > limit:
        raise StoreError(
            f"{action}: {label} har {format_number(len(text))} tecken, men högst {format_number(limit)} får användas."
        )
    return text


def _fetch(cur: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """One statement, read to the end; DuckDB's own errors pass through so :func:`_write` can retry conflicts."""
    return cur.execute(sql, params).fetchall()


@contextmanager
def _reading(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor for reads; database errors become a :class:`StoreError`."""
    with con.cursor() as cur:
        try:
            yield cur
        except duckdb.Error as exc:
            raise StoreError(f"Databasen kunde inte läsas: {_first_line(exc)}") from exc


def _name_key(name: str) -> str:
    return name.casefold()


def _write(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], T], *, action: str) -> T:
    """Run ``work`` in one transaction on its own cursor; retry when another session wrote at the same time.

    Writes take turns (:data:`_WRITES`), so two sessions saving under one name get versions
    n and n + 1. Should a write still meet a conflict (DuckDB checks optimistically
    and fails the second commit), it is retried: the retry reads again and finds the other row.
    """
    for attempt in range(_WRITE_ATTEMPTS):
        with _WRITES, con.cursor() as cur:
            cur.begin()
            try:
                result = work(cur)
                cur.commit()
                return result
            except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
                _rollback(cur)
                if attempt == _WRITE_ATTEMPTS - 1:
                    raise StoreError(
                        f"{action}: databasen ändrades samtidigt av någon annan ({_first_line(exc)}). "
                        "Inget sparades; försök igen."
                    ) from exc
            except BaseException as exc:
                _rollback(cur)
                if isinstance(exc, duckdb.Error):
                    raise StoreError(f"{action}: {_first_line(exc)}") from exc
                raise
        time.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _query(cur: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Run one statement and read it to the end, so no streaming result is left holding the cursor."""
    try:
        return cur.execute(sql, params).fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"Databasen kunde inte läsas: {_first_line(exc)}") from exc
