"""Benchmark of the team's PostgreSQL store against the file store, in the same
run, at 100, 1,000 and 10,000 realistic plans. Run with ``make bench`` (or
``python bench/bench_pg.py [--sizes 100 1000]``).

The file stores are made as in bench.py; each is copied into a database of its
own with `store copy` (not measured). The server is a local PostgreSQL 16
started by the ``pgserver`` wheel (``SIP_TUI_BENCH_POSTGRES`` names another).

    save                 one existing plan saved after a small change (median)
    followups --json     the whole `sip-tui followups --json` process, warm
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).parent))

from bench import SAVE_SAMPLES, SIZES, cli_command, make_store, run_timed, template_files
from sip_tui.store import PlanStore
from sip_tui.store.copy import copy_store
from sip_tui.store.postgres import PostgresStore, init_schema

SAVE_VS_FILE_MAX = 3.0


def start_server() -> tuple[str, object]:
    if os.environ.get("SIP_TUI_BENCH_POSTGRES"):
        return os.environ["SIP_TUI_BENCH_POSTGRES"], lambda: None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    server = pgserver.get_server(tempfile.mkdtemp(prefix="sip-tui-bench-pg-"), cleanup_mode="delete")
    return server.get_uri(), server.cleanup


def database(server_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(server_url)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))
    init_schema(url)
    return url


def median_save(store, plan_id: str) -> float:
    plan = store.load(plan_id)
    times = []
    for number in range(SAVE_SAMPLES):
        plan.situation = f"Ändring {number}"
        started = time.perf_counter()
        plan = store.save(plan)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    server_url, stop = start_server()
    ok = True
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="sip-tui-bench-") as tmp:
            root = Path(tmp)
            templates = template_files(root / "templates")
            for size in args.sizes:
                folder = root / f"store-{size}"
                editable = make_store(folder, size, templates, seed=size)
                url = database(server_url, f"sip_bench_{size}")
                started = time.perf_counter()
                copy_store(PlanStore(folder), PostgresStore(url, root / "local"))
                print(f"  copied {size:>6,} plans into PostgreSQL in {time.perf_counter() - started:5.1f} s", file=sys.stderr)

                file_save = median_save(PlanStore(folder, user="bench"), editable)
                pg_store = PostgresStore(url, root / "local", user="bench")
                pg_save = median_save(pg_store, editable)
                pg_store.close()

                timings = {}
                for label, location in (("file", str(folder)), ("postgres", url)):
                    argv_ = [*cli_command(), "--store", location, "followups", "--json"]
                    run_timed(argv_)  # warm: the file store's summary cache, the server's buffers
                    timings[label] = statistics.median(run_timed(argv_) for _ in range(3))
                save_ok = pg_save <= SAVE_VS_FILE_MAX * file_save
                cli_ok = size < max(SIZES) or timings["postgres"] <= timings["file"]
                ok = ok and save_ok and cli_ok
                rows.append(
                    (size, file_save * 1000, pg_save * 1000, pg_save / file_save, timings["file"], timings["postgres"])
                )
    finally:
        stop()
    print("| plans | file save (ms) | PostgreSQL save (ms) | ratio (<= 3) | file followups --json (s) | PostgreSQL (s) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, fsave, psave, ratio, fcli, pcli in rows:
        print(f"| {size:,} | {fsave:.2f} | {psave:.2f} | {ratio:.2f} | {fcli:.2f} | {pcli:.2f} |")
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
