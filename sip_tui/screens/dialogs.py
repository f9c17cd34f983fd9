"""Small modal dialogs: confirm, help, and a form for one list item."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Markdown, Static

from ..i18n import t
from ..widgets.literal import literal
from .bound import BoundForm
from .commands import CANCEL, Command, CommandScreen, CommandTable

_EDITORS = "Input, TextArea, Checkbox, Select, SelectionList"


def disable_editors(screen: Screen) -> None:
    """Read-only view of an agreed version: the fields stay readable, not editable."""
    for widget in screen.query(_EDITORS):
        widget.disabled = True


class ConfirmScreen(ModalScreen[bool], CommandScreen[bool]):
    COMMAND_TABLE = CommandTable(CANCEL)
    BINDINGS = COMMAND_TABLE.bindings()

    def __init__(self, question: str, yes: str, no: str, default_no: bool = False) -> None:
        """``default_no``: the cursor starts on ``no`` (a question whose yes loses work)."""
        super().__init__()
        self.question, self.yes, self.no = question, yes, no
        self.default_no = default_no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question, multiline=True), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="primary")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        if self.default_no:
            self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class HelpScreen(ModalScreen[None], CommandScreen[None]):
    COMMAND_TABLE = CommandTable(Command("close", "app.key.close", "app.cmd.close_help", key="escape,f1", palette=False))
    BINDINGS = COMMAND_TABLE.bindings()

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Markdown(self.markdown)
            yield Button(t("app.close"), id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class ItemFormScreen(BoundForm, ModalScreen[bool], CommandScreen[bool]):
    """Edit one list item (a participant, an insats, a recipient) in place:
    every change autosaves like any other field. Dismissed with True to keep the row."""

    COMMAND_TABLE = CommandTable(Command("close", "app.key.done", "app.cmd.done_help", key="escape", palette=False))
    BINDINGS = COMMAND_TABLE.bindings()
    new = False

    def __init__(self, title: str, build: Callable[[BoundForm], ComposeResult]) -> None:
        super().__init__()
        self.title_text = title
        self.build = build

    def compose(self) -> ComposeResult:
        # The scroll area takes no focus itself: the cursor starts in the first field.
        with VerticalScroll(classes="dialog item-form", can_focus=False):
            yield Label(self.title_text, classes="dialog-title")
            yield from self.build(self)
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("app.add_row") if self.new else t("app.done"), id="done", variant="primary")
                if self.new:
                    yield Button(t("app.cancel"), id="cancel-row")

    def on_mount(self) -> None:
        for widget in self.query(_EDITORS):  # a locked plan's row is read only; a deviation never is
            widget.disabled = widget.disabled or not self.session.can_edit(widget.name or "")
        # Typing right after Ctrl+N goes into the first field (a read-only row: the Done button).
        first = next((w for w in self.query(_EDITORS) if w.focusable), None)
        (first or self.query_one("#done", Button)).focus(scroll_visible=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "done":
            self.dismiss(True)
        elif event.button.id == "cancel-row":
            self.cancel_row()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a one-line field is done with the row, as in any dialog."""
        event.stop()
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(True)

    def cancel_row(self) -> None:
        self.dismiss(False)


class NewRowScreen(ItemFormScreen):
    """A row being added: Esc or Avbryt cancels it (dismissed with False), after a
    question when something was typed into it (``typed``)."""

    COMMAND_TABLE = CommandTable(Command("close", "app.key.cancel", "app.cmd.cancel_row_help", key="escape", palette=False))
    BINDINGS = COMMAND_TABLE.bindings()
    new = True

    def __init__(self, title: str, build: Callable[[BoundForm], ComposeResult], typed: Callable[[], bool]) -> None:
        super().__init__(title, build)
        self.typed = typed

    def action_close(self) -> None:
        self.cancel_row()

    def cancel_row(self) -> None:
        if not self.typed():
            self.dismiss(False)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        question = ConfirmScreen(t("app.confirm_discard_row"), t("app.discard_row"), t("app.keep_row"))
        self.app.push_screen(question, answered)
