"""Step 3: situation, strengths and the person's own goals, in their own words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from ..i18n import t
from ..models.enums import GoalTerm, MeetingKind
from ..models.plan import Goal
from .cards import Card, CardsStep
from .items import short


class GoalCard(Card[Goal]):
    def compose(self) -> ComposeResult:
        base = f"goals.{self.item.id}"
        yield self.step.area(f"{base}.text", height=3)
        with Horizontal(classes="card-row"):
            yield self.step.choice(f"{base}.term", list(GoalTerm))
            overall = [
                (short(goal.text, 30) or "–", goal.id)
                for goal in self.step.session.plan.goals
                if goal.term == GoalTerm.LONG and goal.id != self.item.id
            ]
            if overall:
                yield self.step.pick(f"{base}.parent_id", overall)
            if self.step.session.plan.meeting.kind == MeetingKind.FOLLOW_UP:
                yield self.step.pick(f"{base}.reached", [(t("docx.yes"), "yes"), (t("docx.no"), "no")])
            yield from self.remove_button()


class GoalsStep(CardsStep):
    STEP_ID = "goals"
    SECTION = "goals"
    CARD = GoalCard
    NEW = Goal

    def compose_step(self) -> ComposeResult:
        yield Label(t("section.goals"), classes="section-title")
        yield Label(t("hint.goals"), classes="hint")
        yield from self.compose_cards()
        yield Label(t("section.situation"), classes="section-title")
        yield self.area("situation", height=4)
        yield self.area("strengths", height=3)
        yield self.area("earlier_actions", height=3)
        yield self.area("earlier_actions_effect", height=2)
        yield self.area("goals_differ", height=2)
