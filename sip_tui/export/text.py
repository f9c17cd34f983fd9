"""Text hygiene for exported files, and writing them."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path

from ..files import atomic_write, make_private_folder, remove_abandoned_temps
from ..i18n import t


class ExportError(ValueError):
    """A document cannot be made; ``code`` is a catalogue key, ``params`` fill it,
    and the message is in the UI language."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = {key: str(value) for key, value in params.items()}
        super().__init__(t(code, **self.params))


# Exported plans hold sensitive personal data: readable by their owner only.
PRIVATE_MODE = 0o600
# The base template holds no personal data and is meant to be copied.
SHARED_MODE = 0o644

# Characters XML 1.0 cannot hold (python-docx would raise on them).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNSAFE_IN_FILENAME = re.compile(r"[^\w-]+")


def xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def safe_filename_part(text: str, limit: int = 30) -> str:
    """Letters, digits, '-' and '_' only: portable on Windows and never a path."""
    normalized = unicodedata.normalize("NFC", text)
    return _UNSAFE_IN_FILENAME.sub("", normalized)[:limit]


def write_atomically(target: Path, data: bytes, mode: int = PRIVATE_MODE) -> Path:
    """Write an exported file as the store writes plans (temp file, fsync, rename),
    creating its folder owner-only. Only a regular file is replaced: a symlink,
    a device or a folder at ``target`` is refused (ExportError). Temp files an
    earlier, killed export left in the folder are removed first. An OSError names
    ``target`` (or the file that stands where its folder should be), never the
    temporary file."""
    folder = target.parent
    try:
        make_private_folder(folder)
    except FileExistsError:  # a file where the folder should be
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder)) from None
    _refuse_unless_regular(target)
    remove_abandoned_temps(folder)
    try:
        atomic_write(target, data, keep_backup=False, mode=mode)
    except OSError as error:
        raise OSError(error.errno, error.strerror or str(error), str(target)) from None
    return target


def _refuse_unless_regular(target: Path) -> None:
    """The rename would put the export in place of a symlink (not its target), a device or a folder."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except OSError as error:
        raise OSError(error.errno, error.strerror or str(error), str(target)) from None
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    if not stat.S_ISREG(info.st_mode):
        raise ExportError("export.error.not_a_file", file=target)
