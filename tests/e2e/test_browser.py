"""The dashboard as a person uses it: every page renders without errors, the keyboard moves the
sliders and the KPI follow, the scenario survives a page switch. Screenshots go to
``artifacts/screenshots/`` for a human look.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    assert_no_errors,
    full_page_screenshot,
    metric_value,
    open_page,
    viewport_screenshot,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

# Screenshot name -> address.
PAGES = {"oversikt": "oversikt", "kostnader": "kostnader", "intakter": "intakter"}
BASE_EQUITY_2026 = "1 362 650 kr"
# SE-Höglandet costs 3 980 000 kr in each plan year 2024–2026 (all selected by default):
# +10 % is 398 000 kr more a year, so equity 2026 falls by 3 × 398 000 kr.
SE_HOGLANDET_PLUS_10 = "168 650 kr"
CONTRIBUTIONS_PLUS_1_PCT_2026 = "1 443 010 kr"


def press(page, key: str, times: int) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def move_se_hoglandet(page, steps: int) -> None:
    slider = page.get_by_role("slider", name="Förändring SE-Höglandet")
    slider.focus()
    press(page, "ArrowRight", steps)
    expect(slider).to_have_attribute("aria-valuetext", f"+{steps} %")


def switch_presentation_mode_on(page) -> None:
    page.get_by_test_id("stSidebar").get_by_text("Presentationsläge", exact=True).click()
    expect(page.get_by_role("switch", name="Presentationsläge")).to_be_checked()
    expect(page.locator(".st-key-kpis-large")).to_be_visible()
    wait_until_idle(page)


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_without_errors(page, app_url, name):
    open_page(page, app_url, PAGES[name])
    expect(metric_value(page, "Eget kapital 2026")).to_have_text(BASE_EQUITY_2026)
    assert_no_errors(page, name)
    full_page_screenshot(page, name)
    assert_no_errors(page, name)


@pytest.mark.parametrize("name", ["oversikt", "kostnader"])
def test_presentation_mode_renders_without_errors(page, app_url, name):
    open_page(page, app_url, PAGES[name])
    switch_presentation_mode_on(page)
    expect(metric_value(page, "Eget kapital 2026")).to_have_text(BASE_EQUITY_2026)
    assert_no_errors(page, f"{name} i presentationsläge")
    full_page_screenshot(page, f"{name}-presentation")
    assert_no_errors(page, f"{name} i presentationsläge")


def test_root_and_oversikt_addresses_open_without_dialog(page, app_url):
    """The root switches to Översikt; /oversikt itself is served (no English 'Page not found' dialog)."""
    open_page(page, app_url, "")
    expect(page).to_have_url(re.compile(r"/oversikt/?$"))
    expect(page.get_by_role("heading", name="Översikt", level=1)).to_be_visible()
    assert_no_errors(page, "/")
    open_page(page, app_url, "oversikt")
    expect(page.get_by_role("heading", name="Översikt", level=1)).to_be_visible()
    assert_no_errors(page, "/oversikt")


def test_every_page_in_the_menu_opens_without_errors(page, app_url):
    """The pages beyond the three KPI pages, found from the sidebar menu, each in a fresh session."""
    open_page(page, app_url, "oversikt")
    links = page.get_by_test_id("stSidebarNavLink")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    others = [urlparse(href).path.strip("/") for href in hrefs]
    others = [path for path in others if path and path not in PAGES.values()]
    for path in others:
        open_page(page, app_url, path, kpi=False)
        assert_no_errors(page, f"/{path}")


def test_cost_slider_by_keyboard_moves_equity(page, app_url):
    open_page(page, app_url, "kostnader")
    equity = metric_value(page, "Eget kapital 2026")
    expect(equity).to_have_text(BASE_EQUITY_2026)

    move_se_hoglandet(page, 10)

    expect(equity).to_have_text(SE_HOGLANDET_PLUS_10)
    wait_until_idle(page)
    expect(equity).to_have_text(SE_HOGLANDET_PLUS_10)
    assert_no_errors(page, "kostnader efter reglaget")


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_all_lines_can_be_shown_and_the_last_one_moves_equity_in_view(page, app_url, presentation):
    open_page(page, app_url, "kostnader")
    if presentation:
        switch_presentation_mode_on(page)
    expect(page.get_by_role("slider")).to_have_count(2)  # the first category: SE-Höglandet and IT-spåret
    page.get_by_text("Alla (14)", exact=True).click()
    expect(page.get_by_role("slider")).to_have_count(14)
    wait_until_idle(page)
    last = page.get_by_role("slider", name="Förändring Övrig administration")
    last.scroll_into_view_if_needed()
    last.focus()
    press(page, "ArrowRight", 10)  # +10 % of 141 000 kr in three plan years: 42 300 kr less equity in 2026
    equity = metric_value(page, "Eget kapital 2026")
    expect(equity).to_have_text("1 320 350 kr")
    # The tiles stay pinned in view while the lines scroll: the board sees the figure move with the slider.
    expect(equity).to_be_in_viewport()
    box = last.bounding_box()  # a visually hidden range input: Playwright's viewport ratio is always 0
    assert box and 0 <= box["y"] <= page.viewport_size["height"], f"the slider scrolled away: {box}"
    assert_no_errors(page, "kostnader, alla rader")
    viewport_screenshot(page, f"kostnader-alla-{'presentation' if presentation else 'normal'}")


def test_contribution_slider_by_keyboard_moves_equity(page, app_url):
    open_page(page, app_url, "intakter")
    equity = metric_value(page, "Eget kapital 2026")
    expect(equity).to_have_text(BASE_EQUITY_2026)
    slider = page.get_by_role("slider", name="Förändring 2026")
    slider.focus()

    press(page, "ArrowRight", 2)  # steps of 0,5 %

    expect(slider).to_have_attribute("aria-valuetext", re.compile(r"^\+1(,0)? %$"))
    # +1 % of the 8 036 000 kr contributions in 2026 only: 80 360 kr more equity at the end of 2026.
    expect(equity).to_have_text(CONTRIBUTIONS_PLUS_1_PCT_2026)
    wait_until_idle(page)
    expect(equity).to_have_text(CONTRIBUTIONS_PLUS_1_PCT_2026)
    expect(metric_value(page, "Eget kapital 2025")).to_have_text(BASE_EQUITY_2026)
    expect(page.get_by_text("Totalt 8 116 360 kr (+80 360 kr)")).to_be_visible()
    assert_no_errors(page, "intakter efter reglaget")


def test_scenario_survives_page_switch(page, app_url):
    open_page(page, app_url, "kostnader")
    move_se_hoglandet(page, 10)
    expect(metric_value(page, "Eget kapital 2026")).to_have_text(SE_HOGLANDET_PLUS_10)
    wait_until_idle(page)

    # Through the sidebar, in the same session: page.goto would start a new session without the scenario.
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Översikt").click()

    expect(page.get_by_role("heading", name="Översikt", level=1)).to_be_visible()
    expect(metric_value(page, "Eget kapital 2026")).to_have_text(SE_HOGLANDET_PLUS_10)
    wait_until_idle(page)
    expect(metric_value(page, "Eget kapital 2026")).to_have_text(SE_HOGLANDET_PLUS_10)
    # The scenario reached the rule checks too: 398 000 kr a year more than the budget covers.
    expect(page.get_by_test_id("stAlertContentError").filter(has_text="398 000 kr saknar beslut")).to_have_count(3)
    assert_no_errors(page, "oversikt efter sidbyte", error_alerts=True)


def nav(page, title: str) -> None:
    """Switch page through the sidebar, in the same session (page.goto would start a new one)."""
    page.get_by_test_id("stSidebarNavLink").filter(has_text=title).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    wait_until_idle(page)


def test_save_a_scenario_compare_it_and_download_the_board_pdf(page, app_url, tmp_path):
    open_page(page, app_url, "kostnader")
    move_se_hoglandet(page, 10)
    expect(metric_value(page, "Eget kapital 2026")).to_have_text(SE_HOGLANDET_PLUS_10)
    wait_until_idle(page)

    nav(page, "Spara och dela")
    form = page.get_by_test_id("stForm").first
    form.get_by_label("Namn", exact=True).fill("SE-Höglandet plus tio")
    form.get_by_label("Sparas av").fill("Förbundschef")
    form.get_by_role("button", name="Spara").click()
    wait_until_idle(page)
    expect(page.get_by_text("SE-Höglandet plus tio").first).to_be_visible()
    assert_no_errors(page, "scenarier efter sparande")

    nav(page, "Jämför")  # opens on the baseline and the scenario in progress
    expect(page.get_by_text("−1 194 000").first).to_be_visible()  # equity 2026: 168 650 − 1 362 650
    assert_no_errors(page, "jamfor", error_alerts=True)

    nav(page, "Rapport")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Förslag till styrelsen (PDF)").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".pdf" and target.read_bytes().startswith(b"%PDF")
    assert_no_errors(page, "rapport")
