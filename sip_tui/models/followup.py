"""Open follow-ups across plans, with an injectable ``today``.

Works on ``PlanSummary`` — a few fields read straight from a stored plan —
so the overview over 10,000 plans never builds full models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .enums import PlanStatus
from .facts import EMPTY_FACTS, PlanFacts

DEFAULT_WITHIN_DAYS = 14


@dataclass(frozen=True)
class PlanSummary:
    id: str
    name: str
    status: str
    version: int
    followup_date: dt.date | None
    followup_time: str
    coordinator: str
    responsible: str
    insats_statuses: tuple[str, ...] = ()
    # The file reads, but the plan fails validation: it will not open ("skadad").
    # Set by the store's scan; overviews and `sip-tui list` mark such a plan.
    damaged: bool = False
    # Anonymous facts for the indicator report and the deviation overview.
    facts: PlanFacts = EMPTY_FACTS

    @classmethod
    def from_raw(cls, plan: dict, versions: dict | None = None) -> PlanSummary:
        """Build from a stored plan dict without validating the whole plan.

        Raises KeyError/TypeError/ValueError on a hand-edited file of the wrong
        shape; the store reports such a file as unreadable.
        """
        followup = plan.get("followup") or {}
        due = followup.get("date")
        return cls(
            id=_text(plan["id"]),
            name=_text((plan.get("person") or {}).get("name", "")),
            status=_text(plan.get("status", PlanStatus.DRAFT.value)),
            version=int(plan.get("version", 0)),
            followup_date=dt.date.fromisoformat(due) if due else None,
            followup_time=_text(followup.get("start_time") or "")[:5],
            coordinator=_text((plan.get("coordinator") or {}).get("name", "")),
            responsible=_text(plan.get("responsible") or ""),
            insats_statuses=tuple(_text(i.get("status", "")) for i in plan.get("insatser", [])),
            facts=_facts(plan, versions),
        )

    def to_json(self) -> dict:
        """What `sip-tui list --json` and `followups --json` show of a plan (not the report facts)."""
        data = dict(self.__dict__)  # not asdict(): its deep copy made `followups --json` slow at 10,000 plans
        del data["facts"]
        data["followup_date"] = self.followup_date.isoformat() if self.followup_date else None
        data["insats_statuses"] = list(self.insats_statuses)
        return data

    def to_cache(self) -> dict:
        return {**self.to_json(), "facts": self.facts.to_json()}

    @classmethod
    def from_cache(cls, data: dict) -> PlanSummary:
        """From ``to_cache``; KeyError/TypeError/ValueError for an entry of another shape."""
        data = dict(data)
        due = data["followup_date"]
        data["followup_date"] = dt.date.fromisoformat(due) if due else None
        data["insats_statuses"] = tuple(data["insats_statuses"])
        data["facts"] = PlanFacts.from_json(data["facts"])
        return cls(**data)

    @property
    def in_overview(self) -> bool:
        """Agreed plans (or ones in follow-up) with a booked date; drafts and closed plans are not."""
        return self.status in (PlanStatus.AGREED, PlanStatus.FOLLOW_UP) and self.followup_date is not None


def _facts(plan: dict, versions: dict | None) -> PlanFacts:
    """A hand-edited plan whose report facts do not read is still listed (marked damaged by the scan)."""
    try:
        return PlanFacts.from_raw(plan, versions)
    except (AttributeError, KeyError, TypeError, ValueError):
        return EMPTY_FACTS


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


class Group(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


@dataclass(frozen=True)
class FollowupEntry:
    plan: PlanSummary
    group: Group
    days: int  # days until the follow-up; negative when overdue

    def to_json(self) -> dict:
        return {"group": self.group.value, "days": self.days, **self.plan.to_json()}


def open_followups(
    plans: list[PlanSummary],
    today: dt.date,
    within_days: int = DEFAULT_WITHIN_DAYS,
) -> list[FollowupEntry]:
    """Every plan awaiting follow-up, most urgent first."""
    entries = []
    for plan in plans:
        if not plan.in_overview:
            continue
        days = (plan.followup_date - today).days
        if days < 0:
            group = Group.OVERDUE
        elif days <= within_days:
            group = Group.SOON
        else:
            group = Group.LATER
        entries.append(FollowupEntry(plan, group, days))
    entries.sort(key=lambda e: (e.days, e.plan.followup_time, e.plan.id))
    return entries


def select(
    entries: list[FollowupEntry], *, overdue_only: bool = False, within: int | None = None
) -> list[FollowupEntry]:
    """The CLI's and overview's filters: only overdue, or overdue plus due within N days."""
    if overdue_only:
        return [e for e in entries if e.group is Group.OVERDUE]
    if within is not None:
        return [e for e in entries if e.days <= within]
    return entries
