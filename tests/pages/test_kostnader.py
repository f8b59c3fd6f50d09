from tests.pages.conftest import metric, metric_delta

SLIDER = "kost::pct::{}"
YEARS = "kost::years::{}"


def settle(at):
    """A plain rerun (the slider's own rerun is of its fragment only)."""
    return at.run()


def open_kostnader(app):
    app.switch_page("pages/kostnader.py").run()
    assert not app.exception
    return app


def test_every_cost_line_has_a_slider(app, seed_budget):
    at = open_kostnader(app)
    for line in seed_budget.costs:
        assert at.select_slider(key=SLIDER.format(line.name)).value == 0


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
    at = open_kostnader(app)
    at.select_slider(key=SLIDER.format("Styrelse")).set_value(50).run()
    at.switch_page("pages/oversikt.py").run()
    assert metric(at, "Eget kapital 2026") == "1 272 650 kr"  # − 3 × 30 000
    at.switch_page("pages/kostnader.py").run()
    assert at.select_slider(key=SLIDER.format("Styrelse")).value == 50


def test_reset_all_restores_the_baseline(app):
    at = open_kostnader(app)
    settle(at.select_slider(key=SLIDER.format("Styrelse")).set_value(50).run())
    at.button(key="reset_all").click().run()
    assert metric(at, "Eget kapital 2026") == "1 362 650 kr"
    assert at.select_slider(key=SLIDER.format("Styrelse")).value == 0


def test_new_line_is_added_from_the_form(app):
    at = open_kostnader(app)
    at.text_input[0].set_value("Digital arbetsträning")
    at.number_input[1].set_value(300_000)  # 2025
    at.button(key="FormSubmitter:ny_rad-Lägg till").click().run()
    assert not at.exception
    assert metric(at, "Eget kapital 2026") == "1 062 650 kr"


def test_new_line_with_an_existing_name_is_refused_in_swedish(app):
    at = open_kostnader(app)
    at.text_input[0].set_value("Styrelse")
    at.button(key="FormSubmitter:ny_rad-Lägg till").click().run()
    assert any("finns redan" in e.value for e in at.error)
    assert metric(at, "Eget kapital 2026") == "1 362 650 kr"


def test_the_stored_baseline_never_changes(app, db_path):
    from core import store

    at = open_kostnader(app)
    at.select_slider(key=SLIDER.format("Styrelse")).set_value(50).run()
    con = store.connect(db_path)  # same configuration as the app's connection in this process
    try:
        assert store.load_budget(con).cost_line("Styrelse").amounts[2026] == 60_000
        assert len(store.list_versions(con)) == 1
    finally:
        con.close()
