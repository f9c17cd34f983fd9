"""A table of list items (participants, insatser, recipients) edited in a form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Label

from ..i18n import t
from .bound import BoundForm


@dataclass(frozen=True)
class ItemSpec:
    section: str  # the Plan list attribute
    new: Callable[[], BaseModel]
    columns: tuple[str, ...]  # catalogue keys
    row: Callable[[BaseModel], tuple[str, ...]]
    form: Callable[[BoundForm, BaseModel], ComposeResult]


class ItemsTable(DataTable):
    BINDINGS = [Binding("delete", "remove", t("app.key.remove"), id="remove")]

    class RemoveRequested(Message):
        def __init__(self, table: ItemsTable, item_id: str) -> None:
            super().__init__()
            self.table, self.item_id = table, item_id

    def __init__(self, spec: ItemSpec) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=f"table-{spec.section}")
        self.spec = spec

    def on_mount(self) -> None:
        self.add_columns(*(t(key) for key in self.spec.columns))

    def fill(self, items: list[BaseModel]) -> None:
        self.clear()
        for number, item in enumerate(items, start=1):
            self.add_row(*self.spec.row(item), key=item.id, label=str(number))

    def action_remove(self) -> None:
        if self.row_count:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
            self.post_message(self.RemoveRequested(self, row_key.value))


class ItemsSection(Vertical):
    """Title, table and an add button for one list of the plan."""

    def __init__(self, spec: ItemSpec, title: str, add_label: str, read_only: bool) -> None:
        super().__init__(classes="items-section")
        self.spec, self.title, self.add_label, self.read_only = spec, title, add_label, read_only

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="section-title")
        yield ItemsTable(self.spec)
        if not self.read_only:
            with Horizontal(classes="row-buttons"):
                yield Button(self.add_label, id=f"add-{self.spec.section}", classes="add-item")
                yield Label(t("app.items_hint"), classes="hint")
