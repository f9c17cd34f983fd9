"""The frame every meeting step shares: who, where in the meeting, save status, keys.

In meeting mode only the open plan is on screen: no other names, no lists.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Label, Static

from ..i18n import label, t
from ..widgets.literal import plain
from ..widgets.stepper import StepLink, Stepper, fit_header, status_room
from .bound import BoundForm
from .commands import REPORT_DEVIATION, Command, CommandScreen, CommandTable, keys_help
from .dialogs import ConfirmScreen, HelpScreen, ItemFormScreen, NewRowScreen, disable_editors
from .items import ItemsSection, ItemsTable, short

STEP_IDS = ["person", "consent", "goals", "needs", "insatser", "responsibility", "review"]


def _goto_params(number: int, step_id: str, screen: object) -> dict[str, object]:
    return {"number": number, "title": t(f"step.{step_id}.title")}


def _can_add(screen: StepScreen) -> bool:
    """Ctrl+N only where there is a list to add to, and never on a locked version."""
    return not screen.session.read_only and screen.has_list()


STEP_COMMANDS = CommandTable(
    Command("save", "app.cmd.save", "app.cmd.save_help", key="ctrl+s", footer="app.key.save"),
    Command("next_step", "app.key.next", "app.cmd.next_help", key="pagedown", priority=True, palette=False),
    Command("previous_step", "app.key.previous", "app.cmd.previous_help", key="pageup", priority=True, palette=False),
    Command("help", "app.cmd.help", "app.cmd.help_help", key="f1", footer="app.key.help"),
    Command("add", "app.key.add", "app.cmd.add_help", key="ctrl+n", available=_can_add, palette=False),
    replace(REPORT_DEVIATION, show=False),  # at 80 columns the footer has no room: the palette and F1 name it
    Command("leave", "app.cmd.leave", "app.cmd.leave_help", key="escape", footer="app.key.leave"),
    # priority: a multi-line box would otherwise take F6/F7 (select line / select all)
    *[
        Command(
            f"goto('{step_id}')",
            "app.cmd.goto",
            "app.cmd.goto_help",
            key=f"f{number + 1}",
            footer=f"step.{step_id}.short",
            show=False,
            priority=True,
            params=partial(_goto_params, number, step_id),
            id=f"goto-{step_id}",
        )
        for number, step_id in enumerate(STEP_IDS, start=1)
    ],
)


class StepScreen(BoundForm, CommandScreen[None]):
    CSS_PATH = "meeting.tcss"
    STEP_ID = ""
    COMMAND_TABLE = STEP_COMMANDS
    BINDINGS = STEP_COMMANDS.bindings()

    def compose(self) -> ComposeResult:
        who, heading = self._header(self.app.size.width)
        with Horizontal(id="meeting-bar"):
            yield Label(who, id="who", markup=False)
            yield Label(heading, id="step-heading", markup=False)
            yield Label(self.app.save_status, id="save-status", markup=False)
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
        self.call_after_refresh(self._show_focused)

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None:
        # Before the first layout Textual would centre the first field, scrolling
        # the step's introduction (e.g. the follow-up hint) out of view;
        # ``_show_focused`` scrolls only as far as needed once the step is laid out.
        super().set_focus(widget, scroll_visible and self.is_mounted, from_app_focus)

    def _show_focused(self) -> None:
        if self.focused is not None:
            self.focused.scroll_visible(animate=False, immediate=True)

    def _header(self, width: int) -> tuple[str, str]:
        name = plain(self.session.plan.person.name.strip()) or t("app.unnamed")
        # The heading is fitted beside the room the status keeps, not its current text.
        room = " " * status_room(self.app.save_status)
        return fit_header(width, name, room, STEP_IDS, self.STEP_ID)

    def _fit_header(self) -> None:
        """Relabel the bar; only a heading of another length lays the screen out again
        (a full layout on every key would slow typing down)."""
        who, heading = self._header(self.size.width or self.app.size.width)
        who_label = self.query_one("#who", Label)
        if str(who_label.render()) != who:
            who_label.update(who, layout=False)  # its width is the bar's rest: no layout
        heading_label = self.query_one("#step-heading", Label)
        if str(heading_label.render()) != heading:
            heading_label.update(heading)

    def on_resize(self, event: Resize) -> None:
        self._fit_header()

    def _show_save_status(self, status: str) -> None:
        """The status changes with every save: in a label of fixed width, repainted
        without a layout; only a longer status (waiting for a window) widens it."""
        label_widget = self.query_one("#save-status", Label)
        room = status_room(status)
        resized = label_widget.styles.width is None or label_widget.styles.width.value != room
        if resized:
            label_widget.styles.width = room
        label_widget.update(status, layout=False)
        label_widget.set_class(status.startswith("⚠"), "-error")
        if resized:
            self._fit_header()

    def after_edit(self, path: str) -> None:
        if path == "person.name":
            self._fit_header()

    # -- list items (participants, insatser, recipients) ----------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("add-item") and event.button.id:
            self.add_item(event.button.id.removeprefix("add-"))

    def _table(self, section: str) -> ItemsTable:
        return self.query_one(f"#table-{section}", ItemsTable)

    def add_item(self, section: str) -> None:
        if not self.session.can_edit(section):
            return
        item = self.session.add(section, self._table(section).spec.new())
        self.app.schedule_save()
        self._table(section).fill(getattr(self.session.plan, section))
        self.edit_item(section, item.id, new=True)

    def edit_item(self, section: str, item_id: str, new: bool = False) -> None:
        spec = self._table(section).spec
        item = next(i for i in getattr(self.session.plan, section) if i.id == item_id)
        title = t(f"section.{section}.item")

        def closed(keep: bool | None) -> None:
            if new and keep is False:  # a new row cancelled: it was never meant to be added
                self.session.remove(section, item_id)
                self.app.schedule_save()
            self._refill(section, item_id)

        blank = spec.new().model_dump(exclude={"id"})

        def typed() -> bool:
            """Anything typed into the new row, valid or kept to be corrected."""
            prefix = f"{section}.{item_id}."
            pending = any(path.startswith(prefix) for path in self.session.plan.pending_input)
            return pending or item.model_dump(exclude={"id"}) != blank

        build = lambda form: spec.form(form, item)  # noqa: E731
        self.app.push_screen(NewRowScreen(title, build, typed) if new else ItemFormScreen(title, build), closed)

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
        spec = message.table.spec
        section = spec.section
        items = getattr(self.session.plan, section)
        number, item = next((n, i) for n, i in enumerate(items, start=1) if i.id == message.item_id)
        title = short(spec.title_of(item), 40)
        # Name the row: the room sees which one goes (markup is off in the dialog).
        question = (
            t("app.confirm_remove_named", name=title) if title else t("app.confirm_remove_numbered", number=number)
        )

        def remove(confirmed: bool | None) -> None:
            if confirmed:
                self.session.remove(section, message.item_id)
                self.app.schedule_save()
                self._refill(section)

        self.app.push_screen(ConfirmScreen(question, t("app.remove"), t("app.keep")), remove)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.app.session is None:  # the meeting has ended: this screen is on its way out
            return False
        return super().check_action(action, parameters)

    def has_list(self) -> bool:
        return bool(self.query(ItemsTable))

    def action_add(self) -> None:
        """Ctrl+N: add to the list the cursor is in (a deviation on the deviations'
        table or button), else the step's first list."""
        sections = list(self.query(ItemsSection))
        if not sections:
            return
        focused = self.focused
        current = next((section for section in sections if focused is not None and section in focused.ancestors), None)
        self.add_item((current or sections[0]).spec.section)

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
        keys = " · ".join([*keys_help((self, self.COMMAND_TABLE), (self.app, self.app.COMMAND_TABLE)), t("help.keys_fields")])
        text = f"{t(f'help.{self.STEP_ID}')}\n\n## {t('help.keys_title')}\n\n{keys}"
        self.app.push_screen(HelpScreen(text))

    def action_leave(self) -> None:
        self.app.leave_meeting()

    def action_report_deviation(self) -> None:
        """Ctrl+R on any step, the plan agreed or not."""
        from .insatser import report_deviation  # the step that lists deviations imports this module

        report_deviation(self.app, self._deviation_reported)

    def _deviation_reported(self) -> None:
        """Show the new deviation where this step lists the plan's deviations."""
        if self.query("#table-deviations"):
            self._refill("deviations")
        elif self.STEP_ID == "review":
            self.app.goto_step("review")  # the plan as the room reads it lists them
