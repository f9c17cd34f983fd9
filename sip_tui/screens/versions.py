"""Earlier versions of the open plan: who agreed each one and why it changed,
one version read in full, and what changed between two versions in plain words.

Only the open plan is shown, so the screen belongs to meeting mode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Select, Static, TabbedContent, TabPane

from ..i18n import has, label, t
from ..models import personnummer
from ..models.diff import Change, diff_plans
from ..models.enums import (
    Body,
    ConsentForm,
    DeviationType,
    GoalTerm,
    InsatsStatus,
    LifeArea,
    MeetingForm,
    MeetingKind,
    Outcome,
)
from ..models.plan import Plan
from ..service import StoreError
from ..widgets.literal import literal_text, plain
from ..widgets.stepper import fit_bar
from .commands import PaletteCommand, ScreenCommands
from .insatser import report_deviation
from .items import fit_widths, short
from .plan_text import plan_sections

if TYPE_CHECKING:
    from textual import getters

    from ..app import SipApp

# Plan attribute -> catalogue key of the section title the room knows.
_SECTION_TITLE = {
    "person": "section.person",
    "meeting": "section.meeting",
    "consent": "section.consent",
    "participants": "section.participants",
    "person_attended": "section.person_attendance",
    "person_absent_reason": "section.person_attendance",
    "situation": "section.situation",
    "strengths": "section.situation",
    "goals": "section.goals",
    "needs": "section.needs",
    "insatser": "section.insatser",
    "responsible": "section.responsibility",
    "coordinator": "section.responsibility",
    "followup": "section.followup",
    "distribution": "section.distribution",
    "deviations": "section.deviations",
    "closure": "versions.section.closure",
}
# Field name -> the vocabulary its stored codes come from.
_ENUMS: dict[str, type[Enum]] = {
    "status": InsatsStatus,
    "body": Body,
    "responsible": Body,
    "area": LifeArea,
    "term": GoalTerm,
    "kind": MeetingKind,
    "type": DeviationType,
    "outcome": Outcome,
}
_LINKS = {"goal_ids": "goals", "need_ids": "needs"}
_ITEM_SECTIONS = {"goals", "needs", "insatser", "participants", "distribution", "deviations"}
_LONG = 120


def section_title(section: str) -> str:
    key = _SECTION_TITLE.get(section, "")
    return t(key) if key else section


def field_caption(section: str, field: str) -> str:
    if not field:
        return t(f"field.{section}") if has(f"field.{section}") else ""
    for key in (f"field.{section}.{field}", f"versions.field.{section}.{field}"):
        if has(key):
            return t(key)
    return field


def value_text(section: str, field: str, value: object, plans: Iterable[Plan] = ()) -> str:
    """A stored value as the room would say it: labels, not codes; masked personnummer."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return t("app.yes") if value else t("app.no")
    if field in _LINKS and isinstance(value, list):
        texts = {}
        for plan in plans:
            for item in getattr(plan, _LINKS[field]):
                texts[item.id] = getattr(item, "text", "") or getattr(item, "description", "")
        return "; ".join(short(texts.get(str(v), "?"), 40) for v in value)
    if field == "personnummer" and isinstance(value, str):
        return personnummer.mask_typed(value)
    if isinstance(value, dict):
        return ", ".join(
            value_text(section, key, item, plans)
            for key, item in value.items()
            if item not in (None, "", []) and key != "id"
        )
    if isinstance(value, str):
        enum = _ENUMS.get(field)
        if field == "form":
            enum = ConsentForm if section == "consent" else MeetingForm
        if enum is not None:
            try:
                return label(enum(value))
            except ValueError:
                return value
        if field.endswith("_time") and len(value) >= 5:
            return value[:5]
        return short(value, _LONG)
    return str(value)


def describe(change: Change, plans: Iterable[Plan] = ()) -> str:
    """One change in plain words: "item: field: before → after"."""
    plans = list(plans)
    item = change.item or "–"
    if change.section in _ITEM_SECTIONS:
        if not change.field:
            return t("versions.added", item=item) if change.before is None else t("versions.removed", item=item)
        prefix = f"{item}: {field_caption(change.section, change.field)}"
    else:
        prefix = field_caption(change.section, change.field) or section_title(change.section)
    before = value_text(change.section, change.field or change.section, change.before, plans)
    after = value_text(change.section, change.field or change.section, change.after, plans)
    return f"{prefix}: {before} → {after}"


def changes_text(old: Plan, new: Plan) -> Text:
    """Every change from ``old`` to ``new``, under the section titles of the plan."""
    changes = diff_plans(old, new)
    text = Text()
    if not changes:
        text.append(t("versions.no_changes", old=old.version, new=new.version), style="italic")
        return text
    text.append(t("versions.changes_heading", old=old.version, new=new.version, count=len(changes)) + "\n")
    current = None
    for change in changes:
        title = section_title(change.section)
        if title != current:
            text.append(f"\n{title}\n", style="bold")
            current = title
        text.append(f"  • {describe(change, (old, new))}\n")
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


class VersionsTable(DataTable):
    """Who agreed each version and why it changed: the reason wraps in its
    column rather than running off the screen."""

    COLUMNS = ("version", "agreed", "by", "reason")
    FLEX = (2, 3)  # "by" and "reason" share what the version and date leave,
    WEIGHTS = (1, 2)  # the reason twice as much

    def __init__(self) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id="versions-table")
        self.rows_text: list[tuple[str, ...]] = []
        self._fitted_to = 0

    def set_rows(self, rows: Sequence[tuple[str, ...]]) -> None:
        self.rows_text = list(rows)
        self._fill()

    def _available(self) -> int:
        width = self.size.width or self.app.size.width - 2  # before the first layout: less the padding
        return width - 2  # room for its own scroll bar

    def _fill(self) -> None:
        width = self._available()
        self._fitted_to = width
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

    def on_resize(self, event: Resize) -> None:
        if self.rows_text and self._available() != self._fitted_to:
            self._fill()


class VersionsScreen(Screen[None]):
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
    BINDINGS = [
        Binding("escape", "back", t("versions.key.back"), id="back"),
        Binding("l", "tab('tab-read')", t("versions.key.read"), id="read"),
        Binding("a", "tab('tab-changes')", t("versions.key.changes"), id="changes"),
        Binding("ctrl+r", "report_deviation", t("app.key.report_deviation"), id="report-deviation"),
    ]
    COMMANDS = {ScreenCommands}

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
                Text("⚠ " + t(error.code, file=error.file, **error.params))
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

    def palette_commands(self) -> list[PaletteCommand]:
        return [(t("app.cmd.report_deviation"), t("app.cmd.report_deviation_help"), self.action_report_deviation)]
