"""UI latency: key press -> handled and repainted, and the home screen's first frame.

Run: .venv/bin/python bench/bench_ui.py   (part of `make bench`)

Keys are posted as real ``events.Key`` messages to the running app (not via
``Pilot.press``, which waits ~60-90 ms itself); each is timed until the
screen's compositor has rendered the update and handed it to the driver.
Keys come 120 ms apart, a fast typist's pace, with autosave on (0.1 s
debounce, so saves land between keys as they do in a meeting).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.keys import _character_to_key
from textual.widgets import Footer, Static, TextArea

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan, load_demo
from sip_tui.service import PlanService
from sip_tui.store import PlanStore

TEXT = "Jag vill kunna handla själv och träffa mina vänner varje vecka utan att bli för trött. " * 2
KEY_INTERVAL_S = 0.12
FIRST_FRAME_RUNS = 15


class FrameProbe:
    """Records when the app hands a rendered frame to the driver."""

    def __init__(self, app: App) -> None:
        self.frame = asyncio.Event()
        self.at = 0.0
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            self.at = time.perf_counter()
            self.frame.set()

        app._display = display  # type: ignore[method-assign]


async def key_latencies(service: PlanService, plan_id: str) -> list[float]:
    app = build_app(service, autosave_delay=0.1)
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_plan(plan_id)
        await pilot.pause()
        app.goto_step("goals")
        await pilot.pause()
        area = app.screen.query(TextArea).first()
        area.cursor_blink = False
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause(0.3)
        probe = FrameProbe(app)
        for char in TEXT:
            probe.frame.clear()
            start = time.perf_counter()
            app.post_message(events.Key(_character_to_key(char), char))
            await asyncio.wait_for(probe.frame.wait(), 2.0)
            latencies.append((probe.at - start) * 1000)
            await asyncio.sleep(KEY_INTERVAL_S)
        await pilot.pause(0.3)
        assert TEXT.strip() in area.text, "every key reached the goal field"
        assert app.session is not None and not app.session.dirty, "autosave kept up"
    return latencies


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello")
        yield Footer()


async def first_frame_ms(make_app, screen_name: str) -> float:
    """From starting the app to the first frame showing the named screen."""
    app = make_app()
    start = time.perf_counter()
    probe = FrameProbe(app)
    async with app.run_test(size=(80, 24)):
        await asyncio.wait_for(probe.frame.wait(), 5.0)
        while type(app.screen).__name__ != screen_name:
            probe.frame.clear()
            await asyncio.wait_for(probe.frame.wait(), 5.0)
        elapsed = (probe.at - start) * 1000
    return elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main() -> int:
    root = Path(tempfile.mkdtemp(prefix="sip-bench-ui-"))
    clock = lambda: dt.datetime(2026, 3, 10, 10, 0).astimezone()  # noqa: E731
    service = PlanService(PlanStore(root / "store", user="bench"), clock=clock)
    load_demo(service)
    plan = service.save(_complete_plan("Bench Person", None, dt.date(2026, 3, 10), dt.date(2026, 5, 1)))

    latencies = await key_latencies(service, plan.id)
    p50, p95, worst = statistics.median(latencies), percentile(latencies, 0.95), max(latencies)

    bare = [await first_frame_ms(BareApp, "Screen") for _ in range(FIRST_FRAME_RUNS)]
    home = [await first_frame_ms(lambda: build_app(service), "HomeScreen") for _ in range(FIRST_FRAME_RUNS)]
    bare_ms, home_ms = statistics.median(bare), statistics.median(home)

    ok_keys = p95 <= 16
    ok_frame = home_ms <= 2 * bare_ms
    print("UI latency (headless Textual driver, 2-core machine)")
    print(f"  keys typed into a goal field: {len(latencies)}, {KEY_INTERVAL_S * 1000:.0f} ms apart, autosave on")
    print(
        f"  key -> repainted: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms   target p95 <= 16 ms: {'PASS' if ok_keys else 'FAIL'}"
    )
    print(f"  first frame, bare app (Static + Footer): median {bare_ms:.1f} ms over {FIRST_FRAME_RUNS} runs")
    print(
        f"  first frame, home screen:               median {home_ms:.1f} ms   ratio {home_ms / bare_ms:.2f}   target <= 2.0: {'PASS' if ok_frame else 'FAIL'}"
    )
    return 0 if ok_keys and ok_frame else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
