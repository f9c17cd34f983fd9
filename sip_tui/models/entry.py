"""Dates and times as people type them into a meeting, in the shape the models read.

Only the shape is checked here; whether the day exists (2027-02-30) is the
models' own validation, with its own message."""

from __future__ import annotations

import re

_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# 13:30, 13.30 (the Swedish way), 1330 or 13.
_TIME = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?$")


def iso_date(text: str) -> str | None:
    """``2027-2-10`` -> ``2027-02-10``; None when the text is not shaped as a date."""
    match = _DATE.match(text.strip())
    return "{}-{:0>2}-{:0>2}".format(*match.groups()) if match else None


def iso_time(text: str) -> str | None:
    """``13.30``, ``1330``, ``9`` -> ``13:30``, ``13:30``, ``09:00``; None when not shaped as a time."""
    match = _TIME.match(text.strip())
    return f"{match[1]:0>2}:{match[2] or '00'}" if match else None


# Control characters other than tab and newline, and the bidi embeddings,
# overrides and isolates that can make text read backwards ("\u202e"). Text
# copied from Word or a PDF carries such characters; the models refuse them.
_UNTYPABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_typed(text: str, multiline: bool = True) -> str:
    """Typed or pasted text as a field keeps it: line breaks normalised, the
    characters above removed; a one-line field gets spaces for line breaks and tabs."""
    text = _UNTYPABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return text
