"""The next follow-up as a calendar file (.ics) for Outlook, Google and the rest.

One VEVENT in Europe/Stockholm time with its VTIMEZONE, so every calendar
places the meeting at the right local hour. The invite names the person by
first name only: no surname, no personnummer, nothing about health.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from ..i18n import label, t
from ..models.enums import Body, MeetingForm
from ..models.plan import Plan
from ..settings import Settings
from .text import ExportError, write_atomically, xml_safe

TIMEZONE = "Europe/Stockholm"
DEFAULT_LENGTH = dt.timedelta(hours=1)
PRODID = "-//sip-tui//SIP follow-up//SV"


class IcsError(ExportError):
    """No calendar file can be made."""


def _text(value: str) -> str:
    return " ".join(xml_safe(value).split())


def event_uid(plan: Plan) -> str:
    """Stable per plan and per version the follow-up was booked in.

    A draft and its agreed version share the UID, so re-importing the invite
    after agreement updates the event instead of adding a second one."""
    booked_in = plan.version + 1 if plan.editable else plan.version
    return f"sip-{plan.id}-v{booked_in}@sip-tui"


def caller_body(plan: Plan) -> Body | None:
    """The body (kommun, region, FK ...) of whoever calls the follow-up, never their name.

    ``followup.called_by`` is a name typed in the meeting. A calendar entry
    is copied to phones, shared calendars and cloud services, so the invite
    says only which body calls: a name or a unit ("Beroendemottagningen")
    next to the person's first name would tell a reader what help the person
    gets. A caller who is neither the coordinator nor a participant, or is a
    relative or an unnamed "other actor", is left out."""
    caller = " ".join(plan.followup.called_by.split()).casefold()
    if not caller:
        return None
    coordinator = plan.coordinator
    if coordinator.body and " ".join(coordinator.name.split()).casefold() == caller:
        return coordinator.body
    for participant in plan.participants:
        if " ".join(participant.name.split()).casefold() == caller:
            unnamed = participant.relative or participant.body in (Body.OTHER, Body.RELATIVES)
            return None if unnamed else participant.body
    return None


def build_calendar(plan: Plan, settings: Settings, now: dt.datetime | None = None) -> Calendar:
    followup = plan.followup
    if followup.date is None or followup.held:
        raise IcsError("ics.error.no_followup")
    zone = ZoneInfo(TIMEZONE)
    first_name = _text(plan.person.first_name)
    summary = t("ics.summary", first_name=first_name) if first_name else t("ics.summary_no_name")

    event = Event()
    event.add("uid", event_uid(plan))
    event.add("dtstamp", (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0))
    event.add("sequence", max(plan.revision, 0))
    event.add("summary", summary)
    if followup.start_time:
        start = dt.datetime.combine(followup.date, followup.start_time, tzinfo=zone)
        end = (
            dt.datetime.combine(followup.date, followup.end_time, tzinfo=zone)
            if followup.end_time
            else start + DEFAULT_LENGTH
        )
        event.add("dtstart", start)
        event.add("dtend", end)
    else:  # a booked day without a time: an all-day event
        event.add("dtstart", followup.date)
        event.add("dtend", followup.date + dt.timedelta(days=1))
    place = _text(followup.place)
    location = place or (label(followup.form) if followup.form != MeetingForm.IN_PERSON else "")
    if location:
        event.add("location", location)
    lines = [t("ics.description"), t("ics.form", form=label(followup.form))]
    if place:
        lines.append(t("ics.place", place=place))
    caller = caller_body(plan)
    if caller is not None:
        lines.append(t("ics.called_by", body=label(caller)))
    if _text(settings.organisation):
        lines.append(_text(settings.organisation))
    event.add("description", "\n".join(lines))
    event.add("class", "PRIVATE")
    event.add("transp", "OPAQUE")

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", t("ics.alarm"))
    alarm.add("trigger", dt.timedelta(days=-1))
    event.add_component(alarm)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    if followup.start_time:
        calendar.add_component(stockholm_timezone())
        calendar.subcomponents.insert(0, calendar.subcomponents.pop())  # VTIMEZONE before the event
    return calendar


def stockholm_timezone() -> Timezone:
    """Europe/Stockholm with the EU summer-time rules as yearly RRULEs.

    The compact form Outlook and Google write themselves; every client
    imports it, where a list of RDATE transitions confuses some."""
    zone = Timezone()
    zone.add("tzid", TIMEZONE)
    for part, name, offset_from, offset_to, start, month in (
        (TimezoneDaylight(), "CEST", 1, 2, dt.datetime(1970, 3, 29, 2, 0), 3),
        (TimezoneStandard(), "CET", 2, 1, dt.datetime(1970, 10, 25, 3, 0), 10),
    ):
        part.add("tzname", name)
        part.add("tzoffsetfrom", dt.timedelta(hours=offset_from))
        part.add("tzoffsetto", dt.timedelta(hours=offset_to))
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone


def write_ics(plan: Plan, settings: Settings, path: str | os.PathLike[str], now: dt.datetime | None = None) -> Path:
    """Write the next follow-up of ``plan`` as an .ics file (atomically); returns the path."""
    return write_atomically(Path(path), build_calendar(plan, settings, now).to_ical())


__all__ = ["IcsError", "build_calendar", "event_uid", "write_ics"]
