"""The frame every meeting step shares: who, where in the meeting, save status, keys.

In meeting mode only the open plan is on screen: no other names, no lists.
"""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Label, Static

from ..i18n import label, t
from ..widgets.stepper import StepLink, Stepper, step_heading
from .bound import BoundForm
from .commands import PaletteCommand, ScreenCommands
from .dialogs import ConfirmScreen, HelpScreen, ItemFormScreen, disable_editors
from .items import ItemsTable

STEP_IDS = ["person", "consent", "goals", "needs", "insatser", "responsibility", "review"]


class StepScreen(BoundForm, Screen[None]):
    CSS_PATH = "meeting.tcss"
    STEP_ID = ""
    COMMANDS = {ScreenCommands}
    BINDINGS = [
        Binding("ctrl+s", "save", t("app.key.save"), id="save"),
        Binding("pagedown", "next_step", t("app.key.next"), id="next-step", priority=True),
        Binding("pageup", "previous_step", t("app.key.previous"), id="previous-step", priority=True),
        Binding("f1", "help", t("app.key.help"), id="help"),
        Binding("ctrl+n", "add", t("app.key.add"), id="add"),
        Binding("escape", "leave", t("app.key.leave"), id="leave"),
        *[
            Binding(
                f"f{number + 1}", f"goto('{step_id}')", t(f"step.{step_id}.short"), show=False, id=f"goto-{step_id}"
            )
            for number, step_id in enumerate(STEP_IDS, start=1)
        ],
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="meeting-bar"):
            yield Label(self._who(), id="who")
            yield Label(step_heading(STEP_IDS, self.STEP_ID), id="step-heading")
            yield Label(self.app.save_status, id="save-status")
        yield Stepper(STEP_IDS, self.STEP_ID)
        if self.session.read_only:
            yield Static(
                t("app.read_only", status=label(self.session.plan.status), version=self.session.plan.version),
                id="read-only",
            )
        with VerticalScroll(id="step-body", can_focus=False):
            yield from self.compose_step()
        yield Footer()

    def compose_step(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.watch(self.app, "save_status", self._show_save_status)
        if self.session.read_only:
            disable_editors(self)
        for table in self.query(ItemsTable):
            table.fill(getattr(self.session.plan, table.spec.section))

    def _who(self) -> str:
        name = self.session.plan.person.name.strip() or t("app.unnamed")
        return f"SIP · {name}"

    def _show_save_status(self, status: str) -> None:
        label_widget = self.query_one("#save-status", Label)
        label_widget.update(status)
        label_widget.set_class(status.startswith("⚠"), "-error")

    def after_edit(self, path: str) -> None:
        if path == "person.name":
            self.query_one("#who", Label).update(self._who())

    # -- list items (participants, insatser, recipients) ----------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("add-item") and event.button.id:
            self.add_item(event.button.id.removeprefix("add-"))

    def _table(self, section: str) -> ItemsTable:
        return self.query_one(f"#table-{section}", ItemsTable)

    def add_item(self, section: str) -> None:
        if self.session.read_only:
            return
        item = self.session.add(section, self._table(section).spec.new())
        self.app.schedule_save()
        self._table(section).fill(getattr(self.session.plan, section))
        self.edit_item(section, item.id)

    def edit_item(self, section: str, item_id: str) -> None:
        spec = self._table(section).spec
        item = next(i for i in getattr(self.session.plan, section) if i.id == item_id)
        title = t(f"section.{section}.item")
        self.app.push_screen(
            ItemFormScreen(title, lambda form: spec.form(form, item)), lambda _: self._refill(section, item_id)
        )

    def _refill(self, section: str, item_id: str | None = None) -> None:
        table = self._table(section)
        table.fill(getattr(self.session.plan, section))
        if item_id and item_id in (key.value for key in table.rows):
            table.move_cursor(row=table.get_row_index(item_id))
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if isinstance(event.data_table, ItemsTable) and event.row_key.value:
            self.edit_item(event.data_table.spec.section, event.row_key.value)

    def on_items_table_remove_requested(self, message: ItemsTable.RemoveRequested) -> None:
        if self.session.read_only:
            return
        section = message.table.spec.section

        def remove(confirmed: bool | None) -> None:
            if confirmed:
                self.session.remove(section, message.item_id)
                self.app.schedule_save()
                self._refill(section)

        self.app.push_screen(ConfirmScreen(t("app.confirm_remove"), t("app.remove"), t("app.keep")), remove)

    def action_add(self) -> None:
        """Ctrl+N: add to the step's first list."""
        tables = list(self.query(ItemsTable))
        if tables:
            self.add_item(tables[0].spec.section)

    # -- actions -------------------------------------------------------------

    def action_save(self) -> None:
        self.app.save_now()

    def action_next_step(self) -> None:
        self._step_by(1)

    def action_previous_step(self) -> None:
        self._step_by(-1)

    def _step_by(self, delta: int) -> None:
        index = STEP_IDS.index(self.STEP_ID) + delta
        if 0 <= index < len(STEP_IDS):
            self.app.goto_step(STEP_IDS[index])

    def action_goto(self, step_id: str) -> None:
        self.app.goto_step(step_id)

    def on_step_link_chosen(self, message: StepLink.Chosen) -> None:
        self.app.goto_step(message.step_id)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(t(f"help.{self.STEP_ID}") + "\n\n" + t("help.keys")))

    def action_leave(self) -> None:
        self.app.leave_meeting()

    def palette_commands(self) -> list[PaletteCommand]:
        steps = [
            (
                t("app.cmd.goto", number=n, title=t(f"step.{s}.title")),
                t("app.cmd.goto_help"),
                partial(self.app.goto_step, s),
            )
            for n, s in enumerate(STEP_IDS, start=1)
        ]
        return [
            *steps,
            (t("app.cmd.save"), t("app.cmd.save_help"), self.action_save),
            (t("app.cmd.help"), t("app.cmd.help_help"), self.action_help),
            (t("app.cmd.leave"), t("app.cmd.leave_help"), self.action_leave),
            *self.extra_commands(),
        ]

    def extra_commands(self) -> list[PaletteCommand]:
        return []
