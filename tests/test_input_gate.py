"""The input gate on its own: a small app with the gate, so that one rule of
routing is tested without the rest of the meeting around it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button, Input, Label
from ui_helpers import post_keys, settled

from sip_tui.input_gate import GatedApp, InputGate


class Search(Input):
    """Like the insats search: typing shows a list placed right after the box."""

    def watch_value(self, value: str) -> None:
        self.screen.query_one("#matches").display = bool(value)


class SearchApp(GatedApp, App):
    def __init__(self) -> None:
        super().__init__()
        self.input_gate = InputGate(self)

    def compose(self) -> ComposeResult:
        yield Label("Sök i katalogen")  # the search is not at the top: a list not yet laid out sorts first
        yield Search(id="search")
        matches = Button("match", id="matches")
        matches.display = False
        yield matches
        yield Input(id="after")

    def on_mount(self) -> None:
        self.query_one("#search").focus()



async def test_tab_right_behind_text_follows_the_layout_the_text_made():
    """Focus order comes from where widgets are laid out; a list shown by the text
    just typed has no place until the screen is laid out again. Tab waits for it."""
    for _ in range(3):
        app = SearchApp()
        async with app.run_test() as pilot:
            await settled(pilot)
            post_keys(app, "k", "b", "t", "tab", "x")
            await settled(pilot)
            assert app.focused is app.query_one("#matches")
            assert app.query_one("#search", Input).value == "kbt"
            assert app.query_one("#after", Input).value == ""
