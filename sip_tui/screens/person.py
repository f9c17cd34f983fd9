"""Step 1: the person and the meeting."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Label

from ..i18n import t
from ..models.enums import MeetingForm, MeetingKind
from .step import StepScreen


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
