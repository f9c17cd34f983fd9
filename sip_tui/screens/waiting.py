"""Shown over home when the team's database does not answer at start: says
so in plain words, tries again by itself (waiting longer each time), counts down
to the next try, and opens home as soon as the server answers. ``r`` tries at
once; Esc or ``q`` quits. The message names the server by its URL without the
password."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from ..describe import error_text
from ..i18n import t
from ..service import StoreError
from ..widgets.literal import literal

if TYPE_CHECKING:
    from textual import getters

    from ..app import SipApp

# Seconds before each next try: soon at first, then no more often than every 30 s.
RETRY_DELAYS_S = (2.0, 4.0, 8.0, 15.0, 30.0)
COUNTDOWN_EVERY_S = 0.25


class StoreWaitScreen(Screen[None]):
    if TYPE_CHECKING:
        app = getters.app(SipApp)
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("r,enter", "retry", t("store.wait_key_retry"), id="retry"),
        Binding("escape,q", "app.quit", t("store.wait_key_quit"), id="quit"),
    ]

    def __init__(self, problem: StoreError) -> None:
        super().__init__()
        self._problem = problem
        self._tries = 0
        self._next_try: float | None = None  # time.monotonic() of the next try; None while one runs
        self._countdown: Timer | None = None

    def compose(self) -> ComposeResult:
        message = Static(id="wait-message", classes="home-part")
        message.border_title = t("store.wait_title")
        yield message
        yield Static(id="wait-status", classes="home-part")
        yield Footer()

    def on_mount(self) -> None:
        self._show_problem(self._problem)
        self._countdown = self.set_interval(COUNTDOWN_EVERY_S, self._tick)
        self._retry_later()

    def _show_problem(self, problem: StoreError) -> None:
        if problem.code == "store.unreachable":
            text = t("store.wait_unreachable", file=problem.file)
        else:  # reached, but not usable yet (no schema): what to do, in plain words
            text = error_text(problem)
        self.query_one("#wait-message", Static).update(literal(text, multiline=True))

    def _retry_later(self) -> None:
        delay = RETRY_DELAYS_S[min(self._tries, len(RETRY_DELAYS_S) - 1)]
        self._tries += 1
        self._next_try = time.monotonic() + delay
        self._tick()

    def _tick(self) -> None:
        if self._next_try is None:
            return
        left = self._next_try - time.monotonic()
        if left <= 0:
            self.action_retry()
        else:
            self._status(t("store.wait_retry_in", seconds=math.ceil(left)))

    def _status(self, text: str) -> None:
        self.query_one("#wait-status", Static).update(literal(text))

    def action_retry(self) -> None:
        if self._next_try is None:
            return  # a try is running
        self._next_try = None
        self._status(t("store.wait_trying"))
        self._try()

    @work(thread=True, exclusive=True, group="reach-store", exit_on_error=False)
    def _try(self) -> None:
        try:
            self.app.service.reach_store()
        except StoreError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._reached)

    def _failed(self, error: StoreError) -> None:
        self._show_problem(error)
        self._retry_later()

    def _reached(self) -> None:
        if self._countdown is not None:
            self._countdown.stop()
        self.app.store_problem = None
        self.app.pop_screen()  # home, which scans the plans again as it comes back
