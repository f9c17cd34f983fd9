"""The calendar invite for the next follow-up, read back the way a calendar
reads it: the right day and local hour in Stockholm (summer and winter), the
place or link, a summary with the person's first name and nothing else
about the person, and a clear message when no follow-up is booked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from sip_tui import i18n
from sip_tui.demo import load_demo
from sip_tui.export.ics import IcsError, write_ics
from sip_tui.i18n import t
from sip_tui.models.enums import Body, MeetingForm, PlanStatus
from sip_tui.models.plan import Coordinator, FollowUp, Participant, Plan
from sip_tui.settings import Settings

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC


@pytest.fixture
def demo(service) -> dict[str, Plan]:
    load_demo(service)
    return {plan.person.first_name: plan for plan in map(service.open, service.store.plan_ids())}


def read(path: Path) -> tuple[Calendar, object, str]:
    """The calendar, its one event, and every text a calendar app can show (unfolded)."""
    data = path.read_bytes()
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    unfolded = data.decode("utf-8").replace("\r\n ", "").replace("\\,", ",").replace("\\n", "\n")
    return calendar, events[0], unfolded


def export(service, plan: Plan, tmp_path: Path, name: str = "invite.ics") -> tuple[Calendar, object, str]:
    return read(service.export_ics(plan, tmp_path / name))


def with_followup(plan: Plan, **fields) -> Plan:
    plan = plan.model_copy(deep=True)
    plan.followup = FollowUp(**{"date": dt.date(2026, 7, 14), "form": MeetingForm.IN_PERSON, **fields})
    return plan


# -- when and where ---------------------------------------------------------------------------


def test_winter_followup_lands_on_the_booked_day_and_local_hour(service, demo, tmp_path):
    plan = demo["Bo"]  # follow-up 2026-03-15 10:00-11:00, before summer time starts
    calendar, event, _ = export(service, plan, tmp_path)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.date() == plan.followup.date
    assert (start.hour, start.minute, end.hour, end.minute) == (10, 0, 11, 0)
    assert event["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert start.astimezone(UTC).hour == 9  # CET, UTC+1
    zones = calendar.walk("VTIMEZONE")
    assert [zone["tzid"] for zone in zones] == ["Europe/Stockholm"]  # every calendar can place the hour


def test_summer_followup_is_at_the_same_local_hour_in_summer_time(service, demo, tmp_path):
    plan = with_followup(demo["Bo"], start_time=dt.time(13, 30))
    _, event, _ = export(service, plan, tmp_path)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.date(), start.hour, start.minute) == (dt.date(2026, 7, 14), 13, 30)
    assert start.astimezone(UTC).hour == 11  # CEST, UTC+2
    assert end - start == dt.timedelta(hours=1)  # no end time booked: an hour


def test_place_is_the_location_and_in_the_description(service, demo, tmp_path):
    plan = demo["Bo"]
    _, event, _ = export(service, plan, tmp_path)
    assert str(event["location"]) == plan.followup.place == "Medborgarkontoret, rum 2"
    assert t("ics.place", place=plan.followup.place) in str(event["description"])
    assert t("ics.form", form=i18n.label(MeetingForm.IN_PERSON)) in str(event["description"])
    assert t("ics.summary", first_name="Bo") == str(event["summary"]) == "SIP-uppföljning – Bo"


def test_video_link_is_the_location_of_a_digital_followup(service, demo, tmp_path):
    link = "https://video.example/sip/abc-123?pwd=x"
    plan = with_followup(demo["Bo"], start_time=dt.time(9, 0), form=MeetingForm.DIGITAL, place=link)
    _, event, _ = export(service, plan, tmp_path)
    assert str(event["location"]) == link
    assert "Digitalt" in str(event["description"])


def test_phone_followup_without_place_says_phone(service, demo, tmp_path):
    plan = with_followup(demo["Bo"], start_time=dt.time(9, 0), form=MeetingForm.PHONE)
    _, event, _ = export(service, plan, tmp_path)
    assert str(event["location"]) == "Telefon"


def test_followup_without_a_time_is_an_all_day_event(service, demo, tmp_path):
    plan = with_followup(demo["Bo"])
    calendar, event, _ = export(service, plan, tmp_path)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert type(start) is dt.date and start == dt.date(2026, 7, 14)
    assert end == dt.date(2026, 7, 15)
    assert calendar.walk("VTIMEZONE") == []  # nothing to place in a time zone


def test_reminder_the_day_before(service, demo, tmp_path):
    _, event, _ = export(service, demo["Bo"], tmp_path)
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == -dt.timedelta(days=1)
    assert str(alarm["description"]) == "SIP-uppföljning i morgon"


def test_exporting_again_updates_the_same_calendar_event(service, demo, tmp_path):
    plan = demo["Bo"]
    _, first, _ = export(service, plan, tmp_path, "a.ics")
    later = plan.model_copy(deep=True)
    later.followup.start_time, later.followup.end_time = dt.time(14, 0), None
    later.revision += 1
    _, second, _ = export(service, later, tmp_path, "b.ics")
    assert str(first["uid"]) == str(second["uid"])  # imported again, the event moves instead of doubling
    assert int(second["sequence"]) > int(first["sequence"])


def test_one_uid_per_followup_meeting_across_versions(service, demo, tmp_path):
    """Bo's draft, its agreed version 1 and a follow-up draft that keeps the day
    announce one meeting; a follow-up booked for another day is another event."""
    bo = demo["Bo"]
    draft = bo.model_copy(deep=True)
    draft.status, draft.version, draft.agreement, draft.revision = PlanStatus.DRAFT, 0, None, bo.revision - 1
    _, as_draft, _ = export(service, draft, tmp_path, "draft.ics")
    _, as_agreed, _ = export(service, bo, tmp_path, "agreed.ics")
    assert str(as_draft["uid"]) == str(as_agreed["uid"])
    assert int(as_agreed["sequence"]) > int(as_draft["sequence"])
    other_day = with_followup(bo, start_time=dt.time(9, 0))
    _, moved, _ = export(service, other_day, tmp_path, "moved.ics")
    assert str(moved["uid"]) != str(as_agreed["uid"])


def test_a_followup_moved_to_another_day_cancels_the_old_invite(service, demo, tmp_path):
    bo = demo["Bo"]
    _, sent, _ = export(service, bo, tmp_path, "sent.ics")
    revised = service.start_followup(bo)
    revised.followup.date = dt.date(2026, 4, 20)  # met early, the booked 15 March moves to 20 April
    revised.followup.held = False
    revised = service.save(revised)
    cancellation = service.export_ics_cancellation(revised, tmp_path / "new.ics")
    assert cancellation is not None and cancellation.name == "new-installt.ics"
    calendar = Calendar.from_ical(cancellation.read_bytes())
    assert str(calendar["method"]) == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == str(sent["uid"]) and str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) > int(sent["sequence"])
    assert event.decoded("dtstart").date() == bo.followup.date
    _, new_invite, _ = export(service, revised, tmp_path, "new.ics")
    assert str(new_invite["uid"]) != str(sent["uid"])
    assert service.export_ics_cancellation(bo, tmp_path / "again.ics") is None  # nothing moved: nothing to cancel


def test_a_closed_plan_gives_no_invite_but_cancels_a_booked_followup(service, demo, tmp_path):
    bo = demo["Bo"]
    _, sent, _ = export(service, bo, tmp_path, "sent.ics")
    closed = bo.model_copy(deep=True)
    closed.status = PlanStatus.CLOSED
    closed.revision += 1
    with pytest.raises(IcsError) as caught:
        service.export_ics(closed, tmp_path / "closed.ics")
    assert caught.value.code == "ics.error.closed"
    assert not (tmp_path / "closed.ics").exists()
    cancellation = service.export_ics_cancellation(closed, tmp_path / "closed.ics")
    [event] = Calendar.from_ical(cancellation.read_bytes()).walk("VEVENT")
    assert str(event["uid"]) == str(sent["uid"]) and str(event["status"]) == "CANCELLED"


def test_a_past_followup_is_never_exported_silently(service, demo, tmp_path):
    past = with_followup(demo["Bo"], start_time=dt.time(9, 0))
    past.followup.date = dt.date(2026, 3, 9)  # the day before the (fixed) today
    with pytest.raises(IcsError) as caught:
        service.export_ics(past, tmp_path / "past.ics")
    assert caught.value.code == "ics.error.past" and "2026-03-09" in str(caught.value)
    assert not (tmp_path / "past.ics").exists()
    past.followup.date = dt.date(2026, 3, 10)  # today is fine
    export(service, past, tmp_path, "today.ics")


def test_neutral_location_hides_the_place_that_tells_what_help_the_person_gets(service, demo, tmp_path):
    plan = with_followup(demo["Bo"], start_time=dt.time(9, 0), place="Beroendemottagningen, Växjö")
    _, event, text = export(service, plan, tmp_path, "open.ics")
    assert "Beroendemottagningen" in str(event["location"])
    plan.followup.neutral_location = True
    _, event, text = export(service, plan, tmp_path, "neutral.ics")
    assert str(event["location"]) == t("ics.neutral_location")
    assert "Beroendemottagningen" not in text


# -- privacy ------------------------------------------------------------------------------------


def test_nothing_about_the_person_but_the_first_name(service, demo, tmp_path):
    plan = demo["Bo"].model_copy(deep=True)
    assert plan.person.personnummer == "19900101-0017"
    plan.participants.append(
        Participant(name="Mira Beroende", role="Sjuksköterska", organisation="Beroendemottagningen", body=Body.REGION)
    )
    plan.followup.called_by = "Mira Beroende"  # a unit that would tell what help the person gets
    service.settings = Settings(organisation="Växjö kommun")
    _, event, text = export(service, plan, tmp_path)

    assert "Bo" in str(event["summary"])
    forbidden = [
        "Exempelsson",  # surname
        "19900101",
        "0017",
        "900101",  # personnummer, in any form
        plan.person.phone,
        *(p.name for p in plan.participants),
        *(p.name.split()[-1] for p in plan.participants),
        "Beroendemottagningen",
        "Sjuksköterska",
        plan.coordinator.name,
        plan.coordinator.phone,
        plan.coordinator.email,
        *(goal.text for goal in plan.goals),
        *(need.description for need in plan.needs),
        *(insats.what for insats in plan.insatser),
        plan.situation,
    ]
    for secret in forbidden:
        assert secret and secret not in text, secret
    # who calls is said as the body, enough to know whose invitation to expect
    assert t("ics.called_by", body="Region") in str(event["description"])
    assert "Växjö kommun" in str(event["description"])
    assert str(event["class"]) == "PRIVATE"


def test_caller_is_named_by_body_the_coordinators_body_first(service, demo, tmp_path):
    plan = demo["Bo"].model_copy(deep=True)
    plan.coordinator = Coordinator(name="Karin Demo", body=Body.KOMMUN, unit="Socialtjänsten")
    plan.followup.called_by = "  karin  demo "  # typed loosely
    _, event, text = export(service, plan, tmp_path)
    assert "Kallas av: Kommun" in str(event["description"])
    assert "Karin" not in text and "Socialtjänsten" not in text


@pytest.mark.parametrize(
    "caller",
    [
        Participant(name="Lisa Syster", role="Syster", relative=True, body=Body.RELATIVES),
        Participant(name="Lisa Syster", role="Vän", body=Body.OTHER),
        None,  # a name that is nobody in the plan
    ],
)
def test_caller_who_is_a_relative_or_unknown_is_left_out(service, demo, tmp_path, caller):
    plan = demo["Bo"].model_copy(deep=True)
    if caller is not None:
        plan.participants.append(caller)
    plan.followup.called_by = "Lisa Syster"
    _, _, text = export(service, plan, tmp_path)
    assert "Lisa" not in text and "Syster" not in text
    assert "Kallas av" not in text


# -- no follow-up booked ---------------------------------------------------------------------------


def test_plan_without_a_booked_followup_gives_a_clear_error_and_no_file(service, demo, tmp_path):
    draft = demo["Alva"]
    assert draft.followup.date is None
    with pytest.raises(IcsError) as caught:
        service.export_ics(draft, tmp_path / "out" / "alva.ics")
    assert caught.value.code == "ics.error.no_followup"
    assert str(caught.value) == "Ingen ny uppföljning är bokad. Boka datum för nästa uppföljning i planen först."
    assert not (tmp_path / "out").exists()  # nothing written, not even the folder


def test_a_followup_already_held_is_not_sent_again(service, demo, tmp_path):
    plan = demo["Bo"].model_copy(deep=True)
    plan.followup.held = True
    with pytest.raises(IcsError, match="Ingen ny uppföljning"):
        write_ics(plan, Settings(), tmp_path / "held.ics")
    assert not (tmp_path / "held.ics").exists()


# -- English -------------------------------------------------------------------------------------------


def test_english_invite(service, demo, tmp_path):
    i18n.set_language("en")
    _, event, _ = export(service, demo["Bo"], tmp_path)
    assert str(event["summary"]) == "SIP follow-up – Bo"
    description = str(event["description"])
    assert "Follow-up of a coordinated individual plan (SIP)." in description
    assert "Place or link: Medborgarkontoret, rum 2" in description
    assert "Called by: Municipality" in description
    assert str(event.walk("VALARM")[0]["description"]) == "SIP follow-up tomorrow"
    with pytest.raises(IcsError, match="No new follow-up is booked"):
        service.export_ics(demo["Alva"], tmp_path / "alva.ics")
