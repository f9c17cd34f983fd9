"""A crash-safe TinyDB storage: every write goes to a temp file in the same
folder, is flushed and fsynced, then atomically replaces the old file, and
the folder itself is fsynced (POSIX), so a kill or power cut leaves either
the old or the new file, never a torn one. The previous good file is kept
as ``<name>.bak``.

Reads are cached for the life of one storage (one locked store operation),
and ``batch()`` folds several TinyDB table writes into one file write.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tinydb.storages import Storage

POSIX = os.name == "posix"
FILE_MODE = 0o600
# On Windows a rename over a file another process has open (a second sip-tui
# scanning the store) fails with PermissionError for a moment: retry briefly.
REPLACE_TRIES = 5
REPLACE_WAIT_S = 0.02


class UnreadableFile(Exception):
    """The file exists but is not valid JSON (truncated, corrupt), or cannot be
    read at all (``reason`` is then the system's message, e.g. a permission error)."""

    def __init__(self, name: str = "", reason: str = "") -> None:
        super().__init__(name)
        self.reason = reason


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def fsync_dir(folder: Path) -> None:
    """Make a rename durable. Directories cannot be opened for fsync on Windows."""
    if not POSIX:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """``os.replace``, retried a few times on PermissionError (Windows refuses to
    rename over a file another process has open). No wait unless it failed."""
    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == REPLACE_TRIES - 1:
                raise
            time.sleep(REPLACE_WAIT_S)


def atomic_write(path: Path, data: bytes, keep_backup: bool = True, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file.
    The new file gets ``mode`` (POSIX), whatever the file it replaces allowed."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if POSIX:
            os.chmod(tmp_name, mode)
        if keep_backup and path.exists():
            replace(path, backup_path(path))
        replace(tmp_name, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    # The new file is in place: the save has happened and the caller must treat
    # it as done (its revision is now the stored one). A folder fsync that fails
    # here (EIO on a network share, EINVAL where unsupported) only weakens
    # durability against a power cut; reporting it as a failed save would make
    # the caller keep a stale revision and refuse every later save.
    with suppress(OSError):
        fsync_dir(path.parent)


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
