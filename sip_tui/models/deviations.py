"""A deviation's process: registered -> sent to the unit -> answered -> closed.

Pure transitions on copies, with an injectable ``today``. The reply-by date
is set when the deviation is sent (``reply_days`` after, a setting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .enums import DeviationStatus
from .facts import DeviationFacts
from .followup import PlanSummary
from .plan import Deviation

DEFAULT_REPLY_DAYS = 60


class DeviationError(ValueError):
    """A step the process does not allow; ``code`` is a catalogue key (deviation.error.<code>)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def send(deviation: Deviation, today: dt.date, reply_days: int = DEFAULT_REPLY_DAYS) -> Deviation:
    """Sent to the unit concerned; it is to reply within ``reply_days`` (a date already set is kept)."""
    _require(deviation, DeviationStatus.REGISTERED)
    return deviation.model_copy(
        update={
            "status": DeviationStatus.SENT,
            "sent_on": today,
            "reply_by": deviation.reply_by or today + dt.timedelta(days=reply_days),
        }
    )


def answer(deviation: Deviation, text: str, today: dt.date) -> Deviation:
    """The unit's answer, recorded."""
    _require(deviation, DeviationStatus.SENT)
    if not text.strip():
        raise DeviationError("no_answer")
    return Deviation.model_validate(
        {**deviation.model_dump(), "status": DeviationStatus.ANSWERED, "answer": text, "answered_on": today}
    )


def close(deviation: Deviation, today: dt.date) -> Deviation:
    _require(deviation, DeviationStatus.ANSWERED)
    return deviation.model_copy(update={"status": DeviationStatus.CLOSED, "closed_on": today})


def reply_overdue(status: str, reply_by: dt.date | str | None, today: dt.date) -> bool:
    """Sent, not answered, and the reply-by date has passed. Takes the stored
    codes too (a summary keeps ISO dates), so the overview and the report agree."""
    if status != DeviationStatus.SENT or not reply_by:
        return False
    due = reply_by if isinstance(reply_by, dt.date) else dt.date.fromisoformat(reply_by)
    return due < today


def _require(deviation: Deviation, status: DeviationStatus) -> None:
    if deviation.status != status:
        raise DeviationError(f"not_{status.value}")


def select_deviations(
    summaries: Iterable[PlanSummary],
    today: dt.date,
    *,
    body: str | None = None,
    category: str | None = None,
    only_open: bool = True,
    only_overdue: bool = False,
) -> list[tuple[str, DeviationFacts]]:
    """(plan id, deviation) across plans for the overview, overdue replies first, then newest."""
    chosen = []
    for summary in summaries:
        for deviation in summary.facts.deviations:
            overdue = reply_overdue(deviation.status, deviation.reply_by, today)
            if (
                (body is None or deviation.body == body)
                and (category is None or deviation.type == category)
                and not (only_open and deviation.status == DeviationStatus.CLOSED)
                and not (only_overdue and not overdue)
            ):
                chosen.append((summary.id, deviation))
    chosen.sort(key=lambda pair: (not reply_overdue(pair[1].status, pair[1].reply_by, today), _newest(pair[1].date)))
    return chosen


def _newest(iso: str) -> str:
    """Sorts later dates first (and undated last) in an ascending sort."""
    return "".join(chr(0x10FFFF - ord(c)) for c in iso) if iso else "\U0010ffff"
