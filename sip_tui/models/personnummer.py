"""Swedish personnummer and samordningsnummer: parsing, validation, masking.

Pure functions; no I/O. Canonical form is ``YYYYMMDD-NNNN``.
"""

from __future__ import annotations

import re
from datetime import date

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$", re.ASCII)  # ASCII digits only
COORDINATION_DAY_OFFSET = 60


class PersonnummerError(ValueError):
    """Raised with a catalogue code saying what is wrong (never the number itself)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def normalize(raw: str, today: date | None = None) -> str:
    """Return the canonical ``YYYYMMDD-NNNN`` form or raise PersonnummerError.

    Accepts 12 digits (with or without ``-``) and 10 digits, where ``+``
    marks a person aged 100 or more, as the Tax Agency writes it.
    """
    text = raw.strip().replace(" ", "")
    match = _PATTERN.match(text)
    if not match:
        raise PersonnummerError("pnr_format")
    century, yy, mm, dd, sep, serial, check = match.groups()
    if century is None:
        century = _infer_century(yy, mm, dd, sep, today or date.today())
    day = int(dd)
    real_day = day - COORDINATION_DAY_OFFSET if day > COORDINATION_DAY_OFFSET else day
    try:
        date(int(century + yy), int(mm), real_day)
    except ValueError:
        raise PersonnummerError("pnr_date") from None
    if luhn_check_digit(yy + mm + dd + serial) != int(check):
        raise PersonnummerError("pnr_checksum")
    return f"{century}{yy}{mm}{dd}-{serial}{check}"


def _infer_century(yy: str, mm: str, dd: str, sep: str, today: date) -> str:
    year = today.year - (today.year % 100) + int(yy)
    if year > today.year:
        year -= 100
    if sep == "+":
        year -= 100
    return str(year)[:2]


def is_coordination_number(canonical: str) -> bool:
    return int(canonical[6:8]) > COORDINATION_DAY_OFFSET


def birth_year(canonical: object) -> int | None:
    """The year of birth of a stored (canonical ``YYYYMMDD-NNNN``) personnummer or samordningsnummer."""
    return int(canonical[:4]) if isinstance(canonical, str) and canonical[:4].isdigit() else None


def mask(canonical: str | None) -> str:
    """Show the birth date only: ``19850312-••••``."""
    if not canonical:
        return ""
    return canonical[:9] + "••••"


def mask_typed(raw: str) -> str:
    """Always ``<birth date>-••••``: the last four digits are never shown.

    A valid number shows as ``19850312-••••``. Anything else (mistyped,
    half-typed) shows at most its birth-date part (8 digits of a 12-digit
    number, 6 of a shorter one) and never any of its last four digits:
    ``8503122388`` -> ``850312-••••``, ``19850312`` -> ``1985-••••``."""
    text = raw.strip()
    if not text:
        return ""
    try:
        return mask(normalize(text))
    except PersonnummerError:
        pass
    digits = "".join(char for char in text if char in "0123456789")
    date_part = 8 if len(digits) >= 12 else 6
    head = digits[: max(0, min(date_part, len(digits) - 4))]
    separator = "+" if "+" in text else "-"
    return f"{head}{separator}••••" if head else "••••"
