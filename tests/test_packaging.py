"""The built wheel holds what an installed copy needs at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import sip_tui
from sip_tui.export import docx as docx_export

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_word_template_the_export_opens(tmp_path):
    """Without it an installed copy silently falls back to the template built in memory."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "sip_tui", source / "sip_tui", ignore=shutil.ignore_patterns("__pycache__"))
    # Built with the setuptools of the test environment (the test extra pins it): no download.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path / "dist"],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("sip_tui-*.whl")
    inside_package = docx_export.DEFAULT_TEMPLATE.relative_to(Path(sip_tui.__file__).parent).as_posix()
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert f"sip_tui/{inside_package}" in names
        assert archive.read(f"sip_tui/{inside_package}") == docx_export.DEFAULT_TEMPLATE.read_bytes()
        assert {"sip_tui/app.tcss", "sip_tui/screens/meeting.tcss", "sip_tui/screens/dialogs.tcss"} <= set(names)  # the app's styles too
