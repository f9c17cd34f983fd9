"""A deviation walks its whole process: registered on an agreed plan (the agreed
version stays as it was), sent with a reply-by date, overdue, answered, closed —
through the service and through the overview screen."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, TextArea
from ui_helpers import until, widget_text

from sip_tui.app import build_app
from sip_tui.models.deviations import DeviationError, select_deviations
from sip_tui.models.enums import Body, DeviationStatus, DeviationType, PlanStatus
from sip_tui.models.plan import Agreement, Deviation, Plan


def _agreed(service) -> Plan:
    plan = Plan(status=PlanStatus.AGREED, version=1)
    plan.agreement = Agreement(at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC), by=["Påhittad"])
    return service.save(plan)


def test_a_deviation_walks_its_process_on_an_agreed_plan(service):
    plan = _agreed(service)
    deviation = Deviation(date=dt.date(2026, 3, 1), type=DeviationType.NO_MANDATE, body=Body.FK, unit="Lokalkontor Växjö")
    service.save_deviation(plan.id, deviation)
    with pytest.raises(DeviationError):
        service.advance_deviation(plan.id, deviation.id, "close")
    sent = service.advance_deviation(plan.id, deviation.id, "send")
    assert sent.status == DeviationStatus.SENT
    assert sent.reply_by == dt.date(2026, 3, 10) + dt.timedelta(days=60)  # the default reply time
    later = dt.date(2026, 6, 1)
    assert [d.id for _, d in select_deviations(service.scan().summaries, later, only_overdue=True)] == [deviation.id]
    with pytest.raises(DeviationError):
        service.advance_deviation(plan.id, deviation.id, "answer", "   ")
    answered = service.advance_deviation(plan.id, deviation.id, "answer", "Rutinen för mandat är ändrad.")
    assert answered.answer == "Rutinen för mandat är ändrad." and answered.status == DeviationStatus.ANSWERED
    closed = service.advance_deviation(plan.id, deviation.id, "close")
    assert closed.status == DeviationStatus.CLOSED and closed.closed_on == dt.date(2026, 3, 10)
    service.mark_systemfel(plan.id, deviation.id, True)
    stored = service.open(plan.id)
    assert stored.status == PlanStatus.AGREED and stored.deviations[0].systemfel
    assert service.versions(plan.id)[0].deviations == []  # the agreed version never changes
    assert select_deviations(service.scan().summaries, later) == []  # closed: not open any more


async def test_the_overview_filters_and_handles_a_deviation(service):
    plan = _agreed(service)
    service.save_deviation(plan.id, Deviation(date=dt.date(2026, 2, 1), type=DeviationType.CONSENT, body=Body.KOMMUN,
                                              unit="[b]Enhet[/b]"))
    service.save_deviation(plan.id, Deviation(date=dt.date(2026, 2, 2), type=DeviationType.SIP_LATE, body=Body.REGION))
    app = build_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: app.screen.query("#deviation-table") and app.screen.query_one(DataTable).row_count == 2)
        assert "[b]Enhet[/b]" in widget_text(app.screen)  # the unit as typed, never markup
        app.screen.query_one("#filter-body").value = Body.REGION.value
        await until(pilot, lambda: app.screen.query_one(DataTable).row_count == 1)
        table = app.screen.query_one(DataTable)
        table.focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query("#deviation-send"))
        await pilot.click("#deviation-send")
        await until(pilot, lambda: service.open(plan.id).deviations[1].status == DeviationStatus.SENT)
        await until(pilot, lambda: "Skickad till enheten" in widget_text(app.screen))
        await until(pilot, lambda: app.screen.query(DataTable) and app.screen.query_one(DataTable).row_count == 1)
        app.screen.query_one(DataTable).focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query("#deviation-answer"))
        app.screen.query_one("#deviation-answer", TextArea).text = "Kallelsen skickas nu direkt."
        await pilot.click("#deviation-answer-button")
        await until(pilot, lambda: service.open(plan.id).deviations[1].status == DeviationStatus.ANSWERED)



async def test_an_answer_pasted_from_word_or_too_long_never_closes_the_app(service):
    """A control character in a pasted answer is dropped; an answer over the limit is
    refused in words under the field (its text not repeated), the app still running."""
    from textual import events

    from sip_tui.models.plan import LONG_MAX

    plan = _agreed(service)
    deviation = Deviation(date=dt.date(2026, 2, 1), type=DeviationType.CONSENT, body=Body.KOMMUN)
    service.save_deviation(plan.id, deviation)
    service.advance_deviation(plan.id, deviation.id, "send")
    app = build_app(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: app.screen.query("#deviation-table") and app.screen.query_one(DataTable).row_count)
        app.screen.query_one(DataTable).focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query("#deviation-answer"))
        answer = app.screen.query_one("#deviation-answer", TextArea)
        answer.text = "Hemligt " * (LONG_MAX // 8 + 1)
        await pilot.click("#deviation-answer-button")
        await until(pilot, lambda: "⚠" in str(app.screen.query_one("#deviation-error").render()))
        assert "Hemligt" not in str(app.screen.query_one("#deviation-error").render())
        assert service.open(plan.id).deviations[0].status == DeviationStatus.SENT
        answer.text = ""
        answer.focus()
        await until(pilot, lambda: app.screen.focused is answer)  # the paste goes where the cursor is
        app.post_message(events.Paste("Rutinen\x01 är ändrad.\u202e"))
        await until(pilot, lambda: answer.text)
        await pilot.click("#deviation-answer-button")
        await until(pilot, lambda: service.open(plan.id).deviations[0].status == DeviationStatus.ANSWERED)
        assert app.return_code is None
    assert service.open(plan.id).deviations[0].answer == "Rutinen är ändrad."

# -- reported from any screen of an open plan, agreed or not ----------------------


async def _report_one(pilot, app, description: str) -> None:
    """Ctrl+R, then the form: category, agency, what happened; Enter keeps it."""
    from ui_helpers import choose, type_into

    from sip_tui.screens.dialogs import NewRowScreen

    await pilot.press("ctrl+r")
    await until(pilot, lambda: isinstance(app.screen, NewRowScreen) and app.screen.query("#done"))
    item_id = app.session.plan.deviations[-1].id
    await choose(pilot, f"#f-deviations-{item_id}-type", DeviationType.NO_MANDATE.value)
    await choose(pilot, f"#f-deviations-{item_id}-body", Body.FK.value)
    await type_into(pilot, f"#f-deviations-{item_id}-description", description)
    await pilot.click("#done")
    await until(pilot, lambda: not isinstance(app.screen, NewRowScreen))


async def test_a_deviation_reported_on_an_agreed_plan_leaves_the_agreed_version_unchanged(service):
    from test_followups_ui import agreed_plan
    from ui_helpers import palette_highlights

    from sip_tui.screens.versions import VersionsScreen

    plan = agreed_plan(service, "Påhittad Avvikelse", 10)
    version_1 = service.versions(plan.id)[0].model_dump(mode="json")
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 45)) as pilot:
        app.open_plan(plan.id)
        await until(pilot, lambda: app.screen.query("#versions"))
        assert "Avvikelse" in str(app.screen.active_bindings["ctrl+r"].binding.description)
        await _report_one(pilot, app, "Handläggaren saknade mandat att besluta.")
        await until(pilot, lambda: "Handläggaren saknade mandat" in widget_text(app.screen))  # the review lists it
        await until(pilot, lambda: not app.session.dirty and service.open(plan.id).deviations)
        stored = service.open(plan.id)
        assert stored.status == PlanStatus.AGREED and stored.version == 1
        assert [(d.type, d.body, d.description, d.date) for d in stored.deviations] == [
            (DeviationType.NO_MANDATE, Body.FK, "Handläggaren saknade mandat att besluta.", service.today())
        ]
        assert app.session.read_only, "the plan itself stays locked"

        await pilot.click("#versions")  # the versions screen of the locked plan: the palette offers it too
        await until(pilot, lambda: isinstance(app.screen, VersionsScreen) and app.screen.query("#versions-table"))
        await pilot.press("ctrl+p")
        await pilot.press(*"avvikelse")
        await until(pilot, palette_highlights(pilot, "Rapportera en avvikelse"))
        await pilot.press("enter")
        from sip_tui.screens.dialogs import NewRowScreen

        await until(pilot, lambda: isinstance(app.screen, NewRowScreen) and app.screen.query("#done"))
        await pilot.press("escape")  # nothing typed: nothing added
        await until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        await until(pilot, lambda: len(app.session.plan.deviations) == 1)
        await _report_one(pilot, app, "Kallelsen kom fram för sent.")
        await until(pilot, lambda: not app.session.dirty and len(service.open(plan.id).deviations) == 2)
    assert service.versions(plan.id)[0].model_dump(mode="json") == version_1, "the agreed version is never changed"
    assert [v.version for v in service.versions(plan.id)] == [1]


async def test_a_deviation_reported_from_step_1_of_a_draft_shows_in_the_insatser_step(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.press("n")
        await until(pilot, lambda: app.screen.query("#f-person-name"))
        await _report_one(pilot, app, "Region kom inte.")
        await pilot.press("f6")
        await until(pilot, lambda: app.screen.query("#table-deviations"))
        assert "Region kom inte." in widget_text(app.screen)
        await until(pilot, lambda: not app.session.dirty)
        assert service.open(app.session.plan.id).deviations[0].description == "Region kom inte."
