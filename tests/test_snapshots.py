"""Snapshots of the key screens: every meeting step at 80x24, review at 160x45."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input, TextArea

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan
from sip_tui.screens.step import STEP_IDS


def _meeting_app(service):
    plan = _complete_plan("Maja Påhittad", "19850312-2387", dt.date(2026, 3, 10), dt.date(2026, 5, 12))
    plan = service.save(plan)
    app = build_app(service)

    async def open_step(pilot, step_id: str) -> None:
        app.open_plan(plan.id)
        await pilot.pause()
        app.goto_step(step_id)
        await pilot.pause()
        for widget in app.screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
        await pilot.pause()

    return app, open_step


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_step_at_80x24(step_id, service, snap_compare):
    app, open_step = _meeting_app(service)
    assert snap_compare(app, terminal_size=(80, 24), run_before=lambda pilot: open_step(pilot, step_id))


def test_review_at_160x45(service, snap_compare):
    app, open_step = _meeting_app(service)
    assert snap_compare(app, terminal_size=(160, 45), run_before=lambda pilot: open_step(pilot, "review"))


def test_home_at_80x24(service, snap_compare):
    from sip_tui.demo import load_demo

    load_demo(service)
    app = build_app(service)

    async def settle(pilot) -> None:
        await pilot.pause(0.3)
        app.screen.query_one(Input).cursor_blink = False

    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_report_charts_at_100x60(service, snap_compare):
    """The report screen's bar charts over a store with known counts (see test_report)."""
    from test_report import known_store

    known_store(service)
    app = build_app(service)

    async def open_report(pilot) -> None:
        app.show_report()
        while getattr(app.screen, "report", None) is None:
            await pilot.pause()
        for widget in app.screen.query("Input"):
            widget.cursor_blink = False
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 60), run_before=open_report)
