"""The meeting's steps, in order."""

from __future__ import annotations

from .consent import ConsentStep
from .goals import GoalsStep
from .insatser import InsatserStep
from .needs import NeedsStep
from .person import PersonStep
from .responsibility import ResponsibilityStep
from .review import ReviewStep
from .step import STEP_IDS, StepScreen

STEP_SCREENS: dict[str, type[StepScreen]] = {
    screen.STEP_ID: screen
    for screen in (PersonStep, ConsentStep, GoalsStep, NeedsStep, InsatserStep, ResponsibilityStep, ReviewStep)
}
assert list(STEP_SCREENS) == STEP_IDS
