"""One command table per screen, after Hike's commands.

A ``Command`` names its key, its catalogue keys (the footer's short label, the
palette's title, a help line, a button's label), its action and the condition
under which it is available. A screen lists its commands once in
``COMMAND_TABLE``; its ``BINDINGS``, ``check_action``, the footer's labels, the
command palette and the review's buttons all come from that list, so they can
never disagree. Labels are looked up in the catalogue when they are drawn: the
footer follows the language even when it was chosen after the screens were
imported (a ``Binding``'s description is a string fixed when it is made).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import partial
from itertools import groupby
from typing import Any, ClassVar, TypeVar

from textual.actions import parse
from textual.binding import ActiveBinding, Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.keys import _character_to_key
from textual.screen import Screen
from textual.widgets import Input, TextArea
from textual.widgets._select import SelectOverlay

from ..i18n import t
from ..widgets.literal import literal

# Keys that type a character: in a text field they are text, not a command.
_PRINTABLE_KEYS = {_character_to_key(c) for c in string.ascii_letters + string.digits + string.punctuation}

# Textual's own footer labels, in the UI language: (widget, action) -> catalogue key.
TEXTUAL_LABELS: dict[tuple[type, str], str] = {(SelectOverlay, "dismiss"): "app.key.dismiss_menu"}


def always(node: Any) -> bool:
    return True


@dataclass(frozen=True)
class Command:
    """One thing a screen (or widget) offers.

    ``title``, ``help``, ``footer`` and ``button`` are catalogue keys, filled in
    with ``params(node)``. ``available(node)`` says whether the command is offered
    now: an unavailable command is neither in the footer nor in the palette, its
    key does nothing and its button is not shown."""

    action: str  # the node's action, e.g. "agree" or "goto('person')"
    title: str  # the palette's title (and the button's label unless ``button`` is given)
    help: str  # the palette's help line (and the footer key's tooltip)
    key: str = ""  # Textual key(s), "slash,s"; "" for a command without a key
    footer: str = ""  # the footer's short label; "" for the title
    available: Callable[[Any], bool] = always
    show: bool = True  # shown in the footer (when it has a key)
    palette: bool = True  # offered in the command palette
    priority: bool = False  # the key wins over a focused widget's own binding
    button: str = ""  # the label of a button (or link) on the screen that runs it
    variant: str = "default"  # the button's variant
    params: Callable[[Any], Mapping[str, object]] | None = None
    id: str = ""  # the binding's (and button's) id; by default the action's name

    @property
    def ident(self) -> str:
        return self.id or parse(self.action)[1].replace("_", "-")

    def text(self, key: str, node: Any) -> str:
        return t(key, **self.params(node)) if self.params else t(key)

    def label(self, node: Any) -> str:
        """The footer's label."""
        return self.text(self.footer or self.title, node)

    def button_label(self, node: Any) -> str:
        return self.text(self.button or self.title, node)

    def catalogue_keys(self) -> list[str]:
        return [key for key in (self.title, self.help, self.footer, self.button) if key]

    def binding(self) -> Binding:
        # The description is the label in today's language only so that Textual
        # shows the key; the footer draws ``label()`` (see ``labelled``).
        return Binding(
            self.key,
            self.action,
            t(self.footer or self.title),
            show=self.show,
            priority=self.priority,
            tooltip=t(self.help),
            id=self.ident,
        )

    def matches(self, action: str, parameters: tuple[object, ...]) -> bool:
        _, name, params = parse(self.action)
        return name == action and tuple(params) == tuple(parameters)

    @property
    def printable(self) -> bool:
        return any(key.strip() in _PRINTABLE_KEYS for key in self.key.split(","))

    def run(self, node: Any) -> object:
        """Run the action on ``node`` (as the palette and a button do)."""
        _, name, params = parse(self.action)
        return getattr(node, f"action_{name}")(*params)


class CommandTable:
    """A screen's commands, in the order the palette and the buttons show them."""

    def __init__(self, *commands: Command) -> None:
        self.commands = commands

    def __iter__(self) -> Iterator[Command]:
        return iter(self.commands)

    def __add__(self, other: CommandTable) -> CommandTable:
        return CommandTable(*self.commands, *other.commands)

    def bindings(self) -> list[BindingType]:
        return [command.binding() for command in self.commands if command.key]

    def find(self, action: str, parameters: tuple[object, ...]) -> Command | None:
        return next((c for c in self.commands if c.matches(action, parameters)), None)

    def by_id(self, ident: str | None) -> Command | None:
        return next((c for c in self.commands if c.key and c.ident == ident), None)


_KEY_NAMES = {"ctrl": "Ctrl", "shift": "Shift", "escape": "Esc", "pagedown": "PgDn", "pageup": "PgUp", "slash": "/"}


def key_caption(keys: str) -> str:
    """A command's (first) key as the help and the links name it: "ctrl+s" ->
    "Ctrl+S", "pagedown" -> "PgDn", "slash,s" -> "/", a letter as it is typed."""
    parts = keys.split(",")[0].strip().split("+")
    if len(parts) == 1 and len(parts[0]) == 1:
        return parts[0]
    return "+".join(_KEY_NAMES.get(part, part.upper() if len(part) <= 3 else part.capitalize()) for part in parts)


def keys_help(*tables: tuple[Any, CommandTable]) -> list[str]:
    """The help's list of keys (Markdown): each available command's key and footer
    label, for each (node, its table). A run of commands with one title is one
    entry: "F2–F8 Person–Granska"."""
    entries = []
    for node, table in tables:
        commands = [command for command in table if command.key and command.available(node)]
        for _, same_title in groupby(commands, key=lambda command: command.title):
            run = list(same_title)
            first, last = run[0], run[-1]
            if len(run) == 1:
                entries.append(f"**{key_caption(first.key)}** {first.label(node)}")
            else:
                keys = f"{key_caption(first.key)}–{key_caption(last.key)}"
                entries.append(f"**{keys}** {first.label(node)}–{last.label(node)}")
    return entries


def key_works(node: Any, command: Command) -> bool:
    """Whether ``command`` is offered by its key now: available, and its key is not
    a character typed into the text field that has the cursor."""
    if command.printable and isinstance(node.screen.focused, (Input, TextArea)):
        return False
    return command.available(node)


class HasCommands:
    """A screen, widget or app whose keys come from its ``COMMAND_TABLE``."""

    COMMAND_TABLE: ClassVar[CommandTable] = CommandTable()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        command = self.COMMAND_TABLE.find(action, parameters)
        return True if command is None else key_works(self, command)

    def offered(self) -> list[Command]:
        """The commands available now (as the palette and the buttons offer them)."""
        return [command for command in self.COMMAND_TABLE if command.available(self)]


def labelled(active: ActiveBinding) -> ActiveBinding:
    """``active`` with its label and tooltip in the UI language of this moment."""
    node, binding = active.node, active.binding
    table = getattr(node, "COMMAND_TABLE", None)
    command = table.by_id(binding.id) if isinstance(table, CommandTable) else None
    if command is not None:
        description, tooltip = command.label(node), command.text(command.help, node)
    else:
        key = next((k for (kind, action), k in TEXTUAL_LABELS.items() if isinstance(node, kind) and action == binding.action), None)
        if key is None:
            return active
        description = tooltip = t(key)
    return active._replace(binding=replace(binding, description=description, tooltip=tooltip), tooltip=tooltip)


class ScreenCommands(Provider):
    """The palette offers the screen's available commands, and only those."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        if not isinstance(screen, HasCommands):
            return []
        return [
            (command.text(command.title, screen), command.text(command.help, screen), partial(command.run, screen))
            for command in screen.offered()
            if command.palette
        ]

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(literal(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, _highlight(matcher, title), callback, text=title, help=help_text)


# Commands several screens share.
CANCEL = Command("cancel", "app.key.cancel", "app.cmd.cancel_help", key="escape", palette=False)
BACK_HOME = Command("back", "app.cmd.back_home", "app.cmd.back_home_help", key="escape", footer="followups.key.back")
REPORT_DEVIATION = Command(
    "report_deviation",
    "app.cmd.report_deviation",
    "app.cmd.report_deviation_help",
    key="ctrl+r",
    footer="app.key.report_deviation",
)

ResultType = TypeVar("ResultType")


class CommandScreen(HasCommands, Screen[ResultType]):
    """A screen whose footer, palette and keys come from its command table.

    A dialog lists ``ModalScreen`` first (``class D(ModalScreen[T], CommandScreen[T])``):
    Textual takes a class's CSS from its first base only, and a dialog without
    ModalScreen's would hide the meeting behind it."""

    COMMANDS = {ScreenCommands}

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What the footer (and the key panel) draws: labels looked up now."""
        return {key: labelled(active) for key, active in super().active_bindings.items()}


def _highlight(matcher: Matcher, title: str) -> Content:
    """``title`` as typed, its matched letters marked (``Matcher.highlight`` would read it as markup)."""
    content = literal(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
