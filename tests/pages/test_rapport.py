from core.engine.scenario import LineChange, Scenario
from tests.pages.conftest import metric, metric_delta, open_page

CHOICE = "rapport_val"
BUTTONS = ("rapport_pdf", "rapport_xlsx", "rapport_csv")


def test_rapport_offers_pdf_excel_and_csv(app):
    at = open_page(app, "rapport")
    assert [b.key for b in at.download_button] == list(BUTTONS)
    labels = [b.label for b in at.download_button]
    assert any("PDF" in label for label in labels)
    assert any("Excel" in label for label in labels)
    assert any("CSV" in label for label in labels)


def test_rapport_defaults_to_the_scenario_in_progress_and_lists_the_scenario_files(app):
    at = open_page(app, "rapport")
    choice = at.selectbox(key=CHOICE)
    assert choice.value.startswith("Pågående scenario")
    assert any("it_sparet_2026.toml" in option for option in choice.options)
    assert metric(at, "Eget kapital 2026") == "1 362 650 kr"
    assert any("inga ändringar" in m.value for m in at.markdown)
    assert [h.value for h in at.subheader] == ["Förhandsvisning: Basbudget"]  # not "Pågående scenario"


def test_choosing_a_scenario_file_previews_its_figures(app):
    at = open_page(app, "rapport")
    choice = at.selectbox(key=CHOICE)
    choice.set_value(next(o for o in choice.options if "it_sparet_2026.toml" in o)).run()
    assert not at.exception
    assert metric(at, "Eget kapital 2026") == "800 150 kr"
    assert metric_delta(at, "Eget kapital 2026") == "−562 500 kr"
    assert len(at.download_button) == 3
    summary = " ".join(m.value.replace("\\", "").replace("\u00a0", " ") for m in at.markdown)
    assert "eget kapital vid årets slut 800 150 kr (−562 500 kr mot basbudgeten)" in summary


def test_the_scenario_in_progress_is_what_the_report_shows(app):
    app.session_state["scenario"] = Scenario(
        name="Utökad SE-Höglandet", change=[LineChange(line="SE-Höglandet", years=[2025, 2026], percent=10)]
    )
    at = open_page(app, "rapport")
    assert at.selectbox(key=CHOICE).value == "Pågående scenario: Utökad SE-Höglandet"
    assert metric(at, "Eget kapital 2026") == "566 650 kr"
    assert len(at.download_button) == 3


def test_a_scenario_that_does_not_fit_shows_the_problem_and_no_downloads(app):
    app.session_state["scenario"] = Scenario(name="Trasigt", remove=["Finns inte"])
    at = open_page(app, "rapport")
    assert any("Finns inte" in e.value for e in at.error)
    assert len(at.download_button) == 0


def test_author_and_date_do_not_break_the_page(app):
    at = open_page(app, "rapport")
    at.text_input(key="rapport_upprattad").input("Anna Andersson").run()
    assert not at.exception
    assert len(at.download_button) == 3
