"""What the law and good practice require before a plan may be agreed.

``missing_for_agreement`` returns specific items; each names the meeting
step that fixes it so the UI can jump there. Messages are catalogue keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .enums import HUVUDMAN
from .plan import Plan


@dataclass(frozen=True)
class Missing:
    code: str  # catalogue key: missing.<code>
    step: str  # meeting step id that fixes it
    params: dict[str, str] = field(default_factory=dict)
    path: str = ""  # the plan path of the field that fixes it, if one does


def missing_for_agreement(plan: Plan, today: dt.date | None = None) -> list[Missing]:
    """What stops ``plan`` from being agreed. With ``today`` (the agreement day),
    also an expired consent and a follow-up date already passed."""
    found: list[Missing] = []

    def need(condition: bool, code: str, step: str, path: str = "", **params: str) -> None:
        if not condition:
            found.append(Missing(code, step, params, path))

    need(bool(plan.person.name.strip()), "person_name", "person", "person.name")
    need(plan.meeting.date is not None, "meeting_date", "person", "meeting.date")
    consent = plan.consent
    need(consent.in_force, "consent", "consent", "consent.given")
    if consent.in_force:
        # Consent is never general: it names with whom and what may be shared.
        scoped = bool(consent.actors.strip() and consent.information.strip())
        need(scoped, "consent_scope", "consent", "consent.actors")
        if today and consent.valid_until:
            expiry = consent.valid_until.isoformat()
            need(consent.valid_until >= today, "consent_expired", "consent", "consent.valid_until", date=expiry)
    attendance = plan.person_attended or bool(plan.person_absent_reason.strip())
    need(attendance, "absent_reason", "consent", "person_absent_reason")
    need(any(g.text.strip() for g in plan.goals), "goal", "goals")
    # A row left half-filled would show as an empty line in the handed-out plan.
    for number, participant in enumerate(plan.participants, start=1):
        need(bool(participant.name.strip()), "participant_name", "consent", number=str(number))
    for number, goal in enumerate(plan.goals, start=1):
        need(bool(goal.text.strip()) or len(plan.goals) == 1, "goal_text", "goals", number=str(number))
    for number, item in enumerate(plan.needs, start=1):
        need(bool(item.description.strip()), "need_text", "needs", number=str(number))
    need(bool(plan.insatser), "insatser", "insatser")
    for number, insats in enumerate(plan.insatser, start=1):
        need(bool(insats.what.strip()), "insats_text", "insatser", number=str(number))
    need(any(i.body in HUVUDMAN for i in plan.insatser), "huvudman_insats", "insatser")
    need(plan.responsible in HUVUDMAN, "responsible", "responsibility", "responsible")
    need(bool(plan.coordinator.name.strip()), "coordinator", "responsibility", "coordinator.name")
    followup = plan.followup
    need(followup.date is not None and not followup.held, "followup", "responsibility", "followup.date")
    if today and followup.date and not followup.held:
        day = followup.date.isoformat()
        need(followup.date >= today, "followup_past", "responsibility", "followup.date", date=day)
    if plan.version > 0:  # a new version says why the plan changed
        need(bool(plan.change_reason.strip()), "change_reason", "review", "change_reason")
    for path in plan.pending_input:
        found.append(Missing("pending", step_of_field(path), {"field": path}, path))
    return found


_STEP_BY_PREFIX = {
    "person": "person",
    "meeting": "person",
    "consent": "consent",
    "participants": "consent",
    "goals": "goals",
    "situation": "goals",
    "strengths": "goals",
    "needs": "needs",
    "insatser": "insatser",
    "coordinator": "responsibility",
    "followup": "responsibility",
    "responsible": "responsibility",
    "distribution": "responsibility",
}


def step_of_field(path: str) -> str:
    return _STEP_BY_PREFIX.get(path.split(".")[0], "review")
