"""Issue 5: the follow-up overview, a follow-up meeting (version N+1 with
statuses, notes and deviations), earlier versions, and closing a plan.

Every test runs against a temporary store with the fixed clock of
``conftest.FIXED_NOW`` (2026-03-10), so "9 dagar försenad" is always nine days.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from conftest import FIXED_NOW
from textual.command import CommandList
from ui_helpers import choose, palette_highlights, screen_text, tick, type_into, until, widget_text

from sip_tui.app import build_app
from sip_tui.cli import main
from sip_tui.demo import _complete_plan
from sip_tui.models.enums import Body, DeviationType, InsatsStatus, MeetingForm, Outcome, PlanStatus
from sip_tui.models.plan import Closure, Deviation, FollowUp
from sip_tui.screens.followups import FollowupsScreen
from sip_tui.screens.home import HomeScreen
from sip_tui.screens.review import ReviewStep
from sip_tui.screens.step import StepScreen
from sip_tui.screens.versions import VersionsScreen

TODAY = FIXED_NOW.date()
GROUP_HEADINGS = {"Försenade": "overdue", "Inom 14 dagar": "soon", "Senare": "later"}


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def agreed_plan(service, name: str, due_in: int, coordinator: str = "Karin Demo"):
    """A complete plan agreed as version 1, follow-up booked ``due_in`` days from today."""
    plan = _complete_plan(name, None, day(-60), day(due_in))
    plan.coordinator.name = coordinator
    plan = service.save(plan)
    at_meeting = dt.datetime.combine(day(-60), dt.time(11, 30), tzinfo=FIXED_NOW.tzinfo)
    return service.agree(plan, [name, coordinator], at=at_meeting)


def generated_store(service) -> dict[str, str]:
    """Due yesterday, today, in 14 and in 15 days; one closed, one draft. Returns name -> id."""
    plans = {
        "Anna Igår": agreed_plan(service, "Anna Igår", -1, "Karin Demo"),
        "Bertil Idag": agreed_plan(service, "Bertil Idag", 0, "Olle Exempel"),
        "Cecilia Fjorton": agreed_plan(service, "Cecilia Fjorton", 14, "Karin Demo"),
        "David Femton": agreed_plan(service, "David Femton", 15, "Fatima Test"),
    }
    closed = agreed_plan(service, "Erik Avslutad", 0)
    service.close(closed, Closure(date=day(-2), outcome=Outcome.WORK, note="Fick anställning."))
    draft = service.save(_complete_plan("Frida Utkast", None, day(-1), day(-1)))  # dated, but never agreed
    return {name: plan.id for name, plan in plans.items()} | {"Erik Avslutad": closed.id, "Frida Utkast": draft.id}


async def open_overview(pilot) -> FollowupsScreen:
    """Home, then ``u``; waits until the list shows a fresh scan of the store."""
    await pilot.pause()
    await pilot.press("u")
    screen = pilot.app.screen
    assert isinstance(screen, FollowupsScreen)
    await until(pilot, lambda: screen.scanned)  # the list shows a scan made since it opened
    await pilot.pause()
    return screen


def groups_on_screen(pilot) -> dict[str, tuple[str, str]]:
    """name -> (group, when-in-words) for every plan row the overview shows, by the heading above it."""
    found: dict[str, tuple[str, str]] = {}
    group = None
    lines = screen_text(pilot).splitlines()
    header = next(n for n, line in enumerate(lines) if line.lstrip().startswith("När"))
    for line in lines[header + 1 :]:
        heading = re.match(r"^\s*(Försenade|Inom 14 dagar|Senare) \((\d+)\)\s*$", line)
        if heading:
            group = GROUP_HEADINGS[heading.group(1)]
            continue
        cells = [cell.strip() for cell in re.split(r"\s{2,}", line.strip())]
        if len(cells) >= 3 and re.match(r"\d{4}-\d{2}-\d{2}", cells[1]):
            assert group is not None, f"a heading above every row: {line!r}"
            found[cells[2]] = (group, cells[0].removeprefix("⚠ "))
    return found


async def retype(pilot, selector: str, text: str) -> None:
    """Clear a field that already holds a value, then type, as a user would (End, Ctrl+U)."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u")
    await type_into(pilot, selector, text)


async def press_button(pilot, selector: str) -> None:
    """Focus a button and press Enter: works wherever it is scrolled."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def leave_meeting(pilot) -> None:
    await pilot.press("escape")
    await pilot.pause()
    await pilot.click("#yes")
    await pilot.pause()


# -- the overview ------------------------------------------------------------------


async def test_overdue_plan_is_listed_as_overdue_with_its_days_in_words(service):
    agreed_plan(service, "Cecilia Fiktiv", -9)
    agreed_plan(service, "Bo Exempelsson", 5)
    app = build_app(service)
    async with app.run_test(size=(110, 30)) as pilot:
        await open_overview(pilot)
        shown = screen_text(pilot)
        assert "1 försenade · 1 inom 14 dagar · 0 senare" in shown
        assert groups_on_screen(pilot) == {
            "Cecilia Fiktiv": ("overdue", "9 dagar försenad"),
            "Bo Exempelsson": ("soon", "om 5 dagar"),
        }
        row = next(line for line in shown.splitlines() if "Cecilia Fiktiv" in line)
        assert "⚠ 9 dagar försenad" in row, "overdue is marked by a sign, not only by colour"
        assert f"{day(-9).isoformat()} 10:00" in row
        assert shown.index("Försenade (1)") < shown.index("Cecilia Fiktiv") < shown.index("Inom 14 dagar (1)")


async def test_cli_text_cli_json_and_the_overview_list_the_same_plans_in_the_same_groups(
    service, store_dir: Path, capsys
):
    ids = generated_store(service)
    expected = {
        "Anna Igår": ("overdue", "1 dag försenad"),
        "Bertil Idag": ("soon", "i dag"),
        "Cecilia Fjorton": ("soon", "om 14 dagar"),
        "David Femton": ("later", "om 15 dagar"),
    }

    def cli(*argv: str) -> str:
        assert main(["--store", str(store_dir), *argv], clock=lambda: FIXED_NOW) == 0
        captured = capsys.readouterr()
        assert captured.err == ""
        return captured.out

    from_json = {e["name"]: (e["group"], e["days"], e["id"]) for e in json.loads(cli("followups", "--json"))}
    assert {name: group for name, (group, _, _) in from_json.items()} == {n: g for n, (g, _) in expected.items()}
    assert {name: days for name, (_, days, _) in from_json.items()} == {
        "Anna Igår": -1,
        "Bertil Idag": 0,
        "Cecilia Fjorton": 14,
        "David Femton": 15,
    }
    assert all(ids[name] == plan_id for name, (_, _, plan_id) in from_json.items())

    text = cli("followups")
    from_text = {}
    lines = text.splitlines()
    assert len(lines) == 1 + len(expected)  # a header, then one line a plan
    for line in lines[1:]:
        group = next(code for word, code in GROUP_HEADINGS.items() if line.startswith(word))
        name = next(name for name in ids if name in line)
        when = next(when for _, when in expected.values() if when in line)
        from_text[name] = (group, when)
    assert from_text == expected
    assert "Erik Avslutad" not in text and "Frida Utkast" not in text

    app = build_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_overview(pilot)
        assert groups_on_screen(pilot) == expected
        # The same order as the CLI, group by group.
        assert [e.plan.name for e in screen.visible_entries()] == list(from_json)
        assert "1 försenade · 2 inom 14 dagar · 1 senare" in screen_text(pilot)


def test_overview_at_80x24(service, snap_compare):
    generated_store(service)
    app = build_app(service)

    async def settle(pilot) -> None:
        await open_overview(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


# -- a follow-up meeting ---------------------------------------------------------------

FOLLOWUP = [
    (InsatsStatus.DONE, "Sover bättre, samtalen är avslutade."),
    (InsatsStatus.ONGOING, "Två förmiddagar i veckan sedan april."),
    (InsatsStatus.NOT_STARTED, "Ansökan inte inskickad än."),
    (InsatsStatus.CANCELLED, "Ersatt av praktik via kommunen."),
]


async def test_followup_meeting_makes_version_2_and_leaves_version_1_unchanged(service):
    plan = agreed_plan(service, "Cecilia Fiktiv", -9)
    version_1 = service.versions(plan.id)[0].model_dump(mode="json")
    next_followup = day(91)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 45)) as pilot:
        await open_overview(pilot)
        await pilot.press("enter")  # the overdue plan is first and chosen
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep) and app.session.plan.id == plan.id
        await pilot.click("#start-followup")
        await pilot.pause()
        assert "Version 1 sparas oförändrad" in widget_text(app.screen), "one click does not open the plan"
        await pilot.click("#yes")
        await pilot.pause()
        assert app.screen.STEP_ID == "insatser"
        assert {i.status for i in app.session.plan.insatser} == {InsatsStatus.PLANNED}, "statuses as agreed"
        assert "Uppföljning: välj varje insats" in screen_text(pilot)

        insatser = app.session.plan.insatser
        table = app.screen.query_one("#table-insatser")
        for number, (status, note) in enumerate(FOLLOWUP):
            table.focus()
            table.move_cursor(row=number)
            await pilot.press("enter")
            await pilot.pause()
            item_id = insatser[number].id
            await choose(pilot, f"#f-insatser-{item_id}-status", status.value)
            await type_into(pilot, f"#f-insatser-{item_id}-note", note)
            await pilot.press("escape")
            await pilot.pause()
        shown = screen_text(pilot)
        for label_text in ("Klar", "Pågår", "Ej påbörjad", "Avbruten"):
            assert label_text in shown
        assert "Sover bättre, samtalen är avslutade." in shown

        await press_button(pilot, "#add-deviations")
        deviation_id = app.session.plan.deviations[-1].id
        assert app.screen.query_one(f"#f-deviations-{deviation_id}-date").value == TODAY.isoformat()
        await choose(pilot, f"#f-deviations-{deviation_id}-type", DeviationType.ACTOR_ABSENT.value)
        await choose(pilot, f"#f-deviations-{deviation_id}-body", Body.AF.value)
        await type_into(pilot, f"#f-deviations-{deviation_id}-description", "Arbetsförmedlingen kom inte till mötet.")
        app.screen.query_one("#done").press()  # Lägg till
        await pilot.pause()
        assert "Aktör deltog inte" in screen_text(pilot)

        await pilot.press("pagedown")
        await pilot.pause()
        assert app.screen.STEP_ID == "responsibility"
        assert f"Uppföljningen {day(-9).isoformat()} hålls nu" in screen_text(pilot)
        await retype(pilot, "#f-followup-date", next_followup.isoformat())
        await retype(pilot, "#f-followup-end_time", "14:30")  # the end first: a start after 11:00 is refused
        await retype(pilot, "#f-followup-start_time", "13:30")
        await pilot.press("pagedown")
        await pilot.pause()

        assert app.screen.STEP_ID == "review"
        assert "Skriv varför planen ändras" in widget_text(app.screen)
        await type_into(pilot, "#f-change_reason", "Uppföljning: samtalen klara, arbetsträningen fortsätter.")
        await pilot.pause()
        assert "Allt som lagen kräver finns med" in widget_text(app.screen)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await tick(pilot, "#person-agrees")
        await pilot.click("#confirm")
        await pilot.pause()
        assert "Version 2 upprättad" in widget_text(app.screen)

        await leave_meeting(pilot)  # back home, names hidden; the overview reads the store again
        assert isinstance(app.screen, HomeScreen) and "Cecilia Fiktiv" not in screen_text(pilot)
        await open_overview(pilot)
        await until(pilot, lambda: "Senare (1)" in screen_text(pilot))
        assert groups_on_screen(pilot) == {"Cecilia Fiktiv": ("later", "om 91 dagar")}

    versions = service.versions(plan.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].model_dump(mode="json") == version_1, "an agreed version is never edited"
    assert [i.status for i in versions[0].insatser][:4] == [InsatsStatus.PLANNED] * 4
    second = versions[1]
    assert second.status == PlanStatus.AGREED
    assert [(i.status, i.note) for i in second.insatser[:4]] == FOLLOWUP
    assert [(d.type, d.body, d.description, d.date) for d in second.deviations] == [
        (DeviationType.ACTOR_ABSENT, Body.AF, "Arbetsförmedlingen kom inte till mötet.", TODAY)
    ]
    assert second.followup.date == next_followup
    assert (second.followup.start_time, second.followup.end_time) == (dt.time(13, 30), dt.time(14, 30))
    assert not second.followup.held
    assert second.meeting.date == TODAY
    assert second.agreement.change_reason.startswith("Uppföljning: samtalen klara")
    assert service.open(plan.id).version == 2


# -- earlier versions ------------------------------------------------------------------


def revised_plan(service, name: str):
    """Version 1, then a follow-up agreed as version 2 (set up like the demo's revised plan)."""
    plan = agreed_plan(service, name, -3)
    plan = service.start_followup(plan)
    plan.insatser[0].status = InsatsStatus.ONGOING
    plan.insatser[0].note = "Har gått på fyra samtal."
    plan.deviations.append(
        Deviation(date=TODAY, type=DeviationType.INSATS_LATE, body=Body.AF, description="Kartläggningen dröjde.")
    )
    plan.followup = FollowUp(date=day(40), start_time=dt.time(13, 0), form=MeetingForm.DIGITAL, called_by="Karin Demo")
    plan.change_reason = "Samtalsstödet fortsätter."
    return service.agree(plan, [name, "Karin Demo"])


async def test_earlier_versions_are_read_only_and_show_what_changed(service):
    plan = revised_plan(service, "David Testman")
    app = build_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep)
        await pilot.click("#versions")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, VersionsScreen)
        shown = screen_text(pilot)
        assert "Första versionen" in shown and "Samtalsstödet fortsätter." in shown
        assert "Läs version 2" in shown
        assert not screen.query("Input, TextArea"), "nothing on the versions screen can be edited"

        await pilot.press("a")  # what changed
        await pilot.pause()
        changes = widget_text(screen)
        assert "Från version 1 till version 2" in changes
        assert "Status: Planerad → Pågår" in changes
        assert "Har gått på fyra samtal." in changes
        assert "Ny: Kartläggningen dröjde." in changes
        assert f"{day(-3).isoformat()} → {day(40).isoformat()}" in changes

        await pilot.press("l")  # read a version in full: the first one
        screen.query_one("#versions-table").focus()
        await pilot.press("up")
        await pilot.pause()
        assert "Läs version 1" in screen_text(pilot)
        read = str(screen.query_one("#version-text").render())
        assert day(-3).isoformat() in read, "version 1's follow-up date"
        assert "Kartläggningen dröjde." not in read, "version 1 had no deviation"
    assert service.open(plan.id).version == 2


# -- closing ---------------------------------------------------------------------------


async def test_closing_moves_the_plan_out_of_the_overview_and_it_stays_searchable(service):
    closing = agreed_plan(service, "Elin Demosson", -2)
    agreed_plan(service, "Bo Exempelsson", 5)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        assert set(groups_on_screen(pilot)) == {"Elin Demosson", "Bo Exempelsson"}
        await pilot.press("enter")  # the overdue plan comes first
        await pilot.pause()
        assert app.session.plan.id == closing.id
        await pilot.click("#close-plan")
        await pilot.pause()
        assert app.screen.query_one("#f-closure-date").value == TODAY.isoformat(), "today is proposed"
        await pilot.click("#close-confirm")
        await pilot.pause()
        assert "Välj varför planen avslutas." in widget_text(app.screen), "an outcome is required"
        closed_on = day(-1)
        await retype(pilot, "#f-closure-date", f"{closed_on.year}-{closed_on.month}-{closed_on.day}")  # as typed: 2026-3-9
        await choose(pilot, "#f-closure-outcome", Outcome.STUDIES.value)
        await type_into(pilot, "#f-closure-note", "Börjar på folkhögskola i augusti.")
        await pilot.click("#close-confirm")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen) and app.screen.STEP_ID == "review"
        shown = screen_text(pilot)
        assert "Avslutad" in shown
        assert "Starta uppföljningsmöte" not in shown and "Avsluta planen" not in shown
        review = widget_text(app.screen)
        assert f"Avslutad {day(-1).isoformat()}: Studier" in review, "the review shows when and why"
        assert "Börjar på folkhögskola i augusti." in review

        await leave_meeting(pilot)
        assert isinstance(app.screen, HomeScreen) and "Elin Demosson" not in screen_text(pilot)
        await open_overview(pilot)
        await until(pilot, lambda: "Elin Demosson" not in screen_text(pilot))
        assert groups_on_screen(pilot) == {"Bo Exempelsson": ("soon", "om 5 dagar")}
        assert "0 försenade · 1 inom 14 dagar · 0 senare" in screen_text(pilot)

        await pilot.press("escape")  # home
        await pilot.pause()
        await type_into(pilot, "#search", "Elin")
        await pilot.pause()
        match = next(line for line in screen_text(pilot).splitlines() if "Elin Demosson" in line)
        assert "Avslutad" in match
        await pilot.press("enter")  # opens the first match
        await pilot.pause()
        assert app.session.plan.id == closing.id, "the closed plan opens from the search"
        assert app.session.read_only

    stored = service.open(closing.id)
    assert stored.status == PlanStatus.CLOSED
    assert stored.closure == Closure(date=day(-1), outcome=Outcome.STUDIES, note="Börjar på folkhögskola i augusti.")
    assert [v.version for v in service.versions(closing.id)] == [1]


async def test_command_palette_sorts_the_overview_by_name(service):
    for name, due_in in (("Örjan Sist", 3), ("Adam Först", 5), ("Maja Mitten", 4)):
        agreed_plan(service, name, due_in)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        assert list(groups_on_screen(pilot)) == ["Örjan Sist", "Maja Mitten", "Adam Först"], "by date first"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sortera på namn")
        await until(pilot, palette_highlights(pilot, "sortera på namn"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert list(groups_on_screen(pilot)) == ["Adam Först", "Maja Mitten", "Örjan Sist"]
        assert "sorterat på namn" in screen_text(pilot)


async def test_a_follow_up_started_by_mistake_can_be_cancelled(service):
    plan = agreed_plan(service, "Bo Exempelsson", 5)
    agreed = service.open(plan.id)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 45), notifications=True) as pilot:
        app.open_plan(plan.id)
        await until(pilot, lambda: bool(app.screen.query("#start-followup")))
        await pilot.click("#start-followup")
        await until(pilot, lambda: bool(app.screen.query("#yes")))
        await pilot.click("#yes")
        await until(pilot, lambda: app.session is not None and not app.session.read_only)
        app.goto_step("goals")
        await until(pilot, lambda: bool(app.screen.query("#f-situation")))
        await type_into(pilot, "#f-situation", "Ändrat av misstag ")
        app.goto_step("review")
        await until(pilot, lambda: bool(app.screen.query("#discard-followup")))
        await pilot.click("#discard-followup")
        await until(pilot, lambda: bool(app.screen.query("#yes")))
        await pilot.click("#yes")
        cancelled = "Uppföljningsmötet avbröts; version 1 gäller."
        await until(pilot, lambda: cancelled in " ".join(screen_text(pilot).split()))
        assert app.session.read_only
        assert app.screen.query("#start-followup"), "a follow-up can be started again"
    stored = service.open(plan.id)
    assert stored.status == PlanStatus.AGREED and stored.version == 1
    assert stored.situation == agreed.situation != "Ändrat av misstag"
    assert stored.followup == agreed.followup, "the booked follow-up is open again"
    assert [v.version for v in service.versions(plan.id)] == [1]


async def test_the_palette_offers_what_the_review_buttons_offer(service):
    plan = agreed_plan(service, "Bo Exempelsson", 5)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 45)) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        await pilot.press("ctrl+p")

        actions = ("Starta uppföljningsmöte", "Avsluta planen", "Tidigare versioner", "Skapa Word-dokument")

        def offered() -> str:
            lists = app.screen.query(CommandList)
            return " | ".join(str(option.prompt) for option in lists.first().options) if lists else ""

        await until(pilot, lambda: all(action in offered() for action in actions))
        assert "Upprätta planen" not in offered(), "an agreed version cannot be agreed again"
        await pilot.press(*"starta uppf")
        await until(pilot, palette_highlights(pilot, "starta uppföljningsmöte"))
        await pilot.press("enter")
        await pilot.pause()
        assert "Version 1 sparas oförändrad" in widget_text(app.screen), "asks first, as the button does"


async def test_ctrl_e_exports_even_while_typing_the_change_reason(service, tmp_path):
    from sip_tui.settings import Settings

    service.settings = Settings(export_dir=tmp_path / "ut")
    plan = service.start_followup(agreed_plan(service, "Bo Exempelsson", 5))
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 45)) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        app.goto_step("review")
        await pilot.pause()
        await type_into(pilot, "#f-change_reason", "Ny tid")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.screen.query_one("#f-change_reason").text == "Ny tid", "the key did not edit the text"
    assert [p.suffix for p in (tmp_path / "ut").iterdir()] == [".docx"], "the draft's Word file was written"
