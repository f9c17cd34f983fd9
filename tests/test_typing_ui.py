"""Typing in front of the room: every key lands where the user meant, at machine speed.

Keys are posted all at once, as a terminal delivers a fast typist or a paste,
across step changes (F-keys, PgDn/PgUp, the step row, a missing item), dialogs
and new rows; each test asserts which field holds each character.
"""

from __future__ import annotations

import datetime as dt

import pytest
from docx import Document
from textual import events
from textual.widgets import Input, TextArea
from ui_helpers import post_keys, settled, until

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan
from sip_tui.models.interchange import parse_document
from sip_tui.screens.dialogs import ItemFormScreen, NewRowScreen
from sip_tui.screens.insatser import InsatserStep
from sip_tui.widgets.stepper import StepLink


async def new_meeting(pilot) -> None:
    await pilot.press("n")
    await until(pilot, lambda: getattr(pilot.app.screen, "STEP_ID", "") == "person")
    await settled(pilot)


def person(app):
    return app.session.plan.person


async def test_keys_after_an_f_key_step_change_go_to_the_new_step(service):
    """F2 then Tab Tab 777 at once: the phone field (third on step 1), never the name."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "pagedown")
        await settled(pilot)
        assert app.screen.STEP_ID == "consent"
        post_keys(app, "f2", "tab", "tab", *"777")
        await settled(pilot)
        assert app.screen.STEP_ID == "person"
        assert (person(app).name, person(app).phone) == ("", "777")


async def test_keys_across_pgdn_and_pgup_land_in_order(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, *"Maja", "tab", "tab", *"070", "pagedown", "pageup", "tab", "tab", "tab", *"maja@example.se")
        await settled(pilot)
        assert (person(app).name, person(app).phone, person(app).email) == ("Maja", "070", "maja@example.se")
        assert app.session.plan.person.personnummer is None


async def test_tab_right_after_a_paste_moves_the_following_text(service):
    """A paste then Tab then typed text, ten times over: the typed text is never in the pasted field."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        for round_ in range(10):
            app.screen.query_one("#f-person-name", Input).focus()
            await settled(pilot)
            app.post_message(events.Paste(f"Maja Påhittad {round_}"))
            post_keys(app, "tab", "tab", *f"070-{round_}")
            await settled(pilot)
            assert person(app).name == f"Maja Påhittad {round_}"
            assert person(app).phone.endswith(f"070-{round_}")


async def test_a_click_on_the_step_row_then_typing(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "pagedown", "pagedown")
        await settled(pilot)
        link = next(link for link in app.screen.query(StepLink) if link.step_id == "person")
        x, y = link.region.offset
        for event in (events.MouseDown, events.MouseUp):
            app.post_message(event(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y))
        post_keys(app, "tab", "tab", *"777")
        await settled(pilot)
        assert app.screen.STEP_ID == "person"
        assert (person(app).name, person(app).phone) == ("", "777")


async def test_a_missing_item_jump_then_typing_fills_the_field_it_named(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "f8")
        await settled(pilot)
        fix = next(button for button in app.screen.query("FixButton") if button.path == "person.name")
        fix.focus()
        await settled(pilot)
        post_keys(app, "enter", *"Maja Påhittad")
        await settled(pilot)
        assert app.screen.STEP_ID == "person"
        assert person(app).name == "Maja Påhittad"


async def test_rows_typed_straight_after_ctrl_n_and_enter(service):
    """Ctrl+N, type, Enter to add, Ctrl+N again: each row gets its own text."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "pagedown")
        await settled(pilot)
        post_keys(app, "ctrl+n", *"Karin Lind", "tab", *"Kurator", "enter", "ctrl+n", *"Olle Berg", "enter")
        await settled(pilot)
        participants = app.session.plan.participants
        assert [(p.name, p.role) for p in participants] == [("Karin Lind", "Kurator"), ("Olle Berg", "")]
        assert not isinstance(app.screen, ItemFormScreen)


async def test_goal_typed_straight_after_ctrl_n_is_in_the_new_card(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "f4", "ctrl+n", *"Jag vill ha ett eget boende", "ctrl+n", *"Jobba")
        await settled(pilot)
        assert [goal.text for goal in app.session.plan.goals] == ["Jag vill ha ett eget boende", "Jobba"]


@pytest.mark.parametrize(("key", "step"), [("f6", "insatser"), ("f7", "responsibility")])
async def test_f6_f7_in_a_text_box_change_step_and_keep_the_text(service, key, step):
    """The footer's F6/F7 (steps 5 and 6) win over the text box's select line / select all."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "f4", "ctrl+n", *"Jag vill ha ett eget boende")
        await settled(pilot)
        assert isinstance(app.focused, TextArea)
        post_keys(app, key, "Z")
        await settled(pilot)
        assert step == app.screen.STEP_ID
        assert [goal.text for goal in app.session.plan.goals] == ["Jag vill ha ett eget boende"]


def test_no_widget_takes_a_key_the_footer_offers():
    """Every key the app, a step or a dialog offers does what the footer says in every
    widget the app uses: a widget's own binding for the same key must lose (a
    priority binding). (An overview screen is left out: it holds only some widgets.)"""
    import importlib
    import pkgutil

    from textual.screen import ModalScreen, Screen
    from textual.widgets import Button, Checkbox, DataTable, Input, OptionList, Select, SelectionList, TextArea
    from textual.widgets._select import SelectOverlay

    import sip_tui.screens
    from sip_tui.app import SipApp
    from sip_tui.screens.commands import CommandScreen
    from sip_tui.screens.steps import STEP_SCREENS

    for module in pkgutil.iter_modules(sip_tui.screens.__path__):  # every screen and dialog class defined
        importlib.import_module(f"sip_tui.screens.{module.name}")

    def subclasses(cls: type) -> set[type]:
        return {sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))}

    dialogs = {screen for screen in subclasses(CommandScreen) if issubclass(screen, ModalScreen)}
    holders = {SipApp, *STEP_SCREENS.values(), *dialogs}
    assert len(dialogs) > 8  # confirm, help, a row's form, agree, close, the deviation, ...
    textual_own = set(Screen._merge_bindings().key_to_bindings)  # Tab, Ctrl+C (copy in a field)
    widgets = (TextArea, Input, Select, SelectOverlay, DataTable, Checkbox, Button, SelectionList, OptionList)
    # Keys a focused widget may keep: Enter and Delete act on that widget (the
    # footer offers them for a table row), Esc first closes an open drop-down.
    kept_by_widget = {"enter", "delete", "escape"}
    conflicts = []
    for holder in holders:
        for key, bindings in holder._merge_bindings().key_to_bindings.items():
            for binding in bindings:
                if binding.priority or key in kept_by_widget or key in textual_own:
                    continue
                for widget in widgets:
                    if key in widget._merge_bindings().key_to_bindings:
                        conflicts.append((holder.__name__, key, widget.__name__))
    assert conflicts == []


async def test_pasted_control_characters_are_cleaned_and_the_plan_reopens(service, tmp_path):
    """Text from Word or a PDF: control and bidi-override characters go, line breaks
    stay in a box; the plan then opens, and exports to JSON and Word that read back."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        app.screen.query_one("#f-person-name", Input).focus()
        await settled(pilot)
        app.post_message(events.Paste("Ma\x01ja\u202e Påhittad\r\nandra raden"))
        post_keys(app, "f4", "ctrl+n")
        await settled(pilot)
        app.post_message(events.Paste("a\x01b\u2066c\r\nrad två\tmed tab\x7f"))
        await settled(pilot)
        assert app.wait_for_save()
        plan_id = app.session.plan.id
        assert person(app).name == "Maja Påhittad andra raden"
        assert app.session.plan.goals[0].text == "abc\nrad två\tmed tab"
        assert app.session.plan.pending_input == {}
    reopened = service.open(plan_id)
    assert reopened.person.name == "Maja Påhittad andra raden"
    exported = parse_document(service.export_json_file(reopened, tmp_path).read_text(encoding="utf-8")).plan
    assert exported.goals[0].text == "abc\nrad två\tmed tab"
    word = Document(str(service.export_docx(reopened, tmp_path)))
    shown = "\n".join(p.text for p in word.paragraphs) + "".join(c.text for t in word.tables for c in t._cells)
    assert "Maja Påhittad andra raden" in shown and "abc" in shown and "\x01" not in shown


async def test_escape_on_a_new_row_adds_nothing(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "f6", "ctrl+n", "escape")
        await settled(pilot)
        assert app.session.plan.insatser == []
        assert not isinstance(app.screen, ItemFormScreen)


async def test_escape_on_a_typed_new_row_asks_before_discarding(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "f6", "ctrl+n", *"Arbetsträning", "escape")
        await settled(pilot)
        # Asked first; "Fortsätt skriva" (the default answer, Esc) keeps the row and the text.
        post_keys(app, "escape")
        await settled(pilot)
        assert isinstance(app.screen, NewRowScreen)
        assert [i.what for i in app.session.plan.insatser] == ["Arbetsträning"]
        post_keys(app, "escape")
        await settled(pilot)
        app.screen.query_one("#yes").press()  # a press is no key: wait for what it sets off, not for the gate
        await until(pilot, lambda: isinstance(app.screen, InsatserStep))
        await until(pilot, lambda: app.session.plan.insatser == [])


async def test_ctrl_n_adds_to_the_list_the_cursor_is_in(service):
    """On step 5 with the cursor in the deviations, Ctrl+N adds a deviation, not an insats."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "f6")
        await settled(pilot)
        app.screen.query_one("#table-deviations").focus()
        await settled(pilot)
        post_keys(app, "ctrl+n", *"2026-03-09")
        await settled(pilot)
        assert isinstance(app.screen, NewRowScreen)
        assert app.session.plan.insatser == []
        assert [d.date for d in app.session.plan.deviations] == [dt.date(2026, 3, 9)]


async def test_an_overlong_name_in_the_agree_dialog_is_refused_in_words(service):
    plan = service.save(_complete_plan("Maja Påhittad", None, dt.date(2026, 3, 10), dt.date(2026, 5, 1)))
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_plan(plan.id)
        await settled(pilot)
        post_keys(app, "f8", "ctrl+g")
        await settled(pilot)
        app.screen.query_one("#person-agrees").value = True
        others = app.screen.query_one("#others", Input)
        others.value = "Hemlig Person " * 30
        others.focus()
        await settled(pilot)
        post_keys(app, "enter")  # Enter in the one-line field confirms
        await settled(pilot)
        assert app.session.plan.version == 0
        assert app.return_code is None  # still running: no crash, no traceback
        texts = [str(n.message) for n in app._notifications]
        assert any("för långt" in text for text in texts)
        assert not any("Hemlig" in text for text in texts)



async def test_names_pasted_with_control_characters_into_the_agree_dialog(service):
    """A list of names pasted from Word into "Övriga": agreed with the names, not a crash."""
    plan = service.save(_complete_plan("Maja Påhittad", None, dt.date(2026, 3, 10), dt.date(2026, 5, 1)))
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_plan(plan.id)
        await settled(pilot)
        post_keys(app, "f8", "ctrl+g")
        await settled(pilot)
        app.screen.query_one("#person-agrees").value = True
        others = app.screen.query_one("#others", Input)
        others.value = ""
        others.focus()
        await settled(pilot)
        app.post_message(events.Paste("Olle\x01 Berg\u202e,\r\nKarin\tLind"))
        post_keys(app, "enter")
        await settled(pilot)
        assert app.return_code is None, "still running"
        assert app.session.plan.agreement.by == ["Maja Påhittad", "Olle Berg", "Karin Lind"]
    assert service.open(plan.id).version == 1


async def test_closing_a_plan_typed_ahead_and_confirmed_with_enter_in_the_date(service):
    """The close dialog: a letter picks the outcome, Shift+Tab and the date, Enter confirms."""
    from sip_tui.models.enums import Outcome, PlanStatus

    plan = _complete_plan("Maja Påhittad", None, dt.date(2026, 3, 10), dt.date(2026, 5, 1))
    agreed = service.agree(service.save(plan), ["Maja Påhittad"])
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_plan(agreed.id)
        await settled(pilot)
        app.close_plan()
        await until(pilot, lambda: app.screen.query("#f-closure-outcome"))
        await settled(pilot)
        post_keys(app, "s", "shift+tab", *"2026-03-09", "enter")
        await settled(pilot)
        assert app.screen.STEP_ID == "review"
    closed = service.open(agreed.id)
    assert closed.status == PlanStatus.CLOSED
    assert (closed.closure.outcome, closed.closure.date) == (Outcome.STUDIES, dt.date(2026, 3, 9))

async def test_leaving_a_meeting_and_opening_another_keeps_running(service):
    first = service.save(_complete_plan("Maja Påhittad", None, dt.date(2026, 3, 10), dt.date(2026, 5, 1)))
    second = service.save(_complete_plan("Olle Testman", None, dt.date(2026, 3, 10), dt.date(2026, 5, 1)))
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        for plan in (first, second, first):
            app.open_plan(plan.id)
            await settled(pilot)
            post_keys(app, "pagedown", "pagedown", "escape")
            await settled(pilot)
            app.screen.query_one("#yes").press()  # a press is no key: wait for what it sets off
            await until(pilot, lambda: app.session is None)
            await settled(pilot)
        assert app.return_code is None



async def test_a_step_screen_on_its_way_out_offers_no_meeting_key(service):
    """The footer asks a step screen for its keys after the meeting has ended
    (while it is being removed, as when another meeting opens): no AssertionError
    from the closed session, and none of the meeting's keys."""
    plan = service.save(_complete_plan("Maja Påhittad", None, dt.date(2026, 3, 10), dt.date(2026, 5, 1)))
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_plan(plan.id)
        await settled(pilot)
        leaving = app.screen
        post_keys(app, "escape", "enter")  # leave the meeting: yes
        await settled(pilot)
        assert app.session is None
        offered = {key for key, active in leaving.active_bindings.items() if active.enabled}
        assert not offered & {"pagedown", "pageup", "ctrl+n", "ctrl+s", "escape", "f2", "f8"}

async def test_plans_folder_removed_while_running_returns_home(service, store_dir):
    import shutil

    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, *"Maja")
        await settled(pilot)
        assert app.wait_for_save()
        shutil.rmtree(store_dir / "plans")
        post_keys(app, *" P", "escape")
        await settled(pilot)
        app.screen.query_one("#yes").press()  # a press is no key: wait for what it sets off
        await until(pilot, lambda: app.session is None)
        await settled(pilot)
        assert app.return_code is None
    assert len(service.store.plan_ids()) == 1  # the leave saved it into a folder made anew


async def test_a_closed_drop_down_takes_type_ahead(service):
    """R picks Region; K the first K option (Kommun), K again the next one."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "f7")
        await settled(pilot)
        app.screen.query_one("#f-responsible").focus()
        await settled(pilot)
        post_keys(app, "r")
        await settled(pilot)
        assert app.session.plan.responsible is not None and app.session.plan.responsible.value == "region"
        post_keys(app, "k")
        await settled(pilot)
        assert app.session.plan.responsible.value == "kommun"


async def test_the_search_box_takes_letters_and_the_footer_says_so(service):
    """On home n opens a meeting, but in the search box it is a letter: the footer then offers no n."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: bool(app.screen.query("#search")))
        post_keys(app, "slash", *"nuvs")
        await settled(pilot)
        assert app.screen.query_one("#search", Input).value == "nuvs"
        assert app.session is None
        offered = {key for key, active in app.active_bindings.items() if active.enabled}  # what the footer shows
        assert not offered & {"n", "u", "v", "s"}


async def test_delete_is_offered_only_on_a_table_with_a_row(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "f6")
        await settled(pilot)
        app.screen.query_one("#table-insatser").focus()
        await settled(pilot)
        assert "delete" not in {key for key, active in app.active_bindings.items() if active.enabled}
        post_keys(app, "ctrl+n", *"Arbetsträning")
        await settled(pilot)
        app.screen.query_one("#done").press()  # a press is no key: wait for what it sets off
        await until(pilot, lambda: "delete" in {key for key, active in app.active_bindings.items() if active.enabled})



def click_events(x: int, y: int) -> list[events.Event]:
    """A click as the terminal driver delivers it: press, then release."""
    return [
        event(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)
        for event in (events.MouseDown, events.MouseUp)
    ]


def first_meeting_input(app) -> list[str | events.Event]:
    """A whole first meeting as a fast facilitator types it: fields, ticks,
    type-ahead, rows added in dialogs and closed with Enter, cards, and step
    changes by PgDn, PgUp, F-keys and a click on the step row."""
    link = next(link for link in app.screen.query(StepLink) if link.step_id == "consent")
    person = [
        *"Maja Påhittad", "tab", *"19121212-1212", "tab", *"070-123 45 67", "tab", *"maja@example.se",
        "tab", *"Storgatan 1", "tab", *"svenska", "tab", *"lättläst", "tab", "space", "tab", *"Per Påhittad",
        "tab", *"god man", "tab", *"070-765 43 21", "tab", *"2026-03-10", "tab", *"13:00", "tab", *"14:30",
        "tab", *"Kommunhuset",
    ]  # fmt: skip
    consent = [
        "pagedown", "space", "ctrl+n", *"Karin Lind", "tab", *"Kurator", "tab", *"Socialtjänsten", "enter",
        "ctrl+n", *"Olle Berg", "tab", *"Läkare", "enter",
    ]  # fmt: skip
    goals_and_needs = [
        "f4", "ctrl+n", *"Jag vill ha ett eget boende", "ctrl+n", *"Jobba deltid",
        "pagedown", "ctrl+n", "b", "tab", *"Stöd att hitta lägenhet",
    ]  # fmt: skip
    insatser = [  # the row's form: what, its needs, its goal, the body, unit, contact
        "pagedown", "ctrl+n", *"Boendestöd", "tab", "tab", "tab", "k", "tab", *"Socialpsykiatrin", "tab",
        *"Anna Ek", "enter", "ctrl+n", *"Arbetsträning", "tab", "tab", "tab", "a", "tab", *"AF", "enter",
    ]  # fmt: skip
    responsibility = [
        "f7", "r", "tab", *"Karin Lind", "tab", "k", "tab", *"Socialtjänsten", "tab", *"070-111 22 33",
        "tab", *"karin@example.se", "tab", *"2026-05-01", "pageup", "pagedown", "k",
    ]  # fmt: skip
    back_to_consent = [*click_events(*link.region.offset), "tab", "tab", *"2026-03-09", "f8"]
    return [*person, *consent, *goals_and_needs, *insatser, *responsibility, *back_to_consent]


def send(app, item: str | events.Event) -> None:
    if isinstance(item, events.Event):
        app.post_message(item)
    else:
        post_keys(app, item)


def assert_the_first_meeting(plan) -> None:
    """Each field holds exactly what was typed for it."""
    who = plan.person
    assert (who.name, who.personnummer, who.phone, who.email) == (
        "Maja Påhittad", "19121212-1212", "070-123 45 67", "maja@example.se",
    )  # fmt: skip
    assert (who.address, who.interpreter_language, who.communication) == ("Storgatan 1", "svenska", "lättläst")
    assert who.interpreter_needed is True
    assert (who.representative.name, who.representative.relation, who.representative.contact) == (
        "Per Påhittad", "god man", "070-765 43 21",
    )  # fmt: skip
    meeting = plan.meeting
    assert (meeting.date, meeting.start_time, meeting.end_time, meeting.place) == (
        dt.date(2026, 3, 10), dt.time(13, 0), dt.time(14, 30), "Kommunhuset",
    )  # fmt: skip
    assert plan.consent.given is True
    assert plan.consent.date == dt.date(2026, 3, 9), "typed after the click on the step row"
    assert [(p.name, p.role, p.organisation) for p in plan.participants] == [
        ("Karin Lind", "Kurator", "Socialtjänsten"), ("Olle Berg", "Läkare", ""),
    ]  # fmt: skip
    assert [goal.text for goal in plan.goals] == ["Jag vill ha ett eget boende", "Jobba deltid"]
    assert [(need.area.value, need.description) for need in plan.needs] == [("boende", "Stöd att hitta lägenhet")]
    assert [(i.what, i.body.value if i.body else None, i.unit, i.contact) for i in plan.insatser] == [
        ("Boendestöd", "kommun", "Socialpsykiatrin", "Anna Ek"), ("Arbetsträning", "arbetsformedlingen", "AF", ""),
    ]  # fmt: skip
    assert plan.responsible.value == "kommun", "R chose Region; K, back on the step, Kommun"
    coordinator = plan.coordinator
    assert (coordinator.name, coordinator.body.value, coordinator.unit, coordinator.phone, coordinator.email) == (
        "Karin Lind", "kommun", "Socialtjänsten", "070-111 22 33", "karin@example.se",
    )  # fmt: skip
    assert plan.followup.date == dt.date(2026, 5, 1)
    assert plan.followup.start_time is None and plan.followup.place == ""
    assert plan.pending_input == {}


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
async def test_a_whole_first_meeting_typed_in_one_burst(service, size):
    """Every key of a whole first meeting posted at once, with no pause: each field
    holds what it holds when the typist waits for every key (checked once by
    settling after each key: the same plan), and the bar never said "✓ Sparat"
    while an edit was unsaved."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=size) as pilot:
        await new_meeting(pilot)
        saved_while_dirty: list[str] = []

        def watch_the_bar() -> None:  # sampled between messages, where the state is consistent
            session = app.session
            if session is not None and session.dirty and app.save_status.startswith("✓"):
                saved_while_dirty.append(app.save_status)

        app.set_interval(0.005, watch_the_bar)
        for item in first_meeting_input(app):
            send(app, item)
        await settled(pilot)
        assert app.wait_for_save()
        assert app.screen.STEP_ID == "review"
        plan = app.session.plan
        assert_the_first_meeting(plan)
        assert saved_while_dirty == []
    assert service.open(plan.id).model_dump() == plan.model_dump(), "what the room saw is what was saved"


async def test_missing_item_jumps_posted_with_the_text_that_fixes_them(service):
    """F8, Tab to a missing item, Enter and the text, twice, all at once: each
    text lands in the field its item named, whatever step it is on."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_meeting(pilot)
        post_keys(app, "f8")
        await settled(pilot)
        named = [button.path for button in app.screen.query("FixButton")]
        assert named[0] == "person.name" and named[6] == "coordinator.name"  # the order the keys rely on
        post_keys(app, "f2", "f8", *["tab"] * 6, "enter", *"Karin Lind", "f8", "enter", *"Maja Påhittad")
        await settled(pilot)
        assert app.screen.STEP_ID == "person"
        assert (person(app).name, app.session.plan.coordinator.name) == ("Maja Påhittad", "Karin Lind")
