"""The whole plan as the room reads it: sections of plain text (no markup
from user input is ever interpreted)."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text

from ..i18n import label, t
from ..models import personnummer
from ..models.enums import HUVUDMAN, Body
from ..models.plan import Plan
from ..widgets.fields import as_text


def plan_sections(plan: Plan) -> Iterator[tuple[str, Text]]:
    """(title, body) per section, in the order of the agreed document."""
    person = plan.person
    lines = [person.name or t("app.unnamed")]
    if person.personnummer:
        lines.append(personnummer.mask(person.personnummer))
    if person.interpreter_needed:
        lines.append(t("review.interpreter", language=person.interpreter_language or "–"))
    if person.representative and person.representative.name:
        rep = person.representative
        lines.append(t("review.representative", name=rep.name, relation=rep.relation, contact=rep.contact))
    meeting = plan.meeting
    lines.append(t("review.meeting", date=as_text(meeting.date) or "–", place=meeting.place or label(meeting.form)))
    yield t("section.person"), Text("\n".join(lines))

    goals = [f"• {g.text}  ({label(g.term)})" for g in plan.goals if g.text.strip()]
    yield t("section.goals"), _text(goals, t("review.none"), style="bold")
    if plan.situation.strip() or plan.strengths.strip():
        body = [plan.situation.strip()] + (
            [t("review.strengths", text=plan.strengths.strip())] if plan.strengths.strip() else []
        )
        yield t("section.situation"), Text("\n".join(b for b in body if b))
    needs = [f"• {label(n.area)}: {n.description}" for n in plan.needs]
    yield t("section.needs"), _text(needs, t("review.none"))
    yield t("section.insatser"), _insatser(plan)
    coordinator = plan.coordinator
    responsibility = [
        t("review.responsible", body=label(plan.responsible)),
        t(
            "review.coordinator",
            who=", ".join(x for x in (coordinator.name, coordinator.unit, coordinator.phone, coordinator.email) if x)
            or "–",
        ),
    ]
    yield t("section.responsibility"), Text("\n".join(responsibility))
    yield t("section.followup"), Text(_followup(plan))
    people = [
        f"• {p.name} – {p.role}, {p.organisation} ({label(p.body)}) "
        f"{t('review.attended') if p.attended else t('review.absent')}"
        for p in plan.participants
    ]
    if not plan.person_attended:
        people.append(t("review.person_absent", reason=plan.person_absent_reason))
    yield t("section.participants"), _text(people, t("review.none"))
    consent = plan.consent
    consent_text = (
        t(
            "review.consent",
            form=label(consent.form),
            date=as_text(consent.date) or "–",
            actors=consent.actors or "–",
            until=as_text(consent.valid_until) or "–",
        )
        if consent.in_force
        else t("review.no_consent")
    )
    if consent.in_force and consent.information.strip():
        consent_text += "\n" + t("review.consent_information", information=consent.information.strip())
    yield t("section.consent"), Text(consent_text)
    if plan.deviations:
        yield (
            t("section.deviations"),
            _text([f"• {label(d.type)} ({label(d.body)}): {d.description}" for d in plan.deviations], ""),
        )
    if plan.agreement:
        agreement = plan.agreement
        lines = [
            t("review.agreed", version=plan.version, at=agreement.at.strftime("%Y-%m-%d %H:%M"), by=", ".join(agreement.by))
        ]
        if agreement.change_reason.strip():
            lines.append(t("review.change_reason", reason=agreement.change_reason.strip()))
        yield t("section.agreement"), Text("\n".join(lines))
    if plan.closure:
        closure = plan.closure
        lines = [t("review.closure", date=as_text(closure.date), outcome=label(closure.outcome))]
        if closure.note.strip():
            lines.append(closure.note.strip())
        yield t("section.closure"), Text("\n".join(lines))


def _insatser(plan: Plan) -> Text:
    text = Text()
    groups = [*HUVUDMAN, *(b for b in Body if b not in HUVUDMAN)]
    for body in groups:
        items = [i for i in plan.insatser if i.body == body]
        if not items:
            continue
        text.append(f"{label(body)}\n", style="bold")
        for insats in items:
            when = " – ".join(x for x in (as_text(insats.start), as_text(insats.done_by)) if x)
            details = ", ".join(x for x in (insats.unit, insats.contact, when) if x)
            text.append(f"  • {insats.what}  [{label(insats.status)}]\n")
            if details:
                text.append(f"    {details}\n", style="dim")
            if insats.note:
                text.append(f"    {insats.note}\n", style="italic")
    return text if text.plain else Text(t("review.none"))


def _followup(plan: Plan) -> str:
    followup = plan.followup
    if not followup.date or followup.held:
        return t("review.no_followup")
    time = as_text(followup.start_time)
    if followup.end_time:
        time += "–" + as_text(followup.end_time)
    return t(
        "review.followup",
        date=as_text(followup.date),
        time=time or "–",
        form=label(followup.form),
        place=followup.place or "–",
        called_by=followup.called_by or "–",
    )


def _text(lines: list[str], empty: str, style: str = "") -> Text:
    return Text("\n".join(lines) if lines else empty, style=style if lines else "italic")
