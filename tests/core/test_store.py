"""The store keeps every saved budget as a version and gives back exactly what was saved."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import store
from core.model.budget import (
    CATEGORIES,
    MEMBER_KINDS,
    Budget,
    BudgetYear,
    CostLine,
    EquityUse,
    Member,
    RevenueLine,
    RuleSettings,
)
from core.model.errors import StoreError

TABLES = (
    "budget_version",
    "rule_settings",
    "budget_year",
    "member",
    "contribution",
    "revenue_line",
    "revenue_amount",
    "cost_line",
    "cost_amount",
    "equity_use",
)


def make_budget(name: str = "Testförbundet", *, cost_lines: int = 3, plan_years: int = 3) -> Budget:
    years = [BudgetYear(year=2023, kind="prognos")]
    years += [BudgetYear(year=2024 + i, kind="plan") for i in range(plan_years)]
    numbers = [y.year for y in years]
    return Budget(
        name=name,
        years=years,
        opening_equity=1_215_582,
        members=[
            Member(
                name="Aneby kommun", kind="kommun", key=Decimal("6.25"), contributions=dict.fromkeys(numbers, 119465)
            ),
            Member(name="Eksjö kommun", kind="kommun", contributions={2024: 312845}),
            Member(name="Region Jönköpings län", kind="region", contributions=dict.fromkeys(numbers, 2_009_000)),
            Member(name="Försäkringskassan och Arbetsförmedlingen", kind="stat", contributions={2023: 4_018_000}),
        ],
        revenues=[
            RevenueLine(name="Ränta", kind="ranta", amounts={2023: 100_000, 2024: 50_000}),
            RevenueLine(name="Övriga intäkter", amounts={2023: -68}),
        ],
        costs=[
            CostLine(
                name=f"Insats {i}",
                category=CATEGORIES[i % len(CATEGORIES)] if i % 5 else None,
                amounts={year: 1000 * i + year for year in numbers},
                note=None if i % 3 else ("" if i % 2 else f"Notering {i}"),
                locked=i % 2 == 0,
                index=("lön", "pris", None)[i % 3],
            )
            for i in range(cost_lines)
        ],
        equity_uses=[EquityUse(year=2024, amount=150_000, decision="Styrelsen 2023-11-17")],
        settings=RuleSettings(equity_floor=500_000, equity_ceiling_pct=Decimal("12.5"), key_tolerance=3),
        interest_rate_pct=Decimal("3.57"),
    )


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    with con.cursor() as cur:
        return {table: cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] for table in TABLES}


@pytest.fixture
def con(tmp_path):
    connection = store.connect(tmp_path / "budget.duckdb")
    yield connection
    connection.close()


# Round trip ---------------------------------------------------------------------------------


def test_a_saved_budget_loads_back_equal(con):
    budget = make_budget()
    version = store.save_budget(con, budget, author="Anna", reason="Första utkastet")
    assert store.load_budget(con, version) == budget
    assert store.load_budget(con) == budget


def test_loaded_values_keep_their_python_types(con):
    store.save_budget(con, make_budget(), author="Anna", reason="Typer")
    loaded = store.load_budget(con)
    assert type(loaded.opening_equity) is int
    assert type(loaded.opening_equity_date) is dt.date
    assert all(type(a) is int for c in loaded.costs for a in c.amounts.values())
    assert loaded.members[0].key == Decimal("6.25") and isinstance(loaded.members[0].key, Decimal)
    assert str(loaded.settings.equity_ceiling_pct) == "12.5"  # no trailing zeros from DECIMAL(7,3)
    assert [c.note for c in loaded.costs] == [None if i % 3 else ("" if i % 2 else f"Notering {i}") for i in range(3)]


def test_order_of_lines_survives_a_round_trip(con):
    budget = make_budget(cost_lines=12)
    reordered = budget.model_copy(update={"costs": budget.costs[::-1], "members": budget.members[::-1]})
    store.save_budget(con, reordered, author="Anna", reason="Omsorterad")
    loaded = store.load_budget(con)
    assert [c.name for c in loaded.costs] == [c.name for c in reordered.costs]
    assert [m.name for m in loaded.members] == [m.name for m in reordered.members]


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖ -/!&0123456789", max_size=30).map(str.strip).filter(bool)
_free_text = st.text(max_size=60).map(str.strip)
_non_negative = st.integers(0, 10**13)


@st.composite
def budgets(draw) -> Budget:
    start = draw(st.integers(1990, 2150))
    kinds = ["utfall"] * draw(st.integers(0, 2)) + ["prognos"] * draw(st.integers(0, 1))
    kinds += ["plan"] * draw(st.integers(1, 3))
    years = [BudgetYear(year=start + i, kind=kind) for i, kind in enumerate(kinds)]
    numbers = [y.year for y in years]
    in_years = st.sampled_from(numbers)

    members = []
    for name in draw(st.lists(_names, max_size=4, unique_by=str.casefold)):
        kind = draw(st.sampled_from(MEMBER_KINDS))
        key = draw(st.none() | st.decimals(0, 10**12 - 1, places=6)) if kind == "kommun" else None
        members.append(
            Member(name=name, kind=kind, key=key, contributions=draw(st.dictionaries(in_years, _non_negative)))
        )
    revenues = [
        RevenueLine(
            name=name,
            kind="ranta" if i == 0 and draw(st.booleans()) else "ovrig",
            amounts=draw(st.dictionaries(in_years, st.integers(-(10**13), 10**13))),
        )
        for i, name in enumerate(draw(st.lists(_names, max_size=3, unique_by=str.casefold)))
    ]
    costs = [
        CostLine(
            name=name,
            category=draw(st.none() | st.sampled_from(CATEGORIES)),
            amounts=draw(st.dictionaries(in_years, _non_negative)),
            note=draw(st.none() | _free_text),
            locked=draw(st.booleans()),
            index=draw(st.sampled_from([None, "lön", "pris"])),
        )
        for name in draw(st.lists(_names, max_size=5, unique_by=str.casefold))
    ]
    uses = st.lists(st.builds(EquityUse, year=in_years, amount=st.integers(1, 10**9), decision=_free_text), max_size=4)
    rules = st.builds(
        RuleSettings,
        equity_floor=_non_negative,
        equity_ceiling_pct=st.decimals(0, 1000, places=3),
        ceiling_source=_free_text,
        key_tolerance=_non_negative,
        split_tolerance=_non_negative,
    )
    return Budget(
        name=draw(_names),
        years=years,
        opening_equity=draw(st.integers(-(10**13), 10**13)),
        opening_equity_date=draw(st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))),
        members=members,
        revenues=revenues,
        costs=costs,
        equity_uses=draw(uses),
        settings=draw(rules),
        interest_rate_pct=draw(st.none() | st.decimals(0, 100, places=6)),
    )


@pytest.fixture(scope="module")
def shared_con(tmp_path_factory):
    connection = store.connect(tmp_path_factory.mktemp("property") / "budget.duckdb")
    yield connection
    connection.close()


@settings(max_examples=30, deadline=None)
@given(budget=budgets())
def test_any_valid_budget_survives_a_round_trip(shared_con, budget):
    version = store.save_budget(shared_con, budget, author="hypothesis", reason="egenskapstest")
    assert store.current_version_id(shared_con) == version
    assert store.load_budget(shared_con, version) == budget


# Versions -----------------------------------------------------------------------------------


def test_each_save_creates_a_new_version_and_older_ones_stay_loadable(con):
    first, second = make_budget("Version ett"), make_budget("Version två", cost_lines=5)
    v1 = store.save_budget(con, first, author="Anna", reason="Basbudget")
    v2 = store.save_budget(con, second, author="Bo", reason="Ny insats")
    v3 = store.save_budget(con, first, author="Anna", reason="Återställd")
    assert v1 < v2 < v3
    assert store.current_version_id(con) == v3
    assert store.load_budget(con, v2) == second
    assert store.load_budget(con, v1) == store.load_budget(con) == first
    versions = store.list_versions(con)
    assert [(v.version_id, v.author, v.reason, v.name) for v in versions] == [
        (v3, "Anna", "Återställd", "Version ett"),
        (v2, "Bo", "Ny insats", "Version två"),
        (v1, "Anna", "Basbudget", "Version ett"),
    ]
    assert versions[0].created_at >= versions[-1].created_at


def test_an_empty_database_has_no_current_version(con):
    assert store.current_version_id(con) is None
    assert store.list_versions(con) == []
    with pytest.raises(StoreError, match="ingen sparad budget"):
        store.load_budget(con)


def test_loading_an_unknown_version_is_a_store_error(con):
    store.save_budget(con, make_budget(), author="Anna", reason="Bas")
    with pytest.raises(StoreError, match="Budgetversion 99 finns inte"):
        store.load_budget(con, 99)


def test_saves_from_several_threads_share_one_connection(con):
    budget = make_budget(cost_lines=50)

    def save_and_load(i: int) -> int:
        version = store.save_budget(con, budget, author=f"tråd {i}", reason="samtidigt")
        assert store.load_budget(con, version) == budget
        return version

    with ThreadPoolExecutor(max_workers=6) as pool:
        versions = list(pool.map(save_and_load, range(24)))
    assert len(set(versions)) == 24
    assert len(store.list_versions(con)) == 24


# Failing saves ------------------------------------------------------------------------------


def _with_bad_cost(budget: Budget) -> Budget:
    bad = CostLine.model_construct(name="Felaktig", category=None, amounts={2024: -5}, note=None, locked=False)
    return budget.model_copy(update={"costs": [*budget.costs, bad]})


def _with_bad_contribution(budget: Budget) -> Budget:
    bad = Member.model_construct(name="Minus kommun", kind="kommun", key=None, contributions={2025: -1})
    return budget.model_copy(update={"members": [*budget.members, bad]})


def _with_float_amount(budget: Budget) -> Budget:
    bad = budget.costs[0].model_copy(update={"amounts": {2024: 1000.6}})
    return budget.model_copy(update={"costs": [*budget.costs[1:], bad]})


def _with_duplicate_line(budget: Budget) -> Budget:
    return budget.model_copy(update={"costs": [*budget.costs, budget.costs[0]]})


@pytest.mark.parametrize("spoil", [_with_bad_cost, _with_bad_contribution, _with_float_amount, _with_duplicate_line])
def test_a_failing_save_leaves_the_database_unchanged(con, spoil):
    good = make_budget(cost_lines=20)
    version = store.save_budget(con, good, author="Anna", reason="Bas")
    before = row_counts(con)
    with pytest.raises(StoreError, match=r"sparades inte|kunde inte sparas"):
        store.save_budget(con, spoil(good), author="Anna", reason="Trasig")
    assert store.current_version_id(con) == version
    assert row_counts(con) == before
    assert store.load_budget(con) == good
    assert store.save_budget(con, good, author="Anna", reason="Igen") > version  # the connection still works


@pytest.mark.parametrize("table", ["cost_amount", "contribution"])
def test_check_constraints_reject_negative_amounts_in_sql(con, table):
    store.save_budget(con, make_budget(), author="Anna", reason="Bas")
    with con.cursor() as cur, pytest.raises(duckdb.ConstraintException, match="CHECK"):
        cur.execute(f"UPDATE {table} SET amount = -1 WHERE year = ?", [2024])


def test_check_constraints_reject_unknown_kinds_in_sql(con):
    version = store.save_budget(con, make_budget(), author="Anna", reason="Bas")
    with con.cursor() as cur, pytest.raises(duckdb.ConstraintException, match="CHECK"):
        cur.execute("INSERT INTO member VALUES (?, ?, ?, ?, ?)", [version, 9, "Bolaget", "bolag", None])


# Opening the database -----------------------------------------------------------------------


def test_the_environment_variable_chooses_the_database_file(tmp_path, monkeypatch):
    path = tmp_path / "annan" / "plats.duckdb"
    monkeypatch.setenv("FORBUNDSBUDGET_DB", str(path))
    assert store.db_path_from_env() == path
    store.connect().close()
    assert path.is_file()


def test_without_the_environment_variable_the_repo_data_folder_is_used(monkeypatch):
    monkeypatch.delenv("FORBUNDSBUDGET_DB", raising=False)
    assert store.db_path_from_env() == store.DEFAULT_DB_PATH
    assert store.DEFAULT_DB_PATH.parts[-2:] == ("data", "budget.duckdb")
    assert store.SEED_PATH.is_file()


def test_a_database_locked_by_another_process_gives_a_swedish_store_error(tmp_path):
    path = tmp_path / "budget.duckdb"
    holder = "import duckdb, sys, time\ncon = duckdb.connect(sys.argv[1])\nprint('klar', flush=True)\ntime.sleep(60)\n"
    proc = subprocess.Popen([sys.executable, "-c", holder, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "klar"
        with pytest.raises(StoreError, match="låst") as info:
            store.connect(path)
        assert str(path) in str(info.value)
    finally:
        proc.kill()
        proc.wait()
    store.connect(path).close()  # free again once the other process has gone


def test_a_file_that_is_not_a_database_gives_a_store_error(tmp_path):
    path = tmp_path / "x.duckdb"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(StoreError, match="ingen budgetdatabas") as info:
        store.connect(path)
    assert str(path) in str(info.value)


def test_a_missing_database_cannot_be_opened_read_only(tmp_path):
    with pytest.raises(StoreError, match="finns inte"):
        store.connect(tmp_path / "saknas.duckdb", read_only=True)


def test_a_read_only_connection_loads_saved_versions(tmp_path):
    path = tmp_path / "budget.duckdb"
    with store.connect(path) as writer:
        store.save_budget(writer, make_budget(), author="Anna", reason="Bas")
    with store.connect(path, read_only=True) as reader:
        assert store.load_budget(reader) == make_budget()


def test_a_database_from_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "budget.duckdb"
    with store.connect(path) as con, con.cursor() as cur:
        cur.execute("INSERT INTO schema_version VALUES (?, ?)", [store.SCHEMA_VERSION + 1, dt.datetime.now()])
    with pytest.raises(StoreError, match="Uppdatera programmet"):
        store.connect(path)


# Seeding ------------------------------------------------------------------------------------


def test_ensure_seeded_keeps_an_existing_budget(con):
    version = store.save_budget(con, make_budget(), author="Anna", reason="Egen")
    assert store.ensure_seeded(con) == version
    assert len(store.list_versions(con)) == 1


def test_ensure_seeded_imports_the_seed_once(tmp_path):
    budget_io = pytest.importorskip("core.files.budget_file")
    with store.open_store(tmp_path / "budget.duckdb") as con:
        version = store.current_version_id(con)
        assert version is not None
        assert store.ensure_seeded(con) == version
        [info] = store.list_versions(con)
        assert (info.author, info.reason) == ("system", "Basbudget från verksamhetsplan 2024")
        assert store.load_budget(con) == budget_io.read_budget_file(store.SEED_PATH)


# Speed --------------------------------------------------------------------------------------


def test_a_budget_of_a_thousand_lines_over_ten_years_saves_and_loads_fast(con):
    budget = make_budget(cost_lines=1000, plan_years=9)
    assert sum(len(c.amounts) for c in budget.costs) == 10_000
    start = time.perf_counter()
    version = store.save_budget(con, budget, author="Anna", reason="Stor")
    saved = time.perf_counter()
    assert store.load_budget(con, version) == budget
    loaded = time.perf_counter()
    assert saved - start < 1.0
    assert loaded - saved < 1.0
