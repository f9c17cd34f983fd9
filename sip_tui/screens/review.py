"""Step 7: the whole plan as the room reads it, what is missing, and agreement."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from ..i18n import t
from ..models.enums import PlanStatus
from ..models.plan import Plan
from ..models.rules import Missing
from ..widgets.fields import HARMLESS, Check, TypedInput
from ..widgets.literal import literal, literal_text
from .commands import CANCEL, Command, CommandScreen, CommandTable
from .plan_text import plan_sections
from .step import STEP_COMMANDS, StepScreen

NARROW = 110


def missing_text(code: str, params: dict[str, str]) -> str:
    if code == "pending":
        from .bound import caption

        return t("missing.pending", field=caption(params["field"]))
    return t(f"missing.{code}", **params)


class FixButton(Button):
    """One missing item; chosen, it opens the step and the field that fixes it."""

    def __init__(self, item: Missing) -> None:
        super().__init__(literal(f"⚠ {missing_text(item.code, item.params)}"), classes="missing", compact=True)
        self.step = item.step
        self.path = item.path


class AgreeDialog(ModalScreen[list[str] | None], CommandScreen[list[str] | None]):
    """Who agrees: the person first, then the others present."""

    COMMAND_TABLE = CommandTable(CANCEL)
    BINDINGS = COMMAND_TABLE.bindings()

    def __init__(self, person: str, others: str) -> None:
        super().__init__()
        self.person, self.others = person, others

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("agree.title"), classes="dialog-title")
            yield Check(literal(t("agree.person", name=self.person)), id="person-agrees")
            yield Label(t("agree.others"))
            # Names pasted from a list keep no control or bidi-override characters, as in every field.
            yield TypedInput(self.others, id="others", highlighter=HARMLESS)
            yield Static("", id="agree-error", classes="error")
            yield Button(t("agree.confirm"), id="confirm", variant="success")
            yield Button(t("app.cancel"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.confirm()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

    def confirm(self) -> None:
        if not self.query_one("#person-agrees", Checkbox).value:
            self.query_one("#agree-error", Static).update("⚠ " + t("agree.person_first"))
        else:
            others = [name.strip() for name in self.query_one("#others", Input).value.split(",")]
            self.dismiss([self.person, *(name for name in others if name and name != self.person)])

    def action_cancel(self) -> None:
        self.dismiss(None)


def _plan(screen: ReviewStep) -> Plan:
    return screen.session.plan


# The review's own commands, in the order of its buttons; each is offered (key,
# footer, palette, button) only in the plan states where it applies.
REVIEW_COMMANDS = CommandTable(
    Command(
        "agree",
        "app.cmd.agree",
        "app.cmd.agree_help",
        key="ctrl+g",
        footer="app.key.agree",
        available=lambda screen: _plan(screen).editable,  # an agreed version is agreed already
        button="review.agree_button",
        variant="success",
        params=lambda screen: {"version": _plan(screen).version + 1},
    ),
    Command(
        "discard_followup",
        "review.discard_followup",
        "app.cmd.discard_followup_help",
        available=lambda screen: _plan(screen).status == PlanStatus.FOLLOW_UP,
        button="review.discard_followup",
    ),
    Command(
        "start_followup",
        "review.start_followup",
        "app.cmd.start_followup_help",
        available=lambda screen: _plan(screen).status == PlanStatus.AGREED,
        button="review.start_followup",
        variant="primary",
    ),
    Command(
        "close_plan",
        "review.close_plan",
        "app.cmd.close_plan_help",
        available=lambda screen: _plan(screen).status == PlanStatus.AGREED,
        button="review.close_plan",
    ),
    Command(
        "versions",
        "review.versions",
        "app.cmd.versions_help",
        available=lambda screen: _plan(screen).version >= 1,
        button="review.versions",
    ),
    # priority: the change-reason text area would otherwise take ctrl+e (end of line)
    Command(
        "export",
        "app.cmd.export",
        "app.cmd.export_help",
        key="ctrl+e",
        footer="app.key.export",
        priority=True,
        button="review.export_button",
    ),
    Command("export_pdf", "app.cmd.export_pdf", "app.cmd.export_pdf_help", key="f9", footer="app.key.export_pdf", id="export_pdf"),
    Command("export_folder", "app.cmd.export_folder", "app.cmd.export_folder_help"),
)


class ReviewStep(StepScreen):
    _missing_shown: list[tuple[str, dict[str, str]]] = []  # what the missing list shows now
    STEP_ID = "review"
    COMMAND_TABLE = STEP_COMMANDS + REVIEW_COMMANDS
    BINDINGS = REVIEW_COMMANDS.bindings()

    def compose_step(self) -> ComposeResult:
        plan = self.session.plan
        with Vertical(id="review-side"):
            if plan.editable:
                with Vertical(id="missing-list"):
                    yield from self.missing_items()
                if plan.version >= 1:
                    yield self.area("change_reason", height=2)
            yield from self.command_buttons()
        with Vertical(id="plan-view"):
            for title, body in plan_sections(plan):
                yield Label(title, classes="review-title")
                yield Static(literal_text(body), classes="review-body")

    def missing_items(self) -> ComposeResult:
        missing = self.session.missing()
        self._missing_shown = [(m.code, m.params) for m in missing]
        if not missing:
            yield Label(t("review.complete"), classes="section-title ok")
            return
        yield Label(t("review.missing_title", count=len(missing)), classes="section-title warning")
        for item in missing:
            yield FixButton(item)

    def after_edit(self, path: str) -> None:
        """The change reason is typed here: the list of what is missing follows it
        (rebuilt only when it changes, not on every key)."""
        if [(m.code, m.params) for m in self.session.missing()] == self._missing_shown:
            return
        missing_list = self.query_one("#missing-list", Vertical)
        missing_list.remove_children()
        missing_list.mount_all(self.missing_items())

    def command_buttons(self) -> ComposeResult:
        """A button for each of the review's commands this plan's state offers."""
        for command in self.offered():
            if command.button:
                yield Button(command.button_label(self), id=command.ident, variant=command.variant, classes="command")  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW, "-narrow")
        self.app.prepare_export()  # in the background: the room reads the plan before anyone exports

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    @on(Button.Pressed, "FixButton")
    def _fix(self, event: Button.Pressed) -> None:
        event.stop()
        assert isinstance(event.button, FixButton)
        self.app.goto_step(event.button.step, focus=event.button.path or None)

    @on(Button.Pressed, ".command")
    def _command_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        command = next(c for c in self.COMMAND_TABLE if c.ident == event.button.id)
        command.run(self)

    def action_agree(self) -> None:
        plan = self.session.plan
        if not plan.editable:
            self.notify(t("lifecycle.not_editable"), severity="warning")
            return
        missing = self.session.missing()
        if missing:
            self.notify(
                t("lifecycle.incomplete") + "\n" + "\n".join(missing_text(m.code, m.params) for m in missing),
                severity="error",
                markup=False,
                timeout=8,
            )
            return
        others = ", ".join(p.name for p in plan.others if p.attended and p.name and not p.relative)
        person = plan.person.name.strip()
        self.app.push_screen(AgreeDialog(person, others), self._agreed)

    def _agreed(self, names: list[str] | None) -> None:
        if names:
            self.app.agree(names)

    def action_export(self) -> None:
        self.app.export_plan()

    def action_export_pdf(self) -> None:
        self.app.export_pdf()

    def action_discard_followup(self) -> None:
        self.app.discard_followup()

    def action_start_followup(self) -> None:
        self.app.start_followup()

    def action_close_plan(self) -> None:
        self.app.close_plan()

    def action_versions(self) -> None:
        self.app.show_versions()

    def action_export_folder(self) -> None:
        self.app.show_export_folder()
