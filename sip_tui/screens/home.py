"""Home: the facilitator's own view. The screen may already be shared when the
app starts, so it shows counts, not names, until the facilitator searches
for one plan or reveals the list."""

from __future__ import annotations

import time
from contextlib import suppress
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.markup import escape
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..describe import error_text
from ..i18n import label, t
from ..models.enums import PlanStatus
from ..models.followup import Group, PlanSummary
from ..service import ImportChoices, ScanResult, StoreError
from ..widgets.literal import literal
from .commands import Command, CommandScreen, CommandTable, key_caption

if TYPE_CHECKING:
    from textual import getters

    from ..app import SipApp

MAX_MATCHES = 20
# A scan still running after this long shows how far it got (a first scan of
# 10,000 plans without the summary cache takes seconds).
PROGRESS_AFTER_S = 0.3
PROGRESS_EVERY_S = 0.1
# A search is written to a team's access log once typing pauses, not for every letter.
SEARCH_LOGGED_AFTER_S = 1.0


# Home's actions, as keys, footer, palette and the clickable links. In the search
# box a letter is text: a single-letter key is not offered there (``key_works``).
# The footer keeps to the meeting's own actions so it fits 80 columns; the links
# above it name every action with its key.
HOME_COMMANDS = CommandTable(
    Command("new_meeting", "home.new", "home.cmd.new_help", key="n", footer="home.key.new"),
    Command("search", "home.search", "home.cmd.search_help", key="slash,s", footer="home.key.search"),
    Command("followups", "home.followups", "home.cmd.followups_help", key="u", footer="home.key.followups"),
    Command("reveal", "home.reveal", "home.cmd.reveal_help", key="v", footer="home.key.reveal"),
    Command(
        "catalogue", "offers.cmd.open", "offers.cmd.open_help", key="k", footer="offers.home_key", button="offers.home_link", show=False
    ),
    Command("deviations", "home.deviations", "home.cmd.deviations_help", key="a", footer="home.key.deviations", show=False),
    Command("report", "home.report", "home.cmd.report_help", key="r", footer="home.key.report", show=False),
    Command("import_plan", "home.import", "home.cmd.import_help", key="i", footer="home.key.import", show=False),
    Command("hide", "home.key.hide", "home.cmd.hide_help", key="escape", show=False, palette=False),
)


class HomeScreen(CommandScreen[None]):
    if TYPE_CHECKING:
        app = getters.app(SipApp)
    # Nothing focused: single keys (n, /, u, v) act at once; "/" focuses the search.
    AUTO_FOCUS = ""  # "" not None: None falls back to the app's "*", which would focus the search box
    COMMAND_TABLE = HOME_COMMANDS
    BINDINGS = HOME_COMMANDS.bindings()
    _progress_timer: Timer | None = None
    _progress = (0, 0)  # (files read, files in the store) of the running scan
    _scan_started = 0.0
    _search_log_timer: Timer | None = None
    _search_shown: list[str] = []  # the plans the current search shows, not yet in the access log
    _search_logged: frozenset[str] = frozenset()  # those logged since the search box was last cleared

    def compose(self) -> ComposeResult:
        # Few widgets and no container: each costs start-up time (the first frame is measured).
        counts = Static(t("home.loading"), id="counts", classes="home-part")
        counts.border_title = t("home.title")
        yield counts
        yield Static(self._actions(), id="home-actions", classes="home-part")
        yield Footer()

    @staticmethod
    def _actions() -> str:
        """Clickable actions as text links (lighter to start than buttons), then the privacy hint."""
        lines = [
            f"[@click=screen.{c.action}]▸ {escape(c.button_label(None))} [b]({key_caption(c.key)})[/b][/]"
            for c in HOME_COMMANDS
            if c.palette  # every action a person picks by name (hiding names is Esc alone)
        ]
        return "\n".join(lines) + f"\n\n[$text-muted]{escape(t('home.privacy_hint'))}[/]"

    def on_mount(self) -> None:
        # Paint the counts frame first; the search box and the store scan follow.
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        matches = OptionList(id="matches", classes="home-part")
        matches.display = False
        search = Input(placeholder=t("home.search_placeholder"), id="search", classes="home-part")
        problems = Static("", id="store-problems", classes="home-part")
        problems.display = False
        self.mount(problems, after="#counts")
        self.mount(search, matches, after="#home-actions")
        self.refresh_plans()

    def on_screen_resume(self) -> None:
        self.set_focus(None)
        if self.query("#search"):  # back from a meeting (the first scan starts after the first frame)
            self.action_hide()  # names hidden again: the person may still be reading the screen
            self.refresh_plans()

    def refresh_plans(self) -> None:
        """Scan the store off the UI thread so the first frame is never blocked;
        a slow scan shows how far it got, and keys work all the while."""
        self._progress = (0, 0)
        self._scan_started = time.monotonic()
        if self._progress_timer is None:
            self._progress_timer = self.set_interval(PROGRESS_EVERY_S, self._show_progress)
        self._scan()

    @work(thread=True, exclusive=True, group="scan")
    def _scan(self) -> None:
        try:
            result = self.app.service.scan(self._note_progress)
        except StoreError as error:  # a team's database out of reach: the last list stays, the problem is said
            result = ScanResult(summaries=self.app.summaries, errors=[error])
        counts = self._counts(result)  # here too: 10,000 summaries are counted off the UI thread
        self.app.call_from_thread(self._show, result, counts)

    def _note_progress(self, done: int, total: int) -> None:
        """Called by the scan (in the worker) for every file; the timer paints it."""
        self._progress = (done, total)

    def _show_progress(self) -> None:
        done, total = self._progress
        if total and time.monotonic() - self._scan_started >= PROGRESS_AFTER_S:
            self.query_one("#counts", Static).update(t("home.scanning", done=done, total=total))

    def _counts(self, result: ScanResult) -> str:
        entries = self.app.service.followups(result.summaries)
        groups = {group: sum(1 for e in entries if e.group is group) for group in Group}
        statuses = {status: sum(1 for s in result.summaries if s.status == status) for status in PlanStatus}
        return (
            t("home.followup_counts", overdue=groups[Group.OVERDUE], soon=groups[Group.SOON], later=groups[Group.LATER])
            + "\n"
            + t(
                "home.plan_counts",
                drafts=statuses[PlanStatus.DRAFT] + statuses[PlanStatus.FOLLOW_UP],
                agreed=statuses[PlanStatus.AGREED],
                closed=statuses[PlanStatus.CLOSED],
            )
        )

    def _show(self, result: ScanResult, counts: str) -> None:
        self.app.summaries = result.summaries
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None
        if not self.query("#matches"):
            return  # the app closed while the scan ran
        self.query_one("#counts", Static).update(counts)
        problems = [error_text(error) for error in result.errors]
        shown = self.query_one("#store-problems", Static)
        shown.update(literal("\n".join(f"⚠ {p}" for p in problems), multiline=True))
        shown.display = bool(problems)
        self._refresh_matches()

    # -- search and reveal ---------------------------------------------------

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self._refresh_matches()

    def _refresh_matches(self) -> None:
        query = self._search_text()
        if self.has_class("-revealed") and not query.strip():
            matches = sorted(self.app.summaries, key=lambda s: s.name.casefold())
        else:
            matches = self.app.service.search(self.app.summaries, query) if len(query.strip()) >= 2 else []
        shown = [s for s in matches[:MAX_MATCHES] if s.status != PlanStatus.CLOSED or query]
        options = self.query_one("#matches", OptionList)
        options.clear_options()
        options.add_options([Option(_describe(s), id=s.id) for s in shown])
        options.display = bool(options.option_count)
        if query.strip() and shown:
            self._log_search_soon([s.id for s in shown])

    # -- the access log: which plans a search showed (a team's database keeps it) --

    def _log_search_soon(self, plan_ids: list[str]) -> None:
        self._search_shown = [plan_id for plan_id in plan_ids if plan_id not in self._search_logged]
        if self._search_log_timer is not None:
            self._search_log_timer.stop()
        self._search_log_timer = self.set_timer(SEARCH_LOGGED_AFTER_S, self._log_search)

    def _log_search(self) -> None:
        if self._search_log_timer is not None:
            self._search_log_timer.stop()
            self._search_log_timer = None
        shown, self._search_shown = self._search_shown, []
        if shown:
            self._search_logged |= set(shown)
            self._write_search_log(shown)

    @work(thread=True, group="search-log", exit_on_error=False)
    def _write_search_log(self, plan_ids: list[str]) -> None:
        with suppress(StoreError):  # the database is out of reach: the search itself worked from memory
            self.app.service.log_search(plan_ids)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        """Enter opens the first match (the list shows which that is)."""
        options = self.query_one("#matches", OptionList)
        first = options.get_option_at_index(0) if options.option_count else None
        if first is not None and first.id:
            self.app.open_plan(first.id)

    @on(OptionList.OptionSelected, "#matches")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_plan(event.option.id)

    def action_new_meeting(self) -> None:
        self.app.new_meeting()

    def action_followups(self) -> None:
        self.app.show_followups()

    def action_catalogue(self) -> None:
        self.app.show_catalogue()

    def action_deviations(self) -> None:
        self.app.show_deviations()

    def action_report(self) -> None:
        self.app.show_report()

    def action_import_plan(self) -> None:
        from .import_plan import ImportPlanScreen  # loaded when asked for: home's first frame is measured

        self.app.push_screen(ImportPlanScreen(), self._imported)

    def _imported(self, result: ImportChoices | str | None) -> None:
        """After the import dialog (or the choice screen): choose, or say what happened."""
        from .import_plan import ImportChoiceScreen

        if isinstance(result, ImportChoices):
            self.app.push_screen(ImportChoiceScreen(result), self._imported)
        elif result:
            self.notify(result, markup=False, timeout=12)

    def action_reveal(self) -> None:
        self.toggle_class("-revealed")
        self._refresh_matches()

    def action_search(self) -> None:
        for box in self.query("#search"):  # absent only during the first frame
            box.focus()

    def action_hide(self) -> None:
        self._log_search()  # the plans were on the screen, however briefly
        self._search_logged = frozenset()
        self.set_focus(None)
        self.remove_class("-revealed")
        for box in self.query("#search").results(Input):
            box.value = ""
        self._refresh_matches()

    def _search_text(self) -> str:
        boxes = self.query("#search").results(Input)
        return next((box.value for box in boxes), "")


def _describe(summary: PlanSummary) -> Content:
    """The name as typed (never markup), then status, version, due date; a plan
    that would not open is marked damaged."""
    try:
        status = label(PlanStatus(summary.status))
    except ValueError:  # a hand-edited status
        status = ""
    damaged = f"⚠ {t('app.damaged')}" if summary.damaged else ""
    version = t("home.version", version=summary.version) if summary.version else ""
    due = ""
    if summary.followup_date and summary.status != PlanStatus.CLOSED:
        due = t("home.due", date=summary.followup_date.isoformat())
    return literal(" · ".join(x for x in (summary.name or t("app.unnamed"), damaged, status, version, due) if x))
