"""User text is data: every screen and dialog shows it literally, never as
markup and never as a terminal control; and the other on-screen items of
issue 9 (no exception text, masking, damaged plans, progress on home)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import unicodedata
from enum import Enum

import pytest
from conftest import FIXED_NOW
from pydantic import BaseModel
from textual.command import CommandPalette
from textual.widgets import Button
from ui_helpers import screen_text, type_into, until, widget_text

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan
from sip_tui.i18n import t
from sip_tui.models.enums import MeetingKind
from sip_tui.models.plan import SAVE_BOOKKEEPING, Deviation, Plan, Representative
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
        if name == "id" or name.endswith("_ids") or name in SAVE_BOOKKEEPING:  # set by the store, not typed
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
    # A kept entry for a path that names no field (a file edited by hand): shown by its path.
    plan.pending_input = {"meeting.place": f"pending {MARKUP}", "hand.edited.path": "x"}
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

    def painted() -> bool:
        text = shown(pilot)
        return "[/x]" in text and "[tolk]" in text

    try:
        await until(pilot, painted)
    except AssertionError:
        raise AssertionError(f"{where}: the markup-like text is shown as typed") from None
    svg = pilot.app.export_screenshot()
    assert "\x1b" not in svg and BIDI not in svg, f"{where}: a control character reached the terminal"


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
        await until(pilot, lambda: app.summaries)
        await type_into(pilot, "#search", "Zed")
        await until(pilot, lambda: home.query_one("#matches").option_count == 2)
        await assert_literal(pilot, "home search")
        assert "␛[31m" in screen_text(pilot), "the damaged file's escape code is shown as a picture"
        await pilot.press("escape")
        await pilot.press("v")
        await until(pilot, lambda: "[tolk]" in screen_text(pilot))
        await assert_literal(pilot, "home reveal")
        await pilot.press("escape")

        await pilot.press("u")
        overview = app.screen
        assert isinstance(overview, FollowupsScreen)
        await until(pilot, lambda: overview.scanned)
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
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await assert_literal(pilot, "help over the person step")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: CommandPalette.is_open(app))
        await pilot.press("s", "p", "a")
        await until(pilot, lambda: t("app.cmd.save") in screen_text(pilot))
        await pilot.press("escape")
        await until(pilot, lambda: not CommandPalette.is_open(app))
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
            await until(pilot, lambda: isinstance(app.screen, ItemFormScreen) and app.screen.query("#done"))
            await pilot.pause()
            await assert_literal(pilot, f"{section} form")
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, ItemFormScreen))
            app.screen.query_one(f"#table-{section}").focus()
            await pilot.press("delete")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await assert_literal(pilot, f"{section} remove")
            await pilot.press("escape")

        app.goto_step("review")
        await pilot.pause()
        assert "hand.edited.path" in shown(pilot), "the missing list names the hand-edited path as it is"
        app.session.plan.pending_input.clear()
        app.session.plan.change_reason = f"reason {MARKUP}"
        app.goto_step("review")
        await pilot.pause()
        app.session.plan.followup.held = False
        app.screen.action_agree()
        await until(pilot, lambda: isinstance(app.screen, AgreeDialog))
        await assert_literal(pilot, "agree dialog")
        await pilot.press("escape")

        app.screen.action_export()
        await pilot.pause()
        await assert_literal(pilot, "export toast")

        app.show_versions()
        await until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        await pilot.pause()
        await assert_literal(pilot, "versions")
        await pilot.press("escape")

        app.close_plan()
        await pilot.pause()
        await assert_literal(pilot, "close dialog")
        app.screen.query_one("#close-cancel", Button).press()
        await pilot.pause()

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await assert_literal(pilot, "leave dialog")


async def test_the_issue_reproductions_show_markup_as_typed(service):
    """Issue 9 item 5 as reported: "Zed [/x] Testsson" searched and revealed on home
    (MarkupError), "[/g]" in a goal on the Behov step's goal links (MarkupError), and
    "[tolk]" in a name in the list (silently dropped)."""
    zed = _complete_plan("Zed [/x] Testsson", None, TODAY, TODAY + dt.timedelta(days=30))
    zed.goals[0].text = "[/g] Klara mig själv"
    zed = service.save(zed)
    service.save(_complete_plan("Anna [tolk] Berg", None, TODAY, TODAY + dt.timedelta(days=30)))
    app = build_app(service, autosave_delay=60)
    async with app.run_test(size=(160, 50)) as pilot:
        await until(pilot, lambda: app.summaries)
        await type_into(pilot, "#search", "Zed")
        await until(pilot, lambda: "Zed [/x] Testsson" in screen_text(pilot))
        await pilot.press("escape")
        await pilot.press("v")
        await until(pilot, lambda: "Anna [tolk] Berg" in screen_text(pilot))
        assert "Zed [/x] Testsson" in screen_text(pilot)
        await pilot.press("escape")
        app.open_plan(zed.id)
        await until(pilot, lambda: app.session is not None)
        app.goto_step("needs")
        await until(pilot, lambda: "[/g] Klara mig själv" in screen_text(pilot))  # the goal link's label


# -- no personal data left on the shared screen ---------------------------------------


async def test_personnummer_is_masked_whenever_its_field_is_not_focused_on_top(service):
    plan = service.save(_complete_plan("Maja Hemlig", "19850312-2387", TODAY, TODAY + dt.timedelta(days=30)))
    app = build_app(service, autosave_delay=60)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        field = app.screen.query_one("#f-person-personnummer")
        field.focus()
        await until(pilot, lambda: "19850312-2387" in screen_text(pilot))
        for key, over in (("ctrl+p", "the palette"), ("f1", "help"), ("escape", "the leave dialog")):
            await pilot.press(key)
            await until(pilot, lambda: len(app.screen_stack) == 3)
            await until(pilot, lambda: field.value == "19850312-••••")
            assert "2387" not in screen_text(pilot), f"masked behind {over}"
            await pilot.press("escape")
            await until(pilot, lambda: len(app.screen_stack) == 2)
            await until(pilot, lambda: "19850312-2387" in screen_text(pilot))  # focused again: shown to edit
        assert app.wait_for_save()
    assert service.open(plan.id).person.personnummer == "19850312-2387", "the mask is never saved as the number"


async def test_export_message_names_the_folder_and_leaves_with_the_meeting(service, tmp_path):
    from sip_tui.settings import Settings

    exports = tmp_path / "hemligt-namn" / "SIP-export"
    service.settings = Settings(export_dir=exports)
    plan = service.save(_complete_plan("Maja Hemlig", None, TODAY, TODAY + dt.timedelta(days=30)))
    app = build_app(service, autosave_delay=60)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        app.goto_step("review")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await until(pilot, lambda: "SIP-export" in screen_text(pilot))
        assert "hemligt-namn" not in screen_text(pilot), "the folder's short name, not its full path"
        await pilot.press("ctrl+p")
        await until(pilot, lambda: CommandPalette.is_open(app))
        await pilot.press(*"exportmappen")
        await until(pilot, lambda: t("app.cmd.export_folder") in screen_text(pilot))
        await pilot.press("enter")
        await until(pilot, lambda: str(exports) in [n.message.split(": ", 1)[-1] for n in app._notifications])
        await pilot.press("escape")  # leave the meeting
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert not list(app._notifications), "nothing naming the person's file stays on home"
        assert "Maja" not in screen_text(pilot)


# -- damaged plans, search, empty plans -------------------------------------------------


async def test_a_plan_that_would_not_open_is_marked_damaged_in_search_and_overview(service):
    damaged_file(service, "Dora Skadad")
    app = build_app(service)
    async with app.run_test(size=(160, 40)) as pilot:
        await until(pilot, lambda: app.summaries)
        await type_into(pilot, "#search", "Dora")
        await until(pilot, lambda: "Dora Skadad" in screen_text(pilot))
        assert f"Dora Skadad · ⚠ {t('app.damaged')}" in screen_text(pilot)
        await pilot.press("escape", "u")
        overview = app.screen
        assert isinstance(overview, FollowupsScreen)
        await until(pilot, lambda: overview.scanned and "Dora" in screen_text(pilot))
        assert t("app.damaged") in screen_text(pilot)


async def test_a_name_typed_in_decomposed_unicode_is_found(service):
    service.save(_complete_plan("Zoë Åkesson", None, TODAY, TODAY + dt.timedelta(days=30)))
    decomposed = unicodedata.normalize("NFD", "zoë åk")
    assert decomposed != "zoë åk"
    app = build_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.summaries)
        app.screen.query_one("#search").value = decomposed  # as a terminal sending NFD delivers it
        await until(pilot, lambda: "Zoë Åkesson" in screen_text(pilot))


@pytest.mark.parametrize("typed", [False, True], ids=["left-at-once", "typed-and-taken-back"])
async def test_a_new_plan_left_untouched_is_not_kept(service, typed):
    app = build_app(service, autosave_delay=60)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.query("#search"))
        await pilot.press("n")
        await until(pilot, lambda: app.session is not None and app.screen.query("#f-person-name"))
        if typed:
            await type_into(pilot, "#f-person-name", "x")
            await pilot.press("backspace")  # typed and taken back before the autosave
            assert app.session.dirty
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.session is None)
    assert service.store.plan_ids() == [], "no empty plan in the store"


# -- progress on home -----------------------------------------------------------------


async def test_home_shows_how_far_a_slow_scan_got_and_keys_still_work(service, monkeypatch):
    from sip_tui.store import PlanStore

    for number in range(5):
        service.save(_complete_plan(f"Person {number}", None, TODAY, TODAY + dt.timedelta(days=30)))
    gate = threading.Event()
    read = PlanStore._summary

    def slow_summary(store, plan_id: str):
        if plan_id == sorted_ids[2]:
            gate.wait(10)  # a slow disk: the third file takes until the test lets it go
        return read(store, plan_id)

    sorted_ids = service.store.plan_ids()
    monkeypatch.setattr(PlanStore, "_summary", slow_summary)
    app = build_app(service)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            counts = app.screen.query_one("#counts")
            await until(pilot, lambda: t("home.scanning", done=2, total=5) in str(counts.render()))
            await pilot.press("/")  # the app answers keys while the scan runs
            await until(pilot, lambda: app.focused is not None and app.focused.id == "search")
            gate.set()
            await until(pilot, lambda: "pågående: 5" in str(counts.render()))
    finally:
        gate.set()
