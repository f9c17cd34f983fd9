"""Where the meeting is: "Steg 3 av 7 · Mål och nuläge" and a clickable row of steps."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from ..i18n import t


class StepLink(Static):
    """One step in the row; the current one is marked ▶ and reversed, not by colour alone."""

    class Chosen(Message):
        def __init__(self, step_id: str) -> None:
            super().__init__()
            self.step_id = step_id

    def __init__(self, number: int, step_id: str, current: bool) -> None:
        marker = "▶" if current else " "
        super().__init__(
            f"{marker}{number} {t(f'step.{step_id}.short')}", classes="step-link -current" if current else "step-link"
        )
        self.step_id = step_id

    def on_click(self) -> None:
        self.post_message(self.Chosen(self.step_id))


class Stepper(Horizontal):
    def __init__(self, step_ids: list[str], current: str) -> None:
        super().__init__(id="stepper")
        self.step_ids = step_ids
        self.current = current

    def compose(self) -> ComposeResult:
        for number, step_id in enumerate(self.step_ids, start=1):
            yield StepLink(number, step_id, step_id == self.current)


def step_heading(step_ids: list[str], current: str) -> str:
    number = step_ids.index(current) + 1
    return t("app.step_of", number=number, total=len(step_ids), title=t(f"step.{current}.title"))
