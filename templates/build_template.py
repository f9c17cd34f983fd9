"""Write sip_tui/templates/sip-base.docx, the default base template of the Word export.

Run with ``make template`` (or ``.venv/bin/python templates/build_template.py [OUT]``).
An organisation copies the result, restyles it in Word and points
``template`` in settings.json at the copy; see docs/export.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from sip_tui.export.docx import DEFAULT_TEMPLATE as DEFAULT_OUT
from sip_tui.export.template import build_base_template


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    print(build_base_template(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
