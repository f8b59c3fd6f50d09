"""The baseline: budgets kept as append-only versions, each save a complete new version.

Earlier versions stay loadable for history and restore; versions never change once committed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import duckdb
from pydantic import BaseModel, ConfigDict, ValidationError

from core import resources
from core.model.budget import Budget
from core.model.errors import StoreError, validation_messages
from core.store.db import _first_line, _query, _rollback, connect

SEED_PATH = resources.seed_path()
SEED_AUTHOR = "system"
SEED_REASON = "Basbudget från verksamhetsplan 2024"

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
    "budget_financing": ("version_id", "financing"),
    "line_activity": ("version_id", "line_kind", "line_name", "activity"),
    "cost_key": ("version_id", "position", "activity", "name"),
    "key_weight": ("version_id", "key_position", "member_position", "member_name", "year", "weight"),
    "planned_result": ("version_id", "year", "amount"),
}


class BudgetVersionInfo(BaseModel):
    """One saved version, as listed in the history."""

    model_config = ConfigDict(frozen=True)

    version_id: int
    created_at: dt.datetime
    author: str
    reason: str
    name: str


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
    from core.files.budget_file import read_budget_file  # lazy: only an empty database needs it

    return save_budget(con, read_budget_file(SEED_PATH), author=SEED_AUTHOR, reason=SEED_REASON)


# Writing -----------------------------------------------------------------------------------


def save_budget(con: duckdb.DuckDBPyConnection, budget: Budget, *, author: str, reason: str) -> int:
    """Store ``budget`` as a new version in one transaction; on any error nothing is stored."""
    budget = budget.with_key_choices_stored()
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
    rows.update(_financing_rows(budget, v))
    return {table: rows[table] for table in _CHILD_COLUMNS}


def _financing_rows(budget: Budget, v: int) -> dict[str, list[tuple]]:
    """Financing, activities, keys and planned result; nothing for a budget that uses none of them."""
    rows: dict[str, list[tuple]] = defaultdict(list)
    if budget.financing != "fasta":
        rows["budget_financing"] = [(v, budget.financing)]
    for kind, lines in (("kostnad", budget.costs), ("intakt", budget.revenues)):
        rows["line_activity"] += [(v, kind, line.name, line.activity) for line in lines if line.activity]
    member_position = {m.name: pos for pos, m in enumerate(budget.members)}
    for pos, key in enumerate(budget.keys):
        rows["cost_key"].append((v, pos, key.activity, key.name))
        for member, weights in key.weights.items():
            rows["key_weight"] += [
                (v, pos, member_position[member], member, year, _decimal(weight, 6, f"vikten för {member} {year}"))
                for year, weight in weights.items()
            ]
    rows["planned_result"] = [
        (v, year, _kronor(amount, f"planerat resultat {year}"))
        for year, amount in budget.planned_result.items()
        if amount
    ]
    return rows


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
        financing = _load_financing(cur, version_id)

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
    activities = financing.pop("activities")
    for field, kind in (("costs", "kostnad"), ("revenues", "intakt")):
        for line in data[field]:
            line["activity"] = activities.get((kind, line["name"]))
    data.update(financing)
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


def _load_financing(cur: duckdb.DuckDBPyConnection, version_id: int) -> dict:
    """A version's financing, keys, planned result and the activity of each line (by kind and name)."""
    financing = _query(cur, "SELECT financing FROM budget_financing WHERE version_id = ?", [version_id])
    activities = _query(
        cur, "SELECT line_kind, line_name, activity FROM line_activity WHERE version_id = ?", [version_id]
    )
    keys = _query(cur, "SELECT activity, name FROM cost_key WHERE version_id = ? ORDER BY position", [version_id])
    weights = _query(
        cur,
        """SELECT key_position, member_name, year, weight FROM key_weight WHERE version_id = ?
           ORDER BY key_position, member_position, year""",
        [version_id],
    )
    planned = _query(cur, "SELECT year, amount FROM planned_result WHERE version_id = ? ORDER BY year", [version_id])
    by_key: defaultdict[int, dict[str, dict[int, Decimal | None]]] = defaultdict(dict)
    for position, member, year, weight in weights:
        by_key[position].setdefault(member, {})[year] = _plain(weight)
    return {
        "financing": financing[0][0] if financing else "fasta",
        "activities": {(kind, name): activity for kind, name, activity in activities},
        "keys": [{"activity": a, "name": n, "weights": by_key[pos]} for pos, (a, n) in enumerate(keys)],
        "planned_result": dict(planned),
    }


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
