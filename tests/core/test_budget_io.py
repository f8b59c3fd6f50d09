"""Budget files: the seed, what Swedish Excel writes, every bad input, and export → import identity."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core import resources
from core.files.budget_file import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    budget_to_rows,
    neutralise_formula,
    read_budget,
    read_budget_file,
    write_budget_csv,
    write_budget_file,
    write_budget_xlsx,
)
from core.model.budget import CATEGORIES, MEMBER_KINDS, Budget, BudgetYear, CostLine, EquityUse, Member, RevenueLine
from core.model.errors import BudgetFileError

SEED = resources.seed_path()

# Row numbers as Excel shows them: header is row 1.
MINIMAL = [
    "post;namn;kategori;2023;2024;2025;2026",  # 1: columns A-G
    "avgift;Aneby kommun;kommun;119465;119465;119465;119465",  # 2
    "avgift;Region Jönköpings län;region;2009000;2009000;2009000;2009000",  # 3
    "intakt;Ränta;;100000;50000;50000;50000",  # 4
    "kostnad;SE-Höglandet;individinriktade insatser;3825000;3980000;3980000;3980000",  # 5
    "eget_kapital;Ingående eget kapital;;1215582;;;",  # 6
]


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def replaced(row: int, text: str, lines: list[str] = MINIMAL) -> list[str]:
    """MINIMAL with Excel row ``row`` replaced by ``text``."""
    return [text if number == row else line for number, line in enumerate(lines, start=1)]


def problems(data: bytes, filename: str = "budget.csv") -> str:
    with pytest.raises(BudgetFileError) as caught:
        read_budget(data, filename)
    return str(caught.value)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The seed --------------------------------------------------------------------------------------


def test_seed_file_imports_the_whole_hoglandet_budget():
    budget = read_budget_file(SEED)

    assert budget.name == "Höglandets samordningsförbund"
    assert [(y.year, y.kind) for y in budget.years] == [
        (2023, "prognos"),
        (2024, "plan"),
        (2025, "plan"),
        (2026, "plan"),
    ]
    assert len(budget.members) == 8
    state = next(m for m in budget.members if m.kind == "stat")
    assert state.contributions == dict.fromkeys((2023, 2024, 2025, 2026), 4_018_000)
    assert len(budget.costs) == 14
    assert all(c.category in CATEGORIES for c in budget.costs)
    assert budget.opening_equity == 1_215_582
    assert budget.equity_uses == [EquityUse(year=2024, amount=150_000, decision=budget.equity_uses[0].decision)]
    assert budget.equity_uses[0].decision.startswith("Styrelsen beslutade 2023-11-17")
    assert budget.revenue_line("Övriga intäkter").amounts[2023] == 68
    assert budget.revenue_line("Ränta").kind == "ranta"
    assert budget.cost_line("SE-Höglandet").note.startswith("Från 2024 även 1,5 heltidstjänst")


def test_seed_file_survives_export_and_import_in_both_formats():
    budget = read_budget_file(SEED)
    assert read_budget(write_budget_csv(budget), "x.csv") == budget
    assert read_budget(write_budget_xlsx(budget), "x.xlsx") == budget


def test_unquoted_comma_in_a_note_is_an_error_that_suggests_the_cause():
    lines = [*MINIMAL]
    lines[0] += ";notering"
    comma_file = [line.replace(";", ",") for line in lines]
    comma_file[4] += ",Ränta (3,57 %)"
    with pytest.raises(BudgetFileError) as info:
        read_budget(csv_bytes(comma_file), "budget.csv")
    assert "Rad 5" in str(info.value) and "kommatecken utan citattecken" in str(info.value)


# What Swedish Excel writes ---------------------------------------------------------------------


def test_minimal_file_takes_name_from_file_stem_and_plans_every_year():
    budget = read_budget(csv_bytes(MINIMAL), "C:\\Budgetar\\hoglandet 2024.csv")
    assert budget.name == "hoglandet 2024"
    assert [y.kind for y in budget.years] == ["plan"] * 4
    interest = RevenueLine(name="Ränta", kind="ranta", amounts={2023: 100000, 2024: 50000, 2025: 50000, 2026: 50000})
    assert budget.revenues == [interest]
    assert budget.costs[0].category == "individinriktade insatser"
    assert budget.opening_equity == 1_215_582


def test_semicolon_file_in_windows_1252_with_spaced_thousands_is_read():
    lines = replaced(3, "avgift;Region Jönköpings län;Region;2\u00a0009\u00a0000;2 009 000;2009000;2 009 000 kr")
    budget = read_budget(csv_bytes(lines, "cp1252"), "budget.csv")
    region = budget.members[1]
    assert region.name == "Region Jönköpings län"
    assert region.kind == "region"
    assert set(region.contributions.values()) == {2_009_000}


def test_typographic_minus_and_utf8_bom_are_read():
    lines = [*MINIMAL[:4], "intakt;Övrigt;;−150 000;-1 234 567;+5000;", *MINIMAL[4:]]
    budget = read_budget(b"\xef\xbb\xbf" + csv_bytes(lines), "budget.csv")
    assert budget.revenue_line("Övrigt").amounts == {2023: -150_000, 2024: -1_234_567, 2025: 5000, 2026: 0}
    assert budget.members[0].name == "Aneby kommun"


def test_tab_separated_and_utf16_unicode_text_are_read():
    tabbed = [line.replace(";", "\t") for line in MINIMAL]
    expected = read_budget(csv_bytes(MINIMAL), "budget.csv")
    assert read_budget(csv_bytes(tabbed), "budget.txt") == expected
    assert read_budget(csv_bytes(tabbed, "utf-16"), "budget.txt") == expected


def test_xlsx_with_numeric_cells_is_read_from_the_first_sheet():
    rows = [
        ["post", "namn", "kategori", 2023, 2024.0, "2025", "nyckel"],
        ["avgift", "Aneby kommun", "kommun", 119465, 119465.0, "119 465", 5.5],
        ["avgift", "Eksjö kommun", "kommun", 312845, 312845, 312845, "12,25"],
        ["kostnad", "Styrelse", "administration", 60000, None, 60000],
        ["eget_kapital", "Ingående eget kapital", None, -1000],
    ]
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.create_sheet("Anteckningar").append(["inte", "budget"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    budget = read_budget(buffer.getvalue(), "Budget.XLSX")
    assert budget.members[0].contributions == {2023: 119465, 2024: 119465, 2025: 119465}
    assert budget.members[0].key == Decimal("5.5")
    assert budget.members[1].key == Decimal("12.25")
    assert budget.costs[0].amounts == {2023: 60000, 2024: 0, 2025: 60000}
    assert budget.opening_equity == -1000


def test_optional_columns_are_found_anywhere_and_in_any_case():
    lines = [
        "Notering;POST;Namn;Låst;2024;Kategori;INDEXERAD;Nyckel",
        "Bokslut;avgift;Aneby;;1;Kommun;;5.5",
        "Viktigt;Kostnad;Styrelse;x;2;;Lön;",
        ";eget_kapital;EK;;3;;;",
    ]
    budget = read_budget(csv_bytes(lines), "b.csv")
    assert budget.members[0].key == Decimal("5.5")
    assert budget.costs == [CostLine(name="Styrelse", amounts={2024: 2}, note="Viktigt", locked=True, index="lön")]


def test_extended_posts_set_name_year_kinds_and_equity_decisions():
    lines = [
        "post;namn;kategori;2023;2024;2025;notering",
        "FORBUND;Testförbundet;;;;;Beskrivning som inte sparas",
        "artyp;Årstyp;;Utfall;prognos;PLAN;",
        "eget_kapital;EK;;500;;;",
        "eget_kapital_beslut;Projekt A;;;100;;Styrelsen beslutade att använda 100 kr",
        "eget_kapital_beslut;Projekt B;;;;200;",
    ]
    budget = read_budget(csv_bytes(lines), "b.csv")
    assert budget.name == "Testförbundet"
    assert budget.years == [
        BudgetYear(year=2023, kind="utfall"),
        BudgetYear(year=2024, kind="prognos"),
        BudgetYear(year=2025, kind="plan"),
    ]
    assert budget.equity_uses == [
        EquityUse(year=2024, amount=100, decision="Styrelsen beslutade att använda 100 kr"),
        EquityUse(year=2025, amount=200, decision="Projekt B"),
    ]


def test_blank_rows_are_skipped_but_keep_excel_row_numbers():
    lines = [MINIMAL[0], "", ";;;;;;", *MINIMAL[1:], "kostnad;Trasig;;abc;;;"]
    assert 'Rad 9, kolumn D (2023): "abc" är inte ett belopp i hela kronor.' in problems(csv_bytes(lines))


def test_one_leading_apostrophe_marks_text_and_is_removed():
    lines = [*MINIMAL, "kostnad;'=Totalt;'administration;'100;;;"]
    cost = read_budget(csv_bytes(lines), "b.csv").cost_line("=Totalt")
    assert cost is not None
    assert (cost.category, cost.amounts[2023]) == ("administration", 100)


def test_intakt_category_states_the_revenue_kind_explicitly():
    lines = [*MINIMAL, "intakt;Ränteintäkt bank;Ränta;1;;;"]
    lines[3] = "intakt;Räntebidrag;övrig;100000;50000;50000;50000"
    budget = read_budget(csv_bytes(lines), "b.csv")
    assert budget.revenue_line("Räntebidrag").kind == "ovrig"
    assert budget.revenue_line("Ränteintäkt bank").kind == "ranta"


# Bad input -------------------------------------------------------------------------------------

BAD_CSV = {
    "missing required column": (
        ["post;namn;2023", "eget_kapital;EK;1"],
        ['Kolumnen "kategori" saknas i rubrikraden (rad 1).'],
    ),
    "no year column": (["post;namn;kategori;notering", "eget_kapital;EK;;"], ["(rad 1) har ingen årskolumn"]),
    "non-consecutive years": (
        ["post;namn;kategori;2023;2024;2026", "eget_kapital;EK;;1;;"],
        ["Rad 1, kolumn F (2026): årskolumnerna måste vara år i följd, men 2026 kommer efter 2024."],
    ),
    "unknown column": (
        [MINIMAL[0] + ";summa", *MINIMAL[1:]],
        ["Rad 1, kolumn H (summa): okänd kolumn."],
    ),
    "column twice": (
        [MINIMAL[0] + ";Namn", *MINIMAL[1:]],
        ["Rad 1, kolumn H (Namn): kolumnen finns redan i kolumn B."],
    ),
    "text in an amount": (
        replaced(3, "avgift;Region Jönköpings län;region;2009000;abc;0;0"),
        ['Rad 3, kolumn E (2024): "abc" är inte ett belopp i hela kronor.'],
    ),
    "decimals in an amount": (
        replaced(5, "kostnad;SE-Höglandet;;1;2;3 825 000,50;0"),
        ['Rad 5, kolumn F (2025): "3 825 000,50" har decimaler; belopp ska anges i hela kronor.'],
    ),
    "excel formula in an amount": (
        replaced(5, "kostnad;SE-Höglandet;;=SUM(D2:D4);0;0;0"),
        ['Rad 5, kolumn D (2023): "=SUM(D2:D4)" är inte ett belopp i hela kronor.'],
    ),
    "duplicate line": (
        [*MINIMAL, "avgift;ANEBY KOMMUN;kommun;1;1;1;1"],
        ['Rad 7, kolumn B (namn): "ANEBY KOMMUN" finns redan på rad 2'],
    ),
    "unknown post": (
        replaced(4, "intäkter;Ränta;;1;1;1;1"),
        ['Rad 4, kolumn A (post): okänd post "intäkter". Tillåtna poster är forbund, artyp,'],
    ),
    "missing post": (replaced(4, ";Ränta;;1;1;1;1"), ["Rad 4, kolumn A (post): post saknas."]),
    "unknown member category": (
        replaced(3, "avgift;Region Jönköpings län;landsting;1;1;1;1"),
        ['Rad 3, kolumn C (kategori): "landsting" är ingen medlemstyp; ange stat, region eller kommun.'],
    ),
    "missing member category": (
        replaced(3, "avgift;Region Jönköpings län;;1;1;1;1"),
        ["Rad 3, kolumn C (kategori): medlemstyp saknas; ange stat, region eller kommun."],
    ),
    "unknown cost category": (
        replaced(5, "kostnad;SE-Höglandet;insatser;1;1;1;1"),
        ['Rad 5, kolumn C (kategori): "insatser" är ingen kostnadskategori'],
    ),
    "unknown revenue category": (
        replaced(4, "intakt;Ränta;bidrag;1;1;1;1"),
        ['Rad 4, kolumn C (kategori): "bidrag" är ingen intäktstyp'],
    ),
    "negative cost": (
        replaced(5, "kostnad;SE-Höglandet;;1;−5 000;1;1"),
        ["Rad 5, kolumn E (2024): en kostnad får inte vara negativ (−5 000)."],
    ),
    "negative contribution": (
        replaced(2, "avgift;Aneby kommun;kommun;-1;1;1;1"),
        ["Rad 2, kolumn D (2023): en medlemsavgift får inte vara negativ (−1)."],
    ),
    "missing opening equity row": (
        MINIMAL[:-1],
        ['Raden för ingående eget kapital saknas. Lägg till en rad med post "eget_kapital" och beloppet i kolumn D'],
    ),
    "two opening equity rows": (
        [*MINIMAL, "eget_kapital;Igen;;5;;;"],
        ['Rad 7, kolumn A (post): det får bara finnas en rad med post "eget_kapital", men den finns redan på rad 6.'],
    ),
    "opening equity outside the first year": (
        replaced(6, "eget_kapital;EK;;;5;;"),
        [
            "Rad 6, kolumn E (2024): ingående eget kapital anges bara i första årskolumnen (2023).",
            "Rad 6, kolumn D (2023): beloppet för ingående eget kapital saknas.",
        ],
    ),
    "formula text in namn": (
        replaced(5, 'kostnad;=HYPERLINK("http://x");;1;1;1;1'),
        ['Rad 5, kolumn B (namn): "=HYPERLINK("http://x")" ser ut som en formel.'],
    ),
    "formula text in kategori": (
        replaced(5, "kostnad;SE;@SUM(A1);1;1;1;1"),
        ['Rad 5, kolumn C (kategori): "@SUM(A1)" ser ut som en formel.'],
    ),
    "missing namn": (replaced(5, "kostnad; ;;1;1;1;1"), ["Rad 5, kolumn B (namn): namn saknas."]),
    "value in a column without heading": (
        [MINIMAL[0] + ";", *MINIMAL[1:], "kostnad;X;;1;1;1;1;oj"],
        ["Rad 7, kolumn H: värdet står i en kolumn utan rubrik"],
    ),
    "bad year kind": (
        [MINIMAL[0], "artyp;;;utfall;budget;plan;plan", *MINIMAL[1:]],
        ['Rad 2, kolumn E (2024): "budget" är ingen årstyp; ange utfall, prognos eller plan.'],
    ),
    "year kinds out of order": (
        [MINIMAL[0], "artyp;;;plan;prognos;plan;plan", *MINIMAL[1:]],
        ['Rad 2, kolumn E (2024): "prognos" kan inte komma efter "plan"'],
    ),
    "no plan year": (
        [MINIMAL[0], "artyp;;;utfall;utfall;prognos;prognos", *MINIMAL[1:]],
        ["Rad 2, kolumn A (post): minst ett år måste vara plan."],
    ),
    "equity decision in two years": (
        [*MINIMAL, "eget_kapital_beslut;Projekt;;;100;100;"],
        ["Rad 7, kolumn F (2025): ett beslut om eget kapital har belopp i exakt en årskolumn"],
    ),
    "equity decision without amount": (
        [*MINIMAL, "eget_kapital_beslut;Projekt;;;;;"],
        ["Rad 7, kolumn B (namn): beslutet om eget kapital saknar belopp"],
    ),
    "equity decision not positive": (
        [*MINIMAL, "eget_kapital_beslut;Projekt;;;0;;"],
        ["Rad 7, kolumn E (2024): beloppet som tas ur eget kapital måste vara större än 0."],
    ),
    "key on a region": (
        [MINIMAL[0] + ";nyckel", MINIMAL[1] + ";3", MINIMAL[2] + ";5", *MINIMAL[3:]],
        ["Rad 3, kolumn H (nyckel): bara kommuner har en fördelningsnyckel."],
    ),
    "key that is not a number": (
        [MINIMAL[0] + ";nyckel", MINIMAL[1] + ";fem", *MINIMAL[2:]],
        ['Rad 2, kolumn H (nyckel): "fem" är inte ett tal'],
    ),
    "negative key": (
        [MINIMAL[0] + ";nyckel", MINIMAL[1] + ";-2,5", *MINIMAL[2:]],
        ["Rad 2, kolumn H (nyckel): nyckeln får inte vara negativ."],
    ),
    "bad lock flag": (
        [MINIMAL[0] + ";låst", *MINIMAL[1:4], MINIMAL[4] + ";kanske", MINIMAL[5]],
        ['Rad 5, kolumn H (låst): "kanske" ska vara ja eller nej'],
    ),
    "lock flag on a member": (
        [MINIMAL[0] + ";låst", MINIMAL[1] + ";ja", *MINIMAL[2:]],
        ["Rad 2, kolumn H (låst): gäller bara kostnader."],
    ),
    "two interest rows": (
        [*MINIMAL, "intakt;Ränta på konto;;1;1;1;1"],
        ["Rad 7, kolumn C (kategori): bara en intäkt kan vara ränta, och raden med ränta är rad 4."],
    ),
}


@pytest.mark.parametrize(("lines", "expected"), list(BAD_CSV.values()), ids=list(BAD_CSV))
def test_bad_csv_is_rejected_with_row_and_column(lines: list[str], expected: list[str]):
    text = problems(csv_bytes(lines))
    for fragment in expected:
        assert fragment in text


def test_all_problems_in_a_file_are_reported_together():
    lines = replaced(2, "avgift;Aneby kommun;kommun;x;1;1;1")
    lines = replaced(5, "kostnad;SE;fel;1;1;1;1", lines)
    with pytest.raises(BudgetFileError) as caught:
        read_budget(csv_bytes(lines[:-1]), "b.csv")
    first, second, third = caught.value.messages
    assert first.startswith("Rad 2, kolumn D (2023): ")
    assert second.startswith("Rad 5, kolumn C (kategori): ")
    assert third.startswith("Raden för ingående eget kapital saknas.")


def test_formula_text_is_refused_even_in_a_column_the_row_does_not_use():
    lines = [MINIMAL[0] + ";notering", MINIMAL[1] + ";=1+1", *MINIMAL[2:]]
    assert 'Rad 2, kolumn H (notering): "=1+1" ser ut som en formel.' in problems(csv_bytes(lines))


def test_xlsx_decimal_number_and_formula_cells_are_not_amounts():
    rows = [
        ["post", "namn", "kategori", 2024, 2025],
        ["kostnad", "Styrelse", "administration", 60000.5, "=SUM(D3:D4)"],
        ["eget_kapital", "EK", None, 1],
    ]
    text = problems(xlsx_bytes(rows), "b.xlsx")
    assert 'Rad 2, kolumn D (2024): "60000,5" har decimaler' in text
    assert 'Rad 2, kolumn E (2025): "=SUM(D3:D4)" är inte ett belopp i hela kronor.' in text


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (b"", "budget.csv", "Filen är tom."),
        (b"\xef\xbb\xbf \r\n;;;\r\n", "budget.csv", "Filen är tom."),
        (b"post;namn", "budget.pdf", "har en filtyp som inte kan läsas"),
        (b"post;namn", "budget", "har en filtyp som inte kan läsas"),
        (b"%PDF-1.4\x00\x01\x02binary", "budget.csv", "Filen är inte en textfil i CSV-format."),
        (b"post;namn;kategori;2024\n", "budget.xlsx", "kunde inte öppnas som en Excel-arbetsbok"),
        (b"PK\x03\x04 broken zip", "budget.xlsx", "kunde inte öppnas som en Excel-arbetsbok"),
        (b"x" * (MAX_FILE_BYTES + 1), "budget.csv", "Filen är för stor (5,0 MB). Största tillåtna storlek är 5 MB."),
    ],
)
def test_files_that_are_not_budget_files_get_a_clear_message(data: bytes, filename: str, expected: str):
    assert expected in problems(data, filename)


def test_empty_xlsx_is_reported_as_empty():
    assert problems(xlsx_bytes([]), "b.xlsx") == "Filen är tom."


def test_million_row_csv_is_rejected_by_the_row_limit():
    data = b"post;namn;kategori;2024\n" + b"x;y\n" * 1_000_000
    assert len(data) < MAX_FILE_BYTES
    assert "Filen har fler än 5 000 rader." in problems(data)


def test_row_limit_counts_data_rows_only():
    header = "post;namn;kategori;2024"
    costs = [f"kostnad;Rad {i};;1" for i in range(MAX_ROWS - 1)]
    at_limit = [header, *costs, "eget_kapital;EK;;0"]
    assert len(read_budget(csv_bytes(at_limit), "b.csv").costs) == MAX_ROWS - 1
    assert "fler än 5 000 rader" in problems(csv_bytes([*at_limit, "kostnad;En till;;1"]))


def test_read_budget_file_reports_a_missing_file(tmp_path: Path):
    with pytest.raises(BudgetFileError, match="finns inte"):
        read_budget_file(tmp_path / "saknas.csv")
    with pytest.raises(BudgetFileError, match="är en mapp"):
        read_budget_file(tmp_path)


# Writing ---------------------------------------------------------------------------------------


def small_budget(**changes: object) -> Budget:
    fields: dict[str, object] = {
        "name": "Testförbundet",
        "years": [BudgetYear(year=2024, kind="prognos"), BudgetYear(year=2025, kind="plan")],
        "opening_equity": 1000,
        "members": [
            Member(name="Kommun A", kind="kommun", key=Decimal("5.5"), contributions={2024: 10, 2025: 11}),
            Member(name="Staten", kind="stat", contributions={2024: 20, 2025: 22}),
        ],
        "revenues": [RevenueLine(name="Ränta", kind="ranta", amounts={2024: -3})],
        "costs": [CostLine(name="=Styrelse", category="administration", amounts={2024: 1234567}, note="-notis")],
        "equity_uses": [EquityUse(year=2025, amount=500, decision="Beslut 2024-11-01")],
    }
    return Budget(**(fields | changes))


def test_budget_to_rows_puts_posts_in_file_order_and_omits_unused_columns():
    rows = budget_to_rows(small_budget())
    assert rows[0] == ["post", "namn", "kategori", 2024, 2025, "nyckel", "notering"]
    assert [row[0] for row in rows[1:]] == [
        "forbund",
        "artyp",
        "avgift",
        "avgift",
        "intakt",
        "kostnad",
        "eget_kapital",
        "eget_kapital_beslut",
    ]
    assert rows[2][3:5] == ["prognos", "plan"]
    assert rows[3] == ["avgift", "Kommun A", "kommun", 10, 11, "5.5", ""]
    assert rows[7] == ["eget_kapital", "Ingående eget kapital", "", 1000, "", "", ""]
    assert rows[8] == ["eget_kapital_beslut", "Beslut 2024-11-01", "", "", 500, "", "Beslut 2024-11-01"]


def test_flag_columns_appear_when_a_cost_uses_them():
    budget = small_budget(costs=[CostLine(name="Lön", amounts={2024: 1}, locked=True)])
    rows = budget_to_rows(budget)
    assert rows[0][-2:] == ["notering", "låst"]
    assert rows[6][-1] == "ja"


def test_csv_export_is_semicolon_utf8_with_bom_plain_integers_and_neutralised_text():
    data = write_budget_csv(small_budget())
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "post;namn;kategori;2024;2025;nyckel;notering"
    assert lines[6] == "kostnad;'=Styrelse;administration;1234567;0;;'-notis"
    assert lines[5] == "intakt;Ränta;ränta;-3;0;;"


def test_xlsx_export_has_bold_header_numeric_amounts_and_thousands_format():
    workbook = openpyxl.load_workbook(io.BytesIO(write_budget_xlsx(small_budget())))
    sheet = workbook.active
    assert sheet.title == "Budget"
    assert all(cell.font.b for cell in sheet[1])
    cost = sheet[7]
    assert cost[1].value == "'=Styrelse"
    assert cost[3].value == 1234567
    assert cost[3].number_format == "#,##0"
    assert sheet["F4"].value == 5.5
    assert sheet.column_dimensions["B"].width >= len("Testförbundet")


def test_write_budget_file_and_read_budget_file_round_trip(tmp_path: Path):
    budget = small_budget()
    for name in ("b.csv", "b.xlsx"):
        write_budget_file(budget, tmp_path / name)
        assert read_budget_file(tmp_path / name) == budget
    with pytest.raises(BudgetFileError):
        write_budget_file(budget, tmp_path / "b.pdf")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+46 70", "'+46 70"),
        ("-notis", "'-notis"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'redan", "''redan"),
        ("Styrelse", "Styrelse"),
        ("", ""),
    ],
)
def test_neutralise_formula_prefixes_an_apostrophe(text: str, expected: str):
    assert neutralise_formula(text) == expected


# Round trip over generated budgets -------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzåäöÅÄÖÉéüABCDEFXYZ0123456789 .,;:\"'()&/-+=@€"
_names = st.builds(
    lambda prefix, rest: (prefix + rest).strip(),
    st.sampled_from(["", "", "", "=", "-", "+", "@", "'", "Ränta "]),
    st.text(alphabet=_LETTERS, min_size=1, max_size=20),
).filter(bool)
_notes = st.text(alphabet=_LETTERS + "\n", max_size=60).map(str.strip)
_keys = st.one_of(
    st.none(),
    st.integers(0, 10**6).map(Decimal),
    st.decimals(min_value=0, max_value=Decimal("999999999999"), places=6, allow_nan=False, allow_infinity=False),
)


@st.composite
def budgets(draw: st.DrawFn) -> Budget:
    count = draw(st.integers(1, 5))
    plans = draw(st.integers(1, count))
    outcomes = draw(st.integers(0, count - plans))
    kinds = ["utfall"] * outcomes + ["prognos"] * (count - plans - outcomes) + ["plan"] * plans
    start = draw(st.integers(1990, 2190))
    years = list(range(start, start + count))

    def amounts(low: int) -> st.SearchStrategy[dict[int, int]]:
        return st.dictionaries(st.sampled_from(years), st.integers(low, 10**10), max_size=count)

    def unique(strategy: st.SearchStrategy, size: int) -> list:
        return draw(st.lists(strategy, max_size=size, unique_by=lambda line: line.name.casefold()))

    @st.composite
    def member(draw_member: st.DrawFn) -> Member:
        kind = draw_member(st.sampled_from(MEMBER_KINDS))
        key = draw_member(_keys) if kind == "kommun" else None
        return Member(name=draw_member(_names), kind=kind, key=key, contributions=draw_member(amounts(0)))

    revenues = unique(st.builds(RevenueLine, name=_names, kind=st.just("ovrig"), amounts=amounts(-(10**9))), 3)
    if draw(st.booleans()):
        interest = RevenueLine(name=draw(_names), kind="ranta", amounts=draw(amounts(-(10**9))))
        if all(r.name.casefold() != interest.name.casefold() for r in revenues):
            revenues.insert(draw(st.integers(0, len(revenues))), interest)
    costs = unique(
        st.builds(
            CostLine,
            name=_names,
            category=st.sampled_from((None, *CATEGORIES)),
            amounts=amounts(0),
            note=_notes.map(lambda note: note or None),
            locked=st.booleans(),
            index=st.sampled_from([None, "lön", "pris"]),
        ),
        5,
    )
    uses = st.builds(EquityUse, year=st.sampled_from(years), amount=st.integers(1, 10**9), decision=_notes)
    return Budget(
        name=draw(_names),
        years=[BudgetYear(year=y, kind=k) for y, k in zip(years, kinds, strict=True)],
        opening_equity=draw(st.integers(-(10**9), 10**10)),
        members=unique(member(), 6),
        revenues=revenues,
        costs=costs,
        equity_uses=draw(st.lists(uses, max_size=3)),
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budgets())
def test_csv_export_then_import_gives_the_same_budget(budget: Budget):
    assert read_budget(write_budget_csv(budget), "x.csv") == budget


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budgets())
def test_xlsx_export_then_import_gives_the_same_budget(budget: Budget):
    assert read_budget(write_budget_xlsx(budget), "x.xlsx") == budget


# Fuzz: nothing but BudgetFileError may escape --------------------------------------------------


def read_or_reject(data: bytes, filename: str) -> None:
    try:
        assert isinstance(read_budget(data, filename), Budget)
    except BudgetFileError as exc:
        assert exc.messages and all(isinstance(m, str) and m for m in exc.messages)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["f.csv", "f.txt", "f.xlsx", "f.bin"]))
def test_arbitrary_bytes_raise_only_budget_file_errors(data: bytes, filename: str):
    read_or_reject(data, filename)


_TOKENS = [
    "post", "namn", "kategori", "notering", "nyckel", "låst", "indexerad", "2023", "2024", "2025", "1899",
    "avgift", "intakt", "kostnad", "eget_kapital", "eget_kapital_beslut", "forbund", "artyp",
    "kommun", "region", "stat", "administration", "ränta", "utfall", "prognos", "plan",
    "0", "-5", "1 234 567", "−150 000", "12,5", "5.5", "=SUM(A1)", "@x", "'", "'=x", "ja", "x", "", " ",
]  # fmt: skip
_cells = st.one_of(st.sampled_from(_TOKENS), st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=8))
_header = st.one_of(
    st.just(["post", "namn", "kategori", "2023", "2024", "notering", "nyckel", "låst", "indexerad"]),
    st.lists(st.sampled_from(["post", "namn", "kategori", "2023", "2024", "notering", "nyckel", "låst"]), max_size=8),
    st.lists(_cells, max_size=8),
)
_posts = st.sampled_from(["avgift", "intakt", "kostnad", "eget_kapital", "eget_kapital_beslut", "forbund", "artyp"])
_rows = st.lists(
    st.tuples(st.one_of(_posts, _cells), st.lists(_cells, max_size=8)).map(lambda row: [row[0], *row[1]]),
    max_size=10,
)
_grids = st.tuples(_header, _rows)


@settings(max_examples=250, deadline=None)
@given(_grids, st.sampled_from([";", ",", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_arbitrary_text_grids_raise_only_budget_file_errors(grid, separator: str, encoding: str):
    header, rows = grid
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator).writerows([header, *rows])
    read_or_reject(buffer.getvalue().encode(encoding, errors="replace"), "grid.csv")


_xlsx_cells = st.one_of(
    _cells.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)


@settings(max_examples=40, deadline=None)
@given(st.tuples(_header, st.lists(st.lists(_xlsx_cells, max_size=8), max_size=6)))
def test_arbitrary_xlsx_grids_raise_only_budget_file_errors(grid):
    header, rows = grid
    read_or_reject(xlsx_bytes([header, *rows]), "grid.xlsx")


_VALID_XLSX = write_budget_xlsx(small_budget())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_VALID_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_corrupted_xlsx_raises_only_budget_file_errors(flips: list[tuple[int, int]]):
    data = bytearray(_VALID_XLSX)
    for position, value in flips:
        data[position] = value
    read_or_reject(bytes(data), "corrupt.xlsx")


def test_a_kommunalforbund_in_swedish_excel_csv_imports_and_balances():
    """Kommunförbundet Västernorrland's line structure (figures illustrative: its document gives none)."""
    from core.engine.compute import compute
    from core.rules.checks import run_checks

    path = resources.examples_dir() / "kommunforbundet_vasternorrland_2007.csv"
    for data in (path.read_bytes(), path.read_text(encoding="utf-8").encode("cp1252")):
        budget = read_budget(data, path.name)
        assert not budget.is_samordningsforbund
        result = compute(budget)[2007]
        assert (result.contributions, result.revenue, result.costs, result.result) == (
            14_000_000,
            21_250_000,
            21_250_000,
            0,
        )
        assert {c.rule for c in run_checks(budget)} == {"budget_i_balans", "eget_kapital_golv", "eget_kapital_tak"}


def test_editor_grid_is_validated_like_a_file():
    from core.files.budget_file import read_budget_rows

    budget = read_budget_file(SEED)
    rows = budget_to_rows(budget)
    assert read_budget_rows(rows, budget.name) == budget
    cost_row = next(i for i, r in enumerate(rows) if r[1] == "Styrelse")
    rows[cost_row][4] = "-5"
    with pytest.raises(BudgetFileError, match=f"Rad {cost_row + 1}, kolumn E \\(2024\\).*negativ"):
        read_budget_rows(rows, budget.name)
