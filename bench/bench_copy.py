"""Benchmark of `sip-tui store copy` at 1,000 and 10,000 realistic plans: a
laptop's folder moved into a team's database, and the database copied back into
an empty folder. Run with ``make bench`` (or ``python bench/bench_copy.py [--sizes 1000]``).

The server is a local PostgreSQL 16 started by the ``pgserver`` wheel
(``SIP_TUI_BENCH_POSTGRES`` names another), as in bench_pg.py. Each copy is
checked as the command checks it: every plan copied, none mismatched.

Target, as a ratio in the same run: the copy into the database takes at most
2.5× the time of reading every plan and its versions from the folder (the work
any copy must do: read and validate each plan once). The copy that went one plan
at a time, with many round trips a plan, took 288 s for 10,000 plans.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_pg import database, start_server

from bench import make_store, template_files
from sip_tui.store import PlanStore
from sip_tui.store.copy import copy_store
from sip_tui.store.postgres import PostgresStore

SIZES = (1_000, 10_000)
INTO_VS_READ_MAX = 2.5


def read_everything(folder: Path) -> float:
    """Every plan and its versions read and validated, as a copy's floor."""
    store = PlanStore(folder)
    started = time.perf_counter()
    for plan_id in store.plan_ids():
        store.load(plan_id)
        store.versions(plan_id)
    return time.perf_counter() - started


def timed_copy(source, target, size: int) -> float:
    started = time.perf_counter()
    report = copy_store(source, target)
    elapsed = time.perf_counter() - started
    if len(report.copied) != size or report.mismatched or report.errors or report.newer_in_target:
        raise SystemExit(f"copy of {size} plans went wrong: {len(report.copied)} copied, {report.errors[:3]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    server_url, stop = start_server()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="sip-tui-bench-copy-") as tmp:
            root = Path(tmp)
            templates = template_files(root / "templates")
            for size in args.sizes:
                folder = root / f"store-{size}"
                make_store(folder, size, templates, seed=size)
                read = read_everything(folder)
                url = database(server_url, f"sip_bench_copy_{size}")
                database_store = PostgresStore(url, root / "local", user="bench")
                into = timed_copy(PlanStore(folder), database_store, size)
                print(f"  {size:>6,} plans: into the database {into:6.1f} s", file=sys.stderr, flush=True)
                back = timed_copy(database_store, PlanStore(root / f"back-{size}"), size)
                database_store.close()
                rows.append((size, read, into, back))
                print(f"  {size:>6,} plans: back into a folder {back:6.1f} s", file=sys.stderr, flush=True)
    finally:
        stop()
    print("| plans | read the folder (s) | folder → database (s) | ratio (<= 2.5) | database → folder (s) |")
    print("|---:|---:|---:|---:|---:|")
    for size, read, into, back in rows:
        print(f"| {size:,} | {read:.1f} | {into:.1f} | {into / read:.2f} | {back:.1f} |")
    ok = all(into <= INTO_VS_READ_MAX * read for _, read, into, _ in rows)
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
