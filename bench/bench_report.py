"""The indicator report at 10,000 plans, as a whole process, against
`sip-tui followups --json` on the same store in the same run.

Run: .venv/bin/python bench/bench_report.py

The store is the follow-up overview's benchmark store (bench_overview.build_store),
with deviations and indicators on the template plans. Each command runs once
to warm the summary cache (as any second use would find it), then RUNS times
each, alternating; the medians are compared. Target: report <= 1.5x followups.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_overview import build_store

RUNS = 5
TARGET_RATIO = 1.5


def timed(store: Path, *args: str) -> float:
    command = [sys.executable, "-m", "sip_tui", "--store", str(store), *args]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1])
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "store"
        build_store(root)
        followups, report = ["followups", "--json"], ["report", "--json"]
        timed(root, *followups)  # builds the summary cache
        timed(root, *report)
        times = {"followups": [], "report": []}
        for _ in range(RUNS):
            times["followups"].append(timed(root, *followups))
            times["report"].append(timed(root, *report))
        base, ours = statistics.median(times["followups"]), statistics.median(times["report"])
        print(f"followups --json: median {base:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in times['followups'])})")
        print(f"report --json:    median {ours:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in times['report'])})")
        print(f"ratio {ours / base:.2f} (target <= {TARGET_RATIO})")
        return 0 if ours <= TARGET_RATIO * base else 1


if __name__ == "__main__":
    sys.exit(main())
