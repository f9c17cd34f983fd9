"""Text hygiene for exported files."""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 cannot hold (python-docx would raise on them).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNSAFE_IN_FILENAME = re.compile(r"[^\w-]+")


def xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def safe_filename_part(text: str, limit: int = 30) -> str:
    """Letters, digits, '-' and '_' only: portable on Windows and never a path."""
    normalized = unicodedata.normalize("NFC", text)
    return _UNSAFE_IN_FILENAME.sub("", normalized)[:limit]
