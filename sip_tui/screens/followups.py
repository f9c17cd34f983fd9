"""The follow-up overview: the facilitator's own list of plans awaiting
follow-up, grouped overdue / within 14 days / later.

It shows names, so it is never part of meeting mode: it is opened from home
(key ``u``) and a plan opened from it starts a meeting on that plan alone.
The rows come from ``service.followups`` + ``models.followup.select``, the
same functions behind ``sip-tui followups``, so the two always agree.

The list is a small virtual table (``OverviewList``): it paints only the
lines on screen, so 10,000 plans are listed, re-sorted and filtered at
once. (A DataTable measured every one of its 60,000 cells and took 4-5 s
to fill on the reference machine.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Label, Select, Static
from textual.worker import get_current_worker

from ..describe import error_text
from ..i18n import due_in_words, label, t
from ..models.enums import HUVUDMAN, Body, PlanStatus
from ..models.followup import FollowupEntry, Group, PlanSummary, select
from ..service import ScanResult, StoreError
from ..widgets.literal import literal, plain
from .commands import Command, CommandScreen, CommandTable, HasCommands

if TYPE_CHECKING:
    from textual import getters

    from ..app import SipApp

SORTS = ("date", "name", "coordinator")
COLUMNS = ("when", "date", "name", "coordinator", "body", "plan")
OVERVIEW_STATUSES = (PlanStatus.AGREED, PlanStatus.FOLLOW_UP)
_MAX_PROBLEMS = 3
_PAD = 1  # blank cells either side of a column
# On a narrow screen the plan and responsible-body columns go first (the
# filters still show them), then long names and coordinators are cut with ….
_HIDE_WHEN_NARROW = (5, 4)
_SHRINKABLE = (2, 3)
_MIN_SHRINK = 12

# Row kinds: how the row (or its first cell) is emphasised, besides the words.
HEADING, OVERDUE, DUE_NOW, PLAIN = "heading", "overdue", "due-now", ""


@dataclass(frozen=True)
class ListRow:
    key: str  # plan id; "" for a group heading
    cells: tuple[str, ...]
    kind: str = PLAIN


# -- rows ----------------------------------------------------------------------


def _sort_key(sort: str) -> Callable[[FollowupEntry], tuple]:
    if sort == "name":
        return lambda e: (e.plan.name.casefold(), e.days, e.plan.id)
    if sort == "coordinator":
        return lambda e: (e.plan.coordinator.casefold() or "\uffff", e.days, e.plan.id)
    return lambda e: (e.days, e.plan.followup_time, e.plan.id)  # the order open_followups gives


def _enum_label(enum: type, value: str) -> str:
    try:
        return label(enum(value))
    except ValueError:
        return value or "–"


class RowFormatter:
    """Row text for many entries; the few distinct labels are looked up once."""

    def __init__(self) -> None:
        self._when: dict[int, str] = {}
        self._body: dict[str, str] = {}
        self._plan: dict[tuple[str, int], str] = {}
        self._widths: dict[str, int] = {}

    def row(self, entry: FollowupEntry) -> ListRow:
        """When (in words), date and time, name, coordinator, responsible body, plan status and version."""
        plan = entry.plan
        when = self._when.get(entry.days)
        if when is None:
            words = due_in_words(entry.days)
            when = self._when[entry.days] = "⚠ " + words if entry.group is Group.OVERDUE else words
        body = self._body.get(plan.responsible)
        if body is None:
            body = self._body[plan.responsible] = plain(_enum_label(Body, plan.responsible) if plan.responsible else "–")
        status = self._plan.get((plan.status, plan.version))
        if status is None:
            status = self._plan[plan.status, plan.version] = plain(
                t("followups.plan_status", status=_enum_label(PlanStatus, plan.status), version=plan.version)
            )
        day = plan.followup_date.isoformat() if plan.followup_date else ""
        name = plain(plan.name) or t("app.unnamed")
        cells = (
            when,
            plain(f"{day} {plan.followup_time}".rstrip()),
            f"{name} · ⚠ {t('app.damaged')}" if plan.damaged else name,
            plain(plan.coordinator) or "–",
            body,
            status,
        )
        kind = OVERDUE if entry.group is Group.OVERDUE else DUE_NOW if entry.days <= 1 else PLAIN
        return ListRow(plan.id, cells, kind)

    def widths(self, row: ListRow) -> list[int]:
        """Each cell's width on screen (the repeated labels measured once)."""
        known = self._widths
        widths = []
        for cell in row.cells:
            width = known.get(cell)
            if width is None:
                width = cell_len(cell)
                if len(known) < 4096:
                    known[cell] = width
            widths.append(width)
        return widths


@dataclass(frozen=True)
class Filters:
    coordinator: str | None = None
    responsible: str | None = None
    status: str | None = None

    def keep(self, entry: FollowupEntry) -> bool:
        plan = entry.plan
        return (
            (self.coordinator is None or plan.coordinator == self.coordinator)
            and (self.responsible is None or plan.responsible == self.responsible)
            and (self.status is None or plan.status == self.status)
        )

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.coordinator, self.responsible, self.status))


# -- the list widget -------------------------------------------------------------


class OverviewList(HasCommands, ScrollView, can_focus=True):
    """A header line and rows of plain-text cells; only visible lines are painted."""

    DEFAULT_CSS = """
    OverviewList {
        background: $surface;
        & > .overview--header { text-style: bold; background: $panel; }
        & > .overview--heading { text-style: bold; background: $primary 30%; }
        & > .overview--overdue { color: $error; text-style: bold; }
        & > .overview--due-now { text-style: bold; }
        & > .overview--even { background: $surface-lighten-1 50%; }
        & > .overview--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .overview--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {
        "overview--header",
        "overview--heading",
        "overview--overdue",
        "overview--due-now",
        "overview--even",
        "overview--cursor",
    }
    COMMAND_TABLE = CommandTable(Command("open", "followups.key.open", "followups.cmd.open_help", key="enter"))
    BINDINGS = [
        *COMMAND_TABLE.bindings(),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]
    cursor = reactive(0, always_update=True)

    class Opened(Message):
        def __init__(self, plan_id: str) -> None:
            super().__init__()
            self.plan_id = plan_id

    class HeaderClicked(Message):
        def __init__(self, column: int) -> None:
            super().__init__()
            self.column = column

    def __init__(self, headers: list[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.headers = headers
        self.rows: list[ListRow] = []
        self.natural_widths = [cell_len(h) for h in headers]
        self.widths = list(self.natural_widths)

    # -- content ---------------------------------------------------------------

    def set_rows(self, rows: list[ListRow], widths: list[int], keep: str | None = None) -> None:
        """Show ``rows``; the cursor stays on plan ``keep`` if it is still listed."""
        self.rows = rows
        self.natural_widths = [max(w, cell_len(h)) for w, h in zip(widths, self.headers, strict=True)]
        self._fit()
        index = next((n for n, row in enumerate(rows) if keep and row.key == keep), None)
        if index is None:
            index = next((n for n, row in enumerate(rows) if row.key), 0)
        self.cursor = index
        self.refresh()

    def _fit(self) -> None:
        """Fit the columns to the width: hide the least needed, then cut the
        longest names; scroll sideways only if that is still not enough."""
        widths = list(self.natural_widths)
        available = self.scrollable_content_region.width
        if available:
            for column in _HIDE_WHEN_NARROW:
                if _line_width(widths) > available:
                    widths[column] = 0
            for column in sorted(_SHRINKABLE, key=lambda c: -widths[c]):
                cut = min(_line_width(widths) - available, widths[column] - _MIN_SHRINK)
                if cut > 0:
                    widths[column] -= cut
        self.widths = widths
        self.virtual_size = Size(_line_width(widths), len(self.rows) + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._fit()
        self.refresh()

    @property
    def current(self) -> ListRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # -- painting --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:
            strip = self._line(self.headers, base + self.get_component_rich_style("overview--header"))
        else:
            index = scroll_y + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, base)
            strip = self._row_line(index, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _row_line(self, index: int, base: Style) -> Strip:
        row = self.rows[index]
        style = base
        if row.kind == HEADING:
            style += self.get_component_rich_style("overview--heading")
        elif index % 2 == 0:
            style += self.get_component_rich_style("overview--even")
        if index == self.cursor:
            style += self.get_component_rich_style("overview--cursor")
        first = style
        if row.kind in (OVERDUE, DUE_NOW):
            first = style + self.get_component_rich_style(f"overview--{row.kind}")
            if index == self.cursor:
                first += self.get_component_rich_style("overview--cursor")
        if row.kind == HEADING:  # the heading reads across the row
            total = _line_width(self.widths)
            return Strip([Segment(set_cell_size(" " * _PAD + row.cells[0], total), style)], total)
        return self._line(row.cells, style, first)

    def _line(self, cells: tuple[str, ...] | list[str], style: Style, first: Style | None = None) -> Strip:
        pad = " " * _PAD
        segments = [
            Segment(pad + _cut(cell, width) + pad, first if n == 0 and first is not None else style)
            for n, (cell, width) in enumerate(zip(cells, self.widths, strict=False))
            if width  # a hidden column
        ]
        return Strip(segments, _line_width(self.widths))

    # -- cursor and keys ---------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_to_cursor()

    def _refresh_row(self, index: int) -> None:
        y = index - int(self.scroll_offset.y) + 1
        if 1 <= y < self.size.height:
            self.refresh_line(y)

    def _scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1 - (1 if self.show_horizontal_scrollbar else 0), 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self.rows) - 1))

    def action_move(self, delta: int) -> None:
        self.cursor = self._clamp(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.cursor = self._clamp(self.cursor + direction * max(self.size.height - 2, 1))

    def action_jump(self, where: int) -> None:
        self.cursor = self._clamp(where if where >= 0 else len(self.rows) - 1)

    def action_open(self) -> None:
        row = self.current
        if row is not None and row.key:
            self.post_message(self.Opened(row.key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x + int(self.scroll_offset.x)
            edge = 0
            for column, width in enumerate(self.widths):
                edge += width + 2 * _PAD if width else 0
                if width and x < edge:
                    self.post_message(self.HeaderClicked(column))
                    break
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < len(self.rows):
            if index == self.cursor:
                self.action_open()  # a click on the chosen row opens it, as in the other tables
            self.cursor = index


def _line_width(widths: list[int]) -> int:
    return sum(width + 2 * _PAD for width in widths if width)


def _cut(cell: str, width: int) -> str:
    """The cell at exactly ``width`` cells; a cut is shown with … so no name looks whole when it is not."""
    if cell_len(cell) <= width:
        return set_cell_size(cell, width)
    return set_cell_size(cell, width - 1) + "…"


# -- the screen ----------------------------------------------------------------------


def _sort_params(sort: str, screen: object) -> dict[str, object]:
    return {"by": t(f"followups.sort.{sort}")}


FOLLOWUPS_COMMANDS = CommandTable(
    Command("back", "followups.cmd.back", "followups.cmd.back_help", key="escape", footer="followups.key.back"),
    *[
        Command(
            f"sort('{sort}')",
            "followups.cmd.sort",
            "followups.cmd.sort_help",
            key=key,
            footer=f"followups.key.sort_{sort}",
            params=partial(_sort_params, sort),
            id=f"sort-{sort}",
        )
        for sort, key in zip(SORTS, ("d", "n", "s"), strict=True)
    ],
    Command("filter", "followups.cmd.filter", "followups.cmd.filter_help", key="f", footer="followups.key.filter"),
    Command(
        "clear_filters",
        "followups.cmd.clear",
        "followups.cmd.clear_help",
        key="x",
        footer="followups.key.clear",
        available=lambda screen: screen.filters.active,  # in the footer only while a filter is on
    ),
    Command("reload", "followups.cmd.reload", "followups.cmd.reload_help", key="r", footer="followups.key.reload", show=False),
)


class FollowupsScreen(CommandScreen[None]):
    if TYPE_CHECKING:
        app = getters.app(SipApp)

    CSS_PATH = "followups.tcss"
    AUTO_FOCUS = "#fu-list"
    COMMAND_TABLE = FOLLOWUPS_COMMANDS
    BINDINGS = FOLLOWUPS_COMMANDS.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[FollowupEntry] = []
        self.sort = "date"
        self.filters = Filters()
        self.loaded = False  # the list shows plans (maybe the ones home read)
        self.scanned = False  # ... and they come from a scan made since the screen opened
        self._rows: dict[str, tuple[ListRow, list[int]]] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="fu-body"):
            with Horizontal(id="fu-top"):
                yield Label(t("followups.title"), id="fu-title")
                yield Label(t("followups.privacy"), id="fu-privacy")
            yield Static(t("followups.loading"), id="fu-counts")
            yield Static("", id="fu-problems")
            with Horizontal(id="fu-filters"):
                yield Select([], prompt=t("followups.filter.coordinator"), id="fu-coordinator", compact=True)
                yield Select(
                    [(label(body), body.value) for body in HUVUDMAN],
                    prompt=t("followups.filter.responsible"),
                    id="fu-responsible",
                    compact=True,
                )
                yield Select(
                    [(label(status), status.value) for status in OVERVIEW_STATUSES],
                    prompt=t("followups.filter.status"),
                    id="fu-status",
                    compact=True,
                )
            yield Label("", id="fu-shown")
            yield OverviewList([t(f"followups.col.{name}") for name in COLUMNS], id="fu-list")
        yield Footer()

    def on_screen_resume(self) -> None:
        # Also posted when the screen is first pushed: one scan per visit, fresh
        # after a plan opened from here was followed up or closed.
        self.load()

    # -- loading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="followups-scan")
    def load(self) -> None:
        """Read the store off the UI thread; the rows' text is prepared here too.

        On the first visit the plans home has just read are listed at once,
        then the store is scanned again and the list refreshed in place."""
        first_visit = not self.loaded
        known = self.app.summaries
        if first_visit and known:
            self._post(known, None)
        try:
            result = self.app.service.scan()
        except StoreError as error:  # a team's database out of reach: the list stays, the problem is said
            result = ScanResult(summaries=known, errors=[error])
        if first_visit and result.summaries == known:
            self.app.call_from_thread(self._scanned, result.errors)  # the list on screen is current
        else:
            self._post(result.summaries, result.errors)

    def _post(self, summaries: list[PlanSummary], errors: list[StoreError] | None) -> None:
        """Format the rows (in the worker) and hand them to the screen; ``errors`` None: not a fresh scan."""
        if get_current_worker().is_cancelled:
            return
        entries = select(self.app.service.followups(summaries))
        formatter = RowFormatter()
        rows = {}
        for entry in entries:
            row = formatter.row(entry)
            rows[row.key] = (row, formatter.widths(row))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, entries, rows, errors)

    def _loaded(self, entries: list[FollowupEntry], rows: dict, errors: list[StoreError] | None) -> None:
        if not self.query(OverviewList):  # a small store can be read before the list is mounted
            self.call_after_refresh(self._loaded, entries, rows, errors)
            return
        self.entries, self._rows, self.loaded = entries, rows, True
        self._show_counts()
        self._update_coordinator_options()
        self._fill()
        if errors is not None:
            self._scanned(errors)

    def _scanned(self, errors: list[StoreError]) -> None:
        """The list now shows a scan made since the screen opened."""
        self._show_problems(errors)
        self.scanned = True

    def _show_counts(self) -> None:
        counts = {group: 0 for group in Group}
        for entry in self.entries:
            counts[entry.group] += 1
        overdue = t("followups.count.overdue", count=counts[Group.OVERDUE])
        widget = self.query_one("#fu-counts", Static)
        widget.update(
            " · ".join(
                (
                    ("⚠ " if counts[Group.OVERDUE] else "") + overdue,
                    t("followups.count.soon", count=counts[Group.SOON]),
                    t("followups.count.later", count=counts[Group.LATER]),
                )
            )
        )
        widget.set_class(bool(counts[Group.OVERDUE]), "-overdue")

    def _show_problems(self, errors: list[StoreError]) -> None:
        lines = [t("followups.problems", count=len(errors))] if errors else []
        lines += [error_text(e) for e in errors[:_MAX_PROBLEMS]]
        widget = self.query_one("#fu-problems", Static)
        widget.update(literal("\n".join(f"⚠ {line}" for line in lines), multiline=True))
        widget.display = bool(lines)

    def _update_coordinator_options(self) -> None:
        select_widget = self.query_one("#fu-coordinator", Select)
        names = sorted({e.plan.coordinator for e in self.entries if e.plan.coordinator}, key=str.casefold)
        current = select_widget.value
        with self.prevent(Select.Changed):
            select_widget.set_options([(literal(name), name) for name in names])
            if current in names:
                select_widget.value = current
        self.filters = self._read_filters()

    # -- the list ------------------------------------------------------------------

    def visible_entries(self) -> list[FollowupEntry]:
        """The plans on screen, in screen order (group by group)."""
        kept = sorted((e for e in self.entries if self.filters.keep(e)), key=_sort_key(self.sort))
        return [e for group in Group for e in kept if e.group is group]

    def _fill(self) -> None:
        self.refresh_bindings()
        widget = self.query_one(OverviewList)
        current = widget.current
        visible = self.visible_entries()
        rows: list[ListRow] = []
        widths = [0] * len(COLUMNS)
        blank = ("",) * (len(COLUMNS) - 1)
        for group in Group:
            in_group = [e for e in visible if e.group is group]
            if not in_group:
                continue
            rows.append(ListRow("", (t("followups.group", group=label(group), count=len(in_group)), *blank), HEADING))
            for entry in in_group:
                row, row_widths = self._rows[entry.plan.id]
                rows.append(row)
                widths = list(map(max, widths, row_widths))
        widget.set_rows(rows, widths, keep=current.key if current else None)
        self._show_shown(len(visible))

    def _show_shown(self, shown: int) -> None:
        if not self.entries:
            text = t("followups.empty")
        elif not shown:
            text = t("followups.empty_filtered")
        else:
            text = t("followups.shown", shown=shown, total=len(self.entries), sort=t(f"followups.sort.{self.sort}"))
        self.query_one("#fu-shown", Label).update(text)

    # -- events and actions ----------------------------------------------------------

    @on(OverviewList.Opened)
    def _open(self, event: OverviewList.Opened) -> None:
        event.stop()
        self.app.open_plan(event.plan_id)

    @on(OverviewList.HeaderClicked)
    def _header_clicked(self, event: OverviewList.HeaderClicked) -> None:
        event.stop()
        by_column = {0: "date", 1: "date", 2: "name", 3: "coordinator"}
        if event.column in by_column:
            self.action_sort(by_column[event.column])

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.filters = self._read_filters()
        if self.loaded:
            self._fill()

    def _read_filters(self) -> Filters:
        def value(selector: str) -> str | None:
            chosen = self.query_one(selector, Select).value
            return None if chosen is Select.NULL else str(chosen)

        return Filters(value("#fu-coordinator"), value("#fu-responsible"), value("#fu-status"))

    def action_sort(self, sort: str) -> None:
        if sort in SORTS:
            self.sort = sort
            if self.loaded:
                self._fill()

    def action_filter(self) -> None:
        self.query_one("#fu-coordinator", Select).focus()

    def action_clear_filters(self) -> None:
        with self.prevent(Select.Changed):
            for select_widget in self.query(Select):
                select_widget.clear()
        self.filters = Filters()
        if self.loaded:
            self._fill()
        self.query_one(OverviewList).focus()

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
