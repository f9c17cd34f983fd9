"""Every key reaches the widget the user meant, at any typing speed.

Textual routes a key to the widget that has focus *when the key arrives* and
queues it there; a key that moves focus or changes the screen (Tab, F2, PgDn,
Ctrl+N, Enter on a row or in a dialog, Esc) only takes effect once it has been
processed, often by a message it sets off (``Button.Pressed``,
``Input.Submitted``). Keys typed in between went to the old widget: "777" typed
right after F2 Tab Tab landed in the person's name, or was lost with the
screen it was queued on.

The gate lets one key, paste or click through at a time. The next one is
routed only when the previous has settled: it and what its handling posted have
passed every widget from its target up to the app, and the screen has painted
its effect (a new screen composed and focused). A user who types ahead sees the
same result as one who waits.

Text typed into a text field is the exception, and the bulk of what is typed: a
character or a paste that a focused Input or TextArea takes cannot move focus,
so it is routed at once, in order behind the keys already queued at that field.
"""

from __future__ import annotations

from collections import deque
from time import monotonic
from typing import TYPE_CHECKING

from textual import events
from textual.errors import NoWidget
from textual.message_pump import MessagePump
from textual.timer import Timer
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.app import App

    _AppBase = App
else:
    _AppBase = object

# A click can change the step too (the step row, a missing item); mouse moves and scrolls pass freely.
GATED = (events.Key, events.Paste, events.MouseDown, events.MouseUp)
# Two passes up the DOM: the first follows the key, the second the messages its
# handling posted on the way (a pressed button, a submitted field).
SWEEPS = 2
# A key that made no progress for this long (its widget closed under it, taking
# the check queued there) is followed again from the screen now shown. Never
# simply let go: on a loaded laptop a new dialog can take this long to compose,
# and keys let through early land in no field or the wrong one.
STUCK_S = 3.0


class InputGate:
    def __init__(self, app: App) -> None:
        self.app = app
        self.waiting: deque[events.Event] = deque()
        self.busy = False
        self._target_node: MessagePump = app
        self._typed_into: MessagePump | None = None  # a field given text that has not settled yet
        self._delivered = 0  # which event is in flight: a late check for an earlier one is ignored
        self._screens: tuple[int, ...] = ()
        self._painted = False
        self._progress_at = 0.0
        self._watchdog: Timer | None = None

    def holds(self, event: events.Event) -> bool:
        """Gate a user's key, paste or click (not one already forwarded inside the app)."""
        return isinstance(event, GATED) and not event.is_forwarded

    async def offer(self, event: events.Event) -> None:
        self.waiting.append(event)
        if self._watchdog is None:
            self._watchdog = self.app.set_interval(STUCK_S / 2, self._unstick, name="input-gate-watchdog")
        await self.pump()

    async def pump(self) -> None:
        """Deliver waiting input, one event at a time, while nothing is in flight."""
        while self.waiting and not self.busy:
            event = self.waiting.popleft()
            target = self._target(event)
            if self._is_text(event, target):
                await self.app.deliver_input(event)  # type: ignore[attr-defined]
                self._typed_into = target
                continue
            if self._typed_into is not None:
                # Text typed just ahead may change the layout (a search shows its
                # matches), and Tab follows the focus order of the laid-out screen:
                # the text settles first, then this key is routed.
                self.waiting.appendleft(event)
                self._hold()
                self._follow_from(self._typed_into)
                continue
            self._hold()
            await self.app.deliver_input(event)  # type: ignore[attr-defined]
            self._follow_from(target)

    def _hold(self) -> None:
        """Hold further input until the event now sent has settled."""
        self.busy = True
        self._delivered += 1
        self._screens = self._stack()
        self._painted = False
        self._progress_at = monotonic()

    def _follow_from(self, target: MessagePump) -> None:
        self._typed_into = None
        self._target_node = target
        self._follow(target, SWEEPS, self._delivered)

    def _is_text(self, event: events.Event, target: MessagePump) -> bool:
        """Text for the focused text field: it stays in that field, whatever comes after."""
        if not isinstance(target, (Input, TextArea)) or target is not self.app.focused:
            return False
        return isinstance(event, events.Paste) or (isinstance(event, events.Key) and event.is_printable)

    def _target(self, event: events.Event) -> MessagePump:
        """Where Textual will send the event: the widget under the pointer, or the focused one."""
        if isinstance(event, events.MouseEvent):
            try:
                return self.app.get_widget_at(event.x, event.y)[0]
            except NoWidget:
                return self.app.screen
        return self.app.focused or self.app.screen

    def _stack(self) -> tuple[int, ...]:
        return tuple(id(screen) for screen in self.app.screen_stack)

    def _follow(self, node: MessagePump, sweeps: int, token: int) -> None:
        """Queue a check behind everything now waiting at ``node``, then at its parent."""
        if not node.call_later(self._passed, node, sweeps, token):
            self._passed(node, sweeps, token)  # the node is closing: nothing more will reach it

    def _passed(self, node: MessagePump, sweeps: int, token: int) -> None:
        if token != self._delivered:
            return
        self._progress_at = monotonic()
        parent = node._parent
        if parent is not None:
            self._follow(parent, sweeps, token)
        elif sweeps > 1:
            self._follow(self._target_node, sweeps - 1, token)
        else:
            self._settled(token)

    def _settled(self, token: int) -> None:
        if token != self._delivered:
            return
        if self._painted and self._stack() == self._screens:
            self._release()
        else:  # wait until the screen shows its effect: a new screen composed and focused, a new card focused
            self._painted = True
            self._screens = self._stack()
            self._progress_at = monotonic()
            self.app.screen.call_after_refresh(self._settled, token)

    def _unstick(self) -> None:
        if self.busy and monotonic() - self._progress_at > STUCK_S:
            self._hold()
            self._follow_from(self.app.screen)

    def _release(self) -> None:
        self.busy = False
        if self.waiting:
            self.app.call_later(self.pump)


class GatedApp(_AppBase):
    """Mixin, listed before ``App``: the user's keys, pastes and clicks go through
    ``self.input_gate``, which routes them one at a time with ``deliver_input``."""

    input_gate: InputGate

    async def on_event(self, event: events.Event) -> None:
        if self.input_gate.holds(event):
            await self.input_gate.offer(event)
        else:
            await super().on_event(event)

    async def deliver_input(self, event: events.Event) -> None:
        """Route a key or paste as Textual does (called by the gate, one at a time)."""
        await super().on_event(event)
