"""`sip-tui store copy FROM TO`: every plan, with its agreed versions, change log
and access log, from one store to another (a folder and a database, either way),
as it is: the same revisions, so a copy can be checked against its source.

A plan the target already holds at a newer revision, or at the same revision with
other content, is never overwritten: it is reported and left as it is.

Plans move in batches: the source is read once (a database answers a batch in a
few queries), what the target already holds is asked once per batch, plans new to
a database go in with one transaction per batch, and the copy is verified (every
plan's revision and number of versions) with one query per batch. A plan the
target already holds at an older revision is updated one at a time, with every
check the single-plan path makes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from pydantic import ValidationError
from tinydb.table import Document

from ..models.plan import Plan
from .store import SCHEMA_VERSION, PlanStore, StoreError, Unreadable, VersionConflict, _content, _damaged, _one

BATCH = 500


@dataclass
class CopyReport:
    copied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    newer_in_target: list[tuple[str, int, int]] = field(default_factory=list)  # (id, target's revision, source's)
    mismatched: list[tuple[str, int, int]] = field(default_factory=list)  # after copying: (id, found, expected)
    errors: list[StoreError] = field(default_factory=list)


@dataclass
class PlanCopy:
    """One plan as the source holds it, read once and validated."""

    plan: Plan
    versions: list[Plan]
    changes: list[dict]
    accesses: list[dict]

    @property
    def id(self) -> str:
        return self.plan.id


@dataclass
class Held:
    """What the target already holds of a plan."""

    plan: Plan
    version_count: int


def copy_store(source, target, progress: Callable[[int, int], object] | None = None) -> CopyReport:
    report = CopyReport()
    plan_ids = source.plan_ids()
    for start in range(0, len(plan_ids), BATCH):
        if progress is not None:
            progress(start, len(plan_ids))
        batch = []
        for item in _read(source, plan_ids[start : start + BATCH]):
            if isinstance(item, StoreError):  # a damaged plan in the source: reported, the others go on
                report.errors.append(item)
            else:
                batch.append(item)
        _copy_batch(target, batch, report)
    if progress is not None:
        progress(len(plan_ids), len(plan_ids))
    return report


def _copy_batch(target, batch: list[PlanCopy], report: CopyReport) -> None:
    held, unreadable = _held(target, [item.id for item in batch])
    report.errors.extend(unreadable.values())
    new, updates = [], []
    for item in batch:
        if item.id in unreadable:
            continue
        theirs = held.get(item.id)
        if theirs is None:
            new.append(item)
            continue
        same = _content(theirs.plan.model_dump(mode="json")) == _content(item.plan.model_dump(mode="json"))
        if theirs.plan.revision > item.plan.revision or (theirs.plan.revision == item.plan.revision and not same):
            report.newer_in_target.append((item.id, theirs.plan.revision, item.plan.revision))
        elif same and theirs.plan.revision == item.plan.revision and theirs.version_count >= len(item.versions):
            report.unchanged.append(item.id)
        else:
            updates.append(item)
    written = _put_new(target, new, report) + [item for item in updates if _put_one(target, item, report)]
    report.copied.extend(item.id for item in written)
    _verify(target, written, report)


def _put_new(target, new: list[PlanCopy], report: CopyReport) -> list[PlanCopy]:
    """Plans the target does not hold: in one transaction for a database. If another
    client created one of them meanwhile, the batch goes one plan at a time instead."""
    if isinstance(target, PlanStore) or not new:
        return [item for item in new if _put_one(target, item, report)]
    if target.put_new_copies(new):
        return new
    return [item for item in new if _put_one(target, item, report)]


def _put_one(target, item: PlanCopy, report: CopyReport) -> bool:
    try:
        if isinstance(target, PlanStore):
            put_in_folder(target, item.plan, item.versions, item.changes, item.accesses)
        else:
            target.put_copy(item.plan, item.versions, item.changes, item.accesses)
    except StoreError as error:  # saved newer meanwhile, an agreed version that differs
        report.errors.append(error)
        return False
    return True


def _verify(target, written: list[PlanCopy], report: CopyReport) -> None:
    """Every copied plan reads back from the target at the source's revision, with as many versions."""
    if not written:
        return
    found = _inventory(target, [item.id for item in written])
    for item in written:
        revision, versions = found.get(item.id, (0, 0))
        if revision != item.plan.revision or versions != len(item.versions):
            report.mismatched.append((item.id, revision, item.plan.revision))


# -- each kind of store ------------------------------------------------------------


def _read(source, plan_ids: list[str]) -> Iterator[PlanCopy | StoreError]:
    if not isinstance(source, PlanStore):
        for plan_id, raw in source.read_copies(plan_ids).items():
            yield _validated(plan_id, raw) or Unreadable(plan_id)
        return
    for plan_id in plan_ids:
        try:
            data = source._read(plan_id)  # one read of the file: plan, versions and logs
        except StoreError as error:
            yield error
            continue
        raw = (
            _one(source.path(plan_id), data, "plan"),
            list((data.get("versions") or {}).values()),
            list((data.get("changes") or {}).values()),
            list((data.get("access") or {}).values()),
        )
        yield _validated(plan_id, raw) or _damaged(source.path(plan_id))


def _validated(plan_id: str, raw: tuple) -> PlanCopy | None:
    """The plan and its versions as models; None if any of them does not validate (damaged)."""
    doc, versions, changes, accesses = raw
    try:
        plan = Plan.model_validate(doc)
        snapshots = sorted((Plan.model_validate(v) for v in versions), key=lambda v: v.version)
    except ValidationError:
        return None
    if plan.id != plan_id:
        return None
    return PlanCopy(plan, snapshots, [dict(c) for c in changes], [dict(a) for a in accesses])


def _held(target, plan_ids: list[str]) -> tuple[dict[str, Held], dict[str, StoreError]]:
    """What the target holds of these plans, and those of its plans that do not read."""
    held: dict[str, Held] = {}
    unreadable: dict[str, StoreError] = {}
    if not isinstance(target, PlanStore):
        for plan_id, (doc, version_count) in target.held_copies(plan_ids).items():
            try:
                held[plan_id] = Held(Plan.model_validate(doc), version_count)
            except ValidationError:
                unreadable[plan_id] = Unreadable(plan_id)
        return held, unreadable
    for plan_id in plan_ids:
        try:
            if target.exists(plan_id):
                held[plan_id] = Held(target.load(plan_id), len(target.versions(plan_id)))
        except StoreError as error:
            unreadable[plan_id] = error
    return held, unreadable


def _inventory(target, plan_ids: list[str]) -> dict[str, tuple[int, int]]:
    """(revision, number of versions) of each plan as the target now holds it."""
    if not isinstance(target, PlanStore):
        return target.copy_inventory(plan_ids)
    found = {}
    for plan_id in plan_ids:
        try:
            data = target._read(plan_id)
            revision = _one(target.path(plan_id), data, "plan").get("revision", 0)
            found[plan_id] = (revision, len(data.get("versions") or {}))
        except StoreError:
            continue  # reported as mismatched: found nothing
    return found


def put_in_folder(store: PlanStore, plan: Plan, versions: list[Plan], changes: list[dict], accesses: list[dict]) -> None:
    """Write a plan file as the source holds the plan, under the plan's lock, in one atomic write."""
    with store._locked(plan.id) as (db, storage), storage.batch():
        db.table("meta").upsert(Document({"schema_version": SCHEMA_VERSION}, doc_id=1))
        db.table("plan").upsert(Document(plan.model_dump(mode="json"), doc_id=1))
        stored_versions = db.table("versions")
        for version in versions:
            doc = version.model_dump(mode="json")
            existing = stored_versions.get(doc_id=version.version)
            if existing is None:
                stored_versions.insert(Document(doc, doc_id=version.version))
            elif existing.get("status") == doc["status"] and _content(existing) != _content(doc):
                raise VersionConflict(store.path(plan.id).name, version=version.version)  # an agreed version never changes
        db.drop_table("changes")
        for entry in changes:
            db.table("changes").insert(dict(entry))
        db.drop_table("access")
        for entry in accesses:
            db.table("access").insert(dict(entry))
