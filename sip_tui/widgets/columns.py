"""Fitting a table's columns to its width."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.events import Resize
from textual.widgets import DataTable

# A shortened column keeps at least this many cells (or its heading).
MIN_FLEX = 8
# Cell padding on each side of a DataTable column.
PAD = 1


def fit_widths(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    flex: Sequence[int],
    width: int,
    weights: Sequence[int] = (),
) -> list[int]:
    """Content width of each column so the table fits ``width`` cells.

    Columns not in ``flex`` keep their natural width; the flexible ones share
    what is left in proportion to their ``weights`` (1 each unless given; a
    narrow one keeps its natural width and leaves the rest to the others), but
    never go below their heading or ``MIN_FLEX``."""
    natural = [max([cell_len(h), *(cell_len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    widths = list(natural)
    flexible = [i for i in flex if i < len(headers)]
    weight = {i: (weights[n] if n < len(weights) else 1) for n, i in enumerate(flexible)}
    if not flexible:
        return widths
    fixed = sum(natural[i] for i in range(len(headers)) if i not in flexible)
    budget = width - fixed - 2 * PAD * len(headers)
    remaining = sum(weight.values())
    for i in sorted(flexible, key=lambda i: natural[i] / weight[i]):
        share = budget * weight[i] // remaining if remaining else 0
        floor = min(natural[i], max(cell_len(headers[i]), MIN_FLEX))
        widths[i] = max(floor, min(natural[i], share))
        budget -= widths[i]
        remaining -= weight[i]
    return widths


class FittedTable(DataTable):
    """A table whose columns fit its width (``fit_widths``), fitted again when the
    width changes. A subclass draws ``rows_text`` in ``fill(width)``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.rows_text: list[tuple[str, ...]] = []
        self._fitted_to = 0

    def fill(self, width: int) -> None:
        raise NotImplementedError

    def refit(self) -> None:
        """Draw the rows for the width the table has now."""
        self._fitted_to = self._available()
        self.fill(self._fitted_to)

    def _available(self) -> int:
        width = self.size.width or self.app.size.width - 2  # before the first layout: less the padding
        return width - 2  # room for its own scroll bar

    def on_resize(self, event: Resize) -> None:
        if self.rows_text and self._available() != self._fitted_to:
            self.refit()

