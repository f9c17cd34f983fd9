"""Step 1: the person and the meeting, and the figures the anonymous
indicator report counts from the first meeting (all optional)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Input, Label

from ..i18n import t
from ..models import personnummer
from ..models.enums import Gender, MeetingForm, MeetingKind, Occupation
from ..widgets.fields import Field, as_text, text_field, widget_id
from .bound import caption, incomes_field
from .step import StepScreen

BIRTH_YEAR = "indicators.birth_year"


class PersonStep(StepScreen):
    STEP_ID = "person"

    def compose_step(self) -> ComposeResult:
        yield Label(t("section.person"), classes="section-title")
        with Grid(classes="form-grid"):
            yield self.text("person.name")
            yield self.pnr("person.personnummer")
            yield self.text("person.phone")
            yield self.text("person.email")
            yield self.text("person.address")
            yield self.text("person.interpreter_language")
            yield self.text("person.communication", placeholder=t("hint.communication"))
        yield self.check("person.interpreter_needed")
        yield Label(t("section.representative"), classes="section-title")
        with Grid(classes="form-grid"):
            yield self.text("person.representative.name")
            yield self.text("person.representative.relation", placeholder=t("hint.representative_relation"))
            yield self.text("person.representative.contact")
        yield Label(t("section.meeting"), classes="section-title")
        with Grid(classes="form-grid"):
            yield self.date("meeting.date")
            yield self.time("meeting.start_time")
            yield self.time("meeting.end_time")
            yield self.text("meeting.place")
            yield self.choice("meeting.form", list(MeetingForm))
            yield self.choice("meeting.kind", list(MeetingKind))
            yield self.text("meeting.initiated_by")
            yield self.date("meeting.initiated_on")
            yield self.date("meeting.requested_on")
            yield self.text("meeting.requested_by")
            yield self.text("meeting.chair")
            yield self.text("meeting.secretary")
        yield self.area("meeting.reason", height=2)
        yield self.area("meeting.question", height=2)
        yield Label(t("section.indicators"), classes="section-title")
        with Grid(classes="form-grid"):
            yield self.choice("indicators.gender", list(Gender), allow_blank=True)
            yield self.birth_year()
            yield self.choice("indicators.before.occupation", list(Occupation), allow_blank=True)
        incomes = self.session.plan.indicators.before.income
        yield incomes_field(caption("indicators.before.income"), "indicators.before.income", incomes)
        yield self.check("indicators.interpreter_met")

    def birth_year(self) -> Field:
        """Typed only without a personnummer: with one, the year is read from it (and shown)."""
        derived = personnummer.birth_year(self.session.plan.person.personnummer)
        if derived is None:
            return self.text(BIRTH_YEAR)
        field = text_field(caption(BIRTH_YEAR), BIRTH_YEAR, derived)
        field.editor.disabled = True
        return field

    def _show_birth_year(self, editor: Input) -> None:
        derived = personnummer.birth_year(self.session.plan.person.personnummer)
        with editor.prevent(Input.Changed):
            editor.value = str(derived) if derived else as_text(self.session.value(BIRTH_YEAR))
        editor.disabled = derived is not None or self.session.read_only

    def after_edit(self, path: str) -> None:
        super().after_edit(path)
        if path == "person.personnummer":
            self._show_birth_year(self.query_one(f"#{widget_id(BIRTH_YEAR)}", Input))
