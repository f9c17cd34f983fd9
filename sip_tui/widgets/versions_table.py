"""The table of a plan's versions: who agreed each one and why it changed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from ..i18n import t
from .columns import FittedTable, fit_widths
from .literal import literal_text


class VersionsTable(FittedTable):
    """Who agreed each version and why it changed: the reason wraps in its
    column rather than running off the screen."""

    COLUMNS = ("version", "agreed", "by", "reason")
    FLEX = (2, 3)  # "by" and "reason" share what the version and date leave,
    WEIGHTS = (1, 2)  # the reason twice as much

    def __init__(self) -> None:
        super().__init__(id="versions-table")

    def set_rows(self, rows: Sequence[tuple[str, ...]]) -> None:
        self.rows_text = list(rows)
        self.refit()

    def fill(self, width: int) -> None:
        cursor = self.cursor_row
        headers = [t(f"versions.col.{name}") for name in self.COLUMNS]
        widths = fit_widths(headers, self.rows_text, self.FLEX, width, self.WEIGHTS)
        # Refitting is no new choice of version: the compare choices stay as they are.
        with self.prevent(DataTable.RowHighlighted):
            self.clear(columns=True)
            for index, header in enumerate(headers):  # fixed widths: no wait for DataTable to measure
                self.add_column(Text(header), width=widths[index])
            for cells in self.rows_text:
                self.add_row(*(literal_text(cell, multiline=False) for cell in cells), key=cells[0], height=None)
            if self.row_count:
                self.move_cursor(row=min(cursor, self.row_count - 1))
