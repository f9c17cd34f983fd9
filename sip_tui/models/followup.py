"""Open follow-ups across plans, with an injectable ``today``.

Works on ``PlanSummary`` — a few fields read straight from a stored plan —
so the overview over 10,000 plans never builds full models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import StrEnum

from .enums import PlanStatus
from .facts import EMPTY_FACTS, PlanFacts

DEFAULT_WITHIN_DAYS = 14


class _LazyFacts:
    """``PlanSummary.facts``: a PlanFacts, or the store cache's JSON text of one,
    parsed the first time it is read. Overviews of 10,000 plans never read the
    facts; the report and the deviation overview do."""

    def __get__(self, summary: PlanSummary | None, owner: type | None = None) -> PlanFacts:
        if summary is None:
            return EMPTY_FACTS  # the dataclass's default
        facts = summary.__dict__["_facts"]
        if isinstance(facts, str):
            facts = _facts_from_text(facts)
            summary.__dict__["_facts"] = facts  # frozen to callers; this only caches the parse
        return facts

    def __set__(self, summary: PlanSummary, facts: PlanFacts | str) -> None:
        summary.__dict__["_facts"] = facts


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
    # Anonymous facts for the indicator report and the deviation overview (read lazily).
    facts: _LazyFacts = _LazyFacts()

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
        del data["_facts"]  # the report facts (see _LazyFacts)
        data["followup_date"] = self.followup_date.isoformat() if self.followup_date else None
        data["insats_statuses"] = list(self.insats_statuses)
        return data

    def to_cache(self) -> list:
        """``[to_json(), facts as JSON text]``: a scan decodes the text only as a string."""
        facts = self.__dict__["_facts"]
        return [self.to_json(), facts if isinstance(facts, str) else facts.to_text()]

    @classmethod
    def from_cache(cls, entry: list) -> PlanSummary:
        """From ``to_cache``, the facts left as text until read; KeyError/TypeError/ValueError
        for an entry of another shape."""
        values, facts = entry
        if not isinstance(facts, str):
            raise TypeError("expected the facts' text")
        data = dict(values)
        due = data["followup_date"]
        data["followup_date"] = dt.date.fromisoformat(due) if due else None
        data["insats_statuses"] = tuple(data["insats_statuses"])
        return cls(**data, facts=facts)

    def __eq__(self, other: object) -> bool:
        """As the dataclass compares, but facts both still in the cache's text compare
        as text (one text per facts: it is written by ``PlanFacts.to_text`` only)."""
        if not isinstance(other, PlanSummary):
            return NotImplemented
        if any(getattr(self, name) != getattr(other, name) for name in _PLAIN_FIELDS):
            return False
        mine, theirs = self.__dict__["_facts"], other.__dict__["_facts"]
        if isinstance(mine, str) and isinstance(theirs, str):
            return mine == theirs
        return self.facts == other.facts

    @property
    def in_overview(self) -> bool:
        """Agreed plans (or ones in follow-up) with a booked date; drafts and closed plans are not."""
        return self.status in (PlanStatus.AGREED, PlanStatus.FOLLOW_UP) and self.followup_date is not None


_PLAIN_FIELDS = tuple(f.name for f in fields(PlanSummary) if f.name != "facts")


def _facts_from_text(text: str) -> PlanFacts:
    """Facts the store's cache kept as text; a hand-edited cache whose facts do not
    read gives none, as a plan file's would (``_facts``)."""
    try:
        return PlanFacts.from_text(text)
    except (AttributeError, KeyError, TypeError, ValueError):
        return EMPTY_FACTS


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
        if not plan.in_overview or plan.followup_date is None:
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
