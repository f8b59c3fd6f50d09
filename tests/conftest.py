"""Shared fixtures: the seed budget as shipped, and an isolated database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.model.budget import Budget

REPO = Path(__file__).resolve().parent.parent
SEED_CSV = REPO / "core" / "resources" / "seed" / "hoglandets_samordningsforbund_2024.csv"


@pytest.fixture(scope="session")
def seed_budget() -> Budget:
    from core.files.budget_file import read_budget_file

    return read_budget_file(SEED_CSV)


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    """A fresh database file, also set as the default for code that reads the environment."""
    path = tmp_path / "budget.duckdb"
    monkeypatch.setenv("FORBUNDSBUDGET_DB", str(path))
    return path
