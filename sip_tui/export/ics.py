"""The next follow-up as a calendar file (.ics) for Outlook, Google and the rest.

One VEVENT in Europe/Stockholm time with its VTIMEZONE, so every calendar
places the meeting at the right local hour. The invite names the person by
first name only: no surname, no personnummer, nothing about health.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from ..i18n import label, t
from ..models.enums import Body, MeetingForm, PlanStatus
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
    """One event per follow-up meeting: the plan and the day it is booked for.

    Re-exports, the draft and its agreed version and later versions that keep
    the day share the UID, so importing the invite again updates the event
    (a new time the same day included) instead of adding a second one. A
    follow-up moved to another day is another meeting: the old one gets a
    cancellation (``build_cancellation``)."""
    day = plan.followup.date
    return f"sip-{plan.id}-{day:%Y%m%d}@sip-tui" if day else f"sip-{plan.id}@sip-tui"


def _sequence(plan: Plan) -> int:
    """Rises with every save of the plan: a calendar keeps the newest copy."""
    return max(plan.revision, 0)


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


def _today(settings: Settings, now: dt.datetime | None) -> dt.date:
    moment = now or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        return moment.date()
    try:
        return moment.astimezone(ZoneInfo(settings.timezone)).date()
    except (ValueError, ZoneInfoNotFoundError):
        return moment.astimezone(ZoneInfo(TIMEZONE)).date()


def build_calendar(plan: Plan, settings: Settings, now: dt.datetime | None = None) -> Calendar:
    """The invite to the next follow-up. A closed plan, a follow-up already held
    and a follow-up whose day has passed give no invite (IcsError)."""
    followup = plan.followup
    if plan.status == PlanStatus.CLOSED:
        raise IcsError("ics.error.closed")
    if followup.date is None or followup.held:
        raise IcsError("ics.error.no_followup")
    if followup.date < _today(settings, now):
        raise IcsError("ics.error.past", date=followup.date.isoformat())
    zone = ZoneInfo(TIMEZONE)
    first_name = _text(plan.person.first_name)
    summary = t("ics.summary", first_name=first_name) if first_name else t("ics.summary_no_name")

    event = Event()
    event.add("uid", event_uid(plan))
    event.add("dtstamp", (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0))
    event.add("sequence", _sequence(plan))
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
    place = "" if followup.neutral_location else _text(followup.place)
    location = t("ics.neutral_location") if followup.neutral_location else place or (label(followup.form) if followup.form != MeetingForm.IN_PERSON else "")
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

    calendar = _calendar("PUBLISH")
    calendar.add_component(event)
    if followup.start_time:
        calendar.add_component(stockholm_timezone())
        calendar.subcomponents.insert(0, calendar.subcomponents.pop())  # VTIMEZONE before the event
    return calendar


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def cancelled_followup(plan: Plan, previous: Plan | None) -> Plan | None:
    """The plan whose booked follow-up an earlier invite announced and that no
    longer takes place: the whole plan's when it is closed, the previous
    version's when the follow-up moved to another day. None when nothing is
    to be cancelled."""
    if plan.status == PlanStatus.CLOSED:
        followup = plan.followup
        return plan if followup.date and not followup.held else None
    if previous is None or previous.followup.date is None or previous.followup.held:
        return None
    if plan.followup.date == previous.followup.date:
        return None
    return previous


def build_cancellation(
    cancelled: Plan, current: Plan, settings: Settings, now: dt.datetime | None = None
) -> Calendar:
    """METHOD:CANCEL for the follow-up ``cancelled`` booked (same UID, a higher
    SEQUENCE than any invite sent for it, since ``current`` is saved later)."""
    followup = cancelled.followup
    if followup.date is None:
        raise IcsError("ics.error.no_followup")
    first_name = _text(cancelled.person.first_name)
    event = Event()
    event.add("uid", event_uid(cancelled))
    event.add("dtstamp", (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0))
    event.add("sequence", max(_sequence(current), _sequence(cancelled) + 1))
    event.add("status", "CANCELLED")
    summary = t("ics.summary", first_name=first_name) if first_name else t("ics.summary_no_name")
    event.add("summary", t("ics.cancelled", summary=summary))
    if followup.start_time:
        event.add("dtstart", dt.datetime.combine(followup.date, followup.start_time, tzinfo=ZoneInfo(TIMEZONE)))
    else:
        event.add("dtstart", followup.date)
    event.add("class", "PRIVATE")
    calendar = _calendar("CANCEL")
    if followup.start_time:
        calendar.add_component(stockholm_timezone())
    calendar.add_component(event)
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


def write_cancellation(
    cancelled: Plan, current: Plan, settings: Settings, path: str | os.PathLike[str], now: dt.datetime | None = None
) -> Path:
    return write_atomically(Path(path), build_cancellation(cancelled, current, settings, now).to_ical())


__all__ = [
    "IcsError",
    "build_calendar",
    "build_cancellation",
    "cancelled_followup",
    "event_uid",
    "write_cancellation",
    "write_ics",
]
