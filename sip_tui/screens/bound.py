"""Routes every edit on a screen to the open meeting session."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.css.query import NoMatches
from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

from ..describe import caption
from ..i18n import label, t
from ..models.enums import Income
from ..models.plan import ITEM_SECTIONS, Situation
from ..widgets.fields import (
    Field,
    FieldError,
    PersonnummerInput,
    TypeAheadSelect,
    area_field,
    check_field,
    date_field,
    error_id,
    personnummer_field,
    select_field,
    text_field,
    time_field,
    widget_id,
)
from ..widgets.link_list import LinkList


def incomes_field(caption: str, path: str, chosen: list[Income]) -> Field:
    """Sources of income, several may be ticked (ticks are marks, not colour alone)."""
    editor = LinkList(
        *((label(income), income.value, income in chosen) for income in Income), name=path, id=widget_id(path)
    )
    editor.styles.height = len(Income) + 2  # every source in view, within its border
    return Field(caption, path, editor)


def tick_incomes(choices: SelectionList, before: list) -> list[Income]:
    """The sources of income after a tick, by the plan's rule ("ingen offentlig
    försörjning" stands alone), the list's ticks made to match."""
    chosen = Situation.ticked([str(code) for code in before], [str(code) for code in choices.selected])
    if set(chosen) != set(choices.selected):
        with choices.prevent(SelectionList.SelectedChanged):
            choices.deselect_all()
            for income in chosen:
                choices.select(income.value)
    return chosen


if TYPE_CHECKING:
    from textual import getters
    from textual.message_pump import MessagePump as _Screen

    from ..app import SipApp
    from ..meeting import MeetingSession
else:
    _Screen = object


class BoundForm(_Screen):
    """Mixin for screens whose widgets carry a plan path as their ``name``."""

    if TYPE_CHECKING:
        app = getters.app(SipApp)  # the type checker sees the app's own attributes

    @property
    def session(self) -> MeetingSession:
        assert self.app.session is not None
        return self.app.session

    # -- field builders: value and any pending error come from the session --

    def text(self, path: str, **kwargs: Any) -> Field:
        return text_field(caption(path), path, self.session.value(path), self.session.error(path), **kwargs)

    def date(self, path: str) -> Field:
        return date_field(caption(path), path, self.session.value(path), self.session.error(path))

    def time(self, path: str) -> Field:
        return time_field(caption(path), path, self.session.value(path), self.session.error(path))

    def area(self, path: str, height: int = 4) -> Field:
        return area_field(caption(path), path, self.session.value(path), self.session.error(path), height)

    def pnr(self, path: str) -> Field:
        return personnummer_field(caption(path), path, self.session.value(path), self.session.error(path))

    def check(self, path: str) -> Any:
        return check_field(caption(path), path, self.session.value(path))

    def choice(self, path: str, options: list, allow_blank: bool = False) -> Field:
        return select_field(caption(path), path, self.session.value(path), options, allow_blank)

    def pick(self, path: str, choices: list[tuple[str, str]]) -> Field:
        """A drop-down of (caption, value) pairs that are not an enum: another
        item's id, or yes/no for a bool that may be left open (blank is None)."""
        value = self.session.value(path)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        known = {choice for _, choice in choices}
        editor = TypeAheadSelect(
            choices,
            prompt=t("field.select_prompt"),
            value=value if value in known else Select.NULL,
            allow_blank=True,
            name=path,
            id=widget_id(path),
            compact=True,
        )
        return Field(caption(path), path, editor)

    # -- routing edits -------------------------------------------------------

    def apply(self, path: str | None, value: Any, typing: bool = False) -> None:
        """Hand an edit to the session. While typing, a correction clears the
        field's error at once but a new error waits until the field is left."""
        if not path or not self.session.can_edit(path):
            return
        pending_before = set(self.session.plan.pending_input)
        message = self.session.set(path, value)
        if not (typing and message):
            self.show_error(path, message)
        for resolved in pending_before - set(self.session.plan.pending_input) - {path}:
            self.show_error(resolved, None)  # this edit made another kept input valid
        self.app.schedule_save()
        self.after_edit(path)

    def show_error(self, path: str, message: str | None) -> None:
        try:
            self.query_one(f"#{error_id(path)}", FieldError).show(message)  # type: ignore[attr-defined]
        except NoMatches:
            if message:
                self.app.notify(message, severity="error", markup=False)

    def after_edit(self, path: str) -> None:
        """Hook for screens that show derived state (e.g. a table row)."""

    # Named handlers, not @on: this is a mixin, and Textual collects @on
    # decorators only from message-pump classes.
    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, PersonnummerInput) and not event.input.has_focus:
            return  # the masked display value, not an edit
        if event.input.disabled:
            return  # a value shown, not typed: the birth year read from the personnummer
        self.apply(event.input.name, event.value, typing=True)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input.name and self.session.can_edit(event.input.name):
            self.show_error(event.input.name, self.session.error(event.input.name))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.apply(event.text_area.name, event.text_area.text)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.apply(event.checkbox.name, event.value)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.apply(event.select.name, None if event.value is Select.NULL else event.value)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        name = event.selection_list.name
        if not name or not self.session.can_edit(name):
            return
        if name.split(".")[0] not in ITEM_SECTIONS:  # several of a fixed list: sources of income
            self.apply(name, tick_incomes(event.selection_list, self.session.value(name) or []))
            return
        section, item_id, field = name.split(".")
        self.session.set_links(section, item_id, field, event.selection_list.selected)
        self.app.schedule_save()
