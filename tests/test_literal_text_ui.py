"""User text is data: every screen and dialog shows it literally, never as
markup and never as a terminal control; and the other on-screen items of
issue 9 (no exception text, masking, damaged plans, progress on home)."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum

from conftest import FIXED_NOW
from pydantic import BaseModel
from textual.command import CommandPalette
from textual.widgets import Button
from ui_helpers import screen_text, type_into, widget_text

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan
from sip_tui.i18n import t
from sip_tui.models.enums import MeetingKind
from sip_tui.models.plan import Deviation, Plan, Representative
from sip_tui.screens.dialogs import ConfirmScreen, HelpScreen, ItemFormScreen
from sip_tui.screens.followups import FollowupsScreen
from sip_tui.screens.home import HomeScreen
from sip_tui.screens.review import AgreeDialog
from sip_tui.screens.step import STEP_IDS
from sip_tui.screens.versions import VersionsScreen
from sip_tui.widgets.literal import literal, plain

TODAY = FIXED_NOW.date()
# Markup Textual would parse (a closing tag with no opening one raises
# MarkupError, [tolk] would vanish as an unknown style, @click would run an
# action), and a right-to-left override that would turn the line around.
MARKUP = "[/x] [b]Tt[/b] [tolk] [@click=app.quit]q[/]"
BIDI = "\u202e"
# Escape codes: refused by the plan model, so they reach the screen only from a
# file edited by hand (a damaged plan, listed by its summary).
ESCAPE = "\x1b[31m\x1b]52;c;aGk=\x07"


def hostile(model: BaseModel, prefix: str = "") -> None:
    """Every text field of ``model`` (and its parts and list items) holds markup and a bidi override."""
    for name, value in model:
        if name == "id" or name.endswith("_ids"):
            continue
        if isinstance(value, str) and not isinstance(value, Enum) and name != "personnummer":
            setattr(model, name, f"{prefix}{name} {MARKUP}{BIDI}")
        elif isinstance(value, BaseModel):
            hostile(value, f"{prefix}{name}.")
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    hostile(item, f"{prefix}{name}.")
    if isinstance(model, Plan):
        model.person.name = f"Zed {MARKUP} Testsson{BIDI}"


def hostile_plan(service) -> Plan:
    """Agreed as version 1 by people with markup in their names, now in follow-up
    with a deviation, a kept invalid entry and a hand-edited path in it."""
    plan = _complete_plan("x", "19850312-2387", TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=5))
    plan.deviations.append(Deviation(date=TODAY))
    plan.person.representative = Representative()
    hostile(plan)
    plan = service.save(Plan.model_validate(plan.model_dump()))
    at = dt.datetime.combine(plan.meeting.date, dt.time(11, 30), tzinfo=FIXED_NOW.tzinfo)
    plan = service.agree(plan, [plan.person.name, f"Kim {MARKUP}"], at=at)
    plan = service.start_followup(plan)
    plan.meeting.kind = MeetingKind.FOLLOW_UP
    plan.pending_input = {"meeting.place": f"pending {MARKUP}", f"[/hand-edited] {MARKUP}": "x"}
    return service.save(plan)


def damaged_file(service, name: str) -> str:
    """A plan file edited by hand: escape codes in the name, a follow-up due, an invalid goal."""
    plan = service.save(_complete_plan("x", None, TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=3)))
    plan = service.agree(
        plan, ["x"], at=dt.datetime.combine(TODAY - dt.timedelta(days=60), dt.time(9), FIXED_NOW.tzinfo)
    )
    path = service.store.path(plan.id)
    data = json.loads(path.read_bytes())
    data["plan"]["1"]["person"]["name"] = name
    data["plan"]["1"]["goals"] = "not a list"
    path.write_text(json.dumps(data), encoding="utf-8")
    return plan.id


def shown(pilot) -> str:
    """What is on screen plus the text of every widget (scrolled out of view or not)."""
    return screen_text(pilot) + "\n" + widget_text(pilot.app.screen)


async def assert_literal(pilot, where: str) -> None:
    """The markup-like text shows as typed (once the screen is painted), and no
    control or bidi character reaches the terminal."""
    for _ in range(50):
        text = shown(pilot)
        if "[/x]" in text and "[tolk]" in text:
            break
        await pilot.pause(0.02)
    assert "[/x]" in text and "[tolk]" in text, f"{where}: the markup-like text is shown as typed"
    svg = pilot.app.export_screenshot()
    assert "\x1b" not in svg and BIDI not in svg, f"{where}: a control character reached the terminal"


async def wait_until(pilot, condition, attempts: int = 200) -> None:
    for _ in range(attempts):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition()


# -- the helper ----------------------------------------------------------------------


def test_literal_keeps_markup_and_makes_controls_visible():
    text = f"Zed {MARKUP} {ESCAPE}{BIDI}\tx\ny"
    assert plain(text) == f"Zed {MARKUP} ␛[31m␛]52;c;aGk=␇\ufffd x y"
    assert plain(text, multiline=True).endswith("\ufffd\tx\ny")
    assert literal(text).plain == plain(text), "no markup parsed, nothing dropped"


# -- every screen and dialog with a hostile plan ----------------------------------------


async def test_every_screen_and_dialog_shows_hostile_text_literally(service, tmp_path):
    from sip_tui.settings import Settings

    service.settings = Settings(export_dir=tmp_path / "ut")
    plan = hostile_plan(service)
    damaged_file(service, f"Zed {MARKUP} {ESCAPE}")
    app = build_app(service, autosave_delay=60)
    async with app.run_test(size=(200, 60)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_until(pilot, lambda: app.summaries)
        await type_into(pilot, "#search", "Zed")
        await wait_until(pilot, lambda: home.query_one("#matches").option_count == 2)
        await assert_literal(pilot, "home search")
        assert "␛[31m" in screen_text(pilot), "the damaged file's escape code is shown as a picture"
        await pilot.press("escape")
        await pilot.press("v")
        await wait_until(pilot, lambda: "[tolk]" in screen_text(pilot))
        await assert_literal(pilot, "home reveal")
        await pilot.press("escape")

        await pilot.press("u")
        overview = app.screen
        assert isinstance(overview, FollowupsScreen)
        await wait_until(pilot, lambda: overview.scanned)
        await pilot.pause()
        await assert_literal(pilot, "overview")
        overview.query_one("#fu-coordinator").expanded = True
        await pilot.pause()
        await assert_literal(pilot, "overview coordinator filter")
        overview.query_one("#fu-coordinator").expanded = False
        await pilot.press("escape")

        app.open_plan(plan.id)
        await pilot.pause()
        await pilot.press("f1")  # help and the palette over a hostile step
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await assert_literal(pilot, "help over the person step")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: CommandPalette.is_open(app))
        await pilot.press("s", "p", "a")
        await wait_until(pilot, lambda: t("app.cmd.save") in screen_text(pilot))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not CommandPalette.is_open(app))
        for step_id in STEP_IDS:
            app.goto_step(step_id)
            await pilot.pause()
            await assert_literal(pilot, step_id)

        for step_id, section in (
            ("consent", "participants"),
            ("insatser", "insatser"),
            ("responsibility", "distribution"),
        ):
            app.goto_step(step_id)
            await pilot.pause()
            app.screen.edit_item(section, getattr(app.session.plan, section)[0].id)
            await wait_until(pilot, lambda: isinstance(app.screen, ItemFormScreen) and app.screen.query("#done"))
            await pilot.pause()
            await assert_literal(pilot, f"{section} form")
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, ItemFormScreen))
            app.screen.query_one(f"#table-{section}").focus()
            await pilot.press("delete")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await assert_literal(pilot, f"{section} remove")
            await pilot.press("escape")

        app.goto_step("review")
        await pilot.pause()
        assert "[/hand-edited]" in shown(pilot), "the missing list names the hand-edited path as it is"
        app.session.plan.pending_input.clear()
        app.session.plan.change_reason = f"reason {MARKUP}"
        app.goto_step("review")
        await pilot.pause()
        app.session.plan.followup.held = False
        app.screen.action_agree()
        await wait_until(pilot, lambda: isinstance(app.screen, AgreeDialog))
        await assert_literal(pilot, "agree dialog")
        await pilot.press("escape")

        app.screen.action_export()
        await pilot.pause()
        await assert_literal(pilot, "export toast")

        app.show_versions()
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        await pilot.pause()
        await assert_literal(pilot, "versions")
        await pilot.press("escape")

        app.close_plan()
        await pilot.pause()
        await assert_literal(pilot, "close dialog")
        app.screen.query_one("#close-cancel", Button).press()
        await pilot.pause()

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await assert_literal(pilot, "leave dialog")
