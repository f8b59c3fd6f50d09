"""The illustrative kommunalförbund examples: they import, balance, show only the kommunalförbund checks, and
answer the direktion's questions to the krona (expected figures worked out by hand in the comments)."""

from __future__ import annotations

from core import resources
from core.engine.compute import compute
from core.engine.scenario import apply_scenario, parse_scenario_toml
from core.files.budget_file import read_budget_file
from core.model.kinds import KOMMUNALFORBUND, kind_of
from core.rules.checks import run_checks

MEMBERS = ["Aneby kommun", "Eksjö kommun", "Nässjö kommun", "Sävsjö kommun", "Vetlanda kommun"]


def hoglandet():
    return read_budget_file(resources.examples_dir() / "hoglandsforbundet_illustrativt_2025.csv")


def goda_grannar():
    return read_budget_file(resources.examples_dir() / "goda_grannar_illustrativt_2026.csv")


def fees(values: list[int]) -> dict[str, int]:
    return dict(zip(MEMBERS, values, strict=True))


def test_examples_are_labelled_illustrative_import_balance_and_show_only_kommunalforbund_checks():
    for budget in (hoglandet(), goda_grannar()):
        assert "illustrativt exempel" in budget.name
        assert budget.financing == "avgifter" and kind_of(budget) is KOMMUNALFORBUND
        checks = run_checks(budget)
        assert {c.rule for c in checks} == {"budget_i_balans", "eget_kapital_golv", "eget_kapital_tak"}
        assert {c.rule for c in checks} <= set(KOMMUNALFORBUND.checks)
        assert all(c.level == "ok" for c in checks)
        result = compute(budget)
        for year in budget.plan_years:
            assert result[year].result == budget.planned_result[year]


def test_hoglandet_has_the_shape_of_the_seed():
    budget = hoglandet()
    assert [m.name for m in budget.members] == MEMBERS
    assert budget.activities == [
        "Gemensamt",
        "Höglandets IT",
        "Ekonomiservice",
        "Systemförvaltning Combine",
        "Familjerätt",
    ]
    assert [k.name for k in budget.keys_of("Höglandets IT")] == ["invånare", "användare", "andel"]
    assert {k.name for k in budget.keys} == {"invånare", "användare", "andel", "fakturor"}
    # About 100 MSEK: 2027's costs 103 760 000 kr; fees 103 760 000 − 2 930 000 revenue + 500 000 planned result.
    year = compute(budget)[2027]
    assert year.costs == 103_760_000
    assert year.contributions == 101_330_000
    assert [y.kind for y in budget.years] == ["prognos", "plan", "plan", "plan"]


# IT 2027: personal 40 320 000 + licenser 14 400 000 + drift 12 480 000 − sales 2 880 000 = 64 320 000 kr,
# split by invånare 7 000 : 18 000 : 32 000 : 11 000 : 28 000 (96 000): 670 000 kr per 1 000 inhabitants.
IT_2027 = fees([4_690_000, 12_060_000, 21_440_000, 7_370_000, 18_760_000])


def test_what_each_municipality_pays_for_it_in_2027():
    year = compute(hoglandet())[2027]
    assert year.activities["Höglandets IT"].net_cost == 64_320_000
    assert year.activities["Höglandets IT"].fees == IT_2027


def test_it_licences_up_10_percent_in_2027():
    budget = hoglandet()
    scenario = parse_scenario_toml('[[change]]\nline = "Licenser IT"\nyears = [2027]\npercent = 10\n')
    before, after = compute(budget)[2027], compute(apply_scenario(budget, scenario))[2027]
    # Licenser 14 400 000 → 15 840 000: IT 65 760 000 kr, 685 000 kr per 1 000 inhabitants.
    it_after = fees([4_795_000, 12_330_000, 21_920_000, 7_535_000, 19_180_000])
    assert after.activities["Höglandets IT"].fees == it_after
    # Only IT moves: each municipality pays 15 000 kr more per 1 000 inhabitants, 1 440 000 kr in all.
    rise = fees([105_000, 270_000, 480_000, 165_000, 420_000])
    assert {m: after.contributions_by_member[m] - before.contributions_by_member[m] for m in MEMBERS} == rise
    assert after.contributions - before.contributions == 1_440_000
    assert after.result == before.result == 500_000


def test_it_split_by_another_of_its_keys_in_2027():
    budget = hoglandet()
    for key, expected in (
        # användare 250 : 600 : 1 050 : 400 : 900 (3 200): 20 100 kr per user.
        ("användare", fees([5_025_000, 12_060_000, 21_105_000, 8_040_000, 18_090_000])),
        # andel 8 : 19 : 33 : 12 : 28 (100): 643 200 kr per percent.
        ("andel", fees([5_145_600, 12_220_800, 21_225_600, 7_718_400, 18_009_600])),
    ):
        scenario = parse_scenario_toml(f'[[key_change]]\nactivity = "Höglandets IT"\nkey = "{key}"\nyears = [2027]\n')
        before, after = compute(budget)[2027], compute(apply_scenario(budget, scenario))[2027]
        assert after.activities["Höglandets IT"].fees == expected
        moved = {m: after.contributions_by_member[m] - before.contributions_by_member[m] for m in MEMBERS}
        assert moved == {m: expected[m] - IT_2027[m] for m in MEMBERS}
        assert after.contributions == before.contributions  # money moves between members, the total stays


def test_goda_grannar_members_pay_only_for_the_agreements_they_join():
    budget = goda_grannar()
    year = compute(budget)[2026]
    assert year.activities["Överförmyndare och förvaltarenhet"].fees["Båstad kommun"] == 0
    assert year.activities["Systemförvaltning"].fees["Halmstad kommun"] == 0
    assert year.activities["Systemförvaltning"].fees["Falkenberg kommun"] == 0
    # Systemförvaltning 1 900 000 + 650 000 = 2 550 000 by användare 120 : 150 : 230 (500): 5 100 kr per user.
    assert year.activities["Systemförvaltning"].fees == {
        "Hylte kommun": 612_000,
        "Båstad kommun": 765_000,
        "Laholm kommun": 1_173_000,
        "Halmstad kommun": 0,
        "Falkenberg kommun": 0,
    }
    # Visselblåsarfunktion 260 000 kr, equal shares of 20: 52 000 kr each.
    assert set(year.activities["Visselblåsarfunktion"].fees.values()) == {52_000}
    for activity in year.activities.values():
        assert sum(activity.fees.values()) == activity.net_cost


def test_rolling_an_avgifter_plan_forward_keeps_fees_as_history_and_carries_keys():
    from decimal import Decimal

    from core.analysis.plan import roll_forward

    budget = hoglandet()
    before = compute(budget)
    rolled = roll_forward(budget, {2028: {"lön": Decimal(0), "pris": Decimal(0)}})
    after = compute(rolled)
    assert rolled.year_kind(2025) == "prognos"
    assert after[2025].contributions_by_member == before[2025].contributions_by_member  # computed, now history
    assert after[2027].activities == before[2027].activities
    assert after[2028].activities["Höglandets IT"].fees == IT_2027  # same costs and weights carried forward
    assert after[2028].result == rolled.planned_result[2028] == 500_000
