"""Closing a plan (avslut): date, outcome and a note, and the person's
sysselsättning and försörjning at closure for the anonymous indicator report
(optional: saved with the closure, as the plan is locked until it closes).

A closed plan leaves the follow-up overview and stays searchable from home.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from ..describe import caption
from ..i18n import field_error, label, t
from ..models.entry import iso_date
from ..models.enums import CLOSURE_REASONS, Income, Occupation, Outcome
from ..models.plan import Closure, Plan, Situation
from ..widgets.fields import Field, FieldError, TypeAheadSelect, area_field, date_field, select_field
from ..widgets.literal import literal
from .bound import incomes_field, tick_incomes
from .commands import CANCEL, CommandScreen, CommandTable

if TYPE_CHECKING:
    from textual import getters

    from ..app import SipApp


class CloseScreen(ModalScreen[None], CommandScreen[None]):
    if TYPE_CHECKING:
        app = getters.app(SipApp)

    DEFAULT_CSS = """
    CloseScreen { align: center middle; }
    CloseScreen .close-dialog { max-width: 90; height: 90%; }
    CloseScreen #close-fields { height: 1fr; }
    CloseScreen #close-intro { margin-bottom: 1; }
    CloseScreen Field { margin-bottom: 1; }
    CloseScreen #close-error { height: auto; }
    """
    COMMAND_TABLE = CommandTable(CANCEL)
    BINDINGS = COMMAND_TABLE.bindings()

    def compose(self) -> ComposeResult:
        session = self.app.session
        assert session is not None
        plan = session.plan
        # The fields scroll; the buttons stay in view below them, however short the terminal.
        with Vertical(classes="dialog close-dialog"):
            yield Label(literal(t("close.title", name=plan.person.name or t("app.unnamed"))), classes="dialog-title")
            yield from self.compose_fields(plan)
            yield Static("", id="close-error", classes="error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("close.confirm"), id="close-confirm", variant="error")
                yield Button(t("app.cancel"), id="close-cancel")

    def compose_fields(self, plan: Plan) -> ComposeResult:
        with VerticalScroll(id="close-fields", can_focus=False):
            yield Static(t("close.intro"), id="close-intro")
            yield date_field(t("close.date"), "closure.date", self.app.service.today())
            outcomes = TypeAheadSelect(  # a letter picks the outcome, as every drop-down in a meeting
                [(label(outcome), outcome.value) for outcome in CLOSURE_REASONS],
                prompt=t("close.choose_outcome"),
                id="f-closure-outcome",
                compact=True,
            )
            yield Field(t("close.outcome"), "closure.outcome", outcomes)
            yield area_field(t("close.note"), "closure.note", "", height=3)
            after = plan.indicators.after
            self.incomes: list[Income] = list(after.income)
            yield select_field(
                caption("indicators.after.occupation"), "indicators.after.occupation", after.occupation,
                list(Occupation), allow_blank=True,
            )
            yield incomes_field(caption("indicators.after.income"), "indicators.after.income", self.incomes)

    def on_mount(self) -> None:
        self.query_one("#f-closure-outcome", Select).focus()

    # -- reading the form --------------------------------------------------------

    def _show(self, path: str, message: str | None) -> None:
        self.query_one(f"#err-{path.replace('.', '-')}", FieldError).show(message)

    def read_closure(self) -> Closure | None:
        """The closure as typed, or None with each problem shown under its field."""
        raw_date = self.query_one("#f-closure-date", Input).value.strip()
        outcome = self.query_one("#f-closure-outcome", Select).selection
        note = self.query_one("#f-closure-note", TextArea).text
        day: dt.date | None = None
        date_error = None
        try:
            day = dt.date.fromisoformat(iso_date(raw_date) or "")
        except ValueError:
            date_error = t("error.date")
        if day and day > self.app.service.today():
            date_error = t("close.future_date")
        self._show("closure.date", date_error)
        outcome_error = t("close.need_outcome") if outcome is None else None
        self._show("closure.outcome", outcome_error)
        if date_error or day is None or outcome is None:
            return None
        try:
            return Closure(date=day, outcome=Outcome(outcome), note=note)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            self._show("closure.note", field_error(first["type"], first["msg"], **dict(first.get("ctx") or {})))
            return None

    def read_after(self) -> Situation:
        """Sysselsättning and försörjning at closure, as chosen (none is required)."""
        occupation = self.query_one("#f-indicators-after-occupation", Select).selection
        return Situation(occupation=occupation, income=self.incomes)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self.incomes = tick_incomes(event.selection_list, self.incomes)

    # -- actions -------------------------------------------------------------------

    @on(Button.Pressed, "#close-confirm")
    def _confirm(self, event: Button.Pressed) -> None:
        event.stop()
        self.close_plan()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the date field confirms, as the button does (it asks nothing more: the form is the question)."""
        event.stop()
        self.close_plan()

    @on(Button.Pressed, "#close-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def close_plan(self) -> None:
        closure = self.read_closure()
        if closure is None:
            return
        app = self.app
        closed = app.apply_change(
            lambda plan: app.service.close(plan, closure, self.read_after()),
            on_error=lambda message: self.query_one("#close-error", Static).update(literal("⚠ " + message)),
        )
        if closed is None:
            return
        self.dismiss(None)
        app.notify(t("close.done", outcome=label(closure.outcome)), timeout=8)
        app.goto_step("review")

    def action_cancel(self) -> None:
        self.dismiss(None)
