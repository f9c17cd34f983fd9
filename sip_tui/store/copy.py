"""`sip-tui store copy FROM TO`: every plan, with its agreed versions, change log
and access log, from one store to another (a folder and a database, either way),
as it is: the same revisions, so a copy can be checked against its source.

A plan the target already holds at a newer revision, or at the same revision with
other content, is never overwritten: it is reported and left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tinydb.table import Document

from ..models.plan import Plan
from .store import SCHEMA_VERSION, PlanStore, StoreError, VersionConflict, _content


@dataclass
class CopyReport:
    copied: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    newer_in_target: list[tuple[str, int, int]] = field(default_factory=list)  # (id, target's revision, source's)
    mismatched: list[tuple[str, int, int]] = field(default_factory=list)  # after copying: (id, found, expected)
    errors: list[StoreError] = field(default_factory=list)


def copy_store(source, target, progress: Callable[[int, int], object] | None = None) -> CopyReport:
    report = CopyReport()
    plan_ids = source.plan_ids()
    for done, plan_id in enumerate(plan_ids):
        if progress is not None:
            progress(done, len(plan_ids))
        try:
            _copy_plan(source, target, plan_id, report)
        except StoreError as error:  # a damaged plan in the source: reported, the others go on
            report.errors.append(error)
    if progress is not None:
        progress(len(plan_ids), len(plan_ids))
    _verify(source, target, report)
    return report


def _copy_plan(source, target, plan_id: str, report: CopyReport) -> None:
    plan = source.load(plan_id)
    if target.exists(plan_id):
        theirs = target.load(plan_id)
        same = _content(theirs.model_dump(mode="json")) == _content(plan.model_dump(mode="json"))
        if theirs.revision > plan.revision or (theirs.revision == plan.revision and not same):
            report.newer_in_target.append((plan_id, theirs.revision, plan.revision))
            return
        if same and theirs.revision == plan.revision and len(target.versions(plan_id)) >= len(source.versions(plan_id)):
            report.unchanged.append(plan_id)
            return
    versions = source.versions(plan_id)
    changes = source.changes(plan_id)
    accesses = source.access_log(plan_id)
    if isinstance(target, PlanStore):
        put_in_folder(target, plan, versions, changes, accesses)
    else:
        target.put_copy(plan, versions, changes, accesses)
    report.copied.append(plan_id)


def _verify(source, target, report: CopyReport) -> None:
    """Every copied plan reads back from the target at the source's revision, with as many versions."""
    for plan_id in report.copied:
        expected = source.load(plan_id)
        found = target.load(plan_id)
        if found.revision != expected.revision or len(target.versions(plan_id)) != len(source.versions(plan_id)):
            report.mismatched.append((plan_id, found.revision, expected.revision))


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
