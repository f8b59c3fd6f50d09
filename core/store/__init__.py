"""The store: the one place that talks SQL. Each federation's budget lives in one DuckDB file.

- ``schema.sql``: the tables; ``db``: opening the file and running work in transactions.
- ``baselines``: the baseline as append-only versions.
- ``scenarios``: saved scenarios with versions.
- ``admin``: the baseline lock, the editor password, backup and restore.
- ``password``: the editor password's salted scrypt hash (no SQL).

Callers use the names re-exported here (``from core import store; store.load_budget(con)``).
"""

from core.files.scenario_file import ScenarioFile, list_scenario_files, read_scenario_upload
from core.store.admin import (
    MAX_BACKUP_BYTES,
    BaselineEvent,
    LockState,
    backup_bytes,
    baseline_lock,
    check_backup,
    get_editor_password,
    list_lock_events,
    restore_database,
    set_baseline_lock,
    set_editor_password,
    write_backup,
)
from core.store.baselines import (
    SEED_AUTHOR,
    SEED_PATH,
    SEED_REASON,
    BudgetVersionInfo,
    current_version_id,
    ensure_seeded,
    list_versions,
    load_budget,
    open_store,
    save_budget,
)
from core.store.db import DB_ENV_VAR, DEFAULT_DB_PATH, NAME_MAX_CHARS, SCHEMA_VERSION, connect, db_path_from_env
from core.store.scenarios import (
    ASK_AUTHOR,
    DESCRIPTION_MAX_CHARS,
    SavedScenarioInfo,
    SavedScenarioRef,
    ScenarioVersionInfo,
    delete_scenario,
    duplicate_scenario,
    import_scenario_file,
    list_scenario_versions,
    list_scenarios,
    load_scenario,
    rename_scenario,
    save_scenario,
    scenario_file_text,
)

__all__ = [
    "ASK_AUTHOR",
    "DB_ENV_VAR",
    "DEFAULT_DB_PATH",
    "DESCRIPTION_MAX_CHARS",
    "MAX_BACKUP_BYTES",
    "NAME_MAX_CHARS",
    "SCHEMA_VERSION",
    "SEED_AUTHOR",
    "SEED_PATH",
    "SEED_REASON",
    "BaselineEvent",
    "BudgetVersionInfo",
    "LockState",
    "SavedScenarioInfo",
    "SavedScenarioRef",
    "ScenarioFile",
    "ScenarioVersionInfo",
    "backup_bytes",
    "baseline_lock",
    "check_backup",
    "connect",
    "current_version_id",
    "db_path_from_env",
    "delete_scenario",
    "duplicate_scenario",
    "ensure_seeded",
    "get_editor_password",
    "import_scenario_file",
    "list_lock_events",
    "list_scenario_files",
    "list_scenario_versions",
    "list_scenarios",
    "list_versions",
    "load_budget",
    "load_scenario",
    "open_store",
    "read_scenario_upload",
    "rename_scenario",
    "restore_database",
    "save_budget",
    "save_scenario",
    "scenario_file_text",
    "set_baseline_lock",
    "set_editor_password",
    "write_backup",
]
