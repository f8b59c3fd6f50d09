"""Errors a user can cause, each carrying Swedish messages fit to show as they are."""

from __future__ import annotations

from pydantic import ValidationError

_PYDANTIC_SV = {
    "int_type": "måste vara ett heltal (hela kronor)",
    "int_parsing": "måste vara ett heltal (hela kronor)",
    "int_from_float": "måste vara hela kronor, inte decimaltal",
    "greater_than_equal": "får inte vara mindre än {ge}",
    "greater_than": "måste vara större än {gt}",
    "less_than_equal": "får inte vara större än {le}",
    "string_too_short": "får inte vara tom",
    "string_too_long": "är för lång (högst {max_length} tecken)",
    "string_type": "måste vara text",
    "literal_error": "måste vara en av: {expected}",
    "missing": "saknas",
    "extra_forbidden": "är inte ett känt fält",
    "decimal_parsing": "måste vara ett tal",
    "decimal_type": "måste vara ett tal",
    "decimal_max_places": "har för många decimaler",
    "bool_type": "måste vara sant eller falskt",
    "bool_parsing": "måste vara sant eller falskt",
    "dict_type": "måste vara en tabell",
    "list_type": "måste vara en lista",
    "date_from_datetime_parsing": "måste vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_parsing": "måste vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_type": "måste vara ett datum (ÅÅÅÅ-MM-DD)",
}


class BudgetError(Exception):
    """A problem the user can fix; ``messages`` are complete Swedish sentences."""

    def __init__(self, messages: str | list[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))

    def __str__(self) -> str:
        return "\n".join(self.messages)


class BudgetFileError(BudgetError):
    """An import file that cannot be read as a budget; nothing was stored."""


class ScenarioError(BudgetError):
    """A scenario that does not fit the budget it is applied to."""


class StoreError(BudgetError):
    """The database cannot be opened or written (locked, damaged, wrong path)."""


def validation_messages(exc: ValidationError, where: str = "") -> list[str]:
    """Pydantic's English errors, retold in Swedish with the location they refer to."""
    messages = []
    for error in exc.errors(include_url=False):
        loc = " → ".join(
            f"nr {part + 1}" if isinstance(part, int) else str(part) for part in error["loc"] if part != "__root__"
        )
        template = _PYDANTIC_SV.get(error["type"])
        if error["type"] == "value_error":
            text = str(error.get("ctx", {}).get("error", error["msg"]))
        elif template:
            try:
                text = template.format(**error.get("ctx", {}))
            except (KeyError, IndexError):
                text = template
        else:
            text = error["msg"]
        prefix = ", ".join(part for part in (where, loc) if part)
        messages.append(f"{prefix}: {text}" if prefix else text)
    return messages
