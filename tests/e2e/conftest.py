"""Browser tests: the real dashboard on a fresh database, driven by Debian's headless Chromium.

One Streamlit server and one browser per test session; each test gets its own browser context, so
its own Streamlit session (a new URL load is always a new session: the scenario lives in it).
Playwright's own browser download does not work here, so we always launch ``/usr/bin/chromium``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.harness import CHROMIUM, CHROMIUM_ARGS, REPO, ServerError, StreamlitServer

VIEWPORT = {"width": 1600, "height": 1000}
SCREENSHOTS = REPO / "artifacts" / "screenshots"
STARTUP_TIMEOUT = 60.0
RUN_TIMEOUT_MS = 30_000

# What Streamlit 1.67 renders for problems: st.exception (and an uncaught exception in a script) is
# ``stException``; st.error and element errors are an ``stAlertContainer`` holding ``stAlertContentError``.
ERROR_SELECTOR = '[data-testid="stException"], [data-testid="stAlertContentError"]'
RUNNING_ICON = '[data-testid="stStatusWidgetRunningIcon"]'
# Streamlit's own modals (e.g. "Page not found") and st.dialog; no page should open one by itself.
DIALOG_SELECTOR = '[role="dialog"]'


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} saknas (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(f"{reason}: webbläsartesterna får inte hoppas över i CI.", pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def app_url(chromium_path) -> Iterator[str]:
    """The dashboard on a free port with a fresh database; the base URL without trailing slash."""
    with tempfile.TemporaryDirectory(prefix="forbundsbudget-e2e-") as tmp:
        env = {**os.environ, "FORBUNDSBUDGET_DB": str(Path(tmp) / "budget.duckdb")}
        server = StreamlitServer("dashboard.py", env, Path(tmp) / "streamlit.stderr")
        try:
            server.wait_healthy(STARTUP_TIMEOUT)
        except ServerError as exc:
            pytest.fail(str(exc), pytrace=False)
        try:
            yield server.url
        finally:
            server.stop()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser context (so a fresh Streamlit session), Swedish locale, 1600×1000."""
    context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()


# Helpers used by the tests ------------------------------------------------------------------------
def wait_until_idle(page) -> None:
    """Streamlit has connected, run the script (or fragment) to the end, and shows no running man."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.dataset.testConnectionState === 'CONNECTED'
                && app.dataset.testScriptState === 'notRunning';
        }"""
    )
    from playwright.sync_api import expect

    expect(page.locator(RUNNING_ICON)).to_have_count(0)


def open_page(page, app_url: str, path: str, *, kpi: bool = True) -> None:
    """Load ``path`` (a new session) and wait until its script has run; ``kpi``: wait for the KPI tiles too."""
    page.goto(f"{app_url}/{path}")
    if kpi:
        metric_value(page, "Eget kapital 2026").wait_for(state="visible")
    else:
        page.get_by_test_id("stHeading").first.wait_for(state="visible")
    wait_until_idle(page)


def metric_value(page, label: str):
    """The value element of the ``st.metric`` whose label is exactly ``label``."""
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )
    return metric.locator('[data-testid="stMetricValue"]')


def wait_for_charts(page) -> None:
    """Plotly charts and data frames load their code lazily; wait until each shown one has drawn something."""
    page.wait_for_function(
        """() => {
            const shown = sel => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility());
            const charts = shown('[data-testid="stPlotlyChart"]');
            const frames = shown('[data-testid="stDataFrame"]');
            return charts.every(c => c.querySelector('.main-svg'))
                && frames.every(f => f.querySelector('canvas, table'));
        }"""
    )


def full_page_screenshot(page, name: str) -> Path:
    """Streamlit scrolls inside ``stMain``, so grow the viewport to the content, shoot, and shrink back."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    wait_for_charts(page)
    size = dict(page.viewport_size or VIEWPORT)
    height = size["height"]
    for _ in range(3):  # the layout may grow once more when the viewport grows
        needed = page.evaluate(
            """() => {
                const main = document.querySelector('[data-testid="stMain"]');
                const sidebar = document.querySelector('[data-testid="stSidebarContent"]');
                return Math.max(main ? main.scrollHeight : 0, sidebar ? sidebar.scrollHeight : 0,
                                document.documentElement.scrollHeight);
            }"""
        )
        if needed <= height:
            break
        height = min(int(needed), 12_000)
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(300)
    wait_for_charts(page)
    page.wait_for_timeout(300)  # let Plotly finish its resize animation
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    page.set_viewport_size(size)
    return path


def viewport_screenshot(page, name: str) -> Path:
    """What the user sees at this scroll position (pinned elements show where they are pinned)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    wait_for_charts(page)
    page.screenshot(path=str(path), animations="disabled")
    return path


def assert_no_errors(page, where: str, *, error_alerts: bool = False) -> None:
    """No exception box and no JavaScript error; no ``st.error`` either unless ``error_alerts`` (a scenario
    that breaks the budget rules is *meant* to show the failed checks as error alerts)."""
    errors = page.locator(ERROR_SELECTOR if not error_alerts else '[data-testid="stException"]')
    texts = [errors.nth(i).inner_text() for i in range(errors.count())]
    assert not texts, f"{where}: Streamlit visar fel:\n" + "\n---\n".join(texts)
    dialogs = page.locator(DIALOG_SELECTOR)
    shown = [dialogs.nth(i).inner_text() for i in range(dialogs.count()) if dialogs.nth(i).is_visible()]
    assert not shown, f"{where}: en dialogruta ligger över sidan:\n" + "\n---\n".join(shown)
    assert not page.console_errors, f"{where}: JavaScript-fel i sidan: {page.console_errors}"
