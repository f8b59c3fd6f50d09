"""Scenario files (TOML): an uploaded file checked against the budget, and the shipped worked examples."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from core import resources
from core.engine.scenario import Scenario, apply_scenario, find_problems, parse_scenario_toml
from core.model.budget import Budget
from core.model.errors import ScenarioError
from core.model.money import format_number

MAX_SCENARIO_FILE_BYTES = 100_000  # 100 kB: a scenario file is a few hundred bytes
SCENARIO_DIR = resources.scenarios_dir()


class ScenarioFile(BaseModel):
    """A scenario file in ``core/resources/scenarios/``: its scenario, or the Swedish reason it cannot be used."""

    model_config = ConfigDict(frozen=True)

    file_name: str
    text: str
    scenario: Scenario | None
    error: str | None = None


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
