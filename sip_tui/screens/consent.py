"""Step 2: consent and who takes part."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Label

from ..i18n import t
from ..models.enums import Body, ConsentForm
from ..models.plan import Participant
from .bound import BoundForm
from .items import ItemSpec, ItemsSection
from .step import StepScreen


def participant_form(form: BoundForm, item: Participant) -> ComposeResult:
    base = f"participants.{item.id}"
    with Grid(classes="form-grid"):
        yield form.text(f"{base}.name")
        yield form.text(f"{base}.role")
        yield form.text(f"{base}.organisation")
        yield form.choice(f"{base}.body", list(Body))
        yield form.text(f"{base}.contact")
    yield form.check(f"{base}.attended")
    yield form.check(f"{base}.relative")


def _yes_no(value: bool) -> str:
    return t("app.yes") if value else t("app.no")


PARTICIPANTS = ItemSpec(
    section="participants",
    new=Participant,
    columns=(
        "field.participants.name",
        "field.participants.role",
        "field.participants.organisation",
        "field.participants.body",
        "col.attended",
        "col.relative",
    ),
    row=lambda p, body: (p.name, p.role, p.organisation, body(p.body), _yes_no(p.attended), _yes_no(p.relative)),
    form=participant_form,
    title=lambda p: p.name,
    flex=(0, 1, 2),
)


class ConsentStep(StepScreen):
    STEP_ID = "consent"

    def compose_step(self) -> ComposeResult:
        yield Label(t("section.consent"), classes="section-title")
        yield self.check("consent.given")
        # Compact, so that at 80x24 the participants show on the step's first screen:
        # the form and the three dates on one row, the scope (who, what) on the next.
        with Grid(classes="form-grid dates-grid"):
            yield self.choice("consent.form", list(ConsentForm), allow_blank=True)
            yield self.date("consent.date")
            yield self.date("consent.valid_until")
            yield self.date("consent.withdrawn_on")
        with Grid(classes="form-grid scope-grid"):
            yield self.text("consent.actors", placeholder=t("hint.consent_actors"))
            yield self.area("consent.information", height=2)
        yield ItemsSection(PARTICIPANTS, t("section.participants"), t("app.add_participant"), self.session.read_only)
        yield Label(t("section.person_attendance"), classes="section-title")
        yield self.check("person_attended")
        yield self.area("person_absent_reason", height=2)
        yield self.area("consent.not_covered", height=2)
