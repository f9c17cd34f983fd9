"""The Textual app: home, the meeting steps, and the plan lifecycle actions.

``create_app`` assembles the app from the store, its settings and the clock;
``build_app`` takes a ready service, so tests and snapshots run the real app
against a temporary store and a fixed clock.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import signal
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.reactive import var
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider
from textual.timer import Timer

from .crash import crash_report
from .describe import error_text
from .files import kept_name
from .i18n import t
from .input_gate import GatedApp, InputGate
from .meeting import MeetingSession
from .models.followup import PlanSummary
from .models.lifecycle import LifecycleError
from .models.plan import Plan
from .screens.commands import Command, CommandTable, HasCommands
from .service import PlanService, create_service
from .settings import Settings, load_theme, save_theme
from .store import PlanStore, StoreError
from .widgets.literal import plain

AUTOSAVE_DELAY_S = 0.8
# An autosave says "Sparar…" only once it has run this long: most land sooner, and the
# bar then goes from "● Ändrat" straight to "✓ Sparat" (one repaint less while typing).
SAVING_SHOWN_AFTER_S = 0.3
# While typing goes on, an autosave that lands leaves the bar at "● Ändrat": "✓ Sparat"
# follows once typing has paused this long. Switching to "✓" between two keys and back
# on the next would repaint the bar with every key, and with it the whole span of the
# screen between the bar and the field being typed in (one paint covers both).
SAVED_SHOWN_AFTER_PAUSE_S = 0.5
# A save that found the team's server away is tried again after these pauses (then every 30 s).
SAVE_RETRY_DELAYS_S = (2.0, 4.0, 8.0, 15.0, 30.0)
# A colleague's save (team store) refreshes an open overview this long after the last one.
REFRESH_AFTER_SAVE_S = 0.3
# Textual's own palette commands we keep, by their English title.
SYSTEM_COMMANDS = {
    "Theme": "app.sys.theme",
    "Quit": "app.sys.quit",
    "Keys": "app.sys.keys",
    "Maximize": "app.sys.maximize",
    "Minimize": "app.sys.minimize",
}

# For projectors: every text colour meets WCAG AAA (7:1) on every background
# the app puts it on (tests/test_saving_ui.py checks each pair). Textual would
# derive muted, disabled (placeholder) and button text as translucent "auto"
# colours; they are set here so their contrast is known.
HIGH_CONTRAST = Theme(
    name="sip-high-contrast",
    primary="#FFD700",
    secondary="#00BFFF",
    accent="#FFD700",
    warning="#FFB000",
    error="#FF9494",
    success="#4CE04C",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
    variables={
        "text": "#FFFFFF",
        "text-muted": "#D9D9D9",
        "text-disabled": "#C8C8C8",
        "foreground-muted": "#D9D9D9",
        "foreground-disabled": "#C8C8C8",
        "button-color-foreground": "#000000",
        "block-cursor-foreground": "#000000",
        "footer-description-foreground": "#FFFFFF",
    },
)


@dataclass
class SaveInFlight:
    """A save running in the background: the session, the edit its snapshot
    covers, and the store's answer to come (the saved plan or a StoreError)."""

    session: MeetingSession
    edit: int
    future: Future[Plan]
    saved: bool | None = None  # set once it has landed
    waiting: bool = False  # for another window's lock: the bar says so
    announced: bool = False  # asked for (Ctrl+S, a step change): "✓" as soon as it lands


# The app's own keys; the footer draws their labels in the UI language (Textual's
# would say "palette"). The palette's "Quit" is a system command.
APP_COMMANDS = CommandTable(
    Command("command_palette", "app.key.palette", "app.cmd.palette_help", key="ctrl+p", show=False, priority=True),
    Command("quit", "app.key.quit", "app.sys.quit_help", key="ctrl+q", show=False, priority=True),
)


class SipApp(GatedApp, HasCommands, App[None]):
    CSS_PATH = ["app.tcss", "screens/dialogs.tcss"]  # dialogs.tcss lives beside dialogs.py
    TITLE = "sip-tui"
    COMMAND_TABLE = APP_COMMANDS
    BINDINGS = APP_COMMANDS.bindings()
    save_status = var("")  # shown by the step screens; a var, so a change repaints only their label

    def __init__(
        self,
        service: PlanService,
        autosave_delay: float = AUTOSAVE_DELAY_S,
        preferences: Path | None = None,
        exit_signals: bool = False,
        store_problem: StoreError | None = None,
    ) -> None:
        """``preferences``: the user's file that remembers the theme (None: not
        remembered, as in tests); ``exit_signals``: save on SIGTERM and SIGHUP;
        ``store_problem``: why the team's database could not be used at start (the
        app then waits for it, trying again, before it shows home)."""
        super().__init__()
        self.store_problem = store_problem
        self._save_retries = 0  # saves in a row that found the server away
        self.service = service
        self.autosave_delay = autosave_delay
        self.session: MeetingSession | None = None
        self.summaries: list[PlanSummary] = []
        self._blank_plan: dict | None = None  # a new plan as it was opened, to tell if anything was written
        self.export_folder: Path | None = None  # where the last export went (its full path on request)
        self._save_timer: Timer | None = None
        self._last_edit = 0.0  # time.monotonic() of the last edit: is the user typing?
        self._saved_timer: Timer | None = None  # shows "✓ Sparat" once typing pauses
        self.input_gate = InputGate(self)
        # One thread, so one save at a time; the store's lock wait never holds up typing.
        self._saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sip-save")
        self._saving: SaveInFlight | None = None
        self.preferences = preferences
        self.exit_signals = exit_signals
        self.register_theme(HIGH_CONTRAST)
        self._refresh_timer: Timer | None = None
        remembered = load_theme(preferences) if preferences else None
        if remembered in self.available_themes:
            self.theme = remembered

    def on_mount(self) -> None:
        if self.exit_signals:
            self._save_on_exit_signals()
        self._stop_listening = threading.Event()
        if self.service.can_watch_saves():
            self._listen_for_saves()
        if self.store_problem is not None:  # home waits underneath until the database answers
            from .screens.waiting import StoreWaitScreen

            self.push_screen(StoreWaitScreen(self.store_problem))

    def on_unmount(self) -> None:
        self._stop_save_timer()  # the app is closing: a timer firing now would find no save thread
        self._stop_saved_timer()
        self._saver.shutdown(wait=False)  # a save still running finishes in its thread
        self._stop_listening.set()

    def watch_theme(self, theme: str) -> None:
        if self.preferences:
            save_theme(self.preferences, theme)

    # -- live overview: a colleague's save refreshes an open overview (team store) --

    @work(thread=True, exclusive=True, group="listen", exit_on_error=False)
    def _listen_for_saves(self) -> None:
        self.service.watch_saves(self._saved_elsewhere, self._stop_listening)

    def _saved_elsewhere(self, plan_id: str) -> None:
        """Called in the listening thread: the refresh waits a moment, so a burst of saves is read once."""
        with suppress(RuntimeError):  # the app has just closed
            self.call_from_thread(self._schedule_refresh)

    def _schedule_refresh(self) -> None:
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        self._refresh_timer = self.set_timer(REFRESH_AFTER_SAVE_S, self._refresh_overview)

    def _refresh_overview(self) -> None:
        self._refresh_timer = None
        from .screens.followups import FollowupsScreen
        from .screens.home import HomeScreen

        if not self.screen_stack:  # the app is closing
            return
        if isinstance(self.screen, HomeScreen):
            self.screen.refresh_plans()
        elif isinstance(self.screen, FollowupsScreen):
            self.screen.load()

    def get_default_screen(self) -> Screen:
        from .screens.home import HomeScreen

        return HomeScreen()

    # -- meetings --------------------------------------------------------------

    def new_meeting(self) -> None:
        plan = self.service.new_plan()
        self._blank_plan = _content(plan)
        self._begin(MeetingSession(self.service, plan), "person")

    def open_plan(self, plan_id: str) -> None:
        try:
            plan = self.service.open(plan_id)
        except StoreError as error:
            self.notify(error_text(error), severity="error", markup=False)
            return
        self._begin(MeetingSession(self.service, plan), "person" if plan.editable else "review")

    def _begin(self, session: MeetingSession, step_id: str) -> None:
        self.session = session
        self._stop_saved_timer()
        self.save_status = (
            t("app.status.saved_at", time=session.plan.updated_at.strftime("%H:%M")) if session.plan.updated_at else ""
        )
        self.push_screen(self._step_screen(step_id))

    def goto_step(self, step_id: str, focus: str | None = None) -> None:
        """Switch to a meeting step; ``focus`` a plan path whose field gets the cursor."""
        self.save_now()
        screen = self._step_screen(step_id)
        self.switch_screen(screen)
        if focus:
            screen.call_after_refresh(self._focus_field, screen, focus)

    @staticmethod
    def _focus_field(screen: Screen, path: str) -> None:
        from .widgets.fields import widget_id

        for widget in screen.query(f"#{widget_id(path)}"):  # absent for a field of a table row
            widget.focus()

    @staticmethod
    def _step_screen(step_id: str):
        from .screens.steps import STEP_SCREENS

        return STEP_SCREENS[step_id]()

    def leave_meeting(self) -> None:
        from .screens.dialogs import ConfirmScreen

        def leave(confirmed: bool | None) -> None:
            if confirmed:
                self._close_meeting(self._back_home)

        self.push_screen(ConfirmScreen(t("app.confirm_leave"), t("app.leave"), t("app.stay")), leave)

    def _back_home(self) -> None:
        """Home, names hidden: the person may still be reading the screen."""
        self.session = None
        self.clear_notifications()  # e.g. the export message naming the person's file
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def _close_meeting(self, then: Callable[[], object], discard: str = "app.discard_and_leave") -> None:
        """Save, then ``then``. If the save fails (another window changed the
        plan, a full disk), ask first and keep the unsaved plan in a recovery file;
        if even that cannot be written, offer ``discard`` (a catalogue key) as the way out."""
        from .screens.dialogs import ConfirmScreen

        if self.wait_for_save():
            then()
            return
        assert self.session is not None
        error = self.session.save_error or ""

        def confirmed(leave: bool | None) -> None:
            if not leave:
                return
            assert self.session is not None
            try:
                path = self.service.save_recovery(self.session.plan)
            except OSError as problem:  # nowhere to keep it: stay, or give the changes up knowingly
                # never str(problem): it names the path
                self._offer_discard(problem.strerror or t("app.unknown_reason"), then, discard)
                return
            self.session.dirty = False  # kept in the recovery file
            then()
            self.notify(t("app.recovery_saved", path=kept_name(path)), markup=False, timeout=20)

        question = t("app.unsaved_leave", error=error)
        self.push_screen(ConfirmScreen(question, t("app.leave_anyway"), t("app.stay")), confirmed)

    def _offer_discard(self, reason: str, then: Callable[[], object], discard: str) -> None:
        """Neither the plan nor a recovery file can be written (a read-only store, a
        full disk): the only way out loses the unsaved changes, so it is asked for
        explicitly, with "Stay" as the default answer."""
        from .screens.dialogs import ConfirmScreen

        def confirmed(give_up: bool | None) -> None:
            if give_up and self.session is not None:
                self.session.dirty = False  # given up on purpose
                then()

        question = t("app.recovery_failed", reason=reason)
        self.push_screen(ConfirmScreen(question, t(discard), t("app.stay"), default_no=True), confirmed)

    # -- saving ----------------------------------------------------------------

    # Typing never waits for the disk: an autosave stores a snapshot of the plan
    # in a background thread (the store may wait up to 5 s for another window's
    # lock). Leaving, quitting and lifecycle changes call ``wait_for_save``.

    def schedule_save(self) -> None:
        """Autosave shortly after the last change (debounced while typing)."""
        self._last_edit = time.monotonic()
        self._stop_saved_timer()
        self._schedule_autosave()

    def _schedule_autosave(self) -> None:
        if self._saving is None and self.session is not None and self.session.dirty:
            self.save_status = t("app.status.changed")  # never "saved" while an edit is not
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self.autosave_delay, partial(self.save_now, announce=False))

    def _worth_saving(self) -> bool:
        """The open plan changed since it was saved; a new plan nothing was written in is not kept."""
        session = self.session
        if session is None or not session.dirty:
            return False
        return not (session.plan.revision == 0 and _content(session.plan) == self._blank_plan)

    def _stop_save_timer(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None

    def save_now(self, announce: bool = True) -> None:
        """Start saving the open plan in the background if it changed. A request
        while a save runs is coalesced: the plan is saved again once that one lands.
        ``announce``: "Sparar…" at once (else only if the save takes a while: autosave)."""
        self._stop_save_timer()
        session = self.session
        if announce and self._saved_timer is not None and session is not None and not session.dirty:
            self._show_saved()  # asked to save what an autosave has just saved
        if not self._worth_saving() or self._saving is not None or not self.is_running:
            return
        assert session is not None
        edit, snapshot = session.snapshot()
        on_ui_thread = self._from_thread()

        # The flight exists before the thread starts: its first step may already be to wait.
        flight = SaveInFlight(session, edit, Future())

        def waiting() -> None:  # in the save thread, before it waits for another window's lock
            on_ui_thread(self._show_waiting, flight)

        flight.future = self._saver.submit(self.service.save, snapshot, waiting)
        self._saving = flight
        flight.announced = announce
        if announce:
            self.save_status = t("app.status.saving")
        else:
            self.set_timer(SAVING_SHOWN_AFTER_S, partial(self._show_saving, flight))

        flight.future.add_done_callback(lambda _: on_ui_thread(self._land, flight))

    def _from_thread(self) -> Callable[..., None]:
        """Call back on the UI thread without waiting for it (``call_from_thread``
        would block the save thread while the UI thread may be waiting for it),
        in the app's context so timers and messages started there work."""
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()

        def call(callback: Callable[..., object], *args: object) -> None:
            with suppress(RuntimeError):  # the app has closed meanwhile
                loop.call_soon_threadsafe(callback, *args, context=context.copy())

        return call

    def _show_saving(self, flight: SaveInFlight) -> None:
        if self._saving is flight and not flight.waiting:
            self.save_status = t("app.status.saving")

    def _show_waiting(self, flight: SaveInFlight) -> None:
        if self._saving is flight:
            flight.waiting = True
            self.save_status = t("app.status.waiting")

    def _land(self, flight: SaveInFlight) -> bool:
        """Apply a finished background save to its session, once; True if it saved.
        Edits typed meanwhile stay in the plan, and are saved next."""
        if flight.saved is not None:
            return flight.saved
        if self._saving is flight:
            self._saving = None
        try:
            saved = flight.future.result()
        except StoreError as error:
            flight.saved = False
            before = flight.session.save_error
            message = flight.session.save_failed(error)
            if flight.session is self.session:
                if getattr(error, "retry_later", False):  # the server is away: the edits stay and are saved later
                    self._retry_save_later(quiet=message == before)
                else:
                    self._show_not_saved(message)
            return False
        flight.saved = True
        self._save_retries = 0
        flight.session.save_landed(flight.edit, saved)
        if flight.session is self.session:
            if flight.session.dirty:
                self._schedule_autosave()  # what was typed meanwhile
            elif flight.announced:
                self._show_saved()
            else:
                self._show_saved_when_typing_pauses()
        return True

    def _show_saved_when_typing_pauses(self) -> None:
        """Show "✓ Sparat" now if the user has paused typing, else once they pause; the bar
        says "● Ändrat" meanwhile (also after a "Sparar…" or "Väntar…": nothing is in flight)."""
        self._stop_saved_timer()
        session = self.session
        if session is None or session.dirty or self._saving is not None:
            return  # the save to come shows its own status when it lands
        typing_for = SAVED_SHOWN_AFTER_PAUSE_S - (time.monotonic() - self._last_edit)
        if typing_for <= 0:
            self._show_saved()
            return
        self.save_status = t("app.status.changed")
        self._saved_timer = self.set_timer(typing_for, self._typing_paused)

    def _typing_paused(self) -> None:
        self._saved_timer = None  # fired: nothing to stop
        self._show_saved_when_typing_pauses()

    def _stop_saved_timer(self) -> None:
        if self._saved_timer is not None:
            self._saved_timer.stop()
            self._saved_timer = None

    def wait_for_save(self) -> bool:
        """Save the open plan and wait for it to land (before leaving, quitting, a
        lifecycle change); True when everything is saved."""
        self._stop_save_timer()
        flight = self._saving
        if flight is not None:
            with suppress(Exception):  # its outcome is read by _land
                flight.future.result()
            if not self._land(flight):
                return False  # already reported
            if flight.session is self.session and not flight.session.dirty:
                self._show_saved()  # waited for on purpose: no pause in typing to wait for
        session = self.session
        if session is None or not self._worth_saving():
            return True
        error = session.save()
        if error:
            self._show_not_saved(error)
            return False
        self._show_saved()
        return True

    def _retry_save_later(self, quiet: bool) -> None:
        """Try the save again after a pause that grows while the server stays away;
        the message is shown once, not at every try."""
        delay = SAVE_RETRY_DELAYS_S[min(self._save_retries, len(SAVE_RETRY_DELAYS_S) - 1)]
        self._save_retries += 1
        if not quiet:
            self._show_not_saved(self.session.save_error or "")  # type: ignore[union-attr]
        self.save_status = "⚠ " + t("app.status.not_saved_retrying")
        self._stop_save_timer()
        self._save_timer = self.set_timer(delay, self.save_now)

    def _show_saved(self) -> None:
        self._stop_saved_timer()
        self.save_status = t("app.status.saved_at", time=self.service.clock().strftime("%H:%M"))

    def _show_not_saved(self, error: str) -> None:
        self.save_status = "⚠ " + t("app.status.not_saved")
        self.notify(error, severity="error", markup=False, timeout=10)

    def _save_on_exit_signals(self) -> None:
        """Closing the terminal window (SIGHUP) or a shutdown (SIGTERM) would
        end the app at once: save first. POSIX only (Windows has neither)."""
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None:
                with suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(number, self._exit_keeping_the_plan)

    def _exit_keeping_the_plan(self) -> None:
        """Save the open plan, else keep it in a recovery file; then close."""
        if self.session is not None and not self.wait_for_save():
            with suppress(OSError):
                self.service.save_recovery(self.session.plan)
            self.session.dirty = False
        self.exit()

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (it copies in a field): say how to, in the UI language."""
        self.notify(t("app.ctrl_c"), title=t("app.ctrl_c_title"), markup=False)

    def _handle_exception(self, error: Exception) -> None:
        """An unexpected error: keep the open plan (saved, else in a recovery file),
        write a crash report that holds no field value, say so in the UI language and
        exit with status 1. Textual would print the traceback with its local variables
        and the exception's text (pydantic's ``input_value``: names, personnummer) on
        the shared screen."""
        self._return_code = 1
        if self._exception is None:
            self._exception = error  # run_test re-raises it: a crash fails the test
            self._exception_event.set()
        self.bell()
        lines = [t("app.crashed")]
        with suppress(Exception):
            lines.append(self._keep_after_crash())
        with suppress(Exception):
            report = self.service.write_crash_report(crash_report(error))
            lines.append(t("app.crash_report", path=kept_name(report)))
        self._exit_renderables.append(Text("\n".join(lines)))
        self._close_messages_no_wait()

    def _keep_after_crash(self) -> str:
        if self.session is None or not self._worth_saving():
            return t("app.crash_nothing_lost")
        if self.wait_for_save():
            return t("app.crash_saved")
        path = self.service.save_recovery(self.session.plan)
        return t("app.recovery_saved", path=kept_name(path))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands in the UI language, without "Screenshot" (it would
        write the open plan to an SVG file) or any we do not know."""
        for command in super().get_system_commands(screen):
            key = SYSTEM_COMMANDS.get(command.title)
            if key:
                yield command._replace(title=t(key), help=t(f"{key}_help"))

    def search_themes(self) -> None:
        """Textual's theme picker, its placeholder in the UI language."""
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=t("app.theme_placeholder")))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]  # App is invariant
            self.push_screen(CommandPalette(placeholder=t("app.palette_placeholder"), id="--command-palette"))

    def action_quit(self) -> None:  # type: ignore[override]  # Textual runs sync and async actions alike
        if self.session is None:
            self.exit()
        else:
            self._close_meeting(self.exit, "app.discard_and_quit")

    # -- lifecycle -------------------------------------------------------------

    def apply_change(
        self, change: Callable[[Plan], Plan], on_error: Callable[[str], object] | None = None
    ) -> Plan | None:
        """Save, then apply a lifecycle ``change`` (agree, close, start or cancel a
        follow-up) to the open plan. A refusal goes to ``on_error`` (else a
        notification) and returns None."""
        assert self.session is not None
        if not self.wait_for_save():
            return None
        try:
            changed = change(self.session.plan)
        except StoreError as error:
            message = error_text(error)
        except LifecycleError as error:
            message = t(f"lifecycle.{error.code}")
        else:
            self.session.replace(changed)
            self._show_saved()
            return changed
        (on_error or partial(self.notify, severity="error", markup=False))(message)
        return None

    def agree(self, names: list[str]) -> None:
        """Agree the open plan as version N+1."""
        agreed = self.apply_change(lambda plan: self.service.agree(plan, names))
        if agreed:
            self.notify(t("app.agreed", version=agreed.version), timeout=8)
            self.goto_step("review")

    @work(thread=True, exclusive=True, group="prepare-export")
    def prepare_export(self) -> None:
        self.service.prepare_export()

    def export_plan(self) -> None:
        """Write the Word document (and the calendar invite when a follow-up is booked)."""
        assert self.session is not None
        if not self.wait_for_save():
            return
        from .export.ics import IcsError  # icalendar loads only when exporting
        from .models.enums import PlanStatus

        plan = self.session.plan
        calendar_note = ""
        try:
            written = [self.service.export_docx(plan)]
            cancellation = self.service.export_ics_cancellation(plan)
            if cancellation is not None:
                written.append(cancellation)
            if plan.followup.date and not plan.followup.held and plan.status != PlanStatus.CLOSED:
                try:
                    written.append(self.service.export_ics(plan))
                except IcsError as error:  # e.g. the day has passed: said, never silently skipped
                    calendar_note = str(error)
        except OSError as error:  # e.g. the export folder is not writable: say which file and why
            name = Path(str(error.filename)).name if error.filename else ""  # not the folder's full path
            message = t("app.export_failed_file", path=name, reason=error.strerror or t("app.unknown_reason"))
            self.notify(message, severity="error", markup=False, timeout=10)
            return
        except ValueError as error:  # the template or the calendar file: a catalogue message
            message = t(getattr(error, "code", "app.export_failed"), **getattr(error, "params", {}))
            self.notify(message, severity="error", markup=False, timeout=10)
            return
        # The shared screen shows the folder's short name; its full path on request.
        self.export_folder = written[0].parent
        files = "\n".join(p.name for p in written)
        self.notify(t("app.exported", folder=self.export_folder.name, files=files), markup=False, timeout=12)
        if calendar_note:
            self.notify(calendar_note, severity="warning", markup=False, timeout=12)

    def export_pdf(self) -> None:
        """The plan as a PDF, converted by LibreOffice away from the UI thread
        (it takes a few seconds); a clear message where LibreOffice is missing."""
        assert self.session is not None
        if not self.wait_for_save():
            return
        from .export.pdf import libreoffice

        if libreoffice() is None:
            self.notify(t("pdf.error.no_libreoffice"), severity="error", markup=False, timeout=12)
            return
        plan = self.session.plan.model_copy(deep=True)
        self.notify(t("app.exporting_pdf"), markup=False)
        on_ui_thread = self._from_thread()

        def convert() -> None:
            try:
                path = self.service.export_pdf(plan)
            except OSError as error:
                name = Path(str(error.filename)).name if error.filename else ""
                reason = error.strerror or t("app.unknown_reason")
                on_ui_thread(self._pdf_failed, t("app.export_failed_file", path=name, reason=reason))
            except ValueError as error:  # PdfError, a template error: a catalogue message
                on_ui_thread(self._pdf_failed, str(error))
            else:
                on_ui_thread(self._pdf_done, path)

        self.run_worker(convert, thread=True, exclusive=False, group="pdf")

    def _pdf_done(self, path: Path) -> None:
        self.export_folder = path.parent
        self.notify(t("app.exported", folder=path.parent.name, files=path.name), markup=False, timeout=12)

    def _pdf_failed(self, message: str) -> None:
        self.notify(message, severity="error", markup=False, timeout=12)

    def show_export_folder(self) -> None:
        if self.export_folder is None:
            self.notify(t("app.no_export_yet"), markup=False)
        else:
            self.notify(t("app.export_folder", path=str(self.export_folder)), markup=False, timeout=20)

    def notify(self, message: str, *, markup: bool = True, **kwargs) -> None:  # type: ignore[override]
        """A plain-text message (user text in it) never sends a control character to the terminal."""
        super().notify(message if markup else plain(message, multiline=True), markup=markup, **kwargs)

    def start_followup(self) -> None:
        """After a confirmation: one Enter on the review step must not open an agreed plan."""
        from .screens.dialogs import ConfirmScreen

        assert self.session is not None
        version = self.session.plan.version
        question = t("app.confirm_start_followup", version=version, next=version + 1)
        opened = self._after_confirm(self.service.start_followup, lambda plan: self.goto_step("insatser"))
        self.push_screen(ConfirmScreen(question, t("app.start"), t("app.cancel")), opened)

    def discard_followup(self) -> None:
        from .screens.dialogs import ConfirmScreen

        assert self.session is not None
        question = t("app.confirm_discard_followup", version=self.session.plan.version)

        def discarded(plan: Plan) -> None:
            self.goto_step("review")
            self.notify(t("app.followup_discarded", version=plan.version))

        confirmed = self._after_confirm(self.service.discard_followup, discarded)
        self.push_screen(ConfirmScreen(question, t("app.discard_followup"), t("app.stay")), confirmed)

    def _after_confirm(
        self, change: Callable[[Plan], Plan], then: Callable[[Plan], object]
    ) -> Callable[[bool | None], None]:
        """A dialog callback: once confirmed, apply ``change``, then ``then``."""

        def run(confirmed: bool | None) -> None:
            if confirmed and self.session is not None and (changed := self.apply_change(change)):
                then(changed)

        return run

    def close_plan(self) -> None:
        from .screens.close import CloseScreen

        self.push_screen(CloseScreen())

    def show_versions(self) -> None:
        from .screens.versions import VersionsScreen

        self.push_screen(VersionsScreen())

    def show_followups(self) -> None:
        from .screens.followups import FollowupsScreen

        self.push_screen(FollowupsScreen())

    def show_catalogue(self) -> None:
        from .screens.offers import CatalogueScreen

        self.push_screen(CatalogueScreen())

    def show_report(self) -> None:
        from .screens.report import ReportScreen

        self.push_screen(ReportScreen())

    def show_deviations(self) -> None:
        from .screens.deviations import DeviationsScreen

        self.push_screen(DeviationsScreen())


def _content(plan: Plan) -> dict:
    return plan.model_dump(exclude={"id", "created_at", "updated_at"})


def build_app(
    service: PlanService,
    autosave_delay: float = AUTOSAVE_DELAY_S,
    preferences: Path | None = None,
    exit_signals: bool = False,
    store_problem: StoreError | None = None,
) -> SipApp:
    """The app on a ready service (tests and benchmarks: a temporary store, a fixed clock).
    ``store_problem``: the team's database did not answer at start (the app waits for it)."""
    return SipApp(service, autosave_delay, preferences, exit_signals, store_problem)


def create_app(
    store: PlanStore | None = None,
    settings: Settings | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    *,
    preferences: Path | None = None,
    exit_signals: bool = False,
) -> SipApp:
    """The app as ``sip-tui`` starts it: the service assembled by ``create_service``
    from the store, its settings and the clock (each part defaulted there). A team's
    server that does not answer is waited for in the app; any other problem with
    its database is raised here (StoreError)."""
    service = create_service(store, settings, clock)
    return build_app(service, preferences=preferences, exit_signals=exit_signals, store_problem=_server_away(service))


def _server_away(service: PlanService) -> StoreError | None:
    try:
        service.reach_store()
    except StoreError as error:
        if not getattr(error, "retry_later", False):
            raise
        return error
    return None


def run_app(app: SipApp) -> int:
    """Run the app; the exit status is 1 after an unexpected error."""
    app.run()
    return app.return_code or 0
