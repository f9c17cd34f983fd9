"""Steps whose list items are edited in place as cards (goals, needs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button

from ..i18n import t
from ..models.plan import Goal, Need
from .dialogs import ConfirmScreen
from .step import StepScreen

CardItem = TypeVar("CardItem", Goal, Need)


class Card(Vertical, Generic[CardItem]):
    """One item; subclasses compose its fields with ``self.step``'s builders."""

    def __init__(self, step: StepScreen, item: CardItem, section: str) -> None:
        super().__init__(classes="card", id=f"card-{item.id}")
        self.step, self.section = step, section
        self.item: CardItem = item

    def remove_button(self) -> ComposeResult:
        if not self.step.session.read_only:
            yield Button(
                t(f"app.remove.{self.section}"), id=f"remove-{self.item.id}", classes="remove-card", compact=True
            )


class CardsStep(StepScreen):
    SECTION = ""
    CARD: type[Card[Any]] = Card
    NEW: Callable[[], BaseModel]

    def compose_cards(self) -> ComposeResult:
        with Vertical(id=f"{self.SECTION}-cards", classes="cards"):
            for item in getattr(self.session.plan, self.SECTION):
                yield self.CARD(self, item, self.SECTION)
        if not self.session.read_only:
            yield Button(t(f"app.add.{self.SECTION}"), id=f"add-{self.SECTION}-card")

    async def on_button_pressed(self, event: Button.Pressed) -> None:  # type: ignore[override]  # sync or async alike
        button_id = event.button.id or ""
        if button_id == f"add-{self.SECTION}-card":
            event.stop()
            await self.action_add()
        elif event.button.has_class("remove-card"):
            event.stop()
            self._remove(button_id.removeprefix("remove-"))

    def has_list(self) -> bool:
        return True  # the cards

    async def action_add(self) -> None:  # type: ignore[override]  # Textual awaits an async action
        if self.session.read_only:
            return
        item = self.session.add(self.SECTION, type(self).NEW())
        self.app.schedule_save()
        card = self.CARD(self, item, self.SECTION)
        # Awaited, so that keys typed right after Ctrl+N go into the new card.
        await self.query_one(f"#{self.SECTION}-cards").mount(card)
        card.query("TextArea, Select").first().focus()

    def _remove(self, item_id: str) -> None:
        def confirmed(yes: bool | None) -> None:
            if yes:
                self.session.remove(self.SECTION, item_id)
                self.app.schedule_save()
                self.query_one(f"#card-{item_id}").remove()

        question = t(f"app.confirm_remove.{self.SECTION}")
        self.app.push_screen(ConfirmScreen(question, t("app.remove"), t("app.keep")), confirmed)
