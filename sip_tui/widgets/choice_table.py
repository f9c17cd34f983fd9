"""A table of choices between two sides, one row each: what differs, the two
values, and which of them applies. Used to choose between the stored plan and
an import field by field."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.coordinate import Coordinate

from ..i18n import t
from .columns import FittedTable, fit_widths
from .literal import literal_text


class ChoiceTable(FittedTable):
    """Rows of (what, left value, right value); each row's choice is ``taken[i]``:
    False for the left side (what is stored), True for the right (the file).
    Values wrap in their columns rather than running off the screen."""

    COLUMNS = ("what", "stored", "file", "applies")
    FLEX = (0, 1, 2)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.taken: list[bool] = []

    def set_rows(self, rows: Sequence[tuple[str, str, str]]) -> None:
        self.rows_text = list(rows)
        self.taken = [False] * len(self.rows_text)
        self.refit()

    def choose(self, row: int, taken: bool) -> None:
        self.taken[row] = taken
        self.update_cell_at(Coordinate(row, len(self.COLUMNS) - 1), self._side(taken))

    def choose_all(self, taken: bool) -> None:
        for row in range(len(self.taken)):
            self.choose(row, taken)

    @staticmethod
    def _side(taken: bool) -> Text:
        return Text(t("import.choose.file"), style="bold") if taken else Text(t("import.choose.stored"))

    def fill(self, width: int) -> None:
        cursor = self.cursor_row
        headers = [t(f"import.choose.col.{name}") for name in self.COLUMNS]
        sides = (t("import.choose.stored"), t("import.choose.file"))
        cells = [(*row, max(sides, key=len)) for row in self.rows_text]
        widths = fit_widths(headers, cells, self.FLEX, width)
        self.clear(columns=True)
        for index, header in enumerate(headers):  # fixed widths: no wait for DataTable to measure
            self.add_column(Text(header), width=widths[index])
        for row, taken in zip(self.rows_text, self.taken, strict=True):
            self.add_row(*(literal_text(cell, multiline=False) for cell in row), self._side(taken), height=None)
        if self.row_count:
            self.move_cursor(row=min(cursor, self.row_count - 1))
