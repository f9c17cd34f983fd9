"""UI latency: key press -> handled and repainted, a step change, and the home screen's first frame.

Run: .venv/bin/python bench/bench_ui.py   (part of `make bench`)

Keys are posted as real ``events.Key`` messages to the running app (not via
``Pilot.press``, which waits ~60-90 ms itself); each is timed until the
screen's compositor has rendered the update and handed it to the driver.
Keys come 120 ms apart, a fast typist's pace, with autosave on (0.1 s
debounce, so saves land between keys as they do in a meeting).

A step change is timed from the PgDn/PgUp key to the first frame painted after
the new step has focus, beside a switch between two bare screens holding the
same number of widgets (a fresh screen each time), in the same run.
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
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import _character_to_key
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static, TextArea

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan, load_demo
from sip_tui.service import PlanService
from sip_tui.store import PlanStore

TEXT = "Jag vill kunna handla själv och träffa mina vänner varje vecka utan att bli för trött. " * 2
KEY_INTERVAL_S = 0.12
FIRST_FRAME_RUNS = 15
STEP_ROUNDS = 4  # each round: PgDn through all seven steps and PgUp back


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


async def timed_switch(app: App, probe: FrameProbe, key: str, arrived) -> float:
    """Key -> the first frame painted once ``arrived()`` holds (new screen, focus set)."""
    start = time.perf_counter()
    app.post_message(events.Key(key, None))
    while True:
        probe.frame.clear()
        await asyncio.wait_for(probe.frame.wait(), 30.0)
        if arrived():
            return (probe.at - start) * 1000


async def step_change_latencies(service: PlanService, plan_id: str) -> tuple[list[float], int]:
    """PgDn/PgUp across every step of a complete plan; also the widget count of a step."""
    app = build_app(service, autosave_delay=0.1)
    latencies, widgets = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_plan(plan_id)
        await pilot.pause()
        probe = FrameProbe(app)
        order = ["person", "consent", "goals", "needs", "insatser", "responsibility", "review"]
        for _ in range(STEP_ROUNDS):
            for key, targets in (("pagedown", order[1:]), ("pageup", order[-2::-1])):
                for target in targets:

                    def arrived(target=target) -> bool:
                        screen = app.screen
                        return getattr(screen, "STEP_ID", "") == target and screen.focused is not None

                    latencies.append(await timed_switch(app, probe, key, arrived))
                    widgets.append(len(app.screen.query("*")))
                    await pilot.pause()
    return latencies, round(statistics.median(widgets))


class BareScreen(Screen[None]):
    def __init__(self, widgets: int) -> None:
        super().__init__()
        self.widgets = widgets

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for number in range(self.widgets // 2):
                yield Label(f"Fält {number}")
                yield Input(f"värde {number}")
        yield Footer()


class BareSwitchApp(App[None]):
    BINDINGS = [Binding("pagedown,pageup", "switch", "Byt", priority=True)]

    def __init__(self, widgets: int) -> None:
        super().__init__()
        self.widgets = widgets

    def on_mount(self) -> None:
        self.push_screen(BareScreen(self.widgets))

    def action_switch(self) -> None:
        self.switch_screen(BareScreen(self.widgets))


async def bare_switch_latencies(widgets: int, count: int) -> list[float]:
    app = BareSwitchApp(widgets)
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        probe = FrameProbe(app)
        for _ in range(count):
            before = app.screen

            def arrived(before=before) -> bool:
                return app.screen is not before and app.screen.focused is not None

            latencies.append(await timed_switch(app, probe, "pagedown", arrived))
            await pilot.pause()
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

    steps, widget_count = await step_change_latencies(service, plan.id)
    bare_switch = await bare_switch_latencies(widget_count, len(steps))
    step_p50, step_p95 = statistics.median(steps), percentile(steps, 0.95)
    bare_p50, bare_p95 = statistics.median(bare_switch), percentile(bare_switch, 0.95)

    bare = [await first_frame_ms(BareApp, "Screen") for _ in range(FIRST_FRAME_RUNS)]
    home = [await first_frame_ms(lambda: build_app(service), "HomeScreen") for _ in range(FIRST_FRAME_RUNS)]
    bare_ms, home_ms = statistics.median(bare), statistics.median(home)

    ok_keys = p95 <= 16
    ok_frame = home_ms <= 2 * bare_ms
    ok_step = step_p50 <= 1.5 * bare_p50
    print("UI latency (headless Textual driver, 2-core machine)")
    print(f"  keys typed into a goal field: {len(latencies)}, {KEY_INTERVAL_S * 1000:.0f} ms apart, autosave on")
    print(
        f"  key -> repainted: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms   target p95 <= 16 ms: {'PASS' if ok_keys else 'FAIL'}"
    )
    print(f"  first frame, bare app (Static + Footer): median {bare_ms:.1f} ms over {FIRST_FRAME_RUNS} runs")
    print(
        f"  first frame, home screen:               median {home_ms:.1f} ms   ratio {home_ms / bare_ms:.2f}   target <= 2.0: {'PASS' if ok_frame else 'FAIL'}"
    )
    print(f"  step change (PgDn/PgUp, key -> new step focused and painted), {len(steps)} changes:")
    print(f"    meeting steps:                  median {step_p50:.1f} ms, p95 {step_p95:.1f} ms")
    print(f"    bare screens of {widget_count} widgets:     median {bare_p50:.1f} ms, p95 {bare_p95:.1f} ms")
    print(
        f"    ratio of medians {step_p50 / bare_p50:.2f}   target <= 1.5: {'PASS' if ok_step else 'FAIL'}"
    )
    return 0 if ok_keys and ok_frame and ok_step else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
