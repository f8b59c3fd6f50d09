from core.engine.compute import compute
from tests.pages.conftest import metric, metric_delta, open_page

SLIDER = "kost::pct::{}"
YEARS = "kost::years::{}"
SHOWN = "kostnader_visa"
NEW_LINE_OPEN = "kost_ny_rad_oppen"


def settle(at):
    """A plain rerun (the slider's own rerun is of its fragment only)."""
    return at.run()


def open_kostnader(app, show: str | None = None):
    open_page(app, "kostnader")
    if show is not None:
        app.pills(key=SHOWN).set_value(show).run()
        assert not app.exception
    return app


def slider_lines(at) -> list[str]:
    return [s.key.removeprefix("kost::pct::") for s in at.select_slider if s.key.startswith("kost::pct::")]


def test_every_cost_line_has_a_slider_under_alla(app, seed_budget):
    at = open_kostnader(app, show="alla")
    assert slider_lines(at) == [line.name for line in seed_budget.costs]
    for line in seed_budget.costs:
        assert at.select_slider(key=SLIDER.format(line.name)).value == 0


def test_lines_are_shown_one_category_at_a_time_first_category_by_default(app, seed_budget):
    at = open_kostnader(app)
    assert at.pills(key=SHOWN).value == "individinriktade insatser"
    assert slider_lines(at) == ["SE-Höglandet", "IT-spåret"]
    assert at.pills(key=SHOWN).options == [
        "Individinriktade insatser (2)",
        "Strukturövergripande insatser (4)",
        "Administration (6)",
        "Ny verksamhet (2)",
        "Alla (14)",
    ]
    at.pills(key=SHOWN).set_value("administration").run()
    expected = [line.name for line in seed_budget.costs if line.category == "administration"]
    assert slider_lines(at) == expected


def test_a_change_survives_switching_category(app):
    at = open_kostnader(app, show="administration")
    settle(at.select_slider(key=SLIDER.format("Styrelse")).set_value(50).run())
    at.pills(key=SHOWN).set_value("ny verksamhet").run()
    at.pills(key=SHOWN).set_value("administration").run()
    assert at.select_slider(key=SLIDER.format("Styrelse")).value == 50
    assert metric(at, "Eget kapital 2026") == "1 272 650 kr"


def test_se_hoglandet_plus_ten_percent_2025_2026_lowers_equity_2026_by_796_000(app):
    at = open_kostnader(app)
    settle(at.pills(key=YEARS.format("SE-Höglandet")).set_value([2025, 2026]).run())
    at.select_slider(key=SLIDER.format("SE-Höglandet")).set_value(10).run()
    assert not at.exception
    assert metric(at, "Eget kapital 2026") == "566 650 kr"  # 1 362 650 − 796 000
    assert metric_delta(at, "Eget kapital 2026") == "−796 000 kr"
    assert metric(at, "Eget kapital 2024") == "1 362 650 kr"


def test_removing_it_sparet_2025_raises_equity_2026_by_562_500(app):
    at = open_kostnader(app)
    settle(at.pills(key=YEARS.format("IT-spåret")).set_value([2025]).run())
    at.select_slider(key=SLIDER.format("IT-spåret")).set_value(-100).run()
    assert metric(at, "Eget kapital 2026") == "1 925 150 kr"
    assert metric_delta(at, "Eget kapital 2026") == "+562 500 kr"


def test_remove_line_in_every_plan_year_from_the_menu(app):
    at = open_kostnader(app)
    at.get("menu_button")  # the menu exists
    menu = next(m for m in at.get("menu_button") if m.key == "kost::menu::IT-spåret")
    menu.set_value("Ta bort raden").run()
    assert not at.exception
    assert metric(at, "Eget kapital 2026") == "2 487 650 kr"  # + 2 × 562 500


def test_scenario_survives_switching_pages(app):
    at = open_kostnader(app, show="administration")
    at.select_slider(key=SLIDER.format("Styrelse")).set_value(50).run()
    at.switch_page("pages/oversikt.py").run()
    assert metric(at, "Eget kapital 2026") == "1 272 650 kr"  # − 3 × 30 000
    at.switch_page("pages/kostnader.py").run()
    assert at.pills(key=SHOWN).value == "administration"
    assert at.select_slider(key=SLIDER.format("Styrelse")).value == 50


def test_reset_all_restores_the_baseline(app):
    at = open_kostnader(app, show="administration")
    settle(at.select_slider(key=SLIDER.format("Styrelse")).set_value(50).run())
    at.button(key="reset_all").click().run()
    assert metric(at, "Eget kapital 2026") == "1 362 650 kr"
    assert at.select_slider(key=SLIDER.format("Styrelse")).value == 0


def open_new_line_form(app):
    at = open_kostnader(app)
    assert not at.text_input, "the form's widgets exist only while it is open"
    at.session_state[NEW_LINE_OPEN] = True
    at.run()
    assert at.text_input(key="ny_rad_namn")
    return at


def test_new_line_is_added_from_the_form_and_shown_in_its_category(app):
    at = open_new_line_form(app)
    at.text_input(key="ny_rad_namn").set_value("Digital arbetsträning")
    at.number_input(key="ny_rad_2025").set_value(300_000)
    at.button(key="FormSubmitter:ny_rad-Lägg till").click().run()
    assert not at.exception
    assert metric(at, "Eget kapital 2026") == "1 062 650 kr"
    assert at.pills(key=SHOWN).value == "ny verksamhet"
    assert "Digital arbetsträning" in slider_lines(at)
    assert not at.text_input, "the form closes after a line is added"
    assert any("är tillagd" in s.value for s in at.success)


def test_new_line_with_an_existing_name_is_refused_in_swedish(app):
    at = open_new_line_form(app)
    at.text_input(key="ny_rad_namn").set_value("Styrelse")
    at.button(key="FormSubmitter:ny_rad-Lägg till").click().run()
    assert any("finns redan" in e.value for e in at.error)
    assert at.text_input(key="ny_rad_namn"), "the form stays open to correct the entry"
    assert metric(at, "Eget kapital 2026") == "1 362 650 kr"


def test_the_stored_baseline_never_changes(app, db_path):
    from core import store

    at = open_kostnader(app, show="administration")
    at.select_slider(key=SLIDER.format("Styrelse")).set_value(50).run()
    con = store.connect(db_path)  # same configuration as the app's connection in this process
    try:
        assert store.load_budget(con).cost_line("Styrelse").amounts[2026] == 60_000
        assert len(store.list_versions(con)) == 1
    finally:
        con.close()


def test_a_slider_step_computes_the_scenario_once_for_both_live_fragments(app, monkeypatch):
    import ui.state

    at = open_kostnader(app)
    calls = []
    monkeypatch.setattr(ui.state, "compute", lambda budget: calls.append(budget) or compute(budget))
    at.select_slider(key=SLIDER.format("SE-Höglandet")).set_value(10).run()
    assert metric(at, "Eget kapital 2026") == "168 650 kr"  # the tiles' fragment
    assert len(at.get("plotly_chart")) == 2  # the charts' fragment: result/equity and the waterfall
    assert len(calls) == 1
