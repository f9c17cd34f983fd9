"""The whole plan as the room reads it (sip_tui.describe), drawn as rich text:
headings bold, details dim. User text stays plain text; no markup is read."""

from __future__ import annotations

from collections.abc import Iterator

from rich.text import Text

from ..describe import Section
from ..describe import plan_sections as described_sections
from ..models.plan import Plan

_STYLE = {"": "", "strong": "bold", "muted": "dim", "aside": "italic", "empty": "italic"}


def section_text(section: Section) -> Text:
    text = Text()
    for index, line in enumerate(section.lines):
        if index:
            text.append("\n")
        text.append(line.text, style=_STYLE[line.emphasis])
    return text


def plan_sections(plan: Plan) -> Iterator[tuple[str, Text]]:
    """(title, body) per section, in the order of the agreed document."""
    for section in described_sections(plan):
        yield section.title, section_text(section)
