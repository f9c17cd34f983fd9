"""A damaged, locked-down or odd store never crashes the app: every problem is
a clear message naming the file, nothing is written over, and the other plans
stay usable. Also the integrity of imported documents (no roll-back of agreed
versions) and settings that survive one mistyped field."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from pathlib import Path

import filelock
import pytest

from sip_tui import files as files_module
from sip_tui.i18n import set_language, t
from sip_tui.models.enums import PlanStatus
from sip_tui.models.interchange import DocumentError, dump_document, parse_document
from sip_tui.models.plan import Plan
from sip_tui.settings import SETTINGS_FILE, load_settings
from sip_tui.store import PlanStore, StoreError
from sip_tui.store.store import (
    DiskFull,
    OlderImport,
    ReadFailed,
    Unreadable,
    WriteFailed,
)

T0 = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
POSIX = os.name == "posix"


@pytest.fixture
def store(store_dir: Path) -> PlanStore:
    return PlanStore(store_dir, user="anna", clock=lambda: T0)


def draft(store: PlanStore, name: str = "Anna Test") -> Plan:
    plan = Plan()
    plan.person.name = name
    plan.situation = "Första sparningen"
    return store.save(plan)


def agreed(store: PlanStore, plan: Plan, version: int, situation: str) -> Plan:
    """Store ``plan`` as agreed version ``version`` (the store does not check the rules)."""
    plan = plan.model_copy(update={"status": PlanStatus.AGREED, "version": version, "situation": situation})
    return store.save(plan)


def in_followup(store: PlanStore, plan: Plan) -> Plan:
    return store.save(plan.model_copy(update={"status": PlanStatus.FOLLOW_UP}))


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def message(error: StoreError) -> str:
    return t(error.code, file=error.file, **error.params)


def assert_reported(error: StoreError, plan: Plan) -> None:
    assert error.file == f"{plan.id}.json"
    assert f"{plan.id}.json" in message(error) or error.code == "store.write_failed"


def assert_others_usable(store: PlanStore, victim: Plan, other: Plan) -> None:
    result = store.scan()
    assert [s.id for s in result.summaries] == [other.id]
    assert [e.file for e in result.errors] == [f"{victim.id}.json"]
    assert all(isinstance(e, Unreadable) for e in result.errors)
    loaded = store.load(other.id)
    loaded.situation = "Går fortfarande att spara"
    assert store.save(loaded).revision == other.revision + 1


# -- D3: the lock cannot be taken ------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.EROFS, "Read-only file system"), WriteFailed),
        (OSError(errno.ENOSPC, "No space left on device"), DiskFull),
        (PermissionError(errno.EACCES, "Permission denied"), WriteFailed),
    ],
)
def test_a_lock_that_cannot_be_created_is_a_failed_save_not_a_crash(store, monkeypatch, error, expected):
    plan = draft(store)
    before = files(store.plans_dir)
    for lock in (filelock.FileLock, files_module.FlockLock):  # the plan lock is one or the other
        monkeypatch.setattr(lock, "acquire", lambda self, *a, **k: (_ for _ in ()).throw(error))
    plan.situation = "Får inte sparas"
    with pytest.raises(expected) as caught:
        store.save(plan)
    monkeypatch.undo()
    assert caught.value.file == f"{plan.id}.json"
    assert files(store.plans_dir) == before
    if expected is WriteFailed:
        assert error.strerror in message(caught.value)
        assert message(caught.value).startswith("Kunde inte spara")
        set_language("en")
        assert message(caught.value).startswith("Could not save")


def test_a_folder_at_the_lock_path_is_a_failed_save(store):
    plan = draft(store)
    (store.locks_dir / f"{plan.id}.lock").unlink(missing_ok=True)
    (store.locks_dir / f"{plan.id}.lock").mkdir()
    before = files(store.plans_dir)
    plan.situation = "Får inte sparas"
    with pytest.raises(WriteFailed) as caught:
        store.save(plan)
    assert caught.value.file == f"{plan.id}.json"
    assert files(store.plans_dir) == before
    assert store.load(plan.id).situation == "Första sparningen"


# -- D4: the folder fsync after the rename ------------------------------------------------


def test_a_failing_folder_fsync_after_the_rename_does_not_fail_the_save(store, monkeypatch):
    plan = draft(store)

    def broken_fsync_dir(folder):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files_module, "fsync_dir", broken_fsync_dir)
    plan.situation = "Andra sparningen"
    saved = store.save(plan)  # the new file is in place: a success
    assert store.load(plan.id).situation == "Andra sparningen"
    assert store.load(plan.id).revision == saved.revision
    saved.situation = "Tredje sparningen"  # the next save is not refused as stale
    assert store.save(saved).revision == saved.revision + 1


# -- T1: a plan file that cannot be read at all -----------------------------------------------


def test_a_folder_in_place_of_a_plan_file_is_reported_and_the_others_listed(store):
    victim, other = draft(store), draft(store, "Bo Annan")
    path = store.path(victim.id)
    path.unlink()
    path.mkdir()
    with pytest.raises(Unreadable) as caught:
        store.load(victim.id)
    assert isinstance(caught.value, ReadFailed)
    assert_reported(caught.value, victim)
    assert path.is_dir()
    with pytest.raises(Unreadable):
        store.save(victim)
    assert_others_usable(store, victim, other)


@pytest.mark.parametrize(
    "error", [PermissionError(errno.EACCES, "Permission denied"), OSError(errno.EIO, "Input/output error")]
)
def test_a_plan_file_the_system_refuses_to_read_is_reported_by_name(store, monkeypatch, error):
    victim, other = draft(store), draft(store, "Bo Annan")
    before = files(store.plans_dir)
    real_read_bytes = Path.read_bytes

    def read_bytes(self):
        if self.name.startswith(victim.id):
            raise error
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(ReadFailed) as caught:
        store.load(victim.id)
    assert_reported(caught.value, victim)
    assert error.strerror in message(caught.value)
    assert_others_usable(store, victim, other)
    monkeypatch.undo()
    assert {k: v for k, v in files(store.plans_dir).items() if victim.id in k} == {
        k: v for k, v in before.items() if victim.id in k
    }


def test_list_shows_the_other_plans_around_an_unreadable_file(cli, store_dir):
    store = PlanStore(store_dir)
    victim, _ = draft(store), draft(store, "Bo Annan")
    store.path(victim.id).unlink()
    store.path(victim.id).mkdir()
    run = cli("--store", store_dir, "list")
    assert run.code == 1
    assert "Bo Annan" in run.out
    assert f"{victim.id}.json" in run.err


# -- T2: valid JSON of the wrong shape ----------------------------------------------------------


def _set(table: str, value):
    def damage(data: dict) -> dict:
        data[table] = value
        return data

    return damage


def _plan_doc(key: str, value):
    def damage(data: dict) -> dict:
        data["plan"]["1"][key] = value
        return data

    return damage


SHAPES = {
    "meta is a list": _set("meta", [1]),
    "meta is text": _set("meta", "abc"),
    "meta doc is text": _set("meta", {"1": "abc"}),
    "no tables": lambda data: {},
    "plan is a list": _set("plan", []),
    "plan without doc 1": lambda data: {**data, "plan": {"2": data["plan"]["1"]}},
    "plan doc is a list": _set("plan", {"1": [1]}),
    "versions is a list": _set("versions", [1]),
    "a version is text": _set("versions", {"1": "abc"}),
    "changes is text": _set("changes", "abc"),
    "a table key is not a number": _set("changes", {"x": {}}),
}
CONTENTS = {
    "person is text": _plan_doc("person", "abc"),
    "an insats is a number": _plan_doc("insatser", [1]),
    "revision is text": _plan_doc("revision", "sju"),
    "revision is negative": _plan_doc("revision", -1),
}


@pytest.mark.parametrize("damage", SHAPES.values(), ids=SHAPES.keys())
def test_a_plan_file_of_the_wrong_shape_is_reported_everywhere_and_left_alone(store, damage):
    victim, other = draft(store), draft(store, "Bo Annan")
    path = store.path(victim.id)
    raw = json.dumps(damage(json.loads(path.read_bytes()))).encode()
    path.write_bytes(raw)

    for operation in (
        lambda: store.load(victim.id),
        lambda: store.versions(victim.id),
        lambda: store.save(victim),
        lambda: store.import_document(victim, []),
    ):
        with pytest.raises(StoreError) as caught:
            operation()
        assert_reported(caught.value, victim)
    assert path.read_bytes() == raw
    assert_others_usable(store, victim, other)
    assert path.read_bytes() == raw


@pytest.mark.parametrize("damage", CONTENTS.values(), ids=CONTENTS.keys())
def test_a_plan_of_the_wrong_shape_inside_is_reported_and_never_saved_over(store, damage):
    victim, other = draft(store), draft(store, "Bo Annan")
    path = store.path(victim.id)
    raw = json.dumps(damage(json.loads(path.read_bytes()))).encode()
    path.write_bytes(raw)

    for operation in (
        lambda: store.load(victim.id),
        lambda: store.save(victim),  # e.g. a window that opened the plan before the hand edit
        lambda: store.import_document(victim, []),
    ):
        with pytest.raises(Unreadable) as caught:
            operation()
        assert_reported(caught.value, victim)
    assert path.read_bytes() == raw
    # The overview reads no models (fast at 10,000 plans): it may still list the
    # plan, or report it by name; the other plan is listed either way.
    result = store.scan()
    assert other.id in [s.id for s in result.summaries]
    assert [e.file for e in result.errors] in ([], [path.name])
    assert path.read_bytes() == raw


def test_a_hand_edited_change_log_entry_does_not_stop_saving(store):
    plan = draft(store)
    path = store.path(plan.id)
    data = json.loads(path.read_bytes())
    data["changes"] = {"1": {"by": "anna", "version": 0, "to": "inte ett datum", "what": 5}}
    path.write_bytes(json.dumps(data).encode())
    plan.situation = "Ändrad"
    saved = store.save(plan)
    assert store.load(plan.id).situation == "Ändrad"
    assert store.changes(plan.id)[-1]["revision"] == saved.revision


@pytest.mark.parametrize(
    "raw",
    [b"[" * 100_000 + b"]" * 100_000, b'{"plan": {"1": {"revision": ' + b"9" * 5000 + b"}}}"],
    ids=["deep", "long"],
)
def test_a_plan_file_too_deep_or_with_a_huge_number_is_unreadable(store, raw):
    victim, other = draft(store), draft(store, "Bo Annan")
    store.path(victim.id).write_bytes(raw)
    with pytest.raises(Unreadable) as caught:
        store.load(victim.id)
    assert_reported(caught.value, victim)
    assert_others_usable(store, victim, other)
    assert store.path(victim.id).read_bytes() == raw


def test_import_over_a_damaged_plan_file_is_reported_not_a_traceback(cli, store_dir, tmp_path):
    store = PlanStore(store_dir)
    plan = draft(store)
    document = tmp_path / "plan.json"
    document.write_text(dump_document(store.load(plan.id), []), encoding="utf-8")
    damaged = store.path(plan.id).read_bytes()[:40]
    store.path(plan.id).write_bytes(damaged)
    run = cli("--store", store_dir, "import", document)
    assert run.code == 1
    assert f"{plan.id}.json" in run.err
    assert store.path(plan.id).read_bytes() == damaged


# -- T3: documents Python's json or TinyDB choke on ---------------------------------------------


def _document(**plan_fields) -> dict:
    return {"format": "sip-tui-plan", "format_version": 1, "plan": {"id": "abc123", **plan_fields}, "versions": []}


CHOKING = {
    "deep array": b"[" * 100_000 + b"]" * 100_000,
    "deep object": (
        b'{"format":"sip-tui-plan","plan":{"id":"abc","person":' + b'{"a":' * 100_000 + b"1" + b"}" * 100_002
    ),
    "5000-digit number": json.dumps(_document())
    .replace('"abc123"}', '"abc123", "revision": ' + "9" * 5000 + "}")
    .encode(),
    "the same version twice": json.dumps(
        {
            **_document(status="upprattad", version=1),
            "versions": [
                {"id": "abc123", "status": "upprattad", "version": 1, "person": {"name": "Ett"}},
                {"id": "abc123", "status": "upprattad", "version": 1, "person": {"name": "Två"}},
            ],
        }
    ).encode(),
}


@pytest.mark.parametrize("raw", CHOKING.values(), ids=CHOKING.keys())
def test_import_of_a_choking_document_is_a_clear_per_file_error(cli, store_dir, tmp_path, raw):
    bad = tmp_path / "bad.json"
    bad.write_bytes(raw)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_document(person={"name": "Ok Person"}) | {"plan": {"id": "good1"}}), encoding="utf-8")
    run = cli("--store", store_dir, "import", bad)
    assert run.code == 1
    assert str(bad) in run.err and "$" in run.err
    assert list((store_dir / "plans").iterdir()) == []
    both = cli("--store", store_dir, "import", bad, good)  # the next file is still imported
    assert both.code == 1 and str(good) in both.out
    assert [p.name for p in (store_dir / "plans").iterdir()] == ["good1.json"]


def test_a_deep_document_is_explained_in_the_ui_language(cli, store_dir, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(CHOKING["deep array"])
    assert "nästlad för djupt" in cli("--store", store_dir, "import", bad).err
    assert "nested too deeply" in cli("--store", store_dir, "--lang", "en", "import", bad).err
    bad.write_bytes(CHOKING["5000-digit number"])
    assert "4300" in cli("--store", store_dir, "import", bad).err


# -- D2/P3: integrity of imported versions, no roll-back --------------------------------------


def test_import_checks_every_version_and_names_its_path(cli, store_dir, tmp_path):
    plan = {"id": "abc123", "status": "upprattad", "version": 2, "person": {"name": "Anna Test"}}
    versions = [
        {"id": "annan1", "status": "upprattad", "version": 1},  # another plan's
        {"id": "abc123", "status": "utkast", "version": 2},  # not agreed
        {"id": "abc123", "status": "upprattad", "version": 3},  # beyond plan.version
        {"id": "abc123", "status": "avslutad", "version": 0},  # below 1
        {"id": "abc123", "status": "upprattad", "version": 2},  # the second version 2
    ]
    document = tmp_path / "plan.json"
    document.write_text(json.dumps({**_document(), "plan": plan, "versions": versions}), encoding="utf-8")
    run = cli("--store", store_dir, "import", document)
    assert run.code == 1
    for path in (
        "$.versions[0].id",
        "$.versions[1].status",
        "$.versions[2].version",
        "$.versions[3].version",
        "$.versions[4].version",
    ):
        assert path in run.err
    assert "$.versions[1]" in run.err.split("$.versions[4].version")[1]  # names the first one
    assert "abc123" in run.err  # the id it must have
    assert not (store_dir / "plans").exists() or list((store_dir / "plans").iterdir()) == []


def test_an_exported_plan_with_its_versions_still_imports(store, tmp_path):
    plan = agreed(store, draft(store), 1, "Version 1")
    plan = agreed(store, in_followup(store, plan), 2, "Version 2")
    text = dump_document(store.load(plan.id), store.versions(plan.id))
    document = parse_document(text)
    assert [v.version for v in document.versions] == [1, 2]
    fresh = PlanStore(tmp_path / "fresh", user="bo", clock=lambda: T0)
    assert fresh.import_document(document.plan, document.versions).version == 2


def test_importing_an_older_export_is_refused_and_later_agreements_still_work(cli, store, tmp_path):
    plan = agreed(store, draft(store), 1, "Version 1")
    old_export = tmp_path / "monday.json"
    old_export.write_text(dump_document(store.load(plan.id), store.versions(plan.id)), encoding="utf-8")
    plan = agreed(store, in_followup(store, plan), 2, "Version 2")
    before = files(store.plans_dir)

    document = parse_document(old_export.read_bytes())
    with pytest.raises(OlderImport) as caught:
        store.import_document(document.plan, document.versions)
    assert caught.value.params == {"stored": 2, "yours": 1}
    assert files(store.plans_dir) == before

    run = cli("--store", store.root, "import", old_export)
    assert run.code == 1
    assert str(old_export) in run.err and "version 1" in run.err and "version 2" in run.err
    assert files(store.plans_dir) == before

    # The plan goes on: a follow-up is agreed as version 3 without a conflict.
    current = store.load(plan.id)
    assert current.version == 2 and current.situation == "Version 2"
    third = agreed(store, in_followup(store, current), 3, "Version 3")
    assert [v.version for v in store.versions(plan.id)] == [1, 2, 3]
    assert third.version == 3


def test_the_same_version_twice_given_to_the_store_is_a_conflict_not_a_crash(store):
    plan = draft(store).model_copy(update={"status": PlanStatus.AGREED, "version": 1})
    one = plan.model_copy(update={"situation": "Ett"})
    two = plan.model_copy(update={"situation": "Två"})
    before = files(store.plans_dir)
    with pytest.raises(StoreError) as caught:
        store.import_document(plan, [one, two])
    assert caught.value.params == {"version": 1}
    assert files(store.plans_dir) == before


def test_parse_document_reports_duplicate_versions_as_field_errors():
    raw = CHOKING["the same version twice"]
    with pytest.raises(DocumentError) as caught:
        parse_document(raw)
    assert [e.path for e in caught.value.errors] == ["$.versions[1].version"]


# -- T5: a read-only store, odd --store targets, settings ------------------------------------


@pytest.mark.skipif(not POSIX, reason="POSIX folder modes")
@pytest.mark.parametrize("code", [errno.EROFS, errno.EPERM])
def test_a_read_only_store_can_be_listed_and_refuses_saves_clearly(store_dir, monkeypatch, code):
    store = PlanStore(store_dir)
    plan = draft(store)
    os.chmod(store_dir, 0o755)  # as a colleague's or an older store might be
    before = files(store_dir)

    def read_only(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "chmod", read_only)
    monkeypatch.setattr(files_module.tempfile, "mkstemp", read_only)
    reopened = PlanStore(store_dir)
    assert [s.id for s in reopened.scan().summaries] == [plan.id]
    loaded = reopened.load(plan.id)
    loaded.situation = "Får inte sparas"
    with pytest.raises(WriteFailed) as caught:
        reopened.save(loaded)
    assert caught.value.file == f"{plan.id}.json"
    assert os.strerror(code) in message(caught.value)
    monkeypatch.undo()
    assert {k: v for k, v in files(store_dir).items() if k != "summaries.json"} == {
        k: v for k, v in before.items() if k != "summaries.json"
    }


def test_a_read_only_store_without_a_locks_folder_can_still_be_listed(store_dir, monkeypatch):
    store = PlanStore(store_dir)
    plan = draft(store)
    for lock in store.locks_dir.iterdir():
        lock.unlink()
    store.locks_dir.rmdir()

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(Path, "mkdir", read_only)
    monkeypatch.setattr(os, "mkdir", read_only)
    reopened = PlanStore(store_dir)
    assert [s.id for s in reopened.scan().summaries] == [plan.id]
    with pytest.raises(WriteFailed):
        reopened.save(reopened.load(plan.id))


def test_settings_of_a_store_path_that_is_a_file_are_the_defaults(tmp_path):
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("x")
    assert load_settings(not_a_folder).organisation == ""
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / SETTINGS_FILE).mkdir()  # a folder by that name
    assert load_settings(tmp_path / "store").organisation == ""


def test_a_store_path_that_is_a_file_is_a_clear_error(cli, tmp_path):
    not_a_folder = tmp_path / "afile"
    not_a_folder.write_text("x")
    run = cli("--store", not_a_folder, "list")
    assert run.code == 1 and "afile" in run.err
    assert not_a_folder.read_text() == "x"


def test_one_mistyped_setting_keeps_the_others(tmp_path):
    settings = {
        "organisation": "Exempelkommunen",
        "language": "en",
        "easy_read_page": False,
        "export_personnummer": "kanske",  # not a boolean
        "template": 5,  # not a path
        "something_else": 1,
    }
    (tmp_path / SETTINGS_FILE).write_text(json.dumps(settings), encoding="utf-8")
    loaded = load_settings(tmp_path)
    assert loaded.organisation == "Exempelkommunen"
    assert loaded.language == "en"
    assert loaded.easy_read_page is False
    assert loaded.export_personnummer is False and loaded.template is None


@pytest.mark.parametrize("raw", [b"[1, 2]", b"{", b"\xff", b"[" * 100_000], ids=["list", "torn", "binary", "deep"])
def test_settings_that_are_not_an_object_are_the_defaults(tmp_path, raw):
    (tmp_path / SETTINGS_FILE).write_bytes(raw)
    assert load_settings(tmp_path).organisation == ""


# -- Windows: a rename refused while another process has the file open ------------------------------


def test_a_rename_refused_for_a_moment_is_retried(store, monkeypatch):
    plan = draft(store)
    real_replace, calls, sleeps = os.replace, [], []

    def busy_twice(source, target):
        calls.append(target)
        if len(calls) <= 2:
            raise PermissionError(errno.EACCES, "The process cannot access the file")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", busy_twice)
    monkeypatch.setattr(files_module.time, "sleep", sleeps.append)
    plan.situation = "Sparad trots allt"
    saved = store.save(plan)
    monkeypatch.undo()
    assert store.load(plan.id).situation == "Sparad trots allt"
    assert store.load(plan.id).revision == saved.revision
    assert len(sleeps) == 2 and all(0 < s <= 0.05 for s in sleeps)


def test_a_rename_refused_for_good_fails_the_save_and_keeps_the_old_file(store, monkeypatch):
    plan = draft(store)
    before = files(store.plans_dir)
    sleeps = []

    def always_busy(source, target):
        raise PermissionError(errno.EACCES, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", always_busy)
    monkeypatch.setattr(files_module.time, "sleep", sleeps.append)
    plan.situation = "Får inte sparas"
    with pytest.raises(WriteFailed) as caught:
        store.save(plan)
    monkeypatch.undo()
    assert caught.value.file == f"{plan.id}.json"
    assert files(store.plans_dir) == before  # no temp file left either
    assert 1 <= len(sleeps) <= 10 and sum(sleeps) < 0.5


def test_an_ordinary_save_never_sleeps(store, monkeypatch):
    sleeps = []
    monkeypatch.setattr(files_module.time, "sleep", sleeps.append)
    plan = draft(store)
    plan.situation = "Andra"
    store.save(plan)
    assert sleeps == []
