"""The versioned JSON interchange format for one plan.

    {"format": "sip-tui-plan", "format_version": 1,
     "plan": {...current state...}, "versions": [{...agreed version 1...}, ...]}

``schema()`` is the JSON Schema generated from these models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .plan import Plan

FORMAT = "sip-tui-plan"
FORMAT_VERSION = 1


class PlanDocument(BaseModel):
    """One plan with its agreed versions, as exported and imported."""

    model_config = ConfigDict(extra="forbid", title="SIP plan (sip-tui interchange format)")

    format: Literal["sip-tui-plan"] = FORMAT
    format_version: Literal[1] = FORMAT_VERSION
    plan: Plan
    versions: list[Plan] = Field(default_factory=list)


@dataclass(frozen=True)
class FieldError:
    path: str  # JSON path, e.g. $.plan.person.personnummer
    code: str  # pydantic error type or our custom code
    detail: str  # pydantic's own message (English), for unknown codes
    context: dict


def json_path(location: tuple) -> str:
    path = "$"
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def field_errors(error: ValidationError) -> list[FieldError]:
    return [
        FieldError(json_path(e["loc"]), e["type"], e["msg"], dict(e.get("ctx") or {}))
        for e in error.errors(include_url=False, include_input=False)
    ]


class DocumentError(ValueError):
    """A document that is not valid JSON or not a valid plan; carries all field errors."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def parse_document(text: str | bytes) -> PlanDocument:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        position = getattr(error, "lineno", None)
        raise DocumentError([FieldError("$", "json_invalid", str(error), {"line": position})]) from None
    try:
        return PlanDocument.model_validate(data)
    except ValidationError as error:
        raise DocumentError(field_errors(error)) from None


def dump_document(plan: Plan, versions: list[Plan]) -> str:
    return PlanDocument(plan=plan, versions=versions).model_dump_json(indent=2)


def schema() -> dict:
    return PlanDocument.model_json_schema(mode="validation")
