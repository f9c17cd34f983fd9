"""Fitting a table's columns to its width."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

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
