"""The indicator report in words and files: labels for its codes, a text
table for the terminal, CSV and Word. Every count goes through
``models.report.shown`` (Row.cells) and every share through ``Table.percents``:
no output can show a suppressed count.

Charts in Word are drawn as small PNG bars (one per row, beside its label and
count), written with zlib alone: matplotlib (tens of MB) or Pillow would be a
new heavy dependency for a few rectangles, and a label kept as text in the
table stays translatable, searchable and readable by a screen reader.
"""

from __future__ import annotations

import csv
import io
import struct
import zlib
from pathlib import Path

from ..i18n import has, t
from ..models.report import SMALL_CELL_MAX, TOTAL, UNKNOWN, Report, Row, Table
from .text import write_atomically, xml_safe

BAR_FULL = "█"
_EIGHTHS = " ▏▎▍▌▋▊▉"


def title(table: Table) -> str:
    return t(f"report.table.{table.key}")


def period(report: Report) -> str:
    start = report.start.isoformat() if report.start else "…"
    end = report.end.isoformat() if report.end else "…"
    return t("report.period", start=start, end=end)


def row_label(table: Table, key: str) -> str:
    if "|" in table.row_enum:  # deviations: category and body
        enums, codes = table.row_enum.split("|"), key.split("|")
        return " · ".join(_code_label(enum, code) for enum, code in zip(enums, codes, strict=True))
    if table.row_enum:
        return _code_label(table.row_enum, key)
    return _report_label(key)


def column_label(table: Table, key: str) -> str:
    if table.column_enum and key not in (UNKNOWN, TOTAL):
        return _code_label(table.column_enum, key)
    if key[:4].isdigit():  # a quarter: 2025-Q1
        return key
    return _report_label(key)


def _code_label(enum: str, code: str) -> str:
    if code == UNKNOWN:
        return t("report.row.unknown")
    key = f"enum.{enum}.{code}"
    return t(key) if has(key) else code  # a hand-edited code is shown as it is


def _report_label(key: str) -> str:
    name = f"report.row.{key}"
    return t(name) if has(name) else key  # an age band: "18–24"


def cell_text(value: int | str) -> str:
    return str(value)


def percent_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %".replace(".", t("report.decimal"))


def chart_rows(table: Table, column: int = 0) -> list[tuple[str, int | str, float]]:
    """(label, count as shown, bar length 0..1) of one column; a suppressed
    count draws no bar (its length would give it away)."""
    rows = [row for row in table.rows if row.key != TOTAL]
    shown = [(row_label(table, row.key), row.cells()[column], row.counts[column]) for row in rows]
    visible = [raw for _, cell, raw in shown if isinstance(cell, int)]
    top = max(visible, default=0) or 1
    return [(text, cell, raw / top if isinstance(cell, int) else 0.0) for text, cell, raw in shown]


def text_bar(fraction: float, width: int) -> str:
    """A bar of Unicode blocks, in eighths of a cell."""
    eighths = round(fraction * width * 8)
    return BAR_FULL * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def text_lines(report: Report) -> list[str]:
    """The report as plain text tables, for `sip-tui report`."""
    lines = [t("report.title"), period(report), t("report.suppression", n=SMALL_CELL_MAX + 1), ""]
    for table in report.tables:
        lines += [title(table), *table_lines(table)]
        if table.key == "process":
            lines.append("  " + median_text(report))
        lines.append("")
    return lines


def table_lines(table: Table) -> list[str]:
    """The table in aligned columns of plain text."""
    header = ["", *(column_label(table, c) for c in table.columns)] + ([t("report.col.percent")] if table.bases else [])
    rows = [header] + [_text_row(table, row) for row in table.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return [
        "  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in rows
    ]


def chart_lines(table: Table, bar_width: int = 30) -> list[str]:
    """Each column as Unicode bars (before and after one under the other):
    label, bar, count as shown and its share."""
    lines = []
    for column, key in enumerate(table.columns):
        if len(table.columns) > 1:
            lines.append(column_label(table, key))
        rows = chart_rows(table, column)
        shares = [table.percents(row)[column] if table.bases else None for row in table.rows if row.key != TOTAL]
        width = max((len(text) for text, _, _ in rows), default=0)
        for (text, cell, fraction), share in zip(rows, shares, strict=True):
            extra = f"  ({percent_text(share)})" if share is not None else ""
            bar = text_bar(fraction, bar_width).ljust(bar_width)
            lines.append(f"  {text.ljust(width)}  {bar}  {cell_text(cell)}{extra}")
    return lines


def median_text(report: Report) -> str:
    value = "–" if report.median_days is None else f"{report.median_days:g}"
    return t("report.median_days", days=value)


def _text_row(table: Table, row: Row) -> list[str]:
    cells = [row_label(table, row.key)] + [cell_text(c) for c in row.cells()]
    if table.bases:
        cells.append(" / ".join(percent_text(p) for p in table.percents(row)))
    return cells


def csv_bytes(report: Report) -> bytes:
    """One line per cell: table, row, column, count as shown, percent; codes and labels both."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["from", "to", "table", "row", "row_label", "column", "column_label", "count", "percent"])
    start = report.start.isoformat() if report.start else ""
    end = report.end.isoformat() if report.end else ""
    for table in report.tables:
        for row in table.rows:
            percents = table.percents(row) or (None,) * len(table.columns)
            for column, cell, share in zip(table.columns, row.cells(), percents, strict=True):
                writer.writerow(
                    [start, end, table.key, row.key, row_label(table, row.key), column, column_label(table, column), cell, "" if share is None else share]
                )
    writer.writerow([start, end, "process", "median_days", t("report.row.median_days"), "days", "", "" if report.median_days is None else report.median_days, ""])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read å, ä, ö


def write_csv(report: Report, path: Path) -> Path:
    return write_atomically(path, csv_bytes(report))


def write_docx(report: Report, path: Path) -> Path:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.add_heading(t("report.title"), level=1)
    document.add_paragraph(period(report))
    document.add_paragraph(t("report.suppression", n=SMALL_CELL_MAX + 1))
    for table in report.tables:
        document.add_heading(title(table), level=2)
        headers = [""] + [column_label(table, c) for c in table.columns] + ([t("report.col.percent")] if table.bases else [])
        grid = document.add_table(rows=1, cols=len(headers))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, headers, strict=True):
            cell.text = xml_safe(text)
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, text in zip(cells, _text_row(table, row), strict=True):
                cell.text = xml_safe(text)
        if table.key == "process":
            document.add_paragraph(median_text(report))
        if table.chart:
            for column, key in enumerate(table.columns):
                chart = title(table) + (f" – {column_label(table, key)}" if len(table.columns) > 1 else "")
                document.add_paragraph(t("report.chart", table=chart))
                bars = document.add_table(rows=0, cols=3)
                for text, cell, fraction in chart_rows(table, column):
                    line = bars.add_row().cells
                    line[0].text = xml_safe(text)
                    picture = io.BytesIO(bar_png(fraction))
                    line[1].paragraphs[0].add_run().add_picture(picture, width=Cm(8), height=Cm(0.4))
                    line[2].text = cell_text(cell)
    buffer = io.BytesIO()
    document.save(buffer)
    return write_atomically(path, buffer.getvalue())


BAR_PNG_WIDTH = 400
BAR_PNG_HEIGHT = 20
_BAR_RGB = (0x1F, 0x4E, 0x79)
_TRACK_RGB = (0xE8, 0xEC, 0xF0)


def bar_png(fraction: float, width: int = BAR_PNG_WIDTH, height: int = BAR_PNG_HEIGHT) -> bytes:
    """A horizontal bar filled to ``fraction`` of its width on a light track, as PNG."""
    filled = max(0, min(width, round(fraction * width)))
    line = b"\x00" + bytes(_BAR_RGB) * filled + bytes(_TRACK_RGB) * (width - filled)  # filter byte 0, then RGB
    raw = line * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
