"""A meeting in progress: one plan, field edits by path, and saving.

UI-independent, so screens stay thin and the rules are testable without a
terminal. Field paths: ``person.name``, ``meeting.date``, ``situation``,
``insatser.<item id>.start``, ``person.representative.name`` ...
An edit that does not validate is kept verbatim in ``plan.pending_input``
(and saved), so nothing typed is ever dropped.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .describe import error_text
from .i18n import field_error, t
from .models.entry import clean_typed, iso_date, iso_time
from .models.plan import ITEM_SECTIONS, LONG_MAX, Plan, Representative
from .models.rules import Missing, missing_for_agreement
from .service import PlanService
from .store import StoreError

# Fields whose change is checked against the whole plan (cross-field rules).
_PLAN_LEVEL = {"meeting.date", "followup.date"}
_Item = TypeVar("_Item", bound=BaseModel)


class MeetingSession:
    def __init__(self, service: PlanService, plan: Plan) -> None:
        self.service = service
        self.plan = plan
        # Every edit bumps ``edits``; ``saved_edits`` is the edit a landed save
        # covered. A save of a snapshot taken before a later edit leaves the plan dirty.
        self.edits = 0
        self.saved_edits = 0
        self.save_error: str | None = None

    @property
    def dirty(self) -> bool:
        return self.edits != self.saved_edits

    @dirty.setter
    def dirty(self, changed: bool) -> None:
        if changed:
            self.edits += 1
        else:
            self.saved_edits = self.edits

    # -- editing -------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return not self.plan.editable

    def can_edit(self, path: str) -> bool:
        """Any field of a draft or a follow-up in progress; a deviation at any time:
        it is a log about the cooperation, not part of an agreed version (the store
        keeps an agreed version as it was, whatever its deviations)."""
        return not self.read_only or path.split(".")[0] == "deviations"

    def value(self, path: str) -> Any:
        """The current value at ``path`` (pending raw text wins: it is what was typed)."""
        if path in self.plan.pending_input:
            return self.plan.pending_input[path]
        owner, name = self._resolve(path, create=False)
        return getattr(owner, name) if owner is not None else None

    def error(self, path: str) -> str | None:
        """The message for a pending (invalid) value at ``path``, if any."""
        if path not in self.plan.pending_input:
            return None
        return self._validate(path, self.plan.pending_input[path])[1]

    def set(self, path: str, raw: Any) -> str | None:
        """Apply an edit; returns an error message (UI language) or None."""
        if not self.can_edit(path):
            return t("lifecycle.not_editable")
        if isinstance(raw, str):
            raw = clean_typed(raw)  # the widgets clean pastes; this holds for every caller
        value, message = self._validate(path, raw)
        if message is None:
            owner, name = self._resolve(path, create=True)
            if getattr(owner, name) != value or path in self.plan.pending_input:
                setattr(owner, name, value)
                self.plan.pending_input.pop(path, None)
                self.dirty = True
                if path == "followup.date":
                    self.plan.followup.held = False  # a newly booked follow-up
                self._retry_pending()
        elif isinstance(raw, str) and self.plan.pending_input.get(path) != raw[:LONG_MAX]:
            # Kept as typed, to be corrected; never more than a plan can hold, so the plan stays readable.
            self.plan.pending_input[path] = raw[:LONG_MAX]
            self.dirty = True
        return message

    def _retry_pending(self) -> None:
        """Apply kept inputs that an edit made valid: a start time refused as
        later than the end becomes valid once the end moves past it."""
        for path, raw in list(self.plan.pending_input.items()):
            try:
                value, message = self._validate(path, raw)
            except (KeyError, AttributeError):
                continue  # a path of a hand-edited or imported file that names no field
            if message is None:
                owner, name = self._resolve(path, create=True)
                setattr(owner, name, value)
                del self.plan.pending_input[path]

    def _validate(self, path: str, raw: Any) -> tuple[Any, str | None]:
        owner, name = self._resolve(path, create=False)
        model_cls = type(owner) if owner is not None else self._owner_class(path)
        kind = _field_kind(model_cls, name)
        if isinstance(raw, str):
            raw = raw if kind == "text" else raw.strip()
            if kind in ("date", "time", "number") and raw == "":
                raw = None
            elif kind == "date":
                raw = iso_date(raw)
                if raw is None:
                    return None, t("error.date")
            elif kind == "time":
                raw = iso_time(raw)
                if raw is None:
                    return None, t("error.time")
        current = owner.model_dump() if owner is not None else {}
        try:
            validated = model_cls.model_validate({**current, name: raw})
            value = getattr(validated, name)
            if path in _PLAN_LEVEL:
                self._check_plan_with(path, value)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            return None, field_error(first["type"], first["msg"], **dict(first.get("ctx") or {}))
        return value, None

    def _check_plan_with(self, path: str, value: Any) -> None:
        data = self.plan.model_dump()
        section, name = path.split(".")
        data[section][name] = value
        if path == "followup.date":
            data["followup"]["held"] = False
        Plan.model_validate(data)

    def _resolve(self, path: str, create: bool) -> tuple[BaseModel | None, str]:
        parts = path.split(".")
        owner: Any = self.plan
        index = 0
        while index < len(parts) - 1:
            part = parts[index]
            if part in ITEM_SECTIONS:
                owner = next((item for item in getattr(owner, part) if item.id == parts[index + 1]), None)
                index += 2
            else:
                child = getattr(owner, part)
                if child is None and part == "representative":
                    if not create:
                        return None, parts[-1]
                    child = Representative()
                    setattr(owner, part, child)
                owner = child
                index += 1
            if owner is None:
                raise KeyError(path)
        return owner, parts[-1]

    @staticmethod
    def _owner_class(path: str) -> type[BaseModel]:
        if path.startswith("person.representative."):
            return Representative
        raise KeyError(path)

    # -- list items ----------------------------------------------------------

    def add(self, section: str, item: _Item) -> _Item:
        getattr(self.plan, section).append(item)
        self.dirty = True
        return item

    def remove(self, section: str, item_id: str) -> None:
        items = getattr(self.plan, section)
        items[:] = [item for item in items if item.id != item_id]
        prefix = f"{section}.{item_id}."
        for path in [p for p in self.plan.pending_input if p.startswith(prefix)]:
            del self.plan.pending_input[path]
        self._unlink(item_id)
        self.dirty = True

    def _unlink(self, item_id: str) -> None:
        """Drop links to a removed goal or need."""
        for need in self.plan.needs:
            if item_id in need.goal_ids:
                need.goal_ids.remove(item_id)
        for insats in self.plan.insatser:
            if item_id in insats.need_ids:
                insats.need_ids.remove(item_id)

    def set_links(self, section: str, item_id: str, field: str, ids: list[str]) -> None:
        item = next(i for i in getattr(self.plan, section) if i.id == item_id)
        setattr(item, field, list(ids))
        self.dirty = True

    # -- saving and lifecycle ------------------------------------------------

    def save(self) -> str | None:
        """Save if anything changed, here and now; returns an error message or None."""
        if not self.dirty:
            return None
        edit, snapshot = self.snapshot()
        try:
            saved = self.service.save(snapshot)
        except StoreError as error:
            return self.save_failed(error)
        self.save_landed(edit, saved)
        return None

    def snapshot(self) -> tuple[int, Plan]:
        """The plan as it is now, to save away from the UI thread, and the edit it covers."""
        return self.edits, self.plan.model_copy(deep=True)

    def save_landed(self, edit: int, saved: Plan) -> None:
        """Adopt a saved snapshot's bookkeeping (revision, times) without touching
        what was typed while it was being saved: later edits keep the plan dirty."""
        self.plan.revision = saved.revision
        self.plan.line, self.plan.seen = saved.line, saved.seen  # a recovery file then names the save it came from
        self.plan.updated_at = saved.updated_at
        self.plan.created_at = saved.created_at
        self.saved_edits = max(self.saved_edits, edit)
        self.save_error = None

    def save_failed(self, error: StoreError) -> str:
        self.save_error = error_text(error)
        return self.save_error

    def missing(self) -> list[Missing]:
        return missing_for_agreement(self.plan, self.service.today())

    def replace(self, plan: Plan) -> None:
        """Adopt a plan returned by a lifecycle operation (already saved)."""
        self.plan = plan
        self.dirty = False
        self.save_error = None


def _field_kind(model_cls: type[BaseModel], name: str) -> str:
    annotation = model_cls.model_fields[name].annotation
    args = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    if dt.date in args:
        return "date"
    if dt.time in args:
        return "time"
    if str in args or annotation is str:
        return "text"
    if int in args:
        return "number"
    return "other"
