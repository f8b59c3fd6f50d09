"""Budget files with financing ``avgifter``: the column verksamhet and the posts finansiering, resultatmal and
fordelning, every problem with its row and column, and export → import as the identity."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from core import resources
from core.engine.compute import compute
from core.files.budget_file import read_budget, read_budget_file, write_budget_csv, write_budget_xlsx
from core.model.budget import COMMON_ACTIVITY
from core.model.errors import BudgetFileError
from tests.strategies import fee_budgets

ISSUE_EXAMPLE = [
    "post;namn;kategori;verksamhet;2025;2026;2027",
    "forbund;Exempelförbundet;;;;;",
    "artyp;Årstyp;;;prognos;plan;plan",
    "finansiering;avgifter;;;;;",
    "avgift;Eksjö kommun;kommun;;17 900 000;;",
    "avgift;Aneby kommun;kommun;;5 000 000;;",
    "intakt;Försäljning till bolag;;Höglandets IT;2 800 000;2 800 000;2 800 000",
    "kostnad;Personal IT;;Höglandets IT;36 500 000;37 600 000;38 700 000",
    "kostnad;Kansli;;;1 000 000;1 000 000;1 000 000",
    "resultatmal;Planerat resultat;;;;400 000;400 000",
    "fordelning;Eksjö kommun;användare;Höglandets IT;2 300;2 320;2 340",
    "fordelning;Aneby kommun;användare;Höglandets IT;1 000;1 000,5;1 000",
    "fordelning;Eksjö kommun;invånare;;17 500;17 550;17 600",
    "fördelning;aneby kommun;invånare;;6 500;6 500;6 500",
    "eget_kapital;Ingående eget kapital;;;1 000 000;;",
]


def csv_of(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def errors_of(lines: list[str]) -> list[str]:
    with pytest.raises(BudgetFileError) as caught:
        read_budget(csv_of(lines), "budget.csv")
    return caught.value.messages


def test_the_issue_example_reads_as_activities_keys_and_a_planned_result():
    budget = read_budget(csv_of(ISSUE_EXAMPLE), "budget.csv")
    assert budget.financing == "avgifter"
    assert budget.activities == [COMMON_ACTIVITY, "Höglandets IT"]
    assert [(k.activity, k.name) for k in budget.keys] == [("Höglandets IT", "användare"), (None, "invånare")]
    assert budget.keys[0].weights["Aneby kommun"][2026] == Decimal("1000.5")  # decimal comma
    assert budget.keys[1].weights["Aneby kommun"][2025] == 6500  # fördelning, member name in any case
    assert budget.planned_result == {2025: 0, 2026: 400_000, 2027: 400_000}
    assert budget.revenue_line("Försäljning till bolag").activity == "Höglandets IT"
    year = compute(budget)[2027]
    # IT: 38 700 000 − 2 800 000 = 35 900 000 by 2 340 : 1 000 → 25 151 497,005 and 10 748 502,994: the krona
    # left goes to the larger remainder (Aneby). Gemensamt: 1 000 000 + 400 000 by 17 600 : 6 500 → 1 022 406,639
    # and 377 593,360: the krona goes to Eksjö.
    assert year.activities["Höglandets IT"].fees == {"Eksjö kommun": 25_151_497, "Aneby kommun": 10_748_503}
    assert year.activities[COMMON_ACTIVITY].fees == {"Eksjö kommun": 1_022_407, "Aneby kommun": 377_593}
    assert year.result == 400_000


def test_every_existing_file_imports_as_before():
    for path in [resources.seed_path(), *resources.example_paths()]:
        budget = read_budget_file(path)
        if "illustrativt" not in budget.name.casefold():
            assert budget.financing == "fasta" and budget.keys == []
            assert all(c.activity is None for c in budget.costs)


def replaced(row: int, text: str, lines: list[str] = ISSUE_EXAMPLE) -> list[str]:
    return [text if i == row - 1 else line for i, line in enumerate(lines)]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            replaced(11, "fordelning;Vetlanda kommun;användare;Höglandets IT;1;1;1"),
            'Rad 11, kolumn B (namn): "Vetlanda kommun" är ingen medlem; varje medlem ska ha en avgift-rad med '
            "samma namn.",
        ),
        (
            replaced(13, "fordelning;Eksjö kommun;invånare;;17 500;-1;17 600"),
            "Rad 13, kolumn F (2026): vikten får inte vara negativ.",
        ),
        (
            replaced(13, "fordelning;Eksjö kommun;invånare;;-3,5;17 550;17 600"),
            "Rad 13, kolumn E (2025): vikten får inte vara negativ.",
        ),
        (
            replaced(13, "fordelning;Eksjö kommun;invånare;;många;17 550;17 600"),
            'Rad 13, kolumn E (2025): "många" är inte ett tal; skriv vikten som t.ex. 17 500 eller 2,5.',
        ),
        (
            replaced(4, "finansiering;avgift;;;;;"),
            'Rad 4, kolumn B (namn): "avgift" är inget finansieringssätt; ange fasta eller avgifter.',
        ),
        (
            [line for line in ISSUE_EXAMPLE if "användare" not in line],
            "Rad 7, kolumn F (2026): verksamheten Höglandets IT har en nettokostnad 2026 (34 800 000 kr) men ingen "
            "fördelningsnyckel med vikt för någon medlem det året; lägg till fordelning-rader.",
        ),
        (
            replaced(
                12,
                "fordelning;Aneby kommun;användare;Höglandets IT;1 000;1 000,5;0",
                replaced(11, "fordelning;Eksjö kommun;användare;Höglandets IT;2 300;2 320;0"),
            ),
            "Rad 7, kolumn G (2027): verksamheten Höglandets IT har en nettokostnad 2027",
        ),
        (
            replaced(5, "avgift;Eksjö kommun;kommun;;;;"),
            "Rad 5, kolumn E (2025): avgiften för 2025 (prognos) saknas; skriv den avgift som gällde.",
        ),
        (
            replaced(2, "forbund;Exempelförbundet;;Höglandets IT;;;"),
            "Rad 2, kolumn D (verksamhet): verksamhet gäller bara kostnader, intäkter och fordelning-rader.",
        ),
    ],
)
def test_problems_name_row_and_column(lines, expected):
    assert any(message.startswith(expected) for message in errors_of(lines)), errors_of(lines)


def test_fordelning_rows_in_a_fixed_federation_are_errors():
    lines = [line for line in ISSUE_EXAMPLE if not line.startswith(("finansiering", "resultatmal"))]
    lines = [
        line.replace(";;17 900 000;;", ";;17 900 000;1;1").replace(";;5 000 000;;", ";;5 000 000;1;1") for line in lines
    ]
    messages = errors_of(lines)
    assert messages[0] == (
        "Rad 9, kolumn A (post): fordelning-rader gäller bara förbund med finansiering avgifter (lägg till raden "
        "finansiering;avgifter). I ett förbund med fasta avgifter står kommunernas nyckel i kolumnen nyckel."
    )
    assert len(messages) == 4


def test_a_state_member_cannot_pay_fees():
    lines = replaced(6, "avgift;Staten;stat;;5 000 000;;")
    assert errors_of(lines)[0].startswith("Rad 4, kolumn B (namn): ett förbund med staten som medlem")


def test_a_second_row_for_the_same_member_and_key_is_an_error():
    lines = [*ISSUE_EXAMPLE[:-1], "fordelning;EKSJÖ KOMMUN;invånare;gemensamt;1;1;1", ISSUE_EXAMPLE[-1]]
    assert errors_of(lines) == [
        "Rad 15, kolumn B (namn): Eksjö kommun har redan vikter i nyckeln invånare för Gemensamt på rad 13."
    ]


FILE_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FILE_SETTINGS
@given(fee_budgets())
def test_export_then_import_is_the_identity_in_csv(budget):
    assert read_budget(write_budget_csv(budget), "budget.csv") == budget


@FILE_SETTINGS
@given(fee_budgets())
def test_export_then_import_is_the_identity_in_xlsx(budget):
    assert read_budget(write_budget_xlsx(budget), "budget.xlsx") == budget


def test_weights_are_numbers_in_xlsx():
    budget = read_budget(csv_of(ISSUE_EXAMPLE), "budget.csv")
    sheet = openpyxl.load_workbook(io.BytesIO(write_budget_xlsx(budget))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    aneby = next(r for r in rows if r[0] == "fordelning" and r[1] == "Aneby kommun" and r[2] == "användare")
    assert aneby[4:7] == [1000, 1000.5, 1000]


def test_summary_json_adds_members_and_activities_for_plan_years():
    from core.cli.budget_cmds import summary_data

    data = summary_data(read_budget(csv_of(ISSUE_EXAMPLE), "budget.csv"))
    prognos, plan = data["years"]["2025"], data["years"]["2027"]
    assert set(prognos) == {"revenue", "costs", "result", "equity_end", "members"}
    assert prognos["members"] == {"Eksjö kommun": 17_900_000, "Aneby kommun": 5_000_000}
    assert plan["members"] == {"Eksjö kommun": 25_151_497 + 1_022_407, "Aneby kommun": 10_748_503 + 377_593}
    assert plan["activities"] == {
        "Gemensamt": {"net_cost": 1_400_000, "fees": {"Eksjö kommun": 1_022_407, "Aneby kommun": 377_593}},
        "Höglandets IT": {"net_cost": 35_900_000, "fees": {"Eksjö kommun": 25_151_497, "Aneby kommun": 10_748_503}},
    }
    assert plan["result"] == 400_000


def test_a_planned_result_in_a_fixed_federation_is_an_error():
    lines = [
        line.replace(";;17 900 000;;", ";;17 900 000;1;1").replace(";;5 000 000;;", ";;5 000 000;1;1")
        for line in ISSUE_EXAMPLE
        if not line.startswith(("finansiering", "fordelning", "fördelning"))
    ]
    assert errors_of(lines) == [
        "Rad 9, kolumn A (post): planerat resultat (resultatmal) gäller bara förbund med finansiering avgifter."
    ]
