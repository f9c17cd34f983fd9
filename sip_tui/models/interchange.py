"""The versioned JSON interchange format for one plan.

    {"format": "sip-tui-plan", "format_version": 1,
     "plan": {...current state...}, "versions": [{...agreed version 1...}, ...]}

``schema()`` is the JSON Schema generated from these models.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .enums import PlanStatus
from .plan import VERSION_MAX, Plan

FORMAT: Final = "sip-tui-plan"
FORMAT_VERSION: Final = 1


class PlanDocument(BaseModel):
    """One plan with its agreed versions, as exported and imported."""

    model_config = ConfigDict(extra="forbid", title="SIP plan (sip-tui interchange format)")

    format: Literal["sip-tui-plan"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    plan: Plan
    versions: list[Plan] = Field(default_factory=list, max_length=VERSION_MAX)


@dataclass(frozen=True)
class FieldError:
    path: str  # JSON path, e.g. $.plan.person.personnummer
    code: str  # pydantic error type or our custom code
    detail: str  # pydantic's own message (English), for unknown codes
    context: dict


_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_KEY_SHOWN = 40


def json_path(location: tuple) -> str:
    path = "$"
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _NAME.match(str(part)):
            path += f".{part}"
        elif part != "[key]":  # pydantic's marker for "the key itself" adds nothing a reader needs
            # A key from the file (pending_input): quoted, escapes visible, cut short.
            key = str(part)
            path += f"[{json.dumps(key[:_KEY_SHOWN])}{'…' if len(key) > _KEY_SHOWN else ''}]"
    return path


def field_errors(error: ValidationError) -> list[FieldError]:
    found = []
    for e in error.errors(include_url=False, include_input=False):
        context = dict(e.get("ctx") or {})
        path = json_path(e["loc"])
        if "subpath" in context:  # a whole-plan rule that names the item it refuses (and the one it repeats)
            if "first" in context:
                context["first"] = f"{path}.{context['first']}"
            path = f"{path}.{context.pop('subpath')}"
        found.append(FieldError(path, e["type"], e["msg"], context))
    return found


class DocumentError(ValueError):
    """A document that is not valid JSON or not a valid plan; carries all field errors."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


_VERSION_STATUSES = (PlanStatus.AGREED, PlanStatus.CLOSED)


def integrity_errors(document: PlanDocument) -> list[FieldError]:
    """What the models cannot see one field at a time: every entry of ``versions``
    is an agreed (or closed) version of this plan, numbered 1..plan.version, each once.
    The store trusts these: a version stored once never changes."""
    plan = document.plan
    errors: list[FieldError] = []
    first_index: dict[int, int] = {}
    for index, version in enumerate(document.versions):
        if version.id != plan.id:
            errors.append(
                FieldError(
                    json_path(("versions", index, "id")), "version_other_plan", "not this plan's id", {"id": plan.id}
                )
            )
        if version.status not in _VERSION_STATUSES:
            errors.append(
                FieldError(json_path(("versions", index, "status")), "version_not_agreed", "not an agreed version", {})
            )
        where = json_path(("versions", index, "version"))
        if not 1 <= version.version <= plan.version:
            errors.append(
                FieldError(where, "version_out_of_range", "version outside 1..plan.version", {"max": plan.version})
            )
        elif version.version in first_index:
            first = json_path(("versions", first_index[version.version]))
            errors.append(FieldError(where, "version_duplicate", "version number repeated", {"first": first}))
        else:
            first_index[version.version] = index
    return errors


def parse_document(text: str | bytes) -> PlanDocument:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError([FieldError("$", "json_invalid", str(error), {"line": error.lineno})]) from None
    except UnicodeDecodeError as error:
        raise DocumentError([FieldError("$", "json_not_utf8", str(error), {})]) from None
    except ValueError as error:  # json's only other ValueError: a number beyond int_max_str_digits (4300)
        raise DocumentError([FieldError("$", "json_number_too_long", str(error), {})]) from None
    except RecursionError:
        raise DocumentError([FieldError("$", "json_too_deep", "nested too deeply", {})]) from None
    try:
        document = PlanDocument.model_validate(data)
    except ValidationError as error:
        raise DocumentError(field_errors(error)) from None
    except RecursionError:  # nesting json accepted but validation did not
        raise DocumentError([FieldError("$", "json_too_deep", "nested too deeply", {})]) from None
    errors = integrity_errors(document)
    if errors:
        raise DocumentError(errors)
    return document


def dump_document(plan: Plan, versions: list[Plan]) -> str:
    return PlanDocument(plan=plan, versions=versions).model_dump_json(indent=2)


def schema() -> dict:
    return PlanDocument.model_json_schema(mode="validation")
