"""User text on screen exactly as typed: never markup, never a terminal control.

Every widget that shows text a person typed (a name, a goal, a file a
colleague edited by hand) builds it here. ``[b]`` or ``[/x]`` stays those
characters, and a control character (an escape sequence would reach the
terminal as it is) or a bidi override (it would turn the rest of the line
around) is replaced by a visible stand-in, one character for one, so the
styles of a rich ``Text`` still fit.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

REPLACEMENT = "\ufffd"
# Bidi embeddings, overrides, isolates and marks: they reorder what follows them.
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
# C0 controls as their Unicode "control pictures" (ESC shows as ␛), DEL as ␡, C1 as �.
_ONE_LINE: dict[int, int | str] = {
    **{code: 0x2400 + code for code in range(0x20)},
    0x7F: 0x2421,
    **{code: REPLACEMENT for code in range(0x80, 0xA0)},
    **{code: REPLACEMENT for code in _BIDI},
    0x09: " ",  # a tab or line break in a one-line place reads as a space
    0x0A: " ",
    0x0D: " ",
}
_MULTI_LINE: dict[int, int | str] = {**_ONE_LINE, 0x09: 0x09, 0x0A: 0x0A}


def plain(text: str, multiline: bool = False) -> str:
    """``text`` with every control and bidi character made harmless (same length)."""
    return text.translate(_MULTI_LINE if multiline else _ONE_LINE)


def literal(text: str, multiline: bool = False) -> Content:
    """User text as a Textual renderable that is never parsed as markup."""
    return Content(plain(text, multiline))


def literal_text(text: Text | str, multiline: bool = True) -> Text:
    """A rich ``Text`` (its styles kept) or a string, made harmless."""
    if isinstance(text, str):
        return Text(plain(text, multiline))
    harmless = text.copy()
    harmless.plain = plain(text.plain, multiline)
    return harmless
