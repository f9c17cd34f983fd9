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


def missing_for_agreement(plan: Plan, today: dt.date | None = None) -> list[Missing]:
    """What stops ``plan`` from being agreed. With ``today`` (the agreement day),
    also an expired consent and a follow-up date already passed."""
    found: list[Missing] = []

    def need(condition: bool, code: str, step: str, **params: str) -> None:
        if not condition:
            found.append(Missing(code, step, params))

    need(bool(plan.person.name.strip()), "person_name", "person")
    need(plan.meeting.date is not None, "meeting_date", "person")
    consent = plan.consent
    need(consent.in_force, "consent", "consent")
    if consent.in_force:
        # Consent is never general: it names with whom and what may be shared.
        need(bool(consent.actors.strip() and consent.information.strip()), "consent_scope", "consent")
        if today and consent.valid_until:
            need(consent.valid_until >= today, "consent_expired", "consent", date=consent.valid_until.isoformat())
    need(plan.person_attended or bool(plan.person_absent_reason.strip()), "absent_reason", "consent")
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
    need(plan.responsible in HUVUDMAN, "responsible", "responsibility")
    need(bool(plan.coordinator.name.strip()), "coordinator", "responsibility")
    followup = plan.followup
    need(followup.date is not None and not followup.held, "followup", "responsibility")
    if today and followup.date and not followup.held:
        need(followup.date >= today, "followup_past", "responsibility", date=followup.date.isoformat())
    if plan.version > 0:  # a new version says why the plan changed
        need(bool(plan.change_reason.strip()), "change_reason", "review")
    for path in plan.pending_input:
        found.append(Missing("pending", step_of_field(path), {"field": path}))
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
