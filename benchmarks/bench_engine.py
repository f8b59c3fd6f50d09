"""Engine benchmark: the seed budget and a synthetic 1 000 cost lines × 10 years.

Prints median and p95 per run on one core (this process is single-threaded). Targets: seed under
1 ms, 1 000 × 10 under 20 ms. A script, not a test: it reports and never fails on timing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from core import resources
from core.engine.compute import compute
from core.engine.scenario import LineChange, Scenario, apply_scenario
from core.files.budget_file import read_budget_file
from core.model.budget import CATEGORIES, Budget, BudgetYear, CostLine, Member, RevenueLine
from core.rules.checks import run_checks

SEED = resources.seed_path()


def synthetic(lines: int = 1000, years: int = 10) -> Budget:
    numbers = list(range(2025, 2025 + years))
    return Budget(
        name="Syntetiskt förbund",
        years=[BudgetYear(year=y, kind="plan") for y in numbers],
        opening_equity=5_000_000,
        members=[
            Member(name="Staten", kind="stat", contributions={y: 50_000_000 for y in numbers}),
            Member(name="Regionen", kind="region", contributions={y: 25_000_000 for y in numbers}),
            *[
                Member(name=f"Kommun {i}", kind="kommun", contributions={y: 2_500_000 for y in numbers})
                for i in range(10)
            ],
        ],
        revenues=[RevenueLine(name="Ränta", kind="ranta", amounts={y: 100_000 for y in numbers})],
        costs=[
            CostLine(name=f"Rad {i}", category=CATEGORIES[i % 4], amounts={y: 100_000 + i for y in numbers})
            for i in range(lines)
        ],
    )


def measure(fn, repeat: int) -> dict[str, float]:
    fn()  # warm-up
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        fn()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    samples.sort()
    return {
        "n": repeat,
        "median_ms": statistics.median(samples),
        "p95_ms": samples[int(0.95 * (len(samples) - 1))],
        "min_ms": samples[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    seed = read_budget_file(SEED)
    big = synthetic()
    slider = Scenario(change=[LineChange(line="SE-Höglandet", percent=10)])
    cases = {
        "seed: compute": (lambda: compute(seed), 1.0),
        "seed: apply scenario + compute + checks": (
            lambda: run_checks(b := apply_scenario(seed, slider), compute(b)),
            None,
        ),
        "1000 x 10: compute": (lambda: compute(big), 20.0),
        "1000 x 10: compute + checks": (lambda: run_checks(big, compute(big)), None),
    }
    results = {}
    for name, (fn, target) in cases.items():
        repeat = args.repeat if name.startswith("seed") else max(20, args.repeat // 10)
        results[name] = {**measure(fn, repeat), "target_ms": target}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'case':<42}{'n':>6}{'median ms':>12}{'p95 ms':>10}{'min ms':>10}{'target':>10}")
    for name, r in results.items():
        target = f"< {r['target_ms']:g}" if r["target_ms"] else "–"
        print(f"{name:<42}{r['n']:>6}{r['median_ms']:>12.3f}{r['p95_ms']:>10.3f}{r['min_ms']:>10.3f}{target:>10}")


if __name__ == "__main__":
    main()
