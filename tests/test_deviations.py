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
