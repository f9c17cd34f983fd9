"""Step 7: the whole plan as the room reads it, what is missing, and agreement."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from ..i18n import t
from ..models.enums import PlanStatus
from ..models.rules import Missing
from ..widgets.fields import HARMLESS, Check
from ..widgets.literal import literal, literal_text
from .commands import PaletteCommand
from .plan_text import plan_sections
from .step import StepScreen

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


class AgreeDialog(ModalScreen[list[str] | None]):
    """Who agrees: the person first, then the others present."""

    BINDINGS = [Binding("escape", "cancel", t("app.key.cancel"), id="cancel")]

    def __init__(self, person: str, others: str) -> None:
        super().__init__()
        self.person, self.others = person, others

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("agree.title"), classes="dialog-title")
            yield Check(literal(t("agree.person", name=self.person)), id="person-agrees")
            yield Label(t("agree.others"))
            yield Input(self.others, id="others", highlighter=HARMLESS)
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


class ReviewStep(StepScreen):
    _missing_shown: list[tuple[str, dict[str, str]]] = []  # what the missing list shows now
    STEP_ID = "review"
    BINDINGS = [
        Binding("ctrl+g", "agree", t("app.key.agree"), id="agree"),
        # priority: the change-reason text area would otherwise take ctrl+e (end of line)
        Binding("ctrl+e", "export", t("app.key.export"), id="export", priority=True),
        Binding("f9", "export_pdf", t("app.key.export_pdf"), id="export_pdf"),
    ]

    def compose_step(self) -> ComposeResult:
        plan = self.session.plan
        with Vertical(id="review-side"):
            if plan.editable:
                with Vertical(id="missing-list"):
                    yield from self.missing_items()
                if plan.version >= 1:
                    yield self.area("change_reason", height=2)
                yield Button(t("review.agree_button", version=plan.version + 1), id="agree", variant="success")
                if plan.status == PlanStatus.FOLLOW_UP:
                    yield Button(t("review.discard_followup"), id="discard-followup")
            else:
                yield from self.compose_agreed_actions()
            yield Button(t("review.export_button"), id="export")
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

    def compose_agreed_actions(self) -> ComposeResult:
        """Actions on an agreed or closed plan: follow-up, versions, closing."""
        plan = self.session.plan
        if plan.status == PlanStatus.AGREED:
            yield Button(t("review.start_followup"), id="start-followup", variant="primary")
            yield Button(t("review.close_plan"), id="close-plan")
        if plan.version >= 1:
            yield Button(t("review.versions"), id="versions")

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

    @on(Button.Pressed, "#agree")
    def _agree_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_agree()

    @on(Button.Pressed, "#export")
    def _export_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed, "#start-followup")
    def _followup_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.start_followup()

    @on(Button.Pressed, "#discard-followup")
    def _discard_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.discard_followup()

    @on(Button.Pressed, "#close-plan")
    def _close_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.close_plan()

    @on(Button.Pressed, "#versions")
    def _versions_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.show_versions()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "agree" and self.app.session is not None:
            return self.session.plan.editable  # an agreed version is agreed already
        return super().check_action(action, parameters)

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

    def extra_commands(self) -> list[PaletteCommand]:
        """The review's own actions for this plan's state, as its buttons offer them."""
        plan = self.session.plan
        commands: list[PaletteCommand] = []
        if plan.editable:
            commands.append((t("app.cmd.agree"), t("app.cmd.agree_help"), self.action_agree))
        if plan.status == PlanStatus.FOLLOW_UP:
            commands.append(
                (t("review.discard_followup"), t("app.cmd.discard_followup_help"), self.app.discard_followup)
            )
        if plan.status == PlanStatus.AGREED:
            commands.append((t("review.start_followup"), t("app.cmd.start_followup_help"), self.app.start_followup))
            commands.append((t("review.close_plan"), t("app.cmd.close_plan_help"), self.app.close_plan))
        if plan.version >= 1:
            commands.append((t("review.versions"), t("app.cmd.versions_help"), self.app.show_versions))
        commands.append((t("app.cmd.export"), t("app.cmd.export_help"), self.action_export))
        commands.append((t("app.cmd.export_pdf"), t("app.cmd.export_pdf_help"), self.action_export_pdf))
        commands.append((t("app.cmd.export_folder"), t("app.cmd.export_folder_help"), self.app.show_export_folder))
        return commands
