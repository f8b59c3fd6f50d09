"""The board papers: Excel, PDF and CSV hold the engine's figures, in Swedish, and nothing runs as a formula."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from core.analysis.tables import budget_table
from core.cli.report_cmds import add_report_parser
from core.engine.compute import compute
from core.engine.scenario import LineChange, NewLine, Scenario, load_scenario_file
from core.files.budget_file import read_budget
from core.model.budget import CostLine
from core.model.errors import BudgetError, ScenarioError
from core.papers.board import build_pdf
from core.papers.figures import result_equity_figure, result_equity_series
from core.papers.paper import ReportError, ReportInput, file_names
from core.papers.pdf import pdf_page_count
from core.papers.prose import describe_scenario, summary_sentences
from core.papers.workbook import build_csv, build_workbook
from core.rules.checks import equity_ceiling, run_checks

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((REPO / "core" / "resources" / "scenarios").glob("*.toml"))
SEED = REPO / "core" / "resources" / "seed" / "hoglandets_samordningsforbund_2024.csv"
IT_SPARET = REPO / "core" / "resources" / "scenarios" / "it_sparet_2026.toml"
DATE = dt.date(2025, 6, 12)
FORMULA_NAMES = ('=HYPERLINK("x")', "-5 %", "+46 70", "@SUM(A1)")


def report_for(budget, scenario: Scenario | Path) -> ReportInput:
    if isinstance(scenario, Path):
        scenario = load_scenario_file(scenario)
    return ReportInput(baseline=budget, scenario=scenario, date=DATE, author="Förbundschefen")


@pytest.fixture(scope="module")
def it_sparet(seed_budget) -> ReportInput:
    return report_for(seed_budget, IT_SPARET)


def formula_scenario() -> Scenario:
    return Scenario(
        name="=Formelnamn",
        description="-Beskrivning som börjar med minus",
        new_line=[NewLine(name=name, amounts={2025: 1000 + i}) for i, name in enumerate(FORMULA_NAMES)],
        change=[LineChange(line=FORMULA_NAMES[1], years=[2026], amount=5)],
    )


def workbook(report: ReportInput) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_workbook(report)))


def sheet_rows(sheet) -> tuple[list, list[list]]:
    """The header row (the one starting with Post) and every row under it, as values."""
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Post")
    return rows[header_at], [r for r in rows[header_at + 1 :] if any(v is not None for v in r)]


def expected_rows(budget) -> list[list]:
    """The verksamhetsplan table as the engine gives it: label, then whole kronor (None in heading rows)."""
    table = budget_table(budget, compute(budget))
    return [[label, *(None if pd.isna(v) else int(v) for v in values)] for label, *values in table.frame.values]


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) saknas")
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


# Excel ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=lambda p: p.stem)
def test_excel_budget_sheets_hold_the_engines_figures_to_the_krona(seed_budget, scenario_path):
    report = report_for(seed_budget, scenario_path)
    book = workbook(report)
    for sheet_name, budget in (("Scenario", report.scenario_budget), ("Basbudget", seed_budget)):
        header, rows = sheet_rows(book[sheet_name])
        assert header == list(budget_table(budget, compute(budget)).frame.columns)
        assert rows == expected_rows(budget)
        numbers = [v for r in rows for v in r[1:] if v is not None]
        assert numbers and all(type(v) is int for v in numbers)


def test_excel_scenario_sheet_has_the_it_sparet_result(it_sparet):
    header, rows = sheet_rows(workbook(it_sparet)["Scenario"])
    by_label = {r[0]: r for r in rows}
    column = header.index("Plan 2026")
    assert by_label["Resultat"][column] == -562_500
    assert by_label["Eget kapital vid årets slut"][column] == 800_150
    assert by_label["IT-spåret"][column] == 562_500


def test_excel_comparison_sheet_has_baseline_scenario_and_difference_per_year(it_sparet):
    sheet = workbook(it_sparet)["Jämförelse"]
    header, rows = sheet_rows(sheet)
    years = len(it_sparet.baseline.years)
    assert header[1 : 1 + years] == header[1 + years : 1 + 2 * years] == header[1 + 2 * years : 1 + 3 * years]
    for row in rows:
        base, scen, diff = row[1 : 1 + years], row[1 + years : 1 + 2 * years], row[1 + 2 * years : 1 + 3 * years]
        if base[0] is None:  # a heading row
            continue
        assert diff == [s - b for b, s in zip(base, scen, strict=True)]
    equity = next(r for r in rows if r[0] == "Eget kapital vid årets slut")
    assert equity[1 + 3 * years - 1] == 800_150 - 1_362_650


def test_excel_changes_sheet_lists_the_entries_in_words_and_the_line_deltas(it_sparet):
    rows = [list(r) for r in workbook(it_sparet)["Ändringar"].iter_rows(values_only=True)]
    texts = [r[0] for r in rows if isinstance(r[0], str)]
    assert any("IT-spåret sätts till 562 500 kr 2026" in t for t in texts)
    assert any("Beslut om att använda 562 500 kr av eget kapital 2026" in t for t in texts)
    line = next(r for r in rows if r[1] == "IT-spåret")
    assert line[0] == "Kostnad" and 562_500 in line and line[-1] == -562_500
    total = next(r for r in rows if r[0] == "Resultat")
    assert total[-1] == -562_500


def test_excel_checks_sheet_has_level_year_and_message_of_every_check(it_sparet):
    rows = [list(r) for r in workbook(it_sparet)["Kontroller"].iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Nivå")
    found = [(r[0], r[1], r[3]) for r in rows[header_at + 1 :] if r[0]]
    words = {"ok": "OK", "varning": "Varning", "fel": "Fel"}
    checks = run_checks(it_sparet.scenario_budget)
    assert found == [(words[c.level], c.year, c.message) for c in checks]


def test_excel_sheets_have_title_frozen_header_bold_sums_and_print_setup(it_sparet):
    book = workbook(it_sparet)
    assert book.sheetnames == ["Scenario", "Basbudget", "Jämförelse", "Ändringar", "Kontroller"]
    sheet = book["Scenario"]
    title = " ".join(str(c.value) for c in sheet[1] + sheet[2] if c.value)
    assert "Höglandets samordningsförbund" in title and "IT-spåret fortsätter 2026" in title and "2025-06-12" in title
    assert sheet.freeze_panes == "B5"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["A"].width > 20
    bold = {row[0].value: row[0].font.b for row in sheet.iter_rows(min_row=5) if row[0].value}
    assert bold["Summa intäkter"] and bold["Resultat"] and bold["Eget kapital vid årets slut"]
    assert not bold["Aneby kommun"]
    amount = next(row[1] for row in sheet.iter_rows(min_row=5) if row[0].value == "Aneby kommun")
    assert amount.number_format.startswith("#,##0")


def test_formula_looking_names_are_neutralised_in_excel(seed_budget):
    report = report_for(seed_budget, formula_scenario())
    book = workbook(report)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} är en formel: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert all(not t.startswith(("=", "+", "-", "@")) for t in texts)
    for name in FORMULA_NAMES:
        assert "'" + name in texts
    _, rows = sheet_rows(book["Scenario"])
    assert next(r for r in rows if r[0] == "'-5 %")[4] == 5  # still the line's figure, 2026


def test_formula_looking_names_are_neutralised_in_csv_which_reads_back_as_the_scenario_budget(seed_budget):
    report = report_for(seed_budget, formula_scenario())
    data = build_csv(report)
    cells = [cell for line in data.decode("utf-8-sig").splitlines() for cell in line.split(";")]
    assert not any(cell.lstrip('"').startswith(("=", "+", "-", "@")) for cell in cells)
    assert read_budget(data, "export.csv") == report.scenario_budget


@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=lambda p: p.stem)
def test_csv_reimports_to_the_scenario_budget(seed_budget, scenario_path):
    report = report_for(seed_budget, scenario_path)
    again = read_budget(build_csv(report), file_names(report).csv)
    assert again == report.scenario_budget
    assert compute(again).summary() == report.result.summary()


# PDF --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario_path", [*SCENARIOS, None], ids=lambda p: p.stem if p else "basbudget")
def test_pdf_has_one_to_three_a4_pages(seed_budget, scenario_path, tmp_path):
    scenario = scenario_path or Scenario(name="Basbudget")
    data = build_pdf(report_for(seed_budget, scenario))
    assert data.startswith(b"%PDF-")
    assert 1 <= pdf_page_count(data) <= 3
    assert b"/MediaBox [0 0 595.28 841.89]" in data  # A4 portrait
    if shutil.which("pdfinfo"):
        path = tmp_path / "r.pdf"
        path.write_bytes(data)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert f"Pages:           {pdf_page_count(data)}" in info


def test_pdf_renders_with_poppler(it_sparet, tmp_path):
    data = build_pdf(it_sparet)
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) saknas")
    result = subprocess.run(["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "sida")], capture_output=True)
    assert result.returncode == 0 and not result.stderr, result.stderr
    assert len(list(tmp_path.glob("sida-*.png"))) == pdf_page_count(data)


def test_pdf_contains_the_swedish_figures(it_sparet, tmp_path):
    text = pdf_text(build_pdf(it_sparet), tmp_path)
    for expected in (
        "Förslag till styrelsen",
        "Höglandets samordningsförbund",
        "IT-spåret fortsätter 2026",
        "2025-06-12",
        "Upprättad av Förbundschefen",
        "eget kapital vid årets slut 800 150 kr (−562 500 kr mot basbudgeten)",
        "Resultatet 2026 blir −562 500 kr (−562 500 kr mot basbudgeten)",
        "Eget kapital vid årets slut 1 512 650 1 362 650 1 362 650 800 150 0 0 −562 500",  # table row
        "8 648 500",  # Summa kostnader 2026
        "IT-spåret sätts till 562 500 kr 2026.",
        "Kontroller",
        "Sida 1 av 3",
    ):
        assert expected in text, expected
    assert "-562" not in text  # the typographic minus, never a hyphen


def test_pdf_embeds_the_bundled_font_and_the_fonts_license_is_shipped(it_sparet):
    data = build_pdf(it_sparet)
    assert b"DejaVuSans" in data and b"/Helvetica" not in data
    fonts = REPO / "core" / "resources" / "fonts"
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"} <= {p.name for p in fonts.iterdir()}
    assert "Bitstream" in (fonts / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")


def test_pdf_of_the_baseline_has_no_difference_columns(seed_budget, tmp_path):
    text = pdf_text(build_pdf(report_for(seed_budget, Scenario(name="Basbudget"))), tmp_path)
    assert "Basbudget 2023–2026" in text
    assert "Förändring mot basbudget" not in text
    assert "Resultatet 2026 blir 0 kr och eget kapital vid årets slut 1 362 650 kr." in text
    assert "Scenariot innehåller inga ändringar" in text


def test_pdf_shows_warnings_with_their_messages(seed_budget, tmp_path):
    report = report_for(seed_budget, REPO / "core" / "resources" / "scenarios" / "statlig_tilldelning_plus_5.toml")
    assert any(c.level == "varning" for c in report.checks)
    text = pdf_text(build_pdf(report), tmp_path)
    assert "Regelkontrollerna ger 2 varningar" in text
    assert "2026: eget kapital 2 166 250 kr (25,5 % av årets intäkter) är över taket" in text


def test_pdf_copes_with_formula_names_and_a_long_budget(seed_budget):
    long_costs = [
        CostLine(name=f"Insats nummer {i} med ett ganska långt namn som måste radbrytas i tabellen", amounts={})
        for i in range(60)
    ]
    budget = seed_budget.model_copy(update={"costs": [*seed_budget.costs, *long_costs]})
    budget = type(seed_budget).model_validate(budget.model_dump())
    data = build_pdf(report_for(budget, formula_scenario()))
    assert pdf_page_count(data) >= 2


# Words, names and the chart's data --------------------------------------------------------------


def test_summary_sentences_give_result_and_equity_against_the_baseline(it_sparet):
    sentences = summary_sentences(it_sparet)
    assert sentences[-1] == "Alla 19 regelkontroller är utan anmärkning."
    assert (
        "Resultatet 2026 blir −562 500 kr (−562 500 kr mot basbudgeten) och eget kapital vid årets slut "
        "800 150 kr (−562 500 kr mot basbudgeten)." in sentences
    )
    assert sentences[0].startswith("Resultatet 2024 blir −150 000 kr (samma som basbudgeten)")


def test_every_kind_of_scenario_entry_is_described_in_swedish(seed_budget):
    scenario = Scenario.model_validate(
        {
            "name": "Allt",
            "remove": ["Inspirationsdag"],
            "locked": ["Revision"],
            "interest_rate": "3.57",
            "change": [
                {"line": "SE-Höglandet", "years": [2025, 2026], "percent": 10},
                {"line": "Styrelse", "delta": -5000},
            ],
            "new_line": [{"name": "Digital arbetsträning", "category": "ny verksamhet", "amounts": {2025: 300000}}],
            "contributions": {"percent": {2026: 5}},
            "use_equity": [{"year": 2026, "amount": 100000, "decision": "Förslag."}],
        }
    )
    words = describe_scenario(seed_budget, scenario)
    assert words == [
        "Inspirationsdag tas bort (alla planår (2024–2026) blir 0 kr).",
        "Ny kostnadsrad Digital arbetsträning (ny verksamhet): 300 000 kr 2025.",
        "SE-Höglandet ändras med +10 % 2025 och 2026.",
        "Styrelse minskar med 5 000 kr alla planår (2024–2026).",
        "Medlemsavgifterna totalt ändras med +5 % 2026, fördelat 50/25/25 mellan staten, regionen och "
        "kommunerna enligt lag (2003:1210) 5 § och mellan kommunerna enligt fördelningsnyckeln.",
        "Räntan räknas som 3,57 % av eget kapital vid årets början varje planår.",
        "Beslut om att använda 100 000 kr av eget kapital 2026: Förslag.",
        "Låsta rader som inte kan ändras: Revision.",
    ]
    assert len(describe_scenario(seed_budget, scenario, equity_uses=False)) == len(words) - 1


def test_file_names_carry_the_scenario_and_the_date(it_sparet):
    names = file_names(it_sparet)
    assert names.pdf == "forslag-till-styrelsen-it-sparet-fortsatter-2026-2025-06-12.pdf"
    assert names.xlsx.endswith("it-sparet-fortsatter-2026-2025-06-12.xlsx")
    assert names.csv.endswith("-2025-06-12.csv")
    odd = ReportInput(baseline=it_sparet.baseline, scenario=Scenario(name="../ö/ä:*?"), date=DATE)
    assert "/" not in file_names(odd).pdf and file_names(odd).pdf.endswith("-o-a-2025-06-12.pdf")


def test_a_scenario_that_does_not_fit_is_a_scenario_error(seed_budget):
    report = report_for(seed_budget, Scenario(name="Fel", remove=["Finns inte"]))
    with pytest.raises(ScenarioError, match="Finns inte"):
        build_pdf(report)


def test_chart_series_are_the_figures_the_plotly_chart_draws(it_sparet):
    series = [("Basbudget", it_sparet.base_result), ("IT", it_sparet.result)]
    budget = it_sparet.scenario_budget
    ceilings = {y: equity_ceiling(budget, f) for y, f in it_sparet.result.years.items()}
    data = result_equity_series(series, floor=0, ceilings=ceilings)
    assert data.years == (2023, 2024, 2025, 2026)
    assert data.scenarios[1].equity == (1_512_650, 1_362_650, 1_362_650, 800_150)
    assert data.scenarios[1].results == (297_068, -150_000, 0, -562_500)
    assert [s.result_name for s in data.scenarios] == ["Resultat – Basbudget", "Resultat – IT"]
    figure = result_equity_figure(series, floor=0, ceilings=ceilings)
    traces = {trace.name: list(trace.y) for trace in figure.data}
    for line in data.scenarios:
        assert traces[line.result_name] == list(line.results)
        assert traces[line.equity_name] == list(line.equity)
    assert traces["Tak för eget kapital"] == list(ceilings.values())
    assert traces["Golv för eget kapital"] == [0, 0, 0, 0]
    single = result_equity_series([("Basbudget", it_sparet.base_result)])
    assert single.scenarios[0].equity_name == "Eget kapital" and single.floor is None and not single.ceilings


# Command line (cmd_report through a small parser; core.cli.main wires it in) --------------------------


def run_report(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m core")
    add_report_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["report", *argv])
    return args.func(args)


def test_cli_writes_the_three_files(tmp_path, capsys):
    out = {kind: tmp_path / f"rapport.{kind}" for kind in ("pdf", "xlsx", "csv")}
    code = run_report(
        "--budget",
        str(SEED),
        "--scenario",
        str(IT_SPARET),
        "--pdf",
        str(out["pdf"]),
        "--xlsx",
        str(out["xlsx"]),
        "--csv",
        str(out["csv"]),
        "--date",
        "2025-06-12",
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert all(str(path) in printed for path in out.values())
    assert "3 sidor" in printed
    assert 1 <= pdf_page_count(out["pdf"].read_bytes()) <= 3
    _, rows = sheet_rows(openpyxl.load_workbook(out["xlsx"])["Scenario"])
    assert next(r for r in rows if r[0] == "Eget kapital vid årets slut")[4] == 800_150
    assert compute(read_budget(out["csv"].read_bytes(), "x.csv")).last.equity_end == 800_150


def test_cli_reads_the_baseline_from_the_database_without_a_scenario(db_path, tmp_path):
    assert run_report("--db", str(db_path), "--csv", str(tmp_path / "b.csv")) == 0
    assert compute(read_budget((tmp_path / "b.csv").read_bytes(), "b.csv")).last.equity_end == 1_362_650


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "Ange minst en fil"),
        (("--pdf", "{tmp}/saknas/r.pdf"), "finns inte"),
        (("--pdf", "{tmp}/a.pdf", "--csv", "{tmp}/a.pdf"), "olika filnamn"),
        (("--scenario", "{tmp}/nej.toml", "--pdf", "{tmp}/r.pdf"), "filen finns inte"),
    ],
)
def test_cli_user_errors_are_budget_errors_and_nothing_is_written(tmp_path, argv, message):
    argv = tuple(a.replace("{tmp}", str(tmp_path)) for a in argv)
    with pytest.raises(BudgetError, match=message):
        run_report("--budget", str(SEED), *argv)
    assert list(tmp_path.iterdir()) == []


def test_cli_a_scenario_that_does_not_fit_writes_nothing(tmp_path):
    bad = tmp_path / "fel.toml"
    bad.write_text('name = "Fel"\nremove = ["Finns inte"]\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"fel\.toml"):
        run_report("--budget", str(SEED), "--scenario", str(bad), "--pdf", str(tmp_path / "r.pdf"))
    assert not (tmp_path / "r.pdf").exists()
    assert issubclass(ReportError, BudgetError)
