-- The store's tables. Rows are only ever inserted (scenarios are renamed and soft-deleted), so
-- foreign keys are safe. Statements are separated by semicolons at line ends; run in order by
-- core.store.db when a database is opened.

CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL);

-- A sequence, not MAX()+1: two concurrent saves then get distinct ids instead of a commit conflict.
CREATE SEQUENCE IF NOT EXISTS budget_version_seq START 1;

CREATE TABLE IF NOT EXISTS budget_version (
        version_id INTEGER PRIMARY KEY DEFAULT nextval('budget_version_seq'),
        created_at TIMESTAMP NOT NULL,
        author VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        opening_equity BIGINT NOT NULL,
        opening_equity_date DATE NOT NULL,
        interest_rate_pct DECIMAL(9,6) CHECK (interest_rate_pct IS NULL OR interest_rate_pct BETWEEN 0 AND 100));

CREATE TABLE IF NOT EXISTS rule_settings (
        version_id INTEGER PRIMARY KEY REFERENCES budget_version (version_id),
        equity_floor BIGINT NOT NULL CHECK (equity_floor >= 0),
        equity_ceiling_pct DECIMAL(7,3) NOT NULL CHECK (equity_ceiling_pct >= 0),
        ceiling_source VARCHAR NOT NULL,
        key_tolerance BIGINT NOT NULL CHECK (key_tolerance >= 0),
        split_tolerance BIGINT NOT NULL CHECK (split_tolerance >= 0));

CREATE TABLE IF NOT EXISTS budget_year (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        year INTEGER NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('utfall', 'prognos', 'plan')),
        PRIMARY KEY (version_id, year));

CREATE TABLE IF NOT EXISTS member (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        position INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('stat', 'region', 'kommun')),
        key DECIMAL(18,6) CHECK (key IS NULL OR key >= 0),
        PRIMARY KEY (version_id, name));

CREATE TABLE IF NOT EXISTS contribution (
        version_id INTEGER NOT NULL,
        member_name VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        amount BIGINT NOT NULL CHECK (amount >= 0),
        PRIMARY KEY (version_id, member_name, year),
        FOREIGN KEY (version_id, member_name) REFERENCES member (version_id, name),
        FOREIGN KEY (version_id, year) REFERENCES budget_year (version_id, year));

CREATE TABLE IF NOT EXISTS revenue_line (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        position INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('ranta', 'ovrig')),
        PRIMARY KEY (version_id, name));

CREATE TABLE IF NOT EXISTS revenue_amount (
        version_id INTEGER NOT NULL,
        line_name VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        amount BIGINT NOT NULL,
        PRIMARY KEY (version_id, line_name, year),
        FOREIGN KEY (version_id, line_name) REFERENCES revenue_line (version_id, name),
        FOREIGN KEY (version_id, year) REFERENCES budget_year (version_id, year));

CREATE TABLE IF NOT EXISTS cost_line (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        position INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        category VARCHAR CHECK (category IS NULL OR category IN
            ('individinriktade insatser', 'strukturövergripande insatser', 'administration', 'ny verksamhet')),
        note VARCHAR,
        locked BOOLEAN NOT NULL,
        index_kind VARCHAR CHECK (index_kind IS NULL OR index_kind IN ('lön', 'pris')),
        PRIMARY KEY (version_id, name));

CREATE TABLE IF NOT EXISTS cost_amount (
        version_id INTEGER NOT NULL,
        line_name VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        amount BIGINT NOT NULL CHECK (amount >= 0),
        PRIMARY KEY (version_id, line_name, year),
        FOREIGN KEY (version_id, line_name) REFERENCES cost_line (version_id, name),
        FOREIGN KEY (version_id, year) REFERENCES budget_year (version_id, year));

CREATE TABLE IF NOT EXISTS equity_use (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        position INTEGER NOT NULL,
        year INTEGER NOT NULL,
        amount BIGINT NOT NULL CHECK (amount > 0),
        decision VARCHAR NOT NULL,
        PRIMARY KEY (version_id, position),
        FOREIGN KEY (version_id, year) REFERENCES budget_year (version_id, year));

-- Saved scenarios. A scenario row is renamed and soft-deleted (UPDATE), so scenario_version has no
-- foreign key to it: DuckDB refuses to update an indexed column of a row another table references.
-- The store keeps the link (a version is only ever inserted for a live scenario, in the same
-- transaction that checked it). name_key is the case-folded name, NULL once deleted, so a deleted
-- scenario's name can be used again while the name itself is kept for a later restore.
CREATE SEQUENCE IF NOT EXISTS scenario_seq START 1;

CREATE TABLE IF NOT EXISTS scenario (
        scenario_id INTEGER PRIMARY KEY DEFAULT nextval('scenario_seq'),
        name VARCHAR NOT NULL CHECK (length(name) BETWEEN 1 AND 120 AND name = trim(name)),
        name_key VARCHAR UNIQUE,
        created_at TIMESTAMP NOT NULL,
        deleted_at TIMESTAMP,
        CHECK ((deleted_at IS NULL) = (name_key IS NOT NULL)));

CREATE TABLE IF NOT EXISTS scenario_version (
        scenario_id INTEGER NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        created_at TIMESTAMP NOT NULL,
        author VARCHAR NOT NULL CHECK (length(author) BETWEEN 1 AND 120 AND author = trim(author)),
        description VARCHAR NOT NULL CHECK (length(description) <= 2000),
        baseline_version_id INTEGER REFERENCES budget_version (version_id),
        toml VARCHAR NOT NULL CHECK (length(toml) > 0),
        PRIMARY KEY (scenario_id, version));

-- Baseline lock, editor credential: append-only like everything else; the current lock state and
-- password are the newest rows.
CREATE SEQUENCE IF NOT EXISTS baseline_event_seq START 1;

CREATE TABLE IF NOT EXISTS baseline_event (
        event_id INTEGER PRIMARY KEY DEFAULT nextval('baseline_event_seq'),
        happened_at TIMESTAMP NOT NULL,
        author VARCHAR NOT NULL CHECK (length(trim(author)) > 0),
        kind VARCHAR NOT NULL CHECK (kind IN ('låst', 'upplåst', 'återställd')),
        reason VARCHAR NOT NULL CHECK (length(trim(reason)) > 0));

CREATE SEQUENCE IF NOT EXISTS editor_credential_seq START 1;

CREATE TABLE IF NOT EXISTS editor_credential (
        credential_id INTEGER PRIMARY KEY DEFAULT nextval('editor_credential_seq'),
        created_at TIMESTAMP NOT NULL,
        author VARCHAR NOT NULL,
        password_hash VARCHAR NOT NULL);

-- Schema 2 (migrations of an older database run here, on open; every statement must be idempotent).

-- Federation kinds (issue 12): how the members finance the federation, activities on lines, cost-sharing keys
-- with weights per member and year, and the planned result. New tables (no ALTER: DuckDB cannot alter a
-- table other tables reference); a version without rows here is financed by fixed contributions, every line
-- in the common activity, and has no keys and no planned result — exactly what a schema-1 version was.
CREATE TABLE IF NOT EXISTS budget_financing (
        version_id INTEGER PRIMARY KEY REFERENCES budget_version (version_id),
        financing VARCHAR NOT NULL CHECK (financing IN ('fasta', 'avgifter')));

CREATE TABLE IF NOT EXISTS line_activity (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        line_kind VARCHAR NOT NULL CHECK (line_kind IN ('kostnad', 'intakt')),
        line_name VARCHAR NOT NULL,
        activity VARCHAR NOT NULL CHECK (length(activity) BETWEEN 1 AND 120),
        PRIMARY KEY (version_id, line_kind, line_name));

CREATE TABLE IF NOT EXISTS cost_key (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        position INTEGER NOT NULL,
        activity VARCHAR,
        name VARCHAR NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        PRIMARY KEY (version_id, position));

CREATE TABLE IF NOT EXISTS key_weight (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        key_position INTEGER NOT NULL,
        member_position INTEGER NOT NULL,
        member_name VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        weight DECIMAL(18,6) NOT NULL CHECK (weight >= 0),
        PRIMARY KEY (version_id, key_position, member_name, year));

CREATE TABLE IF NOT EXISTS planned_result (
        version_id INTEGER NOT NULL REFERENCES budget_version (version_id),
        year INTEGER NOT NULL,
        amount BIGINT NOT NULL,
        PRIMARY KEY (version_id, year));
