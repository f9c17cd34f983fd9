"""Unit tests of the plan store: revisions, immutable agreed versions, the
change log, file modes, and files it must report and never write over."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import stat
import time
from pathlib import Path

import pytest

from sip_tui.demo import demo_plans, load_demo
from sip_tui.files import backup_path
from sip_tui.i18n import t
from sip_tui.models import lifecycle
from sip_tui.models.enums import PlanStatus
from sip_tui.models.facts import PlanFacts
from sip_tui.models.plan import SAVE_BOOKKEEPING, Plan
from sip_tui.models.report import build_report
from sip_tui.service import PlanService
from sip_tui.store import PlanStore
from sip_tui.store import store as store_module
from sip_tui.store.store import (
    CHANGE_COALESCE,
    SCHEMA_VERSION,
    SUMMARY_CACHE,
    DiskFull,
    NewerSchema,
    NotFound,
    StaleRevision,
    Unreadable,
    VersionConflict,
)

T0 = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
POSIX = os.name == "posix"


class Clock:
    """A settable clock for the store."""

    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_dir: Path, clock: Clock) -> PlanStore:
    return PlanStore(store_dir, user="anna", clock=clock)


def complete_plan() -> Plan:
    """A demo plan with everything the law asks for (agreeable)."""
    return demo_plans(T0.date())[1][0]


def saved(store: PlanStore) -> Plan:
    return store.save(complete_plan())


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (names relative to it) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temp_files(store: PlanStore) -> list[str]:
    return [p.name for p in store.plans_dir.iterdir() if p.name.endswith(".tmp")]


def content(plan: Plan) -> dict:
    return plan.model_dump(mode="json", exclude=set(SAVE_BOOKKEEPING))


# -- revisions ----------------------------------------------------------------


def test_first_save_creates_revision_1_and_stamps_times(store, clock):
    plan = saved(store)
    assert plan.revision == 1
    assert plan.created_at == plan.updated_at == clock.now
    assert store.exists(plan.id)
    assert content(store.load(plan.id)) == content(plan)


def test_every_save_bumps_the_revision(store, clock):
    plan = saved(store)
    created = plan.created_at
    for expected in range(2, 6):
        clock.advance(minutes=1)
        plan.situation = f"Ändring {expected}"
        plan = store.save(plan)
        assert plan.revision == expected
        assert plan.updated_at == clock.now
        assert plan.created_at == created
    loaded = store.load(plan.id)
    assert loaded.revision == 5
    assert loaded.situation == "Ändring 5"


def test_stale_save_is_refused_and_the_file_is_unchanged(store):
    plan = saved(store)
    window_a = store.load(plan.id)
    window_b = store.load(plan.id)
    window_a.situation = "Sparad i fönster A"
    store.save(window_a)
    before = store.path(plan.id).read_bytes()

    window_b.situation = "Gammal ändring i fönster B"
    with pytest.raises(StaleRevision) as caught:
        store.save(window_b)

    assert store.path(plan.id).read_bytes() == before
    assert store.load(plan.id).situation == "Sparad i fönster A"
    error = caught.value
    assert error.file == f"{plan.id}.json"
    assert error.params == {"stored": 2, "yours": 1}
    assert t(error.code, file=error.file, **error.params).startswith("Planen har ändrats i ett annat fönster")


def test_a_new_plan_with_an_existing_id_is_a_stale_save(store):
    plan = saved(store)
    with pytest.raises(StaleRevision):
        store.save(plan.model_copy(update={"revision": 0}))


def test_missing_plan_and_bad_ids_are_not_found(store):
    with pytest.raises(NotFound):
        store.load("0123456789abcdef")
    for bad in ("", "../etc/passwd", "a/b", "a.b", "x" * 10 + "-"):
        with pytest.raises(NotFound):
            store.path(bad)


# -- agreed versions ----------------------------------------------------------------


def agree(store: PlanStore, plan: Plan, clock: Clock) -> Plan:
    return store.save(lifecycle.agree(plan, [plan.person.name, plan.coordinator.name], clock.now))


def test_agreed_version_is_stored_and_listed(store, clock):
    plan = agree(store, saved(store), clock)
    assert plan.status == PlanStatus.AGREED and plan.version == 1
    versions = store.versions(plan.id)
    assert [v.version for v in versions] == [1]
    assert content(versions[0]) == content(plan)


def test_versions_lists_every_agreed_version_in_order(store, clock):
    plan = agree(store, saved(store), clock)
    clock.advance(days=30)
    plan = store.save(lifecycle.start_followup(plan, clock.now.date()))
    plan.situation = "Har fått praktikplats."
    plan.followup.date = clock.now.date() + dt.timedelta(days=60)
    plan.followup.held = False
    plan.change_reason = "Uppföljning: praktik ordnad."
    plan = agree(store, plan, clock)
    assert plan.version == 2

    versions = store.versions(plan.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].situation != versions[1].situation
    assert versions[1].situation == "Har fått praktikplats."
    assert store.versions(saved(store).id) == []  # a draft has none


def test_agreed_version_is_immutable(store, clock):
    plan = agree(store, saved(store), clock)
    before = store.path(plan.id).read_bytes()

    plan.situation = "Ändrad i efterhand"
    with pytest.raises(VersionConflict) as caught:
        store.save(plan)

    assert caught.value.params == {"version": 1}
    assert store.path(plan.id).read_bytes() == before
    assert store.versions(plan.id)[0].situation != "Ändrad i efterhand"
    assert "1" in t(caught.value.code, file=caught.value.file, **caught.value.params)


def test_saving_an_agreed_plan_unchanged_is_allowed(store, clock):
    plan = agree(store, saved(store), clock)
    clock.advance(minutes=1)
    again = store.save(plan)  # autosave of the same agreed state
    assert again.revision == plan.revision + 1
    assert len(store.versions(plan.id)) == 1


def test_closing_keeps_the_agreed_snapshot(store, clock):
    from sip_tui.models.enums import Outcome
    from sip_tui.models.plan import Closure

    plan = agree(store, saved(store), clock)
    agreed_snapshot = content(store.versions(plan.id)[0])
    closed = store.save(lifecycle.close(plan, Closure(date=clock.now.date(), outcome=Outcome.WORK)))
    assert closed.status == PlanStatus.CLOSED
    assert [content(v) for v in store.versions(plan.id)] == [agreed_snapshot]


def test_import_refuses_a_different_agreed_version(store, clock):
    plan = agree(store, saved(store), clock)
    other = store.versions(plan.id)[0].model_copy(update={"situation": "Förfalskad"})
    before = store.path(plan.id).read_bytes()
    with pytest.raises(VersionConflict):
        store.import_document(plan, [other])
    assert store.path(plan.id).read_bytes() == before


# -- change log ----------------------------------------------------------------


def test_change_log_coalesces_saves_by_one_user_within_the_window(store, clock):
    plan = saved(store)
    clock.advance(minutes=5)
    plan.situation = "Ny situation"
    plan = store.save(plan)
    clock.advance(minutes=5)
    plan.strengths = "Nya styrkor"
    plan = store.save(plan)

    changes = store.changes(plan.id)
    assert len(changes) == 1
    entry = changes[0]
    assert entry["by"] == "anna"
    assert entry["what"] == ["created", "situation", "strengths"]
    assert entry["from"] == T0.isoformat()
    assert entry["to"] == clock.now.isoformat()
    assert entry["revision"] == 3


def test_change_log_starts_a_new_entry_after_the_window_or_for_another_user(store, store_dir, clock):
    plan = saved(store)
    clock.advance(seconds=CHANGE_COALESCE.total_seconds() + 60)
    plan.situation = "Efter en paus"
    plan = store.save(plan)
    assert len(store.changes(plan.id)) == 2

    clock.advance(minutes=1)
    other_user = PlanStore(store_dir, user="bertil", clock=clock)
    plan.strengths = "Bertils ändring"
    plan = other_user.save(plan)
    changes = store.changes(plan.id)
    assert [c["by"] for c in changes] == ["anna", "anna", "bertil"]
    assert changes[1]["what"] == ["situation"]
    assert changes[2]["what"] == ["strengths"]


def test_unchanged_save_adds_no_change_entry(store, clock):
    plan = saved(store)
    clock.advance(hours=1)
    plan = store.save(plan)
    assert len(store.changes(plan.id)) == 1


def test_agreeing_starts_a_new_change_entry(store, clock):
    plan = saved(store)
    clock.advance(minutes=1)
    plan = agree(store, plan, clock)
    changes = store.changes(plan.id)
    assert len(changes) == 2
    assert changes[1]["version"] == 1
    assert "status" in changes[1]["what"]


# -- file permissions ----------------------------------------------------------------


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_files_are_private(store):
    plan = saved(store)
    plan.situation = "Andra sparningen skapar .bak"
    store.save(plan)
    for folder in (store.root, store.plans_dir, store.locks_dir):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for path in (store.path(plan.id), backup_path(store.path(plan.id))):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_file_names_are_random_ids_not_personal_data(store):
    plan = saved(store)
    names = [p.name for p in store.root.rglob("*")]
    assert all(plan.person.name not in n and (plan.person.personnummer or "-") not in n for n in names)


# -- files the store must not write over ------------------------------------------------


def write_newer_schema(store: PlanStore, plan: Plan) -> bytes:
    path = store.path(plan.id)
    data = json.loads(path.read_bytes())
    data["meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    data["plan"]["1"]["a_field_from_the_future"] = {"x": 1}
    raw = json.dumps(data).encode()
    path.write_bytes(raw)
    return raw


def test_a_plan_damaged_by_hand_after_this_window_saved_it_is_not_written_over(store):
    """Autosave skips validating a file it wrote itself; a hand edit since (here in
    place, with its old time stamp put back) is still checked and refused."""
    plan = saved(store)
    path = store.path(plan.id)
    data = json.loads(path.read_bytes())
    data["plan"]["1"]["status"] = "påhittad"  # a plan load() refuses
    info = path.stat()
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode())
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    plan.situation = "Autosparad ändring"
    with pytest.raises(Unreadable):
        store.save(plan)
    assert json.loads(path.read_bytes()) == data


def test_newer_schema_is_reported_and_never_written_over(store):
    plan = saved(store)
    other = store.save(complete_plan())
    raw = write_newer_schema(store, plan)

    with pytest.raises(NewerSchema) as caught:
        store.load(plan.id)
    assert caught.value.file == f"{plan.id}.json"
    assert caught.value.params == {"version": SCHEMA_VERSION + 1}

    plan.situation = "Försök att skriva över"
    with pytest.raises(NewerSchema):
        store.save(plan)
    with pytest.raises(NewerSchema):
        store.import_document(plan, [])
    assert store.path(plan.id).read_bytes() == raw

    result = store.scan()
    assert [e.file for e in result.errors] == [f"{plan.id}.json"]
    assert isinstance(result.errors[0], NewerSchema)
    assert [s.id for s in result.summaries] == [other.id]
    assert "nyare version" in t(caught.value.code, file=caught.value.file, **caught.value.params)


@pytest.mark.parametrize("keep", [0, 1, 100, -1])
def test_truncated_file_is_reported_and_left_byte_for_byte(store, keep):
    plan = saved(store)
    plan.situation = "Andra sparningen"
    plan = store.save(plan)
    other = store.save(complete_plan())
    path = store.path(plan.id)
    full = path.read_bytes()
    truncated = full[:keep] if keep >= 0 else full[: len(full) // 2]
    path.write_bytes(truncated)
    backup_before = backup_path(path).read_bytes()

    with pytest.raises(Unreadable) as caught:
        store.load(plan.id)
    assert caught.value.file == f"{plan.id}.json"
    plan.situation = "Försök att skriva över"
    with pytest.raises(Unreadable):
        store.save(plan)

    assert path.read_bytes() == truncated
    assert backup_path(path).read_bytes() == backup_before
    result = store.scan()
    assert [e.file for e in result.errors] == [path.name]
    assert [s.id for s in result.summaries] == [other.id]
    message = t(caught.value.code, file=caught.value.file)
    assert path.name in message and ".bak" in message


@pytest.mark.parametrize("garbage", [b"[1, 2]", b'"text"', b"\xff\xfe\x00", b'{"plan": {"1": {"status": 3}}}', b"{}"])
def test_other_damaged_files_are_reported_not_raised(store, garbage):
    plan = saved(store)
    path = store.path(plan.id)
    path.write_bytes(garbage)
    result = store.scan()
    assert result.summaries == []
    assert [e.file for e in result.errors] == [path.name]
    assert path.read_bytes() == garbage


def test_a_plan_that_fails_validation_is_unreadable(store):
    plan = saved(store)
    path = store.path(plan.id)
    data = json.loads(path.read_bytes())
    data["plan"]["1"]["responsible"] = "forsakringskassan"
    path.write_bytes(json.dumps(data).encode())
    with pytest.raises(Unreadable):
        store.load(plan.id)


# -- disk full ----------------------------------------------------------------


class FullDisk(io.RawIOBase):
    """A file that takes a few bytes and then reports ENOSPC, like a full disk."""

    def __init__(self, real: io.BufferedWriter, room: int) -> None:
        self.real = real
        self.room = room

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        taken = bytes(data[: self.room])
        self.real.write(taken)
        self.real.flush()
        self.room -= len(taken)
        return len(taken)

    def fileno(self) -> int:
        return self.real.fileno()

    def close(self) -> None:
        self.real.close()
        super().close()


@pytest.mark.parametrize("room", [0, 100])
def test_disk_full_keeps_the_old_file_and_leaves_no_temp_files(store, monkeypatch, room):
    plan = saved(store)
    plan.situation = "Andra sparningen"
    plan = store.save(plan)
    before = files(store.plans_dir)
    real_fdopen = os.fdopen

    def full_fdopen(fd, mode="r", *args, **kwargs):
        return io.BufferedWriter(FullDisk(real_fdopen(fd, "wb", buffering=0), room))

    monkeypatch.setattr(os, "fdopen", full_fdopen)
    plan.situation = "Den här ändringen får inte plats"
    with pytest.raises(DiskFull) as caught:
        store.save(plan)
    monkeypatch.undo()

    assert caught.value.file == f"{plan.id}.json"
    assert files(store.plans_dir) == before
    assert temp_files(store) == []
    assert store.load(plan.id).situation == "Andra sparningen"
    assert "Disken är full" in t(caught.value.code, file=caught.value.file)
    # Once there is room again, the same save goes through.
    assert store.save(plan).situation == "Den här ändringen får inte plats"


def test_disk_full_on_fsync_is_reported_too(store, monkeypatch):
    plan = saved(store)
    before = files(store.plans_dir)

    def no_room(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_room)
    plan.situation = "Får inte plats"
    with pytest.raises(DiskFull):
        store.save(plan)
    monkeypatch.undo()
    assert files(store.plans_dir) == before
    assert temp_files(store) == []


# -- crash between the two renames ------------------------------------------------


def crash_between_renames(store: PlanStore, plan: Plan) -> None:
    """The state a kill leaves after ``plan.json -> plan.json.bak`` but before ``tmp -> plan.json``."""
    path = store.path(plan.id)
    os.replace(path, backup_path(path))


def test_crash_between_renames_is_recovered_on_load_and_scan(store):
    plan = saved(store)
    plan.situation = "Senast bekräftade sparningen"
    plan = store.save(plan)
    other = store.save(complete_plan())
    crash_between_renames(store, plan)
    assert not store.path(plan.id).exists()

    assert store.exists(plan.id)
    loaded = store.load(plan.id)
    assert loaded.situation == "Senast bekräftade sparningen"
    assert loaded.revision == plan.revision
    result = store.scan()
    assert result.errors == []
    assert sorted(s.id for s in result.summaries) == sorted([plan.id, other.id])
    assert plan.id in store.plan_ids()

    # The next save continues from the recovered state and restores the main file.
    loaded.situation = "Efter återhämtningen"
    again = store.save(loaded)
    assert again.revision == plan.revision + 1
    assert store.path(plan.id).exists()
    assert store.load(plan.id).situation == "Efter återhämtningen"
    assert len(store.changes(plan.id)) >= 1


def test_stray_temp_files_from_a_kill_are_ignored(store):
    plan = saved(store)
    stray = store.plans_dir / f".{plan.id}.json.abc123.tmp"
    stray.write_bytes(b'{"plan": {"1": {"id": "half')
    result = store.scan()
    assert result.errors == []
    assert [s.id for s in result.summaries] == [plan.id]
    assert store.plan_ids() == [plan.id]


# -- the summary cache of scan() ------------------------------------------------


def age(store: PlanStore, hours: float = 1) -> None:
    """Make every plan file look saved a while ago (the cache skips files changed in the last seconds)."""
    then = time.time_ns() - int(hours * 3600e9)
    for path in store.plans_dir.iterdir():
        os.utime(path, ns=(then, then))


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The plan files scan() really reads."""
    seen: list[str] = []
    real = store_module.read_json

    def counting(path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(store_module, "read_json", counting)
    return seen


def test_scan_reuses_summaries_of_unchanged_files(store, reads):
    plans = [saved(store) for _ in range(3)]
    age(store)
    first = store.scan()
    assert len(reads) == 3
    assert (store.root / SUMMARY_CACHE).exists()

    reads.clear()
    second = store.scan()
    assert reads == []
    assert second.summaries == first.summaries
    assert sorted(s.id for s in second.summaries) == sorted(p.id for p in plans)
    assert second.summaries[0].followup_date == first.summaries[0].followup_date


def test_scan_rereads_a_file_that_changed_since_it_was_cached(store, reads):
    plan = saved(store)
    saved(store)
    age(store)
    store.scan()
    plan.person.name = "Nytt Namn"
    plan.followup.date = None
    store.save(plan)

    reads.clear()
    result = store.scan()
    assert reads == [f"{plan.id}.json"]
    summary = next(s for s in result.summaries if s.id == plan.id)
    assert summary.name == "Nytt Namn" and summary.followup_date is None


def test_scan_reports_a_cached_file_that_was_damaged_later(store):
    plan, other = saved(store), saved(store)
    age(store)
    assert store.scan().errors == []
    path = store.path(plan.id)
    info = path.stat()
    path.write_bytes(path.read_bytes()[:50])  # damaged in place: same inode
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # even with the old time stamp
    result = store.scan()
    assert [e.file for e in result.errors] == [path.name]
    assert [s.id for s in result.summaries] == [other.id]


def test_scan_rereads_recently_changed_files(store, reads):
    saved(store)
    store.scan()
    reads.clear()
    store.scan()
    assert len(reads) == 1  # changed seconds ago: not trusted to the cache yet


@pytest.mark.parametrize("cache", [b"", b"{not json", b"[]", b'{"format": "old", "plans": {}}', None])
def test_a_damaged_or_foreign_summary_cache_is_ignored(store, reads, cache):
    plan = saved(store)
    age(store)
    first = store.scan()
    cache_path = store.root / SUMMARY_CACHE
    if cache is None:  # right format, nonsense entries
        data = json.loads(cache_path.read_bytes())
        data["plans"][plan.id] = [data["plans"][plan.id][0], {"name": 5}]
        cache = json.dumps(data).encode()
    cache_path.write_bytes(cache)
    reads.clear()
    result = store.scan()
    assert reads == [f"{plan.id}.json"]
    assert result.errors == [] and result.summaries == first.summaries


def test_the_report_reads_the_same_facts_from_the_cache_as_from_the_files(store, clock, reads, monkeypatch):
    """The demo's agreed, followed-up and closed plans and a deviation: a report from
    cached summaries counts what one from the files does. Listing them never parses
    the facts (what keeps `sip-tui followups` fast); reading them does."""
    load_demo(PlanService(store, clock=clock))
    age(store)
    from_files = store.scan().summaries
    assert any(s.facts.deviations for s in from_files) and any(s.facts.followups for s in from_files)
    parsed: list[str] = []
    real = PlanFacts.from_text
    monkeypatch.setattr(PlanFacts, "from_text", lambda text: parsed.append(text) or real(text))

    reads.clear()
    from_cache = store.scan().summaries
    assert store.scan().summaries == from_cache  # e.g. the follow-up overview: is the list on screen current?
    assert reads == [] and parsed == []
    report = build_report(from_cache, T0.date())
    assert len(parsed) == len(from_cache)
    assert from_cache == from_files
    assert report == build_report(from_files, T0.date())


def test_plans_gone_from_the_folder_are_gone_from_the_scan(store):
    plan, other = saved(store), saved(store)
    age(store)
    store.scan()
    store.path(plan.id).unlink()
    assert [s.id for s in store.scan().summaries] == [other.id]


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_summary_cache_is_private(store):
    saved(store)
    age(store)
    store.scan()
    assert stat.S_IMODE((store.root / SUMMARY_CACHE).stat().st_mode) == 0o600
