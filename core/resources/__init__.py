"""Files shipped inside the package: the seed budget, example budgets, worked scenarios and the PDF fonts.

Found through :mod:`importlib.resources`, so they are there however the package was installed.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_ROOT = files(__name__)

SEED_FILE = "hoglandets_samordningsforbund_2024.csv"


def _path(*parts: str) -> Path:
    return Path(str(_ROOT.joinpath(*parts)))


def seed_path() -> Path:
    """Höglandets samordningsförbund's proposed budget 2024–2026, transcribed from the seed."""
    return _path("seed", SEED_FILE)


def examples_dir() -> Path:
    """Example budgets in the import layout (illustrative amounts where a document gives none)."""
    return _path("examples")


def example_paths() -> list[Path]:
    return sorted(p for p in examples_dir().iterdir() if p.suffix in {".csv", ".xlsx"})


def scenarios_dir() -> Path:
    """The worked scenario files (TOML) from the seed's own questions."""
    return _path("scenarios")


def scenario_paths() -> list[Path]:
    return sorted(scenarios_dir().glob("*.toml"))


def font_path(file_name: str) -> Path:
    """A DejaVu Sans font file for the PDF papers."""
    return _path("fonts", file_name)
