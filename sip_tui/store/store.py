"""The plan store: one TinyDB document file per plan.

    <root>/plans/<plan id>.json      tables: meta, plan, versions, changes
    <root>/plans/<plan id>.json.bak  the previous good copy
    <root>/locks/<plan id>.lock      cross-process lock (filelock)

File names are random ids, never personal data. Every save runs under the
plan's lock, re-reads the file and refuses a save based on a stale revision.
A file that cannot be read, or has a newer schema, is reported by name and
never written over; the other plans stay usable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import getpass
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock
from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.table import Document, Table

from ..files import FILE_MODE, POSIX, FlockLock, atomic_write, backup_path, has_flock, make_private_folder
from ..models.enums import PlanStatus
from ..models.facts import PlanFacts
from ..models.followup import PlanSummary
from ..models.lineage import based_on, carried_in, saved_at
from ..models.plan import SAVE_BOOKKEEPING, Plan
from .storage import (
    AtomicJSONStorage,
    UnreadableFile,
    encode,
    others_can_read,
    read_json,
    write_kept_file,
)

SCHEMA_VERSION = 1
SUFFIX = ".json"
LOCK_TIMEOUT_S = 5.0
STALE_TEMP_S = 3600
# Autosave writes often; consecutive saves by one user within this window
# share one change-log entry so the log (and every scan) stays small.
CHANGE_COALESCE = dt.timedelta(minutes=15)
_BOOKKEEPING = SAVE_BOOKKEEPING
# scan() keeps the summary of every unchanged file in <root>/summaries.json, keyed by
# the file's inode, size and mtime, so an overview of 10,000 plans reads no plan file.
# It is only a cache: a missing or damaged one costs one slow scan. Bump the format
# when PlanSummary.from_raw or to_cache changes meaning. The report facts are kept
# as JSON text in each entry: decoded as one string, parsed only when read.
SUMMARY_CACHE = "summaries.json"
SUMMARY_CACHE_FORMAT = (
    f"4:{','.join(f.name for f in dataclasses.fields(PlanSummary))}:{','.join(f.name for f in dataclasses.fields(PlanFacts))}"
)
# A file changed this recently is not cached: a second save within one coarse
# timestamp tick could leave the same inode, size and mtime ("racy clean", as in git).
_RACY_NS = 2_000_000_000


class StoreError(Exception):
    """A store failure the user can act on. ``code`` is a catalogue key,
    ``file`` the plan's file name (a random id: safe to show and log)."""

    code = "store.error"

    def __init__(self, file: str = "", **params: object) -> None:
        super().__init__(f"{self.code}: {file}")
        self.file = file
        self.params = params


class NotFound(StoreError):
    code = "store.not_found"


class Unreadable(StoreError):
    code = "store.unreadable"

    def __init__(self, file: str = "", *, backup: bool = False, **params: object) -> None:
        super().__init__(file, **params)
        if backup:  # the message then points to the copy beside it
            self.code = "store.unreadable_backup"


class ReadFailed(Unreadable):
    """The system refuses to read the file (no permission, a folder in its place, EIO)."""

    code = "store.read_failed"


class NewerSchema(StoreError):
    code = "store.newer_schema"


class StaleRevision(StoreError):
    code = "store.stale"


class Busy(StoreError):
    code = "store.busy"


class DiskFull(StoreError):
    code = "store.disk_full"


class WriteFailed(StoreError):
    code = "store.write_failed"


class VersionConflict(StoreError):
    code = "store.version_conflict"


class OlderImport(StoreError):
    """An imported plan older than the stored one: it would roll an agreed plan back."""

    code = "store.import_older"


class ImportConflict(StoreError):
    """An imported plan based on an older save than the stored one (an old export,
    a recovery file from before another window saved): importing it would undo
    what was saved since. ``params`` say when each was saved and which sections differ."""

    code = "store.import_conflict"


@dataclass
class ScanResult:
    summaries: list[PlanSummary] = field(default_factory=list)
    errors: list[StoreError] = field(default_factory=list)


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


class PlanStore:
    def __init__(self, root: Path, user: str | None = None, clock: Callable[[], dt.datetime] = _now) -> None:
        self.root = Path(root)
        self.plans_dir = self.root / "plans"
        self.locks_dir = self.root / "locks"
        self.user = user or _login_name()
        self.clock = clock
        # The identity of each plan file this store last wrote: a save finding it
        # unchanged need not validate it again before writing over it (autosave).
        self._written: dict[str, tuple[int, ...]] = {}
        self._flock: bool | None = None  # whether the locks folder has flock(2): asked at the first lock
        make_private_folder(self.root)
        make_private_folder(self.plans_dir)
        # A read-only store (a mounted backup, a colleague's folder) can still be
        # read without its locks folder; saving then fails with a clear message.
        with suppress(OSError):
            make_private_folder(self.locks_dir)

    def folders_open_to_others(self) -> list[Path]:
        """The store's folders that users outside its owner and group may list:
        the app never changes an existing folder's mode, so it warns instead."""
        return [folder for folder in (self.root, self.plans_dir) if others_can_read(folder)]

    # -- paths and locking -------------------------------------------------

    def path(self, plan_id: str) -> Path:
        if not plan_id or not plan_id.isalnum():
            raise NotFound(plan_id[:40])
        return self.plans_dir / f"{plan_id}{SUFFIX}"

    @contextmanager
    def _locked(
        self, plan_id: str, on_wait: Callable[[], object] | None = None
    ) -> Iterator[tuple[TinyDB, AtomicJSONStorage]]:
        """The plan's file under its lock; ``on_wait`` is called once if another
        window holds the lock, before waiting up to LOCK_TIMEOUT_S for it."""
        path = self.path(plan_id)
        try:
            for folder in (self.plans_dir, self.locks_dir):  # removed while the app ran: made anew
                if not folder.is_dir():
                    make_private_folder(folder)
            lock = self._take_lock(plan_id, on_wait)
        except TimeoutError:  # before OSError, of which it is one (so is filelock's Timeout)
            raise Busy(path.name) from None
        except OSError as error:  # a read-only store, a full disk, no permission, a folder at the lock path
            raise _write_error(path, error) from None
        try:
            db = TinyDB(path, storage=AtomicJSONStorage)
            storage: AtomicJSONStorage = db.storage  # type: ignore[assignment]
            try:
                _check_readable(path, storage, self._written.pop(plan_id, None))
                yield db, storage
            except OSError as error:
                raise _write_error(path, error) from None
            finally:
                db.close()
        finally:
            lock.release()

    def _take_lock(self, plan_id: str, on_wait: Callable[[], object] | None) -> FlockLock | FileLock:
        """Take the plan's cross-process lock: a bare flock on POSIX (the lock filelock
        takes there, without its costly bookkeeping); filelock on Windows, and on a file
        system without flock (filelock then keeps a marker file instead)."""
        if POSIX and self._flock is None:
            self._flock = has_flock(self.locks_dir)
        path = str(self.locks_dir / f"{plan_id}.lock")
        lock = (FlockLock if self._flock else FileLock)(path, timeout=LOCK_TIMEOUT_S, mode=FILE_MODE)
        try:
            lock.acquire(timeout=0)
        except TimeoutError:
            if on_wait is not None:
                on_wait()
            lock.acquire()
        return lock

    # -- reading -----------------------------------------------------------

    def exists(self, plan_id: str) -> bool:
        path = self.path(plan_id)
        try:
            return read_json(path) is not None
        except UnreadableFile as error:
            raise _unreadable(path, error) from None

    def load(self, plan_id: str) -> Plan:
        path = self.path(plan_id)
        return _plan_from(path, _one(path, self._read(plan_id), "plan"))

    def versions(self, plan_id: str) -> list[Plan]:
        data = self._read(plan_id)
        path = self.path(plan_id)
        snapshots = [_plan_from(path, doc) for doc in (data.get("versions") or {}).values()]
        return sorted(snapshots, key=lambda p: p.version)

    def changes(self, plan_id: str) -> list[dict]:
        return list((self._read(plan_id).get("changes") or {}).values())

    def _read(self, plan_id: str) -> dict:
        path = self.path(plan_id)
        try:
            data = read_json(path)
        except UnreadableFile as error:
            raise _unreadable(path, error) from None
        if data is None:
            raise NotFound(path.name)
        _plan_doc(path, data)  # a plan file without its plan is damaged, also for versions()
        return data

    def plan_ids(self) -> list[str]:
        """Every plan in the folder; also removes temp files a killed save left behind."""
        ids: set[str] = set()
        try:
            entries = os.scandir(self.plans_dir)
        except FileNotFoundError:  # the folder was removed while the app ran: no plans, no crash
            return []
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    if name.endswith(".tmp"):
                        _remove_if_stale(entry)
                    continue
                if name.endswith(SUFFIX):
                    ids.add(name[: -len(SUFFIX)])
                elif name.endswith(SUFFIX + ".bak"):  # crash between the two renames
                    ids.add(name[: -len(SUFFIX + ".bak")])
        return sorted(ids)

    def write_recovery(self, plan_id: str, document: bytes, stamp: str) -> Path:
        """Keep a plan that could not be saved in ``<root>/recovery/``, owner-only."""
        return write_kept_file(self.root / "recovery", f"{self.path(plan_id).stem}-{stamp}", ".json", document)

    def write_crash_report(self, report: bytes, stamp: str) -> Path:
        """An unexpected error's report (no personal data) in ``<root>/crash/``, owner-only."""
        return write_kept_file(self.root / "crash", f"crash-{stamp}", ".txt", report)

    def scan(self, progress: Callable[[int, int], object] | None = None) -> ScanResult:
        """Summaries of every plan, for overviews; unreadable files are listed as errors,
        plans that would not open are listed with ``damaged`` set.

        Reads raw JSON and validates a plan only when its file changed (the summary
        cache remembers the rest), so it stays fast at 10,000 plans and can run in a
        UI worker thread. ``progress(done, total)`` is called before each file (a
        slow first scan shows how far it got).
        """
        result = ScanResult()
        cached = self._read_summary_cache()
        fresh: dict[str, list] = {}
        now, folder = time.time_ns(), os.fspath(self.plans_dir)
        plan_ids = self.plan_ids()
        for done, plan_id in enumerate(plan_ids):
            if progress is not None:
                progress(done, len(plan_ids))
            try:
                signature = _signature(folder, plan_id)  # before reading: a later change shows as a mismatch
                entry = cached.get(plan_id)
                summary = _cached_summary(entry, signature)
                if summary is None:
                    summary = self._summary(plan_id)
                    entry = [signature, summary.to_cache()]
                if signature and entry is not None and now - signature[3] > _RACY_NS:
                    fresh[plan_id] = entry
                result.summaries.append(summary)
            except StoreError as error:
                result.errors.append(error)
            except (AttributeError, KeyError, TypeError, ValueError):  # a hand-edited plan of the wrong shape
                result.errors.append(_damaged(self.path(plan_id)))
        if fresh != cached:
            self._write_summary_cache(fresh)
        return result

    def _summary(self, plan_id: str) -> PlanSummary:
        """A plan's summary from its file; ``damaged`` if load() would refuse the plan."""
        data = self._read(plan_id)
        doc = data["plan"]["1"]
        summary = PlanSummary.from_raw(doc, data.get("versions"))
        try:
            Plan.model_validate(doc)
        except ValidationError:
            return dataclasses.replace(summary, damaged=True)
        return summary

    def _read_summary_cache(self) -> dict:
        try:
            data = json.loads((self.root / SUMMARY_CACHE).read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != SUMMARY_CACHE_FORMAT:
            return {}
        plans = data.get("plans")
        return plans if isinstance(plans, dict) else {}

    def _write_summary_cache(self, plans: dict[str, list]) -> None:
        with suppress(OSError):  # a read-only or full disk: scans stay correct, only slower
            atomic_write(self.root / SUMMARY_CACHE, encode({"format": SUMMARY_CACHE_FORMAT, "plans": plans}), False)

    def scan_followups(self, progress: Callable[[int, int], object] | None = None) -> ScanResult:
        """The plans a follow-up overview may show; the file store scans them all."""
        return self.scan(progress)

    def log_access(self, plan_id: str, action: str) -> None:
        """One person, one laptop: the file store keeps no access log of its own."""

    def log_accesses(self, plan_ids: list[str], action: str) -> None:
        """As ``log_access``, for plans a search showed: nothing kept here either."""

    def access_log(self, plan_id: str) -> list[dict]:
        """Access entries a plan brought along from a team's database (`sip-tui store copy`)."""
        return list((self._read(plan_id).get("access") or {}).values())

    # -- writing -----------------------------------------------------------

    def save(self, plan: Plan, on_wait: Callable[[], object] | None = None) -> Plan:
        """Save the current state; returns it with the new revision.

        Refused (StaleRevision) if the stored revision is not the one this
        plan was loaded at. An agreed plan also stores its version snapshot,
        which can never change afterwards. ``on_wait``: see ``_locked``.
        """
        with self._locked(plan.id, on_wait) as (db, storage):
            stored = db.table("plan").get(doc_id=1)
            stored_revision = _stored_int(self.path(plan.id), stored, "revision")
            # No file at all (its folder was removed under the app): nothing newer to keep, save it anew.
            if stored is not None and stored_revision != plan.revision:
                raise StaleRevision(self.path(plan.id).name, stored=stored_revision, yours=plan.revision)
            snapshots = [plan] if plan.status in (PlanStatus.AGREED, PlanStatus.CLOSED) and plan.version else []
            return self._commit(db, storage, stored, plan, snapshots)

    def import_document(self, plan: Plan, versions: list[Plan], replacing: int | None = None) -> Plan:
        """Add a plan from the interchange format, or update the stored one.

        The document's plan records the save it was based on (its revision and
        ``updated_at``). An update based on an older save than the stored one is
        refused (ImportConflict) unless it changes nothing, or ``replacing`` names
        the stored revision, of which the caller has kept a copy. Agreed versions
        never change: each one in the document, and the plan itself when agreed,
        must equal the one stored; new ones are added. A plan older than the
        stored version is always refused (OlderImport)."""
        with self._locked(plan.id) as (db, storage):
            path = self.path(plan.id)
            snapshots = _import_snapshots(plan, versions)
            _check_versions_unchanged(path, db.table("versions"), snapshots)
            stored = db.table("plan").get(doc_id=1)
            if stored is None:
                return self._commit(db, storage, None, carried_in(plan, None), snapshots)
            stored_version = _stored_int(path, stored, "version")
            if plan.version < stored_version:
                # An old export would roll the plan back past agreed versions, and every
                # later agreement would then collide with the versions already on file.
                raise OlderImport(path.name, stored=stored_version, yours=plan.version)
            current = _plan_from(path, stored)
            changed = _content(plan.model_dump(mode="json")) != _content(current.model_dump(mode="json"))
            adds_versions = any(db.table("versions").get(doc_id=v.version) is None for v in snapshots)
            if not changed and not adds_versions:
                return current  # the same plan again: nothing to write, no open window made stale
            if changed and replacing is None and not based_on(plan, current):
                raise ImportConflict(
                    path.name,
                    yours=plan.revision,
                    yours_saved=_when(plan.updated_at),
                    stored=current.revision,
                    stored_saved=_when(current.updated_at),
                    sections=differing_sections(current, plan),  # named in words by describe.error_text
                )
            if replacing is not None and replacing != current.revision:
                # Saved again after the caller kept its copy: that save would be lost.
                raise StaleRevision(path.name, stored=current.revision, yours=replacing)
            # Revisions go on from the higher of the two, so the file just imported
            # counts as older than the plan from now on.
            base = carried_in(plan, current).model_copy(update={"revision": max(current.revision, plan.revision)})
            return self._commit(db, storage, stored, base, snapshots)

    def _commit(
        self, db: TinyDB, storage: AtomicJSONStorage, stored: dict | None, plan: Plan, snapshots: list[Plan]
    ) -> Plan:
        versions = db.table("versions")
        new_snapshots: dict[int, Document] = {}
        for snapshot in snapshots:
            # The same version twice in one import is checked like one already stored.
            existing = new_snapshots.get(snapshot.version) or versions.get(doc_id=snapshot.version)
            doc = snapshot.model_dump(mode="json")
            if existing is None:
                new_snapshots[snapshot.version] = Document(doc, doc_id=snapshot.version)
            elif (
                existing.get("status") == PlanStatus.AGREED
                and doc["status"] == PlanStatus.AGREED
                and _agreed_content(existing) != _agreed_content(doc)
            ):
                raise VersionConflict(self.path(plan.id).name, version=snapshot.version)
        now = self.clock()
        saved = plan.model_copy(
            update={
                "revision": plan.revision + 1,
                "updated_at": now,
                "created_at": plan.created_at or now,
                **saved_at(plan, plan.revision + 1),
            }
        )
        doc = saved.model_dump(mode="json")
        with storage.batch():
            db.table("meta").upsert(Document({"schema_version": SCHEMA_VERSION}, doc_id=1))
            for snapshot_doc in new_snapshots.values():
                versions.insert(snapshot_doc)
            db.table("plan").upsert(Document(doc, doc_id=1))
            self._log_change(db, stored or {}, doc, now)
        written = _identity(storage.path)
        if written is not None:
            self._written[saved.id] = written
        return saved

    def _log_change(self, db: TinyDB, old: dict, new: dict, now: dt.datetime) -> None:
        sections = sorted(k for k in new if k not in _BOOKKEEPING and old.get(k) != new[k]) if old else ["created"]
        if not sections:
            return
        changes = db.table("changes")
        last = changes.get(doc_id=len(changes)) if len(changes) else None
        stamp = now.isoformat()
        merged = None
        with suppress(KeyError, TypeError, ValueError):  # a hand-edited last entry: start a new one
            if (
                last
                and last["by"] == self.user
                and last.get("version") == new["version"]
                and now - dt.datetime.fromisoformat(last["to"]) <= CHANGE_COALESCE
            ):
                merged = sorted(set(last["what"]) | set(sections))
        if last and merged is not None:
            changes.update({"to": stamp, "what": merged, "revision": new["revision"]}, doc_ids=[last.doc_id])
        else:
            changes.insert(
                {
                    "from": stamp,
                    "to": stamp,
                    "by": self.user,
                    "what": sections,
                    "revision": new["revision"],
                    "version": new["version"],
                }
            )


def _remove_if_stale(entry: os.DirEntry) -> None:
    """A temp file older than any save could take is debris from a kill or power cut."""
    with suppress(OSError):
        if time.time() - entry.stat().st_mtime > STALE_TEMP_S:
            os.unlink(entry.path)


def _signature(folder: str, plan_id: str) -> list | None:
    """Identity of the file read_json would read (the plan's file, else its backup): inode, size, mtime."""
    path = f"{folder}{os.sep}{plan_id}{SUFFIX}"  # not os.path.join: called for each of 10,000 plans
    for which, candidate in enumerate((path, path + ".bak")):
        try:
            info = os.stat(candidate)
        except FileNotFoundError:
            continue
        except OSError:  # no cache for it: reading it reports the problem by name
            return None
        return [which, info.st_ino, info.st_size, info.st_mtime_ns]
    return None


def _cached_summary(entry: object, signature: list | None) -> PlanSummary | None:
    """The cached summary if the file is unchanged; None to read the file."""
    try:
        if signature is None or entry[0] != signature:  # type: ignore[index]
            return None
        return PlanSummary.from_cache(entry[1])  # type: ignore[index]
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def _content(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k not in _BOOKKEEPING}


def _agreed_content(doc: dict) -> dict:
    """What an agreed version fixes: not the deviations, a log about the
    cooperation that goes on being written (and handled) after agreement."""
    return {k: v for k, v in doc.items() if k not in _BOOKKEEPING and k != "deviations"}


def differing_sections(old: Plan, new: Plan) -> list[str]:
    """The top-level fields of the plan that differ, as named in the JSON file."""
    before, after = _content(old.model_dump(mode="json")), _content(new.model_dump(mode="json"))
    return sorted(k for k in after if before.get(k) != after[k])


def _when(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "–"


def _import_snapshots(plan: Plan, versions: list[Plan]) -> list[Plan]:
    """The versions an import stores: the document's, plus the plan itself when it
    is an agreed (or closed) version the document does not list, as a save would."""
    listed = {v.version for v in versions}
    agreed = plan.status == PlanStatus.AGREED  # an agreed plan is its version: checked against the stored copy
    closed = plan.status == PlanStatus.CLOSED and plan.version not in listed
    return [*versions, plan] if plan.version and (agreed or closed) else list(versions)


def _check_versions_unchanged(path: Path, stored_versions: Table, snapshots: list[Plan]) -> None:
    """VersionConflict unless every agreed version given equals the one already
    stored (or given earlier in the same import): an agreed version never changes."""
    seen: dict[int, dict] = {}
    for snapshot in snapshots:
        doc = _agreed_content(snapshot.model_dump(mode="json"))
        existing = seen.get(snapshot.version)
        if existing is None:
            raw = stored_versions.get(doc_id=snapshot.version)
            existing = _agreed_content(_plan_from(path, raw).model_dump(mode="json")) if raw is not None else None
        if existing is None:
            seen[snapshot.version] = doc
        elif _comparable(existing, doc) and existing != doc:
            raise VersionConflict(path.name, version=snapshot.version)


def _comparable(stored: dict, given: dict) -> bool:
    """A closed plan is kept as a version only when that version had no agreed
    copy; it is compared with a stored version of the same status only."""
    return stored.get("status") == given.get("status")


def _one(path: Path, data: dict, table: str) -> dict:
    """Document 1 of ``table`` (the plan's current state, the schema meta)."""
    docs = data.get(table)
    doc = docs.get("1") if isinstance(docs, dict) else None
    if not isinstance(doc, dict):
        raise _damaged(path)
    return doc


def _plan_from(path: Path, doc: dict) -> Plan:
    try:
        return Plan.model_validate(doc)
    except ValidationError:
        raise _damaged(path) from None


def _check_schema(path: Path, data: dict) -> None:
    """NewerSchema for a file a newer sip-tui wrote (checked first: a newer
    schema may shape its tables differently); Unreadable for a damaged meta table."""
    meta = data.get("meta", {})
    doc = meta.get("1", {}) if isinstance(meta, dict) else None
    if not isinstance(doc, dict):
        raise _damaged(path)
    version = doc.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise NewerSchema(path.name, version=version)


def _check_shape(path: Path, data: dict) -> None:
    """Every table an object of numbered documents, as TinyDB wrote it; a
    hand-edited file of another shape is Unreadable, never half-used."""
    for table in data.values():
        if not isinstance(table, dict):
            raise _damaged(path)
        for doc_id, doc in table.items():
            if not (doc_id.isascii() and doc_id.isdigit() and isinstance(doc, dict)):
                raise _damaged(path)


def _check_readable(path: Path, storage: AtomicJSONStorage, written: tuple[int, ...] | None = None) -> None:
    """Before a save: the file is absent, or a whole plan file of our schema (never written over otherwise).
    ``written``: the identity the file had when this store wrote it; still the same, the plan
    model needs no second validation (the costly part of an autosave's check)."""
    try:
        data = storage.read()
    except UnreadableFile as error:
        raise _unreadable(path, error) from None
    if data is not None:
        doc = _plan_doc(path, data)
        if written is None or _identity(path) != written:  # after the read: a change before it shows
            _plan_from(path, doc)  # a plan load() would refuse is not written over either


def _identity(path: Path) -> tuple[int, ...] | None:
    """Inode, size, modification and change times: any write, rename or touch changes one
    (the change time cannot be set back, unlike the modification time)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def _plan_doc(path: Path, data: dict) -> dict:
    """The plan document of a file of our schema and shape; Unreadable (or NewerSchema) otherwise."""
    _check_schema(path, data)
    _check_shape(path, data)
    return _one(path, data, "plan")


def _stored_int(path: Path, stored: dict | None, key: str) -> int:
    """The stored plan's revision or version (0 for a new plan); Unreadable if hand-edited into a non-number."""
    if stored is None:
        return 0
    value = stored.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _damaged(path)
    return value


def _unreadable(path: Path, error: UnreadableFile) -> Unreadable:
    return ReadFailed(path.name, reason=error.reason) if error.reason else _damaged(path)


def _damaged(path: Path) -> Unreadable:
    """A damaged plan file; its message mentions the ``.bak`` beside it only if there is one."""
    return Unreadable(path.name, backup=path.exists() and backup_path(path).is_file())


def _write_error(path: Path, error: OSError) -> StoreError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(path.name)
    return WriteFailed(path.name, reason=error.strerror or type(error).__name__)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows services
        return "okänd"
