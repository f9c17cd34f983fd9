"""A crash-safe TinyDB storage: every write goes through ``sip_tui.files.atomic_write``
(temp file, fsync, rename, folder fsync), so a kill or power cut leaves either
the old or the new file, never a torn one. The previous good file is kept
as ``<name>.bak``.

Reads are cached for the life of one storage (one locked store operation),
and ``batch()`` folds several TinyDB table writes into one file write.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tinydb.storages import Storage

from ..files import POSIX, atomic_write, backup_path, make_private_folder


class UnreadableFile(Exception):
    """The file exists but is not valid JSON (truncated, corrupt), or cannot be
    read at all (``reason`` is then the system's message, e.g. a permission error)."""

    def __init__(self, name: str = "", reason: str = "") -> None:
        super().__init__(name)
        self.reason = reason


def write_kept_file(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """A file kept beside the store (a recovery file, a crash report): owner-only,
    and never over one kept before (two in one second get ``-2``, ``-3`` …)."""
    make_private_folder(folder)
    path, number = folder / f"{stem}{suffix}", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}{suffix}"
    atomic_write(path, data, keep_backup=False)
    return path


def others_can_read(folder: Path) -> bool:
    """Whether users outside the folder's owner and group may list it (POSIX)."""
    if not POSIX:
        return False
    try:
        return bool(folder.stat().st_mode & stat.S_IROTH)
    except OSError:
        return False


def read_json(path: Path) -> dict | None:
    """The file's JSON object; None if neither it nor its backup exists.

    A missing file with a backup means a crash between the two renames of
    ``atomic_write``: the backup is the last acknowledged save.
    """
    for candidate in (path, backup_path(path)):
        try:
            raw = candidate.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as error:  # a folder in its place, no permission, EIO, a Windows sharing violation
            raise UnreadableFile(path.name, error.strerror or type(error).__name__) from None
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, not UTF-8, a 5000-digit number, nested too deeply
            raise UnreadableFile(path.name) from None
        if not isinstance(data, dict):
            raise UnreadableFile(path.name)
        return data
    return None


def encode(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._cache: dict | None = None
        self._batching = False
        self._dirty = False

    def read(self) -> dict | None:
        if self._cache is None:
            self._cache = read_json(self.path)
        return self._cache

    def write(self, data: dict) -> None:
        self._cache = data
        if self._batching:
            self._dirty = True
        else:
            atomic_write(self.path, encode(data))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect the writes of a block into one atomic file write at its end."""
        self._batching, self._dirty = True, False
        try:
            yield
        finally:
            self._batching = False
        if self._dirty and self._cache is not None:
            atomic_write(self.path, encode(self._cache))

    def close(self) -> None:
        self._cache = None
