"""A server killed with SIGKILL in the middle of saving leaves a database with the old or the new state."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import store

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "core" / "resources" / "seed" / "hoglandets_samordningsforbund_2024.csv"

WRITER = """
import sys
from benchmarks.bench_engine import synthetic
from core import store
con = store.open_store(sys.argv[1])
big = synthetic(lines=1000, years=10)
i = 0
while True:
    print("start", flush=True)
    store.save_budget(con, big.model_copy(update={"name": f"Stor budget {i}"}), author="robot", reason=f"varv {i}")
    print("saved", flush=True)
    i += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL finns bara på POSIX")
def test_sigkill_during_saves_leaves_old_or_new_state(tmp_path):
    path = tmp_path / "budget.duckdb"
    con = store.open_store(path)
    seed = store.load_budget(con)
    con.close()
    rng = random.Random(20261124)
    for attempt in range(4):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        saves_seen = 0
        for line in writer.stdout:
            if line.strip() == "saved":
                saves_seen += 1
            if line.strip() == "start" and saves_seen >= attempt:
                time.sleep(rng.uniform(0.0, 0.06))  # somewhere inside the ~50 ms save
                break
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)

        con = store.connect(path)
        try:
            versions = store.list_versions(con)
            for info in versions:  # every committed version is whole and loads
                budget = store.load_budget(con, info.version_id)
                assert budget == seed or (budget.name.startswith("Stor budget") and len(budget.costs) == 1000)
            current = store.load_budget(con)
            assert current == seed or len(current.costs) == 1000
        finally:
            con.close()
