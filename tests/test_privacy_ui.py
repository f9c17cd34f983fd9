"""On a shared screen the room sees only the plan being worked on."""

from __future__ import annotations

import re

from ui_helpers import screen_text, type_into, widget_text

from sip_tui.app import build_app
from sip_tui.demo import load_demo
from sip_tui.screens.step import STEP_IDS

FULL_PNR = re.compile(r"\d{6}[-+]?\d{4}")


def names_in_store(service) -> set[str]:
    return {s.name for s in service.scan().summaries}


async def test_home_shows_counts_not_names_until_asked(service):
    load_demo(service)
    names = names_in_store(service)
    app = build_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        shown = screen_text(pilot)
        assert "försenade: 1" in shown and "inom 14 dagar: 1" in shown
        assert not [name for name in names if name in shown]
        await pilot.press("v")  # the facilitator reveals the list
        await pilot.pause()
        revealed = screen_text(pilot)
        assert "Bo Exempelsson" in revealed
        await pilot.press("escape")
        await pilot.pause()
        assert "Bo Exempelsson" not in screen_text(pilot)


async def test_meeting_mode_shows_only_that_plan_and_masks_personnummer(service):
    load_demo(service)
    names = names_in_store(service)
    app = build_app(service)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause(0.3)
        await type_into(pilot, "#search", "Alva")
        await pilot.press("enter", "enter")  # to the matches, open the first
        await pilot.pause()
        assert app.session is not None and app.session.plan.person.name == "Alva Påhittad"
        others = names - {"Alva Påhittad"}
        for step_id in STEP_IDS:
            app.goto_step(step_id)
            await pilot.pause()
            for shown in (screen_text(pilot), widget_text(app.screen)):
                assert not [name for name in others if name in shown], step_id
                assert not FULL_PNR.search(shown), step_id
        app.goto_step("person")
        await pilot.pause()
        assert "19850312-••••" in screen_text(pilot)
        app.screen.query_one("#f-person-personnummer").focus()
        await pilot.pause()
        assert "19850312-2387" in screen_text(pilot), "the number shows while its field has focus"
