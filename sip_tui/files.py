"""Writing a file so that a crash leaves the old or the new one, never a torn one.

Every write goes to a temp file in the same folder, is flushed and fsynced,
then atomically replaces the old file, and the folder itself is fsynced
(POSIX). The store writes its plans this way, the export its documents.
No Textual, no store: only the standard library.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from contextlib import suppress
from pathlib import Path

POSIX = os.name == "posix"
if POSIX:
    import fcntl
FILE_MODE = 0o600
FOLDER_MODE = 0o700
# Temp files are ".<target name>.<random>.sip-tui.tmp": recognisably ours, so
# one a killed write left behind can be removed from a shared export folder
# without touching other programs' files.
TEMP_SUFFIX = ".sip-tui.tmp"
# Windows: a temp file this old is abandoned (a live writer holds it for milliseconds).
ABANDONED_TEMP_S = 60
# On Windows a rename over a file another process has open (a second sip-tui
# scanning the store) fails with PermissionError for a moment: retry briefly.
REPLACE_TRIES = 5
REPLACE_WAIT_S = 0.02
# How often a lock held by another window is tried again (as filelock polls).
LOCK_POLL_S = 0.05
# flock(2) errors that mean "held by another": some file systems say EACCES (as filelock reads them).
_LOCK_HELD = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES}


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents owner-only (POSIX). A folder
    that exists keeps its mode: a team folder's group access and setgid bit are
    the team's choice. Raises FileExistsError if a file stands in its place."""
    missing = []
    current = folder
    while not current.is_dir() and current.parent != current:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue  # another process made it just now
        if POSIX:  # a umask can only take bits away, but an odd one may leave the owner locked out
            with suppress(OSError):
                os.chmod(path, FOLDER_MODE)


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
    fd, tmp_name = _locked_temp(path)
    handle = os.fdopen(fd, "wb")
    try:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        if POSIX:
            os.chmod(tmp_name, mode)
        else:  # Windows cannot rename a file that is open
            handle.close()
        if keep_backup and path.exists():
            replace(path, backup_path(path))
        replace(tmp_name, path)
    except BaseException:
        with suppress(OSError):  # closing flushes again, and a full disk fails again
            handle.close()
        with suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    handle.close()  # on POSIX the temp file's lock is held until the rename is done
    # The new file is in place: the save has happened and the caller must treat
    # it as done (its revision is now the stored one). A folder fsync that fails
    # here (EIO on a network share, EINVAL where unsupported) only weakens
    # durability against a power cut; reporting it as a failed save would make
    # the caller keep a stale revision and refuse every later save.
    with suppress(OSError):
        fsync_dir(path.parent)


class FlockLock:
    """An exclusive lock on a lock file, held between ``acquire`` and ``release``: the
    same flock(2) lock filelock takes on POSIX, so the two exclude each other. A save
    takes one for a few milliseconds; filelock's own bookkeeping on each acquire (fork
    tracking, soft-lock fallbacks, mode probes) cost as much as the rest of the save's
    work. POSIX only. ``acquire`` raises TimeoutError once ``timeout`` seconds pass."""

    def __init__(self, path: str | os.PathLike, timeout: float, mode: int = FILE_MODE) -> None:
        self.path = os.fspath(path)
        self.timeout = timeout
        self.mode = mode
        self._fd: int | None = None

    def acquire(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, self.mode)
            try:
                if self._lock(fd, deadline):
                    self._fd = fd
                    return
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # removed (a cleaner, the folder made anew) just before it was locked: open it again

    def _lock(self, fd: int, deadline: float) -> bool:
        """Lock ``fd``, waiting until ``deadline``; False if its file is gone by then."""
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in _LOCK_HELD:
                    raise
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"lock held elsewhere: {os.path.basename(self.path)}") from None
                time.sleep(LOCK_POLL_S)
        info = os.fstat(fd)
        if info.st_nlink == 0:
            return False
        if stat.S_IMODE(info.st_mode) != self.mode and info.st_uid == os.geteuid():
            os.fchmod(fd, self.mode)  # a umask may have taken bits the owner needs to lock it again
        return True

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the only descriptor releases the lock


def has_flock(folder: Path) -> bool:
    """Whether ``folder``'s file system supports flock(2) (some network mounts do not:
    ENOSYS). Tried on a temp file that is gone at once; an error other than ENOSYS
    counts as support, so the real lock reports it. POSIX only."""
    try:
        with tempfile.TemporaryFile(dir=folder) as probe:
            fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        return error.errno != errno.ENOSYS
    return True


def _locked_temp(path: Path) -> tuple[int, str]:
    """A new temp file beside ``path``, locked (POSIX) for as long as it is open:
    ``remove_abandoned_temps`` takes only a temp file whose writer has died."""
    while True:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
        if not POSIX:
            return fd, name
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: the cleaner cannot lock it either, so leaves it
            return fd, name
        if os.fstat(fd).st_nlink:
            return fd, name
        os.close(fd)  # a cleaner removed it in the instant before it was locked: take another


def remove_abandoned_temps(folder: Path) -> None:
    """Remove the temp files of writes that were killed before their rename.
    Only our own (``TEMP_SUFFIX``), and only those no live process is writing:
    a live writer holds a lock on its temp file (POSIX), or has it open, which
    Windows refuses to remove."""
    try:
        with os.scandir(folder) as entries:
            names = [e.path for e in entries if e.name.startswith(".") and e.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for name in names:
        with suppress(OSError):  # gone already, locked, not ours to remove
            _remove_if_abandoned(name)


def _remove_if_abandoned(name: str) -> None:
    if not POSIX:
        if time.time() - os.stat(name, follow_symlinks=False).st_mtime > ABANDONED_TEMP_S:
            os.unlink(name)
        return
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError while its writer lives
        if os.stat(name, follow_symlinks=False).st_ino == info.st_ino:
            os.unlink(name)
    finally:
        os.close(fd)


def kept_name(path: Path) -> str:
    """A file kept in a folder of the store (a recovery file, a crash report) as the
    shared screen names it: that folder and the file's name (random ids and a time),
    never the full path with the user's own folders in it."""
    return f"{path.parent.name}/{path.name}"

