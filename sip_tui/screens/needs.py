"""Step 4: needs by life area, each linked to the person's goals."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, SelectionList

from ..i18n import t
from ..models.enums import LifeArea
from ..models.plan import Need
from ..widgets.link_list import LinkList
from ..widgets.literal import literal
from .cards import Card, CardsStep
from .items import short


def links(name: str, caption: str, choices: list[tuple[str, str]], selected: list[str]) -> SelectionList:
    """Pick linked goals or needs: (label, id) choices, the linked ones ticked."""
    options = [(literal(text), item_id, item_id in selected) for text, item_id in choices]
    widget = LinkList(*options, name=name, classes="links")
    widget.border_title = caption
    return widget


class NeedCard(Card[Need]):
    """Read and tabbed in the same order: area, the need, its goals, and removing it last."""

    def compose(self) -> ComposeResult:
        base = f"needs.{self.item.id}"
        yield self.step.choice(f"{base}.area", list(LifeArea))
        yield self.step.area(f"{base}.description", height=2)
        goals = [(short(goal.text) or t("app.empty_goal"), goal.id) for goal in self.step.session.plan.goals]
        with Horizontal(classes="card-row"):
            if goals:
                yield links(f"{base}.goal_ids", t("field.needs.goal_ids"), goals, self.item.goal_ids)
            yield from self.remove_button()


class NeedsStep(CardsStep):
    STEP_ID = "needs"
    SECTION = "needs"
    CARD = NeedCard
    NEW = Need

    def compose_step(self) -> ComposeResult:
        yield Label(t("section.needs"), classes="section-title")
        yield Label(t("hint.needs"), classes="hint")
        yield from self.compose_cards()
