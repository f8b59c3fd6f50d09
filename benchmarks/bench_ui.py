"""UI latency benchmark: from an arrow key on a slider until the KPI shows the new figure.

Two Streamlit servers on free ports, both driven by Debian's headless Chromium:

* ``app``: the real dashboard on a fresh database, page Kostnader, the slider of SE-Höglandet;
* ``floor``: a minimal Streamlit app with one slider and one metric, what the framework costs at least.

Each +1 % on SE-Höglandet (3 980 000 kr in each of the three plan years) takes 3 × 39 800 kr off
``Eget kapital 2026``; the floor app computes the same figure, so both wait for the same text.

Measured inside the page, with no round trip to Python in the figure: a capturing ``keydown``
listener takes the key event's own timestamp, a MutationObserver notes the first moment the
metric's text is the expected one (``dom``) and the next animation frame after it (``frame``,
when the browser can paint it). Python only sends the key and collects the result afterwards.
The two apps alternate in rounds (right, then left, then right ...) so machine noise hits both.

A script, not a test: it reports and exits 0 whatever the figures (non-zero only if it crashed).
With ``--layers``, the same run also measures ``benchmarks/layer_app.py`` at each layer (the floor in the
app's navigation, six KPI tiles, the page's fragments, the two charts), each against the floor.

Usage: ``python benchmarks/bench_ui.py [--presses 30] [--round 10] [--layers] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import CHROMIUM, CHROMIUM_ARGS, StreamlitServer
from core.model.money import format_kr

VIEWPORT = {"width": 1600, "height": 1000}
TARGET_MS = 250.0
BASE_EQUITY = 1_362_650
STEP = 3 * 39_800  # +1 % of SE-Höglandet in each of 2024, 2025, 2026
LABEL = "Eget kapital 2026"

FLOOR_APP = """
import streamlit as st

def kr(n):
    return f"{n:,}".replace(",", " ").replace("-", "\\u2212") + " kr"

v = st.slider("Förändring", -100, 100, 0)
st.metric("Eget kapital 2026", kr(1362650 - 119400 * v))
"""

# In the page: arm before each key press; the result lands in window.__bench.
ARM_JS = """([label, expected]) => {
    const valueOf = () => {
        for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
            const l = m.querySelector('[data-testid="stMetricLabel"]');
            if (l && l.textContent.trim() === label) {
                const v = m.querySelector('[data-testid="stMetricValue"]');
                return v ? v.textContent.trim() : null;
            }
        }
        return null;
    };
    const bench = { key: null, dom: null, frame: null };
    window.__bench = bench;
    const onKey = (event) => { if (bench.key === null) bench.key = event.timeStamp; };
    document.addEventListener('keydown', onKey, { capture: true, once: true });
    const observer = new MutationObserver(() => {
        if (bench.dom === null && valueOf() === expected) {
            bench.dom = performance.now();
            observer.disconnect();
            requestAnimationFrame(() => { bench.frame = performance.now(); });
        }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
}"""

DONE_JS = """() => {
    const b = window.__bench;
    const app = document.querySelector('[data-testid="stApp"]');
    return b && b.frame !== null && app && app.dataset.testScriptState === 'notRunning';
}"""

IDLE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testConnectionState === 'CONNECTED' && app.dataset.testScriptState === 'notRunning';
}"""


class Target:
    """One app in its own browser context: a page, its slider, and where the slider stands."""

    def __init__(self, name: str, browser, url: str, slider_name: str):
        self.name = name
        self.context = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.goto(url)
        self.page.get_by_text(LABEL, exact=True).first.wait_for()
        self.page.wait_for_function(IDLE_JS)
        self.slider = self.page.get_by_role("slider", name=slider_name)
        self.position = 0
        self.samples: list[dict[str, float]] = []

    def press(self, direction: int, record: bool = True) -> None:
        self.slider.focus()
        self.position += direction
        expected = format_kr(BASE_EQUITY - STEP * self.position)
        self.page.evaluate(ARM_JS, [LABEL, expected])
        self.page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
        self.page.wait_for_function(DONE_JS, polling=20)
        bench = self.page.evaluate("() => window.__bench")
        if bench["key"] is None:
            raise RuntimeError(f"{self.name}: the key press never reached the page")
        if record:
            self.samples.append({"dom": bench["dom"] - bench["key"], "frame": bench["frame"] - bench["key"]})
        self.page.wait_for_timeout(50)  # let the last deltas settle before the next press


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    n = len(ordered)
    return {
        "n": n,
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, math.ceil(0.95 * n) - 1)], 1),
        "min_ms": round(ordered[0], 1),
        "max_ms": round(ordered[-1], 1),
    }


LAYERS = {
    1: "lager 1: meny",
    2: "lager 2: sex KPI",
    3: "lager 3: fragment",
    4: "lager 4: diagram",
}


def run(presses: int, round_size: int, layers: bool = False) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmpdir:
        tmp = Path(tmpdir)
        floor_script = tmp / "floor_app.py"
        floor_script.write_text(FLOOR_APP, encoding="utf-8")
        env = {**os.environ, "FORBUNDSBUDGET_DB": str(tmp / "budget.duckdb")}
        # (name, script, extra environment, path, slider)
        apps = [
            ("app", "dashboard.py", {}, "/kostnader", "Förändring SE-Höglandet"),
            ("floor", floor_script, {}, "", "Förändring"),
        ]
        if layers:
            layer_script = Path(__file__).resolve().parent / "layer_app.py"
            apps += [
                (name, layer_script, {"FORBUNDSBUDGET_LAYER": str(n)}, "", "Förändring") for n, name in LAYERS.items()
            ]
        servers = [
            StreamlitServer(script, {**env, **extra}, tmp / f"server{i}.stderr")
            for i, (_, script, extra, _, _) in enumerate(apps)
        ]
        try:
            for server in servers:
                server.wait_healthy()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                targets = [
                    Target(name, browser, f"{server.url}{path}", slider)
                    for (name, _, _, path, slider), server in zip(apps, servers, strict=True)
                ]
                for target in targets:  # warm-up, not recorded: first reruns import and cache
                    for direction in (1, 1, -1, -1):
                        target.press(direction, record=False)
                done, round_index = 0, 0
                while done < presses:
                    count = min(round_size, presses - done)
                    direction = 1 if round_index % 2 == 0 else -1
                    order = targets if round_index % 2 == 0 else targets[::-1]
                    for target in order:
                        for _ in range(count):
                            target.press(direction)
                    done += count
                    round_index += 1
                browser.close()
        finally:
            for server in servers:
                server.stop()

    results: dict = {"presses": presses, "round": round_size, "target_ms": TARGET_MS, "apps": {}}
    for target in targets:
        results["apps"][target.name] = {
            "dom": summary([s["dom"] for s in target.samples]),
            "frame": summary([s["frame"] for s in target.samples]),
        }
    floor = results["apps"]["floor"]["frame"]["median_ms"]
    for figures in results["apps"].values():
        figures["ratio_median_to_floor"] = round(figures["frame"]["median_ms"] / floor, 2)
    app = results["apps"]["app"]["frame"]
    results["ratio_median_app_floor"] = results["apps"]["app"]["ratio_median_to_floor"]
    results["app_p95_under_target"] = app["p95_ms"] < TARGET_MS
    return results


def print_table(results: dict) -> None:
    print(f"Tangent → '{LABEL}' visar nytt värde ({results['presses']} tryck per app, omgångar om {results['round']})")
    print(f"{'':26}{'n':>4}{'median':>9}{'p95':>9}{'min':>9}{'max':>9}{'/golv':>8}   (ms)")
    for name, figures in results["apps"].items():
        for kind in ("dom", "frame"):
            s = figures[kind]
            row = f"{name + ' ' + kind:26}{s['n']:>4}{s['median_ms']:>9.1f}{s['p95_ms']:>9.1f}"
            ratio = f"{figures['ratio_median_to_floor']:.2f}×" if kind == "frame" else ""
            print(row + f"{s['min_ms']:>9.1f}{s['max_ms']:>9.1f}{ratio:>8}")
    app = results["apps"]["app"]["frame"]
    print(f"median app / median floor (frame): {results['ratio_median_app_floor']:.2f}×")
    verdict = "under" if results["app_p95_under_target"] else "över"
    print(f"p95 app (frame): {app['p95_ms']:.1f} ms, {verdict} målet {TARGET_MS:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=30, help="key presses measured per app (default 30)")
    parser.add_argument("--round", type=int, default=10, help="presses per app before switching app (default 10)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--layers",
        action="store_true",
        help="also measure benchmarks/layer_app.py layer by layer: where the time between floor and page goes",
    )
    args = parser.parse_args()
    if args.presses < 1 or not 1 <= args.round <= 50:
        parser.error("--presses must be ≥ 1 and --round between 1 and 50")
    results = run(args.presses, args.round, layers=args.layers)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
