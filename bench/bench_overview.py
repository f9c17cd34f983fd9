"""The follow-up overview at 10,000 plans: time until the list is filled.

Run: .venv/bin/python bench/bench_overview.py   (part of `make bench`)

The store is built fast: a few dozen agreed plans (different follow-up dates,
names, coordinators) are saved through the real service, then their files
are copied under new ids (the id replaced inside the JSON) up to 10,000.
The real app runs headless (``App.run_test``). Timed until the first frame
that shows the filled list reaches the terminal driver:

- ``u`` on an idle home screen -> the list (the target: <= 1 s);
- the same -> the list refreshed from the overview's own store scan;
- app start -> the list, ``u`` pressed as soon as home shows (also <= 1 s).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan
from sip_tui.models.followup import select
from sip_tui.screens.followups import FollowupsScreen, OverviewList
from sip_tui.screens.home import HomeScreen
from sip_tui.service import PlanService
from sip_tui.store import PlanStore

PLANS = 10_000
TEMPLATES = 40
TARGET_S = 1.0
RUNS = 3
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
FIRST = ["Anna", "Bo", "Cecilia", "David", "Elin", "Farid", "Greta", "Hassan", "Ida", "Jonas"]
LAST = ["Exempel", "Fiktiv", "Påhittad", "Testsson", "Prov"]
COORDINATORS = ["Karin Demo", "Olle Exempel", "Sara Prov", "Ali Test"]


def build_store(root: Path) -> PlanService:
    service = PlanService(PlanStore(root, user="bench"), clock=lambda: NOW)
    today = NOW.date()
    templates = []
    for n in range(TEMPLATES):
        name = f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}"
        meeting = today - dt.timedelta(days=60)
        plan = _complete_plan(name, None, meeting, today + dt.timedelta(days=n * 3 - 30))
        plan.coordinator.name = COORDINATORS[n % len(COORDINATORS)]
        plan = service.save(plan)
        at_meeting = dt.datetime.combine(meeting, dt.time(11, 30), tzinfo=NOW.tzinfo)
        plan = service.agree(plan, [plan.person.name, plan.coordinator.name], at=at_meeting)
        templates.append((plan.id, service.store.path(plan.id).read_text(encoding="utf-8")))
    plans_dir = service.store.plans_dir
    for n in range(PLANS - TEMPLATES):
        old_id, text = templates[n % TEMPLATES]
        new_id = uuid.uuid4().hex
        (plans_dir / f"{new_id}.json").write_text(text.replace(old_id, new_id), encoding="utf-8")
    return service


def expected_rows(service: PlanService) -> int:
    entries = select(service.followups(service.scan().summaries))
    return len(entries) + len({e.group for e in entries})  # one heading per group


class FrameProbe:
    """Records when frames reach the driver, when the overview got its rows and
    when it had caught up with a scan of its own."""

    def __init__(self, app) -> None:
        self.frames: list[float] = []
        self.filled: list[tuple[float, int]] = []
        self.scanned: list[float] = []
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            self.frames.append(time.perf_counter())

        app._display = display
        probe = self

        def set_rows(widget, rows, widths, keep=None):
            ORIGINAL_SET_ROWS(widget, rows, widths, keep)
            probe.filled.append((time.perf_counter(), len(rows)))

        def scanned(screen, errors):
            ORIGINAL_SCANNED(screen, errors)
            probe.scanned.append(time.perf_counter())

        OverviewList.set_rows = set_rows
        FollowupsScreen._scanned = scanned

    async def painted_after(self, moments: list, timeout: float = 60.0) -> float:
        """The first frame after the first of ``moments`` (a list still being filled)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if moments:
                painted = [at for at in self.frames if at >= moments[0]]
                if painted:
                    return painted[0]
            await asyncio.sleep(0.002)
        raise TimeoutError("the overview was not filled")


ORIGINAL_SET_ROWS = OverviewList.set_rows
ORIGINAL_SCANNED = FollowupsScreen._scanned


class Filled(list):
    """Moments the list held ``rows`` rows (filled by the probe as they happen)."""

    def __init__(self, probe: FrameProbe, rows: int) -> None:
        super().__init__()
        self.probe, self.rows = probe, rows

    def __bool__(self) -> bool:
        return any(count == self.rows for _, count in self.probe.filled)

    def __getitem__(self, index):
        return [at for at, count in self.probe.filled if count == self.rows][index]


async def from_start(service: PlanService, rows: int) -> float:
    """App start -> overview filled, ``u`` pressed as soon as home shows (home is still reading)."""
    start = time.perf_counter()
    app = build_app(service)
    async with app.run_test(size=(160, 45)):
        while not isinstance(app.screen, HomeScreen):
            await asyncio.sleep(0.001)
        probe = FrameProbe(app)
        app.show_followups()
        painted = await probe.painted_after(Filled(probe, rows))
    return painted - start


async def from_home(service: PlanService, rows: int) -> tuple[float, float]:
    """``u`` on an idle home screen -> overview filled; and -> refreshed from its own scan."""
    app = build_app(service)
    async with app.run_test(size=(160, 45)) as pilot:
        while len(app.summaries) < PLANS or any(not w.is_finished for w in app.workers):
            await asyncio.sleep(0.01)  # home reads the store on start
        await pilot.pause(0.3)  # ... and is idle
        probe = FrameProbe(app)
        start = time.perf_counter()
        await pilot.press("u")
        filled = await probe.painted_after(Filled(probe, rows))
        scanned = await probe.painted_after(probe.scanned)
    return filled - start, scanned - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        service = build_store(Path(tmp) / "store")
        print(f"built a store of {PLANS:,} plans in {time.perf_counter() - began:.1f} s")
        time.sleep(2.5)  # files seconds old are never cached (racy mtime); a real store's are older
        scans = []
        for _ in range(3):  # the first scans also build the store's summary cache
            scan_start = time.perf_counter()
            rows = expected_rows(service)
            scans.append(time.perf_counter() - scan_start)
        print(f"store scan + grouping alone: {', '.join(f'{s:.2f}' for s in scans)} s ({rows:,} rows with headings)")
        homes = [asyncio.run(from_home(service, rows)) for _ in range(RUNS)]
        starts = [asyncio.run(from_start(service, rows)) for _ in range(RUNS)]
    filled = [f for f, _ in homes]
    rescanned = [s for _, s in homes]

    def figures(values: list[float]) -> str:
        return f"median {statistics.median(values):.2f} s, worst {max(values):.2f} s"

    ok = max(filled) <= TARGET_S and max(starts) <= TARGET_S
    print(f"'u' on home -> overview list filled and painted: {figures(filled)} (target <= {TARGET_S:.1f} s)")
    print(f"'u' on home -> list refreshed from the overview's own scan: {figures(rescanned)}")
    print(f"app start -> list filled, 'u' pressed as soon as home shows: {figures(starts)} (target <= {TARGET_S:.1f} s)")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
