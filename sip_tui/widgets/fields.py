"""Form fields bound to a plan path.

Each field is a labelled input whose ``name`` is its plan path; the step
screen routes every change to ``MeetingSession.set`` and shows the returned
message in the field's error line (with a ⚠, not colour alone).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Blur, Focus, Key, Paste
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from ..i18n import label, t
from ..models import personnummer
from ..models.entry import clean_typed
from .literal import literal, plain


def error_id(path: str) -> str:
    return "err-" + path.replace(".", "-")


def widget_id(path: str) -> str:
    return "f-" + path.replace(".", "-")


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class Harmless(Highlighter):
    """Shows an input's value with control and bidi characters made visible;
    the value itself stays as typed (one character for one: the cursor fits)."""

    def highlight(self, text: Text) -> None:
        text.plain = plain(text.plain)


HARMLESS = Harmless()


class LiteralTextArea(TextArea):
    """A text area that paints control and bidi characters as visible stand-ins."""

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        line.plain = plain(line.plain, multiline=True)
        return line


class FieldError(Static):
    """The message under a field; empty when the value is fine."""

    message: str | None = None

    def show(self, message: str | None) -> None:
        if message == self.message:
            return  # nothing to repaint: keeps typing cheap
        self.message = message
        self.update(literal(f"⚠ {message}") if message else "")
        self.set_class(bool(message), "-visible")


class Check(Checkbox):
    """A checkbox that shows its state as a mark, not by colour alone."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - overrides Textual's class constant
        return "✓" if self.value else " "


class TypedInput(Input):
    """A one-line field: a paste keeps every line (joined by spaces), without
    control or bidi-override characters. Textual's own Input keeps the first line."""

    def _on_paste(self, event: Paste) -> None:
        event.prevent_default()  # instead of Input's handler
        event.stop()
        text = clean_typed(event.text, multiline=False)
        if text:
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)


class TypedArea(LiteralTextArea):
    """A multi-line box: a paste keeps its lines and tabs, without control or bidi-override characters."""

    async def _on_paste(self, event: Paste) -> None:
        event.prevent_default()  # instead of TextArea's handler
        event.stop()
        text = clean_typed(event.text)
        if text and not self.read_only and (result := self._replace_via_keyboard(text, *self.selection)):
            self.move_cursor(result.end_location)


class PersonnummerInput(TypedInput):
    """Shows ``19850312-••••`` unless it is the focused field of the screen on
    top, so the room never reads the number (not behind the palette, help or a
    dialog either)."""

    def __init__(self, value: str, **kwargs: Any) -> None:
        super().__init__(personnummer.mask_typed(value), **kwargs)
        self.real_value = value
        self.masked = True

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def _screen_changed(self, screen: object) -> None:
        if screen is self.screen and self.screen.focused is self:
            self._unmask()
        else:
            self._mask()

    def _unmask(self) -> None:
        if self.masked:
            self.masked = False
            with self.prevent(Input.Changed):
                self.value = self.real_value

    def _mask(self) -> None:
        if not self.masked:
            self.masked = True
            self.real_value = self.value
            with self.prevent(Input.Changed):
                self.value = personnummer.mask_typed(self.real_value)

    def _on_focus(self, event: Focus) -> None:
        if self.app.screen is self.screen:
            self._unmask()
        super()._on_focus(event)

    def _on_blur(self, event: Blur) -> None:
        self._mask()
        super()._on_blur(event)


class TypeAheadSelect(Select):
    """A closed drop-down takes type-ahead as a native one does: a letter picks the
    next option that starts with it (again for the one after). Open, Textual's own
    search applies."""

    def _on_key(self, event: Key) -> None:  # type: ignore[override]  # Textual runs sync and async handlers alike
        character = event.character
        if self.expanded or not character or not character.isprintable() or character == " ":
            return
        options = [(str(prompt), value) for prompt, value in self._options if value is not Select.NULL]
        matching = [value for prompt, value in options if prompt.casefold().startswith(character.casefold())]
        if not matching:
            return
        event.stop()
        event.prevent_default()
        after = matching.index(self.value) + 1 if self.value in matching else 0
        self.value = matching[after % len(matching)]


class Field(Vertical):
    """Label, input and error line for one plan path."""

    DEFAULT_CSS = """
    Field { height: auto; margin: 0 1 0 0; }
    Field > Label { color: $text-muted; }
    Field > FieldError { display: none; color: $error; }
    Field > FieldError.-visible { display: block; }
    """

    def __init__(self, caption: str, path: str, editor: Any, error: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.caption = caption
        self.path = path
        self.editor = editor
        self.initial_error = error

    def compose(self) -> ComposeResult:
        yield Label(literal(self.caption))
        yield self.editor
        error = FieldError(id=error_id(self.path))
        error.show(self.initial_error)
        yield error


def text_field(
    caption: str, path: str, value: Any, error: str | None = None, placeholder: str = "", **kw: Any
) -> Field:
    editor = TypedInput(
        as_text(value), name=path, id=widget_id(path), placeholder=placeholder, compact=True, highlighter=HARMLESS, **kw
    )
    return Field(caption, path, editor, error)


def date_field(caption: str, path: str, value: Any, error: str | None = None) -> Field:
    return text_field(caption, path, value, error, placeholder=t("field.date_placeholder"), classes="date")


def time_field(caption: str, path: str, value: Any, error: str | None = None) -> Field:
    return text_field(caption, path, value, error, placeholder=t("field.time_placeholder"), classes="time")


def personnummer_field(caption: str, path: str, value: Any, error: str | None = None) -> Field:
    editor = PersonnummerInput(
        as_text(value),
        name=path,
        id=widget_id(path),
        placeholder=t("field.pnr_placeholder"),
        compact=True,
        highlighter=HARMLESS,
    )
    return Field(caption, path, editor, error)


def area_field(caption: str, path: str, value: Any, error: str | None = None, height: int = 4) -> Field:
    editor = TypedArea(
        as_text(value), name=path, id=widget_id(path), soft_wrap=True, show_line_numbers=False, compact=True
    )
    editor.styles.height = height
    return Field(caption, path, editor, error)


def check_field(caption: str, path: str, value: bool) -> Check:
    return Check(caption, bool(value), name=path, id=widget_id(path), compact=True)


def select_field(caption: str, path: str, value: Enum | None, options: list[Enum], allow_blank: bool = False) -> Field:
    choices = [(label(option), option.value) for option in options]
    initial = value.value if value is not None else Select.NULL
    editor = TypeAheadSelect(
        choices,
        prompt=t("field.select_prompt"),
        value=initial,
        allow_blank=allow_blank,
        name=path,
        id=widget_id(path),
        compact=True,
    )
    return Field(caption, path, editor)
