"""Share links carry a scenario exactly, stay short, and never crash on what a stranger puts in a URL."""

from __future__ import annotations

import base64
import json
import random
import string
import zlib
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.engine.scenario import ContributionChange, LineChange, NewLine, Scenario, load_scenario_file
from core.files import sharelink
from core.files.sharelink import (
    MAX_JSON_BYTES,
    MAX_LINK_CHARS,
    decode_scenario,
    encode_scenario,
    link_value,
    read_share_link,
    share_url,
)
from core.model.budget import EquityUse
from core.model.errors import ScenarioError
from tests.conftest import REPO
from tests.strategies import budgets, scenarios_for

EXAMPLES = sorted((REPO / "core" / "resources" / "scenarios").glob("*.toml"))

# Scenarios using every field, with text and decimals the sliders never make.
_text = st.text(max_size=80).map(str.strip)
_name = st.text(min_size=1, max_size=40).map(str.strip).filter(bool)
_percent = st.decimals(min_value=-100, max_value=1000, places=4, allow_nan=False, allow_infinity=False)
_year = st.integers(2020, 2030)


@st.composite
def any_scenarios(draw) -> Scenario:
    def change():
        kind = draw(st.sampled_from(["percent", "delta", "amount"]))
        value = {
            "percent": _percent,
            "delta": st.integers(-(10**12), 10**12),
            "amount": st.integers(0, 10**12),
        }[kind]
        years = draw(st.none() | st.lists(_year, min_size=1, max_size=3, unique=True))
        return LineChange(line=draw(_name), years=years, **{kind: draw(value)})

    contributions = draw(
        st.none()
        | st.builds(
            ContributionChange,
            percent=st.dictionaries(st.integers(2020, 2022), _percent, max_size=2),
            delta=st.dictionaries(st.integers(2023, 2025), st.integers(-(10**9), 10**9), max_size=2),
        )
    )
    return Scenario(
        name=draw(_name),
        description=draw(_text),
        remove=draw(st.lists(_name, max_size=3)),
        locked=draw(st.lists(_name, max_size=2)),
        interest_rate=draw(st.none() | st.decimals(min_value=0, max_value=100, places=4, allow_nan=False)),
        change=[change() for _ in range(draw(st.integers(0, 4)))],
        new_line=[
            NewLine(
                name=draw(_name),
                category=draw(st.none() | st.sampled_from(["ny verksamhet", "administration"])),
                amounts=draw(st.dictionaries(_year, st.integers(0, 10**10), max_size=3)),
                note=draw(st.none() | _text),
            )
            for _ in range(draw(st.integers(0, 2)))
        ],
        contributions=contributions,
        use_equity=[
            EquityUse(year=draw(_year), amount=draw(st.integers(1, 10**9)), decision=draw(_text))
            for _ in range(draw(st.integers(0, 2)))
        ],
    )


def pack(data: object) -> str:
    """A link value for any JSON, as a tampering user could make one."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = compressor.compress(json.dumps(data).encode()) + compressor.flush()
    return "1." + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


# Round trip -----------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_link_gives_back_exactly_the_scenario_on_its_budget(data):
    budget = data.draw(budgets())
    scenario = data.draw(scenarios_for(budget))
    value = encode_scenario(scenario)
    assert decode_scenario(value) == scenario
    shared = read_share_link(value, budget)
    assert shared.ignored == []
    assert shared.scenario == scenario


@settings(max_examples=200, deadline=None)
@given(scenario=any_scenarios())
def test_every_field_survives_the_link_exactly(scenario):
    decoded = decode_scenario(encode_scenario(scenario))
    assert decoded == scenario
    assert decoded.model_dump() == scenario.model_dump()  # same values and same types (Decimal, int)


def test_decimals_come_back_as_decimals_never_float():
    scenario = Scenario(
        interest_rate=Decimal("3.5714"), change=[LineChange(line="Styrelse", percent=Decimal("-12.3456"))]
    )
    decoded = decode_scenario(encode_scenario(scenario))
    assert decoded.interest_rate == Decimal("3.5714") and type(decoded.interest_rate) is Decimal
    assert decoded.change[0].percent == Decimal("-12.3456")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_worked_examples_make_short_links(path, seed_budget):
    scenario = load_scenario_file(path)
    value = encode_scenario(scenario)
    assert len(value) < 1_000
    assert read_share_link(value, seed_budget).scenario == scenario


def test_a_typical_slider_scenario_is_well_under_2000_characters(seed_budget):
    scenario = Scenario(
        name="Styrelsens förslag",
        description="Coacher +10 % 2025–2026, IT-spåret bort, avgifterna +3 % 2026, ränta 3,57 %.",
        remove=["IT-spåret"],
        change=[
            LineChange(line="SE-Höglandet", years=[2025, 2026], percent=Decimal(10)),
            LineChange(line="Styrelse", percent=Decimal(-20)),
            LineChange(line="Revision", years=[2026], amount=60_000),
        ],
        new_line=[NewLine(name="Digital arbetsträning", category="ny verksamhet", amounts={2025: 300_000})],
        contributions=ContributionChange(percent={2026: Decimal(3)}),
        interest_rate=Decimal("3.57"),
    )
    url = share_url("https://budget.example.se", scenario)
    assert url is not None and len(url) < 2_000
    assert read_share_link(parse_qs(urlsplit(url).query)["s"][0], seed_budget).scenario == scenario


def test_the_link_is_url_safe_and_names_its_format():
    value = encode_scenario(Scenario(name="Å ä ö / & ? = #", description="100 % + 5 %"))
    assert value.startswith(sharelink.FORMAT_PREFIX)
    assert all(c.isalnum() or c in "._-" for c in value)
    url = share_url("http://localhost:8501/", Scenario(name="x"))
    assert url.startswith("http://localhost:8501/?s=1.")


def test_a_scenario_too_large_for_a_link_gets_none():
    noise = random.Random(7)
    notes = ["".join(noise.choices(string.ascii_letters, k=500)) for _ in range(40)]
    huge = Scenario(new_line=[NewLine(name=f"Rad {i}", amounts={2025: i}, note=note) for i, note in enumerate(notes)])
    assert len(encode_scenario(huge)) > MAX_LINK_CHARS
    assert link_value(huge) is None
    assert share_url("http://x", huge) is None


# Tampered and stale links -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "okänt format"),
        ("hello", "okänt format"),
        ("2.AAAA", "okänt format"),
        ("1.not base64!", "otillåtna tecken"),
        ("1.A", "otillåtna tecken eller fel längd"),
        ("1." + base64.urlsafe_b64encode(b"\xff\x00garbage").decode().rstrip("="), "skadad"),
        (encode_scenario(Scenario(name="Avklippt", description="x" * 200))[:-8], "avklippt"),
        (pack([1, 2, 3]), "fel innehåll"),
        ("1." + "A" * (MAX_LINK_CHARS + 10), "för lång"),
    ],
)
def test_an_unreadable_link_is_named_in_swedish_and_gives_no_scenario(value, expected, seed_budget):
    shared = read_share_link(value, seed_budget)
    assert shared.scenario is None
    assert any(expected in message for message in shared.ignored), shared.ignored
    with pytest.raises(ScenarioError):
        decode_scenario(value)


def test_a_link_that_unpacks_to_something_huge_is_refused_unread(seed_budget):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = compressor.compress(b'{"name": "' + b" " * (50 * MAX_JSON_BYTES)) + compressor.flush()
    value = "1." + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    assert len(value) < MAX_LINK_CHARS
    shared = read_share_link(value, seed_budget)
    assert shared.scenario is None
    assert "för stort" in shared.ignored[0]


def test_a_stale_link_keeps_what_fits_and_names_what_was_dropped(seed_budget):
    value = pack(
        {
            "name": "Gammal länk",
            "remove": ["Finns inte längre"],
            "change": [
                {"line": "SE-Höglandet", "percent": 10, "years": [2025, 2026]},
                {"line": "Nedlagd insats", "percent": 5},
                {"line": "Styrelse", "years": [2031], "percent": 5},
            ],
            "use_equity": [{"year": 2019, "amount": 100_000}],
        }
    )
    shared = read_share_link(value, seed_budget)
    assert shared.scenario == Scenario(
        name="Gammal länk", change=[LineChange(line="SE-Höglandet", percent=Decimal(10), years=[2025, 2026])]
    )
    text = "\n".join(shared.ignored)
    assert "Borttagen rad nr 1: okänd kostnadsrad 'Finns inte längre'." in text
    assert "Ändring nr 2: okänd rad 'Nedlagd insats'." in text
    assert "Ändring nr 3 (Styrelse): år [2031] ligger utanför planåren 2024–2026." in text
    assert "Beslut om eget kapital nr 1 (2019): år 2019 ligger utanför planåren." in text


def test_invalid_parts_are_dropped_one_by_one(seed_budget):
    value = pack(
        {
            "name": "",
            "interest_rate": "hög",
            "okänt": 1,
            "change": [
                {"line": "Styrelse", "percent": "tio"},
                {"line": "Styrelse", "delta": 1.5},
                {"line": "Revision", "amount": 60_000, "years": [2026]},
                {"line": "Tjänsteperson", "percent": 1, "amount": 2},
            ],
            "contributions": {"percent": {"2026": 5}},
        }
    )
    shared = read_share_link(value, seed_budget, default_name="Pågående scenario")
    assert shared.scenario == Scenario(
        name="Pågående scenario",
        change=[LineChange(line="Revision", amount=60_000, years=[2026])],
        contributions=ContributionChange(percent={2026: Decimal(5)}),
    )
    text = "\n".join(shared.ignored)
    for expected in (
        "Namnet: får inte vara tom",
        "Räntesatsen: måste vara ett tal",
        "Okänd uppgift 'okänt'",
        "Ändring nr 1: percent: måste vara ett tal",
        "Ändring nr 2: delta: måste vara",
        "Ändring nr 4: ange exakt en av percent, delta eller amount",
    ):
        assert expected in text, text


def test_a_link_with_money_as_decimals_is_refused_not_rounded(seed_budget):
    shared = read_share_link(pack({"name": "x", "change": [{"line": "Revision", "amount": 60000.5}]}), seed_budget)
    assert shared.scenario.change == []
    assert "hela kronor" in shared.ignored[0]


@settings(max_examples=300, deadline=None)
@given(value=st.text(max_size=300))
def test_no_text_in_a_url_makes_reading_it_raise(value, seed_budget):
    shared = read_share_link(value, seed_budget)
    assert shared.scenario is not None or shared.ignored


@settings(max_examples=200, deadline=None)
@given(scenario=any_scenarios(), position=st.integers(0, 10_000), replacement=st.sampled_from("A_-9z."))
def test_a_link_changed_anywhere_never_raises(scenario, position, replacement, seed_budget):
    value = encode_scenario(scenario)
    position %= len(value)
    tampered = value[:position] + replacement + value[position + 1 :]
    shared = read_share_link(tampered, seed_budget, default_name="Pågående scenario")
    assert shared.scenario is None or isinstance(shared.scenario, Scenario)


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(st.text(max_size=10), st.recursive(st.none() | st.integers() | st.text(), st.lists)))
def test_any_json_object_gives_a_valid_scenario_or_messages(data, seed_budget):
    shared = read_share_link(pack(data), seed_budget, default_name="Pågående scenario")
    assert isinstance(shared.scenario, Scenario)
