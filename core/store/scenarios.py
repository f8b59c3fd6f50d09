"""Saved scenarios: a scenario is a name with versions.

Each version keeps the canonical TOML text of the scenario (scenario_to_toml), so what is loaded is
parsed by the same code as a scenario file. Saving under a name that exists (case-insensitively) adds a
version; nothing saved is ever overwritten, and deleting only hides a scenario (deleted_at), so a later
version can restore it.
"""

from __future__ import annotations

import datetime as dt

import duckdb
from pydantic import BaseModel, ConfigDict

from core.engine.scenario import Scenario, parse_scenario_toml, same_scenario, scenario_to_toml
from core.files.scenario_file import read_scenario_upload
from core.model.budget import Budget
from core.model.errors import ScenarioError, StoreError
from core.store.db import _clean_text, _fetch, _name_key, _reading, _write

DESCRIPTION_MAX_CHARS = 2000
ASK_AUTHOR = "ange vem som sparar (författare)"


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
    """The TOML file for a saved scenario (as in ``core/resources/scenarios/``), under its current name."""
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


def import_scenario_file(
    con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, budget: Budget, *, author: str
) -> SavedScenarioRef:
    """Check an uploaded file (:func:`read_scenario_upload`) and save it like :func:`save_scenario`."""
    scenario = read_scenario_upload(data, file_name, budget)
    return save_scenario(con, scenario, author=author)
