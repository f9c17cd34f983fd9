"""The figures the anonymous indicator report counts, entered where a
facilitator expects them: gender, birth year, sysselsättning and försörjning at
start on step 1, the situation at closure in the close dialog. Each is typed in
the real app, read back from the saved plan, and counted by the report."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FIXED_NOW
from pydantic import ValidationError
from test_followups_ui import agreed_plan
from textual.widgets import Input, SelectionList
from ui_helpers import choose, settled, type_into, until, widget_text

from sip_tui.app import build_app
from sip_tui.models.enums import Gender, Income, Occupation, Outcome, PlanStatus
from sip_tui.models.plan import Person, Plan, Situation
from sip_tui.screens.close import CloseScreen
from sip_tui.screens.person import PersonStep

TODAY = FIXED_NOW.date()


async def new_meeting(pilot) -> None:
    await pilot.press("n")
    await until(pilot, lambda: isinstance(pilot.app.screen, PersonStep) and pilot.app.screen.query("#f-person-name"))


def _raw(report, table: str, row: str) -> tuple[int, ...]:
    """A row's true counts (the tests know them; every output shows them suppressed)."""
    return next(r for r in report.table(table).rows if r.key == row).counts


def _tick(screen, path: str, *codes: str) -> None:
    """Tick each source of income in turn, as Space on it would."""
    choices = screen.query_one(f"#f-{path.replace('.', '-')}", SelectionList)
    for code in codes:
        choices.toggle(code)


async def test_indicators_at_the_first_meeting_are_saved_shown_and_counted(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 50)) as pilot:
        await new_meeting(pilot)
        await type_into(pilot, "#f-person-name", "Påhittad Person")
        await type_into(pilot, "#f-meeting-requested_on", "2026-02-20")
        await choose(pilot, "#f-indicators-gender", Gender.WOMAN.value)
        await type_into(pilot, "#f-indicators-birth_year", "1998")
        await choose(pilot, "#f-indicators-before-occupation", Occupation.JOB_SEEKING.value)
        _tick(app.screen, "indicators.before.income", Income.SOCIAL_ASSISTANCE.value, Income.UNEMPLOYMENT.value)
        await until(pilot, lambda: len(app.session.plan.indicators.before.income) == 2)
        plan_id = app.session.plan.id
        await until(pilot, lambda: service.store.exists(plan_id) and not app.session.dirty)
        stored = service.open(plan_id)
        assert stored.indicators.gender == Gender.WOMAN and stored.indicators.birth_year == 1998
        assert stored.indicators.before.occupation == Occupation.JOB_SEEKING
        assert stored.indicators.before.income == [Income.SOCIAL_ASSISTANCE, Income.UNEMPLOYMENT]
        assert stored.meeting.requested_on == dt.date(2026, 2, 20)

        await pilot.press("f8")
        await until(pilot, lambda: app.screen.STEP_ID == "review")
        text = widget_text(app.screen)
        assert "Uppgifter för uppföljning" in text and "Kvinna" in text and "Födelseår: 1998" in text
        assert "Ekonomiskt bistånd, Arbetslöshetsersättning" in text
        assert "Sysselsättning vid start" not in " ".join(m.code for m in app.session.missing())  # never required

    report = service.report(service.scan().summaries)
    assert _raw(report, "plans", "requested") == (1,)
    assert _raw(report, "age_gender", "25+")[:1] == (1,)  # a woman of 28 in 2026
    assert _raw(report, "occupation", Occupation.JOB_SEEKING.value) == (1, 0)
    assert _raw(report, "income", Income.UNEMPLOYMENT.value) == (1, 0)
    assert _raw(report, "process", "within_days") == (1, 1)  # 18 days from request to meeting


async def test_no_public_income_stands_alone_in_the_list(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 50)) as pilot:
        await new_meeting(pilot)
        path = "indicators.before.income"
        _tick(app.screen, path, Income.SICKNESS_BENEFIT.value, Income.NO_PUBLIC.value)
        await until(pilot, lambda: app.session.plan.indicators.before.income == [Income.NO_PUBLIC])
        choices = app.screen.query_one("#f-indicators-before-income", SelectionList)
        assert choices.selected == [Income.NO_PUBLIC.value]  # the tick on sjukpenning is gone too
        _tick(app.screen, path, Income.STUDENT_AID.value)
        await until(pilot, lambda: app.session.plan.indicators.before.income == [Income.STUDENT_AID])
        assert choices.selected == [Income.STUDENT_AID.value]


async def test_birth_year_comes_from_the_personnummer_when_there_is_one(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 50)) as pilot:
        await new_meeting(pilot)
        await type_into(pilot, "#f-indicators-birth_year", "19x0")
        await pilot.press("tab")
        await until(pilot, lambda: "Ska vara ett heltal" in widget_text(app.screen))
        assert app.session.plan.pending_input["indicators.birth_year"] == "19x0"  # kept as typed
        field = app.screen.query_one("#f-indicators-birth_year", Input)
        field.value = ""
        await until(pilot, lambda: "indicators.birth_year" not in app.session.plan.pending_input)
        assert app.session.plan.indicators.birth_year is None  # emptied: no year, no error
        await type_into(pilot, "#f-person-personnummer", "19850312-2395")
        await until(pilot, lambda: app.session.plan.person.personnummer == "19850312-2395")
        await until(pilot, lambda: field.disabled and field.value == "1985")
        assert app.session.plan.indicators.birth_year is None  # read from the personnummer, not stored twice
        app.screen.query_one("#f-person-personnummer", Input).focus()
        await pilot.pause()
        app.screen.query_one("#f-person-personnummer", Input).value = ""
        await until(pilot, lambda: not field.disabled and field.value == "")


async def test_a_plan_with_a_personnummer_opens_without_a_typed_birth_year(service):
    plan = service.save(Plan(person=Person(name="Påhittad", personnummer="19850312-2395")))
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 50)) as pilot:
        app.open_plan(plan.id)
        await until(pilot, lambda: app.screen.query("#f-indicators-birth_year"))
        field = app.screen.query_one("#f-indicators-birth_year", Input)
        await until(pilot, lambda: field.value == "1985" and field.disabled)
        await settled(pilot)
        assert not app.session.dirty and app.session.plan.indicators.birth_year is None  # shown, not an edit
    assert service.open(plan.id).indicators.birth_year is None


async def test_the_close_dialog_records_the_situation_at_closure(service):
    plan = agreed_plan(service, "Påhittad Avslut", 10)
    version_1 = service.versions(plan.id)[0].model_dump(mode="json")
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 50)) as pilot:
        app.open_plan(plan.id)
        await until(pilot, lambda: app.screen.query("#close-plan"))
        await pilot.click("#close-plan")
        await until(pilot, lambda: isinstance(app.screen, CloseScreen) and app.screen.query("#close-confirm"))
        await choose(pilot, "#f-closure-outcome", Outcome.WORK.value)
        await choose(pilot, "#f-indicators-after-occupation", Occupation.WORK.value)
        _tick(app.screen, "indicators.after.income", Income.UNEMPLOYMENT.value, Income.NO_PUBLIC.value)
        await until(pilot, lambda: app.screen.incomes == [Income.NO_PUBLIC])
        await pilot.click("#close-confirm")
        await until(pilot, lambda: getattr(app.screen, "STEP_ID", "") == "review" and app.screen.query("#plan-view"))
        assert "Sysselsättning vid avslut: Förvärvsarbete" in widget_text(app.screen)
    stored = service.open(plan.id)
    assert stored.status == PlanStatus.CLOSED and stored.closure.outcome == Outcome.WORK
    assert stored.indicators.after == Situation(occupation=Occupation.WORK, income=[Income.NO_PUBLIC])
    assert service.versions(plan.id)[0].model_dump(mode="json") == version_1
    report = service.report(service.scan().summaries)
    assert _raw(report, "occupation", Occupation.WORK.value)[1] == 1
    assert _raw(report, "income", Income.NO_PUBLIC.value)[1] == 1
    assert _raw(report, "moved_on", "to_work") == (1,)


@pytest.mark.parametrize(
    "before,chosen,after",
    [
        ([], ["a_kassa"], [Income.UNEMPLOYMENT]),
        (["a_kassa"], ["a_kassa", "ingen_offentlig"], [Income.NO_PUBLIC]),
        (["ingen_offentlig"], ["ingen_offentlig", "studiemedel"], [Income.STUDENT_AID]),
        (["studiemedel", "a_kassa"], ["studiemedel"], [Income.STUDENT_AID]),
        (["sjukpenning"], ["a_kassa", "sjukpenning"], [Income.SICKNESS_BENEFIT, Income.UNEMPLOYMENT]),
    ],
)
def test_a_tick_keeps_no_public_income_alone(before, chosen, after):
    assert Situation.ticked(before, chosen) == after


def test_the_model_refuses_no_public_income_with_another():
    with pytest.raises(ValidationError):
        Situation(income=[Income.NO_PUBLIC, Income.STUDENT_AID])
