"""Earlier versions of the open plan: who agreed each one and why it changed,
one version read in full, and what changed between two versions in plain words.

Only the open plan is shown, so the screen belongs to meeting mode.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widgets import DataTable, Footer, Label, Select, Static, TabbedContent, TabPane

from ..describe import describe_changes, error_text
from ..i18n import t
from ..models.plan import Plan
from ..service import StoreError
from ..widgets.literal import literal_text, plain
from ..widgets.stepper import fit_bar
from ..widgets.versions_table import VersionsTable
from .commands import REPORT_DEVIATION, Command, CommandScreen, CommandTable
from .insatser import report_deviation
from .plan_text import plan_sections

if TYPE_CHECKING:
    from textual import getters

    from ..app import SipApp


def changes_text(old: Plan, new: Plan) -> Text:
    """Every change from ``old`` to ``new``, under the section titles of the plan
    (the same lines the Word document lists, sip_tui.describe)."""
    changes = describe_changes(old, new)
    text = Text()
    if not changes:
        text.append(t("versions.no_changes", old=old.version, new=new.version), style="italic")
        return text
    text.append(t("versions.changes_heading", old=old.version, new=new.version, count=len(changes)) + "\n")
    current = None
    for change in changes:
        if change.section != current:
            text.append(f"\n{change.section}\n", style="bold")
            current = change.section
        text.append(f"  • {change.text}\n")
    return text


def version_text(plan: Plan) -> Text:
    text = Text()
    for title, body in plan_sections(plan):
        text.append(f"{title}\n", style="bold")
        text.append_text(body)
        text.append("\n\n")
    return text


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "–"


VERSIONS_COMMANDS = CommandTable(
    Command("back", "versions.cmd.back", "versions.cmd.back_help", key="escape", footer="versions.key.back"),
    Command("tab('tab-read')", "versions.key.read", "versions.cmd.read_help", key="l", id="read"),
    Command("tab('tab-changes')", "versions.key.changes", "versions.cmd.changes_help", key="a", id="changes"),
    REPORT_DEVIATION,
)


class VersionsScreen(CommandScreen[None]):
    if TYPE_CHECKING:
        app = getters.app(SipApp)

    DEFAULT_CSS = """
    VersionsScreen #versions-body { padding: 0 1; height: 1fr; }
    VersionsScreen #versions-table { height: auto; max-height: 8; margin-bottom: 1; }
    VersionsScreen #versions-tabs { height: 1fr; }
    VersionsScreen #compare { height: 1; margin-bottom: 1; }
    VersionsScreen #compare Label { width: auto; margin: 0 1 0 0; }
    VersionsScreen #compare Select { width: 24; margin-right: 2; }
    VersionsScreen #version-view, VersionsScreen #changes-view { height: 1fr; }
    """
    COMMAND_TABLE = VERSIONS_COMMANDS
    BINDINGS = VERSIONS_COMMANDS.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.versions: list[Plan] = []
        self.load_error: StoreError | None = None

    @property
    def plan(self) -> Plan:
        assert self.app.session is not None
        return self.app.session.plan

    def compose(self) -> ComposeResult:
        # Read before the compare choices are built: a Select that may not be
        # blank needs its options when it is created.
        try:
            self.versions = self.app.service.versions(self.plan.id)
        except StoreError as error:
            self.load_error = error
        options = [
            (
                t("versions.option", version=v.version, date=_when(v.agreement.at if v.agreement else None)[:10]),
                v.version,
            )
            for v in self.versions
        ]
        who, heading = self._bar(self.app.size.width)
        with Horizontal(id="meeting-bar"):
            yield Label(who, id="who", markup=False)
            yield Label(heading, id="step-heading", markup=False)
        with VerticalScroll(id="versions-body", can_focus=False):
            yield Static("", id="versions-message")
            yield VersionsTable()
            with TabbedContent(id="versions-tabs"):
                with TabPane(t("versions.tab.read"), id="tab-read"), VerticalScroll(id="version-view"):
                    yield Static("", id="version-text")
                with TabPane(t("versions.tab.changes"), id="tab-changes"):
                    with Horizontal(id="compare"):
                        yield Label(t("versions.from"))
                        yield Select(options, id="compare-from", allow_blank=not options, prompt="–", compact=True)
                        yield Label(t("versions.to"))
                        yield Select(options, id="compare-to", allow_blank=not options, prompt="–", compact=True)
                    with VerticalScroll(id="changes-view"):
                        yield Static("", id="changes-text")
        yield Footer()

    def _bar(self, width: int) -> tuple[str, str]:
        return fit_bar(width, plain(self.plan.person.name.strip()) or t("app.unnamed"), [t("versions.title")])

    def on_resize(self, event: Resize) -> None:
        who, heading = self._bar(event.size.width)
        self.query_one("#who", Label).update(who)
        self.query_one("#step-heading", Label).update(heading)

    def on_mount(self) -> None:
        table = self.query_one(VersionsTable)
        if self.load_error is not None:
            error = self.load_error
            self.query_one("#versions-message", Static).update(
                Text("⚠ " + error_text(error))
            )
            return
        if not self.versions:
            self.query_one("#versions-message", Static).update(t("versions.none"))
            return
        self.query_one("#versions-message", Static).display = False
        rows = []
        for version in self.versions:
            agreement = version.agreement
            reason = agreement.change_reason.strip() if agreement else ""
            rows.append(
                (
                    str(version.version),
                    _when(agreement.at if agreement else None),
                    ", ".join(agreement.by) if agreement else "–",
                    " ".join(reason.split()) or (t("versions.first") if version.version == 1 else "–"),
                )
            )
        table.set_rows(rows)
        table.move_cursor(row=len(self.versions) - 1)
        self.show_version(self.versions[-1].version)
        table.focus()

    def version(self, number: int) -> Plan:
        return next(v for v in self.versions if v.version == number)

    def show_version(self, number: int) -> None:
        """Read one version in full; compare it with the version before it."""
        plan = self.version(number)
        self.query_one("#versions-tabs", TabbedContent).get_tab("tab-read").label = t(
            "versions.tab.read_n", version=number
        )
        self.query_one("#version-text", Static).update(literal_text(version_text(plan)))
        earlier = number - 1 if any(v.version == number - 1 for v in self.versions) else number
        with self.prevent(Select.Changed):
            self.query_one("#compare-from", Select).value = earlier
            self.query_one("#compare-to", Select).value = number
        self.show_changes()

    def show_changes(self) -> None:
        old_value = self.query_one("#compare-from", Select).selection
        new_value = self.query_one("#compare-to", Select).selection
        view = self.query_one("#changes-text", Static)
        if len(self.versions) < 2:
            view.update(Text(t("versions.only_one"), style="italic"))
        elif old_value is None or new_value is None or old_value == new_value:
            view.update(Text(t("versions.choose_two"), style="italic"))
        else:
            view.update(literal_text(changes_text(self.version(int(old_value)), self.version(int(new_value)))))

    @on(DataTable.RowHighlighted, "#versions-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value:
            self.show_version(int(event.row_key.value))

    @on(DataTable.RowSelected, "#versions-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_tab("tab-read")

    @on(Select.Changed)
    def _compare_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.show_changes()

    def action_tab(self, tab_id: str) -> None:
        self.query_one("#versions-tabs", TabbedContent).active = tab_id

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_report_deviation(self) -> None:
        """A deviation on the open plan: the versions shown stay as they were agreed."""
        report_deviation(self.app, lambda: None)
