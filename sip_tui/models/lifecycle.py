"""Plan lifecycle: draft -> agreed vN -> follow-up -> agreed vN+1 -> ... -> closed.

Pure transitions on copies; the store keeps each agreed version immutable.
"""

from __future__ import annotations

import datetime as dt

from .entry import clean_typed
from .enums import MeetingKind, PlanStatus
from .plan import SHORT_MAX, Agreement, Closure, Plan, Situation
from .rules import Missing, missing_for_agreement


class LifecycleError(ValueError):
    """A transition that is not allowed; ``code`` is a catalogue key."""

    def __init__(self, code: str, missing: list[Missing] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.missing = missing or []


def agree(plan: Plan, agreed_by: list[str], now: dt.datetime) -> Plan:
    """Return the agreed version N+1 of ``plan``; refuse if anything is missing."""
    if not plan.editable:
        raise LifecycleError("not_editable")
    missing = missing_for_agreement(plan, now.date())
    if missing:
        raise LifecycleError("incomplete", missing)
    # Cleaned as typed text is (a name pasted with a control character would not be saved).
    names = [name for name in (clean_typed(name, multiline=False).strip() for name in agreed_by) if name]
    if not names:
        raise LifecycleError("no_agreed_by")
    if any(len(name) > SHORT_MAX for name in names):
        raise LifecycleError("name_too_long")
    if plan.version > 0 and not plan.change_reason.strip():
        raise LifecycleError("no_change_reason")
    agreed = plan.model_copy(deep=True)
    agreed.version = plan.version + 1
    agreed.status = PlanStatus.AGREED
    agreed.agreement = Agreement(at=now, by=names, change_reason=plan.change_reason)
    return agreed


def start_followup(plan: Plan, today: dt.date) -> Plan:
    """Open a follow-up meeting on an agreed plan: a working copy for version N+1."""
    if plan.status != PlanStatus.AGREED:
        raise LifecycleError("not_agreed")
    revised = plan.model_copy(deep=True)
    revised.status = PlanStatus.FOLLOW_UP
    revised.meeting.kind = MeetingKind.FOLLOW_UP
    revised.meeting.date = today
    # The booked follow-up is the one being held now; it stays on record (and
    # in the overview) until the next one is booked in this meeting.
    revised.followup.held = True
    revised.change_reason = ""
    return revised  # insats statuses stay as agreed until the meeting records how each went


def discard_followup(plan: Plan, agreed: Plan) -> Plan:
    """Cancel a follow-up meeting started by mistake: back to agreed version N as it was."""
    if plan.status != PlanStatus.FOLLOW_UP or agreed.version != plan.version or agreed.id != plan.id:
        raise LifecycleError("not_in_followup")
    return agreed.model_copy(update={"revision": plan.revision, "updated_at": plan.updated_at}, deep=True)


def close(plan: Plan, closure: Closure, after: Situation | None = None) -> Plan:
    """Closed, with the sysselsättning and försörjning at closure when given."""
    if plan.status == PlanStatus.CLOSED:
        raise LifecycleError("already_closed")
    closed = plan.model_copy(deep=True)
    closed.status = PlanStatus.CLOSED
    closed.closure = closure
    if after is not None:
        closed.indicators.after = after
    return closed
