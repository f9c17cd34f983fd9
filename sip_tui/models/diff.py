"""What changed between two versions of a plan, section by section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeGuard

from .plan import Plan

# Bookkeeping that changes with every version and says nothing to the room.
_IGNORED = {"revision", "version", "status", "created_at", "updated_at", "agreement", "pending_input", "change_reason"}
_ITEM_LABEL = {
    "goals": "text",
    "needs": "description",
    "insatser": "what",
    "participants": "name",
    "deviations": "description",
    "distribution": "name",
}


@dataclass(frozen=True)
class Change:
    section: str  # top-level field of Plan, e.g. "insatser"
    item: str  # label of the list item ("" for plain fields)
    field: str  # changed field within the section or item ("" for whole item)
    before: object
    after: object


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    changes: list[Change] = []
    for section in after:
        if section in _IGNORED or before.get(section) == after[section]:
            continue
        if section in _ITEM_LABEL:
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
    label_field = _ITEM_LABEL[section]
    old_by_id = {item.get("id", str(n)): item for n, item in enumerate(old)}
    new_by_id = {item.get("id", str(n)): item for n, item in enumerate(new)}
    changes = []
    for item_id, item in new_by_id.items():
        label = _short(item.get(label_field, ""))
        previous = old_by_id.get(item_id)
        if previous is None:
            changes.append(Change(section, label, "", None, item))
            continue
        changes += [
            Change(section, label, key, previous.get(key), value)
            for key, value in item.items()
            if previous.get(key) != value
        ]
    changes += [
        Change(section, _short(item.get(label_field, "")), "", item, None)
        for item_id, item in old_by_id.items()
        if item_id not in new_by_id
    ]
    return changes


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
