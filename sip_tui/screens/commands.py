"""The command palette offers the current screen's own actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from ..widgets.literal import literal

PaletteCommand = tuple[str, str, Callable[[], object]]  # title, help, action


class HasCommands(Protocol):
    def palette_commands(self) -> list[PaletteCommand]: ...


class ScreenCommands(Provider):
    """Commands from ``screen.palette_commands()``: one list drives the palette,
    so it can never offer what the screen would not (no names in a meeting)."""

    def _commands(self) -> list[PaletteCommand]:
        screen = self.screen
        return screen.palette_commands() if hasattr(screen, "palette_commands") else []

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(literal(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, _highlight(matcher, title), callback, text=title, help=help_text)


def _highlight(matcher: Matcher, title: str) -> Content:
    """``title`` as typed, its matched letters marked (``Matcher.highlight`` would read it as markup)."""
    content = literal(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
