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
    lines += _filled("person.address", "person.phone", "person.email", plan=plan)
    if person.interpreter_needed:
        lines.append(t("review.interpreter", language=person.interpreter_language or "–"))
    else:
        lines += _filled("person.interpreter_language", plan=plan)
    lines += _filled("person.communication", plan=plan)
    if person.representative and person.representative.name:
        rep = person.representative
        lines.append(t("review.representative", name=rep.name, relation=rep.relation, contact=rep.contact))
    meeting = plan.meeting
    when = " ".join(x for x in (as_text(meeting.date), _span(meeting.start_time, meeting.end_time)) if x)
    lines.append(t("review.meeting", date=when or "–", place=meeting.place or label(meeting.form)))
    lines += _filled(
        "meeting.chair",
        "meeting.secretary",
        "meeting.requested_by",
        "meeting.requested_on",
        "meeting.initiated_by",
        "meeting.initiated_on",
        "meeting.reason",
        "meeting.question",
        plan=plan,
    )
    yield t("section.person"), Text("\n".join(lines))

    goals = [_goal_line(plan, g) for g in plan.goals if g.text.strip()]
    goals += _filled("goals_differ", plan=plan)
    yield t("section.goals"), _text(goals, t("review.none"), style="bold")
    extra = _filled("earlier_actions", "earlier_actions_effect", plan=plan)
    if plan.situation.strip() or plan.strengths.strip() or extra:
        body = [plan.situation.strip()] + (
            [t("review.strengths", text=plan.strengths.strip())] if plan.strengths.strip() else []
        )
        yield t("section.situation"), Text("\n".join(b for b in [*body, *extra] if b))
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
    followup_lines = [_followup(plan), *_filled("followup.invitees", plan=plan)]
    if plan.followup.neutral_location:
        followup_lines.append(t("field.followup.neutral_location"))
    recipients = [", ".join(x for x in (r.name, r.organisation) if x.strip()) for r in plan.distribution]
    if any(recipients):
        followup_lines.append(t("section.distribution") + ": " + "; ".join(r for r in recipients if r))
    yield t("section.followup"), Text("\n".join(followup_lines))
    people = [
        f"• {person.name or t('app.unnamed')} – {t('docx.person_role')} "
        f"{t('review.attended') if plan.person_attended else t('review.absent')}"
    ]
    people += [
        f"• {p.name} – {p.role}, {p.organisation} ({label(p.body)})"
        + (f", {p.contact}" if p.contact.strip() else "")
        + f" {t('review.attended') if p.attended else t('review.absent')}"
        for p in plan.others
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
    for line in _filled("consent.not_covered", plan=plan):
        consent_text += "\n" + line
    yield t("section.consent"), Text(consent_text)
    indicators = _indicators(plan)
    if indicators:
        yield t("section.indicators"), Text("\n".join(indicators))
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


def _indicators(plan: Plan) -> list[str]:
    """The figures for the anonymous follow-up, those recorded."""
    from .bound import caption

    indicators = plan.indicators
    lines = []
    if indicators.gender:
        lines.append(f"{caption('indicators.gender')}: {label(indicators.gender)}")
    year = personnummer.birth_year(plan.person.personnummer) or indicators.birth_year
    if year:
        lines.append(t("review.birth_year", year=year))
    for when in ("before", "after"):
        situation = getattr(indicators, when)
        if situation.occupation:
            lines.append(f"{caption(f'indicators.{when}.occupation')}: {label(situation.occupation)}")
        if situation.income:
            incomes = ", ".join(label(income) for income in situation.income)
            lines.append(f"{caption(f'indicators.{when}.income')}: {incomes}")
    if indicators.interpreter_met:
        lines.append(caption("indicators.interpreter_met"))
    return lines


def _filled(*paths: str, plan: Plan) -> list[str]:
    """"Caption: value" for each of ``paths`` that holds something."""
    from .bound import caption

    lines = []
    for path in paths:
        value: object = plan
        for part in path.split("."):
            value = getattr(value, part)
        text = " ".join(as_text(value).split())
        if text:
            lines.append(f"{caption(path)}: {text}")
    return lines


def _span(start, end) -> str:
    return "–".join(as_text(x) for x in (start, end) if x)


def _goal_line(plan: Plan, goal) -> str:
    line = f"• {goal.text}  ({label(goal.term)})"
    parent = plan.goal(goal.parent_id) if goal.parent_id else None
    if parent is not None:
        line += f"  → {t('field.goals.parent_id')}: {parent.text.strip()[:40]}"
    if goal.reached is not None:
        line += f"  [{t('field.goals.reached')}: {t('app.yes') if goal.reached else t('app.no')}]"
    return line


def _insatser(plan: Plan) -> Text:
    text = Text()
    groups = [*HUVUDMAN, *(b for b in Body if b not in HUVUDMAN)]
    for body in groups:
        items = [i for i in plan.insatser if i.body == body]
        if not items:
            continue
        text.append(f"{label(body)}\n", style="bold")
        for insats in items:
            when = ", ".join(
                f"{t(key)} {as_text(day)}"
                for key, day in (("field.insatser.start", insats.start), ("field.insatser.done_by", insats.done_by))
                if day
            )
            details = ", ".join(x for x in (insats.unit, insats.contact, when) if x)
            text.append(f"  • {insats.what}  [{label(insats.status)}]\n")
            if details:
                text.append(f"    {details}\n", style="dim")
            goal = plan.goal(insats.goal_id) if insats.goal_id else None
            if goal is not None:
                text.append(f"    {t('field.insatser.goal_id')}: {goal.text.strip()[:60]}\n", style="dim")
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
