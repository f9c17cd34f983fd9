"""Whether a plan file was made from the save a store holds now.

Revisions count the writes of one store; two stores that each saved the same plan
have revisions that cannot be compared (a laptop that saved more often would look
newer). So each store keeps its own line of writes for a plan, with a random id,
and a plan carries the last write it has seen of every store's line (a version
vector). A file is based on the stored plan when it has seen every write the
stored plan has: made from it, or from a later save of it in another store.

Every write moves the writing store's line on, an import too: the file taken in
may hold edits that no line has counted (a recovery file, a file edited by hand),
and a later file without them must not pass for a newer one. One entry per store
the plan was written in, however many saves.
"""

from __future__ import annotations

import uuid

from .plan import Plan


def new_line() -> str:
    return uuid.uuid4().hex[:16]


def saved_at(plan: Plan, revision: int) -> dict[str, object]:
    """What a store's write at ``revision`` sets: its line has reached it."""
    line = plan.line or new_line()
    return {"line": line, "seen": {**plan.seen, line: revision}}


def carried_in(plan: Plan, current: Plan | None) -> Plan:
    """``plan`` as a store takes it in from a file, over ``current`` (the stored
    plan, if any): the store keeps its own line for the plan, and the plan has seen
    what the file had seen and what the stored plan had (a replaced save too)."""
    seen = dict(plan.seen)
    if current is not None:
        for line, revision in current.seen.items():
            seen[line] = max(seen.get(line, 0), revision)
    line = current.line if current is not None and current.line else new_line()
    return plan.model_copy(update={"line": line, "seen": seen})


def based_on(plan: Plan, current: Plan) -> bool:
    """Whether ``plan`` (from a file) has seen every write ``current`` has: if not,
    importing it would undo what ``current`` saved."""
    if current.seen:
        return all(plan.seen.get(line, 0) >= revision for line, revision in current.seen.items())
    # A stored plan from before lines had ids: a file from this store records the
    # revision it was made from.
    if plan.revision != current.revision:
        return plan.revision > current.revision
    return plan.updated_at == current.updated_at
