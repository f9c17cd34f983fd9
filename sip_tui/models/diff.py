"""What changed between two versions of a plan, section by section."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeGuard

from .plan import SAVE_BOOKKEEPING, Plan

# Bookkeeping that changes with every version and says nothing to the room.
_IGNORED = SAVE_BOOKKEEPING | {"version", "status", "agreement", "pending_input", "change_reason"}
# Between an import and the stored plan of the same version and status, the user
# chooses every field the room could have typed: kept input and the change reason too.
IMPORT_IGNORED = frozenset(_IGNORED - {"pending_input", "change_reason"})
# The field that names an item of each list in the plan (models.plan.ITEM_SECTIONS).
ITEM_TITLE = {
    "goals": "text",
    "needs": "description",
    "insatser": "what",
    "participants": "name",
    "deviations": "description",
    "distribution": "name",
}


@dataclass(frozen=True)
class Change:
    """One changed field. Values are as the model holds them (enum members,
    dates, times), so whoever describes them can say them in words."""

    section: str  # top-level field of Plan, e.g. "insatser"
    item: str  # title of the list item, in full ("" for plain fields)
    field: str  # changed field within the section or item ("" for whole item)
    before: object
    after: object
    item_id: str = ""  # the list item's id ("" for plain fields)


def diff_plans(old: Plan, new: Plan, ignored: Iterable[str] = _IGNORED) -> list[Change]:
    before, after = old.model_dump(), new.model_dump()
    changes: list[Change] = []
    for section in after:
        if section in ignored or before.get(section) == after[section]:
            continue
        if section in ITEM_TITLE:
            changes += _diff_items(section, before.get(section) or [], after[section])
        elif isinstance(after[section], dict) and isinstance(before.get(section), dict):
            keys = [*after[section], *(k for k in before[section] if k not in after[section])]
            changes += [
                Change(section, "", key, before[section].get(key), after[section].get(key))
                for key in keys
                if before[section].get(key) != after[section].get(key)
            ]
        else:
            changes.append(Change(section, "", "", before.get(section), after[section]))
    return changes


def _diff_items(section: str, old: list[dict], new: list[dict]) -> list[Change]:
    title_field = ITEM_TITLE[section]
    old_by_id = {item["id"]: item for item in old}
    new_by_id = {item["id"]: item for item in new}
    changes = []
    for item_id, item in new_by_id.items():
        title = str(item.get(title_field, ""))
        previous = old_by_id.get(item_id)
        if previous is None:
            changes.append(Change(section, title, "", None, item, item_id))
            continue
        changes += [
            Change(section, title, key, previous.get(key), value, item_id)
            for key, value in item.items()
            if previous.get(key) != value
        ]
    changes += [
        Change(section, str(item.get(title_field, "")), "", item, None, item_id)
        for item_id, item in old_by_id.items()
        if item_id not in new_by_id
    ]
    return changes


# -- an import against the stored plan ------------------------------------------------


def choosable(stored: Plan, imported: Plan) -> bool:
    """Whether the user may choose field by field between an import and the stored
    plan: the same version in the same state, still open to edits. Otherwise
    choosing would mix two versions, or change one already agreed."""
    return stored.version == imported.version and stored.status == imported.status and stored.editable


def take_changes(base: Plan, source: Plan, changes: Iterable[Change]) -> Plan:
    """``base`` with each chosen change's value taken from ``source``, as the user
    chose between an import (``source``) and the stored plan (``base``). List items
    are found by id, so the order of the choices does not matter; a field or row
    that ``source`` does not have is removed. Raises ValidationError when the
    choices together make a plan that is not valid."""
    merged, taken = base.model_dump(), source.model_dump()
    for change in changes:
        if change.item_id:
            _take_item(merged[change.section], taken[change.section], change)
        elif change.field:
            part, source_part = merged[change.section], taken[change.section]
            if change.field in source_part:
                part[change.field] = source_part[change.field]
            else:
                part.pop(change.field, None)  # a key only the stored plan has (kept input)
        else:
            merged[change.section] = taken[change.section]
    return Plan.model_validate(merged)


def _take_item(items: list[dict], source_items: list[dict], change: Change) -> None:
    source_index = next((i for i, item in enumerate(source_items) if item["id"] == change.item_id), None)
    index = next((i for i, item in enumerate(items) if item["id"] == change.item_id), None)
    if source_index is None:  # a row the file does not have
        if index is not None:
            del items[index]
    elif index is None:  # a row only the file has: where it stands there, as far as the list goes
        items.insert(min(source_index, len(items)), source_items[source_index])
    elif change.field:
        items[index][change.field] = source_items[source_index][change.field]
    else:
        items[index] = source_items[source_index]




@dataclass(frozen=True)
class FieldConflict:
    path: str  # JSON path in the imported file ($.plan.goals[1].text); an item only stored: named by its id
    stored: object  # the stored plan's value (None: not there)
    imported: object  # the file's value (None: not there)


def conflicting_fields(stored: Plan, imported: Plan) -> list[FieldConflict]:
    """Every field where an imported plan and the stored one differ, list items
    matched by id, so the user can choose field by field what to keep."""
    before = {k: v for k, v in stored.model_dump(mode="json").items() if k not in SAVE_BOOKKEEPING}
    after = {k: v for k, v in imported.model_dump(mode="json").items() if k not in SAVE_BOOKKEEPING}
    found: list[FieldConflict] = []
    _compare("$.plan", before, after, found)
    return found


def _compare(path: str, before: object, after: object, found: list[FieldConflict]) -> None:
    if before == after:
        return
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*after, *(k for k in before if k not in after)]:
            _compare(f"{path}.{key}", before.get(key), after.get(key), found)
    elif _items_with_ids(before) and _items_with_ids(after):
        old = {item["id"]: item for item in before}
        new_ids = {item["id"] for item in after}
        for index, item in enumerate(after):
            _compare(f"{path}[{index}]", old.get(item["id"]), item, found)
        for item in before:
            if item["id"] not in new_ids:
                found.append(FieldConflict(f"{path} (id {item['id']})", item, None))
    else:
        found.append(FieldConflict(path, before, after))


def _items_with_ids(value: object) -> TypeGuard[list[dict[str, Any]]]:
    return isinstance(value, list) and all(isinstance(item, dict) and "id" in item for item in value)
