"""Importing a plan in the app: a recovery file or another laptop's export.

The dialog reads the file the facilitator names (or a recovery file from the
store's list). A file based on an older save than the stored plan is never
written over it: the choice screen sets the two side by side, field by field,
and saves only what the facilitator takes from the file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..describe import change_sides, error_text, value_text
from ..files import kept_name
from ..i18n import field_error, t
from ..models.interchange import field_errors
from ..offer_service import ImportRefused
from ..service import ImportChoices, ImportConflict, ImportOutcome, StaleRevision, StoreError
from ..widgets.choice_table import ChoiceTable
from .commands import CANCEL, Command, CommandScreen, CommandTable
from .dialogs import FileImportScreen

if TYPE_CHECKING:
    from textual import getters

    from ..app import SipApp

# The recovery files the dialog offers: the newest, the ones a facilitator looks for.
RECOVERY_SHOWN = 8


def outcome_message(outcome: ImportOutcome) -> str:
    if outcome.is_new:
        message = t("import.added")
    else:
        message = t("import.unchanged") if outcome.unchanged else t("import.updated")
    if outcome.kept:
        message += " " + t("import.kept", path=kept_name(outcome.kept))
    return message


class ImportPlanScreen(FileImportScreen["ImportChoices | str | None"]):
    """Reads a plan file: dismissed with what to tell the facilitator once it is
    imported, or with the choices to make when it is based on an older save."""

    if TYPE_CHECKING:
        app = getters.app(SipApp)
    DEFAULT_CSS = "ImportPlanScreen #import-recovery { height: auto; max-height: 8; }"
    IDS = "import"
    TITLE_KEY, HINT_KEY, PLACEHOLDER_KEY = "import.title", "import.hint", "import.placeholder"
    _recovery: list[Path] = []

    def compose_choices(self) -> ComposeResult:
        self._recovery = self.app.service.recovery_files()[:RECOVERY_SHOWN]
        if self._recovery:
            yield Label(t("import.recovery_heading"))
            yield OptionList(*(Option(_recovery_label(path)) for path in self._recovery), id="import-recovery")

    @on(OptionList.OptionSelected, "#import-recovery")
    def import_recovery(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.start(str(self._recovery[event.option_index]))  # the full path stays off the screen

    def read(self, typed: str) -> ImportChoices | str:
        service = self.app.service
        document = service.read_import(typed)
        try:
            return outcome_message(service.import_document(document))
        except ImportConflict as conflict:  # based on an older save: the facilitator chooses
            choices = service.import_choices(document)
            if choices is None:
                raise ImportRefused([error_text(conflict), t("import.not_choosable")]) from None
            return choices


def _recovery_label(path: Path) -> str:
    """When the file was kept and the plan's short id: no name (the list is on the
    shared screen, and names more than one plan)."""
    try:
        when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        when = "–"
    plan = path.stem.split("-")[0][:6]
    key = "import.recovery_replaced" if "-replaced" in path.stem else "import.recovery_item"
    return t(key, when=when, plan=plan)


IMPORT_CHOICE_COMMANDS = CommandTable(
    Command("switch_row", "import.cmd.toggle", "import.cmd.toggle_help", key="space", footer="import.key.toggle"),
    Command("all(True)", "import.cmd.all_file", "import.cmd.all_file_help", key="f", footer="import.key.all_file", id="all-file"),
    Command("all(False)", "import.cmd.all_stored", "import.cmd.all_stored_help", key="s", footer="import.key.all_stored", id="all-stored"),
    Command(
        "save",
        "import.cmd.save",
        "import.cmd.save_help",
        key="ctrl+s",
        footer="import.key.save",
        priority=True,
    ),
    CANCEL,
)


class ImportChoiceScreen(CommandScreen[str | None]):
    """The stored plan and an import side by side, one row per field that differs;
    the facilitator picks the side that applies on each row. Dismissed with what to
    tell them once saved, or None when they leave it (nothing changes)."""

    if TYPE_CHECKING:
        app = getters.app(SipApp)
    COMMAND_TABLE = IMPORT_CHOICE_COMMANDS
    BINDINGS = COMMAND_TABLE.bindings()
    DEFAULT_CSS = """
    ImportChoiceScreen { padding: 0 1; }
    ImportChoiceScreen #import-choices { height: 1fr; }
    ImportChoiceScreen #import-choice-intro { margin-bottom: 1; }
    ImportChoiceScreen #import-choice-status { height: auto; max-height: 6; }
    ImportChoiceScreen #import-choice-status.-error { color: $error; }
    ImportChoiceScreen .dialog-buttons { height: auto; }
    """

    def __init__(self, choices: ImportChoices) -> None:
        super().__init__()
        self.choices = choices
        plans = (choices.stored, choices.document.plan)
        self._rows = [change_sides(change, plans) for change in choices.changes]

    def compose(self) -> ComposeResult:
        yield Label(t("import.choose.title"), classes="dialog-title")
        intro = t(
            "import.choose.intro",
            file_saved=value_text(self.choices.document.plan.updated_at),
            stored_saved=value_text(self.choices.stored.updated_at),
        )
        yield Static(intro, id="import-choice-intro", markup=False)
        yield ChoiceTable(id="import-choices")
        yield Static("", id="import-choice-status", markup=False)
        with Horizontal(classes="dialog-buttons"):
            yield Button(t("import.cmd.save"), id="import-choice-save", variant="primary")
            yield Button(t("app.cancel"), id="import-choice-cancel")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(ChoiceTable)
        table.set_rows(self._rows)
        table.focus()
        self._show_counts()

    @property
    def _table(self) -> ChoiceTable:
        return self.query_one(ChoiceTable)

    @on(DataTable.RowSelected, "#import-choices")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_switch_row()

    def action_switch_row(self) -> None:
        table = self._table
        if table.row_count:
            row = table.cursor_row
            table.choose(row, not table.taken[row])
            self._show_counts()

    def action_all(self, taken: bool) -> None:
        self._table.choose_all(taken)
        self._show_counts()

    def _show_counts(self, error: str = "") -> None:
        status = self.query_one("#import-choice-status", Static)
        status.set_class(bool(error), "-error")
        taken = sum(self._table.taken)
        status.update(error or t("import.choose.counts", count=len(self._rows), taken=taken))

    @on(Button.Pressed, "#import-choice-save")
    def action_save(self) -> None:
        button = self.query_one("#import-choice-save", Button)
        if button.disabled:
            return  # already saving
        button.disabled = True
        self.query_one("#import-choice-status", Static).update(t("import.choose.saving"))
        chosen = [change for change, taken in zip(self.choices.changes, self._table.taken, strict=True) if taken]
        self._save(chosen)

    @work(thread=True, exclusive=True, group="import-choice")
    def _save(self, chosen: list) -> None:
        """Off the UI thread: the save may wait for another window's lock."""
        try:
            outcome = self.app.service.import_chosen(self.choices, chosen)
        except StaleRevision:  # saved again while choosing: the choices were made against the older plan
            self.app.call_from_thread(self.dismiss, t("import.choose.stale"))
        except ValidationError as error:  # the choices together break a rule of the plan: choose again
            lines = [t("import.choose.invalid")]
            lines += [field_error(e.code, e.detail, **e.context) for e in field_errors(error)]
            self.app.call_from_thread(self._failed, "\n".join(lines))
        except StoreError as error:
            self.app.call_from_thread(self._failed, error_text(error))
        else:
            if outcome.kept is None:
                message = t("import.choose.nothing")
            else:
                message = t("import.choose.saved", count=len(chosen), path=kept_name(outcome.kept))
            self.app.call_from_thread(self.dismiss, message)

    def _failed(self, message: str) -> None:
        self.query_one("#import-choice-save", Button).disabled = False
        self._show_counts(error=message)

    @on(Button.Pressed, "#import-choice-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
