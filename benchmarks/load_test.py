"""Load test: many headless-browser sessions against one dashboard server, moving sliders and saving.

One Streamlit server on a free loopback port and a fresh database (``FORBUNDSBUDGET_DB`` in a
temporary folder); one Debian Chromium with a browser context per session, all driven from one
asyncio loop. First every session opens Kostnader (three at a time; not part of the timed run).
Then, for ``--seconds``, each session works like a person at a board meeting: it moves a random cost
line's slider one to three steps with the arrow keys, waits until ``Eget kapital 2026`` shows the
figure the engine computes for the session's own scenario (computed here with ``core``) and pauses
2–6 s. Every 20–30 s it goes to Spara och dela through the sidebar, saves the scenario under its own
name (``Last <n>``, so each name gets several versions) and goes back.

Counted as an error: an exception box or an ``st.error`` alert in any page, an uncaught JavaScript
error, a wait that times out (30 s for a figure, a page switch, a save confirmation), a crashed page,
a wrong figure or version number, and every traceback or ERROR line in the server's stderr. Server
memory (VmRSS of the server process and its children, from ``/proc``) and CPU are sampled every 5 s.
After the run the server is stopped and every saved scenario version is loaded with
``core.store.load_scenario``; each confirmed save must be there with the slider positions the
session had when it saved. Latency: from the last arrow key to the new figure in the page.

Criteria: zero errors; every saved version readable (and every confirmed save stored as saved);
server RSS at the end within 20 % of its value after the first minute (runs shorter than two
minutes compare with the value at half time). A script, not a test: exit code 0 when every criterion
is met, 1 otherwise. Edits to the app's sources during a run make Streamlit reload modules in the
running server; the summary warns when that happened.

Usage: ``python benchmarks/load_test.py [--sessions 20] [--seconds 120] [--json] [--set OPTION=VALUE]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from benchmarks.harness import CHROMIUM, CHROMIUM_ARGS, REPO, StreamlitServer

VIEWPORT = {"width": 1400, "height": 900}
LABEL = "Eget kapital 2026"
WAIT_MS = 30_000  # any single wait (a figure, a save confirmation, a page switch)
OPEN_MS = 60_000  # the first page load of a session
STARTUP_S = 90.0  # server start
TEARDOWN_S = 90.0  # after --seconds: let actions under way finish (each wait ≤ 30 s), then close everything
SAMPLE_EVERY_S = 5.0
MEMORY_TOLERANCE = 0.20
PERCENT_LIMIT = 30  # sliders wander within ±30 %
THINK_S = (2.0, 6.0)  # pause between two actions of one session (after the figure has updated)
OPEN_AT_ONCE = 3  # sessions opening their first page at the same time
OPEN_PHASE_S = 300.0  # all sessions must be open by then
FIRST_SAVE_S = (8.0, 20.0)  # after the session has opened
SAVE_EVERY_S = (20.0, 30.0)

ERROR_SELECTOR = '[data-testid="stException"], [data-testid="stAlertContentError"]'

# Runs in every document of every session before the app's own code: records error elements as
# they appear (so one that is gone again by the next check still counts), and key presses for latency.
INIT_JS = """
(() => {
    const SELECTOR = window.__LT_SELECTOR__;
    const seen = new WeakSet();
    window.__lt_errors = [];
    const scan = () => {
        for (const el of document.querySelectorAll(SELECTOR)) {
            if (seen.has(el)) continue;
            seen.add(el);
            window.__lt_errors.push({ path: location.pathname, text: (el.innerText || '').slice(0, 4000) });
        }
    };
    new MutationObserver(scan).observe(document, { childList: true, subtree: true });
    document.addEventListener('keydown', (event) => {
        if (window.__lt_arm) window.__lt_arm.lastKey = event.timeStamp;
    }, { capture: true });
})();
""".replace("window.__LT_SELECTOR__", json.dumps(ERROR_SELECTOR))

# Before a move: note when the metric first shows the expected text (after the last key press).
ARM_JS = """([label, expected]) => {
    const norm = (s) => s.replace(/\\s+/g, ' ').trim();
    const valueOf = () => {
        for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
            const l = m.querySelector('[data-testid="stMetricLabel"]');
            if (l && norm(l.textContent) === label) {
                const v = m.querySelector('[data-testid="stMetricValue"]');
                return v ? norm(v.textContent) : null;
            }
        }
        return null;
    };
    const arm = { lastKey: null, dom: null, before: valueOf() };
    window.__lt_arm = arm;
    const observer = new MutationObserver(() => {
        if (arm.dom === null && arm.lastKey !== null && valueOf() === expected) {
            arm.dom = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    return arm.before;
}"""

METRIC_JS = """([label, expected]) => {
    const norm = (s) => s.replace(/\\s+/g, ' ').trim();
    for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
        const l = m.querySelector('[data-testid="stMetricLabel"]');
        if (l && norm(l.textContent) === label) {
            const v = m.querySelector('[data-testid="stMetricValue"]');
            return v !== null && norm(v.textContent) === expected;
        }
    }
    return false;
}"""

IDLE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testConnectionState === 'CONNECTED' && app.dataset.testScriptState === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidgetRunningIcon"]');
}"""


def norm(text: str) -> str:
    return " ".join(text.split())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


# Processes ----------------------------------------------------------------------------------------
TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()  # fields from the state on (field 3 of proc(5))


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat_fields(int(entry))) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes and of their children already reaped."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / TICKS


# The server ---------------------------------------------------------------------------------------
def streamlit_env(option: str) -> tuple[str, str]:
    """``runner.postScriptGC=false`` as the variable ``streamlit run`` reads: ``STREAMLIT_RUNNER_POST_SCRIPT_GC``."""
    key, _, value = option.partition("=")
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", key.strip().replace(".", "_"))
    return "STREAMLIT_" + re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).upper(), value.strip()


class Server(StreamlitServer):
    """The dashboard (``streamlit run dashboard.py`` on a free loopback port), measured from /proc."""

    def __init__(self, env: dict[str, str], stderr_path: Path):
        super().__init__("dashboard.py", env, stderr_path)

    def rss_kb(self) -> int:
        """VmRSS of the server process and all its descendants, in kB."""
        total = 0
        for pid in process_tree(self.process.pid):
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total

    def problems(self) -> list[str]:
        """Tracebacks (each with its exception line) and ERROR log lines the server wrote to stderr."""
        lines = self.stderr_path.read_text(errors="replace").splitlines()
        found, i = [], 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("Traceback (most recent call last)"):
                before = lines[i - 1] if i > 0 else ""
                # The line before: Streamlit's ERROR line, or asyncio's "Task exception was never retrieved".
                block = [before, line] if " ERROR " in before or before[:1].isalpha() else [line]
                i += 1
                while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i].strip()):
                    block.append(lines[i])
                    i += 1
                if i < len(lines):
                    block.append(lines[i])  # the exception itself
                found.append("\n".join(block))
            elif " ERROR " in line and not (i + 1 < len(lines) and lines[i + 1].startswith("Traceback")):
                found.append(line)
            i += 1
        return found


# The figures a session expects -------------------------------------------------------------------
class Model:
    """The stored baseline and the engine: what ``Eget kapital 2026`` shows for given slider positions."""

    def __init__(self, db_path: Path):
        from core import store

        con = store.open_store(db_path)  # creates and seeds the fresh database the server will use
        try:
            self.base = store.load_budget(con)
        finally:
            con.close()
        self.last_year = self.base.plan_years[-1]
        # Lines a slider can move that change the figure (a line of 0 kr every plan year cannot).
        self.lines = [
            line.name
            for line in self.base.costs
            if not line.locked and any(line.amounts.get(y, 0) for y in self.base.plan_years)
        ]
        self._cache: dict[frozenset, str] = {}

    def scenario(self, percents: dict[str, int], name: str = "Pågående scenario"):
        from core.engine.scenario import Scenario
        from core.engine.whatif import set_line_percent

        scenario = Scenario(name=name)
        for line, percent in percents.items():
            if percent:
                scenario = set_line_percent(self.base, scenario, line, Decimal(percent), self.base.plan_years)
        return scenario

    def equity_text(self, percents: dict[str, int]) -> str:
        key = frozenset((k, v) for k, v in percents.items() if v)
        if key not in self._cache:
            from core.engine.compute import compute
            from core.engine.scenario import apply_scenario
            from core.model.money import format_kr

            budget = apply_scenario(self.base, self.scenario(percents), source="lasttest")
            self._cache[key] = norm(format_kr(compute(budget)[self.last_year].equity_end))
        return self._cache[key]

    def percents_of(self, scenario) -> dict[str, int]:
        from core.engine.whatif import line_edit

        found = {}
        for line in self.lines:
            edit = line_edit(self.base, scenario, line)
            if edit.mode != "procent" or (edit.percent and tuple(edit.years) != tuple(self.base.plan_years)):
                found[line] = None  # something the sliders cannot have made
            elif edit.percent:
                found[line] = int(edit.percent)
        return found


# Counting ----------------------------------------------------------------------------------------
@dataclass
class Save:
    session: int
    name: str
    version: int
    percents: dict[str, int]


@dataclass
class Stats:
    key_presses: int = 0
    slider_moves: int = 0
    page_switches: int = 0
    saves_attempted: int = 0
    saves_confirmed: int = 0
    sessions_opened: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    saves: list[Save] = field(default_factory=list)
    memory: list[tuple[float, int]] = field(default_factory=list)
    cpu_end: tuple[float, float] = (0.0, 0.0)

    def error(self, kind: str, session: int | str, where: str, text: str) -> None:
        self.errors.append({"kind": kind, "session": session, "where": where, "text": text.strip()[:4000]})
        print(f"  FEL [{kind}] session {session}, {where}: {text.strip().splitlines()[0][:200]}", file=sys.stderr)


class Timeout(Exception):
    pass


# One session -------------------------------------------------------------------------------------
class Session:
    def __init__(self, number: int, browser, url: str, model: Model, stats: Stats):
        self.n = number
        self.name = f"Last {number}"
        self.browser = browser
        self.url = url
        self.model = model
        self.stats = stats
        self.percents: dict[str, int] = {}
        self.version = 0  # the last version confirmed under self.name
        self.rng = random.Random(number * 7919)
        self.context = None
        self.page = None

    def error(self, kind: str, where: str, text: str) -> None:
        self.stats.error(kind, self.n, where, text)

    async def start(self) -> None:
        self.context = await self.browser.new_context(viewport=VIEWPORT, locale="sv-SE")
        self.context.set_default_timeout(WAIT_MS)
        await self.context.add_init_script(INIT_JS)
        self.page = await self.context.new_page()
        self.page.on("crash", lambda _page: self.error("krasch", "sidan", "Sidan kraschade i webbläsaren."))
        self.page.on("pageerror", lambda exc: self.error("javascript", self.page.url, str(exc)))

    async def collect_errors(self) -> None:
        """Error elements the in-page observer has seen since the last call."""
        with contextlib.suppress(Exception):
            found = await self.page.evaluate("() => (window.__lt_errors || []).splice(0)")
            for item in found:
                self.error("felruta", item["path"], item["text"])

    async def wait_idle(self, timeout: float = WAIT_MS) -> None:
        await self.page.wait_for_function(IDLE_JS, timeout=timeout, polling=100)

    async def wait_metric(self, expected: str, timeout: float = WAIT_MS) -> None:
        await self.page.wait_for_function(METRIC_JS, arg=[LABEL, expected], timeout=timeout, polling=100)

    async def open(self) -> None:
        """A fresh Streamlit session on Kostnader, with the baseline (no changes)."""
        self.percents = {}
        await self.page.goto(f"{self.url}/kostnader", timeout=OPEN_MS)
        await self.wait_metric(self.model.equity_text({}), timeout=OPEN_MS)
        await self.wait_idle(timeout=OPEN_MS)
        # Every line on screen (the page shows one category at a time; the choice is kept across pages).
        await self.page.get_by_text(f"Alla ({len(self.model.base.costs)})", exact=True).click()
        await self.page.locator("input[type=range]").nth(len(self.model.base.costs) - 1).wait_for(timeout=OPEN_MS)
        await self.wait_idle(timeout=OPEN_MS)

    async def move(self) -> None:
        """One to three arrow presses on a random line's slider; wait for the computed figure."""
        page = self.page
        line = self.rng.choice(self.model.lines)
        current = self.percents.get(line, 0)
        count = self.rng.randint(1, 3)
        direction = self.rng.choice((-1, 1))
        if abs(current + direction * count) > PERCENT_LIMIT:
            direction = -direction
        target = current + direction * count
        wanted = {**self.percents, line: target}
        expected = self.model.equity_text(wanted)
        # By aria-label: the accessible name also holds the collapsed label, so get_by_role(exact=True) misses.
        slider = page.locator(f"input[type=range][aria-label={json.dumps(f'Förändring {line}', ensure_ascii=False)}]")
        await slider.focus()
        before = await page.evaluate(ARM_JS, [LABEL, expected])
        shown = self.model.equity_text(self.percents)
        if before != shown:
            self.error("fel siffra", "kostnader", f"{LABEL} visar {before}, väntat {shown}")
        key = "ArrowRight" if direction > 0 else "ArrowLeft"
        for i in range(count):
            if i:
                await asyncio.sleep(self.rng.uniform(0.05, 0.15))
            await page.keyboard.press(key)
            self.stats.key_presses += 1
        try:
            await page.wait_for_function(
                "() => window.__lt_arm && window.__lt_arm.dom !== null", timeout=WAIT_MS, polling=50
            )
        except Exception as exc:
            shown = await page.evaluate(
                "() => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')].map(e => e.textContent)"
            )
            value = await slider.get_attribute("aria-valuetext")
            raise Timeout(
                f"{line} {current:+d} → {target:+d} %: {LABEL} visar inte {expected} inom {WAIT_MS / 1000:.0f} s "
                f"(reglaget visar {value!r}, nyckeltalen {shown})"
            ) from exc
        arm = await page.evaluate("() => window.__lt_arm")
        self.stats.latencies_ms.append(arm["dom"] - arm["lastKey"])
        self.percents = {k: v for k, v in wanted.items() if v}
        self.stats.slider_moves += 1

    async def switch_to(self, path: str) -> None:
        await self.wait_idle()
        await self.page.locator(f'a[data-testid="stSidebarNavLink"][href$="/{path}"]').click()
        self.stats.page_switches += 1

    async def save(self) -> None:
        """Spara och dela through the sidebar, save under ``Last <n>``, back to Kostnader."""
        page = self.page
        await self.switch_to("scenarier")
        await page.get_by_role("heading", name="Spara och dela", level=1).wait_for()
        await self.wait_idle()
        form = page.get_by_test_id("stForm").filter(has=page.get_by_text("Beskrivning", exact=True))
        await form.get_by_label("Namn", exact=True).fill(self.name)
        await form.get_by_label("Sparas av", exact=True).fill(f"Lasttest {self.n}")
        saved = dict(sorted(self.percents.items()))
        description = f"Lasttest, session {self.n}, sparning {self.version + 1}: "
        description += json.dumps(saved, ensure_ascii=False)
        await form.get_by_label("Beskrivning", exact=True).fill(description[:2000])
        self.stats.saves_attempted += 1
        await form.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
        success = page.get_by_test_id("stAlertContentSuccess").filter(has_text=f"”{self.name}”")
        try:
            await success.wait_for()
        except Exception as exc:
            raise Timeout(
                f"ingen bekräftelse på sparningen av {self.name!r} inom {WAIT_MS / 1000:.0f} s "
                f"(reglagen: {saved}; adressen: {page.url})"
            ) from exc
        text = norm(await success.inner_text())
        match = re.search(r"version (\d+)", text)
        version = int(match.group(1)) if match else -1
        if version != self.version + 1:
            self.error("fel version", "scenarier", f"{text!r}: väntade version {self.version + 1}")
        self.version = max(self.version, version)
        self.stats.saves_confirmed += 1
        self.stats.saves.append(Save(self.n, self.name, version, saved))
        await self.wait_idle()
        await self.collect_errors()
        await self.switch_to("kostnader")
        await page.get_by_role("heading", name="Kostnader", level=1).wait_for()
        await self.wait_metric(self.model.equity_text(self.percents))
        await self.wait_idle()

    async def begin(self) -> bool:
        """Open the browser context and Kostnader; False (and an error) if that fails."""
        try:
            await self.start()
            await self.open()
        except Exception as exc:
            self.error("tidsgräns" if "Timeout" in type(exc).__name__ else "undantag", "start", str(exc))
            return False
        self.stats.sessions_opened += 1
        return True

    async def work(self, deadline: float) -> None:
        """Move sliders and save, like a person, until ``deadline``; after an error, start over."""
        await asyncio.sleep(self.rng.uniform(0, THINK_S[1]))  # not all at once
        next_save = time.monotonic() + self.rng.uniform(*FIRST_SAVE_S)
        while time.monotonic() < deadline:
            where = "kostnader"
            try:
                if time.monotonic() >= next_save:
                    where = "spara"
                    await self.save()
                    next_save = time.monotonic() + self.rng.uniform(*SAVE_EVERY_S)
                else:
                    await self.move()
                await self.collect_errors()
                await asyncio.sleep(self.rng.uniform(*THINK_S))
            except Exception as exc:
                kind = "tidsgräns" if isinstance(exc, Timeout) or "Timeout" in type(exc).__name__ else "undantag"
                self.error(kind, where, str(exc))
                await self.collect_errors()
                if time.monotonic() >= deadline:
                    break
                try:  # start over in a new Streamlit session
                    await self.open()
                except Exception as again:
                    self.error("tidsgräns", "omstart", str(again))
                    await asyncio.sleep(2)
        await self.collect_errors()

    async def close(self) -> None:
        if self.context is not None:
            with contextlib.suppress(Exception):
                await self.context.close()


# The run -----------------------------------------------------------------------------------------
async def drive(server: Server, model: Model, stats: Stats, sessions: int, seconds: float) -> dict:
    """Open every session (a few at a time), then let them all work for ``seconds``."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        runners = [Session(i + 1, browser, server.url, model, stats) for i in range(sessions)]
        clock = {"t0": time.monotonic(), "phase": "öppnar"}

        def cpu() -> tuple[float, float]:
            ours = process_tree(server.process.pid)
            others = [p for p in process_tree(os.getpid()) if p not in set(ours) and p != os.getpid()]
            return cpu_seconds(ours), cpu_seconds(others) + sum(os.times()[:2])

        async def report() -> None:
            while True:
                await asyncio.sleep(15)
                rss = f"RSS {stats.memory[-1][1] / 1024:.0f} MB" if stats.memory else ""
                print(
                    f"  {clock['phase']} {time.monotonic() - clock['t0']:4.0f} s: {stats.sessions_opened} sessioner, "
                    f"{stats.slider_moves} flyttar, {stats.saves_confirmed}/{stats.saves_attempted} sparade, "
                    f"{len(stats.errors)} fel, {rss}",
                    file=sys.stderr,
                )

        reporter = asyncio.create_task(report())
        # Phase 1: open the sessions, a few at a time (a first page load costs the browser seconds of CPU).
        gate = asyncio.Semaphore(OPEN_AT_ONCE)

        async def begin(runner: Session) -> bool:
            async with gate:
                return await runner.begin()

        opening = [asyncio.create_task(begin(r)) for r in runners]
        await asyncio.wait(opening, timeout=OPEN_PHASE_S)
        for runner, task in zip(runners, opening, strict=True):
            if not task.done():
                task.cancel()
                stats.error("tidsgräns", runner.n, "start", f"sessionen öppnades inte inom {OPEN_PHASE_S:.0f} s")
        await asyncio.gather(*opening, return_exceptions=True)
        open_seconds = time.monotonic() - clock["t0"]
        working = [r for r, t in zip(runners, opening, strict=True) if not t.cancelled() and t.result()]

        # Phase 2: everybody works for `seconds`; memory and CPU every 5 s from the start of this phase.
        t0 = clock["t0"] = time.monotonic()
        clock["phase"] = "kör"
        deadline = t0 + seconds
        cpu_start = cpu()

        async def sample() -> None:
            k = 0
            while True:
                at = t0 + k * SAMPLE_EVERY_S
                await asyncio.sleep(max(0.0, at - time.monotonic()))
                stats.memory.append((round(time.monotonic() - t0, 1), server.rss_kb()))
                stats.cpu_end = cpu()
                if at >= deadline:
                    return
                k += 1

        sampler = asyncio.create_task(sample())
        tasks = [asyncio.create_task(r.work(deadline)) for r in working]
        await asyncio.wait(tasks, timeout=max(0.0, deadline + TEARDOWN_S - time.monotonic()))
        with contextlib.suppress(Exception):
            await asyncio.wait_for(sampler, timeout=SAMPLE_EVERY_S * 2)
        clock["phase"] = "avslutar"
        unfinished = [r.n for r, t in zip(working, tasks, strict=True) if not t.done()]
        for task in tasks:
            task.cancel()
        reporter.cancel()
        for n in unfinished:
            stats.error("tidsgräns", n, "slut", "sessionen blev inte klar inom nedvarvningstiden")
        await asyncio.gather(*tasks, reporter, return_exceptions=True)
        run_seconds = time.monotonic() - t0
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*(r.close() for r in runners)), timeout=30)
        await asyncio.sleep(2)
        rss_closed = server.rss_kb()
        await browser.close()
    span = stats.memory[-1][0] or 1.0
    server_cpu, client_cpu = (end - begin for end, begin in zip(stats.cpu_end, cpu_start, strict=True))
    return {
        "open_seconds": round(open_seconds, 1),
        "run_seconds": round(run_seconds, 1),
        "rss_after_close_kb": rss_closed,
        "cpu": {
            "server_s": round(server_cpu, 1),
            "server_cores": round(server_cpu / span, 2),
            "browser_and_driver_s": round(client_cpu, 1),
            "browser_and_driver_cores": round(client_cpu / span, 2),
        },
    }


def verify(db_path: Path, model: Model, stats: Stats) -> dict:
    """Load every stored version; every confirmed save must be stored with the positions it had."""
    from core import store
    from core.model.errors import BudgetError

    con = store.connect(db_path, read_only=True)
    failures: list[str] = []
    loaded: dict[tuple[str, int], object] = {}
    checked = 0
    try:
        for info in store.list_scenarios(con):
            for v in store.list_scenario_versions(con, info.scenario_id):
                checked += 1
                try:
                    loaded[(info.name, v.version)] = store.load_scenario(con, info.scenario_id, v.version)
                except BudgetError as exc:
                    failures.append(f"{info.name} version {v.version}: {exc}")
    finally:
        con.close()
    lost, wrong = [], []
    for save in stats.saves:
        scenario = loaded.get((save.name, save.version))
        if scenario is None:
            lost.append(f"{save.name} version {save.version}")
        elif model.percents_of(scenario) != save.percents:
            wrong.append(
                f"{save.name} version {save.version}: sparat {model.percents_of(scenario)}, väntat {save.percents}"
            )
    confirmed = {(s.name, s.version) for s in stats.saves}
    return {
        "versions_checked": checked,
        "load_failures": failures,
        "lost_saves": lost,
        "wrong_content": wrong,
        "unconfirmed_versions": sorted(f"{n} version {v}" for n, v in set(loaded) - confirmed),
    }


def source_times() -> dict[str, float]:
    """Modification times of the app's Python files: Streamlit reloads a changed module in a running server."""
    found = {}
    for folder in ("core", "ui", "pages"):
        for path in (REPO / folder).glob("*.py"):
            with contextlib.suppress(OSError):
                found[str(path.relative_to(REPO))] = path.stat().st_mtime
    with contextlib.suppress(OSError):
        found["dashboard.py"] = (REPO / "dashboard.py").stat().st_mtime
    return found


def memory_figures(stats: Stats, seconds: float) -> dict:
    reference_at = 60.0 if seconds >= 120 else seconds / 2
    samples = stats.memory
    ref = min(samples, key=lambda s: abs(s[0] - reference_at))
    end = samples[-1]
    return {
        "reference_at_s": ref[0],
        "rss_reference_kb": ref[1],
        "end_at_s": end[0],
        "rss_end_kb": end[1],
        "ratio": round(end[1] / ref[1], 3) if ref[1] else None,
        "peak_kb": max(s[1] for s in samples),
        "samples": [{"t": t, "rss_kb": kb} for t, kb in samples],
    }


def run(sessions: int, seconds: float, options: list[str] = ()) -> dict:
    stats = Stats()
    with tempfile.TemporaryDirectory(prefix="forbundsbudget-last-") as tmpdir:
        tmp = Path(tmpdir)
        db_path = tmp / "budget.duckdb"
        model = Model(db_path)
        env = {**os.environ, "FORBUNDSBUDGET_DB": str(db_path), **dict(streamlit_env(o) for o in options)}
        server = Server(env, tmp / "streamlit.stderr")
        # Whatever happens below, nothing outlives the run by more than this.
        budget = STARTUP_S + OPEN_PHASE_S + seconds + 2 * TEARDOWN_S + 60

        def hard_stop() -> None:
            print(f"Lasttestet avbröts efter {budget:.0f} s (vakthund).", file=sys.stderr)
            server.stop()
            os._exit(1)

        watchdog = threading.Timer(budget, hard_stop)
        watchdog.daemon = True
        watchdog.start()
        sources = source_times()
        load_before = os.getloadavg()[0]
        try:
            server.wait_healthy(timeout=STARTUP_S)
            print(f"Server {server.url}, {sessions} sessioner, {seconds:.0f} s", file=sys.stderr)
            driven = asyncio.run(drive(server, model, stats, sessions, seconds))
            load_after = os.getloadavg()[0]
        finally:
            server.stop()
            code = server.process.returncode
        for problem in server.problems():
            stats.error("server", "-", "stderr", problem)
        checked = verify(db_path, model, stats)
        watchdog.cancel()
    after = source_times()
    changed = sorted(name for name in set(sources) | set(after) if sources.get(name) != after.get(name))

    latencies = stats.latencies_ms
    memory = memory_figures(stats, seconds)
    errors_by_kind: dict[str, int] = {}
    for error in stats.errors:
        errors_by_kind[error["kind"]] = errors_by_kind.get(error["kind"], 0) + 1
    readable = not checked["load_failures"] and not checked["lost_saves"] and not checked["wrong_content"]
    memory_ok = memory["ratio"] is not None and abs(memory["ratio"] - 1) <= MEMORY_TOLERANCE
    return {
        "sessions": sessions,
        "seconds": seconds,
        "streamlit_options": list(options),
        "open_seconds": driven["open_seconds"],
        "run_seconds": driven["run_seconds"],
        "sessions_opened": stats.sessions_opened,
        "actions": stats.slider_moves + stats.saves_confirmed,
        "slider_moves": stats.slider_moves,
        "key_presses": stats.key_presses,
        "page_switches": stats.page_switches,
        "saves_attempted": stats.saves_attempted,
        "saves_confirmed": stats.saves_confirmed,
        "errors": len(stats.errors),
        "errors_by_kind": errors_by_kind,
        "error_details": stats.errors,
        **checked,
        "memory": memory,
        "rss_after_close_kb": driven["rss_after_close_kb"],
        "cpu_during_run": driven["cpu"],
        "server_exit_code": code,
        "load_average_1min": {"before": round(load_before, 2), "after": round(load_after, 2), "cpus": os.cpu_count()},
        "sources_changed_during_run": changed,
        "latency_ms": {
            "n": len(latencies),
            "median": round(statistics.median(latencies), 1) if latencies else None,
            "p95": round(percentile(latencies, 0.95), 1) if latencies else None,
            "max": round(max(latencies), 1) if latencies else None,
        },
        "criteria": {
            "no_errors": not stats.errors and stats.sessions_opened == sessions,
            "every_version_readable": readable and checked["versions_checked"] >= stats.saves_confirmed > 0,
            "memory_within_20_percent": memory_ok,
        },
    }


def cpu_text(cpu: dict) -> str:
    server = f"{cpu['server_s']} s ({cpu['server_cores']} kärnor)"
    return f"{server} / {cpu['browser_and_driver_s']} s ({cpu['browser_and_driver_cores']} kärnor)"


def print_summary(r: dict) -> None:
    mem, lat = r["memory"], r["latency_ms"]
    mb = lambda kb: f"{kb / 1024:.0f} MB"  # noqa: E731
    rows = [
        *([("Streamlit-inställningar", " ".join(r["streamlit_options"]))] if r["streamlit_options"] else []),
        ("Sessioner (öppnade)", f"{r['sessions']} ({r['sessions_opened']})"),
        ("Tid", f"{r['seconds']:.0f} s (till sista handlingen {r['run_seconds']:.0f} s)"),
        ("Öppna sessionerna (före tiden)", f"{r['open_seconds']:.0f} s"),
        ("Handlingar", f"{r['actions']} ({r['slider_moves']} reglageflyttar, {r['saves_confirmed']} sparningar)"),
        ("Tangenttryck / sidbyten", f"{r['key_presses']} / {r['page_switches']}"),
        ("Sparningar försökta / bekräftade", f"{r['saves_attempted']} / {r['saves_confirmed']}"),
        ("Fel", f"{r['errors']} {r['errors_by_kind'] or ''}".strip()),
        ("Versioner lästa / fel", f"{r['versions_checked']} / {len(r['load_failures'])}"),
        ("Förlorade / felaktiga sparningar", f"{len(r['lost_saves'])} / {len(r['wrong_content'])}"),
        ("Obekräftade versioner i databasen", str(len(r["unconfirmed_versions"]))),
        (f"Server-RSS vid {mem['reference_at_s']:.0f} s", mb(mem["rss_reference_kb"])),
        (f"Server-RSS vid {mem['end_at_s']:.0f} s (slut)", mb(mem["rss_end_kb"])),
        ("Kvot slut / referens", f"{mem['ratio']:.3f}" if mem["ratio"] else "–"),
        ("Server-RSS topp / efter stängning", f"{mb(mem['peak_kb'])} / {mb(r['rss_after_close_kb'])}"),
        ("CPU under körningen: server / webbläsare", cpu_text(r["cpu_during_run"])),
        ("Belastning (1 min) före / efter", "{before} / {after} på {cpus} kärnor".format(**r["load_average_1min"])),
        ("Reglage → nyckeltal, median / p95 / max", f"{lat['median']} / {lat['p95']} / {lat['max']} ms (n={lat['n']})"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print("RSS var 5:e s (MB): " + " ".join(f"{s['rss_kb'] / 1024:.0f}" for s in mem["samples"]))
    for error in r["error_details"][:20]:
        print(f"\n[{error['kind']}] session {error['session']}, {error['where']}:\n{error['text']}")
    for item in (*r["load_failures"], *r["lost_saves"], *r["wrong_content"]):
        print(f"\nSparning: {item}")
    if r["sources_changed_during_run"]:
        print(
            "\nVARNING: källfiler ändrades under körningen (Streamlit läser då in moduler på nytt): "
            + ", ".join(r["sources_changed_during_run"])
        )
    c = r["criteria"]
    ok = lambda b: "OK  " if b else "FEL "  # noqa: E731
    print()
    opened = f"{r['sessions_opened']}/{r['sessions']} sessioner öppnade"
    print(f"{ok(c['no_errors'])} inga fel ({r['errors']} fel, {opened})")
    print(
        f"{ok(c['every_version_readable'])} varje sparad version läsbar ({r['versions_checked']} lästa, "
        f"{len(r['load_failures'])} fel, {len(r['lost_saves'])} förlorade, {len(r['wrong_content'])} felaktiga)"
    )
    ratio = f"{mem['ratio']:.3f}" if mem["ratio"] else "–"
    print(
        f"{ok(c['memory_within_20_percent'])} minnet vid slutet inom 20 % av värdet vid {mem['reference_at_s']:.0f} s "
        f"(kvot {ratio})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions (default 20)")
    parser.add_argument("--seconds", type=float, default=120, help="how long the sessions work (default 120)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="a Streamlit config option for the server (as an environment variable), e.g. runner.postScriptGC=false",
    )
    args = parser.parse_args()
    if any("=" not in option for option in args.set):
        parser.error("--set takes OPTION=VALUE")
    if not 1 <= args.sessions <= 100 or not 10 <= args.seconds <= 3600:
        parser.error("--sessions must be 1–100 and --seconds 10–3600")
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} saknas (apt-get install chromium).", file=sys.stderr)
        return 1
    try:
        results = run(args.sessions, args.seconds, args.set)
    except Exception as exc:  # the server did not start, the browser did not launch ...
        print(f"Lasttestet kunde inte köras: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_summary(results)
    return 0 if all(results["criteria"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
