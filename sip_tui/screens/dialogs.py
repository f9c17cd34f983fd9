"""Small modal dialogs: confirm, help, and a form for one list item."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Markdown, Static

from ..describe import error_text
from ..i18n import t
from ..offer_service import ImportRefused
from ..service import StoreError
from ..widgets.fields import HARMLESS, TypedInput
from ..widgets.literal import literal
from .bound import BoundForm
from .commands import CANCEL, Command, CommandScreen, CommandTable, ResultType

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


class FileImportScreen(ModalScreen[ResultType], CommandScreen[ResultType]):
    """Reads a file whose path the facilitator types or pastes (a catalogue, a plan).

    A subclass names its texts (catalogue keys) and its widgets' id prefix, and
    ``read(typed)``, which runs off the UI thread (a large file takes a moment) and
    returns the dialog's result; ``ImportRefused`` or a store error keeps the dialog
    open with the reasons, the typed path still there to correct."""

    COMMAND_TABLE = CommandTable(CANCEL)
    BINDINGS = COMMAND_TABLE.bindings()
    DEFAULT_CSS = """
    FileImportScreen .import-errors { height: auto; max-height: 10; }
    FileImportScreen .import-message { color: $error; }
    FileImportScreen .import-message.-busy { color: $text-muted; }
    """
    IDS = "file-import"  # ids: <IDS>-path, -run, -cancel, -errors, -message
    TITLE_KEY = HINT_KEY = PLACEHOLDER_KEY = ""

    def read(self, typed: str) -> ResultType:
        raise NotImplementedError

    def compose_choices(self) -> ComposeResult:
        """What the dialog offers besides typing a path (nothing by default)."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t(self.TITLE_KEY), classes="dialog-title")
            yield Static(t(self.HINT_KEY), classes="hint")
            yield Label(t("offers.import.path"))
            yield TypedInput(id=f"{self.IDS}-path", placeholder=t(self.PLACEHOLDER_KEY), compact=True, highlighter=HARMLESS)
            yield from self.compose_choices()
            with VerticalScroll(id=f"{self.IDS}-errors", classes="import-errors"):
                yield Static("", id=f"{self.IDS}-message", classes="import-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("offers.import.run"), id=f"{self.IDS}-run", variant="primary")
                yield Button(t("app.cancel"), id=f"{self.IDS}-cancel")

    def on_mount(self) -> None:
        self.query_one(f"#{self.IDS}-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == f"{self.IDS}-run":
            self.start(self.query_one(f"#{self.IDS}-path", Input).value)
        elif event.button.id == f"{self.IDS}-cancel":
            self.action_cancel()

    def start(self, typed: str) -> None:
        run = self.query_one(f"#{self.IDS}-run", Button)
        if run.disabled:
            return  # already reading
        run.disabled = True
        self._say(t("offers.import.reading"), busy=True)
        self._read(typed)

    @work(thread=True, exclusive=True, group="file-import")
    def _read(self, typed: str) -> None:
        try:
            result = self.read(typed)
        except ImportRefused as refused:
            self.app.call_from_thread(self._refused, refused.lines)
        except StoreError as error:
            self.app.call_from_thread(self._refused, [error_text(error)])
        else:
            self.app.call_from_thread(self.dismiss, result)

    def _refused(self, lines: list[str]) -> None:
        self.query_one(f"#{self.IDS}-run", Button).disabled = False
        self._say("\n".join(lines), busy=False)
        self.query_one(f"#{self.IDS}-errors", VerticalScroll).scroll_home(animate=False)

    def _say(self, text: str, busy: bool) -> None:
        message = self.query_one(f"#{self.IDS}-message", Static)
        message.set_class(busy, "-busy")
        message.update(literal(text, multiline=True))  # a name or key from the file is shown as it is

    def action_cancel(self) -> None:
        self.dismiss(None)

