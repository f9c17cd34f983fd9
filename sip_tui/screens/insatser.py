"""Step 5: insatser — what, for which need, who answers for it, when —
and the deviations (avvikelser) noticed along the way.

In a follow-up meeting each insats gets a status and a note; the table then
shows those instead of the planning columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Label

from ..i18n import label, t
from ..models.enums import DEVIATION_CATEGORIES, Body, DeviationType, InsatsStatus, MeetingKind
from ..models.plan import Deviation, Insats
from ..widgets.fields import as_text
from .bound import BoundForm
from .dialogs import NewRowScreen
from .items import ItemSpec, ItemsSection, short
from .needs import links
from .offers import OfferPicker, UsedBefore
from .step import StepScreen

if TYPE_CHECKING:
    from ..app import SipApp


def insats_form(form: BoundForm, item: Insats) -> ComposeResult:
    base = f"insatser.{item.id}"
    if getattr(form, "new", False) and not form.session.read_only and not form.app.service.catalogue.is_empty():
        yield OfferPicker(item.id)  # search the insats catalogue; free text below stays possible
    yield form.area(f"{base}.what", height=2)
    needs = [(f"{label(need.area)}: {short(need.description, 40)}", need.id) for need in form.session.plan.needs]
    if needs:
        yield links(f"{base}.need_ids", t("field.insatser.need_ids"), needs, item.need_ids)
    goals = [(short(goal.text, 40) or "–", goal.id) for goal in form.session.plan.goals if goal.text.strip()]
    if goals:
        yield form.pick(f"{base}.goal_id", goals)
    with Grid(classes="form-grid"):
        yield form.choice(f"{base}.body", list(Body))
        yield form.text(f"{base}.unit", suggester=UsedBefore(form.app, "unit"))
        yield form.text(f"{base}.contact", suggester=UsedBefore(form.app, "contact"))
        yield form.choice(f"{base}.status", list(InsatsStatus))
        yield form.date(f"{base}.start")
        yield form.date(f"{base}.done_by")
    yield form.area(f"{base}.note", height=2)


INSATSER = ItemSpec(
    section="insatser",
    new=Insats,
    columns=(
        "col.insats",
        "field.insatser.body",
        "field.insatser.unit",
        "field.insatser.contact",
        "col.start",
        "col.done_by",
        "field.insatser.status",
    ),
    row=lambda i, body: (
        short(i.what, 40), body(i.body), i.unit, i.contact, as_text(i.start), as_text(i.done_by), label(i.status)
    ),
    form=insats_form,
    title=lambda i: i.what,
)


# In a follow-up meeting: how each insats went, at a glance. At 80 columns the
# insats and the note share what the responsible body and status leave.
INSATSER_FOLLOWUP = replace(
    INSATSER,
    columns=("col.insats", "field.insatser.body", "field.insatser.status", "col.note"),
    row=lambda i, body: (short(i.what, 60), body(i.body), label(i.status), short(i.note, 80)),
    flex=(0, 3),
)


def deviation_form(form: BoundForm, item: Deviation) -> ComposeResult:
    base = f"deviations.{item.id}"
    # An earlier category (no longer offered) stays choosable on the deviation that has it.
    categories = list(DEVIATION_CATEGORIES) if item.type in DEVIATION_CATEGORIES else list(DeviationType)
    with Grid(classes="form-grid"):
        yield form.date(f"{base}.date")
        yield form.choice(f"{base}.type", categories)
        yield form.text(f"{base}.other_text")
        yield form.choice(f"{base}.body", list(Body))
        yield form.text(f"{base}.unit")
        yield form.text(f"{base}.reported_by")
    yield Label(t("hint.deviation_privacy"), classes="hint")
    yield form.area(f"{base}.description", height=3)


DEVIATIONS = ItemSpec(
    section="deviations",
    new=Deviation,
    columns=("field.deviations.date", "field.deviations.type", "field.deviations.body", "field.deviations.description"),
    row=lambda d, body: (as_text(d.date), label(d.type), body(d.body), short(d.description, 80)),
    form=deviation_form,
    title=lambda d: d.description or label(d.type),
    flex=(1, 3),
)


def report_deviation(app: SipApp, then: Callable[[], object]) -> None:
    """A new deviation on the open plan, from any of its screens and whatever its
    status (an agreed or closed plan too: a deviation is no part of the agreed
    version). Dated today; every field autosaves; Esc on it untouched leaves nothing."""
    session = app.session
    assert session is not None
    item = session.add("deviations", Deviation(date=app.service.today()))
    app.schedule_save()
    untouched = item.model_dump()

    def typed() -> bool:
        pending = any(path.startswith(f"deviations.{item.id}.") for path in session.plan.pending_input)
        return pending or item.model_dump() != untouched

    def closed(keep: bool | None) -> None:
        if keep is False:
            session.remove("deviations", item.id)
        else:
            app.notify(t("deviation.reported"))
        app.schedule_save()
        then()

    build = lambda form: deviation_form(form, item)  # noqa: E731
    app.push_screen(NewRowScreen(t("section.deviations.item"), build, typed), closed)


class InsatserStep(StepScreen):
    STEP_ID = "insatser"

    def compose_step(self) -> ComposeResult:
        plan = self.session.plan
        followup = plan.meeting.kind == MeetingKind.FOLLOW_UP
        if followup and plan.editable:
            yield Label(t("followups.hint.insatser"), classes="hint warning")
        else:
            yield Label(t("hint.insatser"), classes="hint")
        spec = INSATSER_FOLLOWUP if followup else INSATSER
        yield ItemsSection(spec, t("section.insatser"), t("app.add_insats"), self.session.read_only)
        # A new deviation is dated on the meeting day; the facilitator can change it.
        # It can be added to an agreed plan too (no part of the agreed version).
        deviations = replace(DEVIATIONS, new=self._new_deviation)
        yield ItemsSection(
            deviations, t("section.deviations"), t("followups.add_deviation"), not self.session.can_edit("deviations")
        )
        yield Label(t("followups.hint.deviations"), classes="hint")

    def _new_deviation(self) -> Deviation:
        return Deviation(date=self.session.plan.meeting.date or self.app.service.today())
