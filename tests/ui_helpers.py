"""Driving the real app like a facilitator: focus a field, type, choose."""

from __future__ import annotations

import html
import re

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Static, TextArea


async def type_into(pilot: Pilot, selector: str, text: str) -> None:
    """Focus the field and type: the first key pressed for real, the rest pasted
    (Pilot.press waits ~90 ms per key, which would make a whole meeting crawl)."""
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    if text:
        await pilot.press(_character_to_key(text[0]))
    if len(text) > 1:
        pilot.app.post_message(events.Paste(text[1:]))  # as the terminal driver delivers it
    await pilot.pause()


async def choose(pilot: Pilot, selector: str, value: str) -> None:
    """Pick an option in a Select, as a click on the option would."""
    widget = pilot.app.screen.query_one(selector)
    widget.value = value
    await pilot.pause()


async def tick(pilot: Pilot, selector: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.press("space")


def screen_text(pilot: Pilot) -> str:
    """What the terminal shows right now, line by line (read from a screenshot)."""
    svg = pilot.app.export_screenshot()
    lines: dict[float, list[tuple[float, str]]] = {}
    for x, y, content in re.findall(r'<text[^>]*x="([\d.]+)"[^>]*y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        lines.setdefault(float(y), []).append((float(x), html.unescape(content).replace("\xa0", " ")))
    return "\n".join("".join(text for _, text in sorted(parts)) for _, parts in sorted(lines.items()))


def widget_text(screen) -> str:
    """The text of every displayed widget, scrolled out of view or not."""
    parts = []
    for widget in screen.query("*"):
        if not widget.display:
            continue
        if isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
        elif isinstance(widget, DataTable):
            parts.extend(str(cell) for row in widget.rows for cell in widget.get_row(row))
        elif isinstance(widget, Button):
            parts.append(str(widget.label))
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)


def post_keys(app, *keys: str) -> None:
    """Keys as a terminal delivers them at machine speed: all queued at once, no pause.
    A one-character string is typed; anything longer is a key name (``tab``, ``f2``)."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, None))


async def until(pilot: Pilot, condition, timeout: float = 60.0) -> None:
    """Wait (without a fixed sleep) until ``condition()`` holds; fail after ``timeout`` s
    (generous: on a loaded CI machine one step change can take seconds; a hang still fails)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {getattr(condition, '__name__', condition)}")
        await pilot.pause()


async def settled(pilot: Pilot) -> None:
    """Every posted key has been delivered and handled, and the screen repainted."""
    gate = pilot.app.input_gate

    def keys_handled() -> bool:
        return not gate.busy and not gate.waiting and pilot.app._message_queue.empty()

    await until(pilot, keys_handled)
    await pilot.pause()


async def still_cursors(pilot: Pilot) -> None:
    """Settle, then stop every text cursor on the screen blinking, so that a snapshot
    shows the same frame however late (on a loaded machine) it is taken."""
    await settled(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
            # TextArea caches a line by a key that is the same for a hidden cursor and
            # a steady one: drop the cache, or a frame from a blink-off phase stays.
            widget.notify_style_update()
            widget.refresh()
    await settled(pilot)


def palette_highlights(pilot: Pilot, words: str):
    """A condition: the command palette's highlighted command contains ``words``."""
    from textual.command import CommandList

    def highlighted() -> bool:
        found = pilot.app.screen.query(CommandList)
        if not found or found.first().highlighted is None:
            return False
        options = found.first()
        return words.lower() in str(options.get_option_at_index(options.highlighted).prompt).lower()

    return highlighted
