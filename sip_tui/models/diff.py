"""What changed between two versions of a plan, section by section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeGuard

from .plan import Plan

# Bookkeeping that changes with every version and says nothing to the room.
_IGNORED = {"revision", "version", "status", "created_at", "updated_at", "agreement", "pending_input", "change_reason"}
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


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    before, after = old.model_dump(), new.model_dump()
    changes: list[Change] = []
    for section in after:
        if section in _IGNORED or before.get(section) == after[section]:
            continue
        if section in ITEM_TITLE:
            changes += _diff_items(section, before.get(section) or [], after[section])
        elif isinstance(after[section], dict) and isinstance(before.get(section), dict):
            changes += [
                Change(section, "", key, before[section].get(key), value)
                for key, value in after[section].items()
                if before[section].get(key) != value
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

_SAVE_BOOKKEEPING = {"revision", "created_at", "updated_at"}


@dataclass(frozen=True)
class FieldConflict:
    path: str  # JSON path in the imported file ($.plan.goals[1].text); an item only stored: named by its id
    stored: object  # the stored plan's value (None: not there)
    imported: object  # the file's value (None: not there)


def conflicting_fields(stored: Plan, imported: Plan) -> list[FieldConflict]:
    """Every field where an imported plan and the stored one differ, list items
    matched by id, so the user can choose field by field what to keep."""
    before = {k: v for k, v in stored.model_dump(mode="json").items() if k not in _SAVE_BOOKKEEPING}
    after = {k: v for k, v in imported.model_dump(mode="json").items() if k not in _SAVE_BOOKKEEPING}
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
