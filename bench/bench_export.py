"""Export: the agreed plan as a Word document and a calendar invite.

Run: .venv/bin/python bench/bench_export.py   (part of `make bench`)

The demo store is made in a temporary folder through the real service; the
typical plan is the demo's agreed version 1 (Bo: 2 goals, 3 needs, 5
insatser, 4 participants) and the revised version 2 (David: the same plus
what changed since version 1 and a deviation). Each export goes through
``PlanService.export_docx`` / ``export_ics`` exactly as Ctrl+E in the app
does: open the base template, write every section, save, write the file
atomically (fsync, rename). Timed per call after two warm-up calls:

- .docx of version 1 and of version 2 (the target: <= 150 ms, median and p95);
- .ics of the next follow-up (ours: <= 20 ms);
- the first export in a fresh process, python-docx imported on the way
  (informative, no target);
- the first Ctrl+E in the app: a fresh process runs the app headless, opens
  the plan's review step (which loads python-docx and reads the Word
  template in the background while the room reads), and times the export
  action, .docx and .ics (<= 150 ms);
- a plain python-docx build of the same strings into the same template, in
  the same run (one paragraph per text, one table per table with the same
  cells and texts, saved): the floor python-docx sets. The export's median
  is to stay within 2x of it, the first Ctrl+E within 2.5x (issue 11).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docx.table import Table
from docx.text.paragraph import Paragraph

from sip_tui.demo import load_demo
from sip_tui.export import docx as docx_export
from sip_tui.service import PlanService
from sip_tui.settings import Settings
from sip_tui.store import PlanStore

ROOT = Path(__file__).resolve().parents[1]
RUNS = 60
WARMUP = 2
DOCX_TARGET_MS = 150.0  # from the export issue
ICS_TARGET_MS = 20.0  # ours
PLAIN_FACTOR = 2.0  # the export's median within 2x of the plain python-docx build
APP_FACTOR = 2.5  # the first Ctrl+E within 2.5x of it
NOW = dt.datetime(2026, 3, 10, 10, 42, tzinfo=dt.timezone(dt.timedelta(hours=1)))

FRESH_PROCESS = """
import datetime as dt, sys, time
from pathlib import Path
start = time.perf_counter()
from sip_tui.service import PlanService
from sip_tui.settings import Settings
from sip_tui.store import PlanStore
store, plan_id, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
service = PlanService(PlanStore(store, user="bench"), Settings(organisation="Exempelby kommun"))
service.export_docx(service.open(plan_id), out)
print((time.perf_counter() - start) * 1000)
"""

FRESH_APP = """
import asyncio, sys, time
from pathlib import Path
from sip_tui.app import build_app
from sip_tui.service import PlanService
from sip_tui.settings import Settings
from sip_tui.store import PlanStore
store, plan_id, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
service = PlanService(PlanStore(store, user="bench"), Settings(organisation="Exempelby kommun", export_dir=out))
async def main():
    app = build_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_plan(plan_id)
        await pilot.pause()
        app.goto_step("review")
        await pilot.pause(1.0)  # the room reads the plan
        start = time.perf_counter()
        app.export_plan()
        print((time.perf_counter() - start) * 1000)
asyncio.run(main())
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(call: Callable[[], object], runs: int) -> list[float]:
    for _ in range(WARMUP):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def in_new_process(script: str, *args: str) -> float:
    """Run ``script`` in a fresh Python (nothing imported yet); the ms it prints last."""
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(result.stdout.strip().splitlines()[-1])


def document_content(path: Path) -> list[str | list[list[str]]]:
    """The exported document's body: each paragraph's text, each table's cell texts."""
    content: list[str | list[list[str]]] = []
    for item in docx_export.Document(str(path)).iter_inner_content():
        if isinstance(item, Paragraph):
            content.append(item.text)
        elif isinstance(item, Table):
            content.append([[cell.text for cell in row.cells] for row in item.rows])
    return content


def plain_build(content: list[str | list[list[str]]], out: Path) -> None:
    """The same strings into the same template with python-docx's plain calls."""
    document = docx_export.Document(str(docx_export.DEFAULT_TEMPLATE))
    body = document.element.body
    for child in list(body):
        if child.tag != docx_export.qn("w:sectPr"):
            body.remove(child)
    for block in content:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=max(len(row) for row in block))
            for row, texts in zip(table.rows, block, strict=True):
                for cell, text in zip(row.cells, texts, strict=False):
                    cell.text = text
    document.save(str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"timed exports per measure (default {RUNS})")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="sip-bench-export-"))
    try:
        service = PlanService(
            PlanStore(root / "store", user="bench"), Settings(organisation="Exempelby kommun"), clock=lambda: NOW
        )
        load_demo(service)
        plans = {plan.person.first_name: plan for plan in map(service.open, service.store.plan_ids())}
        v1, v2 = plans["Bo"], plans["David"]
        assert (v1.version, v2.version) == (1, 2), "the demo's agreed version 1 and revised version 2"
        out = root / "out"

        rows: list[tuple[str, list[float], float | None]] = [
            (
                ".docx, agreed version 1",
                timed(lambda: service.export_docx(v1, out / "v1.docx"), args.runs),
                DOCX_TARGET_MS,
            ),
            (
                ".docx, version 2 with changes",
                timed(lambda: service.export_docx(v2, out / "v2.docx"), args.runs),
                DOCX_TARGET_MS,
            ),
            (".ics, next follow-up", timed(lambda: service.export_ics(v1, out / "v1.ics"), args.runs), ICS_TARGET_MS),
        ]
        size_kb = (out / "v1.docx").stat().st_size / 1024
        content = document_content(out / "v1.docx")
        plain = timed(lambda: plain_build(content, out / "plain.docx"), args.runs)
        export_v1 = rows[0][1]

        store = str(root / "store")
        fresh = [in_new_process(FRESH_PROCESS, store, v1.id, str(out / f"fresh{n}.docx")) for n in range(5)]
        in_app = [in_new_process(FRESH_APP, store, v1.id, str(out / f"app{n}")) for n in range(5)]
    finally:
        shutil.rmtree(root, ignore_errors=True)

    print(
        f"Export benchmark: Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {args.runs} timed runs each after {WARMUP} warm-up"
    )
    ok = True
    for name, samples, target in rows:
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        passed = p50 <= target and p95 <= target if target is not None else None
        ok = ok and passed is not False
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        print(
            f"  {name:<32} median {p50:6.1f} ms, p95 {p95:6.1f} ms, max {max(samples):6.1f} ms"
            f"   target <= {target:.0f} ms: {verdict}"
        )
    print(f"  .docx size: {size_kb:.0f} KB")
    print(
        f"  first .docx in a fresh process (imports included): median {statistics.median(fresh):.0f} ms "
        f"over {len(fresh)} runs (informative)"
    )
    app_ok = max(in_app) <= DOCX_TARGET_MS
    print(
        f"  first Ctrl+E in the app (.docx and .ics): median {statistics.median(in_app):.0f} ms, "
        f"worst {max(in_app):.0f} ms over {len(in_app)} runs   target <= {DOCX_TARGET_MS:.0f} ms: "
        f"{'PASS' if app_ok else 'FAIL'}"
    )
    plain_p50 = statistics.median(plain)
    export_ratio = statistics.median(export_v1) / plain_p50
    app_ratio = statistics.median(in_app) / plain_p50
    print(f"  plain python-docx build of the same strings: median {plain_p50:.1f} ms")
    print(
        f"  export / plain: {export_ratio:.2f}x   target <= {PLAIN_FACTOR}x: "
        f"{'PASS' if export_ratio <= PLAIN_FACTOR else 'FAIL'}"
    )
    print(
        f"  first Ctrl+E / plain: {app_ratio:.2f}x   target <= {APP_FACTOR}x: "
        f"{'PASS' if app_ratio <= APP_FACTOR else 'FAIL'}"
    )
    ratios_ok = export_ratio <= PLAIN_FACTOR and app_ratio <= APP_FACTOR
    return 0 if ok and app_ok and ratios_ok else 1


if __name__ == "__main__":
    sys.exit(main())
