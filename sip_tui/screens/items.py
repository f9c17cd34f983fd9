"""A table of list items (participants, insatser, recipients) edited in a form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.message import Message
from textual.widgets import Button, DataTable, Label

from ..describe import shorten as short  # the steps shorten their cells with it
from ..i18n import has, label, t
from ..widgets.columns import PAD, fit_widths
from ..widgets.literal import literal_text
from .bound import BoundForm
from .commands import Command, CommandTable, HasCommands

if TYPE_CHECKING:
    from textual import getters

    from ..app import SipApp

# Below this table width rows name the responsible body with its short label.
NARROW_TABLE = 100


def short_label(member: Enum | None) -> str:
    """A short display label (``FK`` for Försäkringskassan) where one exists."""
    if member is None:
        return "–"
    key = f"enum.{type(member).__name__}.{member.value}.short"
    return t(key) if has(key) else label(member)


ItemT = TypeVar("ItemT", bound=BaseModel)


@dataclass(frozen=True)
class ItemSpec(Generic[ItemT]):
    section: str  # the Plan list attribute
    new: Callable[[], ItemT]
    columns: tuple[str, ...]  # catalogue keys
    # The row's cells; the second argument labels a Body (short on a narrow table).
    row: Callable[[ItemT, Callable[[Enum], str]], tuple[str, ...]]
    form: Callable[[BoundForm, ItemT], ComposeResult]
    # The row's main text, named when asking before it is removed (default: the first cell).
    title: Callable[[ItemT], str] | None = None
    # Columns (indices) that are shortened with … so the table fits its width.
    flex: tuple[int, ...] = ()

    def title_of(self, item: ItemT) -> str:
        if self.title is not None:
            return self.title(item)
        return self.row(item, label)[0] if self.columns else ""


def _can_remove(table: ItemsTable) -> bool:
    """No "Delete: remove" in the footer of a locked (agreed) version or an empty table."""
    session = table.app.session
    return session is not None and not session.read_only and table.row_count > 0


class ItemsTable(HasCommands, DataTable):
    if TYPE_CHECKING:
        app = getters.app(SipApp)

    COMMAND_TABLE = CommandTable(
        Command("remove", "app.key.remove", "app.cmd.remove_help", key="delete", available=_can_remove, palette=False)
    )
    BINDINGS = COMMAND_TABLE.bindings()

    class RemoveRequested(Message):
        def __init__(self, table: ItemsTable, item_id: str) -> None:
            super().__init__()
            self.table, self.item_id = table, item_id

    def __init__(self, spec: ItemSpec[Any]) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=f"table-{spec.section}")
        self.spec = spec
        self.items: list[Any] = []  # the plan's items of spec.section
        self._fitted_to = 0

    def _available(self) -> int:
        """Cells the columns may use: the table's width, or before the first
        layout the screen's width less the step's padding and scroll bar."""
        width = self.size.width or self.app.size.width - 4
        if len(self.items) + 1 > 13:  # taller than its max-height: its own scroll bar
            width -= 2
        return width

    def fill(self, items: list[Any]) -> None:
        self.items = list(items)
        cursor = self.cursor_row
        width = self._available()
        self._fitted_to = width
        body_label = short_label if width < NARROW_TABLE else label
        rows = [self.spec.row(item, body_label) for item in self.items]
        label_width = cell_len(str(len(rows))) + 2 * PAD if rows else 0
        headers = [t(key) for key in self.spec.columns]
        widths = fit_widths(headers, rows, self.spec.flex, width - label_width)
        # The columns too, at their fitted widths: DataTable would keep a column as
        # wide as its widest cell ever was, and measures new cells only when idle.
        self.clear(columns=True)
        for header, column_width in zip(headers, widths, strict=True):
            self.add_column(Text(header), width=column_width)
        for number, (item, cells) in enumerate(zip(self.items, rows, strict=True), start=1):
            # Text, not markup: a name like "Anna [/x]" is shown as typed.
            fitted = [
                literal_text(short(cell, widths[i]) if i in self.spec.flex else cell, multiline=False)
                for i, cell in enumerate(cells)
            ]
            self.add_row(*fitted, key=item.id, label=str(number))
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1), scroll=False)
        self.refresh_bindings()  # "Delete: ta bort" only while there is a row to remove

    def on_resize(self, event: Resize) -> None:
        if self._available() != self._fitted_to:
            self.fill(self.items)

    def action_remove(self) -> None:
        if self.row_count:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
            if row_key.value is not None:  # every row is added with its item's id as key
                self.post_message(self.RemoveRequested(self, row_key.value))


class ItemsSection(Vertical):
    """Title, table and an add button for one list of the plan."""

    def __init__(self, spec: ItemSpec[Any], title: str, add_label: str, read_only: bool) -> None:
        super().__init__(classes="items-section")
        self.spec, self.title, self.add_label, self.read_only = spec, title, add_label, read_only

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="section-title")
        yield ItemsTable(self.spec)
        if not self.read_only:
            with Horizontal(classes="row-buttons"):
                yield Button(self.add_label, id=f"add-{self.spec.section}", classes="add-item")
                yield Label(t("app.items_hint"), classes="hint")
