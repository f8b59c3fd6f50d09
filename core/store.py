"""The one place that talks SQL: budgets kept as append-only versions in a DuckDB file.

Every save writes a complete new version, so earlier baselines stay loadable for history and
restore. Each function works on its own cursor and reads results to the end at once: in DuckDB 2.0
results stream, and a new statement on the same connection silently discards an unread result, so
sharing one process-wide connection between threads is only safe with a cursor per unit of work.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import duckdb
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import ScenarioError, StoreError, validation_messages
from core.models import Budget
from core.money import format_number
from core.scenario import (
    Scenario,
    apply_scenario,
    find_problems,
    parse_scenario_toml,
    same_scenario,
    scenario_to_toml,
)

_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB_PATH = _ROOT / "data" / "budget.duckdb"
SEED_PATH = _ROOT / "data" / "seed" / "hoglandets_samordningsforbund_2024.csv"
SCENARIO_DIR = _ROOT / "scenarios"
DB_ENV_VAR = "FORBUNDSBUDGET_DB"
SCHEMA_VERSION = 1
SEED_AUTHOR = "system"
SEED_REASON = "Basbudget från verksamhetsplan 2024"

# Foreign keys are safe here because rows are only ever inserted, never updated or deleted.
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)",
    # A sequence, not MAX()+1: two concurrent saves then get distinct ids instead of a commit conflict.
    "CREATE SEQUENCE IF NOT EXISTS budget_version_seq START 1",
    """CREATE TABLE IF NOT EXISTS budget_version (
        version_id INTEGER PRIMARY KEY DEFAULT nextval('budget_version_seq'),
        created_at TIMESTAMP NOT NULL,
        author VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        opening_equity BIGINT NOT NULL,
        opening_equity_date DATE NOT NULL,
        interest_rate_pct DECIMAL(9,6) CHECK (interest_rate_pct IS NULL OR interest_rate_pct BETWEEN 0 AND 100))""",
    """CREATE TABLE IF NOT EXISTS rule_settings (
        version_id INTEGER PRIMARY KEY REFERENCES budget_version (version_id),
        equity_floor BIGINT NOT NULL CHECK (equity_floor >= 0),
        equity_ceiling_pct DECIMAL(7,3) NOT NULL CHECK (equity_ceiling_pct >= 0),
        ceiling_source VARCHAR NOT NULL,
        key_tolerance BIGINT NOT NULL CHECK (key_tolerance >= 0),
        split_tolerance BIGINT NOT NULL CHECK (split_tolerance >= 0))""",
    """CREATE TABLE IF NOT EXISTS budget_year (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        year INTEGER NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('utfall', 'prognos', 'plan')),
        PRIMARY KEY (version_id, year))""",
    """CREATE TABLE IF NOT EXISTS member (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        position INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('stat', 'region', 'kommun')),
        key DECIMAL(18,6) CHECK (key IS NULL OR key >= 0),
        PRIMARY KEY (version_id, name))""",
    """CREATE TABLE IF NOT EXISTS contribution (
        version_id INTEGER NOT NULL,
        member_name VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        amount BIGINT NOT NULL CHECK (amount >= 0),
        PRIMARY KEY (version_id, member_name, year),
        FOREIGN KEY (version_id, member_name) REFERENCES member (version_id, name),
        FOREIGN KEY (version_id, year) REFERENCES budget_year (version_id, year))""",
    """CREATE TABLE IF NOT EXISTS revenue_line (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        position INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('ranta', 'ovrig')),
        PRIMARY KEY (version_id, name))""",
    """CREATE TABLE IF NOT EXISTS revenue_amount (
        version_id INTEGER NOT NULL,
        line_name VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        amount BIGINT NOT NULL,
        PRIMARY KEY (version_id, line_name, year),
        FOREIGN KEY (version_id, line_name) REFERENCES revenue_line (version_id, name),
        FOREIGN KEY (version_id, year) REFERENCES budget_year (version_id, year))""",
    """CREATE TABLE IF NOT EXISTS cost_line (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        position INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        category VARCHAR CHECK (category IS NULL OR category IN
            ('individinriktade insatser', 'strukturövergripande insatser', 'administration', 'ny verksamhet')),
        note VARCHAR,
        locked BOOLEAN NOT NULL,
        index_kind VARCHAR CHECK (index_kind IS NULL OR index_kind IN ('lön', 'pris')),
        PRIMARY KEY (version_id, name))""",
    """CREATE TABLE IF NOT EXISTS cost_amount (
        version_id INTEGER NOT NULL,
        line_name VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        amount BIGINT NOT NULL CHECK (amount >= 0),
        PRIMARY KEY (version_id, line_name, year),
        FOREIGN KEY (version_id, line_name) REFERENCES cost_line (version_id, name),
        FOREIGN KEY (version_id, year) REFERENCES budget_year (version_id, year))""",
    """CREATE TABLE IF NOT EXISTS equity_use (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        position INTEGER NOT NULL,
        year INTEGER NOT NULL,
        amount BIGINT NOT NULL CHECK (amount > 0),
        decision VARCHAR NOT NULL,
        PRIMARY KEY (version_id, position),
        FOREIGN KEY (version_id, year) REFERENCES budget_year (version_id, year))""",
    # Saved scenarios. A scenario row is renamed and soft-deleted (UPDATE), so scenario_version has no
    # foreign key to it: DuckDB refuses to update an indexed column of a row another table references.
    # The functions below keep the link (a version is only ever inserted for a live scenario, in the
    # same transaction that checked it). name_key is the case-folded name, NULL once deleted, so a
    # deleted scenario's name can be used again while the name itself is kept for a later restore.
    "CREATE SEQUENCE IF NOT EXISTS scenario_seq START 1",
    """CREATE TABLE IF NOT EXISTS scenario (
        scenario_id INTEGER PRIMARY KEY DEFAULT nextval('scenario_seq'),
        name VARCHAR NOT NULL CHECK (length(name) BETWEEN 1 AND 120 AND name = trim(name)),
        name_key VARCHAR UNIQUE,
        created_at TIMESTAMP NOT NULL,
        deleted_at TIMESTAMP,
        CHECK ((deleted_at IS NULL) = (name_key IS NOT NULL)))""",
    """CREATE TABLE IF NOT EXISTS scenario_version (
        scenario_id INTEGER NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at TIMESTAMP NOT NULL,
        author VARCHAR NOT NULL CHECK (length(author) BETWEEN 1 AND 120 AND author = trim(author)),
        description VARCHAR NOT NULL CHECK (length(description) <= 2000),
        baseline_version_id INTEGER REFERENCES budget_version (version_id),
        toml VARCHAR NOT NULL CHECK (length(toml) > 0),
        PRIMARY KEY (scenario_id, version))""",
)

# The tables below budget_version in insert order (parents first), with the columns each row fills.
_CHILD_COLUMNS: dict[str, tuple[str, ...]] = {
    "rule_settings": (
        "version_id",
        "equity_floor",
        "equity_ceiling_pct",
        "ceiling_source",
        "key_tolerance",
        "split_tolerance",
    ),
    "budget_year": ("version_id", "year", "kind"),
    "member": ("version_id", "position", "name", "kind", "key"),
    "contribution": ("version_id", "member_name", "year", "amount"),
    "revenue_line": ("version_id", "position", "name", "kind"),
    "revenue_amount": ("version_id", "line_name", "year", "amount"),
    "cost_line": ("version_id", "position", "name", "category", "note", "locked", "index_kind"),
    "cost_amount": ("version_id", "line_name", "year", "amount"),
    "equity_use": ("version_id", "position", "year", "amount", "decision"),
}


class BudgetVersionInfo(BaseModel):
    """One saved version, as listed in the history."""

    model_config = ConfigDict(frozen=True)

    version_id: int
    created_at: dt.datetime
    author: str
    reason: str
    name: str


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
                for statement in (*_SCHEMA, *_ADMIN_SCHEMA):
                    cur.execute(statement)
                found = cur.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
                if found is None:
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


def open_store(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """The connection the app and the CLI use: opened, with the seed budget in place."""
    con = connect(path)
    try:
        ensure_seeded(con)
    except BaseException:
        con.close()
        raise
    return con


def ensure_seeded(con: duckdb.DuckDBPyConnection) -> int:
    """Store the seed budget if the database has none, so the app always has a baseline; the current id."""
    current = current_version_id(con)
    if current is not None:
        return current
    from core.budget_io import read_budget_file  # lazy: only an empty database needs it

    return save_budget(con, read_budget_file(SEED_PATH), author=SEED_AUTHOR, reason=SEED_REASON)


# Writing -----------------------------------------------------------------------------------


def save_budget(con: duckdb.DuckDBPyConnection, budget: Budget, *, author: str, reason: str) -> int:
    """Store ``budget`` as a new version in one transaction; on any error nothing is stored."""
    with con.cursor() as cur:
        cur.begin()
        try:
            if _locked(cur):
                raise StoreError(
                    "Basbudgeten är låst (beslutad budget). En redaktör kan låsa upp den med ett skäl; "
                    "ingen ny version sparades."
                )
            version_id = cur.execute(
                """INSERT INTO budget_version (created_at, author, reason, name, opening_equity,
                       opening_equity_date, interest_rate_pct)
                   VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING version_id""",
                [
                    dt.datetime.now(),
                    author,
                    reason,
                    budget.name,
                    _kronor(budget.opening_equity, "ingående eget kapital"),
                    budget.opening_equity_date,
                    _decimal(budget.interest_rate_pct, 6, "räntesatsen"),
                ],
            ).fetchall()[0][0]
            for table, rows in _child_rows(budget, version_id).items():
                if rows:
                    # The appender inserts a batch as one statement; executemany runs one per row (~100x slower).
                    with cur.appender(table, columns=list(_CHILD_COLUMNS[table])) as appender:
                        appender.append_rows(rows)
            cur.commit()
        except BaseException as exc:
            _rollback(cur)
            if isinstance(exc, duckdb.Error):
                raise _save_error(exc) from exc
            raise
    return version_id


def _locked(cur: duckdb.DuckDBPyConnection) -> bool:
    rows = cur.execute(
        "SELECT kind FROM baseline_event WHERE kind IN ('låst', 'upplåst') ORDER BY event_id DESC LIMIT 1"
    ).fetchall()
    return bool(rows) and rows[0][0] == "låst"


def _child_rows(budget: Budget, v: int) -> dict[str, list[tuple]]:
    s = budget.settings
    rows: dict[str, list[tuple]] = defaultdict(list)
    rows["rule_settings"] = [
        (
            v,
            _kronor(s.equity_floor, "golvet för eget kapital"),
            _decimal(s.equity_ceiling_pct, 3, "taket för eget kapital"),
            s.ceiling_source,
            _kronor(s.key_tolerance, "toleransen för fördelningsnyckeln"),
            _kronor(s.split_tolerance, "toleransen för fördelningen"),
        )
    ]
    rows["budget_year"] = [(v, y.year, y.kind) for y in budget.years]
    for pos, m in enumerate(budget.members):
        rows["member"].append((v, pos, m.name, m.kind, _decimal(m.key, 6, f"nyckeln för {m.name}")))
        rows["contribution"] += _amount_rows(v, m.name, m.contributions.items())
    for pos, r in enumerate(budget.revenues):
        rows["revenue_line"].append((v, pos, r.name, r.kind))
        rows["revenue_amount"] += _amount_rows(v, r.name, r.amounts.items())
    for pos, c in enumerate(budget.costs):
        rows["cost_line"].append((v, pos, c.name, c.category, c.note, c.locked, c.index))
        rows["cost_amount"] += _amount_rows(v, c.name, c.amounts.items())
    rows["equity_use"] = [
        (v, pos, u.year, _kronor(u.amount, f"beslutet om eget kapital {u.year}"), u.decision)
        for pos, u in enumerate(budget.equity_uses)
    ]
    return {table: rows[table] for table in _CHILD_COLUMNS}


def _amount_rows(v: int, name: str, amounts: Iterable[tuple[int, int]]) -> list[tuple]:
    return [(v, name, year, _kronor(amount, f"beloppet för {name} {year}")) for year, amount in amounts]


def _kronor(value: object, label: str) -> object:
    """Refuse non-integers: DuckDB would silently round a float into a BIGINT column."""
    if type(value) is not int:
        raise StoreError(f"Budgeten sparades inte: {label} är {value!r}, inte hela kronor.")
    return value


def _decimal(value: Decimal | None, places: int, label: str) -> Decimal | None:
    """Refuse values a DECIMAL column would round, so what is loaded is exactly what was saved."""
    if value is not None and value != round(value, places):
        raise StoreError(f"Budgeten sparades inte: {label} {value} har fler än {places} decimaler.")
    return value


def _save_error(exc: duckdb.Error) -> StoreError:
    if isinstance(exc, duckdb.TransactionException):
        return StoreError(
            f"Budgeten kunde inte sparas eftersom databasen ändrades samtidigt ({_first_line(exc)}). "
            "Inget sparades; försök igen."
        )
    if isinstance(exc, duckdb.ConstraintException):
        return StoreError(f"Budgeten bryter mot databasens regler och sparades inte: {_first_line(exc)}")
    return StoreError(f"Budgeten kunde inte sparas: {_first_line(exc)}")


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    # After a failed COMMIT DuckDB has already ended the transaction, and rollback() would raise.
    with suppress(duckdb.Error):
        cur.rollback()


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


# Reading -----------------------------------------------------------------------------------

_AMOUNT_SQL = {
    "contribution": "SELECT member_name, year, amount FROM contribution WHERE version_id = ? ORDER BY year",
    "revenue_amount": "SELECT line_name, year, amount FROM revenue_amount WHERE version_id = ? ORDER BY year",
    "cost_amount": "SELECT line_name, year, amount FROM cost_amount WHERE version_id = ? ORDER BY year",
}


def current_version_id(con: duckdb.DuckDBPyConnection) -> int | None:
    """The newest version, or None for an empty database."""
    with con.cursor() as cur:
        return _query(cur, "SELECT max(version_id) FROM budget_version")[0][0]


def list_versions(con: duckdb.DuckDBPyConnection) -> list[BudgetVersionInfo]:
    """All saved versions, newest first."""
    with con.cursor() as cur:
        rows = _query(
            cur,
            "SELECT version_id, created_at, author, reason, name FROM budget_version ORDER BY version_id DESC",
        )
    fields = ("version_id", "created_at", "author", "reason", "name")
    return [BudgetVersionInfo(**dict(zip(fields, row, strict=True))) for row in rows]


def load_budget(con: duckdb.DuckDBPyConnection, version_id: int | None = None) -> Budget:
    """The newest version, or ``version_id``. Versions never change once committed, so separate reads agree."""
    with con.cursor() as cur:
        if version_id is None:
            version_id = _query(cur, "SELECT max(version_id) FROM budget_version")[0][0]
            if version_id is None:
                raise StoreError("Databasen innehåller ingen sparad budget ännu.")
        head = _query(
            cur,
            """SELECT name, opening_equity, opening_equity_date, interest_rate_pct
               FROM budget_version WHERE version_id = ?""",
            [version_id],
        )
        if not head:
            raise StoreError(f"Budgetversion {version_id} finns inte.")
        name, opening_equity, opening_equity_date, interest_rate_pct = head[0]
        settings = _query(
            cur,
            """SELECT equity_floor, equity_ceiling_pct, ceiling_source, key_tolerance, split_tolerance
               FROM rule_settings WHERE version_id = ?""",
            [version_id],
        )
        years = _query(cur, "SELECT year, kind FROM budget_year WHERE version_id = ? ORDER BY year", [version_id])
        members = _query(cur, "SELECT name, kind, key FROM member WHERE version_id = ? ORDER BY position", [version_id])
        revenues = _query(
            cur, "SELECT name, kind FROM revenue_line WHERE version_id = ? ORDER BY position", [version_id]
        )
        costs = _query(
            cur,
            "SELECT name, category, note, locked, index_kind FROM cost_line WHERE version_id = ? ORDER BY position",
            [version_id],
        )
        uses = _query(
            cur, "SELECT year, amount, decision FROM equity_use WHERE version_id = ? ORDER BY position", [version_id]
        )
        amounts = {table: _amounts(_query(cur, sql, [version_id])) for table, sql in _AMOUNT_SQL.items()}

    data = {
        "name": name,
        "years": [{"year": year, "kind": kind} for year, kind in years],
        "opening_equity": opening_equity,
        "opening_equity_date": opening_equity_date,
        "interest_rate_pct": _plain(interest_rate_pct),
        "members": [
            {"name": n, "kind": k, "key": _plain(key), "contributions": amounts["contribution"][n]}
            for n, k, key in members
        ],
        "revenues": [{"name": n, "kind": k, "amounts": amounts["revenue_amount"][n]} for n, k in revenues],
        "costs": [
            {
                "name": n,
                "category": cat,
                "note": note,
                "locked": locked,
                "index": index_kind,
                "amounts": amounts["cost_amount"][n],
            }
            for n, cat, note, locked, index_kind in costs
        ],
        "equity_uses": [{"year": y, "amount": a, "decision": d} for y, a, d in uses],
    }
    if settings:
        floor, ceiling_pct, source, key_tolerance, split_tolerance = settings[0]
        data["settings"] = {
            "equity_floor": floor,
            "equity_ceiling_pct": _plain(ceiling_pct),
            "ceiling_source": source,
            "key_tolerance": key_tolerance,
            "split_tolerance": split_tolerance,
        }
    try:
        return Budget.model_validate(data)
    except ValidationError as exc:
        raise StoreError(validation_messages(exc, f"budgetversion {version_id}")) from exc


def _query(cur: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Run one statement and read it to the end, so no streaming result is left holding the cursor."""
    try:
        return cur.execute(sql, params).fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"Databasen kunde inte läsas: {_first_line(exc)}") from exc


def _amounts(rows: list[tuple]) -> defaultdict[str, dict[int, int]]:
    by_name: defaultdict[str, dict[int, int]] = defaultdict(dict)
    for name, year, amount in rows:
        by_name[name][year] = amount
    return by_name


def _plain(value: Decimal | None) -> Decimal | None:
    """Drop the column's trailing zeros (20.000 → 20) without switching to exponent notation."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


# Saved scenarios -----------------------------------------------------------------------------
#
# A scenario is a name with versions. Each version keeps the canonical TOML text of the scenario
# (scenario_to_toml), so what is loaded is parsed by the same code as a file from scenarios/.
# Saving under a name that exists (case-insensitively) adds a version; nothing saved is ever
# overwritten, and deleting only hides a scenario (deleted_at), so a later version can restore it.

NAME_MAX_CHARS = 120
DESCRIPTION_MAX_CHARS = 2000
MAX_SCENARIO_FILE_BYTES = 100_000  # 100 kB: a scenario file is a few hundred bytes
_WRITE_ATTEMPTS = 5
ASK_AUTHOR = "ange vem som sparar (författare)"
# DuckDB lets one process at a time write a database file, so every concurrent writer is a thread
# here: scenario writes take turns, and the next version number is never read by two at once.
_SCENARIO_WRITES = threading.Lock()

T = TypeVar("T")


class SavedScenarioRef(BaseModel):
    """Where a write put a scenario: its id, its (current) name and the version written."""

    model_config = ConfigDict(frozen=True)

    scenario_id: int
    name: str
    version: int


class ScenarioVersionInfo(BaseModel):
    """One saved version of a scenario, as listed in its history."""

    model_config = ConfigDict(frozen=True)

    scenario_id: int
    version: int
    created_at: dt.datetime
    author: str
    description: str
    baseline_version_id: int | None


class SavedScenarioInfo(BaseModel):
    """A saved scenario as the list shows it: its latest version and how many versions it has."""

    model_config = ConfigDict(frozen=True)

    scenario_id: int
    name: str
    created_at: dt.datetime
    latest: ScenarioVersionInfo
    version_count: int


class ScenarioFile(BaseModel):
    """A scenario file in ``scenarios/``: its scenario, or the Swedish reason it cannot be used."""

    model_config = ConfigDict(frozen=True)

    file_name: str
    text: str
    scenario: Scenario | None
    error: str | None = None


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

    Scenario writes take turns (:data:`_SCENARIO_WRITES`), so two sessions saving under one name
    get versions n and n + 1. Should a write still meet a conflict (DuckDB checks optimistically
    and fails the second commit), it is retried: the retry reads again and finds the other row.
    """
    for attempt in range(_WRITE_ATTEMPTS):
        with _SCENARIO_WRITES, con.cursor() as cur:
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


def _live_scenario(cur: duckdb.DuckDBPyConnection, scenario_id: int, action: str) -> tuple[str, int]:
    """The name and latest version of a scenario that exists and is not deleted."""
    rows = _fetch(
        cur,
        """SELECT s.name, s.deleted_at, max(v.version) FROM scenario s
           LEFT JOIN scenario_version v USING (scenario_id) WHERE s.scenario_id = ?
           GROUP BY s.name, s.deleted_at""",
        [scenario_id],
    )
    if not rows or rows[0][2] is None:
        raise StoreError(f"{action}: scenariot finns inte.")
    name, deleted_at, latest = rows[0]
    if deleted_at is not None:
        raise StoreError(f"{action}: scenariot {name!r} är borttaget.")
    return name, latest


def _scenario_by_name(cur: duckdb.DuckDBPyConnection, name: str) -> tuple[int, str] | None:
    rows = _fetch(cur, "SELECT scenario_id, name FROM scenario WHERE name_key = ?", [_name_key(name)])
    return (rows[0][0], rows[0][1]) if rows else None


def _insert_version(
    cur: duckdb.DuckDBPyConnection,
    scenario: Scenario,
    *,
    author: str,
    new_only: bool,
    baseline_version_id: int | None,
    action: str,
) -> SavedScenarioRef:
    """Add ``scenario`` as the next version under its name (creating the scenario if needed)."""
    now = dt.datetime.now()
    found = _scenario_by_name(cur, scenario.name)
    if found is not None and new_only:
        raise StoreError(f"{action}: det finns redan ett scenario som heter {found[1]!r}. Välj ett annat namn.")
    if found is None:
        scenario_id = _fetch(
            cur,
            "INSERT INTO scenario (name, name_key, created_at) VALUES (?, ?, ?) RETURNING scenario_id",
            [scenario.name, _name_key(scenario.name), now],
        )[0][0]
        name = scenario.name
    else:
        scenario_id, name = found
    if baseline_version_id is None:
        baseline_version_id = _fetch(cur, "SELECT max(version_id) FROM budget_version")[0][0]
    elif not _fetch(cur, "SELECT 1 FROM budget_version WHERE version_id = ?", [baseline_version_id]):
        raise StoreError(f"{action}: budgetversion {baseline_version_id} finns inte.")
    version = _fetch(
        cur, "SELECT coalesce(max(version), 0) + 1 FROM scenario_version WHERE scenario_id = ?", [scenario_id]
    )[0][0]
    stored = scenario.model_copy(update={"name": name})
    _fetch(
        cur,
        """INSERT INTO scenario_version (scenario_id, version, created_at, author, description,
               baseline_version_id, toml) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [scenario_id, version, now, author, stored.description, baseline_version_id, _canonical_toml(stored, action)],
    )
    return SavedScenarioRef(scenario_id=scenario_id, name=name, version=version)


def _canonical_toml(scenario: Scenario, action: str) -> str:
    """The text stored for a version; refused unless it parses back to exactly the same scenario."""
    text = scenario_to_toml(scenario)
    try:
        same = same_scenario(parse_scenario_toml(text), scenario)
    except ScenarioError:
        same = False
    if not same:
        raise StoreError(f"{action}: scenariot kan inte skrivas som TOML utan att ändras.")
    return text


def save_scenario(
    con: duckdb.DuckDBPyConnection,
    scenario: Scenario,
    *,
    author: str,
    description: str | None = None,
    baseline_version_id: int | None = None,
    new_only: bool = False,
) -> SavedScenarioRef:
    """Save ``scenario`` under its name: a new scenario, or the next version of the one with that name.

    Names compare case-insensitively; the first spelling stays the scenario's name. ``description``
    (when given) replaces the scenario's own; ``baseline_version_id`` defaults to the current
    baseline. ``new_only`` refuses a name that exists (for copies). One transaction: on any error
    nothing is stored.
    """
    action = "Scenariot sparades inte"
    name = _clean_text(scenario.name, "namnet", action=action, missing="ange ett namn")
    author = _clean_text(author, "författaren", action=action, missing=ASK_AUTHOR)
    text = scenario.description if description is None else description
    text = _clean_text(text, "beskrivningen", action=action, limit=DESCRIPTION_MAX_CHARS)
    prepared = scenario.model_copy(update={"name": name, "description": text})
    if prepared.contributions is not None and not (prepared.contributions.percent or prepared.contributions.delta):
        prepared = prepared.model_copy(update={"contributions": None})  # the file format has no empty table
    return _write(
        con,
        lambda cur: _insert_version(
            cur, prepared, author=author, new_only=new_only, baseline_version_id=baseline_version_id, action=action
        ),
        action=action,
    )


def _version_info(row: tuple) -> ScenarioVersionInfo:
    fields = ("scenario_id", "version", "created_at", "author", "description", "baseline_version_id")
    return ScenarioVersionInfo(**dict(zip(fields, row, strict=True)))


_VERSION_COLUMNS = "v.scenario_id, v.version, v.created_at, v.author, v.description, v.baseline_version_id"


def list_scenarios(con: duckdb.DuckDBPyConnection) -> list[SavedScenarioInfo]:
    """Every saved scenario that is not deleted, by name, with its latest version and version count."""
    with _reading(con) as cur:
        rows = _fetch(
            cur,
            f"""SELECT s.name, s.name_key, s.created_at, c.version_count, {_VERSION_COLUMNS}
                FROM scenario s
                JOIN (SELECT scenario_id, max(version) AS latest, count(*) AS version_count
                      FROM scenario_version GROUP BY scenario_id) c USING (scenario_id)
                JOIN scenario_version v ON v.scenario_id = s.scenario_id AND v.version = c.latest
                WHERE s.deleted_at IS NULL""",
        )
    found = []
    for name, key, created_at, count, *version in rows:
        latest = _version_info(tuple(version))
        info = SavedScenarioInfo(
            scenario_id=latest.scenario_id, name=name, created_at=created_at, latest=latest, version_count=count
        )
        found.append((key, info))
    return [info for _, info in sorted(found, key=lambda item: (item[0], item[1].scenario_id))]


def list_scenario_versions(con: duckdb.DuckDBPyConnection, scenario_id: int) -> list[ScenarioVersionInfo]:
    """All versions of a scenario, newest first."""
    with _reading(con) as cur:
        _live_scenario(cur, scenario_id, "Versionerna kan inte visas")
        rows = _fetch(
            cur,
            f"SELECT {_VERSION_COLUMNS} FROM scenario_version v WHERE v.scenario_id = ? ORDER BY v.version DESC",
            [scenario_id],
        )
    return [_version_info(row) for row in rows]


def load_scenario(con: duckdb.DuckDBPyConnection, scenario_id: int, version: int | None = None) -> Scenario:
    """The latest version of a saved scenario, or ``version``; its name is the scenario's current name."""
    action = "Scenariot kan inte läsas in"
    with _reading(con) as cur:
        name, latest = _live_scenario(cur, scenario_id, action)
        wanted = latest if version is None else version
        rows = _fetch(
            cur, "SELECT toml FROM scenario_version WHERE scenario_id = ? AND version = ?", [scenario_id, wanted]
        )
    if not rows:
        raise StoreError(f"{action}: {name!r} har ingen version {wanted}.")
    try:
        scenario = parse_scenario_toml(rows[0][0], f"{name} version {wanted}")
    except ScenarioError as exc:
        raise StoreError(exc.messages) from exc
    return scenario.model_copy(update={"name": name})


def scenario_file_text(con: duckdb.DuckDBPyConnection, scenario_id: int, version: int | None = None) -> str:
    """The TOML file for a saved scenario (as in ``scenarios/``), under its current name."""
    return scenario_to_toml(load_scenario(con, scenario_id, version))


def rename_scenario(con: duckdb.DuckDBPyConnection, scenario_id: int, new_name: str) -> SavedScenarioRef:
    """Give a scenario a new name (all its versions follow); refused if another scenario has that name."""
    action = "Namnet ändrades inte"
    name = _clean_text(new_name, "det nya namnet", action=action, missing="ange ett nytt namn")

    def work(cur: duckdb.DuckDBPyConnection) -> SavedScenarioRef:
        _, latest = _live_scenario(cur, scenario_id, action)
        other = _scenario_by_name(cur, name)
        if other is not None and other[0] != scenario_id:
            raise StoreError(f"{action}: det finns redan ett scenario som heter {other[1]!r}.")
        _fetch(
            cur,
            "UPDATE scenario SET name = ?, name_key = ? WHERE scenario_id = ?",
            [name, _name_key(name), scenario_id],
        )
        return SavedScenarioRef(scenario_id=scenario_id, name=name, version=latest)

    return _write(con, work, action=action)


def duplicate_scenario(
    con: duckdb.DuckDBPyConnection,
    scenario_id: int,
    new_name: str,
    *,
    author: str,
    version: int | None = None,
) -> SavedScenarioRef:
    """A new scenario named ``new_name`` whose version 1 is a copy of ``version`` (default: the latest)."""
    action = "Kopian sparades inte"
    name = _clean_text(new_name, "namnet på kopian", action=action, missing="ange ett namn på kopian")
    author = _clean_text(author, "författaren", action=action, missing=ASK_AUTHOR)
    source = load_scenario(con, scenario_id, version)
    copy = source.model_copy(update={"name": name})

    def work(cur: duckdb.DuckDBPyConnection) -> SavedScenarioRef:
        _live_scenario(cur, scenario_id, action)  # not deleted meanwhile
        return _insert_version(cur, copy, author=author, new_only=True, baseline_version_id=None, action=action)

    return _write(con, work, action=action)


def delete_scenario(con: duckdb.DuckDBPyConnection, scenario_id: int) -> None:
    """Hide a scenario from the lists (soft delete): every version stays stored, and its name is free again."""
    action = "Scenariot togs inte bort"

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        _live_scenario(cur, scenario_id, action)
        _fetch(
            cur,
            "UPDATE scenario SET deleted_at = ?, name_key = NULL WHERE scenario_id = ?",
            [dt.datetime.now(), scenario_id],
        )

    _write(con, work, action=action)


# Scenario files ------------------------------------------------------------------------------


def read_scenario_upload(data: bytes, file_name: str, budget: Budget) -> Scenario:
    """An uploaded scenario file, checked against ``budget``; a :class:`ScenarioError` naming every problem.

    Refused: more than 100 kB, not UTF-8, not TOML, not a scenario, or anything that does not fit
    the baseline (an unknown line, a year outside the plan, a cost that would turn negative).
    """
    if len(data) > MAX_SCENARIO_FILE_BYTES:
        raise ScenarioError(
            f"{file_name}: filen är för stor ({format_number(len(data))} byte; en scenariofil får vara högst "
            f"{format_number(MAX_SCENARIO_FILE_BYTES)} byte)."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError(f"{file_name}: filen är inte text i UTF-8 (är det verkligen en TOML-fil?).") from None
    if not text.strip():
        raise ScenarioError(f"{file_name}: filen är tom.")
    scenario = parse_scenario_toml(text, file_name)
    problems = find_problems(budget, scenario)
    if problems:
        raise ScenarioError([p.describe(file_name) for p in problems])
    apply_scenario(budget, scenario, source=file_name)  # e.g. a change that makes a cost negative
    return scenario


def import_scenario_file(
    con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, budget: Budget, *, author: str
) -> SavedScenarioRef:
    """Check an uploaded file (:func:`read_scenario_upload`) and save it like :func:`save_scenario`."""
    scenario = read_scenario_upload(data, file_name, budget)
    return save_scenario(con, scenario, author=author)


def list_scenario_files(directory: Path | str = SCENARIO_DIR) -> list[ScenarioFile]:
    """The ``*.toml`` files in ``directory`` by file name, each parsed (or with the reason it cannot be)."""
    found = []
    for path in sorted(Path(directory).glob("*.toml")):
        try:
            data = path.read_bytes()
        except OSError as exc:
            found.append(ScenarioFile(file_name=path.name, text="", scenario=None, error=f"{path.name}: {exc}"))
            continue
        text = data.decode("utf-8", errors="replace")
        try:
            if len(data) > MAX_SCENARIO_FILE_BYTES:
                raise ScenarioError(f"{path.name}: filen är för stor.")
            scenario = parse_scenario_toml(data.decode("utf-8-sig"), path.name)
        except (ScenarioError, UnicodeDecodeError) as exc:
            message = str(exc) if isinstance(exc, ScenarioError) else f"{path.name}: filen är inte UTF-8-text."
            found.append(ScenarioFile(file_name=path.name, text=text, scenario=None, error=message))
        else:
            found.append(ScenarioFile(file_name=path.name, text=text, scenario=scenario))
    return found


# Baseline lock, editor credential, backup and restore --------------------------------------------
# Append-only like everything else: the current lock state and password are the newest rows.
_ADMIN_SCHEMA = (
    "CREATE SEQUENCE IF NOT EXISTS baseline_event_seq START 1",
    """CREATE TABLE IF NOT EXISTS baseline_event (
        event_id INTEGER PRIMARY KEY DEFAULT nextval('baseline_event_seq'),
        happened_at TIMESTAMP NOT NULL,
        author VARCHAR NOT NULL CHECK (length(trim(author)) > 0),
        kind VARCHAR NOT NULL CHECK (kind IN ('låst', 'upplåst', 'återställd')),
        reason VARCHAR NOT NULL CHECK (length(trim(reason)) > 0))""",
    "CREATE SEQUENCE IF NOT EXISTS editor_credential_seq START 1",
    """CREATE TABLE IF NOT EXISTS editor_credential (
        credential_id INTEGER PRIMARY KEY DEFAULT nextval('editor_credential_seq'),
        created_at TIMESTAMP NOT NULL,
        author VARCHAR NOT NULL,
        password_hash VARCHAR NOT NULL)""",
)
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
    from core.auth import PasswordHash

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
