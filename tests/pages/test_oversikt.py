from tests.pages.conftest import metric


def test_oversikt_shows_result_and_equity_per_plan_year(app):
    assert not app.exception
    assert metric(app, "Resultat 2024") == "−150 000 kr"
    assert metric(app, "Eget kapital 2024") == "1 362 650 kr"
    assert metric(app, "Resultat 2026") == "0 kr"
    assert metric(app, "Eget kapital 2026") == "1 362 650 kr"


def test_oversikt_shows_no_deltas_without_a_scenario(app):
    assert all(not m.delta for m in app.metric)


def test_oversikt_lists_checks_without_errors_for_the_seed(app):
    assert not app.error
    assert any("kontroller utan anmärkning" in s.value for s in app.success)


def test_oversikt_budget_table_has_the_verksamhetsplan_rows(app):
    table = app.dataframe[-1].value
    labels = list(table["Post"])
    for row in ("Intäkter", "Aneby kommun", "Summa intäkter", "SE-Höglandet", "Summa kostnader", "Resultat"):
        assert row in labels
    assert table.loc[table["Post"] == "Summa intäkter", "Plan 2024"].iloc[0] == "8 086 000"
    assert table.loc[table["Post"] == "Intäkter", "Plan 2024"].iloc[0] == ""  # heading rows stay blank


def test_presentation_mode_keeps_the_same_figures(app):
    app.toggle(key="presentation_mode").set_value(True).run()
    assert not app.exception
    assert metric(app, "Eget kapital 2026") == "1 362 650 kr"
