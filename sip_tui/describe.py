"""The plan in words, for every place that shows it: the review, the versions
screen, the Word document's list of changes and the command line.

One caption per field, one way to shorten text, one way to say a value and
one description of what changed between two versions live here, so the
screen and the paper cannot drift apart (they did: only one of them masked a
changed personnummer). Plain data and plain strings only: no Textual, no rich.
User text is returned as typed; whoever draws it keeps it literal.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Literal

from .i18n import has, label, t
from .models import personnummer
from .models.diff import ITEM_TITLE, Change, diff_plans
from .models.enums import HUVUDMAN, Body
from .models.plan import ITEM_SECTIONS, Goal, Plan

if TYPE_CHECKING:
    from .store.store import StoreError

# A changed value is shown up to this many cells; an item is named by at most ITEM_NAME_MAX.
CHANGE_VALUE_MAX = 120
ITEM_NAME_MAX = 60
LINKED_NAME_MAX = 40
ELLIPSIS = "…"

# Plan attribute -> catalogue key of the section the room knows it under.
_SECTION_TITLE = {
    "person_attended": "section.person_attendance",
    "person_absent_reason": "section.person_attendance",
    "strengths": "section.situation",
    "earlier_actions": "section.situation",
    "earlier_actions_effect": "section.situation",
    "goals_differ": "section.goals",
    "responsible": "section.responsibility",
    "coordinator": "section.responsibility",
    "closure": "versions.section.closure",
}
# Fields whose value names other items of the plan, and the list those items are in.
_LINKS = {"goal_ids": "goals", "need_ids": "needs", "goal_id": "goals", "parent_id": "goals"}
# Bookkeeping inside a section: it changes without the plan changing for the room.
_UNSAID_FIELDS = {"id", "held"}


# -- words for one field, one value ---------------------------------------------------------


def caption(path: str) -> str:
    """A field's caption: ``person.name``, or ``insatser.<id>.what`` for a field of a list item."""
    parts = path.split(".")
    if parts[0] in ITEM_SECTIONS and len(parts) > 2:
        parts = [parts[0], *parts[2:]]  # the item's id names no caption
    for key in ("field." + ".".join(parts), "versions.field." + ".".join(parts)):
        if has(key):
            return t(key)
    return path  # an imported path that names no field is shown as it is


def section_title(section: str) -> str:
    """The title of the plan section a top-level attribute of the plan is shown in."""
    key = _SECTION_TITLE.get(section, f"section.{section}")
    if has(key):
        return t(key)
    return caption(section)


def section_titles(attributes: Iterable[str]) -> list[str]:
    """The titles of the sections these top-level attributes are shown in, once
    each, in the order of the plan (a log names changed attributes)."""
    order = list(Plan.model_fields)
    ranked = sorted(attributes, key=lambda name: order.index(name) if name in order else len(order))
    return list(dict.fromkeys(section_title(name) for name in ranked))


def value_text(value: object) -> str:
    """A value as the room would say it: an enum's label (never its code), a
    date as 2026-03-10, a time as the language writes it, yes or no; "–" for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return t("app.yes") if value else t("app.no")
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d} {clock(value.time())}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return clock(value)
    if isinstance(value, dict):
        parts = (value_text(v) for k, v in value.items() if k != "id")
        return ", ".join(part for part in parts if part != "–") or "–"
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(v) for v in value)
    return str(value)


def clock(time: dt.time) -> str:
    """10.00 in Swedish, 10:00 in English."""
    return t("docx.clock", hour=time.hour, minute=time.minute)


def shorten(text: str, limit: int = 50) -> str:
    """``text`` on one line of at most ``limit`` cells: whitespace runs become one
    space, and what is cut ends in "…". A character is never split from the
    accents or joiners that belong to it, and a wide character counts two cells."""
    text = " ".join(str(text).split())
    if limit <= 0:
        return ""
    clusters = list(_graphemes(text))
    if sum(width for _, width in clusters) <= limit:
        return text
    kept, used = [], 0
    for cluster, width in clusters:
        if used + width > limit - 1:
            break
        kept.append(cluster)
        used += width
    return "".join(kept).rstrip() + ELLIPSIS


def _graphemes(text: str) -> Iterator[tuple[str, int]]:
    """(cluster, cells) for each user-perceived character: a base character with
    its combining marks, variation selectors, skin tones and zero-width-joined
    followers; a pair of regional indicators (a flag) is one."""
    cluster, width, joined = "", 0, False
    for char in text:
        code = ord(char)
        extends = (
            unicodedata.combining(char)
            or unicodedata.category(char) in ("Mn", "Me", "Mc")
            or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF
            or code == 0x200D
            or joined
            or (_regional(char) and len(cluster) == 1 and _regional(cluster))
        )
        if cluster and extends:
            cluster += char
            joined = code == 0x200D
            continue
        if cluster:
            yield cluster, width
        cluster, width, joined = char, _cells(char), code == 0x200D
    if cluster:
        yield cluster, width


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _cells(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def error_text(error: StoreError) -> str:
    """A store's refusal in the UI language; the sections it names (plan fields)
    as the room knows them, not as the file spells them."""
    params = dict(error.params)
    sections = params.get("sections")
    if isinstance(sections, list):
        params["sections"] = ", ".join(section_titles(str(name) for name in sections))
    return t(error.code, file=error.file, **params)


# -- what changed between two versions ------------------------------------------------------


@dataclass(frozen=True)
class ChangeLine:
    """One change in plain words, under the title of the section it is in."""

    section: str  # "Insatser"
    text: str  # "Samtalsstöd: Status: Planerad → Pågår"

    def __str__(self) -> str:
        return f"{self.section}: {self.text}"


def describe_changes(old: Plan, new: Plan, *, personnummer_shown: bool = True) -> list[ChangeLine]:
    """Every change from ``old`` to ``new``, in the order of the plan. A changed
    personnummer is masked (the birth date at most); with ``personnummer_shown``
    off (a document that leaves the number out) it is only said to have changed."""
    lines: list[ChangeLine] = []
    for change in diff_plans(old, new):
        if change.field in _UNSAID_FIELDS:
            continue
        line = ChangeLine(section_title(change.section), _change_text(change, (old, new), personnummer_shown))
        if line not in lines:
            lines.append(line)
    return lines


def _change_text(change: Change, plans: tuple[Plan, Plan], personnummer_shown: bool) -> str:
    if change.section in ITEM_SECTIONS and not change.field:
        item = shorten(change.item, ITEM_NAME_MAX) or "–"
        return t("versions.added", item=item) if change.before is None else t("versions.removed", item=item)
    what = _subject(change)
    if change.field == "personnummer":
        if not personnummer_shown:
            return t("describe.changed", what=what)
        before, after = (_masked(value) for value in (change.before, change.after))
    else:
        before, after = (_said(change.field, value, plans) for value in (change.before, change.after))
    return t("describe.before_after", what=what, before=before, after=after)


def change_sides(change: Change, plans: tuple[Plan, Plan]) -> tuple[str, str, str]:
    """A change as (what, before, after) in words, for a table that sets the two
    sides apart: choosing between the stored plan and an import. A row that one side
    does not have reads "–" there; a personnummer is masked on both sides."""
    section, subject = _kind(change.section), _subject(change)
    what = subject if subject == section else f"{section}: {subject}"
    if change.section in ITEM_SECTIONS and not change.field:
        before, after = (t("describe.row") if side is not None else "–" for side in (change.before, change.after))
        return what, before, after
    if change.field == "personnummer":
        return what, _masked(change.before), _masked(change.after)
    return what, _said(change.field, change.before, plans), _said(change.field, change.after, plans)


def _kind(section: str) -> str:
    """A row's kind ("Mål", "Insats") for a list section, else the section's title."""
    key = f"section.{section}.item"
    return t(key) if section in ITEM_SECTIONS and has(key) else section_title(section)


def _subject(change: Change) -> str:
    """What changed, as the room names it: "Samtalsstöd: Status", "Starttid", "Nuläge"."""
    if change.section in ITEM_SECTIONS:
        item = shorten(change.item, ITEM_NAME_MAX) or "–"
        if not change.field:
            return item
        return f"{item}: {caption(f'{change.section}.{change.item_id}.{change.field}')}"
    if change.section == "pending_input":  # typed text kept until it is valid, keyed by the field it belongs to
        return caption(change.field)
    if change.field:
        return caption(f"{change.section}.{change.field}")
    return caption(change.section) if has(f"field.{change.section}") else section_title(change.section)


def _masked(number: object) -> str:
    """The birth date at most: never a digit of the last four."""
    return (personnummer.mask_typed(number) if isinstance(number, str) else "") or "–"


def _said(field: str, value: object, plans: Iterable[Plan]) -> str:
    if field in _LINKS and value:
        titles = {
            item.id: _item_title(item) for plan in plans for item in getattr(plan, _LINKS[field])
        }
        ids = value if isinstance(value, list) else [value]
        return "; ".join(shorten(titles.get(str(i), "?"), LINKED_NAME_MAX) for i in ids)
    return shorten(value_text(value), CHANGE_VALUE_MAX)


def _item_title(item: object) -> str:
    return next((str(getattr(item, name)) for name in ITEM_TITLE.values() if getattr(item, name, "")), "")


# -- the whole plan, section by section -----------------------------------------------------

Emphasis = Literal["", "strong", "muted", "aside", "empty"]


@dataclass(frozen=True)
class Line:
    text: str
    emphasis: Emphasis = ""  # a group heading, a detail, a note; "empty" says the section has nothing yet


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]


def plan_sections(plan: Plan) -> list[Section]:
    """The plan as the room reads it, in the order of the agreed document."""
    sections = [
        _section(t("section.person"), _person(plan)),
        _section(t("section.goals"), _goals(plan), emphasis="strong"),
    ]
    situation = _situation(plan)
    if situation:
        sections.append(_section(t("section.situation"), situation))
    sections += [
        _section(t("section.needs"), [f"• {label(n.area)}: {n.description}" for n in plan.needs]),
        Section(t("section.insatser"), tuple(_insatser(plan)) or (Line(t("review.none"), "empty"),)),
        _section(t("section.responsibility"), _responsibility(plan)),
        _section(t("section.followup"), _followup(plan)),
        _section(t("section.participants"), _participants(plan)),
        _section(t("section.consent"), _consent(plan)),
    ]
    indicators = _indicators(plan)
    if indicators:
        sections.append(_section(t("section.indicators"), indicators))
    if plan.deviations:
        deviations = [f"• {label(d.type)} ({label(d.body)}): {d.description}" for d in plan.deviations]
        sections.append(_section(t("section.deviations"), deviations))
    if plan.agreement:
        agreement = plan.agreement
        lines = [
            t("review.agreed", version=plan.version, at=f"{agreement.at:%Y-%m-%d %H:%M}", by=", ".join(agreement.by))
        ]
        if agreement.change_reason.strip():
            lines.append(t("review.change_reason", reason=agreement.change_reason.strip()))
        sections.append(_section(t("section.agreement"), lines))
    if plan.closure:
        closure = plan.closure
        lines = [t("review.closure", date=value_text(closure.date), outcome=label(closure.outcome))]
        if closure.note.strip():
            lines.append(closure.note.strip())
        sections.append(_section(t("section.closure"), lines))
    return sections


def _indicators(plan: Plan) -> list[str]:
    """The figures for the anonymous follow-up, those recorded."""
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


def _section(title: str, lines: list[str], emphasis: Emphasis = "") -> Section:
    if not lines:
        return Section(title, (Line(t("review.none"), "empty"),))
    return Section(title, tuple(Line(text, emphasis) for text in lines))


def _filled(plan: Plan, *paths: str) -> list[str]:
    """"Caption: value" for each of ``paths`` that holds something."""
    lines = []
    for path in paths:
        value: object = plan
        for part in path.split("."):
            value = getattr(value, part)
        text = " ".join(value_text(value).split()) if value not in (None, "") else ""
        if text:
            lines.append(f"{caption(path)}: {text}")
    return lines


def _person(plan: Plan) -> list[str]:
    person = plan.person
    lines = [person.name or t("app.unnamed")]
    if person.personnummer:
        lines.append(personnummer.mask(person.personnummer))
    lines += _filled(plan, "person.address", "person.phone", "person.email")
    if person.interpreter_needed:
        lines.append(t("review.interpreter", language=person.interpreter_language or "–"))
    else:
        lines += _filled(plan, "person.interpreter_language")
    lines += _filled(plan, "person.communication")
    if person.representative and person.representative.name:
        rep = person.representative
        lines.append(t("review.representative", name=rep.name, relation=rep.relation, contact=rep.contact))
    meeting = plan.meeting
    span = "–".join(clock(x) for x in (meeting.start_time, meeting.end_time) if x)
    when = " ".join(x for x in (value_text(meeting.date) if meeting.date else "", span) if x)
    lines.append(t("review.meeting", date=when or "–", place=meeting.place or label(meeting.form)))
    lines += _filled(
        plan,
        "meeting.chair",
        "meeting.secretary",
        "meeting.requested_by",
        "meeting.requested_on",
        "meeting.initiated_by",
        "meeting.initiated_on",
        "meeting.reason",
        "meeting.question",
    )
    return lines


def _goals(plan: Plan) -> list[str]:
    return [_goal_line(plan, g) for g in plan.goals if g.text.strip()] + _filled(plan, "goals_differ")


def _goal_line(plan: Plan, goal: Goal) -> str:
    line = f"• {goal.text}  ({label(goal.term)})"
    parent = plan.goal(goal.parent_id) if goal.parent_id else None
    if parent is not None:
        line += f"  → {caption('goals.parent_id')}: {shorten(parent.text, LINKED_NAME_MAX)}"
    if goal.reached is not None:
        line += f"  [{caption('goals.reached')}: {value_text(goal.reached)}]"
    return line


def _situation(plan: Plan) -> list[str]:
    extra = _filled(plan, "earlier_actions", "earlier_actions_effect")
    situation, strengths = plan.situation.strip(), plan.strengths.strip()
    if not (situation or strengths or extra):
        return []
    body = [situation, t("review.strengths", text=strengths) if strengths else ""]
    return [line for line in [*body, *extra] if line]


def _insatser(plan: Plan) -> Iterator[Line]:
    """Grouped by the body responsible, the huvudmän first."""
    for body in [*HUVUDMAN, *(b for b in Body if b not in HUVUDMAN)]:
        items = [i for i in plan.insatser if i.body == body]
        if not items:
            continue
        yield Line(label(body), "strong")
        for insats in items:
            when = ", ".join(
                f"{caption(path)} {value_text(day)}"
                for path, day in (("insatser.start", insats.start), ("insatser.done_by", insats.done_by))
                if day
            )
            yield Line(f"  • {insats.what}  [{label(insats.status)}]")
            details = ", ".join(x for x in (insats.unit, insats.contact, when) if x)
            if details:
                yield Line(f"    {details}", "muted")
            goal = plan.goal(insats.goal_id) if insats.goal_id else None
            if goal is not None:
                yield Line(f"    {caption('insatser.goal_id')}: {shorten(goal.text, ITEM_NAME_MAX)}", "muted")
            if insats.note:
                yield Line(f"    {insats.note}", "aside")


def _responsibility(plan: Plan) -> list[str]:
    coordinator = plan.coordinator
    who = ", ".join(x for x in (coordinator.name, coordinator.unit, coordinator.phone, coordinator.email) if x)
    return [t("review.responsible", body=label(plan.responsible)), t("review.coordinator", who=who or "–")]


def _followup(plan: Plan) -> list[str]:
    followup = plan.followup
    if not followup.date or followup.held:
        lines = [t("review.no_followup")]
    else:
        time = "–".join(clock(x) for x in (followup.start_time, followup.end_time) if x)
        lines = [
            t(
                "review.followup",
                date=value_text(followup.date),
                time=time or "–",
                form=label(followup.form),
                place=followup.place or "–",
                called_by=followup.called_by or "–",
            )
        ]
    lines += _filled(plan, "followup.invitees")
    if followup.neutral_location:
        lines.append(caption("followup.neutral_location"))
    recipients = [", ".join(x for x in (r.name, r.organisation) if x.strip()) for r in plan.distribution]
    if any(recipients):
        lines.append(t("section.distribution") + ": " + "; ".join(r for r in recipients if r))
    return lines


def _participants(plan: Plan) -> list[str]:
    def attended(present: bool) -> str:
        return t("review.attended") if present else t("review.absent")

    lines = [f"• {plan.person.name or t('app.unnamed')} – {t('docx.person_role')} {attended(plan.person_attended)}"]
    for p in plan.others:
        who = ", ".join(part for part in (p.role.strip(), p.organisation.strip()) if part)
        name = p.name.strip() or t("app.unnamed")
        line = (f"• {name} – {who}" if who else f"• {name}") + f" ({label(p.body)})"
        lines.append(line + (f", {p.contact.strip()}" if p.contact.strip() else "") + f" {attended(p.attended)}")
    if not plan.person_attended:
        lines.append(t("review.person_absent", reason=plan.person_absent_reason))
    return lines


def _consent(plan: Plan) -> list[str]:
    consent = plan.consent
    if not consent.in_force:
        lines = [t("review.no_consent")]
    else:
        lines = [
            t(
                "review.consent",
                form=label(consent.form),
                date=value_text(consent.date) if consent.date else "–",
                actors=consent.actors or "–",
                until=value_text(consent.valid_until) if consent.valid_until else "–",
            )
        ]
        if consent.information.strip():
            lines.append(t("review.consent_information", information=consent.information.strip()))
    return lines + _filled(plan, "consent.not_covered")
