"""Benchmark of the foundation: the plan store and the command line at 100,
1,000 and 10,000 realistic plans. Run with ``make bench``.

Stdlib and the project only. Setup (writing thousands of plan files) is not
measured: one set of realistic plans is made through the real service, and
their files are cloned with new ids, names and follow-up dates.

    save            PlanStore.save of one existing plan after a small change
    bare write      temp file in the same folder, write, flush, fsync,
                    os.replace, folder fsync: the floor for a crash-safe save
    load all        PlanStore.scan() (summaries of every plan): the first scan
                    reads every file; later ones reuse the summaries of
                    unchanged files (<store>/summaries.json)
    open follow-ups scan + open_followups(), with the summary cache
    peak memory     tracemalloc peak of scan + open_followups
    sip-tui ...     the whole process, as a user runs it

To add a section (for example the UI), write a function that takes the
``Bench`` and adds rows, and list it in ``SECTIONS`` below.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Measure the code of the checkout this file is in (a git worktree's too), not the
# installed package; the timed `sip-tui` processes get the same path (run_timed).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sip_tui.demo import load_demo
from sip_tui.files import FILE_MODE, backup_path, fsync_dir
from sip_tui.models import lifecycle
from sip_tui.models.enums import PlanStatus
from sip_tui.models.followup import open_followups
from sip_tui.models.plan import Plan
from sip_tui.service import PlanService
from sip_tui.store import PlanStore
from sip_tui.store.storage import encode
from sip_tui.store.store import SUMMARY_CACHE

SIZES = (100, 1_000, 10_000)
SAVE_SAMPLES = 60
TODAY = dt.date(2026, 3, 10)
START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

# Targets from the Foundation issue.
SAVE_VS_BARE_MAX = 3.0
CLI_FOLLOWUPS_MAX_S = 1.5
# Ours: a save must not grow with the number of plans in the store.
SAVE_GROWTH_MAX = 1.5

FIRST = ["Amina", "Bo", "Cecilia", "Dragan", "Elsa", "Farhan", "Greta", "Hassan", "Ida", "Jonas", "Kerstin", "Leyla"]
LAST = [
    "Andersson",
    "Berg",
    "Çelik",
    "Dahl",
    "Ek",
    "Fors",
    "Hussein",
    "Johansson",
    "Lind",
    "Nilsson",
    "Öberg",
    "Yilmaz",
]


# -- results --------------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    values: dict[int | str, str]
    target: str = "–"
    ok: bool | None = None


@dataclass
class Bench:
    sizes: tuple[int, ...]
    samples: int
    stores: dict[int, Path] = field(default_factory=dict)
    editable: dict[int, str] = field(default_factory=dict)  # per store: a plan id to save repeatedly
    rows: list[Row] = field(default_factory=list)

    def add(self, measure: str, values: dict, target: str = "–", ok: bool | None = None) -> None:
        self.rows.append(Row(measure, values, target, ok))


# -- setup: realistic plans, cloned fast -----------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def template_files(folder: Path) -> list[tuple[dict, int]]:
    """Realistic stored plans (as file data) with their weight in the mix.

    The demo's plans, made through the service: 2 goals, 3 needs, 5 insatser,
    4 participants; agreed versions stored; a few change-log entries by
    different people at different times."""
    clock = Clock()
    service = PlanService(PlanStore(folder, user="karin"), clock=clock)
    load_demo(service)
    store = service.store
    plans = {store.load(i).person.name: store.load(i) for i in store.plan_ids()}

    # The complete plan before agreement, edited by two more people later the same day.
    draft = plans["Bo Exempelsson"].model_copy(
        update={"id": uuid.uuid4().hex, "revision": 0, "status": PlanStatus.DRAFT, "version": 0, "agreement": None}
    )
    draft = store.save(draft)
    for user, hours in (("olle", 1), ("fatima", 3)):
        clock.now = START + dt.timedelta(hours=hours)
        draft.situation += f" Kompletterat av {user}."
        draft = PlanStore(folder, user=user, clock=clock).save(draft)
    # In a follow-up meeting: version 2 agreed earlier, now being revised (the one to autosave).
    clock.now = START + dt.timedelta(hours=5)
    revising = store.save(lifecycle.start_followup(plans["David Testman"], TODAY))

    def data(plan: Plan) -> dict:
        return json.loads(store.path(plan.id).read_bytes())

    return [
        (data(draft), 3),
        (data(plans["Bo Exempelsson"]), 2),
        (data(plans["Cecilia Fiktiv"]), 2),
        (data(plans["David Testman"]), 1),
        (data(revising), 1),
        (data(plans["Elin Demosson"]), 1),
    ]


def clone(data: dict, rng: random.Random) -> tuple[str, bytes]:
    plan_id = uuid.uuid4().hex
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    followup = TODAY + dt.timedelta(days=rng.randint(-60, 120))
    copy = json.loads(json.dumps(data))
    for doc in [copy["plan"]["1"], *(copy.get("versions") or {}).values()]:
        doc["id"] = plan_id
        doc["person"]["name"] = name
        doc["followup"]["date"] = followup.isoformat()
        meeting = doc["meeting"]["date"]
        if not doc["followup"]["held"] and meeting and dt.date.fromisoformat(meeting) > followup:
            # A follow-up is booked after the meeting that booked it (the model refuses
            # one before): an overdue follow-up comes from an earlier meeting.
            doc["meeting"]["date"] = (followup - dt.timedelta(days=42)).isoformat()
    return plan_id, encode(copy)


def assert_valid(raw: bytes) -> None:
    """The benchmarks measure plans the app accepts: every clone's plan and versions validate."""
    data = json.loads(raw)
    for doc in [data["plan"]["1"], *(data.get("versions") or {}).values()]:
        Plan.model_validate(doc)  # raises ValidationError: the bench stops rather than measure invalid plans


def make_store(root: Path, count: int, templates: list[tuple[dict, int]], seed: int) -> str:
    """A store of ``count`` plans (each with its .bak, as after a few saves); returns an editable plan's id.

    The files are dated a day back, as in a store in use."""
    PlanStore(root, user="bench")
    plans_dir = root / "plans"
    rng = random.Random(seed)
    yesterday = time.time_ns() - 86_400 * 10**9
    mix = [data for data, weight in templates for _ in range(weight)]
    editable = ""
    for index in range(count):
        data = mix[index % len(mix)]
        plan_id, raw = clone(data, rng)
        assert_valid(raw)
        path = plans_dir / f"{plan_id}.json"
        for target in (path, backup_path(path)):
            target.write_bytes(raw)
            os.chmod(target, FILE_MODE)
            os.utime(target, ns=(yesterday, yesterday))
        if data["plan"]["1"]["status"] == "uppfoljning":
            editable = plan_id
    return editable


def setup(bench: Bench, root: Path) -> None:
    templates = template_files(root / "templates")
    for size in bench.sizes:
        started = time.perf_counter()
        bench.editable[size] = make_store(root / f"store-{size}", size, templates, seed=size)
        bench.stores[size] = root / f"store-{size}"
        print(f"  set up {size:>6,} plans in {time.perf_counter() - started:5.1f} s", file=sys.stderr)


# -- measurements ----------------------------------------------------------------------------


def bare_atomic_write(path: Path, data: bytes) -> None:
    """The floor: what any crash-safe write of this file must do."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".bare.", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def median_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def section_store(bench: Bench) -> None:
    """Save against the bare atomic write, load all, open follow-ups, memory."""
    save, bare, ratio, cold, scan, followups, peak = {}, {}, {}, {}, {}, {}, {}
    for size in bench.sizes:
        store = PlanStore(bench.stores[size], user="bench")
        plan = store.load(bench.editable[size])
        bare_path = store.plans_dir / ".bare-baseline"
        data = store.path(plan.id).read_bytes()
        save_times, bare_times = [], []
        for sample in range(bench.samples):  # interleaved, so background load hits both alike
            plan.situation = f"Autosparad ändring {sample}"
            started = time.perf_counter()
            plan = store.save(plan)
            save_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            bare_atomic_write(bare_path, data)
            bare_times.append(time.perf_counter() - started)
        bare_path.unlink()
        save[size], bare[size] = statistics.median(save_times), statistics.median(bare_times)
        ratio[size] = save[size] / bare[size]

        runs = 3 if size < 10_000 else 2
        cache = store.root / SUMMARY_CACHE
        cold[size] = median_of(runs, lambda store=store, cache=cache: (cache.unlink(missing_ok=True), store.scan()))
        store.scan()
        scan[size] = median_of(runs, store.scan)
        followups[size] = median_of(runs, lambda store=store: open_followups(store.scan().summaries, TODAY))
        tracemalloc.start()
        open_followups(store.scan().summaries, TODAY)
        peak[size] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    bench.add(f"save, median of {bench.samples} (ms)", {n: ms(v) for n, v in save.items()})
    bench.add(f"bare atomic write, median of {bench.samples} (ms)", {n: ms(v) for n, v in bare.items()})
    bench.add(
        "save / bare write",
        {n: f"{v:.2f}x" for n, v in ratio.items()},
        f"<= {SAVE_VS_BARE_MAX:.0f}x",
        all(v <= SAVE_VS_BARE_MAX for v in ratio.values()),
    )
    if len(save) > 1:
        small, large = min(save), max(save)
        growth = save[large] / save[small]
        bench.add(
            f"save@{large:,} / save@{small:,}",
            {large: f"{growth:.2f}x"},
            f"<= {SAVE_GROWTH_MAX}x",
            growth <= SAVE_GROWTH_MAX,
        )
    bench.add("load all: first scan(), no summary cache (ms)", {n: ms(v) for n, v in cold.items()})
    bench.add("load all: scan() (ms)", {n: ms(v) for n, v in scan.items()})
    bench.add("open follow-ups: scan + open_followups (ms)", {n: ms(v) for n, v in followups.items()})
    bench.add("peak memory of scan + follow-ups (MB)", {n: f"{v / 1e6:.1f}" for n, v in peak.items()})


def cli_command() -> list[str]:
    installed = Path(sys.executable).with_name("sip-tui")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "sip_tui"]


def run_timed(argv: list[str]) -> float:
    checkout = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [checkout, os.environ.get("PYTHONPATH")]))}
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return elapsed


def section_cli(bench: Bench) -> None:
    """The whole process of ``sip-tui followups --json``, as a user runs it."""
    startup = statistics.median(run_timed([sys.executable, "-c", "import sip_tui.cli"]) for _ in range(3))
    whole, cold = {}, {}
    for size in bench.sizes:
        argv = [*cli_command(), "--store", str(bench.stores[size]), "followups", "--json"]
        cache = bench.stores[size] / SUMMARY_CACHE
        cold[size] = statistics.median(
            (cache.unlink(missing_ok=True), run_timed(argv))[1] for _ in range(2 if size >= 10_000 else 3)
        )
        run_timed(argv)
        whole[size] = statistics.median(run_timed(argv) for _ in range(3))
    largest = max(bench.sizes)
    bench.add("python + import sip_tui.cli only (s)", {largest: f"{startup:.2f}"})
    bench.add("`sip-tui followups --json`, first run, no cache (s)", {n: f"{v:.2f}" for n, v in cold.items()})
    bench.add(
        "`sip-tui followups --json`, whole process (s)",
        {n: f"{v:.2f}" for n, v in whole.items()},
        f"<= {CLI_FOLLOWUPS_MAX_S} s at {largest:,}",
        whole[largest] <= CLI_FOLLOWUPS_MAX_S,
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 1e6 if sys.platform == "darwin" else 1e3  # bytes on macOS, KiB on Linux
    bench.add("peak memory (max RSS) of those processes (MB)", {largest: f"{children / scale:.0f}"})


# Sections run in this order against the same stores. Add new sections here.
SECTIONS: list[Callable[[Bench], None]] = [
    section_store,
    section_cli,
]


# -- report ------------------------------------------------------------------------------------


def table(bench: Bench) -> str:
    columns = [f"N={size:,}" for size in bench.sizes]
    header = ["measure", *columns, "target", "result"]
    lines = []
    for row in bench.rows:
        cells = [row.values.get(size, "") for size in bench.sizes]
        result = "" if row.ok is None else ("PASS" if row.ok else "FAIL")
        lines.append([row.measure, *cells, row.target, result])
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]

    def fmt(line: list[str]) -> str:
        first = str(line[0]).ljust(widths[0])
        middle = [str(c).rjust(w) for c, w in zip(line[1:-2], widths[1:-2], strict=True)]
        last = [str(line[-2]).ljust(widths[-2]), str(line[-1]).ljust(widths[-1])]
        return "  ".join([first, *middle, *last]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="store sizes, e.g. 100,1000,10000")
    parser.add_argument("--samples", type=int, default=SAVE_SAMPLES, help="save samples per size")
    parser.add_argument("--keep", action="store_true", help="keep the temporary stores")
    args = parser.parse_args(argv)
    bench = Bench(tuple(int(s) for s in args.sizes.split(",")), args.samples)

    root = Path(tempfile.mkdtemp(prefix="sip-tui-bench-"))
    started = time.perf_counter()
    try:
        print(f"sip-tui benchmark in {root}", file=sys.stderr)
        setup(bench, root)
        for section in SECTIONS:
            print(f"  running {section.__name__}", file=sys.stderr)
            section(bench)
    finally:
        if args.keep:
            print(f"  kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)

    print(
        f"sip-tui benchmark: Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {time.perf_counter() - started:.0f} s in all"
    )
    print(table(bench))
    failed = [row.measure for row in bench.rows if row.ok is False]
    if failed:
        print(f"\n{len(failed)} target(s) missed: {'; '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
