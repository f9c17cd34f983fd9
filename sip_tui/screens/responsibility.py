"""Step 6: overall responsibility, the coordinator, the next follow-up, distribution."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Label

from ..i18n import t
from ..models.enums import HUVUDMAN, MeetingForm
from ..models.plan import Recipient
from .bound import BoundForm
from .items import ItemSpec, ItemsSection
from .step import StepScreen


def recipient_form(form: BoundForm, item: Recipient) -> ComposeResult:
    yield form.text(f"distribution.{item.id}.name")
    yield form.text(f"distribution.{item.id}.organisation")


DISTRIBUTION = ItemSpec(
    section="distribution",
    new=Recipient,
    columns=("field.distribution.name", "field.distribution.organisation"),
    row=lambda r, body: (r.name, r.organisation),
    form=recipient_form,
    title=lambda r: r.name,
    flex=(0, 1),
)


class ResponsibilityStep(StepScreen):
    STEP_ID = "responsibility"

    def compose_step(self) -> ComposeResult:
        yield Label(t("section.responsibility"), classes="section-title")
        with Grid(classes="form-grid"):
            yield self.choice("responsible", list(HUVUDMAN), allow_blank=True)
            yield self.text("coordinator.name")
            yield self.choice("coordinator.body", list(HUVUDMAN), allow_blank=True)
            yield self.text("coordinator.unit")
            yield self.text("coordinator.phone")
            yield self.text("coordinator.email")
        yield Label(t("section.followup"), classes="section-title")
        if self.session.plan.followup.held:
            yield Label(t("hint.followup_held", date=self.session.plan.followup.date), classes="hint warning")
        with Grid(classes="form-grid"):
            yield self.date("followup.date")
            yield self.time("followup.start_time")
            yield self.time("followup.end_time")
            yield self.choice("followup.form", list(MeetingForm))
            yield self.text("followup.place", placeholder=t("hint.followup_place"))
            yield self.text("followup.called_by")
        yield self.area("followup.invitees", height=2)
        yield self.check("followup.neutral_location")
        yield ItemsSection(DISTRIBUTION, t("section.distribution"), t("app.add_recipient"), self.session.read_only)
