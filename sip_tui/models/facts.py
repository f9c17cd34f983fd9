"""The anonymous facts of one plan that the indicator report and the deviation
overview need, read straight from the stored JSON (no model is built), so the
store's summary cache keeps them and a report over 10,000 plans reads no plan file.

No names and no free text about the person: an age, not a birth date; codes
and ISO dates of events. A deviation keeps its unit (an organisation's unit, not a person).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import NamedTuple

from . import personnummer
from .enums import MeetingKind, PlanStatus


class DeviationFacts(NamedTuple):
    id: str
    date: str  # ISO date or ""
    type: str
    body: str
    unit: str
    status: str
    reply_by: str  # ISO date or ""
    systemfel: bool


class FollowupFacts(NamedTuple):
    held: str  # ISO date the follow-up meeting was held
    on_time: bool  # on or before the date it was booked for


@dataclass(frozen=True)
class PlanFacts:
    requested_on: str = ""  # ISO dates, "" when unknown: they compare as text
    first_meeting_on: str = ""
    agreed_on: str = ""  # the first agreement
    closed_on: str = ""
    closure_reason: str = ""
    age: int | None = None  # in the year of the first meeting (or of the request)
    gender: str = ""
    before_occupation: str = ""
    after_occupation: str = ""
    before_income: tuple[str, ...] = ()
    after_income: tuple[str, ...] = ()
    person_present: bool = True  # at the first meeting
    interpreter_needed: bool = False
    interpreter_met: bool = False
    followups: tuple[FollowupFacts, ...] = ()
    deviations: tuple[DeviationFacts, ...] = ()

    def to_json(self) -> dict:
        return dict(self.__dict__)

    def to_text(self) -> str:
        """JSON text, as the store's summary cache keeps the facts until they are read."""
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_text(cls, text: str) -> PlanFacts:
        """From ``to_text``; KeyError/TypeError/ValueError for text of another shape."""
        return cls.from_json(json.loads(text))

    @classmethod
    def from_json(cls, data: dict) -> PlanFacts:
        """From JSON (tuples came back as lists)."""
        return cls(
            **{
                **data,
                "before_income": tuple(data["before_income"]),
                "after_income": tuple(data["after_income"]),
                "followups": tuple(FollowupFacts(*f) for f in data["followups"]),
                "deviations": tuple(DeviationFacts(*d) for d in data["deviations"]),
            }
        )

    @classmethod
    def from_raw(cls, plan: dict, versions: dict | None = None) -> PlanFacts:
        """From a stored plan and its table of agreed versions (``{"1": plan, ...}``).

        The first meeting and first agreement come from version 1 when there is
        one: a follow-up meeting reuses the plan's meeting date."""
        agreed = _versions_in_order(versions)
        first = agreed[0] if agreed and agreed[0].get("version") == 1 else plan
        meeting = first.get("meeting") or {}
        first_meeting = _date(meeting.get("date")) if meeting.get("kind", MeetingKind.FIRST) == MeetingKind.FIRST else ""
        agreement = first.get("agreement") or {}
        indicators = plan.get("indicators") or {}
        person = plan.get("person") or {}
        closure = plan.get("closure") or {}
        # The date the SIP was requested; plans from before that field have the date it was initiated.
        meetings = (plan.get("meeting") or {}, meeting)
        requested = next(
            (_date(m.get(key)) for key in ("requested_on", "initiated_on") for m in meetings if _date(m.get(key))), ""
        )
        return cls(
            requested_on=requested,
            first_meeting_on=first_meeting,
            agreed_on=_date(agreement.get("at")) if first.get("version") else "",
            closed_on=_date(closure.get("date")) if plan.get("status") == PlanStatus.CLOSED else "",
            closure_reason=str(closure.get("outcome") or ""),
            age=_age(indicators.get("birth_year"), person.get("personnummer"), first_meeting or requested),
            gender=str(indicators.get("gender") or ""),
            before_occupation=str((indicators.get("before") or {}).get("occupation") or ""),
            after_occupation=str((indicators.get("after") or {}).get("occupation") or ""),
            before_income=tuple((indicators.get("before") or {}).get("income") or ()),
            after_income=tuple((indicators.get("after") or {}).get("income") or ()),
            person_present=bool(first.get("person_attended", True)),
            interpreter_needed=bool(person.get("interpreter_needed", False)),
            interpreter_met=bool(indicators.get("interpreter_met", False)),
            followups=_followups(plan, agreed),
            deviations=tuple(_deviation(d) for d in plan.get("deviations") or ()),
        )


EMPTY_FACTS = PlanFacts()


def _date(value: object) -> str:
    """The date part of an ISO date or date-time; "" for none."""
    return value[:10] if isinstance(value, str) else ""


def _versions_in_order(versions: dict | None) -> list[dict]:
    if not isinstance(versions, dict):
        return []
    docs = [doc for doc in versions.values() if isinstance(doc, dict)]
    return sorted(docs, key=lambda doc: int(doc.get("version", 0)))


def _age(typed_year: object, pnr: object, on: str) -> int | None:
    """From the personnummer when there is one, else the birth year typed."""
    year = personnummer.birth_year(pnr) or (typed_year if isinstance(typed_year, int) else None)
    if year is None or not on:
        return None
    return int(on[:4]) - year


def _followups(plan: dict, agreed: list[dict]) -> tuple[FollowupFacts, ...]:
    """Each follow-up meeting held: an agreed version made in one (held on its
    meeting date, booked by the version before), and one in progress or closed unagreed."""
    held = []
    previous = None
    for doc in agreed:
        meeting = doc.get("meeting") or {}
        if previous is not None and meeting.get("kind") == MeetingKind.FOLLOW_UP and meeting.get("date"):
            held.append(_followup(meeting["date"], previous))
        previous = doc
    meeting = plan.get("meeting") or {}
    in_meeting = plan.get("status") in (PlanStatus.FOLLOW_UP, PlanStatus.CLOSED)
    if in_meeting and previous is not None and meeting.get("kind") == MeetingKind.FOLLOW_UP and meeting.get("date"):
        last = previous.get("meeting") or {}
        if not (last.get("kind") == MeetingKind.FOLLOW_UP and last.get("date") == meeting["date"]):
            held.append(_followup(meeting["date"], previous))  # held, its version not (yet) agreed
    return tuple(held)


def _followup(day: str, booked_by: dict) -> FollowupFacts:
    booked = _date((booked_by.get("followup") or {}).get("date"))
    return FollowupFacts(_date(day), not booked or _date(day) <= booked)


def _deviation(raw: dict) -> DeviationFacts:
    return DeviationFacts(
        id=str(raw.get("id", "")),
        date=_date(raw.get("date")),
        type=str(raw.get("type", "annat")),
        body=str(raw.get("body", "annan")),
        unit=str(raw.get("unit", "")),
        status=str(raw.get("status", "registrerad")),
        reply_by=_date(raw.get("reply_by")),
        systemfel=bool(raw.get("systemfel", False)),
    )
