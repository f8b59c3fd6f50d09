"""Share links: the scenario in progress carried in one URL query parameter, and read back.

Format (``SHARE_PARAM`` = ``s``): ``1.`` followed by URL-safe base64 (no padding) of the raw-DEFLATE
compressed, compact JSON of :func:`core.scenario.scenario_to_dict`, the same plain data as the
scenario's TOML file. The ``1.`` names the format, so a later one can be told apart. A typical
scenario (a few changed lines) is 100–400 characters; the worked examples are all under 600.

Decoding round-trips exactly: decimals are read back as :class:`~decimal.Decimal`, never float, and
the data is validated by the :class:`~core.scenario.Scenario` model. Links come from outside, so
:func:`read_share_link` never raises: whatever is unreadable, invalid or stale (a line or year the
baseline no longer has) is dropped and named in Swedish, and the rest is kept.

Pure functions: no Streamlit here (see :mod:`ui.state` for the URL sync).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, ValidationError

from core.engine.scenario import Scenario, ScenarioProblem, find_problems, sanitize_scenario, scenario_to_dict
from core.model.budget import Budget
from core.model.errors import ScenarioError, validation_messages
from core.model.money import format_number

SHARE_PARAM = "s"
FORMAT_PREFIX = "1."
MAX_LINK_CHARS = 10_000  # the parameter's length; longer links are refused unread
MAX_JSON_BYTES = 100_000  # the unpacked JSON; guards against a small link that unpacks to a huge one
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")

# What each part of a scenario is called when a link's part is dropped.
ENTRY_LABELS = {
    "name": "namnet",
    "description": "beskrivningen",
    "remove": "borttagen rad",
    "locked": "låst rad",
    "interest_rate": "räntesatsen",
    "change": "ändring",
    "new_line": "ny rad",
    "contributions": "ändringen av medlemsavgifterna",
    "use_equity": "beslut om eget kapital",
    "key_changes": "byte av nyckel",
    "weights": "ändrad vikt",
}
_LIST_ENTRIES = ("remove", "locked", "change", "new_line", "use_equity", "key_changes", "weights")
# The link carries the TOML file's names ([[key_change]], [[weight]]); the model's fields are plural.
_FIELD_OF = {"key_change": "key_changes", "weight": "weights"}


class SharedScenario(BaseModel):
    """What a share link gave: the scenario (None when nothing in it could be read) and what was ignored."""

    model_config = ConfigDict(frozen=True)

    scenario: Scenario | None
    ignored: list[str]


# Encoding -----------------------------------------------------------------------------------------


def scenario_json(scenario: Scenario) -> str:
    """The scenario as compact JSON of :func:`scenario_to_dict` (the TOML file's shape)."""
    data = scenario_to_dict(scenario)
    if scenario.contributions is not None and "contributions" not in data:
        data["contributions"] = {}  # an empty [contributions] table, which the file format leaves out
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def encode_scenario(scenario: Scenario) -> str:
    """The value of the ``s`` parameter for ``scenario`` (may exceed :data:`MAX_LINK_CHARS`; see :func:`link_value`)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(scenario_json(scenario).encode("utf-8")) + compressor.flush()
    return FORMAT_PREFIX + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def link_value(scenario: Scenario) -> str | None:
    """The ``s`` value, or None when the scenario is too large for a link (share it as a file instead)."""
    value = encode_scenario(scenario)
    return value if len(value) <= MAX_LINK_CHARS else None


def share_url(app_url: str, scenario: Scenario) -> str | None:
    """The full link that reproduces ``scenario``: ``app_url`` (the app's root) with ``?s=…``."""
    value = link_value(scenario)
    if value is None:
        return None
    return f"{app_url.rstrip('/')}/?{urlencode({SHARE_PARAM: value})}"


# Decoding -----------------------------------------------------------------------------------------


def decode_scenario(value: str) -> Scenario:
    """Strict decoding: the scenario in ``value``, or a :class:`ScenarioError` in Swedish saying what is wrong."""
    data = _unpack(value)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_messages(exc, "länken")) from None


def read_share_link(value: str, budget: Budget | None = None, *, default_name: str | None = None) -> SharedScenario:
    """Lenient decoding for links from outside: never raises.

    Unreadable links (garbage, cut off, too long) give no scenario; invalid parts (a bad number,
    an unknown field) and, when ``budget`` is given, parts that do not fit it (an unknown line, a
    year outside the plan) are dropped and named in ``ignored``. A dropped or missing name becomes
    ``default_name`` when given.
    """
    try:
        data = _unpack(value)
    except ScenarioError as exc:
        return SharedScenario(scenario=None, ignored=exc.messages)
    scenario, positions, ignored = _lenient_scenario(data, default_name)
    if budget is not None:
        first_round = len(find_problems(budget, scenario))
        cleaned, problems = sanitize_scenario(budget, scenario)
        for i, problem in enumerate(problems):
            # The first round's indices refer to ``scenario``; later rounds' to partly cleaned copies.
            item = None
            if i < first_round and problem.index is not None:
                item = getattr(scenario, problem.entry)[problem.index]
                problem = problem.model_copy(update={"index": positions[problem.entry][problem.index]})
            elif problem.index is not None:
                problem = problem.model_copy(update={"index": None})
            ignored.append(describe_problem(problem, item))
        scenario = cleaned
    return SharedScenario(scenario=scenario, ignored=ignored)


def describe_problem(problem: ScenarioProblem, item: object = None) -> str:
    """A stale part of a link, in words a board member understands (no TOML syntax)."""
    label = ENTRY_LABELS.get(problem.entry, problem.entry)
    position = f" nr {problem.index + 1}" if problem.index is not None else ""
    name = _item_name(item)
    named = f" ({name})" if name and repr(name) not in problem.message else ""
    return f"{label.capitalize()}{position}{named}: {problem.message}."


def _item_name(item: object) -> str | None:
    if isinstance(item, str):
        return item
    for attribute in ("line", "name", "activity"):
        if isinstance(value := getattr(item, attribute, None), str):
            return value
    year = getattr(item, "year", None)
    return str(year) if year is not None else None


def _unpack(value: str) -> dict[str, Any]:
    """The JSON object in a link value; a :class:`ScenarioError` naming why it cannot be read."""
    unreadable = "Länken innehåller inget scenario som går att läsa"
    if len(value) > MAX_LINK_CHARS:
        raise ScenarioError(
            f"Länken är för lång ({format_number(len(value))} tecken, högst {format_number(MAX_LINK_CHARS)}); "
            "scenariot i den lästes inte."
        )
    if not value.startswith(FORMAT_PREFIX):
        raise ScenarioError(f"{unreadable} (okänt format).")
    payload = value[len(FORMAT_PREFIX) :]
    if not _BASE64URL.match(payload) or len(payload) % 4 == 1:
        raise ScenarioError(f"{unreadable} (otillåtna tecken eller fel längd).")
    try:
        packed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except (binascii.Error, ValueError):
        raise ScenarioError(f"{unreadable} (otillåtna tecken).") from None
    inflater = zlib.decompressobj(-15)
    try:
        raw = inflater.decompress(packed, MAX_JSON_BYTES + 1)
    except zlib.error:
        raise ScenarioError(f"{unreadable} (den är skadad).") from None
    if len(raw) > MAX_JSON_BYTES or inflater.unconsumed_tail:
        raise ScenarioError(f"Scenariot i länken är för stort (mer än {format_number(MAX_JSON_BYTES)} byte).")
    if not inflater.eof:
        raise ScenarioError(f"{unreadable} (den är avklippt; kopiera hela länken).")
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError):
        raise ScenarioError(f"{unreadable} (den är skadad).") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{unreadable} (fel innehåll).")
    return data


def _messages(exc: ValidationError, key: str) -> str:
    """Pydantic's messages in Swedish, without the part the label already names (``change → nr 1 → ``)."""
    texts = []
    for message in validation_messages(exc)[:3]:
        for prefix in (f"{key} → nr 1 → ", f"{key} → nr 1: ", f"{key} → ", f"{key}: "):
            if message.startswith(prefix):
                message = message[len(prefix) :]
                break
        texts.append(message)
    return "; ".join(texts)


def _lenient_scenario(
    data: dict[str, Any], default_name: str | None
) -> tuple[Scenario, dict[str, list[int]], list[str]]:
    """Validate part by part, keeping every part (and every list item) that is valid on its own.

    Also returns, per list entry, the position in the link of each item kept, so later messages
    can name items by where they were in the link.
    """
    if default_name is not None and "name" not in data:
        data = {**data, "name": default_name}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError:
        pass
    else:
        return scenario, {key: list(range(len(getattr(scenario, key)))) for key in _LIST_ENTRIES}, []
    clean: dict[str, Any] = {}
    positions: dict[str, list[int]] = {key: [] for key in _LIST_ENTRIES}
    ignored: list[str] = []
    for key, value in data.items():
        field = _FIELD_OF.get(key, key)
        if field not in Scenario.model_fields:
            ignored.append(f"Okänd uppgift {str(key)[:40]!r} i länken.")
            continue
        label = ENTRY_LABELS[field].capitalize()
        if field in _LIST_ENTRIES and isinstance(value, list):
            kept = []
            for i, item in enumerate(value):
                try:
                    Scenario.model_validate({key: [item]})
                except ValidationError as exc:
                    ignored.append(f"{label} nr {i + 1}: {_messages(exc, key)}.")
                else:
                    kept.append(item)
                    positions[field].append(i)
            clean[key] = kept
            continue
        try:
            Scenario.model_validate({key: value})
        except ValidationError as exc:
            ignored.append(f"{label}: {_messages(exc, key)}.")
        else:
            clean[key] = value
    if "name" not in clean and default_name is not None:
        clean["name"] = default_name
    try:
        return Scenario.model_validate(clean), positions, ignored
    except ValidationError:  # parts valid alone but not together: nothing can be kept safely
        fallback = Scenario(name=default_name) if default_name is not None else Scenario()
        empty = {key: [] for key in _LIST_ENTRIES}
        return fallback, empty, [*ignored, "Länkens delar passar inte ihop; inget av scenariot kunde användas."]
