"""The anonymous indicator report on screen (outside meeting mode): counts
only, small counts as "<5", bar charts where a chart reads faster than a table.
The numbers come from ``service.report``, as `sip-tui report` prints them."""

from __future__ import annotations

import datetime as dt

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Label, Static

from ..describe import error_text
from ..export.report import chart_lines, median_text, period, table_lines, title
from ..i18n import t
from ..models.entry import iso_date
from ..models.report import SMALL_CELL_MAX, Report
from ..service import StoreError
from ..widgets.literal import literal
from .commands import BACK_HOME, CommandScreen, CommandTable


class ReportScreen(CommandScreen[None]):
    DEFAULT_CSS = """
    ReportScreen #report-period { height: auto; }
    ReportScreen #report-period Input { width: 24; }
    ReportScreen #report-body { height: 1fr; }
    ReportScreen .report-table { margin-bottom: 1; }
    ReportScreen .report-title { text-style: bold; }
    """
    AUTO_FOCUS = ""  # the period boxes unfocused: the report is read first
    COMMAND_TABLE = CommandTable(BACK_HOME)
    BINDINGS = COMMAND_TABLE.bindings()
    report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Label(t("report.title"), classes="section-title")
        yield Static(t("report.suppression", n=SMALL_CELL_MAX + 1), classes="hint")
        with Horizontal(id="report-period"):
            yield Input(placeholder=t("report.from"), id="report-from", compact=True)
            yield Input(placeholder=t("report.to"), id="report-to", compact=True)
        yield Static("", id="report-error", classes="error")
        yield VerticalScroll(Static(t("report.loading"), id="report-status"), id="report-body")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_report()

    def _period(self) -> tuple[dt.date | None, dt.date | None] | None:
        """The typed period, or None (and a message) when a date does not read."""
        days = []
        for box in ("#report-from", "#report-to"):
            raw = self.query_one(box, Input).value.strip()
            try:
                days.append(dt.date.fromisoformat(iso_date(raw) or "") if raw else None)
            except ValueError:
                self.query_one("#report-error", Static).update(t("report.bad_date"))
                return None
        self.query_one("#report-error", Static).update("")
        return days[0], days[1]

    @on(Input.Submitted)
    def refresh_report(self) -> None:
        period_ = self._period()
        if period_ is not None:
            self._compute(*period_)

    @work(thread=True, exclusive=True, group="report")
    def _compute(self, start: dt.date | None, end: dt.date | None) -> None:
        service = self.app.service  # type: ignore[attr-defined]
        try:
            report = service.report(service.scan().summaries, start, end)
        except StoreError as error:  # a team's database out of reach: said here, the app stays
            self.app.call_from_thread(self._unavailable, error_text(error))
        else:
            self.app.call_from_thread(self._show, report)

    def _unavailable(self, message: str) -> None:
        self.query_one("#report-error", Static).update(literal(message, multiline=True))

    async def _show(self, report: Report) -> None:
        body = self.query_one("#report-body", VerticalScroll)
        await body.remove_children()
        parts = [Static(literal(period(report)), id="report-status")]
        for table in report.tables:
            lines = chart_lines(table) if table.chart else table_lines(table)
            if table.key == "process":
                lines.append("  " + median_text(report))
            parts.append(Static(literal(title(table)), classes="report-title"))
            parts.append(Static(literal("\n".join(lines), multiline=True), id=f"report-{table.key}", classes="report-table"))
        await body.mount_all(parts)
        self.report = report  # set last: tests wait for it

    def action_back(self) -> None:
        self.app.pop_screen()
