"""What an unexpected error leaves behind: where it happened, never what was typed.

The report names the exception's type and the code path (file, line, function,
source line) — not the exception's text or any variable, which can hold a
person's name or personnummer (pydantic's ``input_value``, a path with a name).
"""

from __future__ import annotations

import platform
import sys
import traceback


def crash_report(error: BaseException) -> str:
    lines = [
        "sip-tui crash report",
        f"python {platform.python_version()} on {sys.platform}",
        f"exception: {type(error).__module__}.{type(error).__qualname__}",
        "traceback (most recent call last):",
    ]
    for frame in traceback.extract_tb(error.__traceback__):
        lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
        if frame.line:
            lines.append(f"    {frame.line}")
    return "\n".join(lines) + "\n"
