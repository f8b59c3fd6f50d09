from decimal import Decimal

from core import store
from tests.pages.conftest import metric, open_page

FLOOR = "analys::golv"
ROOM_YEARS = "analys::utrymme_ar::2024-2026"
ROOM_NAME = "analys::utrymme_namn"
ROOM_ADD = "analys::utrymme_lagg_till"
TARGET = "analys::mal"
TARGET_YEARS = "analys::krav_ar::2024-2026"
APPLY_CONTRIBUTIONS = "analys::krav_tillamp"


def table(at, column: str):
    """The first dataframe with ``column``, as data (amounts as numbers)."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"ingen tabell med kolumnen {column!r}")


def test_the_page_shows_every_answer_without_errors(app):
    at = open_page(app, "analys")
    assert not at.error
    assert metric(at, "Utrymme per år 2024–2026") == "454 216 kr"
    assert metric(at, "Ändring av medlemsavgifterna per år 2024–2026") == "+0,63 %"
    assert metric(at, "Eget kapital 2026") == "1 362 650 kr"
    assert len(at.get("plotly_chart")) == 1
    assert [t.label for t in at.tabs] == [
        "Utrymme för ny verksamhet",
        "Vad som krävs",
        "Känslighet",
        "Rulla planen framåt",
    ]


def test_done_when_room_for_floor_one_million_in_2025_2026_is_added_to_the_scenario(app):
    at = open_page(app, "analys")
    at.text_input(key=FLOOR).set_value("1000000").run()
    assert at.text_input(key=FLOOR).value == "1 000 000"  # tidied to Swedish thousands
    at.pills(key=ROOM_YEARS).set_value([2025, 2026]).run()
    assert metric(at, "Utrymme per år 2025–2026") == "181 325 kr"
    assert any("Bindande år är **2026**" in m.value for m in at.markdown)
    at.button(key=ROOM_ADD).click().run()
    assert not at.exception and not at.error
    assert metric(at, "Eget kapital 2025") == "1 181 325 kr"
    assert metric(at, "Eget kapital 2026") == "1 000 000 kr"  # exactly the floor
    new = at.session_state["scenario"].new_line
    assert [(n.name, n.category, n.amounts) for n in new] == [
        ("Ny verksamhet (utrymme)", "ny verksamhet", {2025: 181_325, 2026: 181_325})
    ]
    # Now nothing more fits: the answer is 0 and the button is off.
    assert metric(at, "Utrymme per år 2025–2026") == "0 kr"
    assert at.button(key=ROOM_ADD).disabled


def test_the_new_line_name_can_be_edited_but_not_reused(app):
    at = open_page(app, "analys")
    at.text_input(key=ROOM_NAME).set_value("Styrelse").run()
    at.button(key=ROOM_ADD).click().run()
    assert any("finns redan" in e.value for e in at.error)
    assert at.session_state["scenario"].new_line == []
    at.text_input(key=ROOM_NAME).set_value("Arbetsträning").run()
    at.button(key=ROOM_ADD).click().run()
    assert not at.error
    assert [n.name for n in at.session_state["scenario"].new_line] == ["Arbetsträning"]
    assert metric(at, "Eget kapital 2026") == "2 kr"  # floor 0 over 2024–2026: 1 362 650 − 3 × 454 216


def test_a_floor_already_broken_says_so(app):
    at = open_page(app, "analys")
    at.text_input(key=FLOOR).set_value("2 000 000").run()
    assert not at.error
    assert any("1 362 650 kr vid slutet av 2024, under golvet 2 000 000 kr" in w.value for w in at.warning)
    assert ROOM_ADD not in [b.key for b in at.button]  # nothing to add


def test_a_floor_that_is_not_an_amount_is_refused_in_swedish(app):
    at = open_page(app, "analys")
    at.text_input(key=FLOOR).set_value("en miljon").run()
    assert not at.exception
    assert any("hela kronor" in e.value for e in at.error)


def test_contribution_change_for_a_target_is_applied(app):
    at = open_page(app, "analys")
    assert at.text_input(key=TARGET).value == "1 512 650"  # equity when the plan starts
    at.pills(key=TARGET_YEARS).set_value([2025, 2026]).run()
    assert metric(at, "Ändring av medlemsavgifterna per år 2025–2026") == "+0,94 %"
    at.button(key=APPLY_CONTRIBUTIONS).click().run()
    assert not at.exception
    assert metric(at, "Eget kapital 2026") == "1 513 726 kr"  # 1 362 650 + 2 × 75 538
    contributions = at.session_state["scenario"].contributions
    assert contributions.percent == {2025: Decimal("0.94"), 2026: Decimal("0.94")}
    # Asked again, the answer replaces those years' change, so it is the same.
    assert metric(at, "Ändring av medlemsavgifterna per år 2025–2026") == "+0,94 %"


def test_applied_contribution_change_shows_on_the_intakter_page(app):
    at = open_page(app, "analys")
    at.pills(key=TARGET_YEARS).set_value([2026]).run()
    at.button(key=APPLY_CONTRIBUTIONS).click().run()
    at.switch_page("pages/intakter.py").run()
    assert not at.exception
    # 150 000 more in 2026 alone: 8 036 000 × 1,87 % = 150 273,2 → 150 273 (1,86 % gives 149 470)
    assert metric(at, "Eget kapital 2026") == "1 512 923 kr"


def test_deficit_table_with_and_without_the_decision(app):
    at = open_page(app, "analys")
    deficits = table(at, "Underskott utan beslut om eget kapital")
    row = deficits[deficits["År"] == "2024"].iloc[0]
    assert (row["Resultat"], row["Beslut om eget kapital"]) == (-150_000, 150_000)
    assert (row["Underskott"], row["Underskott utan beslut om eget kapital"]) == (0, 150_000)
    assert list(deficits["Underskott"]) == [0, 0, 0]


def test_sensitivity_table_and_percent(app):
    at = open_page(app, "analys")
    sens = table(at, "+10 %")
    assert list(sens["Post"][:3]) == ["Medlemsavgifter", "SE-Höglandet", "Uppdrag samverkan"]
    assert int(sens["+10 %"].iloc[0]) == 2_410_800
    at.select_slider(key="analys::kanslighet").set_value(20).run()
    sens = table(at, "+20 %")
    assert int(sens["−20 %"].iloc[1]) == 2_388_000  # SE-Höglandet: 3 × 3 980 000 × 20 %


def test_roll_forward_preview_and_confirmed_save(editor_app, db_path):
    at = open_page(editor_app, "analys")
    at.select_slider(key="analys::rulla_lön::2027").set_value(Decimal(3)).run()
    at.select_slider(key="analys::rulla_lön::2028").set_value(Decimal(3)).run()
    at.multiselect(key="analys::rulla_lon_rader::2024-2026").set_value(["Tjänsteperson"]).run()
    assert not at.exception
    lines = table(at, "Kostnadsrad")
    wages = lines[lines["Kostnadsrad"] == "Tjänsteperson"].iloc[0]
    assert (wages["2026"], wages["2027"], wages["2028"], wages["2029"]) == (1_186_000, 1_221_580, 1_258_227, 1_258_227)
    assert wages["Index"] == "lön"
    save = at.button(key="analys::rulla_spara")
    assert save.disabled  # not before the confirmation
    at.checkbox(key="analys::rulla_bekraftad").check().run()
    at.button(key="analys::rulla_spara").click().run()
    assert not at.exception and not at.error
    assert any("Framrullning till 2027–2029" in s.value for s in at.success)
    # Only Tjänsteperson grows: 2027 −35 580, 2028 and 2029 −72 227 each (2029's index left at 0 %)
    assert metric(at, "Eget kapital 2029") == "1 182 616 kr"
    con = store.connect(db_path)  # same configuration as the app's connection in this process
    try:
        versions = store.list_versions(con)
        assert [v.reason for v in versions[:1]] == ["Framrullning till 2027–2029"]
        assert versions[0].author == "Redaktör Test"
        assert store.load_budget(con).plan_years == [2027, 2028, 2029]
        assert store.load_budget(con, versions[1].version_id).plan_years == [2024, 2025, 2026]
    finally:
        con.close()
    assert at.session_state["scenario"].is_empty


def test_only_an_editor_can_save_a_roll_forward(app):
    at = open_page(app, "analys")
    at.select_slider(key="analys::rulla_lön::2027").set_value(Decimal(3)).run()
    assert not [b for b in at.button if b.key == "analys::rulla_spara"]
    assert any("Bara en redaktör" in i.value for i in at.info)


def test_a_line_cannot_follow_both_indexes(app):
    at = open_page(app, "analys")
    at.multiselect(key="analys::rulla_lon_rader::2024-2026").set_value(["Styrelse"]).run()
    at.multiselect(key="analys::rulla_pris_rader::2024-2026").set_value(["Styrelse"]).run()
    assert not at.exception
    assert any("bara följa ett index" in e.value for e in at.error)
