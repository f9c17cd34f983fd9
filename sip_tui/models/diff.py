"""What changed between two versions of a plan, section by section."""

from __future__ import annotations

from dataclasses import dataclass

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
