from decimal import Decimal

from tests.pages.conftest import metric, open_page


def test_contribution_change_splits_50_25_25(app):
    at = open_page(app, "intakter")
    at.select_slider(key="intakt::avgift::2026").set_value(Decimal(5)).run()
    assert not at.exception
    assert metric(at, "Eget kapital 2026") == "1 764 450 kr"  # + 401 800
    split = at.dataframe[0].value
    row = dict(zip(split["Part"], split["2026"], strict=True))
    assert row["Staten (FK och AF)"] == "4 218 900 kr (50,0 %)"
    assert row["Regionen"] == "2 109 450 kr (25,0 %)"
    assert row["Kommunerna"] == "2 109 450 kr (25,0 %)"


def test_per_member_table_adds_up_to_the_new_total(app):
    at = open_page(app, "intakter")
    at.select_slider(key="intakt::avgift::2025").set_value(Decimal(-10)).run()
    members = at.dataframe[1].value
    assert int(members["2025"].sum()) == 7_232_400
    # 107 518,5 by key; four municipalities tie on ,5 for two leftover kronor, ties go to the earlier one
    assert int(members.loc[members["Medlem"] == "Aneby kommun", "Ändring 2025"].iloc[0]) == -11_946


def test_interest_as_a_rate_on_equity(app):
    at = open_page(app, "intakter")
    at.segmented_control(key="intakt::ranta_mode").set_value("Räntesats på eget kapital").run()
    at.select_slider(key="intakt::ranta_sats").set_value(Decimal(2)).run()
    assert not at.exception
    assert metric(at, "Resultat 2024") == "−169 747 kr"  # 2 % of 1 512 650 instead of 50 000


def test_a_kommunalforbund_gets_no_statutory_split(db_path):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from core import store
    from core.files.budget_file import read_budget_file
    from tests.pages.conftest import APP, TIMEOUT

    example = Path(APP).parent / "core" / "resources" / "examples" / "kommunforbundet_vasternorrland_2007.csv"
    con = store.open_store(db_path)
    store.save_budget(con, read_budget_file(example), author="test", reason="Exempel")
    con.close()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page("pages/intakter.py").run()
    assert not at.exception
    assert list(at.dataframe[0].value["Part"]) == ["Kommunerna"]
    at.select_slider(key="intakt::avgift::2007").set_value(Decimal(10)).run()
    assert metric(at, "Eget kapital 2007") == "3 400 000 kr"  # + 10 % of 14 000 000
