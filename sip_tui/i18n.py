"""The UI language: every user-visible string comes from ``catalogue.STRINGS``.

Swedish is the default; English is available. Pure module (no Textual).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum

from .catalogue import STRINGS

LANGUAGES = ("sv", "en")
_language = "sv"
# A language for one piece of work (an export written in English while the room
# reads Swedish): set in its own thread or task only, never a process-wide switch.
_writing_in: ContextVar[str | None] = ContextVar("writing_in", default=None)


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(language)
    _language = language


def choose_language(*choices: str | None) -> str:
    """The first of ``choices`` (most specific first) that is a language the app
    speaks; Swedish when none is. An unknown or empty choice is passed over."""
    return next((choice for choice in choices if choice in LANGUAGES), LANGUAGES[0])


def language() -> str:
    return _writing_in.get() or _language


@contextmanager
def writing_in(language: str) -> Iterator[None]:
    """Texts in ``language`` for the work done inside (this thread or task only)."""
    if language not in LANGUAGES:
        raise ValueError(language)
    token = _writing_in.set(language)
    try:
        yield
    finally:
        _writing_in.reset(token)


def t(key: str, **params: object) -> str:
    """The text for ``key`` in the current language, with ``{params}`` filled in."""
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(f"missing catalogue key: {key}")
    text = entry[LANGUAGES.index(language())]
    return text.format(**params) if params else text


def has(key: str) -> bool:
    return key in STRINGS


def label(member: Enum | None) -> str:
    """The display label of an enum value, e.g. Body.KOMMUN -> 'Kommun'."""
    if member is None:
        return "–"
    return t(f"enum.{type(member).__name__}.{member.value}")


def field_error(code: str, detail: str = "", **context: object) -> str:
    """A validation message in the UI language for a pydantic error type. An
    unknown type gets the generic message: ``detail`` (pydantic's English) is
    never shown."""
    key = f"error.{code}"
    if has(key):
        params = {k: v for k, v in context.items() if isinstance(v, (str, int, float))}
        try:  # t() fills placeholders only when given params: format here so none is left open
            return t(key, **params) if params else t(key).format()
        except KeyError:  # a placeholder pydantic did not fill (or filled with a date)
            pass
    return t("error.generic")


def due_in_words(days: int) -> str:
    """When a follow-up is due, in words: "9 dagar försenad", "i dag", "om 5 dagar".

    Shared by ``sip-tui followups`` and the follow-up overview so both say the same."""
    if days < -1:
        return t("cli.days_overdue", days=-days)
    if days == -1:
        return t("cli.day_overdue")
    if days == 0:
        return t("cli.due_today")
    if days == 1:
        return t("cli.due_tomorrow")
    return t("cli.due_in", days=days)
