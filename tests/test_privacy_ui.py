"""On a shared screen the room sees only the plan being worked on."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from ui_helpers import screen_text, type_into, until, widget_text

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan, load_demo
from sip_tui.screens.step import STEP_IDS

FULL_PNR = re.compile(r"\d{6}[-+]?\d{4}")


def names_in_store(service) -> set[str]:
    return {s.name for s in service.scan().summaries}


async def test_home_shows_counts_not_names_until_asked(service):
    load_demo(service)
    names = names_in_store(service)
    app = build_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "försenade: 1" in screen_text(pilot))  # the counts, once the store is read
        shown = screen_text(pilot)
        assert "inom 14 dagar: 1" in shown
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
        await pilot.press("enter")  # opens the first match
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


async def test_a_crash_does_not_print_the_open_plan(service, store_dir, capfd):
    """Textual prints local variables and the exception's text with a crash's
    traceback; on a shared screen that would show the plan, personnummer and all
    (pydantic puts the typed value in its message). The app saves, says so in the
    UI language, leaves a report without field values and exits with status 1."""
    plan = service.save(_complete_plan("Maja Hemlig", "19850312-2387", dt.date(2026, 3, 10), dt.date(2026, 5, 12)))
    app = build_app(service, autosave_delay=5)
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(100, 30)) as pilot:
            app.open_plan(plan.id)
            await pilot.pause()
            app.screen.query_one("#f-person-phone").value = "070-222 22 22"  # typed, autosave not yet due
            await pilot.pause()

            def crash(person=app.session.plan.person) -> None:
                raise ZeroDivisionError(f"input_value={person.name!r} {person.personnummer}")

            app.call_later(crash)
            await pilot.pause()
    printed = "".join(capfd.readouterr())
    assert "oväntat fel" in printed and app.return_code == 1
    assert "Hemlig" not in printed and "2387" not in printed
    assert service.open(plan.id).person.phone == "070-222 22 22", "what was typed is saved on the way out"
    [report] = (store_dir / "crash").iterdir()
    text = report.read_text()
    assert "ZeroDivisionError" in text, "the error itself is still reported"
    assert "Hemlig" not in text and "2387" not in text


async def test_palette_offers_no_screenshot_of_the_plan(service):
    plan = service.save(_complete_plan("Maja Hemlig", None, dt.date(2026, 3, 10), dt.date(2026, 5, 12)))
    app = build_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
    assert "Screenshot" not in titles
    assert titles[:3] == ["Byt tema", "Avsluta programmet", "Tangenter"], "in Swedish; the high-contrast theme reachable"
