"""A facilitator walks a whole SIP meeting through the screens."""

from __future__ import annotations

import datetime as dt

from ui_helpers import choose, palette_highlights, screen_text, settled, tick, type_into, until, widget_text

from sip_tui.app import build_app
from sip_tui.models.enums import Body, PlanStatus
from sip_tui.screens.dialogs import ItemFormScreen
from sip_tui.screens.step import StepScreen

INSATSER = [
    ("Arbetsträning på återbruket", "kommun", "Arbetsmarknadsenheten", "2026-03-20", "2026-06-30"),
    ("Samtalsstöd varannan vecka", "region", "Vårdcentralen Norr", "2026-03-15", "2026-05-31"),
    ("Utreda aktivitetsersättning", "forsakringskassan", "Lokalkontoret", "2026-03-12", ""),
    ("Kartläggning av arbetsförmåga", "arbetsformedlingen", "AF Växjö", "2026-04-01", "2026-04-30"),
]


async def add_row(pilot, section: str) -> str:
    """Ctrl+N on a table step opens the new row's form; returns the row's id."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ItemFormScreen)
    return getattr(pilot.app.session.plan, section)[-1].id


async def close_form(pilot) -> None:
    """Lägg till: a new row is kept (Esc would cancel it)."""
    pilot.app.screen.query_one("#done").press()
    await pilot.pause()


async def test_whole_meeting_is_typed_and_agreed(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        # 1. Person and meeting
        await type_into(pilot, "#f-person-name", "Maja Påhittad")
        await type_into(pilot, "#f-person-personnummer", "19850312-2387")
        await type_into(pilot, "#f-person-phone", "070-111 22 33")
        await type_into(pilot, "#f-meeting-place", "Medborgarkontoret")
        await pilot.press("pagedown")
        await pilot.pause()
        # 2. Consent and participants
        assert app.screen.STEP_ID == "consent"
        await tick(pilot, "#f-consent-given")
        await choose(pilot, "#f-consent-form", "skriftligt")
        await type_into(pilot, "#f-consent-actors", "Kommun, region, FK, AF")
        await type_into(pilot, "#f-consent-information", "Hälsa, sysselsättning och ekonomi")
        people = [("Karin Lind", "Socialsekreterare", "kommun"), ("Olle Berg", "Kurator", "region")]
        for name, role, body in people:
            item_id = await add_row(pilot, "participants")
            await type_into(pilot, f"#f-participants-{item_id}-name", name)
            await type_into(pilot, f"#f-participants-{item_id}-role", role)
            await choose(pilot, f"#f-participants-{item_id}-body", body)
            await close_form(pilot)
        await pilot.press("pagedown")
        await pilot.pause()
        # 3. Goals in the person's own words
        for text in ("Jag vill sova bättre", "Jag vill jobba med djur"):
            await pilot.press("ctrl+n")
            await pilot.pause()
            goal = app.session.plan.goals[-1]
            await type_into(pilot, f"#f-goals-{goal.id}-text", text)
        await choose(pilot, f"#f-goals-{app.session.plan.goals[1].id}-term", "lang")
        await pilot.press("pagedown")
        await pilot.pause()
        # 4. Needs by life area, linked to goals
        goal_ids = [g.id for g in app.session.plan.goals]
        for area, text, goal_id in (
            ("psykisk_halsa", "Sömnproblem", goal_ids[0]),
            ("arbete", "Oklar arbetsförmåga", goal_ids[1]),
            ("ekonomi", "Försörjningsstöd", goal_ids[1]),
        ):
            await pilot.press("ctrl+n")
            await pilot.pause()
            need = app.session.plan.needs[-1]
            await choose(pilot, f"#f-needs-{need.id}-area", area)
            await type_into(pilot, f"#f-needs-{need.id}-description", text)
            app.screen.query_one(f"#card-{need.id} SelectionList").select(goal_id)
            await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        # 5. Insatser across kommun, region, FK and AF
        for what, body, unit, start, done_by in INSATSER:
            item_id = await add_row(pilot, "insatser")
            await type_into(pilot, f"#f-insatser-{item_id}-what", what)
            await choose(pilot, f"#f-insatser-{item_id}-body", body)
            await type_into(pilot, f"#f-insatser-{item_id}-unit", unit)
            await type_into(pilot, f"#f-insatser-{item_id}-start", start)
            await type_into(pilot, f"#f-insatser-{item_id}-done_by", done_by)
            await close_form(pilot)
        assert "Kartläggning av arbetsförmåga" in widget_text(app.screen)
        await pilot.press("pagedown")
        await pilot.pause()
        # 6. Responsibility, coordinator, follow-up
        await choose(pilot, "#f-responsible", "kommun")
        await type_into(pilot, "#f-coordinator-name", "Karin Lind")
        await type_into(pilot, "#f-coordinator-phone", "0470-12 34 56")
        await type_into(pilot, "#f-followup-date", "2026-05-12")
        await type_into(pilot, "#f-followup-start_time", "10:00")
        await pilot.press("pagedown")
        await pilot.pause()
        # 7. Review and agree
        assert app.screen.STEP_ID == "review"
        assert "Allt som lagen kräver finns med" in screen_text(pilot)
        assert "Uppgifter som får delas: Hälsa, sysselsättning och ekonomi" in widget_text(app.screen)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await tick(pilot, "#person-agrees")
        await pilot.click("#confirm")
        await pilot.pause()
        assert "Version 1 upprättad" in widget_text(app.screen)
        plan_id = app.session.plan.id

    versions = service.versions(plan_id)
    assert [v.version for v in versions] == [1]
    agreed = versions[0]
    assert agreed.status == PlanStatus.AGREED
    assert agreed.person.name == "Maja Påhittad"
    assert agreed.person.personnummer == "19850312-2387"
    assert [g.text for g in agreed.goals] == ["Jag vill sova bättre", "Jag vill jobba med djur"]
    assert [n.description for n in agreed.needs] == ["Sömnproblem", "Oklar arbetsförmåga", "Försörjningsstöd"]
    assert agreed.needs[0].goal_ids == [agreed.goals[0].id]
    assert [(i.what, i.body) for i in agreed.insatser] == [(w, Body(b)) for w, b, *_ in INSATSER]
    assert agreed.insatser[0].done_by == dt.date(2026, 6, 30)
    assert [p.name for p in agreed.participants] == ["Karin Lind", "Olle Berg"]
    assert agreed.coordinator.name == "Karin Lind"
    assert agreed.followup.date == dt.date(2026, 5, 12)
    assert agreed.followup.start_time == dt.time(10, 0)
    assert agreed.agreement.by[0] == "Maja Påhittad"
    assert service.open(plan_id).status == PlanStatus.AGREED
    assert service.scan().summaries == [s for s in service.scan().summaries if s.id == plan_id]


async def test_incomplete_plan_names_what_is_missing_and_is_not_agreed(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#f-person-name", "Nils Ofullständig")
        await pilot.press("f8")
        await pilot.pause()
        shown = widget_text(app.screen)
        for expected in (
            "Personens samtycke saknas",
            "Personens eget mål saknas",
            "Inga insatser",
            "övergripande ansvaret",
            "Samordningsansvarig person saknas",
            "Ingen uppföljning bokad",
        ):
            assert expected in shown, expected
        assert "Personens namn saknas" not in shown
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, StepScreen), "no agreement dialog for an incomplete plan"
        plan_id = app.session.plan.id
        # A missing item jumps to the step that fixes it.
        await pilot.click("#review-side Button.missing")
        await pilot.pause()
        assert app.screen.STEP_ID == "consent"
        assert app.focused is app.screen.query_one("#f-consent-given"), "the cursor is where the fix goes"
        app.goto_step("review")
        await pilot.pause()
        coordinator = next(b for b in app.screen.query("FixButton") if "Samordningsansvarig" in str(b.label))
        await pilot.click(coordinator)
        await pilot.pause()
        assert app.screen.STEP_ID == "responsibility"
        assert app.focused is app.screen.query_one("#f-coordinator-name")
    assert service.versions(plan_id) == []
    assert service.open(plan_id).status == PlanStatus.DRAFT


async def test_invalid_date_is_kept_and_explained_not_dropped(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#f-person-name", "Ida Datum")
        await type_into(pilot, "#f-meeting-date", "12/3")
        await settled(pilot)
        assert "Skriv datum som ÅÅÅÅ-MM-DD" not in widget_text(app.screen), "no nagging while typing"
        await pilot.press("tab")
        await pilot.pause()
        assert "Skriv datum som ÅÅÅÅ-MM-DD" in widget_text(app.screen), "explained once the field is left"
        plan_id = app.session.plan.id
    stored = service.open(plan_id)
    assert stored.person.name == "Ida Datum", "the valid field is saved"
    assert stored.pending_input["meeting.date"] == "12/3", "the invalid text is saved, not dropped"


async def test_command_palette_and_f1_help_in_a_meeting(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert "samtycker" not in widget_text(app.screen)  # help for step 1, not step 2
        assert "Personnummer är frivilligt" in widget_text(app.screen)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"granska")
        await until(pilot, palette_highlights(pilot, "granska"))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.STEP_ID == "review"


async def test_a_time_refused_against_the_end_is_accepted_once_the_end_moves(service):
    """Re-booking a follow-up later in the day: the new start is typed first,
    refused as after the old end, and accepted when the new end is typed."""
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        app.goto_step("responsibility")
        await pilot.pause()
        await type_into(pilot, "#f-followup-start_time", "10:00")
        await type_into(pilot, "#f-followup-end_time", "11:00")
        app.screen.query_one("#f-followup-start_time").value = ""
        await type_into(pilot, "#f-followup-start_time", "13:30")
        await pilot.press("tab")
        await pilot.pause()
        assert "f-followup-start_time" not in str(app.focused), "left the start field"
        refused = widget_text(app.screen)
        app.screen.query_one("#f-followup-end_time").value = ""
        await type_into(pilot, "#f-followup-end_time", "14:30")
        await pilot.press("tab")
        await settled(pilot)
        plan_id = app.session.plan.id
        shown = widget_text(app.screen)
    assert "Sluttiden måste vara efter starttiden." in refused
    assert "Sluttiden måste vara efter starttiden." not in shown, "the start field's error is gone"
    stored = service.open(plan_id)
    assert (stored.followup.start_time, stored.followup.end_time) == (dt.time(13, 30), dt.time(14, 30))
    assert stored.pending_input == {}, "nothing is left waiting to be retyped"


async def test_kept_input_for_a_field_that_does_not_exist_never_crashes_the_meeting(service):
    """A hand-edited or imported file may keep input under paths that name no field."""
    from sip_tui.demo import _complete_plan

    plan = _complete_plan("Maja Påhittad", None, dt.date(2026, 3, 10), dt.date(2026, 5, 12))
    plan.pending_input = {"insatser.gone.what": "x", "foo": "y"}
    plan = service.save(plan)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        await type_into(pilot, "#f-person-phone", "070-111 11 11")
        app.goto_step("review")
        await pilot.pause()
        shown = widget_text(app.screen)
    assert "Ett fält behöver rättas" in shown and "foo" in shown
    assert service.open(plan.id).person.phone == "070-111 11 11", "the edit was saved"


async def test_a_save_refused_as_stale_keeps_the_typed_text_in_a_recovery_file(service, store_dir):
    """Another window changed the plan: leaving asks first, and what was typed
    here is kept in a recovery file, not lost, while the other window's change stays."""
    from sip_tui.models.interchange import parse_document
    from sip_tui.service import PlanService
    from sip_tui.store import PlanStore

    plan = service.save(service.new_plan())
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        other = PlanService(PlanStore(store_dir, user="other"))
        changed = other.open(plan.id)
        changed.situation = "Skrivet i det andra fönstret"
        other.save(changed)
        await type_into(pilot, "#f-person-name", "Ida Återställd")
        await until(pilot, lambda: "Inte sparat" in screen_text(pilot))  # the autosave was refused as stale
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")  # leave the meeting
        await pilot.pause()
        assert "kunde inte sparas" in widget_text(app.screen), "asked before anything is given up"
        await pilot.click("#yes")  # leave anyway
        await pilot.pause()
        assert app.session is None
        [recovery] = (store_dir / "recovery").glob("*.json")
        notices = "\n".join(str(n.message) for n in app._notifications)
        assert f"recovery/{recovery.name}" in notices and str(store_dir) not in notices, "no full path on screen"
    assert parse_document(recovery.read_text(encoding="utf-8")).plan.person.name == "Ida Återställd"
    stored = service.open(plan.id)
    assert stored.situation == "Skrivet i det andra fönstret" and stored.person.name == "", "nothing overwritten"


async def test_quit_from_the_palette_saves_what_was_just_typed(service):
    app = build_app(service, autosave_delay=5)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#f-person-name", "Ida Sist")
        plan_id = app.session.plan.id
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"avsluta programmet")
        await until(pilot, palette_highlights(pilot, "avsluta programmet"))
        await pilot.press("enter")
        await pilot.pause()
        assert app._exit, "the app is closing"
    assert service.open(plan_id).person.name == "Ida Sist"


async def test_a_step_in_the_step_row_is_reached_by_a_click(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        goals = next(link for link in app.screen.query("StepLink") if link.step_id == "goals")
        await pilot.click(goals)
        await pilot.pause()
        assert app.screen.STEP_ID == "goals"


async def test_when_not_even_the_recovery_file_can_be_written_the_meeting_stays_open(service, store_dir, monkeypatch):
    from sip_tui.service import PlanService
    from sip_tui.store import PlanStore

    plan = service.save(service.new_plan())
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        other = PlanService(PlanStore(store_dir, user="other"))
        other.save(other.open(plan.id))  # another window saved: this one is now stale

        def disk_full(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(service.store, "write_recovery", disk_full)
        await type_into(pilot, "#f-person-name", "Ida Kvar")
        await until(pilot, lambda: "Inte sparat" in screen_text(pilot))  # the autosave has been tried
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        await pilot.click("#yes")  # leave anyway
        await pilot.pause()
        assert app.session is not None and app.session.plan.person.name == "Ida Kvar", "still in the meeting"
        assert "kunde inte heller skrivas" in " ".join(screen_text(pilot).split())


async def test_the_footer_offers_only_what_can_be_done_on_this_version(service):
    from sip_tui.demo import _complete_plan

    draft = service.save(_complete_plan("Maja Påhittad", None, dt.date(2026, 3, 10), dt.date(2026, 5, 12)))
    agreed = service.agree(
        service.save(_complete_plan("Bo Låst", None, dt.date(2026, 3, 10), dt.date(2026, 5, 12))), ["Bo Låst"]
    )
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(160, 40)) as pilot:
        app.open_plan(draft.id)
        await pilot.pause()
        app.goto_step("goals")
        await pilot.pause()
        footer = screen_text(pilot).splitlines()[-1]
        assert "Ny rad" in footer, "goals are added with ctrl+n"
        app.goto_step("insatser")
        await pilot.pause()
        app.screen.query_one("#table-insatser").focus()
        await pilot.pause()
        assert "Ta bort" in screen_text(pilot).splitlines()[-1]
        app.session = None
        app.pop_screen()
        app.open_plan(agreed.id)
        await pilot.pause()
        footer = screen_text(pilot).splitlines()[-1]
        assert "Upprätta" not in footer and "Ny rad" not in footer, "an agreed version is locked"
        app.goto_step("insatser")
        await pilot.pause()
        app.screen.query_one("#table-insatser").focus()
        await pilot.pause()
        footer = screen_text(pilot).splitlines()[-1]
        assert "Ta bort" not in footer and "Ny rad" not in footer


async def test_at_80_columns_every_missing_item_is_shown_whole(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        app.goto_step("review")
        await pilot.pause()
        shown = " ".join(screen_text(pilot).split())
    assert "planen måste säga vad varje huvudman svarar för." in shown
